// Data-movement kernels (see asm/index.ts): unfold (im2col), fold (col2im), strided n-d copies (pad, cat,
// layout changes), gather and scatter-add. Pointers are byte addresses in the one linear memory; offsets and
// strides are in elements. `esz` is the element size in bytes (1: bool, 4: float32 and int32, 8: float64):
// the pure copies move bits and so serve every dtype; the sums (fold, scatter-add) come per float type.
// Nothing here allocates: the JS side (src/backend/wasm/window.ts) lays out every buffer, including the
// i32 "meta" arrays of shapes, strides and loop counters that the n-d kernels walk.
//
// Determinism: fold and scatter-add add in exactly the order of the reference backend's loops (row-major over
// the windows, resp. the index), one IEEE add per term in the element type, so their bits match it.

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** Copies `n` bytes from `src` to `dst` (not overlapping): 16-byte vectors, the tail as one overlapping vector. */
// @ts-ignore: decorator
@inline function copyBytes(dst: usize, src: usize, n: usize): void {
  if (n >= 16) {
    let i: usize = 0;
    for (; i + 32 <= n; i += 32) {
      v128.store(dst + i, v128.load(src + i));
      v128.store(dst + i, v128.load(src + i, 16), 16);
    }
    if (i + 16 <= n) {
      v128.store(dst + i, v128.load(src + i));
      i += 16;
    }
    if (i < n) v128.store(dst + n - 16, v128.load(src + n - 16));
  } else {
    let i: usize = 0;
    if (n & 8) { store<u64>(dst, load<u64>(src)); i = 8; }
    if (n & 4) { store<u32>(dst + i, load<u32>(src + i)); i += 4; }
    if (n & 2) { store<u16>(dst + i, load<u16>(src + i)); i += 2; }
    if (n & 1) store<u8>(dst + i, load<u8>(src + i));
  }
}

/** Copies `n` elements of type T from `src` (every `step` bytes) to contiguous `dst`. */
// @ts-ignore: decorator
@inline function copyStrided<T>(dst: usize, src: usize, step: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    store<T>(dst, load<T>(src));
    dst += sizeof<T>();
    src += step;
  }
}

/** A run of `n` elements of `esz` bytes: contiguous when `step` (bytes) equals esz, else element by element. */
// @ts-ignore: decorator
@inline function copyRun(dst: usize, src: usize, step: usize, n: i32, esz: i32): void {
  if (step == <usize>esz) copyBytes(dst, src, <usize>n * <usize>esz);
  else if (esz == 4) copyStrided<u32>(dst, src, step, n);
  else if (esz == 8) copyStrided<u64>(dst, src, step, n);
  else copyStrided<u8>(dst, src, step, n);
}

/**
 * The row walk the strided n-d kernels share. `meta` holds the shape and then k stride arrays (nd i32 each),
 * then scratch: nd loop counters and k row offsets (elements). The last dim is the row; walkStart zeroes the
 * counters and offsets and gives the number of rows, walkNext steps the counters as an odometer over the other
 * dims and moves each operand's offset by its strides, rowOffset reads operand j's offset.
 */
function walkStart(meta: usize, nd: i32, k: i32): i32 {
  const ctr = at(meta, (k + 1) * nd);
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) {
    rows *= load<i32>(at(meta, d));
    store<i32>(at(ctr, d), 0);
  }
  for (let j = 0; j < k; j++) store<i32>(at(ctr, nd + j), 0);
  return rows;
}

function walkNext(meta: usize, nd: i32, k: i32): void {
  const ctr = at(meta, (k + 1) * nd), offs = at(ctr, nd);
  for (let d = nd - 2; d >= 0; d--) {
    const n = load<i32>(at(meta, d));
    const c = load<i32>(at(ctr, d)) + 1;
    const wrap = c == n;
    for (let j = 0; j < k; j++) {
      const sd = load<i32>(at(meta, (j + 1) * nd + d));
      store<i32>(at(offs, j), load<i32>(at(offs, j)) + (wrap ? sd * (1 - n) : sd));
    }
    if (!wrap) {
      store<i32>(at(ctr, d), c);
      return;
    }
    store<i32>(at(ctr, d), 0);
  }
}

// @ts-ignore: decorator
@inline function rowOffset(meta: usize, nd: i32, k: i32, j: i32): i32 {
  return load<i32>(at(meta, (k + 2) * nd + j));
}

/**
 * Strided n-d copy: dst[Σ i·ds] = src[Σ i·ss] over `shape`. `meta` holds four i32 arrays of `nd` entries:
 * shape, dst strides, src strides (elements), then the walk's scratch (see walkStart). The last dim is the
 * inner loop (contiguous runs become vector copies); callers collapse dims first.
 */
