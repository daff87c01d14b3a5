// The nn layers suite: F.linear, F.conv1d/2d (stride, padding incl. 'same'/'valid', dilation, groups, no bias),
// Conv2d's padding modes, F.maxPool1d/2d (ties, padding, dilation, ceilMode), F.avgPool1d/2d (countIncludePad,
// ceilMode, divisorOverride) and F.dropout's deterministic cases.
import * as tg from '../../../dist/index.js';
import { specs } from '../spec.mjs';

const { T } = specs('nn_layers');

const convOpts = (a) => ({
  stride: a.stride ?? 1, padding: a.padding ?? 0, dilation: a.dilation ?? 1, groups: a.groups ?? 1,
});
const maxOpts = (a) => ({ stride: a.stride ?? null, padding: a.padding ?? 0, dilation: a.dilation ?? 1, ceilMode: a.ceil ?? false });
const avgOpts = (a) => ({ stride: a.stride ?? null, padding: a.padding ?? 0, ceilMode: a.ceil ?? false, countIncludePad: a.cip ?? true });

/** A Conv2d module with the given weight and bias tensors in place of its parameters. */
function convModule(x, w, b, a) {
  const m = new tg.nn.Conv2d(w.shape[1] * (a.groups ?? 1), w.shape[0], w.shape.slice(2), { ...convOpts(a), paddingMode: a.paddingMode });
  m.weight = w;
  m.bias = b;
  return m.forward(x);
}

export const ops = {
  linear: (x, w, b) => tg.F.linear(x, w, b),
  linearNoBias: (x, w) => tg.F.linear(x, w),
  conv1d: (x, w, b, a) => tg.F.conv1d(x, w, b, convOpts(a)),
  conv1dNoBias: (x, w, a) => tg.F.conv1d(x, w, null, convOpts(a)),
  conv2d: (x, w, b, a) => tg.F.conv2d(x, w, b, convOpts(a)),
  conv2dNoBias: (x, w, a) => tg.F.conv2d(x, w, null, convOpts(a)),
  conv2dModule: convModule,
  maxPool1d: (x, a) => tg.F.maxPool1d(x, a.kernel, maxOpts(a)),
  maxPool2d: (x, a) => tg.F.maxPool2d(x, a.kernel, maxOpts(a)),
  avgPool1d: (x, a) => tg.F.avgPool1d(x, a.kernel, avgOpts(a)),
  avgPool2d: (x, a) => tg.F.avgPool2d(x, a.kernel, { ...avgOpts(a), divisorOverride: a.div ?? null }),
  dropout: (x, a) => tg.F.dropout(x, a.p, a.training),
};

export const cases = [];
const add = (op, inputs, args = {}, known) => cases.push({ op, inputs, args, known });

// linear
add('linear', [T([3, 4]), T([2, 4]), T([2])]);
add('linear', [T([4]), T([2, 4]), T([2])]);
add('linear', [T([2, 3, 4]), T([5, 4]), T([5])]);
add('linear', [T([3, 4]), T([2, 4]), T([1])]);
add('linear', [T([0, 4]), T([2, 4]), T([2])]);
add('linearNoBias', [T([3, 4]), T([2, 4])]);
add('linearNoBias', [T([3, 4]), T([4])]);
add('linear', [T([3], [1, 2, 3], { dtype: 'float32' }), T([2, 3], undefined, { dtype: 'float32' }), T([2], undefined, { dtype: 'float32' })]);

