// In-place writes (copy_, fill_, zero_, uniform_, normal_, add_, sub_, mul_, div_, clamp_) and forkRng.
import { describe, expect, it } from 'vitest';
import {
  tensor, zeros, ones, arange, rand, randn, noGrad, manualSeed, forkRng, createGenerator, errorOf,
  ShapeError, DTypeError, ValueError, ArgumentError, AutogradError,
} from '../../src/index.js';

describe('copy_ and fill_', () => {
  it('copy_ broadcasts, converts dtype and writes through views', () => {
    const x = zeros([2, 3]);
    expect(x.copy_(tensor([1, 2, 3]))).toBe(x);
    expect(x.toArray()).toEqual([[1, 2, 3], [1, 2, 3]]);
    const base = zeros([3, 2]);
    base.transpose(0, 1).copy_(arange(6, undefined, 1, { dtype: 'float64' }).reshape([2, 3]));
    expect(base.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    const i = zeros([2], { dtype: 'int32' }).copy_(tensor([1.7, -1.7]));
    expect(i.toArray()).toEqual([1, -1]);
    const b = zeros([3], { dtype: 'bool' }).copy_(tensor([0, 2, -0.5]));
    expect(b.toArray()).toEqual([false, true, true]);
  });

  it('copy_ from an overlapping view reads the old values', () => {
    const x = arange(4, undefined, 1, { dtype: 'float32' });
    x.narrow(0, 1, 3).copy_(x.narrow(0, 0, 3));
    expect(x.toArray()).toEqual([0, 0, 1, 2]);
  });

  it('fill_ and zero_ set every element', () => {
    expect(ones([2, 2]).fill_(2.5).toArray()).toEqual([[2.5, 2.5], [2.5, 2.5]]);
    expect(ones([3]).zero_().toArray()).toEqual([0, 0, 0]);
    expect(zeros([0, 2]).fill_(1).shape).toEqual([0, 2]);
  });

  it('refuses a source that does not broadcast', () => {
    expect(() => zeros([2, 3]).copy_(zeros([2]))).toThrow(/copy_: the source of shape \[2\] does not broadcast to the destination's shape \[2, 3\]/);
    expect(() => zeros([3]).copy_(zeros([2, 3]))).toThrow(/copy_: the source of shape \[2, 3\] does not broadcast/);
    expect(() => zeros([3]).copy_([1, 2, 3] as never)).toThrow(/copy_: expected a source Tensor/);
  });

  it('bumps the version, so a backward that saved the tensor fails', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const h = zeros([2]).add(tensor([3, 4]));
    const y = w.mul(h).sum();
    const v = h.storage.version;
    h.fill_(0);
    expect(h.storage.version).toBe(v + 1);
    expect(() => y.backward()).toThrow(/modified by an in-place operation/);
  });

  it('refuses leaves that require grad outside noGrad, and tracked tensors', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => w.fill_(0)).toThrow(/fill_: a leaf tensor of shape \[2\] that requires grad is being used in an in-place operation/);
    expect(() => zeros([2]).copy_(w)).toThrow(/copy_: in-place operations are not recorded on the tape/);
    expect(() => w.mul(2).zero_()).toThrow(/^zero_: in-place operations are not recorded on the tape/);
    noGrad(() => w.fill_(5));
    expect(w.toArray()).toEqual([5, 5]);
    expect(w.requiresGrad).toBe(true);
  });
});

