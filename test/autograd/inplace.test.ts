// In-place safety: every in-place write bumps the storage's version (shared by views), a backward that saved a
// tensor modified since throws naming the op, and writes into what the tape tracks are refused while grad mode
// is on (a leaf that requires grad, a view of one, an op's output, a source that requires grad), as PyTorch.
import { describe, expect, it } from 'vitest';
import {
  tensor, zeros, ones, noGrad, enableGrad, nn, optim, AutogradError, isTapegradError, type Tensor,
} from '../../src/index.js';
import { zero_ } from '../../src/ops/inplace.js';

const writes: [string, (t: Tensor) => unknown][] = [
  ['copy_', (t) => t.copy_(ones(t.shape))],
  ['fill_', (t) => t.fill_(3)],
  ['zero_', (t) => t.zero_()],
  ['uniform_', (t) => t.uniform_(-1, 1)],
  ['normal_', (t) => t.normal_(0, 1)],
];

describe('the version counter', () => {
  it.each(writes)('%s bumps it by one, also through a view', (_, write) => {
    const t = zeros([2, 3]);
    const v0 = t.storage.version;
    write(t);
    expect(t.storage.version).toBe(v0 + 1);
    const view = t.transpose(0, 1).narrow(0, 1, 2);
    write(view);
    expect(t.storage.version).toBe(v0 + 2);
    expect(view.storage).toBe(t.storage);
  });

  it('an optimizer step bumps the parameters and their state (fused and unfused updates)', () => {
    for (const make of [(p: Tensor[]) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }), (p: Tensor[]) => new optim.Adam(p), (p: Tensor[]) => new optim.RMSprop(p)]) {
      const w = tensor([1, 2], { requiresGrad: true });
      const opt = make([w]);
      w.mul(w).sum().backward();
      const v0 = w.storage.version;
      opt.step();
      expect(w.storage.version).toBeGreaterThan(v0);
    }
  });
});

describe('a backward through a tensor modified after it was saved', () => {
  it('throws naming the op that saved it and the in-place op that wrote it', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = zeros([2]).add(tensor([3, 4]));
    const y = x.mul(h).sum(); // mul saves h
    h.fill_(0);
    let err: unknown;
    try { y.backward(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(AutogradError);
    expect((err as AutogradError).op).toBe('backward');
    expect((err as Error).message).toMatch(/^backward: a tensor of shape \[2\] \(float32\) saved by 'mul' was modified by an in-place operation \(the last was fill_\) after 'mul' saved it \(its version is 1, expected 0\)/);
    expect(x.grad).toBeNull();
  });

  it('also when the leaf itself was changed under noGrad, or an output was changed through a view', () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const l = w.mul(w).sum();
    noGrad(() => w.narrow(0, 0, 1).copy_(tensor([9])));
    expect(() => l.backward()).toThrow(/saved by 'mul' was modified by an in-place operation \(the last was copy_\)/);

    const e = w.exp(); // exp saves its output
    const l2 = e.sum();
    noGrad(() => e.narrow(0, 1, 2).zero_());
    expect(() => l2.backward()).toThrow(/saved by 'exp' was modified/);
  });

  it('a write into a tensor that was not saved is harmless', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = zeros([2]).add(3);
    const y = x.add(h).sum(); // add saves nothing
    h.fill_(100);
    y.backward();
    expect(x.grad!.toArray()).toEqual([1, 1]);
  });
});

