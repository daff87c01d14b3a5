// The layer modules: Linear, Conv1d/2d, MaxPool/AvgPool 1d/2d, Flatten, Unflatten, Dropout. Shapes, PyTorch's
// default init, errors that name the layer, printing, train/eval, and a LeNet-5 that learns.
import { describe, expect, it } from 'vitest';
import { Tensor, tensor, zeros, ones, randn, rand, nn, F, noGrad, manualSeed, createGenerator, forkRng, randint, DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { gradcheck } from '../../src/testing/index.js';

const values = (t: Tensor) => Array.from(t.toTypedArray(), Number);
const maxAbs = (t: Tensor) => Math.max(...values(t).map(Math.abs));
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));

/** Writes `data` into a module's parameter. */
const setParam = (p: Tensor, data: number[]) => noGrad(() => p.copy_(tensor(data).reshape(p.shape)));

describe('Linear', () => {
  it('maps the last dim and registers weight then bias', () => {
    const m = new nn.Linear(4, 3);
    expect(m.forward(zeros([2, 4])).shape).toEqual([2, 3]);
    expect(m.forward(zeros([4])).shape).toEqual([3]);
    expect(m.forward(zeros([5, 2, 4])).shape).toEqual([5, 2, 3]);
    expect(m.forward(zeros([0, 4])).shape).toEqual([0, 3]);
    expect(m.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [3, 4]], ['bias', [3]]]);
    const x = randn([2, 4]);
    expect(values(m.forward(x))).toEqual(values(F.linear(x, m.weight, m.bias)));
  });

  it('has no bias with bias: false', () => {
    const m = new nn.Linear(4, 3, { bias: false });
    expect(m.bias).toBeNull();
    expect(m.parameters().length).toBe(1);
    expect(m.toString()).toBe('Linear(inFeatures=4, outFeatures=3, bias=false)');
  });

  it("draws PyTorch's default init: weight and bias uniform in ±1/√inFeatures", () => {
    manualSeed(0);
    const m = new nn.Linear(784, 10);
    const bound = 1 / Math.sqrt(784);
    expect(maxAbs(m.weight)).toBeLessThanOrEqual(bound);
    expect(maxAbs(m.bias!)).toBeLessThanOrEqual(bound);
    const w = values(m.weight);
    expect(Math.abs(mean(w))).toBeLessThan(0.05 * bound);
    expect(std(w)).toBeCloseTo(bound / Math.sqrt(3), 3); // uniform(−b, b) has std b/√3
    expect(maxAbs(m.weight)).toBeGreaterThan(0.99 * bound);
  });

  it('is reproducible with manualSeed, and resetParameters draws again', () => {
    manualSeed(7);
    const a = new nn.Linear(5, 3);
    manualSeed(7);
    const b = new nn.Linear(5, 3);
    expect(values(a.weight)).toEqual(values(b.weight));
    expect(values(a.bias!)).toEqual(values(b.bias!));
    const before = values(a.weight);
    a.resetParameters();
    expect(values(a.weight)).not.toEqual(before);
  });

  it('trains: gradients reach weight and bias', () => {
    const m = new nn.Linear(3, 2);
    m.forward(ones([4, 3])).sum().backward();
    expect(values(m.weight.grad!)).toEqual(new Array(6).fill(4));
    expect(values(m.bias!.grad!)).toEqual([4, 4]);
  });

  it('names itself in its errors', () => {
    const m = new nn.Linear(784, 10);
    expect(() => m.forward(zeros([32, 783]))).toThrow(
      new ShapeError('Linear(inFeatures=784, outFeatures=10, bias=true): expected input with 784 features in its last dim, got shape [32, 783]'),
    );
    expect(() => m.forward(zeros([]))).toThrow(/^Linear\(inFeatures=784, outFeatures=10, bias=true\): expected input with 784 features in its last dim, got shape \[\]/);
    expect(() => m.forward([1, 2] as unknown as Tensor)).toThrow(/^Linear: expected a Tensor input, got an array/);
    expect(() => new nn.Linear(-1, 2)).toThrow(/^Linear: inFeatures must be an integer ≥ 0, got -1/);
    expect(() => new nn.Linear(2.5, 2)).toThrow(RangeError);
    expect(() => new nn.Linear('2' as unknown as number, 2)).toThrow(TypeError);
    expect(() => new nn.Linear(2, 2, { bais: false } as never)).toThrow(/^Linear: unknown option 'bais' \(expected bias\)/);
    expect(() => m.forward(zeros([2, 784], { dtype: 'int32' }))).toThrow(new DTypeError(
      "Linear(inFeatures=784, outFeatures=10, bias=true): expected input of dtype float32 (the weight's), got int32 (shape [2, 784]); cast the input with .to('float32')",
    ));
    expect(() => m.forward(zeros([2, 784], { dtype: 'float64' }))).toThrow(/got float64 \(shape \[2, 784\]\); cast the input with \.to\('float32'\) or the module with \.to\('float64'\)$/);
    expect(() => new nn.Conv1d(1, 1, 2).forward(zeros([1, 1, 4], { dtype: 'int32' }))).toThrow(DTypeError);
  });
});

