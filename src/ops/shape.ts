import { Tensor } from '../tensor/tensor.js';
import { normDim, numel, shapeStr, tryBroadcastShapes, normDims } from '../tensor/shape.js';
import { coerce } from '../tensor/dtype.js';
import * as P from '../autograd/prims.js';
import { ArgumentError, DTypeError, IndexError, ShapeError, ValueError } from '../errors.js';
import { checkInt, checkTensorArg, describeValue } from '../utils/args.js';

function check(op: string, x: unknown, name?: string): asserts x is Tensor {
  checkTensorArg(op, x, name);
}

/** An array of numbers (a shape, a list of dims or sizes or pads), else an ArgumentError naming what it got. */
function checkNumberList(op: string, name: string, v: unknown, expected: string): asserts v is readonly number[] {
  if (!Array.isArray(v) || !v.every((d) => typeof d === 'number')) {
    throw new ArgumentError(`${op}: expected ${name} to be ${expected}, got ${describeValue(v)}`);
  }
}

function inferShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  checkNumberList(op, 'shape', shape, 'an array of integers (-1 for one inferred dim)');
  if (!shape.every((d) => Number.isInteger(d) && d >= -1)) {
    throw new ValueError(`${op}: expected a shape of integers (-1 for one inferred dim), got ${describeValue(shape)}`);
  }
  const free = shape.filter((d) => d === -1).length;
  if (free > 1) throw new ValueError(`${op}: only one dim can be inferred (-1), got ${shapeStr(shape)}`);
  const known = numel(shape.filter((d) => d !== -1));
  const out = [...shape];
  if (free === 1) {
    if (known === 0 || x.numel() % known !== 0) {
      throw new ShapeError(`${op}: shape ${shapeStr(shape)} is invalid for input of shape ${shapeStr(x.shape)} (${x.numel()} elements)`);
    }
    out[out.indexOf(-1)] = x.numel() / known;
  } else if (known !== x.numel()) {
    throw new ShapeError(`${op}: shape ${shapeStr(shape)} is invalid for input of shape ${shapeStr(x.shape)} (${x.numel()} elements)`);
  }
  return out;
}

/**
 * The same elements in a new shape (one dim may be -1, inferred). A view when the layout allows, else a copy.
 *
 * @example
 * ```ts
 * arange(6).reshape([2, -1]).shape; // [2, 3]
 * ```
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  check('reshape', x);
  return P.reshape(x, inferShape('reshape', x, shape));
}

/**
 * Like {@link reshape}, but always a view: throws when the strides do not allow one (call `contiguous()` first).
 *
 * @example
 * ```ts
 * arange(6).view([3, 2]).shape; // [3, 2]
 * ```
 */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  check('view', x);
  const s = inferShape('view', x, shape);
  if (!P.viewStrides(x, s)) {
    throw new ShapeError(`view: a tensor of shape ${shapeStr(x.shape)} and strides ${shapeStr(x.strides)} cannot be viewed as ${shapeStr(s)}; use reshape() (which copies) or call contiguous() first`);
  }
  return P.reshape(x, s);
}

/**
 * Merges dims `startDim`..`endDim` into one.
 *
 * @example
 * ```ts
 * zeros([2, 3, 4]).flatten(1).shape; // [2, 12]
 * ```
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  check('flatten', x);
  if (x.ndim === 0) return P.reshape(x, [1]);
  const s = normDim('flatten', startDim, x.ndim), e = normDim('flatten', endDim, x.ndim);
  if (s > e) throw new ValueError(`flatten: startDim ${startDim} comes after endDim ${endDim} for a tensor of ${x.ndim} dims`);
  return P.reshape(x, [...x.shape.slice(0, s), numel(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

/**
 * Removes dims of size 1: all of them, or only those named (a named dim whose size is not 1 is left as is).
 *
 * @example
 * ```ts
 * zeros([1, 3, 1]).squeeze().shape;  // [3]
 * zeros([1, 3, 1]).squeeze(0).shape; // [3, 1]
 * ```
 */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  check('squeeze', x);
  const dims = dim === undefined ? x.shape.map((_, i) => i) : normDims('squeeze', dim, x.ndim);
  return P.reshape(x, x.shape.filter((d, i) => !(d === 1 && dims.includes(i))));
}