describe('add_, sub_, mul_, div_, clamp_', () => {
  it('compute the out-of-place result and write it into self, returning self', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.add_(tensor([10, 20, 30]))).toBe(x);
    expect(x.toArray()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(x.sub_(tensor([[1], [4]])).toArray()).toEqual([[10, 21, 32], [10, 21, 32]]);
    expect(x.mul_(2).toArray()).toEqual([[20, 42, 64], [20, 42, 64]]);
    expect(x.div_(tensor([4, 2, 8])).toArray()).toEqual([[5, 21, 8], [5, 21, 8]]);
    expect(x.clamp_(6, 20).toArray()).toEqual([[6, 20, 8], [6, 20, 8]]);
    expect(tensor([-1, 0.5, 2]).clamp_(0).toArray()).toEqual([0, 0.5, 2]);
    expect(tensor([-1, 0.5, 2]).clamp_(null, tensor(1)).toArray()).toEqual([-1, 0.5, 1]);
  });

  it('take alpha as PyTorch: self + alpha·other, self − alpha·other', () => {
    expect(tensor([1, 2]).add_(tensor([1, 1]), { alpha: -0.5 }).toArray()).toEqual([0.5, 1.5]);
    expect(tensor([1, 2]).sub_(tensor([1, 1]), { alpha: 3 }).toArray()).toEqual([-2, -1]);
    expect(tensor([1, 2], { dtype: 'int32' }).add_(tensor([1, 1], { dtype: 'int32' }), { alpha: 2 }).toArray()).toEqual([3, 4]);
    expect(tensor([1, 2], { dtype: 'int32' }).sub_(3, { alpha: 2 }).toArray()).toEqual([-5, -4]);
    // alpha·other is formed in the common dtype (float64 here), not in other's int32 promoted to float32
    expect(zeros([1], { dtype: 'float64' }).add_(tensor([3], { dtype: 'int32' }), { alpha: 0.1 }).item()).toBe(3 * 0.1);
    expect(() => zeros([1]).sub_(true, { alpha: 2 })).toThrow(/^sub_: got float32 tensor of shape \[1\] and true, expected numeric operands/);
    // bool: + is logical or, alpha 0 leaves self (PyTorch: torch.add(b, c, alpha=0) is b)
    expect(tensor([true, false, false]).add_(tensor([true, true, false])).toArray()).toEqual([true, true, false]);
    expect(tensor([true, false]).add_(tensor([true, true]), { alpha: 0 }).toArray()).toEqual([true, false]);
    expect(tensor([true, false]).mul_(tensor([true, true])).toArray()).toEqual([true, false]);
    // PyTorch: "For integral input tensors, argument alpha must not be a floating point number."
    const e = errorOf(() => tensor([1, 2], { dtype: 'int32' }).add_(1, { alpha: 0.5 }));
    expect(e).toBeInstanceOf(ValueError);
    expect((e as Error).message).toMatch(/^add_: got alpha 0.5 for integral operands \(int32\), expected an integer/);
    expect(errorOf(() => tensor([1.5]).add_(1, { alpha: Infinity }))).toBeInstanceOf(ValueError);
    expect(() => tensor([1.5]).add_(1, { alhpa: 2 } as never)).toThrow(/^add_: unknown option 'alhpa' \(expected alpha\); did you mean 'alpha'\?/);
    expect(errorOf(() => tensor([1.5]).add_(1, { alpha: '2' } as never))).toBeInstanceOf(ArgumentError);
  });

  it('keep self\'s dtype: a promoted result that cannot be cast back is a DTypeError', () => {
    // float64 self takes a float32 operand; float32 self takes a float64 one (the result is cast, as PyTorch)
    const a = tensor([1, 2], { dtype: 'float32' }).add_(tensor([0.5, 0.25], { dtype: 'float64' }));
    expect(a.dtype).toBe('float32');
    expect(a.toArray()).toEqual([1.5, 2.25]);
    expect(tensor([1, 2], { dtype: 'float64' }).mul_(tensor([2, 3], { dtype: 'int32' })).dtype).toBe('float64');
    expect(tensor([1, 2], { dtype: 'int32' }).add_(tensor([true, false])).toArray()).toEqual([2, 2]);
    // PyTorch: "result type Float can't be cast to the desired output type Int"
    for (const [f, msg] of [
      [() => tensor([1, 2], { dtype: 'int32' }).add_(0.5), /^add_: got result type float32, expected one that can be cast to self's dtype int32 \(an in-place op keeps self's dtype\)/],
      [() => tensor([1, 2], { dtype: 'int32' }).div_(2), /^div_: got result type float32, expected one that can be cast to self's dtype int32/],
      [() => tensor([1, 2], { dtype: 'int32' }).clamp_(0.5), /^clamp_: got result type float32, expected one that can be cast to self's dtype int32/],
      [() => tensor([true, false]).add_(1), /^add_: got result type int32, expected one that can be cast to self's dtype bool/],
      [() => tensor([true, false]).mul_(tensor([1.5, 2])), /^mul_: got result type float32, expected one that can be cast to self's dtype bool/],
    ] as const) {
      const e = errorOf(f);
      expect(e).toBeInstanceOf(DTypeError);
      expect((e as Error).message).toMatch(msg);
    }
    // sub with a bool operand is refused as by sub, under the in-place op's name
    const e = errorOf(() => tensor([true, false]).sub_(tensor([true, true])));
    expect(e).toBeInstanceOf(DTypeError);
    expect((e as Error).message).toMatch(/^sub_: got bool tensor of shape \[2\] and bool tensor of shape \[2\], expected numeric operands/);
    expect((e as DTypeError).op).toBe('sub_');
  });

  it('keep self\'s shape: other broadcasts to it, not the other way', () => {
    expect(zeros([2, 3]).add_(tensor([1, 2, 3])).shape).toEqual([2, 3]);
    expect(zeros([2, 3]).add_(tensor(1)).shape).toEqual([2, 3]);
    const e = errorOf(() => zeros([3]).add_(zeros([2, 3])));
    expect(e).toBeInstanceOf(ShapeError);
    expect((e as Error).message).toMatch(/^add_: got operands of shape \[3\] and \[2, 3\] that broadcast to \[2, 3\], expected them to broadcast to self's shape \[3\]/);
    expect(errorOf(() => zeros([3, 1]).mul_(zeros([1, 3])))).toBeInstanceOf(ShapeError);
    expect(() => zeros([2, 3]).sub_(zeros([4]))).toThrow(/^sub_: shapes \[2, 3\] and \[4\] cannot be broadcast together/);
    expect(() => zeros([3]).clamp_(zeros([2, 3]))).toThrow(/^clamp_: got operands of shape \[3\] and \[2, 3\]/);
    expect(() => zeros([3]).clamp_()).toThrow(/^clamp_: at least one of min and max must be given/);
    expect(() => zeros([3]).mul_('2' as never)).toThrow(/^mul_: expected other to be a Tensor or a number, got '2'/);
  });

  it('write through views and bump the version, so a backward that saved self fails', () => {
    const base = zeros([2, 3]);
    base.narrow(1, 1, 2).add_(tensor([[1, 2], [3, 4]]));
    expect(base.toArray()).toEqual([[0, 1, 2], [0, 3, 4]]);
    base.transpose(0, 1).mul_(tensor([1, 10])); // a non-contiguous self: row i of base times [1, 10][i]
    expect(base.toArray()).toEqual([[0, 1, 2], [0, 30, 40]]);
    // self as its own operand (a fresh result, written after)
    const x = arange(4, undefined, 1, { dtype: 'float32' });
    x.narrow(0, 1, 3).add_(x.narrow(0, 0, 3));
    expect(x.toArray()).toEqual([0, 1, 3, 5]);

    for (const write of [
      (h: ReturnType<typeof zeros>) => h.add_(1), (h: ReturnType<typeof zeros>) => h.sub_(1, { alpha: 2 }), (h: ReturnType<typeof zeros>) => h.mul_(2),
      (h: ReturnType<typeof zeros>) => h.div_(2), (h: ReturnType<typeof zeros>) => h.clamp_(0, 1),
    ]) {
      const w = tensor([1, 2], { requiresGrad: true });
      const h = zeros([2]).add(tensor([3, 4]));
      const y = w.mul(h).sum();
      const v = h.storage.version;
      write(h);
      expect(h.storage.version).toBe(v + 1);
      expect(() => y.backward()).toThrow(/modified by an in-place operation/);
    }
  });

  it('refuse a leaf that requires grad (or a view of one) outside noGrad, tracked tensors, and sources that require grad', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    for (const [f, op] of [[() => w.add_(1), 'add_'], [() => w.sub_(1), 'sub_'], [() => w.mul_(2), 'mul_'], [() => w.div_(2), 'div_'], [() => w.clamp_(0, 1), 'clamp_']] as const) {
      const e = errorOf(f);
      expect(e).toBeInstanceOf(AutogradError);
      expect((e as Error).message).toMatch(new RegExp(`^${op}: a leaf tensor of shape \\[2\\] that requires grad is being used in an in-place operation`));
    }
    expect(() => w.narrow(0, 0, 1).add_(1)).toThrow(/^add_: a view \(shape \[1\]\) of a leaf tensor of shape \[2\] \(float32\) that requires grad/);
    expect(() => w.mul(2).add_(1)).toThrow(/^add_: in-place operations are not recorded on the tape/);
    expect(() => zeros([2]).add_(w)).toThrow(/^add_: in-place operations are not recorded on the tape, and the source/);
    expect(() => zeros([2]).clamp_(w)).toThrow(/^clamp_: in-place operations are not recorded on the tape, and the source/);
    expect(w.toArray()).toEqual([1, 2]); // nothing was written
    // an optimizer step: p -= lr · grad, under noGrad
    w.mul(w).sum().backward();
    const v = w.storage.version;
    noGrad(() => w.sub_(w.grad!, { alpha: 0.25 }));
    expect(w.toArray()).toEqual([0.5, 1]);
    expect(w.storage.version).toBe(v + 1);
    expect(w.requiresGrad).toBe(true);
    expect(w.isLeaf).toBe(true);
  });
});

describe('uniform_ and normal_', () => {
  it('draw from the seeded generator, row-major', () => {
    manualSeed(3);
    const a = zeros([2, 3]).uniform_(-2, 2);
    manualSeed(3);
    const u = rand([2, 3], { dtype: 'float64' });
    const expected = Array.from(u.toTypedArray(), (v) => Math.fround(-2 + 4 * v));
    expect(Array.from(a.toTypedArray())).toEqual(expected);
    const g1 = zeros([5]).normal_(1, 2, { generator: createGenerator(9) });
    const g2 = randn([5], { dtype: 'float64', generator: createGenerator(9) });
    expect(Array.from(g1.toTypedArray())).toEqual(Array.from(g2.toTypedArray(), (v) => Math.fround(1 + 2 * v)));
  });

  it('refuse bad ranges and int tensors', () => {
    expect(() => zeros([2]).uniform_(1, 0)).toThrow(/uniform_: expected finite low <= high, got low=1, high=0/);
    expect(() => zeros([2]).normal_(0, -1)).toThrow(/normal_: expected a finite mean and std >= 0/);
    expect(() => zeros([2], { dtype: 'int32' }).uniform_()).toThrow(/uniform_: expected a float32 or float64 tensor, got int32/);
  });
});

describe('forkRng', () => {
  it('with a seed, repeats the same draws and leaves the global stream alone', () => {
    manualSeed(11);
    const expectedNext = rand([3]).toArray();
    manualSeed(11);
    const a = forkRng(() => rand([4]), 5).toArray();
    const b = forkRng(() => rand([4]), 5).toArray();
    expect(a).toEqual(b);
    expect(rand([3]).toArray()).toEqual(expectedNext);
  });

  it('without a seed, continues from the current state and restores it, even on throw', () => {
    manualSeed(2);
    const direct = rand([2]).toArray();
    manualSeed(2);
    expect(forkRng(() => rand([2])).toArray()).toEqual(direct);
    expect(() => forkRng(() => { rand([5]); throw new Error('boom'); })).toThrow('boom');
    expect(rand([2]).toArray()).toEqual(direct);
  });
});

describe('writes into tensors whose elements share memory', () => {
  it('refuses copy_, add_, mul_ and uniform_ into an expanded tensor, as PyTorch does, and allows fill_ and zero_', () => {
    const base = tensor([[1], [2], [3]]);
    const x = base.expand([3, 4]);
    for (const [op, f] of [
      ['copy_', () => x.copy_(ones([3, 4]))],
      ['add_', () => x.add_(1)],
      ['mul_', () => x.mul_(2)],
      ['uniform_', () => x.uniform_()],
    ] as const) {
      expect(f).toThrow(ValueError);
      expect(f).toThrow(new RegExp(`^${op}: unsupported operation: more than one element of the written-to tensor \\(shape \\[3, 4\\], strides \\[1, 0\\]`));
    }
    expect(base.toArray()).toEqual([[1], [2], [3]]);
    x.fill_(5);
    expect(base.toArray()).toEqual([[5], [5], [5]]);
    x.zero_();
    expect(base.toArray()).toEqual([[0], [0], [0]]);
  });
});
