// SGD, Adam, AdamW, RMSprop and Adagrad against plain-loop references written from PyTorch's documented
// algorithms (plain numbers, no library ops), 10 steps on a small fixed problem over two float64 parameter
// tensors; then parameter groups, zeroGrad, skipped parameters, resuming from a state dict, option errors
// and float32 parameters.
import { describe, expect, it } from 'vitest';
import { Tensor, tensor, optim } from '../../src/index.js';

// ---- The problem: L(a, b) = Σ kᵢ(aᵢ − cᵢ)² + Σ sin bⱼ + 0.1·(Σa)(Σb), with a 2×2 and b of length 3. ----
const A0 = [0.5, -1.2, 2.0, 0.3], B0 = [0.7, -0.4, 1.5];
const K = [1, 2, 0.5, 3], C = [0.1, -0.5, 1, 0];
const total = (v: number[]) => v.reduce((s, x) => s + x, 0);

/** ∂L/∂a and ∂L/∂b by hand. */
function gradients([a, b]: number[][]): number[][] {
  const sa = total(a), sb = total(b);
  return [a.map((x, i) => 2 * K[i] * (x - C[i]) + 0.1 * sb), b.map((x) => Math.cos(x) + 0.1 * sa)];
}

function loss(a: Tensor, b: Tensor): Tensor {
  const k = tensor(K, { dtype: a.dtype }).reshape([2, 2]), c = tensor(C, { dtype: a.dtype }).reshape([2, 2]);
  return a.sub(c).pow(2).mul(k).sum().add(b.sin().sum()).add(a.sum().mul(b.sum()).mul(0.1));
}

const params = (dtype: 'float32' | 'float64' = 'float64') => [
  tensor(A0, { dtype }).reshape([2, 2]).requiresGrad_(true), tensor(B0, { dtype, requiresGrad: true }),
];
const values = (ps: Tensor[]) => ps.map((p) => Array.from(p.toTypedArray() as Float64Array));

/** Trains with the library's optimizer: zeroGrad, backward, step, `steps` times. */
function train(make: (ps: Tensor[]) => optim.Optimizer, steps = 10, ps = params()) {
  const opt = make(ps);
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    loss(ps[0], ps[1]).backward();
    opt.step();
  }
  return { ps, opt, out: values(ps) };
}

// ---- The references: one update of one parameter (its values, its gradient, its state), in place. ----
type RefState = Record<string, number[]>;
type RefUpdate = (theta: number[], grad: number[], s: RefState, t: number) => void;
const zerosOf = (n: number, v = 0) => new Array<number>(n).fill(v);
const init = (s: RefState, key: string, n: number, v = 0) => (s[key] ??= zerosOf(n, v));

/** Runs `steps` reference steps; `updates[i]` updates parameter i. */
function reference(updates: RefUpdate[], steps = 10): number[][] {
  const theta = [[...A0], [...B0]];
  const states: RefState[] = [{}, {}];
  for (let t = 1; t <= steps; t++) {
    const g = gradients(theta);
    theta.forEach((th, i) => updates[i](th, g[i], states[i], t));
  }
  return theta;
}

// torch.optim.SGD's algorithm. As PyTorch's implementation (its pseudo-code flips the sign at the end
// instead), maximize negates the gradient before the weight decay is added.
type SGDRef = { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean; maximize: boolean };
const sgdRef = (o: SGDRef): RefUpdate => (th, grad, s, t) => {
  const b = init(s, 'b', th.length);
  for (let i = 0; i < th.length; i++) {
    let g = o.maximize ? -grad[i] : grad[i];
    if (o.weightDecay !== 0) g = g + o.weightDecay * th[i];
    if (o.momentum !== 0) {
      b[i] = t > 1 ? o.momentum * b[i] + (1 - o.dampening) * g : g;
      g = o.nesterov ? g + o.momentum * b[i] : b[i];
    }
    th[i] = th[i] - o.lr * g;
  }
};

