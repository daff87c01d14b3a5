// Scratch memory (src/tensor/pool.ts): a convolution's unfolded windows go back to the pool when the last
// node that saved them has run its backward, the next kernel output of that size takes the same array, a
// recycled storage refuses to be read, and retainGraph (or a graph never walked) keeps the memory.
import { describe, expect, it } from 'vitest';
import { F, randn, manualSeed, noGrad, Tensor } from '../../src/index.js';
import { markScratch, releaseScratch, outputArray } from '../../src/tensor/pool.js';

/** The matmul node of a conv2d output: the node that saved the unfolded windows. */
function savedCols(y: Tensor): Tensor {
  let n = y.gradFn;
  while (n && n.name !== 'matmul') n = (n.next as readonly ({ name: string; next: unknown } | null)[]).find((m) => m) as typeof n;
  return n!.savedContext!.inputs[1]!;
}

describe('scratch pool', () => {
  // 64×16·9 windows × 100 positions = 92,160 elements: above the pool's 65,536 minimum
  const setup = () => {
    manualSeed(3);
    return { x: randn([64, 16, 10, 10], { requiresGrad: true }), w: randn([8, 16, 3, 3], { requiresGrad: true }) };
  };

  it('recycles the windows after backward, and the next convolution reuses them', () => {
    const { x, w } = setup();
    const y = F.conv2d(x, w, null, { padding: 1 });
    const cols = savedCols(y);
    const array = cols.data;
    y.sum().backward();
    expect(cols.storage.released).toBe(true);
    expect(() => cols.data).toThrow(/read after its memory was recycled/);
    const y2 = F.conv2d(x, w, null, { padding: 1 });
    expect(savedCols(y2).data).toBe(array);
  });

  it('gives the same values and gradients with recycled memory', () => {
    const { x, w } = setup();
    const run = () => {
      x.grad = null;
      w.grad = null;
      const y = F.conv2d(x, w, null, { padding: 1 });
      y.mul(y).sum().backward();
      return [y.toArray(), x.grad!.toArray(), w.grad!.toArray()];
    };
    const first = run(), second = run(), third = run();
    expect(second).toEqual(first);
    expect(third).toEqual(first);
  });

  it('keeps the windows with retainGraph, so a second backward works, and frees them after it', () => {
    const { x, w } = setup();
    const c = F.conv2d(x, w, null, { padding: 1 });
    const cols = savedCols(c);
    const y = c.sum();
    y.backward(undefined, { retainGraph: true });
    expect(cols.storage.released).toBe(false);
    const g1 = w.grad!.toArray();
    w.grad = null;
    y.backward();
    expect(w.grad!.toArray()).toEqual(g1);
    expect(cols.storage.released).toBe(true); // the second backward freed the graph
  });

  it('recycles at once when nothing saved the windows (noGrad)', () => {
    const t = noGrad(() => randn([70000]).mul(1));
    markScratch(t);
    const a = t.data;
    releaseScratch(t.storage);
    expect(t.storage.released).toBe(true);
    expect(outputArray('float32', 70000)).toBe(a);
  });

  it('leaves small and shared arrays alone', () => {
    const small = randn([100]).mul(1);
    markScratch(small);
    releaseScratch(small.storage);
    expect(small.storage.released).toBe(false);
    const view = randn([80000]).mul(1).narrow(0, 1, 70000);
    markScratch(view);
    releaseScratch(view.storage);
    expect(view.storage.released).toBe(false);
  });
});
