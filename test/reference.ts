// Plain-loop reference implementations of every op in the registry, used by the forward sweep as the oracle.
//
// Nothing here calls the library: values travel as `Arr` ({shape, data, dtype}) and every op is a loop over
// row-major indices. The only contact with tapegrad is `toArr`, which reads a tensor's elements (no op).
// Arithmetic is done in float64 and each result is rounded to the output dtype at the end, so for float64
// the reference is exact up to summation order, and float32 results are compared with a tolerance.

import type { Tensor } from '../src/index.js';

export type RefDType = 'float32' | 'float64' | 'int32' | 'bool';

/** A plain n-d array: row-major `data` of length ∏shape. */
export interface Arr {
  shape: number[];
  data: number[];
  dtype: RefDType;
}

/** A value standing where the op takes a Tensor or a JS number. */
export type RefOperand = Arr | number | boolean;

const DEFAULT_FLOAT: RefDType = 'float32';

// ---------------------------------------------------------------------------------------------------------
// Basics

export function isArr(v: unknown): v is Arr {
  return typeof v === 'object' && v !== null && Array.isArray((v as Arr).shape) && Array.isArray((v as Arr).data) && typeof (v as Arr).dtype === 'string';
}

/** Reads a tensor's elements into an Arr. */
export function toArr(t: Tensor): Arr {
  return { shape: [...t.shape], data: Array.from(t.toTypedArray(), Number), dtype: t.dtype };
}

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Multi-index of flat position `i` in `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/** Flat position of multi-index `idx` in `shape`. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let o = 0;
  for (let d = 0; d < shape.length; d++) o = o * shape[d] + idx[d];
  return o;
}

export function isFloatDtype(d: RefDType): boolean {
  return d === 'float32' || d === 'float64';
}

/** Rounds a float64 value to what `dtype` stores. */
export function roundTo(dtype: RefDType, v: number): number {
  switch (dtype) {
    case 'float64': return v;
    case 'float32': return Math.fround(v);
    case 'int32': return Number.isFinite(v) ? Math.trunc(v) | 0 : 0;
    case 'bool': return v !== 0 ? 1 : 0;
  }
}

function make(shape: readonly number[], dtype: RefDType, f: (idx: number[], i: number) => number): Arr {
  const n = numelOf(shape);
  const data = new Array<number>(n);
  for (let i = 0; i < n; i++) data[i] = roundTo(dtype, f(unravel(i, shape), i));
  return { shape: [...shape], data, dtype };
}

function at(a: Arr, idx: readonly number[]): number {
  return a.data[ravel(idx, a.shape)];
}

function asArr(v: RefOperand, dtype: RefDType): Arr {
  if (isArr(v)) return v.dtype === dtype ? v : convert(v, dtype);
  return { shape: [], data: [roundTo(dtype, Number(v))], dtype };
}

export function convert(a: Arr, dtype: RefDType): Arr {
  return { shape: [...a.shape], data: a.data.map((v) => roundTo(dtype, v)), dtype };
}

function normDim(dim: number, ndim: number, extra = 0): number {
  const n = Math.max(ndim + extra, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) throw new Error(`reference: dim ${dim} out of range`);
  return dim < 0 ? dim + n : dim;
}

/** undefined, null or [] mean every dim; the list comes back sorted. */
function normDims(dim: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (dim === undefined || dim === null || (Array.isArray(dim) && dim.length === 0)) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dim === 'number' ? [dim] : [...dim];
  if (ndim === 0) return [];
  return list.map((d) => normDim(d, ndim)).sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------------------
// Type promotion (PyTorch's rules, written out independently): tensors with dims decide, then 0-d tensors,
// then JS scalars, each later group only raising the category bool < int < float.

const CATEGORY: Record<RefDType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };
const RANK: Record<RefDType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

export function resultDtype(ops: readonly RefOperand[]): RefDType {
  const groups: RefDType[][] = [[], [], []];
  for (const o of ops) {
    if (isArr(o)) groups[o.shape.length > 0 ? 0 : 1].push(o.dtype);
    else if (typeof o === 'boolean') groups[2].push('bool');
    else groups[2].push(Number.isInteger(o) ? 'int32' : DEFAULT_FLOAT);
  }
  let out: RefDType | null = null;
  for (const g of groups) {
    if (g.length === 0) continue;
    const best = g.reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
    if (out === null || CATEGORY[best] > CATEGORY[out]) out = best;
  }
  return out ?? DEFAULT_FLOAT;
}

// ---------------------------------------------------------------------------------------------------------
// Broadcasting

export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = nd - s.length + i;
      if (s[i] === 1 || s[i] === out[j]) continue;
      if (out[j] !== 1) throw new Error(`reference: shapes do not broadcast`);
      out[j] = s[i];
    }
  }
  return out;
}

/** a's element at the index `idx` of the broadcast result. */
function bget(a: Arr, idx: readonly number[]): number {
  const lead = idx.length - a.shape.length;
  let o = 0;
  for (let d = 0; d < a.shape.length; d++) o = o * a.shape[d] + (a.shape[d] === 1 ? 0 : idx[d + lead]);
  return a.data[o];
}

function zipN(arrs: readonly Arr[], dtype: RefDType, f: (...v: number[]) => number): Arr {
  const shape = broadcastShape(...arrs.map((a) => a.shape));
  return make(shape, dtype, (idx) => f(...arrs.map((a) => bget(a, idx))));
}

// ---------------------------------------------------------------------------------------------------------
// Elementwise

function unaryFloat(f: (x: number) => number) {
  return (x: Arr): Arr => {
    const dtype = isFloatDtype(x.dtype) ? x.dtype : DEFAULT_FLOAT;
    const c = convert(x, dtype);
    return make(c.shape, dtype, (_, i) => f(c.data[i]));
  };
}

function unarySame(f: (x: number) => number) {
  return (x: Arr): Arr => make(x.shape, x.dtype, (_, i) => f(x.data[i]));
}

function binary(f: (a: number, b: number) => number, floatResult = false) {
  return (a: RefOperand, b: RefOperand): Arr => {
    let dtype = resultDtype([a, b]);
    if (floatResult && !isFloatDtype(dtype)) dtype = DEFAULT_FLOAT;
    return zipN([asArr(a, dtype), asArr(b, dtype)], dtype, f);
  };
}

function compare(f: (a: number, b: number) => boolean) {
  return (a: RefOperand, b: RefOperand): Arr => {
    const dtype = resultDtype([a, b]);
    return zipN([asArr(a, dtype), asArr(b, dtype)], 'bool', (x, y) => (f(x, y) ? 1 : 0));
  };
}

const isNan = (v: number) => v !== v;

export const neg = unarySame((x) => -x);
export const exp = unaryFloat((x) => Math.exp(x));
export const log = unaryFloat((x) => Math.log(x));
export const log1p = unaryFloat((x) => Math.log1p(x));
export const expm1 = unaryFloat((x) => Math.expm1(x));
export const sqrt = unaryFloat((x) => Math.sqrt(x));
export const rsqrt = unaryFloat((x) => 1 / Math.sqrt(x));
export const sin = unaryFloat((x) => Math.sin(x));
export const cos = unaryFloat((x) => Math.cos(x));
export const tanh = unaryFloat((x) => Math.tanh(x));
export const sigmoid = unaryFloat((x) => 1 / (1 + Math.exp(-x)));
export const relu = unarySame((x) => (x > 0 ? x : isNan(x) ? x : 0));
export const abs = unarySame((x) => (x < 0 ? -x : x === 0 ? 0 : x));
export const sign = unarySame((x) => (x > 0 ? 1 : x < 0 ? -1 : 0)); // NaN gives 0, as in PyTorch

export const add = binary((a, b) => a + b);
export const sub = binary((a, b) => a - b);
export const mul = binary((a, b) => a * b);
export const div = binary((a, b) => a / b, true);
export const pow = binary((a, b) => a ** b);
export const maximum = binary((a, b) => (isNan(a) || isNan(b) ? NaN : a > b ? a : b));
export const minimum = binary((a, b) => (isNan(a) || isNan(b) ? NaN : a < b ? a : b));

export const gt = compare((a, b) => a > b);
export const ge = compare((a, b) => a >= b);
export const lt = compare((a, b) => a < b);
export const le = compare((a, b) => a <= b);
export const eq = compare((a, b) => a === b);
export const ne = compare((a, b) => a !== b);

export function where(cond: Arr, a: RefOperand, b: RefOperand): Arr {
  const dtype = resultDtype([a, b]);
  return zipN([cond, asArr(a, dtype), asArr(b, dtype)], dtype, (c, x, y) => (c ? x : y));
}

/** clamp(x, min, max): x below min becomes min, then above max becomes max (so min > max gives max). */
export function clamp(x: Arr, min?: RefOperand | null, max?: RefOperand | null): Arr {
  let y: Arr = x;
  if (min !== undefined && min !== null) {
    const dtype = resultDtype([min, y]);
    // a NaN bound gives NaN, as x's NaN does (PyTorch since pytorch/pytorch#77306 and #77371)
    y = zipN([asArr(y, dtype), asArr(min, dtype)], dtype, (v, lo) => (Number.isNaN(lo) ? lo : v < lo ? lo : v));
  }
  if (max !== undefined && max !== null) {
    const dtype = resultDtype([max, y]);
    y = zipN([asArr(y, dtype), asArr(max, dtype)], dtype, (v, hi) => (Number.isNaN(hi) ? hi : v > hi ? hi : v));
  }
  return y;
}

export function cast(x: Arr, dtype: RefDType): Arr {
  return convert(x, dtype);
}

// ---------------------------------------------------------------------------------------------------------
// Reductions

/** Applies `f` to the values of every reduced slice (in row-major order of the reduced dims). */
function reduce(x: Arr, dims: readonly number[], keepdim: boolean, dtype: RefDType, f: (vals: number[]) => number): Arr {
  const outShape: number[] = [];
  x.shape.forEach((d, i) => {
    if (!dims.includes(i)) outShape.push(d);
    else if (keepdim) outShape.push(1);
  });
  const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const redShape = dims.map((d) => x.shape[d]);
  const m = numelOf(redShape);
  return make(outShape, dtype, (oidx) => {
    const keptIdx = keepdim ? kept.map((k) => oidx[k]) : oidx;
    const vals: number[] = [];
    for (let r = 0; r < m; r++) {
      const ridx = unravel(r, redShape);
      const idx = new Array<number>(x.shape.length);
      kept.forEach((k, j) => (idx[k] = keptIdx[j]));
      dims.forEach((d, j) => (idx[d] = ridx[j]));
      vals.push(at(x, idx));
    }
    return f(vals);
  });
}

const intToInt32 = (d: RefDType): RefDType => (isFloatDtype(d) ? d : 'int32');
const sumOf = (v: number[]) => v.reduce((a, b) => a + b, 0);
const maxOf = (v: number[]) => v.reduce((a, b) => (isNan(a) || isNan(b) ? NaN : b > a ? b : a), -Infinity);
const minOf = (v: number[]) => v.reduce((a, b) => (isNan(a) || isNan(b) ? NaN : b < a ? b : a), Infinity);

type DimArg = number | readonly number[] | null | undefined;

export function sum(x: Arr, dim?: DimArg, keepdim = false): Arr {
  return reduce(x, normDims(dim, x.shape.length), keepdim, intToInt32(x.dtype), sumOf);
}

export function mean(x: Arr, dim?: DimArg, keepdim = false): Arr {
  return reduce(x, normDims(dim, x.shape.length), keepdim, x.dtype, (v) => sumOf(v) / v.length);
}

export function prod(x: Arr, dim?: DimArg, keepdim = false): Arr {
  return reduce(x, normDims(dim, x.shape.length), keepdim, intToInt32(x.dtype), (v) => v.reduce((a, b) => a * b, 1));
}

export function max(x: Arr, dim?: DimArg, keepdim = false): Arr {
  return reduce(x, normDims(dim, x.shape.length), keepdim, x.dtype, maxOf);
}

export function min(x: Arr, dim?: DimArg, keepdim = false): Arr {
  return reduce(x, normDims(dim, x.shape.length), keepdim, x.dtype, minOf);
}

/** Index of the first extreme (first NaN when there is one). */
function argExtreme(better: (a: number, b: number) => boolean) {
  return (x: Arr, dim?: number | null, keepdim = false): Arr => {
    const pick = (v: number[]) => {
      let best = 0;
      for (let i = 0; i < v.length; i++) {
        if (isNan(v[i])) return i;
        if (better(v[i], v[best])) best = i;
      }
      return best;
    };
    if (dim === undefined || dim === null || x.shape.length === 0) {
      const shape = keepdim ? x.shape.map(() => 1) : [];
      return { shape, data: [pick(x.data)], dtype: 'int32' };
    }
    return reduce(x, [normDim(dim, x.shape.length)], keepdim, 'int32', pick);
  };
}

export const argmax = argExtreme((a, b) => a > b);
export const argmin = argExtreme((a, b) => a < b);

export function variance(x: Arr, dim?: DimArg, keepdim = false, correction = 1): Arr {
  return reduce(x, normDims(dim, x.shape.length), keepdim, x.dtype, (v) => {
    const m = sumOf(v) / v.length;
    return sumOf(v.map((t) => (t - m) * (t - m))) / Math.max(0, v.length - correction);
  });
}

export function std(x: Arr, dim?: DimArg, keepdim = false, correction = 1): Arr {
  const v = variance(x, dim, keepdim, correction);
  return make(v.shape, v.dtype, (_, i) => Math.sqrt(v.data[i]));
}

function lse(v: number[]): number {
  let m = maxOf(v);
  if (!Number.isFinite(m)) m = isNan(m) ? m : 0;
  return m + Math.log(sumOf(v.map((t) => Math.exp(t - m))));
}

export function logsumexp(x: Arr, dim?: DimArg, keepdim = false): Arr {
  return reduce(x, normDims(dim, x.shape.length), keepdim, x.dtype, lse);
}

/** Applies `f` to every 1-d lane along `dim`, writing the lane it returns. */
function lanes(x: Arr, dim: number, f: (lane: number[]) => number[]): Arr {
  if (x.shape.length === 0) return { ...x, data: f([...x.data]).map((v) => roundTo(x.dtype, v)) };
  const d = normDim(dim, x.shape.length);
  const out = { shape: [...x.shape], data: new Array<number>(x.data.length), dtype: x.dtype };
  const n = x.shape[d];
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape);
    if (idx[d] !== 0) continue;
    const lane: number[] = [];
    for (let k = 0; k < n; k++) lane.push(at(x, idx.map((v, j) => (j === d ? k : v))));
    const res = f(lane);
    for (let k = 0; k < n; k++) out.data[ravel(idx.map((v, j) => (j === d ? k : v)), x.shape)] = roundTo(x.dtype, res[k]);
  }
  return out;
}

export function softmax(x: Arr, dim: number): Arr {
  return lanes(x, dim, (v) => {
    let m = maxOf(v);
    if (!Number.isFinite(m)) m = 0;
    const e = v.map((t) => Math.exp(t - m));
    const s = sumOf(e);
    return e.map((t) => t / s);
  });
}

export function logSoftmax(x: Arr, dim: number): Arr {
  return lanes(x, dim, (v) => {
    const l = lse(v);
    return v.map((t) => t - l);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Shape and movement

function inferShape(x: Arr, shape: readonly number[]): number[] {
  const out = [...shape];
  const k = out.indexOf(-1);
  if (k >= 0) out[k] = numelOf(x.shape) / numelOf(out.filter((d) => d !== -1));
  return out;
}

export function reshape(x: Arr, shape: readonly number[]): Arr {
  return { shape: inferShape(x, shape), data: [...x.data], dtype: x.dtype };
}

export const view = reshape;

export function flatten(x: Arr, startDim = 0, endDim = -1): Arr {
  if (x.shape.length === 0) return reshape(x, [1]);
  const s = normDim(startDim, x.shape.length), e = normDim(endDim, x.shape.length);
  return reshape(x, [...x.shape.slice(0, s), numelOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

export function squeeze(x: Arr, dim?: number | readonly number[]): Arr {
  const dims = dim === undefined ? x.shape.map((_, i) => i) : (typeof dim === 'number' ? [dim] : [...dim]).map((d) => normDim(d, x.shape.length));
  return reshape(x, x.shape.filter((d, i) => !(d === 1 && dims.includes(i))));
}

export function unsqueeze(x: Arr, dim: number): Arr {
  const d = normDim(dim, x.shape.length, 1);
  return reshape(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

export function permute(x: Arr, dims: readonly number[]): Arr {
  const p = dims.map((d) => normDim(d, x.shape.length));
  const shape = p.map((d) => x.shape[d]);
  return make(shape, x.dtype, (idx) => {
    const src = new Array<number>(idx.length);
    p.forEach((d, i) => (src[d] = idx[i]));
    return at(x, src);
  });
}

export function transpose(x: Arr, dim0: number, dim1: number): Arr {
  if (x.shape.length === 0) return x;
  const dims = x.shape.map((_, i) => i);
  const a = normDim(dim0, x.shape.length), b = normDim(dim1, x.shape.length);
  [dims[a], dims[b]] = [dims[b], dims[a]];
  return permute(x, dims);
}

export function expand(x: Arr, shape: readonly number[]): Arr {
  const lead = shape.length - x.shape.length;
  const out = shape.map((d, i) => (d === -1 ? x.shape[i - lead] : d));
  return make(out, x.dtype, (idx) => bget(x, idx));
}

export function broadcastTensors(...xs: Arr[]): Arr[] {
  const shape = broadcastShape(...xs.map((x) => x.shape));
  return xs.map((x) => expand(x, shape));
}

export function narrow(x: Arr, dim: number, start: number, length: number): Arr {
  const d = normDim(dim, x.shape.length);
  const s = start < 0 ? start + x.shape[d] : start;
  const shape = x.shape.map((v, i) => (i === d ? length : v));
  return make(shape, x.dtype, (idx) => at(x, idx.map((v, i) => (i === d ? v + s : v))));
}

export function indexSelect(x: Arr, dim: number, index: Arr): Arr {
  if (x.shape.length === 0) return { shape: [], data: [x.data[0]], dtype: x.dtype };
  const d = normDim(dim, x.shape.length);
  const shape = x.shape.map((v, i) => (i === d ? index.data.length : v));
  return make(shape, x.dtype, (idx) => at(x, idx.map((v, i) => (i === d ? index.data[v] : v))));
}

export function gather(x: Arr, dim: number, index: Arr): Arr {
  const d = normDim(dim, x.shape.length);
  return make(index.shape, x.dtype, (idx, i) => at(x, idx.map((v, k) => (k === d ? index.data[i] : v))));
}

export function scatterAdd(x: Arr, dim: number, index: Arr, src: Arr): Arr {
  const d = normDim(dim, x.shape.length);
  const dtype = x.dtype;
  const out = convert(x, dtype);
  const n = numelOf(index.shape);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, index.shape);
    const target = idx.map((v, k) => (k === d ? index.data[i] : v));
    const o = ravel(target, out.shape);
    out.data[o] = roundTo(dtype, out.data[o] + at(src, idx));
  }
  return out;
}

export function cat(xs: readonly Arr[], dim = 0): Arr {
  const dtype = resultDtype(xs);
  const ref = xs.find((x) => !(x.shape.length === 1 && x.data.length === 0)) ?? xs[0];
  const d = normDim(dim, ref.shape.length);
  // PyTorch skips legacy empty 1-d tensors of shape [0] when the others have more dims
  const parts = xs.filter((x) => x.shape.length === ref.shape.length);
  const shape = [...ref.shape];
  shape[d] = parts.reduce((s, x) => s + x.shape[d], 0);
  return make(shape, dtype, (idx) => {
    let k = idx[d];
    for (const x of parts) {
      if (k < x.shape[d]) return at(x, idx.map((v, i) => (i === d ? k : v)));
      k -= x.shape[d];
    }
    throw new Error('unreachable');
  });
}

export function stack(xs: readonly Arr[], dim = 0): Arr {
  const d = normDim(dim, xs[0].shape.length, 1);
  return cat(xs.map((x) => unsqueeze(x, d)), d);
}

export function split(x: Arr, sizeOrSizes: number | readonly number[], dim = 0): Arr[] {
  const d = normDim(dim, x.shape.length);
  const n = x.shape[d];
  let sizes: number[];
  if (typeof sizeOrSizes === 'number') {
    sizes = [];
    for (let s = 0; s < n; s += sizeOrSizes) sizes.push(Math.min(sizeOrSizes, n - s));
    if (n === 0) sizes.push(0);
  } else sizes = [...sizeOrSizes];
  let start = 0;
  return sizes.map((s) => {
    const piece = narrow(x, d, start, s);
    start += s;
    return piece;
  });
}

export function chunk(x: Arr, chunks: number, dim = 0): Arr[] {
  const d = normDim(dim, x.shape.length);
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

/** Constant pad; `pads` are (before, after) pairs from the last dim; negative amounts crop. */
export function pad(x: Arr, pads: readonly number[], value = 0): Arr {
  const nd = x.shape.length;
  const before = new Array<number>(nd).fill(0), after = new Array<number>(nd).fill(0);
  for (let k = 0; k < pads.length / 2; k++) {
    before[nd - 1 - k] = pads[2 * k];
    after[nd - 1 - k] = pads[2 * k + 1];
    // PyTorch crops with narrow first: the crops cannot take more than the dim holds
    if (Math.max(0, -pads[2 * k]) + Math.max(0, -pads[2 * k + 1]) > x.shape[nd - 1 - k]) throw new Error('pad: a crop larger than the dim');
  }
  const shape = x.shape.map((d, i) => d + before[i] + after[i]);
  return make(shape, x.dtype, (idx) => {
    const src = idx.map((v, i) => v - before[i]);
    return src.every((v, i) => v >= 0 && v < x.shape[i]) ? at(x, src) : value;
  });
}

export const contiguous = (x: Arr): Arr => ({ ...x, data: [...x.data] });
export const clone = contiguous;
export const detach = contiguous;

export function matmul(a: Arr, b: Arr): Arr {
  const dtype = resultDtype([a, b]);
  const A = a.shape.length === 1 ? { ...a, shape: [1, a.shape[0]] } : a;
  const B = b.shape.length === 1 ? { ...b, shape: [b.shape[0], 1] } : b;
  const M = A.shape[A.shape.length - 2], K = A.shape[A.shape.length - 1], N = B.shape[B.shape.length - 1];
  const batch = broadcastShape(A.shape.slice(0, -2), B.shape.slice(0, -2));
  const full = [...batch, M, N];
  const res = make(full, dtype, (idx) => {
    const bi = idx.slice(0, -2), i = idx[idx.length - 2], j = idx[idx.length - 1];
    let s = 0;
    for (let k = 0; k < K; k++) s += bget(A, [...bi, i, k]) * bget(B, [...bi, k, j]);
    return s;
  });
  let shape = full;
  if (b.shape.length === 1) shape = shape.slice(0, -1);
  if (a.shape.length === 1) shape = b.shape.length === 1 ? shape.slice(0, -1) : [...shape.slice(0, -2), shape[shape.length - 1]];
  return { ...res, shape };
}

interface WindowOpts {
  stride?: number | readonly number[];
  padding?: number | readonly number[];
  dilation?: number | readonly number[];
}

function per(v: number | readonly number[] | undefined, n: number, dflt: number): number[] {
  return v === undefined ? new Array(n).fill(dflt) : typeof v === 'number' ? new Array(n).fill(v) : [...v];
}

/** Windows of an image: for each spatial dim, the window count and, per (window, kernel offset), the position. */
function windows(spatial: readonly number[], kernel: readonly number[], o: WindowOpts) {
  const n = spatial.length;
  const s = per(o.stride, n, 1), p = per(o.padding, n, 0), dl = per(o.dilation, n, 1);
  const counts = spatial.map((len, i) => Math.floor((len + 2 * p[i] - dl[i] * (kernel[i] - 1) - 1) / s[i]) + 1);
  const pos = (win: number[], k: number[]) => win.map((w, i) => w * s[i] - p[i] + k[i] * dl[i]);
  return { counts, pos };
}

/** im2col: [N, C, *spatial] → [N, C·∏kernel, ∏windows], rows channel-major then kernel offset. */
export function unfold(x: Arr, kernelSize: number | readonly number[], o: WindowOpts = {}): Arr {
  const spatial = x.shape.slice(2);
  const kernel = per(kernelSize, spatial.length, 1);
  const { counts, pos } = windows(spatial, kernel, o);
  const [N, C] = x.shape, KK = numelOf(kernel), L = numelOf(counts);
  return make([N, C * KK, L], x.dtype, ([nn, row, l]) => {
    const c = Math.floor(row / KK), k = unravel(row % KK, kernel), win = unravel(l, counts);
    const p = pos(win, k);
    return p.every((v, i) => v >= 0 && v < spatial[i]) ? at(x, [nn, c, ...p]) : 0;
  });
}

/** col2im, the adjoint of unfold: sums each column entry into the image position it came from. */
export function fold(x: Arr, outputSize: number | readonly number[], kernelSize: number | readonly number[], o: WindowOpts = {}): Arr {
  const nsp = typeof outputSize === 'number' ? (typeof kernelSize === 'number' ? 2 : kernelSize.length) : outputSize.length;
  const spatial = per(outputSize, nsp, 1);
  const kernel = per(kernelSize, nsp, 1);
  const { counts, pos } = windows(spatial, kernel, o);
  const [N, CK, L] = x.shape, KK = numelOf(kernel), C = CK / KK;
  const shape = [N, C, ...spatial];
  const acc = new Array<number>(numelOf(shape)).fill(0);
  for (let nn = 0; nn < N; nn++) {
    for (let row = 0; row < CK; row++) {
      const c = Math.floor(row / KK), k = unravel(row % KK, kernel);
      for (let l = 0; l < L; l++) {
        const p = pos(unravel(l, counts), k);
        if (p.every((v, i) => v >= 0 && v < spatial[i])) acc[ravel([nn, c, ...p], shape)] += at(x, [nn, row, l]);
      }
    }
  }
  return { shape, data: acc.map((v) => roundTo(x.dtype, v)), dtype: x.dtype };
}
