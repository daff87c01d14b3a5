// Elementwise and reduction kernels (see asm/index.ts): unary and binary math, comparisons, where, strided
// copies, sum/prod/max reductions and argmax, for float32 and float64.
//
// The JS side (src/backend/wasm/elementwise.ts) stages the inputs into this memory and describes the loop nest
// in a plan block of i32 words, all written by JS:
//
//   [shape: nd][strides of operand 0: nd]…[strides of operand k-1: nd][counters: nd, zero][offsets: k, zero]
//
// Strides and offsets count elements of each operand's own type. The last dim is the row: kernels run a
// vectorized loop along it (stride 1 or 0 are the fast cases, any other stride gathers lane by lane) and step
// the odometer over the other dims between rows. Elementwise outputs are contiguous and are not operands.
//
// Single-precision transcendental functions compute in double precision (two lanes at a time) and round once,
// so they are within an ulp of Math.* rounded to float32; double-precision ones are left to JS (Math.*).
// Op codes are shared with the JS side: keep both lists in sync.

// ---- op codes (src/backend/wasm/elementwise.ts has the same numbers)

const U_NEG = 0;
const U_EXP = 1;
const U_LOG = 2;
const U_LOG1P = 3;
const U_EXPM1 = 4;
const U_SQRT = 5;
const U_SIN = 6;
const U_COS = 7;
const U_TANH = 8;
const U_SIGMOID = 9;
const U_RELU = 10;
const U_ABS = 11;
const U_SIGN = 12;

const B_ADD = 0;
const B_SUB = 1;
const B_MUL = 2;
const B_DIV = 3;
// 4 is pow: JS only
const B_MAX = 5;
const B_MIN = 6;
const B_GT = 7;
const B_GE = 8;
const B_LT = 9;
const B_LE = 10;
const B_EQ = 11;
const B_NE = 12;

const R_SUM = 0;
const R_PROD = 1;
const R_MAX = 2;

// ---- the plan block and its odometer

@inline function shapeAt(plan: usize, d: i32): i32 {
  return load<i32>(plan + (<usize>d << 2));
}

@inline function strideAt(plan: usize, nd: i32, k: i32, d: i32): i32 {
  return load<i32>(plan + (<usize>((k + 1) * nd + d) << 2));
}

@inline function offsetAt(plan: usize, nd: i32, nops: i32, k: i32): i32 {
  return load<i32>(plan + (<usize>((nops + 2) * nd + k) << 2));
}

/** Number of rows: the product of all dims but the last. */
@inline function rowCount(plan: usize, nd: i32): i32 {
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= shapeAt(plan, d);
  return rows;
}

/** Steps the odometer over dims 0 … nd-2 by one row, moving each operand's offset along its strides. */
function advance(plan: usize, nd: i32, nops: i32): void {
  const cnt = plan + (<usize>((nops + 1) * nd) << 2);
  const offs = cnt + (<usize>nd << 2);
  for (let d = nd - 2; d >= 0; d--) {
    const cp = cnt + (<usize>d << 2);
    const c = load<i32>(cp) + 1;
    const size = shapeAt(plan, d);
    if (c < size) {
      store<i32>(cp, c);
      for (let k = 0; k < nops; k++) {
        const p = offs + (<usize>k << 2);
        store<i32>(p, load<i32>(p) + strideAt(plan, nd, k, d));
      }
      return;
    }
    store<i32>(cp, 0);
    for (let k = 0; k < nops; k++) {
      const p = offs + (<usize>k << 2);
      store<i32>(p, load<i32>(p) - strideAt(plan, nd, k, d) * (size - 1));
    }
  }
}

/** Byte address of element `off` (an element offset, possibly negative) of an array at `base`. */
@inline function at32(base: usize, off: i32): usize {
  return base + (<usize>off << 2);
}

@inline function at64(base: usize, off: i32): usize {
  return base + (<usize>off << 3);
}

// ---- vector loads along a strided row (s: stride in bytes)

@inline function ld4(p: usize, s: i32): v128 {
  if (s == 4) return v128.load(p);
  if (s == 0) return v128.load32_splat(p);
  let v = v128.load32_zero(p);
  v = v128.load32_lane(p + <usize>s, v, 1);
  v = v128.load32_lane(p + <usize>(s * 2), v, 2);
  return v128.load32_lane(p + <usize>(s * 3), v, 3);
}

/** The first `rem` (1 … 3) elements of a row into lanes 0 …; the other lanes are zero. */
@inline function ldTail4(p: usize, s: i32, rem: i32): v128 {
  let v = v128.load32_zero(p);
  if (rem > 1) v = v128.load32_lane(p + <usize>s, v, 1);
  if (rem > 2) v = v128.load32_lane(p + <usize>(s * 2), v, 2);
  return v;
}

@inline function stTail4(p: usize, v: v128, rem: i32): void {
  v128.store32_lane(p, v, 0);
  if (rem > 1) v128.store32_lane(p + 4, v, 1);
  if (rem > 2) v128.store32_lane(p + 8, v, 2);
}

@inline function ld2(p: usize, s: i32): v128 {
  if (s == 8) return v128.load(p);
  if (s == 0) return v128.load64_splat(p);
  return v128.load64_lane(p + <usize>s, v128.load64_zero(p), 1);
}

/** Four bool bytes (stride s) as an i32x4 mask: all ones where the byte is non-zero. */
@inline function mask4(p: usize, s: i32): v128 {
  let v: v128;
  if (s == 1) v = v128.load32_zero(p);
  else if (s == 0) v = v128.load8_splat(p);
  else {
    v = v128.load8_lane(p, i32x4.splat(0), 0);
    v = v128.load8_lane(p + <usize>s, v, 1);
    v = v128.load8_lane(p + <usize>(s * 2), v, 2);
    v = v128.load8_lane(p + <usize>(s * 3), v, 3);
  }
  return i32x4.ne(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v)), i32x4.splat(0));
}

/** Two bool bytes (stride s) as an i64x2 mask. */
@inline function mask2(p: usize, s: i32): v128 {
  let v = v128.load8_lane(p, i32x4.splat(0), 0);
  v = v128.load8_lane(p + <usize>s, v, 1);
  return i64x2.ne(i64x2.extend_low_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v))), i64x2.splat(0));
}

/** Four i32x4 lane masks (all ones / zero) as 0/1 bytes in the low four bytes. */
@inline function bytes4(m: v128): v128 {
  const b = v128.and(m, i32x4.splat(1));
  const h = i16x8.narrow_i32x4_u(b, b);
  return i8x16.narrow_i16x8_u(h, h);
}

