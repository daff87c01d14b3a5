// The wasm backend's data-movement fast paths (src/backend/wasm/window.ts: unfold, fold, pad, cat, gather,
// scatterAdd) against the reference kernels, over many shapes, window settings, view layouts (offset,
// strided, permuted, broadcast) and dtypes. Pure copies must match exactly (bits, NaN and -0 included); the
// sums (fold, scatterAdd) within float32 rounding. Each fast kernel is also called directly, to check that it
// really handles the case (returns true) rather than falling back to the reference.
import { afterAll, describe, expect, it } from 'vitest';
import {
  F, Tensor, tensor, zeros, ShapeError, gather, scatterAdd, cat, pad, unfold, fold, referenceBackend, withBackend, createWasmBackend,
  Prim, type Backend, type DType, type TypedArray, type View,
} from '../../src/index.js';
import { windowKernels } from '../../src/backend/wasm/window.js';
import { newContext, type FastKernel } from '../../src/backend/wasm/context.js';
import { wasmModule } from '../../src/backend/wasm/module.js';
import { shutdownThreads } from '../../src/backend/wasm/threads.js';
import type { KernelPrim, PrimParams, WindowParams } from '../../src/backend/prim.js';
import { windowOutputLength } from '../../src/backend/reference.js';
import { contiguousStrides, numel } from '../../src/tensor/shape.js';

const wasm = createWasmBackend({ minElements: 0, threads: 1 }) as Backend;
const ctx = newContext(wasmModule()!, 0, 1);

/** A small seeded PRNG (mulberry32): the cases are the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)); // [lo, hi]
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const ctors = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array } as const;


function fillRandom(a: TypedArray, dtype: DType, r: Rng, specials = true): void {
  for (let i = 0; i < a.length; i++) {
    if (dtype === 'bool') a[i] = r.int(0, 1);
    else if (dtype === 'int32') a[i] = r.int(-1000, 1000);
    else {
      const u = r.next();
      a[i] = specials && u < 0.01 ? NaN : specials && u < 0.02 ? -0 : (r.next() - 0.5) * 20;
    }
  }
}

type Layout = 'contiguous' | 'offset' | 'strided' | 'permuted' | 'broadcast';
const LAYOUTS: readonly Layout[] = ['contiguous', 'offset', 'strided', 'permuted', 'broadcast'];

/**
 * A view of `shape` with the given layout over fresh random storage: contiguous; contiguous from an offset;
 * every stride stretched (gaps) from an offset; dims stored in a shuffled order; or one dim broadcast
 * (stride 0).
 */
function makeView(shape: readonly number[], dtype: DType, layout: Layout, r: Rng, specials = true): View {
  const nd = shape.length;
  let strides: number[], offset = 0;
  if (layout === 'contiguous' || layout === 'offset') {
    strides = contiguousStrides(shape);
    if (layout === 'offset') offset = r.int(1, 5);
  } else if (layout === 'broadcast') {
    strides = contiguousStrides(shape);
    const big = shape.map((s, i) => (s > 1 ? i : -1)).filter((i) => i >= 0);
    if (big.length > 0) strides[r.pick(big)] = 0;
    offset = r.int(0, 2);
  } else {
    // dims laid out in a random order (permuted) and with gaps between elements and rows (strided)
    const order = shape.map((_, i) => i);
    if (layout === 'permuted') {
      for (let i = nd - 1; i > 0; i--) {
        const j = r.int(0, i);
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    strides = new Array<number>(nd);
    let acc = layout === 'strided' ? 2 : 1;
    for (let k = nd - 1; k >= 0; k--) {
      strides[order[k]] = acc;
      acc *= shape[order[k]] + (layout === 'strided' ? 1 : 0);
    }
    offset = r.int(0, 3);
  }
  let span = 1;
  shape.forEach((s, i) => (span += s > 0 ? (s - 1) * strides[i] : 0));
  const data = new ctors[dtype](offset + span + r.int(0, 3));
  fillRandom(data, dtype, r, specials);
  return { data, shape: [...shape], strides, offset, dtype };
}

/** Values of `v` in row-major order. */
function values(v: View): number[] {
  const out: number[] = [];
  const nd = v.shape.length, n = numel(v.shape);
  const idx = new Array<number>(nd).fill(0);
  for (let i = 0; i < n; i++) {
    let o = v.offset;
    for (let d = 0; d < nd; d++) o += idx[d] * v.strides[d];
    out.push(v.data[o]);
    for (let d = nd - 1; d >= 0 && ++idx[d] === v.shape[d]; d--) idx[d] = 0;
  }
  return out;
}

function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, exact: boolean, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const a = got[i], b = want[i];
    const ok = exact || !Number.isFinite(b) ? Object.is(a, b) : Math.abs(a - b) <= 1e-5 * (1 + Math.abs(b));
    if (!ok) throw new Error(`${what}: element ${i} is ${a} on the fast path, ${b} on the reference`);
  }
}

