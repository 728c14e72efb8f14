/**
 * A `file://` IO handler for TF.js in Node (the pure-JS packages have none): model.save('file://dir')
 * writes dir/model.json (topology + weights manifest) and dir/weights.bin; tf.loadLayersModel(
 * 'file://dir/model.json') or ('file://dir') reads them back, weights byte for byte.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

const PREFIX = 'file://';

function concatWeightData(d: tf.io.WeightData | undefined): Uint8Array {
  if (!d) return new Uint8Array(0);
  if (d instanceof ArrayBuffer) return new Uint8Array(d);
  const parts = d.map((b) => new Uint8Array(b));
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** An IOHandler that saves to / loads from `path` (a directory, or a model.json inside one). */
export function fileHandler(path: string): tf.io.IOHandler {
  const p = path.startsWith(PREFIX) ? path.slice(PREFIX.length) : path;
  const jsonPath = p.endsWith('.json') ? p : join(p, 'model.json');
  const dir = dirname(jsonPath);
  return {
    async save(a: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      mkdirSync(dir, { recursive: true });
      const bin = concatWeightData(a.weightData);
      writeFileSync(join(dir, 'weights.bin'), bin);
      const json = {
        modelTopology: a.modelTopology,
        format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy ?? null,
        trainingConfig: a.trainingConfig, userDefinedMetadata: a.userDefinedMetadata,
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
      };
      writeFileSync(jsonPath, JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
      const specs: tf.io.WeightsManifestEntry[] = [];
      const bufs: Uint8Array[] = [];
      for (const group of json.weightsManifest ?? []) {
        specs.push(...group.weights);
        for (const f of group.paths) bufs.push(new Uint8Array(readFileSync(join(dir, f))));
      }
      const total = bufs.reduce((s, b) => s + b.length, 0);
      const data = new Uint8Array(total);
      let o = 0;
      for (const b of bufs) {
        data.set(b, o);
        o += b.length;
      }
      return { ...tf.io.getModelArtifactsForJSONSync(json, specs, data.buffer) };
    },
  };
}

// TF.js routers answer null for URLs they do not handle (its IORouter type omits the null).
const router = ((url: string | string[]) => (Array.isArray(url) || !url.startsWith(PREFIX) ? null : fileHandler(url))) as unknown as Parameters<typeof tf.io.registerSaveRouter>[0];

let registered = false;
/** Registers the file:// save and load routers (once). */
export function registerFileRouter(): void {
  if (registered) return;
  registered = true;
  tf.io.registerSaveRouter(router);
  tf.io.registerLoadRouter(router);
}

/** True when `path` (without file://) names a saved model directory or model.json. */
export function modelExists(path: string): boolean {
  const p = path.startsWith(PREFIX) ? path.slice(PREFIX.length) : path;
  const j = p.endsWith('.json') ? p : join(p, 'model.json');
  return existsSync(j) && statSync(j).isFile();
}
