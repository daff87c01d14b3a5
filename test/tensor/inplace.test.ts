// In-place writes (copy_, fill_, zero_, uniform_, normal_) and forkRng.
import { describe, expect, it } from 'vitest';
import { tensor, zeros, ones, arange, rand, randn, noGrad, manualSeed, forkRng, createGenerator } from '../../src/index.js';

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
    expect(() => w.mul(2).zero_()).toThrow(/fill_: in-place operations are not recorded on the tape/);
    noGrad(() => w.fill_(5));
    expect(w.toArray()).toEqual([5, 5]);
    expect(w.requiresGrad).toBe(true);
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
