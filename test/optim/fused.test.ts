// The fused optimizer updates (src/backend/fused.ts) against the same updates written as float32 tensor ops,
// one op per step of PyTorch's algorithm: they must agree bit for bit, on every backend, for every variant —
// and on strided parameters, which take the fused path through a contiguous copy.
import { describe, expect, it } from 'vitest';
import { Tensor, randn, manualSeed, optim, noGrad, referenceBackend, withBackend, createWasmBackend } from '../../src/index.js';

type Update = (p: Tensor, g: Tensor, s: Record<string, Tensor | number>) => void;

const neg = (g: Tensor, maximize: boolean) => (maximize ? g.neg() : g);

function adamOps(o: { lr: number; betas: [number, number]; eps: number; weightDecay: number; amsgrad: boolean; maximize: boolean }, decoupled: boolean): Update {
  const [b1, b2] = o.betas;
  return (p, grad, s) => {
    const step = (s.step = ((s.step as number | undefined) ?? 0) + 1);
    const m = (s.m ??= p.mul(0)) as Tensor, v = (s.v ??= p.mul(0)) as Tensor;
    let g = neg(grad, o.maximize);
    if (!decoupled && o.weightDecay !== 0) g = g.add(p.mul(o.weightDecay));
    if (decoupled) p.copy_(p.mul(1 - o.lr * o.weightDecay));
    m.copy_(m.mul(b1).add(g.mul(1 - b1)));
    v.copy_(v.mul(b2).add(g.mul(1 - b2).mul(g)));
    let second = v;
    if (o.amsgrad) {
      second = (s.vmax ??= p.mul(0)) as Tensor;
      second.copy_(second.maximum(v));
    }
    const denom = second.sqrt().div(Math.sqrt(1 - b2 ** step)).add(o.eps);
    p.copy_(p.sub(m.div(denom).mul(o.lr / (1 - b1 ** step))));
  };
}

function sgdOps(o: { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean; maximize: boolean }): Update {
  return (p, grad, s) => {
    let g = neg(grad, o.maximize);
    if (o.weightDecay !== 0) g = g.add(p.mul(o.weightDecay));
    if (o.momentum !== 0) {
      let buf = s.buf as Tensor | undefined;
      if (buf === undefined) s.buf = buf = g.clone();
      else buf.copy_(buf.mul(o.momentum).add(g.mul(1 - o.dampening)));
      g = o.nesterov ? g.add(buf.mul(o.momentum)) : buf;
    }
    p.copy_(p.sub(g.mul(o.lr)));
  };
}

/** 10 steps of `opt` and of `ops` from the same start, with gradients of a fixed nonlinear loss. */
function both(make: (ps: Tensor[]) => optim.Optimizer, ops: Update, strided: boolean) {
  manualSeed(7);
  const start = randn([5, 7]).mul(2);
  const fresh = () => {
    const base = start.clone();
    return (strided ? base.transpose(0, 1).contiguous().transpose(0, 1) : base).requiresGrad_(true);
  };
  const loss = (p: Tensor) => p.sin().mul(p).sum().add(p.pow(2).mean().mul(3));
  const p1 = fresh(), p2 = fresh();
  const opt = make([p1]);
  const s: Record<string, Tensor | number> = {};
  for (let t = 0; t < 10; t++) {
    opt.zeroGrad();
    loss(p1).backward();
    opt.step();
    p2.grad = null;
    loss(p2).backward();
    noGrad(() => ops(p2, p2.grad!, s));
  }
  return [p1.toArray(), p2.toArray()];
}

const wasm = createWasmBackend({ minElements: 0, threads: 1 });
const backends = [referenceBackend, ...(wasm ? [wasm] : [])];

describe.each(backends.map((b) => [b.name, b] as const))('fused updates on the %s backend equal the tensor-op form bit for bit', (_n, backend) => {
  const adamCases = [
    { lr: 1e-2, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false },
    { lr: 0.3, betas: [0.8, 0.99] as [number, number], eps: 1e-3, weightDecay: 0.1, amsgrad: true, maximize: false },
    { lr: 5e-3, betas: [0.5, 0.9] as [number, number], eps: 1e-6, weightDecay: 0.02, amsgrad: false, maximize: true },
  ];
  for (const strided of [false, true]) {
    for (const o of adamCases) {
      it(`Adam ${JSON.stringify(o)}${strided ? ' (strided)' : ''}`, () => {
        const [a, b] = withBackend(backend, () => both((ps) => new optim.Adam(ps, o), adamOps(o, false), strided));
        expect(a).toEqual(b);
      });
      it(`AdamW ${JSON.stringify(o)}${strided ? ' (strided)' : ''}`, () => {
        const [a, b] = withBackend(backend, () => both((ps) => new optim.AdamW(ps, o), adamOps(o, true), strided));
        expect(a).toEqual(b);
      });
    }
    const sgdCases = [
      { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
      { lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01, nesterov: false, maximize: false },
      { lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: true, maximize: true },
    ];
    for (const o of sgdCases) {
      it(`SGD ${JSON.stringify(o)}${strided ? ' (strided)' : ''}`, () => {
        const [a, b] = withBackend(backend, () => both((ps) => new optim.SGD(ps, o), sgdOps(o), strided));
        expect(a).toEqual(b);
      });
    }
  }
});