// ---- double-precision vector math (two lanes), accurate to ~1e-13 relative: enough to round to float32
// within an ulp (on dense sweeps the float32 results equal Math.* rounded to float32). The polynomials are
// Chebyshev fits on the reduced ranges (coefficients computed for this file, highest degree first).
//
// Constants come from a table in memory: a v128 constant written inline costs V8 three instructions on x64,
// a splatting load one.

const T: usize = memory.data<f64>([
  -200.0, 200.0, // 0, 1: exp's argument clamp (far beyond float32's range of results)
  1.4426950408889634, // 2: log2 e
  0.6931471806019545, // 3: ln 2 to 32 bits (n·LN2HI is exact for |n| < 2^21)
  -4.2009150726810846e-11, // 4: ln 2 − LN2HI
  6755399441055744.0, // 5: 1.5·2^52: x + SHIFT rounds x to an integer, which the low bits then hold
  // 6 … 15: e^r on |r| ≤ ln2/2, degree 9 (error 1.4e-14)
  2.7632640675430236e-06, 2.4884459751751116e-05, 0.0001984119064754424, 0.0013888801749656543,
  0.008333333367311603, 0.04166666704055191, 0.16666666666615648, 0.4999999999943859, 1.0000000000000013,
  1.0000000000000135,
  1.0, 2.0, 0.5, // 16, 17, 18
  1.4142135623730951, // 19: √2
  Infinity, -Infinity, NaN, // 20, 21, 22
  4503599627370496.0 + 1023.0, // 23: 2^52 + the exponent bias
  // 24 … 28: L(z) with ln m = s·(2 + z·L(z)), s = (m − 1)/(m + 1), z = s² ≤ 0.0295 (error 7e-12 in L)
  0.19362653714202008, 0.22191400830308503, 0.2857175453591449, 0.3999999879733759, 0.6666666666737509,
  1e-4, 1.0 / 3.0, -0.25, // 29: log1p's series below this; 30, 31: its coefficients
  1e-3, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, // 32: expm1's (and tanh's) series below this; 33 … 35
  2.0 / 15.0, -1.0 / 3.0, // 36, 37: tanh's series
  0.6366197723675814, // 38: 2/π
  1.5707963267341256, 6.077100506303966e-11, 2.0222662487959506e-21, // 39 … 41: π/2 in 33-bit pieces
  // 42 … 46: S(z) with sin r = r + r·z·S(z), z = r² ≤ (π/4)² (error 3e-14)
  -2.4805636241834762e-08, 2.755599092956532e-06, -0.00019841266916985966, 0.008333333331079223,
  -0.16666666666663885,
  // 47 … 51: C(z) with cos r = 1 − z/2 + z²·C(z) (error 2e-15)
  2.0700600483433117e-09, -2.7556369695573007e-07, 2.4801585210990515e-05, -0.0013888888887277342,
  0.04166666666666468,
  524288.0, // 52: 2^19: beyond this sin and cos take the scalar (exactly reducing) path
]);

const I: usize = memory.data<i64>([
  0x000FFFFFFFFFFFFF, 0x3FF0000000000000, 0x4330000000000000, // 0 mantissa mask, 1 bits of 1.0, 2 bits of 2^52
  0x8000000000000000, 1023, 1, 2, // 3 sign, 4 exponent bias, 5 one, 6 two
]);

@inline function k(i: i32): v128 {
  return v128.load64_splat(T + (<usize>i << 3));
}

@inline function ki(i: i32): v128 {
  return v128.load64_splat(I + (<usize>i << 3));
}

@inline function d2(x: f64): v128 {
  return f64x2.splat(x);
}

/** a·b + c: fused where the relaxed-SIMD build allows it (used only where either rounding is as good). */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

/** Horner over table entries from..to (highest degree first). */
@inline function poly5(x: v128, from: i32): v128 {
  let p = madd(k(from), x, k(from + 1));
  p = madd(p, x, k(from + 2));
  p = madd(p, x, k(from + 3));
  return madd(p, x, k(from + 4));
}

/** eˣ for x in f64 lanes (NaN stays NaN). */
@inline function expD(x: v128): v128 {
  x = f64x2.pmin(f64x2.pmax(x, k(0)), k(1)); // pmin/pmax pass NaN in the first operand through
  const t = madd(x, k(2), k(5));
  const n = f64x2.sub(t, k(5));
  let r = f64x2.sub(x, f64x2.mul(n, k(3)));
  r = f64x2.sub(r, f64x2.mul(n, k(4))); // |r| ≤ 0.347
  let p = madd(k(6), r, k(7));
  p = madd(p, r, k(8));
  p = madd(p, r, k(9));
  p = madd(p, r, k(10));
  p = madd(p, r, k(11));
  p = madd(p, r, k(12));
  p = madd(p, r, k(13));
  p = madd(p, r, k(14));
  p = madd(p, r, k(15));
  // 2^n from n in t's low bits, |n| ≤ 289: a normal double
  return f64x2.mul(p, i64x2.shl(i64x2.add(t, ki(4)), 52));
}

/** ln x for x in f64 lanes (0 → −∞, negative or NaN → NaN, +∞ → +∞). */
@inline function logD(x: v128): v128 {
  // x = m·2^e with m in [√½, √2); the exponent read through the 2^52 trick (valid for positive normal x)
  let m = v128.or(v128.and(x, ki(0)), ki(1));
  let e = f64x2.sub(v128.or(i64x2.shr_u(x, 52), ki(2)), k(23));
  const big = f64x2.gt(m, k(19));
  m = v128.bitselect(f64x2.mul(m, k(18)), m, big);
  e = f64x2.add(e, v128.and(big, k(16)));
  const f = f64x2.sub(m, k(16)); // exact
  const s = f64x2.div(f, f64x2.add(f, k(17)));
  const z = f64x2.mul(s, s);
  const lm = f64x2.mul(s, madd(z, poly5(z, 24), k(17)));
  let r = madd(e, k(3), madd(e, k(4), lm));
  r = v128.bitselect(k(20), r, f64x2.eq(x, k(20)));
  r = v128.bitselect(k(21), r, f64x2.eq(x, d2(0)));
  return v128.bitselect(k(22), r, v128.or(f64x2.lt(x, d2(0)), f64x2.ne(x, x)));
}

