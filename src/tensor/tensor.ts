import { allocate, type DType, type TypedArray, isFloating } from './dtype.js';
import { contiguousStrides, numel } from './shape.js';
import { noteOutput, outputArray } from './pool.js';
import type { Node } from '../autograd/node.js';
import { ArgumentError, AutogradError, DTypeError, IndexError, ShapeError } from '../errors.js';
import { describeValue } from '../utils/args.js';

/**
 * The memory under one or more tensors. `version` counts in-place writes, so autograd can detect them.
 *
 * @example
 * ```ts
 * const x = arange(6);
 * x.reshape([2, 3]).storage === x.storage; // true (a view)
 * ```
 */
export class Storage {
  version = 0;
  /**
   * @internal For scratch storage (see pool.ts): how many graph nodes still hold it saved; undefined for
   * every other storage.
   */
  scratchReaders: number | undefined = undefined;
  /** @internal Whether the array went back to the pool. */
  released = false;
  private array: TypedArray;

  constructor(data: TypedArray) {
    this.array = data;
  }

  /** The typed array. Throws for scratch memory already given back to the pool (a library bug if reached). */
  get data(): TypedArray {
    if (this.released) throw new Error('tapegrad: a scratch tensor was read after its memory was recycled');
    return this.array;
  }

  /** @internal Hands the array over (to the pool) and empties this storage. */
  release(): TypedArray {
    const a = this.array;
    this.released = true;
    this.array = new (a.constructor as new (n: number) => TypedArray)(0);
    return a;
  }
}

/**
 * An n-dimensional array that records the differentiable operations applied to it.
 *
 * A tensor is a strided window `{storage, shape, strides, offset}` over a typed array. Views
 * (`reshape`/`view` of a contiguous tensor, `permute`, `transpose`, `expand`, `narrow`, `squeeze`,
 * `unsqueeze`, `flatten` of a contiguous tensor) share storage with their base; every other op writes a
 * new contiguous tensor.
 *
 * @example
 * ```ts
 * import { tensor } from 'tapegrad';
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * x.grad!.toArray(); // [[2, 4], [6, 8]]
 * ```
 */
export class Tensor {
  /** The memory under this tensor, shared with its views. */
  readonly storage: Storage;
  /** The size of each dim. Do not mutate. */
  readonly shape: readonly number[];
  /** Elements to step in storage for one step along each dim. */
  readonly strides: readonly number[];
  /** Index of element [0, 0, …] in storage. */
  readonly offset: number;
  readonly dtype: DType;
  /** The accumulated gradient, filled by `backward()` on leaves (and non-leaves that called `retainGrad()`). */
  grad: Tensor | null = null;
  /** @internal the node that produced this tensor, null for leaves */
  gradFn: Node | null = null;
  /** @internal */ _requiresGrad = false;
  /** @internal the node that accumulates into this leaf's .grad */
  _accumulator: Node | null = null;
  /** @internal */ _retainsGrad = false;

  /** @internal Use the creation functions (`tensor`, `zeros`, …) instead. */
  constructor(storage: Storage, shape: readonly number[], dtype: DType, strides?: readonly number[], offset = 0) {
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze(strides ? [...strides] : contiguousStrides(shape));
    this.offset = offset;
    this.dtype = dtype;
  }

  /** @internal A new contiguous tensor over fresh zeroed storage. */
  static empty(shape: readonly number[], dtype: DType): Tensor {
    return new Tensor(new Storage(allocate(dtype, numel(shape))), shape, dtype);
  }

  /**
   * @internal A new contiguous tensor for a kernel to fill: recycled scratch memory when the pool has an array
   * of this size (its old values still in it), else fresh. The kernel writes every element.
   */
  static output(shape: readonly number[], dtype: DType): Tensor {
    const n = numel(shape);
    const s = new Storage(outputArray(dtype, n));
    noteOutput(s, n);
    return new Tensor(s, shape, dtype);
  }

  /** @internal The typed array under this tensor (shared with its views). */
  get data(): TypedArray {
    return this.storage.data;
  }

  /** Number of dims. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  numel(): number {
    return numel(this.shape);
  }

  /** The size of `dim`, or the whole shape when `dim` is omitted (PyTorch's `size()`). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return [...this.shape];
    if (typeof dim !== 'number') throw new ArgumentError(`size: dim must be an integer, got ${describeValue(dim)}`);
    const d = dim < 0 ? dim + this.ndim : dim;
    if (!Number.isInteger(d) || d < 0 || d >= this.ndim) {
      const range = this.ndim === 0 ? 'a 0-d tensor has no dims' : `expected an integer in [${-this.ndim}, ${this.ndim - 1}]`;
      throw new IndexError(`size: dim ${dim} is out of range for a tensor of ${this.ndim} dims (${range})`);
    }
    return this.shape[d];
  }

  /** Whether gradients are recorded for this tensor. Only leaves may change it, and only float tensors may set it. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (typeof value !== 'boolean') {
      throw new ArgumentError(`requiresGrad: expected a boolean, got ${describeValue(value)}`);
    }
    if (this.gradFn && !value) {
      throw new AutogradError('requiresGrad: only leaf tensors can change requiresGrad; use detach() to get a tensor that does not require grad');
    }
    if (value && !isFloating(this.dtype)) {
      throw new DTypeError(`requiresGrad: only floating-point tensors can require gradients, got dtype ${this.dtype}`);
    }
    this._requiresGrad = value;
  }

  /** Sets `requiresGrad` in place and returns this tensor (PyTorch's `requires_grad_()`). */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /** True for tensors created by the user rather than by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Whether the elements sit in row-major order with no gaps, so the tensor can be viewed with any shape. */
  isContiguous(): boolean {
    let expected = 1;
    for (let i = this.ndim - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this.strides[i] !== expected) return false;
      expected *= this.shape[i];
    }
    return true;
  }

  /** The elements in row-major order as a new typed array of this dtype (bool as 0/1 bytes). */
  toTypedArray(): TypedArray {
    const n = this.numel();
    const out = allocate(this.dtype, n);
    if (this.isContiguous()) {
      out.set(this.data.subarray(this.offset, this.offset + n));
      return out;
    }
    const idx = new Array<number>(this.ndim).fill(0);
    for (let i = 0; i < n; i++) {
      let o = this.offset;
      for (let d = 0; d < this.ndim; d++) o += idx[d] * this.strides[d];
      out[i] = this.data[o];
      for (let d = this.ndim - 1; d >= 0; d--) {
        if (++idx[d] < this.shape[d]) break;
        idx[d] = 0;
      }
    }
    return out;
  }

  /** The elements as nested JS arrays (numbers, or booleans for bool tensors); a 0-d tensor gives a number. */
  toArray(): any {
    const flat = this.toTypedArray();
    const bool = this.dtype === 'bool';
    const build = (d: number, at: number): any => {
      if (d === this.ndim) return bool ? flat[at] !== 0 : flat[at];
      const stride = numel(this.shape.slice(d + 1));
      const out = new Array(this.shape[d]);
      for (let i = 0; i < this.shape[d]; i++) out[i] = build(d + 1, at + i * stride);
      return out;
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.numel() !== 1) {
      throw new ShapeError(`item: a tensor with ${this.numel()} elements (shape [${this.shape.join(', ')}]) cannot be converted to a number; expected exactly one element`);
    }
    return this.data[this.offset];
  }
}
