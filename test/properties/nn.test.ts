// Randomized properties of the nn functional ops (F): forward passes against the plain-loop references of
// test/reference-nn (which do not call the library), gradients by finite differences, and the invariants each op
// promises (normalized statistics, loss identities, dropout's mask, oneHot's rows). Float64 throughout, so the
// forward comparisons are tight; shapes stay small because gradcheck is O(numel²).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { F, Tensor, cast, createGenerator, forkRng, tensor } from '../../src/index.js';
import { arbBroadcastShapes, arbShape, arbTensor, gradcheck } from '../../src/testing/index.js';
import { toArr, type Arr } from '../reference.js';
import * as refL from '../reference-nn/layers.js';
import * as refN from '../reference-nn/norm-act.js';
import * as refLoss from '../reference-nn/loss.js';
import { numelOf, ravel, runs, sameBits, shapeText, unravel } from './_util.js';

// ---------------------------------------------------------------------------------------------------------
// helpers

/** A float64 tensor of `shape` holding `vals` in row-major order. */
const f64 = (vals: readonly number[], shape: readonly number[]): Tensor =>
  tensor(Float64Array.from(vals), { dtype: 'float64' }).reshape([...shape]);

const i32 = (vals: readonly number[], shape: readonly number[]): Tensor =>
  tensor(Int32Array.from(vals), { dtype: 'int32' }).reshape([...shape]);

/** `n` doubles in [min, max] (no NaN, −0 folded to 0). */
const arbVals = (n: number, min = -2, max = 2): fc.Arbitrary<number[]> =>
  fc.array(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v)), { minLength: n, maxLength: n });

/** A float64 tensor of a fixed shape with values in [min, max]. */
const arbF64 = (shape: readonly number[], min = -2, max = 2): fc.Arbitrary<Tensor> => arbTensor({ shape: [...shape], dtype: 'float64', min, max });

/** Number → itself, or a list of n copies when `asList` (both spellings of a per-dim option). */
const sizeArg = (v: readonly number[], asList: boolean): number | number[] =>
  !asList && v.every((x) => x === v[0]) ? v[0] : [...v];

/**
 * Throws unless `actual` has `expected`'s shape and |a − e| ≤ atol + rtol·|e| everywhere (equal infinities and
 * NaN against NaN count as equal), naming the worst element.
 */
