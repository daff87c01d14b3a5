// gradgradcheck sweep: second derivatives of every twice-differentiable registry op, on the samples gradcheck
// uses (piecewise-linear ops included: their samples stay away from the kinks, where the second derivative is 0),
// on each backend.
import { describe, expect, it } from 'vitest';
import { gradgradcheck } from '../../src/testing/index.js';
import { registry, sampleTitle, gradCase, wantsGradGrad, onBackends } from '../registry.js';

onBackends((run) => describe.each(registry.filter((r) => r.twiceDifferentiable).map((r) => [r.name, r] as const))('%s', (_name, rec) => {
  const samples = rec.samples().map((s, i) => [sampleTitle(s, i), s] as const).filter(([, s]) => wantsGradGrad(rec, s));
  it('has gradgradcheck samples', () => expect(samples.length).toBeGreaterThan(0));
  it.each(samples)('%s', (_title, s) => run(() => {
    const { fn, inputs, opts } = gradCase(rec, s);
    expect(gradgradcheck(fn, inputs, opts)).toBe(true);
  }));
}));