/** ln(1 + x): a series near 0 (keeps −0), else ln of 1 + x (exact in double for float32 x with |x| ≥ 1e-4). */
@inline function log1pD(x: v128): v128 {
  let t = madd(x, k(31), k(30));
  t = f64x2.sub(k(18), f64x2.mul(x, t));
  t = f64x2.mul(x, f64x2.sub(k(16), f64x2.mul(x, t)));
  return v128.bitselect(t, logD(f64x2.add(x, k(16))), f64x2.lt(f64x2.abs(x), k(29)));
}

/** eˣ − 1: a series near 0 (keeps −0), else eˣ − 1. */
@inline function expm1D(x: v128): v128 {
  let t = madd(x, k(33), k(34));
  t = madd(t, x, k(35));
  t = madd(t, x, k(18));
  t = f64x2.mul(x, madd(t, x, k(16)));
  return v128.bitselect(t, f64x2.sub(expD(x), k(16)), f64x2.lt(f64x2.abs(x), k(32)));
}

/** tanh x = sign(x)·(1 − 2/(e^{2|x|} + 1)), a series near 0 (keeps −0). */
@inline function tanhD(x: v128): v128 {
  const a = f64x2.abs(x);
  const z = f64x2.mul(x, x);
  const t = f64x2.mul(x, madd(madd(z, k(36), k(37)), z, k(16)));
  let l = f64x2.sub(k(16), f64x2.div(k(17), f64x2.add(expD(f64x2.add(a, a)), k(16))));
  l = v128.or(l, v128.and(x, ki(3)));
  return v128.bitselect(t, l, f64x2.lt(a, k(32)));
}

@inline function sigmoidD(x: v128): v128 {
  return f64x2.div(k(16), f64x2.add(k(16), expD(f64x2.neg(x))));
}

/**
 * sin x (cos: by one more quadrant). Reduction by n·π/2 in three exact pieces for |x| ≤ 2^19; larger (and
 * infinite) lanes go through the scalar library function, which reduces exactly.
 */
@inline function trigD(x: v128, cos: bool): v128 {
  const t = madd(x, k(38), k(5));
  const n = f64x2.sub(t, k(5));
  let r = f64x2.sub(x, f64x2.mul(n, k(39)));
  r = f64x2.sub(r, f64x2.mul(n, k(40)));
  r = f64x2.sub(r, f64x2.mul(n, k(41))); // |r| ≤ π/4
  const z = f64x2.mul(r, r);
  const s = madd(f64x2.mul(r, z), poly5(z, 42), r);
  const c = madd(f64x2.mul(z, z), poly5(z, 47), f64x2.sub(k(16), f64x2.mul(z, k(18))));
  let q = t; // n mod 4 in the low bits
  if (cos) q = i64x2.add(q, ki(5));
  const useCos = i64x2.neg(v128.and(q, ki(5)));
  let res = v128.bitselect(c, s, useCos);
  res = v128.xor(res, i64x2.shl(v128.and(q, ki(6)), 62)); // quadrants 2 and 3 negate (bit 1 of q to the sign)
  if (!cos) res = v128.bitselect(x, res, f64x2.eq(x, d2(0))); // sin(−0) = −0
  if (v128.any_true(f64x2.gt(f64x2.abs(x), k(52)))) {
    const x0 = f64x2.extract_lane(x, 0), x1 = f64x2.extract_lane(x, 1);
    if (Math.abs(x0) > 524288.0) res = f64x2.replace_lane(res, 0, cos ? Math.cos(x0) : Math.sin(x0));
    if (Math.abs(x1) > 524288.0) res = f64x2.replace_lane(res, 1, cos ? Math.cos(x1) : Math.sin(x1));
  }
  return res;
}

/** A double-precision function of two lanes, by op code (only the transcendental ones). */
@inline function transD(op: i32, x: v128): v128 {
  switch (op) {
    case U_EXP: return expD(x);
    case U_LOG: return logD(x);
    case U_LOG1P: return log1pD(x);
    case U_EXPM1: return expm1D(x);
    case U_SIN: return trigD(x, false);
    case U_COS: return trigD(x, true);
    case U_TANH: return tanhD(x);
    default: return sigmoidD(x);
  }
}

// ---- unary
//
// Each op gets its own row function (uNegF32, …, below), its loop compiled for that op alone: with the op as a
// variable, the optimizer merges the loops of all ops into one that branches on the op per vector. Rows of
// stride 1 have their own loop; other strides (0: a broadcast scalar) gather lane by lane.

@inline function unaryVecF32(op: i32, v: v128): v128 {
  switch (op) {
    case U_NEG: return f32x4.neg(v);
    case U_SQRT: return f32x4.sqrt(v);
    case U_ABS: return f32x4.abs(v);
    case U_RELU: return v128.andnot(v, f32x4.le(v, f32x4.splat(0))); // NaN stays, −0 → 0
    case U_SIGN: {
      const pos = v128.and(f32x4.gt(v, f32x4.splat(0)), f32x4.splat(1));
      return v128.or(pos, v128.and(f32x4.lt(v, f32x4.splat(0)), f32x4.splat(-1)));
    }
    default: {
      const lo = transD(op, f64x2.promote_low_f32x4(v));
      const hi = transD(op, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)));
      return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
    }
  }
}

@inline function unaryLoopF32(op: i32, x: usize, sx: i32, o: usize, n: i32): void {
  const s = sx << 2;
  let i = 0;
  if (sx == 1) {
    for (; i + 4 <= n; i += 4) {
      v128.store(o, unaryVecF32(op, v128.load(x)));
      x += 16;
      o += 16;
    }
  } else {
    const step = <usize>(s << 2);
    for (; i + 4 <= n; i += 4) {
      v128.store(o, unaryVecF32(op, ld4(x, s)));
      x += step;
      o += 16;
    }
  }
  if (i < n) stTail4(o, unaryVecF32(op, ldTail4(x, s, n - i)), n - i);
}

function uNegF32(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF32(U_NEG, x, sx, o, n); }
function uExpF32(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF32(U_EXP, x, sx, o, n); }
function uLogF32(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF32(U_LOG, x, sx, o, n); }
function uLog1pF32(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF32(U_LOG1P, x, sx, o, n); }
function uExpm1F32(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF32(U_EXPM1, x, sx, o, n); }
function uSqrtF32(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF32(U_SQRT, x, sx, o, n); }
function uSinF32(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF32(U_SIN, x, sx, o, n); }
function uCosF32(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF32(U_COS, x, sx, o, n); }
function uTanhF32(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF32(U_TANH, x, sx, o, n); }
function uSigmoidF32(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF32(U_SIGMOID, x, sx, o, n); }
function uReluF32(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF32(U_RELU, x, sx, o, n); }
function uAbsF32(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF32(U_ABS, x, sx, o, n); }
function uSignF32(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF32(U_SIGN, x, sx, o, n); }