function expectClose(actual: Tensor | Arr, expected: Arr | Tensor, tol: { rtol?: number; atol?: number } = {}, what = ''): void {
  const a = actual instanceof Tensor ? toArr(actual) : actual;
  const e = expected instanceof Tensor ? toArr(expected) : expected;
  const rtol = tol.rtol ?? 1e-12, atol = tol.atol ?? 1e-12;
  if (shapeText(a.shape) !== shapeText(e.shape)) throw new Error(`${what}: shape ${shapeText(a.shape)}, expected ${shapeText(e.shape)}`);
  let worst = -1, worstDiff = -1;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i], y = e.data[i];
    const ok = Number.isNaN(x) || Number.isNaN(y) ? Number.isNaN(x) && Number.isNaN(y) : x === y || Math.abs(x - y) <= atol + rtol * Math.abs(y);
    if (!ok) {
      const d = Number.isFinite(x - y) ? Math.abs(x - y) : Infinity;
      if (d > worstDiff) { worstDiff = d; worst = i; }
    }
  }
  if (worst >= 0) {
    throw new Error(`${what}: element [${unravel(worst, a.shape).join(', ')}] of ${shapeText(a.shape)} is ${a.data[worst]}, expected ${e.data[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}

const allFinite = (t: Tensor): boolean => Array.from(t.toTypedArray(), Number).every(Number.isFinite);

const REDUCTIONS = ['mean', 'sum', 'none'] as const;

// ---------------------------------------------------------------------------------------------------------
// 1. convolution

interface ConvCase {
  n: 1 | 2;
  x: Tensor;
  w: Tensor;
  b: Tensor | null;
  opts: F.ConvOptions;
  /** The options as the reference takes them (per-dim lists or 'same'). */
  refOpts: { stride: number[]; padding: number[] | 'same'; dilation: number[]; groups: number };
}

/**
 * A random convolution: groups 1–3 (Cin, Cout multiples), kernel 1–3, stride 1–3, padding 0–2 or 'same' (then
 * stride 1), dilation 1–2, bias or none, batch 0–2 (or unbatched), spatial sizes that fit the kernel. `small`
 * limits the sizes for gradcheck.
 */
function arbConv(n: 1 | 2, small = false): fc.Arbitrary<ConvCase> {
  const dims = (min: number, max: number) => fc.array(fc.integer({ min, max }), { minLength: n, maxLength: n });
  return fc.record({
    N: fc.integer({ min: small ? 1 : 0, max: small ? 1 : 2 }),
    unbatched: fc.boolean(),
    groups: fc.integer({ min: 1, max: small ? 2 : 3 }),
    cinG: fc.integer({ min: 1, max: small ? 1 : 2 }),
    coutG: fc.integer({ min: 1, max: 2 }),
    kernel: dims(1, small && n === 2 ? 2 : 3),
    stride: dims(1, 3),
    dilation: dims(1, 2),
    padding: fc.oneof(fc.constant('same' as const), dims(0, 2)),
    extra: dims(0, small ? 1 : 3),
    bias: fc.boolean(),
    asList: fc.boolean(),
  }).chain((c) => {
    const stride = c.padding === 'same' ? new Array<number>(n).fill(1) : c.stride;
    const extent = c.kernel.map((k, i) => c.dilation[i] * (k - 1) + 1);
    const padTotal = c.padding === 'same' ? extent.map((e) => e - 1) : c.padding.map((p) => 2 * p);
    const spatial = extent.map((e, i) => Math.max(1, e - padTotal[i]) + c.extra[i]);
    const Cin = c.groups * c.cinG, Cout = c.groups * c.coutG;
    const xShape = c.N === 1 && c.unbatched ? [Cin, ...spatial] : [c.N, Cin, ...spatial];
    return fc.tuple(arbF64(xShape), arbF64([Cout, c.cinG, ...c.kernel]), c.bias ? arbF64([Cout]) : fc.constant(null)).map(([x, w, b]): ConvCase => ({
      n, x, w, b,
      opts: {
        stride: sizeArg(stride, c.asList),
        padding: c.padding === 'same' ? 'same' : sizeArg(c.padding, c.asList),
        dilation: sizeArg(c.dilation, c.asList),
        groups: c.groups,
      },
      refOpts: { stride, padding: c.padding, dilation: c.dilation, groups: c.groups },
    }));
  });
}

const conv = (c: ConvCase) => (c.n === 1 ? F.conv1d : F.conv2d);
const convRef = (c: ConvCase) => (c.n === 1 ? refL.conv1d : refL.conv2d);

describe('F.conv1d / F.conv2d on random configurations', () => {
  for (const n of [1, 2] as const) {
    it(`conv${n}d forward equals the plain-loop reference`, () => {
      fc.assert(fc.property(arbConv(n), (c) => {
        const y = conv(c)(c.x, c.w, c.b, c.opts);
        const want = convRef(c)(toArr(c.x), toArr(c.w), c.b ? toArr(c.b) : null, c.refOpts);
        expectClose(y, want, { rtol: 1e-12, atol: 1e-13 }, `conv${n}d ${shapeText(c.x.shape)} * ${shapeText(c.w.shape)} ${JSON.stringify(c.opts)}`);
      }), runs(100));
    });

    it(`conv${n}d gradcheck w.r.t. input, weight and bias on small cases`, () => {
      fc.assert(fc.property(arbConv(n, true), (c) => {
        const x = c.x.requiresGrad_(), w = c.w.requiresGrad_(), b = c.b?.requiresGrad_();
        const f = conv(c);
        expect(b
          ? gradcheck((x, w, b) => f(x, w, b, c.opts), [x, w, b])
          : gradcheck((x, w) => f(x, w, null, c.opts), [x, w])).toBe(true);
      }), runs(15));
    });
  }

  it('conv1d(x, w) equals conv2d(x.unsqueeze(2), w.unsqueeze(2)) with H = 1', () => {
    fc.assert(fc.property(arbConv(1), (c) => {
      const o = c.refOpts;
      const y1 = F.conv1d(c.x, c.w, c.b, c.opts);
      const hDim = c.x.ndim - 1; // before L: [N, C, 1, L] or [C, 1, L]
      const y2 = F.conv2d(c.x.unsqueeze(hDim), c.w.unsqueeze(2), c.b, {
        stride: [1, o.stride[0]],
        padding: o.padding === 'same' ? 'same' : [0, o.padding[0]],
        dilation: [1, o.dilation[0]],
        groups: o.groups,
      });
      expect([...y2.shape]).toEqual([...y1.shape.slice(0, -1), 1, y1.shape[y1.ndim - 1]]);
      expectClose(y2.squeeze(y2.ndim - 2), y1, { rtol: 1e-14, atol: 1e-14 }, 'conv2d with H = 1');
    }), runs(60));
  });
});

// ---------------------------------------------------------------------------------------------------------
// 2. pooling

interface PoolCase {
  n: 1 | 2;
  shape: number[];
  kernel: number[];
  stride: number[] | null;
  padding: number[];
  dilation: number[];
  ceilMode: boolean;
  countIncludePad: boolean;
  divisorOverride: number | null;
  asList: boolean;
}

/**
 * A random pooling configuration: kernel 1–3, stride 1–3 or the default, padding ≤ kernel/2, dilation 1–2,
 * ceilMode, countIncludePad; `dense` asks for inputs long enough that every window holds an input element.
 */
function arbPool(n: 1 | 2, dense = false): fc.Arbitrary<PoolCase> {
  const dims = (min: number, max: number) => fc.array(fc.integer({ min, max }), { minLength: n, maxLength: n });
  return fc.record({
    N: fc.integer({ min: dense ? 1 : 0, max: 2 }),
    unbatched: fc.boolean(),
    C: fc.integer({ min: 1, max: 2 }),
    kernel: dims(1, 3),
    stride: fc.option(dims(1, 3), { nil: null }),
    padUnits: dims(0, 1),
    dilation: dims(1, 2),
    extra: dims(0, 3),
    ceilMode: fc.boolean(),
    countIncludePad: fc.boolean(),
    divisorOverride: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 4 }),
    asList: fc.boolean(),
  }).map((c): PoolCase => {
    const padding = c.kernel.map((k, i) => Math.min(c.padUnits[i], Math.floor(k / 2)));
    const extent = c.kernel.map((k, i) => c.dilation[i] * (k - 1) + 1);
    const spatial = extent.map((e, i) => (dense ? e : Math.max(1, e - 2 * padding[i])) + c.extra[i]);
    return {
      n, shape: c.N === 1 && c.unbatched ? [c.C, ...spatial] : [c.N, c.C, ...spatial],
      kernel: c.kernel, stride: c.stride, padding, dilation: c.dilation, ceilMode: c.ceilMode,
      countIncludePad: c.countIncludePad, divisorOverride: n === 2 ? c.divisorOverride : null, asList: c.asList,
    };
  });
}

const maxPool = (p: PoolCase, x: Tensor) => (p.n === 1 ? F.maxPool1d : F.maxPool2d)(x, sizeArg(p.kernel, p.asList), {
  stride: p.stride && sizeArg(p.stride, p.asList), padding: sizeArg(p.padding, p.asList), dilation: sizeArg(p.dilation, p.asList), ceilMode: p.ceilMode,
});

/** A shuffled ladder: pairwise distinct values, so every window has one maximum. */
const distinctVals = (n: number) =>
  fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }).map((r) => r.map((v) => 0.25 * v - 3));

describe('F.maxPool1d/2d and F.avgPool1d/2d on random windows', () => {
  for (const n of [1, 2] as const) {
    it(`maxPool${n}d forward equals the plain-loop reference`, () => {
      fc.assert(fc.property(arbPool(n).chain((p) => fc.tuple(fc.constant(p), arbF64(p.shape))), ([p, x]) => {
        const y = maxPool(p, x);
        const want = (n === 1 ? refL.maxPool1d : refL.maxPool2d)(toArr(x), p.kernel, { stride: p.stride, padding: p.padding, dilation: p.dilation, ceilMode: p.ceilMode });
        expectClose(y, want, { rtol: 0, atol: 0 }, `maxPool${n}d ${shapeText(p.shape)} ${JSON.stringify(p)}`);
      }), runs(100));
    });

    it(`avgPool${n}d forward equals the plain-loop reference`, () => {
      fc.assert(fc.property(arbPool(n).chain((p) => fc.tuple(fc.constant(p), arbF64(p.shape))), ([p, x]) => {
        const opts = {
          stride: p.stride && sizeArg(p.stride, p.asList), padding: sizeArg(p.padding, p.asList), ceilMode: p.ceilMode,
          countIncludePad: p.countIncludePad, ...(n === 2 ? { divisorOverride: p.divisorOverride } : {}),
        };
        const y = n === 1 ? F.avgPool1d(x, sizeArg(p.kernel, p.asList), opts) : F.avgPool2d(x, sizeArg(p.kernel, p.asList), opts);
        const want = (n === 1 ? refL.avgPool1d : refL.avgPool2d)(toArr(x), p.kernel, {
          stride: p.stride, padding: p.padding, ceilMode: p.ceilMode, countIncludePad: p.countIncludePad, divisorOverride: p.divisorOverride,
        });
        expectClose(y, want, { rtol: 1e-13, atol: 1e-14 }, `avgPool${n}d ${shapeText(p.shape)} ${JSON.stringify(opts)} kernel ${shapeText(p.kernel)}`);
      }), runs(100));
    });

    it(`maxPool${n}d: with distinct inputs, the gradient of out.sum() counts the windows that picked each element`, () => {
      fc.assert(fc.property(arbPool(n, true).chain((p) => fc.tuple(fc.constant(p), distinctVals(numelOf(p.shape)))), ([p, vals]) => {
        const x = f64(vals, p.shape).requiresGrad_();
        const y = maxPool(p, x);
        y.sum().backward();
        // the expected counts by plain loops over the reference's windows
        const xb = p.shape.length === n + 2 ? p.shape : [1, ...p.shape];
        const [N, C] = xb, spatial = xb.slice(2);
        const outSp = (n === 1 ? refL.maxPool1d : refL.maxPool2d)(toArr(x.detach()), p.kernel, { stride: p.stride, padding: p.padding, dilation: p.dilation, ceilMode: p.ceilMode }).shape.slice(-n);
        const stride = p.stride ?? p.kernel;
        const count = new Array<number>(vals.length).fill(0);
        for (let nc = 0; nc < N * C; nc++) {
          for (let o = 0; o < numelOf(outSp); o++) {
            const start = unravel(o, outSp).map((v, i) => v * stride[i] - p.padding[i]);
            let best = -1;
            for (let k = 0; k < numelOf(p.kernel); k++) {
              const pos = unravel(k, p.kernel).map((v, i) => start[i] + v * p.dilation[i]);
              if (pos.some((v, i) => v < 0 || v >= spatial[i])) continue;
              const flat = nc * numelOf(spatial) + ravel(pos, spatial);
              if (best < 0 || vals[flat] > vals[best]) best = flat;
            }
            expect(best).toBeGreaterThanOrEqual(0); // every window holds an input element
            count[best]++;
          }
        }
        const g = Array.from(x.grad!.toTypedArray(), Number);
        expect(g).toEqual(count);
        expect(g.reduce((a, b) => a + b, 0)).toBe(y.numel());
      }), runs(60));
    });
  }
});

// ---------------------------------------------------------------------------------------------------------
// 3. linear

describe('F.linear', () => {
  it('equals x·Wᵀ + b (plain loops) for random leading batch dims, 1-d or 2-d weight, and bias shapes', () => {
    const arb = fc.record({
      batch: arbShape({ maxDims: 3, maxSide: 3, allowZero: true }),
      inF: fc.integer({ min: 1, max: 4 }),
      outF: fc.integer({ min: 1, max: 4 }),
      vecW: fc.boolean(),
      bias: fc.constantFrom('none', 'full', 'one', 'scalar'),
    }).chain((c) => {
      const wShape = c.vecW ? [c.inF] : [c.outF, c.inF];
      // a 1-d weight gives a [*] output, to which only a 0-d bias broadcasts without growing it
      const bShape = c.bias === 'none' ? null : c.vecW || c.bias === 'scalar' ? [] : c.bias === 'one' ? [1] : [c.outF];
      return fc.tuple(arbF64([...c.batch, c.inF], -3, 3), arbF64(wShape, -3, 3), bShape ? arbF64(bShape, -3, 3) : fc.constant(null));
    });
    fc.assert(fc.property(arb, ([x, w, b]) => {
      const y = F.linear(x, w, b);
      expectClose(y, refL.linear(toArr(x), toArr(w), b ? toArr(b) : null), { rtol: 1e-13, atol: 1e-13 }, `linear ${shapeText(x.shape)} ${shapeText(w.shape)} ${b ? shapeText(b.shape) : 'no bias'}`);
    }), runs(100));
  });
});

// ---------------------------------------------------------------------------------------------------------
// 4. normalization

/** Mean and biased variance of `data` at the flat positions `idx`, by plain loops. */
function moments(data: ArrayLike<number>, idx: number[]): { mean: number; var: number } {
  let s = 0;
  for (const i of idx) s += data[i];
  const mean = s / idx.length;
  let q = 0;
  for (const i of idx) q += (data[i] - mean) ** 2;
  return { mean, var: q / idx.length };
}

/** Flat positions of `shape` grouped by a key of their multi-index. */
function groupsOf(shape: readonly number[], key: (idx: number[]) => number, count: number): number[][] {
  const out: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < numelOf(shape); i++) out[key(unravel(i, shape))].push(i);
  return out;
}

/**
 * The rounding error to allow in standardized values: the mean is off by about n·ε·max|x| (n values summed), and
 * dividing by √(v + eps) magnifies it; inputs with a large offset and a tiny spread (scale 1e-3 against an
 * offset of 5) are the worst case. 8·ε·n·max|x|/√(v + eps) over the groups, and never below 1e-14.
 */
function normTol(x: Tensor, groups: number[][], eps: number): number {
  const xs = x.toTypedArray();
  let tol = 1e-14;
  for (const g of groups) {
    const { var: v } = moments(xs, g);
    const big = g.reduce((m, i) => Math.max(m, Math.abs(xs[i])), 0);
    tol = Math.max(tol, (8 * Number.EPSILON * g.length * big) / Math.sqrt(v + eps));
  }
  return tol;
}

/** Standardized groups: mean ≈ 0 and biased variance ≈ v/(v + eps), v the group's variance in the input. */
function expectStandardized(x: Tensor, y: Tensor, groups: number[][], eps: number, what: string): number {
  const xs = x.toTypedArray(), ys = y.toTypedArray();
  const tol = normTol(x, groups, eps);
  groups.forEach((g, k) => {
    const vx = moments(xs, g).var, my = moments(ys, g);
    if (Math.abs(my.mean) > tol) throw new Error(`${what}: group ${k} has mean ${my.mean}, expected 0 (± ${tol})`);
    const want = vx / (vx + eps);
    if (Math.abs(my.var - want) > 1e-10) throw new Error(`${what}: group ${k} has variance ${my.var}, expected ${want} (input variance ${vx}, eps ${eps})`);
  });
  return tol;
}

/** Inputs offset + scale·u: scales from below √eps (where eps matters) to 10. */
const arbNormInput = (shape: number[]) =>
  fc.tuple(arbVals(numelOf(shape), -3, 3), fc.double({ min: -5, max: 5, noNaN: true }), fc.constantFrom(1e-3, 0.1, 1, 10))
    .map(([u, off, s]) => f64(u.map((v) => off + s * v), shape));

const arbEps = fc.constantFrom(1e-5, 1e-3, 0.1);

describe('normalizations', () => {
  it('batchNorm (training): per-channel mean ≈ 0, biased var ≈ v/(v+eps), running stats updated, equals the reference', () => {
    const arb = fc.record({
      N: fc.integer({ min: 1, max: 3 }),
      C: fc.integer({ min: 1, max: 3 }),
      spatial: arbShape({ maxDims: 2, maxSide: 3 }),
      eps: arbEps,
      momentum: fc.double({ min: 0, max: 1, noNaN: true }),
      affine: fc.boolean(),
    }).filter((c) => c.N * numelOf(c.spatial) > 1).chain((c) => fc.tuple(
      fc.constant(c),
      arbNormInput([c.N, c.C, ...c.spatial]),
      arbF64([c.C], -1, 1), arbF64([c.C], 0.5, 2), arbF64([c.C], -2, 2), arbF64([c.C], -2, 2),
    ));
    fc.assert(fc.property(arb, ([c, x, rm0, rv0, weight, bias]) => {
      const rm = rm0.clone(), rv = rv0.clone();
      const y = F.batchNorm(x, rm, rv, { training: true, momentum: c.momentum, eps: c.eps });
      const what = `batchNorm ${shapeText(x.shape)} eps ${c.eps}`;
      const tol = expectStandardized(x, y, groupsOf(x.shape, (idx) => idx[1], c.C), c.eps, what);
      const run = refN.batchNormRunning(toArr(x), toArr(rm0), toArr(rv0), c.momentum);
      expectClose(rm, { shape: [c.C], data: run.mean, dtype: 'float64' }, { rtol: 1e-12, atol: 1e-14 }, `${what}: runningMean`);
      expectClose(rv, { shape: [c.C], data: run.var, dtype: 'float64' }, { rtol: 1e-12, atol: 1e-14 }, `${what}: runningVar`);
      // with the affine parameters, against the reference (training and evaluation)
      const o = c.affine ? { weight, bias, eps: c.eps } : { eps: c.eps };
      const ro = c.affine ? { weight: toArr(weight), bias: toArr(bias), eps: c.eps } : { eps: c.eps };
      expectClose(F.batchNorm(x, null, null, { ...o, training: true }), refN.batchNorm(toArr(x), null, null, { ...ro, training: true }), { rtol: 1e-12, atol: 2 * tol }, `${what} (training)`);
      expectClose(F.batchNorm(x, rm0, rv0, o), refN.batchNorm(toArr(x), toArr(rm0), toArr(rv0), ro), { rtol: 1e-12, atol: 1e-12 }, `${what} (eval)`);
    }), runs(80));
  });

  it('layerNorm over random trailing dims: per-sample mean ≈ 0, biased var ≈ v/(v+eps), equals the reference', () => {
    const arb = arbShape({ minDims: 1, maxDims: 4, maxSide: 3 }).chain((shape) => fc.tuple(
      fc.constant(shape),
      fc.integer({ min: 1, max: shape.length }),
      arbNormInput(shape),
      arbEps,
      fc.boolean(), fc.boolean(),
    ).chain(([shape, k, x, eps, hasW, hasB]) => {
      const ns = shape.slice(shape.length - k);
      return fc.tuple(fc.constant({ ns, x, eps }), hasW ? arbF64(ns) : fc.constant(null), hasB ? arbF64(ns) : fc.constant(null));
    }));
    fc.assert(fc.property(arb, ([{ ns, x, eps }, weight, bias]) => {
      const what = `layerNorm ${shapeText(x.shape)} over ${shapeText(ns)} eps ${eps}`;
      const lead = x.shape.slice(0, x.ndim - ns.length);
      const y = F.layerNorm(x, ns.length === 1 && ns[0] % 2 === 0 ? ns[0] : ns, { eps });
      const tol = expectStandardized(x, y, groupsOf(x.shape, (idx) => ravel(idx.slice(0, lead.length), lead), numelOf(lead)), eps, what);
      const yw = F.layerNorm(x, ns, { weight, bias, eps });
      expectClose(yw, refN.layerNorm(toArr(x), ns, { weight: weight && toArr(weight), bias: bias && toArr(bias), eps }), { rtol: 1e-12, atol: 2 * tol }, what);
    }), runs(80));
  });

  it('preNorm: per-sample mean ≈ 0, biased var ≈ v/(v+eps), equals the reference with per-channel weight and bias', () => {
    const arb = arbShape({ minDims: 2, maxDims: 4, maxSide: 3 }).chain((shape) => fc.tuple(
      arbNormInput(shape), arbEps, fc.option(arbF64([shape[1]]), { nil: null }), fc.option(arbF64([shape[1]]), { nil: null }),
    ));
    fc.assert(fc.property(arb, ([x, eps, weight, bias]) => {
      const what = `preNorm ${shapeText(x.shape)} eps ${eps}`;
      const y = F.preNorm(x, { eps });
      const tol = expectStandardized(x, y, groupsOf(x.shape, (idx) => idx[0], x.shape[0]), eps, what);
      expectClose(F.preNorm(x, { eps, weight, bias }), refN.preNorm(toArr(x), { eps, weight: weight && toArr(weight), bias: bias && toArr(bias) }), { rtol: 1e-12, atol: 2 * tol }, what);
    }), runs(80));
  });
});

// ---------------------------------------------------------------------------------------------------------
// 5. activations

/** Values across the whole range ±50, with the branch points and a few exact specials mixed in. */
const arbActInput = arbShape({ maxDims: 3, maxSide: 4 }).chain((shape) => fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: -50, max: 50, noNaN: true }) },
    { weight: 3, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, 50, -50, 1e-300, -1e-300, 20, -20, 1, -1) },
  ),
  { minLength: numelOf(shape), maxLength: numelOf(shape) },
).map((vals) => f64(vals, shape)));

type Act = [name: string, arb: fc.Arbitrary<unknown>, fn: (x: Tensor, p: never) => Tensor, ref: (x: Arr, p: never) => Arr, tol?: { rtol: number; atol: number }];

const activations: Act[] = [
  ['leakyRelu', fc.double({ min: -2, max: 2, noNaN: true }), (x, s: number) => F.leakyRelu(x, s), (x, s: number) => refN.leakyRelu(x, s)],
  ['elu', fc.double({ min: 0, max: 3, noNaN: true }), (x, a: number) => F.elu(x, a), (x, a: number) => refN.elu(x, a)],
  ['selu', fc.constant(null), (x) => F.selu(x), (x) => refN.selu(x)],
  ['gelu', fc.constantFrom('none' as const, 'tanh' as const), (x, a: 'none' | 'tanh') => F.gelu(x, { approximate: a }), (x, a: string) => refN.gelu(x, { approximate: a }), { rtol: 1e-10, atol: 1e-13 }],
  ['softplus', fc.record({ beta: fc.oneof(fc.double({ min: 0.25, max: 3, noNaN: true }), fc.double({ min: -3, max: -0.25, noNaN: true })), threshold: fc.double({ min: 1, max: 30, noNaN: true }) }),
    (x, o: { beta: number; threshold: number }) => F.softplus(x, o), (x, o: { beta: number; threshold: number }) => refN.softplus(x, o)],
  ['silu', fc.constant(null), (x) => F.silu(x), (x) => refN.silu(x)],
  ['logSigmoid', fc.constant(null), (x) => F.logSigmoid(x), (x) => refN.logSigmoid(x)],
  ['hardtanh', fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)]),
    (x, [lo, hi]: number[]) => F.hardtanh(x, lo, hi), (x, [lo, hi]: number[]) => refN.hardtanh(x, lo, hi)],
];

describe('activations on random float64 tensors up to ±50', () => {
  for (const [name, arbParam, fn, ref, tol] of activations) {
    it(`${name} equals the reference, is finite, and has finite gradients`, () => {
      fc.assert(fc.property(arbActInput, arbParam, (x0, p) => {
        const x = x0.clone().requiresGrad_();
        const y = fn(x, p as never);
        expectClose(y, ref(toArr(x0), p as never), tol ?? { rtol: 1e-12, atol: 1e-15 }, `${name}(${JSON.stringify(p)}) of ${shapeText(x0.shape)}`);
        expect(allFinite(y)).toBe(true);
        y.sum().backward();
        if (x.numel() > 0) expect(allFinite(x.grad!)).toBe(true);
      }), runs(40));
    });
  }

  it('identities: silu = x·σ(x), logSigmoid(x) = −softplus(−x), selu = scale·elu(x, alpha), hardtanh within bounds, tanh-GELU within 1e-3', () => {
    const SELU_ALPHA = 1.6732632423543772848170429916717, SELU_SCALE = 1.0507009873554804934193349852946;
    fc.assert(fc.property(arbActInput, fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (x, lo, width) => {
      const xs = Array.from(x.toTypedArray(), Number);
      expectClose(F.silu(x), x.mul(x.sigmoid()), { rtol: 1e-15, atol: 0 }, 'silu');
      // softplus's default threshold 20 returns the input itself above it (an approximation): lift it past ±50
      expectClose(F.logSigmoid(x), F.softplus(x.neg(), { threshold: 1000 }).neg(), { rtol: 1e-13, atol: 1e-300 }, 'logSigmoid vs softplus');
      // (the two roundings differ by an ulp, which for subnormal results exceeds any relative tolerance)
      expectClose(F.selu(x), F.elu(x, SELU_ALPHA).mul(SELU_SCALE), { rtol: 1e-14, atol: 1e-300 }, 'selu vs elu');
      const hi = lo + width;
      const h = Array.from(F.hardtanh(x, lo, hi).toTypedArray(), Number);
      h.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(lo);
        expect(v).toBeLessThanOrEqual(hi);
        const want = xs[i] > lo && xs[i] < hi ? xs[i] : xs[i] <= lo ? lo : hi;
        if (v !== want) throw new Error(`hardtanh(${xs[i]}, ${lo}, ${hi}) = ${v}, expected ${want}`);
      });
      const exact = F.gelu(x).toTypedArray(), approx = F.gelu(x, { approximate: 'tanh' }).toTypedArray();
      for (let i = 0; i < exact.length; i++) expect(Math.abs(exact[i] - approx[i])).toBeLessThanOrEqual(1e-3);
    }), runs(60));
  });
});

// ---------------------------------------------------------------------------------------------------------
// 6. losses

/** Random class-index cross-entropy problems: [C], [N, C] or [N, C, d]; weights, ignored targets, smoothing. */
const arbClassProblem = fc.record({
  layout: fc.constantFrom('unbatched', 'batched', 'spatial'),
  N: fc.integer({ min: 1, max: 4 }),
  C: fc.integer({ min: 1, max: 5 }),
  d: fc.integer({ min: 1, max: 3 }),
  weighted: fc.boolean(),
  ignore: fc.oneof(fc.constant(-100), fc.constant(-1), fc.integer({ min: 0, max: 4 })),
  ignoreFreq: fc.constantFrom(0, 0.25, 1),
  smoothing: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(1)),
}).chain((c) => {
  const xShape = c.layout === 'unbatched' ? [c.C] : c.layout === 'batched' ? [c.N, c.C] : [c.N, c.C, c.d];
  const tShape = xShape.filter((_, i) => i !== (xShape.length === 1 ? 0 : 1));
  const nt = numelOf(tShape);
  return fc.record({
    c: fc.constant(c),
    x: arbF64(xShape, -20, 20),
    t: fc.tuple(fc.array(fc.integer({ min: 0, max: c.C - 1 }), { minLength: nt, maxLength: nt }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: nt, maxLength: nt }))
      .map(([cls, u]) => i32(cls.map((v, i) => (u[i] < c.ignoreFreq ? c.ignore : v)), tShape)),
    w: arbF64([c.C], 0.1, 3),
  });
});

/** A float tensor in [0, 1] with exact 0, ½ and 1 mixed in. */
const arbProb = (shape: number[]) => fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.5, 1)), { minLength: numelOf(shape), maxLength: numelOf(shape) }).map((v) => f64(v, shape));

describe('losses', () => {
  it('crossEntropy (class indices) with weights, ignored targets and label smoothing equals the reference for every reduction', () => {
    fc.assert(fc.property(arbClassProblem, ({ c, x, t, w }) => {
      for (const reduction of REDUCTIONS) {
        const o = { weight: c.weighted ? w : null, ignoreIndex: c.ignore, labelSmoothing: c.smoothing, reduction };
        const want = refLoss.crossEntropy(toArr(x), toArr(t), { ...o, weight: c.weighted ? toArr(w) : null });
        expectClose(F.crossEntropy(x, t, o), want, { rtol: 1e-12, atol: 1e-12 }, `crossEntropy ${shapeText(x.shape)} ${JSON.stringify({ ...o, weight: c.weighted, t: Array.from(t.toTypedArray()) })}`);
      }
    }), runs(60));
  });

  it('crossEntropy with one-hot float targets equals the class-index version (mean, sum, none)', () => {
    fc.assert(fc.property(arbClassProblem, ({ x, t: t0, c }) => {
      const t = i32(Array.from(t0.toTypedArray(), (v) => (v < 0 || v >= c.C ? 0 : v)), t0.shape);
      // oneHot puts the class dim last: [C], [N, C] or [N, d, C]; the input has it at 1 ([N, C, d])
      const oh = cast(F.oneHot(t, c.C), 'float64');
      const probs = x.ndim === 3 ? oh.permute([0, 2, 1]) : oh;
      for (const reduction of REDUCTIONS) {
        expectClose(F.crossEntropy(x, probs, { reduction }), F.crossEntropy(x, t, { reduction }), { rtol: 1e-13, atol: 1e-14 }, `one-hot crossEntropy ${reduction}`);
      }
    }), runs(40));
  });

  it('crossEntropy with probability targets, class weights and label smoothing equals the reference for every reduction', () => {
    fc.assert(fc.property(arbClassProblem.chain((p) => fc.tuple(fc.constant(p), arbProb([...p.x.shape]))), ([{ c, x, w }, t]) => {
      for (const reduction of REDUCTIONS) {
        const o = { weight: c.weighted ? w : null, labelSmoothing: c.smoothing, reduction };
        const want = refLoss.crossEntropy(toArr(x), toArr(t), { ...o, weight: c.weighted ? toArr(w) : null });
        expectClose(F.crossEntropy(x, t, o), want, { rtol: 1e-12, atol: 1e-12 }, `crossEntropy (probabilities) ${shapeText(x.shape)} ${reduction}`);
      }
    }), runs(40));
  });

  it('nllLoss(logSoftmax(x)) equals crossEntropy(x) with weights and ignored targets', () => {
    fc.assert(fc.property(arbClassProblem, ({ c, x, t, w }) => {
      for (const reduction of REDUCTIONS) {
        const o = { weight: c.weighted ? w : null, ignoreIndex: c.ignore, reduction };
        const logp = F.logSoftmax(x, x.ndim === 1 ? 0 : 1);
        expectClose(F.nllLoss(logp, t, o), F.crossEntropy(x, t, o), { rtol: 1e-13, atol: 1e-14 }, `nllLoss ${reduction}`);
        expectClose(F.nllLoss(logp, t, o), refLoss.nllLoss(toArr(logp), toArr(t), { ...o, weight: c.weighted ? toArr(w) : null }), { rtol: 1e-12, atol: 1e-12 }, `nllLoss reference ${reduction}`);
      }
    }), runs(40));
  });

  it('binaryCrossEntropyWithLogits(x, t) = binaryCrossEntropy(sigmoid(x), t) for |x| ≤ 10, and equals its reference', () => {
    const arb = arbShape({ maxDims: 2, maxSide: 4 }).chain((s) => fc.tuple(arbF64(s, -10, 10), arbProb(s), fc.option(arbF64(s, 0.1, 3), { nil: null }), fc.option(arbF64(s, 0.1, 3), { nil: null })));
    fc.assert(fc.property(arb, ([x, t, weight, posWeight]) => {
      for (const reduction of REDUCTIONS) {
        const viaProb = F.binaryCrossEntropy(x.sigmoid(), t, { weight, reduction });
        expectClose(F.binaryCrossEntropyWithLogits(x, t, { weight, reduction }), viaProb, { rtol: 1e-9, atol: 1e-10 }, `bce with logits vs bce(σ) ${reduction}`);
        const want = refLoss.binaryCrossEntropyWithLogits(toArr(x), toArr(t), { weight: weight && toArr(weight), posWeight: posWeight && toArr(posWeight), reduction });
        expectClose(F.binaryCrossEntropyWithLogits(x, t, { weight, posWeight, reduction }), want, { rtol: 1e-12, atol: 1e-13 }, `bce with logits reference ${reduction}`);
      }
    }), runs(60));
  });

  it('binaryCrossEntropyWithLogits stays finite, with finite gradients, for logits up to ±100', () => {
    const arb = arbShape({ minDims: 1, maxDims: 2, maxSide: 4 }).chain((s) => fc.tuple(
      fc.array(fc.oneof(fc.double({ min: -100, max: 100, noNaN: true }), fc.constantFrom(-100, 100, 0, 50, -50)), { minLength: numelOf(s), maxLength: numelOf(s) }).map((v) => f64(v, s)),
      arbProb(s), fc.option(arbF64(s, 0.1, 3), { nil: null }), fc.constantFrom(...REDUCTIONS),
    ));
    fc.assert(fc.property(arb, ([x0, t0, posWeight, reduction]) => {
      const x = x0.clone().requiresGrad_(), t = t0.clone().requiresGrad_();
      const l = F.binaryCrossEntropyWithLogits(x, t, { posWeight, reduction });
      expect(allFinite(l)).toBe(true);
      expectClose(l, refLoss.binaryCrossEntropyWithLogits(toArr(x0), toArr(t0), { posWeight: posWeight && toArr(posWeight), reduction }), { rtol: 1e-12, atol: 1e-13 }, 'bce with logits ±100');
      l.sum().backward();
      expect(allFinite(x.grad!)).toBe(true);
      expect(allFinite(t.grad!)).toBe(true);
    }), runs(60));
  });

  it('klDiv equals the reference for every reduction (batchmean included), with and without logTarget', () => {
    const arb = arbBroadcastShapes({ count: 2, maxDims: 3, maxSide: 3 }).chain(([sa, sb]) => fc.tuple(arbF64(sa, -5, 1), arbProb(sb), fc.boolean()));
    fc.assert(fc.property(arb, ([x, t, logTarget]) => {
      const tt = logTarget ? t.sub(0.5).mul(4) : t; // log-targets anywhere in [-2, 2]
      for (const reduction of ['mean', 'sum', 'none', 'batchmean'] as const) {
        expectClose(F.klDiv(x, tt, { reduction, logTarget }), refLoss.klDiv(toArr(x), toArr(tt), { reduction, logTarget }), { rtol: 1e-12, atol: 1e-13 }, `klDiv ${shapeText(x.shape)} ${shapeText(t.shape)} ${reduction} logTarget ${logTarget}`);
      }
    }), runs(40));
  });

  it('klDiv of distributions (batchmean) is ≥ 0, and 0 for equal distributions', () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 })).chain(([n, c]) => fc.tuple(arbF64([n, c], -5, 5), arbF64([n, c], -5, 5)));
    fc.assert(fc.property(arb, ([a, b]) => {
      const kl = F.klDiv(F.logSoftmax(a, 1), F.softmax(b, 1), { reduction: 'batchmean' }).item();
      expect(kl).toBeGreaterThanOrEqual(-1e-14);
      expect(Math.abs(F.klDiv(F.logSoftmax(a, 1), F.softmax(a, 1), { reduction: 'batchmean' }).item())).toBeLessThanOrEqual(1e-13);
      expect(Math.abs(F.klDiv(F.logSoftmax(a, 1), F.logSoftmax(a, 1), { reduction: 'batchmean', logTarget: true }).item())).toBeLessThanOrEqual(1e-13);
    }), runs(40));
  });

  it('mse / l1 / huber / smoothL1 equal their references, are ≥ 0, and huber(delta) = delta·smoothL1(beta = delta)', () => {
    const arb = arbBroadcastShapes({ count: 2, maxDims: 3, maxSide: 3 }).chain(([sa, sb]) => fc.tuple(
      arbF64(sa, -5, 5), arbF64(sb, -5, 5),
      fc.double({ min: 0.05, max: 4, noNaN: true }),
      fc.oneof(fc.constant(0), fc.double({ min: 0.05, max: 4, noNaN: true })),
    ));
    fc.assert(fc.property(arb, ([x, y, delta, beta]) => {
      const X = toArr(x), Y = toArr(y);
      for (const reduction of REDUCTIONS) {
        const cases: [string, Tensor, Arr][] = [
          ['mseLoss', F.mseLoss(x, y, { reduction }), refLoss.mseLoss(X, Y, { reduction })],
          ['l1Loss', F.l1Loss(x, y, { reduction }), refLoss.l1Loss(X, Y, { reduction })],
          ['huberLoss', F.huberLoss(x, y, { reduction, delta }), refLoss.huberLoss(X, Y, { reduction, delta })],
          ['smoothL1Loss', F.smoothL1Loss(x, y, { reduction, beta }), refLoss.smoothL1Loss(X, Y, { reduction, beta })],
        ];
        for (const [name, got, want] of cases) {
          expectClose(got, want, { rtol: 1e-12, atol: 1e-13 }, `${name} ${shapeText(x.shape)} ${shapeText(y.shape)} ${reduction}`);
          for (const v of got.toTypedArray()) expect(v).toBeGreaterThanOrEqual(0);
        }
        expectClose(F.huberLoss(x, y, { reduction, delta }), F.smoothL1Loss(x, y, { reduction, beta: delta }).mul(delta), { rtol: 1e-12, atol: 1e-13 }, `huber(${delta}) vs ${delta}·smoothL1 ${reduction}`);
      }
    }), runs(60));
  });
});

// ---------------------------------------------------------------------------------------------------------
// 7. dropout

const arbSeed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const arbP = fc.double({ min: 0.05, max: 0.95, noNaN: true });
/** Non-zero values, so a kept element is told apart from a dropped one. */
const arbNonZero = (shape: number[]) => fc.array(fc.tuple(fc.double({ min: 0.1, max: 5, noNaN: true }), fc.boolean()).map(([m, s]) => (s ? -m : m)), { minLength: numelOf(shape), maxLength: numelOf(shape) }).map((v) => f64(v, shape));

describe('F.dropout', () => {
  it('under a seeded forkRng every element is 0 or x/(1−p), kept exactly where the documented uniform draw is < 1 − p', () => {
    const arb = arbShape({ maxDims: 3, maxSide: 5 }).chain((s) => fc.tuple(arbNonZero(s), arbP, arbSeed));
    fc.assert(fc.property(arb, ([x, p, seed]) => {
      const y = forkRng(() => F.dropout(x, p), seed);
      expect([...y.shape]).toEqual([...x.shape]);
      const xs = x.toTypedArray(), ys = y.toTypedArray();
      const g = createGenerator(seed);
      for (let i = 0; i < xs.length; i++) {
        const kept = g.next() < 1 - p;
        if (kept) {
          const want = xs[i] / (1 - p);
          expect(Math.abs(ys[i] - want)).toBeLessThanOrEqual(5e-16 * Math.abs(want));
        } else expect(ys[i] === 0).toBe(true); // ±0: a negative x times the 0 of the mask is −0, as in PyTorch
      }
    }), runs(40));
  });

  it('the fraction of zeros over 10 000 elements is within 5 standard errors of p', () => {
    fc.assert(fc.property(arbP, arbSeed, (p, seed) => {
      const n = 10_000;
      const y = forkRng(() => F.dropout(f64(new Array<number>(n).fill(1), [100, 100]), p), seed);
      let zeros = 0;
      for (const v of y.toTypedArray()) if (v === 0) zeros++;
      const se = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(zeros / n - p)).toBeLessThanOrEqual(5 * se);
    }), runs(20));
  });

  it('eval mode (and p = 0) returns the input unchanged; the same seed gives bit-identical masks', () => {
    const arb = arbShape({ maxDims: 3, maxSide: 5 }).chain((s) => fc.tuple(arbNonZero(s), arbP, arbSeed));
    fc.assert(fc.property(arb, ([x, p, seed]) => {
      expect(sameBits(F.dropout(x, p, false).toTypedArray(), x.toTypedArray())).toBe(true);
      expect(sameBits(F.dropout(x, 0, true).toTypedArray(), x.toTypedArray())).toBe(true);
      const a = forkRng(() => F.dropout(x, p), seed), b = forkRng(() => F.dropout(x, p), seed);
      expect(sameBits(a.toTypedArray(), b.toTypedArray())).toBe(true);
      // the mask does not depend on the values: dropout of ones under the same seed zeroes the same places
      const m = forkRng(() => F.dropout(f64(new Array<number>(x.numel()).fill(1), x.shape), p), seed).toTypedArray();
      const av = a.toTypedArray();
      for (let i = 0; i < av.length; i++) expect(av[i] === 0).toBe(m[i] === 0);
    }), runs(40));
  });
});

// ---------------------------------------------------------------------------------------------------------
// 8. oneHot

describe('F.oneHot', () => {
  it('rows sum to 1, argmax(oneHot(i)) = i, and it equals the reference', () => {
    const arb = arbShape({ maxDims: 3, maxSide: 4, allowZero: true }).chain((s) => fc.tuple(
      fc.array(fc.integer({ min: 0, max: 6 }), { minLength: numelOf(s), maxLength: numelOf(s) }).map((v) => i32(v, s)),
      fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    ));
    fc.assert(fc.property(arb, ([idx, extra]) => {
      const vals = Array.from(idx.toTypedArray(), Number);
      const hi = Math.max(-1, ...vals);
      if (idx.numel() === 0 && extra === null) extra = 2; // the class count cannot be inferred from no values
      const C = extra === null ? -1 : hi + 1 + extra;
      const oh = F.oneHot(idx, C);
      const nc = C === -1 ? hi + 1 : C;
      expect(oh.dtype).toBe('int32');
      expect([...oh.shape]).toEqual([...idx.shape, nc]);
      const d = oh.toTypedArray();
      for (let r = 0; r < vals.length; r++) {
        let s = 0;
        for (let c = 0; c < nc; c++) s += d[r * nc + c];
        expect(s).toBe(1);
      }
      if (idx.numel() > 0) expect(Array.from(oh.argmax(-1).toTypedArray(), Number)).toEqual(vals);
      expectClose(oh, refLoss.oneHot(toArr(idx), C), { rtol: 0, atol: 0 }, 'oneHot');
    }), runs(60));
  });
});
