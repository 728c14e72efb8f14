/** parampred's browser-safe core: runs on any TF.js backend, no Node APIs. */
export { ParampredError } from './errors.js';
export { Rng, rng } from './rng.js';
export * from './dictionaries/index.js';
