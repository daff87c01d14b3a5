// The losses as modules (PyTorch's nn.MSELoss, nn.CrossEntropyLoss, ...): each stores its options and calls its
// functional form in F. Class weights and posWeight are buffers, so stateDict holds them (null when not given).
import type { Tensor } from '../../tensor/tensor.js';
import { Module, checkInput } from '../module.js';
import * as F from '../functional/loss.js';
import * as lossOption from '../functional/loss-options.js';
import { checkOptions, checkTensorArg, leadingOption, optionalTensorArg } from '../../utils/args.js';

/** The base of the loss modules: the reduction, checked when the module is made. */
abstract class Loss<R extends string = F.Reduction> extends Module {
  readonly reduction: R;

  /** `reductions`: those the loss accepts, by default 'mean', 'sum' and 'none'. */
  constructor(opts: object | undefined, allowed: readonly string[], reductions?: readonly R[]) {
    super();
    const name = new.target.name;
    const o = checkOptions(name, opts, allowed);
    this.reduction = lossOption.reduction(name, o.reduction, reductions);
  }

  /** Checks both arguments are tensors, naming the module. */
  protected check(input: unknown, target: unknown): void {
    checkInput(this, input);
    checkTensorArg(this.constructor.name, target, 'target');
  }

  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/**
 * Mean squared error, as {@link F.mseLoss}.
 *
 * @example
 * ```ts
 * const loss = new nn.MSELoss();
 * loss.forward(tensor([1, 2, 3]), tensor([1, 0, 1])).item(); // 2.6667
 * new nn.MSELoss({ reduction: 'sum' }).forward(tensor([1, 2]), tensor([0, 0])).item(); // 5
 * ```
 */
export class MSELoss extends Loss {
  constructor(opts?: F.ReductionOptions) {
    super(opts, ['reduction']);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    this.check(input, target);
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * Mean absolute error, as {@link F.l1Loss}.
 *
 * @example
 * ```ts
 * new nn.L1Loss().forward(tensor([1, 2, 3]), tensor([1, 0, 1])).item(); // 1.3333
 * ```
 */
export class L1Loss extends Loss {
  constructor(opts?: F.ReductionOptions) {
    super(opts, ['reduction']);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    this.check(input, target);
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

/**
 * Huber loss, as {@link F.huberLoss}.
 *
 * @example
 * ```ts
 * new nn.HuberLoss({ delta: 2 }).forward(tensor([0]), tensor([3])).item(); // 4
 * ```
 */
export class HuberLoss extends Loss {
  readonly delta: number;

  /** `delta` alone (PyTorch's positional form) or the options. */
  constructor(deltaOrOpts: number | F.HuberLossOptions = {}) {
    const opts = leadingOption<F.HuberLossOptions>(deltaOrOpts, 'delta');
    super(opts, ['reduction', 'delta']);
    this.delta = lossOption.delta('HuberLoss', opts.delta);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    this.check(input, target);
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/**
 * Smooth L1 loss, as {@link F.smoothL1Loss}.
 *
 * @example
 * ```ts
 * new nn.SmoothL1Loss({ beta: 0.5 }).forward(tensor([0]), tensor([0.25])).item(); // 0.0625
 * ```
 */
export class SmoothL1Loss extends Loss {
  readonly beta: number;

  /** `beta` alone (PyTorch's positional form) or the options. */
  constructor(betaOrOpts: number | F.SmoothL1LossOptions = {}) {
    const opts = leadingOption<F.SmoothL1LossOptions>(betaOrOpts, 'beta');
    super(opts, ['reduction', 'beta']);
    this.beta = lossOption.beta('SmoothL1Loss', opts.beta);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    this.check(input, target);
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/**
 * Binary cross entropy of probabilities, as {@link F.binaryCrossEntropy}. `weight` is a buffer.
 *
 * @example
 * ```ts
 * const loss = new nn.BCELoss();
 * loss.forward(tensor([0.8, 0.1]), tensor([1, 0])).item(); // 0.1643
 * ```
 */
export class BCELoss extends Loss {
  declare weight: Tensor | null;

  constructor(opts: F.BinaryCrossEntropyOptions = {}) {
    super(opts, ['weight', 'reduction']);
    this.registerBuffer('weight', optionalTensorArg('BCELoss', opts.weight, 'weight'));
  }

  forward(input: Tensor, target: Tensor): Tensor {
    this.check(input, target);
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/**
 * Binary cross entropy of logits, as {@link F.binaryCrossEntropyWithLogits}. `weight` and `posWeight` are
 * buffers.
 *
 * @example
 * ```ts
 * const loss = new nn.BCEWithLogitsLoss({ posWeight: tensor([3]) });
 * loss.forward(tensor([0]), tensor([1])).item(); // 2.0794
 * Object.keys(loss.stateDict()); // ["posWeight"]
 * ```
 */
export class BCEWithLogitsLoss extends Loss {
  declare weight: Tensor | null;
  declare posWeight: Tensor | null;

  constructor(opts: F.BinaryCrossEntropyWithLogitsOptions = {}) {
    super(opts, ['weight', 'reduction', 'posWeight']);
    this.registerBuffer('weight', optionalTensorArg('BCEWithLogitsLoss', opts.weight, 'weight'));
    this.registerBuffer('posWeight', optionalTensorArg('BCEWithLogitsLoss', opts.posWeight, 'posWeight'));
  }

  forward(input: Tensor, target: Tensor): Tensor {
    this.check(input, target);
    return F.binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}

/**
 * Cross entropy of logits against class indices or probabilities, as {@link F.crossEntropy}. The class `weight`
 * is a buffer.
 *
 * @example
 * ```ts
 * const loss = new nn.CrossEntropyLoss({ weight: tensor([1, 3, 1]), labelSmoothing: 0.1 });
 * const logits = tensor([[2, 0, -1], [0.5, 1.5, 0]]);
 * loss.forward(logits, tensor([0, 1], { dtype: 'int32' })).item(); // 0.4739
 * Object.keys(loss.stateDict()); // ["weight"]
 * loss.toString(); // "CrossEntropyLoss()"
 * ```
 */
export class CrossEntropyLoss extends Loss {
  declare weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;

  constructor(opts: F.CrossEntropyOptions = {}) {
    super(opts, ['weight', 'ignoreIndex', 'reduction', 'labelSmoothing']);
    this.registerBuffer('weight', optionalTensorArg('CrossEntropyLoss', opts.weight, 'weight'));
    this.ignoreIndex = lossOption.ignoreIndex('CrossEntropyLoss', opts.ignoreIndex);
    this.labelSmoothing = lossOption.labelSmoothing('CrossEntropyLoss', opts.labelSmoothing);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    this.check(input, target);
    return F.crossEntropy(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing });
  }
}

/**
 * Negative log-likelihood of class indices under log-probabilities, as {@link F.nllLoss}. The class `weight`
 * is a buffer.
 *
 * @example
 * ```ts
 * const loss = new nn.NLLLoss({ ignoreIndex: 1 });
 * loss.forward(F.logSoftmax(tensor([[2, 0, -1], [0.5, 1.5, 0]]), 1), tensor([0, 1], { dtype: 'int32' })).item(); // 0.1698
 * ```
 */
export class NLLLoss extends Loss {
  declare weight: Tensor | null;
  readonly ignoreIndex: number;

  constructor(opts: F.NLLLossOptions = {}) {
    super(opts, ['weight', 'ignoreIndex', 'reduction']);
    this.registerBuffer('weight', optionalTensorArg('NLLLoss', opts.weight, 'weight'));
    this.ignoreIndex = lossOption.ignoreIndex('NLLLoss', opts.ignoreIndex);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    this.check(input, target);
    return F.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/**
 * Kullback-Leibler divergence, as {@link F.klDiv} (reductions include 'batchmean').
 *
 * @example
 * ```ts
 * const loss = new nn.KLDivLoss({ reduction: 'batchmean' });
 * loss.forward(F.logSoftmax(tensor([[1, 2, 3]]), 1), tensor([[0.2, 0.3, 0.5]])).item(); // 0.0780
 * ```
 */
export class KLDivLoss extends Loss<F.KLDivReduction> {
  readonly logTarget: boolean;

  constructor(opts: F.KLDivOptions = {}) {
    super(opts, ['reduction', 'logTarget'], lossOption.KL_REDUCTIONS);
    this.logTarget = lossOption.logTarget('KLDivLoss', opts.logTarget);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    this.check(input, target);
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
