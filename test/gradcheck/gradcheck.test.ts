// gradcheck sweep: every differentiable registry op on every float64 sample whose inputs require grad, against
// central finite differences, on each backend. Ops with several outputs are checked through one tensor that mixes them all.
import { describe, expect, it } from 'vitest';
import { Tensor, mul, tensor, softmax, logSoftmax, logsumexp } from '../../src/index.js';
import { gradcheck } from '../../src/testing/index.js';
import { registry, sampleTitle, gradCase, wantsGrad, onBackends } from '../registry.js';

onBackends((run) => describe.each(registry.filter((r) => r.differentiable).map((r) => [r.name, r] as const))('%s', (_name, rec) => {
  const samples = rec.samples().map((s, i) => [sampleTitle(s, i), s] as const).filter(([, s]) => wantsGrad(rec, s));
  it('has gradcheck samples', () => expect(samples.length).toBeGreaterThan(0));
  it.each(samples)('%s', (_title, s) => run(() => {
    const { fn, inputs, opts } = gradCase(rec, s);
    expect(gradcheck(fn, inputs, opts)).toBe(true);
  }));
}));

describe('large float32 logits stay finite', () => {
  const finite = (t: Tensor) => Array.from(t.toTypedArray()).every(Number.isFinite);
  const ops: [string, (x: Tensor) => Tensor][] = [
    ['softmax', (x) => softmax(x, -1)],
    ['logSoftmax', (x) => logSoftmax(x, -1)],
    ['logsumexp', (x) => logsumexp(x, -1)],
  ];
  const inputs: [string, number[] | number[][]][] = [
    ['[1e4, -1e4, 0]', [1e4, -1e4, 0]],
    ['rows of ±1e4', [[1e4, -1e4, 0], [-1e4, -1e4, -1e4], [1e4, 1e4, -1e4]]],
  ];
  it.each(ops.flatMap(([name, f]) => inputs.map(([title, data]) => [name, title, f, data] as const)))('%s of %s', (_name, _title, f, data) => {
    const x = tensor(data, { dtype: 'float32', requiresGrad: true });
    const y = f(x);
    expect(y.dtype).toBe('float32');
    expect(finite(y)).toBe(true);
    // a weighted sum, so every output element's gradient path is exercised
    const w = tensor(Array.from({ length: y.numel() }, (_, i) => i + 1), { dtype: 'float32' }).reshape(y.shape);
    mul(y, w).sum().backward();
    expect(x.grad).not.toBeNull();
    expect(finite(x.grad!)).toBe(true);
  });

  it('gives the expected values and gradients for [1e4, -1e4, 0]', () => {
    const x = tensor([1e4, -1e4, 0], { dtype: 'float32', requiresGrad: true });
    const s = softmax(x, 0);
    expect(Array.from(s.toTypedArray())).toEqual([1, 0, 0]);
    const l = logSoftmax(x, 0);
    const lv = Array.from(l.toTypedArray());
    expect(lv[0]).toBeCloseTo(0, 5);
    expect(lv[1]).toBeCloseTo(-2e4, 0);
    expect(lv[2]).toBeCloseTo(-1e4, 0);
    const z = logsumexp(x);
    expect(z.item()).toBeCloseTo(1e4, 0);
    z.backward();
    // d logsumexp / dx = softmax(x)
    expect(Array.from(x.grad!.toTypedArray())).toEqual([1, 0, 0]);
  });
});