export function winCopyNd(dst: usize, src: usize, meta: usize, nd: i32, esz: i32): void {
  const last = nd - 1;
  const len = load<i32>(at(meta, last));
  const dstep = <usize>(load<i32>(at(meta, nd + last)) * esz), sstep = <usize>(load<i32>(at(meta, 2 * nd + last)) * esz);
  const rows = walkStart(meta, nd, 2);
  for (let r = 0; r < rows; r++) {
    const dp = dst + <usize>(rowOffset(meta, nd, 2, 0) * esz), sp = src + <usize>(rowOffset(meta, nd, 2, 1) * esz);
    if (dstep == <usize>esz) copyRun(dp, sp, sstep, len, esz);
    else {
      // scattered destination: element by element
      for (let i = 0; i < len; i++) copyBytes(dp + <usize>i * dstep, sp + <usize>i * sstep, <usize>esz);
    }
    walkNext(meta, nd, 2);
  }
}

/**
 * Unfold (im2col) of `planes` contiguous zero-padded images of Hp×Wp elements at `src` into `out`, laid out as
 * [planes, kh·kw, oh·ow] (which is [N, C·kh·kw, L] for planes = N·C): row (ki, kj) of plane p, position (y, z)
 * holds src[p][y·sh + ki·dh][z·sw + kj·dw]. Padding is already in `src`, so every read is in range.
 */
export function winUnfold(out: usize, src: usize, planes: i32, Hp: i32, Wp: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  dh: i32, dw: i32, oh: i32, ow: i32, esz: i32): void {
  const e = <usize>esz;
  const plane = <usize>Hp * <usize>Wp * e;
  const rowStep = <usize>(sh * Wp) * e, colStep = <usize>sw * e;
  const runBytes = <usize>ow * e;
  // stride 1 along both dims with ow = Wp (a 1-wide kernel, or 1-d): the oh rows are one contiguous block
  const block = sw == 1 && ow == Wp && sh == 1;
  let d = out;
  for (let p = 0; p < planes; p++) {
    const base = src + <usize>p * plane;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        let s = base + <usize>(ki * dh * Wp + kj * dw) * e;
        if (block) {
          copyBytes(d, s, runBytes * <usize>oh);
          d += runBytes * <usize>oh;
        } else if (sw == 1) {
          for (let y = 0; y < oh; y++) {
            copyBytes(d, s, runBytes);
            d += runBytes;
            s += rowStep;
          }
        } else {
          for (let y = 0; y < oh; y++) {
            copyRun(d, s, colStep, ow, esz);
            d += runBytes;
            s += rowStep;
          }
        }
      }
    }
  }
}

/** acc[0:n) += src[0:n) (every `step` elements of src when step ≠ 1), in T (f32 or f64). */
// @ts-ignore: decorator
@inline function addRun<T>(acc: usize, src: usize, step: i32, n: i32): void {
  const sz = sizeof<T>();
  let i = 0;
  if (step == 1) {
    const lanes = 16 / <i32>sz;
    for (; i + lanes <= n; i += lanes) {
      const o = <usize>i * sz;
      if (sz == 4) v128.store(acc + o, f32x4.add(v128.load(acc + o), v128.load(src + o)));
      else v128.store(acc + o, f64x2.add(v128.load(acc + o), v128.load(src + o)));
    }
  }
  const sstep = <usize>step * sz;
  let s = src + <usize>i * sstep;
  for (; i < n; i++) {
    const a = acc + <usize>i * sz;
    store<T>(a, load<T>(a) + load<T>(s));
    s += sstep;
  }
}

/**
 * Fold (col2im), the adjoint of winUnfold: zeroes the padded images at `acc` (planes × Hp × Wp) and adds each
 * column of `cols` ([planes, kh·kw, oh·ow], contiguous) into its window, in the reference backend's order.
 */
function fold<T>(acc: usize, cols: usize, planes: i32, Hp: i32, Wp: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  dh: i32, dw: i32, oh: i32, ow: i32): void {
  const sz = sizeof<T>();
  const plane = <usize>Hp * <usize>Wp * sz;
  memory.fill(acc, 0, plane * <usize>planes);
  const rowStep = <usize>(sh * Wp) * sz;
  let s = cols;
  for (let p = 0; p < planes; p++) {
    const base = acc + <usize>p * plane;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        let d = base + <usize>(ki * dh * Wp + kj * dw) * sz;
        for (let y = 0; y < oh; y++) {
          // output position z of this row lands on image column z·sw: a strided accumulate
          if (sw == 1) addRun<T>(d, s, 1, ow);
          else {
            let dz = d;
            for (let z = 0; z < ow; z++) {
              store<T>(dz, load<T>(dz) + load<T>(s + <usize>z * sz));
              dz += <usize>sw * sz;
            }
          }
          s += <usize>ow * sz;
          d += rowStep;
        }
      }
    }
  }
}

