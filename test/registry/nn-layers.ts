// Records of the layer functions: F.linear, F.conv1d/2d, F.maxPool1d/2d, F.avgPool1d/2d, F.dropout.
import { F, forkRng, zeros, ArgumentError, DTypeError, ShapeError, ValueError, type Tensor } from '../../src/index.js';
import * as ref from '../reference-nn/layers.js';
import type { Arr } from '../reference.js';
import { gen, f64, i32, build, notTensor, type OpRecord, type ErrorCase, type Sample } from './common.js';

const z = (shape: number[]) => zeros(shape, { dtype: 'float64' });
const zf = (shape: number[]) => zeros(shape, { dtype: 'float32' });

/** Draws the dropout mask from a generator seeded as the reference's. */
const seeded = <T>(f: () => T): T => forkRng(f, ref.DROPOUT_SEED);

/** Values 0, 1, … with repeats (ties inside pooling windows); forward only. */
const ties = (shape: number[]) => build(shape, (i) => Math.floor(i / 3) % 4);

function convRecord(n: 1 | 2): OpRecord {
  const name = n === 1 ? 'conv1d' : 'conv2d';
  const fn = n === 1 ? F.conv1d : F.conv2d;
  const sp = (l: number) => (n === 1 ? [l] : [l, l - 1]);
  const k = (v: number) => (n === 1 ? [v] : [v, v]);
  return {
    name: `F.${name}`, fn, reference: n === 1 ? ref.conv1d : ref.conv2d, differentiable: true, twiceDifferentiable: true,
    noScalarSample: 'convolution needs [C, *spatial] or [N, C, *spatial] input',
    samples: () => {
      const g = gen(`F.${name}`);
      const s: Sample[] = [
        { args: [g.randn([2, 2, ...sp(4)]), g.randn([3, 2, ...k(2)]), g.randn([3])], note: 'basic' },
        { args: [g.randn([1, 2, ...sp(5)]), g.randn([2, 2, ...k(3)]), g.randn([2]), { stride: 2 }], note: 'stride 2' },
        { args: [g.randn([1, 1, ...sp(4)]), g.randn([2, 1, ...k(3)]), g.randn([2]), { padding: 1 }], note: 'padding 1' },
        { args: [g.randn([1, 2, ...sp(5)]), g.randn([2, 2, ...k(2)]), null, { dilation: 2 }], note: 'dilation 2, no bias' },
        { args: [g.randn([1, 4, ...sp(4)]), g.randn([4, 2, ...k(2)]), g.randn([4]), { groups: 2 }], note: 'groups 2' },
        { args: [g.randn([1, 4, ...sp(6)]), g.randn([2, 2, ...k(2)]), g.randn([2]), { stride: 2, padding: 1, dilation: 2, groups: 2 }], note: 'stride, padding, dilation and groups' },
        { args: [g.randn([1, 1, ...sp(5)]), g.randn([2, 1, ...k(4)]), g.randn([2]), { padding: 'same' }], note: "'same', even kernel (extra zero after)" },
        { args: [g.randn([1, 1, ...sp(5)]), g.randn([1, 1, ...k(2)]), undefined, { padding: 'same', dilation: 3 }], note: "'same', dilation 3" },
        { args: [g.randn([1, 2, ...sp(4)]), g.randn([1, 2, ...k(3)]), g.randn([1]), { padding: 'valid' }], note: "'valid'" },
        { args: [g.randn([2, ...sp(4)]), g.randn([2, 2, ...k(2)]), g.randn([2])], note: 'unbatched' },
        { args: [g.randn([0, 2, ...sp(4)]), g.randn([2, 2, ...k(2)]), g.randn([2])], note: 'empty batch' },
        { args: [g.randn([1, 2, ...sp(4)], { transposed: true }), g.randn([2, 2, ...k(2)], { transposed: true }), g.randn([2])], note: 'non-contiguous input and weight' },
        { args: [g.randn([1, 2, ...sp(4)]), g.randn([2, 2, ...k(2)], { rg: false })], note: 'constant weight' },
        { args: [build([1, 1, ...sp(3)], (i) => i - 3, { dtype: 'int32' }), build([1, 1, ...k(2)], (i) => i + 1, { dtype: 'int32' })], note: 'int32', float32: false },
      ];
      if (n === 2) {
        s.push({ args: [g.randn([1, 2, 5, 4]), g.randn([2, 1, 2, 3]), g.randn([2]), { stride: [2, 1], padding: [1, 0], dilation: [2, 1], groups: 2 }], note: 'per-dim options' });
      }
      return s;
    },
    errors: () => {
      const x = z([1, 2, ...sp(5)]), w = z([3, 2, ...k(3)]);
      const e: ErrorCase[] = [
        { note: '0-d input', args: [f64(1), w], throws: new RegExp(`^${name}: expected a ${n + 1}-d .* input, got shape \\[\\]`), type: ShapeError },
        { note: 'input of the wrong rank', args: [z([5]), w], throws: new RegExp(`^${name}: expected a ${n + 1}-d \\[C, .*\\] \\(unbatched\\) or ${n + 2}-d \\[N, C, .*\\] \\(batched\\) input, got shape \\[5\\]`), type: ShapeError },
        { note: 'weight of the wrong rank', args: [x, z([3, 2])], throws: new RegExp(`^${name}: expected weight of shape \\[outChannels, inChannels/groups, .*\\], got \\[3, 2\\]`), type: ShapeError },
        { note: 'channels differ', args: [z([1, 3, ...sp(5)]), w], throws: new RegExp(`^${name}: weight of shape \\[3, 2, .*\\] with groups=1 expects input with 2 channels, got input of shape \\[1, 3, .*\\] \\(3 channels\\)`), type: ShapeError },
        { note: 'groups do not divide the output channels', args: [z([1, 4, ...sp(5)]), w, null, { groups: 2 }], throws: new RegExp(`^${name}: weight of shape \\[3, 2, .*\\] has 3 output channels, which groups=2 does not divide`), type: ShapeError },
        { note: 'groups 0', args: [x, w, null, { groups: 0 }], throws: new RegExp(`^${name}: groups must be an integer ≥ 1, got 0`), type: ValueError },
        { note: 'bias of the wrong size', args: [x, w, z([2])], throws: new RegExp(`^${name}: expected bias of shape \\[3\\] for weight of shape \\[3, 2, .*\\], got \\[2\\]`), type: ShapeError },
        { note: 'stride 0', args: [x, w, null, { stride: 0 }], throws: new RegExp(`^${name}: stride must be an integer.* ≥ 1, got 0`), type: ValueError },
        { note: 'negative padding', args: [x, w, null, { padding: -1 }], throws: new RegExp(`^${name}: padding must be an integer.* ≥ 0, got -1`), type: ValueError },
        { note: 'dilation 0', args: [x, w, null, { dilation: 0 }], throws: new RegExp(`^${name}: dilation must be an integer.* ≥ 1, got 0`), type: ValueError },
        { note: 'wrong number of strides', args: [x, w, null, { stride: [1, 1, 1] }], throws: new RegExp(`^${name}: stride must be an integer.* ≥ 1, got \\[1,1,1\\]`), type: ValueError },
        { note: "'same' with stride 2", args: [x, w, null, { padding: 'same', stride: 2 }], throws: new RegExp(`^${name}: padding='same' needs stride 1, got stride \\[2`), type: ValueError },
        { note: 'unknown padding string', args: [x, w, null, { padding: 'full' }], throws: new RegExp(`^${name}: padding must be 'valid', 'same', an integer or ${n} integers ≥ 0, got 'full'`), type: ValueError },
        { note: 'kernel larger than the padded input', args: [z([1, 2, ...sp(2)]), w], throws: new RegExp(`^${name}: kernel \\[3.*\\] with dilation \\[1.*\\] spans \\[3.*\\], more than the padded input size \\[2`), type: ValueError },
        { note: 'dtypes differ', args: [zf([1, 2, ...sp(5)]), w], throws: new RegExp(`^${name}: expected weight of the input's dtype float32, got float64`), type: DTypeError },
        { note: 'unknown option', args: [x, w, null, { strid: 1 }], throws: new RegExp(`^${name}: unknown option 'strid' \\(expected stride, padding, dilation, groups\\); did you mean 'stride'\\?$`), type: ArgumentError },
        { note: 'options not an object', args: [x, w, null, 2], throws: new RegExp(`^${name}: expected an options object, got 2`), type: ArgumentError },
        { note: 'stride not a number', args: [x, w, null, { stride: '1' }], throws: new RegExp(`^${name}: stride must be an integer or an array of ${n === 1 ? 'one integer' : '2 integers'}, got '1'`), type: ArgumentError },
        { note: 'int32 input with a float64 weight', args: [build([1, 2, ...sp(5)], () => 1, { dtype: 'int32' }), w], throws: new RegExp(`^${name}: expected weight of the input's dtype int32, got float64`), type: DTypeError },
        { note: 'bool input', args: [zeros([1, 2, ...sp(5)], { dtype: 'bool' }), zeros([3, 2, ...k(3)], { dtype: 'bool' })], throws: new RegExp(`^${name}: not defined for bool input`), type: DTypeError },
        { note: 'bias of another dtype', args: [x, w, zf([3])], throws: new RegExp(`^${name}: expected bias of the input's dtype float64, got float32`), type: DTypeError },
        { note: 'bias not a tensor', args: [x, w, [1, 2, 3]], throws: new RegExp(`^${name}: expected bias to be a Tensor or null, got an array`), type: ArgumentError },
        { note: 'empty kernel', args: [x, z([3, 2, ...k(0)])], throws: new RegExp(`^${name}: expected a non-empty kernel, got weight of shape \\[3, 2, 0`), type: ShapeError },
        ...notTensor(name, (b) => [b, w]),
      ];
      return e;
    },
  };
}

