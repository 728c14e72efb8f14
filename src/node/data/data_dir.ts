/** Where datasets live: --data-dir flag, else $PARAMPRED_DATA, else ./data (relative to the working directory). */
import { resolve } from 'node:path';

/** The absolute data directory: `flag` ?? env PARAMPRED_DATA ?? "./data", resolved against process.cwd(). */
export function resolveDataDir(flag?: string): string {
  const env = process.env.PARAMPRED_DATA;
  const dir = flag !== undefined && flag !== '' ? flag : env !== undefined && env !== '' ? env : 'data';
  return resolve(process.cwd(), dir);
}
