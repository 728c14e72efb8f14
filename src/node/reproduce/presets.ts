/**
 * Presets of `parampred reproduce mnist` (METHOD.md §2): which points (method × fraction α/n_v × columns)
 * are trained, with how many seeds, epochs and training examples.
 * - full: the paper-scale sweep: fractions linspace(20/784, 1, 10) ∪ {0.05}, 10 columns for every method,
 *   1/5/10 columns for se-emp, the parameter-matched downsized dense net at every fraction < 1,
 *   50k/10k train/validation, 20 epochs, 3 seeds, tied-AE pretraining (all but lowrank, as the paper).
 * - quick: a ≤ 30 min look on 2 cores: 4 fractions for se-emp, 2 for the other methods, columns 1/5/10
 *   at 2 fractions, 15k training examples, 3 epochs, 2 seeds, no pretraining (see its description).
 */
import { paperMlpMethods, type PaperMlpMethod } from '../../core/models/mlp.js';
import { unknownName } from '../../core/errors.js';

/** The paper's fractions α/n_v: linspace(20/784, 1, 10) (METHOD.md §2). */
export const paperFractions: readonly number[] = Array.from({ length: 10 }, (_, k) => 20 / 784 + (k * (1 - 20 / 784)) / 9);

/** The headline fraction (5 % dynamic; the claims' `frac05`). Not in the paper's grid, so added to it. */
export const headlineFraction = 0.05;

/** One block of the grid: every method × every fraction at every column count. */
export interface GridBlock {
  methods: readonly PaperMlpMethod[];
  fractions: readonly number[];
  columns: readonly number[];
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
  /** Training examples used to build data dictionaries (emp, emp2) and to pretrain. */
  dictionarySample: number;
  /** Tied-AE pretraining epochs per hidden layer for every method but lowrank (the paper); null = none. */
  pretrainingEpochs: number | null;
  /** Hidden widths; null = the paper's [500, 500] (tests use tiny nets). */
  hidden: number[] | null;
  /** The predicted points. */
  grid: readonly GridBlock[];
  /** Fractions at which the parameter-matched downsized dense net is trained (matched to se-emp, 10 columns). */
  downsizedFractions: readonly number[];
  /** Columns of the predicted net the downsized one is matched to. */
  downsizedColumns: number;
}

/** se-emp before se: se is the same net (see points.ts), so the se points become aliases of se-emp's. */
const everyMethod: PaperMlpMethod[] = ['se-emp', ...paperMlpMethods.filter((m) => m !== 'se-emp')];
const fullFractions = [...paperFractions, headlineFraction].sort((a, b) => a - b);

/** The presets by name. */
export const presets: Record<'quick' | 'full', ReproducePreset> = {
  full: {
    name: 'full',
    description: 'Paper scale: methods se, se-emp, se-emp2, rand, randcon, lowrank at fractions linspace(20/784, 1, 10) ∪ {0.05} with 10 columns; se-emp also with 1 and 5 columns; the downsized dense net matched at every fraction < 1; the full baseline. 50k/10k train/validation, 20 epochs Adam + cosine, 3 seeds, 10 epochs of tied-AE pretraining per hidden layer on 5000 images (all but lowrank).',
    seeds: 3,
    epochs: 20,
    trainLimit: null,
    validation: 10000,
    testLimit: null,
    dictionarySample: 5000,
    pretrainingEpochs: 10,
    hidden: null,
    grid: [
      { methods: everyMethod, fractions: fullFractions, columns: [10] },
      { methods: ['se-emp'], fractions: fullFractions, columns: [1, 5] },
    ],
    downsizedFractions: fullFractions.filter((f) => f < 1),
    downsizedColumns: 10,
  },
  quick: {
    name: 'quick',
    description: 'A ≤ 30 min look (2 cores; ~20 min measured unloaded): se-emp with 10 columns at α/n_v = 20/784, 0.05, 0.134, 0.242 (the first four of full\'s fractions); se-emp2, rand, randcon, lowrank (10 columns) at 0.05 and 0.134; se-emp with 1 and 5 columns at 0.05 and 0.134; the downsized dense net matched at 0.05 and 0.134; the full baseline. Only 15,000 training images (5000 validation), 3 epochs, 2 seeds, no pretraining: errors are well above the paper\'s; compare the arms with each other, not with the paper\'s absolute numbers.',
    seeds: 2, // the fewest that give an sd
    epochs: 3, // measured: 24 ms (full) to 225 ms (se-emp 0.242, 10 columns) per step of 100 unloaded
    trainLimit: 15000, // 150 steps per epoch
    validation: 5000,
    testLimit: null,
    dictionarySample: 2000,
    pretrainingEpochs: null,
    hidden: null,
    grid: [
      { methods: ['se-emp', 'se'], fractions: fullFractions.slice(0, 4), columns: [10] },
      { methods: ['se-emp2', 'rand', 'randcon', 'lowrank'], fractions: [fullFractions[1], fullFractions[2]], columns: [10] },
      { methods: ['se-emp'], fractions: [fullFractions[1], fullFractions[2]], columns: [1, 5] },
    ],
    downsizedFractions: [fullFractions[1], fullFractions[2]],
    downsizedColumns: 10,
  },
};

export const presetNames = ['quick', 'full'] as const;

/** The preset named `name`, or a ParampredError listing the names. */
export function getPreset(name: string, fn = 'getPreset'): ReproducePreset {
  if (!Object.hasOwn(presets, name)) throw unknownName(fn, 'preset', name, presetNames);
  return presets[name as keyof typeof presets];
}
