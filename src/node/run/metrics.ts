/** Per-epoch metrics: one JSON object per line in `<run>/metrics.jsonl`. */
import { appendFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileSynced } from './arrays.js';

/** One epoch's row. Errors are in %, losses are mean cross-entropy (nats); valid* are null without a validation split. */
export interface EpochMetrics {
  epoch: number;
  step: number;
  trainLoss: number;
  trainError: number;
  validLoss: number | null;
  validError: number | null;
  lr: number;
  seconds: number;
}

export const METRICS_FILE = 'metrics.jsonl';

/** Appends one row. */
export function appendMetrics(runDir: string, row: EpochMetrics): void {
  appendFileSync(join(runDir, METRICS_FILE), JSON.stringify(row) + '\n');
}

/** Replaces the file with `rows` (on resume: the rows the checkpoint knows, nothing after them). */
export function writeMetrics(runDir: string, rows: readonly EpochMetrics[]): void {
  writeFileSynced(join(runDir, METRICS_FILE), rows.map((r) => JSON.stringify(r) + '\n').join(''));
}

/** Reads the rows back (empty when the file is missing). */
export function readMetrics(runDir: string): EpochMetrics[] {
  const p = join(runDir, METRICS_FILE);
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EpochMetrics);
}