const SENTINEL = 77;

/**
 * Runs prim's reference kernel and its fast kernel on the same inputs and compares. `handled`: whether the
 * fast kernel must take the case (true) or must decline it (false).
 */
function check<P extends KernelPrim>(prim: P, inputs: readonly View[], params: PrimParams[P], shape: readonly number[],
  dtype: DType, opts: { exact: boolean; handled?: boolean; what: string }): void {
  const want = { data: new ctors[dtype](numel(shape)), shape, dtype };
  (referenceBackend[prim] as (i: readonly View[], p: PrimParams[P], o: typeof want) => void)(inputs, params, want);
  const got = { data: new ctors[dtype](numel(shape)).fill(SENTINEL), shape, dtype };
  const handled = (windowKernels[prim] as FastKernel<P>)(inputs, params, got, ctx);
  expect(handled, `${opts.what}: handled by the fast path`).toBe(opts.handled ?? true);
  if (handled) expectSame(got.data, want.data, opts.exact, opts.what);
  else expect(got.data.every((v) => v === SENTINEL), `${opts.what}: declined, but wrote into out`).toBe(true);
}

/** The fast kernel declines (returns false) without writing into out. */
function declines<P extends KernelPrim>(prim: P, inputs: readonly View[], params: PrimParams[P], shape: readonly number[], dtype: DType): void {
  const got = { data: new ctors[dtype](numel(shape)).fill(SENTINEL), shape, dtype };
  expect((windowKernels[prim] as FastKernel<P>)(inputs, params, got, ctx)).toBe(false);
  expect(got.data.every((v) => v === SENTINEL), 'declined, but wrote into out').toBe(true);
}

function win(k: number[], s: number[], p: number[], d: number[]): WindowParams {
  return { kernel: k, stride: s, padding: p, dilation: d };
}

