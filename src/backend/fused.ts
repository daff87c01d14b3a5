import { Fused, type FusedKernel, type FusedParams, type Out } from './prim.js';

// The fused optimizer updates as plain loops, shared by every backend. Each mirrors the tensor-op form of the
// update op for op — in float32, every intermediate is rounded to float32 (Math.fround) where a float32 tensor
// op would round it, and scalars are rounded as a 0-d float32 operand would be — so the fused and unfused
// forms agree bit for bit, and both follow PyTorch's order of operations.

function adam([param, grad, m, v, vmax]: readonly Out[], o: FusedParams[Fused.Adam]): void {
  // a local arrow V8 inlines (calling Math.fround through a variable is 15× slower)
  const f32 = param.dtype === 'float32';
  const r = (x: number) => (f32 ? Math.fround(x) : x);
  const p = param.data, g0 = grad.data, md = m.data, vd = v.data, vm = vmax?.data;
  const l2 = o.decoupled ? 0 : o.weightDecay;
  const wd = r(l2), shrink = r(1 - o.lr * o.weightDecay);
  const b1 = r(o.beta1), c1 = r(1 - o.beta1), b2 = r(o.beta2), c2 = r(1 - o.beta2);
  const bc2 = r(Math.sqrt(1 - o.beta2 ** o.step)), eps = r(o.eps), stepSize = r(o.lr / (1 - o.beta1 ** o.step));
  for (let i = 0; i < p.length; i++) {
    let g = o.maximize ? -g0[i] : g0[i];
    // g ← g + λθ (Adam's L2 penalty)
    if (l2 !== 0) g = r(g + r(p[i] * wd));
    // θ ← θ(1 − γλ) (AdamW's decoupled decay)
    if (o.decoupled) p[i] = r(p[i] * shrink);
    // m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²
    const mi = (md[i] = r(r(md[i] * b1) + r(g * c1)));
    let vi = (vd[i] = r(r(vd[i] * b2) + r(r(g * c2) * g)));
    if (vm) {
      vi = vm[i] = Math.max(vm[i], vi);
    }
    // θ ← θ − γ/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ε)
    const denom = r(r(r(Math.sqrt(vi)) / bc2) + eps);
    p[i] = r(p[i] - r(r(mi / denom) * stepSize));
  }
}

function sgd([param, grad, buf]: readonly Out[], o: FusedParams[Fused.Sgd]): void {
  const f32 = param.dtype === 'float32';
  const r = (x: number) => (f32 ? Math.fround(x) : x);
  const p = param.data, g0 = grad.data, bd = buf?.data;
  const wd = r(o.weightDecay), mom = r(o.momentum), damp = r(1 - o.dampening), lr = r(o.lr);
  for (let i = 0; i < p.length; i++) {
    let g = o.maximize ? -g0[i] : g0[i];
    // g ← g + λθ
    if (o.weightDecay !== 0) g = r(g + r(p[i] * wd));
    if (bd) {
      // b ← g at first, then b ← μb + (1 − τ)g;  g ← g + μb (Nesterov) or b
      const b = (bd[i] = o.first ? g : r(r(bd[i] * mom) + r(g * damp)));
      g = o.nesterov ? r(g + r(b * mom)) : b;
    }
    // θ ← θ − γg
    p[i] = r(p[i] - r(g * lr));
  }
}

/** The fused updates as plain loops (the reference for every backend). */
export const fusedUpdates: { readonly [F in Fused]: FusedKernel<F> } = {
  [Fused.Adam]: adam,
  [Fused.Sgd]: sgd,
};