describe('Conv1d and Conv2d', () => {
  it('give the output shapes of their options', () => {
    expect(new nn.Conv2d(1, 6, 5).forward(zeros([8, 1, 28, 28])).shape).toEqual([8, 6, 24, 24]);
    expect(new nn.Conv2d(1, 6, 5, { padding: 2 }).forward(zeros([8, 1, 28, 28])).shape).toEqual([8, 6, 28, 28]);
    expect(new nn.Conv2d(3, 4, [3, 2], { stride: 2, padding: [1, 0] }).forward(zeros([3, 9, 8])).shape).toEqual([4, 5, 4]);
    expect(new nn.Conv2d(4, 4, 4, { padding: 'same' }).forward(zeros([1, 4, 7, 6])).shape).toEqual([1, 4, 7, 6]);
    expect(new nn.Conv2d(4, 4, 3, { padding: 'valid', dilation: 2 }).forward(zeros([1, 4, 7, 6])).shape).toEqual([1, 4, 3, 2]);
    expect(new nn.Conv1d(4, 8, 3, { groups: 4 }).forward(zeros([2, 4, 10])).shape).toEqual([2, 8, 8]);
    expect(new nn.Conv1d(2, 3, 2).forward(zeros([0, 2, 5])).shape).toEqual([0, 3, 4]);
  });

  it('register weight [out, in/groups, ...kernel] and bias [out]', () => {
    const m = new nn.Conv2d(6, 16, 5, { groups: 2 });
    expect(m.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [16, 3, 5, 5]], ['bias', [16]]]);
    expect(new nn.Conv1d(2, 3, 4, { bias: false }).parameters().map((p) => p.shape)).toEqual([[3, 2, 4]]);
  });

  it("draw PyTorch's default init: uniform in ±1/√fanIn, fanIn = inChannels/groups · ∏kernel", () => {
    manualSeed(1);
    const m = new nn.Conv2d(12, 64, 5, { groups: 2 });
    const bound = 1 / Math.sqrt(6 * 25);
    expect(maxAbs(m.weight)).toBeLessThanOrEqual(bound);
    expect(maxAbs(m.weight)).toBeGreaterThan(0.99 * bound);
    expect(maxAbs(m.bias!)).toBeLessThanOrEqual(bound);
    expect(std(values(m.weight))).toBeCloseTo(bound / Math.sqrt(3), 2);
    manualSeed(1);
    expect(values(new nn.Conv2d(12, 64, 5, { groups: 2 }).weight)).toEqual(values(m.weight));
  });

  it('call F.conv1d / F.conv2d with their weights', () => {
    const m = new nn.Conv2d(2, 3, 3, { stride: 2, padding: 1, dilation: 2 });
    const x = randn([1, 2, 7, 7]);
    expect(values(m.forward(x))).toEqual(values(F.conv2d(x, m.weight, m.bias, { stride: 2, padding: 1, dilation: 2 })));
  });

  it('pad by reflecting, replicating or wrapping with paddingMode', () => {
    const x = tensor([[[1, 2, 3, 4]]]);
    const out = (mode: 'zeros' | 'reflect' | 'replicate' | 'circular') => {
      const m = new nn.Conv1d(1, 1, 3, { padding: 1, paddingMode: mode, bias: false });
      setParam(m.weight, [1, 1, 1]);
      return m.forward(x).toArray();
    };
    expect(out('zeros')).toEqual([[[3, 6, 9, 7]]]);
    expect(out('reflect')).toEqual([[[5, 6, 9, 10]]]); // 2 1 2 3 4 3
    expect(out('replicate')).toEqual([[[4, 6, 9, 11]]]); // 1 1 2 3 4 4
    expect(out('circular')).toEqual([[[7, 6, 9, 8]]]); // 4 1 2 3 4 1
    // 'same' with an even kernel: one before, two after
    const m = new nn.Conv1d(1, 1, 4, { padding: 'same', paddingMode: 'circular', bias: false });
    setParam(m.weight, [1, 0, 0, 0]);
    expect(m.forward(x).toArray()).toEqual([[[4, 1, 2, 3]]]);
  });

  it.each(['reflect', 'replicate', 'circular'] as const)('are differentiable with paddingMode %s', (mode) => {
    const m = new nn.Conv2d(2, 2, [3, 2], { padding: [1, 2], paddingMode: mode }).to('float64');
    const x = randn([1, 2, 3, 4], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((x, w, b) => {
      m.weight = w as never;
      m.bias = b as never;
      return m.forward(x);
    }, [x, m.weight, m.bias!])).toBe(true);
  });

  it('print their settings as PyTorch does', () => {
    expect(new nn.Conv2d(1, 6, 5).toString()).toBe('Conv2d(1, 6, kernelSize=[5, 5], stride=[1, 1])');
    expect(new nn.Conv2d(4, 8, [3, 1], { stride: 2, padding: 1, dilation: [2, 1], groups: 2, bias: false, paddingMode: 'reflect' }).toString())
      .toBe("Conv2d(4, 8, kernelSize=[3, 1], stride=[2, 2], padding=[1, 1], dilation=[2, 1], groups=2, bias=false, paddingMode='reflect')");
    expect(new nn.Conv1d(2, 2, 3, { padding: 'same' }).toString()).toBe("Conv1d(2, 2, kernelSize=[3], stride=[1], padding='same')");
  });

  it('name themselves in their errors', () => {
    const m = new nn.Conv2d(3, 6, 5);
    expect(() => m.forward(zeros([8, 1, 28, 28]))).toThrow(
      new ShapeError('Conv2d(3, 6, kernelSize=[5, 5], stride=[1, 1]): expected input with 3 channels (dim 1), got shape [8, 1, 28, 28]'),
    );
    expect(() => m.forward(zeros([28, 28]))).toThrow(
      new ShapeError('Conv2d(3, 6, kernelSize=[5, 5], stride=[1, 1]): expected a 3-d [C, H, W] (unbatched) or 4-d [N, C, H, W] (batched) input, got shape [28, 28]'),
    );
    expect(() => new nn.Conv1d(2, 3, 2).forward(zeros([2, 3, 5]))).toThrow(/^Conv1d\(2, 3, kernelSize=\[2\], stride=\[1\]\): expected input with 2 channels \(dim 1\), got shape \[2, 3, 5\]/);
    expect(() => new nn.Conv2d(3, 6, 5, { groups: 2 })).toThrow(/^Conv2d: inChannels \(3\) and outChannels \(6\) must be divisible by groups \(2\)/);
    expect(() => new nn.Conv2d(3, 6, 5, { padding: 'same', stride: 2 })).toThrow(/^Conv2d: padding='same' needs stride 1, got stride \[2, 2\]/);
    expect(() => new nn.Conv2d(3, 6, 5, { paddingMode: 'mirror' as never })).toThrow(/^Conv2d: paddingMode must be 'zeros', 'reflect', 'replicate' or 'circular', got 'mirror'/);
    expect(() => new nn.Conv2d(3, 6, 0)).toThrow(/^Conv2d: kernelSize must be an integer or 2 integers ≥ 1, got 0/);
    expect(() => new nn.Conv2d(3, 6, 3, { strid: 2 } as never)).toThrow(/^Conv2d: unknown option 'strid' \(expected stride, padding, dilation, groups, bias, paddingMode\)/);
    const r = new nn.Conv1d(1, 1, 3, { padding: 3, paddingMode: 'reflect' });
    expect(() => r.forward(zeros([1, 1, 3]))).toThrow(/^Conv1d\(1, 1, kernelSize=\[3\], stride=\[1\], padding=\[3\], paddingMode='reflect'\): reflect padding of 3 needs input size greater than 3/);
    const k = new nn.Conv2d(1, 1, 5);
    expect(() => k.forward(zeros([1, 1, 4, 4]))).toThrow(/^conv2d: kernel \[5, 5\] with dilation \[1, 1\] spans \[5, 5\], more than the padded input size \[4, 4\]/);
  });
});

