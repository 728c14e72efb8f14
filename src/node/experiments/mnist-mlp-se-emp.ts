/** mnist-mlp-se-emp: the paper's headline MLP: 5 % of layers 1–2 dynamic, 10 columns, SE then emp (§5). */
import { defineExperiment } from '../../core/experiments/index.js';

export default defineExperiment({
  name: 'mnist-mlp-se-emp',
  why: 'Does predicting 95 % of the first two layers (SE over pixels, then emp over layer-1 features) cost accuracy?',
  dataset: {
    name: 'mnist', // as the baseline
    validation: 10000, // as the baseline: same training set size
  },
  model: {
    kind: 'mlp', // a multilayer perceptron, as in the paper's MNIST experiments
    hidden: [500, 500], // the paper's architecture
    activation: 'relu', // as the baseline (docs/method.md §2)
    layers: [
      {
        fraction: 0.05, // 5 % of the 784 pixels per column: n_α = 39
        columns: 10, // the paper: 10 columns; with 1 column at 5 % the net cannot fit (docs/method.md §2)
        dictionary: {
          method: 'se', // smooth pixel topology in layer 1; λ = 0.1 (the original code's ridge smoothing) and
          // ℓ = 'auto' (0.8 × mean nearest-neighbour distance of α ≈ 1.8 px here), the defaults, so this net is
          // the full sweep's se-emp point at 0.05 exactly; its ℓ control compares 1, 2 and 3 px
        },
      },
      {
        fraction: 0.05, // 5 % of the 500 layer-1 units: n_α = 25
        columns: 10, // as layer 1
        dictionary: {
          method: 'emp', // no topology among hidden units: empirical covariance of their (pretrained) activations,
          // λ = 0.001 × mean diag of the covariance (the default, docs/method.md §2)
        },
      },
    ],
    // V rescaled per column so the pre-activations on the dictionary sample have the output scale of the
    // Glorot dense layer it replaces: uncalibrated, they start 3-5× larger (docs/method.md §2). Measured
    // (seeds 1-3, 20 epochs): without calibration or pretraining 1.96 % (seed 1); calibrated alone 1.82 %;
    // calibrated + pretrained 1.53 / 1.74 / 1.69 % (He reference: 1.63 / 1.71 / 1.71 %)
    calibrate: 'glorot', // the scale of the dense layer it replaces (mnist-mlp-full's Glorot init)
  },
  dictionarySample: 5000, // training images for layer 2's covariance (500 × 500), calibration and pretraining
  // (seed 1: 10,000 gave 1.56 % against 1.53 %; 50,000 with the He reference 1.60 % against 1.63 %, for 10× the
  // pretraining time: no clear gain)
  pretraining: { epochs: 10 }, // layer-wise tied-AE pretraining (the paper), so layer 2's emp kernel sees trained
  // layer-1 features, not random ones; after calibration it took the 5 % net from 1.82 to 1.53 % (seed 1)
  optimizer: {
    name: 'adam', // SGD 0.1 / momentum 0.9 diverges in epoch 1 on this net (docs/method.md §2)
    lr: 1e-3, // measured stable here (docs/method.md §2)
    schedule: 'cosine', // as the baseline
  },
  batchSize: 100, // the paper's batch size
  epochs: 20, // as the baseline
  earlyStopping: { patience: 20, metric: 'valid-error' }, // as the baseline: keep the best-valid epoch
});
