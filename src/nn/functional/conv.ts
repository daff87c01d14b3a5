import { Tensor } from '../../tensor/tensor.js';
import { numel, shapeStr } from '../../tensor/shape.js';
import { add, unfoldPrim } from '../../autograd/prims.js';
import { pad, reshape } from '../../ops/shape.js';
import { matmul } from '../../ops/linalg.js';
import { checkInt, checkOptions, checkTensorArg, optionalTensorArg } from '../../utils/args.js';
import { batched, checkSameDtype, convPadding, perDim, spatialNames, type Size } from './window.js';
import { markScratch, releaseScratch } from '../../tensor/pool.js';
import { ShapeError, ValueError } from '../../errors.js';

/** Options of {@link conv1d} and {@link conv2d}; a number applies to every spatial dim. */
export interface ConvOptions {
  /** Step between windows (default 1). */
  stride?: Size;
  /** Zeros added on both sides of each spatial dim (default 0); `'valid'` is 0, `'same'` keeps the size (stride 1 only). */
  padding?: Size | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: Size;
  /** Splits input and output channels into this many independent groups (default 1). */
  groups?: number;
}

const CONV_OPTIONS = ['stride', 'padding', 'dilation', 'groups'];

/** conv1d and conv2d: unfold (im2col), one (batched, per-group) matmul with the weight, reshape, add the bias. */
function convNd(op: string, n: number, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: ConvOptions): Tensor {
  checkTensorArg(op, input, 'input');
  checkTensorArg(op, weight, 'weight');
  const b = optionalTensorArg(op, bias, 'bias');
  const o = checkOptions(op, opts, CONV_OPTIONS);
  checkSameDtype(op, input, weight, b);
  const { x, unbatch } = batched(op, input, n);
  if (weight.ndim !== n + 2) {
    throw new ShapeError(`${op}: expected weight of shape [outChannels, inChannels/groups, ${spatialNames(n).map((d) => `k${d}`).join(', ')}], got ${shapeStr(weight.shape)}`);
  }
  const g = checkInt(op, 'groups', o.groups ?? 1, 1);
  const kernel = weight.shape.slice(2);
  if (kernel.includes(0)) throw new ShapeError(`${op}: expected a non-empty kernel, got weight of shape ${shapeStr(weight.shape)}`);
  const [outC, inPerGroup] = weight.shape;
  const C = x.shape[1];
  if (outC % g !== 0) throw new ShapeError(`${op}: weight of shape ${shapeStr(weight.shape)} has ${outC} output channels, which groups=${g} does not divide`);
  if (C !== inPerGroup * g) {
    throw new ShapeError(`${op}: weight of shape ${shapeStr(weight.shape)} with groups=${g} expects input with ${inPerGroup * g} channels, got input of shape ${shapeStr(input.shape)} (${C} channels)`);
  }
  if (b && (b.ndim !== 1 || b.shape[0] !== outC)) {
    throw new ShapeError(`${op}: expected bias of shape [${outC}] for weight of shape ${shapeStr(weight.shape)}, got ${shapeStr(b.shape)}`);
  }
  const stride = perDim(op, 'stride', o.stride ?? 1, n, 1);
  const dilation = perDim(op, 'dilation', o.dilation ?? 1, n, 1);
  const { before, after } = convPadding(op, o.padding, kernel, dilation, stride);
  const spatial = x.shape.slice(2);
  const padded = spatial.map((s, i) => s + before[i] + after[i]);
  const extent = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
  if (padded.some((s, i) => s < extent[i])) {
    throw new ValueError(`${op}: kernel ${shapeStr(kernel)} with dilation ${shapeStr(dilation)} spans ${shapeStr(extent)}, more than the padded input size ${shapeStr(padded)}`);
  }
  // an odd 'same' total: the extra zero goes after, then unfold pads symmetrically
  const extra = after.map((a, i) => a - before[i]);
  const xp = extra.some((e) => e > 0) ? pad(x, extra.map((e) => [0, e]).reverse().flat()) : x;
  // the unfold primitive itself: the checks above cover it, and unlike the public unfold (PyTorch's im2col) a
  // convolution takes an input with no channels (PyTorch's conv does)
  const cols = unfoldPrim(xp, { kernel, stride, padding: before, dilation }); // [N, C·∏k, L]
  markScratch(cols); // read only by the matmul below (and its backward): its memory is recycled after
  const N = x.shape[0], L = cols.shape[2], K = numel(kernel);
  const counts = padded.map((s, i) => Math.floor((s - extent[i]) / stride[i]) + 1);
  const y = g === 1
    ? matmul(reshape(weight, [outC, C * K]), cols)
    : matmul(reshape(weight, [g, outC / g, inPerGroup * K]), reshape(cols, [N, g, inPerGroup * K, L]));
  releaseScratch(cols.storage);
  let out = reshape(y, [N, outC, ...counts]);
  if (b) out = add(out, reshape(b, [outC, ...counts.map(() => 1)]));
  return unbatch(out);
}

/**
 * 1-d convolution (cross-correlation, as PyTorch's `F.conv1d`): `input` [N, Cin, L] or [Cin, L], `weight`
 * [Cout, Cin/groups, k], `bias` [Cout].
 *
 * @example
 * ```ts
 * const x = tensor([[[1, 2, 3, 4]]]);
 * F.conv1d(x, tensor([[[1, -1]]])).toArray(); // [[[-1, -1, -1]]]
 * F.conv1d(x, tensor([[[1, 1, 1]]]), null, { padding: 'same' }).toArray(); // [[[3, 6, 9, 7]]]
 * ```
 */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  return convNd('conv1d', 1, input, weight, bias, opts);
}

/**
 * 2-d convolution (cross-correlation, as PyTorch's `F.conv2d`): `input` [N, Cin, H, W] or [Cin, H, W],
 * `weight` [Cout, Cin/groups, kH, kW], `bias` [Cout]. Computed as unfold (im2col) and a matmul.
 *
 * @example
 * ```ts
 * const x = ones([1, 1, 4, 4]);
 * F.conv2d(x, ones([2, 1, 3, 3])).shape;                                 // [1, 2, 2, 2]
 * F.conv2d(x, ones([1, 1, 3, 3]), tensor([1]), { padding: 1 }).toArray()[0][0][0]; // [5, 7, 7, 5]
 * F.conv2d(x, ones([4, 1, 2, 2]), null, { stride: 2 }).shape;            // [1, 4, 2, 2]
 * ```
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  return convNd('conv2d', 2, input, weight, bias, opts);
}