/**
 * Inserts a dim of size 1 at `dim` (negative counts from the end of the result).
 *
 * @example
 * ```ts
 * zeros([3]).unsqueeze(0).shape;  // [1, 3]
 * zeros([3]).unsqueeze(-1).shape; // [3, 1]
 * ```
 */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  check('unsqueeze', x);
  const d = normDim('unsqueeze', dim, x.ndim, 1);
  return P.reshape(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

/**
 * Reorders dims (a view).
 *
 * @example
 * ```ts
 * zeros([2, 3, 4]).permute([2, 0, 1]).shape; // [4, 2, 3]
 * ```
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  check('permute', x);
  checkNumberList('permute', 'dims', dims, 'an array of dims');
  if (dims.length !== x.ndim) {
    throw new ShapeError(`permute: expected ${x.ndim} dims for a tensor of shape ${shapeStr(x.shape)}, got ${JSON.stringify(dims)}`);
  }
  const d = dims.map((k) => normDim('permute', k, x.ndim));
  if (new Set(d).size !== d.length) throw new ValueError(`permute: dims ${JSON.stringify(dims)} repeat a dim; expected each dim once`);
  return P.permute(x, d);
}

/**
 * Swaps two dims (a view).
 *
 * @example
 * ```ts
 * zeros([2, 3]).transpose(0, 1).shape; // [3, 2]
 * ```
 */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  check('transpose', x);
  if (x.ndim === 0) return x;
  const a = normDim('transpose', dim0, x.ndim), b = normDim('transpose', dim1, x.ndim);
  const dims = x.shape.map((_, i) => i);
  [dims[a], dims[b]] = [dims[b], dims[a]];
  return P.permute(x, dims);
}

/**
 * Broadcasts size-1 dims (and new leading dims) to `shape` without copying; -1 keeps a dim's size.
 *
 * @example
 * ```ts
 * tensor([[1], [2]]).expand([2, 3]).toArray(); // [[1, 1, 1], [2, 2, 2]]
 * ```
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  check('expand', x);
  checkNumberList('expand', 'shape', shape, 'an array of integers (-1 keeps a dim)');
  const lead = shape.length - x.ndim;
  const fail = () => new ShapeError(`expand: a tensor of shape ${shapeStr(x.shape)} cannot be expanded to ${shapeStr(shape)} (only size-1 dims can grow, and new dims go in front)`);
  if (!shape.every((d) => Number.isInteger(d) && d >= -1)) {
    throw new ValueError(`expand: expected a shape of integers (-1 keeps a dim), got ${describeValue(shape)}`);
  }
  if (lead < 0) throw fail();
  const out = shape.map((d, i) => {
    if (i >= lead && d === -1) return x.shape[i - lead];
    if (d < 0) throw fail();
    if (i >= lead && x.shape[i - lead] !== 1 && x.shape[i - lead] !== d) throw fail();
    return d;
  });
  return P.expand(x, out);
}

/**
 * Broadcasts tensors against each other (NumPy rules), returning expanded views.
 *
 * @example
 * ```ts
 * const [a, b] = broadcastTensors(zeros([3, 1]), zeros([4]));
 * a.shape; // [3, 4]
 * ```
 */
export function broadcastTensors(...xs: Tensor[]): Tensor[] {
  xs.forEach((x, i) => check('broadcastTensors', x, `argument ${i}`));
  const shape = tryBroadcastShapes(...xs.map((x) => x.shape));
  if (!shape) throw new ShapeError(`broadcastTensors: shapes ${xs.map((x) => shapeStr(x.shape)).join(', ')} cannot be broadcast together`);
  return xs.map((x) => P.expand(x, shape));
}