// torch.optim.Adam / AdamW: m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) (with amsgrad, of the running max of v), and
// θ ← θ − γ·m̂/(√v̂ + ε); AdamW shrinks θ by (1 − γλ) instead of adding λθ to the gradient.
type AdamRef = { lr: number; betas: [number, number]; eps: number; weightDecay: number; amsgrad: boolean; maximize: boolean; decoupled: boolean };
const adamRef = (o: AdamRef): RefUpdate => (th, grad, s, t) => {
  const [b1, b2] = o.betas;
  const m = init(s, 'm', th.length), v = init(s, 'v', th.length), vmax = init(s, 'vmax', th.length);
  for (let i = 0; i < th.length; i++) {
    let g = o.maximize ? -grad[i] : grad[i];
    if (o.decoupled) th[i] = th[i] * (1 - o.lr * o.weightDecay);
    else if (o.weightDecay !== 0) g = g + o.weightDecay * th[i];
    m[i] = b1 * m[i] + (1 - b1) * g;
    v[i] = b2 * v[i] + (1 - b2) * g * g;
    const mHat = m[i] / (1 - b1 ** t);
    let vHat = v[i] / (1 - b2 ** t);
    if (o.amsgrad) {
      vmax[i] = Math.max(vmax[i], v[i]);
      vHat = vmax[i] / (1 - b2 ** t);
    }
    th[i] = th[i] - (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
  }
};

// torch.optim.RMSprop.
type RMSpropRef = { lr: number; alpha: number; eps: number; weightDecay: number; momentum: number; centered: boolean; maximize: boolean };
const rmspropRef = (o: RMSpropRef): RefUpdate => (th, grad, s) => {
  const v = init(s, 'v', th.length), gAvg = init(s, 'gAvg', th.length), b = init(s, 'b', th.length);
  for (let i = 0; i < th.length; i++) {
    let g = o.maximize ? -grad[i] : grad[i];
    if (o.weightDecay !== 0) g = g + o.weightDecay * th[i];
    v[i] = o.alpha * v[i] + (1 - o.alpha) * g * g;
    let vTilde = v[i];
    if (o.centered) {
      gAvg[i] = o.alpha * gAvg[i] + (1 - o.alpha) * g;
      vTilde = vTilde - gAvg[i] * gAvg[i];
    }
    if (o.momentum > 0) {
      b[i] = o.momentum * b[i] + g / (Math.sqrt(vTilde) + o.eps);
      th[i] = th[i] - o.lr * b[i];
    } else {
      th[i] = th[i] - (o.lr * g) / (Math.sqrt(vTilde) + o.eps);
    }
  }
};

// torch.optim.Adagrad.
type AdagradRef = { lr: number; lrDecay: number; weightDecay: number; initialAccumulatorValue: number; eps: number; maximize: boolean };
const adagradRef = (o: AdagradRef): RefUpdate => (th, grad, s, t) => {
  const sum = init(s, 'sum', th.length, o.initialAccumulatorValue);
  const clr = o.lr / (1 + (t - 1) * o.lrDecay);
  for (let i = 0; i < th.length; i++) {
    let g = o.maximize ? -grad[i] : grad[i];
    if (o.weightDecay !== 0) g = g + o.weightDecay * th[i];
    sum[i] = sum[i] + g * g;
    th[i] = th[i] - (clr * g) / (Math.sqrt(sum[i]) + o.eps);
  }
};

// PyTorch's defaults, written out here so that the library's are checked too.
const KINDS = {
  SGD: { make: optim.SGD, ref: sgdRef, defaults: { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false } },
  Adam: { make: optim.Adam, ref: adamRef, defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupled: false } },
  AdamW: { make: optim.AdamW, ref: adamRef, defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false, decoupled: true } },
  RMSprop: { make: optim.RMSprop, ref: rmspropRef, defaults: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false } },
  Adagrad: { make: optim.Adagrad, ref: adagradRef, defaults: { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false } },
} as const;
type Kind = keyof typeof KINDS;
type Opts = Record<string, unknown>;

const build = (kind: Kind, opts: Opts) => (ps: Tensor[] | { params: Tensor[] }[]) => new (KINDS[kind].make as new (p: unknown, o: Opts) => optim.Optimizer)(ps, opts);
const refOf = (kind: Kind, opts: Opts): RefUpdate => (KINDS[kind].ref as (o: Opts) => RefUpdate)({ ...KINDS[kind].defaults, ...opts });

