// The IDX reader on hand-built files: every type with 1 to 3 dims, and malformed headers and lengths.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { data, ArgumentError, FormatError, ValueError } from '../../src/index.js';

const { readIdx, readIdxFile, idxHeader } = data;

type Kind = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
const CODES: Record<Kind, [number, number]> = { uint8: [0x08, 1], int8: [0x09, 1], int16: [0x0b, 2], int32: [0x0c, 4], float32: [0x0d, 4], float64: [0x0e, 8] };

/** An IDX file, written out byte by byte (big-endian) independently of the reader. */
function idx(kind: Kind, dims: number[], values: number[]): Uint8Array {
  const [code, size] = CODES[kind];
  const view = new DataView(new ArrayBuffer(4 + 4 * dims.length + size * values.length));
  view.setUint8(2, code);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setInt32(4 + 4 * i, d));
  const at = 4 + 4 * dims.length;
  const set = {
    uint8: (o: number, v: number) => view.setUint8(o, v), int8: (o: number, v: number) => view.setInt8(o, v),
    int16: (o: number, v: number) => view.setInt16(o, v), int32: (o: number, v: number) => view.setInt32(o, v),
    float32: (o: number, v: number) => view.setFloat32(o, v), float64: (o: number, v: number) => view.setFloat64(o, v),
  }[kind];
  values.forEach((v, i) => set(at + size * i, v));
  return new Uint8Array(view.buffer);
}

const SAMPLES: Record<Kind, number[]> = {
  uint8: [0, 1, 127, 128, 254, 255],
  int8: [-128, -1, 0, 1, 100, 127],
  int16: [-32768, -300, 0, 258, 12345, 32767],
  int32: [-2147483648, -65536, 0, 16909060, 65536, 2147483647],
  float32: [-0, 1.5, -2.25, Infinity, -Infinity, Math.fround(0.1)],
  float64: [1 / 3, -0, Number.MIN_VALUE, -Number.MAX_VALUE, 1e300, Math.PI],
};
const CTORS = { uint8: Uint8Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array };

describe('readIdx', () => {
  for (const kind of Object.keys(CODES) as Kind[]) {
    for (const dims of [[6], [2, 3], [3, 1, 2]]) {
      it(`reads ${kind} [${dims}]`, () => {
        const a = readIdx(idx(kind, dims, SAMPLES[kind]));
        expect(a.dtype).toBe(kind);
        expect(a.dims).toEqual(dims);
        expect(a.data).toBeInstanceOf(CTORS[kind]);
        expect(Array.from(a.data)).toEqual(SAMPLES[kind]); // toEqual tells -0 from 0
      });
    }
  }

  it('reads NaN', () => {
    expect(Number.isNaN(readIdx(idx('float32', [1], [NaN])).data[0])).toBe(true);
    expect(Number.isNaN(readIdx(idx('float64', [1], [NaN])).data[0])).toBe(true);
  });

  it('takes an ArrayBuffer, a view at an offset, and copies the values', () => {
    const bytes = idx('int16', [2], [-2, 513]);
    expect(Array.from(readIdx(bytes.buffer as ArrayBuffer).data)).toEqual([-2, 513]);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(Array.from(readIdx(padded.subarray(3)).data)).toEqual([-2, 513]);
    for (const u of [idx('uint8', [3], [1, 2, 3]), Buffer.from(idx('uint8', [3], [1, 2, 3]))]) {
      const a = readIdx(u);
      u[u.length - 1] = 99;
      expect(a.data).toEqual(new Uint8Array([1, 2, 3])); // a copy, and a plain Uint8Array (not a Buffer)
    }
    const odd = idx('float64', [1], [0.5]);
    const shifted = new Uint8Array(odd.length + 1);
    shifted.set(odd, 1); // values not 8-byte aligned
    expect(Array.from(readIdx(shifted.subarray(1)).data)).toEqual([0.5]);
  });

  it('reads empty arrays', () => {
    const a = readIdx(idx('uint8', [0, 28, 28], []));
    expect(a.dims).toEqual([0, 28, 28]);
    expect(a.data.length).toBe(0);
  });

  it('refuses what is not bytes', () => {
    expect(() => readIdx([0, 0, 8, 1] as never)).toThrow(new ArgumentError('readIdx: expected the bytes of an IDX file (a Uint8Array or an ArrayBuffer), got an array'));
    expect(() => readIdx('x' as never)).toThrow(ArgumentError);
  });

  const bad: [string, Uint8Array, typeof FormatError, string][] = [
    ['too short', new Uint8Array([0, 0, 8]), FormatError, 'readIdx: too short for an IDX file: 3 bytes, where the header alone takes at least 8'],
    ['gzip data', gzipSync(idx('uint8', [1], [1])), FormatError, 'readIdx: gzip-compressed data (it starts with 1F 8B); decompress it first (readIdxFile does)'],
    ['a bad magic number', new Uint8Array([0, 1, 8, 1, 0, 0, 0, 1, 5]), FormatError, 'readIdx: not an IDX file: its magic number must start with two zero bytes, got 0x00 0x01'],
    ['text', new TextEncoder().encode('hello world'), FormatError, 'readIdx: not an IDX file: its magic number must start with two zero bytes, got 0x68 0x65'],
    ['an unknown type', new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 1, 5]), FormatError,
      'readIdx: unknown IDX type code 0x0A (expected 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float or 0x0E double)'],
    ['no dims', new Uint8Array([0, 0, 8, 0, 5]), FormatError, 'readIdx: the IDX header declares 0 dimensions; an IDX file has at least one'],
    ['a cut header', idx('uint8', [2, 3], [1, 2, 3, 4, 5, 6]).subarray(0, 10), FormatError,
      'readIdx: the data ends inside the IDX header, which declares 2 dimensions (12 bytes), after 10 bytes'],
    ['a negative dim', idx('uint8', [2, -3], []), FormatError, 'readIdx: the IDX header gives dimension 1 the negative size -3'],
    ['truncated values', idx('uint8', [60000, 28, 28], new Array(1234).fill(0)), FormatError,
      'readIdx: the header says 60000 × 28 × 28 ubyte values (47040000 bytes) but 1234 bytes follow'],
    ['a truncated last value', idx('int32', [2], [1, 2]).subarray(0, 15), FormatError, 'readIdx: the header says 2 int values (8 bytes) but 7 bytes follow'],
    ['trailing bytes', idx('float32', [2], [1, 2, 3]), FormatError, 'readIdx: the header says 2 float values (8 bytes) but 12 bytes (4 too many) follow'],
    ['huge dims', idx('float64', [2147483647, 2147483647, 2147483647], []), FormatError,
      'readIdx: the header says 2147483647 × 2147483647 × 2147483647 double values (79228162403583873202826248184 bytes) but 0 bytes follow'],
  ];
  for (const [what, bytes, E, message] of bad) {
    it(`refuses ${what}`, () => expect(() => readIdx(bytes)).toThrow(new E(message)));
  }
});

