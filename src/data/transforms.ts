// Transforms of image batches [N, C, H, W] (float): normalize (torchvision's Normalize), randomAffine (its
// RandomAffine, per image, bilinear), addNoise (Gaussian, masking and salt-and-pepper noise for denoising
// autoencoders), and compose / toBatchTransform to build a DataLoader's transform.
import type { Tensor } from '../tensor/tensor.js';
import { fromData, tensor } from '../tensor/creation.js';
import { allocate } from '../tensor/dtype.js';
import { normalSample, type Generator } from '../tensor/random.js';
import { shapeStr } from '../tensor/shape.js';
import { div, sub } from '../autograd/prims.js';
import { reshape } from '../ops/shape.js';
import { checkChoice, checkFloatArg, checkInt, checkNumber, checkOptions, checkProbability, describeValue } from '../utils/args.js';
import { generatorFrom, uniform, type SeedOptions } from './rng.js';
import type { Batch } from './dataset.js';
import { ArgumentError, IndexError, ShapeError, ValueError } from '../errors.js';

/** The per-channel values of normalize (one number for all channels, or one per channel), as a [C, 1, 1] tensor. */
function perChannel(op: string, name: string, v: unknown, channels: number, x: Tensor): Tensor {
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || !list.every((e) => typeof e === 'number' && Number.isFinite(e)) || (list.length !== 1 && list.length !== channels)) {
    throw new (Array.isArray(list) && list.every((e) => typeof e === 'number') ? ValueError : ArgumentError)(`${op}: ${name} must be a finite number or an array of 1 or ${channels} (the channels) finite numbers, got ${describeValue(v)}`);
  }
  if (name === 'std' && list.some((e) => e === 0)) throw new ValueError(`${op}: std must be nonzero in every channel, got ${describeValue(v)}`);
  return reshape(tensor(list as number[], { dtype: x.dtype }), [list.length, 1, 1]);
}

/**
 * Normalizes each channel, as torchvision's `Normalize`: (x − mean[c]) / std[c] for channel c of an image batch
 * [..., C, H, W] (a [N, C, H, W] batch, or one [C, H, W] image). `mean` and `std` are one number for every
 * channel or one per channel; they are taken in x's dtype, as torchvision does. Differentiable.
 *
 * @example
 * ```ts
 * const x = ones([2, 3, 4, 4]);
 * const y = data.normalize(x, [0.5, 1, 0], [0.5, 2, 4]);
 * y.mean([0, 2, 3]).toArray();                                // [1, 0, 0.25]
 * data.normalize(x, 0.1307, 0.3081).max().item();             // 2.8215
 * ```
 */
export function normalize(x: Tensor, mean: number | readonly number[], std: number | readonly number[]): Tensor {
  checkFloatArg('normalize', x);
  if (x.ndim < 3) throw new ShapeError(`normalize: expected an image tensor of shape [..., C, H, W], got shape ${shapeStr(x.shape)}`);
  const c = x.shape[x.ndim - 3];
  return div(sub(x, perChannel('normalize', 'mean', mean, c, x)), perChannel('normalize', 'std', std, c, x));
}

/** Options of {@link randomAffine}. */
export interface RandomAffineOptions extends SeedOptions {
  /** The angle range in degrees: d gives [−d, d], or [lo, hi]. A positive angle turns the image clockwise as displayed. */
  degrees: number | readonly [number, number];
  /** Maximum shifts as fractions [fx, fy] of the width and height (default none). */
  translate?: readonly [number, number];
  /** The range [lo, hi] of the zoom factor (default none: 1). */
  scale?: readonly [number, number];
  /** The value read outside the image (default 0). */
  fill?: number;
}

function checkPair(op: string, name: string, v: unknown, ok: (a: number, b: number) => boolean, expected: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((e) => typeof e === 'number' && Number.isFinite(e)) || !ok(v[0], v[1])) {
    throw new (Array.isArray(v) && v.every((e) => typeof e === 'number') ? ValueError : ArgumentError)(`${op}: ${name} must be ${expected}, got ${describeValue(v)}`);
  }
  return [v[0], v[1]];
}

/**
 * Random affine transforms of each image of a batch [N, C, H, W] (or of one image [C, H, W]), as torchvision's
 * `RandomAffine` with bilinear interpolation but with new parameters for every image: a rotation about the
 * image centre, a zoom and a shift.
 *
 * The draws, image by image, in torchvision's order: the angle, uniform in the `degrees` range; with
 * `translate: [fx, fy]`, the shifts tx, ty, uniform in [−fx·W, fx·W] and [−fy·H, fy·H] and rounded to whole
 * pixels; with `scale: [lo, hi]`, the zoom s, uniform in [lo, hi]. Output pixel (row i, column j) then reads the
 * input at the point that the transform (rotation by the angle, clockwise as displayed, and zoom s about the
 * centre ((W−1)/2, (H−1)/2), then the shift) sends there, interpolated bilinearly between the four nearest
 * pixels, with pixels outside the image read as `fill` (torchvision's grid_sample with zero padding for fill 0).
 * Angle 0, zoom 1 and no shift give back the input exactly. This is data preprocessing: the result is a new
 * tensor, not recorded on the tape.
 *
 * For augmentation in a DataLoader, pass one generator that advances from batch to batch:
 * `transform: data.toBatchTransform((x) => data.randomAffine(x, { degrees: 25, generator: g }))`.
 *
 * @example
 * ```ts
 * const img = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
 * data.randomAffine(img, { degrees: [90, 90] }).toArray(); // [[[[7, 4, 1], [8, 5, 2], [9, 6, 3]]]]
 * data.randomAffine(img, { degrees: 0, seed: 1 }).toArray();        // [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]
 * const batch = data.randomAffine(rand([8, 1, 28, 28]), { degrees: 25, scale: [0.8, 1.2], translate: [0.1, 0.1], seed: 0 });
 * batch.shape; // [8, 1, 28, 28]
 * ```
 */
