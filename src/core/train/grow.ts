/**
 * Growing α (a reviewer's question to Denil et al. 2013: "start off with a small fraction of learned
 * parameters, then increase it"): carries a trained sequential model into a model of the same architecture
 * whose predicted layers have other fractions n_α/n_v. Layer by layer, bottom up: a predicted layer of the
 * target gets its dictionary (data-driven ones from the target's own lower layers' outputs on `sample`, as
 * prepareDataDictionaries builds them) and V fit by ridge least squares to the source's W = U·V
 * (fitLayerV), so the target computes nearly the source's function; every other layer's weights are copied.
 */
import * as tf from '@tensorflow/tfjs';
import { ParampredError, check } from '../errors.js';
import { fitLayerV } from '../convert.js';
import { PredictedDense } from '../layers/predicted_dense.js';
import { PredictedConv2D } from '../layers/predicted_conv2d.js';
import { dictionaryFromInput } from '../models/prepare.js';

export interface GrowLayerReport {
  layer: string;
  nAlphaBefore: number;
  nAlphaAfter: number;
  /** ‖W_target − W_source‖_F / ‖W_source‖_F after the fit (0 = the same kernel). */
  relativeError: number;
}

export interface GrowOptions {
  /** Ridge λ of the fit, relative to mean diag(UᵀU) (default 1e-6, as fromDense). */
  lambda?: number;
}

const isPredicted = (l: tf.layers.Layer): l is PredictedDense | PredictedConv2D => l instanceof PredictedDense || l instanceof PredictedConv2D;

/**
 * Sets `target`'s weights from `source` (see the file doc). `sample`: a batch of model inputs, needed when a
 * predicted layer of the target has a data-driven dictionary that is not built yet. Returns one report per
 * predicted layer.
 */
export function growInto(source: tf.LayersModel, target: tf.LayersModel, sample: tf.Tensor | null, opts: GrowOptions = {}): GrowLayerReport[] {
  const fn = 'growInto';
  const layers = (m: tf.LayersModel) => m.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const from = layers(source), to = layers(target);
  check(from.length === to.length, fn, `a target with the source's ${from.length} layers`, to.length);
  for (let i = 0; i < from.length; i++) {
    if (from[i].getClassName() !== to[i].getClassName()) throw new ParampredError(fn, `expected the target's layer ${i} to be a ${from[i].getClassName()} like the source's, got ${to[i].getClassName()}`);
  }
  const needsSample = to.some((l) => isPredicted(l) && l.dataDriven && !l.dictionaryReady);
  if (needsSample && !sample) throw new ParampredError(fn, 'expected a sample of model inputs to build the target\'s data-driven dictionaries, got none');
  const reports: GrowLayerReport[] = [];
  let x = needsSample && sample ? sample.clone() : null;
  try {
    for (let i = 0; i < from.length; i++) {
      const s = from[i], t = to[i];
      if (isPredicted(s) && isPredicted(t)) {
        if (t.dataDriven && !t.dictionaryReady && x) dictionaryFromInput(t, x);
        const w = s.composite();
        const bias = s.weightsByRole.bias?.read() ?? null;
        fitLayerV(t, w, bias, opts.lambda);
        const wt = t.composite();
        const relativeError = tf.tidy(() => tf.norm(tf.sub(wt, w)).dataSync()[0] / Math.max(tf.norm(w).dataSync()[0], 1e-30));
        tf.dispose([w, wt]);
        reports.push({ layer: t.name, nAlphaBefore: s.nAlpha, nAlphaAfter: t.nAlpha, relativeError });
      } else {
        const ws = s.getWeights();
        const shapes = t.getWeights().map((v) => v.shape.join('×'));
        check(ws.length === shapes.length && ws.every((v, k) => v.shape.join('×') === shapes[k]), fn, `layer ${i} (${t.name}) with the source's weight shapes [${ws.map((v) => v.shape.join('×')).join(', ')}]`, `[${shapes.join(', ')}]`);
        t.setWeights(ws);
      }
      if (x) {
        const next = tf.tidy(() => t.apply(x as tf.Tensor) as tf.Tensor);
        x.dispose();
        x = next;
      }
    }
  } finally {
    x?.dispose();
  }
  return reports;
}
