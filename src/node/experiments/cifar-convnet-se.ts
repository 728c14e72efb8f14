/**
 * cifar-convnet-se: the paper's predicted CIFAR-10 convnet (Denil et al. 2013 §4.2): cifar-convnet-full
 * with every conv a PredictedConv2D (one column, SE over the filter's (row, col) positions tied across
 * input channels) and the dense 500 a PredictedDense (5 columns, SE over the 4×4 grid of the last conv
 * output, channel-independent). The fraction predicted is 1 − fraction in every layer; a reproduction
 * grid moves all four with cifarSeOverrides(f) (the paper: 0.25, 0.5, 0.75, 0.9 of the weights learned).
 */
import { defineExperiment } from '../../core/experiments/index.js';
import { cifarDataset } from './cifar-convnet-full.js';

/** The `--set` overrides that put every predicted layer of cifar-convnet-se at fraction f = n_α / n_v. */
export function cifarSeOverrides(f: number): string[] {
  return [0, 1, 2].map((i) => `model.spec.convs.${i}.fraction=${f}`).concat(`model.spec.dense.fraction=${f}`);
}

export default defineExperiment({
  name: 'cifar-convnet-se',
  why: 'How much accuracy does the CIFAR-10 convnet lose when half of each layer\'s weights are predicted by SE kernels instead of learned?',
  dataset: cifarDataset, // as the baseline (cifar-convnet-full: the JPEG-75 copy, 45k/5k, per-channel standardisation, crop + flip)
  model: {
    kind: 'convnet', // the paper's convnet
    spec: {
      convLayers: [[48, 8], [64, 8], [64, 5]], // as the baseline
      convs: [
        // n_α = 32 of the 64 filter positions; SE λ = 0.1, ℓ = 'auto' (0.8 × mean NN distance of α ≈ 0.9 px)
        { fraction: 0.5, columns: 1, dictionary: { method: 'se' } }, // the paper: one column per conv layer
        { fraction: 0.5, columns: 1, dictionary: { method: 'se' } }, // as conv 1
        { fraction: 0.5, columns: 1, dictionary: { method: 'se' } }, // n_α = 13 of the 25 positions of a 5×5 filter
      ],
      pools: [2, 2, 2], // as the baseline
      padding: 'same', // as the baseline
      denseUnits: 500, // as the baseline
      // n_α = 512 of the 1024 inputs per column, SE over the (row, col) of the 4×4×64 grid, zero across channels
      dense: { fraction: 0.5, columns: 5, dictionary: { method: 'se' } }, // the paper: 5 columns in the dense layer
    },
  },
  // the runner rescales V layer by layer so each predicted layer's output std on these training images
  // matches a Glorot-initialised dense layer's (calibrateScale, the 'glorot' reference; docs/method.md §2)
  dictionarySample: 500, // "a few hundred training images" (docs/method.md §2); more only costs memory
  optimizer: {
    name: 'adam', // as the baseline
    lr: 1e-3, // as the baseline
    schedule: 'cosine', // as the baseline
  },
  batchSize: 100, // as the baseline
  epochs: 20, // as the baseline
  earlyStopping: { patience: 20, metric: 'valid-error' }, // as the baseline
});
