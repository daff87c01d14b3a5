// Activations of F beyond the core's relu, tanh, sigmoid, softmax and logSoftmax. Each is elementwise, takes a
// float tensor, and is built from differentiable ops only. Branches that `where` does not select are fed a
// harmless input, so a saturated branch (exp of a large value) never turns a gradient into NaN.
import { Tensor } from '../../tensor/tensor.js';
import * as P from '../../autograd/prims.js';
import { checkChoice, checkFinite, checkFloatArg, checkOptions, leadingOption } from '../../utils/args.js';
import { ValueError } from '../../errors.js';

/**
 * LeakyReLU: x for x > 0, negativeSlope·x otherwise (the gradient at 0 is negativeSlope, as PyTorch).
 *
 * @example
 * ```ts
 * F.leakyRelu(tensor([-2, 0, 3])).toArray(); // [-0.02, 0, 3]
 * F.leakyRelu(tensor([-2, 3]), 0.5).toArray(); // [-1, 3]
 * ```
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  checkFloatArg('leakyRelu', x);
  checkFinite('leakyRelu', 'negativeSlope', negativeSlope);
  return P.where(P.gt(x, 0), x, P.mul(x, negativeSlope));
}

/** scale·x for x > 0 (and NaN), negCoef·(eˣ − 1) for x ≤ 0: ELU and SELU. */
function eluOf(x: Tensor, negCoef: number, scale: number): Tensor {
  const neg = P.le(x, 0);
  const xn = P.where(neg, x, 0);
  return P.where(neg, P.mul(P.expm1(xn), negCoef), scale === 1 ? x : P.mul(x, scale));
}

/**
 * ELU: x for x > 0, alpha·(eˣ − 1) for x ≤ 0.
 *
 * @example
 * ```ts
 * F.elu(tensor([-1, 0, 2])).toArray(); // [-0.6321, 0, 2]
 * F.elu(tensor([-1]), 2).item();       // -1.2642
 * ```
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkFloatArg('elu', x);
  return eluOf(x, checkFinite('elu', 'alpha', alpha), 1);
}

/** SELU's constants (Klambauer et al. 2017), as PyTorch. */
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * SELU: scale·x for x > 0, scale·alpha·(eˣ − 1) for x ≤ 0, with PyTorch's alpha ≈ 1.6733 and scale ≈ 1.0507.
 *
 * @example
 * ```ts
 * F.selu(tensor([1])).item();  // 1.0507
 * F.selu(tensor([-1])).item(); // -1.1113
 * ```
 */
export function selu(x: Tensor): Tensor {
  checkFloatArg('selu', x);
  return eluOf(x, SELU_ALPHA * SELU_SCALE, SELU_SCALE);
}

// erf from differentiable ops. For z ≥ 0, erfc(z) = t·exp(−z² + g(u)) with t = K / (K + z) and u = 2t − 1 ∈ (−1, 1],
// where g(u) = log(erfc(z) / t) + z² is smooth on [−1, 1] (also as z → ∞) and is summed as a Chebyshev series
// (Clenshaw). The coefficients are g's Chebyshev coefficients, computed in 50-digit arithmetic (mpmath) and cut
// where they fall below 3e-18: erf is then within 4.2e-16 of the true value everywhere, erfc within 1e-13
// relative until it underflows, and the derivative of the composition within 6e-14 relative of −2/√π·e^{−z²}.
const ERFC_K = 2.5;
const ERFC_CHEB = [
  -0.8017227063616483, 0.7491800905491134, 0.05957091108560797, -0.0048242679342493594, -0.002270484010357532,
  -3.61014862154082e-05, 9.896806239868941e-05, 8.791352429736969e-06, -4.7605967157391e-06, -7.220311163626411e-07,
  2.4742228450981786e-07, 4.996487648815927e-08, -1.3765039933327447e-08, -3.1969922948685314e-09,
  8.106317702213096e-10, 1.9171508762619627e-10, -4.943649727708743e-11, -1.0642612783241152e-11,
  3.0137843458558076e-12, 5.308665535984049e-13, -1.7492689235090123e-13, -2.2683651761694826e-14,
  9.01022294402635e-15, 7.936058393081948e-16, -3.5838236525382895e-16, -2.874936792019516e-17, 5.84923517663558e-18,
];

/** erfc(z) for z ≥ 0 (see above). */
function erfcNonNegative(z: Tensor): Tensor {
  const t = P.div(ERFC_K, P.add(z, ERFC_K));
  const u = P.sub(P.mul(t, 2), 1);
  const u2 = P.mul(u, 2);
  const n = ERFC_CHEB.length;
  let b1: Tensor | number = ERFC_CHEB[n - 1], b2: Tensor | number = 0;
  for (let k = n - 2; k >= 1; k--) [b1, b2] = [P.add(P.sub(P.mul(u2, b1), b2), ERFC_CHEB[k]), b1];
  const g = P.add(P.sub(P.mul(u, b1), b2), ERFC_CHEB[0]);
  return P.mul(t, P.exp(P.sub(g, P.mul(z, z))));
}

