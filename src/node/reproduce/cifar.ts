/**
 * The CIFAR-10 reproduction (`parampred reproduce cifar`), on the only copy in shared/data, the JPEG-75
 * one ("CIFAR-10 (JPEG-75 copy)" on every label): the paper's convnet (Denil et al. 2013 §4.2) learned
 * in full (cifar-convnet-full), with every conv and the dense layer predicted by SE kernels at a
 * predicted fraction p ∈ {0.25, 0.5, 0.75, 0.9} (cifar-convnet-se with every layer's α/n_v = 1 − p,
 * cifarSeOverrides), and the narrower dense convnet learning as many parameters at each p
 * (cifar-convnet-downsized, cifarDownsizedOverrides). Point ids carry α/n_v (se-f0.2500 = 75 % predicted).
 */
import { fractionTag } from './points.js';
import { declaredClaims, type ClaimSpec } from './claims.js';
import { reproduceFigures } from './figures.js';
import { pairedCell, pairedDifference, versusDownsizedMarkdown, type SummaryRow } from './summary.js';
import { point, type PresetBase, type ReproPoint, type Reproduction } from './reproduction.js';
import { cifarSeOverrides } from '../experiments/cifar-convnet-se.js';
import { cifarDownsizedOverrides, cifarDownsizedWidths } from '../experiments/cifar-convnet-downsized.js';

/** A CIFAR preset: training length and split, and which predicted fractions get every seed. */
export interface CifarPreset extends PresetBase {
  /** null = the registered experiments' (20). */
  epochs: number | null;
  /** Training images (the first N of the 45k left after validation); null = all. */
  trainLimit: number | null;
  /** Validation images (the last N of the 50k). */
  validation: number;
  /** Predicted fractions p (α/n_v = 1 − p of every layer). */
  predicted: readonly number[];
  /** Predicted fractions whose se and downsized points run every seed; the others run one. */
  allSeeds: readonly number[];
  /** The reviewers' controls run at 50 % predicted with every seed (cifarControls); none by default. */
  controls?: readonly CifarControl[];
  /** Whether the fully learned net is a point (default true). */
  full?: boolean;
  /**
   * Prefix of the nets' claim ids (`cifar.<claimTag>.frac50.test_accuracy`), so that a preset that trains the same
   * nets differently (longer) claims apart from the full preset; none = the full preset's ids.
   */
  claimTag?: string;
}

/** A control net, at 50 % predicted unless it says: how its predicted layers differ from cifar-convnet-se's. */
export interface CifarControl {
  /** The point's method name (its id is `${method}-${fractionTag(alpha)}`, e.g. emp-patch-f0.5000). */
  method: string;
  /**
   * α/n_v of every layer: 0.5 (the default) compares with SE-50 % and the downsized net of as many learned
   * parameters; 1 predicts nothing (every weight learned, in the dictionary's basis; compared as `controlPairs` says).
   */
  alpha?: number;
  /** Columns in each conv layer (the dense layer keeps 5). */
  convColumns: number;
  why: string;
  overrides: string[];
}

const overConvs = (key: string, value: string) => [0, 1, 2].map((i) => `model.spec.convs.${i}.${key}=${value}`);
/**
 * The convnet controls the reviewers asked for (docs/method.md §2, issue 13), each at 50 % predicted against
 * the SE net and the downsized net of the same seeds: data kernels across channels (emp and pca over each
 * conv's whole kh·kw·c_in input patch, PredictedConv2D over 'patch', and over the dense layer's inputs) and
 * columns in the conv layers (4 per conv, SE as the paper's).
 */