function describeCase(o: object): string {
  return JSON.stringify(o).replace(/"/g, '');
}

// ---- unfold / fold ----

interface WindowCase {
  shape: number[]; // [N, C, ...spatial]
  p: WindowParams;
}

/** Random valid window settings (1-d or 2-d), mostly small, a few at the profile's shapes. */
function windowCases(seed: number, count: number): WindowCase[] {
  const r = rng(seed);
  const cases: WindowCase[] = [
    // the CNN profile's shapes: conv 5×5 pad 2, pooling 2×2 stride 2, W5's 3×3 pad 1
    { shape: [4, 8, 14, 14], p: win([5, 5], [1, 1], [2, 2], [1, 1]) },
    { shape: [3, 1, 28, 28], p: win([5, 5], [1, 1], [2, 2], [1, 1]) },
    { shape: [2, 8, 28, 28], p: win([2, 2], [2, 2], [0, 0], [1, 1]) },
    { shape: [2, 16, 14, 14], p: win([3, 3], [1, 1], [1, 1], [1, 1]) },
    // 1-wide kernels and 1-d windows (the contiguous-block path), a window wider than the input with padding
    { shape: [2, 3, 5, 7], p: win([1, 1], [1, 1], [0, 0], [1, 1]) },
    { shape: [2, 3, 40], p: win([1], [1], [0], [1]) },
    { shape: [2, 3, 40], p: win([7], [1], [3], [1]) },
    { shape: [1, 2, 3, 3], p: win([5, 5], [1, 1], [2, 2], [1, 1]) },
  ];
  while (cases.length < count) {
    const two = r.next() < 0.7;
    const n = two ? 2 : 1;
    const k = Array.from({ length: n }, () => r.int(1, 4));
    const s = Array.from({ length: n }, () => r.pick([1, 1, 1, 2, 3]));
    const d = Array.from({ length: n }, () => r.pick([1, 1, 2, 3]));
    const pd = k.map(() => r.pick([0, 0, 1, 2]));
    const spatial = Array.from({ length: n }, () => r.int(1, two ? 12 : 40));
    if (spatial.some((sz, i) => windowOutputLength(sz, k[i], s[i], pd[i], d[i]) < 1)) continue;
    cases.push({ shape: [r.int(1, 3), r.int(1, 4), ...spatial], p: win(k, s, pd, d) });
  }
  return cases;
}

function unfoldShape(c: WindowCase): number[] {
  const [N, C] = c.shape;
  const L = numel(c.shape.slice(2).map((sz, i) => windowOutputLength(sz, c.p.kernel[i], c.p.stride[i], c.p.padding[i], c.p.dilation[i])));
  return [N, C * numel(c.p.kernel), L];
}

describe('unfold', () => {
  const cases = windowCases(1, 120);
  it.each(['float32', 'float64'] as const)('matches the reference exactly over windows and layouts (%s)', (dtype) => {
    const r = rng(2);
    for (const c of cases) {
      const layout = r.pick(LAYOUTS);
      const x = makeView(c.shape, dtype, layout, r);
      check(Prim.Unfold, [x], c.p, unfoldShape(c), dtype, { exact: true, what: `unfold ${describeCase({ ...c, layout })}` });
    }
  });

  it('moves int32 and bool elements too (a pure copy)', () => {
    const r = rng(3);
    for (const dtype of ['int32', 'bool'] as const) {
      for (const c of windowCases(4, 30)) {
        const x = makeView(c.shape, dtype, r.pick(LAYOUTS), r);
        check(Prim.Unfold, [x], c.p, unfoldShape(c), dtype, { exact: true, what: `unfold ${dtype} ${describeCase(c)}` });
      }
    }
  });

  it('every layout on one shape (offset, strided, permuted, broadcast views)', () => {
    const r = rng(5);
    for (const layout of LAYOUTS) {
      const c = { shape: [3, 4, 9, 11], p: win([3, 2], [2, 1], [1, 0], [1, 2]) };
      const x = makeView(c.shape, 'float32', layout, r);
      check(Prim.Unfold, [x], c.p, unfoldShape(c), 'float32', { exact: true, what: `unfold ${layout}` });
    }
  });
});

describe('fold', () => {
  const cases = windowCases(6, 120);
  it.each(['float32', 'float64'] as const)('matches the reference over windows and layouts (%s)', (dtype) => {
    const r = rng(7);
    for (const c of cases) {
      const layout = r.pick(LAYOUTS);
      const cols = makeView(unfoldShape(c), dtype, layout, r, false);
      const p = { ...c.p, outputSize: c.shape.slice(2) };
      check(Prim.Fold, [cols], p, c.shape, dtype, { exact: false, what: `fold ${describeCase({ ...c, layout })}` });
    }
  });

  it('leaves int32 to the reference kernel', () => {
    const r = rng(8);
    const c = windowCases(9, 1)[0];
    const cols = makeView(unfoldShape(c), 'int32', 'contiguous', r);
    check(Prim.Fold, [cols], { ...c.p, outputSize: c.shape.slice(2) }, c.shape, 'int32', { exact: true, handled: false, what: 'fold int32' });
  });
});

describe('unfold and fold split across two threads', () => {
  afterAll(() => shutdownThreads());
  it.each(['float32', 'float64'] as const)('give the same results as one thread (%s)', (dtype) => {
    const ctx2 = newContext(wasmModule()!, 0, 2);
    const r = rng(24);
    for (const c of [
      { shape: [8, 8, 14, 14], p: win([5, 5], [1, 1], [2, 2], [1, 1]) },
      { shape: [3, 7, 30, 31], p: win([3, 2], [2, 1], [1, 1], [1, 2]) },
    ]) {
      const x = makeView(c.shape, dtype, 'offset', r);
      const shape = unfoldShape(c);
      const one = new ctors[dtype](numel(shape)), two = new ctors[dtype](numel(shape));
      expect(windowKernels[Prim.Unfold]!([x], c.p, { data: one, shape, dtype }, ctx)).toBe(true);
      expect(windowKernels[Prim.Unfold]!([x], c.p, { data: two, shape, dtype }, ctx2)).toBe(true);
      expectSame(two, one, true, `unfold ${describeCase(c)}`);
      const cols = makeView(shape, dtype, 'contiguous', r, false);
      const p = { ...c.p, outputSize: c.shape.slice(2) };
      const f1 = new ctors[dtype](numel(c.shape)), f2 = new ctors[dtype](numel(c.shape));
      expect(windowKernels[Prim.Fold]!([cols], p, { data: f1, shape: c.shape, dtype }, ctx)).toBe(true);
      expect(windowKernels[Prim.Fold]!([cols], p, { data: f2, shape: c.shape, dtype }, ctx2)).toBe(true);
      expectSame(f2, f1, true, `fold ${describeCase(c)}`);
      check(Prim.Fold, [cols], p, c.shape, dtype, { exact: false, what: `fold vs reference ${describeCase(c)}` });
    }
  });
});

// ---- pad / cat ----

describe('pad', () => {
  it.each(['float32', 'float64', 'int32', 'bool'] as const)('matches the reference exactly (%s)', (dtype) => {
    const r = rng(10);
    for (let t = 0; t < 150; t++) {
      const nd = r.int(1, 4);
      const shape = Array.from({ length: nd }, () => r.int(t % 10 === 0 ? 0 : 1, 5));
      // now and then a long last dim (rows copied straight by TypedArray.set)
      if (t % 4 === 0) shape[nd - 1] = r.int(190, 300);
      const before = shape.map(() => r.pick([0, 0, 1, 2, 3]));
      const after = shape.map(() => r.pick([0, 0, 1, 2]));
      const value = r.pick([0, -Infinity, 1.5, -3, NaN]);
      const x = makeView(shape, dtype, r.pick(LAYOUTS), r);
      const outShape = shape.map((s, i) => s + before[i] + after[i]);
      if (numel(outShape) === 0) continue;
      check(Prim.Pad, [x], { before, after, value }, outShape, dtype, { exact: true, what: `pad ${describeCase({ shape, before, after, value, strides: x.strides })}` });
    }
  });
});

describe('cat', () => {
  it.each(['float32', 'float64', 'int32', 'bool'] as const)('matches the reference exactly (%s)', (dtype) => {
    const r = rng(11);
    for (let t = 0; t < 150; t++) {
      const nd = r.int(1, 4);
      const dim = r.int(0, nd - 1);
      const shape = Array.from({ length: nd }, () => r.int(1, 5));
      if (t % 4 === 0) shape[nd - 1] = r.int(190, 260);
      const k = r.int(1, 4);
      const xs = Array.from({ length: k }, () => {
        const s = [...shape];
        s[dim] = r.int(t % 7 === 0 ? 0 : 1, 4);
        return makeView(s, dtype, r.pick(LAYOUTS), r);
      });
      const outShape = [...shape];
      outShape[dim] = xs.reduce((a, x) => a + x.shape[dim], 0);
      if (numel(outShape) === 0) continue;
      check(Prim.Cat, xs, { dim }, outShape, dtype, { exact: true, what: `cat dim ${dim} of ${xs.map((x) => `[${x.shape}]/[${x.strides}]`).join(', ')}` });
    }
  });
});

// ---- gather / scatterAdd ----

interface IndexCase {
  xShape: number[];
  idxShape: number[];
  srcShape: number[];
  dim: number;
}

function indexCases(seed: number, count: number): IndexCase[] {
  const r = rng(seed);
  const cases: IndexCase[] = [
    // max pooling's VJP: index [N, C, 1, L] into [N, C, K, L] along dim 2
    { xShape: [8, 8, 4, 196], idxShape: [8, 8, 1, 196], srcShape: [8, 8, 1, 196], dim: 2 },
    { xShape: [4, 16, 4, 49], idxShape: [4, 16, 1, 49], srcShape: [4, 16, 1, 49], dim: 2 },
  ];
  while (cases.length < count) {
    const nd = r.int(1, 4);
    const dim = r.int(0, nd - 1);
    const xShape = Array.from({ length: nd }, () => r.int(1, 5));
    // the index is no larger than x off dim (any size along dim); src is at least the index's size
    const idxShape = xShape.map((s, i) => (i === dim ? r.int(1, 6) : r.int(1, s)));
    const srcShape = idxShape.map((s) => s + r.pick([0, 0, 1, 2]));
    cases.push({ xShape, idxShape, srcShape, dim });
  }
  return cases;
}

function indexView(shape: number[], size: number, layout: Layout, r: Rng): View {
  const v = makeView(shape, 'int32', layout, r);
  for (let i = 0; i < v.data.length; i++) v.data[i] = r.int(0, size - 1); // repeats are common: sizes are small
  return v;
}

describe('gather', () => {
  it.each(['float32', 'float64', 'int32', 'bool'] as const)('matches the reference exactly on every dim (%s)', (dtype) => {
    const r = rng(12);
    for (const c of indexCases(13, 150)) {
      const x = makeView(c.xShape, dtype, r.pick(LAYOUTS), r);
      const idx = indexView(c.idxShape, c.xShape[c.dim], r.pick(LAYOUTS), r);
      check(Prim.Gather, [x, idx], { dim: c.dim }, c.idxShape, dtype, { exact: true, what: `gather ${describeCase({ ...c, xs: x.strides, is: idx.strides })}` });
    }
  });
});

describe('scatterAdd', () => {
  it.each(['float32', 'float64'] as const)('matches the reference on every dim, with repeated indices (%s)', (dtype) => {
    const r = rng(14);
    for (const c of indexCases(15, 150)) {
      const self = makeView(c.xShape, dtype, r.pick(LAYOUTS), r, false);
      const idx = indexView(c.idxShape, c.xShape[c.dim], r.pick(LAYOUTS), r);
      const src = makeView(c.srcShape, dtype, r.pick(LAYOUTS), r, false);
      check(Prim.ScatterAdd, [self, idx, src], { dim: c.dim }, c.xShape, dtype, { exact: false, what: `scatterAdd ${describeCase({ ...c, ss: src.strides, is: idx.strides })}` });
    }
  });

  it('many repeats of one index sum in the reference order', () => {
    const r = rng(16);
    const self = makeView([3, 2, 5], 'float32', 'contiguous', r, false);
    const idx = makeView([3, 40, 5], 'int32', 'contiguous', r);
    idx.data.fill(1);
    const src = makeView([3, 40, 5], 'float32', 'permuted', r, false);
    check(Prim.ScatterAdd, [self, idx, src], { dim: 1 }, [3, 2, 5], 'float32', { exact: true, what: 'scatterAdd repeats' });
  });

  it('leaves int32 to the reference kernel', () => {
    const r = rng(17);
    const self = makeView([4, 5], 'int32', 'contiguous', r);
    const idx = indexView([4, 5], 4, 'contiguous', r);
    check(Prim.ScatterAdd, [self, idx, makeView([4, 5], 'int32', 'contiguous', r)], { dim: 0 }, [4, 5], 'int32', { exact: true, handled: false, what: 'scatterAdd int32' });
  });
});

describe('out-of-range indices', () => {
  const r = rng(18);
  for (const bad of [-1, 4, 1000]) {
    it(`gather and scatterAdd decline index ${bad}, and the wasm backend throws the reference's RangeError`, () => {
      for (const dim of [0, 1, 2]) {
        const shape = [4, 4, 4];
        const x = makeView(shape, 'float32', 'contiguous', r);
        const idx = indexView([4, 3, 4], 4, 'contiguous', r);
        idx.data[r.int(0, numel(idx.shape) - 1)] = bad; // contiguous from 0: a logical element
        const src = makeView([4, 3, 4], 'float32', 'contiguous', r);
        declines(Prim.Gather, [x, idx], { dim }, idx.shape, 'float32');
        declines(Prim.ScatterAdd, [x, idx, src], { dim }, shape, 'float32');

        const xt = tensor(new Float32Array(64)).reshape(shape);
        const ix = tensor(new Int32Array(values(idx))).reshape(idx.shape);
        const st = tensor(new Float32Array(48)).reshape(idx.shape);
        const message = (fn: () => unknown) => {
          try {
            fn();
          } catch (e) {
            expect(e).toBeInstanceOf(RangeError);
            return (e as Error).message;
          }
          throw new Error('did not throw');
        };
        const want = message(() => withBackend(referenceBackend, () => gather(xt, dim, ix)));
        expect(message(() => withBackend(wasm, () => gather(xt, dim, ix)))).toBe(want);
        const want2 = message(() => withBackend(referenceBackend, () => scatterAdd(xt, dim, ix, st)));
        expect(message(() => withBackend(wasm, () => scatterAdd(xt, dim, ix, st)))).toBe(want2);
      }
    });
  }
});

// ---- through the tensor API: conv and pooling forward and backward, zero-size batches ----

function both<T>(fn: () => T): [T, T] {
  return [withBackend(wasm, fn), withBackend(referenceBackend, fn)];
}

/**
 * Exact, or within rounding scaled by the largest magnitude (these compositions also run the wasm GEMM and
 * reductions, whose float32 sums round in another order than the reference's).
 */
function expectClose(a: Tensor, b: Tensor, what: string, exact = false): void {
  expect([...a.shape], `${what}: shape`).toEqual([...b.shape]);
  expect(a.dtype).toBe(b.dtype);
  if (exact) return expectSame(a.toTypedArray(), b.toTypedArray(), true, what);
  const x = Array.from(a.toTypedArray(), Number), y = Array.from(b.toTypedArray(), Number);
  const tol = (a.dtype === 'float32' ? 1e-5 : 1e-12) * Math.max(1, ...y.filter(Number.isFinite).map(Math.abs));
  x.forEach((v, i) => {
    const ok = Number.isFinite(y[i]) ? Math.abs(v - y[i]) <= tol : Object.is(v, y[i]);
    if (!ok) throw new Error(`${what}: element ${i} is ${v} on wasm, ${y[i]} on reference`);
  });
}

function randomTensor(shape: number[], dtype: 'float32' | 'float64', r: Rng, requiresGrad = false): Tensor {
  const a = new ctors[dtype](numel(shape));
  fillRandom(a, dtype, r, false);
  return tensor(a, { dtype }).reshape(shape).detach().requiresGrad_(requiresGrad);
}

describe('through the tensor API', () => {
  it.each(['float32', 'float64'] as const)('conv2d and conv1d forward and backward (%s)', (dtype) => {
    const r = rng(19);
    const configs = [
      { x: [3, 4, 9, 9], w: [5, 4, 3, 3], opts: { padding: 1 } },
      { x: [2, 6, 10, 8], w: [4, 3, 3, 2], opts: { stride: [2, 1], dilation: [1, 2], padding: [2, 0], groups: 2 } },
      { x: [2, 3, 7, 7], w: [2, 3, 4, 4], opts: { padding: 'same' as const } },
      { x: [3, 2, 17], w: [4, 2, 5], opts: { stride: 2, padding: 2 } },
    ];
    for (const c of configs) {
      const x = randomTensor(c.x, dtype, r), w = randomTensor(c.w, dtype, r), g = randomTensor([1], dtype, r);
      const run = () => {
        const xi = x.detach().requiresGrad_(), wi = w.detach().requiresGrad_();
        const y = c.x.length === 4 ? F.conv2d(xi, wi, null, c.opts) : F.conv1d(xi, wi, null, c.opts as never);
        y.mul(y).mul(g).sum().backward();
        return [y.detach(), xi.grad!, wi.grad!];
      };
      const [fast, ref] = both(run);
      fast.forEach((t, i) => expectClose(t, ref[i], `conv ${describeCase(c)} output ${i}`));
    }
  });

  it.each(['float32', 'float64'] as const)('max and average pooling forward and backward (%s)', (dtype) => {
    const r = rng(20);
    const configs: { x: number[]; k: number; o: Record<string, unknown>; kind: 'max' | 'avg' }[] = [
      { x: [4, 8, 28, 28], k: 2, o: {}, kind: 'max' },
      { x: [2, 3, 9, 7], k: 3, o: { stride: 2, padding: 1, ceilMode: true }, kind: 'max' },
      { x: [2, 3, 9, 7], k: 2, o: { stride: 1, dilation: 2 }, kind: 'max' },
      { x: [2, 3, 9, 7], k: 3, o: { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }, kind: 'avg' },
      { x: [3, 2, 11], k: 3, o: { stride: 2, padding: 1 }, kind: 'max' },
    ];
    for (const c of configs) {
      const x = randomTensor(c.x, dtype, r);
      const run = () => {
        const xi = x.detach().requiresGrad_();
        const fn = c.x.length === 4 ? (c.kind === 'max' ? F.maxPool2d : F.avgPool2d) : (c.kind === 'max' ? F.maxPool1d : F.avgPool1d);
        const y = (fn as (x: Tensor, k: number, o: object) => Tensor)(xi, c.k, c.o);
        y.mul(y).sum().backward();
        return [y.detach(), xi.grad!];
      };
      const [fast, ref] = both(run);
      fast.forEach((t, i) => expectClose(t, ref[i], `${c.kind}Pool ${describeCase(c)} output ${i}`));
    }
  });

  it('F.unfold / F.fold of transposed and narrowed inputs', () => {
    const r = rng(21);
    const base = randomTensor([5, 3, 10, 12], 'float32', r);
    const x = base.transpose(2, 3).narrow(0, 1, 3); // [3, 3, 12, 10], non-contiguous, offset
    const [a, b] = both(() => unfold(x, [3, 2], { stride: [1, 2], padding: 1, dilation: [2, 1] }));
    expectClose(a, b, 'F.unfold', true);
    const cols = randomTensor([12, 2, 42], 'float64', r).transpose(0, 1); // [2, 12, 42], non-contiguous
    const [c, d] = both(() => fold(cols, [7, 8], 2, { stride: 1 }));
    expectClose(c, d, 'F.fold');
  });

  it('pad and cat of views', () => {
    const r = rng(22);
    const x = randomTensor([4, 6, 5], 'float32', r).permute([2, 0, 1]);
    const [a, b] = both(() => pad(x, [1, 2, 0, 3, 2, 0], -Infinity));
    expectClose(a, b, 'pad', true);
    const z = randomTensor([3, 4, 6], 'float32', r);
    const [c, d] = both(() => cat([x, x.narrow(0, 1, 2), z], 0));
    expectClose(c, d, 'cat', true);
  });

  it('pad with crops: forward and backward agree, and a crop larger than the dim is refused before any kernel runs', () => {
    // PyTorch crops with narrow before it pads: F.pad(torch.zeros(2, 2), [2, -3]) and F.pad(torch.zeros(512, 30),
    // [-40, 20]) raise (these read out of wasm memory before the check)
    for (const [x, pads] of [[tensor([[1, 1], [0, 1]]), [2, -3]], [zeros([512, 30]), [-40, 20]], [zeros([2, 3]), [-2, -2]]] as const) {
      for (const b of [wasm, referenceBackend]) {
        const e = withBackend(b, () => { try { pad(x, pads); return null; } catch (err) { return err; } });
        expect(e, `${b.name} pad ${JSON.stringify(pads)}`).toBeInstanceOf(ShapeError);
        expect((e as Error).message).toMatch(/^pad: got pads \[.*\] that crop \d+ from dim \d+ of size \d+/);
      }
    }
    const r = rng(24);
    for (const [shape, pads] of [[[4, 5], [-2, 1, 3, -4]], [[512, 30], [-10, 20]], [[3, 4], [1, -4]], [[0, 4], [-1, -2, 1, 1]], [[2, 3], [-1, -2, 1, 0]]] as const) {
      const x = randomTensor([...shape], 'float64', r, true);
      const run = () => {
        const xi = x.detach().requiresGrad_();
        const y = pad(xi, [...pads], 0.5);
        y.mul(y).sum().backward();
        return [y.detach(), xi.grad!];
      };
      const [[y1, g1], [y2, g2]] = both(run);
      expectClose(y1, y2, `pad ${JSON.stringify(pads)}`, true);
      expectClose(g1, g2, `pad ${JSON.stringify(pads)} backward`, true);
      expect(g1.shape).toEqual([...shape]);
    }
  });

  it('zero-size batches', () => {
    const r = rng(23);
    const x = randomTensor([0, 3, 8, 8], 'float32', r, true), w = randomTensor([4, 3, 3, 3], 'float32', r, true);
    const [[y1, p1, c1], [y2, p2, c2]] = both(() => [
      F.conv2d(x, w, null, { padding: 1 }), F.maxPool2d(x, 2), unfold(x, 3, { padding: 1 }),
    ]);
    expectClose(y1, y2, 'conv2d empty batch');
    expectClose(p1, p2, 'maxPool2d empty batch');
    expectClose(c1, c2, 'unfold empty batch');
    const [f1, f2] = both(() => fold(c1, [8, 8], 3, { padding: 1 }));
    expectClose(f1, f2, 'fold empty batch');
  });
});
