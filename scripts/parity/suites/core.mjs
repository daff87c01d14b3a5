// The core suite: elementwise, reduction, shape and linear-algebra ops, and printing. Each case names an op, its inputs (data + shape + dtype, and whether it requires grad) and extra
// arguments. The same case list is evaluated by tapegrad (run.mjs) and by PyTorch (torch_ref.py).
import * as tg from '../../../dist/index.js';
import { specs } from '../spec.mjs';

const { rnd, T, I, B } = specs('parity');
const pos = (shape) => T(shape, undefined, { lo: 0.2, hi: 3 });

const d = (a) => (a.dim === null ? undefined : a.dim);

export const ops = {
  add: (x, y) => x.add(y), sub: (x, y) => x.sub(y), mul: (x, y) => x.mul(y), div: (x, y) => x.div(y),
  maximum: (x, y) => x.maximum(y), minimum: (x, y) => x.minimum(y), pow: (x, y) => x.pow(y),
  powScalar: (x, a) => x.pow(a.exponent),
  neg: (x) => x.neg(), exp: (x) => x.exp(), tanh: (x) => x.tanh(), sigmoid: (x) => x.sigmoid(), sin: (x) => x.sin(),
  cos: (x) => x.cos(), expm1: (x) => x.expm1(), abs: (x) => x.abs(), sign: (x) => x.sign(), relu: (x) => x.relu(),
  log: (x) => x.log(), sqrt: (x) => x.sqrt(), rsqrt: (x) => x.rsqrt(), log1p: (x) => x.log1p(),
  clamp: (x, a) => x.clamp(a.min, a.max), where: (c, x, y) => tg.where(c, x, y),
  gt: (x, y) => x.gt(y), ge: (x, y) => x.ge(y), lt: (x, y) => x.lt(y), le: (x, y) => x.le(y), eq: (x, y) => x.eq(y), ne: (x, y) => x.ne(y),
  sum: (x, a) => x.sum(d(a), a.keepdim), mean: (x, a) => x.mean(d(a), a.keepdim), prod: (x, a) => (Array.isArray(a.dim) ? x.prod(a.dim[1], a.keepdim).prod(a.dim[0], a.keepdim) : x.prod(d(a), a.keepdim)),
  logsumexp: (x, a) => x.logsumexp(d(a), a.keepdim), amax: (x, a) => x.max(Array.isArray(a.dim) ? a.dim : [a.dim], a.keepdim),
  amin: (x, a) => x.min(Array.isArray(a.dim) ? a.dim : [a.dim], a.keepdim), maxAll: (x) => x.max(), minAll: (x) => x.min(),
  maxDim: (x, a) => x.max(a.dim, a.keepdim), minDim: (x, a) => x.min(a.dim, a.keepdim),
  argmax: (x, a) => x.argmax(a.dim, a.keepdim), argmin: (x, a) => x.argmin(a.dim, a.keepdim),
  var: (x, a) => x.var(d(a), a.keepdim, a.correction), std: (x, a) => x.std(d(a), a.keepdim, a.correction),
  softmax: (x, a) => x.softmax(a.dim), logSoftmax: (x, a) => x.logSoftmax(a.dim),
  matmul: (x, y) => x.matmul(y), gather: (x, i, a) => x.gather(a.dim, i), scatterAdd: (x, i, s, a) => x.scatterAdd(a.dim, i, s),
  indexSelect: (x, i, a) => x.indexSelect(a.dim, i), narrow: (x, a) => x.narrow(a.dim, a.start, a.length),
  pad: (x, a) => tg.pad(x, a.pads, a.value), cat: (x, y, a) => tg.cat([x, y], a.dim), stack: (x, y, a) => tg.stack([x, y], a.dim),
  transposeReshape: (x, a) => x.transpose(0, 2).reshape(a.shape), expandSum: (x, a) => x.expand(a.shape).mul(x).sum(0),
  unfold2d: (x, a) => tg.unfold(x, a.kernel, { stride: a.stride, padding: a.padding, dilation: a.dilation }),
  fold2d: (x, a) => tg.fold(x, a.output, a.kernel, { stride: a.stride, padding: a.padding, dilation: a.dilation }),
  clampT: (x, lo, hi) => x.clamp(lo, hi), divInt: (x, y) => x.div(y), addIntFloatScalar: (x, a) => x.add(a.scalar), mulF32F64zerodim: (x, y) => x.mul(y),
  sumBool: (x) => x.sum(), linspace: (a) => tg.linspace(a.start, a.end, a.steps, { dtype: 'float64' }),
  arange: (a) => tg.arange(a.start, a.end, a.step, { dtype: 'float64' }),
};

