// The wasm GEMM (asm/gemm.ts behind src/backend/wasm/gemm.ts) against the reference kernel: shapes around the
// kernel's tile and block sizes, strided views (transposes, narrows, broadcast batch dims), float64 (bit-identical
// to the reference), and column/batch splits across jobs (bit-identical to one job).
import { describe, expect, it } from 'vitest';
import { manualSeed, matmul, randn, referenceBackend, tensor, withBackend, type Tensor } from '../../src/index.js';
import { createWasmBackend } from '../../src/backend/wasm/index.js';
import { matmulWasm } from '../../src/backend/wasm/gemm.js';
import { newContext } from '../../src/backend/wasm/context.js';
import { wasmModule } from '../../src/backend/wasm/module.js';
import type { TypedArray } from '../../src/tensor/dtype.js';

const wasm = createWasmBackend({ minElements: 0, threads: 1 });
const wasm2 = createWasmBackend({ minElements: 0, threads: 2 });

const ref = (f: () => Tensor) => withBackend(referenceBackend, f);

/** The wasm product checked against the reference within float32 rounding: |Δ| ≤ (K+2)·2⁻²⁴·(|A||B|) per element. */
function check(a: Tensor, b: Tensor): Tensor {
  const got = withBackend(wasm!, () => matmul(a, b));
  const want = ref(() => matmul(a, b));
  const bound = ref(() => matmul(a.abs(), b.abs()));
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  const K = a.shape[a.ndim - 1];
  const tol = (K + 2) * 2 ** -24;
  const g = got.data, w = want.data, m = bound.data;
  let bad = -1;
  for (let i = 0; i < w.length; i++) {
    if (!(Math.abs(g[i] - w[i]) <= tol * m[i] + 1e-30)) { bad = i; break; }
  }
  expect(bad, bad < 0 ? '' : `element ${bad}: got ${g[bad]}, want ${w[bad]}`).toBe(-1);
  return got;
}

function same(x: TypedArray, y: TypedArray): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

