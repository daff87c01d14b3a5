import { Prim, type Out, type View } from '../prim.js';
import { contiguousStrides, numel } from '../../tensor/shape.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { align64, copyTo, span } from './arena.js';
import type { FastTable, WasmContext } from './context.js';
import { runJobs, type Job } from './threads.js';

// Matmul on the wasm GEMM (asm/gemm.ts). Each operand's storage span is copied into the arena as it is
// (a transposed or sliced view keeps its strides: the kernel's packing reads it strided), the product is written
// into the arena and copied into `out`. A large product is cut into jobs, one per thread, over column ranges (or
// over the batch); the kernel's sums do not depend on the cut, so results are identical for any thread count.
//
// float64 runs the same kernel in f64x2; it sums in the reference kernel's order (k ascending, from 0, no FMA),
// so its results are bit-identical to the reference backend's.

/**
 * Below this many multiply-adds (batch·M·N·K) the reference kernel would run instead. Measured (2-core EPYC,
 * Node 20, one thread, best of runs): there is no crossover. The wasm path costs about 0.4 µs fixed (staging,
 * call, copy out) and the reference kernel about 0.5 µs: 1×1·1×1 0.40 vs 0.54 µs, 2×2·2×2 0.45 vs 0.62,
 * 8×8·8×8 0.46 vs 2.05, 50×25·25×25 2.9 vs 71 µs. So every float product goes to wasm.
 */
export const GEMM_MIN_WORK = 0;

/**
 * From this many multiply-adds on (1 MFLOP), a product is split across ctx.threads jobs. Measured with the worker
 * pool on an idle machine, 2 threads vs 1, best / median µs: 64×64·64×64 (2¹⁸) 8.9 / 14.0 vs 11.8 / 12.9, a toss-up;
 * 64×128·128×64 (2¹⁹) 16 / 18 vs 23 / 23; 64×784·784×256 293 / 301 vs 511 / 526; 512³ 2565 / 2728 vs 4872 / 4968.
 */
export const GEMM_SPLIT_MIN_WORK = 1 << 19;

/** Below this inner dim a product stays on one thread (see jobsFor). */
const GEMM_SPLIT_MIN_K = 32;

/** Column split granularity of the kernel (gemmColumnAlign in asm/gemm.ts). */
const COLUMN_ALIGN = 8;

