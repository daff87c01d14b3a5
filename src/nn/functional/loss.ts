// Loss functions (PyTorch's torch.nn.functional losses) and oneHot. Each loss is a composition of differentiable
// ops: the classification losses are logSoftmax + gather, the logit losses a softplus written so that it never
// overflows. Every loss takes `reduction` ('mean' by default, 'sum' or 'none').
import { Tensor } from '../../tensor/tensor.js';
import { isFloating } from '../../tensor/dtype.js';
import { numel, sameShape, shapeStr, tryBroadcastShapes } from '../../tensor/shape.js';
import { arange } from '../../tensor/creation.js';
import { add, sub, mul, div, neg, exp, log, log1p, abs, cast, where, eq, ne, ge, gt, lt } from '../../autograd/prims.js';
import { clamp } from '../../ops/elementwise.js';
import { sum, mean, logSoftmax } from '../../ops/reduction.js';
import { reshape, flatten, squeeze, unsqueeze, gather, indexSelect } from '../../ops/shape.js';
import { checkFloatArg, checkNumber, checkOptions, checkTensorArg, optionalTensorArg } from '../../utils/args.js';
import * as lossOption from './loss-options.js';
import { DTypeError, IndexError, ShapeError, ValueError } from '../../errors.js';

/** How a loss reduces its elementwise values: their mean (the default), their sum, or not at all. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options of the losses that take only a reduction. */
export interface ReductionOptions {
  reduction?: Reduction;
}

/**
 * An optional weight tensor of the input's float dtype whose shape passes `fits` (by default: it broadcasts to the
 * input's shape without growing it).
 */
function checkWeight(op: string, name: string, v: unknown, input: Tensor, fits?: (w: Tensor) => void): Tensor | null {
  const w = optionalTensorArg(op, v, name);
  if (w === null) return null;
  checkFloatArg(op, w, name);
  if (fits) fits(w);
  else {
    const b = tryBroadcastShapes(w.shape, input.shape);
    if (!b || !sameShape(b, input.shape)) {
      throw new ShapeError(`${op}: ${name} of shape ${shapeStr(w.shape)} does not broadcast to the input's shape ${shapeStr(input.shape)}`);
    }
  }
  if (w.dtype !== input.dtype) throw new DTypeError(`${op}: ${name} of dtype ${w.dtype} does not match the input's dtype ${input.dtype}`);
  return w;
}

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === 'none' ? loss : reduction === 'sum' ? sum(loss) : mean(loss);
}

/** Input and target of an elementwise loss: both float, shapes that broadcast (or, with `same`, equal). */
function checkPair(op: string, input: unknown, target: unknown, same = false): asserts input is Tensor {
  checkFloatArg(op, input, 'input');
  checkFloatArg(op, target, 'target');
  if (same ? !sameShape(input.shape, target.shape) : !tryBroadcastShapes(input.shape, target.shape)) {
    throw new ShapeError(same
      ? `${op}: target shape ${shapeStr(target.shape)} must be the same as input shape ${shapeStr(input.shape)}`
      : `${op}: input shape ${shapeStr(input.shape)} and target shape ${shapeStr(target.shape)} cannot be broadcast`);
  }
}

/** An elementwise loss of (input, target) with broadcasting, then the reduction. */
function pointwise<O extends ReductionOptions>(
  op: string, input: Tensor, target: Tensor, opts: O | undefined, extra: readonly string[],
  f: (x: Tensor, y: Tensor, o: O) => Tensor,
): Tensor {
  const o = checkOptions(op, opts, ['reduction', ...extra]) as O;
  const reduction = lossOption.reduction(op, o.reduction);
  checkPair(op, input, target);
  return reduce(f(input, target, o), reduction);
}

/**
 * Mean squared error: the mean (or sum) of (input − target)². Input and target broadcast as in PyTorch, which
 * warns when their shapes differ (a target of shape [N] against an input of shape [N, 1] gives an [N, N] loss,
 * rarely what is meant); shapes that do not broadcast are a ShapeError naming both.
 *
 * @example
 * ```ts
 * F.mseLoss(tensor([1, 2, 3]), tensor([1, 0, 1])).item(); // 2.6667
 * F.mseLoss(tensor([1, 2]), tensor([0, 0]), { reduction: 'none' }).toArray(); // [1, 4]
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, opts?: ReductionOptions): Tensor {
  return pointwise('mseLoss', input, target, opts, [], (x, y) => {
    const d = sub(x, y);
    return mul(d, d);
  });
}

/**
 * Mean absolute error: the mean (or sum) of |input − target|; the gradient at input = target is 0. Shapes
 * broadcast as for {@link mseLoss}.
 *
 * @example
 * ```ts
 * F.l1Loss(tensor([1, 2, 3]), tensor([1, 0, 1])).item(); // 1.3333
 * ```
 */
