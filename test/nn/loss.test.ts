// The loss modules: options stored and used, weights as buffers in stateDict, errors naming the module or the
// op, output dtypes, and stability at extreme logits in float32.
import { describe, expect, it } from 'vitest';
import { F, nn, tensor, type Tensor } from '../../src/index.js';

const i32 = (d: any) => tensor(d, { dtype: 'int32' });
const f64 = (d: any) => tensor(d, { dtype: 'float64' });
const vals = (t: Tensor) => Array.from(t.toTypedArray(), Number);
const finite = (t: Tensor) => vals(t).every(Number.isFinite);
const near = (t: Tensor, expected: number[]) => vals(t).forEach((v, i) => expect(v, `element ${i}`).toBeCloseTo(expected[i], 6));

describe('loss modules call their F function with the stored options', () => {
  const x = tensor([[0.2, -1.3, 0.7], [1.1, 0.4, -0.6]]);
  const probs = tensor([[0.2, 0.9, 0.5], [0.7, 0.1, 0.35]]);
  const y = tensor([[0.5, -1, 2], [1, 0.1, -0.2]]);
  const soft = tensor([[0, 1, 0.5], [1, 0, 0.25]]);
  const cls = i32([2, 0]);
  const w = tensor([0.5, 2, 1]);
  const cases: [string, nn.Module, () => Tensor, Record<string, unknown>, () => Tensor][] = [
    ['MSELoss', new nn.MSELoss({ reduction: 'sum' }), () => F.mseLoss(x, y, { reduction: 'sum' }), { reduction: 'sum' }, () => y],
    ['L1Loss', new nn.L1Loss({ reduction: 'none' }), () => F.l1Loss(x, y, { reduction: 'none' }), { reduction: 'none' }, () => y],
    ['HuberLoss', new nn.HuberLoss({ delta: 0.5 }), () => F.huberLoss(x, y, { delta: 0.5 }), { reduction: 'mean', delta: 0.5 }, () => y],
    ['SmoothL1Loss', new nn.SmoothL1Loss({ beta: 0.25, reduction: 'sum' }), () => F.smoothL1Loss(x, y, { beta: 0.25, reduction: 'sum' }), { reduction: 'sum', beta: 0.25 }, () => y],
    ['BCELoss', new nn.BCELoss({ weight: w }), () => F.binaryCrossEntropy(probs, soft, { weight: w }), { reduction: 'mean', weight: w }, () => soft],
    ['BCEWithLogitsLoss', new nn.BCEWithLogitsLoss({ posWeight: w, reduction: 'none' }), () => F.binaryCrossEntropyWithLogits(x, soft, { posWeight: w, reduction: 'none' }), { reduction: 'none', posWeight: w, weight: null }, () => soft],
    ['CrossEntropyLoss', new nn.CrossEntropyLoss({ weight: w, ignoreIndex: 0, labelSmoothing: 0.1 }), () => F.crossEntropy(x, cls, { weight: w, ignoreIndex: 0, labelSmoothing: 0.1 }), { reduction: 'mean', weight: w, ignoreIndex: 0, labelSmoothing: 0.1 }, () => cls],
    ['NLLLoss', new nn.NLLLoss({ reduction: 'sum' }), () => F.nllLoss(x, cls, { reduction: 'sum' }), { reduction: 'sum', weight: null, ignoreIndex: -100 }, () => cls],
    ['KLDivLoss', new nn.KLDivLoss({ reduction: 'batchmean', logTarget: true }), () => F.klDiv(x, y, { reduction: 'batchmean', logTarget: true }), { reduction: 'batchmean', logTarget: true }, () => y],
  ];
  it.each(cases)('%s', (_name, m, expected, stored, target) => {
    for (const [k, v] of Object.entries(stored)) expect((m as any)[k], k).toBe(v);
    const input = m instanceof nn.BCELoss ? probs : x;
    expect(vals(m.forward(input, target()))).toEqual(vals(expected()));
  });

  it('default to mean reduction and 0-d results', () => {
    for (const m of [new nn.MSELoss(), new nn.L1Loss(), new nn.HuberLoss(), new nn.SmoothL1Loss(), new nn.KLDivLoss()]) {
      expect(m.reduction).toBe('mean');
      expect(m.forward(x, y).shape).toEqual([]);
    }
    expect(new nn.HuberLoss().delta).toBe(1);
    expect(new nn.SmoothL1Loss().beta).toBe(1);
    const ce = new nn.CrossEntropyLoss();
    expect([ce.ignoreIndex, ce.labelSmoothing, ce.weight]).toEqual([-100, 0, null]);
    expect(ce.forward(x, cls).shape).toEqual([]);
  });
});