interface PoolSpec {
  name: 'maxPool1d' | 'maxPool2d' | 'avgPool1d' | 'avgPool2d';
  fn: (...a: any[]) => Tensor;
  reference: (...a: any[]) => Arr | Arr[];
  n: 1 | 2;
  max: boolean;
}

function poolRecord({ name, fn, reference, n, max }: PoolSpec): OpRecord {
  const sp = (l: number) => (n === 1 ? [l] : [l, l + 1]);
  return {
    name: `F.${name}`, fn, reference, differentiable: true, twiceDifferentiable: true,
    noScalarSample: 'pooling needs [C, *spatial] or [N, C, *spatial] input',
    samples: () => {
      const g = gen(`F.${name}`);
      const s: Sample[] = [
        { args: [g.randn([2, 2, ...sp(4)]), 2], note: 'kernel 2 (stride = kernel)' },
        { args: [g.randn([1, 2, ...sp(5)]), 3, { stride: 1 }], note: 'overlapping windows' },
        { args: [g.randn([1, 1, ...sp(5)]), 3, { stride: 2, padding: 1 }], note: 'overlapping, padding 1' },
        { args: [g.randn([1, 1, ...sp(5)]), 2, { ceilMode: true }], note: 'ceilMode, partial last window' },
        { args: [g.randn([1, 1, ...sp(6)]), 3, { stride: 2, padding: 1, ceilMode: true }], note: 'ceilMode with padding (window past the right padding)' },
        { args: [g.randn([1, 1, ...sp(4)]), 2, { stride: 3, ceilMode: true }], note: 'ceilMode, a window that would start in the padding is dropped' },
        { args: [g.randn([2, ...sp(4)]), 2, { stride: [] }], note: 'unbatched, stride [] (the kernel size)' },
        { args: [g.randn([0, 2, ...sp(4)]), 2], note: 'empty batch' },
        { args: [g.randn([1, 2, ...sp(4)], { transposed: true }), 2, { stride: 1 }], note: 'non-contiguous' },
      ];
      if (n === 2) s.push({ args: [g.randn([1, 1, 5, 4]), [3, 2], { stride: [2, 1], padding: [1, 1] }], note: 'per-dim kernel, stride, padding' });
      if (max) {
        s.push(
          { args: [g.randn([1, 1, ...sp(7)]), 3, { dilation: 2 }], note: 'dilation 2' },
          { args: [g.randn([1, 1, ...sp(6)]), 2, { dilation: 2, padding: 1, stride: 1, ceilMode: true }], note: 'dilation, padding and ceilMode' },
          { args: [ties([1, 2, ...sp(4)]), 2, { stride: 1 }], note: 'ties (forward only)', grad: false },
        );
      } else {
        s.push(
          { args: [g.randn([1, 1, ...sp(5)]), 3, { stride: 2, padding: 1, countIncludePad: false }], note: 'padding not counted' },
          { args: [g.randn([1, 1, ...sp(6)]), 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }], note: 'ceilMode, padding not counted' },
        );
        if (n === 2) s.push({ args: [g.randn([1, 1, 4, 5]), 2, { padding: 1, divisorOverride: 3 }], note: 'divisorOverride' });
      }
      return s;
    },
    errors: () => {
      const x = z([1, 2, ...sp(4)]);
      const e: ErrorCase[] = [
        { note: '0-d input', args: [f64(1), 2], throws: new RegExp(`^${name}: expected a ${n + 1}-d .* input, got shape \\[\\]`), type: ShapeError },
        { note: 'input of the wrong rank', args: [z(n === 1 ? [4] : [4, 4]), 2], throws: new RegExp(`^${name}: expected a ${n + 1}-d \\[C, .*\\] \\(unbatched\\) or ${n + 2}-d \\[N, C, .*\\] \\(batched\\) input, got shape`), type: ShapeError },
        { note: 'padding over half the kernel', args: [x, 3, { padding: 2 }], throws: new RegExp(`^${name}: padding must be at most half the kernel size, got padding \\[2.*\\] for kernel \\[3`), type: ValueError },
        { note: 'kernel larger than the input', args: [x, 6], throws: new RegExp(`^${name}: input of shape \\[1, 2, .*\\] is too small for kernel \\[6.*the output size would be \\[`), type: ValueError },
        { note: 'stride 0', args: [x, 2, { stride: 0 }], throws: new RegExp(`^${name}: stride must be an integer.* ≥ 1, got 0`), type: ValueError },
        { note: 'kernel 0', args: [x, 0], throws: new RegExp(`^${name}: kernelSize must be an integer.* ≥ 1, got 0`), type: ValueError },
        { note: 'zero channels', args: [z([1, 0, ...sp(4)]), 2], throws: new RegExp(`^${name}: expected non-zero channel and spatial sizes \\(only the batch may be empty\\), got input of shape \\[1, 0`), type: ShapeError },
        { note: 'int32 input', args: [i32([[1, 2, 3, 4]]), 2], throws: new RegExp(`^${name}: expected a floating-point input, got dtype int32`), type: DTypeError },
        { note: 'ceilMode not a boolean', args: [x, 2, { ceilMode: 1 }], throws: new RegExp(`^${name}: ceilMode must be a boolean, got 1`), type: ArgumentError },
        { note: 'kernelSize not a number', args: [x, '2'], throws: new RegExp(`^${name}: kernelSize must be an integer or an array of ${n === 1 ? 'one integer' : '2 integers'}, got '2'`), type: ArgumentError },
        { note: 'wrong number of kernel sizes', args: [x, n === 1 ? [2, 2] : [2, 2, 2]], throws: new RegExp(`^${name}: kernelSize must be an integer.* ≥ 1, got \\[2,2`), type: ValueError },
        { note: 'options not an object', args: [x, 2, 'same'], throws: new RegExp(`^${name}: expected an options object, got 'same'`), type: ArgumentError },
        ...notTensor(name, (b) => [b, 2]),
      ];
      if (max) {
        e.push({ note: 'unknown option', args: [x, 2, { countIncludePad: true }], throws: new RegExp(`^${name}: unknown option 'countIncludePad' \\(expected stride, padding, dilation, ceilMode\\)`), type: ArgumentError });
      } else {
        e.push({ note: 'dilation is not an option', args: [x, 2, { dilation: 2 }], throws: new RegExp(`^${name}: unknown option 'dilation' \\(expected stride, padding, ceilMode, countIncludePad${n === 2 ? ', divisorOverride' : ''}\\)`), type: ArgumentError });
        if (n === 2) {
          e.push(
            { note: 'divisorOverride 0', args: [x, 2, { divisorOverride: 0 }], throws: /^avgPool2d: divisorOverride must be a non-zero integer, got 0/, type: ValueError },
            { note: 'divisorOverride not a number', args: [x, 2, { divisorOverride: '2' }], throws: /^avgPool2d: divisorOverride must be a non-zero integer, got '2'/, type: ArgumentError },
          );
        }
        e.push({ note: 'countIncludePad not a boolean', args: [x, 2, { countIncludePad: 'no' }], throws: new RegExp(`^${name}: countIncludePad must be a boolean, got 'no'`), type: ArgumentError });
      }
      return e;
    },
  };
}

