import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineExperiment, checkExperiment } from './define.js';
import { applyOverrides, leafPaths, parseOverride } from './overrides.js';

const base = {
  name: 'tiny',
  why: 'a test',
  dataset: { name: 'synthetic' },
  model: { kind: 'mlp' as const, hidden: [8], layers: [null] },
};

test('defineExperiment fills every default from the schema', () => {
  const e = defineExperiment(base);
  assert.equal(e.optimizer.name, 'adam');
  assert.equal(e.optimizer.lr, 1e-3);
  assert.equal(e.optimizer.schedule, 'cosine');
  assert.equal(e.batchSize, 100);
  assert.deepEqual(e.dataset.limit, { train: null, test: null });
  assert.equal(e.earlyStopping, null);
  // idempotent: the resolved config validates to itself (what runs save and reload)
  assert.deepEqual(defineExperiment(JSON.parse(JSON.stringify(e))), e);
});

test('defineExperiment rejects bad values naming the path', () => {
  assert.throws(() => defineExperiment({ ...base, batchSize: 0 }), /defineExperiment: expected a valid experiment 'tiny': batchSize: /);
  assert.throws(() => defineExperiment({ ...base, optimizer: { name: 'rmsprop' as 'adam' } }), /optimizer\.name/);
  assert.throws(() => defineExperiment({ ...base, name: 'Not Kebab' }), /name: kebab-case/);
  assert.throws(() => defineExperiment({ ...base, bogus: 1 } as never), /unrecognized key.*bogus|bogus/i);
  assert.throws(
    () => defineExperiment({ ...base, model: { kind: 'mlp', hidden: [8, 8], layers: [null] } }),
    /expected model\.layers to have one entry per hidden layer \(2\), got 1/,
  );
  assert.throws(
    () => defineExperiment({ ...base, model: { kind: 'mlp', hidden: [8], layers: [{ fraction: 1.5, dictionary: { method: 'rand' } }] } }),
    /model\.layers\.0\.fraction/,
  );
});

test('checkExperiment checks dictionary names against the registry', () => {
  const e = defineExperiment({ ...base, model: { kind: 'mlp', hidden: [8], layers: [{ fraction: 0.5, dictionary: { method: 'nope' } }] } });
  assert.throws(() => checkExperiment(e), /model\.layers\.0\.dictionary\.method to be one of "rand", .*got "nope"/);
  checkExperiment(defineExperiment({ ...base, model: { kind: 'mlp', hidden: [8], layers: [{ fraction: 0.5, dictionary: { method: 'rand' } }] } }));
});

test('overrides: set numbers, booleans, strings, nulls and array entries', () => {
  const e = defineExperiment({ ...base, model: { kind: 'mlp', hidden: [8], layers: [{ fraction: 0.5, dictionary: { method: 'rand' } }] } });
  const o = applyOverrides(e, [
    'optimizer.lr=0.01',
    'optimizer.name=sgd',
    'model.layers.0.columns=4',
    'optimizer.maxColumnNorm=1.9365',
    'dataset.limit.train=500',
    'earlyStopping={"patience":3}',
    'model.hidden=[16]',
  ]);
  assert.equal(o.optimizer.lr, 0.01);
  assert.equal(o.optimizer.name, 'sgd');
  assert.equal(o.model.kind === 'mlp' && o.model.layers[0]?.columns, 4);
  assert.equal(o.optimizer.maxColumnNorm, 1.9365);
  assert.equal(o.dataset.limit.train, 500);
  assert.deepEqual(o.earlyStopping, { patience: 3, metric: 'valid-error' });
  assert.deepEqual(o.model.kind === 'mlp' && o.model.hidden, [16]);
  assert.equal(e.optimizer.lr, 1e-3, 'the input experiment is not mutated');
});

test('overrides: unknown key lists the valid keys', () => {
  const e = defineExperiment(base);
  assert.throws(() => applyOverrides(e, ['optimizer.learningRate=0.1']), (err: Error) => {
    assert.match(err.message, /applyOverrides: expected one of the keys of experiment 'tiny': .*optimizer\.lr.*got unknown key "optimizer\.learningRate"/);
    for (const k of leafPaths(e)) assert.ok(err.message.includes(k), k);
    return true;
  });
  assert.throws(() => applyOverrides(e, ['nope.deeper=1']), /got unknown key "nope\.deeper"/);
});

test('overrides: values are type-checked', () => {
  const e = defineExperiment(base);
  assert.throws(() => applyOverrides(e, ['optimizer.lr=fast']), /expected a number for optimizer\.lr, got "fast"/);
  assert.throws(() => applyOverrides(e, ['optimizer.lr=']), /expected a number for optimizer\.lr/);
  assert.throws(() => applyOverrides(e, ['dataset.limit={oops']), /expected JSON for dataset\.limit/);
  assert.throws(() => applyOverrides(e, ['optimizer.schedule=linear']), /optimizer\.schedule/);
  assert.throws(() => applyOverrides(e, ['optimizer.lr=-1']), /optimizer\.lr/);
  assert.throws(() => applyOverrides(e, ['epochs=2.5']), /epochs/);
  assert.throws(() => parseOverride('noequals'), /expected key\.path=value, got "noequals"/);
});