/** pca over each conv's whole input patch and over the dense layer's inputs (pca-patch, pca-basis, pca-downsized). */
const pcaPatch = [...overConvs('over', '"patch"'), ...overConvs('dictionary', '{"method":"pca"}'), 'model.spec.dense.dictionary={"method":"pca"}'];
/** pca-patch with U a random n_α of the principal directions instead of the top n_α (pca-random-patch). */
const pcaRandomPatch = [...overConvs('over', '"patch"'), ...overConvs('dictionary', '{"method":"pca","directions":"random"}'), 'model.spec.dense.dictionary={"method":"pca","directions":"random"}'];
/** emp over each conv's whole input patch and over the dense layer's inputs (emp-patch, emp-patch-rebuild). */
const empPatch = [...overConvs('over', '"patch"'), ...overConvs('dictionary', '{"method":"emp"}'), 'model.spec.dense.dictionary={"method":"emp"}'];
export const cifarControls: readonly CifarControl[] = [
  { method: 'emp-patch', convColumns: 1, why: 'emp (empirical covariance kernel) over each conv\'s whole input patch, across channels, and over the dense layer\'s inputs', overrides: empPatch },
  { method: 'pca-patch', convColumns: 1, why: 'pca (the inputs\' top principal directions) over each conv\'s whole input patch and over the dense layer\'s inputs', overrides: pcaPatch },
  { method: 'se-cols4', convColumns: 4, why: 'SE as the paper\'s, with 4 columns in every conv (each quarter of the filters its own α and U)', overrides: overConvs('columns', '4') },
  {
    method: 'se-grow', convColumns: 1,
    why: 'SE as the paper\'s, growing α (a reviewer\'s question): 75 % predicted for epochs 1–5, 62.5 % for 6–10, 50 % from 11 on, V refit by least squares to the trained W at each change',
    overrides: [...cifarSeOverrides(0.25), 'grow={"stages":[{"afterEpoch":5,"fraction":0.375},{"afterEpoch":10,"fraction":0.5}]}'],
  },
  {
    // emp-patch seed 1 underfit (24.0 % training error against SE-50 %'s 17.9 %): its conv2/conv3 kernels are
    // covariances of the untrained layers' features. Grow stages at the same fraction rebuild every data-driven
    // dictionary from the trained layers below and refit V to keep each layer's outputs (growInto).
    method: 'emp-patch-rebuild', convColumns: 1,
    why: 'emp over each conv\'s whole input patch as emp-patch, its dictionaries rebuilt from the trained features after epochs 1, 3 and 6 (V refit by least squares to keep each layer\'s outputs; Adam restarts at each rebuild)',
    overrides: [...empPatch, 'grow={"stages":[{"afterEpoch":1,"fraction":0.5},{"afterEpoch":3,"fraction":0.5},{"afterEpoch":6,"fraction":0.5}]}'],
  },
  {
    // pca-patch seed 1 trained to 11.5 % training error after 16 epochs where the full net ends at 18.7 %: with U
    // the inputs' principal directions, Adam's per-coordinate steps on V act as a preconditioner. The same
    // dictionary at α/n_v = 1 (U square and orthogonal, so the same functions as the full net and as many learned
    // parameters) tells that reparametrisation apart from what predicting half of the weights adds or costs.
    method: 'pca-basis', convColumns: 1, alpha: 1,
    why: 'nothing predicted: every weight learned as V in the basis of pca-patch\'s principal directions (U square and orthogonal: the full net\'s functions and parameter count, only Adam\'s coordinates differ), to tell the basis apart from the prediction',
    // the dense layer's 5 columns would hold 5 copies of one square pca U: 1 column is the same net
    overrides: [...pcaPatch, 'model.spec.dense.columns=1'],
  },
  {
    // the central control in the pca basis: at as many learned parameters, does pca-patch (half of each
    // layer's weights predicted) beat a narrower net that learns every weight in the same kind of basis?
    method: 'pca-downsized', convColumns: 1, alpha: 1,
    why: 'nothing predicted, the downsized net\'s widths: every weight learned in the basis of its own layers\' principal directions (U square and orthogonal), as many learned parameters as pca-patch, to compare prediction with a narrower net in the same basis',
    overrides: [...pcaPatch, 'model.spec.dense.columns=1', ...cifarDownsizedOverrides(0.5)],
  },
  {
    // pca-patch beat pca-downsized on every seed: is it that its twice-as-many filters see the top half of the
    // patch directions, or only that there are more of them? The same net with a random half of the same
    // eigenvectors (the same basis, subspace size, filters and learned parameters) tells the two apart.
    method: 'pca-random-patch', convColumns: 1,
    why: 'pca over each conv\'s whole input patch and over the dense layer\'s inputs as pca-patch, but U a random half of the principal directions (chosen per layer from the run\'s seed) instead of the top half',
    overrides: pcaRandomPatch,
  },
];
/** α/n_v of a control (0.5 unless it says). */
export const controlAlpha = (c: CifarControl): number => c.alpha ?? 0.5;

