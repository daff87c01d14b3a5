import { numel, contiguousStrides } from '../tensor/shape.js';
import { IndexError } from '../errors.js';
import { fusedUpdates } from './fused.js';
import { Prim, type Backend, type Out, type View, type UnaryPrim, type BinaryPrim, type ComparePrim, type WindowParams } from './prim.js';

// The readable reference backend: plain loops over strided views. It is the oracle the faster backends are
// tested against, so clarity wins over speed here.

/** Strides of `v` aligned to `shape` (which `v` broadcasts to), 0 where `v` is broadcast. */
function alignedStrides(v: View, shape: readonly number[]): number[] {
  const lead = shape.length - v.shape.length;
  return shape.map((_, i) => (i < lead || v.shape[i - lead] === 1 ? 0 : v.strides[i - lead]));
}

const ZEROS: number[] = [];

/** Calls f(i, a, b, c) for each element of `shape` in row-major order: i counts, a/b/c are strided offsets. */
function forEachIndex(
  shape: readonly number[],
  sa: readonly number[], oa: number,
  sb: readonly number[], ob: number,
  sc: readonly number[], oc: number,
  f: (i: number, a: number, b: number, c: number) => void,
): void {
  const n = numel(shape);
  if (n === 0) return;
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  let a = oa, b = ob, c = oc;
  for (let i = 0; i < n; i++) {
    f(i, a, b, c);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      a += sa[d] ?? 0; b += sb[d] ?? 0; c += sc[d] ?? 0;
      if (idx[d] < shape[d]) break;
      a -= (sa[d] ?? 0) * shape[d]; b -= (sb[d] ?? 0) * shape[d]; c -= (sc[d] ?? 0) * shape[d];
      idx[d] = 0;
    }
  }
}

function isContiguous(v: View): boolean {
  const cs = contiguousStrides(v.shape);
  for (let i = 0; i < v.shape.length; i++) if (v.shape[i] > 1 && v.strides[i] !== cs[i]) return false;
  return true;
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

const unaryFns: Record<UnaryPrim, (x: number) => number> = {
  [Prim.Neg]: (x) => -x,
  [Prim.Exp]: Math.exp,
  [Prim.Log]: Math.log,
  [Prim.Log1p]: Math.log1p,
  [Prim.Expm1]: Math.expm1,
  [Prim.Sqrt]: Math.sqrt,
  [Prim.Sin]: Math.sin,
  [Prim.Cos]: Math.cos,
  [Prim.Tanh]: Math.tanh,
  [Prim.Sigmoid]: sigmoid,
  [Prim.Relu]: (x) => (x <= 0 ? 0 : x),
  [Prim.Abs]: Math.abs,
  [Prim.Sign]: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), // NaN gives 0, as in PyTorch
};

const binaryFns: Record<BinaryPrim | ComparePrim, (a: number, b: number) => number> = {
  [Prim.Add]: (a, b) => a + b,
  [Prim.Sub]: (a, b) => a - b,
  [Prim.Mul]: (a, b) => a * b,
  [Prim.Div]: (a, b) => a / b,
  [Prim.Pow]: Math.pow,
  [Prim.Maximum]: Math.max,
  [Prim.Minimum]: Math.min,
  [Prim.Gt]: (a, b) => +(a > b),
  [Prim.Ge]: (a, b) => +(a >= b),
  [Prim.Lt]: (a, b) => +(a < b),
  [Prim.Le]: (a, b) => +(a <= b),
  [Prim.Eq]: (a, b) => +(a === b),
  [Prim.Ne]: (a, b) => +(a !== b),
};

function unary(op: UnaryPrim) {
  const f = unaryFns[op];
  return ([x]: readonly View[], _p: unknown, out: Out): void => {
    const xd = x.data, od = out.data;
    if (isContiguous(x)) {
      const n = od.length, o = x.offset;
      for (let i = 0; i < n; i++) od[i] = f(xd[o + i]);
      return;
    }
    forEachIndex(out.shape, x.strides, x.offset, ZEROS, 0, ZEROS, 0, (i, a) => { od[i] = f(xd[a]); });
  };
}

