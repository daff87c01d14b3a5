import { Prim, type View, type Out, type UnaryPrim, type BinaryPrim, type ComparePrim } from '../prim.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { contiguousStrides } from '../../tensor/shape.js';
import type { FastKernel, FastTable, WasmContext } from './context.js';
import { align64, copyTo, span, type MemoryViews } from './arena.js';

// Fast paths for the elementwise ops, where, copy/cast, assign and the reductions.
//
// Every op first describes its loop nest: the output's dims with size-1 dims dropped and adjacent dims merged
// wherever every operand steps through them as one, so a contiguous tensor is one row, [N, C, H, W] + [C, 1, 1]
// is N·C rows of H·W, and only the last dims are looped per element. Then either
//  - wasm (float32/float64, from a size derived from ctx.minElements, below): the inputs are staged into wasm
//    memory (the storage span each view reaches), the kernels of asm/elementwise.ts walk the nest with SIMD
//    rows, and the result is copied out. Per element the copies cost ~0.25 ns each way (shared memory) and the
//    kernels 0.15 ns (add) to 3 ns (tanh), against ~1.5 ns (add) to 10+ ns (Math.tanh) in JS; per call
//    ~0.6 µs; or
//  - tight JS loops (small sizes, int32/bool, pow, float64 transcendentals): one loop per op over two dims, no
//    closure per element, the reference's expressions so the results are identical.
// Single-precision transcendental functions in wasm are within an ulp of Math.* rounded to float32; everything
// else matches the reference exactly, except that float sums in wasm add in another order (in double
// precision, as the reference).

// ---- op codes (asm/elementwise.ts has the same numbers)

const UNARY: { readonly [P in UnaryPrim]: number } = {
  [Prim.Neg]: 0, [Prim.Exp]: 1, [Prim.Log]: 2, [Prim.Log1p]: 3, [Prim.Expm1]: 4, [Prim.Sqrt]: 5, [Prim.Sin]: 6,
  [Prim.Cos]: 7, [Prim.Tanh]: 8, [Prim.Sigmoid]: 9, [Prim.Relu]: 10, [Prim.Abs]: 11, [Prim.Sign]: 12,
};
/** Unary ops the float64 wasm kernel has (neg, sqrt, relu, abs, sign: exact); other float64 ones use Math.* in JS. */
const F64_WASM_UNARY = new Set([0, 5, 10, 11, 12]);
/** Unary ops that are transcendental (exp … sigmoid): worth wasm from fewer elements on. */
const TRANSCENDENTAL = new Set([1, 2, 3, 4, 6, 7, 8, 9]);

// Where wasm starts to pay (elements; for reductions, of the input), as a fraction of ctx.minElements. Measured,
// µs per call, JS / wasm at 256, 1024, 4096 elements: add 0.5/0.9, 1.7/1.4, 6.5/3.2; sum 1.0/0.8, 3.5/1.0,
// 13/2.0; exp 1.9/1.3, 7.1/3.3, 28/11. So cheap ops from a quarter of it (1024 at the default 4096),
// transcendental ones from a sixteenth (256). minElements 0 forces wasm everywhere, Infinity the JS loops.
const cheapFrom = (ctx: WasmContext): number => ctx.minElements / 4;
const transcendentalFrom = (ctx: WasmContext): number => ctx.minElements / 16;

const BINARY: { readonly [P in BinaryPrim | ComparePrim]: number } = {
  [Prim.Add]: 0, [Prim.Sub]: 1, [Prim.Mul]: 2, [Prim.Div]: 3, [Prim.Pow]: 4, [Prim.Maximum]: 5, [Prim.Minimum]: 6,
  [Prim.Gt]: 7, [Prim.Ge]: 8, [Prim.Lt]: 9, [Prim.Le]: 10, [Prim.Eq]: 11, [Prim.Ne]: 12,
};
const B_POW = 4;

const R_SUM = 0, R_PROD = 1, R_MAX = 2;
const REDUCE_INIT = [0, 1, -Infinity];

// ---- loop nests

/** A loop nest: dims (at least one; the last is the row) and, per operand, its strides in elements. */
interface Nest {
  shape: number[];
  strides: number[][];
}

/** `v`'s strides aligned to `shape` (which it broadcasts to): 0 along broadcast dims. */
function aligned(v: View, shape: readonly number[]): number[] {
  const lead = shape.length - v.shape.length;
  const s = new Array<number>(shape.length);
  for (let i = 0; i < shape.length; i++) s[i] = i < lead || v.shape[i - lead] === 1 ? 0 : v.strides[i - lead];
  return s;
}

/** Whether `v` is laid out row-major with stride 1 (size-1 dims aside) from its offset. */
function isContiguous(v: View): boolean {
  let s = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const d = v.shape[i];
    if (d === 1) continue;
    if (v.strides[i] !== s) return false;
    s *= d;
  }
  return true;
}

