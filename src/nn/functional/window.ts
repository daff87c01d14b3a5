// Shared argument handling of the windowed functions (conv, pool): options, per-dim sizes, the optional batch
// dim, and PyTorch's output-size rule of pooling. Internal: not re-exported by F. The generic checks are in
// ../../utils/args.ts.
import type { Tensor } from '../../tensor/tensor.js';
import { shapeStr } from '../../tensor/shape.js';
import { squeeze, unsqueeze } from '../../ops/shape.js';
import { checkBool, describeValue } from '../../utils/args.js';
import { ArgumentError, DTypeError, ShapeError, ValueError } from '../../errors.js';

/** A size or amount per spatial dim, or one number for all of them. */
export type Size = number | readonly number[];

/** Names of the spatial dims of an n-d windowed op (n = 1 or 2). */
export function spatialNames(n: number): string[] {
  return n === 1 ? ['L'] : ['H', 'W'];
}

/** One integer ≥ min per spatial dim from a number or a list of n numbers. */
export function perDim(op: string, name: string, v: unknown, n: number, min: number): number[] {
  const list = typeof v === 'number' ? new Array<number>(n).fill(v) : Array.isArray(v) ? [...v] : null;
  if (list === null) throw new ArgumentError(`${op}: ${name} must be an integer or an array of ${n === 1 ? 'one integer' : `${n} integers`}, got ${describeValue(v)}`);
  if (list.length !== n || !list.every((k) => Number.isInteger(k) && k >= min)) {
    throw new ValueError(`${op}: ${name} must be ${n === 1 ? 'an integer' : `an integer or ${n} integers`} ≥ ${min}, got ${describeValue(v)}`);
  }
  return list;
}

/** The input layouts of an n-d windowed op, for messages: `3-d [C, H, W] (unbatched) or 4-d [N, C, H, W]`. */
export function layouts(n: number): string {
  const sp = spatialNames(n).join(', ');
  return `${n + 1}-d [C, ${sp}] (unbatched) or ${n + 2}-d [N, C, ${sp}] (batched)`;
}

/** The input with a batch dim (added when it is unbatched), and a function that removes it again. */
export function batched(op: string, x: Tensor, n: number): { x: Tensor; unbatch: (y: Tensor) => Tensor } {
  if (x.ndim === n + 2) return { x, unbatch: (y) => y };
  if (x.ndim === n + 1) return { x: unsqueeze(x, 0), unbatch: (y) => squeeze(y, 0) };
  throw new ShapeError(`${op}: expected a ${layouts(n)} input, got shape ${shapeStr(x.shape)}`);
}

/** Checks pooling's window settings (the stride defaults to the kernel size, also when null or []; padding at most half the kernel). */
export function poolParams(op: string, n: number, kernelSize: unknown, o: Record<string, unknown>) {
  const kernel = perDim(op, 'kernelSize', kernelSize, n, 1);
  const noStride = o.stride === undefined || o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0);
  const stride = noStride ? kernel : perDim(op, 'stride', o.stride, n, 1);
  const padding = perDim(op, 'padding', o.padding ?? 0, n, 0);
  const dilation = perDim(op, 'dilation', o.dilation ?? 1, n, 1);
  const ceilMode = checkBool(op, 'ceilMode', o.ceilMode ?? false);
  if (padding.some((p, i) => p > Math.floor(kernel[i] / 2))) {
    throw new ValueError(`${op}: padding must be at most half the kernel size, got padding ${shapeStr(padding)} for kernel ${shapeStr(kernel)}`);
  }
  return { kernel, stride, padding, dilation, ceilMode };
}

export const MAX_POOL_OPTIONS = ['stride', 'padding', 'dilation', 'ceilMode'];

/** The options of avgPool1d (avgPool2d also takes divisorOverride, as PyTorch's). */
export function avgPoolOptions(n: number): string[] {
  return ['stride', 'padding', 'ceilMode', 'countIncludePad', ...(n === 2 ? ['divisorOverride'] : [])];
}

/** Checks average pooling's own options. */
export function avgPoolParams(op: string, o: Record<string, unknown>): { includePad: boolean; override: number | null } {
  const includePad = checkBool(op, 'countIncludePad', o.countIncludePad ?? true);
  const override = o.divisorOverride ?? null;
  if (override !== null && (typeof override !== 'number' || !Number.isInteger(override) || override === 0)) {
    throw new (typeof override === 'number' ? ValueError : ArgumentError)(`${op}: divisorOverride must be a non-zero integer, got ${describeValue(override)}`);
  }
  return { includePad, override: override as number | null };
}

/**
 * Output length of a pooling window along one dim, PyTorch's rule: with ceilMode the count rounds up, but the
 * last window must start inside the input or the left padding.
 */
export function poolOutputLength(len: number, k: number, s: number, p: number, d: number, ceilMode: boolean): number {
  let out = Math.floor((len + 2 * p - d * (k - 1) - 1 + (ceilMode ? s - 1 : 0)) / s) + 1;
  if (ceilMode && (out - 1) * s >= len + p) out--;
  return out;
}

/** Checks that weight and bias (when given) share the input's dtype, as PyTorch requires; bool is refused. */
export function checkSameDtype(op: string, input: Tensor, weight: Tensor, bias: Tensor | null): void {
  if (input.dtype === 'bool') throw new DTypeError(`${op}: not defined for bool input (shape ${shapeStr(input.shape)})`);
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t && t.dtype !== input.dtype) {
      throw new DTypeError(`${op}: expected ${name} of the input's dtype ${input.dtype}, got ${t.dtype}`);
    }
  }
}

/** The zero padding before and after each spatial dim that a conv's `padding` option asks for. */
export function convPadding(op: string, padding: unknown, kernel: readonly number[], dilation: readonly number[], stride: readonly number[]): { before: number[]; after: number[] } {
  const n = kernel.length;
  if (padding === 'same') {
    if (stride.some((s) => s !== 1)) throw new ValueError(`${op}: padding='same' needs stride 1, got stride ${shapeStr(stride)}`);
    // total d·(k−1) split as PyTorch does: the odd one out goes after (right/bottom)
    const before = kernel.map((k, i) => Math.floor((dilation[i] * (k - 1)) / 2));
    return { before, after: kernel.map((k, i) => dilation[i] * (k - 1) - before[i]) };
  }
  if (typeof padding === 'string' && padding !== 'valid') {
    throw new ValueError(`${op}: padding must be 'valid', 'same', an integer or ${n} integers ≥ 0, got ${describeValue(padding)}`);
  }
  const p = perDim(op, 'padding', padding === 'valid' ? 0 : padding ?? 0, n, 0);
  return { before: p, after: p };
}
