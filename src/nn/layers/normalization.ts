// Normalization layers: BatchNorm1d and BatchNorm2d (one base class), LayerNorm and PreNorm. Their forwards are
// F.batchNorm, F.layerNorm and F.preNorm; the modules hold the parameters, the running statistics and the checks
// that name the layer.
import { Tensor } from '../../tensor/tensor.js';
import { shapeStr } from '../../tensor/shape.js';
import { zeros, ones } from '../../tensor/creation.js';
import { add } from '../../autograd/prims.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { Module, Parameter, checkInput, reprValue } from '../module.js';
import * as init from '../init.js';
import { batchNorm, layerNorm, preNorm } from '../functional/normalization.js';
import { checkBool, checkEps, checkInt, checkOptions, describeValue } from '../../utils/args.js';
import { moduleLabel } from './layer-utils.js';
import { ArgumentError, ShapeError, ValueError } from '../../errors.js';

/** PyTorch's initialization of a normalization's affine parameters: weight 1, bias 0. */
function resetAffine(weight: Parameter | null, bias: Parameter | null): void {
  if (weight) init.ones_(weight);
  if (bias) init.zeros_(bias);
}

/** A parameter of `shape` in the default dtype, when wanted (its values are set by resetAffine). */
function param(shape: number[], wanted: boolean): Parameter | null {
  return wanted ? new Parameter(zeros(shape)) : null;
}

export interface BatchNormOptions {
  /** Added to the variance inside the square root (default 1e-5). */
  eps?: number;
  /** Weight of each batch in the running statistics (default 0.1); null: their cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel weight (ones) and bias (zeros) (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true); without them eval mode uses batch statistics. */
  trackRunningStats?: boolean;
}

/**
 * The shared base of BatchNorm1d and BatchNorm2d: parameters `weight`, `bias` ([C], when affine), buffers
 * `runningMean` (zeros), `runningVar` (ones) and `numBatchesTracked` (0-d int32), when tracking.
 *
 * In train mode each forward normalizes with the batch's mean and biased variance per channel and updates the
 * running statistics with momentum (the variance unbiased), or with their cumulative average when momentum is
 * null; eval mode normalizes with the running statistics, when tracked.
 *
 * @example
 * ```ts
 * const bn = new nn.BatchNorm2d(4, { momentum: null });
 * bn instanceof nn.BatchNormBase; // true
 * bn.namedBuffers().map(([name]) => name); // ["runningMean", "runningVar", "numBatchesTracked"]
 * ```
 */
export abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;

  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super();
    const name = this.constructor.name;
    this.numFeatures = checkInt(name, 'numFeatures', numFeatures, 0);
    const o = checkOptions(name, opts, ['eps', 'momentum', 'affine', 'trackRunningStats']) as BatchNormOptions;
    this.eps = checkEps(name, o.eps ?? 1e-5);
    const momentum = o.momentum === undefined ? 0.1 : o.momentum;
    if (momentum !== null && (typeof momentum !== 'number' || !Number.isFinite(momentum))) {
      throw new (typeof momentum === 'number' ? ValueError : ArgumentError)(`${name}: momentum must be a finite number or null, got ${describeValue(momentum)}`);
    }
    this.momentum = momentum;
    this.affine = checkBool(name, 'affine', o.affine ?? true);
    this.trackRunningStats = checkBool(name, 'trackRunningStats', o.trackRunningStats ?? true);
    this.weight = param([numFeatures], this.affine);
    this.bias = param([numFeatures], this.affine);
    const track = this.trackRunningStats;
    this.registerBuffer('runningMean', track ? zeros([numFeatures]) : null);
    this.registerBuffer('runningVar', track ? ones([numFeatures]) : null);
    this.registerBuffer('numBatchesTracked', track ? zeros([], { dtype: 'int32' }) : null);
    this.resetParameters();
  }

  /** Running mean 0, running variance 1, no batches seen. */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    init.zeros_(this.runningMean!);
    init.ones_(this.runningVar!);
    init.zeros_(this.numBatchesTracked!);
  }

  /** The running statistics reset, weight 1 and bias 0 (PyTorch's initialization). */
  resetParameters(): void {
    this.resetRunningStats();
    resetAffine(this.weight, this.bias);
  }

  /** The input layouts this layer accepts, for its check and its message. */
  protected abstract readonly layouts: { ndims: number[]; text: string };

  forward(x: Tensor): Tensor {
    checkInput(this, x);
    const { ndims, text } = this.layouts;
    if (!ndims.includes(x.ndim)) throw new ShapeError(`${moduleLabel(this)}: expected ${text} input, got shape ${shapeStr(x.shape)}`);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`${moduleLabel(this)}: expected ${this.numFeatures} channels in dim 1 of the input, got shape ${shapeStr(x.shape)}`);
    }
    const batchStats = this.training || this.runningMean === null;
    if (batchStats && this.numFeatures > 0 && x.numel() === this.numFeatures) {
      throw new ValueError(`${moduleLabel(this)}: expected more than 1 value per channel when training, got input of shape ${shapeStr(x.shape)}`);
    }
    let momentum = this.momentum ?? 0;
    if (this.training && this.numBatchesTracked) {
      const n = this.numBatchesTracked;
      noGrad(() => n.copy_(add(n, 1)));
      if (this.momentum === null) momentum = 1 / n.item();
    }
    // in train mode, statistics are updated only when tracked; in eval mode the running ones are used when kept
    const stats = !this.training || this.trackRunningStats;
    return batchNorm(x, stats ? this.runningMean : null, stats ? this.runningVar : null, {
      weight: this.weight, bias: this.bias, training: batchStats, momentum, eps: this.eps,
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/**
 * Batch normalization of [N, C] or [N, C, L] inputs per channel C (see F.batchNorm): train mode uses the batch's
 * statistics and updates `runningMean` and `runningVar`; eval mode uses those.
 *
 * @example
 * ```ts
 * const bn = new nn.BatchNorm1d(2);
 * bn.forward(tensor([[1, 10], [3, 20]])).toArray(); // [[-1, -1], [1, 1]]
 * bn.runningMean!.toArray(); // [0.2, 1.5]
 * bn.numBatchesTracked!.item(); // 1
 * bn.eval().forward(tensor([[0.2, 1.5]])).toArray(); // [[0, 0]]
 * bn.toString(); // "BatchNorm1d(2, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)"
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  protected readonly layouts = { ndims: [2, 3], text: '2-D [N, C] or 3-D [N, C, L]' };
}

/**
 * Batch normalization of [N, C, H, W] inputs per channel C (see F.batchNorm and BatchNorm1d).
 *
 * @example
 * ```ts
 * const bn = new nn.BatchNorm2d(3);
 * bn.forward(randn([4, 3, 5, 5])).shape; // [4, 3, 5, 5]
 * bn.weight!.shape; // [3]
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  protected readonly layouts = { ndims: [4], text: '4-D [N, C, H, W]' };
}

export interface LayerNormOptions {
  /** Added to the variance inside the square root (default 1e-5). */
  eps?: number;
  /** Learn an elementwise weight (ones) of shape normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, also learn a bias (zeros) (default true). */
  bias?: boolean;
}

/**
 * Layer normalization over the trailing dims `normalizedShape` of each sample (see F.layerNorm), with a
 * learned elementwise weight and bias by default. Same in train and eval mode.
 *
 * @example
 * ```ts
 * const ln = new nn.LayerNorm(3);
 * ln.forward(tensor([[1, 2, 3]])).toArray(); // [[-1.2247, 0, 1.2247]]
 * ln.toString(); // "LayerNorm([3], eps=0.00001, elementwiseAffine=true)"
 * ```
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : Array.isArray(normalizedShape) ? [...normalizedShape] : null;
    if (shape === null || shape.length === 0 || !shape.every((n) => Number.isInteger(n) && n >= 0)) {
      const E = shape !== null && shape.every((n) => typeof n === 'number') ? ValueError : ArgumentError;
      throw new E(`LayerNorm: normalizedShape must be an integer or a non-empty list of integers ≥ 0, got ${describeValue(normalizedShape)}`);
    }
    this.normalizedShape = shape;
    const o = checkOptions('LayerNorm', opts, ['eps', 'elementwiseAffine', 'bias']) as LayerNormOptions;
    this.eps = checkEps('LayerNorm', o.eps ?? 1e-5);
    this.elementwiseAffine = checkBool('LayerNorm', 'elementwiseAffine', o.elementwiseAffine ?? true);
    const withBias = checkBool('LayerNorm', 'bias', o.bias ?? true);
    this.weight = param(shape, this.elementwiseAffine);
    this.bias = param(shape, this.elementwiseAffine && withBias);
    this.resetParameters();
  }

  /** Weight 1 and bias 0 (PyTorch's initialization). */
  resetParameters(): void {
    resetAffine(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    checkInput(this, x);
    const k = this.normalizedShape.length;
    if (x.ndim < k || shapeStr(x.shape.slice(x.ndim - k)) !== shapeStr(this.normalizedShape)) {
      throw new ShapeError(`${moduleLabel(this)}: expected input of shape [*, ${this.normalizedShape.join(', ')}], got shape ${shapeStr(x.shape)}`);
    }
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${reprValue(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}

export interface PreNormOptions {
  /** Added to the variance inside the square root (default 1e-5). */
  eps?: number;
  /** Learn a per-feature (per-channel) weight (ones) and bias (zeros) of shape [numFeatures] (default false). */
  affine?: boolean;
}

/**
 * PreNorm, the standardization between layers of the AbelINN report: each sample is standardized over all of
 * its non-batch dims (the F features of [N, F]; channels and spatial positions together for [N, C, H, W]) to
 * mean 0 and biased variance 1, eps inside the square root (see F.preNorm).
 *
 * How it differs from the other two:
 * - BatchNorm takes its statistics per feature across the batch, keeps running statistics for eval mode, so it
 *   behaves differently in train and eval mode, and learns a weight and bias by default.
 * - LayerNorm takes the same per-sample statistics as PreNorm, but only over the trailing `normalizedShape`
 *   dims, and learns an elementwise weight and bias (of that shape) by default.
 * - PreNorm uses per-sample statistics over every non-batch dim, has no state and no train/eval difference, and
 *   has no parameters unless `{affine: true}`; then weight and bias have shape [numFeatures], one per feature of
 *   [N, F] or per channel of [N, C, *] (broadcast over the spatial dims, as BatchNorm's).
 *
 * `numFeatures` is required with affine; when given, the input's dim 1 is checked against it.
 *
 * @example
 * ```ts
 * const pn = new nn.PreNorm();
 * const y = pn.forward(tensor([[1, 2, 3, 4], [-5, 0, 0, 5]]));
 * y.mean(1).toArray(); // [0, 0]
 * y.var(1, false, 0).toArray(); // [1, 1]
 * pn.parameters().length; // 0
 * new nn.PreNorm(16, { affine: true }).weight!.shape; // [16]
 * ```
 */
export class PreNorm extends Module {
  readonly numFeatures: number | null;
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(numFeatures?: number | null | PreNormOptions, opts: PreNormOptions = {}) {
    super();
    // `new PreNorm({ eps })`: the options alone, without a feature count
    if (typeof numFeatures === 'object' && numFeatures !== null) [numFeatures, opts] = [null, numFeatures];
    this.numFeatures = numFeatures === undefined || numFeatures === null ? null : checkInt('PreNorm', 'numFeatures', numFeatures, 0);
    const o = checkOptions('PreNorm', opts, ['eps', 'affine']) as PreNormOptions;
    this.eps = checkEps('PreNorm', o.eps ?? 1e-5);
    this.affine = checkBool('PreNorm', 'affine', o.affine ?? false);
    if (this.affine && this.numFeatures === null) throw new ArgumentError('PreNorm: numFeatures is required with affine: true (the shape of weight and bias)');
    this.weight = param([this.numFeatures!], this.affine);
    this.bias = param([this.numFeatures!], this.affine);
    this.resetParameters();
  }

  /** Weight 1 and bias 0, when affine. */
  resetParameters(): void {
    resetAffine(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    checkInput(this, x);
    if (x.ndim < 2) throw new ShapeError(`${moduleLabel(this)}: expected input of shape [N, *] with a batch dim and at least one more, got shape ${shapeStr(x.shape)}`);
    if (this.numFeatures !== null && x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`${moduleLabel(this)}: expected ${this.numFeatures} features (channels) in dim 1 of the input, got shape ${shapeStr(x.shape)}`);
    }
    return preNorm(x, { eps: this.eps, weight: this.weight, bias: this.bias });
  }

  override extraRepr(): string {
    return `${this.numFeatures === null ? '' : `${this.numFeatures}, `}eps=${this.eps}, affine=${this.affine}`;
  }
}