// convolution: every option alone and together, 1-d and 2-d
const convCases = [
  {}, { stride: 2 }, { padding: 1 }, { dilation: 2 }, { groups: 2 }, { stride: 2, padding: 1, dilation: 2, groups: 2 },
  { padding: 'same' }, { padding: 'same', dilation: 2 }, { padding: 'same', dilation: 3 }, { padding: 'valid' }, { padding: 2, stride: 3 }, { groups: 4 },
];
for (const a of convCases) {
  const g = a.groups ?? 1, cout = 2 * g;
  add('conv1d', [T([2, 4, 9]), T([cout, 4 / g, 4]), T([cout])], a);
  add('conv2d', [T([2, 4, 7, 6]), T([cout, 4 / g, 3, 2]), T([cout])], a);
}
add('conv1dNoBias', [T([1, 2, 6]), T([3, 2, 3])], { padding: 1 });
add('conv2dNoBias', [T([1, 2, 5, 5]), T([3, 2, 2, 2])], { padding: 'same' });
add('conv2d', [T([2, 5, 6]), T([3, 2, 3, 3]), T([3])], { padding: 1 }); // unbatched
add('conv1d', [T([2, 7]), T([3, 2, 2]), T([3])], { stride: 2 }); // unbatched
add('conv2d', [T([0, 2, 5, 5]), T([3, 2, 3, 3]), T([3])], {}); // empty batch
add('conv2d', [T([1, 4, 8, 7]), T([4, 2, 3, 2]), T([4])], { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 });
add('conv2d', [T([1, 1, 4, 4]), T([1, 1, 5, 5]), T([1])], {}); // kernel larger than the input: both refuse
add('conv2d', [T([1, 2, 5, 6], undefined, { dtype: 'float32' }), T([3, 2, 3, 3], undefined, { dtype: 'float32' }), T([3], undefined, { dtype: 'float32' })], { padding: 1 });
for (const paddingMode of ['reflect', 'replicate', 'circular']) {
  add('conv2dModule', [T([1, 2, 5, 6]), T([3, 2, 3, 3]), T([3])], { padding: 2, paddingMode });
  add('conv2dModule', [T([1, 2, 4, 4]), T([2, 2, 2, 3]), T([2])], { padding: 'same', paddingMode });
}
add('conv2dModule', [T([1, 4, 5, 5]), T([2, 2, 3, 3]), T([2])], { padding: [1, 2], stride: 2, groups: 2, paddingMode: 'reflect' });
add('conv2dModule', [T([2, 4, 4]), T([2, 2, 2, 3]), T([2])], { padding: 'same', paddingMode: 'reflect' }); // unbatched
add('conv2dModule', [T([1, 1, 3, 3]), T([1, 1, 3, 3]), T([1])], { padding: 3, paddingMode: 'reflect' }); // reflect wider than the input: both refuse
add('conv2dModule', [T([1, 1, 3, 3]), T([1, 1, 3, 3]), T([1])], { padding: 3, paddingMode: 'circular' }); // circular wrapping once exactly

// max pooling
const poolCases = [
  { kernel: 2 }, { kernel: 3, stride: 1 }, { kernel: 3, stride: 2, padding: 1 }, { kernel: 2, ceil: true },
  { kernel: 3, stride: 2, padding: 1, ceil: true }, { kernel: 2, stride: 3, ceil: true }, { kernel: 3, dilation: 2 },
  { kernel: 2, dilation: 2, padding: 1, stride: 1, ceil: true }, { kernel: 4, stride: 3, padding: 2, ceil: true },
  { kernel: 3, stride: 2, padding: 1, dilation: 2, ceil: true },
];
for (const a of poolCases) {
  add('maxPool1d', [T([2, 2, 9])], a);
  add('maxPool2d', [T([1, 2, 7, 8])], a);
}
add('maxPool2d', [T([1, 1, 5, 4])], { kernel: [3, 2], stride: [2, 1], padding: [1, 1], dilation: [1, 2] });
add('maxPool2d', [T([2, 4, 4])], { kernel: 2 }); // unbatched
add('maxPool2d', [T([1, 2, 5, 4])], { kernel: [2, 1], stride: [] }); // empty stride: the kernel size
add('maxPool1d', [T([3, 5])], { kernel: 2, ceil: true }); // unbatched
add('maxPool2d', [T([0, 2, 4, 4])], { kernel: 2 }); // empty batch
// ties: the gradient goes to the first maximum of each window
add('maxPool1d', [T([1, 1, 8], [1, 1, 2, 2, 2, 0, 3, 3])], { kernel: 3, stride: 1 });
add('maxPool2d', [T([1, 1, 4, 4], [1, 1, 1, 1, 2, 1, 1, 2, 0, 0, 5, 5, 0, 0, 5, 5])], { kernel: 2, stride: 1 });
add('maxPool2d', [T([1, 1, 4, 4], [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3])], { kernel: 3, stride: 1, padding: 1 });
add('maxPool1d', [T([1, 1, 5], [1, NaN, 2, 0, 3])], { kernel: 2, stride: 1 }); // NaN propagates
add('maxPool1d', [T([1, 1, 4], [-Infinity, -Infinity, 1, -Infinity])], { kernel: 2, padding: 1 },
  'a window whose input values are all -inf: PyTorch sends its gradient to the first input element, tapegrad to the -inf padding before it (so it is lost)');