export function randomAffine(x: Tensor, opts: RandomAffineOptions): Tensor {
  const op = 'randomAffine';
  checkFloatArg(op, x);
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(`${op}: expected an image batch [N, C, H, W] or an image [C, H, W], got shape ${shapeStr(x.shape)}`);
  const o = checkOptions(op, opts, ['degrees', 'translate', 'scale', 'fill', 'seed', 'generator']);
  if (o.degrees === undefined) throw new ArgumentError(`${op}: the option degrees is required (a number d ≥ 0 for [−d, d], or [lo, hi])`);
  const [aLo, aHi] = typeof o.degrees === 'number'
    ? [-checkNumber(op, 'degrees', o.degrees, (d) => d >= 0 && d < Infinity, 'a finite number ≥ 0'), o.degrees]
    : checkPair(op, 'degrees', o.degrees, (a, b) => a <= b, 'a number ≥ 0 or a pair [lo, hi] of finite numbers with lo ≤ hi');
  const translate = o.translate === undefined ? null
    : checkPair(op, 'translate', o.translate, (a, b) => a >= 0 && a <= 1 && b >= 0 && b <= 1, 'a pair [fx, fy] of fractions in [0, 1]');
  const scale = o.scale === undefined ? null
    : checkPair(op, 'scale', o.scale, (a, b) => a > 0 && a <= b, 'a pair [lo, hi] of numbers with 0 < lo ≤ hi');
  const fill = o.fill === undefined ? 0 : checkNumber(op, 'fill', o.fill, Number.isFinite, 'finite');
  const g = generatorFrom(op, o);
  const [c, h, w] = x.shape.slice(-3);
  const n = x.ndim === 4 ? x.shape[0] : 1;
  const src = x.toTypedArray();
  const out = allocate(x.dtype, src.length);
  const [cx, cy] = [(w - 1) / 2, (h - 1) / 2];
  const plane = h * w;
  for (let img = 0; img < n; img++) {
    const angle = uniform(g, aLo, aHi);
    const tx = translate ? Math.round(uniform(g, -translate[0] * w, translate[0] * w)) : 0;
    const ty = translate ? Math.round(uniform(g, -translate[1] * h, translate[1] * h)) : 0;
    const s = scale ? uniform(g, scale[0], scale[1]) : 1;
    // the inverse map, output pixel → input point: rotate by −angle and unzoom about the centre, after unshifting
    const rad = (angle * Math.PI) / 180;
    const [a, b] = [Math.cos(rad) / s, Math.sin(rad) / s];
    const base = img * c * plane;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const [u, v] = [j - cx - tx, i - cy - ty];
        const px = a * u + b * v + cx;
        const py = -b * u + a * v + cy;
        const [x0, y0] = [Math.floor(px), Math.floor(py)];
        const [fx, fy] = [px - x0, py - y0];
        for (let ch = 0; ch < c; ch++) {
          const at = base + ch * plane;
          // bilinear over the four neighbours; a neighbour of weight 0 is not read (so exact pixels stay exact)
          let acc = 0;
          for (let k = 0; k < 4; k++) {
            const [xx, yy] = [x0 + (k & 1), y0 + (k >> 1)];
            const wt = ((k & 1) ? fx : 1 - fx) * ((k >> 1) ? fy : 1 - fy);
            if (wt === 0) continue;
            acc += wt * (xx >= 0 && xx < w && yy >= 0 && yy < h ? src[at + yy * w + xx] : fill);
          }
          out[at + i * w + j] = acc;
        }
      }
    }
  }
  return fromData(out, x.shape, x.dtype);
}

/** Options of {@link addNoise}. */
export interface AddNoiseOptions extends SeedOptions {
  /**
   * 'gaussian': add std·N(0, 1) to every element; 'masking': set each element to 0 with probability `prob`;
   * 'saltPepper': set each element to 0 (pepper) with probability prob/2 and to 1 (salt) with probability prob/2.
   */
  mode: 'gaussian' | 'masking' | 'saltPepper';
  /** The noise's standard deviation (mode 'gaussian' only, required there). */
  std?: number;
  /** The fraction of elements hit (modes 'masking' and 'saltPepper' only, required there). */
  prob?: number;
  /** Clamp the result to [0, 1] (true) or to [lo, hi] (default false: no clamp). */
  clamp?: boolean | readonly [number, number];
}

