// GEMM kernels (see asm/index.ts): C = A·B for float32 (and float64), packed and cache-blocked, SIMD micro-kernel.
//
// A is M×K read through element strides (ars, acs), B is K×N read through (brs, bcs): transposed, sliced or
// broadcast operands need no copy, only packing reads them strided. C is M×N row-major with row stride ldc.
// Pointers are byte addresses in the one linear memory; `pack` is caller-owned scratch of gemmPackBytes(...)
// bytes (one per concurrent call). Nothing here allocates.
//
// Loop order (Goto/BLIS): columns in blocks of NC → K in blocks of KC (the KC×NC block of B is packed into
// NR-wide panels) → rows in blocks of MC (the MC×KC block of A is packed into MR-high panels) → NR panel → MR
// panel → micro-kernel, which keeps the MR×NR tile of C in registers (f32: 4×8 = 8 f32x4 accumulators, the
// largest tile V8's register allocator keeps without spilling; 6×8 and 4×12 measured 2–3× slower) while it
// streams kc steps. Tiles cut by the edge of C run on a scratch tile and copy the valid part back. With at most
// one or two row panels (M ≤ 8) a row-major B is read in place instead of packed (see `direct`).
//
// Determinism: every element of C is the plain sum over k = 0, 1, …, K−1 in order, starting from +0 (between K
// blocks the micro-kernel resumes from the partial sum stored in C), each step c + a·b the same operation: fused
// (f32x4.relaxed_madd) in the relaxed-SIMD build where the hardware has FMA, else a multiply then an add. So on
// one machine and build the bits depend neither on the blocking, nor on which tile an element falls in, nor on
// the column range [n0, n1) a call computes: any column split across threads gives identical results.
// gemmColumnAlign() is the split granularity that costs nothing extra (splits elsewhere only add edge tiles).
// float64 never fuses: its sums are the reference backend's exact operations, so the results are bit-identical.
// (FMA does not raise the f32 peak here: Zen 4 issues two 128-bit multiplies and two adds per cycle either way;
// 4×8 measured 55 GFLOP/s on one core both ways.)

/** Rows of the micro-tile. */
const MR = 4;
/** K block: a B micro-panel (KC × NR) stays in L1, and C is reloaded once per KC steps. */
const KC = 256;
/** Row block: the packed A block (MC × KC, 96 KiB for f32) stays in L2. Multiple of MR. */
const MC = 96;
/** Column block: the packed B block (KC × NC) lives in L2/L3. Multiple of 8. */
const NC = 2048;
/** Bytes of one packed micro-tile row: NR elements = 8 f32 or 4 f64, two v128 in either case. */
const ROW = 32;

// @ts-ignore: decorator
@inline function nr<T>(): i32 {
  return ROW / sizeof<T>();
}