function numel(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Drops size-1 dims and merges adjacent dims that every operand steps through as one. */
function nest(shape: readonly number[], strides: readonly (readonly number[])[]): Nest {
  const k = strides.length;
  const dims: number[] = [];
  const st: number[][] = [];
  for (let j = 0; j < k; j++) st.push([]);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d];
    if (size === 1) continue;
    const last = dims.length - 1;
    let merge = last >= 0;
    for (let j = 0; merge && j < k; j++) merge = st[j][last] === strides[j][d] * size;
    if (merge) {
      dims[last] *= size;
      for (let j = 0; j < k; j++) st[j][last] = strides[j][d];
    } else {
      dims.push(size);
      for (let j = 0; j < k; j++) st[j].push(strides[j][d]);
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    for (let j = 0; j < k; j++) st[j].push(0);
  }
  return { shape: dims, strides: st };
}

/**
 * Moves every operand's offset in `offs` to the next block of `t`, a block being its last `inner` dims (which
 * the kernel loops itself); `cnt` counts the dims before them.
 */
function advance(t: Nest, cnt: Int32Array, offs: number[], inner = 1): void {
  const { shape, strides } = t;
  for (let d = shape.length - 1 - inner; d >= 0; d--) {
    const size = shape[d];
    if (++cnt[d] < size) {
      for (let k = 0; k < offs.length; k++) offs[k] += strides[k][d];
      return;
    }
    cnt[d] = 0;
    for (let k = 0; k < offs.length; k++) offs[k] -= strides[k][d] * (size - 1);
  }
}

/** The number of blocks of `t`'s last `inner` dims. */
function rowsOf(t: Nest, inner = 1): number {
  let r = 1;
  for (let d = 0; d < t.shape.length - inner; d++) r *= t.shape[d];
  return r;
}

/** The stride of `v` when it is one flat row of `n` elements (1), one element broadcast (0), or else -1. */
function flatStride(v: View, n: number): number {
  const m = numel(v.shape);
  if (m === 1) return 0;
  return m === n && isContiguous(v) ? 1 : -1;
}

// ---- JS rows: one loop per op, the reference's expressions

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// The elementwise kernels loop two dims (rows × n), so a short last dim ([B, 25] + [25]) costs no call per row.

/** A unary kernel over rows × n: operand offset x, stride sx along a row, rx between rows; contiguous output. */
type UnaryRows = (od: TypedArray, o: number, xd: TypedArray, x: number, sx: number, rx: number, rows: number, n: number) => void;
/** A binary kernel over rows × n, as UnaryRows for two operands. */
type BinaryRows = (
  od: TypedArray, o: number, ad: TypedArray, a: number, sa: number, ra: number,
  bd: TypedArray, b: number, sb: number, rb: number, rows: number, n: number,
) => void;

// One function per op (indexed by op code), each its own function literal: V8 keeps type feedback per literal,
// so each loop stays specialized (one function with a loop per op, or one loop calling the op, runs 3× slower).
const UNARY_ROWS: UnaryRows[] = [
  /* neg */ (od, o, xd, x, sx, rx, rows, n) => {
    for (let r = 0; r < rows; r++, x += rx) for (let i = 0, xi = x; i < n; i++, o++, xi += sx) { const v = xd[xi]; od[o] = -v; }
  },
  /* exp */ (od, o, xd, x, sx, rx, rows, n) => {
    for (let r = 0; r < rows; r++, x += rx) for (let i = 0, xi = x; i < n; i++, o++, xi += sx) { const v = xd[xi]; od[o] = Math.exp(v); }
  },
  /* log */ (od, o, xd, x, sx, rx, rows, n) => {
    for (let r = 0; r < rows; r++, x += rx) for (let i = 0, xi = x; i < n; i++, o++, xi += sx) { const v = xd[xi]; od[o] = Math.log(v); }
  },
  /* log1p */ (od, o, xd, x, sx, rx, rows, n) => {
    for (let r = 0; r < rows; r++, x += rx) for (let i = 0, xi = x; i < n; i++, o++, xi += sx) { const v = xd[xi]; od[o] = Math.log1p(v); }
  },
  /* expm1 */ (od, o, xd, x, sx, rx, rows, n) => {
    for (let r = 0; r < rows; r++, x += rx) for (let i = 0, xi = x; i < n; i++, o++, xi += sx) { const v = xd[xi]; od[o] = Math.expm1(v); }
  },
  /* sqrt */ (od, o, xd, x, sx, rx, rows, n) => {
    for (let r = 0; r < rows; r++, x += rx) for (let i = 0, xi = x; i < n; i++, o++, xi += sx) { const v = xd[xi]; od[o] = Math.sqrt(v); }
  },
  /* sin */ (od, o, xd, x, sx, rx, rows, n) => {
    for (let r = 0; r < rows; r++, x += rx) for (let i = 0, xi = x; i < n; i++, o++, xi += sx) { const v = xd[xi]; od[o] = Math.sin(v); }
  },
  /* cos */ (od, o, xd, x, sx, rx, rows, n) => {
    for (let r = 0; r < rows; r++, x += rx) for (let i = 0, xi = x; i < n; i++, o++, xi += sx) { const v = xd[xi]; od[o] = Math.cos(v); }
  },
  /* tanh */ (od, o, xd, x, sx, rx, rows, n) => {
    for (let r = 0; r < rows; r++, x += rx) for (let i = 0, xi = x; i < n; i++, o++, xi += sx) { const v = xd[xi]; od[o] = Math.tanh(v); }
  },
  /* sigmoid */ (od, o, xd, x, sx, rx, rows, n) => {
    for (let r = 0; r < rows; r++, x += rx) for (let i = 0, xi = x; i < n; i++, o++, xi += sx) { const v = xd[xi]; od[o] = sigmoid(v); }
  },
  /* relu */ (od, o, xd, x, sx, rx, rows, n) => {
    for (let r = 0; r < rows; r++, x += rx) for (let i = 0, xi = x; i < n; i++, o++, xi += sx) { const v = xd[xi]; od[o] = (v <= 0 ? 0 : v); }
  },
  /* abs */ (od, o, xd, x, sx, rx, rows, n) => {
    for (let r = 0; r < rows; r++, x += rx) for (let i = 0, xi = x; i < n; i++, o++, xi += sx) { const v = xd[xi]; od[o] = Math.abs(v); }
  },
  /* sign */ (od, o, xd, x, sx, rx, rows, n) => {
    for (let r = 0; r < rows; r++, x += rx) for (let i = 0, xi = x; i < n; i++, o++, xi += sx) { const v = xd[xi]; od[o] = (v > 0 ? 1 : v < 0 ? -1 : 0); }
  },
];

