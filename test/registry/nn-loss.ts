// Registry records of the losses and F.oneHot (see test/registry.ts). Samples cover every reduction, class
// weights, ignored targets (some and all), label smoothing, probability targets, K-dim inputs, unbatched inputs,
// and the extremes the losses must survive (BCE inputs of 0 and 1, logits of ±100).
import { F, zeros, ArgumentError, DTypeError, IndexError, ShapeError, ValueError, type Tensor } from '../../src/index.js';
import * as ref from '../reference-nn/loss.js';
import type { Arr } from '../reference.js';
import { gen, build, f64, f32, i32, bool, INF, notTensor, type OpRecord, type Sample, type ErrorCase, type TOpts } from './common.js';

type Gen = ReturnType<typeof gen>;
type LossFn = (input: Tensor, target: Tensor, opts?: any) => Tensor;

/**
 * An input in [-1, 1) and a target that differs from it by offsets drawn from `offs` (chosen away from the kinks
 * of the loss at hand: 0 for |x − y|, and delta or beta).
 */
function pair(g: Gen, shape: number[], offs: readonly number[], o: { x?: TOpts; t?: TOpts } = {}): [Tensor, Tensor] {
  const x = g.uniform(shape, -1, 1, o.x);
  const xs = x.toTypedArray();
  return [x, build(shape, (i) => xs[i] + offs[(i * 7 + 3) % offs.length], o.t)];
}

/** Errors every loss shares: non-tensors, options, reduction, dtype. */
function commonErrors(name: string, x: () => Tensor, t: () => Tensor): ErrorCase[] {
  return [
    ...notTensor(name, (b) => [b, t()]),
    { note: 'target not a tensor', args: [x(), [1, 2]], throws: new RegExp(`^${name}: expected target to be a Tensor, got an array`), type: ArgumentError },
    { note: 'unknown option', args: [x(), t(), { reductoin: 'sum' }], throws: new RegExp(`^${name}: unknown option 'reductoin' \\(expected .*reduction.*\\); did you mean 'reduction'\\?$`), type: ArgumentError },
    { note: 'misspelled reduction', args: [x(), t(), { reduction: 'summ' }], throws: new RegExp(`^${name}: reduction must be one of 'mean', .*got 'summ'; did you mean 'sum'\\?$`), type: ValueError },
    { note: 'unknown reduction', args: [x(), t(), { reduction: 'avg' }], throws: new RegExp(`^${name}: reduction must be one of 'mean', .*got 'avg'`), type: ValueError },
    { note: 'reduction not a string', args: [x(), t(), { reduction: 1 }], throws: new RegExp(`^${name}: reduction must be one of .*got 1`), type: ArgumentError },
    { note: 'options not an object', args: [x(), t(), 'sum'], throws: new RegExp(`^${name}: expected an options object, got 'sum'`), type: ArgumentError },
  ];
}

/** mseLoss, l1Loss, huberLoss, smoothL1Loss: elementwise losses of input − target with broadcasting. */
function regression(name: string, fn: LossFn, reference: (...a: any[]) => Arr | Arr[], offs: readonly number[], variants: { opts: object; note: string }[], extraErrors: ErrorCase[] = []): OpRecord {
  return {
    name: `F.${name}`, fn, reference, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen(`F.${name}`);
      const s: Sample[] = [
        { args: pair(g, [3, 4], offs), note: 'default mean' },
        { args: [...pair(g, [3, 4], offs), { reduction: 'sum' }], note: 'sum' },
        { args: [...pair(g, [2, 3], offs), { reduction: 'none' }], note: 'none' },
        { args: [...pair(g, [], offs), { reduction: 'mean' }], note: '0-d' },
        { args: [...pair(g, [0, 3], offs), { reduction: 'mean' }], note: 'zero-size mean is NaN', grad: false },
        { args: [...pair(g, [0, 3], offs), { reduction: 'sum' }], note: 'zero-size sum' },
        { args: [...pair(g, [3, 2], offs, { x: { transposed: true } }), { reduction: 'none' }], note: 'non-contiguous' },
        { args: [...pair(g, [4], offs, { t: { rg: false } })], note: 'target does not require grad' },
        { args: [f64([[0.5, -1.5, 2.25], [1, 0.2, -0.7]]), f64([0.1, 1.25, -0.45]), { reduction: 'none' }], note: 'target broadcasts' },
        ...variants.flatMap(({ opts, note }) => [
          { args: [...pair(g, [3, 4], offs), opts], note },
          { args: [...pair(g, [2, 3], offs), { ...opts, reduction: 'none' }], note: `${note}, none` },
        ]),
      ];
      return s;
    },
    errors: () => {
      const g = gen(`F.${name}`);
      return [
        ...commonErrors(name, () => g.randn([2, 3]), () => g.randn([2, 3])),
        { note: 'shapes do not broadcast', args: [g.randn([2, 3]), g.randn([4])], throws: new RegExp(`^${name}: input shape \\[2, 3\\] and target shape \\[4\\] cannot be broadcast`), type: ShapeError },
        { note: 'int32 input', args: [i32([1, 2]), g.randn([2])], throws: new RegExp(`^${name}: expected a floating-point input, got dtype int32`), type: DTypeError },
        { note: 'int32 target', args: [g.randn([2]), i32([1, 2])], throws: new RegExp(`^${name}: expected a floating-point target, got dtype int32`), type: DTypeError },
        ...extraErrors,
      ];
    },
  };
}