describe('idxHeader', () => {
  it('reads a header from the first bytes alone', () => {
    const h = idxHeader(idx('int16', [4, 5], []));
    expect(h).toEqual({ dtype: 'int16', dims: [4, 5], dataOffset: 12, byteLength: 52 });
    expect(idxHeader(idx('float64', [2147483647, 2147483647, 2147483647], [])).byteLength).toBe(Infinity);
    expect(() => idxHeader(new Uint8Array([0, 0, 7, 1]))).toThrow(/^idxHeader: unknown IDX type code 0x07/);
  });
});

describe('readIdxFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tapegrad-idx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const body = idx('int32', [2, 2], [1, -2, 3, 70000]);

  it('reads plain and gzip-compressed files, whatever their names', () => {
    for (const p of [file('a.idx', body), file('b.gz', gzipSync(body)), file('c', gzipSync(body, { level: 1 }))]) {
      const a = readIdxFile(p);
      expect(a.dims).toEqual([2, 2]);
      expect(a.data).toBeInstanceOf(Int32Array);
      expect(Array.from(a.data)).toEqual([1, -2, 3, 70000]);
    }
  });

  it('reads a header behind a long gzip file name', () => {
    // a gzip header with a 2000-byte FNAME field: the first 1024 bytes decompress to nothing
    const gz = gzipSync(body);
    const named = new Uint8Array(gz.length + 2001);
    named.set(gz.subarray(0, 10));
    named[3] |= 0x08; // FNAME
    named.fill(0x61, 10, 2010);
    named.set(gz.subarray(10), 2011);
    expect(Array.from(readIdxFile(file('named.gz', named)).data)).toEqual([1, -2, 3, 70000]);
    const bytes = readIdxFile(file('bytes.gz', gzipSync(idx('int8', [2], [-1, 5])))).data;
    expect(bytes).toEqual(new Int8Array([-1, 5]));
  });

  it('refuses a gzip file holding more or fewer values than its header says', () => {
    const long = file('long.gz', gzipSync(idx('uint8', [3], [1, 2, 3, 4, 5])));
    expect(() => readIdxFile(long)).toThrow(new FormatError(`readIdxFile: '${long}': the header says 3 ubyte values (3 bytes) but more bytes follow`));
    const short = file('short.gz', gzipSync(idx('uint8', [60000, 28, 28], [1, 2])));
    expect(() => readIdxFile(short)).toThrow(new FormatError(
      `readIdxFile: '${short}': the header says 60000 × 28 × 28 ubyte values (47040000 bytes) but 2 bytes follow`));
  });

  it('refuses damaged gzip data and malformed headers, naming the file', () => {
    const gz = gzipSync(body);
    const cut = file('cut.gz', gz.subarray(0, gz.length - 5));
    expect(() => readIdxFile(cut)).toThrow(/^readIdxFile: '.*cut\.gz': not valid gzip data \(unexpected end of file\); the file is damaged or cut short$/);
    expect(() => readIdxFile(cut)).toThrow(FormatError);
    const flipped = gz.slice();
    flipped[gz.length - 6] ^= 0xff; // the CRC
    expect(() => readIdxFile(file('crc.gz', flipped))).toThrow(/^readIdxFile: '.*crc\.gz': not valid gzip data \(incorrect data check\)/);
    const text = file('text.gz', gzipSync(new TextEncoder().encode('not idx')));
    expect(() => readIdxFile(text)).toThrow(new FormatError(`readIdxFile: '${text}': not an IDX file: its magic number must start with two zero bytes, got 0x6E 0x6F`));
    const huge = file('huge.gz', gzipSync(idx('float64', [65536, 65536, 65536], [])));
    expect(() => readIdxFile(huge)).toThrow(/^readIdxFile: '.*huge\.gz': the header says 65536 × 65536 × 65536 double values \(2251799813685248 bytes\), more than Node can hold in memory/);
  });

  it('refuses a missing file with its code, and a bad path', () => {
    const p = join(dir, 'nothing-here.gz');
    expect(() => readIdxFile(p)).toThrow(expect.objectContaining({ code: 'ENOENT', message: expect.stringMatching(/^readIdxFile: can't read '.*nothing-here\.gz': ENOENT/) }));
    expect(() => readIdxFile('' as string)).toThrow(new ValueError("readIdxFile: path must be a non-empty string, got ''"));
  });
});
