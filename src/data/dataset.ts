// torch.utils.data for tapegrad: the Dataset contract, TensorDataset, Subset and randomSplit, and DataLoader
// (batches, seeded per-epoch shuffles, dropLast, a batch transform).
import { Tensor } from '../tensor/tensor.js';
import { allocate, getDefaultDtype } from '../tensor/dtype.js';
import { fromData, tensor } from '../tensor/creation.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { indexSelect, narrow, reshape, stack } from '../ops/shape.js';
import { numel, sameShape, shapeStr } from '../tensor/shape.js';
import { checkBool, checkInt, checkOptions, describeValue } from '../utils/args.js';
import { generatorFrom, permutation, type SeedOptions } from './rng.js';
import { ArgumentError, IndexError, ShapeError, ValueError } from '../errors.js';

/**
 * A map-style dataset, as PyTorch's `Dataset`: `length` items, item i from `get(i)`. `getBatch`, when present,
 * builds a whole batch at once (a fast path DataLoader uses instead of stacking the items).
 */
export interface Dataset<T = Tensor[]> {
  /** The number of items. */
  readonly length: number;
  /** Item i, 0 ≤ i < length. */
  get(i: number): T;
  /** The items at `indices`, batched (each tensor stacked along a new dim 0). */
  getBatch?(indices: readonly number[]): T;
}

/** A batch as DataLoader yields it: one tensor per element of the items (e.g. [x, y]). */
export type Batch = Tensor[];

function checkIndex(op: string, i: unknown, n: number): number {
  if (typeof i !== 'number' || !Number.isInteger(i) || i < -n || i >= n) {
    throw new (typeof i === 'number' ? IndexError : ArgumentError)(`${op}: index ${describeValue(i, 'value')} is out of range for a dataset of ${n} items (expected an integer in [${-n}, ${n}))`);
  }
  return i < 0 ? i + n : i;
}

function checkIndices(op: string, indices: unknown, n: number): number[] {
  if (!Array.isArray(indices)) throw new ArgumentError(`${op}: expected an array of indices, got ${describeValue(indices, 'object')}`);
  return indices.map((i) => checkIndex(op, i, n));
}

/**
 * The batch of some items, as PyTorch's `default_collate`: an item is an array (a tuple) of tensors or numbers,
 * or one tensor or number (a one-element tuple); element k of the batch stacks element k of every item along a
 * new dim 0. Numbers give a 1-D tensor: int32 when all are integers, else the default float dtype. DataLoader
 * batches this way the items of a dataset without `getBatch`.
 *
 * @example
 * ```ts
 * const [x, y] = data.collate([[tensor([1, 2]), 0], [tensor([3, 4]), 1]]);
 * x.toArray();  // [[1, 2], [3, 4]]
 * y.toArray();  // [0, 1]
 * y.dtype === 'int32'; // true
 * ```
 */
export function collate(items: readonly unknown[], op = 'collate'): Batch {
  if (items.length === 0) throw new ValueError(`${op}: cannot batch zero items, expected at least one`);
  const tuples = items.map((it) => (Array.isArray(it) ? it : [it]));
  const k = tuples[0].length;
  return Array.from({ length: k }, (_, j) => {
    const col = tuples.map((t, i) => {
      if (t.length !== k) throw new ShapeError(`${op}: item ${i} has ${t.length} elements but item 0 has ${k}`);
      return t[j] as unknown;
    });
    if (col.every((v) => v instanceof Tensor)) {
      const bad = col.findIndex((v) => !sameShape(v.shape, (col[0] as Tensor).shape));
      if (bad >= 0) throw new ShapeError(`${op}: element ${j} of item ${bad} has shape ${shapeStr((col[bad] as Tensor).shape)} but in item 0 it has shape ${shapeStr((col[0] as Tensor).shape)}`);
      return stack(col as Tensor[]);
    }
    if (col.every((v) => typeof v === 'number')) {
      return tensor(col as number[], { dtype: (col as number[]).every(Number.isInteger) ? 'int32' : getDefaultDtype() });
    }
    const bad = col.find((v) => !(v instanceof Tensor) && typeof v !== 'number');
    throw new ArgumentError(`${op}: element ${j} of the items must be all Tensors or all numbers, got ${describeValue(bad ?? col[0], 'object')} among them`);
  });
}