export const records: OpRecord[] = [
  {
    name: 'F.linear', fn: F.linear, reference: ref.linear, differentiable: true, twiceDifferentiable: true,
    noScalarSample: 'linear needs input of shape [*, inFeatures]',
    samples: () => {
      const g = gen('F.linear');
      return [
        { args: [g.randn([3, 4]), g.randn([2, 4]), g.randn([2])], note: '2-d input' },
        { args: [g.randn([3, 4]), g.randn([2, 4])], note: 'no bias' },
        { args: [g.randn([3, 4]), g.randn([2, 4]), null], note: 'bias null' },
        { args: [g.randn([4]), g.randn([2, 4]), g.randn([2])], note: '1-d input' },
        { args: [g.randn([2, 3, 4]), g.randn([2, 4]), g.randn([2])], note: '3-d input' },
        { args: [g.randn([3, 4]), g.randn([4]), g.randn([])], note: '1-d weight, 0-d bias' },
        { args: [g.randn([3, 4]), g.randn([2, 4]), g.randn([1])], note: 'bias broadcast from [1]' },
        { args: [g.randn([0, 4]), g.randn([2, 4]), g.randn([2])], note: 'empty batch' },
        { args: [g.randn([3, 4], { transposed: true }), g.randn([2, 4], { transposed: true }), g.randn([2])], note: 'non-contiguous input and weight' },
        { args: [g.randn([3, 4]), g.randn([2, 4], { rg: false }), g.randn([2], { rg: false })], note: 'constant weight and bias' },
        { args: [i32([[1, 2], [3, 4]]), i32([[1, -1], [2, 0], [0, 1]]), i32([1, 2, 3])], note: 'int32', float32: false },
      ];
    },
    errors: () => [
      { note: '0-d input', args: [f64(1), z([2, 1])], throws: /^linear: expected input of shape \[\*, inFeatures\], got a 0-d tensor/, type: ShapeError },
      { note: 'weight of 3 dims', args: [z([3, 4]), z([2, 4, 1])], throws: /^linear: expected weight of shape \[outFeatures, inFeatures\] or \[inFeatures\], got \[2, 4, 1\]/, type: ShapeError },
      { note: 'features differ', args: [z([3, 4]), z([2, 5])], throws: /^linear: input of shape \[3, 4\] has 4 features in its last dim, but weight of shape \[2, 5\] expects 5/, type: ShapeError },
      { note: 'bias of the wrong size', args: [z([3, 4]), z([2, 4]), z([3])], throws: /^linear: expected bias of shape \[2\] \(or one that broadcasts to it\), got \[3\]/, type: ShapeError },
      { note: 'bias of too many dims', args: [z([3, 4]), z([2, 4]), z([3, 2])], throws: /^linear: expected bias of shape \[2\] .*got \[3, 2\]/, type: ShapeError },
      { note: 'dtypes differ', args: [zf([3, 4]), z([2, 4])], throws: /^linear: expected weight of the input's dtype float32, got float64/, type: DTypeError },
      { note: 'bool input', args: [zeros([2, 2], { dtype: 'bool' }), zeros([2, 2], { dtype: 'bool' })], throws: /^linear: not defined for bool input/, type: DTypeError },
      { note: 'weight not a tensor', args: [z([3, 4]), [[1, 2, 3, 4]]], throws: /^linear: expected weight to be a Tensor, got an array/, type: ArgumentError },
      { note: 'bias of another dtype', args: [z([3, 4]), z([2, 4]), zf([2])], throws: /^linear: expected bias of the input's dtype float64, got float32/, type: DTypeError },
      { note: 'int32 input with a float weight', args: [i32([[1, 2, 3, 4]]), z([2, 4])], throws: /^linear: expected weight of the input's dtype int32, got float64/, type: DTypeError },
      { note: 'bias not a tensor', args: [z([3, 4]), z([2, 4]), [0, 0]], throws: /^linear: expected bias to be a Tensor or null, got an array/, type: ArgumentError },
      ...notTensor('linear', (b) => [b, z([2, 4])]),
    ],
  },
  convRecord(1),
  convRecord(2),
  poolRecord({ name: 'maxPool1d', fn: F.maxPool1d, reference: ref.maxPool1d, n: 1, max: true }),
  poolRecord({ name: 'maxPool2d', fn: F.maxPool2d, reference: ref.maxPool2d, n: 2, max: true }),
  poolRecord({ name: 'avgPool1d', fn: F.avgPool1d, reference: ref.avgPool1d, n: 1, max: false }),
  poolRecord({ name: 'avgPool2d', fn: F.avgPool2d, reference: ref.avgPool2d, n: 2, max: false }),
  {
    name: 'F.dropout', fn: F.dropout, reference: ref.dropout, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('F.dropout');
      return [
        { args: [g.randn([3, 4]), 0.5], note: 'p 0.5', around: seeded },
        { args: [g.randn([3, 4])], note: 'default p', around: seeded },
        { args: [g.randn([2, 3, 2]), 0.2], note: 'p 0.2', around: seeded },
        { args: [g.randn([3, 4]), 0.5, false], note: 'eval: identity', around: seeded },
        { args: [g.randn([3, 4]), 0], note: 'p 0: identity', around: seeded },
        { args: [g.randn([3, 4]), 1], note: 'p 1: zeros', around: seeded },
        { args: [g.randn([]), 0.3], note: '0-d', around: seeded },
        { args: [g.randn([0, 3]), 0.5], note: 'zero-size', around: seeded },
        { args: [g.randn([3, 4], { transposed: true }), 0.5], note: 'non-contiguous', around: seeded },
      ];
    },
    errors: () => [
      { note: 'p above 1', args: [z([2]), 1.5], throws: /^dropout: probability p must be in \[0, 1\], got 1.5/, type: ValueError },
      { note: 'negative p', args: [z([2]), -0.1], throws: /^dropout: probability p must be in \[0, 1\], got -0.1/, type: ValueError },
      { note: 'NaN p', args: [z([2]), NaN], throws: /^dropout: probability p must be in \[0, 1\], got NaN/, type: ValueError },
      { note: 'p not a number', args: [z([2]), '0.5'], throws: /^dropout: probability p must be a number, got '0.5'/, type: ArgumentError },
      { note: 'training not a boolean', args: [z([2]), 0.5, 1], throws: /^dropout: training must be a boolean, got 1/, type: ArgumentError },
      { note: 'unknown option', args: [z([2]), 0.5, true, { inplace: true }], throws: /^dropout: unknown option 'inplace' \(expected generator\)/, type: ArgumentError },
      { note: 'generator misspelled', args: [z([2]), 0.5, true, { generater: null }], throws: /^dropout: unknown option 'generater' \(expected generator\); did you mean 'generator'\?$/, type: ArgumentError },
      { note: 'int32 input', args: [i32([1, 2]), 0.5], throws: /^dropout: expected a floating-point input, got dtype int32/, type: DTypeError },
      ...notTensor('dropout', (b) => [b, 0.5]),
    ],
  },
];