describe('pooling layers', () => {
  it('give the output shapes of their options', () => {
    expect(new nn.MaxPool2d(2).forward(zeros([8, 6, 28, 28])).shape).toEqual([8, 6, 14, 14]);
    expect(new nn.MaxPool2d(3, { stride: 2, padding: 1 }).forward(zeros([1, 2, 7, 7])).shape).toEqual([1, 2, 4, 4]);
    expect(new nn.MaxPool2d(2, { ceilMode: true }).forward(zeros([2, 5, 7])).shape).toEqual([2, 3, 4]);
    expect(new nn.MaxPool1d(3, { stride: 1, dilation: 2 }).forward(zeros([1, 1, 9])).shape).toEqual([1, 1, 5]);
    expect(new nn.AvgPool1d(2).forward(zeros([3, 7])).shape).toEqual([3, 3]);
    expect(new nn.AvgPool2d(2, { stride: 1, padding: 1 }).forward(zeros([1, 1, 4, 4])).shape).toEqual([1, 1, 5, 5]);
  });

  it('call their functional forms', () => {
    const x = randn([1, 2, 6, 5]);
    expect(values(new nn.MaxPool2d([3, 2], { stride: 2, padding: 1, ceilMode: true }).forward(x)))
      .toEqual(values(F.maxPool2d(x, [3, 2], { stride: 2, padding: 1, ceilMode: true })));
    expect(values(new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false, divisorOverride: null }).forward(x)))
      .toEqual(values(F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false })));
    expect(values(new nn.AvgPool2d(2, { divisorOverride: 2 }).forward(x))).toEqual(values(F.avgPool2d(x, 2, { divisorOverride: 2 })));
  });

  it('send the gradient of max pooling to each window\'s first maximum', () => {
    const x = tensor([[[1, 3, 3, 0, 2, 2]]], { requiresGrad: true });
    new nn.MaxPool1d(2).forward(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([[[0, 1, 1, 0, 1, 0]]]);
  });

  it('print their settings as PyTorch does', () => {
    expect(new nn.MaxPool2d(2).toString()).toBe('MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)');
    expect(new nn.MaxPool1d([3], { stride: 1, ceilMode: true }).toString()).toBe('MaxPool1d(kernelSize=[3], stride=1, padding=0, dilation=1, ceilMode=true)');
    expect(new nn.AvgPool2d([2, 3], { stride: 1, padding: [1, 1] }).toString()).toBe('AvgPool2d(kernelSize=[2, 3], stride=1, padding=[1, 1])');
    expect(new nn.AvgPool1d(3, { stride: 2 }).toString()).toBe('AvgPool1d(kernelSize=[3], stride=[2], padding=[0])');
  });

  it('name themselves in their errors', () => {
    expect(() => new nn.MaxPool2d(2).forward(zeros([28, 28]))).toThrow(
      new ShapeError('MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false): expected a 3-d [C, H, W] (unbatched) or 4-d [N, C, H, W] (batched) input, got shape [28, 28]'),
    );
    expect(() => new nn.AvgPool1d(2).forward(zeros([1, 2, 3, 4]))).toThrow(/^AvgPool1d\(kernelSize=\[2\], stride=\[2\], padding=\[0\]\): expected a 2-d \[C, L\] \(unbatched\) or 3-d \[N, C, L\] \(batched\) input, got shape \[1, 2, 3, 4\]/);
    expect(() => new nn.MaxPool2d(3, { padding: 2 })).toThrow(/^MaxPool2d: padding must be at most half the kernel size, got padding \[2, 2\] for kernel \[3, 3\]/);
    expect(() => new nn.AvgPool2d(2, { divisorOverride: 0 })).toThrow(/^AvgPool2d: divisorOverride must be a non-zero integer, got 0/);
    expect(() => new nn.AvgPool1d(2, { divisorOverride: 2 } as never)).toThrow(/^AvgPool1d: unknown option 'divisorOverride' \(expected stride, padding, ceilMode, countIncludePad\)/);
    expect(() => new nn.MaxPool1d(2, { ceilMode: 'yes' } as never)).toThrow(/^MaxPool1d: ceilMode must be a boolean, got 'yes'/);
  });
});

