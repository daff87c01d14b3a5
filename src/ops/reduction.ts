import { Tensor } from '../tensor/tensor.js';
import { isFloating } from '../tensor/dtype.js';
import { normDim, normDims, numel, shapeStr } from '../tensor/shape.js';
import * as P from '../autograd/prims.js';
import { detach } from './shape.js';
import { ArgumentError, DTypeError, ShapeError, ValueError } from '../errors.js';
import { checkBool, checkTensorArg, describeValue } from '../utils/args.js';

/** Dims to reduce: one dim, several, or all (undefined). Negative dims count from the end. */
export type Dims = number | readonly number[] | undefined | null;

function check(op: string, x: unknown): asserts x is Tensor {
  checkTensorArg(op, x);
}

function checkFloat(op: string, x: Tensor): void {
  if (!isFloating(x.dtype)) {
    throw new DTypeError(`${op}: expected a floating-point tensor, got dtype ${x.dtype} (shape ${shapeStr(x.shape)}); cast it first`);
  }
}

function checkNonEmpty(op: string, x: Tensor, dims: readonly number[]): void {
  if (dims.some((d) => x.shape[d] === 0) || (x.numel() === 0 && dims.length === x.ndim)) {
    throw new ShapeError(`${op}: cannot reduce over a zero-size dim of a tensor of shape ${shapeStr(x.shape)}; the result would have no identity`);
  }
}

/**
 * Sum over `dim` (all dims when omitted). Integer and bool tensors sum to int32.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * x.sum().item();        // 10
 * x.sum(0).toArray();    // [4, 6]
 * x.sum(-1, true).shape; // [2, 1]
 * ```
 */
export function sum(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  check('sum', x);
  checkBool('sum', 'keepdim', keepdim);
  return P.sum(x, normDims('sum', dim, x.ndim), keepdim);
}

/**
 * Mean over `dim` (all dims when omitted); float tensors only.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]).mean(1).toArray(); // [1.5, 3.5]
 * ```
 */
export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  check('mean', x);
  checkFloat('mean', x);
  checkBool('mean', 'keepdim', keepdim);
  const dims = normDims('mean', dim, x.ndim);
  return P.div(P.sum(x, dims, keepdim), numel(dims.map((d) => x.shape[d])));
}

/**
 * Product over `dim` (all dims when omitted). The gradient is exact even where elements are zero.
 *
 * @example
 * ```ts
 * tensor([1, 2, 3, 4]).prod().item(); // 24
 * ```
 */
export function prod(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  check('prod', x);
  checkBool('prod', 'keepdim', keepdim);
  return P.prod(x, normDims('prod', dim, x.ndim), keepdim);
}

/**
 * Maximum values over `dim` (all dims when omitted). With a single dim, as `torch.max(x, dim).values`, the
 * gradient goes to the first maximal element; over several or all dims, as `torch.amax` and `torch.max(x)`,
 * it is split evenly among tied maxima. NaN propagates.
 *
 * @example
 * ```ts
 * tensor([[1, 5], [7, 2]]).max(1).toArray(); // [5, 7]
 * ```
 */
export function max(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return maxOf('max', x, dim, keepdim);
}

/** max (and, through negation, min) with errors naming `op`. */
function maxOf(op: string, x: Tensor, dim: Dims, keepdim: boolean): Tensor {
  check(op, x);
  checkBool(op, 'keepdim', keepdim);
  const dims = normDims(op, dim, x.ndim);
  checkNonEmpty(op, x, dims);
  if (typeof dim === 'number' && x.ndim > 0) {
    const idx = P.argmaxPrim(x, dims[0], true);
    const v = P.gather(x, dims[0], idx);
    return keepdim ? v : P.reshape(v, x.shape.filter((_, i) => i !== dims[0]));
  }
  return P.amax(x, dims, keepdim);
}

/**
 * Minimum values over `dim` (all dims when omitted); gradients as for {@link max}.
 *
 * @example
 * ```ts
 * tensor([[1, 5], [7, 2]]).min(0).toArray(); // [1, 2]
 * ```
 */
export function min(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  check('min', x);
  if (x.dtype === 'bool') return P.cast(min(P.cast(x, 'int32'), dim, keepdim), 'bool');
  return P.neg(maxOf('min', P.neg(x), dim, keepdim));
}

/**
 * Index (int32) of the first maximum along `dim`, or in the flattened tensor when `dim` is omitted.
 *
 * @example
 * ```ts
 * tensor([[1, 5], [7, 2]]).argmax(1).toArray(); // [1, 0]
 * tensor([[1, 5], [7, 2]]).argmax().item();     // 2
 * ```
 */
export function argmax(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argmaxOf('argmax', x, dim, keepdim);
}

/** argmax (and, through negation, argmin) with errors naming `op`. */
function argmaxOf(op: string, x: Tensor, dim: number | null | undefined, keepdim: boolean): Tensor {
  check(op, x);
  checkBool(op, 'keepdim', keepdim);
  if (dim !== undefined && dim !== null && typeof dim !== 'number') throw new ArgumentError(`${op}: dim must be an integer or null, got ${describeValue(dim)}`);
  const d = dim === undefined || dim === null ? null : normDim(op, dim, x.ndim);
  checkNonEmpty(op, x, d === null ? x.shape.map((_, i) => i) : [d]);
  return P.argmaxPrim(x, x.ndim === 0 ? null : d, keepdim);
}