/** erf(x) = 1 − erfc(x) for x ≥ 0 and erfc(−x) − 1 below; |x| is taken by `where`, so the slope at 0 is right. */
function erf(x: Tensor): Tensor {
  const pos = P.ge(x, 0);
  const e = erfcNonNegative(P.where(pos, x, P.neg(x)));
  return P.where(pos, P.sub(1, e), P.sub(e, 1));
}

/** √(2/π), PyTorch's kBeta of the tanh approximation. */
const GELU_BETA = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5;
const GELU_KAPPA = 0.044715;

export interface GeluOptions {
  /** 'none' (default): x·Φ(x) with the exact normal CDF; 'tanh': PyTorch's tanh approximation. */
  approximate?: 'none' | 'tanh';
}

/**
 * GELU: x·Φ(x), Φ the standard normal CDF, computed as x·½·(1 + erf(x/√2)) as PyTorch; with
 * `{approximate: 'tanh'}`, ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
 *
 * @example
 * ```ts
 * F.gelu(tensor([-1, 0, 1])).toArray(); // [-0.1587, 0, 0.8413]
 * F.gelu(tensor([1]), { approximate: 'tanh' }).item(); // 0.8412
 * ```
 */
export function gelu(x: Tensor, opts: GeluOptions = {}): Tensor {
  checkFloatArg('gelu', x);
  const o = checkOptions('gelu', opts, ['approximate']) as GeluOptions;
  const approximate = checkChoice('gelu', 'approximate', o.approximate ?? 'none', ['none', 'tanh'] as const);
  if (approximate === 'tanh') {
    const inner = P.mul(P.add(x, P.mul(P.mul(P.mul(x, x), x), GELU_KAPPA)), GELU_BETA);
    return P.mul(P.mul(x, 0.5), P.add(P.tanh(inner), 1));
  }
  return P.mul(P.mul(x, 0.5), P.add(erf(P.mul(x, Math.SQRT1_2)), 1));
}

export interface SoftplusOptions {
  /** β of (1/β)·log(1 + e^{βx}) (default 1; any finite number but 0). */
  beta?: number;
  /** Where βx > threshold the result is x itself (default 20). */
  threshold?: number;
}

/**
 * Softplus: (1/β)·log(1 + e^{βx}), a smooth ReLU. As PyTorch, it is x itself where βx > threshold.
 *
 * @example
 * ```ts
 * F.softplus(tensor([0])).item();                  // 0.6931
 * F.softplus(tensor([1]), { beta: 2 }).item();     // 1.0635
 * F.softplus(tensor([1]), 2).item();               // 1.0635 (PyTorch's positional beta, threshold)
 * F.softplus(tensor([30])).item();                 // 30
 * ```
 */
export function softplus(x: Tensor, betaOrOpts: number | SoftplusOptions = {}, thresholdArg?: number): Tensor {
  checkFloatArg('softplus', x);
  const o = checkOptions('softplus', leadingOption(betaOrOpts, 'beta', { threshold: thresholdArg }), ['beta', 'threshold']) as SoftplusOptions;
  const beta = checkFinite('softplus', 'beta', o.beta ?? 1);
  const threshold = checkFinite('softplus', 'threshold', o.threshold ?? 20);
  if (beta === 0) throw new ValueError('softplus: beta must not be 0 (any other finite number), got 0');
  const linear = P.gt(P.mul(x, beta), threshold);
  const xs = P.where(linear, 0, x);
  return P.where(linear, x, P.div(P.log1p(P.exp(P.mul(xs, beta))), beta));
}

/**
 * SiLU (swish): x·σ(x).
 *
 * @example
 * ```ts
 * F.silu(tensor([0, 1])).toArray(); // [0, 0.7311]
 * ```
 */
export function silu(x: Tensor): Tensor {
  checkFloatArg('silu', x);
  return P.mul(x, P.sigmoid(x));
}

/**
 * log σ(x), computed stably as min(x, 0) − log(1 + e^{−|x|}).
 *
 * @example
 * ```ts
 * F.logSigmoid(tensor([0])).item();      // -0.6931
 * F.logSigmoid(tensor([-1000])).item();  // -1000
 * ```
 */
export function logSigmoid(x: Tensor): Tensor {
  checkFloatArg('logSigmoid', x);
  const neg = P.lt(x, 0);
  return P.sub(P.where(neg, x, 0), P.log1p(P.exp(P.where(neg, x, P.neg(x)))));
}

/**
 * HardTanh: x clamped to [minVal, maxVal]. As PyTorch, the gradient is 1 strictly inside and 0 at and beyond
 * the bounds.
 *
 * @example
 * ```ts
 * F.hardtanh(tensor([-2, 0.5, 3])).toArray(); // [-1, 0.5, 1]
 * F.hardtanh(tensor([-2, 3]), 0, 2).toArray(); // [0, 2]
 * ```
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  checkFloatArg('hardtanh', x);
  checkFinite('hardtanh', 'minVal', minVal);
  checkFinite('hardtanh', 'maxVal', maxVal);
  if (minVal > maxVal) throw new ValueError(`hardtanh: minVal (${minVal}) must not exceed maxVal (${maxVal})`);
  return P.where(P.le(x, minVal), minVal, P.where(P.ge(x, maxVal), maxVal, x));
}