// @ts-ignore: decorator
@inline function imin(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

// @ts-ignore: decorator
@inline function roundUp(x: i32, m: i32): i32 {
  return (x + m - 1) / m * m;
}

// @ts-ignore: decorator
@inline function align64(x: usize): usize {
  return (x + 63) & ~(<usize>63);
}

// @ts-ignore: decorator
@inline function packABytes(M: i32, K: i32, size: usize): usize {
  return align64(<usize>imin(roundUp(M, MR), MC) * <usize>imin(K, KC) * size);
}

// @ts-ignore: decorator
@inline function packBBytes(N: i32, K: i32, size: usize): usize {
  return align64(<usize>imin(roundUp(N, 8), NC) * <usize>imin(K, KC) * size);
}

/**
 * Bytes of scratch one gemm call needs for an M×N×K product of `elemBytes`-byte elements (4: f32, 8: f64):
 * the packed A block, the packed B block and an edge tile. The same for every column range of one product.
 */
export function gemmPackBytes(M: i32, N: i32, K: i32, elemBytes: i32): usize {
  const size = <usize>elemBytes;
  return packABytes(M, K, size) + packBBytes(N, K, size) + <usize>MR * ROW;
}

/** Column split granularity: column ranges starting at multiples of this cost no extra edge tiles. */
export function gemmColumnAlign(): i32 {
  return 8;
}

// ---- micro-kernels: C[0:MR, 0:NR] (row stride ldc bytes) = (resume ? C : 0) + Apanel · Bpanel over kc steps ----
// (the B panel's k rows are ldb bytes apart: ROW when packed, B's row stride when read in place)

/** a·b + c in f32x4: fused in the relaxed-SIMD build (where the hardware has FMA), else multiply then add. */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Row i of the packed A panel, broadcast to every lane (MR values per k, each of type T). */
// @ts-ignore: decorator
@inline function splatA<T>(pa: usize, i: usize): v128 {
  if (sizeof<T>() == 4) return v128.load32_splat(pa + i * 4);
  return v128.load64_splat(pa + i * 8);
}

/** c + a·b lane by lane: fused in the relaxed build for f32; f64 never fuses (it matches the reference). */
// @ts-ignore: decorator
@inline function maddT<T>(a: v128, b: v128, c: v128): v128 {
  if (sizeof<T>() == 4) return madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

/** The 4×8-byte-lane micro-kernel: C (4 rows of two vectors) += A panel · B panel over kc, or = when not resuming. */
// @ts-ignore: decorator
@inline function kernel<T>(kc: i32, pa: usize, pb: usize, ldb: usize, c: usize, ldc: usize, resume: bool): void {
  const z = i32x4.splat(0);
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  let c00 = resume ? v128.load(c) : z, c01 = resume ? v128.load(c, 16) : z;
  let c10 = resume ? v128.load(c1) : z, c11 = resume ? v128.load(c1, 16) : z;
  let c20 = resume ? v128.load(c2) : z, c21 = resume ? v128.load(c2, 16) : z;
  let c30 = resume ? v128.load(c3) : z, c31 = resume ? v128.load(c3, 16) : z;
  for (let k = kc; k > 0; k--) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = splatA<T>(pa, 0);
    c00 = maddT<T>(a, b0, c00);
    c01 = maddT<T>(a, b1, c01);
    a = splatA<T>(pa, 1);
    c10 = maddT<T>(a, b0, c10);
    c11 = maddT<T>(a, b1, c11);
    a = splatA<T>(pa, 2);
    c20 = maddT<T>(a, b0, c20);
    c21 = maddT<T>(a, b1, c21);
    a = splatA<T>(pa, 3);
    c30 = maddT<T>(a, b0, c30);
    c31 = maddT<T>(a, b1, c31);
    pa += 4 * sizeof<T>();
    pb += ldb;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c1, c10); v128.store(c1, c11, 16);
  v128.store(c2, c20); v128.store(c2, c21, 16);
  v128.store(c3, c30); v128.store(c3, c31, 16);
}

// ---- packing (strides in bytes) ----

/** Stores the 4×4 f32 block with rows r0..r3 transposed: column j of it at dst + j·step. */
// @ts-ignore: decorator
@inline function storeTransposed(dst: usize, step: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + step, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * step, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * step, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/** Zeroes `bytes` (a multiple of 16) at `dst`. */
// @ts-ignore: decorator
@inline function zero(dst: usize, bytes: usize): void {
  const z = i32x4.splat(0);
  for (let p = dst, end = dst + bytes; p < end; p += 16) v128.store(p, z);
}

/**
 * The general packing case, for A's rows and B's columns alike: `lines` lines `lineStride` bytes apart, each
 * of kc values `kStride` apart, into a panel of `width` bytes per k (zeroed first when short of `full` lines).
 */
// @ts-ignore: decorator
@inline function packLines<T>(d: usize, src: usize, lines: i32, full: i32, lineStride: isize, kStride: isize, kc: i32, width: usize): void {
  const size = sizeof<T>();
  if (lines < full) zero(d, <usize>kc * width);
  for (let i = 0; i < lines; i++) {
    let di = d + <usize>i * size;
    let s = src + <usize>(<isize>i * lineStride);
    for (let k = 0; k < kc; k++) {
      store<T>(di, load<T>(s));
      s += kStride;
      di += width;
    }
  }
}

/** Packs the mc×kc block of A at `a` into MR-high panels, k-major (MR values per k), zero rows past mc. */
function packA<T>(dst: usize, a: usize, ars: isize, acs: isize, mc: i32, kc: i32): void {
  const size = sizeof<T>();
  const panel = <usize>MR * size;
  for (let p = 0; p < mc; p += MR) {
    const rows = imin(MR, mc - p);
    const src = a + <usize>(<isize>p * ars);
    let d = dst;
    if (rows == MR && ars == <isize>size) {
      // A transposed: the MR values of one k are adjacent
      let s = src;
      for (let k = 0; k < kc; k++) {
        v128.store(d, v128.load(s));
        if (size == 8) v128.store(d, v128.load(s, 16), 16);
        s += acs;
        d += panel;
      }
    } else if (size == 4 && rows == MR && acs == 4) {
      // A row-major: transpose 4×4 blocks
      const s1 = src + ars, s2 = s1 + ars, s3 = s2 + ars;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>k << 2;
        storeTransposed(d, 16, v128.load(src + o), v128.load(s1 + o), v128.load(s2 + o), v128.load(s3 + o));
        d += 64;
      }
      for (; k < kc; k++) {
        const o = <usize>k << 2;
        store<f32>(d, load<f32>(src + o));
        store<f32>(d, load<f32>(s1 + o), 4);
        store<f32>(d, load<f32>(s2 + o), 8);
        store<f32>(d, load<f32>(s3 + o), 12);
        d += 16;
      }
    } else {
      packLines<T>(d, src, rows, MR, ars, acs, kc, panel);
    }
    dst += <usize>kc * panel;
  }
}

/** Packs the kc×nc block of B at `b` into NR-wide panels, k-major (NR values per k), zero columns past nc. */
function packB<T>(dst: usize, b: usize, brs: isize, bcs: isize, kc: i32, nc: i32): void {
  const size = sizeof<T>();
  const NR = nr<T>();
  for (let q = 0; q < nc; q += NR) {
    const cols = imin(NR, nc - q);
    const src = b + <usize>(<isize>q * bcs);
    let d = dst;
    if (cols == NR && bcs == <isize>size) {
      // B row-major: the NR values of one k are adjacent
      let s = src;
      for (let k = 0; k < kc; k++) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        s += brs;
        d += ROW;
      }
    } else if (size == 4 && cols == NR && brs == 4) {
      // B transposed: transpose 4×4 blocks, two per 4 k
      const h = src + <usize>(bcs << 2);
      const s1 = src + bcs, s2 = s1 + bcs, s3 = s2 + bcs;
      const s5 = h + bcs, s6 = s5 + bcs, s7 = s6 + bcs;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>k << 2;
        storeTransposed(d, ROW, v128.load(src + o), v128.load(s1 + o), v128.load(s2 + o), v128.load(s3 + o));
        storeTransposed(d + 16, ROW, v128.load(h + o), v128.load(s5 + o), v128.load(s6 + o), v128.load(s7 + o));
        d += 4 * ROW;
      }
      for (; k < kc; k++) {
        const o = <usize>k << 2;
        store<f32>(d, load<f32>(src + o)); store<f32>(d, load<f32>(s1 + o), 4);
        store<f32>(d, load<f32>(s2 + o), 8); store<f32>(d, load<f32>(s3 + o), 12);
        store<f32>(d, load<f32>(h + o), 16); store<f32>(d, load<f32>(s5 + o), 20);
        store<f32>(d, load<f32>(s6 + o), 24); store<f32>(d, load<f32>(s7 + o), 28);
        d += ROW;
      }
    } else {
      packLines<T>(d, src, cols, NR, bcs, brs, kc, ROW);
    }
    dst += <usize>kc * ROW;
  }
}

