/**
 * defineExperiment: an experiment as typed data (STYLE.md §8). Validates with zod at this one public
 * entry and fills in every default, so the object it returns is the resolved config saved with a run.
 */
import { ParampredError } from '../errors.js';
import { dictionaryNames, resolveDictionaryOptions } from '../dictionaries/index.js';
import { experimentSchema, type Experiment, type ExperimentInput } from './schema.js';
import type { z } from 'zod';

/** Formats zod issues as "path: message; …". */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/** Validates `input` against the experiment schema; returns it with every default filled in. */
export function defineExperiment(input: ExperimentInput, fn = 'defineExperiment'): Experiment {
  const r = experimentSchema.safeParse(input);
  if (!r.success) {
    const name = (input as { name?: unknown } | null)?.name;
    throw new ParampredError(fn, `expected a valid experiment${typeof name === 'string' ? ` '${name}'` : ''}: ${formatIssues(r.error.issues)}`);
  }
  const exp = r.data;
  if (exp.model.kind === 'mlp' && exp.model.layers.length !== exp.model.hidden.length) {
    throw new ParampredError(fn, `expected model.layers to have one entry per hidden layer (${exp.model.hidden.length}), got ${exp.model.layers.length}`);
  }
  return exp;
}

/**
 * Checks what the schema cannot: dictionary methods and their options against the dictionary registry.
 * Run before training (not at definition time, so that the registry of experiments loads even while a
 * dictionary method is missing).
 */
export function checkExperiment(exp: Experiment, fn = 'checkExperiment'): void {
  if (exp.model.kind !== 'mlp') return;
  exp.model.layers.forEach((layer, i) => {
    if (!layer) return;
    const { method } = layer.dictionary;
    if (!(dictionaryNames as readonly string[]).includes(method)) {
      throw new ParampredError(fn, `expected model.layers.${i}.dictionary.method to be one of ${dictionaryNames.map((k) => JSON.stringify(k)).join(', ')}, got ${JSON.stringify(method)}`);
    }
    resolveDictionaryOptions(layer.dictionary as never, `${fn} (model.layers.${i}.dictionary)`);
  });
}