describe('Flatten and Unflatten', () => {
  it('merge and split dims', () => {
    expect(new nn.Flatten().forward(zeros([8, 16, 5, 5])).shape).toEqual([8, 400]);
    expect(new nn.Flatten(0).forward(zeros([2, 3, 4])).shape).toEqual([24]);
    expect(new nn.Flatten(-2, -1).forward(zeros([2, 3, 4])).shape).toEqual([2, 12]);
    expect(new nn.Flatten().forward(zeros([0, 3, 2])).shape).toEqual([0, 6]);
    expect(new nn.Unflatten(1, [16, 5, 5]).forward(zeros([8, 400])).shape).toEqual([8, 16, 5, 5]);
    expect(new nn.Unflatten(-1, [-1, 2]).forward(zeros([3, 6])).shape).toEqual([3, 3, 2]);
    const x = randn([2, 12], { requiresGrad: true });
    const y = new nn.Flatten().forward(new nn.Unflatten(1, [3, 4]).forward(x));
    expect(values(y)).toEqual(values(x));
    y.sum().backward();
    expect(values(x.grad!)).toEqual(new Array(24).fill(1));
  });

  it('print and check their settings', () => {
    expect(new nn.Flatten().toString()).toBe('Flatten(startDim=1, endDim=-1)');
    expect(new nn.Unflatten(1, [2, 3]).toString()).toBe('Unflatten(dim=1, unflattenedSize=[2, 3])');
    expect(() => new nn.Flatten().forward(zeros([5]))).toThrow(/^Flatten\(startDim=1, endDim=-1\): dim 1 is out of range for input of shape \[5\]/);
    expect(() => new nn.Flatten(2, 1).forward(zeros([2, 3, 4]))).toThrow(/^Flatten\(startDim=2, endDim=1\): startDim comes after endDim/);
    expect(() => new nn.Unflatten(1, [4, 4]).forward(zeros([2, 12]))).toThrow(/^Unflatten\(dim=1, unflattenedSize=\[4, 4\]\): sizes \[4, 4\] do not multiply up to the size 12 of dim 1/);
    expect(() => new nn.Unflatten(1, [-1, -1])).toThrow(/^Unflatten: unflattenedSize must be a non-empty list of sizes ≥ 0 with at most one -1/);
    expect(() => new nn.Flatten(0.5)).toThrow(/^Flatten: startDim must be an integer, got 0.5/);
  });
});