/**
 * Corrupts a batch for a denoising autoencoder (the nndiy report's noise): Gaussian noise of std `std`, masking
 * (each element zeroed with probability `prob`: masking noise at 40 % is `{mode: 'masking', prob: 0.4}`), or
 * salt and pepper (each element set to 0 or to 1, with probability prob/2 each); then clamped when asked. Draws,
 * element by element in row-major order: one normal draw ('gaussian') or one uniform draw u (an element is
 * masked when u < prob; pepper when u < prob/2, salt when prob/2 ≤ u < prob). Any float tensor; the result is a
 * new tensor, not recorded on the tape.
 *
 * @example
 * ```ts
 * const x = full([10000], 0.5);
 * const masked = data.addNoise(x, { mode: 'masking', prob: 0.4, seed: 0 });
 * Math.abs(masked.eq(0).sum().item() / 10000 - 0.4) < 0.02;                      // true
 * const noisy = data.addNoise(x, { mode: 'gaussian', std: 0.3, clamp: true, seed: 0 });
 * [noisy.min().item() >= 0, noisy.max().item() <= 1];                            // [true, true]
 * ```
 */
export function addNoise(x: Tensor, opts: AddNoiseOptions): Tensor {
  const op = 'addNoise';
  checkFloatArg(op, x);
  const o = checkOptions(op, opts, ['mode', 'std', 'prob', 'clamp', 'seed', 'generator']);
  const mode = checkChoice(op, 'mode', o.mode, ['gaussian', 'masking', 'saltPepper'] as const);
  const [needs, refuses] = mode === 'gaussian' ? ['std', 'prob'] as const : ['prob', 'std'] as const;
  if (o[refuses] !== undefined) throw new ArgumentError(`${op}: ${refuses} does not apply to mode '${mode}' (it takes ${needs})`);
  if (o[needs] === undefined) throw new ArgumentError(`${op}: mode '${mode}' needs the option ${needs}`);
  const std = mode === 'gaussian' ? checkNumber(op, 'std', o.std, (v) => v >= 0 && v < Infinity, 'a finite number ≥ 0') : 0;
  const prob = mode === 'gaussian' ? 0 : checkProbability(op, o.prob);
  const [lo, hi] = o.clamp === undefined || o.clamp === false ? [-Infinity, Infinity] : o.clamp === true ? [0, 1]
    : checkPair(op, 'clamp', o.clamp, (a, b) => a <= b, 'a boolean or a pair [lo, hi] of finite numbers with lo ≤ hi');
  const g: Generator = generatorFrom(op, o);
  const src = x.toTypedArray();
  const out = allocate(x.dtype, src.length);
  for (let i = 0; i < src.length; i++) {
    let v = src[i];
    if (mode === 'gaussian') v += std * normalSample(g);
    else {
      const u = g.next();
      if (u < prob) v = mode === 'masking' || u < prob / 2 ? 0 : 1;
    }
    out[i] = Math.min(Math.max(v, lo), hi);
  }
  return fromData(out, x.shape, x.dtype);
}

/**
 * Chains functions left to right, as torchvision's `Compose`: `compose(f, g)(x)` is `g(f(x))`; no functions give
 * the identity.
 *
 * @example
 * ```ts
 * const prep = data.compose((x: Tensor) => x.mul(2), (x: Tensor) => x.add(1));
 * prep(tensor([1, 2])).toArray(); // [3, 5]
 * ```
 */
export function compose<T>(...fns: ((v: T) => T)[]): (v: T) => T {
  fns.forEach((f, i) => {
    if (typeof f !== 'function') throw new ArgumentError(`compose: argument ${i} must be a function, got ${describeValue(f, 'object')}`);
  });
  return (v: T) => fns.reduce((acc, f) => f(acc), v);
}

/**
 * A DataLoader transform (batch → batch) that applies `fn` to one element of each batch, by default the input
 * (element 0), and passes the others through.
 *
 * @example
 * ```ts
 * const ds = new data.TensorDataset(ones([4, 1, 2, 2]), arange(4));
 * const loader = new data.DataLoader(ds, {
 *   batchSize: 2,
 *   transform: data.toBatchTransform((x) => data.normalize(x, 0.5, 0.5)),
 * });
 * const [x, y] = [...loader][0];
 * x.max().item(); // 1
 * y.toArray();    // [0, 1]
 * ```
 */
export function toBatchTransform(fn: (t: Tensor) => Tensor, index = 0): (batch: Batch) => Batch {
  if (typeof fn !== 'function') throw new ArgumentError(`toBatchTransform: fn must be a function, got ${describeValue(fn, 'object')}`);
  checkInt('toBatchTransform', 'index', index, 0);
  return (batch: Batch) => {
    if (!Array.isArray(batch) || index >= batch.length) {
      throw new IndexError(`toBatchTransform: the batch has no element ${index} (it has ${Array.isArray(batch) ? batch.length : 0})`);
    }
    return batch.map((t, k) => (k === index ? fn(t) : t));
  };
}
