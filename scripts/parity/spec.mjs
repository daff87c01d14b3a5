// Tensor specs shared by the parity suites: data + shape + dtype, and whether the tensor requires grad.
import seedrandom from 'seedrandom';

/** Uniform values from a seeded stream, so the cases are the same on every run. */
export function makeRnd(seed) {
  const rng = seedrandom(seed);
  return (n, lo = -2, hi = 2) => Array.from({ length: n }, () => lo + (hi - lo) * rng());
}
export const numel = (s) => s.reduce((a, b) => a * b, 1);

/** Spec builders of one suite: T (float64 unless opts.dtype), I (int32 indices), B (bool masks). */
export function specs(seed) {
  const rnd = makeRnd(seed);
  const T = (shape, data, opts = {}) => ({
    shape, data: data ?? rnd(numel(shape), opts.lo, opts.hi), dtype: opts.dtype ?? 'float64',
    grad: opts.grad ?? (opts.dtype ?? 'float64').startsWith('float'),
  });
  const I = (shape, data) => T(shape, data, { dtype: 'int32', grad: false });
  const B = (shape, data) => T(shape, data, { dtype: 'bool', grad: false });
  return { rnd, T, I, B };
}
