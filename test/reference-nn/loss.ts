// Plain-loop references of the losses and oneHot (PyTorch's formulas written out), for the forward sweep.
// Values are computed in float64 and rounded to the output dtype at the end, as in test/reference.ts.
import { broadcastShape, numelOf, ravel, resultDtype, roundTo, unravel, type Arr, type RefDType } from '../reference.js';

type Red = 'mean' | 'sum' | 'none' | 'batchmean';

/** Element of `a` at an index of the broadcast shape `shape`. */
function bat(a: Arr, idx: readonly number[]): number {
  const lead = idx.length - a.shape.length;
  let o = 0;
  for (let d = 0; d < a.shape.length; d++) o = o * a.shape[d] + (a.shape[d] === 1 ? 0 : idx[d + lead]);
  return a.data[o];
}

function reduced(vals: number[], shape: number[], dtype: RefDType, red: Red, divisor = vals.length): Arr {
  if (red === 'none') return { shape, data: vals.map((v) => roundTo(dtype, v)), dtype };
  const s = vals.reduce((a, b) => a + b, 0);
  return { shape: [], data: [roundTo(dtype, red === 'sum' ? s : s / divisor)], dtype };
}

/** f over the broadcast elements of input and target (and an optional weight broadcast to them), then reduced. */
function pointwise(x: Arr, t: Arr, red: Red, f: (x: number, t: number, idx: number[]) => number, divisor?: (shape: number[]) => number): Arr {
  const shape = broadcastShape(x.shape, t.shape);
  const dtype = resultDtype([x, t]);
  const vals = Array.from({ length: numelOf(shape) }, (_, i) => {
    const idx = unravel(i, shape);
    return f(bat(x, idx), bat(t, idx), idx);
  });
  return reduced(vals, shape, dtype, red, divisor?.(shape));
}

interface RedOpts {
  reduction?: Red;
}

export const mseLoss = (x: Arr, t: Arr, o: RedOpts = {}) => pointwise(x, t, o.reduction ?? 'mean', (a, b) => (a - b) ** 2);
export const l1Loss = (x: Arr, t: Arr, o: RedOpts = {}) => pointwise(x, t, o.reduction ?? 'mean', (a, b) => Math.abs(a - b));

export function huberLoss(x: Arr, t: Arr, o: RedOpts & { delta?: number } = {}): Arr {
  const delta = o.delta ?? 1;
  return pointwise(x, t, o.reduction ?? 'mean', (a, b) => {
    const z = Math.abs(a - b);
    return z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
  });
}

export function smoothL1Loss(x: Arr, t: Arr, o: RedOpts & { beta?: number } = {}): Arr {
  const beta = o.beta ?? 1;
  return pointwise(x, t, o.reduction ?? 'mean', (a, b) => {
    const z = Math.abs(a - b);
    return z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
  });
}

const clog = (p: number) => Math.max(Math.log(p), -100);

export function binaryCrossEntropy(x: Arr, t: Arr, o: RedOpts & { weight?: Arr | null } = {}): Arr {
  return pointwise(x, t, o.reduction ?? 'mean', (p, y, idx) => {
    const w = o.weight ? bat(o.weight, idx) : 1;
    return -w * (y * clog(p) + (1 - y) * clog(1 - p));
  });
}

/** log(1 + e^v) without overflow. */
const softplus = (v: number) => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));

export function binaryCrossEntropyWithLogits(x: Arr, t: Arr, o: RedOpts & { weight?: Arr | null; posWeight?: Arr | null } = {}): Arr {
  return pointwise(x, t, o.reduction ?? 'mean', (v, y, idx) => {
    const w = o.weight ? bat(o.weight, idx) : 1;
    const p = o.posWeight ? bat(o.posWeight, idx) : 1;
    // −w·(p·y·log σ(v) + (1 − y)·log(1 − σ(v))) = w·((1 + (p − 1)·y)·softplus(v) − p·y·v)
    return w * ((1 + (p - 1) * y) * softplus(v) - p * y * v);
  });
}

