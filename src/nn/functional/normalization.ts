// Normalization in F: batchNorm, layerNorm and tapegrad's preNorm. All three standardize with the biased
// variance and eps inside the square root, (x − mean)·(var + eps)^(−1/2), and differ in the dims the statistics
// are taken over and in what scales the result.
import { Tensor } from '../../tensor/tensor.js';
import { shapeStr } from '../../tensor/shape.js';
import * as P from '../../autograd/prims.js';
import { mean } from '../../ops/reduction.js';
import { reshape, detach } from '../../ops/shape.js';
import { rsqrt } from '../../ops/elementwise.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { checkBool, checkEps, checkFloatArg, checkOptions, describeValue, optionalTensorArg } from '../../utils/args.js';
import { ArgumentError, DTypeError, ShapeError, ValueError } from '../../errors.js';

/** (x − mean) / √(var + eps) over `dims`, with the mean and biased variance (keepdim). */
function standardize(x: Tensor, dims: number[], eps: number): { out: Tensor; mean: Tensor; var: Tensor } {
  const m = mean(x, dims, true);
  const d = P.sub(x, m);
  const v = mean(P.mul(d, d), dims, true);
  return { out: P.mul(d, rsqrt(P.add(v, eps))), mean: m, var: v };
}

/** out·weight + bias, each optional, reshaped to `shape` to broadcast. */
function affine(out: Tensor, weight: Tensor | null, bias: Tensor | null, shape: number[]): Tensor {
  const w = weight ? P.mul(out, reshape(weight, shape)) : out;
  return bias ? P.add(w, reshape(bias, shape)) : w;
}

/** An optional float tensor argument (a parameter or a statistic) of the input's dtype and of `shape`. */
function optionalTensor(op: string, name: string, v: unknown, x: Tensor, shape: readonly number[], what: string): Tensor | null {
  const t = optionalTensorArg(op, v, name);
  if (t === null) return null;
  if (t.dtype !== x.dtype) throw new DTypeError(`${op}: ${name} has dtype ${t.dtype} but the input has dtype ${x.dtype}; they must match`);
  if (shapeStr(t.shape) !== shapeStr(shape)) {
    throw new ShapeError(`${op}: ${name} must have shape ${shapeStr(shape)} (${what}), got ${shapeStr(t.shape)}`);
  }
  return t;
}

export interface BatchNormOptions {
  /** Per-channel scale γ of shape [C] (none: 1). */
  weight?: Tensor | null;
  /** Per-channel shift β of shape [C] (none: 0). */
  bias?: Tensor | null;
  /** Normalize with the batch's statistics and update the running ones (default false: use the running ones). */
  training?: boolean;
  /** Weight of the batch in the running statistics' update (default 0.1). */
  momentum?: number;
  /** Added to the variance inside the square root (default 1e-5). */
  eps?: number;
}

/**
 * Batch normalization of an input [N, C, *] per channel C: (x − mean) / √(var + eps)·weight + bias.
 *
 * In training mode the mean and the biased variance are the batch's, over every dim but C, and the running
 * statistics (when given) are updated in place: running ← (1 − momentum)·running + momentum·batch, with the
 * *unbiased* batch variance for `runningVar`, as PyTorch. Otherwise the running statistics are used, so they
 * must be given. Training needs more than one value per channel.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 10], [3, 20]]);
 * const rm = zeros([2]), rv = ones([2]);
 * F.batchNorm(x, rm, rv, { training: true }).toArray(); // [[-1, -1], [1, 1]]
 * rm.toArray(); // [0.2, 1.5]
 * rv.toArray(); // [1.1, 5.9]
 * F.batchNorm(tensor([[0.2, 1.5]]), rm, rv).toArray(); // [[0, 0]]
 * ```
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, opts: BatchNormOptions = {}): Tensor {
  const op = 'batchNorm';
  checkFloatArg(op, x);
  const o = checkOptions(op, opts, ['weight', 'bias', 'training', 'momentum', 'eps']) as BatchNormOptions;
  if (x.ndim < 2) throw new ShapeError(`${op}: expected input of shape [N, C, *] with at least 2 dims, got shape ${shapeStr(x.shape)}`);
  const C = x.shape[1];
  const what = `C = ${C} channels of the input of shape ${shapeStr(x.shape)}`;
  const rm = optionalTensor(op, 'runningMean', runningMean, x, [C], what);
  const rv = optionalTensor(op, 'runningVar', runningVar, x, [C], what);
  const weight = optionalTensor(op, 'weight', o.weight, x, [C], what);
  const bias = optionalTensor(op, 'bias', o.bias, x, [C], what);
  const training = checkBool(op, 'training', o.training ?? false);
  const momentum = o.momentum === undefined ? 0.1 : o.momentum;
  if (typeof momentum !== 'number' || !Number.isFinite(momentum)) throw new (typeof momentum === 'number' ? ValueError : ArgumentError)(`${op}: momentum must be a finite number, got ${describeValue(momentum)}`);
  const eps = checkEps(op, o.eps ?? 1e-5);

  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const statShape = x.shape.map((n, i) => (i === 1 ? n : 1));
  const count = x.numel() / Math.max(C, 1);
  if (!training) {
    if (!rm || !rv) throw new ArgumentError(`${op}: runningMean and runningVar must be given when training is false (got ${rm ? 'null runningVar' : 'null runningMean'})`);
    const d = P.sub(x, reshape(rm, statShape));
    return affine(P.mul(d, rsqrt(P.add(reshape(rv, statShape), eps))), weight, bias, statShape);
  }
  if (count === 1) throw new ValueError(`${op}: expected more than 1 value per channel when training, got input of shape ${shapeStr(x.shape)}`);
  const s = standardize(x, dims, eps);
  if (count > 0) {
    noGrad(() => {
      const update = (running: Tensor | null, batch: Tensor) => running?.copy_(P.add(P.mul(running, 1 - momentum), P.mul(reshape(detach(batch), [C]), momentum)));
      update(rm, s.mean);
      update(rv, P.mul(s.var, count / (count - 1)));
    });
  }
  return affine(s.out, weight, bias, statShape);
}

export interface LayerNormOptions {
  /** Elementwise scale of shape `normalizedShape` (none: 1). */
  weight?: Tensor | null;
  /** Elementwise shift of shape `normalizedShape` (none: 0). */
  bias?: Tensor | null;
  /** Added to the variance inside the square root (default 1e-5). */
  eps?: number;
}

