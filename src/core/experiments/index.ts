/** Experiments as typed data: the schema, defineExperiment and `--set` overrides. */
export * from './schema.js';
export { defineExperiment, checkExperiment, predictedLayers, formatIssues, stageExperiment, growStageAt } from './define.js';
export { applyOverrides, parseOverride, parseValue, keyPaths, leafPaths, type Override } from './overrides.js';
