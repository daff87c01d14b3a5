// The IDX format of MNIST and its kin (http://yann.lecun.com/exdb/mnist/, "the IDX file format"), big-endian:
//   bytes 0-1: zero; byte 2: the type (0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double);
//   byte 3: the number of dimensions d; then d sizes as int32; then the values, row-major (last index fastest).
//
// readIdx and idxHeader work on bytes and run anywhere. readIdxFile (gzip included) and the loaders of mnist.ts
// reach Node's modules through `process.getBuiltinModule` (Node ≥ 20.16) when they are called, as io/safetensors
// does, so this module imports nothing from Node and browser bundles of the package keep working. The header is
// checked in full (magic, type, dimension count, sizes, the exact length of what follows) before any memory is
// allocated for the values; a gzip file's header is read from the first bytes it decompresses to, and the rest
// is decompressed with the header's length as the limit.
//
// The helpers mnist.ts shares are this module's default export, which `export *` (the namespace `data`) leaves out.
import { checkNonEmptyString, describeValue } from '../utils/args.js';
import { ioError, nodeModules } from '../utils/node.js';
import { ArgumentError, FormatError } from '../errors.js';
import type * as NodeZlib from 'node:zlib';

/** The element types of IDX files, named as the typed arrays that hold them. */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array holding an IDX file's values (its element type follows the file's). */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A checked IDX header: what {@link idxHeader} gives. */
export interface IdxHeader {
  dtype: IdxDType;
  /** The sizes of the dimensions, outermost first (`[60000, 28, 28]` for MNIST's training images). */
  dims: number[];
  /** Where the values start: 4 + 4 × dims.length. */
  dataOffset: number;
  /** The length of the whole file the header describes (header and values), in bytes. */
  byteLength: number;
}

/** An IDX file's contents: what {@link readIdx} gives. */
export interface IdxArray {
  dtype: IdxDType;
  dims: number[];
  /** The values in row-major order, in the machine's byte order. */
  data: IdxData;
}

interface TypeInfo {
  code: number;
  dtype: IdxDType;
  /** The name the IDX format gives the type. */
  name: string;
  size: number;
  make: (n: number) => IdxData;
  get: (v: DataView, at: number) => number;
}

const TYPES: readonly TypeInfo[] = [
  { code: 0x08, dtype: 'uint8', name: 'ubyte', size: 1, make: (n) => new Uint8Array(n), get: (v, at) => v.getUint8(at) },
  { code: 0x09, dtype: 'int8', name: 'byte', size: 1, make: (n) => new Int8Array(n), get: (v, at) => v.getInt8(at) },
  { code: 0x0b, dtype: 'int16', name: 'short', size: 2, make: (n) => new Int16Array(n), get: (v, at) => v.getInt16(at) },
  { code: 0x0c, dtype: 'int32', name: 'int', size: 4, make: (n) => new Int32Array(n), get: (v, at) => v.getInt32(at) },
  { code: 0x0d, dtype: 'float32', name: 'float', size: 4, make: (n) => new Float32Array(n), get: (v, at) => v.getFloat32(at) },
  { code: 0x0e, dtype: 'float64', name: 'double', size: 8, make: (n) => new Float64Array(n), get: (v, at) => v.getFloat64(at) },
];

const hex = (b: number) => `0x${b.toString(16).padStart(2, '0').toUpperCase()}`;

/** The bytes of a Uint8Array (a Node Buffer too) or an ArrayBuffer, else an ArgumentError. */
function asBytes(fn: string, bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new ArgumentError(`${fn}: expected the bytes of an IDX file (a Uint8Array or an ArrayBuffer), got ${describeValue(bytes, 'object')}`);
}

type Header = IdxHeader & { type: TypeInfo };

/**
 * The checked header at the start of `b`. `fn` names the caller in errors; `where` (`` 'path':``, or '' for
 * bytes) says what was read.
 */
