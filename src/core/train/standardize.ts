/**
 * Per-channel standardisation of image rows (n × h·w·c, NHWC, channel = fastest axis):
 * x' = (x − μ_c) / σ_c with μ_c, σ_c the mean and standard deviation of channel c over the rows and
 * pixels of the training split (schema: dataset.normalize 'per-channel').
 */
import { check } from '../errors.js';

/** Mean and standard deviation of each of the `channels` interleaved channels of x (float64 sums). */
export function channelStats(x: Float32Array, channels: number): { mean: Float64Array; std: Float64Array } {
  check(Number.isInteger(channels) && channels >= 1 && x.length % channels === 0 && x.length > 0, 'channelStats', `a non-empty array whose length is a multiple of channels (${channels})`, x.length);
  const sum = new Float64Array(channels), sq = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) sum[i % channels] += x[i];
  const count = x.length / channels;
  const mean = sum.map((s) => s / count);
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - mean[i % channels];
    sq[i % channels] += d * d;
  }
  const std = sq.map((s) => Math.sqrt(s / count));
  return { mean, std };
}

/** (x − mean_c) / std_c per channel (a new array; a channel with std 0 is only centred). */
export function standardizeChannels(x: Float32Array, mean: ArrayLike<number>, std: ArrayLike<number>): Float32Array {
  const c = mean.length;
  check(std.length === c && x.length % c === 0, 'standardizeChannels', `mean and std of one length dividing x's (${x.length})`, { mean: mean.length, std: std.length });
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const k = i % c;
    out[i] = (x[i] - mean[k]) / (std[k] > 0 ? std[k] : 1);
  }
  return out;
}