function unaryRowF32(op: i32, x: usize, sx: i32, o: usize, n: i32): void {
  switch (op) {
    case U_NEG: uNegF32(x, sx, o, n); break;
    case U_EXP: uExpF32(x, sx, o, n); break;
    case U_LOG: uLogF32(x, sx, o, n); break;
    case U_LOG1P: uLog1pF32(x, sx, o, n); break;
    case U_EXPM1: uExpm1F32(x, sx, o, n); break;
    case U_SQRT: uSqrtF32(x, sx, o, n); break;
    case U_SIN: uSinF32(x, sx, o, n); break;
    case U_COS: uCosF32(x, sx, o, n); break;
    case U_TANH: uTanhF32(x, sx, o, n); break;
    case U_SIGMOID: uSigmoidF32(x, sx, o, n); break;
    case U_RELU: uReluF32(x, sx, o, n); break;
    case U_ABS: uAbsF32(x, sx, o, n); break;
    default: uSignF32(x, sx, o, n); break;
  }
}

/** out = op(x), float32; operands: [x]; out contiguous. */
export function unaryF32(op: i32, plan: usize, nd: i32, x: usize, out: usize): void {
  const n = shapeAt(plan, nd - 1), sx = strideAt(plan, nd, 0, nd - 1);
  const rows = rowCount(plan, nd);
  for (let r = 0; r < rows; r++) {
    unaryRowF32(op, at32(x, offsetAt(plan, nd, 1, 0)), sx, out, n);
    out += <usize>n << 2;
    advance(plan, nd, 1);
  }
}

/** The cheap float64 unary ops (neg, sqrt, abs, relu, sign); others stay in JS. */
@inline function unaryVecF64(op: i32, v: v128): v128 {
  switch (op) {
    case U_NEG: return f64x2.neg(v);
    case U_SQRT: return f64x2.sqrt(v);
    case U_ABS: return f64x2.abs(v);
    case U_RELU: return v128.andnot(v, f64x2.le(v, d2(0)));
    default: {
      const pos = v128.and(f64x2.gt(v, d2(0)), d2(1));
      return v128.or(pos, v128.and(f64x2.lt(v, d2(0)), d2(-1)));
    }
  }
}

@inline function unaryLoopF64(op: i32, x: usize, sx: i32, o: usize, n: i32): void {
  const s = sx << 3;
  let i = 0;
  if (sx == 1) {
    for (; i + 2 <= n; i += 2) {
      v128.store(o, unaryVecF64(op, v128.load(x)));
      x += 16;
      o += 16;
    }
  } else {
    const step = <usize>(s << 1);
    for (; i + 2 <= n; i += 2) {
      v128.store(o, unaryVecF64(op, ld2(x, s)));
      x += step;
      o += 16;
    }
  }
  if (i < n) v128.store64_lane(o, unaryVecF64(op, v128.load64_zero(x)), 0);
}

function uNegF64(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF64(U_NEG, x, sx, o, n); }
function uSqrtF64(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF64(U_SQRT, x, sx, o, n); }
function uAbsF64(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF64(U_ABS, x, sx, o, n); }
function uReluF64(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF64(U_RELU, x, sx, o, n); }
function uSignF64(x: usize, sx: i32, o: usize, n: i32): void { unaryLoopF64(U_SIGN, x, sx, o, n); }

function unaryRowF64(op: i32, x: usize, sx: i32, o: usize, n: i32): void {
  switch (op) {
    case U_NEG: uNegF64(x, sx, o, n); break;
    case U_SQRT: uSqrtF64(x, sx, o, n); break;
    case U_ABS: uAbsF64(x, sx, o, n); break;
    case U_RELU: uReluF64(x, sx, o, n); break;
    default: uSignF64(x, sx, o, n); break;
  }
}

/** out = op(x), float64 (neg, sqrt, abs, relu, sign); operands: [x]. */
export function unaryF64(op: i32, plan: usize, nd: i32, x: usize, out: usize): void {
  const n = shapeAt(plan, nd - 1), sx = strideAt(plan, nd, 0, nd - 1);
  const rows = rowCount(plan, nd);
  for (let r = 0; r < rows; r++) {
    unaryRowF64(op, at64(x, offsetAt(plan, nd, 1, 0)), sx, out, n);
    out += <usize>n << 3;
    advance(plan, nd, 1);
  }
}

// ---- binary (arithmetic → same type, comparisons → bool bytes), one row function per op as for unary.
// Rows where both operands have stride 1, or one has stride 1 and the other 0 (a broadcast scalar or a bias),
// have their own loops; any other strides gather lane by lane.

@inline function binaryVecF32(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case B_ADD: return f32x4.add(a, b);
    case B_SUB: return f32x4.sub(a, b);
    case B_MUL: return f32x4.mul(a, b);
    case B_DIV: return f32x4.div(a, b);
    case B_MAX: return f32x4.max(a, b); // NaN-propagating, −0 < +0: as Math.max
    case B_MIN: return f32x4.min(a, b);
    case B_GT: return f32x4.gt(a, b);
    case B_GE: return f32x4.ge(a, b);
    case B_LT: return f32x4.lt(a, b);
    case B_LE: return f32x4.le(a, b);
    case B_EQ: return f32x4.eq(a, b);
    default: return f32x4.ne(a, b);
  }
}

/** Stores four results: floats, or (comparisons) four 0/1 bytes. */
@inline function put4(op: i32, o: usize, v: v128): void {
  if (op >= B_GT) v128.store32_lane(o, bytes4(v), 0);
  else v128.store(o, v);
}