/**
 * Elements `start` .. `start + length - 1` along `dim` (a view). A negative start counts from the end.
 *
 * @example
 * ```ts
 * arange(5).narrow(0, 1, 3).toArray(); // [1, 2, 3]
 * ```
 */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  check('narrow', x);
  if (x.ndim === 0) throw new ShapeError('narrow: cannot be applied to a 0-d tensor; expected at least 1 dim');
  const d = normDim('narrow', dim, x.ndim);
  checkInt('narrow', 'start', start);
  checkInt('narrow', 'length', length);
  const size = x.shape[d];
  const s = start < 0 ? start + size : start;
  if (s < 0 || length < 0 || s + length > size) {
    throw new IndexError(`narrow: start ${start} and length ${length} do not fit in dim ${dim} of size ${size} (shape ${shapeStr(x.shape)})`);
  }
  return P.narrow(x, d, s, length);
}

function checkIndex(op: string, index: unknown): asserts index is Tensor {
  if (!(index instanceof Tensor)) throw new ArgumentError(`${op}: expected index to be an int32 Tensor, got ${describeValue(index, 'object')}`);
  if (index.dtype !== 'int32') throw new DTypeError(`${op}: expected index of dtype int32, got ${index.dtype} (shape ${shapeStr(index.shape)})`);
}

