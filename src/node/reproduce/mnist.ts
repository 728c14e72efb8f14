/**
 * The MNIST reproduction (`parampred reproduce mnist`): the paper's MNIST MLP experiments (docs/method.md
 * §2) as a reproduction definition: the presets (presets.ts), the points (points.ts: methods × α/n_v ×
 * columns × ℓ, the baseline, the downsized nets), the claims (summary.ts computeClaims), the
 * predicted-vs-downsized and ℓ tables, and the figures. run.ts trains and summarises it.
 */
import { buildPoints, expectedCounts, fractionTag, paperFraction } from './points.js';
import { headlineFraction, presets, type ReproducePreset } from './presets.js';
import { computeClaims, controlsMarkdown } from './summary.js';
import { reproduceFigures } from './figures.js';
import type { ReproPoint, Reproduction } from './reproduction.js';
import { runReproduction, type ReproduceOptions, type ReproduceResult } from './run.js';

export type { ReproduceOptions, ReproduceResult } from './run.js';

const headline = `se-emp-${fractionTag(headlineFraction)}-c10`;
const at05 = (p: ReproPoint) => p.nominalFraction === headlineFraction;
const hiddenOf = (preset: ReproducePreset) => preset.hidden ?? [500, 500];

/** The MNIST MLP reproduction. */
export const mnistReproduction: Reproduction<ReproducePreset> = {
  name: 'mnist',
  summary: 'the MNIST MLP sweep (methods × fractions × columns, baseline, downsized net; mean ± sd over seeds)',
  presets,
  shape: { inputSize: 784, classes: 10 },
  points: (preset, shape, dataset) => buildPoints(preset, shape, dataset),
  // the claims' points first (baseline, 5 % and 2.5 % predicted, the downsized nets, every method at 5 %),
  // then se-emp's curve below 1, the columns and ℓ controls at 5 %, and the rest of the grid (se-emp at
  // α/n_v = 1 costs ~10 runs of 5 %), so that an interrupted sweep has the headline numbers first
  priority: (p) =>
    p.method === 'full' ? 0
      : p.method === 'se-emp' && p.columns === 10 && p.lengthScale === undefined ? (at05(p) ? 1 : p.nominalFraction === 0.025 ? 2 : p.nominalFraction === 1 ? 7 : 5)
        : p.method === 'downsized' ? 3
          : p.columns === 10 && p.lengthScale === undefined && at05(p) ? 4
            : at05(p) ? 6
              // the other methods' most expensive point last, so that a session cut short still has their curves up to 0.25
              : p.method !== 'se-emp' && p.nominalFraction === 0.5 ? 8 : 7,
  expectedCounts,
  matched: (p, { shape, preset }) => (p.nominalFraction === null ? null : paperFraction(shape, hiddenOf(preset), p.nominalFraction)),
  title: ({ dataset, preset }) => `${dataset} MLP reproduction, ${preset.name} preset`,
  notes: ({ preset }) => [
    'Dynamic fraction (paper convention) = Σ n_α·n_h / Σ n_v·n_h over the two hidden layers (softmax and biases excluded), measured on the built model; whole-network fraction = trainable parameters / those of the same net all dense.',
    "The MLP's `se` is se in layer 1 and emp in layer 2 (layer 2 has no topology; paperMlpLayers), the same net as se-emp: its rows repeat se-emp's runs.",
    'downsized: a dense 784-h-h-10 net with h chosen so it learns as many parameters (weights, biases, softmax) as the se-emp net with 10 columns at that α/n_v; plotted at that net\'s dynamic fraction.',
    'lowrank: U and V both learned (one column), each layer\'s rank r = round(n_α·n_h / (n_v + n_h)) so that it learns as many weights as the predicted layer\'s V; its dynamic fraction counts U.',
    `Predicted nets: V calibrated per column to a ${preset.calibrate === 'none' ? '(none)' : preset.calibrate === 'he' ? 'He' : 'Glorot'} dense layer's output scale on the dictionary sample (model.calibrate), before pretraining.`,
    'Test error: the best-validation epoch of each run (early stopping keeps it), on the test split; mean ± sample sd over seeds.',
  ],
  tables: (rows) => controlsMarkdown(rows),
  claims: (rows, { command, preset, dataset }) => computeClaims(rows, { command, preset: preset.name, dataset }),
  convergence: () => [['full', 'full (all dynamic)'], [headline, 'se-emp, 10 columns, α/n_v 0.05'], [`downsized-${fractionTag(headlineFraction)}`, 'downsized dense, same # learned']],
  figures: (rows, { dataset, preset, convergence }) => reproduceFigures(rows, { dataset, preset: preset.name, columns: 10, convergence }),
  picture: () => ({ point: headline, file: 'fig1-se-emp-5pct-10col.png' }),
  readme: ({ preset: p, seeds, picture }) => ({
    intro: 'Reproduces the MNIST MLP experiments of Denil et al. 2013 (docs/method.md §2 in the parampred repository). Made with',
    fields: `Fields: seeds ${seeds}, epochs ${p.epochs}, training images ${p.trainLimit ?? 'all (50,000)'}, validation ${p.validation}, test ${p.testLimit ?? 'all (10,000)'}, dictionary sample ${p.dictionarySample}, pretraining ${p.pretrainingEpochs === null ? 'none' : `${p.pretrainingEpochs} epochs per hidden layer (not lowrank)`}. Grid: ${p.grid.map((g) => `{${g.methods.join(', ')}} × α/n_v {${g.fractions.map((f) => f.toFixed(4)).join(', ')}} × columns {${g.columns.join(', ')}}`).join('; ')}; downsized at α/n_v {${p.downsizedFractions.map((f) => f.toFixed(4)).join(', ')}}. All other settings are those of the registered experiments mnist-mlp-full / mnist-mlp-se-emp / mnist-mlp-downsized (Adam 1e-3, cosine decay, batch 100, ReLU, best-validation epoch kept).`,
    files: 'Files: `summary.md` / `summary.json` (mean ± sd per method, fraction and columns), `error-vs-fraction.svg` (methods, 10 columns, with the full baseline and the downsized dense net), `columns.svg` (se-emp with 1/5/10 columns)' + (picture ? ', `fig1-se-emp-5pct-10col.png` (Fig. 1 style: each first-layer feature at its sampled pixels α | the whole predicted feature; se-emp, 5 %, 10 columns, seed 1)' : '') + '; the claims are merged into `../claims.json`.',
    paper: 'The paper (Denil et al. 2013, MLP figure): "With 10 columns we are able to predict more than 95% of the dynamic parameters from the first two layers of the network without any substantial drop in accuracy."',
  }),
};

/** Runs the MNIST reproduction (runReproduction with mnistReproduction). */
export function reproduceMnist(o: ReproduceOptions<ReproducePreset>): Promise<ReproduceResult> {
  return runReproduction(mnistReproduction, o);
}

/** The presets, re-exported for the CLI's help text. */
export { presets };
