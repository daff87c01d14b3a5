// optim.LBFGS: convergence (Rosenbrock with the strong-Wolfe line search, a convex quadratic with fixed steps),
// the maxIter / maxEval / toleranceGrad stops counted in closure calls, option and usage errors, and resuming
// from stateDict(). The closure-call counts and end points are PyTorch 1.13's for the same runs; the parity
// suite (scripts/parity/suites/lbfgs.*) compares whole runs value by value.
import { describe, expect, it } from 'vitest';
import { Tensor, tensor, noGrad, optim } from '../../src/index.js';

const f64 = { dtype: 'float64' as const };
const leaf = (v: number[], dtype: 'float32' | 'float64' = 'float64') => tensor(v, { dtype, requiresGrad: true });

/** A closure over `loss()` that counts its calls. */
function counted(opt: optim.LBFGS, loss: () => Tensor) {
  const c = {
    calls: 0,
    closure: () => {
      c.calls++;
      opt.zeroGrad();
      const l = loss();
      l.backward();
      return l;
    },
  };
  return c;
}

/** f(x, y) = (1 − x)² + 100(y − x²)² of a 2-vector. */
const rosenbrock = (p: Tensor) => {
  const x = p.narrow(0, 0, 1), y = p.narrow(0, 1, 1);
  return x.neg().add(1).pow(2).add(y.sub(x.pow(2)).pow(2).mul(100)).sum();
};

const values = (t: Tensor) => Array.from(t.toTypedArray());
const distance = (p: Tensor, target: number[]) => Math.max(...values(p).map((v, i) => Math.abs(v - target[i])));

describe('convergence', () => {
  it('brings Rosenbrock from (-1.5, 2) to within 1e-6 of (1, 1) with the strong-Wolfe line search', () => {
    const p = leaf([-1.5, 2]);
    const opt = new optim.LBFGS([p], { lineSearchFn: 'strongWolfe', toleranceChange: 1e-10 });
    const c = counted(opt, () => rosenbrock(p));
    let steps = 0;
    while (distance(p, [1, 1]) >= 1e-6 && steps < 20) {
      opt.step(c.closure);
      steps++;
    }
    expect(distance(p, [1, 1])).toBeLessThan(1e-6);
    // PyTorch 1.13: 3 step() calls, 25 + 25 + 4 closure calls, 42 iterations, ending at (0.99999991, 0.99999982)
    expect(steps).toBe(3);
    expect(c.calls).toBe(54);
    expect(opt.state.get(p)!.nIter).toBe(42);
    expect(values(p)[0]).toBeCloseTo(0.9999999123182802, 12);
    expect(values(p)[1]).toBeCloseTo(0.999999820401934, 12);
  });

  it('stalls 2.7e-6 from (1, 1) with the default toleranceChange, as PyTorch', () => {
    // near the minimum g·d > -1e-9 ends each step() before its first move, and the history no longer changes
    const p = leaf([-1.5, 2]);
    const opt = new optim.LBFGS([p], { lineSearchFn: 'strongWolfe' });
    const c = counted(opt, () => rosenbrock(p));
    const perStep = Array.from({ length: 6 }, () => {
      const before = c.calls;
      opt.step(c.closure);
      return c.calls - before;
    });
    expect(perStep).toEqual([25, 25, 3, 1, 1, 1]);
    expect(values(p)[0]).toBeCloseTo(0.9999979943196398, 9);
    expect(values(p)[1]).toBeCloseTo(0.9999973438921637, 9);
  });

  it('minimizes a convex quadratic without a line search (fixed steps of lr = 1)', () => {
    // ½xᵀAx − bᵀx with A symmetric positive definite; the minimum is A⁻¹b = xStar
    const A = tensor([[4, 1, 0, 0.5, 0], [1, 3, 0.5, 0, 0], [0, 0.5, 2, 0, 0.25], [0.5, 0, 0, 5, 1], [0, 0, 0.25, 1, 1.5]], f64);
    const xStar = [1, -2, 0.5, 3, -1];
    const b = A.matmul(tensor(xStar, f64));
    // PyTorch 1.13: 11 iterations end 7.8e-7 away (g·d > -1e-9); with toleranceChange 1e-12, 12 iterations end
    // 4.3e-8 away, where max |g| ≤ toleranceGrad = 1e-7
    for (const [toleranceChange, nIter, dist] of [[1e-9, 11, 7.805102038016543e-7], [1e-12, 12, 4.290498845094248e-8]]) {
      const x = leaf([0, 0, 0, 0, 0]);
      const opt = new optim.LBFGS([x], { toleranceChange });
      const c = counted(opt, () => x.matmul(A.matmul(x)).mul(0.5).sub(b.matmul(x)));
      expect(opt.step(c.closure).item()).toBe(0); // the loss before any change
      expect(opt.state.get(x)!.nIter).toBe(nIter);
      expect(c.calls).toBe(nIter);
      expect(distance(x, xStar)).toBeCloseTo(dist, 14);
    }
  });

  it('runs in float32 for float32 parameters, state included', () => {
    const p = leaf([3, -1], 'float32');
    const target = tensor([1, 2]);
    const opt = new optim.LBFGS([p]);
    const c = counted(opt, () => p.sub(target).pow(2).sum());
    opt.step(c.closure);
    expect(distance(p, [1, 2])).toBeLessThan(1e-6);
    const s = opt.state.get(p)!;
    expect((s.d as Tensor).dtype).toBe('float32');
    expect((s.prevFlatGrad as Tensor).dtype).toBe('float32');
  });
});

