/**
 * mnist-mlp-downsized: the reviewers' control (docs/method.md §2): a dense MLP shrunk until it learns as
 * many parameters as mnist-mlp-se-emp. se-emp learns 39·500 + 25·500 (V) + 2·500 (biases) + 5010
 * (softmax) = 38,010 parameters; 784-45-45-10 learns 784·45 + 45 + 45·45 + 45 + 45·10 + 10 = 37,855.
 * (Matching the paper convention instead — hidden weights only, 32,000 — gives 784-39-39-10.)
 */
import { defineExperiment } from '../../core/experiments/index.js';

export default defineExperiment({
  name: 'mnist-mlp-downsized',
  why: 'Is predicting parameters better than simply learning a smaller dense network with as many parameters?',
  dataset: {
    name: 'mnist', // as the baseline
    validation: 10000, // as the baseline
  },
  model: {
    kind: 'mlp', // a multilayer perceptron, as in the paper's MNIST experiments
    hidden: [45, 45], // 37,855 learned parameters ≈ se-emp's 38,010 (see the file doc)
    activation: 'relu', // as the baseline
    layers: [null, null], // dense: that is the point
  },
  optimizer: {
    name: 'adam', // as the baseline
    lr: 1e-3, // as the baseline
    schedule: 'cosine', // as the baseline
  },
  // layer-wise tied-AE pretraining on 5,000 images, as every net of the comparison (the paper pretrained all):
  // on seeds 1/2 it moved the full net from 1.49/1.55 % to 1.57/1.43 %, within the seed-to-seed spread
  pretraining: { epochs: 10 },
  batchSize: 100, // as the baseline
  epochs: 20, // as the baseline; the small net plateaus no later
  earlyStopping: { patience: 20, metric: 'valid-error' }, // as the baseline
});