describe('Dropout', () => {
  it('zeroes elements with probability p in training and scales the others by 1/(1−p)', () => {
    manualSeed(3);
    const y = new nn.Dropout(0.3).forward(ones([20000]));
    const v = values(y);
    expect(v.every((e) => e === 0 || Math.abs(e - 1 / 0.7) < 1e-6)).toBe(true);
    expect(v.filter((e) => e === 0).length / v.length).toBeCloseTo(0.3, 1);
    expect(mean(v)).toBeCloseTo(1, 1);
  });

  it('keeps element i when the i-th uniform draw is below 1 − p', () => {
    const u = forkRng(() => rand([10], { dtype: 'float64' }), 11);
    const y = forkRng(() => F.dropout(ones([10], { dtype: 'float64' }), 0.4), 11);
    expect(values(y)).toEqual(values(u).map((e) => (e < 0.6 ? 1 / 0.6 : 0)));
  });

  it('passes the input through in eval mode and with p = 0', () => {
    const d = new nn.Dropout(0.5);
    const x = randn([3, 4]);
    expect(d.eval().forward(x)).toBe(x);
    expect(d.train().training).toBe(true);
    expect(new nn.Dropout(0).forward(x)).toBe(x);
    expect(values(new nn.Dropout(1).forward(x)).every((v) => v === 0)).toBe(true);
  });

  it('is reproducible with manualSeed or a generator, and a generator leaves the global one alone', () => {
    manualSeed(5);
    const a = new nn.Dropout().forward(ones([50]));
    manualSeed(5);
    const b = new nn.Dropout().forward(ones([50]));
    expect(values(a)).toEqual(values(b));
    manualSeed(9);
    const c = F.dropout(ones([50]), 0.5, true, { generator: createGenerator(1) });
    const after = values(rand([3]));
    manualSeed(9);
    const d = F.dropout(ones([50]), 0.5, true, { generator: createGenerator(1) });
    expect(values(c)).toEqual(values(d));
    expect(values(rand([3]))).toEqual(after);
  });

  it('sends the gradient through the kept elements only', () => {
    manualSeed(2);
    const x = ones([100], { requiresGrad: true });
    const y = F.dropout(x, 0.5);
    y.sum().backward();
    expect(values(x.grad!)).toEqual(values(y));
  });

  it('prints p and checks it', () => {
    expect(new nn.Dropout().toString()).toBe('Dropout(p=0.5)');
    expect(() => new nn.Dropout(1.5)).toThrow(new ValueError('Dropout: probability p must be in [0, 1], got 1.5'));
    expect(() => new nn.Dropout('0.1' as never)).toThrow(TypeError);
    expect(() => new nn.Dropout().forward(null as never)).toThrow(/^Dropout: expected a Tensor input, got null/);
  });
});