add('maxPool2d', [T([1, 1, 4, 4])], { kernel: 3, padding: 2 }); // padding over half the kernel: both refuse
add('maxPool2d', [T([1, 2, 5, 6], undefined, { dtype: 'float32' })], { kernel: 3, stride: 2, padding: 1, ceil: true });

// average pooling
const avgCases = [
  { kernel: 2 }, { kernel: 3, stride: 1 }, { kernel: 3, stride: 2, padding: 1 }, { kernel: 3, stride: 2, padding: 1, cip: false },
  { kernel: 2, ceil: true }, { kernel: 3, stride: 2, padding: 1, ceil: true }, { kernel: 3, stride: 2, padding: 1, ceil: true, cip: false },
  { kernel: 2, stride: 3, ceil: true }, { kernel: 4, stride: 3, padding: 2, ceil: true }, { kernel: 4, stride: 3, padding: 2, ceil: true, cip: false },
];
for (const a of avgCases) {
  add('avgPool1d', [T([2, 2, 9])], a);
  add('avgPool2d', [T([1, 2, 7, 8])], a);
}
add('avgPool2d', [T([1, 2, 5, 6])], { kernel: 2, padding: 1, div: 3 });
add('avgPool2d', [T([1, 2, 5, 6])], { kernel: 3, stride: 2, padding: 1, ceil: true, div: -2 });
add('avgPool2d', [T([1, 1, 5, 4])], { kernel: [3, 2], stride: [2, 1], padding: [1, 1], cip: false });
add('avgPool2d', [T([2, 4, 4])], { kernel: 2 }); // unbatched
add('avgPool1d', [T([3, 5])], { kernel: 2, ceil: true }); // unbatched
add('avgPool1d', [T([0, 2, 4])], { kernel: 2 }); // empty batch
add('avgPool2d', [T([1, 2, 5, 6], undefined, { dtype: 'float32' })], { kernel: 3, stride: 2, padding: 1, ceil: true, cip: false });

// dropout: the cases that draw nothing
add('dropout', [T([3, 4])], { p: 0.5, training: false });
add('dropout', [T([3, 4])], { p: 0, training: true });
add('dropout', [T([3, 4], [1, NaN, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])], { p: 1, training: true });

// second order (pooling's is identically zero: its first gradient does not depend on the input, so there is no graph to differentiate)
for (const [op, inputs, args] of [
  ['linear', [T([3, 4]), T([2, 4]), T([2])], {}],
  ['conv1d', [T([2, 4, 7]), T([4, 2, 3]), T([4])], { stride: 2, padding: 1, dilation: 2, groups: 2 }],
  ['conv2d', [T([1, 2, 5, 5]), T([2, 2, 2, 3]), T([2])], { padding: 'same' }],
]) add(op, inputs, { ...args, double: true });
