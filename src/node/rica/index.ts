/** The RICA pipeline on CIFAR-10 (Node: data loading and result files). */
export { runRica, type RicaRunOptions, type RicaResult } from './run.js';