@inline function binaryLoopF32(op: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void {
  const s = sa << 2, t = sb << 2;
  const ob: usize = op >= B_GT ? 4 : 16; // output bytes per vector
  let i = 0;
  if (sa == 1 && sb == 1) {
    for (; i + 4 <= n; i += 4) {
      put4(op, o, binaryVecF32(op, v128.load(a), v128.load(b)));
      a += 16;
      b += 16;
      o += ob;
    }
  } else if (sa == 1 && sb == 0) {
    const bv = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) {
      put4(op, o, binaryVecF32(op, v128.load(a), bv));
      a += 16;
      o += ob;
    }
  } else if (sa == 0 && sb == 1) {
    const av = v128.load32_splat(a);
    for (; i + 4 <= n; i += 4) {
      put4(op, o, binaryVecF32(op, av, v128.load(b)));
      b += 16;
      o += ob;
    }
  } else {
    const stepA = <usize>(s << 2), stepB = <usize>(t << 2);
    for (; i + 4 <= n; i += 4) {
      put4(op, o, binaryVecF32(op, ld4(a, s), ld4(b, t)));
      a += stepA;
      b += stepB;
      o += ob;
    }
  }
  if (i < n) {
    const rem = n - i;
    const v = binaryVecF32(op, ldTail4(a, s, rem), ldTail4(b, t, rem));
    if (op >= B_GT) {
      const m = bytes4(v);
      v128.store8_lane(o, m, 0);
      if (rem > 1) v128.store8_lane(o + 1, m, 1);
      if (rem > 2) v128.store8_lane(o + 2, m, 2);
    } else {
      stTail4(o, v, rem);
    }
  }
}

function bAddF32(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF32(B_ADD, a, sa, b, sb, o, n); }
function bSubF32(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF32(B_SUB, a, sa, b, sb, o, n); }
function bMulF32(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF32(B_MUL, a, sa, b, sb, o, n); }
function bDivF32(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF32(B_DIV, a, sa, b, sb, o, n); }
function bMaxF32(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF32(B_MAX, a, sa, b, sb, o, n); }
function bMinF32(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF32(B_MIN, a, sa, b, sb, o, n); }
function bGtF32(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF32(B_GT, a, sa, b, sb, o, n); }
function bGeF32(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF32(B_GE, a, sa, b, sb, o, n); }
function bLtF32(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF32(B_LT, a, sa, b, sb, o, n); }
function bLeF32(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF32(B_LE, a, sa, b, sb, o, n); }
function bEqF32(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF32(B_EQ, a, sa, b, sb, o, n); }
function bNeF32(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF32(B_NE, a, sa, b, sb, o, n); }

function binaryRowF32(op: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void {
  switch (op) {
    case B_ADD: bAddF32(a, sa, b, sb, o, n); break;
    case B_SUB: bSubF32(a, sa, b, sb, o, n); break;
    case B_MUL: bMulF32(a, sa, b, sb, o, n); break;
    case B_DIV: bDivF32(a, sa, b, sb, o, n); break;
    case B_MAX: bMaxF32(a, sa, b, sb, o, n); break;
    case B_MIN: bMinF32(a, sa, b, sb, o, n); break;
    case B_GT: bGtF32(a, sa, b, sb, o, n); break;
    case B_GE: bGeF32(a, sa, b, sb, o, n); break;
    case B_LT: bLtF32(a, sa, b, sb, o, n); break;
    case B_LE: bLeF32(a, sa, b, sb, o, n); break;
    case B_EQ: bEqF32(a, sa, b, sb, o, n); break;
    default: bNeF32(a, sa, b, sb, o, n); break;
  }
}

/** out = a op b, float32 inputs (out float32, or bool bytes for comparisons); operands: [a, b]. */
export function binaryF32(op: i32, plan: usize, nd: i32, a: usize, b: usize, out: usize): void {
  const n = shapeAt(plan, nd - 1);
  const sa = strideAt(plan, nd, 0, nd - 1), sb = strideAt(plan, nd, 1, nd - 1);
  const rows = rowCount(plan, nd);
  const rowBytes = <usize>(op >= B_GT ? n : n << 2);
  for (let r = 0; r < rows; r++) {
    binaryRowF32(op, at32(a, offsetAt(plan, nd, 2, 0)), sa, at32(b, offsetAt(plan, nd, 2, 1)), sb, out, n);
    out += rowBytes;
    advance(plan, nd, 2);
  }
}

@inline function binaryVecF64(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case B_ADD: return f64x2.add(a, b);
    case B_SUB: return f64x2.sub(a, b);
    case B_MUL: return f64x2.mul(a, b);
    case B_DIV: return f64x2.div(a, b);
    case B_MAX: return f64x2.max(a, b);
    case B_MIN: return f64x2.min(a, b);
    case B_GT: return f64x2.gt(a, b);
    case B_GE: return f64x2.ge(a, b);
    case B_LT: return f64x2.lt(a, b);
    case B_LE: return f64x2.le(a, b);
    case B_EQ: return f64x2.eq(a, b);
    default: return f64x2.ne(a, b);
  }
}

/** Stores two results: doubles, or (comparisons) two 0/1 bytes. */
@inline function put2(op: i32, o: usize, v: v128): void {
  if (op >= B_GT) {
    const m = v128.and(v, i64x2.splat(1));
    v128.store16_lane(o, i8x16.shuffle(m, m, 0, 8, 0, 8, 0, 8, 0, 8, 0, 8, 0, 8, 0, 8, 0, 8), 0);
  } else {
    v128.store(o, v);
  }
}

