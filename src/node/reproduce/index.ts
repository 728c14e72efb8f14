/** Reproductions of the paper's experiments as commands (`parampred reproduce`, `parampred demo`). */
export { reproduceMnist, mnistReproduction } from './mnist.js';
export { runReproduction, defaultOutDir, firstRunIn, type ReproduceOptions, type ReproduceResult } from './run.js';
export { point, presetOf, type Reproduction, type ReproPoint, type PresetBase, type ReproContext, type DataShape } from './reproduction.js';
export { reproductions, reproductionNames, getReproduction } from './registry.js';
export { declaredClaims, type ClaimSpec } from './claims.js';
export { runDemo, type DemoOptions, type DemoResult } from './demo.js';
export { presets, presetNames, getPreset, paperFractions, headlineFraction, type ReproducePreset, type GridBlock } from './presets.js';
export { buildPoints, matchedWidth, predictedLearned, denseLearned, paperFraction } from './points.js';
export { summarise, computeClaims, mergeClaims, bestFractionWithin, meanSd, summaryMarkdown, claimConsoleLine, type Claim, type RunRecord, type SummaryRow } from './summary.js';
