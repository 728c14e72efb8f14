/**
 * Data-driven dictionaries, layer by layer (docs/method.md §1): the sample is fed through the model; each
 * predicted layer with a data-driven dictionary (emp, emp2, ae, kmeans, pca) builds U from the features
 * of the layers below it, optionally after those layers were pretrained as tied autoencoders (so
 * 'se-emp' = se in layer 1, emp on layer 1's (pretrained) features in layer 2). A PredictedConv2D takes rows
 * of its input patches (layers/patches.ts: 2,000–8,000 rows, 4 per dictionary input).
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors.js';
import { PredictedDense } from '../layers/predicted_dense.js';
import { PredictedConv2D } from '../layers/predicted_conv2d.js';
import { pretrainLayer } from '../train/pretrain.js';
import { patchRows } from '../layers/patches.js';
import { calibrateColumns, type CalibrationReference } from '../layers/calibrate.js';
import type { PretrainOptions, PretrainResult } from '../train/pretrain.js';

export interface PrepareOptions {
  /** Pretrain hidden dense/predicted layers (all but the output layer) as tied autoencoders. */
  pretrain?: PretrainOptions | false;
  /** Rebuild dictionaries that are already built (default false). */
  rebuild?: boolean;
  /**
   * Rescale each PredictedDense column's V on the sample to a reference dense layer's output scale
   * (calibrateColumns), after its dictionary is built and before it is pretrained (default false).
   */
  calibrate?: CalibrationReference | false;
}

export interface PrepareReport {
  dictionaries: string[];
  /** The calibration factors per column of each calibrated layer. */
  calibrated: { layer: string; factors: number[] }[];
  pretrained: PretrainResult[];
}

/**
 * Builds a data-driven layer's dictionary from a batch of its inputs `x`: the rows themselves for a
 * PredictedDense; for a PredictedConv2D, rows of its input patches (patchRows: whole kh·kw·c_in patches,
 * or one channel's window; 2,000–8,000 rows, 4 per dictionary input).
 */
export function dictionaryFromInput(layer: PredictedDense | PredictedConv2D, x: tf.Tensor): void {
  if (layer instanceof PredictedDense) {
    const vals = tf.tidy(() => tf.reshape(x, [x.shape[0], -1]).dataSync() as Float32Array);
    layer.setDictionaryFromData({ rows: x.shape[0], cols: layer.nIn, values: vals });
    return;
  }
  const nv = layer.over === 'patch' ? layer.positions * layer.cIn : layer.positions;
  const rows = Math.min(8000, Math.max(2000, 4 * nv));
  const g = { kernelSize: layer.kernelSize, strides: layer.strides, dilationRate: layer.dilationRate, padding: layer.padding, over: layer.over };
  layer.setDictionaryFromData(patchRows(x.dataSync() as Float32Array, x.shape, g, rows, layer.seed));
}

/** Builds every data-driven dictionary of a sequential model from `sample` (a batch of model inputs). */
export function prepareDataDictionaries(model: tf.LayersModel, sample: tf.Tensor, opts: PrepareOptions = {}): PrepareReport {
  const fn = 'prepareDataDictionaries';
  check(sample.rank >= 2 && sample.shape[0] >= 2, fn, 'a sample batch of at least 2 rows', sample);
  const report: PrepareReport = { dictionaries: [], calibrated: [], pretrained: [] };
  const kernelLayers = model.layers.filter((l) => l instanceof PredictedDense || l instanceof PredictedConv2D || l.getClassName() === 'Dense' || l.getClassName() === 'Conv2D');
  const output = kernelLayers[kernelLayers.length - 1];
  let x = sample.clone();
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    if ((layer instanceof PredictedDense || layer instanceof PredictedConv2D) && layer.dataDriven && (opts.rebuild || !layer.dictionaryReady)) {
      dictionaryFromInput(layer, x);
      report.dictionaries.push(layer.name);
    }
    if (opts.calibrate && layer instanceof PredictedDense) {
      const x2 = tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
      report.calibrated.push({ layer: layer.name, factors: calibrateColumns(layer, x2, opts.calibrate) });
      x2.dispose();
    }
    if (opts.pretrain && layer !== output && (layer instanceof PredictedDense || layer.getClassName() === 'Dense')) {
      const x2 = tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
      report.pretrained.push(pretrainLayer(layer, x2, opts.pretrain));
      x2.dispose();
    }
    const next = tf.tidy(() => layer.apply(x) as tf.Tensor);
    x.dispose();
    x = next;
  }
  x.dispose();
  return report;
}
