// Seeded toy datasets for classification, as sklearn's make_moons / make_blobs and the EPFL report's disk:
// each returns {x, y} (x in the default float dtype, [n, features]; y int32 class labels, [n]); wrap them in a
// TensorDataset for a DataLoader.
import type { Tensor } from '../tensor/tensor.js';
import { fromData, rand } from '../tensor/creation.js';
import { allocate, getDefaultDtype } from '../tensor/dtype.js';
import { normalSample, type Generator } from '../tensor/random.js';
import { checkBool, checkInt, checkNonNegative, checkNumber, checkOptions, describeValue } from '../utils/args.js';
import { ArgumentError, ValueError } from '../errors.js';
import { generatorFrom, permutation, uniform, type SeedOptions } from './rng.js';

/** A toy dataset: points and their class labels, as sklearn's `(X, y)`. */
export interface ToyData {
  /** The points: [n, features] in the default float dtype (float32 unless changed). */
  x: Tensor;
  /** The class of each point: int32 [n], in 0..classes−1. */
  y: Tensor;
}

/** Options of {@link makeDisk}. */
export type DiskOptions = SeedOptions;

/** Options of {@link makeMoons}. */
export interface MoonsOptions extends SeedOptions {
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0). */
  noise?: number;
  /** Shuffle the points (default true); without, the outer moon comes first. */
  shuffle?: boolean;
}

/** Options of {@link makeBlobs}. */
export interface BlobsOptions extends SeedOptions {
  /** The number of centres, drawn uniformly in `centerBox` (default 3), or the centres themselves ([k][features]). */
  centers?: number | readonly (readonly number[])[];
  /** Standard deviation of each blob: one for all (default 1) or one per centre. */
  clusterStd?: number | readonly number[];
  /** The box [lo, hi] (in every coordinate) centres are drawn in (default [-10, 10]). */
  centerBox?: readonly [number, number];
  /** Coordinates per point (default 2); taken from `centers` when they are given. */
  nFeatures?: number;
  /** Shuffle the points (default true); without, they come blob by blob. */
  shuffle?: boolean;
}

/** What {@link makeBlobs} returns: the points, their labels, and the centres (as sklearn's `return_centers`). */
export interface BlobsData extends ToyData {
  /** The centres: [k, features], in x's dtype. */
  centers: Tensor;
}

/** Options of {@link makeSpirals}. */
export interface SpiralsOptions extends SeedOptions {
  /** Number of arms, one class each (default 2). */
  classes?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0). */
  noise?: number;
  /** Turns of each arm from the centre to radius 1 (default 1). */
  turns?: number;
  /** Shuffle the points (default true); without, they come arm by arm. */
  shuffle?: boolean;
}

const SEED_KEYS = ['seed', 'generator'] as const;

function checkCount(op: string, n: unknown, name = 'n'): number {
  return checkInt(op, name, n, 1);
}

/** n split over k groups as sklearn does: ⌊n/k⌋ each, and one more for the first n mod k. */
function splitEvenly(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}

/**
 * The toy dataset from points (row-major, d per point, float64) and labels: shuffled (a Fisher–Yates permutation
 * of the rows, n − 1 draws) when asked, then Gaussian noise of std `noise` added to every coordinate (row-major,
 * one normal draw each) when noise > 0, as sklearn's make_moons; x is stored in the default float dtype.
 */
function finish(pts: Float64Array, labels: Int32Array, d: number, g: Generator, shuffle: boolean, noise: number): ToyData {
  const n = labels.length;
  if (shuffle) {
    const p = permutation(n, g);
    const [p0, l0] = [pts.slice(), labels.slice()];
    for (let i = 0; i < n; i++) {
      labels[i] = l0[p[i]];
      for (let j = 0; j < d; j++) pts[i * d + j] = p0[p[i] * d + j];
    }
  }
  if (noise > 0) for (let i = 0; i < pts.length; i++) pts[i] += noise * normalSample(g);
  const dtype = getDefaultDtype();
  const x = allocate(dtype, pts.length);
  x.set(pts);
  return { x: fromData(x, [n, d], dtype), y: fromData(labels, [n], 'int32') };
}

/**
 * The EPFL report's disk: `n` points uniform in [0, 1]², labelled 1 inside the circle of radius 1/√(2π) centred at
 * (0.5, 0.5) (area 1/2, so about half the points) and 0 outside. x is `rand([n, 2], {generator})` (2n uniform
 * draws, row-major); a point is inside when (x₀ − 0.5)² + (x₁ − 0.5)² < 1/(2π), computed in float64 from the
 * stored coordinates, so the labels agree exactly with x.
 *
 * @example
 * ```ts
 * const { x, y } = data.makeDisk(1000, { seed: 0 });
 * x.shape;                           // [1000, 2]
 * y.dtype === 'int32';               // true
 * Math.abs(y.sum().item() - 500) < 60; // true
 * ```
 */
