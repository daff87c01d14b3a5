// The elementwise fast paths (src/backend/wasm/elementwise.ts, asm/elementwise.ts) against the reference
// backend: every unary, binary and comparison op, where, cast, copy, assign and the reductions, on float32 and
// float64, over shapes (0-d, [1], odd lengths, zero-size, SIMD-sized rows with tails), layouts (contiguous,
// transposed, narrowed with an offset, broadcast) and values with NaN, ±Inf, ±0 and domain edges. Two fast
// backends: every wasm path forced (minElements 0) and the JS loops alone (minElements ∞).
import { describe, expect, it } from 'vitest';
import {
  Tensor, tensor, withBackend, referenceBackend, createWasmBackend, Prim, type Backend, type DType, type View,
} from '../../src/index.js';
import * as tg from '../../src/index.js';
import { fastAssign } from '../../src/backend/wasm/elementwise.js';

const wasm = createWasmBackend({ minElements: 0, threads: 1 });
const jsOnly = createWasmBackend({ minElements: Infinity, threads: 1 });

it('the wasm backend loads', () => {
  expect(wasm).not.toBeNull();
  expect(jsOnly).not.toBeNull();
});

const FAST: [string, Backend][] = [['wasm', wasm!], ['js', jsOnly!]];

// ---- data

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5, -0.5, 1e-40, -1e-40, 1e-5, -1e-5, 88.8, -88.8, 104, -104,
  710, -750, 1e30, -1e30, 3e38, 524289.5, -1e6, 2, 3, -2, 0.25];

type Kind = 'normal' | 'special' | 'zeros' | 'ints';

function values(n: number, kind: Kind, r: () => number): number[] {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return Array.from({ length: n }, () => {
    switch (kind) {
      case 'normal': return gauss() * 3;
      case 'special': return r() < 0.35 ? SPECIAL[Math.floor(r() * SPECIAL.length)] : gauss() * (r() < 0.5 ? 1 : 40);
      case 'zeros': return r() < 0.5 ? (r() < 0.5 ? 0 : -0) : -1 - Math.floor(r() * 3); // maxima are ±0 ties
      default: return Math.floor(r() * 7) - 3;
    }
  });
}

type Layout = 'contiguous' | 'transposed' | 'narrowed' | 'expanded';
const LAYOUTS: Layout[] = ['contiguous', 'transposed', 'narrowed', 'expanded'];

function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A tensor of `shape` laid out as `layout`, made on the reference backend. */
function make(shape: number[], dtype: DType, layout: Layout, kind: Kind, seed: number): Tensor {
  const r = rng(seed);
  return withBackend(referenceBackend, () => {
    const build = (s: number[]) => {
      const v = values(numel(s), kind, r);
      const data = dtype === 'bool' ? v.map((x) => (x > 0 ? 1 : 0)) : v;
      return tensor(new Float64Array(data), { dtype }).reshape(s);
    };
    const nd = shape.length;
    if (layout === 'transposed' && nd >= 2) {
      const perm = shape.map((_, i) => nd - 1 - i);
      return build(perm.map((i) => shape[i])).permute(perm);
    }
    if (layout === 'narrowed' && nd >= 1) {
      let t = build(shape.map((d) => d + 2));
      shape.forEach((d, i) => (t = t.narrow(i, 1, d)));
      return t;
    }
    if (layout === 'expanded' && nd >= 1) {
      return build(shape.map((d, i) => (i % 2 === 0 ? 1 : d))).expand(shape);
    }
    return build(shape);
  });
}

// ---- comparison

interface Tol { rtol: number; atol: number }
const F32_TOL: Tol = { rtol: 1e-5, atol: 1e-6 };

/** Elementwise equality with the reference: exact (Object.is, NaN equal to NaN) or within `tol`. */
function same(got: Tensor, want: Tensor, what: string, tol?: Tol): void {
  expect([...got.shape], `${what}: shape`).toEqual([...want.shape]);
  expect(got.dtype, `${what}: dtype`).toBe(want.dtype);
  const g = Array.from(withBackend(referenceBackend, () => got.toTypedArray()), Number);
  const w = Array.from(withBackend(referenceBackend, () => want.toTypedArray()), Number);
  let scale = 1;
  for (const v of w) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < w.length; i++) {
    const a = g[i], b = w[i];
    const ok = Number.isNaN(b) ? Number.isNaN(a)
      : !tol || !Number.isFinite(b) ? Object.is(a, b)
      : Math.abs(a - b) <= tol.atol * scale + tol.rtol * Math.abs(b);
    if (!ok) throw new Error(`${what}: element ${i} is ${Object.is(a, -0) ? '-0' : a}, the reference gives ${Object.is(b, -0) ? '-0' : b}`);
  }
}

