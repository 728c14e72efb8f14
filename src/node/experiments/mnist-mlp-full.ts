/** mnist-mlp-full: the dense 784-500-500-10 baseline of Denil et al. 2013 §5 (every weight learned). */
import { defineExperiment } from '../../core/experiments/index.js';

export default defineExperiment({
  name: 'mnist-mlp-full',
  why: 'The error of the fully learned 784-500-500-10 MLP, the reference every predicted MLP is compared to.',
  dataset: {
    name: 'mnist', // the original LeCun files (shared/data/mnist)
    validation: 10000, // the paper's 50k/10k split; the valid error picks the epoch to keep
  },
  model: {
    kind: 'mlp', // a multilayer perceptron, as in the paper's MNIST experiments
    hidden: [500, 500], // the paper's architecture
    activation: 'relu', // trains stably with Adam at 5 % too (docs/method.md §2), so both arms share it
    layers: [null, null], // all dense
  },
  optimizer: {
    name: 'adam', // stable for the predicted arms too; the same optimizer for a fair comparison
    lr: 1e-3, // measured stable for both full and 5 % MLPs (docs/method.md §2)
    schedule: 'cosine', // decays to 0 over the run: no hand-tuned step points
  },
  // layer-wise tied-AE pretraining on 5,000 images, as every net of the comparison (the paper pretrained all):
  // on seeds 1/2 it moved the full net from 1.49/1.55 % to 1.57/1.43 %, within the seed-to-seed spread
  pretraining: { epochs: 10 },
  batchSize: 100, // the paper's batch size
  epochs: 20, // ~20 epochs reach the plateau with Adam + cosine (docs/method.md §2)
  earlyStopping: { patience: 20, metric: 'valid-error' }, // never stops early in 20 epochs, but keeps the best-valid epoch
});
