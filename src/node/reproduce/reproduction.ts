/**
 * A reproduction as data: a dataset, presets (each a set of named points = registered experiment +
 * overrides, seeds, whether it makes claims), and the pieces of its summary (extra tables), figures and
 * claims, each a function of the named points' per-seed results. run.ts trains (or reads back) every
 * (point, seed) and writes the summary, figures, claims and README the same way for every reproduction;
 * registry.ts maps `parampred reproduce <name>` to the definitions (mnist.ts, notopo.ts, cifar.ts).
 */
import { unknownName } from '../../core/errors.js';
import { applyOverrides, type Experiment } from '../../core/experiments/index.js';
import { getExperiment } from '../experiments/index.js';
import type { Claim, SummaryRow } from './summary.js';

/** One named point: a registered experiment with overrides, trained with every seed of the preset. */
export interface ReproPoint {
  /** Directory name under <out>/points/, e.g. 'se-emp-f0.0500-c10', 'full', 'downsized-f0.0500'. */
  id: string;
  /** 'full', 'downsized' or a dictionary method (the summary's and figures' series). */
  method: string;
  /** α/n_v of the predicted layers; for 'downsized' the fraction of the net it is matched to; null for 'full'. */
  nominalFraction: number | null;
  /** Columns; for 'downsized' those of the net it is matched to; null for 'full'. */
  columns: number | null;
  /** Layer 1's SE length scale where the grid sets one (MNIST's ℓ control); absent = the default, 'auto'. */
  lengthScale?: number | 'auto';
  experiment: Experiment;
  /** Id of the earlier point with the same experiment (this one is not trained). */
  aliasOf?: string;
  /** Seeds of this point when fewer than the preset's (a costly side point); absent = the preset's. */
  seeds?: number;
}

/** Input size and classes of the data the points are built for. */
export interface DataShape {
  inputSize: number;
  classes: number;
}

/** What every preset has; a reproduction's presets add their own fields (epochs, grid, …). */
export interface PresetBase {
  name: string;
  /** One paragraph: what it runs and what it leaves out (printed and written to the README). */
  description: string;
  /** Seeds per point (seed 1 … seeds). */
  seeds: number;
  /** Whether its claims go into results/claims.json (a smoke look's never do: they stay in its own folder). */
  makesClaims: boolean;
}

/** What the definition's hooks are given. */
export interface ReproContext<P extends PresetBase = PresetBase> {
  preset: P;
  seeds: number;
  command: string;
  /** The loaded data's name ('mnist', 'letter', 'synthetic' in tests). */
  dataset: string;
  /** What results must call the loaded data (its loader's label, e.g. "CIFAR-10 (JPEG-75 copy)" for the lossy copy). */
  label: string;
  shape: DataShape;
  points: readonly ReproPoint[];
}

/** The README's reproduction-specific paragraphs (the rest — command, date, claims, summary — is common). */
export interface ReadmeParts {
  /** The first line, ending in "Made with" (the command follows). */
  intro: string;
  /** The preset's fields and what the points share. */
  fields: string;
  /** The files in the folder. */
  files: string;
  /** The paper's claim, quoted, above the measured claims. */
  paper: string;
}

/**
 * A reproduction. Methods (not function properties) so that a Reproduction<MnistPreset> is a
 * Reproduction<PresetBase> in the registry.
 */
export interface Reproduction<P extends PresetBase = PresetBase> {
  /** `parampred reproduce <name>`; also the default output folder runs/reproduce-<name>-<preset>. */
  name: string;
  /** One line for the CLI's help. */
  summary: string;
  presets: Readonly<Record<string, P>>;
  /** The data shape the points are first built with (the data are loaded from the first point's experiment). */
  shape: DataShape;
  /**
   * Every point of `preset` for data of `shape`, in the summary's order; `dataset` (the loaded data's
   * name, 'synthetic' in tests) overrides the experiments' dataset.name where given.
   */
  points(preset: P, shape: DataShape, dataset?: string): ReproPoint[];
  /** Training order, lowest first (ties keep the points' order); default the points' order. */
  priority?(p: ReproPoint, preset: P): number;
  /** Counts of a point whose run diverged before its model could be counted (default NaN). */
  expectedCounts?(p: ReproPoint, shape: DataShape): { paper: number; whole: number; learned: number };
  /** Plot position (paper-convention fraction) of a 'downsized' point: that of the net it is matched to. */
  matched?(p: ReproPoint, ctx: ReproContext<P>): number | null;
  /** The summary's title. */
  title(ctx: ReproContext<P>): string;
  /** The summary's notes after the common ones (command, partial, preset). */
  notes(ctx: ReproContext<P>): string[];
  /** Markdown appended to the summary table (controls, paired comparisons). */
  tables?(rows: readonly SummaryRow[], ctx: ReproContext<P>): string;
  claims(rows: readonly SummaryRow[], ctx: ReproContext<P>): Claim[];
  /** [point id, label] of the nets whose validation curves make the convergence figures. */
  convergence?(ctx: ReproContext<P>): readonly (readonly [string, string])[];
  /** SVG figures by file name; `convergence` holds the curves of `convergence()`'s points that ran. */
  figures(rows: readonly SummaryRow[], ctx: ReproContext<P> & { convergence: readonly ConvergenceCurveLike[] }): Promise<Record<string, string>>;
  /** The point whose first seed writes its pictures, and the name its Fig. 1 is copied under in results/. */
  picture?(ctx: ReproContext<P>): { point: string; file: string } | null;
  readme(ctx: ReproContext<P> & { picture: boolean }): ReadmeParts;
}

/** One net's validation error per epoch over its seeds (figures.ts's ConvergenceCurve). */
export interface ConvergenceCurveLike {
  label: string;
  runs: { validError: number | null; seconds: number }[][];
}

/** A point from a registered experiment and overrides (applyOverrides: every override is validated). */
export function point(meta: Omit<ReproPoint, 'experiment'>, experiment: string, overrides: readonly string[]): ReproPoint {
  return { ...meta, experiment: applyOverrides(getExperiment(experiment, 'reproduce'), [...overrides], 'reproduce') };
}

/** The preset named `name` of `def`, or a ParampredError listing them. */
export function presetOf<P extends PresetBase>(def: Reproduction<P>, name: string, fn = 'getPreset'): P {
  if (!Object.hasOwn(def.presets, name)) throw unknownName(fn, 'preset', name, Object.keys(def.presets));
  return def.presets[name];
}
