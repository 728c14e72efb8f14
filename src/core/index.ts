/** parampred's browser-safe core: runs on any TF.js backend, no Node APIs. */
export { ParampredError } from './errors.js';
export { Rng, rng } from './rng.js';
export * from './dictionaries/index.js';
export * from './samplers/index.js';
export * from './geometry.js';
export * from './linalg.js';
export * from './data_matrix.js';
export * from './train/autoencoder.js';
export { kmeans } from './dictionaries/kmeans.js';
export { seLengthScale } from './dictionaries/se.js';
