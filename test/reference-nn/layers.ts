// Plain-loop references of linear, convolution, pooling and dropout (the oracles of test/registry/nn-layers.ts).
// Direct loops over output positions and window offsets (no im2col, no matmul); float64 arithmetic, rounded to
// the output dtype at the end. Dropout redraws its uniforms from a generator seeded as the samples' forkRng.
import { createGenerator } from '../../src/index.js';
import { numelOf, unravel, ravel, roundTo, type Arr } from '../reference.js';

type SizeArg = number | readonly number[] | undefined | null;

const per = (v: SizeArg, n: number, dflt: number): number[] =>
  v === undefined || v === null ? new Array(n).fill(dflt) : typeof v === 'number' ? new Array(n).fill(v) : [...v];

function get(a: Arr, idx: readonly number[]): number {
  return a.data[ravel(idx, a.shape)];
}

/** Runs `f` on a batched copy of x ([N, C, ...spatial]) and drops the batch dim again if x had none. */
function withBatch(x: Arr, n: number, f: (xb: Arr) => Arr): Arr {
  if (x.shape.length === n + 2) return f(x);
  const y = f({ ...x, shape: [1, ...x.shape] });
  return { ...y, shape: y.shape.slice(1) };
}

// ---------------------------------------------------------------------------------------------------------
// linear

export function linear(x: Arr, w: Arr, b?: Arr | null): Arr {
  const inF = x.shape[x.shape.length - 1];
  const outF = w.shape.length === 2 ? w.shape[0] : 1;
  const rows = numelOf(x.shape.slice(0, -1));
  const outShape = [...x.shape.slice(0, -1), ...(w.shape.length === 2 ? [outF] : [])];
  const data: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outF; o++) {
      let s = 0;
      for (let i = 0; i < inF; i++) s += x.data[r * inF + i] * w.data[o * inF + i];
      if (b) s += b.data.length === 1 ? b.data[0] : b.data[o];
      data.push(roundTo(x.dtype, s));
    }
  }
  return { shape: outShape, data, dtype: x.dtype };
}

// ---------------------------------------------------------------------------------------------------------
// convolution

interface ConvOpts {
  stride?: SizeArg;
  padding?: SizeArg | 'valid' | 'same';
  dilation?: SizeArg;
  groups?: number;
}

function convN(n: number, x: Arr, w: Arr, b: Arr | null | undefined, o: ConvOpts = {}): Arr {
  return withBatch(x, n, (xb) => {
    const N = xb.shape[0], spatial = xb.shape.slice(2);
    const [OC, Cg] = w.shape, kernel = w.shape.slice(2);
    const groups = o.groups ?? 1, OCg = OC / groups;
    const stride = per(o.stride, n, 1), dil = per(o.dilation, n, 1);
    let left: number[], right: number[];
    if (o.padding === 'same') {
      left = kernel.map((k, i) => Math.floor((dil[i] * (k - 1)) / 2));
      right = kernel.map((k, i) => dil[i] * (k - 1) - left[i]);
    } else {
      left = right = per(o.padding === 'valid' ? 0 : o.padding, n, 0);
    }
    const outSp = spatial.map((s, i) => Math.floor((s + left[i] + right[i] - dil[i] * (kernel[i] - 1) - 1) / stride[i]) + 1);
    const shape = [N, OC, ...outSp];
    const K = numelOf(kernel), P = numelOf(outSp);
    const data: number[] = [];
    for (let nn = 0; nn < N; nn++) {
      for (let oc = 0; oc < OC; oc++) {
        const g = Math.floor(oc / OCg);
        for (let p = 0; p < P; p++) {
          const op = unravel(p, outSp);
          let s = b ? b.data[oc] : 0;
          for (let ic = 0; ic < Cg; ic++) {
            for (let k = 0; k < K; k++) {
              const kk = unravel(k, kernel);
              const pos = op.map((v, i) => v * stride[i] - left[i] + kk[i] * dil[i]);
              if (pos.some((v, i) => v < 0 || v >= spatial[i])) continue;
              s += get(xb, [nn, g * Cg + ic, ...pos]) * get(w, [oc, ic, ...kk]);
            }
          }
          data.push(roundTo(xb.dtype, s));
        }
      }
    }
    return { shape, data, dtype: xb.dtype };
  });
}

