/** Training runs: the runner, checkpoints, metrics, plots, pictures and sweeps. */
export { runExperiment, DivergedError, type RunOptions, type RunResult, type FinalResult } from './runner.js';
export { runSweep, methodName, meanSd, type SweepOptions, type SweepRow } from './sweep.js';
export { loadCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint.js';
export { readArrays, writeArrays, type NamedArray } from './arrays.js';
export { readMetrics, type EpochMetrics } from './metrics.js';
export { loadExperimentData, type RunDataset, type Split } from './data.js';
export { syntheticDataset } from './synthetic.js';
export { defaultModelFactory, denseMlp, type ModelFactory, type BuiltModel } from './model.js';
export { renderSvg, learningCurvesSpec, errorVsFractionSpec } from './plots.js';
export { writeRunPictures, firstLayerFeatures } from './pictures.js';
export { parameterCounts } from './params.js';
export { versions, machine } from './info.js';