export function l1Loss(input: Tensor, target: Tensor, opts?: ReductionOptions): Tensor {
  return pointwise('l1Loss', input, target, opts, [], (x, y) => abs(sub(x, y)));
}

/** Options of {@link huberLoss}. */
export interface HuberLossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (> 0). Default 1. */
  delta?: number;
}

/**
 * Huber loss: ½(x − y)² where |x − y| < delta, else delta·(|x − y| − ½·delta). Shapes broadcast as for
 * {@link mseLoss}.
 *
 * @example
 * ```ts
 * F.huberLoss(tensor([0, 0]), tensor([0.5, 3]), { reduction: 'none' }).toArray(); // [0.125, 2.5]
 * F.huberLoss(tensor([0]), tensor([3]), { delta: 2 }).item(); // 4
 * ```
 */
export function huberLoss(input: Tensor, target: Tensor, opts?: HuberLossOptions): Tensor {
  return pointwise('huberLoss', input, target, opts, ['delta'], (x, y, o) => {
    const delta = lossOption.delta('huberLoss', o.delta);
    return smoothL1Terms(sub(x, y), delta, 0.5, delta);
  });
}

/** Options of {@link smoothL1Loss}. */
export interface SmoothL1LossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (≥ 0; 0 gives the L1 loss). Default 1. */
  beta?: number;
}

/**
 * Smooth L1 loss: ½(x − y)²/beta where |x − y| < beta, else |x − y| − ½·beta; beta = 0 is the L1 loss, as in
 * PyTorch. It is the Huber loss divided by beta. Shapes broadcast as for {@link mseLoss}.
 *
 * @example
 * ```ts
 * F.smoothL1Loss(tensor([0, 0]), tensor([0.5, 3]), { reduction: 'none' }).toArray(); // [0.125, 2.5]
 * F.smoothL1Loss(tensor([0]), tensor([0.5]), { beta: 0 }).item(); // 0.5
 * ```
 */
export function smoothL1Loss(input: Tensor, target: Tensor, opts?: SmoothL1LossOptions): Tensor {
  return pointwise('smoothL1Loss', input, target, opts, ['beta'], (x, y, o) => {
    const beta = lossOption.beta('smoothL1Loss', o.beta);
    return beta === 0 ? abs(sub(x, y)) : smoothL1Terms(sub(x, y), beta, 0.5 / beta, 1);
  });
}

/** q·d² where |d| < at, else s·(|d| − ½·at): Huber (q = ½, s = delta) and smooth L1 (q = ½/beta, s = 1). */
function smoothL1Terms(d: Tensor, at: number, q: number, s: number): Tensor {
  const z = abs(d);
  return where(lt(z, at), mul(mul(d, d), q), mul(sub(z, 0.5 * at), s));
}

/** Options of {@link binaryCrossEntropy}. */
export interface BinaryCrossEntropyOptions extends ReductionOptions {
  /** Rescales each element's loss; broadcasts to the input's shape. */
  weight?: Tensor | null;
}

/** log(p) clamped below at -100 as PyTorch does, with p = 0 giving -100 (and a zero gradient, not NaN). */
function clampedLog(p: Tensor): Tensor {
  const pos = gt(p, 0);
  return where(pos, clamp(log(where(pos, p, 1)), -100), -100);
}