const BINARY_ROWS: BinaryRows[] = [
  /* add */ (od, o, ad, a, sa, ra, bd, b, sb, rb, rows, n) => {
    for (let r = 0; r < rows; r++, a += ra, b += rb) {
      for (let i = 0, ai = a, bi = b; i < n; i++, o++, ai += sa, bi += sb) { const x = ad[ai], y = bd[bi]; od[o] = x + y; }
    }
  },
  /* sub */ (od, o, ad, a, sa, ra, bd, b, sb, rb, rows, n) => {
    for (let r = 0; r < rows; r++, a += ra, b += rb) {
      for (let i = 0, ai = a, bi = b; i < n; i++, o++, ai += sa, bi += sb) { const x = ad[ai], y = bd[bi]; od[o] = x - y; }
    }
  },
  /* mul */ (od, o, ad, a, sa, ra, bd, b, sb, rb, rows, n) => {
    for (let r = 0; r < rows; r++, a += ra, b += rb) {
      for (let i = 0, ai = a, bi = b; i < n; i++, o++, ai += sa, bi += sb) { const x = ad[ai], y = bd[bi]; od[o] = x * y; }
    }
  },
  /* div */ (od, o, ad, a, sa, ra, bd, b, sb, rb, rows, n) => {
    for (let r = 0; r < rows; r++, a += ra, b += rb) {
      for (let i = 0, ai = a, bi = b; i < n; i++, o++, ai += sa, bi += sb) { const x = ad[ai], y = bd[bi]; od[o] = x / y; }
    }
  },
  /* pow */ (od, o, ad, a, sa, ra, bd, b, sb, rb, rows, n) => {
    for (let r = 0; r < rows; r++, a += ra, b += rb) {
      for (let i = 0, ai = a, bi = b; i < n; i++, o++, ai += sa, bi += sb) { const x = ad[ai], y = bd[bi]; od[o] = Math.pow(x, y); }
    }
  },
  /* maximum */ (od, o, ad, a, sa, ra, bd, b, sb, rb, rows, n) => {
    for (let r = 0; r < rows; r++, a += ra, b += rb) {
      for (let i = 0, ai = a, bi = b; i < n; i++, o++, ai += sa, bi += sb) { const x = ad[ai], y = bd[bi]; od[o] = Math.max(x, y); }
    }
  },
  /* minimum */ (od, o, ad, a, sa, ra, bd, b, sb, rb, rows, n) => {
    for (let r = 0; r < rows; r++, a += ra, b += rb) {
      for (let i = 0, ai = a, bi = b; i < n; i++, o++, ai += sa, bi += sb) { const x = ad[ai], y = bd[bi]; od[o] = Math.min(x, y); }
    }
  },
  /* gt */ (od, o, ad, a, sa, ra, bd, b, sb, rb, rows, n) => {
    for (let r = 0; r < rows; r++, a += ra, b += rb) {
      for (let i = 0, ai = a, bi = b; i < n; i++, o++, ai += sa, bi += sb) { const x = ad[ai], y = bd[bi]; od[o] = (x > y ? 1 : 0); }
    }
  },
  /* ge */ (od, o, ad, a, sa, ra, bd, b, sb, rb, rows, n) => {
    for (let r = 0; r < rows; r++, a += ra, b += rb) {
      for (let i = 0, ai = a, bi = b; i < n; i++, o++, ai += sa, bi += sb) { const x = ad[ai], y = bd[bi]; od[o] = (x >= y ? 1 : 0); }
    }
  },
  /* lt */ (od, o, ad, a, sa, ra, bd, b, sb, rb, rows, n) => {
    for (let r = 0; r < rows; r++, a += ra, b += rb) {
      for (let i = 0, ai = a, bi = b; i < n; i++, o++, ai += sa, bi += sb) { const x = ad[ai], y = bd[bi]; od[o] = (x < y ? 1 : 0); }
    }
  },
  /* le */ (od, o, ad, a, sa, ra, bd, b, sb, rb, rows, n) => {
    for (let r = 0; r < rows; r++, a += ra, b += rb) {
      for (let i = 0, ai = a, bi = b; i < n; i++, o++, ai += sa, bi += sb) { const x = ad[ai], y = bd[bi]; od[o] = (x <= y ? 1 : 0); }
    }
  },
  /* eq */ (od, o, ad, a, sa, ra, bd, b, sb, rb, rows, n) => {
    for (let r = 0; r < rows; r++, a += ra, b += rb) {
      for (let i = 0, ai = a, bi = b; i < n; i++, o++, ai += sa, bi += sb) { const x = ad[ai], y = bd[bi]; od[o] = (x === y ? 1 : 0); }
    }
  },
  /* ne */ (od, o, ad, a, sa, ra, bd, b, sb, rb, rows, n) => {
    for (let r = 0; r < rows; r++, a += ra, b += rb) {
      for (let i = 0, ai = a, bi = b; i < n; i++, o++, ai += sa, bi += sb) { const x = ad[ai], y = bd[bi]; od[o] = (x !== y ? 1 : 0); }
    }
  },
];