/**
 * A dataset of tensors that share their first dim, as PyTorch's `TensorDataset`: item i is the i-th slice of
 * each (views; a negative i counts from the end), and a batch selects rows of each with `indexSelect`.
 *
 * @example
 * ```ts
 * const ds = new data.TensorDataset(tensor([[1, 2], [3, 4], [5, 6]]), tensor([0, 1, 0], { dtype: 'int32' }));
 * ds.length;                                       // 3
 * ds.get(1).map((t) => t.toArray());               // [[3, 4], 1]
 * ds.getBatch([2, 0]).map((t) => t.toArray());     // [[[5, 6], [1, 2]], [0, 0]]
 * ```
 */
export class TensorDataset implements Dataset<Tensor[]> {
  /** The tensors, as given. */
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new ArgumentError('TensorDataset: expected at least one Tensor, got none');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new ArgumentError(`TensorDataset: argument ${i} must be a Tensor, got ${describeValue(t, 'object')}`);
      if (t.ndim === 0) throw new ShapeError(`TensorDataset: tensor ${i} is 0-d; every tensor needs a first dim to index`);
      if (t.shape[0] !== tensors[0].shape[0]) {
        throw new ShapeError(`TensorDataset: size mismatch between tensors: tensor ${i} has shape ${shapeStr(t.shape)} but tensor 0 has ${tensors[0].shape[0]} rows (shape ${shapeStr(tensors[0].shape)})`);
      }
    });
    this.tensors = Object.freeze([...tensors]);
  }

  /** The number of rows. */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  /** Row i of each tensor (a view). */
  get(i: number): Tensor[] {
    const k = checkIndex('TensorDataset.get', i, this.length);
    return this.tensors.map((t) => reshape(narrow(t, 0, k, 1), t.shape.slice(1)));
  }

  /**
   * Rows `indices` of each tensor, in that order: `indexSelect(t, 0, indices)`, done as a copy of whole rows when
   * t is contiguous and not recorded for autograd (the same values, several times faster).
   */
  getBatch(indices: readonly number[]): Tensor[] {
    const rows = checkIndices('TensorDataset.getBatch', indices, this.length);
    return this.tensors.map((t) => {
      if (!t.isContiguous() || (t.requiresGrad && isGradEnabled())) return indexSelect(t, 0, tensor(rows, { dtype: 'int32' }));
      const size = numel(t.shape.slice(1));
      const out = allocate(t.dtype, rows.length * size);
      rows.forEach((r, k) => out.set(t.data.subarray(t.offset + r * size, t.offset + (r + 1) * size), k * size));
      return fromData(out, [rows.length, ...t.shape.slice(1)], t.dtype);
    });
  }
}

/**
 * The items of `dataset` at `indices`, as PyTorch's `Subset`; batches go through the dataset's `getBatch` when
 * it has one.
 *
 * @example
 * ```ts
 * const ds = new data.TensorDataset(arange(10));
 * const evens = new data.Subset(ds, [0, 2, 4, 6, 8]);
 * evens.length;                          // 5
 * evens.get(3)[0].item();                // 6
 * evens.getBatch([1, 4])[0].toArray();   // [2, 8]
 * ```
 */
export class Subset<T = Tensor[]> implements Dataset<T> {
  /** The positions in `dataset` of this subset's items. */
  readonly indices: readonly number[];

  constructor(readonly dataset: Dataset<T>, indices: readonly number[]) {
    checkDataset('Subset', dataset);
    this.indices = Object.freeze(checkIndices('Subset', indices, dataset.length));
  }

