// The seeded toy datasets: shapes and dtypes, determinism (same seed bit-identical, different seeds differ, the
// global generator of manualSeed, a generator that advances), the disk's label rule and balance, the moons',
// blobs' and spirals' geometry, and argument checks.
import { describe, expect, it } from 'vitest';
import { createGenerator, data, manualSeed, rand, type Tensor } from '../../src/index.js';

const bits = (t: Tensor) => Array.from(t.toTypedArray());
const rows = (t: Tensor) => t.toArray() as number[][];
const sortedRows = (t: Tensor) => rows(t).map((r) => r.join(',')).sort();

describe('makeDisk', () => {
  it('gives float32 [n, 2] points uniform in [0, 1)² and int32 labels', () => {
    const { x, y } = data.makeDisk(500, { seed: 3 });
    expect([x.shape, x.dtype, y.shape, y.dtype]).toEqual([[500, 2], 'float32', [500], 'int32']);
    expect(x.min().item()).toBeGreaterThanOrEqual(0);
    expect(x.max().item()).toBeLessThan(1);
    // x is rand([n, 2]) drawn from a generator of that seed
    expect(bits(x)).toEqual(bits(rand([500, 2], { generator: createGenerator(3) })));
  });

  it('labels 1 exactly the points inside the circle of radius 1/√(2π) about (0.5, 0.5)', () => {
    const { x, y } = data.makeDisk(2000, { seed: 1 });
    const expected = rows(x).map(([a, b]) => ((a - 0.5) ** 2 + (b - 0.5) ** 2 < 1 / (2 * Math.PI) ? 1 : 0));
    expect(y.toArray()).toEqual(expected);
    expect(new Set(y.toArray() as number[])).toEqual(new Set([0, 1]));
  });

  it('puts about half the points inside (π r² = 1/2), within 4 standard errors', () => {
    const n = 20000;
    const frac = data.makeDisk(n, { seed: 11 }).y.sum().item() / n;
    expect(Math.abs(frac - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / n));
  });

  it('is deterministic: same seed bit-identical, other seeds differ, manualSeed drives the default', () => {
    const a = data.makeDisk(100, { seed: 'abc' });
    const b = data.makeDisk(100, { seed: 'abc' });
    expect([bits(a.x), bits(a.y)]).toEqual([bits(b.x), bits(b.y)]);
    expect(bits(data.makeDisk(100, { seed: 'abd' }).x)).not.toEqual(bits(a.x));
    manualSeed(5);
    const c = data.makeDisk(50);
    manualSeed(5);
    expect(bits(data.makeDisk(50).x)).toEqual(bits(c.x));
  });

  it('a generator advances: two draws from one generator are the two halves of one draw', () => {
    const g = createGenerator(9);
    const first = data.makeDisk(10, { generator: g });
    const second = data.makeDisk(10, { generator: g });
    expect(bits(second.x)).not.toEqual(bits(first.x));
    expect([...bits(first.x), ...bits(second.x)]).toEqual(bits(data.makeDisk(20, { seed: 9 }).x));
  });

  it('checks its arguments', () => {
    expect(() => data.makeDisk(0)).toThrow(RangeError);
    expect(() => data.makeDisk(2.5)).toThrow(/makeDisk: n must be an integer ≥ 1, got 2.5/);
    expect(() => data.makeDisk('10' as never)).toThrow(TypeError);
    expect(() => data.makeDisk(10, { sed: 1 } as never)).toThrow(/makeDisk: unknown option 'sed'/);
    expect(() => data.makeDisk(10, { seed: 1, generator: createGenerator(1) })).toThrow(/^makeDisk: got both seed and generator, expected one of them$/);
    expect(() => data.makeDisk(10, { seed: NaN })).toThrow(/makeDisk: seed must be a finite number or a string, got NaN/);
    expect(() => data.makeDisk(10, { generator: {} as never })).toThrow(/makeDisk: generator must be a Generator/);
  });
});

