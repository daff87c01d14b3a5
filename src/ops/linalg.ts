import { Tensor } from '../tensor/tensor.js';
import { shapeStr, numel } from '../tensor/shape.js';
import * as P from '../autograd/prims.js';
import { windowCounts } from '../autograd/prims.js';
import { ArgumentError, DTypeError, ShapeError, ValueError } from '../errors.js';
import { checkOptions, checkTensorArg, describeValue } from '../utils/args.js';

/**
 * Matrix product with PyTorch's rules: 1-D operands are promoted to a row (left) or column (right) vector and
 * the added dim is removed from the result; 2-D is a matrix product; higher dims are batches that broadcast.
 *
 * @example
 * ```ts
 * const a = randn([5, 2, 3]), b = randn([3, 4]);
 * matmul(a, b).shape;                          // [5, 2, 4]
 * matmul(tensor([1, 2]), tensor([3, 4])).item(); // 11
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensorArg('matmul', a, 'input');
  checkTensorArg('matmul', b, 'other');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: both arguments need at least 1 dim, got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  }
  if (a.dtype === 'bool' || b.dtype === 'bool') {
    throw new DTypeError(`matmul: got operands of dtype ${a.dtype} and ${b.dtype}, expected float32, float64 or int32 (matmul is not implemented for bool, as in PyTorch)`);
  }
  const [x, y] = P.promote('matmul', [a, b]);
  const a2 = x.ndim === 1 ? P.reshape(x, [1, x.shape[0]]) : x;
  const b2 = y.ndim === 1 ? P.reshape(y, [y.shape[0], 1]) : y;
  const inner = a2.shape[a2.ndim - 1];
  if (inner !== b2.shape[b2.ndim - 2]) {
    throw new ShapeError(`matmul: shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} cannot be multiplied (${inner} ≠ ${b2.shape[b2.ndim - 2]})`);
  }
  const out = P.matmulPrim(a2, b2);
  if (a.ndim > 1 && b.ndim > 1) return out;
  const shape = [...out.shape];
  if (b.ndim === 1) shape.splice(shape.length - 1, 1);
  if (a.ndim === 1) shape.splice(shape.length - (b.ndim === 1 ? 1 : 2), 1);
  return P.reshape(out, shape);
}

/** Window options of {@link unfold} and {@link fold}: a number applies to every spatial dim. */
export interface WindowOptions {
  stride?: number | readonly number[];
  padding?: number | readonly number[];
  dilation?: number | readonly number[];
}

function expandArg(op: string, name: string, v: number | readonly number[] | undefined, n: number, dflt: number, min: number): number[] {
  if (v !== undefined && typeof v !== 'number' && !(Array.isArray(v) && v.every((k) => typeof k === 'number'))) {
    throw new ArgumentError(`${op}: ${name} must be ${n === 1 ? 'an integer' : `an integer or ${n} integers`}, got ${describeValue(v)}`);
  }
  const arr = v === undefined ? new Array(n).fill(dflt) : typeof v === 'number' ? new Array(n).fill(v) : [...v];
  if (arr.length !== n || !arr.every((k) => Number.isInteger(k) && k >= min)) {
    throw new ValueError(`${op}: ${name} must be ${n === 1 ? 'an integer' : `an integer or ${n} integers`} ≥ ${min}, got ${JSON.stringify(v)}`);
  }
  return arr;
}

const WINDOW_KEYS = ['stride', 'padding', 'dilation'];

function windowParams(op: string, n: number, kernelSize: number | readonly number[], opts: WindowOptions) {
  checkOptions(op, opts, WINDOW_KEYS);
  return {
    kernel: expandArg(op, 'kernelSize', kernelSize, n, 1, 1),
    stride: expandArg(op, 'stride', opts.stride, n, 1, 1),
    padding: expandArg(op, 'padding', opts.padding, n, 0, 0),
    dilation: expandArg(op, 'dilation', opts.dilation, n, 1, 1),
  };
}