// ---- driver ----

/** Copies `rows` rows of `n` elements (a few: an edge tile) between row strides `ss` and `ds` bytes. */
// @ts-ignore: decorator
@inline function copyTile<T>(dst: usize, ds: usize, src: usize, ss: usize, rows: i32, n: i32): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < n; j++) store<T>(dst + <usize>j * sizeof<T>(), load<T>(src + <usize>j * sizeof<T>()));
    dst += ds;
    src += ss;
  }
}

function gemm<T>(M: i32, N: i32, K: i32, a: usize, ars: isize, acs: isize, b: usize, brs: isize, bcs: isize,
  c: usize, ldc: isize, n0: i32, n1: i32, pack: usize): void {
  if (n0 < 0) n0 = 0;
  if (n1 > N) n1 = N;
  if (M <= 0 || n1 <= n0) return;
  const size = sizeof<T>();
  const NR = nr<T>();
  const ldcb = <usize>ldc * size;
  if (K <= 0) {
    for (let i = 0; i < M; i++) memory.fill(c + <usize>i * ldcb + <usize>n0 * size, 0, <usize>(n1 - n0) * size);
    return;
  }
  const pa = pack;
  const pb = pa + packABytes(M, K, size);
  const tile = pb + packBBytes(N, K, size);
  const arsb = ars * <isize>size, acsb = acs * <isize>size, brsb = brs * <isize>size, bcsb = bcs * <isize>size;
  // With few rows each B element is used by one or two row panels: the kernel then reads a row-major B in place
  // rather than packing it (only a panel cut by the column edge is packed). Two panels reread it, which loses
  // when B's row stride is a multiple of 4 KiB (its rows then contend for the same L1 sets).
  const direct = bcsb == <isize>size && (M <= MR || (M <= 2 * MR && (brsb & 4095) != 0));
  for (let jc = n0; jc < n1; jc += NC) {
    const nc = imin(NC, n1 - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = imin(KC, K - pc);
      const resume = pc > 0;
      const bpc = b + <usize>(<isize>pc * brsb + <isize>jc * bcsb);
      if (!direct) packB<T>(pb, bpc, brsb, bcsb, kc, nc);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = imin(MC, M - ic);
        packA<T>(pa, a + <usize>(<isize>ic * arsb + <isize>pc * acsb), arsb, acsb, mc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = imin(NR, nc - jr);
          let pbj = pb + <usize>jr * <usize>kc * size, ldb: usize = ROW;
          if (direct) {
            if (cols == NR) {
              pbj = bpc + <usize>jr * size;
              ldb = <usize>brsb;
            } else {
              pbj = pb;
              packB<T>(pb, bpc + <usize>jr * size, brsb, bcsb, kc, cols);
            }
          }
          let cp = c + <usize>ic * ldcb + <usize>(jc + jr) * size;
          let pai = pa;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = imin(MR, mc - ir);
            if (rows == MR && cols == NR) {
              kernel<T>(kc, pai, pbj, ldb, cp, ldcb, resume);
            } else {
              if (resume) copyTile<T>(tile, ROW, cp, ldcb, rows, cols);
              kernel<T>(kc, pai, pbj, ldb, tile, ROW, resume);
              copyTile<T>(cp, ldcb, tile, ROW, rows, cols);
            }
            cp += <usize>MR * ldcb;
            pai += <usize>MR * <usize>kc * size;
          }
        }
      }
    }
  }
}

