import { describe, expect, it } from 'vitest';
import { grad, ones, tensor, zeros, nn, randn, manualSeed, type Tensor } from '../../src/index.js';

const f64 = (v: unknown, requiresGrad = false) => tensor(v as number[], { dtype: 'float64', requiresGrad });

describe('backward()', () => {
  it('a 100,000-op chain backpropagates without stack overflow, with the right gradient', () => {
    const x = f64([1.5], true);
    const c = 1 + 1e-5;
    let y: Tensor = x;
    for (let i = 0; i < 50_000; i++) y = y.mul(c).add(0.25);
    y.sum().backward();
    // d/dx of 50,000 steps of (y * c + 0.25) is c^50000; 100,000 recorded ops plus the sum
    expect(x.grad!.item()).toBeCloseTo(Math.pow(c, 50_000), 9);
    expect(y.item()).toBeGreaterThan(12_500);
  });

  it('gives the chain rule\'s result for a small graph with shared subexpressions', () => {
    // f = sum(a * b + exp(a)), with a = x², b = sin(x): df/dx = 2x·sin x + x²·cos x + 2x·exp(x²)
    const xs = [0.3, -1.2, 2];
    const x = f64(xs, true);
    const a = x.mul(x), b = x.sin();
    a.mul(b).add(a.exp()).sum().backward();
    const expected = xs.map((v) => 2 * v * Math.sin(v) + v * v * Math.cos(v) + 2 * v * Math.exp(v * v));
    (x.grad!.toArray() as number[]).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 12));
  });

  it('gradients accumulate across two backward calls', () => {
    const x = f64([1, 2], true);
    x.mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 3]);
    const first = x.grad!;
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([5, 7]);
    // the first .grad tensor was not mutated in place
    expect(first.toArray()).toEqual([3, 3]);
  });

  it('an input used twice in one op gets both contributions', () => {
    const x = f64([3], true);
    x.mul(x).mul(x).sum().backward(); // x³ → 3x² = 27
    expect(x.grad!.item()).toBe(27);
  });

  it('a second backward through freed buffers throws, mentioning retainGraph', () => {
    const x = f64([1, 2], true);
    const y = x.exp().sum();
    y.backward();
    expect(x.grad!.toArray()).toEqual([Math.exp(1), Math.exp(2)]);
    expect(() => y.backward()).toThrow(/second time.*'exp'.*retainGraph: true/s);
    expect(x.grad!.toArray()).toEqual([Math.exp(1), Math.exp(2)]);
  });

  it('retainGraph: true allows a second backward, which accumulates', () => {
    const x = f64([1, 2, 3], true);
    const y = x.mul(x).sum();
    y.backward(null, { retainGraph: true });
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
    y.backward(null, { retainGraph: true });
    expect(x.grad!.toArray()).toEqual([4, 8, 12]);
    y.backward();
    expect(x.grad!.toArray()).toEqual([6, 12, 18]);
    expect(() => y.backward()).toThrow(/retainGraph/);
  });

  it('a non-scalar output needs a gradient; the error names the shape', () => {
    const x = f64([1, 2, 3], true);
    const y = x.mul(2);
    expect(() => y.backward()).toThrow(/only for scalar outputs.*shape \[3\]/);
    y.backward(f64([1, 0.5, -2]));
    expect(x.grad!.toArray()).toEqual([2, 1, -4]);
    // one element of any shape counts as a scalar
    const z = f64([[4]], true);
    z.mul(z).backward();
    expect(z.grad!.toArray()).toEqual([[8]]);
  });

  it('rejects a gradient of the wrong shape or dtype', () => {
    const x = f64([1, 2, 3], true);
    const y = x.mul(2);
    expect(() => y.backward(ones([2], { dtype: 'float64' }))).toThrow(/gradient for output 0 has shape \[2\] but the output has shape \[3\]/);
    expect(() => y.backward(ones([3], { dtype: 'float32' }))).toThrow(/dtype float32 but the output has dtype float64/);
    expect(() => y.backward([1, 1, 1] as never)).toThrow(/must be a Tensor/);
    expect(x.grad).toBeNull();
  });

  it('throws for a tensor that does not require grad', () => {
    expect(() => f64([1]).mul(2).sum().backward()).toThrow(/does not require grad/);
  });

  it('leaves get .grad, non-leaves do not unless they call retainGrad()', () => {
    const x = f64([1, 2], true);
    const y = x.mul(2);
    const u = x.add(1);
    expect(y.isLeaf).toBe(false);
    expect(y.retainsGrad).toBe(false);
    expect(x.retainsGrad).toBe(true);
    y.retainGrad();
    expect(y.retainsGrad).toBe(true);
    y.mul(y).add(u).sum().backward(); // d/dy (y² + u) = 2y = 4x; dx = 2·2y + 1 = 8x + 1
    expect(y.grad!.toArray()).toEqual([4, 8]);
    expect(x.grad!.toArray()).toEqual([9, 17]);
    expect(u.grad).toBeNull();
    expect(() => f64([1]).retainGrad()).toThrow(/does not require grad/);
  });

  it('retainGrad on a non-leaf accumulates across backwards like a leaf', () => {
    const x = f64([1], true);
    const y = x.mul(3);
    y.retainGrad();
    const z = y.mul(y);
    z.backward(null, { retainGraph: true });
    z.backward();
    expect(y.grad!.toArray()).toEqual([12]); // 2 · (2 · 3)
    expect(x.grad!.toArray()).toEqual([36]);
  });

  it('detach cuts the tape: no gradient flows through the detached copy', () => {
    const x = f64([2, 3], true);
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.gradFn).toBeNull();
    expect(d.isLeaf).toBe(true);
    expect(d.storage).toBe(x.storage);
    x.mul(d).sum().backward(); // d/dx (x · const) = const = x
    expect(x.grad!.toArray()).toEqual([2, 3]);
    const y = x.mul(2);
    const yd = y.detach();
    expect(yd.requiresGrad).toBe(false);
    expect(yd.toArray()).toEqual([4, 6]);
    expect(() => { y.requiresGrad = false; }).toThrow(/only leaf tensors/);
  });

  it('broadcasting gradients are summed back to each input\'s shape', () => {
    const xv = [1, 2, 3], yv = [10, 20, 30, 40];
    const x = f64([[1], [2], [3]], true); // [3, 1]
    const y = f64(yv, true); // [4]
    const w = f64(Array.from({ length: 3 }, (_, i) => Array.from({ length: 4 }, (_, j) => i * 4 + j + 1)));
    const z = x.add(y); // [3, 4]
    expect(z.shape).toEqual([3, 4]);
    z.mul(w).sum().backward();
    expect(x.grad!.shape).toEqual([3, 1]);
    expect(y.grad!.shape).toEqual([4]);
    // dx[i] = Σ_j w[i][j], dy[j] = Σ_i w[i][j]
    expect(x.grad!.toArray()).toEqual([[1 + 2 + 3 + 4], [5 + 6 + 7 + 8], [9 + 10 + 11 + 12]]);
    expect(y.grad!.toArray()).toEqual([1 + 5 + 9, 2 + 6 + 10, 3 + 7 + 11, 4 + 8 + 12]);

    // with a product the sums carry the other operand: d(Σ x·y)/dx[i] = Σ_j y[j], /dy[j] = Σ_i x[i]
    const a = f64([[1], [2], [3]], true), b = f64(yv, true);
    a.mul(b).sum().backward();
    expect(a.grad!.toArray()).toEqual(xv.map(() => [100]));
    expect(b.grad!.toArray()).toEqual(yv.map(() => 6));

    // a 0-d operand gets the sum over everything
    const s = tensor(2, { dtype: 'float64', requiresGrad: true });
    f64([[1, 2], [3, 4]]).mul(s).sum().backward();
    expect(s.grad!.shape).toEqual([]);
    expect(s.grad!.item()).toBe(10);
  });

  it('modifying a saved tensor in place makes backward throw, mentioning in-place', () => {
    const x = f64([1, 2], true);
    const y = x.exp(); // exp saves its output
    const loss = y.sum();
    y.storage.version++; // what an in-place op on y does
    expect(() => loss.backward()).toThrow(/saved by 'exp' was modified by an in-place operation.*version is 1, expected 0/);
    expect(x.grad).toBeNull();

    // a tensor that was not saved can change without harm
    const x2 = f64([1, 2], true);
    const h = x2.mul(3); // mul saves x2 and the constant, not h
    const l2 = h.add(1).sum();
    h.storage.version++;
    l2.backward();
    expect(x2.grad!.toArray()).toEqual([3, 3]);

    // the saved input of mul
    const p = f64([1, 2], true), q = f64([5, 6], true);
    const l3 = p.mul(q).sum();
    q.storage.version++;
    expect(() => l3.backward()).toThrow(/saved by 'mul' was modified by an in-place operation/);
  });

  it('a view shares its base\'s version counter', () => {
    const x = f64([1, 2, 3, 4], true);
    const base = x.mul(1);
    const v = base.narrow(0, 1, 2);
    const l = v.mul(v).sum(); // mul saves the view
    base.storage.version++;
    expect(() => l.backward()).toThrow(/in-place/);
  });
});

