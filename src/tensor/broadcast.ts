import { ShapeError } from '../errors.js';
import { checkSizes, shapeStr, tryBroadcastShapes } from './shape.js';

/**
 * The shape that NumPy broadcasting gives `shapes`: aligned from the right, each dim equal or 1.
 *
 * @example
 * ```ts
 * broadcastShapes([3, 1], [4]); // [3, 4]
 * ```
 */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  for (const s of shapes) checkSizes('broadcastShapes', s);
  const out = tryBroadcastShapes(...shapes);
  if (!out) throw new ShapeError(`broadcastShapes: shapes ${shapes.map(shapeStr).join(', ')} cannot be broadcast together (each dim must match or be 1, aligned from the right)`);
  return out;
}
