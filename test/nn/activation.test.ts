// Activations: the accuracy of gelu's erf (and of the test reference's erf), PyTorch's gradients at kinks and in
// saturation, and the activation modules (forward = F, settings, printing, errors).
import { describe, expect, it } from 'vitest';
import { Tensor, tensor, linspace, randn, manualSeed, nn, F, relu, tanh, sigmoid, softmax, logSoftmax } from '../../src/index.js';
import { erf, erfcTail } from '../reference-nn/norm-act.js';

const arr = (t: Tensor) => Array.from(t.toTypedArray(), Number);
const f64 = (data: number[], rg = false) => tensor(data, { dtype: 'float64', requiresGrad: rg });

/** The gradient of sum(f(x)) at the given points. */
function gradAt(f: (x: Tensor) => Tensor, points: number[]): number[] {
  const x = f64(points, true);
  f(x).sum().backward();
  return arr(x.grad!);
}

describe('erf', () => {
  // erf and erfc at these points in 30-digit arithmetic (mpmath), rounded to float64
  const EXACT: [number, number, number][] = [
    [1e-8, 1.1283791670955126e-08, 0.9999999887162083],
    [0.5, 0.5204998778130465, 0.4795001221869535],
    [1, 0.8427007929497149, 0.15729920705028513],
    [2, 0.9953222650189527, 0.004677734981047266],
    [2.9, 0.9999589021219005, 4.109787809945884e-05],
    [3, 0.9999779095030014, 2.209049699858544e-05],
    [3.5, 0.9999992569016276, 7.430983723414128e-07],
    [4.5, 0.9999999998033839, 1.9661604415428876e-10],
    [-1.25, -0.9229001282564583, 1.9229001282564582],
  ];

  it('the reference (series below 3, continued fraction above) matches exact values', () => {
    for (const [x, e, c] of EXACT) {
      expect(Math.abs(erf(x) - e), `erf(${x})`).toBeLessThanOrEqual(4.5e-16 * Math.abs(e)); // two ulps
      if (x >= 3) expect(Math.abs(erfcTail(x) - c) / c, `erfc(${x})`).toBeLessThanOrEqual(1e-14);
    }
    expect(erf(0)).toBe(0);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
  });

  it("gelu's erf is accurate to float64 rounding: gelu(x) = x·½·(1 + erf(x/√2)) within 1e-15·max(1, |x|)", () => {
    const xs = arr(linspace(-9, 9, 3601, { dtype: 'float64' })).concat([1e-12, -1e-12, 1e-5, 30, -30]);
    const y = arr(F.gelu(f64(xs)));
    xs.forEach((x, i) => {
      const expected = x * 0.5 * (1 + erf(x * Math.SQRT1_2));
      expect(Math.abs(y[i] - expected), `gelu(${x})`).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(x)));
    });
  });

  it("and so is its derivative: gelu'(x) = Φ(x) + x·φ(x) within 1e-14", () => {
    const xs = arr(linspace(-9, 9, 1801, { dtype: 'float64' }));
    const g = gradAt((x) => F.gelu(x), xs);
    xs.forEach((x, i) => {
      const expected = 0.5 * (1 + erf(x * Math.SQRT1_2)) + (x * Math.exp((-x * x) / 2)) / Math.sqrt(2 * Math.PI);
      expect(Math.abs(g[i] - expected), `gelu'(${x})`).toBeLessThanOrEqual(1e-14);
    });
  });
});

describe('activation gradients as PyTorch', () => {
  it('at the kinks: leakyRelu and elu take the negative side at 0, hardtanh is flat at its bounds', () => {
    expect(gradAt((x) => F.leakyRelu(x, 0.2), [0, -1, 1])).toEqual([0.2, 0.2, 1]);
    expect(gradAt((x) => F.elu(x, 2), [0, 1])).toEqual([2, 1]);
    expect(gradAt((x) => F.selu(x), [0])[0]).toBeCloseTo(1.7580993408473766, 15);
    expect(gradAt((x) => F.hardtanh(x), [-1, 1, 0.5, -2, 2])).toEqual([0, 0, 1, 0, 0]);
    expect(gradAt((x) => F.gelu(x), [0])[0]).toBeCloseTo(0.5, 15);
    expect(gradAt((x) => F.logSigmoid(x), [0])).toEqual([0.5]);
  });

  it('stay finite where a branch saturates', () => {
    expect(gradAt((x) => F.elu(x), [800, -800])).toEqual([1, 0]);
    expect(gradAt((x) => F.selu(x), [800])).toEqual([1.0507009873554805]);
    expect(gradAt((x) => F.softplus(x), [800, -800, 25])).toEqual([1, 0, 1]);
    expect(gradAt((x) => F.logSigmoid(x), [-1000, 1000])).toEqual([1, 0]);
    expect(gradAt((x) => F.silu(x), [-800, 800]).map((v) => v + 0)).toEqual([0, 1]);
  });

  it('pass NaN through as PyTorch (values NaN; elu, leakyRelu and hardtanh gradients as for the positive side)', () => {
    expect(arr(F.gelu(f64([NaN]))).map(Number.isNaN)).toEqual([true]);
    expect(gradAt((x) => F.elu(x), [NaN])).toEqual([1]);
    expect(gradAt((x) => F.leakyRelu(x), [NaN])).toEqual([0.01]);
    expect(gradAt((x) => F.hardtanh(x), [NaN])).toEqual([1]);
  });

  it('keep the dtype of a float32 input', () => {
    const x = tensor([-1, 0.5, 2], { dtype: 'float32' });
    for (const f of [F.leakyRelu, F.elu, F.selu, F.gelu, F.softplus, F.silu, F.logSigmoid, F.hardtanh]) expect(f(x).dtype).toBe('float32');
    expect(F.gelu(x, { approximate: 'tanh' }).dtype).toBe('float32');
  });
});