describe('weights are buffers', () => {
  it('CrossEntropyLoss and NLLLoss hold the class weight in stateDict, nothing without one', () => {
    const w = tensor([1, 2, 3]);
    for (const m of [new nn.CrossEntropyLoss({ weight: w }), new nn.NLLLoss({ weight: w })]) {
      expect(Object.keys(m.stateDict())).toEqual(['weight']);
      expect(vals(m.stateDict().weight)).toEqual([1, 2, 3]);
      expect(m.parameters()).toEqual([]);
      expect(m.buffers().length).toBe(1);
    }
    expect(Object.keys(new nn.CrossEntropyLoss().stateDict())).toEqual([]);
    expect(new nn.CrossEntropyLoss().weight).toBeNull();
  });

  it('BCEWithLogitsLoss holds weight and posWeight', () => {
    const m = new nn.BCEWithLogitsLoss({ weight: tensor([[1], [2]]), posWeight: tensor([3, 1]) });
    expect(Object.keys(m.stateDict())).toEqual(['weight', 'posWeight']);
    expect(Object.keys(new nn.BCEWithLogitsLoss({ posWeight: tensor([3]) }).stateDict())).toEqual(['posWeight']);
  });

  it('move with to(dtype) and load from a state dict', () => {
    const m = new nn.CrossEntropyLoss({ weight: tensor([1, 2, 3]) }).to('float64');
    expect(m.weight!.dtype).toBe('float64');
    expect(m.forward(f64([[1, 2, 3]]), i32([0])).dtype).toBe('float64');
    const other = new nn.CrossEntropyLoss({ weight: f64([0, 0, 0]) });
    other.loadStateDict(m.stateDict());
    expect(vals(other.weight!)).toEqual([1, 2, 3]);
  });

  it('print as PyTorch prints them', () => {
    expect(new nn.CrossEntropyLoss({ weight: tensor([1, 2]) }).toString()).toBe('CrossEntropyLoss()');
    expect(new nn.MSELoss({ reduction: 'sum' }).toString()).toBe('MSELoss()');
    class Net extends nn.Module {
      criterion = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 });
      forward(x: Tensor) { return x; }
    }
    expect(new Net().toString()).toBe('Net(\n  (criterion): CrossEntropyLoss()\n)');
  });
});

describe('errors', () => {
  it('bad options name the module', () => {
    expect(() => new nn.CrossEntropyLoss({ ignore_index: 1 } as any)).toThrow(/^CrossEntropyLoss: unknown option 'ignore_index' \(expected weight, ignoreIndex, reduction, labelSmoothing\)/);
    expect(() => new nn.MSELoss({ reduction: 'avg' as any })).toThrow(/^MSELoss: reduction must be one of 'mean', 'sum', 'none', got 'avg'/);
    expect(() => new nn.KLDivLoss({ reduction: 'batch' as any })).toThrow(/^KLDivLoss: reduction must be one of 'mean', 'batchmean', 'sum', 'none'/);
    expect(() => new nn.HuberLoss({ delta: -1 })).toThrow(/^HuberLoss: delta must be positive, got -1/);
    expect(() => new nn.SmoothL1Loss({ beta: -1 })).toThrow(/^SmoothL1Loss: beta must be non-negative/);
    expect(() => new nn.CrossEntropyLoss({ labelSmoothing: 2 })).toThrow(/^CrossEntropyLoss: labelSmoothing must be between 0 and 1, got 2/);
    expect(() => new nn.BCELoss({ weight: [1, 2] as any })).toThrow(/^BCELoss: expected weight to be a Tensor or null, got an array/);
    expect(() => new nn.KLDivLoss({ logTarget: 'yes' as any })).toThrow(/^KLDivLoss: logTarget must be a boolean/);
    expect(() => new nn.L1Loss(null as any)).toThrow(/^L1Loss: expected an options object, got null/);
  });

  it('non-tensor arguments name the module', () => {
    expect(() => new nn.MSELoss().forward([1, 2] as any, tensor([1, 2]))).toThrow(/^MSELoss: expected a Tensor input, got an array/);
    expect(() => new nn.CrossEntropyLoss().forward(tensor([[1, 2]]), 1 as any)).toThrow(/^CrossEntropyLoss: expected target to be a Tensor, got 1/);
  });

  it('bad targets name the op and the value', () => {
    const ce = new nn.CrossEntropyLoss();
    expect(() => ce.forward(tensor([[1, 2, 3]]), i32([5]))).toThrow(/^crossEntropy: target 5 is out of range for 3 classes \(expected a class index in \[0, 3\) or ignoreIndex -100\)$/);
    expect(() => ce.forward(tensor([[1, 2, 3]]), i32([0, 1]))).toThrow(/^crossEntropy: expected target of shape \[1\] for input of shape \[1, 3\], got \[2\]/);
    expect(() => new nn.NLLLoss().forward(tensor([[1, 2, 3]]), tensor([0]))).toThrow(/^nllLoss: expected class-index targets of dtype int32, got float32/);
    expect(() => new nn.BCELoss().forward(tensor([0.5, 2]), tensor([0, 1]))).toThrow(/^binaryCrossEntropy: input values must be between 0 and 1, got 2/);
  });
});