/** Each variant, and the options it is compared against to show that its option changes the result. */
const VARIANTS: [Kind, string, Opts, Opts?][] = [
  ['SGD', 'defaults', {}, { lr: 0.05 }],
  ['SGD', 'plain', { lr: 0.05 }, { lr: 0.01 }],
  ['SGD', 'weight decay', { lr: 0.05, weightDecay: 0.3 }],
  ['SGD', 'momentum', { lr: 0.05, momentum: 0.9 }],
  ['SGD', 'momentum + dampening', { lr: 0.05, momentum: 0.9, dampening: 0.4 }, { lr: 0.05, momentum: 0.9 }],
  ['SGD', 'nesterov', { lr: 0.05, momentum: 0.8, nesterov: true }, { lr: 0.05, momentum: 0.8 }],
  ['SGD', 'nesterov + weight decay', { lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.2 }, { lr: 0.05, momentum: 0.8, nesterov: true }],
  ['SGD', 'maximize', { lr: 0.05, maximize: true }],
  ['SGD', 'maximize + weight decay + momentum', { lr: 0.05, maximize: true, weightDecay: 0.3, momentum: 0.5 }, { lr: 0.05, maximize: true, momentum: 0.5 }],
  ['Adam', 'defaults', {}, { lr: 0.1 }],
  ['Adam', 'plain', { lr: 0.1 }, { lr: 0.01 }],
  ['Adam', 'betas + eps', { lr: 0.1, betas: [0.8, 0.9], eps: 0.1 }],
  ['Adam', 'weight decay', { lr: 0.1, weightDecay: 0.5 }],
  ['Adam', 'amsgrad', { lr: 0.3, betas: [0.5, 0.6], amsgrad: true }, { lr: 0.3, betas: [0.5, 0.6] }],
  ['Adam', 'maximize + weight decay', { lr: 0.1, maximize: true, weightDecay: 0.5 }, { lr: 0.1, maximize: true }],
  ['AdamW', 'defaults', {}, { lr: 0.1 }],
  ['AdamW', 'weight decay', { lr: 0.1, weightDecay: 0.5 }],
  ['AdamW', 'amsgrad + weight decay', { lr: 0.3, betas: [0.5, 0.6], amsgrad: true, weightDecay: 0.2 }, { lr: 0.3, betas: [0.5, 0.6], weightDecay: 0.2 }],
  ['AdamW', 'maximize', { lr: 0.1, maximize: true, weightDecay: 0.3 }, { lr: 0.1, weightDecay: 0.3 }],
  ['RMSprop', 'defaults', {}, { lr: 0.05 }],
  ['RMSprop', 'plain', { lr: 0.05, alpha: 0.9 }, { lr: 0.05 }],
  ['RMSprop', 'momentum', { lr: 0.02, momentum: 0.9 }, { lr: 0.02 }],
  ['RMSprop', 'centered', { lr: 0.02, alpha: 0.9, centered: true }, { lr: 0.02, alpha: 0.9 }],
  ['RMSprop', 'centered + momentum', { lr: 0.02, alpha: 0.9, centered: true, momentum: 0.5 }, { lr: 0.02, alpha: 0.9, centered: true }],
  ['RMSprop', 'weight decay', { lr: 0.05, weightDecay: 0.5 }, { lr: 0.05 }],
  ['RMSprop', 'maximize', { lr: 0.05, maximize: true }, { lr: 0.05 }],
  ['Adagrad', 'defaults', {}, { lr: 0.5 }],
  ['Adagrad', 'plain', { lr: 0.5 }, { lr: 0.1 }],
  ['Adagrad', 'lrDecay', { lr: 0.5, lrDecay: 0.3 }],
  ['Adagrad', 'weight decay', { lr: 0.5, weightDecay: 0.4 }],
  ['Adagrad', 'initialAccumulatorValue + eps', { lr: 0.5, initialAccumulatorValue: 2, eps: 0.1 }],
  ['Adagrad', 'maximize + lrDecay', { lr: 0.5, maximize: true, lrDecay: 0.1 }, { lr: 0.5, lrDecay: 0.1 }],
];

/** The largest difference, relative to max(1, |expected|). */
const maxDiff = (a: number[][], b: number[][]) =>
  Math.max(...a.flatMap((row, i) => row.map((x, k) => Math.abs(x - b[i][k]) / Math.max(1, Math.abs(b[i][k])))));