/** The block a kernel call loops: the nest's last two dims (rows × n), or its one dim (1 × n). */
function block(t: Nest): { rows: number; n: number; inner: number } {
  const nd = t.shape.length;
  return nd === 1 ? { rows: 1, n: t.shape[0], inner: 1 } : { rows: t.shape[nd - 2], n: t.shape[nd - 1], inner: 2 };
}

/** dst[d + i·sd] = src[s + i·ss] for n elements, as 0/1 when `toBool`. */
function copyRow(dd: TypedArray, d: number, sd: number, xd: TypedArray, x: number, sx: number, n: number, toBool: boolean): void {
  if (toBool) {
    for (let i = 0; i < n; i++, d += sd, x += sx) dd[d] = xd[x] !== 0 ? 1 : 0;
  } else if (sd === 1 && sx === 1) {
    dd.set(xd.subarray(x, x + n), d);
  } else {
    for (let i = 0; i < n; i++, d += sd, x += sx) dd[d] = xd[x];
  }
}

function unaryJS(op: number, x: View, out: Out): void {
  const od = out.data, n = od.length, xd = x.data;
  if (isContiguous(x)) return UNARY_ROWS[op](od, 0, xd, x.offset, 1, 0, 1, n);
  const t = nest(out.shape, [aligned(x, out.shape)]);
  const { rows, n: len, inner } = block(t);
  const nd = t.shape.length, sx = t.strides[0][nd - 1], rx = inner === 2 ? t.strides[0][nd - 2] : 0;
  const cnt = new Int32Array(nd), offs = [x.offset];
  for (let r = 0, o = 0, blocks = rowsOf(t, inner); r < blocks; r++, o += rows * len) {
    UNARY_ROWS[op](od, o, xd, offs[0], sx, rx, rows, len);
    advance(t, cnt, offs, inner);
  }
}

function binaryJS(op: number, a: View, b: View, out: Out): void {
  const od = out.data, n = od.length;
  const fa = flatStride(a, n), fb = flatStride(b, n);
  if (fa >= 0 && fb >= 0) return BINARY_ROWS[op](od, 0, a.data, a.offset, fa, 0, b.data, b.offset, fb, 0, 1, n);
  const t = nest(out.shape, [aligned(a, out.shape), aligned(b, out.shape)]);
  const { rows, n: len, inner } = block(t);
  const nd = t.shape.length, [sta, stb] = t.strides;
  const sa = sta[nd - 1], sb = stb[nd - 1], ra = inner === 2 ? sta[nd - 2] : 0, rb = inner === 2 ? stb[nd - 2] : 0;
  const cnt = new Int32Array(nd), offs = [a.offset, b.offset];
  const ad = a.data, bd = b.data;
  for (let r = 0, o = 0, blocks = rowsOf(t, inner); r < blocks; r++, o += rows * len) {
    BINARY_ROWS[op](od, o, ad, offs[0], sa, ra, bd, offs[1], sb, rb, rows, len);
    advance(t, cnt, offs, inner);
  }
}