describe('semantics', () => {
  it('float32 in, float32 out; float64 in, float64 out; shapes by reduction', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor([[0.2, -1.3, 0.7], [1.1, 0.4, -0.6]], { dtype });
      expect(F.crossEntropy(x, i32([0, 2])).dtype).toBe(dtype);
      expect(F.mseLoss(x, x.mul(2)).dtype).toBe(dtype);
      expect(F.binaryCrossEntropyWithLogits(x, x.sigmoid(), { reduction: 'sum' }).shape).toEqual([]);
      expect(F.nllLoss(x, i32([0, 2]), { reduction: 'none' }).shape).toEqual([2]);
      expect(F.klDiv(x, x.exp(), { reduction: 'none' }).shape).toEqual([2, 3]);
    }
  });

  it("'mean' with class weights divides by the weights of the non-ignored targets", () => {
    const x = f64([[1, 2, 3], [0, 0, 5], [2, 1, 0]]);
    const w = f64([0.5, 2, 4]);
    const t = i32([1, -100, 0]);
    const each = vals(F.crossEntropy(x, t, { weight: w, reduction: 'none' }));
    expect(F.crossEntropy(x, t, { weight: w }).item()).toBeCloseTo((each[0] + each[2]) / (2 + 0.5), 12);
    expect(Number.isNaN(F.crossEntropy(x, i32([-100, -100, -100])).item())).toBe(true);
  });

  it('mean-reduced inputs broadcast against targets as in PyTorch', () => {
    // [2, 1] against [2]: a [2, 2] loss (PyTorch warns here; the shapes broadcast, so this is what it computes)
    expect(F.mseLoss(tensor([[1], [2]]), tensor([0, 1]), { reduction: 'none' }).shape).toEqual([2, 2]);
  });
});

describe('stability at extreme logits in float32', () => {
  it('BCEWithLogitsLoss: logits ±100 give the exact loss and gradient', () => {
    const x = tensor([100, -100, 100, -100], { requiresGrad: true });
    const loss = new nn.BCEWithLogitsLoss({ reduction: 'none' }).forward(x, tensor([0, 1, 1, 0]));
    near(loss, [100, 100, 0, 0]);
    loss.sum().backward();
    near(x.grad!, [1, -1, 0, 0]);
  });

  it('BCEWithLogitsLoss: logit 0 has gradient σ(0) − t', () => {
    const x = tensor([0, 0], { requiresGrad: true });
    F.binaryCrossEntropyWithLogits(x, tensor([1, 0]), { reduction: 'sum' }).backward();
    expect(vals(x.grad!)).toEqual([-0.5, 0.5]);
  });

  it('CrossEntropyLoss: logits ±100 give finite values and gradients', () => {
    const x = tensor([[100, -100, 0], [-100, 100, 50]], { requiresGrad: true });
    const loss = new nn.CrossEntropyLoss({ reduction: 'sum', labelSmoothing: 0.1 }).forward(x, i32([1, 0]));
    expect(finite(loss)).toBe(true);
    loss.backward();
    expect(finite(x.grad!)).toBe(true);
    const plain = F.crossEntropy(tensor([[100, -100]]), i32([1]));
    expect(plain.item()).toBe(200);
  });

  it('BCELoss: inputs of 0 and 1 cost at most 100 and keep finite gradients', () => {
    const p = tensor([0, 1, 0, 1], { requiresGrad: true });
    const loss = new nn.BCELoss({ reduction: 'none' }).forward(p, tensor([0, 1, 1, 0]));
    near(loss, [0, 0, 100, 100]);
    loss.sum().backward();
    expect(finite(p.grad!)).toBe(true);
  });
});

describe('oneHot', () => {
  it('infers the classes and keeps int32', () => {
    const o = F.oneHot(i32([[2, 0]]));
    expect(o.dtype).toBe('int32');
    expect(o.toArray()).toEqual([[[0, 0, 1], [1, 0, 0]]]);
    expect(o.requiresGrad).toBe(false);
  });
});

describe("PyTorch's positional options", () => {
  it('HuberLoss(delta) and SmoothL1Loss(beta) take the number alone or in the options', () => {
    const x = tensor([0, 3]), t = tensor([0.5, 0]);
    expect(new nn.HuberLoss(2).delta).toBe(2);
    expect(new nn.HuberLoss(2).forward(x, t).item()).toBeCloseTo(F.huberLoss(x, t, { delta: 2 }).item(), 6);
    expect(new nn.HuberLoss({ delta: 2, reduction: 'sum' }).forward(x, t).item()).toBeCloseTo(0.125 + 4, 5);
    expect(new nn.SmoothL1Loss(0.5).beta).toBe(0.5);
    expect(() => new nn.HuberLoss(-1)).toThrow(/^HuberLoss: delta must be positive, got -1/);
  });
});
