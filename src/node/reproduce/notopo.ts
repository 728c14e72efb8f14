/**
 * The no-topology reproductions (`parampred reproduce letter`, `parampred reproduce madelon`): data
 * whose inputs have no grid, so only data-driven dictionaries apply (the paper: "when no topology is
 * available use the empirical covariance, or the empirical squared covariance"). Per dataset: the dense
 * MLP (letter-mlp / madelon-mlp), emp, emp2, pca and rand in both hidden layers at α/n_v ∈ {0.1, 0.25}
 * with 10 columns, and the downsized dense MLP learning as many parameters at each fraction.
 * Two reproductions, not one: the runner loads one dataset per reproduction, and each gets its own
 * results/<dataset>-<preset>/ folder and claim prefix, as MNIST's.
 */
import { fractionTag, matchedWidth, paperFraction, predictedLearned } from './points.js';
import { declaredClaims, type ClaimSpec } from './claims.js';
import { reproduceFigures } from './figures.js';
import { versusDownsizedMarkdown } from './summary.js';
import { point, type DataShape, type PresetBase, type ReproPoint, type Reproduction } from './reproduction.js';
import { getExperiment } from '../experiments/index.js';

/** A no-topology preset: the grid and the overrides every point shares. */
export interface NotopoPreset extends PresetBase {
  epochs: number | null;
  methods: readonly string[];
  /** α/n_v of both hidden layers. */
  fractions: readonly number[];
  columns: number;
  /** Tied-AE pretraining epochs per hidden layer for every net; null = none. */
  pretrainingEpochs: number | null;
  /** model.calibrate of the predicted nets. */
  calibrate: 'none' | 'glorot' | 'he';
  /** Training rows (the first N); null = all. */
  trainLimit: number | null;
}

const methods = ['emp', 'emp2', 'pca', 'rand'] as const;
const headline = 0.25;

function presetsFor(dataset: string, epochs: number): Record<'quick' | 'full', NotopoPreset> {
  return {
    full: {
      name: 'full',
      description: `The dense MLP (the registered ${dataset}-mlp), emp, emp2, pca and rand in both hidden layers at α/n_v 0.1 and 0.25 with 10 columns, and the downsized dense MLP with as many learned parameters at each fraction; ${epochs} epochs Adam + cosine, 10 epochs of tied-AE pretraining per hidden layer for every net, V calibrated to a Glorot layer's output scale; 3 seeds. Left out for time (2 cores shared by ~8 jobs: 1.5–2.5 min per predicted run): α/n_v 0.5.`,
      seeds: 3,
      makesClaims: true,
      epochs: null,
      methods,
      fractions: [0.1, 0.25],
      columns: 10,
      pretrainingEpochs: 10,
      // as MNIST's recipe. Measured on emp at α/n_v 0.25, seed 1, against calibrate 'none': letter 11.72 vs
      // 12.80 %, madelon 36.83 vs 35.00 % (madelon's seed-to-seed sd is ~4 pp): no clear effect either way
      calibrate: 'glorot',
      trainLimit: null,
    },
    quick: {
      name: 'quick',
      description: 'A smoke look, not a claim: the dense MLP, emp and rand at α/n_v 0.25 and the downsized net matched there; 3 epochs, no pretraining, 2 seeds.',
      seeds: 2,
      makesClaims: false,
      epochs: 3,
      methods: ['emp', 'rand'],
      fractions: [headline],
      columns: 10,
      pretrainingEpochs: null,
      calibrate: 'glorot',
      trainLimit: null,
    },
  };
}