export function klDiv(x: Arr, t: Arr, o: { reduction?: Red; logTarget?: boolean } = {}): Arr {
  const red = o.reduction ?? 'mean';
  const f = (v: number, y: number) => (o.logTarget ? Math.exp(y) * (y - v) : (y === 0 ? 0 : y * Math.log(y)) - y * v);
  if (red !== 'batchmean') return pointwise(x, t, red, f);
  return pointwise(x, t, 'mean', f, () => (x.shape.length === 0 ? 1 : x.shape[0]));
}

interface ClassOpts {
  weight?: Arr | null;
  ignoreIndex?: number;
  reduction?: Red;
  labelSmoothing?: number;
}

/** The positions of an [N, C, d...] (or [C]) input other than the class dim, and the index of class c at each. */
function classLayout(x: Arr) {
  const cdim = x.shape.length === 1 ? 0 : 1;
  const C = x.shape[cdim];
  const outer = x.shape.filter((_, i) => i !== cdim);
  const at = (pos: number, c: number) => {
    const idx = unravel(pos, outer);
    idx.splice(cdim, 0, c);
    return x.data[ravel(idx, x.shape)];
  };
  return { C, outer, n: numelOf(outer), at };
}

function logSoftmaxAt(x: Arr): { C: number; outer: number[]; n: number; lp: (pos: number, c: number) => number } {
  const { C, outer, n, at } = classLayout(x);
  const lse = Array.from({ length: n }, (_, pos) => {
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = Math.max(m, at(pos, c));
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp(at(pos, c) - m);
    return m + Math.log(s);
  });
  return { C, outer, n, lp: (pos, c) => at(pos, c) - lse[pos] };
}

function classIndex(lp: (pos: number, c: number) => number, C: number, outer: number[], n: number, t: Arr, dtype: RefDType, o: ClassOpts): Arr {
  const ii = o.ignoreIndex ?? -100, ls = o.labelSmoothing ?? 0;
  const w = (c: number) => (o.weight ? o.weight.data[c] : 1);
  let wsum = 0;
  const vals = Array.from({ length: n }, (_, pos) => {
    const y = t.data[pos];
    const ignored = y === ii;
    if (!ignored) wsum += w(y);
    const nll = ignored ? 0 : -w(y) * lp(pos, y);
    // PyTorch mixes in the smoothing term only when label smoothing is on (else (0/C)·∞ would turn a −Inf
    // loss into NaN); an ignored target's term is 0, times ε/C (NaN with no classes, as in PyTorch)
    if (ls === 0) return nll;
    let smooth = 0;
    if (!ignored) for (let c = 0; c < C; c++) smooth -= w(c) * lp(pos, c);
    return (1 - ls) * nll + (ls / C) * smooth;
  });
  return reduced(vals, outer, dtype, o.reduction ?? 'mean', wsum);
}

export function nllLoss(x: Arr, t: Arr, o: ClassOpts = {}): Arr {
  const { C, outer, n, at } = classLayout(x);
  return classIndex(at, C, outer, n, t, x.dtype, o);
}

export function crossEntropy(x: Arr, t: Arr, o: ClassOpts = {}): Arr {
  const { C, outer, n, lp } = logSoftmaxAt(x);
  if (t.dtype === 'int32') return classIndex(lp, C, outer, n, t, x.dtype, o);
  const ls = o.labelSmoothing ?? 0;
  const tl = classLayout(t);
  const vals = Array.from({ length: n }, (_, pos) => {
    let s = 0;
    for (let c = 0; c < C; c++) s -= (o.weight ? o.weight.data[c] : 1) * lp(pos, c) * ((1 - ls) * tl.at(pos, c) + ls / C);
    return s;
  });
  // 'mean' divides by numel / C, as PyTorch: the batch elements, and NaN with no classes (0 / 0)
  return reduced(vals, outer, resultDtype([x, t]), o.reduction ?? 'mean', numelOf(x.shape) / C);
}

export function oneHot(idx: Arr, numClasses = -1): Arr {
  const C = numClasses === -1 ? Math.max(...idx.data) + 1 : numClasses;
  const data: number[] = [];
  for (const v of idx.data) for (let c = 0; c < C; c++) data.push(v === c ? 1 : 0);
  return { shape: [...idx.shape, C], data, dtype: 'int32' };
}