function binary(op: BinaryPrim | ComparePrim) {
  const f = binaryFns[op];
  return ([x, y]: readonly View[], _p: unknown, out: Out): void => {
    const xd = x.data, yd = y.data, od = out.data;
    const n = od.length;
    const sameShape = x.shape.length === out.shape.length && y.shape.length === out.shape.length &&
      out.shape.every((d, i) => x.shape[i] === d && y.shape[i] === d);
    if (sameShape && isContiguous(x) && isContiguous(y)) {
      const ox = x.offset, oy = y.offset;
      for (let i = 0; i < n; i++) od[i] = f(xd[ox + i], yd[oy + i]);
      return;
    }
    forEachIndex(out.shape, alignedStrides(x, out.shape), x.offset, alignedStrides(y, out.shape), y.offset, ZEROS, 0,
      (i, a, b) => { od[i] = f(xd[a], yd[b]); });
  };
}

function copyInto(x: View, out: Out): void {
  const xd = x.data, od = out.data;
  if (out.dtype === 'bool' && x.dtype !== 'bool') {
    forEachIndex(x.shape, x.strides, x.offset, ZEROS, 0, ZEROS, 0, (i, a) => { od[i] = xd[a] !== 0 ? 1 : 0; });
  } else {
    forEachIndex(x.shape, x.strides, x.offset, ZEROS, 0, ZEROS, 0, (i, a) => { od[i] = xd[a]; });
  }
}

/** Strides of the keepdim-shaped output laid over the input's dims, 0 on reduced dims. */
function reduceOutStrides(inShape: readonly number[], dims: readonly number[]): number[] {
  const keep = inShape.map((d, i) => (dims.includes(i) ? 1 : d));
  const cs = contiguousStrides(keep);
  return inShape.map((_, i) => (dims.includes(i) ? 0 : cs[i]));
}

function reduce(init: number, step: (acc: number, v: number) => number) {
  return ([x]: readonly View[], p: { dims: number[] }, out: Out): void => {
    const acc = new Float64Array(out.data.length).fill(init);
    const xd = x.data;
    forEachIndex(x.shape, x.strides, x.offset, reduceOutStrides(x.shape, p.dims), 0, ZEROS, 0,
      (_i, a, o) => { acc[o] = step(acc[o], xd[a]); });
    out.data.set(acc);
  };
}

function window2d(x: View, p: WindowParams) {
  // 1-D windows are 2-D windows of height 1.
  const two = p.kernel.length === 2;
  const pick = (a: number[], fill: number) => (two ? a : [fill, a[0]]);
  return { k: pick(p.kernel, 1), s: pick(p.stride, 1), pad: pick(p.padding, 0), d: pick(p.dilation, 1), two, x };
}

function outLen(size: number, k: number, s: number, pad: number, d: number): number {
  return Math.floor((size + 2 * pad - d * (k - 1) - 1) / s) + 1;
}

/** Walks every (n, c, kernel offset, output position) of an unfold, passing the image and column offsets. */
function unfoldWalk(
  N: number, C: number, H: number, W: number, p: ReturnType<typeof window2d>,
  f: (imgIndex: number | -1, colIndex: number) => void,
): void {
  const [kh, kw] = p.k, [sh, sw] = p.s, [ph, pw] = p.pad, [dh, dw] = p.d;
  const oh = outLen(H, kh, sh, ph, dh), ow = outLen(W, kw, sw, pw, dw);
  const L = oh * ow, rows = C * kh * kw;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          const row = (c * kh + ki) * kw + kj;
          const colBase = (n * rows + row) * L;
          for (let y = 0; y < oh; y++) {
            const ih = y * sh - ph + ki * dh;
            for (let z = 0; z < ow; z++) {
              const iw = z * sw - pw + kj * dw;
              const inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
              f(inside ? ((n * C + c) * H + ih) * W + iw : -1, colBase + y * ow + z);
            }
          }
        }
      }
    }
  }
}

function contiguousData(v: View): ArrayLike<number> {
  if (isContiguous(v) && v.offset === 0) return v.data;
  const tmp = new Float64Array(numel(v.shape));
  forEachIndex(v.shape, v.strides, v.offset, ZEROS, 0, ZEROS, 0, (i, a) => { tmp[i] = v.data[a]; });
  return tmp;
}

/**
 * The readable plain-TypeScript backend: the oracle that faster backends are tested against.
 *
 * @example
 * ```ts
 * withBackend(referenceBackend, () => tensor([1, 2]).add(1)).toArray(); // [2, 3]
 * ```
 */
