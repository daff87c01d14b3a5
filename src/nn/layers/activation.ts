// Activations as modules. Each forward is its functional form; the settings are checked when the module is made
// and printed by extraRepr with PyTorch's names in camelCase.
import type { Tensor } from '../../tensor/tensor.js';
import { relu, tanh, sigmoid } from '../../autograd/prims.js';
import { softmax, logSoftmax } from '../../ops/reduction.js';
import { Module, checkInput, reprValue } from '../module.js';
import { elu, gelu, hardtanh, leakyRelu, logSigmoid, selu, silu, softplus, type GeluOptions, type SoftplusOptions } from '../functional/activation.js';
import { checkChoice, checkFinite, checkInt, checkOptions, leadingOption } from '../../utils/args.js';
import { ArgumentError, ValueError } from '../../errors.js';

/** A module that applies `fn` to its input, with no settings. */
abstract class Elementwise extends Module {
  protected abstract fn(x: Tensor): Tensor;

  forward(x: Tensor): Tensor {
    checkInput(this, x);
    return this.fn(x);
  }

  /** The settings extraRepr prints, by property name. */
  protected reprKeys(): string[] {
    return [];
  }

  override extraRepr(): string {
    return this.reprKeys().map((k) => `${k}=${reprValue((this as unknown as Record<string, unknown>)[k])}`).join(', ');
  }

  /** Checks a numeric setting at construction, naming the module. */
  protected finite(name: string, v: unknown): number {
    return checkFinite(this.constructor.name, name, v);
  }
}

/**
 * max(x, 0) as a module.
 *
 * @example
 * ```ts
 * new nn.ReLU().forward(tensor([-1, 2])).toArray(); // [0, 2]
 * ```
 */
export class ReLU extends Elementwise {
  protected fn(x: Tensor): Tensor {
    return relu(x);
  }
}

/**
 * `F.leakyRelu` as a module.
 *
 * @example
 * ```ts
 * const m = new nn.LeakyReLU(0.2);
 * m.forward(tensor([-1, 2])).toArray(); // [-0.2, 2]
 * m.toString(); // "LeakyReLU(negativeSlope=0.2)"
 * ```
 */
export class LeakyReLU extends Elementwise {
  readonly negativeSlope: number;

  constructor(negativeSlope = 0.01) {
    super();
    this.negativeSlope = this.finite('negativeSlope', negativeSlope);
  }

  protected fn(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  protected override reprKeys(): string[] {
    return ['negativeSlope'];
  }
}

/**
 * `F.elu` as a module.
 *
 * @example
 * ```ts
 * new nn.ELU().forward(tensor([-1, 2])).toArray(); // [-0.6321, 2]
 * new nn.ELU(0.5).toString(); // "ELU(alpha=0.5)"
 * ```
 */
export class ELU extends Elementwise {
  readonly alpha: number;

  constructor(alpha = 1) {
    super();
    this.alpha = this.finite('alpha', alpha);
  }

  protected fn(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }

  protected override reprKeys(): string[] {
    return ['alpha'];
  }
}

/**
 * `F.selu` as a module.
 *
 * @example
 * ```ts
 * new nn.SELU().forward(tensor([1])).toArray(); // [1.0507]
 * ```
 */
export class SELU extends Elementwise {
  protected fn(x: Tensor): Tensor {
    return selu(x);
  }
}

/**
 * `F.gelu` as a module: exact (`approximate: 'none'`, the default) or with the tanh approximation.
 *
 * @example
 * ```ts
 * new nn.GELU().forward(tensor([1])).item(); // 0.8413
 * new nn.GELU({ approximate: 'tanh' }).toString(); // "GELU(approximate='tanh')"
 * ```
 */
export class GELU extends Elementwise {
  readonly approximate: 'none' | 'tanh';

  constructor(opts: GeluOptions = {}) {
    super();
    const o = checkOptions('GELU', opts, ['approximate']) as GeluOptions;
    this.approximate = checkChoice('GELU', 'approximate', o.approximate ?? 'none', ['none', 'tanh'] as const);
  }

  protected fn(x: Tensor): Tensor {
    return gelu(x, { approximate: this.approximate });
  }