  get length(): number {
    return this.indices.length;
  }

  get(i: number): T {
    return this.dataset.get(this.indices[checkIndex('Subset.get', i, this.length)]);
  }

  getBatch(indices: readonly number[]): T {
    const at = checkIndices('Subset.getBatch', indices, this.length).map((i) => this.indices[i]);
    return this.dataset.getBatch ? this.dataset.getBatch(at) : (collate(at.map((i) => this.dataset.get(i)), 'Subset.getBatch') as T);
  }
}

function checkDataset(op: string, dataset: unknown): asserts dataset is Dataset<unknown> {
  const d = dataset as Partial<Dataset<unknown>> | null;
  if (typeof d !== 'object' || d === null || typeof d.get !== 'function' || typeof d.length !== 'number' || !Number.isInteger(d.length) || d.length < 0) {
    throw new ArgumentError(`${op}: expected a dataset (an object with an integer length ≥ 0 and a get(i) method), got ${describeValue(dataset, 'object')}`);
  }
}

/**
 * Splits a dataset into non-overlapping random subsets, as PyTorch's `random_split`: `lengths` are item counts
 * summing to the dataset's length, or fractions summing to 1 (each gets ⌊fraction·n⌋ items, and the remainder
 * is dealt one by one from the first). The items are a Fisher–Yates permutation of 0..n−1 cut in order.
 *
 * @example
 * ```ts
 * const ds = new data.TensorDataset(arange(10));
 * const [train, val] = data.randomSplit(ds, [0.8, 0.2], { seed: 0 });
 * [train.length, val.length];                           // [8, 2]
 * [...train.indices, ...val.indices].sort((a, b) => a - b); // [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
 * ```
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], opts?: SeedOptions): Subset<T>[] {
  const op = 'randomSplit';
  const o = checkOptions(op, opts, ['seed', 'generator']);
  checkDataset(op, dataset);
  const n = dataset.length;
  if (!Array.isArray(lengths) || lengths.length === 0 || !lengths.every((l) => typeof l === 'number' && Number.isFinite(l) && l >= 0)) {
    throw new (Array.isArray(lengths) && lengths.every((l) => typeof l === 'number') ? ValueError : ArgumentError)(`${op}: lengths must be a non-empty array of numbers ≥ 0, got ${describeValue(lengths)}`);
  }
  let sizes = lengths;
  const total = lengths.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) < 1e-9) {
    const s = lengths.map((f) => Math.floor(n * f));
    const rest = n - s.reduce((a, b) => a + b, 0);
    for (let i = 0; i < rest; i++) s[i % s.length]++;
    sizes = s;
  } else if (!lengths.every(Number.isInteger) || total !== n) {
    throw new ValueError(`${op}: lengths must be item counts summing to the dataset's ${n} items, or fractions summing to 1; got ${describeValue(lengths)} (sum ${total})`);
  }
  const perm = Array.from(permutation(n, generatorFrom(op, o)));
  let at = 0;
  return sizes.map((m) => new Subset(dataset, perm.slice(at, (at += m))));
}

/** Options of {@link DataLoader}. */
export interface DataLoaderOptions extends SeedOptions {
  /** Items per batch (default 1). */
  batchSize?: number;
  /** Draw a new order of the items each epoch (default false: in order). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize (default false: keep it). */
  dropLast?: boolean;
  /** Applied to each batch before it is yielded (e.g. augmentation on the inputs; see `toBatchTransform`). */
  transform?: (batch: Batch) => Batch;
}

