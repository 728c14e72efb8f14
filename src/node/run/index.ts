/** Training runs: the runner, checkpoints, metrics, plots, pictures and sweeps. */
export { runExperiment, DivergedError, type RunOptions, type RunResult, type FinalResult } from './runner.js';
export { RunBusyError, lockRunDir, LOCK_FILE, type LockHolder } from './run_lock.js';
export { runSweep, type SweepOptions, type SweepRow } from './sweep.js';
export { runSeeds, seedDir, seedRow, writeSummaryJson, type SeedOutcome, type SeedLoopOptions } from './seeds.js';
export { meanSd, seedStats, methodName, firstColumns, type SeedStats, type SeedRow } from './seed_stats.js';
export { runFiles, runPath, hasRun, readRunConfig, readRunInfo, readFinal, readDiverged, loadRunModel, type RunFile, type RunInfo, type RunDataShape, type DivergedMarker, type LoadedRun } from './run_dir.js';
export { loadExperimentFile, isExperimentFile, experimentFileExtensions } from './experiment_file.js';
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