function parseHeader(fn: string, b: Uint8Array, where = ''): Header {
  if (b.length < 4) throw new FormatError(`${fn}:${where} too short for an IDX file: ${b.length} bytes, where the header alone takes at least 8`);
  if (b[0] === 0x1f && b[1] === 0x8b) {
    throw new FormatError(`${fn}:${where} gzip-compressed data (it starts with 1F 8B); decompress it first (readIdxFile does)`);
  }
  if (b[0] !== 0 || b[1] !== 0) {
    throw new FormatError(`${fn}:${where} not an IDX file: its magic number must start with two zero bytes, got ${hex(b[0])} ${hex(b[1])}`);
  }
  const type = TYPES.find((t) => t.code === b[2]);
  if (type === undefined) {
    const known = TYPES.map((t) => `${hex(t.code)} ${t.name}`);
    throw new FormatError(`${fn}:${where} unknown IDX type code ${hex(b[2])} (expected ${known.slice(0, -1).join(', ')} or ${known[known.length - 1]})`);
  }
  const ndim = b[3];
  if (ndim === 0) throw new FormatError(`${fn}:${where} the IDX header declares 0 dimensions; an IDX file has at least one`);
  const dataOffset = 4 + 4 * ndim;
  if (b.length < dataOffset) {
    throw new FormatError(`${fn}:${where} the data ends inside the IDX header, which declares ${ndim} dimensions (${dataOffset} bytes), after ${b.length} bytes`);
  }
  const view = new DataView(b.buffer, b.byteOffset, dataOffset);
  const dims: number[] = [];
  let count = 1n;
  for (let i = 0; i < ndim; i++) {
    const d = view.getInt32(4 + 4 * i);
    if (d < 0) throw new FormatError(`${fn}:${where} the IDX header gives dimension ${i} the negative size ${d}`);
    dims.push(d);
    count *= BigInt(d);
  }
  const total = BigInt(dataOffset) + count * BigInt(type.size);
  // exact while it is a safe integer; beyond, more than any byte array holds, and Infinity says so
  const byteLength = total <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(total) : Number.POSITIVE_INFINITY;
  return { dtype: type.dtype, dims, dataOffset, byteLength, type };
}

/** What the header declares: `the header says 60000 × 28 × 28 ubyte values (47040000 bytes)`. */
function declared(h: Header): string {
  const bytes = h.dims.reduce((n, d) => n * BigInt(d), BigInt(h.type.size));
  return `the header says ${h.dims.join(' × ')} ${h.type.name} values (${bytes} bytes)`;
}

/** The error for values of another length than the header's: `follow` (e.g. `1234 bytes`) follow it. */
function lengthError(fn: string, h: Header, follow: string, where = ''): FormatError {
  return new FormatError(`${fn}:${where} ${declared(h)} but ${follow} follow`);
}

/** The values of `b`, checked against its header `h`; ubyte values come as a view of `b` unless `copy`. */
function values(fn: string, b: Uint8Array, h: Header, copy: boolean, where = ''): IdxArray {
  if (b.length !== h.byteLength) {
    const extra = b.length > h.byteLength ? ` (${b.length - h.byteLength} too many)` : '';
    throw lengthError(fn, h, `${b.length - h.dataOffset} bytes${extra}`, where);
  }
  const n = (h.byteLength - h.dataOffset) / h.type.size;
  const src = b.subarray(h.dataOffset);
  let data: IdxData;
  if (h.type.size === 1) {
    const bytes = copy ? new Uint8Array(src) : src; // not src.slice(): on a Node Buffer that is a view
    data = h.dtype === 'uint8' ? new Uint8Array(bytes.buffer, bytes.byteOffset, n) : new Int8Array(bytes.buffer, bytes.byteOffset, n);
  } else {
    data = h.type.make(n);
    const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
    const { get, size } = h.type;
    for (let i = 0; i < n; i++) data[i] = get(view, i * size);
  }
  return { dtype: h.dtype, dims: h.dims, data };
}

// ------------------------------------------------------------------------------------------------------ files

const OTHERWISE = 'elsewhere read the bytes yourself and use readIdx';

/** The bytes gzip data decompresses to; zlib's errors (a bad header, a bad checksum, a cut) as ours. */
function gunzip(fn: string, zlib: typeof NodeZlib, gz: Uint8Array, where: string, opts: NodeZlib.ZlibOptions): Uint8Array {
  try {
    return zlib.gunzipSync(gz, opts);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw e;
    throw new FormatError(`${fn}:${where} not valid gzip data (${(e as Error).message}); the file is damaged or cut short`, { cause: e });
  }
}

/**
 * Reads the IDX file at `path` (gzip-compressed or not, as its first bytes say); `check` sees the header before
 * the values are decompressed or allocated. ubyte values are a view of memory that nothing else holds.
 */