describe.skipIf(!wasm)('wasm gemm', () => {
  it.each([
    [1, 1, 1], [1, 7, 1], [7, 1, 13], [2, 3, 4], [7, 5, 13], [7, 13, 5], [33, 17, 65], [33, 65, 17],
    [4, 8, 8], [3, 9, 7], [5, 9, 9], [50, 25, 25], [64, 128, 10], [1, 300, 70], [70, 300, 1],
    // around MC = 96 rows, KC = 256, NC = 2048 columns
    [95, 255, 31], [96, 256, 32], [97, 257, 33], [193, 513, 9], [5, 300, 2049], [3, 40, 2056],
    // few rows: B read in place (its row stride a multiple of 4 KiB or not)
    [4, 600, 37], [8, 300, 1000], [6, 300, 1024], [8, 40, 2048], [9, 20, 19],
  ])('M=%i K=%i N=%i', (M, K, N) => {
    manualSeed(M * 10007 + K * 101 + N);
    check(randn([M, K]), randn([K, N]));
  });

  it('large: 257×300 · 300×513', () => {
    manualSeed(1);
    check(randn([257, 300]), randn([300, 513]));
  });

  it('K = 0 gives zeros, and empty outputs work', () => {
    const z = withBackend(wasm!, () => matmul(randn([4, 0]), randn([0, 6])));
    expect(z.shape).toEqual([4, 6]);
    expect(Array.from(z.data)).toEqual(new Array(24).fill(0));
    expect(withBackend(wasm!, () => matmul(randn([0, 3]), randn([3, 5]))).shape).toEqual([0, 5]);
    expect(withBackend(wasm!, () => matmul(randn([2, 0, 3]), randn([3, 5]))).shape).toEqual([2, 0, 5]);
  });

  it.each([[false, true], [true, false], [true, true]])('transposed views (A^T %s, B^T %s)', (ta, tb) => {
    for (const [M, K, N] of [[7, 5, 13], [37, 70, 45], [100, 260, 50], [64, 256, 784]]) {
      manualSeed(M + K + N);
      const a = ta ? randn([K, M]).transpose(0, 1) : randn([M, K]);
      const b = tb ? randn([N, K]).transpose(0, 1) : randn([K, N]);
      check(a, b);
    }
  });

  it('batched permuted views', () => {
    manualSeed(2);
    check(randn([3, 9, 2, 7]).permute([0, 2, 3, 1]), randn([3, 11, 9]).permute([0, 2, 1]).unsqueeze(1));
    check(randn([2, 6, 5]), randn([5, 2, 19]).permute([1, 0, 2]));
  });

  it('broadcast batch dims', () => {
    manualSeed(3);
    check(randn([3, 1, 9, 17]), randn([4, 17, 10]));
    check(randn([2, 5, 33, 40]), randn([40, 12]));
    check(randn([6, 5]), randn([2, 3, 5, 7]));
    check(randn([1, 9, 17]).expand([5, 9, 17]), randn([5, 17, 3]));
    check(randn([4, 1, 8, 8]), randn([1, 3, 8, 8]).expand([2, 3, 8, 8]).narrow(0, 1, 1));
  });

  it('views with offsets (narrow) and stride-0 operands', () => {
    manualSeed(4);
    check(randn([40, 50]).narrow(0, 3, 30).narrow(1, 7, 21), randn([30, 60]).narrow(0, 9, 21).narrow(1, 11, 37));
    check(randn([3, 21]), randn([30, 60]).narrow(0, 9, 21).narrow(1, 11, 37));
    check(randn([5, 40, 50]).narrow(0, 2, 2).narrow(2, 1, 33).narrow(1, 4, 9), randn([2, 33, 8]));
    check(randn([9, 1]).expand([9, 12]), randn([1, 7]).expand([12, 7]));
  });

  it('views that are mostly gaps (a few columns of a wide matrix) are gathered compactly', () => {
    manualSeed(8);
    check(randn([30, 2000]).narrow(1, 5, 3), randn([7, 3000]).narrow(1, 100, 5).narrow(0, 2, 3));
    check(randn([3, 10, 5000]).narrow(2, 7, 6), randn([6, 4]));
    check(randn([5000, 40]).narrow(1, 1, 3).transpose(0, 1), randn([5000, 9]));
    check(randn([2, 1, 4]).expand([2, 50, 4]), randn([2, 6000, 5]).narrow(1, 10, 4).narrow(2, 1, 2));
  });

  it('float64 is bit-identical to the reference', () => {
    manualSeed(5);
    for (const [M, K, N] of [[7, 5, 13], [97, 600, 70], [3, 300, 2049]]) {
      const a = randn([M, K], { dtype: 'float64' }), b = randn([N, K], { dtype: 'float64' }).transpose(0, 1);
      const got = withBackend(wasm!, () => matmul(a, b)), want = ref(() => matmul(a, b));
      expect(got.dtype).toBe('float64');
      expect(same(got.data, want.data)).toBe(true);
    }
  });

  it('int32 falls back to the reference kernel', () => {
    const a = tensor([[1, 2], [3, 4]], { dtype: 'int32' }), b = tensor([[5, 6], [7, 8]], { dtype: 'int32' });
    const got = withBackend(wasm!, () => matmul(a, b));
    expect(got.dtype).toBe('int32');
    expect(got.toArray()).toEqual([[19, 22], [43, 50]]);
  });

  it('the default options give the same tiny products', () => {
    const dflt = createWasmBackend({ threads: 1 })!;
    const a = tensor([[1, 2]]), b = tensor([[3], [4]]);
    expect(withBackend(dflt, () => matmul(a, b)).toArray()).toEqual([[11]]);
  });

  it('any split into jobs (columns or batch) gives bit-identical results', () => {
    const ctx = newContext(wasmModule()!, 0, 1);
    const cases: [Tensor, Tensor][] = [];
    manualSeed(6);
    for (const [M, K, N] of [[37, 300, 45], [8, 20, 8], [100, 513, 130], [5, 7, 3], [3, 300, 100], [7, 9, 61]]) {
      cases.push([randn([M, K]), randn([K, N])]);
      cases.push([randn([K, M]).transpose(0, 1), randn([N, K]).transpose(0, 1)]);
    }
    cases.push([randn([6, 20, 30]), randn([30, 50])]); // batch 6: split by batch
    cases.push([randn([3, 20, 30]), randn([3, 30, 70])]); // batch 3 over 2 jobs: split by columns
    cases.push([randn([3, 1, 20, 30], { dtype: 'float64' }), randn([2, 30, 70], { dtype: 'float64' })]);
    for (const [a, b] of cases) {
      const want = ref(() => matmul(a, b));
      const outs = [1, 2, 3, 4].map((jobs) => {
        const data = a.dtype === 'float64' ? new Float64Array(want.numel()) : new Float32Array(want.numel());
        matmulWasm(ctx, a, b, { data, shape: want.shape, dtype: a.dtype }, jobs);
        return data;
      });
      for (const o of outs.slice(1)) expect(same(o, outs[0])).toBe(true);
      if (a.dtype === 'float64') expect(same(outs[0], want.data)).toBe(true);
    }
  });

  it.skipIf(!wasm2)('two threads give the same bits as one', () => {
    manualSeed(7);
    for (const [a, b] of [[randn([200, 300]), randn([300, 150])], [randn([4, 64, 128]), randn([128, 96])]]) {
      const one = withBackend(wasm!, () => matmul(a, b)), two = withBackend(wasm2!, () => matmul(a, b));
      expect(same(one.data, two.data)).toBe(true);
    }
  });
});
