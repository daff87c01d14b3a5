import { Tensor } from '../../tensor/tensor.js';
import { shapeStr, tryBroadcastShapes, sameShape } from '../../tensor/shape.js';
import { add } from '../../autograd/prims.js';
import { transpose } from '../../ops/shape.js';
import { matmul } from '../../ops/linalg.js';
import { checkTensorArg, optionalTensorArg } from '../../utils/args.js';
import { checkSameDtype } from './window.js';
import { ShapeError } from '../../errors.js';

/**
 * Applies an affine map to the last dim: y = x Wᵀ + b, as PyTorch's `F.linear`. `input` has shape [*, in],
 * `weight` [out, in] (or [in], giving [*]), `bias` [out] (or anything that broadcasts to it).
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * const w = tensor([[1, 0], [0, 1], [1, 1]]);
 * F.linear(x, w, tensor([0, 0, 10])).toArray(); // [[1, 2, 13], [3, 4, 17]]
 * F.linear(tensor([1, 2]), w).shape;            // [3]
 * ```
 */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkTensorArg('linear', input, 'input');
  checkTensorArg('linear', weight, 'weight');
  const b = optionalTensorArg('linear', bias, 'bias');
  if (input.ndim === 0) throw new ShapeError(`linear: expected input of shape [*, inFeatures], got a 0-d tensor`);
  if (weight.ndim !== 1 && weight.ndim !== 2) {
    throw new ShapeError(`linear: expected weight of shape [outFeatures, inFeatures] or [inFeatures], got ${shapeStr(weight.shape)}`);
  }
  checkSameDtype('linear', input, weight, b);
  const inFeatures = weight.shape[weight.ndim - 1];
  if (input.shape[input.ndim - 1] !== inFeatures) {
    throw new ShapeError(`linear: input of shape ${shapeStr(input.shape)} has ${input.shape[input.ndim - 1]} features in its last dim, but weight of shape ${shapeStr(weight.shape)} expects ${inFeatures}`);
  }
  const y = matmul(input, weight.ndim === 2 ? transpose(weight, 0, 1) : weight);
  if (b === null) return y;
  const outShape = weight.shape.slice(0, -1);
  const bs = b.ndim <= outShape.length ? tryBroadcastShapes(b.shape, outShape) : null;
  if (!bs || !sameShape(bs, outShape)) {
    throw new ShapeError(`linear: expected bias of shape ${shapeStr(outShape)} (or one that broadcasts to it), got ${shapeStr(b.shape)}`);
  }
  return add(y, b);
}