describe('10 steps match the reference of the documented algorithm (float64)', () => {
  it.each(VARIANTS)('%s %s', (kind, _label, opts, against = { lr: opts.lr }) => {
    const expected = reference([refOf(kind, opts), refOf(kind, opts)]);
    const { out } = train(build(kind, opts));
    expect(maxDiff(out, expected)).toBeLessThan(1e-12);
    // the option under test changes the result (it is not silently ignored)
    expect(maxDiff(reference([refOf(kind, against), refOf(kind, against)]), expected)).toBeGreaterThan(1e-4);
  });
});

describe('parameter groups, zeroGrad, skipped parameters', () => {
  it('each group steps with its own options, and a changed lr takes effect at the next step', () => {
    const { out, opt } = train((ps) => new optim.Adam([{ params: [ps[0]], lr: 0.1, amsgrad: true }, { params: [ps[1]] }], { lr: 0.02, betas: [0.5, 0.6] }));
    expect(opt.paramGroups.map((g) => [g.lr, g.amsgrad, g.betas])).toEqual([[0.1, true, [0.5, 0.6]], [0.02, false, [0.5, 0.6]]]);
    expect(maxDiff(out, reference([refOf('Adam', { lr: 0.1, amsgrad: true, betas: [0.5, 0.6] }), refOf('Adam', { lr: 0.02, betas: [0.5, 0.6] })]))).toBeLessThan(1e-12);

    // SGD: lr 0.05 for 5 steps, then 0.01 (as a scheduler would set it)
    const ps = params();
    const sgd = new optim.SGD(ps, { lr: 0.05, momentum: 0.9 });
    const five = (lr: number) => {
      sgd.paramGroups[0].lr = lr;
      for (let t = 0; t < 5; t++) {
        sgd.zeroGrad();
        loss(ps[0], ps[1]).backward();
        sgd.step();
      }
    };
    five(0.05);
    five(0.01);
    const fast = refOf('SGD', { lr: 0.05, momentum: 0.9 }), slow = refOf('SGD', { lr: 0.01, momentum: 0.9 });
    const switched: RefUpdate = (th, g, s, t) => (t <= 5 ? fast : slow)(th, g, s, t);
    expect(maxDiff(values(ps), reference([switched, switched]))).toBeLessThan(1e-12);
  });

  it('zeroGrad to null skips the parameters; to zeros still steps them (moments decay)', () => {
    const { ps, opt } = train((p) => new optim.Adam(p), 3);
    const before = values(ps);
    opt.zeroGrad();
    expect(ps.map((p) => p.grad)).toEqual([null, null]);
    opt.step();
    expect(values(ps)).toEqual(before);
    expect(opt.state.get(ps[0])!.step).toBe(3);
    loss(ps[0], ps[1]).backward();
    opt.zeroGrad({ setToNone: false });
    expect(ps.map((p) => p.grad!.toArray())).toEqual([[[0, 0], [0, 0]], [0, 0, 0]]);
    opt.step();
    expect(opt.state.get(ps[0])!.step).toBe(4);
    // with g = 0 Adam still moves θ by its first moment: the reference's fourth step with a zero gradient
    const zero: RefUpdate = (th, g, s, t) => refOf('Adam', {})(th, t === 4 ? g.map(() => 0) : g, s, t);
    expect(maxDiff(values(ps), reference([zero, zero], 4))).toBeLessThan(1e-12);
    expect(maxDiff(values(ps), before)).toBeGreaterThan(1e-5);
  });

  it('parameters without a gradient are left alone and get no state', () => {
    for (const kind of ['SGD', 'Adam', 'AdamW', 'RMSprop'] as const) {
      const [a, b] = params();
      const opt = build(kind, kind === 'SGD' ? { lr: 0.1, momentum: 0.9 } : { lr: 0.1 })([a, b]);
      for (let t = 0; t < 3; t++) {
        opt.zeroGrad();
        a.pow(2).sum().backward();
        opt.step();
      }
      expect(b.grad).toBeNull();
      expect(Array.from(b.toTypedArray())).toEqual(B0);
      expect(opt.state.has(b)).toBe(false);
      expect(Array.from(a.toTypedArray())).not.toEqual(A0);
    }
  });

  it("Adagrad's state exists from construction (for groups added later too), from the constructor's initialAccumulatorValue, as PyTorch's", () => {
    const [a, b] = params();
    const opt = new optim.Adagrad([a], { initialAccumulatorValue: 0.5 });
    opt.addParamGroup({ params: [b], initialAccumulatorValue: 2 });
    const sd = opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(['0', '1']);
    expect(sd.state[0].step).toBe(0);
    expect((sd.state[0].sum as Tensor).toArray()).toEqual([[0.5, 0.5], [0.5, 0.5]]);
    // PyTorch fills every accumulator with the constructor's value; a group's own value stays in its options
    expect((sd.state[1].sum as Tensor).toArray()).toEqual([0.5, 0.5, 0.5]);
    expect(sd.paramGroups.map((g) => g.initialAccumulatorValue)).toEqual([0.5, 2]);
    expect((sd.state[1].sum as Tensor).dtype).toBe('float64');
    a.pow(2).sum().backward();
    opt.step();
    expect([opt.state.get(a)!.step, opt.state.get(b)!.step]).toEqual([1, 0]);
    expect(Array.from(b.toTypedArray())).toEqual(B0);
  });
});