/**
 * Binary cross entropy of probabilities: −w·(t·log x + (1 − t)·log(1 − x)), each log clamped below at -100 as
 * PyTorch does, so inputs of exactly 0 or 1 give a finite loss (at most 100 per element). Input values must lie
 * in [0, 1]; target has the input's shape. For logits use the stabler {@link binaryCrossEntropyWithLogits}.
 *
 * At inputs of exactly 0 or 1 the gradient is that of the clamped function; PyTorch's hand-written backward
 * instead divides by max(x(1 − x), 1e-12) there (gradients of order 1e12), and the two also differ for
 * x(1 − x) < 1e-12. Elsewhere they agree.
 *
 * @example
 * ```ts
 * F.binaryCrossEntropy(tensor([0.8, 0.1]), tensor([1, 0])).item(); // 0.1643
 * F.binaryCrossEntropy(tensor([0]), tensor([1])).item(); // 100
 * ```
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts?: BinaryCrossEntropyOptions): Tensor {
  const op = 'binaryCrossEntropy';
  const o = checkOptions(op, opts, ['weight', 'reduction']);
  const reduction = lossOption.reduction(op, o.reduction);
  checkPair(op, input, target, true);
  const weight = checkWeight(op, 'weight', o.weight, input);
  const xs = input.toTypedArray();
  for (let i = 0; i < xs.length; i++) {
    if (!(xs[i] >= 0 && xs[i] <= 1)) throw new ValueError(`${op}: input values must be between 0 and 1, got ${xs[i]} at index ${i}`);
  }
  let loss = neg(add(mul(target, clampedLog(input)), mul(sub(1, target), clampedLog(sub(1, input)))));
  if (weight) loss = mul(loss, weight);
  return reduce(loss, reduction);
}

/** Options of {@link binaryCrossEntropyWithLogits}. */
export interface BinaryCrossEntropyWithLogitsOptions extends BinaryCrossEntropyOptions {
  /** Weight of the positive term per class (broadcasts along the last dim, as PyTorch's pos_weight). */
  posWeight?: Tensor | null;
}

/**
 * Binary cross entropy of logits, −w·(p·t·log σ(x) + (1 − t)·log(1 − σ(x))), computed in the stable form
 * (1 + (p − 1)·t)·softplus(x) − p·t·x with softplus(x) = max(x, 0) + log1p(exp(−|x|)) (without posWeight,
 * max(x, 0) − x·t + log1p(exp(−|x|))): finite values and gradients for any logit (±100 included). `posWeight` (p) weighs the positive term per class; `weight` (w)
 * rescales each element. Target has the input's shape.
 *
 * @example
 * ```ts
 * F.binaryCrossEntropyWithLogits(tensor([0, 2]), tensor([1, 0])).item(); // 1.4100
 * F.binaryCrossEntropyWithLogits(tensor([100]), tensor([0])).item(); // 100
 * F.binaryCrossEntropyWithLogits(tensor([0]), tensor([1]), { posWeight: tensor([3]) }).item(); // 2.0794
 * ```
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts?: BinaryCrossEntropyWithLogitsOptions): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  const o = checkOptions(op, opts, ['weight', 'posWeight', 'reduction']);
  const reduction = lossOption.reduction(op, o.reduction);
  checkPair(op, input, target, true);
  const weight = checkWeight(op, 'weight', o.weight, input);
  const posWeight = checkWeight(op, 'posWeight', o.posWeight, input);
  // (1 − t)·x + lw·softplus(−x) = lw·softplus(x) − p·t·x with lw = 1 + (p − 1)·t: its gradient is lw·σ(x) − p·t, the
  // form PyTorch's backward computes. softplus(x) = max(x, 0) + log1p(e^{−|x|}) never overflows; where() picks the
  // branch rather than abs/relu, whose zero subgradient at x = 0 would lose the derivative ½ there.
  const nonneg = ge(input, 0);
  const softplus = add(where(nonneg, input, 0), log1p(exp(neg(where(nonneg, input, neg(input))))));
  let loss = posWeight
    ? sub(mul(add(mul(sub(posWeight, 1), target), 1), softplus), mul(mul(posWeight, target), input))
    : sub(softplus, mul(target, input));
  if (weight) loss = mul(loss, weight);
  return reduce(loss, reduction);
}

/** Options of {@link nllLoss}. */
export interface NLLLossOptions extends ReductionOptions {
  /** One weight per class (shape [C]); 'mean' then divides by the summed weights of the non-ignored targets. */
  weight?: Tensor | null;
  /** Targets equal to it add nothing to the loss nor to the mean's divisor. Default -100. */
  ignoreIndex?: number;
}

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions extends NLLLossOptions {
  /** In [0, 1]: the target becomes (1 − ε)·target + ε/C (the uniform distribution's share). Default 0. */
  labelSmoothing?: number;
}

interface ClassOpts {
  weight: Tensor | null;
  ignoreIndex: number;
  reduction: Reduction;
  labelSmoothing: number;
}