/**
 * Batches of a dataset, as PyTorch's `DataLoader`: each `for…of` is one epoch, yielding `length` batches — arrays
 * of tensors such as [x, y] — of `batchSize` items (the last one smaller unless `dropLast`). A batch comes from
 * the dataset's `getBatch` when it has one, else from stacking its items (see `collate`); `transform`, when
 * given, maps each batch.
 *
 * With `shuffle`, each epoch draws a new order of the items (a Fisher–Yates permutation) at its start, from the
 * loader's own generator: a new one from `seed`, the `generator` given, or else the global one (`manualSeed`).
 * So a loader with a seed gives the same sequence of epochs every time it is built, and different orders from
 * one epoch to the next. Without `shuffle`, batches follow the dataset's order and nothing is drawn.
 *
 * @example
 * ```ts
 * const ds = new data.TensorDataset(arange(10), arange(10).mul(2));
 * const loader = new data.DataLoader(ds, { batchSize: 4 });
 * loader.length;                                     // 3
 * [...loader].map(([x]) => x.toArray());             // [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
 * const shuffled = new data.DataLoader(ds, { batchSize: 4, shuffle: true, seed: 0, dropLast: true });
 * for (const [x, y] of shuffled) {
 *   x.mul(2).sub(y).abs().sum().item(); // 0
 * }
 * shuffled.length;                                   // 2
 * ```
 */
export class DataLoader<T = Tensor[]> implements Iterable<Batch> {
  /** Items per batch. */
  readonly batchSize: number;
  /** Whether each epoch draws a new order. */
  readonly shuffle: boolean;
  /** Whether a last batch smaller than batchSize is dropped. */
  readonly dropLast: boolean;
  /** The function applied to each batch, or null. */
  readonly transform: ((batch: Batch) => Batch) | null;
  /** The shuffles' generator (from seed or generator), or null for the global one at each epoch. */
  readonly #generator: Generator | null;

  constructor(readonly dataset: Dataset<T>, opts?: DataLoaderOptions) {
    const op = 'DataLoader';
    checkDataset(op, dataset);
    const o = checkOptions(op, opts, ['batchSize', 'shuffle', 'seed', 'generator', 'dropLast', 'transform']);
    this.batchSize = o.batchSize === undefined ? 1 : checkInt(op, 'batchSize', o.batchSize, 1);
    this.shuffle = o.shuffle === undefined ? false : checkBool(op, 'shuffle', o.shuffle);
    this.dropLast = o.dropLast === undefined ? false : checkBool(op, 'dropLast', o.dropLast);
    if (o.transform !== undefined && typeof o.transform !== 'function') {
      throw new ArgumentError(`${op}: transform must be a function from a batch to a batch, got ${describeValue(o.transform, 'object')}`);
    }
    this.transform = (o.transform as DataLoaderOptions['transform']) ?? null;
    this.#generator = generatorFrom(op, o, false);
  }

  /** The number of batches in an epoch: ⌈n / batchSize⌉, or ⌊n / batchSize⌋ with `dropLast`. */
  get length(): number {
    return (this.dropLast ? Math.floor : Math.ceil)(this.dataset.length / this.batchSize);
  }

  /** One epoch of batches. */
  *[Symbol.iterator](): Iterator<Batch> {
    const n = this.dataset.length;
    const order = this.shuffle ? permutation(n, this.#generator ?? defaultGenerator()) : null;
    const batches = this.length;
    for (let b = 0; b < batches; b++) {
      const start = b * this.batchSize;
      const indices = Array.from({ length: Math.min(this.batchSize, n - start) }, (_, i) => (order ? order[start + i] : start + i));
      const raw: unknown = this.dataset.getBatch ? this.dataset.getBatch(indices) : collate(indices.map((i) => this.dataset.get(i)), 'DataLoader');
      const batch = Array.isArray(raw) ? raw : [raw];
      yield this.transform ? checkBatch(this.transform(batch)) : batch;
    }
  }
}

function checkBatch(b: unknown): Batch {
  if (!Array.isArray(b) || !b.every((t) => t instanceof Tensor)) {
    throw new ArgumentError(`DataLoader: transform must return an array of Tensors, got ${describeValue(b, 'object')}`);
  }
  return b;
}
