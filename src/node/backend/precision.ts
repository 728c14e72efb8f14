/**
 * Precision of the native backend's matrix products and convolutions (issue 15). 'fp32' (default):
 * float32 throughout, bit for bit the addon's fp32 kernels. 'bf16': mixed precision — TF.js tensors,
 * weights, optimizer state and updates stay float32 (master weights); the products of BatchMatMul /
 * _FusedMatMul (forward and both backward products, which are themselves matMuls) and Conv2D /
 * FusedConv2D / Conv2DBackpropInput / Conv2DBackpropFilter take bfloat16 inputs (float32 rounded to
 * nearest even: 8 significant bits, relative error ≤ 2⁻⁹ per input) with float32 accumulation and
 * float32 outputs, inside oneDNN (native/src/bf16.h, matmul.cc, conv.cc).
 *
 * Where bf16 runs slower than fp32 the kernels stay fp32 (measured on oneDNN 2.6.3, AMX): products with
 * k < 32 (kernels/matmul.ts BF16_MIN_K) and depthwise convolutions. Each pass of each other convolution
 * shape runs in whichever precision timed faster on its first calls (conv_tune.ts: oneDNN's bf16
 * kernels are up to 13× faster on some of the paper's layers and up to 7× slower on others);
 * PARAMPRED_BF16_CONV=forward|all fixes the choice instead.
 *
 * bf16 needs AVX512-BF16 (the conversion) and a oneDNN ISA with native bf16 (avx512_core_bf16 or
 * avx512_core_amx; DNNL_MAX_CPU_ISA may cap it). Elsewhere asking for bf16 warns once and stays fp32.
 */
import { unknownName } from '../../core/errors.js';
import { loadAddon, type NativeAddon } from './binding.js';

export type Precision = 'fp32' | 'bf16';
export const PRECISIONS: readonly Precision[] = ['fp32', 'bf16'];

/** What the machine offers for bf16: ok, and why not when it does not. */
export interface Bf16Support {
  ok: boolean;
  /** The ISA oneDNN dispatches to (e.g. avx512_core_amx). */
  isa: string;
  /** oneDNN's implementation of a bf16 matmul here (e.g. brg:avx512_core_amx_bf16); '' if none. */
  matmulImpl: string;
  /** Why bf16 is unavailable ('' when ok). */
  reason: string;
}

const BF16_ISAS = ['avx512_core_bf16', 'avx512_core_amx'];

/** Detects bf16 support: the CPU's AVX512-BF16 flag, oneDNN's effective ISA, and its bf16 matmul. */
export function bf16Support(addon: NativeAddon): Bf16Support {
  const i = addon.bf16Info();
  let reason = '';
  if (!i.avx512bf16) reason = 'the CPU lacks AVX512-BF16';
  else if (!BF16_ISAS.includes(i.isa)) reason = `oneDNN's ISA is ${i.isa} (bf16 needs ${BF16_ISAS.join(' or ')}; DNNL_MAX_CPU_ISA may cap it)`;
  else if (!i.matmulImpl.includes('bf16')) reason = `oneDNN's bf16 matmul is ${JSON.stringify(i.matmulImpl)}, not a native bf16 kernel`;
  return { ok: reason === '', isa: i.isa, matmulImpl: i.matmulImpl, reason };
}

let current: Precision = 'fp32';
let warned = false;

/** Lets the next fallback warn again (for tests). */
export function resetPrecisionWarning(): void {
  warned = false;
}

/** The precision the native kernels use now. */
export function getPrecision(): Precision {
  return current;
}

/** True when products run in bf16. */
export function bf16Active(): boolean {
  return current === 'bf16';
}

/**
 * Applies a --precision flag of the CLI (run, reproduce, bench): validates it, sets it for the
 * native backend now and for any later registration (PARAMPRED_PRECISION); returns the one in effect.
 */
export function applyPrecisionFlag(p: string): Precision {
  if (!PRECISIONS.includes(p as Precision)) throw unknownName('--precision', 'precision', p, PRECISIONS);
  process.env.PARAMPRED_PRECISION = p;
  return setPrecision(p);
}

/** The fallback warning text. */
export function bf16FallbackMessage(s: Bf16Support): string {
  return `parampred: bf16 precision unavailable (${s.reason}); using fp32`;
}

/**
 * Sets the precision of the native kernels; returns the one in effect. bf16 where the machine lacks
 * it falls back to fp32 with one warning (unless quiet); without the addon it is fp32. Throws on an
 * unknown name. (`support` replaces the detection, for tests of the fallback.)
 */
export function setPrecision(p: string, opts: { quiet?: boolean; support?: Bf16Support } = {}, addon: NativeAddon | null = loadAddon()): Precision {
  if (!PRECISIONS.includes(p as Precision)) throw unknownName('setPrecision', 'precision', p, PRECISIONS);
  if (p === 'bf16') {
    const s = opts.support ?? (addon ? bf16Support(addon) : { ok: false, isa: '', matmulImpl: '', reason: 'the native addon is not loaded' });
    if (!s.ok) {
      if (!warned && !opts.quiet) {
        warned = true;
        console.warn(bf16FallbackMessage(s));
      }
      current = 'fp32';
      return current;
    }
  }
  current = p as Precision;
  return current;
}