/** Runs `f` on the reference and on each fast backend and compares. */
function check(what: string, f: () => Tensor, tol?: Tol): void {
  const want = withBackend(referenceBackend, f);
  for (const [name, b] of FAST) same(withBackend(b, f), want, `${what} [${name}]`, tol);
}

const SHAPES: number[][] = [[], [1], [2], [7], [13], [5, 3], [4, 1, 3], [3, 9, 5], [2, 3, 5, 7], [33, 17], [0], [3, 0, 2]];
const FLOATS: DType[] = ['float32', 'float64'];

// ---- unary

const UNARY: [string, (x: Tensor) => Tensor, boolean][] = [
  ['neg', tg.neg, true], ['exp', tg.exp, false], ['log', tg.log, false], ['log1p', tg.log1p, false],
  ['expm1', tg.expm1, false], ['sqrt', tg.sqrt, true], ['sin', tg.sin, false], ['cos', tg.cos, false],
  ['tanh', tg.tanh, false], ['sigmoid', tg.sigmoid, false], ['relu', tg.relu, true], ['abs', tg.abs, true],
  ['sign', tg.sign, true],
];

describe('unary ops', () => {
  for (const [name, f, exact] of UNARY) {
    it(name, () => {
      let seed = 1;
      for (const dtype of FLOATS) {
        for (const shape of SHAPES) {
          for (const layout of LAYOUTS) {
            const x = make(shape, dtype, layout, 'special', seed++);
            check(`${name} ${dtype} [${shape}] ${layout}`, () => f(x), exact ? undefined : F32_TOL);
          }
        }
      }
    });
  }

  it('float32 transcendentals on a dense sweep of every magnitude, including tails of rows', () => {
    const r = rng(7);
    const bits = new Uint32Array(4099).map(() => (r() * 2 ** 32) >>> 0);
    const wide = tensor(new Float32Array(bits.buffer));
    const ramp = tensor(Float64Array.from({ length: 4001 }, (_, i) => (i - 2000) / 20), { dtype: 'float32' });
    for (const [name, f, exact] of UNARY) {
      check(`${name} wide`, () => f(wide), exact ? undefined : F32_TOL);
      check(`${name} ramp`, () => f(ramp), exact ? undefined : F32_TOL);
    }
  });

  it('edge values: exp(−∞) = 0, log(0) = −∞, log(−1) = NaN, tanh(±∞) = ±1, sigmoid saturates, −0 kept', () => {
    const x = tensor([-Infinity, Infinity, 0, -0, -1, NaN, -200, 200, 1e-30, -1e-30], { dtype: 'float32' });
    for (const [name, f, exact] of UNARY) check(`${name} edges`, () => f(x), exact ? undefined : F32_TOL);
    const y = withBackend(wasm!, () => [tg.exp(x), tg.log(x), tg.tanh(x), tg.sigmoid(x), tg.sin(x), tg.expm1(x), tg.log1p(x)]);
    const [e, l, t, s, sn, em, lp] = y.map((v) => Array.from(v.toTypedArray() as Float32Array));
    expect(e[0]).toBe(0);
    expect(l[2]).toBe(-Infinity);
    expect(l[4]).toBeNaN();
    expect(t[0]).toBe(-1);
    expect(t[1]).toBe(1);
    expect(Object.is(t[3], -0)).toBe(true);
    expect(s[0]).toBe(0);
    expect(s[1]).toBe(1);
    expect(s[6]).toBe(0);
    expect(Object.is(sn[3], -0)).toBe(true);
    expect(em[0]).toBe(-1);
    expect(Object.is(lp[3], -0)).toBe(true);
  });

  it('int32 and bool inputs (JS loops)', () => {
    const x = make([5, 7], 'int32', 'transposed', 'ints', 3);
    for (const f of [tg.neg, tg.abs, tg.relu, tg.sign]) check(`int32 ${f.name}`, () => f(x));
    const b = make([9], 'bool', 'narrowed', 'normal', 4);
    check('relu bool', () => tg.relu(b));
  });
});