export const cases = [];
const add = (op, inputs, args = {}, known) => cases.push({ op, inputs, args, known });

for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum']) {
  add(op, [T([2, 3]), T([3])]);
  add(op, [T([2, 1]), T([1, 3])]);
  add(op, [T([3]), T([], [1.5])]);
}
for (const op of ['maximum', 'minimum']) add(op, [T([4], [1, 2, 3, NaN]), T([4], [1, 0, 3, 2])]); // ties and NaN
add('pow', [pos([2, 3]), T([3])]);
add('pow', [T([5], [0, 0, 2, -1.5, 0]), T([5], [2, 0, 0.5, 2, -1])]); // zero base, zero exponent
add('powScalar', [T([4], [0, -1, 2, 3])], { exponent: 2 });
add('powScalar', [T([3], [0, 1, 4])], { exponent: 0.5 });
add('powScalar', [T([3], [0, 1, 4])], { exponent: 0 });
for (const op of ['neg', 'exp', 'tanh', 'sigmoid', 'sin', 'cos', 'expm1', 'abs', 'sign', 'relu']) add(op, [T([2, 3])]);
for (const op of ['abs', 'sign', 'relu']) add(op, [T([5], [0, -0, 1, -1, NaN])]);
add('sigmoid', [T([4], [-800, -50, 50, 800])]);
add('tanh', [T([3], [-30, 0, 30])]);
for (const op of ['log', 'sqrt', 'rsqrt', 'log1p']) add(op, [pos([2, 3])]);
add('sqrt', [T([2], [0, 4])]);
add('log', [T([3], [0, -1, 1])]);
add('clamp', [T([6], [-2, -1, 0, 0.5, 1, 2])], { min: -1, max: 1 });
add('clamp', [T([3], [-2, NaN, 2])], { min: 0 });
add('clamp', [T([3], [-2, 0.5, 2])], { max: 0.5 });
add('clamp', [T([3], [-2, 0.5, 2])], { min: 1, max: 0 }); // min > max
add('where', [B([2, 3], [1, 0, 1, 0, 0, 1]), T([2, 3]), T([3])]);
for (const op of ['gt', 'ge', 'lt', 'le', 'eq', 'ne']) add(op, [T([4], [1, 2, NaN, 3]), T([4], [1, 3, NaN, 2])]);

for (const [dim, keepdim] of [[null, false], [0, false], [1, true], [-1, false], [[0, 1], true]]) {
  for (const op of ['sum', 'mean', 'prod', 'logsumexp']) add(op, [T([3, 4])], { dim, keepdim });
  for (const op of ['amax', 'amin']) if (dim !== null) add(op, [T([3, 4])], { dim, keepdim });
}
add('prod', [T([2, 3], [1, 0, 3, 0, 0, 2])], { dim: 1, keepdim: false });
add('prod', [T([4], [2, 0, 3, 4])], { dim: null, keepdim: false });
add('maxAll', [T([2, 3], [1, 5, 5, 2, 5, 0])]);
add('minAll', [T([2, 3], [1, -5, -5, 2, 5, 0])]);
add('maxDim', [T([2, 3], [1, 5, 5, 7, 2, 7])], { dim: 1, keepdim: false });
add('minDim', [T([2, 3], [1, 0, 0, 7, 2, 2])], { dim: 1, keepdim: true });
add('amax', [T([2, 3], [1, 5, 5, 7, 2, 7])], { dim: 1, keepdim: false });
add('maxAll', [T([3], [1, NaN, 2])]);
add('argmax', [T([2, 3], [1, 5, 5, 7, 2, 7])], { dim: 1, keepdim: false });
add('argmax', [T([2, 3], [1, 5, 5, 7, 2, 7])], { dim: null, keepdim: false });
add('argmin', [T([2, 3], [1, 0, 0, 7, 2, 2])], { dim: 0, keepdim: true });
add('argmax', [T([3], [1, NaN, 2])], { dim: 0, keepdim: false });
for (const correction of [0, 1, 2]) {
  add('var', [T([3, 4])], { dim: 1, keepdim: false, correction });
  add('std', [T([3, 4])], { dim: null, keepdim: false, correction });
}
add('var', [T([1, 3])], { dim: 0, keepdim: false, correction: 1 }); // n = 1: nan
add('softmax', [T([2, 3])], { dim: 1 });
add('softmax', [T([2, 3], [-Infinity, 0, 1, 1e4, -1e4, 0])], { dim: 1 });
add('logSoftmax', [T([2, 3], [-Infinity, 0, 1, 1e4, -1e4, 0])], { dim: -1 });
add('logsumexp', [T([2, 2], [-Infinity, -Infinity, 1, Infinity])], { dim: 1, keepdim: false });