describe('makeMoons', () => {
  it('matches sklearn without noise or shuffle: ⌊n/2⌋ outer points, the rest inner, t evenly spaced on [0, π]', () => {
    const { x, y } = data.makeMoons(4, { shuffle: false });
    expect(rows(x).map((r) => r.map((v) => Math.round(v * 1e6) / 1e6))).toEqual([[1, 0], [-1, 0], [0, 0.5], [2, 0.5]]);
    expect(y.toArray()).toEqual([0, 0, 1, 1]);
    const odd = data.makeMoons(7, { shuffle: false });
    expect(odd.y.toArray()).toEqual([0, 0, 0, 1, 1, 1, 1]);
    expect(data.makeMoons([2, 5], { shuffle: false }).y.toArray()).toEqual([0, 0, 1, 1, 1, 1, 1]);
  });

  it('without noise, the points lie on the two unit half circles', () => {
    const { x, y } = data.makeMoons(301, { seed: 0 });
    expect([x.shape, x.dtype, y.dtype]).toEqual([[301, 2], 'float32', 'int32']);
    const labels = y.toArray() as number[];
    expect(labels.filter((l) => l === 0).length).toBe(150);
    rows(x).forEach(([a, b], i) => {
      if (labels[i] === 0) {
        expect(Math.abs(a * a + b * b - 1)).toBeLessThan(1e-6);
        expect(b).toBeGreaterThanOrEqual(-1e-7);
      } else {
        expect(Math.abs((a - 1) ** 2 + (b - 0.5) ** 2 - 1)).toBeLessThan(1e-6);
        expect(b).toBeLessThanOrEqual(0.5 + 1e-7);
      }
    });
  });

  it('shuffling permutes the rows (points and labels together)', () => {
    const plain = data.makeMoons(50, { shuffle: false });
    const shuffled = data.makeMoons(50, { seed: 2 });
    expect(sortedRows(shuffled.x)).toEqual(sortedRows(plain.x));
    expect(bits(shuffled.x)).not.toEqual(bits(plain.x));
    const key = (d: data.ToyData) => rows(d.x).map((r, i) => `${r}:${d.y.toArray()[i]}`).sort();
    expect(key(shuffled)).toEqual(key(plain));
  });

  it('adds Gaussian noise of the given std to every coordinate', () => {
    const clean = data.makeMoons(4000, { shuffle: false });
    const noisy = data.makeMoons(4000, { shuffle: false, noise: 0.1, seed: 4 });
    const d = noisy.x.sub(clean.x);
    expect(Math.abs(d.mean().item())).toBeLessThan(0.004);
    expect(Math.abs(d.std().item() - 0.1)).toBeLessThan(0.003);
    expect(bits(data.makeMoons(4000, { noise: 0.1, seed: 4 }).x)).toEqual(bits(data.makeMoons(4000, { noise: 0.1, seed: 4 }).x));
    expect(bits(data.makeMoons(4000, { noise: 0.1, seed: 5 }).x)).not.toEqual(bits(noisy.x));
  });

  it('checks its arguments', () => {
    expect(() => data.makeMoons(10, { noise: -1 })).toThrow(/makeMoons: noise must be a finite number ≥ 0, got -1/);
    expect(() => data.makeMoons([1, 2, 3] as never)).toThrow(/makeMoons: n must be a positive integer or a pair/);
    expect(() => data.makeMoons([0, 0])).toThrow(RangeError);
    expect(() => data.makeMoons(10, { shuffle: 1 } as never)).toThrow(/makeMoons: shuffle must be a boolean/);
  });
});

