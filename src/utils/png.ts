// A minimal PNG writer for the experiments' pictures (the autoencoder's digit grids): 8-bit grayscale or RGB,
// no interlacing, every scanline with filter type 0 (None), the pixels deflated by Node's zlib. The layout
// (PNG specification, 2nd edition, ISO/IEC 15948): the 8-byte signature, then chunks, each a 4-byte big-endian
// length, a 4-byte type, the data and a CRC-32 of type and data: IHDR (size, bit depth 8, colour type 0 or 2,
// compression 0, filter 0, interlace 0), one IDAT (the zlib stream), IEND (empty).
//
// Internal (not exported from the package): the experiments use it. Node's modules are looked up through
// `process.getBuiltinModule` when a function needs them, as io/safetensors.ts does, so importing this module
// needs nothing from Node.
import { Tensor } from '../tensor/tensor.js';
import { shapeStr } from '../tensor/shape.js';
import { checkInt, checkNumber, checkOptions, checkTensorArg, describeValue } from './args.js';
import { nodeModules, writeFileAtomically } from './node.js';
import { ArgumentError, ShapeError, ValueError } from '../errors.js';

/** An image as 8-bit samples, row-major, the channels of a pixel side by side (gray, or red, green, blue). */
export interface PngImage {
  width: number;
  height: number;
  /** 1: grayscale (PNG colour type 0); 3: RGB (colour type 2). */
  channels: 1 | 3;
  /** width · height · channels samples, 0 (black) to 255 (white). */
  data: Uint8Array;
}

const OTHERWISE = 'elsewhere write the bytes of encodePng yourself';

// ------------------------------------------------------------------------------------------------------ CRC-32

/** The table of the CRC-32 of ISO 3309 / ITU-T V.42 (reflected polynomial 0xEDB88320), one entry per byte. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * The CRC-32 of `bytes` (PNG's, zlib's and gzip's: `crc32(ascii('123456789'))` is 0xCBF43926), as an unsigned
 * 32-bit number. `crc` continues a running CRC: `crc32(b, crc32(a))` is the CRC of a followed by b.
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------------------------------------------- encoding

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** PNG's limit on the width and the height (2³¹ − 1). */
const MAX_SIDE = 0x7fffffff;

/** One chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function checkImage(fn: string, image: unknown): PngImage {
  if (typeof image !== 'object' || image === null || image instanceof Tensor) {
    throw new ArgumentError(`${fn}: expected an image { width, height, channels, data }, got ${describeValue(image, 'object')}`);
  }
  const o = image as Record<string, unknown>;
  const width = checkInt(fn, 'width', o.width, 1);
  const height = checkInt(fn, 'height', o.height, 1);
  if (width > MAX_SIDE || height > MAX_SIDE) throw new ValueError(`${fn}: a PNG is at most ${MAX_SIDE} pixels wide and high, got ${width} × ${height}`);
  if (o.channels !== 1 && o.channels !== 3) throw new (typeof o.channels === 'number' ? ValueError : ArgumentError)(`${fn}: channels must be 1 (grayscale) or 3 (RGB), got ${describeValue(o.channels)}`);
  if (!(o.data instanceof Uint8Array)) throw new ArgumentError(`${fn}: data must be a Uint8Array of 8-bit samples, got ${describeValue(o.data, 'object')}`);
  const expected = width * height * o.channels;
  if (o.data.length !== expected) {
    throw new ShapeError(`${fn}: data holds ${o.data.length} samples but a ${width} × ${height} image with ${o.channels} channel${o.channels === 1 ? '' : 's'} needs ${expected}`);
  }
  return { width, height, channels: o.channels, data: o.data };
}

/**
 * The bytes of a PNG file holding `image`: 8 bits per sample, grayscale (1 channel) or RGB (3), not interlaced,
 * every scanline unfiltered (filter type 0), one IDAT chunk deflated by zlib at level 9. The same image always
 * gives the same bytes (with one zlib build).
 */