/**
 * Index (int32) of the first minimum along `dim`, or in the flattened tensor when `dim` is omitted.
 *
 * @example
 * ```ts
 * tensor([3, 1, 2]).argmin().item(); // 1
 * ```
 */
export function argmin(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  check('argmin', x);
  return argmaxOf('argmin', x.dtype === 'bool' ? P.neg(P.cast(x, 'int32')) : P.neg(x), dim, keepdim);
}

/**
 * Variance over `dim` with Bessel's `correction` (1: unbiased, the default as in PyTorch; 0: biased).
 *
 * @example
 * ```ts
 * tensor([1, 2, 3, 4]).var().item();                 // 1.6667
 * tensor([1, 2, 3, 4]).var(undefined, false, 0).item(); // 1.25
 * ```
 */
export function variance(x: Tensor, dim?: Dims, keepdim = false, correction = 1): Tensor {
  return varianceOf('var', x, dim, keepdim, correction);
}

/** variance, with errors naming `op` (var or std). */
function varianceOf(op: string, x: Tensor, dim: Dims, keepdim: boolean, correction: number): Tensor {
  check(op, x);
  checkFloat(op, x);
  checkBool(op, 'keepdim', keepdim);
  if (typeof correction !== 'number') throw new ArgumentError(`${op}: correction must be a number, got ${describeValue(correction)}`);
  if (!Number.isFinite(correction) || correction < 0) throw new ValueError(`${op}: correction must be a non-negative number, got ${correction}`);
  const dims = normDims(op, dim, x.ndim);
  const n = numel(dims.map((d) => x.shape[d]));
  const d = P.sub(x, P.div(P.sum(x, dims, true), n));
  return P.div(P.sum(P.mul(d, d), dims, keepdim), Math.max(0, n - correction));
}

/**
 * Standard deviation: the square root of {@link variance} (same arguments).
 *
 * @example
 * ```ts
 * tensor([1, 2, 3, 4]).std().item(); // 1.2910
 * ```
 */
export function std(x: Tensor, dim?: Dims, keepdim = false, correction = 1): Tensor {
  return P.sqrt(varianceOf('std', x, dim, keepdim, correction));
}

/** The reduction's maximum, detached and with infinities replaced by 0, so that x − m stays finite. */
function stableShift(x: Tensor, dims: number[]): Tensor {
  const m = detach(P.amax(x, dims, true));
  return P.where(P.eq(P.abs(m), Infinity), 0, m);
}

/**
 * log Σ exp(x) over `dim` (all dims when omitted), computed stably by shifting by the maximum.
 *
 * @example
 * ```ts
 * tensor([1e4, 1e4]).logsumexp().item(); // 10000.693
 * ```
 */
export function logsumexp(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  check('logsumexp', x);
  checkFloat('logsumexp', x);
  checkBool('logsumexp', 'keepdim', keepdim);
  const dims = normDims('logsumexp', dim, x.ndim);
  if (x.numel() === 0) return P.log(P.sum(P.exp(x), dims, keepdim));
  const m = stableShift(x, dims);
  const out = P.add(P.log(P.sum(P.exp(P.sub(x, m)), dims, true)), m);
  return keepdim ? out : P.reshape(out, x.shape.filter((_, i) => !dims.includes(i)));
}

function softmaxDims(op: string, x: Tensor, dim: number): number[] {
  check(op, x);
  checkFloat(op, x);
  if (dim === undefined) throw new ArgumentError(`${op}: dim is required (the dim to normalize over), got undefined`);
  if (typeof dim !== 'number') throw new ArgumentError(`${op}: dim must be an integer, got ${describeValue(dim)}`);
  return normDims(op, dim, x.ndim);
}

/**
 * Softmax along `dim`: exp(x) / Σ exp(x), shifted by the maximum so large logits stay finite.
 *
 * @example
 * ```ts
 * tensor([1, 1]).softmax(0).toArray(); // [0.5, 0.5]
 * ```
 */
export function softmax(x: Tensor, dim: number): Tensor {
  const d = softmaxDims('softmax', x, dim);
  if (x.numel() === 0) return x;
  const e = P.exp(P.sub(x, stableShift(x, d)));
  return P.div(e, P.sum(e, d, true));
}

/**
 * log(softmax(x)) along `dim`, computed as x − logsumexp(x) (shifted by the maximum, so large logits stay
 * finite), in one fused pass.
 *
 * @example
 * ```ts
 * tensor([1e4, 0]).logSoftmax(0).toArray(); // [0, -10000]
 * ```
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const [d] = softmaxDims('logSoftmax', x, dim);
  if (x.numel() === 0) return x;
  // a 0-d tensor is one slice of one element: x − log exp(x), which is NaN for ±Inf and NaN, as in PyTorch
  if (x.ndim === 0) return P.reshape(P.logSoftmaxPrim(P.reshape(x, [1]), 0), []);
  return P.logSoftmaxPrim(x, d);
}
