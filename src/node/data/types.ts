/** Shapes shared by the dataset loaders, the registry, `data verify` and `data download`. */

/** One split: x is n × prod(inputShape) floats in NHWC order (pixels in [0,1]; tabular features standardised with train statistics), y the 0-based class. */
export interface Split {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

/** A loaded dataset. `label` is what results must call it (e.g. "CIFAR-10 (JPEG-75 copy)"); `notes` says what differs from the full official set (missing files, substituted splits, preprocessing). */
export interface Dataset {
  name: string;
  label: string;
  inputShape: number[];
  classes: number;
  train: Split;
  test: Split;
  valid?: Split;
  notes: string[];
  /** Absolute paths of the files that were read. */
  files: string[];
}

/** Options of loadDataset. limit caps rows read (train: first N train rows, after the validation hold-out; test: first N test rows); validation holds out the last N rows of the full train set as `valid`; verify (default true) checks sizes and checksums of every file read. */
export interface LoadOptions {
  dataDir?: string;
  limit?: { train?: number; test?: number };
  validation?: number;
  verify?: boolean;
}

/** A file a dataset knows, path relative to the data directory, with its published size and checksums (gitSha1 = `git hash-object`). */
export interface FileSpec {
  path: string;
  bytes?: number;
  md5?: string;
  sha256?: string;
  gitSha1?: string;
  /** Not needed for loading (e.g. a README or an unlabelled test split). */
  optional?: boolean;
}

/** One way a dataset can be laid out on disk (e.g. gzipped vs raw IDX; official vs JPEG-75 CIFAR copy). */
export interface Layout {
  id: string;
  description: string;
  files: FileSpec[];
}

/** A file to download: where it goes (relative to the data directory), official URLs tried in order, and the checksums it must match. */
export interface DownloadSource extends FileSpec {
  urls: string[];
}

/** Resolved load context handed to a loader. */
export interface LoadContext {
  dataDir: string;
  limitTrain?: number;
  limitTest?: number;
  validation: number;
  verify: boolean;
}

/** Everything the registry knows about one dataset. */
export interface DatasetSpec {
  name: string;
  /** Label of the official data; a loader may return a different one (e.g. for a substitute copy). */
  label: string;
  /** Folder inside the data directory (the first one, for datasets with several). */
  folder: string;
  inputShape: number[];
  classes: number;
  description: string;
  layouts: Layout[];
  downloads: DownloadSource[];
  load(ctx: LoadContext): Promise<Dataset>;
}