function whereJS(c: View, x: View, y: View, out: Out): void {
  const od = out.data;
  const t = nest(out.shape, [aligned(c, out.shape), aligned(x, out.shape), aligned(y, out.shape)]);
  const last = t.shape.length - 1, len = t.shape[last];
  const sc = t.strides[0][last], sx = t.strides[1][last], sy = t.strides[2][last];
  const cnt = new Int32Array(t.shape.length), offs = [c.offset, x.offset, y.offset];
  const cd = c.data, xd = x.data, yd = y.data;
  for (let r = 0, o = 0, rows = rowsOf(t); r < rows; r++) {
    let ci = offs[0], xi = offs[1], yi = offs[2];
    for (const end = o + len; o < end; o++, ci += sc, xi += sx, yi += sy) od[o] = cd[ci] ? xd[xi] : yd[yi];
    advance(t, cnt, offs);
  }
}

/** Writes `x` (any layout) into `dd` at `dOffset` with strides `dStrides` (contiguous when null). */
function copyJS(x: View, dd: TypedArray, dOffset: number, dStrides: readonly number[] | null, toBool: boolean): void {
  const n = numel(x.shape);
  if (n === 0) return;
  const ds = dStrides ?? contiguousStrides(x.shape);
  const t = nest(x.shape, [ds, aligned(x, x.shape)]);
  const last = t.shape.length - 1, len = t.shape[last], sd = t.strides[0][last], sx = t.strides[1][last];
  if (t.shape.length === 1 && sx === 0 && sd === 1 && !toBool) {
    dd.fill(x.data[x.offset], dOffset, dOffset + len);
    return;
  }
  const cnt = new Int32Array(t.shape.length), offs = [dOffset, x.offset];
  for (let r = 0, rows = rowsOf(t); r < rows; r++) {
    copyRow(dd, offs[0], sd, x.data, offs[1], sx, len, toBool);
    advance(t, cnt, offs);
  }
}

/** Strides of the keepdim-shaped output laid over the input's dims, 0 along the reduced dims. */
function reducedStrides(shape: readonly number[], dims: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let m = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (dims.includes(i)) s[i] = 0;
    else {
      s[i] = m;
      m *= shape[i];
    }
  }
  return s;
}

/** A reduction row: acc[a + i·sa] = step(acc[a + i·sa], x[x + i·sx]), in the reference's order. */
type ReduceRow = (acc: Float64Array, a: number, sa: number, xd: TypedArray, x: number, sx: number, n: number) => void;

// One function per reduction (see UNARY_ROWS); a row into one accumulator (sa 0) keeps it in a local.
const REDUCE_ROWS: ReduceRow[] = [
  /* sum */ (acc, a, sa, xd, x, sx, n) => {
    if (sa === 0) {
      let s = acc[a];
      for (let i = 0; i < n; i++, x += sx) s += xd[x];
      acc[a] = s;
    } else {
      for (let i = 0; i < n; i++, x += sx, a += sa) acc[a] += xd[x];
    }
  },
  /* prod */ (acc, a, sa, xd, x, sx, n) => {
    if (sa === 0) {
      let p = acc[a];
      for (let i = 0; i < n; i++, x += sx) p *= xd[x];
      acc[a] = p;
    } else {
      for (let i = 0; i < n; i++, x += sx, a += sa) acc[a] *= xd[x];
    }
  },
  /* max */ (acc, a, sa, xd, x, sx, n) => {
    if (sa === 0) {
      let m = acc[a];
      for (let i = 0; i < n; i++, x += sx) {
        const v = xd[x];
        if (v > m || v !== v) m = v;
      }
      acc[a] = m;
    } else {
      for (let i = 0; i < n; i++, x += sx, a += sa) {
        const v = xd[x];
        if (v > acc[a] || v !== v) acc[a] = v;
      }
    }
  },
];

function reduceJS(op: number, x: View, dims: readonly number[], out: Out): void {
  const acc = new Float64Array(out.data.length).fill(REDUCE_INIT[op]);
  const t = nest(x.shape, [x.strides, reducedStrides(x.shape, dims)]);
  const last = t.shape.length - 1, len = t.shape[last], sx = t.strides[0][last], sa = t.strides[1][last];
  const cnt = new Int32Array(t.shape.length), offs = [x.offset, 0];
  const row = REDUCE_ROWS[op];
  for (let r = 0, rows = rowsOf(t); r < rows; r++) {
    row(acc, offs[1], sa, x.data, offs[0], sx, len);
    advance(t, cnt, offs);
  }
  out.data.set(acc);
}

