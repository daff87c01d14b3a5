/** Shape arithmetic shared by tensors, ops and kernels. */
import { ArgumentError, IndexError, ValueError } from '../errors.js';
import { describeValue } from '../utils/args.js';

/**
 * The most elements a tensor may hold: the longest typed array JavaScript engines allocate (2^32 in V8). A
 * larger shape is refused where it is asked for, instead of failing deep inside an allocation.
 */
export const MAX_NUMEL = 2 ** 32;

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i], 1);
  }
  return strides;
}

export function shapeStr(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting of any number of shapes, or null when they do not broadcast. */
export function tryBroadcastShapes(...shapes: (readonly number[])[]): number[] | null {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = nd - s.length + i;
      const d = s[i];
      if (d === out[j] || d === 1) continue;
      if (out[j] === 1) out[j] = d;
      else return null;
    }
  }
  return out;
}

/** Normalizes a possibly negative dim against `ndim` (a 0-d tensor accepts dims -1 and 0, as in PyTorch). */
export function normDim(op: string, dim: number, ndim: number, extra = 0): number {
  const n = Math.max(ndim + extra, 1);
  if (typeof dim !== 'number') throw new ArgumentError(`${op}: dim must be an integer, got ${describeValue(dim)}`);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new IndexError(`${op}: dim ${dim} is out of range for a tensor of ${ndim} dims (expected an integer in [${-n}, ${n - 1}])`);
  }
  return dim < 0 ? dim + n : dim;
}

/** Normalizes `dim` (a number, a list, or undefined meaning all dims) into a sorted list of distinct dims. */
export function normDims(op: string, dim: number | readonly number[] | undefined | null, ndim: number): number[] {
  if (dim === undefined || dim === null) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof dim !== 'number' && !Array.isArray(dim)) {
    throw new ArgumentError(`${op}: dim must be an integer or an array of integers, got ${describeValue(dim)}`);
  }
  const list = typeof dim === 'number' ? [dim] : [...dim];
  if (list.length === 0) return Array.from({ length: ndim }, (_, i) => i);
  const out = list.map((d) => normDim(op, d, ndim));
  if (ndim === 0) return [];
  const sorted = [...new Set(out)].sort((a, b) => a - b);
  if (sorted.length !== out.length) throw new ValueError(`${op}: dim ${JSON.stringify(list)} repeats a dim; expected distinct dims`);
  return sorted;
}

/** Shape after reducing `dims`, keeping them as size 1 when `keepdim`. */
export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (dims.includes(i)) {
      if (keepdim) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}

/** Throws unless a tensor of `shape` (already checked to hold non-negative integers) fits in {@link MAX_NUMEL}. */
export function checkNumel(op: string, shape: readonly number[]): void {
  const n = numel(shape);
  if (n > MAX_NUMEL) {
    throw new ValueError(`${op}: shape ${shapeStr(shape)} has ${n} elements, more than the 2^32 a tensor can hold`);
  }
}

/** A shape argument: an array of non-negative integers (of any number of elements). */
export function checkSizes(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number')) {
    throw new ArgumentError(`${op}: expected a shape (an array of non-negative integers), got ${describeValue(shape)}`);
  }
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ValueError(`${op}: expected a shape of non-negative integers, got ${describeValue(shape)}`);
  }
  return [...shape];
}

/** A shape argument for a new tensor: an array of non-negative integers with at most {@link MAX_NUMEL} elements in all. */
export function checkShape(op: string, shape: unknown): number[] {
  const s = checkSizes(op, shape);
  checkNumel(op, s);
  return s;
}
