import { Tensor } from '../../tensor/tensor.js';
import { contiguousStrides, numel, shapeStr } from '../../tensor/shape.js';
import { tensor } from '../../tensor/creation.js';
import { add, div } from '../../autograd/prims.js';
import { expand, gather, pad, reshape } from '../../ops/shape.js';
import { argmax, sum } from '../../ops/reduction.js';
import { unfold } from '../../ops/linalg.js';
import { checkFloatArg, checkOptions } from '../../utils/args.js';
import { MAX_POOL_OPTIONS, avgPoolOptions, avgPoolParams, batched, poolOutputLength, poolParams, type Size } from './window.js';
import { markScratch, releaseScratch } from '../../tensor/pool.js';
import { ShapeError, ValueError } from '../../errors.js';

/** Options of {@link maxPool1d} and {@link maxPool2d}; a number applies to every spatial dim. */
export interface MaxPoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size | null;
  /** −∞ added on both sides of each spatial dim, at most half the kernel size (default 0). */
  padding?: Size;
  /** Spacing between window elements (default 1). */
  dilation?: Size;
  /** Round the window count up: a last, partial window is kept if it starts inside the input or the left padding. */
  ceilMode?: boolean;
}

/** Options of {@link avgPool1d}. */
export interface AvgPool1dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size | null;
  /** Zeros added on both sides of each spatial dim, at most half the kernel size (default 0). */
  padding?: Size;
  /** Round the window count up, as for {@link MaxPoolOptions.ceilMode}. */
  ceilMode?: boolean;
  /** Count the padding zeros in the divisor (default true). */
  countIncludePad?: boolean;
}

/** Options of {@link avgPool2d}. */
export interface AvgPool2dOptions extends AvgPool1dOptions {
  /** Divide every window's sum by this instead of the window size. */
  divisorOverride?: number | null;
}

interface Windows {
  /** The input, batched, padded on the left by `padding` and on the right as far as the last window reaches. */
  xp: Tensor;
  /** A tensor shaped like `xp` unfolded into its windows: [N, C, ∏kernel, ∏out]. */
  windows: (t: Tensor) => Tensor;
  out: number[];
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  unbatch: (y: Tensor) => Tensor;
}

