// Error sweep: every registry record's bad inputs throw, with the error class and a message that names the op
// and the problem (shapes, dims, dtypes), on each backend.
import { describe, expect, it } from 'vitest';
import { registry, onBackends } from '../registry.js';

onBackends((run) => describe.each(registry.map((r) => [r.name, r] as const))('%s', (_name, rec) => {
  const errors = rec.errors();
  it('has error cases', () => expect(errors.length).toBeGreaterThan(0));
  it.each(errors.map((e) => [e.note, e] as const))('throws on %s', (_note, e) => run(() => {
    const call = e.call ?? (() => rec.fn(...(e.args ?? [])));
    let caught: unknown = null;
    try {
      call();
    } catch (err) {
      caught = err;
    }
    expect(caught, 'did not throw').not.toBeNull();
    expect(caught).toBeInstanceOf(e.type ?? Error);
    expect((caught as Error).message).toMatch(e.throws);
  }));
}));
