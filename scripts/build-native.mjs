#!/usr/bin/env node
// Builds parampred's native addon (native/ → native/build/Release/parampred_native.node) with node-gyp.
// Runs as the package's `install` script (`--optional`: never fails the install; when a build tool or
// oneDNN is missing it prints one line saying what to install and leaves parampred on TF.js's `cpu`
// backend), as `npm run build:native`, and as `npx parampred build-native` (both fail loudly).
//
// node-gyp: the one npm runs lifecycle scripts with ($npm_config_node_gyp), else this package's or
// npm's own copy. Node's headers, the standard ways and offline: an explicit nodedir (--nodedir /
// $npm_config_nodedir) wins; else the headers that ship beside the running node (<prefix>/include/node,
// as in Node's tarballs, NodeSource and distribution packages) when their version is this node's;
// else node-gyp's own (its header cache, or a download). Builds are incremental (configure + build).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NATIVE = join(ROOT, 'native');
/** Where an optional build leaves its reason for failing; read by the addon loader (binding.ts). */
const REASON_FILE = join(NATIVE, 'build', 'install-error.txt');
const DEBIAN_PACKAGES = 'libdnnl-dev g++ make python3';

/** The node-gyp entry script to run with this node, or null. */
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  try {
    candidates.push(createRequire(join(ROOT, 'package.json')).resolve('node-gyp/bin/node-gyp.js'));
  } catch { /* not installed beside parampred (a user's install has no devDependencies) */ }
  if (process.env.npm_execpath) candidates.push(resolve(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const prefix = resolve(dirname(process.execPath), '..');
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((p) => existsSync(p) && p.endsWith('.js')) ?? null;
}

/** --nodedir for node-gyp: undefined when npm/node-gyp was told one, else the local headers' prefix if they match. */
function localNodeDir() {
  if (process.argv.some((a) => a.startsWith('--nodedir')) || process.env.npm_config_nodedir) return undefined;
  const prefix = resolve(dirname(process.execPath), '..');
  try {
    const h = readFileSync(join(prefix, 'include', 'node', 'node_version.h'), 'utf8');
    const v = ['MAJOR', 'MINOR', 'PATCH'].map((k) => h.match(new RegExp(`#define NODE_${k}_VERSION (\\d+)`))?.[1]).join('.');
    return `v${v}` === process.version ? prefix : undefined;
  } catch {
    return undefined;
  }
}

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', ...opts });
}

/** What is missing for a build, as a short phrase, or null when everything is there. */
function missingPrerequisite() {
  if (run('python3', ['--version']).status !== 0 && run('python', ['--version']).status !== 0) return 'python3 not found (node-gyp needs it)';
  if (run('make', ['--version']).status !== 0) return 'make not found';
  const cxx = process.env.CXX || 'g++';
  if (run(cxx, ['--version']).status !== 0) return `C++ compiler '${cxx}' not found`;
  const pre = run(cxx, ['-E', '-x', 'c++', '-o', '/dev/null', '-'], { input: '#include <oneapi/dnnl/dnnl.h>\n' });
  if (pre.status !== 0) return 'oneDNN not found (no <oneapi/dnnl/dnnl.h>)';
  return null;
}

/** The one line printed (and kept for the loader's warning) when the addon is not built. */
function reasonLine(why) {
  return `parampred: native backend not built: ${why}; using TF.js's slower 'cpu' backend. To build it, install oneDNN and a compiler (Debian/Ubuntu: apt-get install -y ${DEBIAN_PACKAGES}), then run: npx parampred build-native`;
}

function fail(why, optional) {
  const line = reasonLine(why);
  mkdirSync(dirname(REASON_FILE), { recursive: true });
  writeFileSync(REASON_FILE, `${why}\n`);
  console.error(line);
  process.exit(optional ? 0 : 1);
}

/** Sleeps `ms` milliseconds (synchronously: this script does nothing else meanwhile). */
function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Holds native/build/.parampred-lock (a directory: mkdir is atomic) while node-gyp runs, so that two builds of the
 * same folder (an `npm install` in the repository while `npm run build:native` runs) take turns; a lock
 * whose process is gone is taken over.
 */
function lock() {
  const dir = join(NATIVE, 'build', '.parampred-lock');
  mkdirSync(dirname(dir), { recursive: true });
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let pid = NaN;
    try { pid = Number(readFileSync(join(dir, 'pid'), 'utf8')); } catch { /* being written or removed */ }
    let alive = true;
    if (Number.isInteger(pid) && pid > 0) {
      try { process.kill(pid, 0); } catch (e) { alive = e.code === 'EPERM'; }
    }
    if (!alive || waited > 20 * 60 * 1000) rmSync(dir, { recursive: true, force: true });
    else {
      if (waited === 0) console.error(`parampred: waiting for another build of ${NATIVE} (pid ${pid})`);
      sleep(500);
    }
  }
}

function main() {
  const optional = process.argv.includes('--optional');
  const passThrough = process.argv.slice(2).filter((a) => a !== '--optional');
  const missing = missingPrerequisite();
  if (missing) fail(missing, optional);
  const gyp = findNodeGyp();
  if (!gyp) fail('node-gyp not found (it ships with npm)', optional);
  const nodedir = localNodeDir();
  const args = [gyp, 'configure', 'build', '--directory', NATIVE, '--jobs', 'max', ...(nodedir ? [`--nodedir=${nodedir}`] : []), ...passThrough];
  lock();
  const given = process.argv.find((a) => a.startsWith('--nodedir')) ?? process.env.npm_config_nodedir;
  console.error(`parampred: building the native addon against Node's headers from ${nodedir ? `${nodedir}/include/node (beside ${process.execPath})` : given ? `nodedir ${given.replace(/^--nodedir=?/, '')}` : "node-gyp's header cache"}`);
  const t0 = Date.now();
  // The install runs node-gyp's output hidden (npm shows it only on failure); the CLI shows it.
  const r = spawnSync(process.execPath, args, { stdio: optional ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8' });
  if (r.status !== 0) {
    if (optional && r.stderr) process.stderr.write(r.stderr.split('\n').slice(-30).join('\n') + '\n');
    fail(`node-gyp failed (exit ${r.status ?? r.signal}; rerun npx parampred build-native to see why)`, optional);
  }
  rmSync(REASON_FILE, { force: true });
  console.error(`parampred: native addon built in ${((Date.now() - t0) / 1000).toFixed(0)} s (native/build/Release/parampred_native.node)`);
}

main();
