import { contiguousStrides, numel } from '../../tensor/shape.js';
import type { DType, TypedArray } from '../../tensor/dtype.js';
import { Prim, type Out, type View, type WindowParams } from '../prim.js';
import { windowOutputLength } from '../reference.js';
import type { FastTable, WasmContext } from './context.js';
import { runJobs, type Job } from './threads.js';

// Fast paths of the data-movement primitives: unfold/fold (im2col/col2im), pad, cat, gather, scatterAdd.
//
// Each copies its operands into wasm scratch memory (Arena.stage: one memcpy of the span a view reaches),
// runs one kernel from asm/window.ts, and copies the result out (one memcpy). The memcpys run at tens of
// GB/s, so staging costs little next to the strided element loops it replaces; the kernels move contiguous
// runs as 16-byte vectors. Measured against tight JS loops on the typed arrays (no staging): those lose for
// unfold/fold (2-3x) and lose or tie for gather/scatterAdd; a plain JS copy of long runs (TypedArray.set)
// wins only for pad and cat of contiguous pieces of ≥ RUN_MIN elements, and is used there.
//
// Unfold and fold work on zero-padded images: the input is first copied into [N·C, H+2ph, W+2pw] with zero
// borders (small next to the unfolded output), so the unfold kernel reads every window without bounds
// checks, and fold accumulates into such a padded buffer and crops it. Both handle any kernel, stride and
// dilation; stride 1 rows are vector copies/adds.
//
// Pure copies (unfold, pad, cat, gather) move bits and so serve every dtype (element sizes 1, 4, 8); the sums
// (fold, scatterAdd) run for float32 and float64 only, in the reference backend's order (same bits).
// Gather and scatterAdd validate indices in the kernel; on an index out of range they give up before writing
// `out`, and the reference kernel runs and throws its IndexError.

/**
 * From this many elements moved on, unfold and fold split their images across ctx.threads jobs (measured
 * 10-20% faster at the CNN's sizes with a free second core: the copy out of wasm memory stays serial).
 */
const SPLIT_MIN = 1 << 18;

/**
 * Runs kernel `fn` over `planes` images, split into ctx.threads jobs by image when the work is large: `args(p0,
 * count)` gives the arguments for images [p0, p0 + count).
 */
function overPlanes(ctx: WasmContext, fn: string, planes: number, work: number, args: (p0: number, count: number) => number[]): void {
  const jobs = work >= SPLIT_MIN ? Math.min(ctx.threads, planes) : 1;
  if (jobs <= 1) {
    ctx.wasm.exports[fn](...args(0, planes));
    return;
  }
  const list: Job[] = [];
  for (let j = 0; j < jobs; j++) {
    const p0 = Math.floor((planes * j) / jobs), p1 = Math.floor((planes * (j + 1)) / jobs);
    list.push({ fn, args: args(p0, p1 - p0) });
  }
  runJobs(ctx, list);
}

/**
 * Contiguous runs at least this long are copied by TypedArray.set straight from the input (no staging). The
 * measured crossover against staging + winCopyNd: ~64 elements for pad, ~100 for cat.
 */
const RUN_MIN = 96;

function isContiguous(v: { shape: readonly number[]; strides: readonly number[] }): boolean {
  const cs = contiguousStrides(v.shape);
  for (let i = 0; i < v.shape.length; i++) if (v.shape[i] > 1 && v.strides[i] !== cs[i]) return false;
  return true;
}

function isFloat(d: DType): boolean {
  return d === 'float32' || d === 'float64';
}

/**
 * Drops size-1 dims and merges neighbouring dims that every stride list walks as one (s[d] = s[d+1]·n[d+1]).
 * At least one dim remains. The shape must not be empty of elements.
 */
function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const sh: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    if (n === 1) continue;
    const k = sh.length - 1;
    let merge = k >= 0;
    for (let j = 0; merge && j < strides.length; j++) merge = st[j][k] === strides[j][d] * n;
    if (merge) {
      sh[k] *= n;
      for (let j = 0; j < strides.length; j++) st[j][k] = strides[j][d];
    } else {
      sh.push(n);
      for (let j = 0; j < strides.length; j++) st[j].push(strides[j][d]);
    }
  }
  if (sh.length === 0) {
    sh.push(1);
    for (const s of st) s.push(1);
  }
  return { shape: sh, strides: st };
}

