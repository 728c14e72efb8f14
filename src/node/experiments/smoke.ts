/** smoke: seconds-long end-to-end run on synthetic data, for tests and `parampred run smoke`. */
import { defineExperiment } from '../../core/experiments/index.js';

export default defineExperiment({
  name: 'smoke',
  why: 'Does the whole pipeline (data, model, training, checkpoints, plots, pictures) run end to end in seconds?',
  dataset: {
    name: 'synthetic', // 8×8 seeded blobs, 4 classes: no files needed
    limit: { train: 400, test: 200 }, // small enough for a test, large enough that accuracy means something
    validation: 100, // exercises the validation path and early stopping
  },
  model: {
    kind: 'mlp', // a multilayer perceptron, as in the paper's MNIST experiments
    hidden: [32, 32], // two hidden layers, like the paper's MLP, at 1/15 of its width
    activation: 'relu', // as in the MNIST experiments
    layers: [
      {
        fraction: 0.25, // 16 of the 64 pixels per column: a predicted layer that can still fit in 3 epochs
        columns: 4, // several columns, each with its own α, as in the paper
        dictionary: { method: 'se', lengthScale: 1.5 }, // SE over pixel coordinates; ℓ ≈ the α spacing (2 px)
      },
      {
        fraction: 0.25, // 8 of layer 1's 32 units
        columns: 4, // as layer 1
        dictionary: { method: 'emp' }, // data-driven: exercises the layer-by-layer dictionary path
      },
    ],
  },
  optimizer: { lr: 3e-3 }, // a touch above Adam's 1e-3: few steps, easy data
  batchSize: 20, // 20 steps per epoch on 400 examples
  epochs: 3, // enough to see the loss fall and to checkpoint/resume mid-run
  dictionarySample: 200, // half the training set is plenty for a 32 × 32 covariance
});
