// The nn_loss suite: every loss in every reduction, with class weights, ignored targets, label smoothing,
// probability targets, K-dim inputs, BCE inputs at 0 and 1, logits of ±100, klDiv with logTarget and batchmean,
// and F.oneHot.
import * as tg from '../../../dist/index.js';
import { specs } from '../spec.mjs';

const { T, I } = specs('nn_loss');
const F = tg.F;
const red = (a) => a.reduction ?? 'mean';
const f32 = { dtype: 'float32' };
const probs = (shape, o = {}) => T(shape, undefined, { lo: 0.02, hi: 0.98, ...o });
const unit = (shape, o = {}) => T(shape, undefined, { lo: 0, hi: 1, ...o });
const fixed = (o = {}) => ({ grad: false, ...o });
const ce = (a) => ({ reduction: red(a), ignoreIndex: a.ii ?? -100, labelSmoothing: a.ls ?? 0 });

export const ops = {
  mse: (x, t, a) => F.mseLoss(x, t, { reduction: red(a) }),
  l1: (x, t, a) => F.l1Loss(x, t, { reduction: red(a) }),
  huber: (x, t, a) => F.huberLoss(x, t, { reduction: red(a), delta: a.delta ?? 1 }),
  smoothL1: (x, t, a) => F.smoothL1Loss(x, t, { reduction: red(a), beta: a.beta ?? 1 }),
  bce: (x, t, a) => F.binaryCrossEntropy(x, t, { reduction: red(a) }),
  bceW: (x, t, w, a) => F.binaryCrossEntropy(x, t, { weight: w, reduction: red(a) }),
  bcel: (x, t, a) => F.binaryCrossEntropyWithLogits(x, t, { reduction: red(a) }),
  bcelW: (x, t, w, a) => F.binaryCrossEntropyWithLogits(x, t, { weight: w, reduction: red(a) }),
  bcelP: (x, t, p, a) => F.binaryCrossEntropyWithLogits(x, t, { posWeight: p, reduction: red(a) }),
  bcelWP: (x, t, w, p, a) => F.binaryCrossEntropyWithLogits(x, t, { weight: w, posWeight: p, reduction: red(a) }),
  ce: (x, t, a) => F.crossEntropy(x, t, ce(a)),
  ceW: (x, t, w, a) => F.crossEntropy(x, t, { weight: w, ...ce(a) }),
  nll: (x, t, a) => F.nllLoss(x, t, { reduction: red(a), ignoreIndex: a.ii ?? -100 }),
  nllW: (x, t, w, a) => F.nllLoss(x, t, { weight: w, reduction: red(a), ignoreIndex: a.ii ?? -100 }),
  kl: (x, t, a) => F.klDiv(x, t, { reduction: red(a), logTarget: a.logt ?? false }),
  oneHot: (i, a) => F.oneHot(i, a.nc ?? -1),
};

export const cases = [];
const add = (op, inputs, args = {}, known) => cases.push({ op, inputs, args, known });

// regression losses: every reduction, broadcasting, 0-d, empty, float32, and their delta / beta
for (const op of ['mse', 'l1', 'huber', 'smoothL1']) {
  for (const r of ['mean', 'sum', 'none']) add(op, [T([3, 4]), T([3, 4])], { reduction: r });
  add(op, [T([2, 3]), T([3])], { reduction: 'none' });
  add(op, [T([2, 1]), T([3])], { reduction: 'mean' });
  add(op, [T([]), T([])], { reduction: 'mean' });
  add(op, [T([0, 3]), T([0, 3])], { reduction: 'mean' });
  add(op, [T([0, 3]), T([0, 3])], { reduction: 'sum' });
  add(op, [T([3, 4], undefined, f32), T([3, 4], undefined, f32)], { reduction: 'mean' });
  add(op, [T([3, 4], undefined, f32), T([3, 4], undefined, f32)], { reduction: 'none' });
}
for (const delta of [0.5, 2, 0.1]) add('huber', [T([3, 4]), T([3, 4])], { reduction: 'none', delta });
for (const beta of [0.5, 2, 0]) add('smoothL1', [T([3, 4]), T([3, 4])], { reduction: 'none', beta });
add('smoothL1', [T([3, 4]), T([3, 4])], { reduction: 'mean', beta: 0 });
add('smoothL1', [T([3], [1, 2, 3]), T([3], [1, 1, 4])], { reduction: 'sum', beta: 0 },
  'beta = 0 at input = target: PyTorch 1.13 smooth_l1 backward gives -1 to both input and target (0 <= -beta picks the -1 branch); tapegrad is the L1 loss, whose gradient there is 0');
