/** Progress on stderr: a cli-progress bar (TTY) or one line per epoch, with loss, error and ETA. */
import cliProgress from 'cli-progress';

/** What the runner reports: every step, and at the end of every epoch. */
export type ProgressEvent =
  | { kind: 'start'; epochs: number; stepsPerEpoch: number; fromEpoch: number }
  | { kind: 'step'; epoch: number; batch: number; batches: number; loss: number; error: number; lr: number }
  | { kind: 'epoch'; epoch: number; epochs: number; trainLoss: number; trainError: number; validError: number | null; seconds: number; etaSeconds: number }
  | { kind: 'done'; testError: number; testLoss: number };

export type ProgressMode = 'bar' | 'lines' | 'none';

/**
 * Seconds as 1m05s, or under a minute with `decimals` (42s / 42.0s); '?' when not finite. Rounded once, then
 * split, so that 4,139.6 s is 69m00s and not 68m60s.
 */
export function fmtSeconds(s: number, decimals = 0): string {
  if (!Number.isFinite(s)) return '?';
  if (Number(s.toFixed(decimals)) < 60) return `${s.toFixed(decimals)}s`;
  const t = Math.round(s);
  return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
}
const fmtTime = (s: number) => fmtSeconds(s, 1);

/** A reporter for `mode`; call it with each event, and `stop()` at the end (also on errors). */
export function progressReporter(mode: ProgressMode, label: string): { report: (e: ProgressEvent) => void; stop: () => void } {
  if (mode === 'none') return { report: () => {}, stop: () => {} };
  if (mode === 'lines') {
    return {
      report: (e) => {
        if (e.kind === 'epoch') {
          const v = e.validError === null ? '' : ` valid error ${e.validError.toFixed(2)}%`;
          process.stderr.write(`${label} epoch ${e.epoch + 1}/${e.epochs}: loss ${e.trainLoss.toFixed(4)} train error ${e.trainError.toFixed(2)}%${v} (${fmtTime(e.seconds)}, ETA ${fmtTime(e.etaSeconds)})\n`);
        }
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} epoch {ep} |{bar}| {value}/{total} loss {loss} err {err}% lr {lr} ETA {eta_formatted}`, stream: process.stderr, hideCursor: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  let epochs = 0;
  let running = false;
  return {
    report: (e) => {
      if (e.kind === 'start') epochs = e.epochs;
      if (e.kind === 'step') {
        if (!running || e.batch === 0) {
          if (running) bar.stop();
          bar.start(e.batches, 0, { ep: `${e.epoch + 1}/${epochs}`, loss: '-', err: '-', lr: '-' });
          running = true;
        }
        bar.update(e.batch + 1, { loss: e.loss.toFixed(4), err: e.error.toFixed(1), lr: e.lr.toExponential(2) });
      }
      if (e.kind === 'epoch' && running) {
        bar.stop();
        running = false;
        const v = e.validError === null ? '' : `, valid error ${e.validError.toFixed(2)}%`;
        process.stderr.write(`  train error ${e.trainError.toFixed(2)}%${v}; run ETA ${fmtTime(e.etaSeconds)}\n`);
      }
    },
    stop: () => {
      if (running) bar.stop();
      running = false;
    },
  };
}