describe('in-place writes into what the tape tracks', () => {
  it.each(writes)('%s on a leaf that requires grad throws outside noGrad and works inside', (name, write) => {
    const w = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    let err: unknown;
    try { write(w); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(AutogradError);
    expect(isTapegradError(err)).toBe(true);
    // zero_() goes through fill_ in ops/methods.ts, so it is named fill_ there
    const named = name === 'zero_' ? '(?:zero_|fill_)' : name;
    expect((err as Error).message).toMatch(new RegExp(`^${named}: a leaf tensor of shape \\[2, 3\\] that requires grad is being used in an in-place operation; wrap the write in noGrad\\(\\(\\) => …\\), as optimizers and nn.init do$`));
    expect(w.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]); // refused before writing
    expect(w.storage.version).toBe(0);

    noGrad(() => write(w));
    expect(w.storage.version).toBe(1);
    expect(w.requiresGrad).toBe(true);
    expect(w.isLeaf).toBe(true);
    expect(w.toArray()).not.toEqual([[1, 2, 3], [4, 5, 6]]);
    // inside noGrad, enableGrad turns the check back on
    expect(() => noGrad(() => enableGrad(() => write(w)))).toThrow(AutogradError);
  });

  it('the zero_ function names itself', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => zero_(w)).toThrow(/^zero_: a leaf tensor of shape \[2\] that requires grad/);
  });

  it('on a view of such a leaf throws, however the view was made', () => {
    const w = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    for (const v of [w.narrow(1, 0, 2), w.transpose(0, 1), w.reshape([6]), w.reshape([3, 2]).narrow(0, 1, 1).squeeze(0), w.expand([4, 2, 3])]) {
      expect(() => v.fill_(0)).toThrow(/^fill_: a view \(shape \[[\d, ]*\]\) of a leaf tensor of shape \[2, 3\] \(float32\) that requires grad is being used in an in-place operation; wrap the write in noGrad/);
    }
    expect(w.storage.version).toBe(0);
    noGrad(() => w.narrow(1, 0, 1).fill_(0));
    expect(w.toArray()).toEqual([[0, 2, 3], [0, 5, 6]]);
  });

  it("on an op's output that requires grad throws (the tape does not record in-place ops)", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const y = w.mul(2);
    expect(() => y.add(1).copy_(zeros([2]))).toThrow(/^copy_: in-place operations are not recorded on the tape, and the tensor written of shape \[2\] \(float32\) requires grad \(it is the output of 'add'\), so its gradients would be wrong; compute a new tensor instead/);
    expect(() => y.narrow(0, 0, 1).fill_(0)).toThrow(/^fill_: in-place operations are not recorded .*the output of 'narrow'/);
    // under noGrad the write is allowed, and not differentiated: the gradient of y's consumers stays 2
    const z = y.add(1).sum();
    noGrad(() => y.fill_(7));
    z.backward();
    expect(w.grad!.toArray()).toEqual([2, 2]);
    expect(y.toArray()).toEqual([7, 7]);
  });

  it('from a source that requires grad throws', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const buf = zeros([2]);
    expect(() => buf.copy_(w.mul(3))).toThrow(/^copy_: in-place operations are not recorded on the tape, and the source of shape \[2\] \(float32\) requires grad, so no gradient would reach it/);
    expect(buf.toArray()).toEqual([0, 0]);
    buf.copy_(w.detach());
    expect(buf.toArray()).toEqual([1, 2]);
  });

  it('into tensors that do not require grad is allowed while recording', () => {
    const buf = zeros([2]);
    const w = tensor([1, 2], { requiresGrad: true });
    const y = w.mul(buf.add(1)).sum();
    buf.fill_(5);
    y.backward();
    expect(w.grad!.toArray()).toEqual([1, 1]);
  });
});

describe('optimizers and nn.init, which write under noGrad', () => {
  it('an SGD step writes the expected values and training reduces the loss', () => {
    const w = tensor([1, -2], { requiresGrad: true });
    const opt = new optim.SGD([w], { lr: 0.25 });
    w.mul(w).sum().backward(); // grad 2w
    opt.step();
    expect(w.toArray()).toEqual([0.5, -1]);
    expect(w.isLeaf).toBe(true);

    const model = new nn.Linear(2, 1);
    const adam = new optim.Adam(model.parameters(), { lr: 0.1 });
    const x = tensor([[1, 2], [3, 4], [5, 6]]), t = tensor([[1], [2], [3]]);
    const loss = () => model.forward(x).sub(t).pow(2).mean();
    const first = loss().item();
    for (let i = 0; i < 20; i++) {
      adam.zeroGrad();
      loss().backward();
      adam.step();
    }
    expect(loss().item()).toBeLessThan(first);
  });

  it('nn.init writes into parameters that require grad', () => {
    const lin = new nn.Linear(3, 2);
    const v0 = lin.weight.storage.version;
    nn.init.constant_(lin.weight, 0.5);
    nn.init.zeros_(lin.bias!);
    expect(lin.weight.toArray()).toEqual([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]);
    nn.init.kaimingUniform_(lin.weight);
    nn.init.normal_(lin.bias!);
    expect(lin.weight.requiresGrad && lin.weight.isLeaf).toBe(true);
    expect(lin.weight.storage.version).toBe(v0 + 2);
  });
});