function classOptions(op: string, input: unknown, target: unknown, opts: CrossEntropyOptions | undefined, allowed: readonly string[]): ClassOpts {
  const o = checkOptions(op, opts, allowed);
  const reduction = lossOption.reduction(op, o.reduction);
  const ignoreIndex = lossOption.ignoreIndex(op, o.ignoreIndex);
  const labelSmoothing = lossOption.labelSmoothing(op, o.labelSmoothing);
  checkFloatArg(op, input, 'input');
  checkTensorArg(op, target, 'target');
  if (input.ndim === 0) throw new ShapeError(`${op}: expected input of shape [C], [N, C] or [N, C, d1, ...], got a 0-d input`);
  const C = input.shape[input.ndim === 1 ? 0 : 1];
  const weight = checkWeight(op, 'weight', o.weight, input, (w) => {
    if (w.ndim !== 1 || w.shape[0] !== C) throw new ShapeError(`${op}: weight must have shape [${C}] (one per class), got ${shapeStr(w.shape)}`);
  });
  return { weight, ignoreIndex, reduction, labelSmoothing };
}

/** The class dim of an [N, C, ...] input (or 0 for an unbatched [C] one) and the shape of its class targets. */
function classDim(input: Tensor): { dim: number; targetShape: number[] } {
  const dim = input.ndim === 1 ? 0 : 1;
  return { dim, targetShape: input.shape.filter((_, i) => i !== dim) };
}

/** weight reshaped to broadcast along the class dim of `x`. */
function alongClassDim(weight: Tensor, x: Tensor, dim: number): Tensor {
  return reshape(weight, x.shape.map((s, i) => (i === dim ? s : 1)));
}

/**
 * The negative log-likelihood of class-index targets under log-probabilities `logp` ([C], [N, C] or
 * [N, C, d1, ...]), with class weights, ignored targets and label smoothing, as PyTorch's nll_loss and
 * cross_entropy: per element (1 − ε)·w[t]·(−logp[t]) + ε/C·Σ_c w[c]·(−logp[c]), 0 where t = ignoreIndex; 'mean'
 * divides the sum by Σ w[t] over the non-ignored targets (their count without weights).
 */
function classIndexLoss(op: string, logp: Tensor, target: Tensor, o: ClassOpts): Tensor {
  const { dim, targetShape } = classDim(logp);
  if (target.dtype !== 'int32') {
    const or = op === 'crossEntropy' ? ' (or probabilities of a float dtype)' : '';
    throw new DTypeError(`${op}: expected class-index targets of dtype int32${or}, got ${target.dtype} (shape ${shapeStr(target.shape)})`);
  }
  if (!sameShape(target.shape, targetShape)) {
    throw new ShapeError(`${op}: expected target of shape ${shapeStr(targetShape)} for input of shape ${shapeStr(logp.shape)}, got ${shapeStr(target.shape)}`);
  }
  const C = logp.shape[dim];
  const ts = target.toTypedArray();
  for (let i = 0; i < ts.length; i++) {
    if (ts[i] !== o.ignoreIndex && (ts[i] < 0 || ts[i] >= C)) throw new IndexError(`${op}: target ${ts[i]} is out of range for ${C} classes (expected a class index in [0, ${C}) or ignoreIndex ${o.ignoreIndex})`);
  }
  const keep = ne(target, o.ignoreIndex);
  const safe = where(keep, target, 0);
  // With no classes every target is ignored (the check above refuses any other): there is nothing to pick, and
  // the sum over the empty class dim gives the zeros in the targets' shape (PyTorch: NaN for 'mean', 0 for 'sum')
  const picked = C === 0 ? sum(logp, dim) : squeeze(gather(logp, dim, unsqueeze(safe, dim)), dim);
  // w[t] for kept targets, 0 for ignored ones
  const w = o.weight && C > 0 ? where(keep, reshape(indexSelect(o.weight, 0, flatten(safe)), targetShape), 0) : cast(keep, logp.dtype);
  const total = o.reduction === 'mean' ? sum(w) : null;
  const reduceKept = (l: Tensor) => (total ? div(sum(l), total) : o.reduction === 'sum' ? sum(l) : l);
  const nll = reduceKept(where(keep, mul(neg(picked), w), 0));
  if (o.labelSmoothing === 0) return nll;
  // the two terms reduced apart, then mixed, as PyTorch does (so float32 results round alike)
  const all = neg(sum(o.weight ? mul(logp, alongClassDim(o.weight, logp, dim)) : logp, dim));
  return add(mul(nll, 1 - o.labelSmoothing), mul(reduceKept(where(keep, all, 0)), o.labelSmoothing / C));
}

