/**
 * `parampred reproduce … --jobs N`: N worker processes of the same command line (plus `--worker
 * --resume`), each training the sweep's runs in the sweep's order and skipping the ones another worker
 * holds (run_lock.ts), so that N runs train at once; then the parent summarises. On a machine with few
 * cores one run per core at one thread trains more steps per second than one run on every core (README,
 * "Threads"), so each worker gets PARAMPRED_THREADS = ⌊cores / N⌋ (at least 1) unless it is set. Each
 * worker's stderr comes through line by line, prefixed with `[job i]`; its last stdout line is a JSON
 * report {trained, seconds}.
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';

export interface JobsReport {
  /** Runs the workers trained (or continued). */
  trained: number;
  /** Wall seconds from the first worker's start to the last one's exit. */
  seconds: number;
  /** One line per worker that failed: its number, exit code or signal, and its last stderr line. */
  failures: string[];
}

/** The worker's report line on stdout. */
export const WORKER_REPORT = 'parampred-worker-report ';

/** `args` (a command line after the program name) without `--jobs N` / `--jobs=N`. */
export function withoutJobs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--jobs') i++;
    else if (!args[i].startsWith('--jobs=')) out.push(args[i]);
  }
  return out;
}

/** The threads each of `jobs` workers gets: PARAMPRED_THREADS when set, else ⌊cores / jobs⌋, at least 1. */
export function workerThreads(jobs: number, env: NodeJS.ProcessEnv = process.env, cores = cpus().length): string {
  return env.PARAMPRED_THREADS ?? String(Math.max(1, Math.floor(cores / jobs)));
}

/**
 * Runs `jobs` workers of this process's command line (process.argv without `--jobs`, plus `extra`)
 * and waits for all of them; SIGINT/SIGTERM to the parent go to the workers too.
 */
export async function runWorkers(jobs: number, extra: readonly string[], log: (line: string) => void): Promise<JobsReport> {
  const t0 = performance.now();
  const args = [...process.execArgv, process.argv[1], ...withoutJobs(process.argv.slice(2)), ...extra];
  const env = { ...process.env, PARAMPRED_THREADS: workerThreads(jobs) };
  log(`[jobs] ${jobs} workers at PARAMPRED_THREADS=${env.PARAMPRED_THREADS}`);
  const children = Array.from({ length: jobs }, (_, i) => spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }).once('spawn', () => log(`[job ${i + 1}] started`)));
  const forward = (sig: NodeJS.Signals) => () => {
    for (const c of children) if (c.exitCode === null) c.kill(sig);
  };
  const onInt = forward('SIGINT'), onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const results = await Promise.all(children.map((c, i) => new Promise<{ trained: number; failure: string | null }>((resolve) => {
      let out = '', err = '', lastErr = '';
      c.once('error', (e) => resolve({ trained: 0, failure: `job ${i + 1} could not run: ${e.message}` })); // resolving twice is a no-op
      c.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
      c.stderr!.setEncoding('utf8').on('data', (d: string) => {
        err += d;
        const lines = err.split('\n');
        err = lines.pop() ?? '';
        for (const l of lines) {
          log(`[job ${i + 1}] ${l}`);
          if (l.trim()) lastErr = l;
        }
      });
      c.once('close', (code, signal) => {
        if (err) log(`[job ${i + 1}] ${err}`);
        const report = out.split('\n').reverse().find((l) => l.startsWith(WORKER_REPORT));
        const trained = report ? Number((JSON.parse(report.slice(WORKER_REPORT.length)) as { trained: number }).trained) : 0;
        resolve({ trained, failure: code === 0 ? null : `job ${i + 1} ${signal ? `was stopped by ${signal}` : `exited with code ${code}`}${lastErr ? `: ${lastErr.trim()}` : ''}` });
      });
    })));
    return { trained: results.reduce((n, r) => n + r.trained, 0), seconds: (performance.now() - t0) / 1000, failures: results.flatMap((r) => (r.failure ? [r.failure] : [])) };
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
