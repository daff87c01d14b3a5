import { Tensor } from '../tensor/tensor.js';
import { shapeStr } from '../tensor/shape.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { checkNonNegative, checkOptions, describeValue } from '../utils/args.js';

const CLOSE_KEYS = ['rtol', 'atol', 'equalNan'];

/** Tolerances of {@link assertClose}; defaults follow `torch.testing.assert_close` for the actual dtype. */
export interface CloseOptions {
  rtol?: number;
  atol?: number;
  /** Treat NaN as equal to NaN (default false). */
  equalNan?: boolean;
}

type Values = Tensor | number | boolean | ArrayLike<number> | readonly Values[];

function flatten(v: Values, where: string): { shape: number[]; data: number[] } {
  if (v instanceof Tensor) return { shape: [...v.shape], data: Array.from(v.toTypedArray(), Number) };
  if (typeof v === 'number' || typeof v === 'boolean') return { shape: [], data: [Number(v)] };
  if (ArrayBuffer.isView(v)) return { shape: [(v as ArrayLike<number>).length], data: Array.from(v as ArrayLike<number>, Number) };
  if (Array.isArray(v)) {
    const parts = v.map((x) => flatten(x as Values, where));
    const inner = parts[0]?.shape ?? [];
    const bad = parts.findIndex((p) => shapeStr(p.shape) !== shapeStr(inner));
    if (bad >= 0) throw new ShapeError(`assertClose: ${where} is a ragged nested array: entry ${bad} has shape ${shapeStr(parts[bad].shape)}, entry 0 has ${shapeStr(inner)}`);
    return { shape: [v.length, ...inner], data: parts.flatMap((p) => p.data) };
  }
  throw new ArgumentError(`assertClose: ${where} must be a Tensor, a number, or (nested) arrays of numbers, got ${describeValue(v, 'object')}`);
}

function unravel(i: number, shape: number[]): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(i % shape[d]);
    i = Math.floor(i / shape[d]);
  }
  return `[${idx.join(', ')}]`;
}

/**
 * Throws unless `actual` and `expected` have the same shape and |actual − expected| ≤ atol + rtol·|expected|
 * everywhere. Defaults: rtol 1.3e-6, atol 1e-5 for float32 tensors; rtol 1e-7, atol 1e-7 otherwise.
 *
 * @example
 * ```ts
 * import { assertClose } from 'tapegrad/testing';
 * assertClose(tensor([1, 2]).exp(), [Math.E, Math.E ** 2]);
 * ```
 */
export function assertClose(actual: Values, expected: Values, opts: CloseOptions = {}): void {
  checkOptions('assertClose', opts, CLOSE_KEYS);
  if (opts.rtol !== undefined) checkNonNegative('assertClose', 'rtol', opts.rtol);
  if (opts.atol !== undefined) checkNonNegative('assertClose', 'atol', opts.atol);
  const f32 = actual instanceof Tensor && actual.dtype === 'float32';
  const rtol = opts.rtol ?? (f32 ? 1.3e-6 : 1e-7);
  const atol = opts.atol ?? (f32 ? 1e-5 : 1e-7);
  const a = flatten(actual, 'actual'), e = flatten(expected, 'expected');
  if (shapeStr(a.shape) !== shapeStr(e.shape)) {
    throw new Error(`assertClose: shapes differ: actual ${shapeStr(a.shape)}, expected ${shapeStr(e.shape)}`);
  }
  let bad = 0, worst = -1, worstDiff = -1;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i], y = e.data[i];
    let ok: boolean;
    if (Number.isNaN(x) || Number.isNaN(y)) ok = !!opts.equalNan && Number.isNaN(x) && Number.isNaN(y);
    else if (x === y) ok = true;
    else ok = Math.abs(x - y) <= atol + rtol * Math.abs(y);
    if (!ok) {
      bad++;
      const diff = Number.isNaN(x - y) ? Infinity : Math.abs(x - y);
      if (diff > worstDiff) { worstDiff = diff; worst = i; }
    }
  }
  if (bad > 0) {
    throw new Error(`assertClose: ${bad} of ${a.data.length} elements differ (rtol ${rtol}, atol ${atol}); the greatest difference is at ${unravel(worst, a.shape)}: actual ${a.data[worst]}, expected ${e.data[worst]}`);
  }
}
