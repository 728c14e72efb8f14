/**
 * parampred's Node entry: everything in the browser-safe core, plus the native backend, datasets,
 * files and runs. Importing it registers the `native` backend and makes it active (falling back to
 * `cpu` with one warning when the addon is not built).
 */
import { registerNativeBackend } from './backend/register.js';
import * as tf from '@tensorflow/tfjs';

export * from '../core/index.js';
export { useNativeBackend, registerNativeBackend } from './backend/register.js';
export { NativeBackend } from './backend/native_backend.js';
export { installNativeLinalg, nativeLinalgProvider } from './backend/linalg.js';
export { setPrecision, getPrecision, bf16Support, type Precision, type Bf16Support } from './backend/precision.js';
export { loadDataset, datasetNames, datasetInfo, resolveDataDir, listDataset, verifyDataset, downloadDataset, DataFormatError, ChecksumError, DataMissingError, DownloadError } from './data/index.js';
export type { Dataset, Split, LoadOptions, DatasetName } from './data/index.js';
export { runExperiment, runSweep, DivergedError, RunBusyError, loadCheckpoint, readMetrics, syntheticDataset, type RunOptions, type RunResult, type FinalResult, type SweepRow, type EpochMetrics } from './run/index.js';
export { experiments, experimentNames, getExperiment } from './experiments/index.js';
export { runSeeds, meanSd, seedStats, loadRunModel, readRunConfig, readRunInfo, readFinal, runFiles, loadExperimentFile, type SeedOutcome, type SeedRow, type LoadedRun, type RunInfo } from './run/index.js';

// The backend is active at once: `native`, else `cpu` (quiet but for parampred's one-line warning).
void tf.setBackend(registerNativeBackend() ? 'native' : 'cpu');

import { registerFileRouter } from './io/file.js';
export { fileHandler, registerFileRouter } from './io/file.js';
registerFileRouter();
export { saveTfjsModel, loadTfjsModel, type SaveTfjsOptions } from './run/tfjs_model.js';
export { compressSaved, type CompressOptions, type CompressReport } from './compress/compress.js';