/**
 * Gathers values along `dim`: `out[i][j] = x[i][index[i][j]]` for dim 1. `index` is int32 with as many dims as
 * `x`, and no larger than `x` in the other dims.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * x.gather(1, tensor([[1], [0]], { dtype: 'int32' })).toArray(); // [[2], [3]]
 * ```
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  check('gather', x);
  checkIndex('gather', index);
  const d = normDim('gather', dim, x.ndim);
  if (index.ndim !== x.ndim || index.shape.some((s, i) => i !== d && s > x.shape[i])) {
    throw new ShapeError(`gather: index of shape ${shapeStr(index.shape)} does not fit input of shape ${shapeStr(x.shape)} along dim ${dim} (same number of dims, and no larger except in dim ${dim})`);
  }
  return P.gather(x, d, index);
}

/**
 * Adds `src` into a copy of `x` at positions `index` along `dim` (out-of-place `scatter_add`):
 * `out[i][index[i][j]] += src[i][j]` for dim 1.
 *
 * @example
 * ```ts
 * const idx = tensor([0, 0, 2], { dtype: 'int32' });
 * zeros([3]).scatterAdd(0, idx, tensor([1, 2, 3])).toArray(); // [3, 0, 3]
 * ```
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  check('scatterAdd', x);
  check('scatterAdd', src, 'src');
  checkIndex('scatterAdd', index);
  const d = normDim('scatterAdd', dim, x.ndim);
  if (index.ndim !== x.ndim || src.ndim !== x.ndim ||
      index.shape.some((s, i) => s > src.shape[i] || (i !== d && s > x.shape[i]))) {
    throw new ShapeError(`scatterAdd: index of shape ${shapeStr(index.shape)} does not fit self of shape ${shapeStr(x.shape)} and src of shape ${shapeStr(src.shape)} (same number of dims; index no larger than src, nor than self except in dim ${dim})`);
  }
  // The kernel checks every index against the size of dim, but it does not run when self is empty: an index
  // into an empty dim is refused here.
  if (x.ndim > 0 && x.shape[d] === 0 && index.numel() > 0) {
    throw new IndexError(`scatterAdd: index ${index.toTypedArray()[0]} is out of bounds for dim ${dim} with size 0 (the dim is empty; self has shape ${shapeStr(x.shape)})`);
  }
  const [a, b] = P.promote('scatterAdd', [x, src]);
  if (a.dtype !== x.dtype) throw new DTypeError(`scatterAdd: src of dtype ${src.dtype} cannot be added into self of dtype ${x.dtype}`);
  // bool: + is logical or (as PyTorch's scatter_add on bool), summed in int32 so no count wraps around
  if (a.dtype === 'bool') return P.ne(P.scatterAdd(P.cast(a, 'int32'), d, index, P.cast(b, 'int32')), 0);
  return P.scatterAdd(a, d, index, b);
}

/**
 * Selects entries along `dim` at the positions in the 1-D int32 `index`.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4], [5, 6]]).indexSelect(0, tensor([2, 0], { dtype: 'int32' })).toArray(); // [[5, 6], [1, 2]]
 * ```
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  check('indexSelect', x);
  checkIndex('indexSelect', index);
  if (index.ndim > 1) throw new ShapeError(`indexSelect: expected a 1-D index, got shape ${shapeStr(index.shape)}`);
  const d = normDim('indexSelect', dim, x.ndim);
  // PyTorch (since pytorch/pytorch#94347): "index_select(): Index to scalar can have only 1 value"
  if (x.ndim === 0 && index.numel() !== 1) {
    throw new IndexError(`indexSelect: got an index of ${index.numel()} values for a 0-d input, expected exactly 1 (an index into a scalar can have only 1 value)`);
  }
  const size = x.ndim === 0 ? 1 : x.shape[d];
  const bad = Array.from(index.toTypedArray()).find((k) => k < 0 || k >= size);
  if (bad !== undefined) {
    throw new IndexError(`indexSelect: index ${bad} is out of range for dim ${dim} of size ${size} (shape ${shapeStr(x.shape)})`);
  }
  if (x.ndim === 0) return P.gather(x, 0, P.reshape(index, []));
  const k = index.numel();
  const out = x.shape.map((s, i) => (i === d ? k : s));
  const idx = P.expand(P.reshape(index, x.shape.map((_, i) => (i === d ? k : 1))), out);
  return P.gather(x, d, idx);
}

function checkList(op: string, xs: unknown): asserts xs is Tensor[] {
  if (!Array.isArray(xs)) throw new ArgumentError(`${op}: expected a non-empty array of Tensors, got ${describeValue(xs, 'object')}`);
  if (xs.length === 0) throw new ArgumentError(`${op}: expected a non-empty array of Tensors, got an empty array`);
  const bad = xs.findIndex((x) => !(x instanceof Tensor));
  if (bad >= 0) throw new ArgumentError(`${op}: expected a non-empty array of Tensors, got ${describeValue(xs[bad], 'object')} at index ${bad}`);
}

/**
 * Joins tensors along an existing dim; all other dims must agree.
 *
 * @example
 * ```ts
 * cat([zeros([2, 3]), ones([1, 3])], 0).shape; // [3, 3]
 * ```
 */
export function cat(xs: readonly Tensor[], dim = 0): Tensor {
  checkList('cat', xs);
  // As in PyTorch, 1-D empty tensors join whatever the other shapes (a legacy convenience): each is reshaped
  // to the others' shape with 0 along dim, so it stays on the tape (its gradient is empty).
  const all = P.promote('cat', xs);
  const isEmpty1d = (x: Tensor) => x.ndim === 1 && x.numel() === 0;
  const ref = all.find((x) => !isEmpty1d(x)) ?? all[0];
  if (ref.ndim === 0) throw new ShapeError('cat: zero-dimensional tensors cannot be concatenated (expected at least 1 dim); use stack()');
  const d = normDim('cat', dim, ref.ndim);
  const emptyShape = ref.shape.map((s, k) => (k === d ? 0 : s));
  const parts = all.filter((x) => x === ref || !isEmpty1d(x) || x.requiresGrad).map((x) => (x !== ref && isEmpty1d(x) ? P.reshape(x, emptyShape) : x));
  parts.forEach((x, i) => {
    if (x.ndim !== ref.ndim || x.shape.some((s, k) => k !== d && s !== ref.shape[k])) {
      throw new ShapeError(`cat: tensor ${i} has shape ${shapeStr(x.shape)} but the first has shape ${shapeStr(ref.shape)}; all dims except dim ${dim} must match`);
    }
  });
  return parts.length === 1 ? parts[0] : P.catPrim(parts, d);
}

