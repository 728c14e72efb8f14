/**
 * Users' own experiments: `parampred run ./my-experiment.{json,js,mjs,ts}` loads the file and validates
 * it with the same schema as the named experiments (defineExperiment), errors naming the file and the
 * key. A .js/.mjs/.ts file default-exports the experiment (defineExperiment(...) or the plain object);
 * .ts files are loaded through tsx (a devDependency of parampred: install it, or compile the file to .js).
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ParampredError } from '../../core/errors.js';
import { defineExperiment, type Experiment, type ExperimentInput } from '../../core/experiments/index.js';

/** File extensions `parampred run` reads as experiment files. */
export const experimentFileExtensions = ['.json', '.js', '.mjs', '.ts', '.mts'] as const;

/** Whether `arg` names an experiment file rather than a registered experiment (a path or a known extension). */
export function isExperimentFile(arg: string): boolean {
  return arg.includes('/') || arg.includes('\\') || (experimentFileExtensions as readonly string[]).includes(extname(arg));
}

async function importModule(path: string, fn: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  const ext = extname(path);
  if (ext !== '.ts' && ext !== '.mts') return (await import(url)) as Record<string, unknown>;
  try {
    // under tsx (tests, `npx tsx`) .ts imports natively; elsewhere through tsx's API when it is installed
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
  }
  let api: { tsImport: (specifier: string, parent: string) => Promise<unknown> };
  try {
    api = (await import('tsx/esm/api')) as typeof api;
  } catch {
    throw new ParampredError(fn, `expected a .json, .js or .mjs experiment file, or tsx installed to read .ts files (npm install --save-dev tsx, or compile it to .js), got ${path}`);
  }
  const mod = (await api.tsImport(url, import.meta.url)) as Record<string, unknown>;
  // a .ts file outside an ESM package is compiled as CommonJS: its exports arrive as `default`
  const inner = mod.default as Record<string, unknown> | undefined;
  return inner && typeof inner === 'object' && 'default' in inner && !('name' in inner) ? inner : mod;
}

/** Loads and validates the experiment in `path` (see the file doc). */
export async function loadExperimentFile(path: string, fn = 'loadExperimentFile'): Promise<Experiment> {
  const abs = resolve(path);
  const ext = extname(abs);
  if (!(experimentFileExtensions as readonly string[]).includes(ext)) {
    throw new ParampredError(fn, `expected an experiment file ending in ${experimentFileExtensions.join(', ')}, got ${path}`);
  }
  if (!existsSync(abs)) throw new ParampredError(fn, `expected an experiment file, got no file at ${path}`);
  let input: unknown;
  if (ext === '.json') {
    try {
      input = JSON.parse(readFileSync(abs, 'utf8'));
    } catch (e) {
      throw new ParampredError(fn, `expected JSON in ${path}, got ${(e as Error).message}`);
    }
  } else {
    const mod = await importModule(abs, fn);
    input = mod.default ?? mod.experiment;
    if (input === undefined) throw new ParampredError(fn, `expected ${path} to export the experiment as default (export default defineExperiment({...})), got exports ${JSON.stringify(Object.keys(mod))}`);
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ParampredError(fn, `expected an experiment object in ${path}, got ${Array.isArray(input) ? 'an array' : typeof input}`);
  }
  return defineExperiment(input as ExperimentInput, `${fn} (${path})`);
}
