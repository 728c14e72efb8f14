/**
 * A trained model on disk in TF.js's own format (model.json + weights.bin, io/file.ts's layout), written
 * atomically: saved into `<target>.partial-<pid>`, every file fsynced, then renamed onto `<target>`. The
 * result loads with tf.loadLayersModel('file://<target>/model.json') after `import 'parampred/node'`
 * (PredictedDense / PredictedConv2D are registered for serialization; Dense loads as TF.js's Dense).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ParampredError } from '../../core/errors.js';
import { fileHandler, modelExists, registerFileRouter } from '../io/file.js';
import { fsyncDir, writeFileSynced } from './arrays.js';

type WithActivation = { activation?: { getClassName(): string } };

/** A TF.js activation object by name (tf.layers exports no other handle to it). */
function activationObject(name: string): { getClassName(): string } {
  return (tf.layers.activation({ activation: name as 'linear' }) as unknown as Required<WithActivation>).activation;
}

export interface SaveTfjsOptions {
  /** The output layer's activation to save instead of its current one (the runner trains a softmax output as logits). */
  outputActivation?: 'softmax';
  /** More files written into the folder with the model (name → text), inside the same atomic rename. */
  files?: Record<string, string>;
  /** Refuse (ParampredError) rather than replace an existing `target` (default false: replace). */
  noReplace?: boolean;
}

/** Saves `model` to the directory `target` atomically (module comment); an existing `target` is replaced. */
export async function saveTfjsModel(model: tf.LayersModel, target: string, opts: SaveTfjsOptions = {}): Promise<void> {
  if (opts.noReplace && existsSync(target)) throw new ParampredError('saveTfjsModel', `expected a new folder to write the model to, got existing ${target}`);
  const tmp = join(dirname(target), `${basename(target)}.partial-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  const last = model.layers[model.layers.length - 1] as unknown as WithActivation;
  const kept = last.activation;
  if (opts.outputActivation && kept) last.activation = activationObject(opts.outputActivation);
  try {
    await model.save(fileHandler(tmp));
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    last.activation = kept;
  }
  for (const [name, text] of Object.entries(opts.files ?? {})) writeFileSynced(join(tmp, name), text);
  for (const f of readdirSync(tmp)) fsyncDir(join(tmp, f)); // fsync of an opened file, directory or not
  fsyncDir(tmp);
  if (!opts.noReplace) rmSync(target, { recursive: true, force: true });
  renameSync(tmp, target); // with noReplace, a folder made meanwhile and not empty makes this fail
  fsyncDir(dirname(target));
}

/** The TF.js model saved in directory `dir` (or at `dir`/model.json); a clear error when there is none. */
export async function loadTfjsModel(dir: string, fn = 'loadTfjsModel'): Promise<tf.LayersModel> {
  registerFileRouter();
  if (!existsSync(dir) || !modelExists(dir)) throw new ParampredError(fn, `expected a TF.js model (model.json + weights) at ${dir}, got ${existsSync(dir) ? 'no model.json' : 'no such path'}`);
  try {
    return await tf.loadLayersModel(fileHandler(dir));
  } catch (e) {
    throw new ParampredError(fn, `expected a loadable TF.js layers model at ${dir}, got ${(e as Error).message}`);
  }
}