add('matmul', [T([3]), T([3])]);
add('matmul', [T([3]), T([3, 2])]);
add('matmul', [T([2, 3]), T([3])]);
add('matmul', [T([2, 1, 2, 3]), T([4, 3, 2])]);
add('matmul', [T([3]), T([2, 3, 4])]);
add('gather', [T([3, 4]), I([3, 2], [0, 3, 1, 1, 2, 0])], { dim: 1 });
add('scatterAdd', [T([3, 4]), I([2, 4], [0, 1, 2, 0, 0, 1, 2, 2]), T([2, 4])], { dim: 0 });
add('indexSelect', [T([4, 3]), I([5], [3, 0, 0, 2, 1])], { dim: 0 });
add('narrow', [T([4, 5])], { dim: 1, start: 1, length: 3 });
add('pad', [T([2, 3])], { pads: [1, 2, 0, 1], value: 0.5 });
add('pad', [T([3, 4])], { pads: [-1, 1, 1, -2], value: 0 });
add('cat', [T([2, 3]), T([1, 3])], { dim: 0 });
add('stack', [T([2, 3]), T([2, 3])], { dim: 2 });
add('transposeReshape', [T([2, 3, 4])], { shape: [4, 6] });
add('expandSum', [T([3, 1])], { shape: [2, 3, 4] });
add('unfold2d', [T([2, 3, 5, 6])], { kernel: [2, 3], stride: [2, 1], padding: [1, 0], dilation: [1, 2] });
add('unfold2d', [T([1, 2, 4, 4])], { kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] });
add('fold2d', [T([2, 2 * 4, 9])], { output: [4, 4], kernel: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [1, 1] });
add('fold2d', [T([1, 3 * 4, 12])], { output: [5, 6], kernel: [2, 2], stride: [2, 2], padding: [1, 1], dilation: [1, 1] });
add('divInt', [I([4], [7, -7, 1, 0]), I([4], [2, 2, 3, 0])]);
add('addIntFloatScalar', [I([3], [1, 2, 3])], { scalar: 2.5 });
add('mulF32F64zerodim', [T([3], undefined, { dtype: 'float32', grad: false }), T([], [2])]);
add('sumBool', [B([4], [1, 0, 1, 1])]);
add('linspace', [], { start: -1, end: 1, steps: 7 });
add('linspace', [], { start: 0, end: 1, steps: 1 });
add('arange', [], { start: 0, end: 1, step: 0.3 });

// float32 paths and promotion corners
const F = (shape, data) => T(shape, data, { dtype: 'float32' });
add('softmax', [F([2, 3], [1e4, -1e4, 0, 1, 2, 3])], { dim: 1 });
add('logSoftmax', [F([2, 3], [1e4, -1e4, 0, 1, 2, 3])], { dim: 1 });
add('logsumexp', [F([3], [1e4, 1e4, -1e4])], { dim: 0, keepdim: false },
  'PyTorch forms the float32 gradient as exp(x - result) with result rounded to float32 (ulp 1e-3 at 1e4), 2e-4 off; tapegrad gives the exact softmax');