/**
 * C[:, n0:n1] = A·B in float32, for M×K A at byte pointer `a` with element strides (ars, acs), K×N B at `b`
 * with (brs, bcs), and C at `c` with row stride `ldc` elements. `pack`: gemmPackBytes(M, N, K, 4) bytes of
 * scratch, 64-byte aligned, private to this call. With K = 0 the columns are zeroed.
 */
export function gemmF32(M: i32, N: i32, K: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32,
  c: usize, ldc: i32, n0: i32, n1: i32, pack: usize): void {
  gemm<f32>(M, N, K, a, ars, acs, b, brs, bcs, c, ldc, n0, n1, pack);
}

/** gemmF32 in float64 (pack: gemmPackBytes(M, N, K, 8) bytes). */
export function gemmF64(M: i32, N: i32, K: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32,
  c: usize, ldc: i32, n0: i32, n1: i32, pack: usize): void {
  gemm<f64>(M, N, K, a, ars, acs, b, brs, bcs, c, ldc, n0, n1, pack);
}

/**
 * A batch of products of one shape: for t in [t0, t1), C_t[:, n0:n1] = A_t·B_t, where `table` holds three u32
 * byte pointers (A_t, B_t, C_t) per t and each C_t is contiguous (ldc = N). Strides as in gemmF32, shared by
 * the batch.
 */
export function gemmF32Batch(table: usize, t0: i32, t1: i32, M: i32, N: i32, K: i32, ars: i32, acs: i32,
  brs: i32, bcs: i32, n0: i32, n1: i32, pack: usize): void {
  for (let t = t0; t < t1; t++) {
    const e = table + <usize>t * 12;
    gemm<f32>(M, N, K, load<u32>(e), ars, acs, load<u32>(e, 4), brs, bcs, load<u32>(e, 8), N, n0, n1, pack);
  }
}

/** gemmF32Batch in float64. */
export function gemmF64Batch(table: usize, t0: i32, t1: i32, M: i32, N: i32, K: i32, ars: i32, acs: i32,
  brs: i32, bcs: i32, n0: i32, n1: i32, pack: usize): void {
  for (let t = t0; t < t1; t++) {
    const e = table + <usize>t * 12;
    gemm<f64>(M, N, K, load<u32>(e), ars, acs, load<u32>(e, 4), brs, bcs, load<u32>(e, 8), N, n0, n1, pack);
  }
}
