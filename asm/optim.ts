// Fused optimizer updates on float32 (see src/backend/fused.ts for the algorithm and the order of operations).
// f32x4 arithmetic rounds each operation to float32 exactly as the JS loops' Math.fround does, so both give the
// same bits. No relaxed (fused) multiply-add here: it would round differently.

/**
 * Adam/AdamW on n floats at p (param), g (grad), m, v and, when vmax ≠ 0, the AMSGrad maximum. Scalars come
 * rounded to float32; flags: l2 (add wd·θ to g), decoupled (θ ← θ·shrink), maximize.
 */
export function adamF32(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  b1: f32, c1: f32, b2: f32, c2: f32, bc2: f32, eps: f32, stepSize: f32, wd: f32, shrink: f32,
  l2: bool, decoupled: bool, maximize: bool,
): void {
  const B1 = f32x4.splat(b1), C1 = f32x4.splat(c1), B2 = f32x4.splat(b2), C2 = f32x4.splat(c2);
  const BC2 = f32x4.splat(bc2), EPS = f32x4.splat(eps), STEP = f32x4.splat(stepSize), WD = f32x4.splat(wd), SHRINK = f32x4.splat(shrink);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let pv = v128.load(p + o);
    let gv = v128.load(g + o);
    if (maximize) gv = f32x4.neg(gv);
    if (l2) gv = f32x4.add(gv, f32x4.mul(pv, WD));
    if (decoupled) pv = f32x4.mul(pv, SHRINK);
    const mv = f32x4.add(f32x4.mul(v128.load(m + o), B1), f32x4.mul(gv, C1));
    let vv = f32x4.add(f32x4.mul(v128.load(v + o), B2), f32x4.mul(f32x4.mul(gv, C2), gv));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    if (vmax) {
      vv = f32x4.max(v128.load(vmax + o), vv);
      v128.store(vmax + o, vv);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), BC2), EPS);
    v128.store(p + o, f32x4.sub(pv, f32x4.mul(f32x4.div(mv, denom), STEP)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let pi = load<f32>(p + o);
    let gi = load<f32>(g + o);
    if (maximize) gi = -gi;
    if (l2) gi = gi + pi * wd;
    if (decoupled) pi = pi * shrink;
    const mi = load<f32>(m + o) * b1 + gi * c1;
    let vi = load<f32>(v + o) * b2 + gi * c2 * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    if (vmax) {
      const prev = load<f32>(vmax + o);
      vi = max(prev, vi); // f32.max: NaN wins, as Math.max
      store<f32>(vmax + o, vi);
    }
    const denom = sqrt<f32>(vi) / bc2 + eps;
    store<f32>(p + o, pi - (mi / denom) * stepSize);
  }
}

/** SGD on n floats at p, g and, when buf ≠ 0, the momentum buffer (first: it is new, so b ← g). */
export function sgdF32(
  p: usize, g: usize, buf: usize, n: i32,
  wd: f32, mom: f32, damp: f32, lr: f32,
  useWd: bool, nesterov: bool, maximize: bool, first: bool,
): void {
  const WD = f32x4.splat(wd), MOM = f32x4.splat(mom), DAMP = f32x4.splat(damp), LR = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pv = v128.load(p + o);
    let gv = v128.load(g + o);
    if (maximize) gv = f32x4.neg(gv);
    if (useWd) gv = f32x4.add(gv, f32x4.mul(pv, WD));
    if (buf) {
      const bv = first ? gv : f32x4.add(f32x4.mul(v128.load(buf + o), MOM), f32x4.mul(gv, DAMP));
      v128.store(buf + o, bv);
      gv = nesterov ? f32x4.add(gv, f32x4.mul(bv, MOM)) : bv;
    }
    v128.store(p + o, f32x4.sub(pv, f32x4.mul(gv, LR)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pi = load<f32>(p + o);
    let gi = load<f32>(g + o);
    if (maximize) gi = -gi;
    if (useWd) gi = gi + pi * wd;
    if (buf) {
      const bi = first ? gi : load<f32>(buf + o) * mom + gi * damp;
      store<f32>(buf + o, bi);
      gi = nesterov ? gi + bi * mom : bi;
    }
    store<f32>(p + o, pi - gi * lr);
  }
}
