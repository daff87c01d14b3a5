// Recycled memory (src/tensor/pool.ts): a convolution's unfolded windows go back to the pool when the last
// node that saved them has run its backward, and so do the gradients a backward consumed; the next kernel
// outputs of that size take them; a recycled storage refuses to be read; retainGraph (or a graph never walked)
// keeps the memory; and nothing that reaches the user (a .grad, a gradient grad() returns, what a custom op's
// backward keeps) is ever recycled. Results with recycling equal results without, bit for bit.
import { describe, expect, it } from 'vitest';
import { F, nn, optim, randn, randint, manualSeed, noGrad, grad, customOp, Tensor } from '../../src/index.js';
import { markScratch, releaseScratch, outputArray, poolStats, withoutPool } from '../../src/tensor/pool.js';

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
    y.sum().backward();
    expect(cols.storage.released).toBe(true);
    expect(() => cols.data).toThrow(/read after its memory was recycled/);
    const hits = poolStats.hits;
    F.conv2d(x, w, null, { padding: 1 });
    expect(poolStats.hits).toBeGreaterThan(hits);
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

describe('recycled gradients', () => {
  /** A small CNN trained 3 steps (conv windows and gradients large enough to recycle): losses and weights. */
  function train() {
    manualSeed(11);
    const model = new nn.Sequential(new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(8, 8, 3, { padding: 1 }), new nn.Tanh(), new nn.Flatten(), new nn.Linear(8 * 16 * 16, 5));
    const x = randn([32, 3, 32, 32]), y = randint(0, 5, [32]);
    const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
    const losses: number[] = [];
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      const loss = F.crossEntropy(model.forward(x), y);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    return { losses, weights: model.parameters().map((p) => p.toArray()) };
  }

  it('train a CNN to the same bits as without recycling', () => {
    const hits = poolStats.hits;
    const a = train();
    expect(poolStats.hits).toBeGreaterThan(hits);
    const b = withoutPool(train);
    expect(a).toEqual(b);
  });

  it('keep a gradient that reaches two inputs until both are done', () => {
    const run = () => {
      manualSeed(5);
      const x = randn([300, 300], { requiresGrad: true });
      const h = x.mul(2);
      // h feeds three ops: its gradient is a sum whose parts pass through several nodes
      h.exp().mul(0.01).add(h.sin()).add(h.mul(h)).sum().backward();
      return x.grad!.toArray();
    };
    expect(run()).toEqual(withoutPool(run));
  });

  it('never recycle what grad() returns or what a custom backward keeps', () => {
    manualSeed(6);
    const x = randn([300, 300], { requiresGrad: true });
    const [gx] = grad(x.mul(x).mul(3).sum(), [x]);
    const copy = gx.clone().toArray();
    let kept: Tensor | null = null;
    const stash = customOp({
      name: 'stash',
      forward: (_ctx, t: Tensor) => t.mul(1),
      backward: (_ctx, g: Tensor) => {
        kept = g;
        return g.mul(1);
      },
    });
    stash(x.mul(2)).mul(3).sum().backward();
    const keptCopy = kept!.clone().toArray();
    // more large work through the pool, which would reuse anything wrongly recycled
    for (let i = 0; i < 3; i++) x.mul(x).exp().mul(0.5).sum().backward();
    expect(gx.toArray()).toEqual(copy);
    expect(kept!.toArray()).toEqual(keptCopy);
  });
});