function checkNormalizedShape(op: string, s: unknown): number[] {
  const list = typeof s === 'number' ? [s] : Array.isArray(s) ? [...s] : null;
  if (list === null || !list.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new ArgumentError(`${op}: normalizedShape must be an integer or a list of integers ≥ 0, got ${describeValue(s)}`);
  }
  if (list.length === 0) throw new ValueError(`${op}: normalizedShape must have at least one dim, got []`);
  return list;
}

/**
 * Layer normalization: standardizes each sample over its trailing dims `normalizedShape` (mean and biased
 * variance over those dims), then applies the elementwise `weight` and `bias` of shape `normalizedShape`.
 *
 * @example
 * ```ts
 * F.layerNorm(tensor([[1, 2, 3], [2, 2, 2]]), [3]).toArray(); // [[-1.2247, 0, 1.2247], [0, 0, 0]]
 * F.layerNorm(tensor([[1, 3]]), 2, { bias: tensor([10, 10]) }).toArray(); // [[9, 11]]
 * ```
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], opts: LayerNormOptions = {}): Tensor {
  const op = 'layerNorm';
  checkFloatArg(op, x);
  const shape = checkNormalizedShape(op, normalizedShape);
  const o = checkOptions(op, opts, ['weight', 'bias', 'eps']) as LayerNormOptions;
  const k = shape.length;
  if (x.ndim < k || shapeStr(x.shape.slice(x.ndim - k)) !== shapeStr(shape)) {
    throw new ShapeError(`${op}: normalizedShape ${shapeStr(shape)} expects input of shape [*, ${shape.join(', ')}], got ${shapeStr(x.shape)}`);
  }
  const what = 'normalizedShape';
  const weight = optionalTensor(op, 'weight', o.weight, x, shape, what);
  const bias = optionalTensor(op, 'bias', o.bias, x, shape, what);
  const eps = checkEps(op, o.eps ?? 1e-5);
  const dims = shape.map((_, i) => x.ndim - k + i);
  return affine(standardize(x, dims, eps).out, weight, bias, shape);
}

export interface PreNormOptions {
  /** Added to the variance inside the square root (default 1e-5). */
  eps?: number;
  /** Per-feature (per-channel) scale of shape [C], C = x.shape[1], broadcast over the dims after it (none: 1). */
  weight?: Tensor | null;
  /** Per-feature (per-channel) shift of shape [C] (none: 0). */
  bias?: Tensor | null;
}

/**
 * PreNorm, tapegrad's standardization between layers: each sample of an input [N, *] is standardized over all
 * its non-batch dims (the features of [N, F]; the channels and spatial dims of [N, C, H, W]) to mean 0 and
 * (biased) variance 1, with eps inside the square root as LayerNorm. The optional `weight` and `bias` are per
 * feature, of shape [C] for C = x.shape[1], and broadcast over the dims after it (as BatchNorm's). It has no
 * state and behaves the same in training and evaluation. See `nn.PreNorm` for how it differs from BatchNorm
 * and LayerNorm.
 *
 * @example
 * ```ts
 * const y = F.preNorm(tensor([[1, 2, 3, 4], [10, 10, 10, 30]]));
 * y.mean(1).toArray();                 // [0, 0]
 * y.var(1, false, 0).toArray();        // [1, 1]
 * ```
 */
export function preNorm(x: Tensor, opts: PreNormOptions = {}): Tensor {
  const op = 'preNorm';
  checkFloatArg(op, x);
  const o = checkOptions(op, opts, ['eps', 'weight', 'bias']) as PreNormOptions;
  if (x.ndim < 2) throw new ShapeError(`${op}: expected input of shape [N, *] with a batch dim and at least one more, got shape ${shapeStr(x.shape)}`);
  const C = x.shape[1];
  const what = `C = ${C} features in dim 1 of the input of shape ${shapeStr(x.shape)}`;
  const weight = optionalTensor(op, 'weight', o.weight, x, [C], what);
  const bias = optionalTensor(op, 'bias', o.bias, x, [C], what);
  const eps = checkEps(op, o.eps ?? 1e-5);
  const dims = x.shape.map((_, i) => i).slice(1);
  return affine(standardize(x, dims, eps).out, weight, bias, x.shape.map((n, i) => (i === 1 ? n : 1)).slice(1));
}