@inline function binaryLoopF64(op: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void {
  const s = sa << 3, t = sb << 3;
  const ob: usize = op >= B_GT ? 2 : 16;
  let i = 0;
  if (sa == 1 && sb == 1) {
    for (; i + 2 <= n; i += 2) {
      put2(op, o, binaryVecF64(op, v128.load(a), v128.load(b)));
      a += 16;
      b += 16;
      o += ob;
    }
  } else if (sa == 1 && sb == 0) {
    const bv = v128.load64_splat(b);
    for (; i + 2 <= n; i += 2) {
      put2(op, o, binaryVecF64(op, v128.load(a), bv));
      a += 16;
      o += ob;
    }
  } else if (sa == 0 && sb == 1) {
    const av = v128.load64_splat(a);
    for (; i + 2 <= n; i += 2) {
      put2(op, o, binaryVecF64(op, av, v128.load(b)));
      b += 16;
      o += ob;
    }
  } else {
    const stepA = <usize>(s << 1), stepB = <usize>(t << 1);
    for (; i + 2 <= n; i += 2) {
      put2(op, o, binaryVecF64(op, ld2(a, s), ld2(b, t)));
      a += stepA;
      b += stepB;
      o += ob;
    }
  }
  if (i < n) {
    const v = binaryVecF64(op, v128.load64_zero(a), v128.load64_zero(b));
    if (op >= B_GT) store<u8>(o, <u8>(i64x2.extract_lane(v, 0) != 0 ? 1 : 0));
    else v128.store64_lane(o, v, 0);
  }
}

function bAddF64(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF64(B_ADD, a, sa, b, sb, o, n); }
function bSubF64(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF64(B_SUB, a, sa, b, sb, o, n); }
function bMulF64(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF64(B_MUL, a, sa, b, sb, o, n); }
function bDivF64(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF64(B_DIV, a, sa, b, sb, o, n); }
function bMaxF64(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF64(B_MAX, a, sa, b, sb, o, n); }
function bMinF64(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF64(B_MIN, a, sa, b, sb, o, n); }
function bGtF64(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF64(B_GT, a, sa, b, sb, o, n); }
function bGeF64(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF64(B_GE, a, sa, b, sb, o, n); }
function bLtF64(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF64(B_LT, a, sa, b, sb, o, n); }
function bLeF64(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF64(B_LE, a, sa, b, sb, o, n); }
function bEqF64(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF64(B_EQ, a, sa, b, sb, o, n); }
function bNeF64(a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void { binaryLoopF64(B_NE, a, sa, b, sb, o, n); }

function binaryRowF64(op: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void {
  switch (op) {
    case B_ADD: bAddF64(a, sa, b, sb, o, n); break;
    case B_SUB: bSubF64(a, sa, b, sb, o, n); break;
    case B_MUL: bMulF64(a, sa, b, sb, o, n); break;
    case B_DIV: bDivF64(a, sa, b, sb, o, n); break;
    case B_MAX: bMaxF64(a, sa, b, sb, o, n); break;
    case B_MIN: bMinF64(a, sa, b, sb, o, n); break;
    case B_GT: bGtF64(a, sa, b, sb, o, n); break;
    case B_GE: bGeF64(a, sa, b, sb, o, n); break;
    case B_LT: bLtF64(a, sa, b, sb, o, n); break;
    case B_LE: bLeF64(a, sa, b, sb, o, n); break;
    case B_EQ: bEqF64(a, sa, b, sb, o, n); break;
    default: bNeF64(a, sa, b, sb, o, n); break;
  }
}

/** out = a op b, float64 inputs; operands: [a, b]. */
export function binaryF64(op: i32, plan: usize, nd: i32, a: usize, b: usize, out: usize): void {
  const n = shapeAt(plan, nd - 1);
  const sa = strideAt(plan, nd, 0, nd - 1), sb = strideAt(plan, nd, 1, nd - 1);
  const rows = rowCount(plan, nd);
  const rowBytes = <usize>(op >= B_GT ? n : n << 3);
  for (let r = 0; r < rows; r++) {
    binaryRowF64(op, at64(a, offsetAt(plan, nd, 2, 0)), sa, at64(b, offsetAt(plan, nd, 2, 1)), sb, out, n);
    out += rowBytes;
    advance(plan, nd, 2);
  }
}

// ---- where

/** out = c ? x : y, float32 x and y, bool c; operands: [c, x, y]. */
export function whereF32(plan: usize, nd: i32, c: usize, x: usize, y: usize, out: usize): void {
  const n = shapeAt(plan, nd - 1);
  const sc = strideAt(plan, nd, 0, nd - 1);
  const sx = strideAt(plan, nd, 1, nd - 1) << 2, sy = strideAt(plan, nd, 2, nd - 1) << 2;
  const rows = rowCount(plan, nd);
  for (let r = 0; r < rows; r++) {
    let cp = c + <usize>offsetAt(plan, nd, 3, 0);
    let xp = at32(x, offsetAt(plan, nd, 3, 1)), yp = at32(y, offsetAt(plan, nd, 3, 2));
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      v128.store(out, v128.bitselect(ld4(xp, sx), ld4(yp, sy), mask4(cp, sc)));
      cp += <usize>(sc << 2);
      xp += <usize>(sx << 2);
      yp += <usize>(sy << 2);
      out += 16;
    }
    for (; i < n; i++) {
      store<f32>(out, load<u8>(cp) ? load<f32>(xp) : load<f32>(yp));
      cp += <usize>sc;
      xp += <usize>sx;
      yp += <usize>sy;
      out += 4;
    }
    advance(plan, nd, 3);
  }
}

/** out = c ? x : y, float64 x and y; operands: [c, x, y]. */
export function whereF64(plan: usize, nd: i32, c: usize, x: usize, y: usize, out: usize): void {
  const n = shapeAt(plan, nd - 1);
  const sc = strideAt(plan, nd, 0, nd - 1);
  const sx = strideAt(plan, nd, 1, nd - 1) << 3, sy = strideAt(plan, nd, 2, nd - 1) << 3;
  const rows = rowCount(plan, nd);
  for (let r = 0; r < rows; r++) {
    let cp = c + <usize>offsetAt(plan, nd, 3, 0);
    let xp = at64(x, offsetAt(plan, nd, 3, 1)), yp = at64(y, offsetAt(plan, nd, 3, 2));
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      v128.store(out, v128.bitselect(ld2(xp, sx), ld2(yp, sy), mask2(cp, sc)));
      cp += <usize>(sc << 1);
      xp += <usize>(sx << 1);
      yp += <usize>(sy << 1);
      out += 16;
    }
    if (i < n) store<f64>(out, load<u8>(cp) ? load<f64>(xp) : load<f64>(yp));
    out += <usize>(n - i) << 3;
    advance(plan, nd, 3);
  }
}

// ---- strided copies (gather into a contiguous output)

/** out = x laid out contiguously, 4-byte elements; operands: [x]. */
export function gather32(plan: usize, nd: i32, x: usize, out: usize): void {
  const n = shapeAt(plan, nd - 1), sx = strideAt(plan, nd, 0, nd - 1);
  const rows = rowCount(plan, nd);
  const s = <usize>(sx << 2);
  for (let r = 0; r < rows; r++) {
    let p = at32(x, offsetAt(plan, nd, 1, 0));
    if (sx == 1) {
      memory.copy(out, p, <usize>n << 2);
      out += <usize>n << 2;
    } else {
      for (let i = 0; i < n; i++) {
        store<u32>(out, load<u32>(p));
        p += s;
        out += 4;
      }
    }
    advance(plan, nd, 1);
  }
}

/** out = x laid out contiguously, 8-byte elements; operands: [x]. */
export function gather64(plan: usize, nd: i32, x: usize, out: usize): void {
  const n = shapeAt(plan, nd - 1), sx = strideAt(plan, nd, 0, nd - 1);
  const rows = rowCount(plan, nd);
  const s = <usize>(sx << 3);
  for (let r = 0; r < rows; r++) {
    let p = at64(x, offsetAt(plan, nd, 1, 0));
    if (sx == 1) {
      memory.copy(out, p, <usize>n << 3);
      out += <usize>n << 3;
    } else {
      for (let i = 0; i < n; i++) {
        store<u64>(out, load<u64>(p));
        p += s;
        out += 8;
      }
    }
    advance(plan, nd, 1);
  }
}

// ---- reductions into float64 accumulators (sum, prod, max), as the reference: acc[o] = step(acc[o], x)

/** The reference's max step: a larger value or any NaN replaces the accumulator (which then stays NaN). */
@inline function maxStep(acc: f64, v: f64): f64 {
  return v > acc || v != v ? v : acc;
}

/** Sum of a float32 row in double precision (four partial sums when contiguous). */
function rowSumF32(p: usize, s: i32, n: i32): f64 {
  let i = 0;
  let sum = 0.0;
  if (s == 1) {
    let a0 = d2(0), a1 = d2(0), a2 = d2(0), a3 = d2(0);
    for (; i + 8 <= n; i += 8) {
      const v = v128.load(p), w = v128.load(p, 16);
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
      a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)));
      a2 = f64x2.add(a2, f64x2.promote_low_f32x4(w));
      a3 = f64x2.add(a3, f64x2.promote_low_f32x4(i32x4.shuffle(w, w, 2, 3, 2, 3)));
      p += 32;
    }
    const t = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
    sum = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  }
  const st = <usize>(s << 2);
  for (; i < n; i++) {
    sum += <f64>load<f32>(p);
    p += st;
  }
  return sum;
}

