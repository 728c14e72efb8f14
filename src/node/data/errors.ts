/** Typed errors for datasets on disk: bad files, missing files, failed downloads. */
import { ParampredError } from '../../core/errors.js';

/** A file that is truncated, corrupt or in the wrong format: names the file, what was expected and what was found. */
export class DataFormatError extends ParampredError {
  constructor(
    fn: string,
    /** The file (path as given, or path plus archive member) that was rejected. */
    readonly file: string,
    /** What the format requires, e.g. "IDX magic 2051". */
    readonly expected: string,
    /** What the file holds instead. */
    readonly found: string,
  ) {
    super(fn, `${file}: expected ${expected}, found ${found}`);
    this.name = 'DataFormatError';
  }
}

/** A file whose size or checksum differs from the published one. */
export class ChecksumError extends DataFormatError {
  constructor(fn: string, file: string, expected: string, found: string) {
    super(fn, file, expected, found);
    this.name = 'ChecksumError';
  }
}

/** Files a dataset needs are absent; the message names them and the command that fetches them. */
export class DataMissingError extends ParampredError {
  constructor(
    fn: string,
    readonly dataset: string,
    readonly missing: string[],
  ) {
    super(fn, `expected ${dataset} files ${missing.join(', ')}, found none there (run \`parampred data download ${dataset}\`, or set --data-dir / PARAMPRED_DATA)`);
    this.name = 'DataMissingError';
  }
}

/** A download that failed (network, HTTP status, interrupted transfer). A partial file is kept as `<file>.part` for resuming. */
export class DownloadError extends ParampredError {
  constructor(fn: string, readonly url: string, message: string) {
    super(fn, `${url}: ${message}`);
    this.name = 'DownloadError';
  }
}