/** Checks a pooling call and unfolds its windows; padded places hold `fill`. */
function poolWindows(op: string, n: number, input: Tensor, kernelSize: Size, o: Record<string, unknown>, fill: number): Windows {
  checkFloatArg(op, input);
  const { x, unbatch } = batched(op, input, n);
  if (x.shape.slice(1).includes(0)) {
    throw new ShapeError(`${op}: expected non-zero channel and spatial sizes (only the batch may be empty), got input of shape ${shapeStr(input.shape)}`);
  }
  const { kernel, stride, padding, dilation, ceilMode } = poolParams(op, n, kernelSize, o);
  const spatial = x.shape.slice(2);
  const out = spatial.map((len, i) => poolOutputLength(len, kernel[i], stride[i], padding[i], dilation[i], ceilMode));
  if (out.some((v) => v < 1)) {
    throw new ValueError(`${op}: input of shape ${shapeStr(input.shape)} is too small for kernel ${shapeStr(kernel)} (padding ${shapeStr(padding)}, dilation ${shapeStr(dilation)}): the output size would be ${shapeStr(out)}`);
  }
  // pad exactly as far as the last window reaches, so unfold gives `out` windows per dim
  const after = spatial.map((len, i) => Math.max(0, (out[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1 - padding[i] - len));
  const pads = spatial.map((_, i) => [padding[i], after[i]]).reverse().flat();
  const xp = pads.some((p) => p > 0) ? pad(x, pads, fill) : x;
  const [N, C] = x.shape;
  const windows = (t: Tensor) => {
    const cols = unfold(t, kernel, { stride, dilation });
    markScratch(cols); // read only by the reduction over each window: its memory is recycled after
    return reshape(cols, [N, C, numel(kernel), numel(out)]);
  };
  return { xp, windows, out, kernel, stride, padding, dilation, unbatch };
}

/** Σᵢ idxᵢ·stepᵢ for every multi-index idx of `sizes`, in row-major order, as an int32 tensor. */
function flatOffsets(sizes: readonly number[], steps: readonly number[]): Tensor {
  let acc = [0];
  sizes.forEach((size, i) => {
    acc = acc.flatMap((a) => Array.from({ length: size }, (_, j) => a + j * steps[i]));
  });
  return tensor(acc, { dtype: 'int32' });
}

function maxPoolNd(op: string, n: number, input: Tensor, kernelSize: Size, opts: MaxPoolOptions): Tensor {
  const o = checkOptions(op, opts, MAX_POOL_OPTIONS);
  const w = poolWindows(op, n, input, kernelSize, o, -Infinity);
  const [N, C, ...padded] = w.xp.shape;
  const K = numel(w.kernel);
  // The first maximum of each window (found off the tape) as a position in the flattened padded input; the
  // values are gathered from there, so the gradient goes to that one element, as PyTorch's max pooling, and
  // the backward is a single scatter into the input's shape (no window tensor to fold back).
  const cols = w.windows(w.xp.detach());
  const at = argmax(cols, 2);
  releaseScratch(cols.storage);
  const pstr = contiguousStrides(padded);
  const offsets = expand(reshape(flatOffsets(w.kernel, w.dilation.map((d, i) => d * pstr[i])), [1, 1, K]), [N, C, K]);
  const pos = add(gather(offsets, 2, at), flatOffsets(w.out, w.stride.map((s, i) => s * pstr[i])));
  const v = gather(reshape(w.xp, [N, C, numel(padded)]), 2, pos);
  return w.unbatch(reshape(v, [N, C, ...w.out]));
}

/** Window sums over the divisor per window (PyTorch's avg_pool rule, with or without the padding). */
function avgPoolNd(op: string, n: number, input: Tensor, kernelSize: Size, opts: AvgPool2dOptions): Tensor {
  const o = checkOptions(op, opts, avgPoolOptions(n));
  const { includePad, override } = avgPoolParams(op, o);
  const w = poolWindows(op, n, input, kernelSize, o, 0);
  const spatial = input.shape.slice(input.ndim - n);
  // per dim and window: the window's extent clipped to the padded input, and to the input itself
  const sizes = w.out.map((count, i) => Array.from({ length: count }, (_, j) => {
    const start = j * w.stride[i] - w.padding[i];
    const end = Math.min(start + w.kernel[i], spatial[i] + w.padding[i]);
    return includePad ? end - start : Math.min(end, spatial[i]) - Math.max(start, 0);
  }));
  const divisors = Array.from({ length: numel(w.out) }, (_, k) => {
    if (override !== null) return override;
    let d = 1;
    for (let i = n - 1, r = k; i >= 0; i--) {
      d *= sizes[i][r % w.out[i]];
      r = Math.floor(r / w.out[i]);
    }
    return d;
  });
  const [N, C] = w.xp.shape;
  const cols = w.windows(w.xp);
  const sums = sum(cols, 2);
  releaseScratch(cols.storage);
  const avg = div(sums, tensor(divisors, { dtype: input.dtype }));
  return w.unbatch(reshape(avg, [N, C, ...w.out]));
}

/**
 * 1-d max pooling, as PyTorch's `F.max_pool1d`: `input` [N, C, L] or [C, L]. The gradient goes to the first
 * maximum of each window.
 *
 * @example
 * ```ts
 * const x = tensor([[[1, 3, 2, 5, 4]]]);
 * F.maxPool1d(x, 2).toArray();                               // [[[3, 5]]]
 * F.maxPool1d(x, 2, { ceilMode: true }).toArray();           // [[[3, 5, 4]]]
 * F.maxPool1d(x, 3, { stride: 1, padding: 1 }).toArray();    // [[[3, 3, 5, 5, 5]]]
 * ```
 */
export function maxPool1d(input: Tensor, kernelSize: Size, opts: MaxPoolOptions = {}): Tensor {
  return maxPoolNd('maxPool1d', 1, input, kernelSize, opts);
}

/**
 * 2-d max pooling, as PyTorch's `F.max_pool2d`: `input` [N, C, H, W] or [C, H, W]; the stride defaults to
 * the kernel size. The gradient goes to the first maximum of each window.
 *
 * @example
 * ```ts
 * const x = arange(16, undefined, 1, { dtype: 'float32' }).reshape([1, 1, 4, 4]);
 * F.maxPool2d(x, 2).toArray(); // [[[[5, 7], [13, 15]]]]
 * F.maxPool2d(x, 3, { stride: 1 }).shape; // [1, 1, 2, 2]
 * ```
 */
export function maxPool2d(input: Tensor, kernelSize: Size, opts: MaxPoolOptions = {}): Tensor {
  return maxPoolNd('maxPool2d', 2, input, kernelSize, opts);
}

/**
 * 1-d average pooling, as PyTorch's `F.avg_pool1d`: `input` [N, C, L] or [C, L].
 *
 * @example
 * ```ts
 * const x = tensor([[[1, 2, 3, 4, 5]]]);
 * F.avgPool1d(x, 2).toArray();                                              // [[[1.5, 3.5]]]
 * F.avgPool1d(x, 2, { padding: 1 }).toArray();                              // [[[0.5, 2.5, 4.5]]]
 * F.avgPool1d(x, 2, { padding: 1, countIncludePad: false }).toArray();      // [[[1, 2.5, 4.5]]]
 * ```
 */
export function avgPool1d(input: Tensor, kernelSize: Size, opts: AvgPool1dOptions = {}): Tensor {
  return avgPoolNd('avgPool1d', 1, input, kernelSize, opts);
}

/**
 * 2-d average pooling, as PyTorch's `F.avg_pool2d`: `input` [N, C, H, W] or [C, H, W]; the stride defaults to
 * the kernel size. Padding zeros count in the divisor unless `countIncludePad` is false; `divisorOverride`
 * replaces the divisor.
 *
 * @example
 * ```ts
 * const x = arange(16, undefined, 1, { dtype: 'float32' }).reshape([1, 1, 4, 4]);
 * F.avgPool2d(x, 2).toArray(); // [[[[2.5, 4.5], [10.5, 12.5]]]]
 * F.avgPool2d(x, 2, { divisorOverride: 1 }).toArray(); // [[[[10, 18], [42, 50]]]]
 * ```
 */
export function avgPool2d(input: Tensor, kernelSize: Size, opts: AvgPool2dOptions = {}): Tensor {
  return avgPoolNd('avgPool2d', 2, input, kernelSize, opts);
}
