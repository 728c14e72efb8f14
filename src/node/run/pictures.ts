/**
 * Pictures in the style of the paper's Fig. 1 for the model's first weight layer (PNG):
 * - features.png: a grid of first-layer features, columns of W (= U·V for a predicted layer) as images;
 * - for a predicted layer also alpha.png (each feature's values at its column's sampled positions α
 *   only; unsampled pixels dark blue), mask.png (α of every column, white = sampled), and fig1.png
 *   (alpha | features side by side: the sampled weights and the features predicted from them).
 */
import type * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunDataset } from './data.js';
import { blank, encodePng, grid, hstack, type Rgb } from './png.js';

/** The first layer's features: W (n_in × units, row-major), and per unit its α when predicted. */
export interface FirstLayerFeatures {
  kind: 'dense' | 'predicted';
  nIn: number;
  units: number;
  w: Float32Array;
  /** Image shape of one feature [h, w, c]. */
  shape: [number, number, number];
  /** Predicted layers: α (J × n_α) and the column of each unit. */
  alpha?: { columns: number; nAlpha: number; values: Int32Array };
}

const leaf = (w: tf.LayerVariable) => w.originalName.split('/').pop() ?? w.name;

/** Extracts the first weight layer's features, or null when it is neither dense, conv nor predicted dense. */
export function firstLayerFeatures(model: tf.LayersModel, inputShape: number[]): FirstLayerFeatures | null {
  const layer = model.layers.find((l) => l.weights.length > 0);
  if (!layer) return null;
  const get = (n: string) => layer.weights.find((w) => leaf(w) === n);
  const u = get('U');
  const v = get('V');
  const a = get('alpha');
  const imageShape = (): [number, number, number] | null =>
    inputShape.length === 3 ? [inputShape[0], inputShape[1], inputShape[2]] : null;
  if (u && v && a && v.shape.length === 3) {
    const shape = imageShape();
    if (!shape) return null;
    const nIn = u.shape[0] as number;
    const [J, na, per] = v.shape as number[];
    const U = u.read().dataSync();
    const V = v.read().dataSync();
    const units = J * per;
    const w = new Float32Array(nIn * units);
    for (let j = 0; j < J; j++) {
      for (let i = 0; i < nIn; i++) {
        for (let k = 0; k < per; k++) {
          let s = 0;
          for (let t = 0; t < na; t++) s += U[i * J * na + j * na + t] * V[(j * na + t) * per + k];
          w[i * units + j * per + k] = s;
        }
      }
    }
    return { kind: 'predicted', nIn, units, w, shape, alpha: { columns: J, nAlpha: na, values: Int32Array.from(a.read().dataSync(), Math.round) } };
  }
  const kernel = layer.weights.find((x) => leaf(x) === 'kernel');
  if (!kernel) return null;
  if (kernel.shape.length === 2) {
    const shape = imageShape();
    if (!shape) return null;
    return { kind: 'dense', nIn: kernel.shape[0] as number, units: kernel.shape[1] as number, w: Float32Array.from(kernel.read().dataSync()), shape };
  }
  if (kernel.shape.length === 4) {
    const [kh, kw, cin, cout] = kernel.shape as number[];
    return { kind: 'dense', nIn: kh * kw * cin, units: cout, w: Float32Array.from(kernel.read().dataSync()), shape: [kh, kw, cin] };
  }
  return null;
}

/** One feature as an image: gray = 0, symmetric scale by max |value|; RGB when c = 3, else channel 0. `show` masks pixels (false = background). */
export function featureTile(f: FirstLayerFeatures, unit: number, show?: (pixel: number) => boolean): Rgb {
  const [h, w, c] = f.shape;
  let m = 1e-12;
  for (let i = 0; i < f.nIn; i++) m = Math.max(m, Math.abs(f.w[i * f.units + unit]));
  const img = blank(w, h, [20, 30, 90]);
  for (let p = 0; p < h * w; p++) {
    if (show && !show(p)) continue;
    for (let ch = 0; ch < 3; ch++) {
      const src = c === 3 ? ch : 0;
      const val = f.w[(p * c + src) * f.units + unit];
      img.data[p * 3 + ch] = Math.max(0, Math.min(255, Math.round(128 + (127 * val) / m)));
    }
  }
  return img;
}

/** The units shown: up to `count`, spread evenly over all units (so every column appears). */
export function shownUnits(units: number, count: number): number[] {
  const n = Math.min(units, count);
  return Array.from({ length: n }, (_, k) => Math.floor((k * units) / n));
}

/** Writes the pictures for the first layer into `<run>/pictures/`; returns the paths written. */
export function writeRunPictures(runDir: string, model: tf.LayersModel, data: Pick<RunDataset, 'inputShape'>, count = 36): string[] {
  const f = firstLayerFeatures(model, data.inputShape);
  if (!f) return [];
  const dir = join(runDir, 'pictures');
  mkdirSync(dir, { recursive: true });
  const cols = 6;
  const scale = Math.max(1, Math.floor(56 / Math.max(f.shape[0], f.shape[1])));
  const units = shownUnits(f.units, count);
  const written: string[] = [];
  const put = (name: string, img: Rgb) => {
    const p = join(dir, name);
    writeFileSync(p, encodePng(img));
    written.push(p);
  };
  const features = grid(units.map((u) => featureTile(f, u)), cols, scale);
  put('features.png', features);
  if (f.alpha) {
    const { columns: J, nAlpha, values } = f.alpha;
    const c = f.shape[2];
    const per = f.units / J;
    const sampled = (j: number) => {
      const s = new Set<number>();
      for (let t = 0; t < nAlpha; t++) s.add(Math.floor(values[j * nAlpha + t] / c));
      return s;
    };
    const sets = Array.from({ length: J }, (_, j) => sampled(j));
    const alphaImg = grid(units.map((u) => featureTile(f, u, (p) => sets[Math.floor(u / per)].has(p))), cols, scale);
    put('alpha.png', alphaImg);
    const masks = sets.map((s) => {
      const img = blank(f.shape[1], f.shape[0], [0, 0, 0]);
      for (const p of s) img.data.set([255, 255, 255], p * 3);
      return img;
    });
    put('mask.png', grid(masks, Math.min(J, 10), scale));
    put('fig1.png', hstack([alphaImg, features], 16));
  }
  return written;
}
