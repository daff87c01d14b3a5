import type { Tensor } from '../../tensor/tensor.js';
import { tensor, zeros } from '../../tensor/creation.js';
import { shapeStr } from '../../tensor/shape.js';
import { indexSelect } from '../../ops/shape.js';
import { Module, Parameter, checkInput, reprValue } from '../module.js';
import { conv1d, conv2d, type ConvOptions } from '../functional/conv.js';
import { checkBool, checkChoice, checkInt, checkOptions } from '../../utils/args.js';
import { convPadding, layouts, perDim, type Size } from '../functional/window.js';
import { checkInputDtype, moduleLabel, resetWeightAndBias } from './layer-utils.js';
import { ShapeError, ValueError } from '../../errors.js';

/** How a conv layer pads: with zeros (F.conv's own padding), or by mirroring, repeating or wrapping the input. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Options of {@link Conv1d} and {@link Conv2d}. */
export interface ConvLayerOptions extends ConvOptions {
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
  /** What the padding holds (default 'zeros'). */
  paddingMode?: PaddingMode;
}

const PADDING_MODES: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

/** Source position of padded position j (from −before) along a dim of length len. */
const SOURCE: Record<Exclude<PaddingMode, 'zeros'>, (j: number, len: number) => number> = {
  reflect: (j, len) => (j < 0 ? -j : j >= len ? 2 * (len - 1) - j : j),
  replicate: (j, len) => Math.min(Math.max(j, 0), len - 1),
  circular: (j, len) => ((j % len) + len) % len,
};

/** Pads the last spatial dims by gathering input positions (reflect, replicate, circular), as PyTorch's F.pad modes. */
function padByMode(label: string, x: Tensor, mode: Exclude<PaddingMode, 'zeros'>, before: readonly number[], after: readonly number[]): Tensor {
  let y = x;
  const n = before.length;
  for (let i = 0; i < n; i++) {
    const dim = x.ndim - n + i, len = x.shape[dim];
    const most = Math.max(before[i], after[i]);
    if ((mode === 'reflect' && most >= len) || (mode === 'circular' && most > len)) {
      throw new ValueError(`${label}: ${mode} padding of ${most} needs input size ${mode === 'reflect' ? 'greater than' : 'at least'} ${most} along spatial dim ${i}, got input of shape ${shapeStr(x.shape)}`);
    }
    const idx = Array.from({ length: before[i] + len + after[i] }, (_, j) => SOURCE[mode](j - before[i], len));
    y = indexSelect(y, dim, tensor(idx, { dtype: 'int32' }));
  }
  return y;
}

/**
 * What Conv1d and Conv2d share (PyTorch's `_ConvNd`): the parameters, their default init (uniform in
 * ±1/√fanIn with fanIn = inChannels/groups·∏kernelSize), the checks of the input and the printed settings.
 *
 * @example
 * ```ts
 * const convs = new nn.Sequential(new nn.Conv1d(1, 2, 3), new nn.Linear(2, 2), new nn.Conv2d(2, 2, 1));
 * convs.children().filter((m) => m instanceof nn.ConvNd).length; // 2
 * ```
 */
export abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'valid' | 'same';
  readonly dilation: number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  weight: Parameter;
  bias: Parameter | null;
  /** @internal the spatial dims: 1 or 2 */
  private readonly n: number;

  protected constructor(n: number, inChannels: number, outChannels: number, kernelSize: Size, opts: ConvLayerOptions) {
    super();
    const name = new.target.name;
    const o = checkOptions(name, opts, ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode']);
    this.n = n;
    this.inChannels = checkInt(name, 'inChannels', inChannels, 0);
    this.outChannels = checkInt(name, 'outChannels', outChannels, 0);
    this.kernelSize = perDim(name, 'kernelSize', kernelSize, n, 1);
    this.stride = perDim(name, 'stride', o.stride ?? 1, n, 1);
    this.dilation = perDim(name, 'dilation', o.dilation ?? 1, n, 1);
    this.groups = checkInt(name, 'groups', o.groups ?? 1, 1);
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw new ValueError(`${name}: inChannels (${inChannels}) and outChannels (${outChannels}) must be divisible by groups (${this.groups})`);
    }
    const padding = o.padding ?? 0;
    convPadding(name, padding, this.kernelSize, this.dilation, this.stride); // checks it
    this.padding = padding === 'valid' || padding === 'same' ? padding : perDim(name, 'padding', padding, n, 0);
    this.paddingMode = checkChoice(name, 'paddingMode', o.paddingMode ?? 'zeros', PADDING_MODES);
    this.weight = new Parameter(zeros([outChannels, inChannels / this.groups, ...this.kernelSize]));
    this.bias = checkBool(name, 'bias', o.bias ?? true) ? new Parameter(zeros([outChannels])) : null;
    this.resetParameters();
  }

  /** Draws the weight and bias again (PyTorch's default init). */
  resetParameters(): void {
    resetWeightAndBias(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    checkInput(this, x);
    checkInputDtype(this, x, this.weight);
    const n = this.n;
    if (x.ndim !== n + 1 && x.ndim !== n + 2) {
      throw new ShapeError(`${moduleLabel(this)}: expected a ${layouts(n)} input, got shape ${shapeStr(x.shape)}`);
    }
    if (x.shape[x.ndim - n - 1] !== this.inChannels) {
      throw new ShapeError(`${moduleLabel(this)}: expected input with ${this.inChannels} channels (dim ${x.ndim - n - 1}), got shape ${shapeStr(x.shape)}`);
    }
    const conv = n === 1 ? conv1d : conv2d;
    const opts = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode === 'zeros') return conv(x, this.weight, this.bias, { ...opts, padding: this.padding });
    const { before, after } = convPadding(moduleLabel(this), this.padding, this.kernelSize, this.dilation, this.stride);
    return conv(padByMode(moduleLabel(this), x, this.paddingMode, before, after), this.weight, this.bias, opts);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${reprValue(this.kernelSize)}, stride=${reprValue(this.stride)}`;
    if (typeof this.padding === 'string' || this.padding.some((p) => p !== 0)) s += `, padding=${reprValue(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${reprValue(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=false';
    if (this.paddingMode !== 'zeros') s += `, paddingMode=${reprValue(this.paddingMode)}`;
    return s;
  }
}

/**
 * A 1-d convolution layer ({@link F.conv1d}), as PyTorch's `nn.Conv1d`: input [N, inChannels, L] or
 * [inChannels, L].
 *
 * @example
 * ```ts
 * const conv = new nn.Conv1d(4, 8, 3, { padding: 1 });
 * conv.forward(zeros([2, 4, 10])).shape; // [2, 8, 10]
 * conv.weight.shape;                     // [8, 4, 3]
 * conv.toString(); // "Conv1d(4, 8, kernelSize=[3], stride=[1], padding=[1])"
 * ```
 */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, opts: ConvLayerOptions = {}) {
    super(1, inChannels, outChannels, kernelSize, opts);
  }
}

/**
 * A 2-d convolution layer ({@link F.conv2d}), as PyTorch's `nn.Conv2d`: input [N, inChannels, H, W] or
 * [inChannels, H, W]. `paddingMode` 'reflect', 'replicate' or 'circular' pads the input that way first.
 *
 * @example
 * ```ts
 * const conv = new nn.Conv2d(1, 6, 5, { padding: 2 });
 * conv.forward(zeros([8, 1, 28, 28])).shape; // [8, 6, 28, 28]
 * conv.toString(); // "Conv2d(1, 6, kernelSize=[5, 5], stride=[1, 1], padding=[2, 2])"
 * new nn.Conv2d(4, 4, 3, { groups: 2, bias: false }).weight.shape; // [4, 2, 3, 3]
 * ```
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, opts: ConvLayerOptions = {}) {
    super(2, inChannels, outChannels, kernelSize, opts);
  }
}