/**
 * The controls' paired comparisons a − b of test error, beyond each control against the downsized net. The pca
 * basis against the standard one, 2 × 2 (full width or downsized; every weight learned or half predicted): the
 * basis alone (pca-basis − full, pca-downsized − downsized), what predicting half costs in that basis (pca-patch −
 * pca-basis) and the central control in it (pca-patch − pca-downsized, the same learned parameters; negative =
 * prediction wins); whether the top half of the principal directions matters (pca-random-patch − pca-patch); and
 * the reviewers' other questions against the net each changes: conv columns and growing α against SE-50 %, the
 * emp kernel against pca over the same patches, and rebuilding emp's dictionaries against building them once.
 */
export const controlPairs: readonly { id: string; a: string; b: string; what: string }[] = [
  { id: 'cifar.pca-basis_minus_full.test_error', a: 'pca-basis-f1.0000', b: 'full', what: 'the basis alone, full width (the same functions and parameter count); negative = the basis helps' },
  { id: 'cifar.pca-downsized_minus_downsized.test_error', a: 'pca-downsized-f1.0000', b: 'downsized-f0.5000', what: 'the basis alone, downsized widths; negative = the basis helps' },
  { id: 'cifar.pca-patch.frac50_minus_pca-basis.test_error', a: 'pca-patch-f0.5000', b: 'pca-basis-f1.0000', what: 'what predicting half of every layer\'s weights costs in the pca basis; positive = a cost' },
  { id: 'cifar.pca-patch.frac50_minus_pca-downsized.test_error', a: 'pca-patch-f0.5000', b: 'pca-downsized-f1.0000', what: 'half predicted against a narrower net, both in the pca basis, the same learned parameters; negative = prediction wins' },
  { id: 'cifar.pca-random-patch.frac50_minus_pca-patch.test_error', a: 'pca-random-patch-f0.5000', b: 'pca-patch-f0.5000', what: 'a random half of the principal directions against the top half, the same filters and learned parameters; positive = the top half matters' },
  { id: 'cifar.se-cols4.frac50_minus_se.test_error', a: 'se-cols4-f0.5000', b: 'se-f0.5000', what: '4 columns in every conv against the paper\'s 1, the same learned parameters; negative = columns help' },
  { id: 'cifar.se-grow.frac50_minus_se.test_error', a: 'se-grow-f0.5000', b: 'se-f0.5000', what: 'α grown from 75 to 50 % predicted during training against 50 % from the start, the same net at the end; negative = growing helps' },
  { id: 'cifar.emp-patch.frac50_minus_pca-patch.test_error', a: 'emp-patch-f0.5000', b: 'pca-patch-f0.5000', what: 'the emp kernel against pca over the same whole input patches, the same learned parameters; positive = pca is better' },
  { id: 'cifar.emp-patch-rebuild.frac50_minus_emp-patch.test_error', a: 'emp-patch-rebuild-f0.5000', b: 'emp-patch-f0.5000', what: 'emp dictionaries rebuilt from the trained features during training against built once from the untrained layers; negative = rebuilding helps' },
];