/** Writes i32 arrays (each of the same length nd) and room for the kernels' row walk (asm/window.ts walkStart). */
function meta(ctx: WasmContext, arrays: readonly (readonly number[])[]): number {
  const nd = arrays[0].length;
  const ptr = ctx.arena.alloc((arrays.length * nd + nd + arrays.length) * 4);
  const m = ctx.arena.views().i32.subarray(ptr >> 2, (ptr >> 2) + arrays.length * nd);
  arrays.forEach((a, j) => m.set(a, j * nd));
  return ptr;
}

/** dst[Σ i·ds] = src[Σ i·ss] over `shape`, all in wasm memory (byte pointers, strides in elements). */
function copyNd(ctx: WasmContext, dst: number, ds: readonly number[], src: number, ss: readonly number[],
  shape: readonly number[], esz: number): void {
  if (numel(shape) === 0) return;
  const c = collapse(shape, [ds, ss]);
  const m = meta(ctx, [c.shape, c.strides[0], c.strides[1]]);
  ctx.wasm.exports.winCopyNd(dst, src, m, c.shape.length, esz);
}

/** A view's elements as a contiguous array in wasm memory (the staged copy itself when already contiguous). */
function stageContiguous(ctx: WasmContext, v: View): number {
  const s = ctx.arena.stage(v);
  if (isContiguous(v)) return s.ptr;
  const esz = v.data.BYTES_PER_ELEMENT;
  const dst = ctx.arena.alloc(numel(v.shape) * esz);
  copyNd(ctx, dst, contiguousStrides(v.shape), s.ptr, v.strides, v.shape, esz);
  return dst;
}

/** How `src` (a view) lies in a destination of strides `ds`: as contiguous runs of at least RUN_MIN elements, or null. */
interface Runs {
  shape: number[];
  ds: number[];
  ss: number[];
}

function longRuns(src: View, ds: readonly number[]): Runs | null {
  if (numel(src.shape) === 0) return null;
  const c = collapse(src.shape, [ds, src.strides]);
  const last = c.shape.length - 1;
  const [cds, css] = c.strides;
  if (c.shape[last] < RUN_MIN || cds[last] !== 1 || css[last] !== 1) return null;
  return { shape: c.shape, ds: cds, ss: css };
}

/** Copies the runs of `src` into `dst` from `dstOffset` by TypedArray.set, straight from src's storage. */
function setRuns(dst: TypedArray, dstOffset: number, src: View, r: Runs): void {
  const nd = r.shape.length, len = r.shape[nd - 1];
  const sd = src.data;
  const ctr = new Array<number>(nd).fill(0);
  let o = dstOffset, a = src.offset;
  const rows = numel(r.shape) / len;
  for (let k = 0; k < rows; k++) {
    dst.set(sd.subarray(a, a + len), o);
    for (let d = nd - 2; d >= 0; d--) {
      o += r.ds[d];
      a += r.ss[d];
      if (++ctr[d] < r.shape[d]) break;
      o -= r.ds[d] * r.shape[d];
      a -= r.ss[d] * r.shape[d];
      ctr[d] = 0;
    }
  }
}

/** A window's parameters as 2-D (a 1-d window is 2-d of height 1), with the padded and output sizes. */
function geometry(p: WindowParams, spatial: readonly number[]) {
  const two = p.kernel.length === 2;
  const [kh, kw] = two ? p.kernel : [1, p.kernel[0]];
  const [sh, sw] = two ? p.stride : [1, p.stride[0]];
  const [ph, pw] = two ? p.padding : [0, p.padding[0]];
  const [dh, dw] = two ? p.dilation : [1, p.dilation[0]];
  const [H, W] = two ? spatial : [1, spatial[0]];
  const oh = windowOutputLength(H, kh, sh, ph, dh), ow = windowOutputLength(W, kw, sw, pw, dw);
  return { two, kh, kw, sh, sw, ph, pw, dh, dw, H, W, Hp: H + 2 * ph, Wp: W + 2 * pw, oh, ow };
}

/** An [N, C, L] or [N, C, H, W] view as [N, C, H, W] (height 1). */
function as4d(v: View): View {
  if (v.shape.length === 4) return v;
  return { ...v, data: v.data, shape: [v.shape[0], v.shape[1], 1, v.shape[2]], strides: [v.strides[0], v.strides[1], 0, v.strides[2]] };
}

