/**
 * RICA features, plain or predicted (Denil et al. 2013 §4.3; docs/method.md §2). Plain: W (d × k) is
 * learned, d = p·p·c in (row, col, channel) order. Predicted: each feature's filter over the patch is
 * W[(r, c), ch, k] = Σ_a U[(r, c), a]·V[a, ch, k], with U (p² × n_α) a fixed dictionary over the patch's
 * pixel positions (SE by default) tied across colour channels, as PredictedConv2D ties it across input
 * channels, and only V (n_α × c × k) learned: n_α·c·k dynamic parameters instead of p²·c·k, so RICA-50 %
 * with 2k features learns as many as plain RICA with k. Fraction 1 is plain RICA itself.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';
import { rng } from '../rng.js';
import { gridCoords } from '../geometry.js';
import { buildColumnDictionaries, resolveNAlpha, type DictionarySpecLike } from '../layers/columns.js';

export interface RicaModel {
  patch: number;
  channels: number;
  features: number;
  /** n_α / p² (1 = plain). */
  fraction: number;
  /** n_α (p² when plain). */
  nAlpha: number;
  /** The learned variable: W (d × k) when plain, V (n_α × c·k) when predicted. */
  variable: tf.Variable;
  /** U (p² × n_α), fixed; null when plain. */
  u: tf.Tensor2D | null;
  /** α, the sampled positions (row-major index r·p + c); null when plain. */
  alpha: Int32Array | null;
}

export interface RicaModelOptions {
  patch: number;
  channels?: number;
  features: number;
  /** Fraction of each filter's positions learned (default 1 = plain RICA). */
  fraction?: number;
  dictionary?: DictionarySpecLike;
  seed?: number;
}

/** A RICA model with random features (unit-norm columns after composition, seeded). */
export function createRica(o: RicaModelOptions): RicaModel {
  const fn = 'createRica';
  const channels = o.channels ?? 3, fraction = o.fraction ?? 1, seed = o.seed ?? 0;
  const { patch: p, features: k } = o;
  check(Number.isInteger(p) && p >= 1 && Number.isInteger(k) && k >= 1 && Number.isInteger(channels) && channels >= 1, fn, 'positive integers patch, features and channels', { patch: p, features: k, channels });
  check(fraction > 0 && fraction <= 1, fn, 'fraction in (0, 1]', fraction);
  const r = rng(seed).fork('rica');
  if (fraction === 1) {
    const variable = tf.variable(tf.tensor2d(r.fork('W').normals(p * p * channels * k), [p * p * channels, k]), true);
    return { patch: p, channels, features: k, fraction, nAlpha: p * p, variable, u: null, alpha: null };
  }
  const P = p * p;
  const nAlpha = resolveNAlpha(P, undefined, fraction, fn);
  const d = buildColumnDictionaries({ nIn: P, nAlpha, columns: 1, seed, dictionary: o.dictionary ?? { method: 'se' }, coords: gridCoords(p, p, 1) }, fn);
  const u = tf.tensor2d(d.u, [P, nAlpha]);
  const variable = tf.variable(tf.tensor2d(r.fork('V').normals(nAlpha * channels * k), [nAlpha, channels * k]), true);
  return { patch: p, channels, features: k, fraction, nAlpha, variable, u, alpha: Int32Array.from(d.alpha) };
}

/** W (d × k) of the model: the variable itself (plain) or reshape(U·V) (predicted; a new tensor). */
export function ricaWeights(m: RicaModel): tf.Tensor2D {
  if (!m.u) return m.variable as tf.Tensor2D;
  const { patch: p, channels: c, features: k } = m;
  return tf.tidy(() => tf.reshape(tf.matMul(m.u!, m.variable as tf.Tensor2D), [p * p * c, k]));
}

/** Dynamic (learned) parameters: p²·c·k plain, n_α·c·k predicted. */
export function ricaDynamicParameters(m: RicaModel): number {
  return m.variable.size;
}

/** Frees the model's tensors. */
export function disposeRica(m: RicaModel): void {
  m.variable.dispose();
  m.u?.dispose();
}
