/**
 * madelon-mlp: a dense 500-500-500-2 MLP on MADELON (NIPS 2003 feature selection: 20 relevant features,
 * 480 noise probes, no topology): the baseline of the no-topology reproduction (reproduce madelon), whose
 * points override model.layers (emp, emp2, pca, rand in both hidden layers) and model.hidden (the
 * downsized net). The paper did not run MADELON; the net is MNIST's widths on 500 inputs.
 */
import { defineExperiment } from '../../core/experiments/index.js';

export default defineExperiment({
  name: 'madelon-mlp',
  why: 'The error of a fully learned MLP on 500 features without topology, most of them noise: the reference the emp/emp2/pca/rand nets are compared to.',
  dataset: {
    name: 'madelon', // train = madelon_train (2,000 rows), test = the official validation split (600 rows)
    validation: 400, // the last 400 training rows pick the epoch to keep: 1,600 left to train on
  },
  model: {
    kind: 'mlp', // as the paper's MNIST experiments
    hidden: [500, 500], // the paper's MNIST widths; 500 inputs, so both hidden layers hold 250,000 weights
    activation: 'relu', // as mnist-mlp-full
    layers: [null, null], // all dense
  },
  optimizer: {
    name: 'adam', // as mnist-mlp-full
    lr: 1e-3, // as mnist-mlp-full
    schedule: 'cosine', // as mnist-mlp-full
  },
  dictionarySample: 1600, // every training row: the set is small
  pretraining: { epochs: 10 }, // tied-AE pretraining per hidden layer, as every net of the MNIST comparison
  batchSize: 100, // as mnist-mlp-full
  epochs: 30, // only 16 steps per epoch: 480 steps; the full net overfits long before (early stopping keeps the best epoch)
  earlyStopping: { patience: 30, metric: 'valid-error' }, // never stops: keeps the best-valid epoch, as mnist-mlp-full
});