/**
 * Joins tensors of one shape along a new dim.
 *
 * @example
 * ```ts
 * stack([zeros([3]), ones([3])], 1).shape; // [3, 2]
 * ```
 */
export function stack(xs: readonly Tensor[], dim = 0): Tensor {
  checkList('stack', xs);
  const d = normDim('stack', dim, xs[0].ndim, 1);
  xs.forEach((x, i) => {
    if (x.ndim !== xs[0].ndim || x.shape.some((s, k) => s !== xs[0].shape[k])) {
      throw new ShapeError(`stack: tensor ${i} has shape ${shapeStr(x.shape)} but the first has shape ${shapeStr(xs[0].shape)}; all must match`);
    }
  });
  return cat(xs.map((x) => unsqueeze(x, d)), d);
}

/**
 * Splits into pieces along `dim`: of `size` each (the last may be smaller), or of the given sizes.
 *
 * @example
 * ```ts
 * arange(5).split(2).map((t) => t.toArray()); // [[0, 1], [2, 3], [4]]
 * arange(5).split([1, 4]).length;             // 2
 * ```
 */
export function split(x: Tensor, sizeOrSizes: number | readonly number[], dim = 0): Tensor[] {
  check('split', x);
  if (x.ndim === 0) throw new ShapeError('split: expected a tensor with at least 1 dim, got a 0-d tensor');
  const d = normDim('split', dim, x.ndim);
  const n = x.shape[d];
  let sizes: number[];
  if (typeof sizeOrSizes === 'number') {
    if (!Number.isInteger(sizeOrSizes) || sizeOrSizes <= 0) throw new ValueError(`split: size must be a positive integer, got ${sizeOrSizes}`);
    sizes = [];
    for (let at = 0; at < n; at += sizeOrSizes) sizes.push(Math.min(sizeOrSizes, n - at));
    if (n === 0) sizes.push(0);
  } else {
    checkNumberList('split', 'sizeOrSizes', sizeOrSizes, 'a size or an array of sizes');
    sizes = [...sizeOrSizes];
    if (!sizes.every((s) => Number.isInteger(s) && s >= 0) || sizes.reduce((a, b) => a + b, 0) !== n) {
      const E = sizes.every((s) => Number.isInteger(s) && s >= 0) ? ShapeError : ValueError;
      throw new E(`split: sizes ${JSON.stringify(sizes)} must be non-negative integers summing to ${n}, the size of dim ${dim} (shape ${shapeStr(x.shape)})`);
    }
  }
  let at = 0;
  return sizes.map((s) => {
    const piece = P.narrow(x, d, at, s);
    at += s;
    return piece;
  });
}

/**
 * Splits into `chunks` pieces of ceil(size / chunks) along `dim` (fewer when the size runs out).
 *
 * @example
 * ```ts
 * arange(6).chunk(3).length; // 3
 * ```
 */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  check('chunk', x);
  if (x.ndim === 0) throw new ShapeError('chunk: expected a tensor with at least 1 dim, got a 0-d tensor');
  if (typeof chunks !== 'number') throw new ArgumentError(`chunk: chunks must be a positive integer, got ${describeValue(chunks)}`);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ValueError(`chunk: chunks must be a positive integer, got ${chunks}`);
  const d = normDim('chunk', dim, x.ndim);
  const size = Math.ceil(x.shape[d] / chunks);
  return split(x, Math.max(size, 1), d);
}