export function makeDisk(n: number, opts?: DiskOptions): ToyData {
  const o = checkOptions('makeDisk', opts, SEED_KEYS);
  checkCount('makeDisk', n);
  const x = rand([n, 2], { generator: generatorFrom('makeDisk', o) });
  const v = x.data;
  const r2 = 1 / (2 * Math.PI);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = (v[2 * i] - 0.5) ** 2 + (v[2 * i + 1] - 0.5) ** 2 < r2 ? 1 : 0;
  return { x, y: fromData(y, [n], 'int32') };
}

/** The moons' or spirals' shared options, checked. */
function shapeOptions(op: string, o: Record<string, unknown>) {
  return {
    noise: o.noise === undefined ? 0 : checkNonNegative(op, 'noise', o.noise),
    shuffle: o.shuffle === undefined ? true : checkBool(op, 'shuffle', o.shuffle),
    g: generatorFrom(op, o),
  };
}

/**
 * Two interleaving half circles, as sklearn's `make_moons`: ⌊n/2⌋ points on the outer moon (cos t, sin t),
 * label 0, and the rest on the inner moon (1 − cos t, 0.5 − sin t), label 1, with t evenly spaced over [0, π]
 * on each (numpy's linspace). `n` may also be the pair [outer, inner]. Then, as sklearn, the points are shuffled
 * (Fisher–Yates, unless `shuffle: false`) and Gaussian noise of std `noise` is added to every coordinate.
 *
 * @example
 * ```ts
 * const { x, y } = data.makeMoons(5, { shuffle: false });
 * y.toArray();    // [0, 0, 1, 1, 1]
 * x.toArray()[1]; // [-1, 0]
 * x.toArray()[3]; // [1, -0.5]
 * const noisy = data.makeMoons(200, { noise: 0.1, seed: 0 });
 * ```
 */
export function makeMoons(n: number | readonly [number, number], opts?: MoonsOptions): ToyData {
  const o = checkOptions('makeMoons', opts, ['noise', 'shuffle', ...SEED_KEYS]);
  let nOut: number, nIn: number;
  if (!Array.isArray(n)) {
    nOut = Math.floor(checkCount('makeMoons', n) / 2);
    nIn = (n as number) - nOut;
  } else if (n.length === 2) {
    [nOut, nIn] = [checkInt('makeMoons', 'n[0]', n[0], 0), checkInt('makeMoons', 'n[1]', n[1], 0)];
    if (nOut + nIn === 0) throw new ValueError('makeMoons: expected at least one point, got n = [0, 0]');
  } else {
    throw new ArgumentError(`makeMoons: n must be a positive integer or a pair [outer, inner], got ${describeValue(n)}`);
  }
  const { noise, shuffle, g } = shapeOptions('makeMoons', o);
  const pts = new Float64Array(2 * (nOut + nIn));
  const labels = new Int32Array(nOut + nIn);
  // numpy's linspace(0, π, m): i·step, the last exactly π
  const t = (i: number, m: number) => (i === m - 1 && m > 1 ? Math.PI : i * (Math.PI / Math.max(m - 1, 1)));
  for (let i = 0; i < nOut; i++) [pts[2 * i], pts[2 * i + 1]] = [Math.cos(t(i, nOut)), Math.sin(t(i, nOut))];
  for (let i = 0; i < nIn; i++) {
    const k = nOut + i;
    [pts[2 * k], pts[2 * k + 1], labels[k]] = [1 - Math.cos(t(i, nIn)), 1 - Math.sin(t(i, nIn)) - 0.5, 1];
  }
  return finish(pts, labels, 2, g, shuffle, noise);
}

/**
 * Gaussian blobs, as sklearn's `make_blobs`: `n` points split over the centres as evenly as possible (the first
 * n mod k get one more; or `n` lists the points of each centre), each centre's points normal around it with
 * that centre's `clusterStd`, labelled by centre. Draws, in order: the centres (when `centers` is a number: k ×
 * nFeatures uniforms in `centerBox`, row-major), the points centre by centre (one normal draw per coordinate,
 * row-major), then the shuffle (Fisher–Yates, unless `shuffle: false`).
 *
 * @example
 * ```ts
 * const { x, y, centers } = data.makeBlobs(300, { centers: 4, clusterStd: 0.5, seed: 1 });
 * x.shape;       // [300, 2]
 * centers.shape; // [4, 2]
 * y.max().item(); // 3
 * data.makeBlobs(4, { centers: [[0, 0], [5, 5]], clusterStd: 0, shuffle: false }).x.toArray(); // [[0, 0], [0, 0], [5, 5], [5, 5]]
 * ```
 */