const LABEL = 'CIFAR-10 (JPEG-75 copy)';
const predicted = [0.25, 0.5, 0.75, 0.9];
/** α/n_v of a predicted fraction p, rounded to 4 decimals so that 1 − 0.9 is 0.1. */
const alpha = (p: number) => Math.round((1 - p) * 1e4) / 1e4;

/** The paper-scale recipe at 50 % predicted only (every seed), shared by the presets built around the central control. */
const atFifty = { makesClaims: true, epochs: null, trainLimit: null, validation: 5000, predicted: [0.5], allSeeds: [0.5] } as const;

export const cifarPresets: Record<'quick' | 'full' | 'controls' | 'long' | 'central', CifarPreset> = {
  full: {
    name: 'full',
    description: `${LABEL}, paper scale: the full convnet, the SE-predicted convnet at 25, 50, 75 and 90 % of every layer's weights predicted, and the downsized convnet with as many learned parameters at each; 45k/5k train/validation, 20 epochs Adam + cosine with crop + flip (the registered experiments); 3 seeds for the full net and at 50 and 75 % (predicted and downsized), 1 seed at 25 and 90 %. 19 runs: a full-net run took 36 min at 2 threads on a 2-core Xeon and 60 min on a 2-core EPYC, an SE-predicted run about 1.5× that, so about 15–25 h in all; resumable (--resume). With --precision bf16 on a CPU with AMX the steps took 0.55–0.63× as long on a 2-core Xeon (parampred bench cifar --precision fp32,bf16; results/bf16/bench-cifar.json); bf16 runs keep their results out of results/claims.json.`,
    seeds: 3,
    makesClaims: true,
    epochs: null,
    trainLimit: null,
    validation: 5000,
    predicted,
    allSeeds: [0.5, 0.75],
  },
  controls: {
    name: 'controls',
    description: `${LABEL}, the reviewers' controls at paper scale: at 50 % predicted, data kernels across channels (emp and pca over each conv's whole input patch), 4 columns per conv, α grown from 75 to 50 % predicted during training, emp-patch with its dictionaries rebuilt from the trained features after epochs 1, 3 and 6, pca-basis and pca-downsized (nothing predicted: every weight of the full / downsized net learned in the basis of its layers' principal directions, against the standard basis and pca-patch), and pca-random-patch (pca-patch with a random half of the principal directions instead of the top half), next to the full, SE-50 % and downsized nets of the same seeds (the same runs as the full preset's when --out is its sweep folder); 20 epochs, 3 seeds. ≈ 40–100 min per net at 2 threads on 2-core Xeon / EPYC VMs (emp-patch seed 1: 94 min, pca-patch seed 1: 75 min): about 16–40 h for the 24 control runs.`,
    seeds: 3,
    ...atFifty,
    controls: cifarControls,
  },
  long: {
    name: 'long',
    description: `${LABEL}, the reviewers' "longer training" at paper scale: SE-50 % and the downsized net with as many learned parameters (the central control), trained for 40 epochs instead of 20 (the cosine decay stretched over 40), 3 seeds, claims apart from the full preset's (cifar.epochs40.*). 6 runs; an SE-50 % 20-epoch run took 65–95 min at 1 thread beside another run on 2-core EPYC VMs, so ≈ 2–3 h a run here and ≈ 6–9 h for the preset two at a time; resumable (--resume).`,
    seeds: 3,
    ...atFifty,
    epochs: 40,
    full: false,
    claimTag: 'epochs40',
  },
  central: {
    name: 'central',
    description: `${LABEL}, the central control with 5 seeds: SE-50 % and the downsized net with as many learned parameters, the full preset's nets and recipe (20 epochs), seeds 1–5, claims apart from the full preset's 3-seed ones (cifar.seeds5.*). With --out results/cifar10-full/sweep it reads the full preset's seeds 1–3 back and trains seeds 4 and 5 (4 runs; an SE-50 % run took 60–65 min and a downsized one ≈ 30 min at 1 thread beside another run on a 2-core EPYC VM); resumable (--resume).`,
    seeds: 5,
    ...atFifty,
    full: false,
    claimTag: 'seeds5',
  },
  quick: {
    name: 'quick',
    description: `${LABEL}, a smoke look, not a claim: the same 9 nets (full; SE-predicted and downsized at 25, 50, 75, 90 % predicted), 1 seed, 10,000 training images, 2,000 validation, 4 epochs. Measured end to end: 37 min on a 2-core Intel Xeon (2026-12-03) while a 2-thread training run shared the machine, so less alone.`,
    seeds: 1,
    makesClaims: false,
    epochs: 4,
    trainLimit: 10000,
    validation: 2000,
    predicted,
    allSeeds: predicted,
  },
};