describe('activation modules', () => {
  manualSeed(11);
  const x = randn([3, 4]);
  const cases: [InstanceType<typeof nn.Module>, (t: Tensor) => Tensor, string][] = [
    [new nn.ReLU(), relu, 'ReLU()'],
    [new nn.LeakyReLU(), (t) => F.leakyRelu(t), 'LeakyReLU(negativeSlope=0.01)'],
    [new nn.LeakyReLU(0.3), (t) => F.leakyRelu(t, 0.3), 'LeakyReLU(negativeSlope=0.3)'],
    [new nn.ELU(), (t) => F.elu(t), 'ELU(alpha=1)'],
    [new nn.ELU(0.5), (t) => F.elu(t, 0.5), 'ELU(alpha=0.5)'],
    [new nn.SELU(), F.selu, 'SELU()'],
    [new nn.GELU(), (t) => F.gelu(t), "GELU(approximate='none')"],
    [new nn.GELU({ approximate: 'tanh' }), (t) => F.gelu(t, { approximate: 'tanh' }), "GELU(approximate='tanh')"],
    [new nn.Tanh(), tanh, 'Tanh()'],
    [new nn.Sigmoid(), sigmoid, 'Sigmoid()'],
    [new nn.Softplus(), (t) => F.softplus(t), 'Softplus(beta=1, threshold=20)'],
    [new nn.Softplus({ beta: 2, threshold: 10 }), (t) => F.softplus(t, { beta: 2, threshold: 10 }), 'Softplus(beta=2, threshold=10)'],
    [new nn.SiLU(), F.silu, 'SiLU()'],
    [new nn.LogSigmoid(), F.logSigmoid, 'LogSigmoid()'],
    [new nn.Hardtanh(), (t) => F.hardtanh(t), 'Hardtanh(minVal=-1, maxVal=1)'],
    [new nn.Softmax(1), (t) => softmax(t, 1), 'Softmax(dim=1)'],
    [new nn.LogSoftmax(-1), (t) => logSoftmax(t, -1), 'LogSoftmax(dim=-1)'],
    [new nn.Identity(), (t) => t, 'Identity()'],
  ];

  it.each(cases.map(([m, f, repr]) => [repr, m, f] as const))('%s: forward is its functional form', (repr, m, f) => {
    expect(arr(m.forward(x))).toEqual(arr(f(x)));
    expect(m.toString()).toBe(repr);
    expect(m.parameters()).toEqual([]);
    expect(m.stateDict()).toEqual({});
  });

  it('Identity returns its input itself; the modules print inside a Sequential', () => {
    expect(new nn.Identity().forward(x)).toBe(x);
    const net = new nn.Sequential(new nn.LayerNorm(4), new nn.GELU(), new nn.Softmax(-1));
    expect(net.toString()).toBe("Sequential(\n  (0): LayerNorm([4], eps=0.00001, elementwiseAffine=true)\n  (1): GELU(approximate='none')\n  (2): Softmax(dim=-1)\n)");
  });

  it('Softmax and LogSoftmax require a dim', () => {
    const S = nn.Softmax as unknown as new () => InstanceType<typeof nn.Softmax>;
    const L = nn.LogSoftmax as unknown as new () => InstanceType<typeof nn.LogSoftmax>;
    expect(() => new S()).toThrow(/^Softmax: dim is required \(PyTorch's implicit dim choice is deprecated\)/);
    expect(() => new L()).toThrow(/^LogSoftmax: dim is required/);
    expect(() => new nn.Softmax(0.5)).toThrow(/^Softmax: dim must be an integer, got 0.5/);
  });

  it('check their settings and name themselves', () => {
    expect(() => new nn.LeakyReLU('a' as unknown as number)).toThrow(/^LeakyReLU: negativeSlope must be a number, got 'a'/);
    expect(() => new nn.ELU(Infinity)).toThrow(/^ELU: alpha must be finite, got Infinity/);
    expect(() => new nn.GELU({ approximate: 'erf' as 'tanh' })).toThrow(/^GELU: approximate must be 'none' or 'tanh', got 'erf'/);
    expect(() => new nn.GELU({ approx: 'tanh' } as object)).toThrow(/^GELU: unknown option 'approx' \(expected approximate\)/);
    expect(() => new nn.Softplus({ beta: 0 })).toThrow(/^Softplus: beta must not be 0/);
    expect(() => new nn.Hardtanh(1, -1)).toThrow(/^Hardtanh: minVal \(1\) must not exceed maxVal \(-1\)/);
    expect(() => new nn.ReLU().forward('x' as unknown as Tensor)).toThrow(/^ReLU: expected a Tensor input, got 'x'$/);
    expect(() => new nn.GELU().forward(tensor([1, 2], { dtype: 'int32' }))).toThrow(/^gelu: expected a floating-point input, got dtype int32/);
  });
});

describe("Softplus's positional options", () => {
  it('takes (beta, threshold) as PyTorch, or the options', () => {
    const s = new nn.Softplus(2, 10);
    expect([s.beta, s.threshold]).toEqual([2, 10]);
    const x = tensor([1, 6]);
    expect(Array.from(F.softplus(x, 2, 10).toTypedArray())).toEqual(Array.from(F.softplus(x, { beta: 2, threshold: 10 }).toTypedArray()));
    // βx = 12 > 10: linear
    expect(F.softplus(x, 2, 10).toArray()[1]).toBe(6);
    expect(F.softplus(tensor([1]), 2).item()).toBeCloseTo(Math.log1p(Math.exp(2)) / 2, 6);
  });
});
