// nn.init: PyTorch's formulas (gains, fans, bounds and standard deviations), seeded, and their errors.
import { describe, expect, it } from 'vitest';
import { nn, zeros, manualSeed, createGenerator, withDefaultDtype, Tensor } from '../../src/index.js';

const { init } = nn;
const values = (t: Tensor) => Array.from(t.toTypedArray());
const stats = (t: Tensor) => {
  const v = values(t);
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean: m, std: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length), maxAbs: v.reduce((a, b) => Math.max(a, Math.abs(b)), 0) };
};

describe('calculateGain and fans', () => {
  it('matches PyTorch’s table', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('conv2d')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('conv_transpose2d')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 15);
    expect(init.calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(init.calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(() => init.calculateGain('swish' as never)).toThrow(/^calculateGain: unsupported nonlinearity 'swish'/);
  });

  it('computes fan in and out with the receptive field', () => {
    expect(init.calculateFanInAndFanOut(zeros([10, 784]))).toEqual([784, 10]);
    expect(init.calculateFanInAndFanOut(zeros([16, 6, 5, 5]))).toEqual([150, 400]);
    expect(() => init.calculateFanInAndFanOut(zeros([3]))).toThrow(/fewer than 2 dims, got shape \[3\]/);
  });
});

describe('initializers', () => {
  it('kaimingUniform_ with a = √5 stays within 1/√fanIn and fills the range', () => {
    manualSeed(0);
    const w = init.kaimingUniform_(zeros([64, 100]), { a: Math.sqrt(5) });
    const s = stats(w);
    expect(s.maxAbs).toBeLessThanOrEqual(0.1);
    expect(s.maxAbs).toBeGreaterThan(0.099);
    expect(s.std).toBeCloseTo(0.1 / Math.sqrt(3), 2);
  });

  it('kaimingNormal_ has std gain/√fan in either mode', () => {
    manualSeed(0);
    expect(stats(init.kaimingNormal_(zeros([200, 400]), { nonlinearity: 'relu' })).std).toBeCloseTo(Math.SQRT2 / 20, 3);
    expect(stats(init.kaimingNormal_(zeros([200, 400]), { nonlinearity: 'relu', mode: 'fanOut' })).std).toBeCloseTo(0.1, 3);
    expect(() => init.kaimingNormal_(zeros([2, 2]), { mode: 'fanAvg' as never })).toThrow(/^kaimingNormal_: mode must be 'fanIn' or 'fanOut', got 'fanAvg'/);
    expect(init.kaimingUniform_(zeros([0, 3])).shape).toEqual([0, 3]);
  });

  it('xavier initializers use both fans and the gain', () => {
    manualSeed(0);
    const u = init.xavierUniform_(zeros([100, 300]), { gain: 2 });
    const bound = 2 * Math.sqrt(6 / 400);
    expect(stats(u).maxAbs).toBeLessThanOrEqual(bound);
    expect(stats(u).maxAbs).toBeGreaterThan(0.99 * bound);
    expect(stats(init.xavierNormal_(zeros([300, 500]))).std).toBeCloseTo(Math.sqrt(2 / 800), 3);
  });

  it('uniform_, normal_, constant_, ones_, zeros_', () => {
    manualSeed(0);
    const u = stats(init.uniform_(zeros([5000]), 2, 4));
    expect(u.mean).toBeCloseTo(3, 1);
    const n = stats(init.normal_(zeros([5000]), -1, 0.5));
    expect(n.mean).toBeCloseTo(-1, 1);
    expect(n.std).toBeCloseTo(0.5, 1);
    expect(values(init.constant_(zeros([3]), 0.25))).toEqual([0.25, 0.25, 0.25]);
    expect(values(init.ones_(zeros([2])))).toEqual([1, 1]);
    expect(values(init.zeros_(init.ones_(zeros([2]))))).toEqual([0, 0]);
  });

  it('work on parameters (they write under noGrad) and are reproducible from a seed or a generator', () => {
    const p = new nn.Parameter(zeros([4, 4]));
    manualSeed(5);
    const a = values(init.kaimingUniform_(p));
    manualSeed(5);
    expect(values(init.kaimingUniform_(zeros([4, 4])))).toEqual(a);
    const b = values(init.normal_(zeros([6]), 0, 1, { generator: createGenerator(1) }));
    expect(values(init.normal_(zeros([6]), 0, 1, { generator: createGenerator(1) }))).toEqual(b);
    expect(p.requiresGrad).toBe(true);
  });

  it('keep the tensor’s dtype', () => {
    const w = withDefaultDtype('float64', () => zeros([3, 3]));
    expect(init.xavierUniform_(w).dtype).toBe('float64');
  });

  it('refuse unknown options and non-tensors', () => {
    expect(() => init.kaimingUniform_(zeros([2, 2]), { nonlinearty: 'relu' } as never)).toThrow(/kaimingUniform_: unknown option 'nonlinearty' \(expected a, mode, nonlinearity, generator\)/);
    expect(() => init.xavierUniform_([1] as never)).toThrow(/xavierUniform_: expected a Tensor/);
  });
});

describe("PyTorch's positional arguments", () => {
  it('xavier takes the gain alone and kaiming the slope a alone', () => {
    manualSeed(8);
    const a = values(init.xavierUniform_(zeros([4, 6]), 2));
    manualSeed(8);
    expect(values(init.xavierUniform_(zeros([4, 6]), { gain: 2 }))).toEqual(a);
    manualSeed(8);
    const k = values(init.kaimingUniform_(zeros([4, 6]), Math.sqrt(5)));
    manualSeed(8);
    expect(values(init.kaimingUniform_(zeros([4, 6]), { a: Math.sqrt(5) }))).toEqual(k);
    expect(stats(init.kaimingUniform_(zeros([4, 6]), Math.sqrt(5))).maxAbs).toBeLessThanOrEqual(1 / Math.sqrt(6));
  });
});
