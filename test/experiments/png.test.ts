// The PNG writer of the experiments: its files are read back by an independent minimal reader written here
// (chunks parsed by hand, CRCs checked with a bitwise CRC-32 without a table, IDAT inflated by node:zlib,
// scanlines unfiltered), a tiny file is compared byte for byte with one built by another encoder, and imageGrid's
// layout is checked pixel by pixel.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor, zeros } from '../../src/index.js';
import { crc32, encodePng, imageGrid, writePng, type PngImage } from '../../src/utils/png.js';

/** CRC-32 (ISO 3309, reflected 0xEDB88320) bit by bit: no table, nothing shared with the writer. */
function bitwiseCrc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

interface Chunk { type: string; data: Uint8Array }

/** A minimal PNG reader: the signature, every chunk with its CRC, IHDR, the inflated IDATs, filter type 0 only. */
function readPng(bytes: Uint8Array): PngImage & { chunks: string[] } {
  expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: Chunk[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + length);
    expect(view.getUint32(at + 8 + length), `CRC of ${type}`).toBe(bitwiseCrc(bytes.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  expect(chunks[0].type).toBe('IHDR');
  expect(chunks[chunks.length - 1]).toEqual({ type: 'IEND', data: new Uint8Array(0) });
  const ihdr = new DataView(chunks[0].data.buffer, chunks[0].data.byteOffset, 13);
  const [width, height] = [ihdr.getUint32(0), ihdr.getUint32(4)];
  const [depth, colour, compression, filter, interlace] = chunks[0].data.subarray(8, 13);
  expect([depth, compression, filter, interlace]).toEqual([8, 0, 0, 0]);
  expect([0, 2]).toContain(colour);
  const channels = colour === 0 ? 1 : 3;
  const idat = chunks.filter((c) => c.type === 'IDAT').map((c) => c.data);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).toBe(height * (stride + 1));
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (stride + 1)], `filter type of row ${y}`).toBe(0);
    data.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, channels, data, chunks: chunks.map((c) => c.type) };
}

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-png-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic pseudo-random bytes (a linear congruential generator). */
function bytesOf(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

describe('crc32', () => {
  it("gives the check value of CRC-32 and agrees with a bitwise CRC, also when continued", () => {
    const ascii = new TextEncoder().encode('123456789');
    expect(crc32(ascii)).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
    const b = bytesOf(1000, 7);
    expect(crc32(b)).toBe(bitwiseCrc(b));
    expect(crc32(b.subarray(400), crc32(b.subarray(0, 400)))).toBe(bitwiseCrc(b));
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('encodePng', () => {
  it('writes a 2×2 grayscale image as the exact bytes of an independent encoder', () => {
    // built with Python's zlib.compress(raw, 9) and binascii.crc32: signature, IHDR (2×2, depth 8, gray), IDAT
    // (zlib of the rows 00 00 ff and 00 80 40, each after its filter byte 0), IEND
    const expected = '89504e470d0a1a0a'
      + '0000000d' + '49484452' + '00000002000000020800000000' + '57dd52f8'
      + '0000000e' + '49444154' + '78da6360f8cfd0e00000054201c0' + '6d5e78a0'
      + '00000000' + '49454e44' + 'ae426082';
    const png = encodePng({ width: 2, height: 2, channels: 1, data: new Uint8Array([0, 255, 128, 64]) });
    expect(Buffer.from(png).toString('hex')).toBe(expected);
  });

  it('round-trips grayscale and RGB images of odd sizes through the independent reader', () => {
    for (const [width, height, channels] of [[1, 1, 1], [37, 5, 1], [3, 64, 3], [101, 17, 3]] as const) {
      const data = bytesOf(width * height * channels, width * 31 + height);
      const back = readPng(encodePng({ width, height, channels, data }));
      expect(back.chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
      expect([back.width, back.height, back.channels]).toEqual([width, height, channels]);
      expect(back.data).toEqual(data);
    }
  });

  it('refuses images it cannot write, saying what is wrong', () => {
    const img = (o: Partial<PngImage>) => ({ width: 2, height: 2, channels: 1, data: new Uint8Array(4), ...o }) as PngImage;
    expect(() => encodePng(img({ data: new Uint8Array(3) }))).toThrow('encodePng: data holds 3 samples but a 2 × 2 image with 1 channel needs 4');
    expect(() => encodePng(img({ channels: 4 as 1 }))).toThrow('encodePng: channels must be 1 (grayscale) or 3 (RGB), got 4');
    expect(() => encodePng(img({ width: 0 }))).toThrow(RangeError);
    expect(() => encodePng(null as never)).toThrow('encodePng: expected an image { width, height, channels, data }, got null');
    expect(() => encodePng(img({ data: [0, 0, 0, 0] as unknown as Uint8Array }))).toThrow('encodePng: data must be a Uint8Array of 8-bit samples, got an array');
  });
});

describe('imageGrid', () => {
  it("lays images out as make_grid: cols per row, pad between and around, the last row short", () => {
    // three 2×3 images, 2 per row, pad 1 of shade 1 (255): a 2·(2+1)+1 = 7 by 2·(3+1)+1 = 9 grid
    const images = tensor([
      [[0, 0.2, 0.4], [0.6, 0.8, 1]],
      [[1, 1, 1], [0, 0, 0]],
      [[0.5, -3, 7], [NaN, 0.25, 0.75]],
    ]);
    const g = imageGrid(images, { cols: 2, pad: 1, padValue: 1 });
    expect([g.width, g.height, g.channels]).toEqual([9, 7, 1]);
    const X = 255;
    const rows = Array.from({ length: 7 }, (_, y) => [...g.data.subarray(y * 9, (y + 1) * 9)]);
    expect(rows).toEqual([
      [X, X, X, X, X, X, X, X, X],
      [X, 0, 51, 102, X, 255, 255, 255, X],
      [X, 153, 204, 255, X, 0, 0, 0, X],
      [X, X, X, X, X, X, X, X, X],
      [X, 128, 0, 255, X, X, X, X, X], // clamped to [0, 1]; the empty slot is padding
      [X, 0, 64, 191, X, X, X, X, X], // NaN is black
      [X, X, X, X, X, X, X, X, X],
    ]);
  });

  it('takes [N, 1, H, W], pads with black by default and scales every pixel to a square', () => {
    const g = imageGrid(tensor([[[[1, 0]]]]), { pad: 1, scale: 2 });
    // grid 3×4 (pad 1, 8 columns by default but one image): then each pixel 2×2
    expect([g.width, g.height]).toEqual([8, 6]);
    const row = (y: number) => [...g.data.subarray(y * 8, (y + 1) * 8)];
    expect(row(0)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(row(2)).toEqual([0, 0, 255, 255, 0, 0, 0, 0]);
    expect(row(3)).toEqual(row(2));
  });

  it('refuses what is not a batch of grayscale images, and bad options', () => {
    expect(() => imageGrid(zeros([2, 3, 4, 4]))).toThrow('imageGrid: expected a non-empty batch of grayscale images [N, 1, H, W] or [N, H, W], got shape [2, 3, 4, 4]');
    expect(() => imageGrid(zeros([4, 4]))).toThrow(RangeError);
    expect(() => imageGrid(zeros([1, 4, 4]), { cols: 0 })).toThrow('imageGrid: cols must be an integer ≥ 1, got 0');
    expect(() => imageGrid(zeros([1, 4, 4]), { padValue: 2 })).toThrow('imageGrid: padValue must be in [0, 1], got 2');
    expect(() => imageGrid(zeros([1, 4, 4]), { colums: 2 } as never)).toThrow("imageGrid: unknown option 'colums'");
  });
});

describe('writePng', () => {
  it('writes the file atomically, creating the folder, and replaces an existing one', () => {
    const path = join(dir, 'sub', 'grid.png');
    const image = imageGrid(tensor([[[0, 1], [1, 0]]]), { pad: 0 });
    expect(writePng(path, image)).toBe(path);
    expect(readPng(new Uint8Array(readFileSync(path))).data).toEqual(new Uint8Array([0, 255, 255, 0]));
    writeFileSync(path, 'old');
    writePng(path, { ...image, data: new Uint8Array([9, 9, 9, 9]) });
    expect(readPng(new Uint8Array(readFileSync(path))).data).toEqual(new Uint8Array([9, 9, 9, 9]));
    expect(readdirSync(join(dir, 'sub'))).toEqual(['grid.png']); // no temporary file left
  });

  it('leaves nothing behind when it cannot write, and names the path', () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    const image = { width: 1, height: 1, channels: 1, data: new Uint8Array(1) } as const;
    expect(() => writePng(join(blocker, 'a.png'), image)).toThrow(/^writePng: can't create the folder of '.*file\/a\.png'/);
    expect(() => writePng(join(dir, 'bad.png'), { ...image, data: new Uint8Array(2) })).toThrow('encodePng: data holds 2 samples');
    expect(existsSync(join(dir, 'bad.png'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