/** argmax along `dim` of `x` into out (int32): the first maximum wins, the first NaN wins over everything. */
function argmaxJS(x: View, dim: number, od: TypedArray): void {
  const t = nest(x.shape, [x.strides, reducedStrides(x.shape, [dim]), x.shape.map((_, i) => (i === dim ? 1 : 0))]);
  const last = t.shape.length - 1, len = t.shape[last];
  const sx = t.strides[0][last], so = t.strides[1][last], sr = t.strides[2][last];
  const best = new Float64Array(od.length);
  const cnt = new Int32Array(t.shape.length), offs = [x.offset, 0, 0];
  const xd = x.data;
  for (let r = 0, rows = rowsOf(t); r < rows; r++) {
    let xi = offs[0], oi = offs[1];
    const k = offs[2];
    if (sr === 1) {
      let b = xd[xi], bi = 0;
      for (let i = 1; i < len && b === b; i++) {
        xi += sx;
        const v = xd[xi];
        if (v > b || v !== v) {
          b = v;
          bi = i;
        }
      }
      od[oi] = bi;
    } else if (k === 0) {
      for (let i = 0; i < len; i++, xi += sx, oi += so) {
        best[oi] = xd[xi];
        od[oi] = 0;
      }
    } else {
      for (let i = 0; i < len; i++, xi += sx, oi += so) {
        const v = xd[xi], b = best[oi];
        if (b === b && (v > b || v !== v)) {
          best[oi] = v;
          od[oi] = k;
        }
      }
    }
    advance(t, cnt, offs);
  }
}

// ---- wasm

/** The wasm kernels' float types: the exported names' suffix. */
function wasmType(v: { dtype: string }): 'F32' | 'F64' | null {
  return v.dtype === 'float32' ? 'F32' : v.dtype === 'float64' ? 'F64' : null;
}

/** Whether byte offsets stay in i32 (a staged tensor under 2 GiB): the kernels' offsets are i32 elements. */
function fits(...vs: View[]): boolean {
  for (const v of vs) if (v.data.length * v.data.BYTES_PER_ELEMENT >= 2 ** 31) return false;
  return true;
}


/**
 * Runs a wasm kernel on nest `t`: in one scratch allocation, writes the plan (see asm/elementwise.ts), stages
 * each input (the storage span its view reaches) and reserves `extra` blocks (outputs, accumulators; bytes);
 * then `f` gets the memory views, the plan pointer, the inputs' pointers (at each view's offset) and the
 * blocks' pointers, to call the kernel and copy results out.
 */
function withScratch(
  ctx: WasmContext, t: Nest, inputs: readonly View[], extra: readonly number[],
  f: (m: MemoryViews, plan: number, ins: number[], blocks: number[]) => void,
): void {
  ctx.arena.scoped(() => {
    const nd = t.shape.length, k = t.strides.length;
    const words = (k + 2) * nd + k;
    let total = align64(words * 4);
    const at: number[] = [], los: number[] = [], lens: number[] = [];
    for (const v of inputs) {
      const { lo, len } = span(v);
      at.push(total);
      los.push(lo);
      lens.push(len);
      total += align64(len * v.data.BYTES_PER_ELEMENT);
    }
    const blockAt: number[] = [];
    for (const bytes of extra) {
      blockAt.push(total);
      total += align64(bytes);
    }
    const base = ctx.arena.alloc(total);
    const m = ctx.arena.views();
    // the plan: shape, strides per operand, zeroed counters and offsets
    const w = m.i32, p = base / 4;
    for (let d = 0; d < nd; d++) w[p + d] = t.shape[d];
    for (let j = 0; j < k; j++) for (let d = 0; d < nd; d++) w[p + (j + 1) * nd + d] = t.strides[j][d];
    w.fill(0, p + (k + 1) * nd, p + words);
    const ins = inputs.map((v, i) => {
      const bpe = v.data.BYTES_PER_ELEMENT, ptr = base + at[i];
      copyTo(ctx.arena.viewOf(v.data), ptr / bpe, v.data, los[i], lens[i]);
      return ptr + (v.offset - los[i]) * bpe;
    });
    f(m, base, ins, blockAt.map((b) => base + b));
  });
}

function unaryWasm(ctx: WasmContext, op: number, x: View, out: Out, type: 'F32' | 'F64'): void {
  const t = nest(out.shape, [aligned(x, out.shape)]);
  const od = out.data;
  withScratch(ctx, t, [x], [od.byteLength], (m, plan, [xp], [o]) => {
    ctx.wasm.exports[`unary${type}`](op, plan, t.shape.length, xp, o);
    ctx.arena.unstage(o, od);
  });
}

function binaryWasm(ctx: WasmContext, op: number, a: View, b: View, out: Out, type: 'F32' | 'F64'): void {
  const t = nest(out.shape, [aligned(a, out.shape), aligned(b, out.shape)]);
  const od = out.data;
  withScratch(ctx, t, [a, b], [od.byteLength], (m, plan, [ap, bp], [o]) => {
    ctx.wasm.exports[`binary${type}`](op, plan, t.shape.length, ap, bp, o);
    ctx.arena.unstage(o, od);
  });
}

function whereWasm(ctx: WasmContext, c: View, x: View, y: View, out: Out, type: 'F32' | 'F64'): void {
  const t = nest(out.shape, [aligned(c, out.shape), aligned(x, out.shape), aligned(y, out.shape)]);
  const od = out.data;
  withScratch(ctx, t, [c, x, y], [od.byteLength], (m, plan, [cp, xp, yp], [o]) => {
    ctx.wasm.exports[`where${type}`](plan, t.shape.length, cp, xp, yp, o);
    ctx.arena.unstage(o, od);
  });
}