describe('LeNet-5', () => {
  const lenet = () => new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(16 * 5 * 5, 10),
  );

  it('has the shapes, parameters and printout of the classic network', () => {
    const net = lenet();
    expect(net.forward(zeros([8, 1, 28, 28])).shape).toEqual([8, 10]);
    expect(Object.keys(net.stateDict())).toEqual(['0.weight', '0.bias', '3.weight', '3.bias', '7.weight', '7.bias']);
    expect(net.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(156 + 2416 + 4010);
    expect(net.toString()).toBe([
      'Sequential(',
      '  (0): Conv2d(1, 6, kernelSize=[5, 5], stride=[1, 1], padding=[2, 2])',
      '  (1): ReLU()',
      '  (2): MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)',
      '  (3): Conv2d(6, 16, kernelSize=[5, 5], stride=[1, 1])',
      '  (4): ReLU()',
      '  (5): MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)',
      '  (6): Flatten(startDim=1, endDim=-1)',
      '  (7): Linear(inFeatures=400, outFeatures=10, bias=true)',
      ')',
    ].join('\n'));
  });

  it('learns a small synthetic batch with plain SGD', () => {
    manualSeed(0);
    const net = lenet();
    const x = randn([8, 1, 28, 28]);
    const labels = randint(0, 10, [8, 1]);
    const lossOf = () => net.forward(x).logSoftmax(1).gather(1, labels).mean().neg();
    const losses: number[] = [];
    for (let step = 0; step < 6; step++) {
      net.zeroGrad();
      const loss = lossOf();
      losses.push(loss.item() as number);
      loss.backward();
      noGrad(() => {
        for (const p of net.parameters()) p.copy_(p.sub(p.grad!.mul(0.05)));
      });
    }
    losses.push(lossOf().item() as number);
    expect(losses[0]).toBeGreaterThan(2); // about ln 10 at the start
    expect(losses[losses.length - 1]).toBeLessThan(0.75 * losses[0]);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
  });
});
