/**
 * A tiny seeded synthetic dataset for smoke tests and the runner's own tests: `classes` Gaussian blobs
 * in an h×w image (each class a bright square at its own place plus N(0, noise²) pixel noise), so that
 * pictures of first-layer features still look like something.
 */
import { rng } from '../../core/rng.js';
import type { RunDataset, Split } from './data.js';

export interface SyntheticOptions {
  height?: number;
  width?: number;
  classes?: number;
  train?: number;
  test?: number;
  validation?: number;
  noise?: number;
  seed?: number;
}

function split(n: number, h: number, w: number, classes: number, noise: number, stream: ReturnType<typeof rng>): Split {
  const d = h * w;
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  const side = Math.max(1, Math.floor(Math.min(h, w) / 2));
  for (let i = 0; i < n; i++) {
    const c = stream.int(classes);
    y[i] = c;
    const r0 = Math.floor((c * 7) % Math.max(1, h - side + 1));
    const c0 = Math.floor((c * 3) % Math.max(1, w - side + 1));
    for (let p = 0; p < d; p++) {
      const r = Math.floor(p / w);
      const col = p % w;
      const on = r >= r0 && r < r0 + side && col >= c0 && col < c0 + side ? 1 : 0;
      x[i * d + p] = on + noise * stream.normal();
    }
  }
  return { x, y, n };
}

/** The synthetic dataset (train/test/valid drawn from independent seeded streams). */
export function syntheticDataset(o: SyntheticOptions = {}): RunDataset {
  const h = o.height ?? 8;
  const w = o.width ?? 8;
  const classes = o.classes ?? 4;
  const noise = o.noise ?? 0.7;
  const r = rng(o.seed ?? 0).fork('synthetic');
  const validation = o.validation ?? 0;
  return {
    name: 'synthetic',
    label: `synthetic ${h}×${w} blobs, ${classes} classes`,
    inputShape: [h, w, 1],
    classes,
    train: split(o.train ?? 400, h, w, classes, noise, r.fork('train')),
    test: split(o.test ?? 200, h, w, classes, noise, r.fork('test')),
    valid: validation > 0 ? split(validation, h, w, classes, noise, r.fork('valid')) : undefined,
  };
}