/** Copies the elements of `v` in row-major order to element index `at` of `dst` (a whole-memory view of v's type). */
function copyCompact(v: View, dst: TypedArray, at: number): void {
  const src = v.data;
  const shape = v.shape, strides = v.strides, nd = shape.length;
  const inner = shape[nd - 1], is = strides[nd - 1], rows = numel(shape) / inner;
  const idx = new Array<number>(nd).fill(0);
  let off = v.offset;
  for (let r = 0; r < rows; r++) {
    for (let j = 0, p = off; j < inner; j++, p += is) dst[at++] = src[p];
    for (let d = nd - 2; d >= 0; d--) {
      off += strides[d];
      if (++idx[d] < shape[d]) break;
      off -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** Strides (`strides`: v's, or those of its compact copy) of v's batch dims aligned to the output's `nb` batch dims, 0 where v broadcasts. */
function batchStrides(v: View, strides: readonly number[], nb: number): number[] {
  const lead = nb - (v.shape.length - 2);
  const s = new Array<number>(nb);
  for (let i = 0; i < nb; i++) s[i] = i < lead || v.shape[i - lead] === 1 ? 0 : strides[i - lead];
  return s;
}

/** How many jobs a product of this size gets on `ctx`. */
function jobsFor(ctx: WasmContext, count: number, M: number, N: number, K: number): number {
  const nj = ctx.threads;
  // a short inner dim makes the product memory-bound (each output element gets K multiply-adds): a second
  // thread only contends for the same bandwidth (measured: the conv gradient Wᵀ·G with K = 16 ran 1.7× slower)
  if (nj <= 1 || K < GEMM_SPLIT_MIN_K || count * M * N * K < GEMM_SPLIT_MIN_WORK) return 1;
  // each job gets at least two column panels, or at least one product of the batch
  return N >= 2 * COLUMN_ALIGN * nj || count >= nj ? nj : 1;
}

/**
 * out = a·b (float32 or float64, both operands at least 2-D, batch dims broadcast) in `jobs` jobs.
 *
 * @internal exported for tests: the result must not depend on `jobs`.
 */
export function matmulWasm(ctx: WasmContext, a: View, b: View, out: Out, jobs: number): void {
  const f64 = out.dtype === 'float64';
  const E = f64 ? 8 : 4;
  const nd = out.shape.length, ra = a.shape.length, rb = b.shape.length;
  const M = out.shape[nd - 2], N = out.shape[nd - 1], K = a.shape[ra - 1];
  const len = out.data.length;
  if (len === 0) return;
  if (K === 0) {
    out.data.fill(0);
    return;
  }
  const count = len / (M * N);
  const ex = ctx.wasm.exports, arena = ctx.arena;
  // Each operand's storage span is copied as it is (the kernel reads it through the view's strides), unless the
  // span is mostly gaps (a few columns of a wide matrix): then the view's elements are gathered compactly.
  const aNumel = numel(a.shape), bNumel = numel(b.shape);
  const sa = span(a), sb = span(b);
  const aLo = sa.lo, bLo = sb.lo;
  let aLen = sa.len, bLen = sb.len;
  const aCompact = aLen > 8 * aNumel + 4096, bCompact = bLen > 8 * bNumel + 4096;
  if (aCompact) aLen = aNumel;
  if (bCompact) bLen = bNumel;
  const as = aCompact ? contiguousStrides(a.shape) : a.strides, bs = bCompact ? contiguousStrides(b.shape) : b.strides;
  const packBytes = ex.gemmPackBytes(M, N, K, E); // a multiple of 64
  const nj = Math.max(1, jobs);
  // one block: A's span, B's span, C, the batch table (three u32 byte pointers per product), a pack per job
  const aBytes = align64(aLen * E), bBytes = align64(bLen * E), cBytes = align64(len * E);
  const tBytes = count > 1 ? align64(count * 12) : 0;
  arena.scoped(() => {
    const aBase = arena.alloc(aBytes + bBytes + cBytes + tBytes + packBytes * nj);
    const bBase = aBase + aBytes, c = bBase + bBytes, table = c + cBytes, pack0 = table + tBytes;
    const mem = arena.views();
    const heap = f64 ? mem.f64 : mem.f32;
    if (aCompact) copyCompact(a, heap, aBase / E);
    else copyTo(heap, aBase / E, a.data, aLo, aLen);
    if (bCompact) copyCompact(b, heap, bBase / E);
    else copyTo(heap, bBase / E, b.data, bLo, bLen);
    const ap = aCompact ? aBase : aBase + (a.offset - aLo) * E, bp = bCompact ? bBase : bBase + (b.offset - bLo) * E;
    const ars = as[ra - 2], acs = as[ra - 1], brs = bs[rb - 2], bcs = bs[rb - 1];

    if (count > 1) {
      const batch = out.shape.slice(0, nd - 2), nb = batch.length;
      const abs = batchStrides(a, as, nb), bbs = batchStrides(b, bs, nb);
      const idx = new Array<number>(nb).fill(0);
      const words = mem.i32; // (pointers past 2 GiB wrap to negative int32s: the same bits as the u32 the kernel reads)
      let ao = 0, bo = 0, t = table >>> 2;
      for (let i = 0; i < count; i++) {
        words[t] = ap + ao * E;
        words[t + 1] = bp + bo * E;
        words[t + 2] = c + i * M * N * E;
        t += 3;
        for (let d = nb - 1; d >= 0; d--) {
          ao += abs[d];
          bo += bbs[d];
          if (++idx[d] < batch[d]) break;
          ao -= abs[d] * batch[d];
          bo -= bbs[d] * batch[d];
          idx[d] = 0;
        }
      }
    }

    if (nj === 1) {
      if (count === 1) {
        (f64 ? ex.gemmF64 : ex.gemmF32)(M, N, K, ap, ars, acs, bp, brs, bcs, c, N, 0, N, pack0);
      } else {
        (f64 ? ex.gemmF64Batch : ex.gemmF32Batch)(table, 0, count, M, N, K, ars, acs, brs, bcs, 0, N, pack0);
      }
    } else {
      const list: Job[] = [];
      // split the batch when it divides well, else the columns (each job then packs all of A)
      const byBatch = count >= nj && (count % nj === 0 || count >= 4 * nj || N < 2 * COLUMN_ALIGN * nj);
      for (let j = 0; j < nj; j++) {
        const pack = pack0 + j * packBytes;
        if (byBatch) {
          const t0 = Math.round((count * j) / nj), t1 = Math.round((count * (j + 1)) / nj);
          list.push({ fn: f64 ? 'gemmF64Batch' : 'gemmF32Batch', args: [table, t0, t1, M, N, K, ars, acs, brs, bcs, 0, N, pack] });
        } else {
          const n0 = j === 0 ? 0 : Math.min(N, Math.round((N * j) / nj / COLUMN_ALIGN) * COLUMN_ALIGN);
          const n1 = j === nj - 1 ? N : Math.min(N, Math.round((N * (j + 1)) / nj / COLUMN_ALIGN) * COLUMN_ALIGN);
          list.push(count === 1
            ? { fn: f64 ? 'gemmF64' : 'gemmF32', args: [M, N, K, ap, ars, acs, bp, brs, bcs, c, N, n0, n1, pack] }
            : { fn: f64 ? 'gemmF64Batch' : 'gemmF32Batch', args: [table, 0, count, M, N, K, ars, acs, brs, bcs, n0, n1, pack] });
        }
      }
      runJobs(ctx, list);
    }

    copyTo(out.data, 0, heap, c / E, len); // (kernels never grow the memory: `heap` is still current)
  });
}

export const gemmKernels: FastTable = {
  [Prim.Matmul]: (inputs, _params, out, ctx) => {
    const a = inputs[0], b = inputs[1];
    const dt = out.dtype;
    if ((dt !== 'float32' && dt !== 'float64') || a.dtype !== dt || b.dtype !== dt) return false;
    const nd = out.shape.length;
    const M = out.shape[nd - 2], N = out.shape[nd - 1], K = a.shape[a.shape.length - 1];
    const count = M * N === 0 ? 0 : out.data.length / (M * N);
    if (count * M * N * K < GEMM_MIN_WORK) return false;
    matmulWasm(ctx, a, b, out, jobsFor(ctx, count, M, N, K));
    return true;
  },
};