add('l1', [T([3], [1, 2, 3]), T([3], [1, 1, 4])], { reduction: 'sum' }); // l1 at input = target: gradient 0 in both
add('huber', [T([4], [0, 1, 2, 3]), T([4], [0, 0.5, 0, 0])], { reduction: 'none', delta: 1 }); // |d| = 0, 0.5, 2, 3

// binaryCrossEntropy: inputs in (0, 1), weights, clamping at 0 and 1
for (const r of ['mean', 'sum', 'none']) add('bce', [probs([3, 4]), unit([3, 4])], { reduction: r });
add('bce', [probs([3, 4]), T([3, 4], [0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1], fixed())], { reduction: 'sum' });
add('bceW', [probs([3, 4]), unit([3, 4]), unit([4], fixed())], { reduction: 'mean' });
add('bceW', [probs([3, 4]), unit([3, 4]), unit([3, 1], fixed())], { reduction: 'none' });
add('bce', [probs([]), unit([])], { reduction: 'mean' });
add('bce', [probs([0, 3]), unit([0, 3])], { reduction: 'mean' });
add('bce', [probs([3, 4], f32), unit([3, 4], f32)], { reduction: 'mean' });
add('bce', [T([4], [1e-3, 0.999, 1e-6, 0.5]), T([4], [0.9, 0.1, 1, 0.5])], { reduction: 'none' });
// the log clamped at -100: values at inputs 0 and 1 (no gradients asked)
add('bce', [T([6], [0, 1, 0, 1, 0.5, 1e-50], fixed()), T([6], [0, 1, 1, 0, 0.3, 1], fixed())], { reduction: 'none' });
add('bce', [T([4], [0, 1, 0, 1], fixed()), T([4], [0, 1, 1, 0], fixed())], { reduction: 'sum' });
add('bce', [T([4], [0, 1, 0, 1], fixed(f32)), T([4], [0, 1, 1, 0], fixed(f32))], { reduction: 'mean' });
add('bce', [T([4], [0, 1, 0, 1]), T([4], [0, 1, 1, 0])], { reduction: 'none' },
  'gradients at inputs of exactly 0 and 1: PyTorch\'s hand-written backward divides by max(x(1 - x), 1e-12) (input gradients of order 1e12, target gradients ±inf); tapegrad differentiates the clamped function (finite)');

// binaryCrossEntropyWithLogits: weights, posWeight, logits 0 and ±100 (float64 and float32)
for (const r of ['mean', 'sum', 'none']) add('bcel', [T([3, 4]), unit([3, 4])], { reduction: r });
add('bcelW', [T([3, 4]), unit([3, 4]), unit([3, 1], fixed())], { reduction: 'mean' });
add('bcelP', [T([3, 4]), unit([3, 4]), T([4], undefined, fixed({ lo: 0.5, hi: 3 }))], { reduction: 'mean' });
add('bcelP', [T([3, 4]), unit([3, 4]), T([4], undefined, fixed({ lo: 0.5, hi: 3 }))], { reduction: 'none' });
add('bcelWP', [T([3, 4]), unit([3, 4]), unit([4], fixed()), T([4], undefined, fixed({ lo: 0.5, hi: 3 }))], { reduction: 'sum' });
add('bcel', [T([3], [0, 0, 0]), T([3], [0, 1, 0.5])], { reduction: 'none' });
add('bcel', [T([6], [100, -100, 100, -100, 50, -50]), T([6], [1, 0, 0, 1, 0.5, 0.25])], { reduction: 'none' });
add('bcel', [T([4], [100, -100, 100, -100], f32), T([4], [1, 0, 0, 1], f32)], { reduction: 'none' });
add('bcel', [T([4], [100, -100, 100, -100], f32), T([4], [1, 0, 0, 1], f32)], { reduction: 'mean' });
add('bcelP', [T([4], [100, -100, 100, -100]), T([4], [1, 0, 0, 1]), T([4], [2, 0.5, 3, 1], fixed())], { reduction: 'none' });
add('bcel', [T([]), unit([])], { reduction: 'mean' });
add('bcel', [T([0, 2]), unit([0, 2])], { reduction: 'mean' });
add('bcel', [T([3, 4], undefined, f32), unit([3, 4], f32)], { reduction: 'mean' });

