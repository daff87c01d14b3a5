// The Optimizer base: parameter groups, zeroGrad, step(closure), stateDict / loadStateDict. A tiny optimizer
// (p ← p − lr·g, counting steps and keeping the last gradient) defined here drives it.
import { describe, expect, it } from 'vitest';
import { Tensor, tensor, zeros, noGrad, optim } from '../../src/index.js';

interface TinyOptions extends Record<string, unknown> {
  lr: number;
  tag: string;
}

class Tiny extends optim.Optimizer<TinyOptions> {
  constructor(params: optim.Params<TinyOptions>, opts: Partial<TinyOptions> = {}) {
    super(params, { lr: 0.1, tag: 'a', ...opts });
  }
  protected override checkOptions(g: TinyOptions): void {
    if (!(g.lr >= 0)) throw new RangeError(`Tiny: lr must be >= 0, got ${g.lr}`);
  }
  protected update(group: optim.ParamGroup<TinyOptions>, p: Tensor, grad: Tensor, state: optim.ParamState): void {
    state.step = ((state.step as number | undefined) ?? 0) + 1;
    state.last = grad.clone();
    p.copy_(p.sub(grad.mul(group.lr)));
  }
}

const leaf = (v: number[]) => tensor(v, { requiresGrad: true });

describe('parameter groups', () => {
  it('takes parameters or groups, filling options from the defaults', () => {
    const a = leaf([1]), b = leaf([2]);
    const opt = new Tiny([{ params: [a] }, { params: [b], lr: 0.5 }], { tag: 'x' });
    expect(opt.paramGroups.map((g) => [g.lr, g.tag, g.params.length])).toEqual([[0.1, 'x', 1], [0.5, 'x', 1]]);
    opt.addParamGroup({ params: [leaf([3])], tag: 'y' });
    expect(opt.paramGroups[2].tag).toBe('y');
    expect(new Tiny(new Set([a])).paramGroups[0].params).toEqual([a]);
  });

  it('refuses bad parameter lists with clear errors', () => {
    const a = leaf([1]);
    expect(() => new Tiny(a as never)).toThrow(/Tiny: params must be an iterable of Tensors or of parameter groups, got a single Tensor/);
    expect(() => new Tiny([])).toThrow(/Tiny: got an empty parameter list/);
    expect(() => new Tiny([a, a])).toThrow(/Tiny: some parameters appear in more than one parameter group/);
    expect(() => new Tiny([{ params: [a] }, { params: [a] }])).toThrow(/more than one parameter group/);
    expect(() => new Tiny([a.mul(2)])).toThrow(/Tiny: can't optimize a non-leaf tensor/);
    expect(() => new Tiny([tensor([1], { dtype: 'int32' })])).toThrow(/Tiny: can only optimize float tensors, parameter 0 has dtype int32/);
    expect(() => new Tiny([{ params: [a], lrr: 1 } as never])).toThrow(/Tiny: unknown option 'lrr' \(expected lr, tag\)/);
    expect(() => new Tiny([{ params: [a], lr: -1 }])).toThrow(/Tiny: lr must be >= 0, got -1/);
  });
});

describe('step and zeroGrad', () => {
  it('updates parameters that have gradients, each group with its options', () => {
    const a = leaf([1, 2]), b = leaf([3]), unused = leaf([7]);
    const opt = new Tiny([{ params: [a, unused] }, { params: [b], lr: 1 }]);
    a.mul(a).sum().add(b.mul(3).sum()).backward();
    expect(opt.step()).toBeNull();
    expect(Array.from(a.toTypedArray())).toEqual([Math.fround(1 - 0.1 * 2), Math.fround(2 - 0.1 * 4)]);
    expect(b.toArray()).toEqual([0]);
    expect(unused.toArray()).toEqual([7]);
    expect(opt.state.has(unused)).toBe(false);
  });

  it('evaluates the closure with grad enabled, even inside noGrad, and returns its loss', () => {
    const w = leaf([2]);
    const opt = new Tiny([w]);
    const loss = noGrad(() => opt.step(() => {
      opt.zeroGrad();
      const l = w.mul(w).sum();
      l.backward();
      return l;
    }));
    expect(loss!.item()).toBe(4);
    expect(w.item()).toBeCloseTo(2 - 0.1 * 4, 6);
    expect(() => opt.step(3 as never)).toThrow(/Tiny\.step: closure must be a function, got 3/);
  });

  it('zeroGrad sets gradients to null, or to zeros', () => {
    const w = leaf([1, 2]);
    const opt = new Tiny([w]);
    w.sum().backward();
    opt.zeroGrad({ setToNone: false });
    expect(w.grad!.toArray()).toEqual([0, 0]);
    opt.zeroGrad();
    expect(w.grad).toBeNull();
    expect(() => opt.zeroGrad({ setToNull: true } as never)).toThrow(/zeroGrad: unknown option 'setToNull'/);
  });

  it('refuses a gradient of the wrong shape or dtype', () => {
    const w = leaf([1, 2]);
    const opt = new Tiny([w]);
    w.grad = zeros([3]);
    expect(() => opt.step()).toThrow(/Tiny\.step: the gradient of a parameter of shape \[2\] \(float32\) has shape \[3\] \(float32\)/);
  });
});

describe('stateDict and loadStateDict', () => {
  const trained = () => {
    const a = leaf([1, 2]), b = leaf([3]);
    const opt = new Tiny([{ params: [a] }, { params: [b], lr: 0.5 }]);
    a.mul(b).sum().backward();
    opt.step();
    return { a, b, opt };
  };

  it('numbers parameters across groups and clones the state', () => {
    const { a, opt } = trained();
    const sd = opt.stateDict();
    expect(sd.paramGroups.map((g) => [g.params, g.lr])).toEqual([[[0], 0.1], [[1], 0.5]]);
    expect(sd.state[0].step).toBe(1);
    expect((sd.state[0].last as Tensor).toArray()).toEqual([3, 3]);
    noGrad(() => (opt.state.get(a)!.last as Tensor).fill_(0));
    expect((sd.state[0].last as Tensor).toArray()).toEqual([3, 3]);
    sd.paramGroups[0].lr = 9;
    expect(opt.paramGroups[0].lr).toBe(0.1);
  });

  it('loads into a fresh optimizer over other parameters of the same shapes', () => {
    const { opt } = trained();
    const c = leaf([0, 0]), d = leaf([0]);
    const fresh = new Tiny([{ params: [c] }, { params: [d] }]);
    fresh.loadStateDict(opt.stateDict());
    expect(fresh.paramGroups[1].lr).toBe(0.5);
    expect(fresh.state.get(c)!.step).toBe(1);
    expect((fresh.state.get(d)!.last as Tensor).toArray()).toEqual([3]);
  });

  it('refuses a state dict that does not fit, changing nothing', () => {
    const { opt } = trained();
    const sd = opt.stateDict();
    const one = new Tiny([leaf([0, 0])]);
    expect(() => one.loadStateDict(sd)).toThrow(/Tiny\.loadStateDict: the state dict has 2 parameter groups, the optimizer 1/);
    const wrong = new Tiny([{ params: [leaf([0, 0, 0])] }, { params: [leaf([0])] }]);
    expect(() => wrong.loadStateDict(sd)).toThrow(/state 'last' of parameter 0 has shape \[2\], the parameter \[3\]/);
    expect(wrong.paramGroups[1].lr).toBe(0.1);
    expect(() => wrong.loadStateDict(null as never)).toThrow(/expected \{state, paramGroups\} as from stateDict\(\), got null/);
  });
});