describe('stateDict and loadStateDict', () => {
  const stateful: [Kind, Opts, string[]][] = [
    ['SGD', { lr: 0.05, momentum: 0.9, nesterov: true }, ['momentumBuffer']],
    ['Adam', { lr: 0.1, amsgrad: true }, ['step', 'expAvg', 'expAvgSq', 'maxExpAvgSq']],
    ['AdamW', { lr: 0.1 }, ['step', 'expAvg', 'expAvgSq']],
    ['RMSprop', { lr: 0.02, momentum: 0.5, centered: true }, ['step', 'squareAvg', 'momentumBuffer', 'gradAvg']],
    ['Adagrad', { lr: 0.5, lrDecay: 0.1 }, ['step', 'sum']],
  ];

  it.each(stateful)('%s: resuming from a state dict gives bit-identical next steps', (kind, opts, keys) => {
    const { ps, opt } = train(build(kind, opts), 3);
    const sd = opt.stateDict();
    expect(Object.keys(sd.state[0])).toEqual(keys);
    const { decoupled: _ignored, ...defaults } = KINDS[kind].defaults as Opts;
    expect(sd.paramGroups).toEqual([{ ...defaults, ...opts, params: [0, 1] }]);
    // fresh parameters with the saved values, and a fresh optimizer with default options, loaded
    const fresh = ps.map((p) => p.detach().clone().requiresGrad_(true));
    const resumed = build(kind, {})(fresh);
    resumed.loadStateDict(sd);
    const cont = train(() => opt, 3, ps).out;
    const again = train(() => resumed, 3, fresh).out;
    expect(again).toEqual(cont);
    expect(maxDiff(again, reference([refOf(kind, opts), refOf(kind, opts)], 6))).toBeLessThan(1e-12);
  });
});