  protected override reprKeys(): string[] {
    return ['approximate'];
  }
}

/**
 * tanh as a module.
 *
 * @example
 * ```ts
 * new nn.Tanh().forward(tensor([0])).item(); // 0
 * ```
 */
export class Tanh extends Elementwise {
  protected fn(x: Tensor): Tensor {
    return tanh(x);
  }
}

/**
 * The logistic sigmoid as a module.
 *
 * @example
 * ```ts
 * new nn.Sigmoid().forward(tensor([0])).item(); // 0.5
 * ```
 */
export class Sigmoid extends Elementwise {
  protected fn(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/**
 * `F.softplus` as a module.
 *
 * @example
 * ```ts
 * const m = new nn.Softplus({ beta: 2 });
 * m.forward(tensor([0])).item(); // 0.3466
 * m.toString(); // "Softplus(beta=2, threshold=20)"
 * ```
 */
export class Softplus extends Elementwise {
  readonly beta: number;
  readonly threshold: number;

  /** `(beta, threshold)` as PyTorch's positional form, or the options. */
  constructor(betaOrOpts: number | SoftplusOptions = {}, threshold?: number) {
    super();
    const o = checkOptions('Softplus', leadingOption(betaOrOpts, 'beta', { threshold }), ['beta', 'threshold']) as SoftplusOptions;
    this.beta = this.finite('beta', o.beta ?? 1);
    this.threshold = this.finite('threshold', o.threshold ?? 20);
    if (this.beta === 0) throw new ValueError('Softplus: beta must not be 0 (any other finite number), got 0');
  }

  protected fn(x: Tensor): Tensor {
    return softplus(x, { beta: this.beta, threshold: this.threshold });
  }

  protected override reprKeys(): string[] {
    return ['beta', 'threshold'];
  }
}

/**
 * `F.silu` (swish) as a module.
 *
 * @example
 * ```ts
 * new nn.SiLU().forward(tensor([1])).item(); // 0.7311
 * ```
 */
export class SiLU extends Elementwise {
  protected fn(x: Tensor): Tensor {
    return silu(x);
  }
}

/**
 * `F.logSigmoid` as a module.
 *
 * @example
 * ```ts
 * new nn.LogSigmoid().forward(tensor([0])).item(); // -0.6931
 * ```
 */
export class LogSigmoid extends Elementwise {
  protected fn(x: Tensor): Tensor {
    return logSigmoid(x);
  }
}

/**
 * `F.hardtanh` as a module.
 *
 * @example
 * ```ts
 * const m = new nn.Hardtanh(-2, 2);
 * m.forward(tensor([-3, 1, 3])).toArray(); // [-2, 1, 2]
 * m.toString(); // "Hardtanh(minVal=-2, maxVal=2)"
 * ```
 */
export class Hardtanh extends Elementwise {
  readonly minVal: number;
  readonly maxVal: number;

  constructor(minVal = -1, maxVal = 1) {
    super();
    this.minVal = this.finite('minVal', minVal);
    this.maxVal = this.finite('maxVal', maxVal);
    if (minVal > maxVal) throw new ValueError(`Hardtanh: minVal (${minVal}) must not exceed maxVal (${maxVal})`);
  }

  protected fn(x: Tensor): Tensor {
    return hardtanh(x, this.minVal, this.maxVal);
  }

  protected override reprKeys(): string[] {
    return ['minVal', 'maxVal'];
  }
}

/** Softmax and LogSoftmax: a function along a dim that must be given. */
abstract class AlongDim extends Elementwise {
  readonly dim: number;

  constructor(dim: number) {
    super();
    const name = this.constructor.name;
    if (dim === undefined) {
      throw new ArgumentError(`${name}: dim is required (PyTorch's implicit dim choice is deprecated); e.g. new nn.${name}(1) for an input [N, C]`);
    }
    this.dim = checkInt(name, 'dim', dim);
  }

  protected override reprKeys(): string[] {
    return ['dim'];
  }
}

/**
 * Softmax along `dim` as a module. The dim is required.
 *
 * @example
 * ```ts
 * new nn.Softmax(1).forward(tensor([[1, 1]])).toArray(); // [[0.5, 0.5]]
 * ```
 */
export class Softmax extends AlongDim {
  protected fn(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
}

/**
 * log(softmax) along `dim` as a module. The dim is required.
 *
 * @example
 * ```ts
 * new nn.LogSoftmax(1).forward(tensor([[0, 0]])).toArray(); // [[-0.6931, -0.6931]]
 * ```
 */
export class LogSoftmax extends AlongDim {
  protected fn(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
}

/**
 * Returns its input unchanged (the same tensor); a placeholder where a layer is optional.
 *
 * @example
 * ```ts
 * const x = tensor([1, 2]);
 * new nn.Identity().forward(x) === x; // true
 * ```
 */
export class Identity extends Elementwise {
  protected fn(x: Tensor): Tensor {
    return x;
  }
}
