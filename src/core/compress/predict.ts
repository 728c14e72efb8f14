/**
 * predict (Denil et al. 2013 §2–3 used as compression; docs/method.md §1, §3): a trained Dense layer's kernel
 * W (m × k) refitted as W ≈ U·V with a fixed dictionary U (m × J·n_α: se over the input's image grid, emp /
 * emp2 / pca … from a sample of the layer's inputs, any registered dictionary) and V by ridge least squares,
 * V_j = (U_jᵀU_j + λI)⁻¹U_jᵀW_j (convert.ts fromDense, the same fit). Evaluated in the pooling order as two
 * Dense layers: x·U (m → J·n_α, linear, no bias), then ·V + b with the layer's activation (J·n_α → k; V
 * block-diagonal over the J columns, stored dense with its zeros when J > 1). Multiply-adds per example
 * m·k → J·n_α·(m + k) (chainCost of the built chain); parameters m·k + k → J·n_α·(m + k) + k, U included
 * because it is materialised. With J = 1 this is svd's chain at rank t = n_α, so the two compare at equal
 * stored parameters and multiply-adds; se's U could be recomputed from the grid and the seed instead of
 * stored (then n_α·k + k), which this chain does not do.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ParampredError } from '../errors.js';
import { fromDense } from '../convert.js';
import { dense } from '../layers/dense.js';
import { dictionaryMethod, isDictionaryName, resolveDictionaryOptions, type DictionarySpec } from '../dictionaries/index.js';
import { defineCompressMethod } from './types.js';
import { chainCost } from './cost.js';

const int1 = (what: string) => z.number({ message: `expected ${what}` }).int({ message: `expected ${what}` }).min(1, { message: `expected ${what}` });

/** 'emp' → {method: 'emp'}; '{"method": …}' → the parsed object; anything else unchanged (the schema reports it). */
function dictionaryFromString(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (!v.trim().startsWith('{')) return { method: v };
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

const options = z
  .object({
    /** The dictionary method and its options, e.g. {method: 'se'} or {method: 'emp', lambdaRel: 0.01}; a string (the CLI's --opt dictionary=emp) is a method name, or that JSON object. */
    dictionary: z.preprocess(dictionaryFromString, z.object({ method: z.string({ message: 'expected a dictionary method name' }) }).loose()).default({ method: 'se' }),
    /** n_α / m (one of fraction, alpha). */
    fraction: z.number({ message: 'expected a number in (0, 1]' }).gt(0, { message: 'expected a number in (0, 1]' }).lte(1, { message: 'expected a number in (0, 1]' }).optional(),
    /** n_α, the sampled inputs per column (one of fraction, alpha). */
    alpha: int1('an integer ≥ 1').optional(),
    /** J: output blocks, each with its own α and U (as the predicted layers' columns). */
    columns: int1('an integer ≥ 1').default(1),
    /** Seed of α and U (rng(seed).fork(`column${j}`)). */
    seed: z.number({ message: 'expected an integer' }).int({ message: 'expected an integer' }).default(0),
    /** Ridge λ of the V fit, relative to mean diag(U_jᵀU_j). */
    lambda: z.number({ message: 'expected a number ≥ 0' }).nonnegative({ message: 'expected a number ≥ 0' }).default(1e-6),
    /** Image layout of the layer's input (default: the one the caller knows, e.g. the model's image input). */
    geometry: z.object({ height: int1('an integer ≥ 1'), width: int1('an integer ≥ 1'), channels: int1('an integer ≥ 1') }).strict().optional(),
  })
  .strict()
  .refine((o) => (o.fraction === undefined) !== (o.alpha === undefined), { message: 'expected exactly one of fraction, alpha' });

type PredictOptions = z.infer<typeof options>;

export default defineCompressMethod({
  name: 'predict',
  summary: 'Dense W (m × k) → x·U then ·V with a fixed dictionary U (se over the image grid, emp from data, …) and V by least squares: multiply-adds m·k → J·n_α·(m + k)',
  appliesTo: ['Dense'],
  options: options as unknown as z.ZodType<PredictOptions>,
  needsSample: (o: PredictOptions) => isDictionaryName(o.dictionary?.method) && dictionaryMethod(o.dictionary.method).needs.data,
  approximate({ layer, inputShape, sample, geometry: known }, o, fn) {
    const [kernel, bias] = layer.getWeights();
    const [m, k] = kernel.shape;
    const name = `predict for layer '${layer.name}' (kernel ${m} × ${k})`;
    const spec = o.dictionary as DictionarySpec;
    const dict = dictionaryMethod(spec.method, fn);
    resolveDictionaryOptions(spec, fn);
    if (dict.trainable) throw new ParampredError(fn, `expected a fixed dictionary for ${name}, got '${spec.method}' (its U is learned; use svd for a learned low-rank pair)`);
    const J = o.columns;
    if (k % J !== 0) throw new ParampredError(fn, `expected columns to divide the layer's ${k} outputs for ${name}, got ${J}`);
    const a = o.alpha ?? Math.max(1, Math.round(o.fraction! * m));
    if (a > m) throw new ParampredError(fn, `expected alpha between 1 and the layer's input size m = ${m} for ${name}, got ${a}`);
    const geometry = o.geometry ?? known ?? null;
    if (geometry && geometry.height * geometry.width * geometry.channels !== m) throw new ParampredError(fn, `expected a geometry with height·width·channels = m = ${m} for ${name}, got ${JSON.stringify(geometry)}`);
    if (dict.needs.coords && !geometry) throw new ParampredError(fn, `expected the input's image geometry for dictionary '${spec.method}' (${name}): give options.geometry {height, width, channels}, or compress a run whose dataset is images and whose layer takes the image`);
    if (dict.needs.data && !sample) throw new ParampredError(fn, `expected a sample of the layer's inputs for data-driven dictionary '${spec.method}' (${name}): compress a run directory (its training data gives the sample)`);
    if (sample && sample.cols !== m) throw new ParampredError(fn, `expected a sample with m = ${m} columns for ${name}, got ${sample.cols}`);
    const pd = fromDense(layer, { nAlpha: a, columns: J, dictionary: spec, seed: o.seed, inputGeometry: geometry, lambda: o.lambda, data: dict.needs.data ? sample : undefined, name: `${layer.name}_fit` });
    try {
      const { U, V } = pd.weightsByRole;
      const u = U.read().dataSync() as Float32Array; // m × J·a
      const v = V.read().dataSync() as Float32Array; // J × a × k/J
      const kj = k / J;
      const vb = new Float32Array(J * a * k); // block-diagonal, J·a × k
      for (let j = 0; j < J; j++) for (let p = 0; p < a; p++) for (let c = 0; c < kj; c++) vb[(j * a + p) * k + j * kj + c] = v[(j * a + p) * kj + c];
      const w = kernel.dataSync(), wHat = pd.composite();
      const wh = wHat.dataSync();
      wHat.dispose();
      let diff = 0, total = 0;
      for (let i = 0; i < w.length; i++) {
        diff += (w[i] - wh[i]) ** 2;
        total += w[i] ** 2;
      }
      const config = layer.getConfig();
      const first = dense({ units: J * a, activation: 'linear', useBias: false, name: `${layer.name}_predict${a}${J > 1 ? `x${J}` : ''}` });
      const second = dense({ units: k, activation: config.activation as 'linear', useBias: bias !== undefined });
      first.apply(tf.input({ shape: [...inputShape] }));
      second.apply(tf.input({ shape: [...inputShape.slice(0, -1), J * a] }));
      const wu = tf.tensor2d(u, [m, J * a]), wv = tf.tensor2d(vb, [J * a, k]);
      first.setWeights([wu]);
      second.setWeights(bias ? [wv, bias] : [wv]);
      tf.dispose([wu, wv]);
      const positions = inputShape.slice(0, -1).reduce((p, q) => p * q, 1);
      return {
        layers: [first, second],
        before: { parameters: m * k + (bias ? k : 0), multiplyAdds: positions * m * k },
        after: chainCost([first, second], inputShape),
        formula: J === 1 ? 'n_α·(m + k) per input row (U m × n_α, V n_α × k; m·k dense)' : 'J·n_α·(m + k) per input row (U m × J·n_α, V block-diagonal J·n_α × k stored with its zeros; m·k dense)',
        error: { frobenius: Math.sqrt(diff), relative: total > 0 ? Math.sqrt(diff / total) : 0 },
      };
    } finally {
      tf.dispose(pd.weights.map((x) => x.read()));
    }
  },
});
