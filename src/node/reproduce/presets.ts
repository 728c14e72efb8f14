/**
 * Presets of `parampred reproduce mnist` (docs/method.md §2): which points (method × fraction α/n_v ×
 * columns × SE length scale) are trained, with how many seeds, epochs and training examples.
 * - full: the paper-scale sweep sized to ≤ 3 h on 2 cores (see its description for what it leaves out),
 *   3 seeds, the recipe of mnist-mlp-se-emp (calibrated V, tied-AE pretraining) for every net but lowrank.
 * - quick: a smoke look (≈ 20 min): 4 fractions for se-emp, 2 for the other methods, columns 1/5/10 at
 *   2 fractions, 15k training examples, 3 epochs, 2 seeds, no pretraining. Never a claim.
 */
import { paperMlpMethods, type PaperMlpMethod } from '../../core/models/mlp.js';
import { unknownName } from '../../core/errors.js';

/** The paper's fractions α/n_v: linspace(20/784, 1, 10) (docs/method.md §2). */
export const paperFractions: readonly number[] = Array.from({ length: 10 }, (_, k) => 20 / 784 + (k * (1 - 20 / 784)) / 9);

/** The headline fraction (5 % dynamic; the claims' `frac05`). Not in the paper's grid, so added to it. */
export const headlineFraction = 0.05;

/** One block of the grid: every method × every fraction at every column count. */
export interface GridBlock {
  methods: readonly PaperMlpMethod[];
  fractions: readonly number[];
  columns: readonly number[];
  /**
   * The SE length scale ℓ of layer 1 (se-based methods), one point per value (ids get `-l<ℓ>`); absent =
   * the dictionary's default, 'auto' (0.8 × mean nearest-neighbour distance of α: the width shrinks as α
   * grows). The reviewers' "kernel width vs α" control.
   */
  lengthScales?: readonly (number | 'auto')[];
}

export interface ReproducePreset {
  name: string;
  /** One paragraph: what it runs and what it leaves out (printed and written to the README). */
  description: string;
  seeds: number;
  epochs: number;
  /** Training examples (the first N of MNIST's 60k, before the validation rows); null = all 50k. */
  trainLimit: number | null;
  /** Validation rows (the last N of the 60k): early stopping keeps the best-valid epoch. */
  validation: number;
  /** Test examples; null = all 10k. */
  testLimit: number | null;
  /** Training examples used to build data dictionaries (emp, emp2, pca), to calibrate V and to pretrain. */
  dictionarySample: number;
  /** Tied-AE pretraining epochs per hidden layer for every net but lowrank (the paper); null = none. */
  pretrainingEpochs: number | null;
  /** Output-scale calibration of the predicted layers' V (model.calibrate of mnist-mlp-se-emp, docs/method.md §2). */
  calibrate: 'none' | 'glorot' | 'he';
  /** Hidden widths; null = the paper's [500, 500] (tests use tiny nets). */
  hidden: number[] | null;
  /** The predicted points. */
  grid: readonly GridBlock[];
  /** Fractions at which the parameter-matched downsized dense net is trained (matched to se-emp, 10 columns). */
  downsizedFractions: readonly number[];
  /** Columns of the predicted net the downsized one is matched to. */
  downsizedColumns: number;
  /** Whether its claims go into results/claims.json (a smoke look's never do: they stay in its own folder). */
  makesClaims: boolean;
}

/** se-emp before se: se is the same net (see points.ts), so the se points become aliases of se-emp's. */
const everyMethod: PaperMlpMethod[] = ['se-emp', ...paperMlpMethods.filter((m) => m !== 'se-emp')];
const otherMethods = everyMethod.filter((m) => m !== 'se-emp' && m !== 'se');
/** α/n_v of the full preset: dense below 0.25, where the curves move (the quick look), up to all of n_v. */
const fullSeEmpFractions = [0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1];
const fullMethodFractions = [0.025, 0.05, 0.1, 0.25, 0.5];
const quickFractions = [20 / 784, headlineFraction, paperFractions[1], paperFractions[2]];