/** A strided copy of 4- or 8-byte elements into `out`. */
function gatherWasm(ctx: WasmContext, x: View, out: Out): void {
  const t = nest(x.shape, [x.strides]);
  const od = out.data;
  withScratch(ctx, t, [x], [od.byteLength], (m, plan, [xp], [o]) => {
    ctx.wasm.exports[od.BYTES_PER_ELEMENT === 4 ? 'gather32' : 'gather64'](plan, t.shape.length, xp, o);
    ctx.arena.unstage(o, od);
  });
}

function reduceWasm(ctx: WasmContext, op: number, x: View, dims: readonly number[], out: Out, type: 'F32' | 'F64'): void {
  let shape: readonly number[] = x.shape, strides: readonly number[] = x.strides;
  let accStrides = reducedStrides(x.shape, dims);
  if (op === R_SUM) {
    // walk the input in memory order (a sum may add in any order): dims by decreasing stride
    const order = shape.map((_, i) => i).sort((i, j) => Math.abs(x.strides[j]) - Math.abs(x.strides[i]) || i - j);
    shape = order.map((i) => x.shape[i]);
    strides = order.map((i) => x.strides[i]);
    accStrides = order.map((i) => accStrides[i]);
  }
  const t = nest(shape, [strides, accStrides]);
  const od = out.data, n = od.length;
  withScratch(ctx, t, [x], [n * 8], (m, plan, [xp], [acc]) => {
    m.f64.fill(REDUCE_INIT[op], acc / 8, (acc / 8) + n);
    ctx.wasm.exports[`reduce${type}`](op, plan, t.shape.length, xp, acc);
    // float64 accumulators rounded to the output's type, as the reference does
    if (n <= 16) for (let i = 0; i < n; i++) od[i] = m.f64[(acc / 8) + i];
    else od.set(m.f64.subarray(acc / 8, (acc / 8) + n));
  });
}

function argmaxWasm(ctx: WasmContext, x: View, dim: number, out: Out, type: 'F32' | 'F64'): void {
  const t = nest(x.shape, [x.strides, reducedStrides(x.shape, [dim]), x.shape.map((_, i) => (i === dim ? 1 : 0))]);
  const od = out.data, n = od.length;
  withScratch(ctx, t, [x], [n * x.data.BYTES_PER_ELEMENT, n * 4], (m, plan, [xp], [best, idx]) => {
    ctx.wasm.exports[`argmax${type}`](plan, t.shape.length, xp, best, idx);
    copyTo(od, 0, m.i32, idx / 4, n);
  });
}

// ---- the fast kernels

function unaryKernel(prim: UnaryPrim): FastKernel<UnaryPrim> {
  const op = UNARY[prim];
  return ([x], _p, out, ctx) => {
    const n = out.data.length;
    if (n === 0) return true;
    const type = wasmType(x);
    const from = type === 'F32' && TRANSCENDENTAL.has(op) ? transcendentalFrom(ctx) : cheapFrom(ctx);
    if (type && x.dtype === out.dtype && n >= from && (type === 'F32' || F64_WASM_UNARY.has(op)) && fits(x)) {
      unaryWasm(ctx, op, x, out, type);
    } else {
      unaryJS(op, x, out);
    }
    return true;
  };
}

function binaryKernel(prim: BinaryPrim | ComparePrim): FastKernel<BinaryPrim | ComparePrim> {
  const op = BINARY[prim];
  return ([a, b], _p, out, ctx) => {
    const n = out.data.length;
    if (n === 0) return true;
    const type = wasmType(a);
    if (type && b.dtype === a.dtype && op !== B_POW && n >= cheapFrom(ctx) && fits(a, b)) {
      binaryWasm(ctx, op, a, b, out, type);
    } else {
      binaryJS(op, a, b, out);
    }
    return true;
  };
}

const where: FastKernel<Prim.Where> = ([c, x, y], _p, out, ctx) => {
  const n = out.data.length;
  if (n === 0) return true;
  const type = wasmType(out);
  if (type && c.dtype === 'bool' && x.dtype === out.dtype && y.dtype === out.dtype && n >= cheapFrom(ctx) && fits(c, x, y)) {
    whereWasm(ctx, c, x, y, out, type);
  } else {
    whereJS(c, x, y, out);
  }
  return true;
};

/** Cast and copy: a contiguous input is one typed-array set (which converts), a strided one a gather. */
function copyKernel([x]: readonly View[], out: Out, ctx: WasmContext): boolean {
  const n = out.data.length;
  if (n === 0) return true;
  const toBool = out.dtype === 'bool' && x.dtype !== 'bool';
  if (!toBool && isContiguous(x)) {
    out.data.set(x.data.subarray(x.offset, x.offset + n));
  } else if (!toBool && x.dtype === out.dtype && x.data.BYTES_PER_ELEMENT >= 4 && n >= cheapFrom(ctx) && fits(x)) {
    gatherWasm(ctx, x, out);
  } else {
    copyJS(x, out.data, 0, null, toBool);
  }
  return true;
}

