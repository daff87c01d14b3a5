// The normalization and activation suite: every activation of F at ordinary, kink (0), saturated (±40, ±800)
// and special (±inf, NaN) values with its options; F.batchNorm in train and eval mode with the updated running
// statistics joined to the output (`cat` of output, runningMean, runningVar), BatchNorm1d with momentum null over
// several batches, F.layerNorm, and F.preNorm against its PyTorch equivalent (layer_norm over all non-batch dims,
// then a per-channel affine). gelu with approximate: 'tanh' is the op `geluTanh`.
import * as tg from '../../../dist/index.js';
import { specs } from '../spec.mjs';

const { T } = specs('nn_norm_act');
const flat = (t) => t.reshape([-1]);
const bnOpts = (a, w, b) => ({ weight: w, bias: b, training: a.training, momentum: a.momentum ?? 0.1, eps: a.eps ?? 1e-5 });
/** The output flattened, then the running statistics as the call left them. */
const withStats = (y, rm, rv) => tg.cat([flat(y), rm, rv]);

export const ops = {
  leakyRelu: (x, a) => tg.F.leakyRelu(x, a.slope ?? 0.01),
  elu: (x, a) => tg.F.elu(x, a.alpha ?? 1),
  selu: (x) => tg.F.selu(x),
  gelu: (x) => tg.F.gelu(x),
  geluTanh: (x) => tg.F.gelu(x, { approximate: 'tanh' }),
  softplus: (x, a) => tg.F.softplus(x, { beta: a.beta ?? 1, threshold: a.threshold ?? 20 }),
  silu: (x) => tg.F.silu(x),
  logSigmoid: (x) => tg.F.logSigmoid(x),
  hardtanh: (x, a) => tg.F.hardtanh(x, a.min ?? -1, a.max ?? 1),
  batchNorm: (x, rm, rv, w, b, a) => withStats(tg.F.batchNorm(x, rm, rv, bnOpts(a, w, b)), rm, rv),
  batchNormPlain: (x, rm, rv, a) => withStats(tg.F.batchNorm(x, rm, rv, bnOpts(a, null, null)), rm, rv),
  batchNormNoStats: (x, w, b, a) => tg.F.batchNorm(x, null, null, bnOpts(a, w, b)),
  batchNormOnly: (x, rm, rv, w, b, a) => tg.F.batchNorm(x, rm, rv, bnOpts(a, w, b)),
  batchNormStatsAfter: (x, rm, rv, a) => (tg.F.batchNorm(x, rm, rv, bnOpts(a, null, null)), tg.cat([rm, rv])),
  batchNorm1dCumulative: (x, a) => {
    const bn = new tg.nn.BatchNorm1d(x.shape[1], { momentum: null }).double();
    const ys = [1, 2, 3].map((k) => flat(bn.forward(x.mul(k).add(k))));
    bn.eval();
    return tg.cat([...ys, flat(bn.forward(x)), bn.runningMean, bn.runningVar]);
  },
  layerNorm: (x, a) => tg.F.layerNorm(x, a.shape, { eps: a.eps ?? 1e-5 }),
  layerNormAffine: (x, w, b, a) => tg.F.layerNorm(x, a.shape, { weight: w, bias: b, eps: a.eps ?? 1e-5 }),
  preNorm: (x, a) => tg.F.preNorm(x, { eps: a.eps ?? 1e-5 }),
  preNormAffine: (x, w, b, a) => tg.F.preNorm(x, { weight: w, bias: b, eps: a.eps ?? 1e-5 }),
};

export const cases = [];
const add = (op, inputs, args = {}, known) => cases.push({ op, inputs, args, known });

const SPECIAL = [-Infinity, -800, -40, -10, -3, -1, -0.5, -1e-8, 0, 1e-8, 0.5, 1, 3, 10, 40, 800, Infinity, NaN];
const ACTS = [
  ['leakyRelu', [{}, { slope: 0.2 }, { slope: -0.5 }]],
  ['elu', [{}, { alpha: 0.5 }, { alpha: 2 }]],
  ['selu', [{}]],
  ['gelu', [{}]],
  ['geluTanh', [{}]],
  ['softplus', [{}, { beta: 2 }, { beta: 2, threshold: 1 }, { threshold: 0.5 }, { beta: -1.5 }, { beta: 0.5, threshold: 0 }]],
  ['silu', [{}]],
  ['logSigmoid', [{}]],
  ['hardtanh', [{}, { min: 0, max: 2 }, { min: -0.5, max: 0.5 }]],
];
for (const [op, variants] of ACTS) {
  for (const a of variants) {
    add(op, [T([3, 4])], a);
    add(op, [T([SPECIAL.length], SPECIAL)], a);
    // second order (not for the piecewise-linear ones, whose first derivative is a constant that records no graph)
    if (op !== 'leakyRelu' && op !== 'hardtanh') add(op, [T([2, 3], undefined, { lo: -6, hi: 6 })], { ...a, double: true });
  }
  add(op, [T([2, 3], undefined, { dtype: 'float32' })], variants[variants.length - 1]);
  add(op, [T([], [0.75])], variants[0]);
  add(op, [T([0, 2])], variants[0]);
}
// softplus exactly at and around its switch to the identity
add('softplus', [T([5], [19.9, 20, 20.1, 25, -20])]);
add('softplus', [T([4], [0.5, 0.25, 0.26, -0.5])], { beta: 2, threshold: 0.5 });
// hardtanh at its bounds
add('hardtanh', [T([6], [-1, 1, -1.0000001, 0.9999999, 2, -2])]);

