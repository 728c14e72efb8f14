/**
 * Coordinates of a layer's input units, for topology-based dictionaries (se, dct) and samplers
 * (docs/method.md §1: SE over pixel row/col; kernel zero across channels).
 */
import { check } from './errors.js';
import type { Coords } from './dictionaries/types.js';

/** Flatten orders of an image tensor; 'hwc' is TF.js's NHWC: unit index = (row·width + col)·channels + channel. */
export type GridLayout = 'hwc';

/**
 * Coordinates of a height × width × channels grid flattened in `layout` order: points[i] = [row, col]
 * in pixels, groups[i] = channel index (units of different channels are uncorrelated).
 */
export function gridCoords(height: number, width: number, channels = 1, layout: GridLayout = 'hwc'): Coords {
  const fn = 'gridCoords';
  for (const [name, v] of [['height', height], ['width', width], ['channels', channels]] as const) {
    check(Number.isInteger(v) && v > 0, fn, `${name} a positive integer`, v);
  }
  check(layout === 'hwc', fn, "layout 'hwc'", layout);
  const n = height * width * channels;
  const points: number[][] = new Array(n);
  const groups = new Int32Array(n);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      for (let ch = 0; ch < channels; ch++) {
        const i = (r * width + c) * channels + ch;
        points[i] = [r, c];
        groups[i] = ch;
      }
    }
  }
  return { points, groups };
}

/** No topology: for layers whose inputs have no coordinates (data-driven and random dictionaries only). */
export function noCoords(): Coords | undefined {
  return undefined;
}

/** The number of input units `coords` describes. */
export function coordsSize(coords: Coords): number {
  return coords.points.length;
}