/** `x` ([N, C, H, W]) staged as N·C contiguous images zero-padded to Hp × Wp (with slack for vector reads). */
function stagePadded(ctx: WasmContext, x: View, ph: number, pw: number): number {
  if (ph === 0 && pw === 0) return stageContiguous(ctx, x);
  const [N, C, H, W] = x.shape;
  const Hp = H + 2 * ph, Wp = W + 2 * pw, esz = x.data.BYTES_PER_ELEMENT;
  const s = ctx.arena.stage(x);
  const bytes = N * C * Hp * Wp * esz;
  const dst = ctx.arena.alloc(bytes);
  ctx.arena.views().u8.fill(0, dst, dst + bytes);
  copyNd(ctx, dst + (ph * Wp + pw) * esz, [C * Hp * Wp, Hp * Wp, Wp, 1], s.ptr, s.strides, x.shape, esz);
  return dst;
}

function unfold([x]: readonly View[], p: WindowParams, out: Out, ctx: WasmContext): boolean {
  const n = out.data.length;
  if (n === 0 || n < ctx.minElements || (p.kernel.length !== 1 && p.kernel.length !== 2)) return false;
  const x4 = as4d(x);
  const [N, C] = x4.shape;
  const g = geometry(p, x.shape.slice(2));
  if (N * C * p.kernel.reduce((a, b) => a * b, 1) * g.oh * g.ow !== n) return false;
  const esz = x.data.BYTES_PER_ELEMENT;
  const { arena } = ctx;
  arena.scoped(() => {
    const src = stagePadded(ctx, x4, g.ph, g.pw);
    const rows = g.kh * g.kw * g.oh * g.ow, plane = g.Hp * g.Wp;
    const o = arena.alloc(n * esz);
    overPlanes(ctx, 'winUnfold', N * C, n, (p0, count) =>
      [o + p0 * rows * esz, src + p0 * plane * esz, count, g.Hp, g.Wp, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.oh, g.ow, esz]);
    arena.unstage(o, out.data);
  });
  return true;
}

function fold([cols]: readonly View[], p: WindowParams & { outputSize: number[] }, out: Out, ctx: WasmContext): boolean {
  const n = out.data.length;
  if (n === 0 || n < ctx.minElements || !isFloat(out.dtype) || cols.dtype !== out.dtype) return false;
  if (p.kernel.length !== 1 && p.kernel.length !== 2) return false;
  const [N, C] = out.shape;
  const g = geometry(p, out.shape.slice(2));
  const esz = out.data.BYTES_PER_ELEMENT, planes = N * C;
  if (numel(cols.shape) !== planes * g.kh * g.kw * g.oh * g.ow) return false;
  const { arena } = ctx;
  arena.scoped(() => {
    const src = stageContiguous(ctx, cols);
    const acc = arena.alloc(planes * g.Hp * g.Wp * esz);
    const rows = g.kh * g.kw * g.oh * g.ow, plane = g.Hp * g.Wp;
    overPlanes(ctx, out.dtype === 'float32' ? 'winFoldF32' : 'winFoldF64', planes, planes * rows, (p0, count) =>
      [acc + p0 * plane * esz, src + p0 * rows * esz, count, g.Hp, g.Wp, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.oh, g.ow]);
    if (g.ph === 0 && g.pw === 0) {
      arena.unstage(acc, out.data);
    } else {
      const o = arena.alloc(n * esz);
      copyNd(ctx, o, [g.H * g.W, g.W, 1], acc + (g.ph * g.Wp + g.pw) * esz, [g.Hp * g.Wp, g.Wp, 1], [planes, g.H, g.W], esz);
      arena.unstage(o, out.data);
    }
  });
  return true;
}

function pad([x]: readonly View[], p: { before: number[]; after: number[]; value: number }, out: Out, ctx: WasmContext): boolean {
  const n = out.data.length;
  if (n === 0 || n < ctx.minElements || x.dtype !== out.dtype) return false;
  const os = contiguousStrides(out.shape);
  let start = 0;
  for (let d = 0; d < os.length; d++) start += p.before[d] * os[d];
  // long rows (padding only outer dims, or wide rows), or nothing to copy: fill, then copy the rows in place
  const empty = numel(x.shape) === 0;
  const runs = empty ? null : longRuns(x, os);
  if (empty || runs) {
    out.data.fill(p.value);
    if (runs) setRuns(out.data, start, x, runs);
    return true;
  }
  const esz = out.data.BYTES_PER_ELEMENT;
  const { arena } = ctx;
  arena.scoped(() => {
    const s = arena.stage(x);
    const o = arena.alloc(n * esz);
    arena.like(out.data, o, n).fill(p.value);
    copyNd(ctx, o + start * esz, os, s.ptr, s.strides, x.shape, esz);
    arena.unstage(o, out.data);
  });
  return true;
}