export const referenceBackend: Backend = {
  name: 'reference',
  fused: fusedUpdates,
  [Prim.Neg]: unary(Prim.Neg),
  [Prim.Exp]: unary(Prim.Exp),
  [Prim.Log]: unary(Prim.Log),
  [Prim.Log1p]: unary(Prim.Log1p),
  [Prim.Expm1]: unary(Prim.Expm1),
  [Prim.Sqrt]: unary(Prim.Sqrt),
  [Prim.Sin]: unary(Prim.Sin),
  [Prim.Cos]: unary(Prim.Cos),
  [Prim.Tanh]: unary(Prim.Tanh),
  [Prim.Sigmoid]: unary(Prim.Sigmoid),
  [Prim.Relu]: unary(Prim.Relu),
  [Prim.Abs]: unary(Prim.Abs),
  [Prim.Sign]: unary(Prim.Sign),
  [Prim.Add]: binary(Prim.Add),
  [Prim.Sub]: binary(Prim.Sub),
  [Prim.Mul]: binary(Prim.Mul),
  [Prim.Div]: binary(Prim.Div),
  [Prim.Pow]: binary(Prim.Pow),
  [Prim.Maximum]: binary(Prim.Maximum),
  [Prim.Minimum]: binary(Prim.Minimum),
  [Prim.Gt]: binary(Prim.Gt),
  [Prim.Ge]: binary(Prim.Ge),
  [Prim.Lt]: binary(Prim.Lt),
  [Prim.Le]: binary(Prim.Le),
  [Prim.Eq]: binary(Prim.Eq),
  [Prim.Ne]: binary(Prim.Ne),

  [Prim.Where]: ([c, x, y], _p, out) => {
    const cd = c.data, xd = x.data, yd = y.data, od = out.data;
    forEachIndex(out.shape, alignedStrides(c, out.shape), c.offset, alignedStrides(x, out.shape), x.offset,
      alignedStrides(y, out.shape), y.offset, (i, a, b, d) => { od[i] = cd[a] ? xd[b] : yd[d]; });
  },

  assign(dst, src) {
    const dd = dst.data, sd = src.data;
    const toBool = dst.dtype === 'bool';
    forEachIndex(dst.shape, dst.strides, dst.offset, src.strides, src.offset, ZEROS, 0, (_i, a, b) => {
      dd[a] = toBool ? (sd[b] !== 0 ? 1 : 0) : sd[b];
    });
  },

  [Prim.Cast]: ([x], _p, out) => copyInto(x, out),
  [Prim.Copy]: ([x], _p, out) => copyInto(x, out),

  [Prim.Sum]: reduce(0, (acc, v) => acc + v),
  [Prim.Prod]: reduce(1, (acc, v) => acc * v),
  [Prim.Max]: reduce(-Infinity, (acc, v) => (v > acc || v !== v ? v : acc)),

  [Prim.Argmax]: ([x], p, out) => {
    // Reduce over one dim (or the flattened tensor); the first maximum wins, NaN counts as the maximum.
    const flat = p.dim === null;
    const shape = flat ? [numel(x.shape)] : x.shape;
    const data = flat ? contiguousData(x) : x.data;
    const strides = flat ? [1] : x.strides;
    const offset = flat ? 0 : x.offset;
    const dim = flat ? 0 : p.dim!;
    const best = new Float64Array(out.data.length).fill(-Infinity);
    const seen = new Uint8Array(out.data.length);
    const od = out.data;
    const idx = new Array<number>(shape.length).fill(0);
    forEachIndex(shape, strides, offset, reduceOutStrides(shape, [dim]), 0, ZEROS, 0, (i, a, o) => {
      // recover the position along `dim` from the row-major counter
      let rem = i;
      for (let d = shape.length - 1; d >= 0; d--) { idx[d] = rem % shape[d]; rem = Math.floor(rem / shape[d]); }
      const v = data[a];
      if (best[o] !== best[o]) return; // a NaN already won
      if (!seen[o] || v > best[o] || v !== v) { best[o] = v; od[o] = idx[dim]; seen[o] = 1; }
    });
  },

  [Prim.LogSoftmax]: ([x], p, out) => {
    // per slice along dim: shift by the maximum (0 when it is infinite), then x − m − log Σ exp(x − m)
    const xd = contiguousData(x), od = out.data;
    const D = x.shape[p.dim], inner = numel(x.shape.slice(p.dim + 1)), outer = numel(x.shape.slice(0, p.dim));
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * D * inner + i;
        let m = -Infinity;
        for (let k = 0; k < D; k++) {
          const v = xd[base + k * inner];
          if (v > m || v !== v) m = v;
        }
        if (m === Infinity || m === -Infinity) m = 0;
        let s = 0;
        for (let k = 0; k < D; k++) s += Math.exp(xd[base + k * inner] - m);
        const lse = Math.log(s) + m;
        for (let k = 0; k < D; k++) od[base + k * inner] = xd[base + k * inner] - lse;
      }
    }
  },

  [Prim.Pad]: ([x], p, out) => {
    out.data.fill(p.value);
    const os = contiguousStrides(out.shape);
    let start = 0;
    for (let d = 0; d < os.length; d++) start += p.before[d] * os[d];
    const od = out.data, xd = x.data;
    forEachIndex(x.shape, x.strides, x.offset, os, start, ZEROS, 0, (_i, a, o) => { od[o] = xd[a]; });
  },

  [Prim.Cat]: (xs, p, out) => {
    const os = contiguousStrides(out.shape);
    const od = out.data;
    let at = 0;
    for (const x of xs) {
      const xd = x.data;
      forEachIndex(x.shape, x.strides, x.offset, os, at * os[p.dim], ZEROS, 0, (_i, a, o) => { od[o] = xd[a]; });
      at += x.shape[p.dim];
    }
  },

  [Prim.Gather]: ([x, index], p, out) => {
    // a 0-d input is one element along dim 0
    const size = x.shape[p.dim] ?? 1, sd = x.strides[p.dim] ?? 0;
    const xs = x.strides.map((s, i) => (i === p.dim ? 0 : s));
    const xd = x.data, id = index.data, od = out.data;
    forEachIndex(index.shape, index.strides, index.offset, xs, x.offset, ZEROS, 0, (i, a, b) => {
      const k = id[a];
      if (k < 0 || k >= size) throw new IndexError(`gather: index ${k} is out of bounds for dim ${p.dim} with size ${size} (${size === 0 ? 'the dim is empty' : `expected an index in [0, ${size - 1}]`})`);
      od[i] = xd[b + k * sd];
    });
  },

  [Prim.ScatterAdd]: ([self, index, src], p, out) => {
    copyInto(self, out);
    const os = contiguousStrides(out.shape);
    const size = out.shape[p.dim] ?? 1, sd = os[p.dim] ?? 0;
    const oss = os.map((s, i) => (i === p.dim ? 0 : s));
    const id = index.data, srcd = src.data, od = out.data;
    forEachIndex(index.shape, index.strides, index.offset, oss, 0, src.strides, src.offset, (_i, a, o, s) => {
      const k = id[a];
      if (k < 0 || k >= size) throw new IndexError(`scatterAdd: index ${k} is out of bounds for dim ${p.dim} with size ${size} (${size === 0 ? 'the dim is empty' : `expected an index in [0, ${size - 1}]`})`);
      od[o + k * sd] += srcd[s];
    });
  },

  [Prim.Matmul]: ([a, b], _p, out) => {
    const nd = out.shape.length;
    const M = out.shape[nd - 2], N = out.shape[nd - 1], K = a.shape[a.shape.length - 1];
    const batch = out.shape.slice(0, nd - 2);
    const align = (v: View) => {
      const s = alignedStrides({ ...v, shape: v.shape.slice(0, -2), strides: v.strides.slice(0, -2) }, batch);
      return { s, rs: v.strides[v.strides.length - 2], cs: v.strides[v.strides.length - 1] };
    };
    const A = align(a), B = align(b);
    const ad = a.data, bd = b.data, od = out.data;
    const row = new Float64Array(N);
    forEachIndex(batch, A.s, a.offset, B.s, b.offset, ZEROS, 0, (bi, ao, bo) => {
      for (let i = 0; i < M; i++) {
        row.fill(0);
        for (let k = 0; k < K; k++) {
          const aik = ad[ao + i * A.rs + k * A.cs];
          const bk = bo + k * B.rs;
          for (let j = 0; j < N; j++) row[j] += aik * bd[bk + j * B.cs];
        }
        od.set(row, (bi * M + i) * N);
      }
    });
  },

  [Prim.Unfold]: ([x], p, out) => {
    const w = window2d(x, p);
    const [N, C] = x.shape;
    const H = w.two ? x.shape[2] : 1, W = x.shape[w.two ? 3 : 2];
    const xd = contiguousData(x), od = out.data;
    unfoldWalk(N, C, H, W, w, (img, col) => { od[col] = img < 0 ? 0 : xd[img]; });
  },

  [Prim.Fold]: ([cols], p, out) => {
    const w = window2d(cols, p);
    const [N, C] = out.shape;
    const H = w.two ? out.shape[2] : 1, W = out.shape[w.two ? 3 : 2];
    const cd = contiguousData(cols), od = out.data;
    od.fill(0);
    unfoldWalk(N, C, H, W, w, (img, col) => { if (img >= 0) od[img] += cd[col]; });
  },
};

export { outLen as windowOutputLength };