// ---- binary and comparisons

const BINARY: [string, (a: Tensor, b: Tensor) => Tensor][] = [
  ['add', tg.add], ['sub', tg.sub], ['mul', tg.mul], ['div', tg.div], ['pow', tg.pow], ['maximum', tg.maximum],
  ['minimum', tg.minimum], ['gt', tg.gt], ['ge', tg.ge], ['lt', tg.lt], ['le', tg.le], ['eq', tg.eq], ['ne', tg.ne],
];

/** Operand shape pairs: same shape, scalars, and the broadcasts the models use. */
const PAIRS: [number[], number[]][] = [
  [[], []], [[1], [1]], [[7], [7]], [[13], []], [[], [13]], [[5, 3], [5, 3]], [[6, 4, 5, 5], [4, 1, 1]],
  [[9, 10], [10]], [[10], [9, 10]], [[4, 1], [1, 5]], [[1], [7]], [[3, 9, 5], [3, 1, 5]], [[2, 3, 5, 7], [2, 3, 5, 7]],
  [[33, 17], [1]], [[0], [0]], [[3, 0], [1]], [[2, 1, 4], [3, 1]],
];

describe('binary ops and comparisons', () => {
  for (const [name, f] of BINARY) {
    it(name, () => {
      let seed = 100;
      for (const dtype of FLOATS) {
        for (const [sa, sb] of PAIRS) {
          for (const la of LAYOUTS) {
            for (const lb of ['contiguous', 'transposed', 'narrowed'] as Layout[]) {
              // pow on "special" values mixes huge exponents; keep them moderate sometimes for finite results
              const a = make(sa, dtype, la, 'special', seed++), b = make(sb, dtype, lb, name === 'pow' && seed % 2 ? 'ints' : 'special', seed++);
              check(`${name} ${dtype} [${sa}]:${la} [${sb}]:${lb}`, () => f(a, b));
            }
          }
        }
      }
    });
  }

  it('ties and signed zeros: maximum(−0, 0), eq(0, −0), NaN comparisons', () => {
    for (const dtype of FLOATS) {
      const a = tensor([0, -0, NaN, 1, NaN, -0, Infinity, -Infinity, 2], { dtype });
      const b = tensor([-0, 0, 1, NaN, NaN, -0, Infinity, 5, 2], { dtype });
      for (const [name, f] of BINARY) check(`${name} ${dtype} ties`, () => f(a, b));
    }
  });

  it('int32 and bool operands (JS loops)', () => {
    const a = make([6, 5], 'int32', 'transposed', 'ints', 5), b = make([5], 'int32', 'contiguous', 'ints', 6);
    for (const [name, f] of BINARY) {
      if (name === 'div') continue; // promotes to float
      check(`${name} int32`, () => f(a, b));
    }
    const p = make([8], 'bool', 'contiguous', 'normal', 7), q = make([8], 'bool', 'narrowed', 'normal', 8);
    check('maximum bool', () => tg.maximum(p, q));
    check('eq bool', () => tg.eq(p, q));
  });
});

// ---- where

describe('where', () => {
  it('over broadcasts, layouts and scalar branches', () => {
    let seed = 300;
    for (const dtype of FLOATS) {
      for (const [shape, cs, xs, ys] of [
        [[7], [7], [7], [7]], [[], [], [], []], [[6, 4, 5, 5], [6, 4, 5, 5], [], [6, 4, 5, 5]],
        [[9, 10], [10], [9, 10], [1]], [[4, 5], [4, 1], [1, 5], [4, 5]], [[33, 17], [33, 17], [33, 17], [17]],
        [[3, 0], [3, 0], [1], [0]], [[2, 3, 5, 7], [2, 3, 5, 7], [2, 3, 5, 7], [2, 3, 5, 7]],
      ] as number[][][]) {
        void shape;
        for (const layout of LAYOUTS) {
          const c = make(cs, 'bool', layout, 'normal', seed++);
          const x = make(xs, dtype, layout === 'expanded' ? 'transposed' : layout, 'special', seed++);
          const y = make(ys, dtype, 'narrowed', 'special', seed++);
          check(`where ${dtype} c[${cs}] x[${xs}] y[${ys}] ${layout}`, () => tg.where(c, x, y));
          check(`where ${dtype} scalar branch ${layout}`, () => tg.where(c, 0, y));
        }
      }
    }
  });
});