function notopo(dataset: 'letter' | 'madelon', label: string, shape: DataShape): Reproduction<NotopoPreset> {
  const experiment = `${dataset}-mlp`;
  const base = getExperiment(experiment, 'reproduce');
  const baseHidden = base.model.kind === 'mlp' ? base.model.hidden : [];
  const hiddenText = (h: readonly number[], s: DataShape) => `${s.inputSize}-${h.join('-')}-${s.classes}`;
  const f25 = fractionTag(headline);
  const claimSpecs = (s: DataShape): ClaimSpec[] => [
    { id: `${dataset}.full.test_error`, kind: 'error', point: 'full', description: `Test error of the dense ${hiddenText(baseHidden, s)} MLP on ${label} (no input topology), mean ± sd over seeds` },
    ...methods.map((m): ClaimSpec => ({ id: `${dataset}.${m}.frac25.test_error`, kind: 'error', point: `${m}-${f25}-c10`, description: `Test error of the ${m} MLP on ${label} (${m} dictionary in both hidden layers, 10 columns, α/n_v = 0.25: 75 % of both hidden layers' weights predicted)` })),
    { id: `${dataset}.downsized.frac25.test_error`, kind: 'error', point: `downsized-${f25}`, description: `Test error of the dense MLP on ${label} downsized to learn as many parameters as the predicted nets at α/n_v = 0.25` },
    { id: `${dataset}.emp.frac25.vs_downsized_pp`, kind: 'paired', a: `downsized-${f25}`, b: `emp-${f25}-c10`, description: `The downsized dense MLP's test error minus the emp MLP's at α/n_v = 0.25 on ${label}, paired by seed (positive: predicting with emp beats downsizing)` },
    { id: `${dataset}.emp.frac25.cost_pp`, kind: 'paired', a: `emp-${f25}-c10`, b: 'full', description: `What predicting costs on ${label}: the emp MLP's test error at α/n_v = 0.25 minus the dense MLP's, paired by seed` },
  ];
  return {
    name: dataset,
    summary: `${label} (no input topology): emp/emp2/pca/rand MLPs vs the dense and the downsized MLP`,
    presets: presetsFor(dataset, base.epochs),
    shape,
    points: (preset, s, name) => {
      const common = [
        ...(name === undefined ? [] : [`dataset.name=${JSON.stringify(name)}`]),
        ...(preset.epochs === null ? [] : [`epochs=${preset.epochs}`]),
        ...(preset.trainLimit === null ? [] : [`dataset.limit=${JSON.stringify({ train: preset.trainLimit, test: null })}`]),
        `pretraining=${JSON.stringify(preset.pretrainingEpochs === null ? null : { epochs: preset.pretrainingEpochs })}`,
      ];
      const pts: ReproPoint[] = [point({ id: 'full', method: 'full', nominalFraction: null, columns: null }, experiment, common)];
      for (const m of preset.methods) {
        for (const f of preset.fractions) {
          const layers = baseHidden.map(() => ({ fraction: f, columns: preset.columns, dictionary: { method: m } }));
          pts.push(point({ id: `${m}-${fractionTag(f)}-c${preset.columns}`, method: m, nominalFraction: f, columns: preset.columns }, experiment, [...common, `model.layers=${JSON.stringify(layers)}`, `model.calibrate=${JSON.stringify(preset.calibrate)}`]));
        }
      }
      for (const f of preset.fractions) {
        const h = matchedWidth(s, baseHidden.length, predictedLearned(s, baseHidden, f));
        pts.push(point({ id: `downsized-${fractionTag(f)}`, method: 'downsized', nominalFraction: f, columns: preset.columns }, experiment, [...common, `model.hidden=${JSON.stringify(baseHidden.map(() => h))}`]));
      }
      return pts;
    },
    // the claims' points first (baseline, α/n_v 0.25, its downsized net), then the rest of the grid: the
    // downsized nets (seconds), emp and rand (the data-driven vs random contrast), then emp2 and pca
    priority: (p) => (p.method === 'full' ? 0 : p.nominalFraction === headline ? (p.method === 'downsized' ? 2 : 1) : p.method === 'downsized' ? 3 : p.method === 'emp' ? 4 : p.method === 'rand' ? 5 : 6),
    matched: (p, { shape: s }) => (p.nominalFraction === null ? null : paperFraction(s, baseHidden, p.nominalFraction)),
    title: ({ dataset: d, preset }) => `${d} MLP reproduction (no input topology), ${preset.name} preset`,
    notes: ({ shape: s }) => [
      `${label}: no input topology, so every predicted net uses a data-driven dictionary (emp: empirical covariance of the layer's inputs; emp2: of their squares; pca: their top principal directions) or rand (fixed Gaussian U), the same method in both hidden layers (layer 2's built on the pretrained layer-1 features).`,
      'Dynamic fraction (paper convention) = Σ n_α·n_h / Σ n_v·n_h over the two hidden layers (softmax and biases excluded), measured on the built model; whole-network fraction = trainable parameters / those of the same net all dense.',
      `downsized: a dense ${s.inputSize}-h-h-${s.classes} net with h chosen so it learns as many parameters (weights, biases, softmax) as the predicted nets (10 columns) at that α/n_v; plotted at their dynamic fraction.`,
      'Test error: the best-validation epoch of each run (early stopping keeps it), on the test split; mean ± sample sd over seeds.',
    ],
    tables: (rows, { preset }) => versusDownsizedMarkdown(rows, preset.methods, preset.columns),
    claims: (rows, { command, preset, dataset: d, shape: s }) => declaredClaims(claimSpecs(s), rows, { command, preset: preset.name, dataset: d }),
    convergence: () => [['full', 'full (all dynamic)'], [`emp-${f25}-c10`, 'emp, 10 columns, α/n_v 0.25'], [`downsized-${f25}`, 'downsized dense, same # learned']],
    figures: (rows, { dataset: d, preset, convergence }) => reproduceFigures(rows, { dataset: d, preset: preset.name, columns: preset.columns, convergence, columnsMethod: null }),
    readme: ({ preset: p, seeds, shape: s }) => ({
      intro: `The paper's no-topology claim (Denil et al. 2013: "when no topology is available use the empirical covariance, or the empirical squared covariance") on ${label}, a set the paper did not run. Made with`,
      fields: `Fields: seeds ${seeds}, epochs ${p.epochs ?? base.epochs}, net ${hiddenText(baseHidden, s)}, pretraining ${p.pretrainingEpochs === null ? 'none' : `${p.pretrainingEpochs} epochs per hidden layer`}, calibrate ${p.calibrate}. Grid: {${p.methods.join(', ')}} × α/n_v {${p.fractions.map((f) => f.toFixed(4)).join(', ')}} × ${p.columns} columns; downsized at the same fractions. All other settings are those of the registered experiment ${experiment}.`,
      files: 'Files: `summary.md` / `summary.json` (mean ± sd per method and fraction, and each method against the downsized net, paired by seed), `error-vs-fraction.svg` (methods with the full baseline and the downsized dense net), `convergence-*.svg` (validation error of the full, emp 0.25 and downsized 0.25 nets); the claims are merged into `../claims.json`.',
      paper: 'The paper (Denil et al. 2013): "When no topology is available use the empirical covariance, or the empirical squared covariance" — data-driven dictionaries should predict weights without a topology. It reports no experiment on such data; these sets test the claim.',
    }),
  };
}

/** UCI Letter Recognition (16 features, 26 classes). */
export const letterReproduction = notopo('letter', 'UCI Letter', { inputSize: 16, classes: 26 });
/** MADELON (500 features, 2 classes). */
export const madelonReproduction = notopo('madelon', 'MADELON', { inputSize: 500, classes: 2 });
