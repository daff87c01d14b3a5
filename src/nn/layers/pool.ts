import type { Tensor } from '../../tensor/tensor.js';
import { shapeStr } from '../../tensor/shape.js';
import { Module, checkInput, reprValue } from '../module.js';
import { maxPool1d, maxPool2d, avgPool1d, avgPool2d, type MaxPoolOptions, type AvgPool2dOptions } from '../functional/pool.js';
import { checkOptions } from '../../utils/args.js';
import { MAX_POOL_OPTIONS, avgPoolOptions, avgPoolParams, layouts, poolParams, type Size } from '../functional/window.js';
import { moduleLabel } from './layer-utils.js';
import { ShapeError } from '../../errors.js';

/** Checks a pooling module's input rank, naming the module. */
function checkRank(m: Module, x: unknown, n: number): asserts x is Tensor {
  checkInput(m, x);
  if (x.ndim !== n + 1 && x.ndim !== n + 2) {
    throw new ShapeError(`${moduleLabel(m)}: expected a ${layouts(n)} input, got shape ${shapeStr(x.shape)}`);
  }
}

/**
 * What MaxPool1d and MaxPool2d share (PyTorch's `_MaxPoolNd`): the settings, kept as given, and the checks.
 *
 * @example
 * ```ts
 * new nn.MaxPool2d(2) instanceof nn.MaxPoolNd; // true
 * ```
 */
export abstract class MaxPoolNd extends Module {
  readonly kernelSize: Size;
  /** The kernel size unless given. */
  readonly stride: Size;
  readonly padding: Size;
  readonly dilation: Size;
  readonly ceilMode: boolean;
  /** @internal the spatial dims: 1 or 2 */
  private readonly n: number;

  protected constructor(n: number, kernelSize: Size, opts: MaxPoolOptions) {
    super();
    const o = checkOptions(new.target.name, opts, MAX_POOL_OPTIONS);
    const p = poolParams(new.target.name, n, kernelSize, o);
    this.n = n;
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.ceilMode = p.ceilMode;
  }

  forward(x: Tensor): Tensor {
    checkRank(this, x, this.n);
    const opts = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
    return (this.n === 1 ? maxPool1d : maxPool2d)(x, this.kernelSize, opts);
  }

  override extraRepr(): string {
    return `kernelSize=${reprValue(this.kernelSize)}, stride=${reprValue(this.stride)}, padding=${reprValue(this.padding)}, dilation=${reprValue(this.dilation)}, ceilMode=${this.ceilMode}`;
  }
}

/**
 * 1-d max pooling ({@link F.maxPool1d}), as PyTorch's `nn.MaxPool1d`.
 *
 * @example
 * ```ts
 * const pool = new nn.MaxPool1d(2);
 * pool.forward(tensor([[[1, 3, 2, 5]]])).toArray(); // [[[3, 5]]]
 * pool.toString(); // "MaxPool1d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)"
 * ```
 */
export class MaxPool1d extends MaxPoolNd {
  constructor(kernelSize: Size, opts: MaxPoolOptions = {}) {
    super(1, kernelSize, opts);
  }
}

/**
 * 2-d max pooling ({@link F.maxPool2d}), as PyTorch's `nn.MaxPool2d`.
 *
 * @example
 * ```ts
 * const pool = new nn.MaxPool2d(2);
 * pool.forward(zeros([8, 6, 28, 28])).shape; // [8, 6, 14, 14]
 * const p3 = new nn.MaxPool2d(3, { stride: 2, padding: 1 });
 * p3.toString(); // "MaxPool2d(kernelSize=3, stride=2, padding=1, dilation=1, ceilMode=false)"
 * ```
 */
export class MaxPool2d extends MaxPoolNd {
  constructor(kernelSize: Size, opts: MaxPoolOptions = {}) {
    super(2, kernelSize, opts);
  }
}

/**
 * What AvgPool1d and AvgPool2d share (PyTorch's `_AvgPoolNd`).
 *
 * @example
 * ```ts
 * new nn.AvgPool1d(2) instanceof nn.AvgPoolNd; // true
 * ```
 */
export abstract class AvgPoolNd extends Module {
  readonly kernelSize: Size;
  /** The kernel size unless given. */
  readonly stride: Size;
  readonly padding: Size;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
  /** @internal the spatial dims: 1 or 2 */
  private readonly n: number;

  protected constructor(n: number, kernelSize: Size, opts: AvgPool2dOptions) {
    super();
    const name = new.target.name;
    const o = checkOptions(name, opts, avgPoolOptions(n));
    const p = poolParams(name, n, kernelSize, o);
    const a = avgPoolParams(name, o);
    this.n = n;
    // as PyTorch, AvgPool1d keeps its sizes as 1-element lists, AvgPool2d as given
    this.kernelSize = n === 1 ? p.kernel : kernelSize;
    this.stride = n === 1 ? p.stride : opts.stride ?? kernelSize;
    this.padding = n === 1 ? p.padding : opts.padding ?? 0;
    this.ceilMode = p.ceilMode;
    this.countIncludePad = a.includePad;
    this.divisorOverride = a.override;
  }

  forward(x: Tensor): Tensor {
    checkRank(this, x, this.n);
    const opts = { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad };
    return this.n === 1 ? avgPool1d(x, this.kernelSize, opts) : avgPool2d(x, this.kernelSize, { ...opts, divisorOverride: this.divisorOverride });
  }

  override extraRepr(): string {
    return `kernelSize=${reprValue(this.kernelSize)}, stride=${reprValue(this.stride)}, padding=${reprValue(this.padding)}`;
  }
}

/**
 * 1-d average pooling ({@link F.avgPool1d}), as PyTorch's `nn.AvgPool1d`.
 *
 * @example
 * ```ts
 * const pool = new nn.AvgPool1d(2);
 * pool.forward(tensor([[[1, 3, 2, 6]]])).toArray(); // [[[2, 4]]]
 * pool.toString(); // "AvgPool1d(kernelSize=[2], stride=[2], padding=[0])"
 * ```
 */
export class AvgPool1d extends AvgPoolNd {
  constructor(kernelSize: Size, opts: Omit<AvgPool2dOptions, 'divisorOverride'> = {}) {
    super(1, kernelSize, opts);
  }
}

/**
 * 2-d average pooling ({@link F.avgPool2d}), as PyTorch's `nn.AvgPool2d`.
 *
 * @example
 * ```ts
 * const pool = new nn.AvgPool2d(2, { stride: 1 });
 * pool.forward(ones([1, 3, 4, 4])).shape; // [1, 3, 3, 3]
 * pool.toString(); // "AvgPool2d(kernelSize=2, stride=1, padding=0)"
 * ```
 */
export class AvgPool2d extends AvgPoolNd {
  constructor(kernelSize: Size, opts: AvgPool2dOptions = {}) {
    super(2, kernelSize, opts);
  }
}