// ---- cast and copy

describe('cast and copy', () => {
  const CASTS: [DType, DType][] = [
    ['float32', 'float64'], ['float64', 'float32'], ['float32', 'int32'], ['float64', 'int32'], ['float32', 'bool'],
    ['float64', 'bool'], ['bool', 'float32'], ['int32', 'float64'], ['int32', 'bool'], ['bool', 'int32'],
  ];
  it('cast between every pair, every layout', () => {
    let seed = 500;
    for (const [from, to] of CASTS) {
      for (const shape of SHAPES) {
        for (const layout of LAYOUTS) {
          const x = make(shape, from, layout, from === 'int32' ? 'ints' : 'special', seed++);
          check(`cast ${from}→${to} [${shape}] ${layout}`, () => tg.cast(x, to));
        }
      }
    }
  });

  it('copy (contiguous) of strided views', () => {
    let seed = 600;
    for (const dtype of ['float32', 'float64', 'int32', 'bool'] as DType[]) {
      for (const shape of SHAPES) {
        for (const layout of LAYOUTS) {
          const x = make(shape, dtype, layout, dtype === 'int32' ? 'ints' : 'special', seed++);
          check(`copy ${dtype} [${shape}] ${layout}`, () => x.contiguous());
          check(`clone ${dtype} [${shape}] ${layout}`, () => tg.clone(x));
        }
      }
    }
    const w = make([256, 78], 'float32', 'contiguous', 'normal', 9);
    check('copy of a transpose', () => w.transpose(0, 1).contiguous());
  });
});

// ---- assign

describe('fastAssign', () => {
  /** A destination window over fresh storage: contiguous, transposed or narrowed (an offset, gaps). */
  function dstView(shape: number[], dtype: DType, layout: Layout, seed: number): { base: Tensor; view: View } {
    const bigger = layout === 'narrowed' ? shape.map((d) => d + 2) : layout === 'transposed' ? [...shape].reverse() : shape;
    const base = make(bigger, dtype, 'contiguous', dtype === 'int32' ? 'ints' : 'special', seed);
    let view: Tensor = base;
    if (layout === 'narrowed') shape.forEach((d, i) => (view = view.narrow(i, 1, d)));
    if (layout === 'transposed' && shape.length >= 2) view = base.permute(shape.map((_, i) => shape.length - 1 - i));
    return { base, view };
  }

  it('matches the reference assign for every layout, broadcast and dtype conversion', () => {
    let seed = 700;
    for (const [dt, st] of [
      ['float32', 'float32'], ['float64', 'float64'], ['float32', 'float64'], ['float64', 'float32'], ['bool', 'float32'],
      ['int32', 'float32'], ['float32', 'bool'], ['bool', 'bool'], ['int32', 'int32'],
    ] as [DType, DType][]) {
      for (const shape of [[], [1], [7], [5, 3], [4, 6, 5], [33, 17], [0, 3]]) {
        for (const dl of ['contiguous', 'transposed', 'narrowed'] as Layout[]) {
          for (const sl of ['contiguous', 'transposed', 'narrowed', 'scalar', 'row'] as const) {
            const srcShape = sl === 'scalar' ? [] : sl === 'row' ? shape.slice(-1) : shape;
            const src0 = make(srcShape, st, sl === 'scalar' || sl === 'row' ? 'contiguous' : sl, st === 'int32' ? 'ints' : 'special', seed++);
            const src = src0.expand(shape);
            const a = dstView(shape, dt, dl, seed), b = dstView(shape, dt, dl, seed);
            seed++;
            withBackend(referenceBackend, () => referenceBackend.assign(a.view, src));
            expect(fastAssign(b.view, src)).toBe(true);
            same(b.base, a.base, `assign ${st}→${dt} [${shape}] dst ${dl} src ${sl}`);
          }
        }
      }
    }
  });
});

// ---- reductions