describe('grad()', () => {
  it('returns gradients without touching .grad', () => {
    const x = f64([1, 2, 3], true);
    const [g] = grad(x.mul(x).sum(), x);
    expect(g.toArray()).toEqual([2, 4, 6]);
    expect(x.grad).toBeNull();
    expect(g.requiresGrad).toBe(false);
  });

  it('takes gradOutputs for non-scalar outputs, one per output', () => {
    const x = f64([1, 2], true), y = f64([3, 4], true);
    const u = x.mul(y), v = x.add(y).sum();
    const [gx, gy] = grad([u, v], [x, y], { gradOutputs: [f64([1, 10]), null], retainGraph: true });
    // d(u·[1, 10] + v)/dx = y·[1, 10] + 1, /dy = x·[1, 10] + 1
    expect(gx.toArray()).toEqual([4, 41]);
    expect(gy.toArray()).toEqual([2, 21]);
    const [g1] = grad(u, x, { gradOutputs: f64([2, 0]), retainGraph: true });
    expect(g1.toArray()).toEqual([6, 0]);
    expect(() => grad(u, x)).toThrow(/scalar outputs.*\[2\]/);
    expect(() => grad([u, v], x, { gradOutputs: [f64([1, 1])] })).toThrow(/1 gradOutputs for 2 outputs/);
  });

  it('createGraph gives higher derivatives: the third derivative of x⁴', () => {
    const xv = 1.5;
    const x = tensor(xv, { dtype: 'float64', requiresGrad: true });
    const y = x.pow(4);
    const [d1] = grad(y, x, { createGraph: true });
    expect(d1.requiresGrad).toBe(true);
    expect(d1.item()).toBeCloseTo(4 * xv ** 3, 12);
    const [d2] = grad(d1, x, { createGraph: true });
    expect(d2.item()).toBeCloseTo(12 * xv ** 2, 12);
    const [d3] = grad(d2, x, { createGraph: true });
    expect(d3.item()).toBeCloseTo(24 * xv, 12);
    const [d4] = grad(d3, x);
    expect(d4.item()).toBeCloseTo(24, 12);
    expect(d4.requiresGrad).toBe(false);
  });

  it('createGraph through backward(): a Hessian-vector product', () => {
    // f = (Σx)(Σx²) - Σx³; check H·v against the analytic Hessian
    const xv = [1, 2, 3];
    const x = f64(xv, true);
    const f = x.sum().mul(x.mul(x).sum()).sub(x.pow(3).sum());
    const [g] = grad(f, x, { createGraph: true });
    const v = f64([1, -1, 2]);
    const [hv] = grad(g.mul(v).sum(), x);
    const S = xv.reduce((a, b) => a + b, 0);
    // ∂f/∂x_i = Σx² + 2S·x_i - 3x_i², so ∂²f/∂x_i∂x_j = 2x_i + 2x_j + δ_ij (2S - 6x_i)
    const H = xv.map((xi, i) => xv.map((xj, j) => 2 * xi + 2 * xj + (i === j ? 2 * S - 6 * xi : 0)));
    const vv = [1, -1, 2];
    const expected = H.map((row) => row.reduce((acc, h, j) => acc + h * vv[j], 0));
    expect(hv.toArray()).toEqual(expected);
  });

  it('allowUnused returns zeros for an unused input; without it, grad() throws', () => {
    const x = f64([1, 2], true);
    const unused = tensor([[1, 2, 3]], { dtype: 'float32', requiresGrad: true });
    const y = x.mul(x).sum();
    expect(() => grad(y, [x, unused], { retainGraph: true })).toThrow(/input 1 \(shape \[1, 3\]\) was not used.*allowUnused/);
    const [gx, gu] = grad(y, [x, unused], { allowUnused: true });
    expect(gx.toArray()).toEqual([2, 4]);
    expect(gu.shape).toEqual([1, 3]);
    expect(gu.dtype).toBe('float32');
    expect(gu.toArray()).toEqual([[0, 0, 0]]);
  });

  it('rejects inputs that do not require grad', () => {
    const x = f64([1], true);
    expect(() => grad(x.mul(2).sum(), f64([1]))).toThrow(/input 0 \(shape \[1\]\) does not require grad/);
  });

  it('gives the gradient reaching a non-leaf input', () => {
    const x = f64([1, 2], true);
    const h = x.mul(3);
    const [gh] = grad(h.mul(h).sum(), h);
    expect(gh.toArray()).toEqual([6, 12]);
    expect(x.grad).toBeNull();
  });

  it('without retainGraph, the graph is freed after grad()', () => {
    const x = f64([2], true);
    const y = x.exp().sum();
    grad(y, x);
    expect(() => grad(y, x)).toThrow(/retainGraph/);
    const z = x.exp().sum();
    grad(z, x, { retainGraph: true });
    expect(grad(z, x)[0].item()).toBeCloseTo(Math.exp(2), 12);
  });

  it('gradients flow through gather to the float input only, not the int32 index', () => {
    const x = f64([1, 2], true);
    const idx = tensor([1, 0], { dtype: 'int32' });
    const [g] = grad(x.gather(0, idx).mul(f64([2, 5])).sum(), x); // [x1, x0] · [2, 5]
    expect(g.toArray()).toEqual([5, 2]);
    expect(x.gather(0, idx).gradFn!.next[1]).toBeNull(); // the index has no node to send a gradient to
  });
});

