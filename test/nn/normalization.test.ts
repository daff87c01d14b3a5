// BatchNorm1d / BatchNorm2d, LayerNorm and PreNorm as modules: parameters and buffers, running statistics
// against hand computations, train/eval behaviour, state dicts, dtypes, printing and errors naming the layer.
import { describe, expect, it } from 'vitest';
import { Tensor, tensor, zeros, randn, manualSeed, nn, F, noGrad, withDefaultDtype } from '../../src/index.js';
import { gradcheck } from '../../src/testing/index.js';

const f64 = (data: number[] | number[][] | number[][][] | number[][][][], rg = false) => tensor(data, { dtype: 'float64', requiresGrad: rg });
const arr = (t: Tensor) => Array.from(t.toTypedArray(), Number);

/** Per-channel values of x [N, C, *] (channel = dim 1), by hand. */
function channelValues(x: Tensor): number[][] {
  const [N, C] = x.shape;
  const inner = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const d = arr(x.contiguous());
  return Array.from({ length: C }, (_, c) => {
    const out: number[] = [];
    for (let n = 0; n < N; n++) for (let k = 0; k < inner; k++) out.push(d[(n * C + c) * inner + k]);
    return out;
  });
}
const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const varOf = (v: number[], correction: number) => {
  const m = meanOf(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - correction);
};

