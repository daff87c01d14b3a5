// Internal: tensors of images as 8-bit pictures (PNG data URLs), shared by the chart imageGrid (plot.ts) and the
// notebook display (display.ts). The PNG bytes come from utils/png.ts.
import { Tensor } from '../tensor/tensor.js';
import { shapeStr } from '../tensor/shape.js';
import { describeValue } from '../utils/args.js';
import { encodePng, toByte, type PngImage } from '../utils/png.js';
import { nodeModules } from '../utils/node.js';
import { ArgumentError, ShapeError, ValueError } from '../errors.js';

/** How values become shades: as they are (clamped to [0, 1]), min-max per image, or min-max over all images. */
export type Normalize = false | 'each' | 'all';

/** The images of a batch, their size and how they were scaled to [0, 1]. */
export interface Pictures {
  images: PngImage[];
  height: number;
  width: number;
  channels: 1 | 3;
  normalize: Normalize;
}

/** The normalize option: false, 'each', 'all', or undefined ('auto': as they are when all in [0, 1], else 'each'). */
export function checkNormalize(fn: string, v: unknown): Normalize | undefined {
  if (v === undefined || v === false || v === 'each' || v === 'all') return v;
  throw new (typeof v === 'string' ? ValueError : ArgumentError)(`${fn}: normalize must be false, 'each' or 'all', got ${describeValue(v)}`);
}

/**
 * The images of `t`, a batch laid out [N, H, W], [N, 1, H, W] or [N, 3, H, W] (`batched`) or one image [H, W],
 * [1, H, W] or [3, H, W], as 8-bit pictures. Non-finite values show black (NaN, -Infinity) or white (Infinity)
 * and do not count for min-max; a constant image normalized shows mid-gray; bool shows 0 black, 1 white. Null
 * when the shape is none of these.
 */
export function toPictures(t: Tensor, batched: boolean, normalize: Normalize | undefined): Pictures | null {
  const s = t.shape;
  let n: number, c: number;
  if (batched) {
    if (s.length === 3) [n, c] = [s[0], 1];
    else if (s.length === 4 && (s[1] === 1 || s[1] === 3)) [n, c] = [s[0], s[1]];
    else return null;
  } else {
    if (s.length === 2) [n, c] = [1, 1];
    else if (s.length === 3 && (s[0] === 1 || s[0] === 3)) [n, c] = [1, s[0]];
    else return null;
  }
  const [h, w] = [s[s.length - 2], s[s.length - 1]];
  if (n === 0 || h === 0 || w === 0) return null;
  const src = t.toTypedArray();
  const per = c * h * w;
  let mode: Normalize = normalize ?? false;
  if (normalize === undefined) {
    for (let i = 0; i < src.length; i++) {
      if (Number.isFinite(src[i]) && (src[i] < 0 || src[i] > 1)) {
        mode = 'each';
        break;
      }
    }
  }
  const range = (from: number, to: number): [number, number] => {
    let [lo, hi] = [Infinity, -Infinity];
    for (let i = from; i < to; i++) {
      const v = src[i];
      if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    }
    return [lo, hi];
  };
  const all = mode === 'all' ? range(0, src.length) : null;
  const images: PngImage[] = [];
  for (let k = 0; k < n; k++) {
    const [lo, hi] = mode === false ? [0, 1] : all ?? range(k * per, (k + 1) * per);
    const flat = !(hi > lo); // constant (or no finite value): mid-gray
    const data = new Uint8Array(h * w * c);
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < h * w; p++) {
        const v = src[k * per + ch * h * w + p];
        // lo and hi are finite when !flat, so NaN and ±Infinity stay what they are, for toByte to shade
        data[p * c + ch] = toByte(!flat ? (v - lo) / (hi - lo) : Number.isFinite(v) ? 0.5 : v);
      }
    }
    images.push({ width: w, height: h, channels: c as 1 | 3, data });
  }
  return { images, height: h, width: w, channels: c as 1 | 3, normalize: mode };
}

/** A picture as a `data:image/png;base64,…` URL. */
export function pngDataUrl(fn: string, image: PngImage): string {
  const { buffer } = nodeModules(fn, 'it draws pictures as PNG files');
  return `data:image/png;base64,${buffer.Buffer.from(encodePng(image)).toString('base64')}`;
}

/** The shapes toPictures takes, for error messages. */
export const BATCH_SHAPES = '[N, H, W], [N, 1, H, W] or [N, 3, H, W]';

/** A refusal of `t`'s shape for images, naming the function. */
export function pictureError(fn: string, name: string, t: Tensor, expected: string): Error {
  return new ShapeError(`${fn}: expected ${name} of shape ${expected} (not empty), got shape ${shapeStr(t.shape)}`);
}