// crossEntropy with class indices
const w3 = () => T([3], [0.3, 1, 2], fixed());
for (const r of ['mean', 'sum', 'none']) {
  add('ce', [T([4, 3]), I([4], [0, 2, 1, 2])], { reduction: r });
  add('ceW', [T([4, 3]), I([4], [0, 2, 1, 2]), w3()], { reduction: r });
  add('ce', [T([5, 3]), I([5], [0, -100, 1, -100, 2])], { reduction: r });
  add('ceW', [T([5, 3]), I([5], [0, -100, 1, -100, 2]), w3()], { reduction: r });
  add('ce', [T([4, 3]), I([4], [0, 2, 1, 2])], { reduction: r, ls: 0.2 });
  add('ceW', [T([4, 3]), I([4], [0, 2, 1, 2]), w3()], { reduction: r, ls: 0.3 });
  add('ceW', [T([5, 3]), I([5], [0, -100, 1, 2, -100]), w3()], { reduction: r, ls: 0.25 });
  add('ce', [T([5, 3]), I([5], [0, -100, 1, 2, -100])], { reduction: r, ls: 0.25 });
  add('ceW', [T([2, 3, 2, 2]), I([2, 2, 2], [0, 2, 1, -100, 2, 2, 0, 1]), w3()], { reduction: r, ls: 0.1 });
  add('ce', [T([2, 3, 2, 2]), I([2, 2, 2], [0, 2, 1, -100, 2, 2, 0, 1])], { reduction: r });
}
add('ceW', [T([4, 3]), I([4], [0, 1, 1, 2]), w3()], { reduction: 'mean', ii: 1 });
add('ceW', [T([4, 3]), I([4], [0, 1, 1, 2]), w3()], { reduction: 'none', ii: 1, ls: 0.2 });
add('ce', [T([3, 3]), I([3], [-100, -100, -100])], { reduction: 'mean' });
add('ce', [T([3, 3]), I([3], [-100, -100, -100])], { reduction: 'sum' });
add('ceW', [T([3, 3]), I([3], [-100, -100, -100]), w3()], { reduction: 'mean', ls: 0.1 });
add('ce', [T([3, 3]), I([3], [-100, -100, -100])], { reduction: 'mean', ls: 0.1 });
add('ce', [T([4, 3]), I([4], [0, 2, 1, 2])], { reduction: 'mean', ls: 1 });
add('ce', [T([3]), I([], [2])], { reduction: 'mean' });
add('ceW', [T([3]), I([], [1]), w3()], { reduction: 'sum', ls: 0.2 });
add('ce', [T([0, 3]), I([0], [])], { reduction: 'mean' });
add('ce', [T([0, 3]), I([0], [])], { reduction: 'sum' });
add('ce', [T([4, 3], undefined, f32), I([4], [0, 2, 1, 2])], { reduction: 'mean', ls: 0.1 });
add('ce', [T([4, 3], undefined, f32), I([4], [0, 2, 1, 2])], { reduction: 'mean' });
add('ce', [T([4, 3], undefined, f32), I([4], [0, 2, 1, 2])], { reduction: 'none' });
add('ce', [T([6, 5], undefined, f32), I([6], [0, 2, 1, 4, 3, 3])], { reduction: 'sum', ls: 0.2 });
add('ce', [T([3, 3], [100, -100, 0, -100, 100, 50, 0, 0, 100]), I([3], [1, 1, 2])], { reduction: 'none' });
add('ce', [T([3, 3], [100, -100, 0, -100, 100, 50, 0, 0, 100], f32), I([3], [1, 1, 2])], { reduction: 'mean', ls: 0.1 });
// crossEntropy with probability targets
for (const r of ['mean', 'sum', 'none']) {
  add('ce', [T([4, 3]), unit([4, 3])], { reduction: r });
  add('ceW', [T([4, 3]), unit([4, 3]), w3()], { reduction: r, ls: 0.2 });
}
add('ce', [T([4, 3]), unit([4, 3])], { reduction: 'mean', ls: 0.2 });
add('ceW', [T([2, 3, 2, 2]), unit([2, 3, 2, 2]), w3()], { reduction: 'mean' });
add('ce', [T([2, 3, 2]), unit([2, 3, 2])], { reduction: 'none', ls: 0.1 });
add('ce', [T([3]), unit([3])], { reduction: 'mean' });
add('ce', [T([0, 3]), unit([0, 3])], { reduction: 'mean' });
add('ce', [T([4, 3], undefined, f32), unit([4, 3], f32)], { reduction: 'mean' });
add('ce', [T([4, 3], [1.6193245, -1.635336458, 0.43344005, 1.1664097, -1.5831853, -0.681928365, 0.15456593, 1.8413709, 0.93337847, -1.250995, 1.24857968, -1.4645028], f32), T([4, 3], [0.663857, 0.5718977, 0.581523, 0.95144724, 0.8684741, 0.49202462, 0.39650256, 0.8852741, 0.04715987, 0.11994581, 0.9193293, 0.41613785], f32)], { reduction: 'mean' });
add('ce', [T([4, 3]), unit([4, 3])], { reduction: 'mean', ii: -1 }); // a negative ignoreIndex is accepted and unused
add('ce', [T([4, 3]), unit([4, 3])], { reduction: 'mean', ii: 1 }); // both refuse a non-negative one