function expectClose(actual: number[], expected: number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]), `element ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]))));
}

describe('BatchNorm1d and BatchNorm2d', () => {
  it('have weight 1, bias 0, running mean 0, running variance 1 and a 0-d int32 batch count', () => {
    const bn = new nn.BatchNorm1d(3);
    expect(arr(bn.weight!)).toEqual([1, 1, 1]);
    expect(arr(bn.bias!)).toEqual([0, 0, 0]);
    expect(bn.weight!.requiresGrad).toBe(true);
    expect(arr(bn.runningMean!)).toEqual([0, 0, 0]);
    expect(arr(bn.runningVar!)).toEqual([1, 1, 1]);
    expect(bn.numBatchesTracked!.dtype).toBe('int32');
    expect(bn.numBatchesTracked!.shape).toEqual([]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(bn.runningMean!.requiresGrad).toBe(false);
    expect(bn.parameters()).toEqual([bn.weight, bn.bias]);
    expect(bn.namedBuffers().map(([n]) => n)).toEqual(['runningMean', 'runningVar', 'numBatchesTracked']);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'runningMean', 'runningVar', 'numBatchesTracked']);
  });

  it('are made in the default dtype', () => {
    const bn = withDefaultDtype('float64', () => new nn.BatchNorm1d(3));
    expect(bn.weight!.dtype).toBe('float64');
    expect(bn.bias!.dtype).toBe('float64');
    expect(bn.runningMean!.dtype).toBe('float64');
    expect(bn.runningVar!.dtype).toBe('float64');
    expect(bn.numBatchesTracked!.dtype).toBe('int32');
    expect(new nn.BatchNorm2d(2).weight!.dtype).toBe('float32');
    const c = new nn.BatchNorm2d(2).to('float64');
    expect(c.runningVar!.dtype).toBe('float64');
    expect(c.numBatchesTracked!.dtype).toBe('int32');
  });

  it('update the running statistics with momentum and the unbiased batch variance (train mode)', () => {
    manualSeed(1);
    const bn = new nn.BatchNorm1d(3, { momentum: 0.3 }).double();
    let rm = [0, 0, 0], rv = [1, 1, 1];
    for (const shape of [[5, 3], [4, 3, 2], [2, 3, 3]]) {
      const x = randn(shape, { dtype: 'float64' }).mul(2).add(1);
      const y = bn.forward(x);
      const vals = channelValues(x);
      rm = rm.map((r, c) => 0.7 * r + 0.3 * meanOf(vals[c]));
      rv = rv.map((r, c) => 0.7 * r + 0.3 * varOf(vals[c], 1));
      expectClose(arr(bn.runningMean!), rm);
      expectClose(arr(bn.runningVar!), rv);
      // the output uses the biased batch variance
      const out = channelValues(y);
      vals.forEach((v, c) => expectClose(out[c], v.map((a) => (a - meanOf(v)) / Math.sqrt(varOf(v, 0) + 1e-5))));
    }
    expect(bn.numBatchesTracked!.item()).toBe(3);
  });

  it('BatchNorm2d takes statistics per channel over the batch and both spatial dims', () => {
    manualSeed(2);
    const bn = new nn.BatchNorm2d(2).double();
    const x = randn([3, 2, 2, 4], { dtype: 'float64' });
    bn.forward(x);
    const vals = channelValues(x);
    expectClose(arr(bn.runningMean!), vals.map((v) => 0.1 * meanOf(v)));
    expectClose(arr(bn.runningVar!), vals.map((v) => 0.9 + 0.1 * varOf(v, 1)));
  });

  it('with momentum null keep the cumulative average of the batch statistics', () => {
    manualSeed(3);
    const bn = new nn.BatchNorm1d(2, { momentum: null }).double();
    const xs = [randn([4, 2], { dtype: 'float64' }), randn([3, 2], { dtype: 'float64' }), randn([5, 2], { dtype: 'float64' })];
    for (const x of xs) bn.forward(x);
    const means = xs.map((x) => channelValues(x).map(meanOf));
    const vars = xs.map((x) => channelValues(x).map((v) => varOf(v, 1)));
    expectClose(arr(bn.runningMean!), [0, 1].map((c) => meanOf(means.map((m) => m[c]))));
    expectClose(arr(bn.runningVar!), [0, 1].map((c) => meanOf(vars.map((m) => m[c]))));
    expect(bn.toString()).toBe('BatchNorm1d(2, eps=0.00001, momentum=null, affine=true, trackRunningStats=true)');
  });

  it('normalize with the running statistics in eval mode and leave them unchanged', () => {
    const bn = new nn.BatchNorm1d(2, { eps: 1e-3 }).double();
    bn.loadStateDict({
      weight: f64([2, 0.5]), bias: f64([1, -1]), runningMean: f64([0.5, -2]), runningVar: f64([4, 0.25]),
      numBatchesTracked: tensor(7, { dtype: 'int32' }),
    });
    bn.eval();
    const x = f64([[1, 2], [3, -4], [0, 0]]);
    const y = bn.forward(x);
    const rm = [0.5, -2], rv = [4, 0.25], w = [2, 0.5], b = [1, -1];
    expectClose(arr(y), arr(x).map((v, i) => ((v - rm[i % 2]) / Math.sqrt(rv[i % 2] + 1e-3)) * w[i % 2] + b[i % 2]));
    expect(arr(bn.runningMean!)).toEqual(rm);
    expect(arr(bn.runningVar!)).toEqual(rv);
    expect(bn.numBatchesTracked!.item()).toBe(7);
    // a single sample is fine in eval mode
    expect(bn.forward(f64([[0.5, -2]])).shape).toEqual([1, 2]);
  });

  it('without tracking use batch statistics in both modes and have no buffers', () => {
    manualSeed(4);
    const bn = new nn.BatchNorm1d(3, { trackRunningStats: false });
    expect(bn.runningMean).toBeNull();
    expect(bn.runningVar).toBeNull();
    expect(bn.numBatchesTracked).toBeNull();
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias']);
    const x = randn([4, 3]);
    const train = arr(bn.forward(x));
    expect(arr(bn.eval().forward(x))).toEqual(train);
    expect(() => bn.forward(randn([1, 3]))).toThrow(/^BatchNorm1d\(3, .*trackRunningStats=false\): expected more than 1 value per channel/);
  });

  it('without affine have no parameters', () => {
    const bn = new nn.BatchNorm2d(4, { affine: false });
    expect(bn.weight).toBeNull();
    expect(bn.bias).toBeNull();
    expect(bn.parameters()).toEqual([]);
    expect(Object.keys(bn.stateDict())).toEqual(['runningMean', 'runningVar', 'numBatchesTracked']);
    expect(bn.forward(randn([2, 4, 3, 3])).shape).toEqual([2, 4, 3, 3]);
  });

  it('give input, weight and bias gradients in train mode (gradcheck through the module)', () => {
    manualSeed(5);
    const bn = new nn.BatchNorm1d(3).double();
    noGrad(() => { bn.weight!.copy_(randn([3])); bn.bias!.copy_(randn([3])); });
    const x = randn([4, 3, 2], { dtype: 'float64', requiresGrad: true });
    expect(arr(bn.forward(x))).toEqual(arr(F.batchNorm(x, null, null, { weight: bn.weight, bias: bn.bias, training: true })));
    // gradcheck perturbs the inputs in place, so the module's own parameters can be among them
    expect(gradcheck((xx) => bn.forward(xx), [x, bn.weight!, bn.bias!])).toBe(true);
    expect(gradcheck((xx) => bn.eval().forward(xx), [x, bn.weight!, bn.bias!])).toBe(true);
  });

  it('round-trip through stateDict and loadStateDict bit-exactly, with identical eval outputs', () => {
    manualSeed(6);
    const a = new nn.BatchNorm2d(3, { momentum: 0.25 });
    for (let k = 0; k < 3; k++) a.forward(randn([2, 3, 2, 2]).mul(3).add(k));
    // move weight and bias away from their initial values
    const sd = a.stateDict();
    sd.weight.copy_(randn([3]));
    sd.bias.copy_(randn([3]));
    const b = new nn.BatchNorm2d(3, { momentum: 0.25 });
    b.loadStateDict(a.stateDict());
    const sa = a.stateDict(), sb = b.stateDict();
    expect(Object.keys(sb)).toEqual(Object.keys(sa));
    for (const k of Object.keys(sa)) {
      expect(sb[k].dtype, k).toBe(sa[k].dtype);
      expect(arr(sb[k]), k).toEqual(arr(sa[k]));
    }
    expect(b.numBatchesTracked!.item()).toBe(3);
    const x = randn([2, 3, 2, 2]);
    expect(arr(b.eval().forward(x))).toEqual(arr(a.eval().forward(x)));
  });

  it('name the layer and the shapes in their errors', () => {
    const bn2 = new nn.BatchNorm2d(16);
    const desc = 'BatchNorm2d(16, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)';
    expect(bn2.toString()).toBe(desc);
    const esc = desc.replace(/[()[\].]/g, '\\$&');
    expect(() => bn2.forward(zeros([2, 16, 5]))).toThrow(new RegExp(`^${esc}: expected 4-D \\[N, C, H, W\\] input, got shape \\[2, 16, 5\\]`));
    expect(() => bn2.forward(zeros([2, 8, 5, 5]))).toThrow(new RegExp(`^${esc}: expected 16 channels in dim 1 of the input, got shape \\[2, 8, 5, 5\\]`));
    expect(() => bn2.forward(zeros([1, 16, 1, 1]))).toThrow(new RegExp(`^${esc}: expected more than 1 value per channel when training, got input of shape \\[1, 16, 1, 1\\]`));
    expect(bn2.numBatchesTracked!.item()).toBe(0); // failed calls do not count
    const bn1 = new nn.BatchNorm1d(3);
    expect(() => bn1.forward(zeros([2, 3, 4, 5]))).toThrow(/^BatchNorm1d\(3, .*\): expected 2-D \[N, C\] or 3-D \[N, C, L\] input, got shape \[2, 3, 4, 5\]/);
    expect(() => bn1.forward(zeros([3]))).toThrow(RangeError);
    expect(() => bn1.forward([1, 2, 3] as unknown as Tensor)).toThrow(/^BatchNorm1d: expected a Tensor input, got an array/);
    expect(() => bn1.forward(zeros([2, 3], { dtype: 'float64' }))).toThrow(/^batchNorm: runningMean has dtype float32 but the input has dtype float64/);
  });

  it('check their settings', () => {
    expect(() => new nn.BatchNorm1d(-1)).toThrow(/^BatchNorm1d: numFeatures must be an integer ≥ 0, got -1/);
    expect(() => new nn.BatchNorm1d(2.5)).toThrow(RangeError);
    expect(() => new nn.BatchNorm2d(3, { momentun: 0.1 } as object)).toThrow(/^BatchNorm2d: unknown option 'momentun' \(expected eps, momentum, affine, trackRunningStats\)/);
    expect(() => new nn.BatchNorm2d(3, { momentum: '0.1' as unknown as number })).toThrow(/^BatchNorm2d: momentum must be a finite number or null, got '0.1'/);
    expect(() => new nn.BatchNorm2d(3, { eps: -1 })).toThrow(/^BatchNorm2d: eps must be a finite number ≥ 0/);
    expect(() => new nn.BatchNorm2d(3, { affine: 1 as unknown as boolean })).toThrow(/^BatchNorm2d: affine must be a boolean/);
  });

  it('resetRunningStats restores the initial statistics', () => {
    const bn = new nn.BatchNorm1d(2);
    bn.forward(randn([4, 2]).add(3));
    bn.resetRunningStats();
    expect(arr(bn.runningMean!)).toEqual([0, 0]);
    expect(arr(bn.runningVar!)).toEqual([1, 1]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
  });
});

describe('LayerNorm', () => {
  it('learns an elementwise weight and bias of normalizedShape, initialized to 1 and 0', () => {
    const ln = new nn.LayerNorm([2, 3]);
    expect(ln.weight!.shape).toEqual([2, 3]);
    expect(arr(ln.weight!)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(arr(ln.bias!)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Object.keys(ln.stateDict())).toEqual(['weight', 'bias']);
    expect(ln.toString()).toBe('LayerNorm([2, 3], eps=0.00001, elementwiseAffine=true)');
    expect(new nn.LayerNorm(4).normalizedShape).toEqual([4]);
    expect(withDefaultDtype('float64', () => new nn.LayerNorm(4)).weight!.dtype).toBe('float64');
  });

  it('standardizes over the trailing dims, the same in train and eval mode', () => {
    manualSeed(7);
    const ln = new nn.LayerNorm(4, { eps: 1e-6 }).double();
    const x = randn([3, 4], { dtype: 'float64' });
    const y = ln.forward(x);
    const rows = arr(x);
    const expected = [0, 1, 2].flatMap((r) => {
      const v = rows.slice(4 * r, 4 * r + 4);
      return v.map((a) => (a - meanOf(v)) / Math.sqrt(varOf(v, 0) + 1e-6));
    });
    expectClose(arr(y), expected);
    expect(arr(ln.eval().forward(x))).toEqual(arr(y));
    expect(arr(y)).toEqual(arr(F.layerNorm(x, [4], { weight: ln.weight, bias: ln.bias, eps: 1e-6 })));
  });

  it('without elementwiseAffine or bias has fewer parameters', () => {
    expect(new nn.LayerNorm(3, { elementwiseAffine: false }).parameters()).toEqual([]);
    const ln = new nn.LayerNorm(3, { bias: false });
    expect(ln.bias).toBeNull();
    expect(ln.parameters().length).toBe(1);
  });

  it('gives its parameters gradients', () => {
    manualSeed(8);
    const ln = new nn.LayerNorm([2, 2]);
    ln.forward(randn([3, 2, 2])).mul(randn([3, 2, 2])).sum().backward();
    expect(ln.weight!.grad!.shape).toEqual([2, 2]);
    expect(ln.bias!.grad!.shape).toEqual([2, 2]);
  });

  it('names the layer in its errors', () => {
    const ln = new nn.LayerNorm([3, 4]);
    expect(() => ln.forward(zeros([2, 4, 3]))).toThrow(/^LayerNorm\(\[3, 4\], eps=0.00001, elementwiseAffine=true\): expected input of shape \[\*, 3, 4\], got shape \[2, 4, 3\]/);
    expect(() => ln.forward(zeros([4]))).toThrow(RangeError);
    expect(() => new nn.LayerNorm([])).toThrow(/^LayerNorm: normalizedShape must be an integer or a non-empty list/);
    expect(() => new nn.LayerNorm(3, { affine: true } as object)).toThrow(/^LayerNorm: unknown option 'affine'/);
  });
});

describe('PreNorm', () => {
  it('standardizes each sample over all its non-batch dims to mean 0 and biased variance 1', () => {
    manualSeed(9);
    const pn = new nn.PreNorm();
    for (const shape of [[4, 6], [3, 2, 5], [2, 3, 4, 4]]) {
      const x = randn(shape, { dtype: 'float64' }).mul(5).add(2);
      const y = pn.forward(x);
      const dims = shape.slice(1).map((_, i) => i + 1);
      expectClose(arr(y.mean(dims)), new Array(shape[0]).fill(0), 1e-12);
      // biased variance of the standardized values: var / (var + eps)
      const v = arr(x.var(dims, false, 0));
      expectClose(arr(y.var(dims, false, 0)), v.map((s) => s / (s + 1e-5)), 1e-12);
      expectClose(arr(y.var(dims, false, 0)), new Array(shape[0]).fill(1), 1e-5);
    }
  });

  it('has no state, no parameters and no train/eval difference', () => {
    const pn = new nn.PreNorm(4);
    expect(pn.parameters()).toEqual([]);
    expect(pn.buffers()).toEqual([]);
    expect(pn.stateDict()).toEqual({});
    const x = randn([3, 4]);
    expect(arr(pn.eval().forward(x))).toEqual(arr(pn.train().forward(x)));
    expect(pn.toString()).toBe('PreNorm(4, eps=0.00001, affine=false)');
    expect(new nn.PreNorm().toString()).toBe('PreNorm(eps=0.00001, affine=false)');
  });

  it('with affine scales and shifts per feature (per channel of conv maps)', () => {
    const pn = new nn.PreNorm(2, { affine: true }).double();
    expect(pn.weight!.shape).toEqual([2]);
    expect(arr(pn.weight!)).toEqual([1, 1]);
    expect(arr(pn.bias!)).toEqual([0, 0]);
    pn.loadStateDict({ weight: f64([2, -1]), bias: f64([10, 20]) });
    const x = randn([3, 2, 2, 2], { dtype: 'float64' });
    const y = pn.forward(x);
    const plain = F.preNorm(x);
    const yc = channelValues(y), pc = channelValues(plain);
    expectClose(yc[0], pc[0].map((v) => 2 * v + 10));
    expectClose(yc[1], pc[1].map((v) => -v + 20));
    y.sum().backward();
    expect(pn.weight!.grad!.shape).toEqual([2]);
    expect(pn.toString()).toBe('PreNorm(2, eps=0.00001, affine=true)');
  });

  it('names the layer in its errors', () => {
    expect(() => new nn.PreNorm(undefined, { affine: true })).toThrow(/^PreNorm: numFeatures is required with affine: true/);
    expect(() => new nn.PreNorm(3).forward(zeros([2, 4]))).toThrow(/^PreNorm\(3, eps=0.00001, affine=false\): expected 3 features \(channels\) in dim 1 of the input, got shape \[2, 4\]/);
    expect(() => new nn.PreNorm().forward(zeros([4]))).toThrow(/^PreNorm\(eps=0.00001, affine=false\): expected input of shape \[N, \*\] with a batch dim and at least one more, got shape \[4\]/);
    expect(() => new nn.PreNorm(3, { momentum: 0.1 } as object)).toThrow(/^PreNorm: unknown option 'momentum' \(expected eps, affine\)/);
  });
});

describe('PreNorm options', () => {
  it('takes the options alone, without a feature count', () => {
    const m = new nn.PreNorm({ eps: 1e-3 });
    expect(m.eps).toBe(1e-3);
    expect(m.numFeatures).toBeNull();
    expect(m.parameters()).toEqual([]);
    expect(() => new nn.PreNorm({ affine: true })).toThrow(/PreNorm: numFeatures is required with affine: true/);
  });
});