// |x − y| stays at least 0.1 away from 0, 0.5 and 1 (the kinks for delta/beta 0.5 and 1)
const OFFS = [-2.3, -0.6, -0.35, 0.4, 0.7, 1.9, -1.4, 0.15, 0.65, -0.2];

/** Probabilities in (0, 1), away from the ends. */
const probs = (g: Gen, shape: number[], o?: TOpts) => g.uniform(shape, 0.05, 0.95, o);

function bceSamples(g: Gen, withLogits: boolean): Sample[] {
  const input = (shape: number[], o?: TOpts) => (withLogits ? g.randn(shape, o) : probs(g, shape, o));
  const target = (shape: number[], o?: TOpts) => g.uniform(shape, 0, 1, o);
  return [
    { args: [input([3, 4]), target([3, 4])], note: 'soft targets, mean' },
    { args: [input([3, 4]), f64([[0, 1, 1, 0], [1, 0, 0, 0], [1, 1, 0, 1]], false), { reduction: 'sum' }], note: 'binary targets, sum' },
    { args: [input([2, 3]), target([2, 3]), { reduction: 'none' }], note: 'none' },
    { args: [input([3, 4]), target([3, 4]), { weight: g.uniform([4], 0.5, 2, { rg: false }) }], note: 'weight broadcast over rows' },
    { args: [input([3, 4]), target([3, 4]), { weight: g.uniform([3, 1], 0.5, 2), reduction: 'none' }], note: 'per-row weight requiring grad' },
    { args: [input([]), target([])], note: '0-d' },
    { args: [input([0, 3]), target([0, 3])], note: 'zero-size mean is NaN', grad: false },
    { args: [input([0, 3]), target([0, 3]), { reduction: 'sum' }], note: 'zero-size sum' },
    { args: [input([3, 2], { transposed: true }), target([3, 2]), { reduction: 'none' }], note: 'non-contiguous' },
  ];
}

