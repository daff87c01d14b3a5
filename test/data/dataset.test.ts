// TensorDataset, Subset and randomSplit, collate, and DataLoader: order without shuffle, length and dropLast,
// seeded shuffles (every index once per epoch, a new order each epoch, the same sequence of epochs for the same
// seed), the getBatch fast path against stacking items, the transform, and argument checks.
import { describe, expect, it } from 'vitest';
import { arange, createGenerator, data, manualSeed, noGrad, ones, tensor, ArgumentError, ValueError, type Tensor } from '../../src/index.js';

const ids = (n: number) => new data.TensorDataset(arange(n), arange(n).mul(10));
/** The first tensor of each batch of one epoch, as arrays of indices. */
const epoch = (loader: Iterable<Tensor[]>) => [...loader].map(([x]) => x.toArray() as number[]);

describe('TensorDataset', () => {
  it('indexes rows of every tensor: get(i) (negative from the end), getBatch(indices) in order', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const y = tensor([7, 8, 9], { dtype: 'int32' });
    const ds = new data.TensorDataset(x, y);
    expect(ds.length).toBe(3);
    expect(ds.get(0).map((t) => t.toArray())).toEqual([[1, 2], 7]);
    expect(ds.get(-1).map((t) => t.toArray())).toEqual([[5, 6], 9]);
    expect(ds.get(1)[0].storage).toBe(x.storage); // a view
    const [bx, by] = ds.getBatch([2, 0, 2]);
    expect([bx.toArray(), by.toArray(), by.dtype]).toEqual([[[5, 6], [1, 2], [5, 6]], [9, 7, 9], 'int32']);
    expect(ds.tensors).toEqual([x, y]);
  });

  it('getBatch copies rows of contiguous tensors, and gives what indexSelect gives for any tensor', () => {
    const x = arange(60).reshape([5, 3, 4]).to('float32');
    const views = [x, x.transpose(1, 2), x.narrow(0, 1, 4).narrow(2, 1, 2), x.narrow(0, 1, 4).to('float64')];
    for (const t of views) {
      const ix = [t.shape[0] - 1, 0, 2, 0];
      const [b] = new data.TensorDataset(t).getBatch(ix);
      expect([b.shape, b.dtype, b.toArray()]).toEqual([[4, ...t.shape.slice(1)], t.dtype, t.indexSelect(0, tensor(ix, { dtype: 'int32' })).toArray()]);
      expect(b.storage).not.toBe(x.storage);
    }
    expect(new data.TensorDataset(ones([4, 0])).getBatch([3, 1])[0].shape).toEqual([2, 0]);
    expect(new data.TensorDataset(ones([0, 2])).getBatch([])[0].shape).toEqual([0, 2]);
    // a tensor that requires grad: the batch is on the tape (indexSelect), unless under noGrad
    const w = ones([3, 2]).requiresGrad_();
    const [bw] = new data.TensorDataset(w).getBatch([2, 2]);
    bw.sum().backward();
    expect(w.grad!.toArray()).toEqual([[0, 0], [0, 0], [2, 2]]);
    expect(noGrad(() => new data.TensorDataset(w).getBatch([0])[0].requiresGrad)).toBe(false);
  });

  it('refuses tensors of different lengths, 0-d tensors, non-tensors and bad indices', () => {
    expect(() => new data.TensorDataset(ones([3, 2]), ones([4]))).toThrow(/TensorDataset: size mismatch between tensors: tensor 1 has shape \[4\] but tensor 0 has 3 rows/);
    expect(() => new data.TensorDataset()).toThrow(/expected at least one Tensor/);
    expect(() => new data.TensorDataset(tensor(1))).toThrow(/tensor 0 is 0-d/);
    expect(() => new data.TensorDataset([1, 2] as never)).toThrow(/TensorDataset: argument 0 must be a Tensor, got an array/);
    const ds = ids(3);
    expect(() => ds.get(3)).toThrow(/TensorDataset.get: index 3 is out of range for a dataset of 3 items/);
    expect(() => ds.get(1.5)).toThrow(RangeError);
    expect(() => ds.getBatch([0, -4])).toThrow(/TensorDataset.getBatch: index -4 is out of range/);
    expect(() => ds.getBatch(2 as never)).toThrow(/expected an array of indices, got 2/);
  });
});

describe('collate', () => {
  it('stacks tensors along a new dim 0 and turns numbers into a tensor (int32 for integers)', () => {
    const [a, b, c] = data.collate([[tensor([1, 2]), 3, 0.5], [tensor([4, 5]), 6, 1]]);
    expect([a.toArray(), b.toArray(), b.dtype, c.toArray(), c.dtype]).toEqual([[[1, 2], [4, 5]], [3, 6], 'int32', [0.5, 1], 'float32']);
    expect(data.collate([tensor([1]), tensor([2])])[0].toArray()).toEqual([[1], [2]]); // single-tensor items
  });

  it('refuses items of different lengths, shapes or kinds', () => {
    expect(() => data.collate([[tensor(1), 1], [tensor(2)]])).toThrow(/collate: item 1 has 1 elements but item 0 has 2/);
    expect(() => data.collate([tensor([1]), tensor([1, 2])])).toThrow(/collate: element 0 of item 1 has shape \[2\] but in item 0 it has shape \[1\]/);
    expect(() => data.collate([[tensor(1)], [2]])).toThrow(/collate: element 0 of the items must be all Tensors or all numbers/);
    expect(() => data.collate([])).toThrow(/cannot batch zero items/);
  });
});