/**
 * Cross entropy of probability targets (the input's shape): per element −Σ_c w[c]·t[c]·logp[c] with the target
 * smoothed to (1 − ε)·t + ε/C; 'mean' divides by the number of elements (N·d1·…), not by the weights.
 */
function probabilityLoss(op: string, logp: Tensor, target: Tensor, o: ClassOpts): Tensor {
  const { dim } = classDim(logp);
  if (!isFloating(target.dtype)) throw new DTypeError(`${op}: expected probability targets of a floating-point dtype, got ${target.dtype}`);
  if (!sameShape(target.shape, logp.shape)) {
    throw new ShapeError(`${op}: probability targets must have the input's shape ${shapeStr(logp.shape)}, got ${shapeStr(target.shape)}`);
  }
  if (o.ignoreIndex >= 0) throw new ValueError(`${op}: ignoreIndex is not supported with probability targets (got ignoreIndex ${o.ignoreIndex})`);
  const C = logp.shape[dim];
  const t = o.labelSmoothing > 0 ? add(mul(target, 1 - o.labelSmoothing), o.labelSmoothing / C) : target;
  const prod = mul(logp, t);
  const loss = neg(sum(o.weight ? mul(prod, alongClassDim(o.weight, logp, dim)) : prod, dim));
  if (o.reduction === 'mean') return div(sum(loss), numel(logp.shape) / C);
  return o.reduction === 'sum' ? sum(loss) : loss;
}

/**
 * Cross entropy of unnormalized logits against class indices or class probabilities, as PyTorch's
 * `cross_entropy`: `logSoftmax` over the class dim, then the negative log-likelihood.
 *
 * Input is [N, C], [N, C, d1, d2, ...] (e.g. per pixel) or unbatched [C]. Target is either int32 class indices of
 * shape [N] / [N, d1, d2, ...] / 0-d, each in [0, C) or equal to `ignoreIndex`, or probabilities of the input's
 * shape and a float dtype. With class indices, 'mean' divides by the summed class weights of the non-ignored
 * targets (their count without weights; NaN when every target is ignored). Label smoothing mixes the target with
 * the uniform distribution: the loss is (1 − ε)·nll + ε/C·Σ_c w[c]·(−logp[c]), the second term also 0 for ignored
 * targets and divided by the same weight sum under 'mean'. Probability targets do not take `ignoreIndex` (a
 * non-negative one is an error); their 'mean' divides by N·d1·….
 *
 * @example
 * ```ts
 * const logits = tensor([[2, 0, -1], [0.5, 1.5, 0]]);
 * F.crossEntropy(logits, tensor([0, 1], { dtype: 'int32' })).item(); // 0.3171
 * F.crossEntropy(logits, tensor([0, -100], { dtype: 'int32' }), { reduction: 'none' }).toArray(); // [0.1698, 0]
 * F.crossEntropy(logits, tensor([0, 1], { dtype: 'int32' }), { labelSmoothing: 0.1 }).item(); // 0.4421
 * F.crossEntropy(logits, tensor([[1, 0, 0], [0, 0.5, 0.5]])).item(); // 0.6921
 * ```
 */
export function crossEntropy(input: Tensor, target: Tensor, opts?: CrossEntropyOptions): Tensor {
  const op = 'crossEntropy';
  const o = classOptions(op, input, target, opts, ['weight', 'ignoreIndex', 'reduction', 'labelSmoothing']);
  const logp = logSoftmax(input, input.ndim === 1 ? 0 : 1);
  return isFloating(target.dtype) ? probabilityLoss(op, logp, target, o) : classIndexLoss(op, logp, target, o);
}

/**
 * Negative log-likelihood of int32 class-index targets under log-probabilities (e.g. the output of
 * `F.logSoftmax`): per element −w[t]·input[t], 0 where the target equals `ignoreIndex`. Shapes, weights and the
 * 'mean' divisor are those of {@link crossEntropy} with class indices.
 *
 * @example
 * ```ts
 * const logp = F.logSoftmax(tensor([[2, 0, -1], [0.5, 1.5, 0]]), 1);
 * F.nllLoss(logp, tensor([0, 1], { dtype: 'int32' })).item(); // 0.3171
 * F.nllLoss(logp, tensor([0, 1], { dtype: 'int32' }), { weight: tensor([1, 3, 1]) }).item(); // 0.3907
 * ```
 */