/** winFold in float32 (see fold). */
export function winFoldF32(acc: usize, cols: usize, planes: i32, Hp: i32, Wp: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  dh: i32, dw: i32, oh: i32, ow: i32): void {
  fold<f32>(acc, cols, planes, Hp, Wp, kh, kw, sh, sw, dh, dw, oh, ow);
}

/** winFold in float64 (see fold). */
export function winFoldF64(acc: usize, cols: usize, planes: i32, Hp: i32, Wp: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  dh: i32, dw: i32, oh: i32, ow: i32): void {
  fold<f64>(acc, cols, planes, Hp, Wp, kh, kw, sh, sw, dh, dw, oh, ow);
}

/**
 * Gather along one dim: out[i] = x[i with the gathered dim replaced by idx[i]], i over the index's shape, out
 * contiguous. `meta` holds four i32 arrays of `nd` entries: the index's shape, x's strides (0 at the gathered
 * dim), the index's strides, then the walk's scratch. `xsD` is x's stride along the gathered dim, `size` its
 * length. Returns 1, or 0 at the first index outside [0, size) (out is then incomplete).
 */
function gather<T>(out: usize, x: usize, idx: usize, meta: usize, nd: i32, size: i32, xsD: i32): i32 {
  const sz = <i32>sizeof<T>();
  const last = nd - 1;
  const len = load<i32>(at(meta, last));
  const xsl = load<i32>(at(meta, nd + last)), isl = load<i32>(at(meta, 2 * nd + last));
  const rows = walkStart(meta, nd, 2);
  let o = out;
  for (let r = 0; r < rows; r++) {
    let xe = rowOffset(meta, nd, 2, 0), ie = rowOffset(meta, nd, 2, 1);
    for (let b = 0; b < len; b++) {
      const j = load<i32>(idx + (<usize>ie << 2));
      if (<u32>j >= <u32>size) return 0;
      store<T>(o, load<T>(x + <usize>((xe + j * xsD) * sz)));
      o += <usize>sz;
      xe += xsl;
      ie += isl;
    }
    walkNext(meta, nd, 2);
  }
  return 1;
}

/** gather for elements of `esz` bytes (see gather). */
export function winGather(out: usize, x: usize, idx: usize, meta: usize, nd: i32, size: i32, xsD: i32, esz: i32): i32 {
  if (esz == 4) return gather<u32>(out, x, idx, meta, nd, size, xsD);
  if (esz == 8) return gather<u64>(out, x, idx, meta, nd, size, xsD);
  return gather<u8>(out, x, idx, meta, nd, size, xsD);
}

/**
 * Scatter-add along one dim: acc[i with the dim replaced by idx[i]] += src[i], i over the index's shape in
 * row-major order. `meta` holds five i32 arrays of `nd` entries: the index's shape, acc's strides (0 at the
 * dim), the index's strides, src's strides, then the walk's scratch. `asD` is acc's stride along the dim, `size`
 * its length. Returns 1, or 0 at the first index outside [0, size) (acc is then partly updated).
 */
function scatterAdd<T>(acc: usize, idx: usize, src: usize, meta: usize, nd: i32, size: i32, asD: i32): i32 {
  const sz = <i32>sizeof<T>();
  const last = nd - 1;
  const len = load<i32>(at(meta, last));
  const asl = load<i32>(at(meta, nd + last)), isl = load<i32>(at(meta, 2 * nd + last)), ssl = load<i32>(at(meta, 3 * nd + last));
  const rows = walkStart(meta, nd, 3);
  for (let r = 0; r < rows; r++) {
    let ae = rowOffset(meta, nd, 3, 0), ie = rowOffset(meta, nd, 3, 1), se = rowOffset(meta, nd, 3, 2);
    for (let b = 0; b < len; b++) {
      const j = load<i32>(idx + (<usize>ie << 2));
      if (<u32>j >= <u32>size) return 0;
      const a = acc + <usize>((ae + j * asD) * sz);
      store<T>(a, load<T>(a) + load<T>(src + <usize>(se * sz)));
      ae += asl;
      ie += isl;
      se += ssl;
    }
    walkNext(meta, nd, 3);
  }
  return 1;
}

/** scatterAdd in float32 (see scatterAdd). */
export function winScatterAddF32(acc: usize, idx: usize, src: usize, meta: usize, nd: i32, size: i32, asD: i32): i32 {
  return scatterAdd<f32>(acc, idx, src, meta, nd, size, asD);
}

/** scatterAdd in float64 (see scatterAdd). */
export function winScatterAddF64(acc: usize, idx: usize, src: usize, meta: usize, nd: i32, size: i32, asD: i32): i32 {
  return scatterAdd<f64>(acc, idx, src, meta, nd, size, asD);
}