function readFileAs(fn: string, path: string, check?: (h: IdxHeader, where: string) => void): IdxArray {
  checkNonEmptyString(fn, 'path', path);
  const { fs, zlib, buffer } = nodeModules(fn, OTHERWISE);
  let raw: Uint8Array;
  try {
    raw = fs.readFileSync(path);
  } catch (e) {
    throw ioError(fn, `read '${path}'`, e);
  }
  const where = ` '${path}':`;
  if (!(raw[0] === 0x1f && raw[1] === 0x8b)) {
    const h = parseHeader(fn, raw, where);
    check?.(h, where);
    return values(fn, raw, h, false, where);
  }
  // the header from the first bytes the data decompresses to (a header is at most 1024 bytes)
  let head: Uint8Array = new Uint8Array(0);
  for (const n of [1024, 65536]) {
    head = gunzip(fn, zlib, raw.subarray(0, n), where, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    if (n >= raw.length || (head.length >= 4 && head.length >= 4 + 4 * head[3])) break;
  }
  const h = parseHeader(fn, head, where);
  check?.(h, where);
  const max = buffer.constants.MAX_LENGTH;
  if (h.byteLength > max) throw new FormatError(`${fn}:${where} ${declared(h)}, more than Node can hold in memory (${max} bytes)`);
  let out: Uint8Array;
  try {
    out = gunzip(fn, zlib, raw, where, { maxOutputLength: h.byteLength });
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_BUFFER_TOO_LARGE') throw e;
    throw lengthError(fn, h, 'more bytes', where);
  }
  return values(fn, out, h, false, where);
}

/** The helpers mnist.ts shares (not part of the namespace `data`). */
export default { readFileAs };

/**
 * The header of an IDX file, from its first bytes (4 + 4 × the number of dimensions suffice): the element type,
 * the dimensions, where the values start and how long the whole file must be. Checks the magic number, the type
 * code and the sizes; a FormatError says what is wrong.
 *
 * @example
 * ```ts
 * // the first 16 bytes of MNIST's train-images-idx3-ubyte: ubyte, 3 dims, 60000 × 28 × 28
 * const h = data.idxHeader(new Uint8Array([0, 0, 8, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28]));
 * h.dtype;      // "uint8"
 * h.dims;       // [60000, 28, 28]
 * h.byteLength; // 47040016
 * ```
 */
export function idxHeader(bytes: Uint8Array | ArrayBuffer): IdxHeader {
  const { dtype, dims, dataOffset, byteLength } = parseHeader('idxHeader', asBytes('idxHeader', bytes));
  return { dtype, dims, dataOffset, byteLength };
}

/**
 * Reads an IDX file's (uncompressed) bytes: its element type, its dimensions and its values in a typed array of
 * that type (a copy: the bytes can be reused). Types 0x08 ubyte (→ `uint8`), 0x09 byte (`int8`), 0x0B short
 * (`int16`), 0x0C int (`int32`), 0x0D float (`float32`) and 0x0E double (`float64`) are read, big-endian as the
 * format has them. The header is checked before anything is allocated, and the bytes must hold exactly the
 * values it declares: a truncated file or one with trailing bytes is refused with an error saying so. For
 * gzip-compressed files, use {@link readIdxFile}.
 *
 * @example
 * ```ts
 * // ubyte, 2 dims: 2 × 3, then the six values
 * const a = data.readIdx(new Uint8Array([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255]));
 * a.dtype;              // "uint8"
 * a.dims;               // [2, 3]
 * Array.from(a.data);   // [1, 2, 3, 4, 5, 255]
 * // the images as a float tensor: tensor(Float32Array.from(a.data, (v) => v / 255)).reshape(a.dims)
 * ```
 */
export function readIdx(bytes: Uint8Array | ArrayBuffer): IdxArray {
  const b = asBytes('readIdx', bytes);
  return values('readIdx', b, parseHeader('readIdx', b), true);
}

/**
 * Reads an IDX file: gzip-compressed (as MNIST's `.gz` files; recognized by its first bytes, whatever the name)
 * or not. Gives what {@link readIdx} gives. The header is read and checked first, from the first bytes the file
 * decompresses to; the rest is then decompressed with the header's length as the limit, so a file holding more
 * or less than its header declares is refused without reading past that length. Needs Node.
 *
 * @example
 * ```ts
 * // MNIST's test labels, in the data root (see dataRoot)
 * const labels = data.readIdxFile(`${data.dataRoot()}/mnist/t10k-labels-idx1-ubyte.gz`);
 * labels.dims;                         // [10000]
 * Array.from(labels.data.subarray(0, 5)); // [7, 2, 1, 0, 4]
 * ```
 */
export function readIdxFile(path: string): IdxArray {
  return readFileAs('readIdxFile', path);
}
