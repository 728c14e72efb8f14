/**
 * defineExperiment: an experiment as typed data (STYLE.md §8). Validates with zod at this one public
 * entry and fills in every default, so the object it returns is the resolved config saved with a run.
 */
import { ParampredError } from '../errors.js';
import { dictionaryNames, resolveDictionaryOptions } from '../dictionaries/index.js';
import { experimentSchema, type Experiment, type ExperimentInput, type PredictedLayerSpec } from './schema.js';
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
  if (exp.model.kind === 'convnet') {
    const { convLayers, convs, pools } = exp.model.spec;
    for (const [key, list] of [['convs', convs], ['pools', pools]] as const) {
      if (list.length !== convLayers.length) throw new ParampredError(fn, `expected model.spec.${key} to have one entry per conv layer (${convLayers.length}), got ${list.length}`);
    }
  }
  // each predicted layer's columns split its outputs evenly
  for (const [path, layer, outputs, what] of layerOutputs(exp)) {
    if (layer && outputs % layer.columns !== 0) throw new ParampredError(fn, `expected ${path}.columns to divide ${what} (${outputs}), got ${layer.columns}`);
  }
  if (exp.grow) {
    if (predictedLayers(exp).length === 0) throw new ParampredError(fn, 'expected grow only on a model with predicted layers, got none');
    let last = 0;
    for (const [i, s] of exp.grow.stages.entries()) {
      if (s.afterEpoch <= last || s.afterEpoch >= exp.epochs) throw new ParampredError(fn, `expected grow.stages.${i}.afterEpoch to increase and be below epochs (${exp.epochs}), got ${s.afterEpoch}${i > 0 ? ` after ${last}` : ''}`);
      last = s.afterEpoch;
    }
  }
  return exp;
}

/**
 * The experiment as it trains once `epochsDone` epochs are complete: every predicted layer's fraction
 * set by the last grow stage whose afterEpoch ≤ epochsDone (the experiment itself before the first).
 */
export function stageExperiment(exp: Experiment, epochsDone: number): Experiment {
  const stage = exp.grow?.stages.filter((s) => s.afterEpoch <= epochsDone).at(-1);
  if (!stage) return exp;
  const out = structuredClone(exp);
  for (const [, layer] of predictedLayers(out)) layer.fraction = stage.fraction;
  return out;
}

/** The index of the grow stage that starts once `epochsDone` epochs are complete (-1 = none starts then). */
export function growStageAt(exp: Experiment, epochsDone: number): number {
  return exp.grow?.stages.findIndex((s) => s.afterEpoch === epochsDone) ?? -1;
}

/**
 * Checks what the schema cannot: dictionary methods and their options against the dictionary registry.
 * Run before training (not at definition time, so that the registry of experiments loads even while a
 * dictionary method is missing).
 */
export function checkExperiment(exp: Experiment, fn = 'checkExperiment'): void {
  for (const [path, layer] of predictedLayers(exp)) {
    const { method } = layer.dictionary;
    if (!(dictionaryNames as readonly string[]).includes(method)) {
      throw new ParampredError(fn, `expected ${path}.dictionary.method to be one of ${dictionaryNames.map((k) => JSON.stringify(k)).join(', ')}, got ${JSON.stringify(method)}`);
    }
    resolveDictionaryOptions(layer.dictionary as never, `${fn} (${path}.dictionary)`);
  }
}

/** Each layer entry of the model: key path, spec (null = plain), its number of outputs and what they are. */
function layerOutputs(exp: Experiment): [string, PredictedLayerSpec | null, number, string][] {
  if (exp.model.kind === 'mlp') {
    const { hidden } = exp.model;
    return exp.model.layers.map((l, i) => [`model.layers.${i}`, l, hidden[i], `model.hidden.${i}`]);
  }
  const s = exp.model.spec;
  return [...s.convs.map((l, i): [string, PredictedLayerSpec | null, number, string] => [`model.spec.convs.${i}`, l, s.convLayers[i][0], `its filters, model.spec.convLayers.${i}.0`]), ['model.spec.dense', s.dense, s.denseUnits, 'model.spec.denseUnits']];
}

/** Every predicted layer of the experiment's model with its key path (model.layers.0, model.spec.convs.1, model.spec.dense). */
export function predictedLayers(exp: Experiment): [string, PredictedLayerSpec][] {
  return layerOutputs(exp).filter((e) => e[1] !== null).map(([path, l]) => [path, l as PredictedLayerSpec]);
}
