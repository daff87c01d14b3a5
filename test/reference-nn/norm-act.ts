// Plain-loop references of the activations and normalizations of F (test/registry/nn-norm-act.ts). Nothing here
// calls the library; values are Arrs (test/reference.ts) computed in float64 and rounded to the input's dtype.
import { type Arr, numelOf, roundTo, unravel, ravel } from '../reference.js';

function elementwise(x: Arr, f: (v: number) => number): Arr {
  return { shape: [...x.shape], data: x.data.map((v) => roundTo(x.dtype, f(v))), dtype: x.dtype };
}

// ---------------------------------------------------------------------------------------------------------
// erf: for |x| < 3 the series erf(x) = 2/√π·e^{−x²}·Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1)), whose terms are all positive
// (no cancellation); beyond, erfc from Laplace's continued fraction erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x +
// (3/2)/(x + …)))), summed from a fixed depth backwards. test/nn/activation.test.ts checks both against values
// computed in 30-digit arithmetic.

export function erfcTail(x: number): number {
  let f = x;
  for (let k = 400; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  let r: number;
  if (a < 3) {
    let term = a, sum = a;
    for (let n = 0; term > 1e-18 * sum; n++) {
      term *= (2 * a * a) / (2 * n + 3);
      sum += term;
    }
    r = (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum;
  } else {
    r = a === Infinity ? 1 : 1 - erfcTail(a);
  }
  return x < 0 ? -r : r;
}

// ---------------------------------------------------------------------------------------------------------
// Activations, each with PyTorch's formula and branch conditions.

export const leakyRelu = (x: Arr, slope = 0.01) => elementwise(x, (v) => (v > 0 ? v : v * slope));

export const elu = (x: Arr, alpha = 1) => elementwise(x, (v) => (v <= 0 ? alpha * Math.expm1(v) : v));

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
export const selu = (x: Arr) => elementwise(x, (v) => (v <= 0 ? SELU_ALPHA * SELU_SCALE * Math.expm1(v) : SELU_SCALE * v));

export function gelu(x: Arr, o: { approximate?: string } = {}): Arr {
  if (o.approximate === 'tanh') {
    const k = Math.sqrt(2 / Math.PI);
    return elementwise(x, (v) => 0.5 * v * (1 + Math.tanh(k * (v + 0.044715 * v * v * v))));
  }
  return elementwise(x, (v) => v * 0.5 * (1 + erf(v * Math.SQRT1_2)));
}

export function softplus(x: Arr, o: { beta?: number; threshold?: number } = {}): Arr {
  const beta = o.beta ?? 1, threshold = o.threshold ?? 20;
  return elementwise(x, (v) => (v * beta > threshold ? v : Math.log1p(Math.exp(v * beta)) / beta));
}

export const silu = (x: Arr) => elementwise(x, (v) => v / (1 + Math.exp(-v)));

export const logSigmoid = (x: Arr) => elementwise(x, (v) => Math.min(v, 0) - Math.log1p(Math.exp(-Math.abs(v))));

export const hardtanh = (x: Arr, lo = -1, hi = 1) => elementwise(x, (v) => (Number.isNaN(v) ? v : Math.min(Math.max(v, lo), hi)));

// ---------------------------------------------------------------------------------------------------------
// Normalization. `groups` lists, per group of elements that share statistics, their flat positions in x.

/** Mean and biased variance of the values at `idx`. */
function moments(x: Arr, idx: number[]): { mean: number; var: number } {
  let s = 0;
  for (const i of idx) s += x.data[i];
  const mean = s / idx.length;
  let q = 0;
  for (const i of idx) q += (x.data[i] - mean) ** 2;
  return { mean, var: q / idx.length };
}

/** Flat positions of x grouped by the key of each position's multi-index. */
function groupBy(x: Arr, key: (idx: number[]) => number, groups: number): number[][] {
  const out: number[][] = Array.from({ length: groups }, () => []);
  for (let i = 0; i < numelOf(x.shape); i++) out[key(unravel(i, x.shape))].push(i);
  return out;
}

interface Affine {
  weight?: Arr | null;
  bias?: Arr | null;
  eps?: number;
}

/** Standardizes each group with its own statistics, or the given ones, then weight·y + bias per `param(i)`. */
function normalize(x: Arr, groups: number[][], stat: (g: number) => { mean: number; var: number }, o: Affine, param: (idx: number[]) => number): Arr {
  const eps = o.eps ?? 1e-5;
  const data = new Array<number>(x.data.length);
  groups.forEach((idxs, g) => {
    const { mean, var: v } = stat(g);
    for (const i of idxs) {
      const p = param(unravel(i, x.shape));
      const y = (x.data[i] - mean) / Math.sqrt(v + eps);
      data[i] = roundTo(x.dtype, y * (o.weight ? o.weight.data[p] : 1) + (o.bias ? o.bias.data[p] : 0));
    }
  });
  return { shape: [...x.shape], data, dtype: x.dtype };
}

export function batchNorm(x: Arr, rm: Arr | null, rv: Arr | null, o: Affine & { training?: boolean; momentum?: number } = {}): Arr {
  const C = x.shape[1];
  const groups = groupBy(x, (idx) => idx[1], C);
  const stat = o.training ? (c: number) => moments(x, groups[c]) : (c: number) => ({ mean: rm!.data[c], var: rv!.data[c] });
  return normalize(x, groups, stat, o, (idx) => idx[1]);
}

/** The running statistics after one training step: (1 − m)·running + m·(batch mean, unbiased batch variance). */
export function batchNormRunning(x: Arr, rm: Arr, rv: Arr, momentum = 0.1): { mean: number[]; var: number[] } {
  const groups = groupBy(x, (idx) => idx[1], x.shape[1]);
  const st = groups.map((g) => moments(x, g));
  return {
    mean: st.map((s, c) => (1 - momentum) * rm.data[c] + momentum * s.mean),
    var: st.map((s, c) => (1 - momentum) * rv.data[c] + momentum * (s.var * groups[c].length) / (groups[c].length - 1)),
  };
}

export function layerNorm(x: Arr, normalizedShape: number | number[], o: Affine = {}): Arr {
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
  const k = x.shape.length - shape.length;
  const outer = x.shape.slice(0, k);
  const groups = groupBy(x, (idx) => ravel(idx.slice(0, k), outer), numelOf(outer));
  return normalize(x, groups, (g) => moments(x, groups[g]), o, (idx) => ravel(idx.slice(k), shape));
}

export function preNorm(x: Arr, o: Affine = {}): Arr {
  const groups = groupBy(x, (idx) => idx[0], x.shape[0]);
  return normalize(x, groups, (g) => moments(x, groups[g]), o, (idx) => idx[1]);
}