const pct = (p: number) => `${Math.round(100 * p)}`;
/**
 * The nets' claims: the full net (where the preset has it), SE and downsized at 50 and 75 % predicted where the
 * preset runs them with every seed, and the paired differences the issue's targets are about: SE − full (what
 * predicting costs) and SE − downsized (the central control). With a claimTag, ids cifar.<tag>.…
 */
function netClaimSpecs(preset: CifarPreset): ClaimSpec[] {
  const id = (rest: string) => `cifar.${preset.claimTag ? `${preset.claimTag}.` : ''}${rest}`;
  const how = `${preset.epochs === null ? '' : `, trained ${preset.epochs} epochs`}${preset.seeds > 3 ? `, seeds 1–${preset.seeds}` : ''}`;
  const hasFull = preset.full !== false;
  const ps = [0.5, 0.75].filter((p) => preset.predicted.includes(p) && preset.allSeeds.includes(p));
  const se = (p: number) => `se-${fractionTag(alpha(p))}`;
  const down = (p: number) => `downsized-${fractionTag(alpha(p))}`;
  const widths = (p: number) => { const w = cifarDownsizedWidths(alpha(p)); return `${w.filters.join('-')}-${w.units}`; };
  return [
    ...(hasFull ? [{ id: id('full.test_accuracy'), kind: 'accuracy', point: 'full', description: `Test accuracy of the fully learned convnet (48@8×8, 64@8×8, 64@5×5, dense 500)${how} on ${LABEL}, mean ± sd over seeds` } satisfies ClaimSpec] : []),
    ...ps.map((p): ClaimSpec => ({ id: id(`frac${pct(p)}.test_accuracy`), kind: 'accuracy', point: se(p), description: `Test accuracy of the convnet with ${pct(p)} % of every layer's weights predicted by SE kernels (α/n_v = ${alpha(p)}; 1 column per conv, 5 in the dense layer)${how} on ${LABEL}` })),
    ...ps.map((p): ClaimSpec => ({ id: id(`downsized.frac${pct(p)}.test_accuracy`), kind: 'accuracy', point: down(p), description: `Test accuracy of the narrower dense convnet (${widths(p)}) learning as many parameters as the ${pct(p)} %-predicted one${how}, on ${LABEL}` })),
    ...(hasFull ? ps.map((p): ClaimSpec => ({ id: id(`frac${pct(p)}_minus_full.test_error`), kind: 'paired', a: se(p), b: 'full', description: `Test error (SE, ${pct(p)} % predicted) − test error (the full net), paired by seed${how}, on ${LABEL}; positive = predicting costs` })) : []),
    ...ps.map((p): ClaimSpec => ({ id: id(`frac${pct(p)}_minus_downsized.test_error`), kind: 'paired', a: se(p), b: down(p), description: `Test error (SE, ${pct(p)} % predicted) − test error (the downsized net ${widths(p)}, the same learned parameters), paired by seed${how}, on ${LABEL}; negative = prediction wins` })),
  ];
}

/**
 * The controls preset's claims: its own nets only. It reads the full, SE-50 % and downsized runs back (shared
 * folder) for its paired comparisons, but their claims stay the full preset's (command and preset tag).
 */
