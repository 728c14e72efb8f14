/** RICA with and without parameter prediction, and the Coates-Lee-Ng single-layer evaluation pipeline (docs/method.md §2). */
export { samplePatches, normalizePatches, PATCH_EPS } from './patches.js';
export { fitZca, applyZca, type Zca } from './whiten.js';
export { ricaLoss, unitColumns, type RicaObjectiveOptions } from './objective.js';
export { createRica, ricaWeights, ricaDynamicParameters, disposeRica, type RicaModel, type RicaModelOptions } from './model.js';
export { trainRica, type RicaTrainOptions } from './train.js';
export { featureExtractor, denseResponses, poolQuadrants, extractFeatures, disposeExtractor, type FeatureExtractor } from './features.js';
export { trainSoftmax, predictClasses, accuracy, chooseL2, disposeClassifier, type LinearClassifier, type SoftmaxOptions, type L2Choice } from './classifier.js';