export function makeBlobs(n: number | readonly number[], opts?: BlobsOptions): BlobsData {
  const op = 'makeBlobs';
  const o = checkOptions(op, opts, ['centers', 'clusterStd', 'centerBox', 'nFeatures', 'shuffle', ...SEED_KEYS]);
  const perCenter = Array.isArray(n) ? n.map((v, i) => checkInt(op, `n[${i}]`, v, 0)) : null;
  if (perCenter === null) checkCount(op, n);
  const c = o.centers ?? perCenter?.length ?? 3;
  let k: number, d: number, given: number[][] | null = null;
  if (typeof c === 'number') {
    k = checkCount(op, c, 'centers');
    d = o.nFeatures === undefined ? 2 : checkCount(op, o.nFeatures, 'nFeatures');
  } else {
    if (!Array.isArray(c) || c.length === 0 || !c.every((r) => Array.isArray(r) && r.length > 0 && r.length === c[0].length && r.every(Number.isFinite))) {
      throw new ArgumentError(`${op}: centers must be a positive integer or a non-empty array of equal-length arrays of finite numbers, got ${describeValue(c)}`);
    }
    given = c as number[][];
    [k, d] = [given.length, given[0].length];
    if (o.nFeatures !== undefined && o.nFeatures !== d) throw new ValueError(`${op}: nFeatures is ${describeValue(o.nFeatures)} but the centers have ${d} coordinates`);
  }
  if (perCenter && perCenter.length !== k) throw new ValueError(`${op}: n lists ${perCenter.length} blob sizes but there are ${k} centers`);
  const counts = perCenter ?? splitEvenly(n as number, k);
  const stdRaw = o.clusterStd ?? 1;
  const stds = Array.isArray(stdRaw) ? stdRaw : Array<unknown>(k).fill(stdRaw);
  if (stds.length !== k) throw new ValueError(`${op}: clusterStd lists ${stds.length} values but there are ${k} centers`);
  stds.forEach((s, i) => checkNonNegative(op, Array.isArray(stdRaw) ? `clusterStd[${i}]` : 'clusterStd', s));
  const box = o.centerBox ?? [-10, 10];
  if (!Array.isArray(box) || box.length !== 2 || !box.every(Number.isFinite) || box[0] > box[1]) {
    throw new (Array.isArray(box) && box.length === 2 && box.every(Number.isFinite) ? ValueError : ArgumentError)(`${op}: centerBox must be a pair [lo, hi] of finite numbers with lo ≤ hi, got ${describeValue(box)}`);
  }
  const shuffle = o.shuffle === undefined ? true : checkBool(op, 'shuffle', o.shuffle);
  const g = generatorFrom(op, o);
  const ctr = new Float64Array(k * d);
  for (let i = 0; i < k * d; i++) ctr[i] = given ? given[Math.floor(i / d)][i % d] : uniform(g, box[0], box[1]);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) throw new ValueError(`${op}: expected at least one point, got blob sizes ${describeValue(counts)}`);
  const pts = new Float64Array(total * d);
  const labels = new Int32Array(total);
  let row = 0;
  counts.forEach((m, ci) => {
    for (let i = 0; i < m; i++, row++) {
      labels[row] = ci;
      for (let j = 0; j < d; j++) pts[row * d + j] = ctr[ci * d + j] + (stds[ci] as number) * normalSample(g);
    }
  });
  const { x, y } = finish(pts, labels, d, g, shuffle, 0);
  const centers = allocate(x.dtype, k * d);
  centers.set(ctr);
  return { x, y, centers: fromData(centers, [k, d], x.dtype) };
}

/**
 * Interleaved spirals, one arm per class: the n points are split over the classes as evenly as possible (the
 * first n mod classes get one more); point i of the m on arm k sits at radius s = (i + 0.5)/m and angle
 * 2π·(turns·s + k/classes), i.e. (s·cos θ, s·sin θ), so the arms start near the centre, end near radius 1, and
 * are rotated 2π/classes apart. Then, as {@link makeMoons}, the points are shuffled (unless `shuffle: false`) and
 * Gaussian noise of std `noise` is added to every coordinate.
 *
 * @example
 * ```ts
 * const { x, y } = data.makeSpirals(300, { classes: 3, noise: 0.02, seed: 0 });
 * x.shape;        // [300, 2]
 * y.max().item(); // 2
 * data.makeSpirals(2, { shuffle: false, turns: 0 }).x.toArray(); // [[0.5, 0], [-0.5, 0]]
 * ```
 */
export function makeSpirals(n: number, opts?: SpiralsOptions): ToyData {
  const op = 'makeSpirals';
  const o = checkOptions(op, opts, ['classes', 'noise', 'turns', 'shuffle', ...SEED_KEYS]);
  checkCount(op, n);
  const classes = o.classes === undefined ? 2 : checkCount(op, o.classes, 'classes');
  const turns = o.turns === undefined ? 1 : checkNumber(op, 'turns', o.turns, Number.isFinite, 'finite');
  const { noise, shuffle, g } = shapeOptions(op, o);
  const pts = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  let row = 0;
  splitEvenly(n, classes).forEach((m, k) => {
    for (let i = 0; i < m; i++, row++) {
      const s = (i + 0.5) / m;
      const theta = 2 * Math.PI * (turns * s + k / classes);
      [pts[2 * row], pts[2 * row + 1], labels[row]] = [s * Math.cos(theta), s * Math.sin(theta), k];
    }
  });
  return finish(pts, labels, 2, g, shuffle, noise);
}