const controlClaimSpecs: ClaimSpec[] = [
  ...cifarControls.filter((c) => controlAlpha(c) === 0.5).flatMap((c): ClaimSpec[] => [
    { id: `cifar.${c.method}.frac50.test_accuracy`, kind: 'accuracy', point: `${c.method}-${fractionTag(0.5)}`, description: `Test accuracy of the convnet with 50 % of every layer's weights predicted, ${c.why}, on ${LABEL}` },
    { id: `cifar.${c.method}.frac50_minus_downsized.test_error`, kind: 'paired', a: `${c.method}-${fractionTag(0.5)}`, b: `downsized-${fractionTag(0.5)}`, description: `Test error (${c.method}, 50 % predicted) − test error (downsized net, same learned parameters), paired by seed, on ${LABEL}; negative = prediction wins` },
  ]),
  ...cifarControls.filter((c) => controlAlpha(c) === 1).map((c): ClaimSpec => ({ id: `cifar.${c.method}.test_accuracy`, kind: 'accuracy', point: `${c.method}-${fractionTag(1)}`, description: `Test accuracy of the convnet with ${c.why}, on ${LABEL}` })),
  ...controlPairs.map((q): ClaimSpec => ({ id: q.id, kind: 'paired', a: q.a, b: q.b, description: `Test error (${q.a}) − test error (${q.b}), paired by seed, on ${LABEL}: ${q.what}` })),
];

/** The claims a preset makes: the controls preset's own, or the nets'. */
export function cifarClaimSpecs(preset: CifarPreset): ClaimSpec[] {
  return preset.controls?.length ? controlClaimSpecs : netClaimSpecs(preset);
}

/** The nets learned in the pca basis, as convergence curves (where the preset has them). */
const pcaConvergence: readonly [string, string][] = [
  ['pca-patch-f0.5000', 'pca-patch, 50 % predicted'],
  ['pca-basis-f1.0000', 'pca-basis (full net in the pca basis)'],
  ['pca-downsized-f1.0000', 'pca-downsized (downsized net in the pca basis)'],
  ['pca-random-patch-f0.5000', 'pca-random-patch, 50 % predicted (a random half of the directions)'],
];

/** The controls' pairs (controlPairs) whose two points are in the rows, paired by seed; '' when the preset has none. */
function pairsMarkdown(rows: readonly SummaryRow[]): string {
  const byId = (id: string) => rows.find((r) => r.point === id);
  const pairs = controlPairs.filter((q) => byId(q.a) && byId(q.b));
  if (!pairs.length) return '';
  const cell = (r: SummaryRow | undefined) => (r && r.mean !== null ? `${r.mean.toFixed(2)} ± ${r.sd === null ? '—' : r.sd.toFixed(2)} (n = ${r.seeds.length})` : '—');
  const lines = ['', '## The controls paired: the pca basis against the standard one, which principal directions, and each control against the net it changes (test error %; differences paired by seed)', '', '| a − b | a | b | a − b (pp) | what it measures |', '|---|---|---|---|---|'];
  for (const q of pairs) {
    const [a, b] = [byId(q.a), byId(q.b)];
    const d = a && b && a.mean !== null && b.mean !== null ? pairedDifference(a, b) : null;
    lines.push(`| ${q.a} − ${q.b} | ${cell(a)} | ${cell(b)} | ${d ? pairedCell(d) : '—'} | ${q.what} |`);
  }
  return lines.join('\n') + '\n';
}