function rowSumF64(p: usize, s: i32, n: i32): f64 {
  let i = 0;
  let sum = 0.0;
  if (s == 1) {
    let a0 = d2(0), a1 = d2(0);
    for (; i + 4 <= n; i += 4) {
      a0 = f64x2.add(a0, v128.load(p));
      a1 = f64x2.add(a1, v128.load(p, 16));
      p += 32;
    }
    const t = f64x2.add(a0, a1);
    sum = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  }
  const st = <usize>(s << 3);
  for (; i < n; i++) {
    sum += load<f64>(p);
    p += st;
  }
  return sum;
}

/** The reference's max over a float32 row, from −∞: value by lanes, then the sign of a zero maximum fixed. */
function rowMaxF32(p: usize, s: i32, n: i32): f64 {
  let m: f64 = -Infinity;
  let i = 0;
  const p0 = p;
  const st = <usize>(s << 2);
  if (s == 1 && n >= 8) {
    let mv = f32x4.splat(-Infinity);
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(p);
      mv = v128.bitselect(v, mv, v128.or(f32x4.gt(v, mv), f32x4.ne(v, v)));
      p += 16;
    }
    m = maxStep(m, <f64>f32x4.extract_lane(mv, 0));
    m = maxStep(m, <f64>f32x4.extract_lane(mv, 1));
    m = maxStep(m, <f64>f32x4.extract_lane(mv, 2));
    m = maxStep(m, <f64>f32x4.extract_lane(mv, 3));
  }
  for (; i < n; i++) {
    m = maxStep(m, <f64>load<f32>(p));
    p += st;
  }
  if (m == 0) {
    // the reference keeps the first of equal maxima: the first zero, with its sign
    p = p0;
    for (let j = 0; j < n; j++) {
      const v = load<f32>(p);
      if (v == 0) return <f64>v;
      p += st;
    }
  }
  return m;
}

function rowMaxF64(p: usize, s: i32, n: i32): f64 {
  let m: f64 = -Infinity;
  let i = 0;
  const p0 = p;
  const st = <usize>(s << 3);
  if (s == 1 && n >= 4) {
    let mv = d2(-Infinity);
    for (; i + 2 <= n; i += 2) {
      const v = v128.load(p);
      mv = v128.bitselect(v, mv, v128.or(f64x2.gt(v, mv), f64x2.ne(v, v)));
      p += 16;
    }
    m = maxStep(m, f64x2.extract_lane(mv, 0));
    m = maxStep(m, f64x2.extract_lane(mv, 1));
  }
  for (; i < n; i++) {
    m = maxStep(m, load<f64>(p));
    p += st;
  }
  if (m == 0) {
    p = p0;
    for (let j = 0; j < n; j++) {
      const v = load<f64>(p);
      if (v == 0) return v;
      p += st;
    }
  }
  return m;
}

/**
 * Reduces float32 x into float64 accumulators acc (initialized by JS: 0, 1 or −∞); operands: [x, acc], acc's
 * strides 0 along reduced dims. A row with acc stride 0 is reduced and then stepped into its accumulator; a row
 * with acc stride 1 steps a run of accumulators (vectorized when x is contiguous too).
 */
export function reduceF32(op: i32, plan: usize, nd: i32, x: usize, acc: usize): void {
  const n = shapeAt(plan, nd - 1);
  const sx = strideAt(plan, nd, 0, nd - 1), sa = strideAt(plan, nd, 1, nd - 1);
  const rows = rowCount(plan, nd);
  const stx = <usize>(sx << 2), sta = <usize>(sa << 3);
  for (let r = 0; r < rows; r++) {
    let xp = at32(x, offsetAt(plan, nd, 2, 0));
    let ap = at64(acc, offsetAt(plan, nd, 2, 1));
    if (sa == 0) {
      if (op == R_SUM) store<f64>(ap, load<f64>(ap) + rowSumF32(xp, sx, n));
      else if (op == R_MAX) store<f64>(ap, maxStep(load<f64>(ap), rowMaxF32(xp, sx, n)));
      else {
        let a = load<f64>(ap);
        for (let i = 0; i < n; i++) {
          a *= <f64>load<f32>(xp);
          xp += stx;
        }
        store<f64>(ap, a);
      }
    } else {
      let i = 0;
      if (sa == 1 && sx == 1 && op != R_PROD) {
        for (; i + 4 <= n; i += 4) {
          const v = v128.load(xp);
          const lo = f64x2.promote_low_f32x4(v), hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3));
          const a0 = v128.load(ap), a1 = v128.load(ap, 16);
          if (op == R_SUM) {
            v128.store(ap, f64x2.add(a0, lo));
            v128.store(ap, f64x2.add(a1, hi), 16);
          } else {
            v128.store(ap, v128.bitselect(lo, a0, v128.or(f64x2.gt(lo, a0), f64x2.ne(lo, lo))));
            v128.store(ap, v128.bitselect(hi, a1, v128.or(f64x2.gt(hi, a1), f64x2.ne(hi, hi))), 16);
          }
          xp += 16;
          ap += 32;
        }
      }
      for (; i < n; i++) {
        const v = <f64>load<f32>(xp), a = load<f64>(ap);
        store<f64>(ap, op == R_SUM ? a + v : op == R_PROD ? a * v : maxStep(a, v));
        xp += stx;
        ap += sta;
      }
    }
    advance(plan, nd, 2);
  }
}

