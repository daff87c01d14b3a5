import { Tensor } from '../tensor/tensor.js';
import { div, ge, le, logicalAnd, maximum, minimum, sqrt, where, type Operand } from '../autograd/prims.js';
import { detach } from './shape.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { shapeStr, tryBroadcastShapes } from '../tensor/shape.js';
import { checkTensorArg, describeValue } from '../utils/args.js';

/**
 * 1 / √x elementwise.
 *
 * @example
 * ```ts
 * rsqrt(tensor([4])).item(); // 0.5
 * ```
 */
export function rsqrt(x: Tensor): Tensor {
  checkTensorArg('rsqrt', x, 'input');
  return div(1, sqrt(x));
}

/**
 * Clamps every element into [min, max] (either bound may be omitted; bounds may be tensors). As in PyTorch, the
 * gradient passes where min ≤ x ≤ max, boundaries included, and NaN stays NaN.
 *
 * @example
 * ```ts
 * clamp(tensor([-2, 0.5, 3]), 0, 1).toArray(); // [0, 0.5, 1]
 * ```
 */
export function clamp(x: Tensor, min?: Operand | null, max?: Operand | null): Tensor {
  checkTensorArg('clamp', x);
  const hasMin = min !== undefined && min !== null, hasMax = max !== undefined && max !== null;
  if (!hasMin && !hasMax) throw new ArgumentError(`clamp: at least one of min and max must be given, got min ${String(min)} and max ${String(max)}`);
  for (const [name, v] of [['min', min], ['max', max]] as const) {
    if (v !== undefined && v !== null && !(v instanceof Tensor) && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ArgumentError(`clamp: ${name} must be a Tensor, a number or null, got ${describeValue(v, 'object')}`);
    }
  }
  const shapes = [x, min, max].filter((v): v is Tensor => v instanceof Tensor).map((t) => t.shape);
  if (!tryBroadcastShapes(...shapes)) {
    throw new ShapeError(`clamp: shapes ${shapes.map(shapeStr).join(' and ')} cannot be broadcast together (each dim must match or be 1, aligned from the right)`);
  }
  // The gradient reaches x where min ≤ x ≤ max (false for NaN); elsewhere the value is min(max(x, min), max)
  // of a detached x, so only tensor bounds receive gradient there, as in PyTorch.
  let inside: Tensor | null = null;
  let outside: Tensor = detach(x);
  if (hasMin) {
    inside = ge(x, min);
    outside = maximum(outside, min);
  }
  if (hasMax) {
    inside = inside ? logicalAnd(inside, le(x, max)) : le(x, max);
    outside = minimum(outside, max);
  }
  return where(inside!, x, outside);
}