const bceRecord: OpRecord = {
  name: 'F.binaryCrossEntropy', fn: F.binaryCrossEntropy, reference: ref.binaryCrossEntropy, differentiable: true, twiceDifferentiable: true,
  samples: () => {
    const g = gen('F.binaryCrossEntropy');
    return [
      ...bceSamples(g, false),
      { args: [f64([1e-3, 0.999, 0.5, 0.02]), f64([0.9, 0.1, 0.5, 1]), { reduction: 'none' }], note: 'near the ends' },
      // log clamped at -100: 0 against 1 and 1 against 0 cost 100 each (inputs at the ends: no finite differences)
      { args: [f64([0, 1, 0, 1, 0.5]), f64([0, 1, 1, 0, 0.3]), { reduction: 'none' }], note: 'inputs of 0 and 1', grad: false },
      { args: [f64([0, 1, 0, 1]), f64([0, 1, 1, 0]), { reduction: 'sum' }], note: 'inputs of 0 and 1, sum', grad: false },
    ];
  },
  errors: () => {
    const g = gen('F.binaryCrossEntropy');
    return [
      ...commonErrors('binaryCrossEntropy', () => probs(g, [2, 3]), () => probs(g, [2, 3])),
      { note: 'input above 1', args: [f64([0.5, 1.5]), f64([0, 1])], throws: /^binaryCrossEntropy: input values must be between 0 and 1, got 1.5/, type: ValueError },
      { note: 'negative input', args: [f64([-0.5, 0.5]), f64([0, 1])], throws: /^binaryCrossEntropy: input values must be between 0 and 1, got -0.5/, type: ValueError },
      { note: 'NaN input', args: [f64([NaN]), f64([0])], throws: /^binaryCrossEntropy: input values must be between 0 and 1, got NaN/, type: ValueError },
      { note: 'target shape differs', args: [probs(g, [2, 3]), probs(g, [3])], throws: /^binaryCrossEntropy: target shape \[3\] must be the same as input shape \[2, 3\]/, type: ShapeError },
      { note: 'weight does not broadcast', args: [probs(g, [2, 3]), probs(g, [2, 3]), { weight: f64([1, 2]) }], throws: /^binaryCrossEntropy: weight of shape \[2\] does not broadcast to the input's shape \[2, 3\]/, type: ShapeError },
      { note: 'weight would grow the loss', args: [probs(g, [3]), probs(g, [3]), { weight: f64([[1, 2, 3], [1, 2, 3]]) }], throws: /^binaryCrossEntropy: weight of shape \[2, 3\] does not broadcast to the input's shape \[3\]/, type: ShapeError },
      { note: 'weight of another dtype', args: [probs(g, [3]), probs(g, [3]), { weight: f32([1, 2, 3]) }], throws: /^binaryCrossEntropy: weight of dtype float32 does not match the input's dtype float64/, type: DTypeError },
      { note: 'int32 target', args: [probs(g, [2]), i32([0, 1])], throws: /^binaryCrossEntropy: expected a floating-point target, got dtype int32/, type: DTypeError },
      { note: 'weight not a tensor', args: [probs(g, [3]), probs(g, [3]), { weight: [1, 2, 3] }], throws: /^binaryCrossEntropy: expected weight to be a Tensor or null, got an array/, type: ArgumentError },
      { note: 'weight misspelled', args: [probs(g, [3]), probs(g, [3]), { wieght: f64([1, 2, 3]) }], throws: /^binaryCrossEntropy: unknown option 'wieght' \(expected weight, reduction\); did you mean 'weight'\?$/, type: ArgumentError },
    ];
  },
};

const bceLogitsRecord: OpRecord = {
  name: 'F.binaryCrossEntropyWithLogits', fn: F.binaryCrossEntropyWithLogits, reference: ref.binaryCrossEntropyWithLogits, differentiable: true, twiceDifferentiable: true,
  samples: () => {
    const g = gen('F.binaryCrossEntropyWithLogits');
    return [
      ...bceSamples(g, true),
      { args: [g.randn([3, 4]), g.uniform([3, 4], 0, 1), { posWeight: g.uniform([4], 0.5, 3, { rg: false }) }], note: 'posWeight per class' },
      { args: [g.randn([3, 4]), g.uniform([3, 4], 0, 1), { posWeight: g.uniform([4], 0.5, 3), weight: g.uniform([3, 1], 0.5, 2, { rg: false }), reduction: 'sum' }], note: 'posWeight and weight, sum' },
      { args: [g.randn([2, 3]), g.uniform([2, 3], 0, 1), { posWeight: g.uniform([3], 0.5, 3), reduction: 'none' }], note: 'posWeight, none' },
      { args: [f64([0, 0, 0]), f64([0, 1, 0.5]), { reduction: 'none' }], note: 'logit 0 exactly (the softplus branch point)' },
      { args: [f64([100, -100, 100, -100, 50, -50]), f64([1, 0, 0, 1, 0.5, 0.25]), { reduction: 'none' }], note: 'logits ±100 (finite values and gradients)' },
      { args: [f64([100, -100, 100, -100]), f64([1, 0, 0, 1]), { posWeight: f64([2, 0.5, 3, 1]) }], note: 'logits ±100 with posWeight' },
      { args: [f32([100, -100, 100, -100]), f32([1, 0, 0, 1]), { reduction: 'none' }], note: 'float32 logits ±100' },
    ];
  },
  errors: () => {
    const g = gen('F.binaryCrossEntropyWithLogits');
    return [
      ...commonErrors('binaryCrossEntropyWithLogits', () => g.randn([2, 3]), () => probs(g, [2, 3])),
      { note: 'target shape differs', args: [g.randn([2, 3]), probs(g, [2, 1])], throws: /^binaryCrossEntropyWithLogits: target shape \[2, 1\] must be the same as input shape \[2, 3\]/, type: ShapeError },
      { note: 'posWeight does not broadcast', args: [g.randn([2, 3]), probs(g, [2, 3]), { posWeight: f64([1, 2]) }], throws: /^binaryCrossEntropyWithLogits: posWeight of shape \[2\] does not broadcast to the input's shape \[2, 3\]/, type: ShapeError },
      { note: 'posWeight not a tensor', args: [g.randn([2, 3]), probs(g, [2, 3]), { posWeight: [1, 2, 3] }], throws: /^binaryCrossEntropyWithLogits: expected posWeight to be a Tensor or null, got an array/, type: ArgumentError },
      { note: 'int32 target', args: [g.randn([2]), i32([0, 1])], throws: /^binaryCrossEntropyWithLogits: expected a floating-point target, got dtype int32/, type: DTypeError },
    ];
  },
};

/** Logits [N, C] and class targets [N]. */
const logits = (g: Gen, shape: number[], o?: TOpts) => g.randn(shape, o);

const ceRecord: OpRecord = {
  name: 'F.crossEntropy', fn: F.crossEntropy, reference: ref.crossEntropy, differentiable: true, twiceDifferentiable: true,
  noScalarSample: 'input needs a class dim ([C] at least); its 0-d target is among the unbatched samples',
  samples: () => {
    const g = gen('F.crossEntropy');
    const w = () => f64([0.3, 1, 2], false);
    const soft = (shape: number[]) => g.uniform(shape, 0, 1);
    const samples: Sample[] = [
      { args: [logits(g, [4, 3]), i32([0, 2, 1, 2])], note: 'class indices, mean' },
      { args: [logits(g, [4, 3]), i32([0, 2, 1, 2]), { reduction: 'sum' }], note: 'sum' },
      { args: [logits(g, [4, 3]), i32([0, 2, 1, 2]), { reduction: 'none' }], note: 'none' },
      { args: [logits(g, [4, 3]), i32([0, 2, 1, 2]), { weight: w() }], note: 'class weights, mean divides by their sum' },
      { args: [logits(g, [4, 3]), i32([0, 2, 1, 2]), { weight: w(), reduction: 'none' }], note: 'class weights, none' },
      { args: [logits(g, [4, 3]), i32([0, 2, 1, 2]), { weight: g.uniform([3], 0.5, 2), reduction: 'sum' }], note: 'class weights requiring grad' },
      { args: [logits(g, [5, 3]), i32([0, -100, 1, -100, 2])], note: 'some targets ignored' },
      { args: [logits(g, [5, 3]), i32([0, -100, 1, -100, 2]), { weight: w() }], note: 'ignored targets with weights' },
      { args: [logits(g, [4, 3]), i32([0, 1, 1, 2]), { ignoreIndex: 1, weight: w(), reduction: 'none' }], note: 'ignoreIndex a valid class' },
      { args: [logits(g, [3, 3]), i32([-100, -100, -100])], note: 'all ignored, mean is NaN', grad: false },
      { args: [logits(g, [3, 3]), i32([-100, -100, -100]), { reduction: 'sum' }], note: 'all ignored, sum is 0' },
      { args: [logits(g, [4, 3]), i32([0, 2, 1, 2]), { labelSmoothing: 0.2 }], note: 'label smoothing' },
      { args: [logits(g, [4, 3]), i32([0, 2, 1, 2]), { labelSmoothing: 0.2, reduction: 'none' }], note: 'label smoothing, none' },
      { args: [logits(g, [4, 3]), i32([0, 2, 1, 2]), { labelSmoothing: 0.3, weight: w() }], note: 'label smoothing with weights' },
      { args: [logits(g, [5, 3]), i32([0, -100, 1, 2, -100]), { labelSmoothing: 0.25, weight: w() }], note: 'label smoothing, weights and ignored targets' },
      { args: [logits(g, [5, 3]), i32([0, -100, 1, 2, -100]), { labelSmoothing: 0.25, reduction: 'sum' }], note: 'label smoothing and ignored targets, sum' },
      { args: [logits(g, [3, 3]), i32([-100, -100, -100]), { labelSmoothing: 0.1, weight: w() }], note: 'label smoothing, all ignored: NaN', grad: false },
      { args: [logits(g, [4, 3]), i32([0, 2, 1, 2]), { labelSmoothing: 1 }], note: 'label smoothing 1 (uniform target)' },
      { args: [logits(g, [2, 3, 2, 2]), i32([[[0, 2], [1, -100]], [[2, 2], [0, 1]]])], note: 'K-dim [N, C, d1, d2]' },
      { args: [logits(g, [2, 3, 2, 2]), i32([[[0, 2], [1, -100]], [[2, 2], [0, 1]]]), { weight: w(), labelSmoothing: 0.1, reduction: 'none' }], note: 'K-dim, weights, smoothing, none' },
      { args: [logits(g, [2, 3, 2]), i32([[0, 2], [1, 1]]), { weight: w() }], note: 'K-dim [N, C, d1] with weights' },
      { args: [logits(g, [3]), i32(2)], note: 'unbatched [C] with a 0-d target' },
      { args: [logits(g, [3]), i32(1), { weight: w(), labelSmoothing: 0.2, reduction: 'sum' }], note: 'unbatched with weights and smoothing' },
      { args: [logits(g, [0, 3]), i32([]).reshape([0])], note: 'zero-size batch, mean is NaN', grad: false },
      { args: [logits(g, [0, 3]), i32([]).reshape([0]), { reduction: 'sum' }], note: 'zero-size batch, sum' },
      { args: [logits(g, [4, 3], { transposed: true }), i32([0, 1, 2, 1])], note: 'non-contiguous logits [4, 3]' },
      { args: [f64([[100, -100, 0], [-100, 100, 50], [0, 0, 100]]), i32([1, 1, 2]), { reduction: 'none' }], note: 'logits ±100' },
      // probability targets
      { args: [logits(g, [4, 3]), soft([4, 3])], note: 'probability targets, mean' },
      { args: [logits(g, [4, 3]), soft([4, 3]), { reduction: 'sum', weight: w() }], note: 'probability targets, weights, sum' },
      { args: [logits(g, [4, 3]), soft([4, 3]), { reduction: 'none', labelSmoothing: 0.2 }], note: 'probability targets, smoothing' },
      { args: [logits(g, [4, 3]), soft([4, 3]), { weight: w(), labelSmoothing: 0.2 }], note: 'probability targets, weights and smoothing (mean over N)' },
      { args: [logits(g, [2, 3, 2, 2]), soft([2, 3, 2, 2]), { weight: w() }], note: 'probability targets, K-dim' },
      { args: [logits(g, [3]), soft([3])], note: 'probability targets, unbatched' },
      { args: [logits(g, [0, 3]), soft([0, 3])], note: 'probability targets, zero-size batch: NaN', grad: false },
      { args: [logits(g, [3, 4], { transposed: true }), soft([3, 4]), { reduction: 'none' }], note: 'probability targets, non-contiguous' },
      // no classes (PyTorch 1.13, checked): every target must be ignored; 'mean' is NaN (0 / 0), 'sum' 0, 'none'
      // zeros, and label smoothing's ε/C is infinite, so NaN; probability targets' 'mean' divides by numel / C
      { args: [zeros([3, 0], { dtype: 'float64' }), i32([-100, -100, -100])], note: 'no classes, all ignored: mean NaN', grad: false },
      { args: [zeros([3, 0], { dtype: 'float64' }), i32([-100, -100, -100]), { reduction: 'sum' }], note: 'no classes, all ignored: sum 0', grad: false },
      { args: [zeros([3, 0], { dtype: 'float64' }), i32([5, 5, 5]), { ignoreIndex: 5, reduction: 'none', weight: zeros([0], { dtype: 'float64' }) }], note: 'no classes, weights, ignoreIndex 5: none zeros', grad: false },
      { args: [zeros([3, 0], { dtype: 'float64' }), i32([-100, -100, -100]), { labelSmoothing: 0.1, reduction: 'none' }], note: 'no classes, all ignored, smoothing: NaN', grad: false },
      { args: [zeros([4, 0], { dtype: 'float64' }), zeros([4, 0], { dtype: 'float64' })], note: 'no classes, probability targets: mean NaN', grad: false },
      { args: [zeros([4, 0], { dtype: 'float64' }), zeros([4, 0], { dtype: 'float64' }), { reduction: 'sum' }], note: 'no classes, probability targets: sum 0', grad: false },
      // a −Inf logit: its class's loss is +Inf, another class's is finite (no 0·∞ without label smoothing)
      { args: [f64([[-INF, 0, 1], [-INF, 0, 1]], false), i32([0, 1]), { reduction: 'none' }], note: 'a −Inf logit', grad: false },
    ];
    // second derivatives on a representative subset (the others repeat the same compositions)
    const gradgrad = new Set(['class indices, mean', 'label smoothing, weights and ignored targets', 'K-dim, weights, smoothing, none',
      'unbatched with weights and smoothing', 'probability targets, weights and smoothing (mean over N)', 'logits ±100']);
    return samples.map((x) => (gradgrad.has(x.note!) ? x : { ...x, gradgrad: false }));
  },
  errors: () => {
    const g = gen('F.crossEntropy');
    const x = () => logits(g, [2, 3]);
    return [
      ...commonErrors('crossEntropy', x, () => i32([0, 1])),
      { note: 'target out of range', args: [x(), i32([5, 1])], throws: /^crossEntropy: target 5 is out of range for 3 classes/, type: IndexError },
      { note: 'negative target', args: [x(), i32([0, -1])], throws: /^crossEntropy: target -1 is out of range for 3 classes/, type: IndexError },
      { note: 'a class index with no classes', args: [zeros([2, 0], { dtype: 'float64' }), i32([-100, 0])], throws: /^crossEntropy: target 0 is out of range for 0 classes/, type: IndexError },
      { note: 'target shape', args: [x(), i32([0, 1, 2])], throws: /^crossEntropy: expected target of shape \[2\] for input of shape \[2, 3\], got \[3\]/, type: ShapeError },
      { note: 'K-dim target shape', args: [logits(g, [2, 3, 4]), i32([[0, 1, 2], [0, 1, 2]])], throws: /^crossEntropy: expected target of shape \[2, 4\] for input of shape \[2, 3, 4\], got \[2, 3\]/, type: ShapeError },
      { note: 'probability target shape', args: [x(), g.uniform([2, 4], 0, 1)], throws: /^crossEntropy: probability targets must have the input's shape \[2, 3\], got \[2, 4\]/, type: ShapeError },
      { note: 'bool target', args: [x(), bool([true, false])], throws: /^crossEntropy: expected class-index targets of dtype int32 \(or probabilities of a float dtype\), got bool/, type: DTypeError },
      { note: '0-d input', args: [f64(1), i32(0)], throws: /^crossEntropy: expected input of shape \[C\], \[N, C\] or \[N, C, d1, \.\.\.\], got a 0-d input/, type: ShapeError },
      { note: 'int32 input', args: [i32([[1, 2]]), i32([0])], throws: /^crossEntropy: expected a floating-point input, got dtype int32/, type: DTypeError },
      { note: 'weight shape', args: [x(), i32([0, 1]), { weight: f64([1, 2]) }], throws: /^crossEntropy: weight must have shape \[3\] \(one per class\), got \[2\]/, type: ShapeError },
      { note: 'weight dtype', args: [x(), i32([0, 1]), { weight: f32([1, 2, 3]) }], throws: /^crossEntropy: weight of dtype float32 does not match the input's dtype float64/, type: DTypeError },
      { note: 'labelSmoothing above 1', args: [x(), i32([0, 1]), { labelSmoothing: 1.5 }], throws: /^crossEntropy: labelSmoothing must be between 0 and 1, got 1.5/, type: ValueError },
      { note: 'non-integer ignoreIndex', args: [x(), i32([0, 1]), { ignoreIndex: 0.5 }], throws: /^crossEntropy: ignoreIndex must be an integer, got 0.5/, type: ValueError },
      { note: 'ignoreIndex with probability targets', args: [x(), g.uniform([2, 3], 0, 1), { ignoreIndex: 1 }], throws: /^crossEntropy: ignoreIndex is not supported with probability targets \(got ignoreIndex 1\)/, type: ValueError },
      { note: 'class index out of range in a K-dim target', args: [logits(g, [2, 3, 2]), i32([[0, 1], [3, 2]])], throws: /^crossEntropy: target 3 is out of range for 3 classes \(expected a class index in \[0, 3\) or ignoreIndex -100\)$/, type: IndexError },
      { note: 'target out of range with another ignoreIndex', args: [x(), i32([-100, 1]), { ignoreIndex: -1 }], throws: /^crossEntropy: target -100 is out of range for 3 classes \(expected a class index in \[0, 3\) or ignoreIndex -1\)$/, type: IndexError },
      { note: 'ignoreIndex not a number', args: [x(), i32([0, 1]), { ignoreIndex: '1' }], throws: /^crossEntropy: ignoreIndex must be a number, got '1'/, type: ArgumentError },
      { note: 'weight not a tensor', args: [x(), i32([0, 1]), { weight: [1, 2, 3] }], throws: /^crossEntropy: expected weight to be a Tensor or null, got an array/, type: ArgumentError },
      { note: 'labelSmoothing misspelled', args: [x(), i32([0, 1]), { labelSmothing: 0.1 }], throws: /^crossEntropy: unknown option 'labelSmothing' \(expected weight, ignoreIndex, reduction, labelSmoothing\); did you mean 'labelSmoothing'\?$/, type: ArgumentError },
    ];
  },
};

const nllRecord: OpRecord = {
  name: 'F.nllLoss', fn: F.nllLoss, reference: ref.nllLoss, differentiable: true, twiceDifferentiable: true,
  noScalarSample: 'input needs a class dim ([C] at least); its 0-d target is among the unbatched samples',
  samples: () => {
    const g = gen('F.nllLoss');
    const w = () => f64([2, 0.5, 1], false);
    return [
      { args: [g.randn([4, 3]), i32([0, 2, 1, 2])], note: 'mean' },
      { args: [g.randn([4, 3]), i32([0, 2, 1, 2]), { reduction: 'sum' }], note: 'sum' },
      { args: [g.randn([4, 3]), i32([0, 2, 1, 2]), { reduction: 'none' }], note: 'none' },
      { args: [g.randn([4, 3]), i32([0, 2, 1, 2]), { weight: w() }], note: 'weights, mean' },
      { args: [g.randn([5, 3]), i32([0, -100, 1, -100, 2]), { weight: w(), reduction: 'none' }], note: 'ignored targets, weights, none' },
      { args: [g.randn([4, 3]), i32([2, 2, 1, 0]), { ignoreIndex: 2, weight: w() }], note: 'ignoreIndex a valid class' },
      { args: [g.randn([3, 3]), i32([-100, -100, -100]), { weight: w() }], note: 'all ignored, mean is NaN', grad: false },
      { args: [g.randn([2, 3, 2, 2]), i32([[[0, 2], [1, -100]], [[2, 2], [0, 1]]]), { weight: w() }], note: 'K-dim' },
      { args: [g.randn([3]), i32(1)], note: 'unbatched [C] with a 0-d target' },
      { args: [g.randn([0, 3]), i32([]).reshape([0]), { reduction: 'sum' }], note: 'zero-size batch' },
      { args: [g.randn([4, 3], { transposed: true }), i32([0, 1, 2, 1]), { reduction: 'none' }], note: 'non-contiguous' },
      // no classes: every target must be ignored; 'mean' is NaN (0 / 0), 'sum' 0 (PyTorch 1.13, checked)
      { args: [zeros([3, 0], { dtype: 'float64' }), i32([-100, -100, -100])], note: 'no classes, all ignored: mean NaN', grad: false },
      { args: [zeros([3, 0], { dtype: 'float64' }), i32([-100, -100, -100]), { reduction: 'sum', weight: zeros([0], { dtype: 'float64' }) }], note: 'no classes, weights, all ignored: sum 0', grad: false },
      { args: [f64([[-INF, 0, 1]], false), i32([0]), { reduction: 'none' }], note: 'a −Inf log-probability', grad: false },
    ];
  },
  errors: () => {
    const g = gen('F.nllLoss');
    const x = () => g.randn([2, 3]);
    return [
      ...commonErrors('nllLoss', x, () => i32([0, 1])),
      { note: 'target out of range', args: [x(), i32([3, 1])], throws: /^nllLoss: target 3 is out of range for 3 classes/, type: IndexError },
      { note: 'a class index with no classes', args: [zeros([2, 0], { dtype: 'float64' }), i32([0, -100])], throws: /^nllLoss: target 0 is out of range for 0 classes/, type: IndexError },
      { note: 'float target', args: [x(), f64([0, 1])], throws: /^nllLoss: expected class-index targets of dtype int32, got float64/, type: DTypeError },
      { note: 'labelSmoothing is not an option', args: [x(), i32([0, 1]), { labelSmoothing: 0.1 }], throws: /^nllLoss: unknown option 'labelSmoothing'/, type: ArgumentError },
      { note: '0-d input', args: [f64(1), i32(0)], throws: /^nllLoss: expected input of shape \[C\], \[N, C\] or \[N, C, d1, \.\.\.\], got a 0-d input/, type: ShapeError },
      { note: 'unbatched target shape', args: [g.randn([3]), i32([1])], throws: /^nllLoss: expected target of shape \[\] for input of shape \[3\], got \[1\]/, type: ShapeError },
      { note: 'negative target', args: [x(), i32([0, -2])], throws: /^nllLoss: target -2 is out of range for 3 classes \(expected a class index in \[0, 3\) or ignoreIndex -100\)$/, type: IndexError },
      { note: 'bool target', args: [x(), bool([true, false])], throws: /^nllLoss: expected class-index targets of dtype int32, got bool/, type: DTypeError },
      { note: 'int32 input', args: [i32([[1, 2, 3]]), i32([0])], throws: /^nllLoss: expected a floating-point input, got dtype int32/, type: DTypeError },
      { note: 'weight shape', args: [x(), i32([0, 1]), { weight: f64([1, 2, 3, 4]) }], throws: /^nllLoss: weight must have shape \[3\] \(one per class\), got \[4\]/, type: ShapeError },
    ];
  },
};

const klRecord: OpRecord = {
  name: 'F.klDiv', fn: F.klDiv, reference: ref.klDiv, differentiable: true, twiceDifferentiable: true,
  samples: () => {
    const g = gen('F.klDiv');
    const p = (shape: number[], o?: TOpts) => g.uniform(shape, 0.05, 1, o);
    return [
      { args: [g.randn([3, 4]), p([3, 4])], note: 'default mean (over elements)' },
      { args: [g.randn([3, 4]), p([3, 4]), { reduction: 'batchmean' }], note: 'batchmean' },
      { args: [g.randn([3, 4]), p([3, 4]), { reduction: 'sum' }], note: 'sum' },
      { args: [g.randn([2, 3]), p([2, 3]), { reduction: 'none' }], note: 'none' },
      { args: [g.randn([3, 4]), g.randn([3, 4]), { logTarget: true, reduction: 'batchmean' }], note: 'log target, batchmean' },
      { args: [g.randn([2, 3]), g.randn([2, 3]), { logTarget: true, reduction: 'none' }], note: 'log target, none' },
      { args: [g.randn([2, 3]), f64([[0, 0.5, 0.5], [0.2, 0, 0.8]], false), { reduction: 'none' }], note: 'zero targets give 0' },
      { args: [g.randn([]), p([]), { reduction: 'batchmean' }], note: '0-d batchmean is the sum' },
      { args: [g.randn([0, 3]), p([0, 3]), { reduction: 'batchmean' }], note: 'zero-size batchmean is NaN', grad: false },
      { args: [g.randn([0, 3]), p([0, 3]), { reduction: 'sum' }], note: 'zero-size sum' },
      { args: [g.randn([3, 2], { transposed: true }), p([3, 2]), { reduction: 'batchmean' }], note: 'non-contiguous' },
      { args: [g.randn([2, 3]), p([3]), { reduction: 'none' }], note: 'target broadcasts' },
    ];
  },
  errors: () => {
    const g = gen('F.klDiv');
    return [
      ...commonErrors('klDiv', () => g.randn([2, 3]), () => g.randn([2, 3])),
      { note: 'logTarget not a boolean', args: [g.randn([2]), g.randn([2]), { logTarget: 1 }], throws: /^klDiv: logTarget must be a boolean, got 1/, type: ArgumentError },
      { note: 'shapes do not broadcast', args: [g.randn([2, 3]), g.randn([2])], throws: /^klDiv: input shape \[2, 3\] and target shape \[2\] cannot be broadcast/, type: ShapeError },
      { note: 'misspelled batchmean', args: [g.randn([2, 3]), g.randn([2, 3]), { reduction: 'batchmaen' }], throws: /^klDiv: reduction must be one of 'mean', 'batchmean', 'sum', 'none', got 'batchmaen'; did you mean 'batchmean'\?$/, type: ValueError },
      { note: 'int32 target', args: [g.randn([2]), i32([0, 1])], throws: /^klDiv: expected a floating-point target, got dtype int32/, type: DTypeError },
    ];
  },
};

const oneHotRecord: OpRecord = {
  name: 'F.oneHot', fn: F.oneHot, reference: ref.oneHot, differentiable: false, twiceDifferentiable: false,
  samples: () => {
    const g = gen('F.oneHot');
    return [
      { args: [i32([0, 2, 1, 2])], note: 'classes inferred' },
      { args: [i32([0, 2, 1]), 5], note: 'numClasses 5' },
      { args: [g.ints([2, 3], 0, 4), 4], note: '2-d indices' },
      { args: [i32(3)], note: '0-d' },
      { args: [i32([]).reshape([0]), 3], note: 'zero-size with numClasses' },
      { args: [i32([[0, 1], [1, 0]]).reshape([2, 2, 1]), 2], note: '3-d' },
      { args: [build([3, 2], (i) => (i * 5) % 4, { dtype: 'int32', transposed: true })], note: 'non-contiguous' },
    ];
  },
  errors: () => [
    ...notTensor('oneHot', (b) => [b]),
    { note: 'float indices', args: [f64([0, 1])], throws: /^oneHot: expected int32 class indices, got float64/, type: DTypeError },
    { note: 'negative index', args: [i32([0, -1])], throws: /^oneHot: class values must be non-negative, got -1/, type: IndexError },
    { note: 'index beyond numClasses', args: [i32([0, 5]), 3], throws: /^oneHot: class value 5 is out of range for 3 classes/, type: IndexError },
    { note: 'empty input without numClasses', args: [i32([]).reshape([0])], throws: /^oneHot: cannot infer the number of classes from an empty tensor/, type: ValueError },
    { note: 'numClasses below -1', args: [i32([0]), -2], throws: /^oneHot: numClasses must be -1 or a non-negative integer, got -2/, type: ValueError },
    { note: 'numClasses not a number', args: [i32([0]), '3'], throws: /^oneHot: numClasses must be a number, got '3'/, type: ArgumentError },
  ],
};

export const records: OpRecord[] = [
  regression('mseLoss', F.mseLoss, ref.mseLoss, OFFS, []),
  regression('l1Loss', F.l1Loss, ref.l1Loss, OFFS, []),
  regression('huberLoss', F.huberLoss, ref.huberLoss, OFFS, [{ opts: { delta: 0.5 }, note: 'delta 0.5' }, { opts: { delta: 3, reduction: 'sum' }, note: 'delta 3 (all quadratic but one)' }], [
    { note: 'delta 0', args: [f64([1]), f64([2]), { delta: 0 }], throws: /^huberLoss: delta must be positive, got 0/, type: ValueError },
    { note: 'delta not a number', args: [f64([1]), f64([2]), { delta: '1' }], throws: /^huberLoss: delta must be a number, got '1'/, type: ArgumentError },
  ]),
  regression('smoothL1Loss', F.smoothL1Loss, ref.smoothL1Loss, OFFS, [{ opts: { beta: 0.5 }, note: 'beta 0.5' }, { opts: { beta: 0 }, note: 'beta 0 is the L1 loss' }], [
    { note: 'negative beta', args: [f64([1]), f64([2]), { beta: -1 }], throws: /^smoothL1Loss: beta must be non-negative, got -1/, type: ValueError },
  ]),
  bceRecord,
  bceLogitsRecord,
  ceRecord,
  nllRecord,
  klRecord,
  oneHotRecord,
];
