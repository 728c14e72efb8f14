/**
 * The approximation registry (one line per method) and the entry points that apply methods to a trained
 * model's layers: approximateLayer (one layer → its chain and report) and compressModel (a new model with
 * the given layers replaced; docs/method.md §3).
 */
import * as tf from '@tensorflow/tfjs';
import { ParampredError, check, unknownName } from '../errors.js';
import type { Approximation, ApproximationInput, CompressMethod } from './types.js';
import type { Cost } from './cost.js';
import { rewriteLayers } from './rewrite.js';
import svd from './svd.js';
import separable from './separable.js';
import monochromatic from './monochromatic.js';
import bicluster from './bicluster.js';
import predict from './predict.js';

export const compressMethods = {
  svd,
  separable,
  monochromatic,
  bicluster,
  predict,
} as const satisfies Record<string, CompressMethod<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type CompressMethodName = keyof typeof compressMethods;
export const compressMethodNames = Object.keys(compressMethods) as CompressMethodName[];

/** Which layer to approximate, how, and the method's options. */
export interface CompressSpec {
  layer: string;
  method: string;
  options?: Record<string, unknown>;
  /** What the caller knows about the layer's input beyond its shape: a data sample, its image geometry. */
  input?: Pick<ApproximationInput, 'sample' | 'geometry'>;
}

/** One approximated layer: what replaced it and what that costs (per example, theoretical). */
export interface LayerCompression {
  layer: string;
  className: string;
  method: string;
  options: object;
  /** The names of the replacement layers in the new model (the last keeps the original name). */
  replacedBy: string[];
  before: Cost;
  after: Cost;
  formula: string;
  error: Approximation['error'];
}

/** The method registered under `name`, or a ParampredError listing the known ones. */
export function compressMethod(name: string, fn = 'compressMethod'): CompressMethod<object> {
  if (!Object.hasOwn(compressMethods, name)) throw unknownName(fn, 'compression method', name, compressMethodNames);
  return compressMethods[name as CompressMethodName] as unknown as CompressMethod<object>;
}

/**
 * Checks that `spec` can apply to `model` without approximating anything: the layer exists, the method is
 * registered and applies to the layer's class, the options parse. Returns the layer, method and options.
 * (What depends on the weights, e.g. a rank above the layer's, is checked when approximating.)
 */
export function checkCompressSpec(model: tf.LayersModel, spec: CompressSpec, fn = 'checkCompressSpec') {
  check(model instanceof tf.LayersModel, fn, 'a tf.LayersModel', typeof model);
  const names = model.layers.map((l) => l.name);
  if (!names.includes(spec.layer)) throw unknownName(fn, 'layer', spec.layer, names);
  const method = compressMethod(spec.method, fn);
  const layer = model.getLayer(spec.layer);
  const cls = layer.getClassName();
  if (!method.appliesTo.includes(cls)) {
    const fits = model.layers.filter((l) => method.appliesTo.includes(l.getClassName())).map((l) => l.name);
    throw new ParampredError(fn, `expected a layer of class ${method.appliesTo.join(' or ')} for method '${method.name}', got '${spec.layer}' of class ${cls} (layers it applies to: ${fits.length ? fits.join(', ') : 'none'})`);
  }
  const parsed = method.options.safeParse(spec.options ?? {});
  if (!parsed.success) {
    throw new ParampredError(fn, `expected valid options for method '${method.name}': ${parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ')}`);
  }
  return { layer, cls, method, options: parsed.data as object };
}

/** Approximates layer `spec.layer` of `model` by `spec.method`: the chain (built, weighted) and its report. */
export function approximateLayer(model: tf.LayersModel, spec: CompressSpec, fn = 'approximateLayer'): { approximation: Approximation; report: LayerCompression } {
  const { layer, cls, method, options } = checkCompressSpec(model, spec, fn);
  const input = layer.input;
  if (Array.isArray(input)) throw new ParampredError(fn, `expected layer '${spec.layer}' to take one input, got ${input.length}`);
  const inputShape = input.shape.slice(1) as number[];
  const approximation = method.approximate({ ...spec.input, layer, inputShape }, options, fn);
  const replacedBy = approximation.layers.map((l, i) => (i === approximation.layers.length - 1 ? spec.layer : l.name));
  const { before, after, formula, error } = approximation;
  return { approximation, report: { layer: spec.layer, className: cls, method: method.name, options, replacedBy, before, after, formula, error } };
}

/** A new model with each spec's layer replaced by its approximation, and one report per spec. */
export function compressModel(model: tf.LayersModel, specs: readonly CompressSpec[], fn = 'compressModel'): { model: tf.LayersModel; layers: LayerCompression[] } {
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.layer)) throw new ParampredError(fn, `expected each layer at most once, got '${s.layer}' twice`);
    seen.add(s.layer);
  }
  const done = specs.map((s) => approximateLayer(model, s, fn));
  try {
    const out = rewriteLayers(model, new Map(done.map((d) => [d.report.layer, d.approximation.layers])), fn);
    return { model: out, layers: done.map((d) => d.report) };
  } finally {
    for (const d of done) for (const l of d.approximation.layers) tf.dispose(l.weights.map((w) => w.read()));
  }
}

export type { Approximation, ApproximationInput, CompressMethod } from './types.js';
export { defineCompressMethod } from './types.js';
export { layerCost, chainCost, type Cost } from './cost.js';
export { mergeModel } from './merge_model.js';
export { rewriteLayers } from './rewrite.js';
export { GroupedConv2D, type GroupedConv2DArgs } from './grouped_conv2d.js';