describe('matmul gradients keep their input layout', () => {
  // grad() hands back the gradient as the VJPs made it (backward() copies it into .grad)
  it("gives Linear's weight (used transposed) its gradient Gᵀ·X already contiguous", () => {
    manualSeed(4);
    const layer = new nn.Linear(5, 3);
    const x = randn([4, 5]), g = randn([4, 3]);
    const [w] = grad(layer.forward(x).mul(g).sum(), [layer.weight]);
    expect(w.isContiguous()).toBe(true);
    const expected = g.transpose(0, 1).matmul(x).toArray() as number[][];
    (w.toArray() as number[][]).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5)));
  });

  it('gives a transposed left operand its gradient in the transposed layout too', () => {
    manualSeed(8);
    const base = randn([4, 3], { requiresGrad: true });
    const b = randn([4, 2]);
    const [gb] = grad(base.transpose(0, 1).matmul(b).sum(), [base]);
    expect(gb.isContiguous()).toBe(true);
    // d/dA of sum(A·B) with A = baseᵀ is 1·Bᵀ, so every row i of d/dbase holds the row sum i of B
    const rowSums = b.sum(1).toArray() as number[];
    (gb.toArray() as number[][]).forEach((row, i) => row.forEach((v) => expect(v).toBeCloseTo(rowSums[i], 5)));
  });
});