/** As reduceF32, for float64 x. */
export function reduceF64(op: i32, plan: usize, nd: i32, x: usize, acc: usize): void {
  const n = shapeAt(plan, nd - 1);
  const sx = strideAt(plan, nd, 0, nd - 1), sa = strideAt(plan, nd, 1, nd - 1);
  const rows = rowCount(plan, nd);
  const stx = <usize>(sx << 3), sta = <usize>(sa << 3);
  for (let r = 0; r < rows; r++) {
    let xp = at64(x, offsetAt(plan, nd, 2, 0));
    let ap = at64(acc, offsetAt(plan, nd, 2, 1));
    if (sa == 0) {
      if (op == R_SUM) store<f64>(ap, load<f64>(ap) + rowSumF64(xp, sx, n));
      else if (op == R_MAX) store<f64>(ap, maxStep(load<f64>(ap), rowMaxF64(xp, sx, n)));
      else {
        let a = load<f64>(ap);
        for (let i = 0; i < n; i++) {
          a *= load<f64>(xp);
          xp += stx;
        }
        store<f64>(ap, a);
      }
    } else {
      let i = 0;
      if (sa == 1 && sx == 1 && op != R_PROD) {
        for (; i + 2 <= n; i += 2) {
          const v = v128.load(xp), a = v128.load(ap);
          if (op == R_SUM) v128.store(ap, f64x2.add(a, v));
          else v128.store(ap, v128.bitselect(v, a, v128.or(f64x2.gt(v, a), f64x2.ne(v, v))));
          xp += 16;
          ap += 16;
        }
      }
      for (; i < n; i++) {
        const v = load<f64>(xp), a = load<f64>(ap);
        store<f64>(ap, op == R_SUM ? a + v : op == R_PROD ? a * v : maxStep(a, v));
        xp += stx;
        ap += sta;
      }
    }
    advance(plan, nd, 2);
  }
}

// ---- argmax along one dim: the first maximum wins, a NaN counts as the maximum (the first NaN wins)
// Operands: [x, out, r], where out's strides are 0 along the reduced dim and r's stride is 1 there and 0
// elsewhere (so r's offset is the position along the reduced dim). best holds the running maxima (x's type).

/** float32 x; best float32, idx int32, both of out's size. */
export function argmaxF32(plan: usize, nd: i32, x: usize, best: usize, idx: usize): void {
  const n = shapeAt(plan, nd - 1);
  const sx = strideAt(plan, nd, 0, nd - 1), so = strideAt(plan, nd, 1, nd - 1), sr = strideAt(plan, nd, 2, nd - 1);
  const rows = rowCount(plan, nd);
  const stx = <usize>(sx << 2), sto = <usize>(so << 2);
  for (let r = 0; r < rows; r++) {
    let xp = at32(x, offsetAt(plan, nd, 3, 0));
    const oo = offsetAt(plan, nd, 3, 1), k = offsetAt(plan, nd, 3, 2);
    if (sr == 1) {
      // the row runs along the reduced dim: one output
      let b = load<f32>(xp);
      let bi = 0;
      for (let i = 1; i < n && b == b; i++) {
        xp += stx;
        const v = load<f32>(xp);
        if (v > b || v != v) {
          b = v;
          bi = i;
        }
      }
      store<i32>(at32(idx, oo), bi);
    } else {
      // the row runs along kept dims at position k of the reduced dim
      let bp = at32(best, oo), ip = at32(idx, oo);
      let i = 0;
      if (k == 0) {
        for (; i < n; i++) {
          store<f32>(bp, load<f32>(xp));
          store<i32>(ip, 0);
          xp += stx;
          bp += sto;
          ip += sto;
        }
      } else {
        if (sx == 1 && so == 1) {
          const kv = i32x4.splat(k);
          for (; i + 4 <= n; i += 4) {
            const v = v128.load(xp), b = v128.load(bp);
            const m = v128.and(f32x4.eq(b, b), v128.or(f32x4.gt(v, b), f32x4.ne(v, v)));
            v128.store(bp, v128.bitselect(v, b, m));
            v128.store(ip, v128.bitselect(kv, v128.load(ip), m));
            xp += 16;
            bp += 16;
            ip += 16;
          }
        }
        for (; i < n; i++) {
          const v = load<f32>(xp), b = load<f32>(bp);
          if (b == b && (v > b || v != v)) {
            store<f32>(bp, v);
            store<i32>(ip, k);
          }
          xp += stx;
          bp += sto;
          ip += sto;
        }
      }
    }
    advance(plan, nd, 3);
  }
}

/** float64 x; best float64, idx int32. */
export function argmaxF64(plan: usize, nd: i32, x: usize, best: usize, idx: usize): void {
  const n = shapeAt(plan, nd - 1);
  const sx = strideAt(plan, nd, 0, nd - 1), so = strideAt(plan, nd, 1, nd - 1), sr = strideAt(plan, nd, 2, nd - 1);
  const rows = rowCount(plan, nd);
  const stx = <usize>(sx << 3), stb = <usize>(so << 3), sti = <usize>(so << 2);
  for (let r = 0; r < rows; r++) {
    let xp = at64(x, offsetAt(plan, nd, 3, 0));
    const oo = offsetAt(plan, nd, 3, 1), k = offsetAt(plan, nd, 3, 2);
    if (sr == 1) {
      let b = load<f64>(xp);
      let bi = 0;
      for (let i = 1; i < n && b == b; i++) {
        xp += stx;
        const v = load<f64>(xp);
        if (v > b || v != v) {
          b = v;
          bi = i;
        }
      }
      store<i32>(at32(idx, oo), bi);
    } else {
      let bp = at64(best, oo), ip = at32(idx, oo);
      for (let i = 0; i < n; i++) {
        const v = load<f64>(xp);
        if (k == 0) {
          store<f64>(bp, v);
          store<i32>(ip, 0);
        } else {
          const b = load<f64>(bp);
          if (b == b && (v > b || v != v)) {
            store<f64>(bp, v);
            store<i32>(ip, k);
          }
        }
        xp += stx;
        bp += stb;
        ip += sti;
      }
    }
    advance(plan, nd, 3);
  }
}
