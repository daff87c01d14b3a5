import { Tensor } from '../../tensor/tensor.js';
import { rand } from '../../tensor/creation.js';
import type { Generator } from '../../tensor/random.js';
import { cast, div, lt, mul } from '../../autograd/prims.js';
import { checkBool, checkFloatArg, checkOptions, checkProbability } from '../../utils/args.js';

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** Draw the mask from this generator instead of the global one seeded by `manualSeed`. */
  generator?: Generator;
}

/**
 * Inverted dropout, as PyTorch's `F.dropout`: in training, zeroes each element with probability `p` and scales
 * the others by 1 / (1 − p), so the expected value is unchanged. Element i is kept when the i-th uniform draw
 * (row-major) is below 1 − p. Without `training`, or with p = 0, it returns `input` itself.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const y = F.dropout(ones([1000]), 0.25);
 * y.max().item();                            // 1.3333
 * F.dropout(ones([3]), 0.5, false).toArray(); // [1, 1, 1]
 * F.dropout(ones([3]), 1).toArray();          // [0, 0, 0]
 * ```
 */
export function dropout(input: Tensor, p = 0.5, training = true, opts: DropoutOptions = {}): Tensor {
  checkFloatArg('dropout', input);
  checkProbability('dropout', p);
  checkBool('dropout', 'training', training);
  const o = checkOptions('dropout', opts, ['generator']);
  if (!training || p === 0 || input.numel() === 0) return input;
  if (p === 1) return mul(input, 0);
  const keep = lt(rand(input.shape, { generator: o.generator as Generator | undefined, dtype: 'float64' }), 1 - p);
  // the mask in the input's dtype, divided by 1 − p in that dtype, as PyTorch's noise.div_(1 - p)
  return mul(input, div(cast(keep, input.dtype), 1 - p));
}
