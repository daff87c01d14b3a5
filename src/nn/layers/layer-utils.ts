// Internal helpers of the layers (not re-exported by nn).
import type { Tensor } from '../../tensor/tensor.js';
import { isFloating } from '../../tensor/dtype.js';
import { shapeStr } from '../../tensor/shape.js';
import { DTypeError } from '../../errors.js';
import { kaimingUniform_, uniform_, calculateFanInAndFanOut } from '../init.js';

/** A module as its errors name it: `Linear(inFeatures=784, outFeatures=10, bias=true)`. */
export function moduleLabel(m: { extraRepr(): string }): string {
  return `${m.constructor.name}(${m.extraRepr()})`;
}

/**
 * PyTorch's default init of a layer's weight and bias: kaimingUniform_ with a = √5, which is uniform in
 * ±1/√fanIn, and the bias uniform in ±1/√fanIn.
 */
export function resetWeightAndBias(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias === null) return;
  const [fanIn] = calculateFanInAndFanOut(weight);
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  uniform_(bias, -bound, bound);
}

/** Checks a layer's input has its weight's dtype, naming the layer and saying how to cast. */
export function checkInputDtype(m: { extraRepr(): string }, x: Tensor, weight: Tensor): void {
  if (x.dtype === weight.dtype) return;
  const cast = isFloating(x.dtype)
    ? `cast the input with .to('${weight.dtype}') or the module with .to('${x.dtype}')`
    : `cast the input with .to('${weight.dtype}')`;
  throw new DTypeError(`${moduleLabel(m)}: expected input of dtype ${weight.dtype} (the weight's), got ${x.dtype} (shape ${shapeStr(x.shape)}); ${cast}`);
}