describe('stopping rules', () => {
  it('stops after maxIter iterations (no re-evaluation after the last) and after maxEval closure calls', () => {
    // PyTorch 1.13 counts: 3 calls per step for maxIter 3; 2 for maxEval 2; with the line search, the iteration
    // that reaches maxEval finishes first (6 calls per step for maxIter 5, maxEval 6)
    const cases: [Partial<optim.LBFGSOptions>, number[], number, number][] = [
      [{ lr: 0.1, maxIter: 3 }, [3, 3], 4, 6],
      [{ lr: 0.1, maxIter: 10, maxEval: 2 }, [2, 2], 2, 4],
      [{ lineSearchFn: 'strongWolfe', maxIter: 5, maxEval: 6 }, [6, 6, 6], 13, 18],
    ];
    for (const [opts, perStep, nIter, funcEvals] of cases) {
      const p = leaf([-1.5, 2]);
      const opt = new optim.LBFGS([p], opts);
      const c = counted(opt, () => rosenbrock(p));
      const got = perStep.map(() => {
        const before = c.calls;
        opt.step(c.closure);
        return c.calls - before;
      });
      expect(got).toEqual(perStep);
      expect(opt.state.get(p)!.nIter).toBe(nIter);
      expect(opt.state.get(p)!.funcEvals).toBe(funcEvals);
    }
  });

  it('returns after one evaluation when the gradient is already 0 (toleranceGrad)', () => {
    const p = leaf([1, 1]);
    const opt = new optim.LBFGS([p], { lineSearchFn: 'strongWolfe' });
    const c = counted(opt, () => rosenbrock(p));
    expect(opt.step(c.closure).item()).toBe(0);
    expect(c.calls).toBe(1);
    expect(values(p)).toEqual([1, 1]);
    expect(opt.state.get(p)).toEqual({ funcEvals: 1, nIter: 0 });
  });

  it('stops on a small loss change or a shallow direction (toleranceChange)', () => {
    // (p − 1)², p = 3, lr 0.5: p − 1 goes 2 → 1.5 (t = 1/|g|₁·lr) → 0.75 → 0.375 → 0.1875 (Newton steps, halved)
    // and the last move changes the loss by 0.105. With toleranceChange 0.12 that ends the step after 4
    // iterations; with 0.1 a 5th starts, but g·d = -0.07 > -0.1 ends it before it moves (PyTorch 1.13 alike).
    for (const [toleranceChange, nIter] of [[0.12, 4], [0.1, 5]]) {
      const p = leaf([3]);
      const opt = new optim.LBFGS([p], { lr: 0.5, toleranceChange });
      const c = counted(opt, () => p.sub(1).pow(2).sum());
      opt.step(c.closure);
      expect(values(p)).toEqual([1.1875]);
      expect(c.calls).toBe(5);
      expect(opt.state.get(p)!.nIter).toBe(nIter);
    }
  });

  it('moves parameters without gradients by 0 and still steps the others', () => {
    const p = leaf([4]), unused = leaf([7, 8]);
    const opt = new optim.LBFGS([p, unused]);
    const c = counted(opt, () => p.sub(1).pow(2).sum());
    opt.step(c.closure);
    expect(values(p)[0]).toBeCloseTo(1, 12);
    expect(values(unused)).toEqual([7, 8]);
    expect((opt.state.get(p)!.d as Tensor).shape).toEqual([3]);
  });

  it('leaves the parameters where the line search started when the closure throws in it', () => {
    const p = leaf([-1.5, 2]);
    const opt = new optim.LBFGS([p], { lineSearchFn: 'strongWolfe' });
    const c = counted(opt, () => {
      if (c.calls === 3) throw new Error('boom');
      return rosenbrock(p);
    });
    expect(() => opt.step(c.closure)).toThrow('boom');
    // the first iteration's line search started from (-1.5, 2): its second trial point threw
    expect(values(p)).toEqual([-1.5, 2]);
  });

  it('evaluates the closure with grad enabled even inside noGrad', () => {
    const p = leaf([2]);
    const opt = new optim.LBFGS([p]);
    const c = counted(opt, () => p.pow(2).sum());
    noGrad(() => opt.step(c.closure));
    expect(values(p)[0]).toBeCloseTo(0, 12);
  });
});