add('sigmoid', [F([4], [-100, -10, 10, 100])]);
add('sum', [F([3, 5])], { dim: 1, keepdim: false });
add('mulF32F64zerodim', [I([3], [1, 2, 3]), T([], [2.5])]); // int dims × float64 0-d → float64
add('addIntFloatScalar', [B([3], [1, 0, 1])], { scalar: 2 }); // bool + int scalar → int
add('sumBool', [I([3], [4, 5, -2])]);
add('add', [B([3], [1, 0, 1]), I([3], [1, 2, 3])]);
add('div', [F([3]), I([3], [1, 2, 4])]);
add('powScalar', [I([3], [1, 2, 3])], { exponent: 0.5 });
add('powScalar', [I([3], [1, 2, 3])], { exponent: 2 });
add('gt', [I([3], [1, 2, 3]), T([], [1.5], { grad: false })]);
// tensor bounds, degenerate reductions, 0-d inputs
add('clampT', [T([5], [-2, -0.5, 0, 0.5, 2]), T([5], [-1, -1, 0, 0, 0]), T([5], [1, 1, 1, 0.25, 1])]);
add('std', [T([2, 3])], { dim: 1, keepdim: true, correction: 3 });
add('var', [T([2, 3])], { dim: 1, keepdim: false, correction: 4 },
  'correction > N: PyTorch clamps the divisor to 0 for the value (inf) but differentiates with the negative one; tapegrad keeps them consistent (NaN gradient)');
add('softmax', [T([], [2])], { dim: 0 });
add('maxAll', [T([], [3])]);
add('logsumexp', [T([2], [-Infinity, -Infinity])], { dim: 0, keepdim: false });
add('narrow', [T([5, 2])], { dim: 0, start: -3, length: 2 });
add('where', [B([3], [1, 0, 1]), T([3]), T([], [0.25])]);
// second order: the vector-Jacobian product differentiated again
for (const [op, inputs, args] of [
  ['tanh', [T([2, 3])], {}], ['sigmoid', [T([4])], {}], ['softmax', [T([2, 3])], { dim: 1 }],
  ['logSoftmax', [T([2, 3])], { dim: 0 }], ['prod', [T([2, 3], [1, 0, 3, 0, 0, 2])], { dim: 1, keepdim: false }],
  ['prod', [T([3])], { dim: null, keepdim: false }], ['pow', [pos([3]), T([3])], {}], ['div', [T([3]), pos([3])], {}],
  ['var', [T([3, 4])], { dim: 1, keepdim: false, correction: 1 }], ['logsumexp', [T([2, 3])], { dim: 1, keepdim: true }],
  ['matmul', [T([2, 3]), T([3, 2])], {}], ['sqrt', [pos([3])], {}], ['maximum', [T([3]), T([3])], {}],
  ['unfold2d', [T([1, 2, 4, 4])], { kernel: [2, 2], stride: [1, 2], padding: [1, 0], dilation: [1, 1] }],
]) add(op, inputs, { ...args, double: true });

// printing: toString() against repr() of the same float32 tensor
export const formatCases = [
  [[2], [1, 2]], [[2, 2], [1.5, 2, 3, 4]], [[3], [0.001, 1, 100]], [[3], [1e-5, 1, 2]], [[3], [1e9, 1, 2]],
  [[2], [-1.25, 3.5]], [[], [3.14159]], [[], [2]], [[4], [0, -0.5, 1e3, 2]], [[3], [1, 1000.5, 2]],
  [[2, 3], rnd(6)], [[2000], Array.from({ length: 2000 }, (_, i) => i)], [[40, 40], rnd(1600, 0, 1)],
  [[3], [NaN, 1, Infinity]], [[2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]], [[20], rnd(20, -30, 30)], [[0], []], [[2, 0], []],
  [[3], [123456.7, 0.1, 5]], [[3], [-1e-3, 0.25, 1]], [[2], [0, -1]], [[3], [0, 0, 0]],
];