// nllLoss
for (const r of ['mean', 'sum', 'none']) {
  add('nll', [T([4, 3]), I([4], [0, 2, 1, 2])], { reduction: r });
  add('nllW', [T([5, 3]), I([5], [0, -100, 1, -100, 2]), w3()], { reduction: r });
}
add('nllW', [T([4, 3]), I([4], [2, 2, 1, 0]), w3()], { reduction: 'mean', ii: 2 });
add('nllW', [T([3, 3]), I([3], [-100, -100, -100]), w3()], { reduction: 'mean' });
add('nllW', [T([2, 3, 2, 2]), I([2, 2, 2], [0, 2, 1, -100, 2, 2, 0, 1]), w3()], { reduction: 'mean' });
add('nll', [T([3]), I([], [1])], { reduction: 'mean' });
add('nll', [T([0, 3]), I([0], [])], { reduction: 'sum' });
add('nll', [T([4, 3], undefined, f32), I([4], [0, 2, 1, 2])], { reduction: 'mean' });
add('nll', [T([2, 3]), I([2], [0, 3])], { reduction: 'mean' }); // out of range: both throw

// klDiv
for (const r of ['mean', 'sum', 'none', 'batchmean']) {
  add('kl', [T([3, 4]), T([3, 4], undefined, { lo: 0.05, hi: 1 })], { reduction: r });
  add('kl', [T([3, 4]), T([3, 4])], { reduction: r, logt: true });
}
add('kl', [T([2, 3]), T([2, 3], [0, 0.5, 0.5, 0.2, 0, 0.8], fixed())], { reduction: 'none' });
add('kl', [T([2, 3]), T([2, 3], [0, 0.5, 0.5, 0.2, 0, 0.8])], { reduction: 'sum' }); // NaN target gradient at 0 in both
add('kl', [T([]), T([], [0.3])], { reduction: 'batchmean' });
add('kl', [T([0, 3]), T([0, 3], undefined, { lo: 0.05, hi: 1 })], { reduction: 'batchmean' });
add('kl', [T([3, 4], undefined, f32), T([3, 4], undefined, { lo: 0.05, hi: 1, dtype: 'float32' })], { reduction: 'batchmean' });
add('kl', [T([2, 3]), T([3], undefined, { lo: 0.05, hi: 1 })], { reduction: 'none' });

// oneHot
add('oneHot', [I([4], [0, 2, 1, 2])], {});
add('oneHot', [I([3], [0, 2, 1])], { nc: 5 });
add('oneHot', [I([2, 2], [1, 0, 3, 2])], {});
add('oneHot', [I([], [3])], {});
add('oneHot', [I([0], [])], { nc: 3 });
add('oneHot', [I([2], [0, 5])], { nc: 3 });
