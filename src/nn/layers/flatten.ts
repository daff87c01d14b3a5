import type { Tensor } from '../../tensor/tensor.js';
import { numel, shapeStr } from '../../tensor/shape.js';
import { flatten, reshape } from '../../ops/shape.js';
import { Module, checkInput, reprValue } from '../module.js';
import { checkInt, describeValue } from '../../utils/args.js';
import { moduleLabel } from './layer-utils.js';
import { ArgumentError, IndexError, ShapeError, ValueError } from '../../errors.js';

/** `dim` of a tensor of `ndim` dims as a non-negative index, or an error naming the module. */
function dimIn(m: Module, dim: number, ndim: number, x: Tensor): number {
  const n = Math.max(ndim, 1);
  if (dim < -n || dim >= n) throw new IndexError(`${moduleLabel(m)}: dim ${dim} is out of range for input of shape ${shapeStr(x.shape)} (expected a dim in [${-n}, ${n - 1}])`);
  return dim < 0 ? dim + n : dim;
}

/**
 * Merges dims `startDim`..`endDim` into one ({@link flatten}), as PyTorch's `nn.Flatten`; by default every
 * dim but the batch dim.
 *
 * @example
 * ```ts
 * new nn.Flatten().forward(zeros([8, 16, 5, 5])).shape;      // [8, 400]
 * new nn.Flatten(0, 1).forward(zeros([2, 3, 4])).shape;      // [6, 4]
 * new nn.Flatten().toString(); // "Flatten(startDim=1, endDim=-1)"
 * ```
 */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = checkInt('Flatten', 'startDim', startDim);
    this.endDim = checkInt('Flatten', 'endDim', endDim);
  }

  forward(x: Tensor): Tensor {
    checkInput(this, x);
    const s = dimIn(this, this.startDim, x.ndim, x), e = dimIn(this, this.endDim, x.ndim, x);
    if (s > e) throw new ValueError(`${moduleLabel(this)}: startDim comes after endDim for input of shape ${shapeStr(x.shape)} (dims ${s} and ${e})`);
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/**
 * Splits dim `dim` into the sizes `unflattenedSize` (one of them may be -1, inferred), as PyTorch's
 * `nn.Unflatten`; the inverse of {@link Flatten}.
 *
 * @example
 * ```ts
 * new nn.Unflatten(1, [16, 5, 5]).forward(zeros([8, 400])).shape; // [8, 16, 5, 5]
 * new nn.Unflatten(-1, [2, -1]).forward(zeros([3, 6])).shape;     // [3, 2, 3]
 * ```
 */
export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattenedSize: number[];

  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    this.dim = checkInt('Unflatten', 'dim', dim);
    if (!Array.isArray(unflattenedSize) || unflattenedSize.length === 0
      || !unflattenedSize.every((v) => Number.isInteger(v) && v >= -1) || unflattenedSize.filter((v) => v === -1).length > 1) {
      const E = Array.isArray(unflattenedSize) && unflattenedSize.every((v) => typeof v === 'number') ? ValueError : ArgumentError;
      throw new E(`Unflatten: unflattenedSize must be a non-empty list of sizes ≥ 0 with at most one -1, got ${describeValue(unflattenedSize)}`);
    }
    this.unflattenedSize = [...unflattenedSize];
  }

  forward(x: Tensor): Tensor {
    checkInput(this, x);
    if (x.ndim === 0) throw new ShapeError(`${moduleLabel(this)}: expected input with at least 1 dim, got a 0-d tensor`);
    const d = dimIn(this, this.dim, x.ndim, x);
    const sizes = this.unflattenedSize;
    const known = numel(sizes.filter((v) => v !== -1));
    const len = x.shape[d];
    if (sizes.includes(-1) ? known === 0 || len % known !== 0 : known !== len) {
      throw new ShapeError(`${moduleLabel(this)}: sizes ${shapeStr(sizes)} do not multiply up to the size ${len} of dim ${d} of input of shape ${shapeStr(x.shape)}`);
    }
    const full = sizes.map((v) => (v === -1 ? len / known : v));
    return reshape(x, [...x.shape.slice(0, d), ...full, ...x.shape.slice(d + 1)]);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattenedSize=${reprValue(this.unflattenedSize)}`;
  }
}
