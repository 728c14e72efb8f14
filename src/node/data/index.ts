/** Datasets on disk: loaders (mnist, cifar10, stl10, letter, madelon), the data directory, verification and downloads. */
export { loadDataset, datasetNames, datasetInfo, type DatasetName } from './registry.js';
export { resolveDataDir } from './data_dir.js';
export { DataFormatError, ChecksumError, DataMissingError, DownloadError } from './errors.js';
export { listDataset, verifyDataset } from './inventory.js';
export { downloadDataset, downloadFile, sourceUrls, type Progress } from './download.js';
export type { Dataset, Split, LoadOptions, DatasetSpec, FileSpec, Layout, DownloadSource } from './types.js';
