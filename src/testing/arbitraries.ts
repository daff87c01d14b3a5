import fc from 'fast-check';
import type { Tensor } from '../tensor/tensor.js';
import { checkDtype, isFloating, type DType } from '../tensor/dtype.js';
import { checkSizes, numel } from '../tensor/shape.js';
import { tensor } from '../tensor/creation.js';
import { ValueError } from '../errors.js';
import { checkBool, checkFinite, checkInt, checkOptions } from '../utils/args.js';

const SHAPE_KEYS = ['minDims', 'maxDims', 'maxSide', 'allowZero'];

/** Checks shape constraints: known names, non-negative integer bounds, minDims ≤ maxDims. */
function checkShapeConstraints(op: string, c: unknown, extra: readonly string[] = []): ShapeConstraints {
  const o = checkOptions(op, c, [...SHAPE_KEYS, ...extra]) as ShapeConstraints;
  for (const k of ['minDims', 'maxDims', 'maxSide'] as const) if (o[k] !== undefined) checkInt(op, k, o[k], 0);
  if (o.allowZero !== undefined) checkBool(op, 'allowZero', o.allowZero);
  if ((o.minDims ?? 0) > (o.maxDims ?? 4)) throw new ValueError(`${op}: minDims ${o.minDims ?? 0} is more than maxDims ${o.maxDims ?? 4}; expected minDims ≤ maxDims`);
  if (!o.allowZero && o.maxSide === 0) throw new ValueError(`${op}: maxSide must be at least 1 unless allowZero, got 0`);
  return o;
}

/** Bounds of generated shapes. */
export interface ShapeConstraints {
  minDims?: number;
  maxDims?: number;
  /** Largest size of a dim (default 4). */
  maxSide?: number;
  /** Allow zero-size dims (default false). */
  allowZero?: boolean;
}

/**
 * fast-check arbitrary of tensor shapes.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(arbShape({ maxDims: 3 }), (s) => zeros(s).numel() === s.reduce((a, b) => a * b, 1)));
 * ```
 */
export function arbShape(c: ShapeConstraints = {}): fc.Arbitrary<number[]> {
  checkShapeConstraints('arbShape', c);
  return fc.array(fc.integer({ min: c.allowZero ? 0 : 1, max: c.maxSide ?? 4 }), { minLength: c.minDims ?? 0, maxLength: c.maxDims ?? 4 });
}

/**
 * fast-check arbitrary of `count` shapes that broadcast together under NumPy's rule (aligned from the right,
 * each dim equal or 1), with differing numbers of dims.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(arbBroadcastShapes(), ([a, b]) => add(zeros(a), zeros(b)).ndim === Math.max(a.length, b.length)));
 * ```
 */
export function arbBroadcastShapes(c: ShapeConstraints & { count?: number } = {}): fc.Arbitrary<number[][]> {
  checkShapeConstraints('arbBroadcastShapes', c, ['count']);
  const count = c.count === undefined ? 2 : checkInt('arbBroadcastShapes', 'count', c.count, 1);
  const { count: _count, ...shapeConstraints } = c;
  return arbShape(shapeConstraints).chain((base) =>
    fc.tuple(...Array.from({ length: count }, () =>
      fc.tuple(fc.integer({ min: 0, max: base.length }), fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }))
        .map(([keep, ones]) => base.slice(base.length - keep).map((d, i) => (ones[base.length - keep + i] ? 1 : d))),
    )),
  );
}

/** What {@link arbTensor} generates. */
export interface TensorConstraints {
  /** A fixed shape, or an arbitrary of shapes (default arbShape()). */
  shape?: readonly number[] | fc.Arbitrary<number[]>;
  /** Default float64. */
  dtype?: DType;
  min?: number;
  max?: number;
  requiresGrad?: boolean;
}

/**
 * fast-check arbitrary of tensors with values in [min, max] (defaults −10, 10), no NaN.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(arbTensor({ shape: [2, 3] }), (x) => x.add(0).sub(x).abs().max().item() === 0));
 * ```
 */
export function arbTensor(c: TensorConstraints = {}): fc.Arbitrary<Tensor> {
  checkOptions('arbTensor', c, ['shape', 'dtype', 'min', 'max', 'requiresGrad']);
  const dtype = c.dtype === undefined ? 'float64' : checkDtype(c.dtype, 'arbTensor');
  const min = c.min === undefined ? -10 : checkFinite('arbTensor', 'min', c.min);
  const max = c.max === undefined ? 10 : checkFinite('arbTensor', 'max', c.max);
  if (min > max) throw new ValueError(`arbTensor: min ${min} is more than max ${max}; expected min ≤ max`);
  if (dtype === 'int32' && Math.ceil(min) > Math.floor(max)) throw new ValueError(`arbTensor: no integer lies in [${min}, ${max}] for an int32 tensor`);
  if (c.requiresGrad !== undefined) checkBool('arbTensor', 'requiresGrad', c.requiresGrad);
  if (Array.isArray(c.shape)) checkSizes('arbTensor', c.shape);
  const shapes = c.shape === undefined ? arbShape() : Array.isArray(c.shape) ? fc.constant([...c.shape]) : (c.shape as fc.Arbitrary<number[]>);
  const value: fc.Arbitrary<number | boolean> =
    dtype === 'bool' ? fc.boolean()
      : dtype === 'int32' ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v));
  return shapes.chain((shape) =>
    fc.array(value, { minLength: numel(shape), maxLength: numel(shape) }).map((vals) =>
      tensor(vals as number[], { dtype }).reshape(shape).requiresGrad_(!!c.requiresGrad && isFloating(dtype)),
    ),
  );
}
