import type { Tensor } from '../../tensor/tensor.js';
import { Module, checkInput } from '../module.js';
import { dropout } from '../functional/dropout.js';
import { checkProbability } from '../../utils/args.js';

/**
 * Dropout ({@link F.dropout}), as PyTorch's `nn.Dropout`: in train mode zeroes each element with probability
 * `p` and scales the rest by 1 / (1 − p); in eval mode it passes the input through.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const drop = new nn.Dropout(0.5);
 * drop.forward(ones([4])).toArray().every((v) => v === 0 || v === 2); // true
 * drop.eval().forward(ones([2])).toArray();                           // [1, 1]
 * drop.toString(); // "Dropout(p=0.5)"
 * ```
 */
export class Dropout extends Module {
  readonly p: number;

  constructor(p = 0.5) {
    super();
    this.p = checkProbability('Dropout', p);
  }

  forward(x: Tensor): Tensor {
    checkInput(this, x);
    return dropout(x, this.p, this.training);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