test('overrides: a key inside a null section switches it on with its schema defaults', () => {
  const e = defineExperiment(base);
  assert.equal(e.pretraining, null);
  const o = applyOverrides(e, ['pretraining.epochs=10', 'earlyStopping.patience=3']);
  // the reference: the sections as the schema resolves them when written out with only these keys
  assert.deepEqual(o.pretraining, defineExperiment({ ...base, pretraining: { epochs: 10 } }).pretraining);
  assert.deepEqual(o.pretraining, { epochs: 10, lr: 1e-3, batchSize: 100 });
  assert.deepEqual(o.earlyStopping, { patience: 3, metric: 'valid-error' });
  assert.equal(applyOverrides(e, ['pretraining.lr=0.01', 'pretraining.epochs=2']).pretraining?.lr, 0.01);
  // a section without a default for a required key names that key
  assert.throws(() => applyOverrides(e, ['pretraining.lr=0.01']), /pretraining\.epochs/);
  assert.throws(() => applyOverrides(e, ['pretraining.bogus=1']), /got unknown key "pretraining\.bogus"/);
  assert.throws(() => applyOverrides(e, ['pretraining.epochs=many']), /expected a number|pretraining\.epochs/);
  // a dense layer of the MLP becomes a predicted one once its required keys are set
  const p = applyOverrides(e, ['model.layers.0.fraction=0.5', 'model.layers.0.dictionary={"method":"rand"}']);
  assert.deepEqual(p.model.kind === 'mlp' && p.model.layers[0], { fraction: 0.5, columns: 1, dictionary: { method: 'rand' }, sampler: null, evalOrder: 'auto' });
  assert.throws(() => applyOverrides(e, ['model.layers.0.fraction=0.5']), /model\.layers\.0\.dictionary/);
  // the convnet's typed spec: its dense layer switched on, columns defaulting to buildConvnet's 5
  const c = defineExperiment({ ...base, model: { kind: 'convnet' } });
  const cd = applyOverrides(c, ['model.spec.dense.fraction=0.25', 'model.spec.dense.dictionary={"method":"se"}']);
  assert.equal(cd.model.kind === 'convnet' && cd.model.spec.dense?.columns, 5);
  assert.equal(e.pretraining, null, 'the input experiment is not mutated');
});

test('the convnet spec is typed: defaults from buildConvnet, unknown keys and wrong lengths rejected', () => {
  const c = defineExperiment({ ...base, model: { kind: 'convnet' } });
  assert.deepEqual(c.model.kind === 'convnet' && c.model.spec, { convLayers: [[48, 8], [64, 8], [64, 5]], convs: [null, null, null], pools: [2, 1, 1], padding: 'valid', denseUnits: 500, dense: null });
  assert.throws(() => defineExperiment({ ...base, model: { kind: 'convnet', spec: { filters: 3 } as never } }), /model\.spec: .*filters/i);
  assert.throws(() => defineExperiment({ ...base, model: { kind: 'convnet', spec: { convLayers: [[8, 3]] } } }), /expected model\.spec\.convs to have one entry per conv layer \(1\), got 3/);
  assert.throws(() => defineExperiment({ ...base, model: { kind: 'convnet', spec: { padding: 'full' as 'same' } } }), /model\.spec\.padding/);
  const bad = defineExperiment({ ...base, model: { kind: 'convnet', spec: { convs: [{ fraction: 0.5, dictionary: { method: 'nope' } }, null, null] } } });
  assert.throws(() => checkExperiment(bad), /expected model\.spec\.convs\.0\.dictionary\.method to be one of/);
});

test('defineExperiment: each predicted layer\'s columns divide its outputs, naming the key', () => {
  assert.throws(() => defineExperiment({ ...base, model: { kind: 'mlp', hidden: [8], layers: [{ fraction: 0.5, columns: 3, dictionary: { method: 'rand' } }] } }), /expected model\.layers\.0\.columns to divide model\.hidden\.0 \(8\), got 3/);
  assert.throws(() => defineExperiment({ ...base, model: { kind: 'convnet', spec: { denseUnits: 8, dense: { fraction: 0.5, dictionary: { method: 'se' } } } } }), /expected model\.spec\.dense\.columns to divide model\.spec\.denseUnits \(8\), got 5/);
  assert.throws(() => defineExperiment({ ...base, model: { kind: 'convnet', spec: { convLayers: [[6, 3]], pools: [1], convs: [{ fraction: 0.5, columns: 4, dictionary: { method: 'se' } }] } } }), /expected model\.spec\.convs\.0\.columns to divide its filters, model\.spec\.convLayers\.0\.0 \(6\), got 4/);
});
