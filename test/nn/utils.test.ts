// nn.utils: gradient clipping (PyTorch's formula) and parameter vectors.
import { describe, expect, it } from 'vitest';
import { nn, tensor, Tensor } from '../../src/index.js';

function withGrads(...grads: number[][]): Tensor[] {
  return grads.map((g) => {
    const p = tensor(g.map(() => 0), { requiresGrad: true });
    p.grad = tensor(g);
    return p;
  });
}

describe('clipGradNorm_', () => {
  it('scales all grads by maxNorm / (norm + 1e-6) when above, and returns the norm', () => {
    const ps = withGrads([3, 0], [0, 4]);
    const n = nn.utils.clipGradNorm_(ps, 2);
    expect(n.item()).toBeCloseTo(5, 6);
    const c = 2 / (5 + 1e-6);
    expect(Array.from(ps[0].grad!.toTypedArray())).toEqual([Math.fround(3 * c), 0]);
    expect(Array.from(ps[1].grad!.toTypedArray())).toEqual([0, Math.fround(4 * c)]);
  });

  it('leaves small grads alone, supports other norms, skips params without grads', () => {
    const ps = withGrads([0.3, -0.4]);
    ps.push(tensor([1], { requiresGrad: true }));
    expect(nn.utils.clipGradNorm_(ps, 1).item()).toBeCloseTo(0.5, 6);
    expect(Array.from(ps[0].grad!.toTypedArray())).toEqual([Math.fround(0.3), Math.fround(-0.4)]);
    expect(nn.utils.clipGradNorm_(withGrads([1, -3], [2]), 10, Infinity).item()).toBe(3);
    expect(nn.utils.clipGradNorm_(withGrads([1, -3], [2]), 10, 1).item()).toBe(6);
    expect(nn.utils.clipGradNorm_([], 1).item()).toBe(0);
  });

  it('errors on a non-finite norm when asked, and on bad arguments', () => {
    expect(() => nn.utils.clipGradNorm_(withGrads([Infinity]), 1, 2, { errorIfNonfinite: true })).toThrow(/clipGradNorm_: the total norm of order 2 of the gradients is Infinity/);
    expect(() => nn.utils.clipGradNorm_(withGrads([1]), -1)).toThrow(/^clipGradNorm_: maxNorm must be ≥ 0, got -1/);
    expect(() => nn.utils.clipGradNorm_(3 as never, 1)).toThrow(/clipGradNorm_: expected a Tensor or an iterable of Tensors/);
  });
});

describe('clipGradValue_', () => {
  it('clamps every element', () => {
    const ps = withGrads([0.5, -2, 3]);
    nn.utils.clipGradValue_(ps, 1);
    expect(Array.from(ps[0].grad!.toTypedArray())).toEqual([0.5, -1, 1]);
    expect(() => nn.utils.clipGradValue_(ps, -1)).toThrow(/^clipGradValue_: clipValue must be ≥ 0, got -1/);
  });
});

describe('parametersToVector and vectorToParameters', () => {
  it('round-trip', () => {
    const ps = [tensor([[1, 2], [3, 4]]), tensor([5])];
    const v = nn.utils.parametersToVector(ps);
    expect(Array.from(v.toTypedArray())).toEqual([1, 2, 3, 4, 5]);
    nn.utils.vectorToParameters(v.mul(2), ps);
    expect(ps[0].toArray()).toEqual([[2, 4], [6, 8]]);
    expect(() => nn.utils.vectorToParameters(tensor([1, 2]), ps)).toThrow(/^vectorToParameters: vec has 2 elements, expected 5/);
  });
});