/**
 * Extracts sliding windows (im2col): `x` of shape [N, C, L] or [N, C, H, W] gives [N, C·∏kernel, windows], with
 * rows ordered channel-major then kernel position, as PyTorch's `F.unfold`. Convolution is this plus a matmul.
 * Only the batch may be empty (an empty channel or spatial dim is refused, as PyTorch's im2col refuses it).
 *
 * @example
 * ```ts
 * const x = arange(16, undefined, 1, { dtype: 'float32' }).reshape([1, 1, 4, 4]);
 * unfold(x, 2, { stride: 2 }).shape; // [1, 4, 4]
 * ```
 */
export function unfold(x: Tensor, kernelSize: number | readonly number[], opts: WindowOptions = {}): Tensor {
  checkTensorArg('unfold', x);
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new ShapeError(`unfold: expected input of shape [N, C, L] or [N, C, H, W], got ${shapeStr(x.shape)}`);
  }
  if (x.dtype === 'bool') throw new DTypeError(`unfold: got input of dtype bool, expected float32, float64 or int32`);
  // PyTorch's im2col: "3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions"
  if (x.shape.slice(1).includes(0)) {
    throw new ShapeError(`unfold: got input of shape ${shapeStr(x.shape)}, expected non-zero channel and spatial sizes (only the batch may be empty)`);
  }
  const p = windowParams('unfold', x.ndim - 2, kernelSize, opts);
  const counts = windowCounts(x.shape.slice(2), p);
  if (counts.some((c) => c <= 0)) {
    throw new ShapeError(`unfold: kernel ${JSON.stringify(p.kernel)} with dilation ${JSON.stringify(p.dilation)} and padding ${JSON.stringify(p.padding)} does not fit the spatial size ${shapeStr(x.shape.slice(2))}`);
  }
  return P.unfoldPrim(x, p);
}

/**
 * Sums sliding windows back into an image (col2im), the adjoint of {@link unfold}: `x` of shape
 * [N, C·∏kernel, windows] gives [N, C, ...outputSize].
 *
 * @example
 * ```ts
 * const cols = ones([1, 4, 4]);
 * fold(cols, [4, 4], 2, { stride: 2 }).shape; // [1, 1, 4, 4]
 * ```
 */
export function fold(x: Tensor, outputSize: number | readonly number[], kernelSize: number | readonly number[], opts: WindowOptions = {}): Tensor {
  checkTensorArg('fold', x);
  if (x.dtype === 'bool') throw new DTypeError(`fold: got input of dtype bool, expected float32, float64 or int32 (fold sums overlapping windows)`);
  for (const [name, v] of [['outputSize', outputSize], ['kernelSize', kernelSize]] as const) {
    if (typeof v !== 'number' && !Array.isArray(v)) throw new ArgumentError(`fold: ${name} must be an integer or an array of integers, got ${describeValue(v)}`);
  }
  const n = typeof outputSize === 'number' ? (typeof kernelSize === 'number' ? 2 : kernelSize.length) : outputSize.length;
  if (n !== 1 && n !== 2) throw new ValueError(`fold: expected 1 or 2 spatial dims, got outputSize ${JSON.stringify(outputSize)}`);
  const size = expandArg('fold', 'outputSize', outputSize, n, 1, 1);
  const p = windowParams('fold', n, kernelSize, opts);
  const k = numel(p.kernel);
  const L = numel(windowCounts(size, p));
  if (x.ndim !== 3 || x.shape[1] % k !== 0 || x.shape[2] !== L) {
    throw new ShapeError(`fold: expected input of shape [N, C·${k}, ${L}] for outputSize ${shapeStr(size)} and kernel ${shapeStr(p.kernel)}, got ${shapeStr(x.shape)}`);
  }
  // PyTorch's col2im: "with possibly 0 batch size and non-zero dimensions"
  if (x.shape[1] === 0) throw new ShapeError(`fold: got input of shape ${shapeStr(x.shape)}, expected a non-zero channel size (only the batch may be empty)`);
  return P.foldPrim(x, { ...p, outputSize: size });
}