// batchNorm: values, input/weight/bias gradients and the running statistics after the call
const stats = (C) => [T([C], undefined, { grad: false }), T([C], undefined, { grad: false, lo: 0.5, hi: 2 })];
const wb = (C) => [T([C], undefined, { lo: 0.5, hi: 1.5 }), T([C])];
for (const [shape, a] of [
  [[4, 3], { training: true }],
  [[4, 3], { training: true, momentum: 0.3, eps: 1e-3 }],
  [[3, 2, 5], { training: true }],
  [[2, 3, 2, 3], { training: true, momentum: 0.5 }],
  [[1, 3, 4], { training: true }],
  [[4, 3], { training: false }],
  [[2, 3, 4], { training: false, eps: 0.1 }],
  [[2, 2, 3, 3], { training: false }],
]) {
  const C = shape[1];
  add('batchNorm', [T(shape), ...stats(C), ...wb(C)], a);
  add('batchNormPlain', [T(shape), ...stats(C)], a);
}
// zero-size batches: the output, and the running statistics left unchanged (apart, because tapegrad's cat of an
// empty tensor that requires grad with others gives a result that does not require grad)
for (const [shape, a] of [[[0, 3], { training: true }], [[0, 3, 2], { training: false }], [[0, 3, 2], { training: true }]]) {
  add('batchNormOnly', [T(shape), ...stats(3), ...wb(3)], a);
  add('batchNormStatsAfter', [T(shape), ...stats(3)], a);
}
add('batchNormNoStats', [T([5, 2]), ...wb(2)], { training: true });
add('batchNormNoStats', [T([2, 2, 2, 2]), ...wb(2)], { training: true, eps: 1e-3 });
add('batchNorm', [T([4, 3]), ...stats(3), ...wb(3)], { training: true, double: true });
add('batchNorm', [T([2, 3, 2]), ...stats(3), ...wb(3)], { training: false, double: true });
const f32 = (shape, o = {}) => T(shape, undefined, { dtype: 'float32', ...o });
add('batchNorm', [f32([4, 3]), f32([3], { grad: false }), f32([3], { grad: false, lo: 0.5, hi: 2 }), f32([3]), f32([3])], { training: true });
add('batchNorm1dCumulative', [T([4, 3])]);
add('batchNorm1dCumulative', [T([3, 2, 4])]);
// errors on both sides: one value per channel in training; eval without running statistics; wrong channel count
add('batchNormPlain', [T([1, 3]), ...stats(3)], { training: true });
add('batchNormNoStats', [T([3, 2]), ...wb(2)], { training: false });
add('batchNormPlain', [T([2, 4]), ...stats(3)], { training: false });

// layerNorm
add('layerNorm', [T([3, 4])], { shape: [4] });
add('layerNorm', [T([2, 3, 4])], { shape: [3, 4], eps: 0.1 });
add('layerNorm', [T([5])], { shape: [5] });
add('layerNorm', [T([0, 3])], { shape: [3] });
add('layerNorm', [T([3, 4], [1, 1, 1, 1, 0, 0, 0, 1e-3, -5, 5, -5, 5])], { shape: [4] });
add('layerNormAffine', [T([3, 4]), T([4]), T([4])], { shape: [4] });
add('layerNormAffine', [T([2, 2, 3]), T([2, 3]), T([2, 3])], { shape: [2, 3] });
add('layerNormAffine', [T([2, 3, 4]), T([3, 4]), T([3, 4])], { shape: [3, 4], double: true });
add('layerNorm', [T([2, 3], undefined, { dtype: 'float32' })], { shape: [3] });
add('layerNorm', [T([2, 3])], { shape: [4] }); // error on both sides

// preNorm against layer_norm over x.shape[1:] (and a per-channel affine)
add('preNorm', [T([3, 5])]);
add('preNorm', [T([2, 3, 4])], { eps: 0.01 });
add('preNorm', [T([2, 2, 3, 3])], { double: true });
add('preNormAffine', [T([3, 4]), T([4]), T([4])]);
add('preNormAffine', [T([2, 3, 2, 2]), T([3]), T([3])], { double: true });