describe('options and errors', () => {
  it("has PyTorch's defaults, maxEval = ⌊maxIter·5/4⌋", () => {
    const p = leaf([1]);
    expect(new optim.LBFGS([p]).defaults).toEqual({
      lr: 1, maxIter: 20, maxEval: 25, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null,
    });
    expect(new optim.LBFGS([p], { maxIter: 10 }).defaults.maxEval).toBe(12);
    expect(new optim.LBFGS([p], { maxIter: 10, maxEval: 3 }).defaults.maxEval).toBe(3);
  });

  it('takes one parameter group only', () => {
    const a = leaf([1]), b = leaf([2]);
    expect(() => new optim.LBFGS([{ params: [a] }, { params: [b] }])).toThrow(/^LBFGS: doesn't support per-parameter options \(parameter groups\)/);
    const opt = new optim.LBFGS([a]);
    expect(() => opt.addParamGroup({ params: [b] })).toThrow(RangeError);
    expect(opt.paramGroups.length).toBe(1);
  });

  it('needs a closure that returns a one-element loss', () => {
    const p = leaf([1, 2]);
    const opt = new optim.LBFGS([p]);
    expect(() => opt.step()).toThrow(/LBFGS.step: needs a closure that clears the gradients, computes the loss, calls backward\(\) and returns the loss; got undefined/);
    expect(() => opt.step(5 as never)).toThrow(TypeError);
    expect(() => opt.step((() => p.mul(2)) as never)).toThrow(/the closure must return the loss as a one-element Tensor, got a Tensor with 2 elements/);
    expect(() => opt.step((() => 3) as never)).toThrow(/got 3$/);
  });

  it('refuses bad options, naming them', () => {
    const p = leaf([1]);
    const bad: [Record<string, unknown>, RegExp, ErrorConstructor][] = [
      [{ lr: -1 }, /LBFGS: lr must be ≥ 0, got -1/, RangeError],
      [{ lr: '1' }, /LBFGS: lr must be a number, got '1'/, TypeError],
      [{ maxIter: 0 }, /LBFGS: maxIter must be an integer ≥ 1, got 0/, RangeError],
      [{ maxIter: 2.5 }, /LBFGS: maxIter must be an integer ≥ 1, got 2.5/, RangeError],
      [{ maxEval: 0 }, /LBFGS: maxEval must be an integer ≥ 1, got 0/, RangeError],
      [{ historySize: 0 }, /LBFGS: historySize must be an integer ≥ 1, got 0/, RangeError],
      [{ toleranceGrad: NaN }, /LBFGS: toleranceGrad must be ≥ 0, got NaN/, RangeError],
      [{ toleranceChange: -1 }, /LBFGS: toleranceChange must be ≥ 0, got -1/, RangeError],
      [{ lineSearchFn: 'strong_wolfe' }, /LBFGS: lineSearchFn must be null or 'strongWolfe', got 'strong_wolfe'/, RangeError],
      [{ lineSearchFn: true }, /LBFGS: lineSearchFn must be null or 'strongWolfe', got a boolean/, TypeError],
      [{ max_iter: 5 }, /LBFGS: unknown option 'max_iter' \(expected lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn\)/, TypeError],
    ];
    for (const [opts, msg, type] of bad) {
      expect(() => new optim.LBFGS([p], opts as never)).toThrow(msg);
      expect(() => new optim.LBFGS([p], opts as never)).toThrow(type);
    }
    expect(() => new optim.LBFGS([p], null as never)).toThrow(/LBFGS: expected an options object, got null/);
  });
});

describe('stateDict / loadStateDict', () => {
  // two parameters of different shapes, so the flat history vectors ([6]) have neither parameter's shape
  // PyTorch 1.13 after 3 steps: 12 iterations (11 with the line search, which reaches maxEval = 5 sooner)
  const setup = (lineSearchFn: 'strongWolfe' | null, init = [[0.5, -0.3], [0.2, 0.1], [0.4, -0.6]]) => {
    const W = tensor(init.slice(0, 2), { ...f64, requiresGrad: true });
    const v = tensor(init[2], { ...f64, requiresGrad: true });
    const X = tensor([[1, 2], [-1, 0.5], [0.3, -2]], f64), Y = tensor([[1, 0], [0, 1], [1, 1]], f64);
    const opt = new optim.LBFGS([W, v], { lineSearchFn, historySize: 3, maxIter: 4 });
    const c = counted(opt, () => X.matmul(W).add(v.narrow(0, 0, 1)).tanh().sub(Y).pow(2).sum().add(v.pow(4).sum()));
    return { W, v, opt, c };
  };

  for (const lineSearchFn of [null, 'strongWolfe'] as const) {
    it(`resumes with identical further steps (lineSearchFn ${lineSearchFn})`, () => {
      const a = setup(lineSearchFn);
      for (let k = 0; k < 3; k++) a.opt.step(a.c.closure);
      const sd = a.opt.stateDict();
      expect(Object.keys(sd.state)).toEqual(['0']);
      const s0 = sd.state[0];
      expect((s0.d as Tensor).shape).toEqual([6]);
      expect((s0['oldDirs.0'] as Tensor).shape).toEqual([6]);
      expect(Object.keys(s0).filter((k) => k.startsWith('oldDirs.')).length).toBe(3); // the history is full
      expect(s0.nIter).toBe(lineSearchFn ? 11 : 12);

      const b = setup(lineSearchFn, [[...a.W.toArray()[0]], [...a.W.toArray()[1]], [...a.v.toArray()]]);
      b.opt.loadStateDict(sd);
      const callsBefore = a.c.calls;
      for (let k = 0; k < 2; k++) {
        const la = a.opt.step(a.c.closure).item(), lb = b.opt.step(b.c.closure).item();
        expect(lb).toBe(la);
      }
      expect(values(b.W)).toEqual(values(a.W));
      expect(values(b.v)).toEqual(values(a.v));
      expect(b.c.calls).toBe(a.c.calls - callsBefore);
      const sa = a.opt.stateDict().state[0], sb = b.opt.stateDict().state[0];
      expect(Object.keys(sb).sort()).toEqual(Object.keys(sa).sort());
      for (const k of Object.keys(sa)) {
        expect(sb[k] instanceof Tensor ? values(sb[k] as Tensor) : sb[k]).toEqual(sa[k] instanceof Tensor ? values(sa[k] as Tensor) : sa[k]);
      }
    });
  }

  it('keeps the saved state apart from further training', () => {
    const a = setup(null);
    a.opt.step(a.c.closure);
    const sd = a.opt.stateDict();
    const saved = values(sd.state[0].d as Tensor);
    a.opt.step(a.c.closure);
    expect(values(sd.state[0].d as Tensor)).toEqual(saved);
  });

  it('refuses history vectors of the wrong length or an inconsistent history, changing nothing', () => {
    const a = setup(null);
    for (let k = 0; k < 2; k++) a.opt.step(a.c.closure);
    const sd = a.opt.stateDict();
    const b = setup(null);
    const short = { ...sd, state: { 0: { ...sd.state[0], d: tensor([1, 2, 3], f64) } } };
    expect(() => b.opt.loadStateDict(short)).toThrow(/LBFGS.loadStateDict: state 'd' has shape \[3\], expected \[6\]/);
    const { ['ro.0']: _dropped, ...partial } = sd.state[0];
    expect(() => b.opt.loadStateDict({ ...sd, state: { 0: partial } })).toThrow(/the history has (\d) oldDirs, \1 oldStps and \d ro entries; expected as many of each/);
    expect(b.opt.state.size).toBe(0);
  });
});