/**
 * Pads with a constant (PyTorch's `F.pad`): `pads` lists (before, after) pairs starting from the LAST dim.
 * Negative amounts crop (together at most the dim's size). `value` is cast to the tensor's dtype (for bool,
 * any nonzero value is true).
 *
 * @example
 * ```ts
 * pad(ones([2, 2]), [1, 1]).shape;       // [2, 4]   (last dim padded on both sides)
 * pad(ones([2, 2]), [0, 0, 1, 0]).shape; // [3, 2]   (one row in front)
 * ```
 */
export function pad(x: Tensor, pads: readonly number[], value = 0): Tensor {
  check('pad', x);
  const expected = `an even number (at most ${2 * x.ndim}) of integer pads for a tensor of shape ${shapeStr(x.shape)}`;
  checkNumberList('pad', 'pads', pads, expected);
  if (pads.length % 2 !== 0 || pads.length > 2 * x.ndim || !pads.every(Number.isInteger)) {
    const E = pads.every(Number.isInteger) ? ShapeError : ValueError;
    throw new E(`pad: expected ${expected}, got ${describeValue(pads)}`);
  }
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ArgumentError(`pad: value must be a number, got ${describeValue(value, 'object')}`);
  // The value takes x's dtype as PyTorch casts it (coerce): any nonzero value (NaN and ±Infinity too) is true for
  // bool; int32 truncates, and refuses what no int32 holds.
  const v = Number(value);
  if (x.dtype === 'int32' && !(Math.trunc(v) >= -(2 ** 31) && Math.trunc(v) < 2 ** 31)) {
    throw new ValueError(`pad: got value ${v} for an int32 tensor, expected a value an int32 can hold (it cannot be converted without overflow)`);
  }
  const fill = coerce(x.dtype, v);
  const before = x.shape.map(() => 0), after = x.shape.map(() => 0);
  for (let k = 0; k < pads.length / 2; k++) {
    const d = x.ndim - 1 - k;
    before[d] = pads[2 * k];
    after[d] = pads[2 * k + 1];
    // PyTorch crops with narrow (the front crop, then the back one), so the crops together cannot take more
    // than the dim holds, even when the other side's padding would make up for it
    const crop = Math.max(0, -before[d]) + Math.max(0, -after[d]);
    if (crop > x.shape[d]) {
      throw new ShapeError(`pad: got pads ${JSON.stringify(pads)} that crop ${crop} from dim ${d} of size ${x.shape[d]} (input shape ${shapeStr(x.shape)}), expected crops of at most the dim's size`);
    }
  }
  // Crop the negative amounts off the source, then pad the positive ones.
  let y = x;
  for (let d = 0; d < x.ndim; d++) {
    const lo = Math.max(0, -before[d]);
    const len = x.shape[d] - lo - Math.max(0, -after[d]);
    if (lo > 0 || len < x.shape[d]) y = P.narrow(y, d, lo, len);
  }
  return P.pad(y, before.map((b) => Math.max(0, b)), after.map((a) => Math.max(0, a)), fill);
}

/**
 * A contiguous tensor with the same values: this tensor itself when already contiguous, else a copy.
 *
 * @example
 * ```ts
 * zeros([2, 3]).transpose(0, 1).contiguous().isContiguous(); // true
 * ```
 */
export function contiguous(x: Tensor): Tensor {
  check('contiguous', x);
  return x.isContiguous() ? x : P.copy(x);
}

/**
 * A copy with its own storage (differentiable: gradients flow back to `x`).
 *
 * @example
 * ```ts
 * const a = tensor([1, 2]);
 * const b = a.clone();
 * ```
 */
export function clone(x: Tensor): Tensor {
  check('clone', x);
  return P.copy(x);
}

/**
 * A tensor sharing `x`'s storage but cut off from the tape (it does not require grad).
 *
 * @example
 * ```ts
 * const w = randn([2], { requiresGrad: true });
 * w.detach().requiresGrad; // false
 * ```
 */
export function detach(x: Tensor): Tensor {
  check('detach', x);
  return new Tensor(x.storage, x.shape, x.dtype, x.strides, x.offset);
}
