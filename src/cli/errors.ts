/**
 * How every command ends on bad input: a ParampredError (which names the function and what was
 * expected) is printed as one `error:` line and the exit code is 2; anything else is a bug and throws.
 */
import { ParampredError } from '../core/errors.js';

/** Runs a command's body, turning a ParampredError into `error: …` on stderr and exit code 2. */
export async function reportingInputErrors(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (e instanceof ParampredError) {
      console.error(`error: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}

/**
 * A flag that must be a positive integer: undefined when absent, else the number, or a ParampredError
 * naming the command, the flag and what was given (`--jobs 0`, `--seeds two`, `--seeds 1.5`).
 */
export function positiveIntFlag(fn: string, flag: string, raw: string | undefined, what = ''): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 1) throw new ParampredError(fn, `expected ${flag} a positive integer${what ? ` (${what})` : ''}, got ${JSON.stringify(raw)}`);
  return n;
}
