/** Reproductions of the paper's experiments as commands (`parampred reproduce`, `parampred demo`). */
export { reproduceMnist, type ReproduceOptions, type ReproduceResult } from './mnist.js';
export { runDemo, type DemoOptions, type DemoResult } from './demo.js';
export { presets, presetNames, getPreset, paperFractions, headlineFraction, type ReproducePreset, type GridBlock } from './presets.js';
export { buildPoints, matchedWidth, predictedLearned, denseLearned, paperFraction, type ReproPoint } from './points.js';
export { summarise, computeClaims, mergeClaims, bestFractionWithin, meanSd, summaryMarkdown, type Claim, type RunRecord, type SummaryRow } from './summary.js';
