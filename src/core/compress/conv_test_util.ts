/**
 * Test helpers for the conv approximations (separable, monochromatic, bicluster): a small Sequential
 * convnet with a given first or second conv, the output of one layer of a model, Ŵ's evaluation by
 * tf.conv2d, and a save / load round trip in memory. Not part of the library API.
 */
import * as tf from '@tensorflow/tfjs';

export interface ConvSpec {
  filters: number;
  kernelSize: [number, number];
  strides?: [number, number];
  padding?: 'valid' | 'same';
  activation?: 'linear' | 'relu' | 'tanh';
  useBias?: boolean;
}

/** tf.sequential: [pre (conv 1×1 → preChannels) if preChannels] → conv (named 'conv', `spec`) → conv 'next' 3×3 → flatten → dense 'out'. */
export function convModel(inputShape: [number, number, number], spec: ConvSpec, preChannels = 0, seed = 1): tf.Sequential {
  const m = tf.sequential();
  const first = preChannels > 0;
  if (first) m.add(tf.layers.conv2d({ filters: preChannels, kernelSize: 1, inputShape, name: 'pre', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 10 }) }));
  m.add(tf.layers.conv2d({
    ...spec, name: 'conv', inputShape: first ? undefined : inputShape,
    kernelInitializer: tf.initializers.randomNormal({ stddev: 0.3, seed }), biasInitializer: tf.initializers.randomNormal({ stddev: 0.1, seed: seed + 1 }),
  }));
  m.add(tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', name: 'next', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }));
  m.add(tf.layers.flatten({ name: 'flat' }));
  m.add(tf.layers.dense({ units: 4, name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }) }));
  return m;
}

/** The output of layer `name` of `m` on `x`. */
export function layerOutput(m: tf.LayersModel, name: string, x: tf.Tensor): tf.Tensor {
  const sub = tf.model({ inputs: m.inputs, outputs: m.getLayer(name).output as tf.SymbolicTensor });
  return sub.predict(x) as tf.Tensor;
}

/** max |a − b| / max |b|. */
export function relDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.sub(a, b).abs().max().dataSync()[0] / Math.max(1e-30, b.abs().max().dataSync()[0]));
}

/** act(conv2d(x, Ŵ) + b), the layer with kernel Ŵ (HWIO, float64 values). */
export function convWith(x: tf.Tensor, w: Float64Array, shape: [number, number, number, number], bias: tf.Tensor | undefined, spec: ConvSpec): tf.Tensor {
  return tf.tidy(() => {
    let y: tf.Tensor = tf.conv2d(x as tf.Tensor4D, tf.tensor4d(Float32Array.from(w), shape), spec.strides ?? [1, 1], spec.padding ?? 'valid');
    if (bias) y = tf.add(y, bias);
    return spec.activation === 'relu' ? tf.relu(y) : spec.activation === 'tanh' ? tf.tanh(y) : y;
  });
}

/** ‖W − Ŵ‖_F in float64. */
export function frob(w: ArrayLike<number>, approx: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < w.length; i++) e += (w[i] - approx[i]) ** 2;
  return Math.sqrt(e);
}

/** `m` saved to memory and loaded back. */
export async function roundTrip(m: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (art) => ((saved = art), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  // through JSON, as a file would be
  const topology = JSON.parse(JSON.stringify(saved!.modelTopology));
  return tf.loadLayersModel(tf.io.fromMemory({ ...saved!, modelTopology: topology }));
}

/**
 * The dense HWIO kernel (kh × kw × C × F) equivalent to a built GroupedConv2D, from its config and
 * weights by the layer's definition: group g's kernel on input channels inputGroups[g], zeros elsewhere;
 * output channel f is concatenated channel outputOrder[f] (concatenated channels not listed are dropped).
 */
export function groupedAsDense(layer: tf.layers.Layer, cIn: number): { w: Float64Array; shape: [number, number, number, number] } {
  const cfg = layer.getConfig() as { kernelSize: [number, number]; inputGroups: number[][]; groupFilters: number[]; outputOrder: number[] | null };
  const [kh, kw] = cfg.kernelSize;
  const joined = cfg.groupFilters.reduce((s, n) => s + n, 0);
  const order = cfg.outputOrder ?? Array.from({ length: joined }, (_, i) => i);
  const F = order.length;
  const where = new Array<number | undefined>(joined).fill(undefined); // concatenated channel j → output channel (undefined: dropped)
  order.forEach((j, f) => (where[j] = f));
  const kernels = layer.getWeights().filter((t) => t.rank === 4);
  const w = new Float64Array(kh * kw * cIn * F);
  let offset = 0;
  cfg.inputGroups.forEach((g, gi) => {
    const k = kernels[gi].dataSync(), fg = cfg.groupFilters[gi];
    for (let p = 0; p < kh * kw; p++) g.forEach((c, ci) => {
      for (let j = 0; j < fg; j++) {
        const f = where[offset + j];
        if (f !== undefined) w[(p * cIn + c) * F + f] = k[(p * g.length + ci) * fg + j];
      }
    });
    offset += fg;
  });
  return { w, shape: [kh, kw, cIn, F] };
}