describe('DataLoader', () => {
  it('without shuffle, yields the items in order; the last batch is kept unless dropLast', () => {
    const loader = new data.DataLoader(ids(10), { batchSize: 4 });
    expect(loader.length).toBe(3);
    expect(epoch(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    const [x, y] = [...loader][2];
    expect([x.dtype, y.toArray()]).toEqual(['int32', [80, 90]]);
    const dropped = new data.DataLoader(ids(10), { batchSize: 4, dropLast: true });
    expect([dropped.length, epoch(dropped)]).toEqual([2, [[0, 1, 2, 3], [4, 5, 6, 7]]]);
    const exact = new data.DataLoader(ids(8), { batchSize: 4, dropLast: true });
    expect([exact.length, epoch(exact).length]).toEqual([2, 2]);
    expect(new data.DataLoader(ids(3)).length).toBe(3); // batchSize 1 by default
    expect(new data.DataLoader(ids(3), { batchSize: 5, dropLast: true }).length).toBe(0);
    expect(epoch(new data.DataLoader(ids(3), { batchSize: 5, dropLast: true }))).toEqual([]);
    expect(loader.dataset).toBeInstanceOf(data.TensorDataset);
  });

  it('with shuffle, each epoch is a permutation: every index exactly once, x and y rows kept together', () => {
    const loader = new data.DataLoader(ids(103), { batchSize: 10, shuffle: true, seed: 1 });
    for (let e = 0; e < 3; e++) {
      const seen: number[] = [];
      for (const [x, y] of loader) {
        expect(y.toArray()).toEqual((x.toArray() as number[]).map((v) => v * 10));
        seen.push(...(x.toArray() as number[]));
      }
      expect([...seen].sort((a, b) => a - b)).toEqual([...Array(103).keys()]);
    }
    const dropped = [...new data.DataLoader(ids(103), { batchSize: 10, shuffle: true, seed: 1, dropLast: true })];
    expect(dropped.map(([x]) => x.shape[0])).toEqual(Array(10).fill(10));
  });

  it('a seed gives a new order each epoch and the same sequence of epochs on every run', () => {
    const make = (seed: number) => new data.DataLoader(ids(50), { batchSize: 8, shuffle: true, seed });
    const a = make(42);
    const run1 = [epoch(a), epoch(a), epoch(a)];
    expect(run1[1]).not.toEqual(run1[0]);
    expect(run1[2]).not.toEqual(run1[1]);
    const b = make(42);
    expect([epoch(b), epoch(b), epoch(b)]).toEqual(run1);
    expect(epoch(make(43))).not.toEqual(run1[0]);
    // a generator seeded the same way gives the same epochs; the global generator follows manualSeed
    const g = new data.DataLoader(ids(50), { batchSize: 8, shuffle: true, generator: createGenerator(42) });
    expect([epoch(g), epoch(g)]).toEqual(run1.slice(0, 2));
    manualSeed(7);
    const c = new data.DataLoader(ids(50), { batchSize: 8, shuffle: true });
    const first = [epoch(c), epoch(c)];
    manualSeed(7);
    expect([epoch(c), epoch(c)]).toEqual(first);
  });

  it('an epoch broken off early still leaves the next one a full permutation', () => {
    const loader = new data.DataLoader(ids(20), { batchSize: 3, shuffle: true, seed: 0 });
    for (const _ of loader) break;
    expect(epoch(loader).flat().sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('uses getBatch when the dataset has one, else stacks the items; both give the same batches', () => {
    const base = new data.TensorDataset(arange(24).reshape([6, 2, 2]).to('float32'), arange(6));
    let batched = 0, single = 0;
    const fast = { length: 6, get: (i: number) => base.get(i), getBatch: (ix: readonly number[]) => (batched++, base.getBatch(ix)) };
    const slow = { length: 6, get: (i: number) => (single++, base.get(i)) };
    const opts = { batchSize: 4, shuffle: true, seed: 3 };
    const A = [...new data.DataLoader(fast, opts)].map((b) => b.map((t) => [t.shape, t.dtype, t.toArray()]));
    const B = [...new data.DataLoader(slow, opts)].map((b) => b.map((t) => [t.shape, t.dtype, t.toArray()]));
    expect(A).toEqual(B);
    expect([batched, single]).toEqual([2, 6]);
    // items of numbers (a plain dataset of [x, label] pairs)
    const pairs = { length: 3, get: (i: number) => [tensor([i, i]), i] };
    expect([...new data.DataLoader(pairs, { batchSize: 3 })][0].map((t) => t.toArray())).toEqual([[[0, 0], [1, 1], [2, 2]], [0, 1, 2]]);
  });

  it('applies the transform to every batch', () => {
    const loader = new data.DataLoader(ids(5), { batchSize: 2, transform: ([x, y]) => [x.add(100), y] });
    expect(epoch(loader)).toEqual([[100, 101], [102, 103], [104]]);
    const toInput = new data.DataLoader(ids(4), { batchSize: 2, transform: data.toBatchTransform((t) => t.neg(), 1) });
    expect([...toInput].map((b) => b.map((t) => t.toArray()))).toEqual([[[0, 1], [0, -10]], [[2, 3], [-20, -30]]]);
    const bad = new data.DataLoader(ids(4), { transform: (() => 3) as never });
    expect(() => [...bad]).toThrow(/DataLoader: transform must return an array of Tensors, got 3/);
  });

  it('an empty dataset gives no batches', () => {
    const loader = new data.DataLoader({ length: 0, get: () => [] }, { shuffle: true, seed: 0 });
    expect([loader.length, [...loader]]).toEqual([0, []]);
  });

  it('checks its options', () => {
    const ds = ids(4);
    expect(() => new data.DataLoader(ds, { batchSize: 0 })).toThrow(/DataLoader: batchSize must be an integer ≥ 1, got 0/);
    expect(() => new data.DataLoader(ds, { batchSize: 2.5 })).toThrow(RangeError);
    expect(() => new data.DataLoader(ds, { batchSize: '2' as never })).toThrow(/DataLoader: batchSize must be an integer, got '2'/);
    expect(() => new data.DataLoader(ds, { batch_size: 2 } as never)).toThrow(/DataLoader: unknown option 'batch_size'/);
    expect(() => new data.DataLoader(ds, { shuffle: 'yes' as never })).toThrow(/DataLoader: shuffle must be a boolean, got 'yes'/);
    expect(() => new data.DataLoader(ds, { dropLast: 1 as never })).toThrow(/DataLoader: dropLast must be a boolean/);
    expect(() => new data.DataLoader(ds, { transform: 3 as never })).toThrow(/DataLoader: transform must be a function/);
    expect(() => new data.DataLoader(ds, { seed: 1, generator: createGenerator(1) })).toThrow(/^DataLoader: got both seed and generator, expected one of them$/);
    expect(() => new data.DataLoader([1, 2] as never)).toThrow(/DataLoader: expected a dataset \(an object with an integer length ≥ 0 and a get\(i\) method\), got an array/);
    expect(() => new data.DataLoader(ds, 4 as never)).toThrow(/DataLoader: expected an options object, got 4/);
  });
});

describe('Subset and randomSplit', () => {
  it('a Subset maps its indices into the dataset and batches through its getBatch', () => {
    const sub = new data.Subset(ids(10), [9, 3, 5]);
    expect([sub.length, sub.get(0)[1].item(), sub.get(-1)[0].item()]).toEqual([3, 90, 5]);
    expect(sub.getBatch([2, 0]).map((t) => t.toArray())).toEqual([[5, 9], [50, 90]]);
    const plain = new data.Subset({ length: 4, get: (i: number) => [tensor([i])] }, [3, 1]);
    expect(plain.getBatch([0, 1])[0].toArray()).toEqual([[3], [1]]);
    expect(() => new data.Subset(ids(3), [0, 3])).toThrow(/Subset: index 3 is out of range for a dataset of 3 items/);
  });

  it('randomSplit cuts a seeded permutation by counts or fractions', () => {
    const ds = ids(10);
    const [a, b] = data.randomSplit(ds, [7, 3], { seed: 0 });
    expect([a.length, b.length]).toEqual([7, 3]);
    expect([...a.indices, ...b.indices].sort((p, q) => p - q)).toEqual([...Array(10).keys()]);
    expect(data.randomSplit(ds, [7, 3], { seed: 0 }).map((s) => s.indices)).toEqual([a.indices, b.indices]);
    expect(data.randomSplit(ds, [7, 3], { seed: 1 })[0].indices).not.toEqual(a.indices);
    // fractions: ⌊f·n⌋ each, the remainder dealt from the first (PyTorch's rule)
    expect(data.randomSplit(ids(5), [0.5, 0.5], { seed: 0 }).map((s) => s.length)).toEqual([3, 2]);
    expect(data.randomSplit(ids(10), [0.1, 0.2, 0.7], { seed: 0 }).map((s) => s.length)).toEqual([1, 2, 7]);
    expect(() => data.randomSplit(ds, [5, 4])).toThrow(/randomSplit: lengths must be item counts summing to the dataset's 10 items, or fractions summing to 1; got \[5,4\] \(sum 9\)/);
    expect(() => data.randomSplit(ds, [0.5, 0.4])).toThrow(RangeError);
    expect(() => data.randomSplit(ds, [-1, 11])).toThrow(ValueError);
    expect(() => data.randomSplit(ds, ['a', 11] as never)).toThrow(ArgumentError);
  });
});
