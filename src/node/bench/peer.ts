/**
 * The PyTorch peer (pytorch_peer.py --serve) under Debian's /usr/bin/python3, with OpenBLAS set to this
 * CPU (ENGINE.md). It stays up and answers timing requests, so its steps interleave with ours in rounds
 * and both sides see the same machine load.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../package_root.js';

export const PYTHON = '/usr/bin/python3';
/** The training steps both sides time. */
export type BenchCase = 'mlp_sgd' | 'mlp_adam' | 'conv_sgd';

/** The peer script: beside this module (running from src/), else in the package's src/node/bench. */
export function peerScript(): string {
  const here = join(dirname(fileURLToPath(import.meta.url)), 'pytorch_peer.py');
  return existsSync(here) ? here : join(packageRoot(), 'src', 'node', 'bench', 'pytorch_peer.py');
}

/**
 * The OpenMP settings the peer is timed under. Debian's PyTorch runs its element-wise loops on an
 * OpenMP pool and its products on OpenBLAS's own threads, 4 threads on 2 cores: with libgomp's
 * default spinning its MLP step took 6.0–6.7 ms here, with OMP_WAIT_POLICY=PASSIVE 3.4–3.7 ms, while
 * its convnet step (oneDNN on OpenMP) went the other way (44 → 68 ms). The bench times both and
 * compares with the faster per case, so the ratio is against PyTorch at its best. (Figures measured
 * 2026-12-01 when the choice was made; current ones: results/bench-engine.json, `peer` fields.)
 */
export const PEER_CONFIGS = ['default', 'passive'] as const;
export type PeerConfig = (typeof PEER_CONFIGS)[number];

/** The peer's environment: ours without the OpenMP wait settings parampred sets for itself, plus the config's. */
export function peerEnv(config: PeerConfig): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_CORETYPE: 'Cooperlake' };
  delete e.OMP_WAIT_POLICY;
  delete e.GOMP_SPINCOUNT;
  if (config === 'passive') e.OMP_WAIT_POLICY = 'PASSIVE';
  return e;
}

/** A running peer; `times` asks it for step times of a case. */
export class PytorchPeer {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterator<string>,
    private readonly rl: Interface,
    readonly torch: string,
    readonly config: PeerConfig,
  ) {}

  /** Starts the peer; a note instead when python3-torch or the script is missing or it fails. */
  static async start(threads: number, config: PeerConfig = 'default'): Promise<PytorchPeer | { note: string }> {
    if (!existsSync(PYTHON)) return { note: `${PYTHON} not found: install Debian's python3-torch for the PyTorch peer` };
    const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', env: peerEnv(config) });
    if (probe.status !== 0) return { note: `${PYTHON} has no torch (apt-get install -y python3-torch): ${probe.stderr.trim().split('\n').pop()}` };
    const script = peerScript();
    if (!existsSync(script)) return { note: `PyTorch peer script missing: ${script}` };
    const child = spawn(PYTHON, [script, '--serve', '--threads', String(threads)], { env: peerEnv(config) });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const rl = createInterface({ input: child.stdout });
    const lines = rl[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) return { note: `PyTorch peer exited: ${stderr.trim().split('\n').pop()}` };
    const hello = JSON.parse(first.value) as { torch: string };
    return new PytorchPeer(child, lines, rl, hello.torch, config);
  }

  /** Step times (ms) of `steps` steps of a case after `warmup` untimed ones. */
  async times(benchCase: BenchCase, steps: number, warmup = 0): Promise<number[]> {
    this.child.stdin.write(`${JSON.stringify({ case: benchCase, steps, warmup })}\n`);
    const r = await this.lines.next();
    if (r.done) throw new Error(`bench engine: expected the PyTorch peer to answer for ${benchCase}, but it exited`);
    return (JSON.parse(r.value) as { times_ms: number[] }).times_ms;
  }

  stop(): void {
    this.rl.close();
    this.child.stdin.end();
    this.child.kill();
  }
}