describe('reductions', () => {
  const DIMS: [number[], number[][]][] = [
    [[], [[]]], [[1], [[0]]], [[13], [[0]]], [[5, 3], [[0], [1], [0, 1]]], [[4, 1, 3], [[0], [1], [2], [0, 2]]],
    [[3, 9, 5], [[0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]]],
    [[6, 4, 5, 5], [[0, 2, 3], [1], [3], [0], [2, 3], [0, 1, 2, 3]]], [[33, 17], [[0], [1]]],
    [[0], [[0]]], [[3, 0, 2], [[1], [0, 2]]], [[2, 40], [[1]]],
  ];

  for (const [name, f, tol] of [
    ['sum', (x: Tensor, d: number[], k: boolean) => tg.sum(x, d, k), F32_TOL],
    ['prod', (x: Tensor, d: number[], k: boolean) => tg.prod(x, d, k), F32_TOL],
    ['max', (x: Tensor, d: number[], k: boolean) => tg.max(x, d, k), undefined],
  ] as [string, (x: Tensor, d: number[], k: boolean) => Tensor, Tol | undefined][]) {
    it(name, () => {
      let seed = 900;
      for (const dtype of FLOATS) {
        for (const [shape, dimsList] of DIMS) {
          for (const dims of dimsList) {
            if (name === 'max' && (numel(shape) === 0)) continue; // max has no identity
            for (const layout of LAYOUTS) {
              for (const kind of (name === 'max' ? ['special', 'zeros'] : name === 'prod' ? ['normal', 'special'] : ['special']) as Kind[]) {
                const x = make(shape, dtype, layout, kind, seed++);
                check(`${name} ${dtype} [${shape}] dims [${dims}] ${layout} ${kind}`, () => f(x, dims, seed % 2 === 0), tol);
              }
            }
          }
        }
      }
    });
  }

  it('int32 and bool sums (JS loops)', () => {
    const x = make([5, 6], 'int32', 'transposed', 'ints', 11), b = make([5, 6], 'bool', 'narrowed', 'normal', 12);
    check('sum int32', () => tg.sum(x, [0]));
    check('max int32', () => tg.max(x, [1]));
    check('sum bool', () => tg.sum(b));
  });

  it('argmax along each dim and flattened: the first maximum wins, NaN wins', () => {
    let seed = 1100;
    for (const dtype of ['float32', 'float64', 'int32'] as DType[]) {
      for (const shape of [[], [1], [7], [5, 3], [4, 1, 3], [3, 9, 5], [6, 4, 4, 9], [33, 17], [2, 40]]) {
        for (const layout of LAYOUTS) {
          for (const kind of (dtype === 'int32' ? ['ints'] : ['special', 'zeros', 'ints']) as Kind[]) {
            const x = make(shape, dtype, layout, kind, seed++);
            check(`argmax ${dtype} [${shape}] ${layout} ${kind} flat`, () => tg.argmax(x));
            for (let d = 0; d < shape.length; d++) {
              check(`argmax ${dtype} [${shape}] ${layout} ${kind} dim ${d}`, () => tg.argmax(x, d, seed % 2 === 0));
            }
          }
        }
      }
    }
  });
});

// ---- the shapes of the profiled models

describe('profile shapes', () => {
  it('CNN and MLP hot ops match the reference', () => {
    const act = make([64, 8, 28, 28], 'float32', 'contiguous', 'special', 1);
    const bias = make([8, 1, 1], 'float32', 'contiguous', 'normal', 2);
    const cols = make([64, 8, 4, 196], 'float32', 'contiguous', 'special', 3);
    const w = make([256, 784], 'float32', 'contiguous', 'normal', 4);
    check('bias add', () => tg.add(act, bias));
    check('bias grad', () => tg.sum(act, [0, 2, 3], true), F32_TOL);
    check('relu', () => tg.relu(act));
    check('le', () => tg.le(act, 0));
    check('where', () => tg.where(tg.le(act, 0), 0, act));
    check('pool argmax', () => tg.argmax(cols, 2, true));
    check('pool max', () => tg.max(cols, [2], true));
    check('adam mul', () => tg.mul(w, 0.9));
    check('adam div', () => tg.div(w, tg.add(tg.sqrt(tg.abs(w)), 1e-8)));
    check('transposed copy', () => w.transpose(0, 1).contiguous());
  });

  it('kernels called directly take every prim they are given', () => {
    // the table entries return true for what they handle; the backend falls back otherwise
    const x = make([3, 4], 'float32', 'transposed', 'normal', 5);
    const out = { data: new Float32Array(12), shape: [3, 4], dtype: 'float32' as const };
    wasm![Prim.Exp]([x], {}, out);
    const want = withBackend(referenceBackend, () => tg.exp(x));
    same(tensor(out.data).reshape([3, 4]), want, 'direct exp', F32_TOL);
  });
});