export function nllLoss(input: Tensor, target: Tensor, opts?: NLLLossOptions): Tensor {
  const op = 'nllLoss';
  return classIndexLoss(op, input, target, classOptions(op, input, target, opts, ['weight', 'ignoreIndex', 'reduction']));
}

/** How {@link klDiv} reduces: as the other losses, or 'batchmean' (the sum divided by the batch size, input.shape[0]). */
export type KLDivReduction = Reduction | 'batchmean';

/** Options of {@link klDiv}. */
export interface KLDivOptions {
  /** 'mean' (the default) averages over every element, as PyTorch; 'batchmean' gives the true KL divergence. */
  reduction?: KLDivReduction;
  /** The target is given as log-probabilities. Default false. */
  logTarget?: boolean;
}

/**
 * Kullback-Leibler divergence of the target from the input, which holds log-probabilities: elementwise
 * t·(log t − x), with 0 where t = 0 (or, with `logTarget`, exp(t)·(t − x)). Use `reduction: 'batchmean'` for the
 * divergence per sample; 'mean' divides by the number of elements, as PyTorch does. Shapes broadcast as for
 * {@link mseLoss}.
 *
 * @example
 * ```ts
 * const logq = F.logSoftmax(tensor([[1, 2, 3]]), 1);
 * const p = tensor([[0.2, 0.3, 0.5]]);
 * F.klDiv(logq, p, { reduction: 'batchmean' }).item(); // 0.0780
 * F.klDiv(logq, p.log(), { reduction: 'batchmean', logTarget: true }).item(); // 0.0780
 * ```
 */
export function klDiv(input: Tensor, target: Tensor, opts?: KLDivOptions): Tensor {
  const op = 'klDiv';
  const o = checkOptions(op, opts, ['reduction', 'logTarget']);
  const reduction = lossOption.reduction(op, o.reduction, lossOption.KL_REDUCTIONS);
  const logTarget = lossOption.logTarget(op, o.logTarget);
  checkPair(op, input, target);
  // t·log t is 0 at t = 0 (PyTorch's xlogy); its gradient there stays NaN, as PyTorch's
  const loss = logTarget
    ? mul(exp(target), sub(target, input))
    : sub(where(eq(target, 0), 0, mul(target, log(target))), mul(target, input));
  if (reduction !== 'batchmean') return reduce(loss, reduction);
  return input.ndim === 0 ? sum(loss) : div(sum(loss), input.shape[0]);
}

/**
 * One-hot encoding: int32 class indices of any shape [*] to an int32 tensor of shape [*, numClasses] with a 1 at
 * each index. `numClasses = -1` (the default) takes one more than the largest index.
 *
 * @example
 * ```ts
 * F.oneHot(tensor([0, 2, 1], { dtype: 'int32' })).toArray(); // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 * F.oneHot(tensor([1], { dtype: 'int32' }), 4).toArray();     // [[0, 1, 0, 0]]
 * ```
 */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  const op = 'oneHot';
  checkTensorArg(op, indices, 'indices');
  if (indices.dtype !== 'int32') throw new DTypeError(`${op}: expected int32 class indices, got ${indices.dtype} (shape ${shapeStr(indices.shape)})`);
  checkNumber(op, 'numClasses', numClasses, (v) => Number.isInteger(v) && v >= -1, '-1 or a non-negative integer');
  let hi = -1;
  for (const v of indices.toTypedArray()) {
    if (v < 0) throw new IndexError(`${op}: class values must be non-negative, got ${v}`);
    if (v > hi) hi = v;
  }
  if (numClasses === -1 && indices.numel() === 0) {
    throw new ValueError(`${op}: cannot infer the number of classes from an empty tensor; pass numClasses`);
  }
  const C = numClasses === -1 ? hi + 1 : numClasses;
  if (hi >= C) throw new IndexError(`${op}: class value ${hi} is out of range for ${C} classes (expected 0 to ${C - 1})`);
  return cast(eq(unsqueeze(indices, -1), arange(0, C, 1, { dtype: 'int32' })), 'int32');
}