/** The CIFAR-10 convnet reproduction. */
export const cifarReproduction: Reproduction<CifarPreset> = {
  name: 'cifar',
  summary: `${LABEL}: the paper's convnet, SE-predicted at 25–90 %, vs the downsized convnet`,
  presets: cifarPresets,
  shape: { inputSize: 32 * 32 * 3, classes: 10 },
  points: (preset, _shape, name) => {
    const common = [
      ...(name === undefined ? [] : [`dataset.name=${JSON.stringify(name)}`]),
      ...(preset.epochs === null ? [] : [`epochs=${preset.epochs}`]),
      `dataset.validation=${preset.validation}`,
      `dataset.limit=${JSON.stringify({ train: preset.trainLimit, test: null })}`,
    ];
    const pts: ReproPoint[] = preset.full === false ? [] : [point({ id: 'full', method: 'full', nominalFraction: null, columns: null }, 'cifar-convnet-full', common)];
    const seeds = (p: number) => (preset.allSeeds.includes(p) ? {} : { seeds: 1 });
    for (const p of preset.predicted) pts.push(point({ id: `se-${fractionTag(alpha(p))}`, method: 'se', nominalFraction: alpha(p), columns: 1, ...seeds(p) }, 'cifar-convnet-se', [...common, ...cifarSeOverrides(alpha(p))]));
    for (const c of preset.controls ?? []) {
      const a = controlAlpha(c);
      pts.push(point({ id: `${c.method}-${fractionTag(a)}`, method: c.method, nominalFraction: a, columns: c.convColumns }, 'cifar-convnet-se', [...common, ...cifarSeOverrides(a), ...c.overrides]));
    }
    for (const p of preset.predicted) pts.push(point({ id: `downsized-${fractionTag(alpha(p))}`, method: 'downsized', nominalFraction: alpha(p), columns: 1, ...seeds(p) }, 'cifar-convnet-downsized', [...common, ...cifarDownsizedOverrides(alpha(p))]));
    return pts;
  },
  // the claims' points first: full, then 50 % predicted and its downsized net (the central control), then
  // 75 % and its downsized net, then 25 and 90 %
  priority: (p) => (p.method === 'full' ? 0 : p.nominalFraction === 0.5 ? (p.method === 'se' ? 1 : p.method === 'downsized' ? 2 : 3) : p.nominalFraction === 0.25 ? (p.method === 'se' ? 4 : 5) : 6),
  // plotted at α/n_v, ≈ the predicted net's dynamic fraction (n_α rounds per layer)
  matched: (p) => p.nominalFraction,
  title: ({ preset }) => `${LABEL} convnet reproduction, ${preset.name} preset`,
  notes: ({ preset }) => [
    `Data: ${LABEL}: the only CIFAR-10 in shared/data is a JPEG quality-75 re-encoding of the original images, so errors are not those of the original set.`,
    'se: every conv (1 column, SE over the filter positions) and the dense layer (5 columns, SE over the 4×4 grid of the last conv output) predicted at α/n_v = 1 − the predicted fraction (cifar-convnet-se, cifarSeOverrides); V calibrated to a Glorot layer\'s output scale.',
    ...(preset.controls ?? []).map((c) => (controlAlpha(c) === 0.5 ? `${c.method}: as se at 50 % predicted, ${c.why}.` : `${c.method}: as se at α/n_v = ${controlAlpha(c)}, ${c.why}.`)),
    'downsized: the dense convnet with every width scaled by one factor so that it learns as many parameters (weights, biases, softmax) as se at that fraction (cifar-convnet-downsized, cifarDownsizedWidths); plotted at α/n_v.',
    'Test error: the best-validation epoch of each run, on the 10,000 test images; mean ± sample sd over seeds. Claims are test accuracy = 100 − test error, and differences of test error paired by seed.',
  ],
  tables: (rows, { preset }) => {
    const half = (preset.controls ?? []).filter((c) => controlAlpha(c) === 0.5);
    return (
      versusDownsizedMarkdown(rows, ['se', ...half.filter((c) => c.convColumns === 1).map((c) => c.method)], 1) +
      half.filter((c) => c.convColumns > 1).map((c) => '\n' + versusDownsizedMarkdown(rows, [c.method], c.convColumns)).join('') +
      pairsMarkdown(rows)
    );
  },
  // labelled with the loader's label: the JPEG-75 copy's results must say so (not just "cifar10")
  claims: (rows, { command, preset, label }) => declaredClaims(cifarClaimSpecs(preset), rows, { command, preset: preset.name, dataset: label }),
  // with the controls, also the nets learned in the pca basis (whose curves say where their gain comes from)
  convergence: ({ points }) => ([
    ['full', 'full (all dynamic)'],
    [`se-${fractionTag(0.5)}`, 'se, 50 % predicted'],
    [`downsized-${fractionTag(0.5)}`, 'downsized, same # learned'],
    ...pcaConvergence,
  ] satisfies [string, string][]).filter(([id]) => points.some((p) => p.id === id)),
  figures: (rows, { preset, convergence }) => reproduceFigures(rows, { dataset: LABEL, preset: preset.name, columns: 1, convergence, model: 'convnet', xLabel: 'dynamic fraction α/n_v of every layer (log scale)', columnsMethod: null }),
  readme: ({ preset: p, seeds }) => ({
    intro: `Reproduces the CIFAR-10 convnet experiment of Denil et al. 2013 (§4.2) on ${LABEL}. Made with`,
    fields: `Fields: seeds ${seeds} (1 at predicted fractions outside {${p.allSeeds.map(pct).join(', ')}} %), epochs ${p.epochs ?? 20}, training images ${p.trainLimit ?? 'all (45,000)'}, validation ${p.validation}, test all (10,000). Predicted fractions {${p.predicted.map(pct).join(', ')}} %. All other settings are those of the registered experiments cifar-convnet-full / cifar-convnet-se / cifar-convnet-downsized (per-channel standardisation, crop + flip, Adam 1e-3, cosine decay, batch 100, best-validation epoch kept).`,
    files: `Files: \`summary.md\` / \`summary.json\` (mean ± sd per net, and se against the downsized net, paired by seed${p.controls?.length ? '; the controls against the downsized net and the pca basis against the standard one' : ''}), \`error-vs-fraction.svg\`, \`convergence-*.svg\` (validation error of ${p.full === false ? 'the' : 'the full,'} 50 %-predicted and its downsized net${p.controls?.some((c) => c.method.startsWith('pca')) ? ', and of the nets learned in the pca basis' : ''}); the claims are merged into \`../claims.json\`.`,
    paper: p.controls?.length
      ? 'The paper (Denil et al. 2013, §4.2) predicts the convnet\'s layers with SE kernels and never compares them with a narrower net learning as many parameters; its reviewers asked for that control, for data kernels across input channels, and for growing the number of learned parameters during training. These claims measure each control at 50 % predicted against the downsized net of the same seed, and (pca-basis, pca-downsized: nothing predicted, every weight learned in the pca basis) whether a gain comes from the prediction or from the basis.'
      : p.full === false && p.epochs === null
      ? `The paper (Denil et al. 2013, §4.2) trains its predicted convnet without a narrower net to compare with; its reviewers asked whether prediction beats a net with as many learned parameters. The full preset answers with 3 seeds, where the seed-to-seed spread of the difference is as large as the difference; these claims measure SE-50 % and the downsized net with ${seeds} seeds (the full preset's runs for seeds 1–3 where the sweep folder is shared), paired by seed.`
      : p.full === false
      ? `The paper (Denil et al. 2013, §4.2) trains its predicted convnet without a narrower net to compare with; its reviewers asked whether prediction beats a net with as many learned parameters, and the issue whether longer training makes it win. These claims measure SE-50 % and the downsized net after ${p.epochs ?? 20} epochs, paired by seed (the full preset's are 20-epoch runs of the same seeds).`
      : 'The paper (Denil et al. 2013, §4.2) predicts the convnet\'s layers with SE kernels (one column per conv, five in the dense layer); a reviewer summarised its CIFAR/STL-10 results as "at least 40% of the parameters are required to avoid a loss in accuracy". These claims measure both nets at 50 and 75 % predicted, and the downsized convnet with as many learned parameters.',
  }),
};
