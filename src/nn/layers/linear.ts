import type { Tensor } from '../../tensor/tensor.js';
import { zeros } from '../../tensor/creation.js';
import { shapeStr } from '../../tensor/shape.js';
import { Module, Parameter, checkInput } from '../module.js';
import { linear } from '../functional/linear.js';
import { checkBool, checkInt, checkOptions } from '../../utils/args.js';
import { checkInputDtype, moduleLabel, resetWeightAndBias } from './layer-utils.js';
import { ShapeError } from '../../errors.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * A fully connected layer, y = x Wᵀ + b ({@link F.linear}), as PyTorch's `nn.Linear`: `weight` [out, in] and
 * `bias` [out], both initialized uniform in ±1/√inFeatures.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const layer = new nn.Linear(784, 10);
 * layer.forward(zeros([32, 784])).shape; // [32, 10]
 * layer.toString();                      // "Linear(inFeatures=784, outFeatures=10, bias=true)"
 * new nn.Linear(3, 2, { bias: false }).bias; // null
 * ```
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    const o = checkOptions('Linear', opts, ['bias']);
    this.inFeatures = checkInt('Linear', 'inFeatures', inFeatures, 0);
    this.outFeatures = checkInt('Linear', 'outFeatures', outFeatures, 0);
    this.weight = new Parameter(zeros([outFeatures, inFeatures]));
    this.bias = checkBool('Linear', 'bias', o.bias ?? true) ? new Parameter(zeros([outFeatures])) : null;
    this.resetParameters();
  }

  /** Draws the weight and bias again (PyTorch's default init). */
  resetParameters(): void {
    resetWeightAndBias(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    checkInput(this, x);
    checkInputDtype(this, x, this.weight);
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new ShapeError(`${moduleLabel(this)}: expected input with ${this.inFeatures} features in its last dim, got shape ${shapeStr(x.shape)}`);
    }
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