describe('options', () => {
  const [a] = params();
  const bad: [Kind, Opts, RegExp][] = [
    ['SGD', { lr: -1 }, /^SGD: lr must be ≥ 0, got -1$/],
    ['SGD', { lr: '0.1' }, /^SGD: lr must be a number, got '0.1'$/],
    ['SGD', { lr: NaN }, /^SGD: lr must be ≥ 0, got NaN$/],
    ['SGD', { momentum: -0.5 }, /^SGD: momentum must be ≥ 0, got -0.5$/],
    ['SGD', { weightDecay: -1 }, /^SGD: weightDecay must be ≥ 0, got -1$/],
    ['SGD', { nesterov: true }, /^SGD: nesterov momentum requires momentum > 0 and dampening = 0, got momentum=0, dampening=0$/],
    ['SGD', { nesterov: true, momentum: 0.9, dampening: 0.1 }, /requires momentum > 0 and dampening = 0, got momentum=0.9, dampening=0.1/],
    ['SGD', { nesterov: 1 }, /^SGD: nesterov must be a boolean, got 1$/],
    ['SGD', { maximize: 'yes' }, /^SGD: maximize must be a boolean, got 'yes'$/],
    ['SGD', { momentun: 0.9 }, /^SGD: unknown option 'momentun' \(expected lr, momentum, dampening, weightDecay, nesterov, maximize\); did you mean 'momentum'\?$/],
    ['Adam', { eps: -1e-8 }, /^Adam: eps must be ≥ 0, got -1e-8$/],
    ['Adam', { betas: [1, 0.999] }, /^Adam: betas\[0\] must be in \[0, 1\), got 1$/],
    ['Adam', { betas: [0.9, -0.1] }, /^Adam: betas\[1\] must be in \[0, 1\), got -0.1$/],
    ['Adam', { betas: 0.9 }, /^Adam: betas must be an array of two numbers, got 0.9$/],
    ['Adam', { betas: [0.9] }, /^Adam: betas must be an array of two numbers, got an array of length 1$/],
    ['Adam', { amsgrad: null }, /^Adam: amsgrad must be a boolean, got null$/],
    ['Adam', { weight_decay: 0.1 }, /^Adam: unknown option 'weight_decay' \(expected lr, betas, eps, weightDecay, amsgrad, maximize\); did you mean 'weightDecay'\?$/],
    ['AdamW', { weightDecay: -0.01 }, /^AdamW: weightDecay must be ≥ 0, got -0.01$/],
    ['AdamW', { lr: -1 }, /^AdamW: lr must be ≥ 0/],
    ['RMSprop', { alpha: -0.1 }, /^RMSprop: alpha must be ≥ 0, got -0.1$/],
    ['RMSprop', { momentum: -1 }, /^RMSprop: momentum must be ≥ 0, got -1$/],
    ['RMSprop', { eps: -1 }, /^RMSprop: eps must be ≥ 0, got -1$/],
    ['RMSprop', { centered: 'no' }, /^RMSprop: centered must be a boolean, got 'no'$/],
    ['Adagrad', { lrDecay: -1 }, /^Adagrad: lrDecay must be ≥ 0, got -1$/],
    ['Adagrad', { initialAccumulatorValue: -1 }, /^Adagrad: initialAccumulatorValue must be ≥ 0, got -1$/],
    ['Adagrad', { eps: -1 }, /^Adagrad: eps must be ≥ 0, got -1$/],
    ['Adagrad', { lr_decay: 0.1 }, /^Adagrad: unknown option 'lr_decay' \(expected lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize\); did you mean 'lrDecay'\?$/],
  ];

  it.each(bad)('%s %j is refused', (kind, opts, message) => {
    const make = build(kind, opts);
    expect(() => make([a])).toThrow(message);
    // the same in a parameter group, checked with the defaults filled in
    expect(() => build(kind, {})([{ params: [a], ...opts }])).toThrow(message);
  });

  it('refuses options that are not an object, and errors have the right types', () => {
    expect(() => new optim.Adam([a], 0.1 as never)).toThrow(/^Adam: expected an options object, got 0.1$/);
    expect(() => new optim.SGD([a], { lr: -1 })).toThrow(RangeError);
    expect(() => new optim.SGD([a], { lr: 'x' as never })).toThrow(TypeError);
    expect(() => new optim.RMSprop([a], { foo: 1 } as never)).toThrow(TypeError);
    const opt = new optim.Adagrad([a]);
    expect(() => opt.addParamGroup({ params: [params()[1]], lrDecay: -2 })).toThrow(/^Adagrad: lrDecay must be ≥ 0, got -2$/);
    expect(opt.paramGroups).toHaveLength(1);
  });

  it('accepts edge values PyTorch accepts (lr 0, betas 0, eps 0)', () => {
    const { out } = train(build('Adam', { lr: 0, betas: [0, 0], eps: 0 }));
    expect(out).toEqual([A0, B0]);
  });
});

describe('float32 parameters', () => {
  it.each([
    ['SGD', { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.1 }],
    ['Adam', { lr: 0.1, amsgrad: true, weightDecay: 0.1 }],
    ['AdamW', { lr: 0.1 }],
    ['RMSprop', { lr: 0.02, momentum: 0.5, centered: true }],
    ['Adagrad', { lr: 0.5, lrDecay: 0.1, initialAccumulatorValue: 0.1 }],
  ] as [Kind, Opts][])('%s keeps float32 parameters and state float32, close to the float64 reference', (kind, opts) => {
    const { ps, opt, out } = train(build(kind, opts), 10, params('float32'));
    expect(ps.map((p) => p.dtype)).toEqual(['float32', 'float32']);
    expect(ps.every((p) => p.toTypedArray() instanceof Float32Array)).toBe(true);
    for (const s of opt.state.values()) {
      for (const v of Object.values(s)) if (v instanceof Tensor) expect(v.dtype).toBe('float32');
    }
    const d = maxDiff(out, reference([refOf(kind, opts), refOf(kind, opts)]));
    expect(d).toBeLessThan(2e-5);
    expect(d).toBeGreaterThan(0); // it did compute in float32
  });
});