/** The presets by name. */
export const presets: Record<'quick' | 'full', ReproducePreset> = {
  full: {
    name: 'full',
    description: 'Paper scale (a ≤ 3 h budget on 2 cores): the full baseline; se-emp (= se) with 10 columns at α/n_v 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1; se-emp2, rand, randcon, pca and lowrank (rank matched so that it learns as many weights as the predicted layers\' V) with 10 columns at 0.025, 0.05, 0.1, 0.25, 0.5; se-emp with 1 and 5 columns at 0.05, 0.1, 0.25; the SE length scale ℓ ∈ {1, 2, 3} px against \'auto\' at 0.05 and 0.25; the downsized dense net matched at every se-emp fraction < 1. 50k/10k train/validation, 20 epochs Adam + cosine, 3 seeds; the recipe of mnist-mlp-se-emp for every predicted net: V calibrated to a Glorot layer\'s output scale and 10 epochs of tied-AE pretraining per hidden layer on 5,000 images (lowrank: calibrated, not pretrained). Left out for time: the paper\'s other fractions above 0.5, 1/5 columns above 0.25, other methods at 0.075/0.15/1.',
    seeds: 3,
    epochs: 20,
    trainLimit: null,
    validation: 10000,
    testLimit: null,
    dictionarySample: 5000,
    pretrainingEpochs: 10,
    calibrate: 'glorot',
    hidden: null,
    grid: [
      { methods: ['se-emp', 'se'], fractions: fullSeEmpFractions, columns: [10] },
      { methods: otherMethods, fractions: fullMethodFractions, columns: [10] },
      { methods: ['se-emp'], fractions: [0.05, 0.1, 0.25], columns: [1, 5] },
      { methods: ['se-emp'], fractions: [0.05, 0.25], columns: [10], lengthScales: [1, 2, 3] },
    ],
    downsizedFractions: fullSeEmpFractions.filter((f) => f < 1),
    downsizedColumns: 10,
    makesClaims: true,
  },
  quick: {
    name: 'quick',
    description: 'A smoke look, not a claim (≈ 20 min on 2 cores): se-emp with 10 columns at α/n_v = 20/784, 0.05, 0.134, 0.242; se-emp2, rand, randcon, pca, lowrank (10 columns) at 0.05 and 0.134; se-emp with 1 and 5 columns at 0.05 and 0.134; the downsized dense net matched at 0.05 and 0.134; the full baseline. Only 15,000 training images (5000 validation), 3 epochs, 2 seeds, no pretraining: errors are well above the paper\'s; compare the arms with each other, not with the paper\'s absolute numbers.',
    seeds: 2, // the fewest that give an sd
    epochs: 3,
    trainLimit: 15000, // 150 steps per epoch
    validation: 5000,
    testLimit: null,
    dictionarySample: 2000,
    pretrainingEpochs: null,
    calibrate: 'glorot',
    hidden: null,
    grid: [
      { methods: ['se-emp', 'se'], fractions: quickFractions, columns: [10] },
      { methods: otherMethods, fractions: [quickFractions[1], quickFractions[2]], columns: [10] },
      { methods: ['se-emp'], fractions: [quickFractions[1], quickFractions[2]], columns: [1, 5] },
    ],
    downsizedFractions: [quickFractions[1], quickFractions[2]],
    downsizedColumns: 10,
    makesClaims: false,
  },
};

export const presetNames = ['quick', 'full'] as const;

/** The preset named `name`, or a ParampredError listing the names. */
export function getPreset(name: string, fn = 'getPreset'): ReproducePreset {
  if (!Object.hasOwn(presets, name)) throw unknownName(fn, 'preset', name, presetNames);
  return presets[name as keyof typeof presets];
}
