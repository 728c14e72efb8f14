// Runs tfjs-core's own spec suite (the ~4,200 op and engine specs in
// node_modules/@tensorflow/tfjs-core/dist/**/*_test.js that tfjs-backend-cpu, -wasm and tfjs-node run)
// against the `native` backend, the way the official backends do: one jasmine test environment
// (jasmine_util.setTestEnvs) and a list of excluded specs, each with its reason.
//
//   node --import tsx scripts/tfjs-conformance.mjs [--backend native|cpu] [--filter TEXT] [--verbose]
//
// --backend cpu runs the same suite on TF.js's own cpu backend, the reference: a spec may be excluded
// for native only if it also fails or is skipped there. --filter runs the specs whose full name holds
// TEXT. Exit status 1 on any failure, on an exclusion that matches no spec, or when far fewer specs
// ran than the suite holds (it did not load).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Specs not run on native: [substring of the full spec name, reason]. Empty: every spec tfjs-core
 * defines for a data-sync node backend passes on native. An entry needs a reason and a cpu run
 * (--backend cpu --filter ...) showing the spec fails or is skipped there too.
 */
const EXCLUDES = [];

/**
 * Fewer specs run than this means the suite did not load. tfjs-core 4.22.0: 4,225 run on native, 4,227
 * on cpu (two specs are defined for backendName 'cpu' only), 5 more skipped by tfjs-core (xit) on both.
 */
const MIN_SPECS = 4000;

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const backend = arg('--backend', 'native');
const filter = arg('--filter', undefined);
const verbose = process.argv.includes('--verbose');
if (backend !== 'native' && backend !== 'cpu') {
  console.error(`tfjs-conformance: expected --backend native or cpu, got ${backend}`);
  process.exit(2);
}

// Same setup for both backends: @tensorflow/tfjs (all gradients registered) and the native backend.
const { registerNativeBackend } = await import('../src/node/backend/register.ts');
if (!registerNativeBackend({ quiet: true })) {
  console.error('tfjs-conformance: the native addon is not built; run: npm run build:native');
  process.exit(1);
}
const coreVersion = require('@tensorflow/tfjs-core/package.json').version;
const Jasmine = require('jasmine');
const jasmineUtil = require('@tensorflow/tfjs-core/dist/jasmine_util.js');

jasmineUtil.setTestEnvs([{ name: backend, backendName: backend, flags: {}, isDataSync: true }]);
const runner = new Jasmine();
runner.loadConfig({ spec_files: [], random: false });
runner.exitOnCompletion = false;
runner.clearReporters();

const exclusionHits = new Map(EXCLUDES.map(([s]) => [s, 0]));
const excludedBy = (name) => (backend === 'native' ? EXCLUDES.find(([s]) => name.includes(s)) : undefined);
// Filter applied as jasmine walks the specs: the exclusions (native only), then --filter.
jasmineUtil.setupTestFilters([], (name) => {
  const ex = excludedBy(name);
  if (ex) {
    exclusionHits.set(ex[0], exclusionHits.get(ex[0]) + 1);
    return false;
  }
  return filter === undefined || name.includes(filter);
});

// The specs log (debug mode profiles every kernel, the platform is set twice since the specs load
// tfjs-core's ES build beside the node bundle @tensorflow/tfjs uses; both share one engine and kernel
// registry): keep the console quiet unless --verbose, and report through stdout directly.
const out = (s) => process.stdout.write(s + '\n');
if (!verbose) for (const k of ['log', 'warn', 'info', 'debug']) console[k] = () => {};

const t0 = Date.now();
require('@tensorflow/tfjs-core/dist/tests.js');
const counts = { total: 0, passed: 0, failed: 0, pending: 0, excluded: 0 };
const failures = [];
runner.env.addReporter({
  specDone(r) {
    counts.total++;
    if (r.status === 'passed') counts.passed++;
    else if (r.status === 'failed') {
      counts.failed++;
      failures.push(r);
      out(`FAIL ${r.fullName}`);
      for (const e of r.failedExpectations) {
        out(`  ${e.message.split('\n').slice(0, 3).join('\n  ').slice(0, 600)}`);
        const ours = (e.stack ?? '').split('\n').find((l) => l.includes(`${process.cwd()}/src/`));
        if (ours) out(`  ${ours.trim()}`);
      }
    } else if (r.status === 'excluded') counts.excluded++;
    else counts.pending++;
  },
});
const result = await runner.execute();
const seconds = ((Date.now() - t0) / 1000).toFixed(1);

const ran = counts.passed + counts.failed;
const problems = [];
if (counts.failed > 0) problems.push(`${counts.failed} failed`);
if (result?.overallStatus === 'failed' && counts.failed === 0) problems.push('a suite-level error (afterAll/beforeAll)');
if (filter === undefined && ran < MIN_SPECS) problems.push(`only ${ran} specs ran, expected ≥ ${MIN_SPECS}: the suite did not load`);
for (const [s, hits] of exclusionHits) if (filter === undefined && hits === 0) problems.push(`exclusion "${s}" matches no spec: remove it`);
for (const e of result?.failedExpectations ?? []) out(`SUITE ERROR ${e.message}`);

out(`tfjs-core ${coreVersion} specs on ${backend}: ${ran} run, ${counts.passed} passed, ${counts.failed} failed; ` +
  `${counts.pending} skipped by tfjs-core itself (xit), ${backend === 'native' ? EXCLUDES.length : 0} excluded here` +
  `${filter === undefined ? '' : `, ${counts.excluded} outside --filter`}; ${seconds} s`);
for (const [s, reason] of backend === 'native' ? EXCLUDES : []) out(`  excluded: "${s}" (${exclusionHits.get(s)} specs): ${reason}`);
if (problems.length > 0) out(`tfjs-conformance: ${problems.join('; ')}`);
// the plain closing line test harnesses read: 'N passed, N failed' (+ skipped), alone on a line
out(`conformance: ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} skipped`);
process.exit(problems.length > 0 ? 1 : 0);