describe('makeBlobs', () => {
  it('draws k centres in the box and splits n as sklearn (the first n mod k get one more)', () => {
    const { x, y, centers } = data.makeBlobs(10, { seed: 0, shuffle: false });
    expect([x.shape, y.shape, centers.shape, y.dtype]).toEqual([[10, 2], [10], [3, 2], 'int32']);
    expect(y.toArray()).toEqual([0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(centers.min().item()).toBeGreaterThanOrEqual(-10);
    expect(centers.max().item()).toBeLessThanOrEqual(10);
    const box = data.makeBlobs(5, { centers: 4, centerBox: [2, 3], nFeatures: 3, seed: 1 });
    expect([box.x.shape, box.centers.shape]).toEqual([[5, 3], [4, 3]]);
    expect([box.centers.min().item() >= 2, box.centers.max().item() <= 3]).toEqual([true, true]);
  });

  it('each blob is normal about its centre with its own std', () => {
    const stds = [0.5, 2];
    const { x, y, centers } = data.makeBlobs(8000, { centers: 2, clusterStd: stds, seed: 6 });
    const [c, all, labels] = [rows(centers), rows(x), y.toArray() as number[]];
    for (const k of [0, 1]) {
      const pts = all.filter((_, i) => labels[i] === k);
      expect(pts.length).toBe(4000);
      for (const j of [0, 1]) {
        const v = pts.map((p) => p[j] - c[k][j]);
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
        expect(Math.abs(mean)).toBeLessThan(4 * stds[k] / Math.sqrt(4000));
        expect(Math.abs(sd / stds[k] - 1)).toBeLessThan(0.05);
      }
    }
  });

  it('takes the centres and the size of each blob; std 0 puts every point on its centre', () => {
    const { x, y, centers } = data.makeBlobs([2, 1], { centers: [[1, 2, 3], [-4, 5, 6.5]], clusterStd: 0, shuffle: false });
    expect(x.toArray()).toEqual([[1, 2, 3], [1, 2, 3], [-4, 5, 6.5]]);
    expect(y.toArray()).toEqual([0, 0, 1]);
    expect(centers.toArray()).toEqual([[1, 2, 3], [-4, 5, 6.5]]);
    expect(data.makeBlobs([3, 4]).y.sum().item()).toBe(4);
  });

  it('is deterministic and shuffles rows with their labels', () => {
    const a = data.makeBlobs(60, { seed: 8 });
    expect([bits(a.x), bits(a.y)]).toEqual([bits(data.makeBlobs(60, { seed: 8 }).x), bits(data.makeBlobs(60, { seed: 8 }).y)]);
    expect(bits(data.makeBlobs(60, { seed: 9 }).x)).not.toEqual(bits(a.x));
    const plain = data.makeBlobs(60, { seed: 8, shuffle: false });
    expect(sortedRows(a.x)).toEqual(sortedRows(plain.x));
    expect(bits(a.y)).not.toEqual(bits(plain.y));
  });

  it('checks its arguments', () => {
    expect(() => data.makeBlobs(10, { centers: 0 })).toThrow(/makeBlobs: centers must be an integer ≥ 1, got 0/);
    expect(() => data.makeBlobs(10, { centers: [[0, 0], [1]] })).toThrow(/makeBlobs: centers must be a positive integer or a non-empty array/);
    expect(() => data.makeBlobs(10, { centers: [[0, 0]], nFeatures: 3 })).toThrow(/nFeatures is 3 but the centers have 2 coordinates/);
    expect(() => data.makeBlobs([1, 2], { centers: 3 })).toThrow(/n lists 2 blob sizes but there are 3 centers/);
    expect(() => data.makeBlobs(10, { clusterStd: [1, 2] })).toThrow(/clusterStd lists 2 values but there are 3 centers/);
    expect(() => data.makeBlobs(10, { clusterStd: -1 })).toThrow(/makeBlobs: clusterStd must be a finite number ≥ 0, got -1/);
    expect(() => data.makeBlobs(10, { centerBox: [1, 0] })).toThrow(/centerBox must be a pair/);
    expect(() => data.makeBlobs([0, 0])).toThrow(/expected at least one point/);
  });
});

describe('makeSpirals', () => {
  it('puts point i of the m on arm k at radius (i + 0.5)/m and angle 2π(turns·s + k/classes)', () => {
    const [n, classes, turns] = [11, 3, 1.5];
    const { x, y } = data.makeSpirals(n, { classes, turns, shuffle: false });
    const labels = y.toArray() as number[];
    expect(labels).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]);
    const sizes = [4, 4, 3];
    rows(x).forEach(([a, b], row) => {
      const k = labels[row];
      const i = row - sizes.slice(0, k).reduce((p, q) => p + q, 0);
      const s = (i + 0.5) / sizes[k];
      const theta = 2 * Math.PI * (turns * s + k / classes);
      expect(Math.abs(a - s * Math.cos(theta))).toBeLessThan(1e-6);
      expect(Math.abs(b - s * Math.sin(theta))).toBeLessThan(1e-6);
    });
  });

  it('is seeded: shuffled rows are those of the plain set; noise moves each coordinate by about its std', () => {
    const a = data.makeSpirals(200, { seed: 1 });
    expect([a.x.shape, a.x.dtype, a.y.dtype]).toEqual([[200, 2], 'float32', 'int32']);
    expect(bits(a.x)).toEqual(bits(data.makeSpirals(200, { seed: 1 }).x));
    expect(bits(data.makeSpirals(200, { seed: 2 }).x)).not.toEqual(bits(a.x));
    expect(sortedRows(a.x)).toEqual(sortedRows(data.makeSpirals(200, { shuffle: false }).x));
    const d = data.makeSpirals(4000, { shuffle: false, noise: 0.05, seed: 3 }).x.sub(data.makeSpirals(4000, { shuffle: false }).x);
    expect(Math.abs(d.std().item() - 0.05)).toBeLessThan(0.0015);
  });

  it('checks its arguments', () => {
    expect(() => data.makeSpirals(10, { classes: 0 })).toThrow(/makeSpirals: classes must be an integer ≥ 1, got 0/);
    expect(() => data.makeSpirals(10, { turns: Infinity })).toThrow(/makeSpirals: turns must be finite, got Infinity/);
    expect(() => data.makeSpirals(10, { arms: 2 } as never)).toThrow(/unknown option 'arms'/);
  });
});