function reduceKernel(op: number): FastKernel<Prim.Sum | Prim.Prod | Prim.Max> {
  return ([x], p, out, ctx) => {
    if (out.data.length === 0) return true;
    const n = numel(x.shape);
    if (n === 0) {
      out.data.fill(REDUCE_INIT[op]);
      return true;
    }
    const type = wasmType(x);
    if (type && n >= cheapFrom(ctx) && fits(x)) reduceWasm(ctx, op, x, p.dims, out, type);
    else reduceJS(op, x, p.dims, out);
    return true;
  };
}

const argmax: FastKernel<Prim.Argmax> = ([x], p, out, ctx) => {
  const od = out.data;
  if (od.length === 0) return true;
  let v: View = x, dim = p.dim ?? 0;
  const n = numel(x.shape);
  if (p.dim === null) {
    // over the flattened tensor: one row of n elements
    if (!isContiguous(x)) {
      const data = new (x.data.constructor as new (n: number) => TypedArray)(n);
      copyJS(x, data, 0, null, false);
      v = { data, shape: [n], strides: [1], offset: 0, dtype: x.dtype };
    } else {
      v = { data: x.data, shape: [n], strides: [1], offset: x.offset, dtype: x.dtype };
    }
    dim = 0;
  }
  if (n === 0 || v.shape[dim] === 1) {
    od.fill(0);
    return true;
  }
  const type = wasmType(v);
  if (type && n >= cheapFrom(ctx) && fits(v)) argmaxWasm(ctx, v, dim, out, type);
  else argmaxJS(v, dim, od);
  return true;
};

export const elementwiseKernels: FastTable = {
  [Prim.Neg]: unaryKernel(Prim.Neg),
  [Prim.Exp]: unaryKernel(Prim.Exp),
  [Prim.Log]: unaryKernel(Prim.Log),
  [Prim.Log1p]: unaryKernel(Prim.Log1p),
  [Prim.Expm1]: unaryKernel(Prim.Expm1),
  [Prim.Sqrt]: unaryKernel(Prim.Sqrt),
  [Prim.Sin]: unaryKernel(Prim.Sin),
  [Prim.Cos]: unaryKernel(Prim.Cos),
  [Prim.Tanh]: unaryKernel(Prim.Tanh),
  [Prim.Sigmoid]: unaryKernel(Prim.Sigmoid),
  [Prim.Relu]: unaryKernel(Prim.Relu),
  [Prim.Abs]: unaryKernel(Prim.Abs),
  [Prim.Sign]: unaryKernel(Prim.Sign),
  [Prim.Add]: binaryKernel(Prim.Add),
  [Prim.Sub]: binaryKernel(Prim.Sub),
  [Prim.Mul]: binaryKernel(Prim.Mul),
  [Prim.Div]: binaryKernel(Prim.Div),
  [Prim.Pow]: binaryKernel(Prim.Pow),
  [Prim.Maximum]: binaryKernel(Prim.Maximum),
  [Prim.Minimum]: binaryKernel(Prim.Minimum),
  [Prim.Gt]: binaryKernel(Prim.Gt),
  [Prim.Ge]: binaryKernel(Prim.Ge),
  [Prim.Lt]: binaryKernel(Prim.Lt),
  [Prim.Le]: binaryKernel(Prim.Le),
  [Prim.Eq]: binaryKernel(Prim.Eq),
  [Prim.Ne]: binaryKernel(Prim.Ne),
  [Prim.Where]: where,
  [Prim.Cast]: (inputs, _p, out, ctx) => copyKernel(inputs, out, ctx),
  [Prim.Copy]: (inputs, _p, out, ctx) => copyKernel(inputs, out, ctx),
  [Prim.Sum]: reduceKernel(R_SUM),
  [Prim.Prod]: reduceKernel(R_PROD),
  [Prim.Max]: reduceKernel(R_MAX),
  [Prim.Argmax]: argmax,
};

/**
 * The backend's `assign` (dst ← src, src of dst's shape with stride 0 where broadcast, converted to dst's
 * dtype) in tight loops: contiguous windows are one typed-array set, a broadcast scalar a fill. Always
 * handles the call (returns true); `ctx` is unused (the data stays in JS memory).
 */
export function fastAssign(dst: View, src: View, _ctx?: WasmContext): boolean {
  const n = numel(dst.shape);
  if (n === 0) return true;
  const toBool = dst.dtype === 'bool' && src.dtype !== 'bool';
  const dd = dst.data;
  if (isContiguous(dst)) {
    const fs = flatStride(src, n);
    if (fs === 0) {
      const v = src.data[src.offset];
      dd.fill(toBool ? (v !== 0 ? 1 : 0) : v, dst.offset, dst.offset + n);
      return true;
    }
    if (fs === 1 && !toBool) {
      dd.set(src.data.subarray(src.offset, src.offset + n), dst.offset);
      return true;
    }
  }
  copyJS(src, dd, dst.offset, aligned(dst, dst.shape), toBool);
  return true;
}