function cat(xs: readonly View[], p: { dim: number }, out: Out, ctx: WasmContext): boolean {
  const n = out.data.length;
  if (n === 0 || n < ctx.minElements || xs.some((x) => x.dtype !== out.dtype)) return false;
  const os = contiguousStrides(out.shape);
  const step = os[p.dim];
  // every input in long runs (contiguous pieces along an outer dim): copy them straight, no staging
  const runs = xs.map((x) => longRuns(x, os));
  if (xs.every((x, i) => runs[i] || numel(x.shape) === 0)) {
    let at = 0;
    xs.forEach((x, i) => {
      if (runs[i]) setRuns(out.data, at * step, x, runs[i]!);
      at += x.shape[p.dim];
    });
    return true;
  }
  const esz = out.data.BYTES_PER_ELEMENT;
  const { arena } = ctx;
  arena.scoped(() => {
    const o = arena.alloc(n * esz);
    let at = 0;
    for (const x of xs) {
      if (numel(x.shape) > 0) {
        const s = arena.stage(x);
        copyNd(ctx, o + at * step * esz, os, s.ptr, s.strides, x.shape, esz);
      }
      at += x.shape[p.dim];
    }
    arena.unstage(o, out.data);
  });
  return true;
}

function gather([x, index]: readonly View[], p: { dim: number }, out: Out, ctx: WasmContext): boolean {
  const n = out.data.length;
  if (n === 0 || n < ctx.minElements || index.dtype !== 'int32' || x.shape.length === 0 || x.dtype !== out.dtype) return false;
  const size = x.shape[p.dim], xsD = x.strides[p.dim];
  const esz = out.data.BYTES_PER_ELEMENT;
  const { arena } = ctx;
  return arena.scoped(() => {
    const sx = arena.stage(x), si = arena.stage(index);
    const c = collapse(index.shape, [x.strides.map((s, i) => (i === p.dim ? 0 : s)), index.strides]);
    const m = meta(ctx, [c.shape, ...c.strides]);
    const o = arena.alloc(n * esz);
    if (!ctx.wasm.exports.winGather(o, sx.ptr, si.ptr, m, c.shape.length, size, xsD, esz)) return false;
    arena.unstage(o, out.data);
    return true;
  });
}

function scatterAdd([self, index, src]: readonly View[], p: { dim: number }, out: Out, ctx: WasmContext): boolean {
  const n = out.data.length;
  if (n === 0 || n < ctx.minElements || index.dtype !== 'int32' || !isFloat(out.dtype) || out.shape.length === 0) return false;
  if (self.dtype !== out.dtype || src.dtype !== out.dtype) return false;
  const os = contiguousStrides(out.shape);
  const size = out.shape[p.dim], asD = os[p.dim];
  const { arena } = ctx;
  return arena.scoped(() => {
    const acc = stageContiguous(ctx, self);
    if (numel(index.shape) > 0) {
      const si = arena.stage(index), ss = arena.stage(src);
      const c = collapse(index.shape, [os.map((s, i) => (i === p.dim ? 0 : s)), index.strides, src.strides]);
      const m = meta(ctx, [c.shape, ...c.strides]);
      const kernel = out.dtype === 'float32' ? ctx.wasm.exports.winScatterAddF32 : ctx.wasm.exports.winScatterAddF64;
      if (!kernel(acc, si.ptr, ss.ptr, m, c.shape.length, size, asD)) return false;
    }
    arena.unstage(acc, out.data);
    return true;
  });
}

/** The window and data-movement fast paths (see the notes at the top of this file). */
export const windowKernels: FastTable = {
  [Prim.Unfold]: unfold,
  [Prim.Fold]: fold,
  [Prim.Pad]: pad,
  [Prim.Cat]: cat,
  [Prim.Gather]: gather,
  [Prim.ScatterAdd]: scatterAdd,
};