export function encodePng(image: PngImage): Uint8Array {
  const fn = 'encodePng';
  const { width, height, channels, data } = checkImage(fn, image);
  const { zlib } = nodeModules(fn, 'PNG encoding uses its zlib');
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, channels === 1 ? 0 : 2, 0, 0, 0], 8); // bit depth, colour type, compression, filter, interlace
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1)); // each row: filter byte 0, then the samples
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const idat = new Uint8Array(zlib.deflateSync(raw, { level: 9 }));
  const parts = [Uint8Array.from(SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// -------------------------------------------------------------------------------------------------------- grids

/** A shade in [0, 1] as an 8-bit sample: clamped (±Infinity to white and black), rounded; NaN black. */
export const toByte = (v: number): number => (v > 0 ? Math.round(Math.min(v, 1) * 255) : 0);

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  /** Images per row (default 8, as torchvision's make_grid); the last row may be shorter. */
  cols?: number;
  /** Pixels between the images and around the border (default 2, as make_grid). */
  pad?: number;
  /** The shade of the padding, in [0, 1] (default 0, black, as make_grid). */
  padValue?: number;
  /** Each pixel of the grid drawn as scale × scale pixels (nearest neighbour; default 1). */
  scale?: number;
}

/**
 * The images of `images` ([N, 1, H, W] or [N, H, W], values in [0, 1], 0 black) laid out as torchvision's
 * `make_grid` does: `cols` per row (fewer when N is smaller), in order, `pad` pixels of `padValue` between them
 * and around the border, so the grid is (pad + rows·(H + pad)) high and (pad + c·(W + pad)) wide, with
 * c = min(cols, N) and rows = ⌈N / c⌉; then scaled up
 * `scale` times. Values are clamped to [0, 1] and rounded to 8 bits (NaN shows black). A grayscale image for
 * {@link encodePng} and {@link writePng}.
 */
export function imageGrid(images: Tensor, opts: ImageGridOptions = {}): PngImage {
  const fn = 'imageGrid';
  checkTensorArg(fn, images, 'images');
  const o = checkOptions(fn, opts, ['cols', 'pad', 'padValue', 'scale']);
  const gray = images.ndim === 3 || (images.ndim === 4 && images.shape[1] === 1);
  if (!gray || images.shape[0] === 0) {
    throw new ShapeError(`${fn}: expected a non-empty batch of grayscale images [N, 1, H, W] or [N, H, W], got shape ${shapeStr(images.shape)}`);
  }
  const cols = checkInt(fn, 'cols', o.cols ?? 8, 1);
  const pad = checkInt(fn, 'pad', o.pad ?? 2, 0);
  const padValue = checkNumber(fn, 'padValue', o.padValue ?? 0, (v) => v >= 0 && v <= 1, 'in [0, 1]');
  const scale = checkInt(fn, 'scale', o.scale ?? 1, 1);
  const [n, h, w] = [images.shape[0], images.shape[images.ndim - 2], images.shape[images.ndim - 1]];
  if (h === 0 || w === 0) throw new ShapeError(`${fn}: the images are empty (shape ${shapeStr(images.shape)}); expected H and W of at least 1`);
  const across = Math.min(cols, n);
  const rows = Math.ceil(n / across);
  const gridW = pad + across * (w + pad);
  const gridH = pad + rows * (h + pad);
  const grid = new Uint8Array(gridW * gridH).fill(toByte(padValue));
  const src = images.toTypedArray();
  for (let k = 0; k < n; k++) {
    const [top, left] = [pad + Math.floor(k / across) * (h + pad), pad + (k % across) * (w + pad)];
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) grid[(top + i) * gridW + left + j] = toByte(src[(k * h + i) * w + j]);
    }
  }
  if (scale === 1) return { width: gridW, height: gridH, channels: 1, data: grid };
  const [width, height] = [gridW * scale, gridH * scale];
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / scale) * gridW;
    for (let x = 0; x < width; x++) data[y * width + x] = grid[row + Math.floor(x / scale)];
  }
  return { width, height, channels: 1, data };
}

// -------------------------------------------------------------------------------------------------------- files

/**
 * Writes `image` as a PNG file at `path` (its folder created if missing), atomically: the bytes go to a new
 * temporary file in the same folder, flushed to disk, then renamed over `path`, so an error or a crash never
 * leaves a half-written picture. Gives the absolute path written.
 */
export function writePng(path: string, image: PngImage): string {
  const fn = 'writePng';
  if (typeof path !== 'string') throw new ArgumentError(`${fn}: path must be a non-empty string, got ${describeValue(path, 'object')}`);
  if (path === '') throw new ValueError(`${fn}: path must be a non-empty string, got ''`);
  const bytes = encodePng(image);
  return writeFileAtomically(fn, path, [bytes], { mkdir: true, otherwise: OTHERWISE });
}
