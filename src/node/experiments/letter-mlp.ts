/**
 * letter-mlp: a dense 16-250-250-26 MLP on UCI Letter Recognition, data without topology (16 moments and
 * edge counts per letter, no pixel grid): the baseline of the no-topology reproduction (reproduce letter),
 * whose points override model.layers (emp, emp2, pca, rand in both hidden layers) and model.hidden (the
 * downsized net). The paper did not run Letter; the recipe is MNIST's (mnist-mlp-full), the widths half
 * of it: 16 inputs need no 500-unit layer, and 16-500-500-26 took 2.6 min per full run here under load.
 */
import { defineExperiment } from '../../core/experiments/index.js';

export default defineExperiment({
  name: 'letter-mlp',
  why: 'The error of a fully learned MLP on data with no topology, the reference the emp/emp2/pca/rand nets are compared to.',
  dataset: {
    name: 'letter', // first 16,000 rows train, last 4,000 test (the usual split), standardised features
    validation: 3000, // the last 3,000 training rows pick the epoch to keep: 13,000 left to train on
  },
  model: {
    kind: 'mlp', // as the paper's MNIST experiments
    hidden: [250, 250], // 10 columns of 25 units (columns divide the width); layer 2 (250 × 250) holds most of the weights to predict
    activation: 'relu', // as mnist-mlp-full
    layers: [null, null], // all dense
  },
  optimizer: {
    name: 'adam', // as mnist-mlp-full
    lr: 1e-3, // as mnist-mlp-full
    schedule: 'cosine', // as mnist-mlp-full
  },
  dictionarySample: 5000, // as mnist-mlp-se-emp: the rows that build emp/emp2/pca, calibrate V and pretrain
  pretraining: { epochs: 10 }, // tied-AE pretraining per hidden layer, as every net of the MNIST comparison
  batchSize: 100, // as mnist-mlp-full
  epochs: 20, // as mnist-mlp-full: 2,600 steps
  earlyStopping: { patience: 20, metric: 'valid-error' }, // keep the best-valid epoch, as mnist-mlp-full
});