export const conv1d = (x: Arr, w: Arr, b?: Arr | null, o?: ConvOpts): Arr => convN(1, x, w, b, o);
export const conv2d = (x: Arr, w: Arr, b?: Arr | null, o?: ConvOpts): Arr => convN(2, x, w, b, o);

// ---------------------------------------------------------------------------------------------------------
// pooling

interface PoolOpts {
  stride?: SizeArg;
  padding?: SizeArg;
  dilation?: SizeArg;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** PyTorch's pooling output length: floor or ceil, and with ceil the last window starts inside input or left pad. */
function poolLength(len: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = len + 2 * p - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= len + p) out -= 1;
  return out;
}

/** Calls `f(window values, per-dim window start)` for every output position of every (n, c). */
function pool(n: number, x: Arr, kernelSize: SizeArg, o: PoolOpts, f: (vals: number[], starts: number[], spatial: number[], kernel: number[], pad: number[]) => number): Arr {
  return withBatch(x, n, (xb) => {
    const [N, C] = xb.shape, spatial = xb.shape.slice(2);
    const kernel = per(kernelSize, n, 1);
    const stride = o.stride === undefined || o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0) ? kernel : per(o.stride, n, 1);
    const pad = per(o.padding, n, 0), dil = per(o.dilation, n, 1);
    const outSp = spatial.map((s, i) => poolLength(s, kernel[i], stride[i], pad[i], dil[i], o.ceilMode ?? false));
    const K = numelOf(kernel), P = numelOf(outSp);
    const data: number[] = [];
    for (let nc = 0; nc < N * C; nc++) {
      const nn = Math.floor(nc / C), c = nc % C;
      for (let p = 0; p < P; p++) {
        const starts = unravel(p, outSp).map((v, i) => v * stride[i] - pad[i]);
        const vals: number[] = [];
        for (let k = 0; k < K; k++) {
          const pos = unravel(k, kernel).map((v, i) => starts[i] + v * dil[i]);
          if (pos.every((v, i) => v >= 0 && v < spatial[i])) vals.push(get(xb, [nn, c, ...pos]));
        }
        data.push(roundTo(xb.dtype, f(vals, starts, spatial, kernel, pad)));
      }
    }
    return { shape: [N, C, ...outSp], data, dtype: xb.dtype };
  });
}

const maxOf = (vals: number[]) => vals.reduce((m, v) => (Number.isNaN(m) || Number.isNaN(v) ? NaN : v > m ? v : m), -Infinity);

export const maxPool1d = (x: Arr, k: SizeArg, o: PoolOpts = {}): Arr => pool(1, x, k, o, maxOf);
export const maxPool2d = (x: Arr, k: SizeArg, o: PoolOpts = {}): Arr => pool(2, x, k, o, maxOf);

function avgPool(n: number, x: Arr, k: SizeArg, o: PoolOpts): Arr {
  return pool(n, x, k, o, (vals, starts, spatial, kernel, pad) => {
    const sum = vals.reduce((a, b) => a + b, 0);
    if (o.divisorOverride !== undefined && o.divisorOverride !== null) return sum / o.divisorOverride;
    let divisor = 1;
    starts.forEach((st, i) => {
      // a window reaching past the right padding (ceil mode) counts only up to it
      const end = Math.min(st + kernel[i], spatial[i] + pad[i]);
      divisor *= o.countIncludePad ?? true ? end - st : Math.min(end, spatial[i]) - Math.max(st, 0);
    });
    return sum / divisor;
  });
}

export const avgPool1d = (x: Arr, k: SizeArg, o: PoolOpts = {}): Arr => avgPool(1, x, k, o);
export const avgPool2d = (x: Arr, k: SizeArg, o: PoolOpts = {}): Arr => avgPool(2, x, k, o);

// ---------------------------------------------------------------------------------------------------------
// dropout

/** The samples run dropout under forkRng(f, DROPOUT_SEED); the reference redraws the same uniforms. */
export const DROPOUT_SEED = 5;

export function dropout(x: Arr, p = 0.5, training = true): Arr {
  if (!training || p === 0) return { ...x, data: [...x.data] };
  const g = createGenerator(DROPOUT_SEED);
  const data = x.data.map((v) => {
    if (p === 1) return roundTo(x.dtype, v * 0);
    return roundTo(x.dtype, g.next() < 1 - p ? v / (1 - p) : v * 0);
  });
  return { ...x, data };
}
