// Fuzzing the loaders with fast-check: every input either parses correctly or is refused with a typed error
// (isTapegradError); never another exception, never a hang, and a huge declared size is refused before anything
// is allocated.
//
// IDX (src/data/idx.ts): readIdx, idxHeader and readIdxFile (plain and gzip) on valid files of every type and on
// mutants (truncated, extended, sizes rewritten, huge or negative dims, random type codes, magic numbers and
// dimension counts, byte flips, random bytes). An independent oracle below reads the format's spec (big-endian
// header, exact length) and says whether a file is valid and what it holds; the reader must agree with it both
// ways: valid files load with exactly those values, invalid ones are refused with a typed error.
// (test/data/idx.test.ts has the hand-made cases and messages; this adds the random ones.)
//
// safetensors (src/io/safetensors.ts): random state dicts (names with any characters, every dtype, shapes with
// zero-size dims, values of any bit pattern: NaN payloads, ±Inf, -0) round-trip bit for bit through serialize
// and deserialize; mutants of those files and of an optimizer's (byte flips, truncation, header lengths, header
// entries rewritten with fast-check's JSON values, huge shapes and offsets) either load exactly what their header
// describes or are refused with a typed error. test/io/safetensors-fuzz.test.ts mutates a few fixed files (in
// memory and through load); this adds random state dicts and their mutants.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { safetensorsFile, tensorNames, splitFile, expectMatchesFile, bytesOf, ST_CODE, ST_SIZE, type Parts } from '../io/files.js';
import { Tensor, Storage, data, nn, optim, manualSeed, randn, serialize, deserialize, safetensorsHeader, isTapegradError, type DType, type SavedStateDict } from '../../src/index.js';

const { readIdx, readIdxFile, idxHeader } = data;

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-fuzz-loaders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Outcome<T> = { ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number };
function attempt<T>(f: () => T): Outcome<T> {
  const t0 = performance.now();
  try {
    const value = f();
    return { ok: true, value, ms: performance.now() - t0 };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - t0 };
  }
}

const describeError = (e: unknown) => (e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e));

/** Throws unless `o` is a refusal with a typed error. */
function expectTypedRefusal(o: Outcome<unknown>, what: string): void {
  if (o.ok) throw new Error(`${what}: expected a typed error, but it returned`);
  if (!isTapegradError(o.error)) throw new Error(`${what}: not a typed error: ${describeError(o.error)}`);
}

/** The most any one call may take: huge declared sizes are refused from the header, not by trying. */
const MAX_MS = 250;

const hex = (b: Uint8Array) => Array.from(b.subarray(0, 40), (x) => x.toString(16).padStart(2, '0')).join(' ') + (b.length > 40 ? ` … (${b.length} bytes)` : '');

// ---------------------------------------------------------------------------------------------------------
// IDX

const IDX_TYPES: Record<number, { dtype: string; size: number; get: (v: DataView, at: number) => number }> = {
  0x08: { dtype: 'uint8', size: 1, get: (v, at) => v.getUint8(at) },
  0x09: { dtype: 'int8', size: 1, get: (v, at) => v.getInt8(at) },
  0x0b: { dtype: 'int16', size: 2, get: (v, at) => v.getInt16(at) },
  0x0c: { dtype: 'int32', size: 4, get: (v, at) => v.getInt32(at) },
  0x0d: { dtype: 'float32', size: 4, get: (v, at) => v.getFloat32(at) },
  0x0e: { dtype: 'float64', size: 8, get: (v, at) => v.getFloat64(at) },
};
const CODES = Object.keys(IDX_TYPES).map(Number);

/** An IDX file: magic, big-endian dims, then `payload` as the values' bytes. */
function idxBytes(code: number, dims: readonly number[], payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + payload.length);
  const v = new DataView(out.buffer);
  v.setUint8(2, code);
  v.setUint8(3, dims.length);
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d >>> 0));
  out.set(payload, 4 + 4 * dims.length);
  return out;
}

interface IdxExpect { header: { dtype: string; dims: number[]; dataOffset: number; byteLength: number } | null; values: number[] | null }

/**
 * The oracle: what the spec says about `b`. `header` is null when the header itself is bad (short, magic,
 * type, 0 dims, truncated dims, a negative size); `values` is null unless the length is exactly right.
 */
function idxOracle(b: Uint8Array): IdxExpect {
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0 || !(b[2] in IDX_TYPES) || b[3] === 0) return { header: null, values: null };
  const t = IDX_TYPES[b[2]], nd = b[3], off = 4 + 4 * nd;
  if (b.length < off) return { header: null, values: null };
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(v.getInt32(4 + 4 * i));
  if (dims.some((d) => d < 0)) return { header: null, values: null };
  const total = BigInt(off) + dims.reduce((n, d) => n * BigInt(d), 1n) * BigInt(t.size);
  const byteLength = total <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(total) : Number.POSITIVE_INFINITY;
  const header = { dtype: t.dtype, dims, dataOffset: off, byteLength };
  if (BigInt(b.length) !== total) return { header, values: null };
  const n = (b.length - off) / t.size;
  return { header, values: Array.from({ length: n }, (_, i) => t.get(v, off + i * t.size)) };
}

const sameNumbers = (a: ArrayLike<number>, b: readonly number[]) =>
  a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]) || (Number.isNaN(x) && Number.isNaN(b[i])));

/** Checks readIdx (or a reader of the same result) on `b` against the oracle; returns 'loaded' or 'refused'. */
function checkIdxRead(what: string, b: Uint8Array, read: () => data.IdxArray, oracle = idxOracle(b)): 'loaded' | 'refused' {
  const o = attempt(read);
  if (o.ms > MAX_MS) throw new Error(`${what}: took ${o.ms.toFixed(0)} ms on ${hex(b)}`);
  if (oracle.values === null) {
    expectTypedRefusal(o, `${what} on ${hex(b)}`);
    return 'refused';
  }
  if (!o.ok) throw new Error(`${what}: refused a valid file ${hex(b)}: ${describeError(o.error)}`);
  const a = o.value;
  expect(a.dtype).toBe(oracle.header!.dtype);
  expect(a.dims).toEqual(oracle.header!.dims);
  if (!sameNumbers(a.data, oracle.values)) throw new Error(`${what}: wrong values for ${hex(b)}: ${Array.from(a.data).slice(0, 8)} vs ${oracle.values.slice(0, 8)}`);
  return 'loaded';
}

/** A valid file: a type, 1-3 dims of 0-5, and random payload bytes of the right length. */
const validIdx = fc.record({
  code: fc.constantFrom(...CODES),
  dims: fc.array(fc.nat(5), { minLength: 1, maxLength: 3 }),
  seed: fc.uint8Array({ minLength: 1, maxLength: 64 }),
}).map(({ code, dims, seed }) => {
  const n = dims.reduce((a, b) => a * b, 1) * IDX_TYPES[code].size;
  const payload = Uint8Array.from({ length: n }, (_, i) => seed[i % seed.length] ^ (i * 37));
  return idxBytes(code, dims, payload);
});

type Mut = (b: Uint8Array) => Uint8Array;
const setU32 = (b: Uint8Array, at: number, v: number): Uint8Array => {
  if (b.length < at + 4) return b;
  const out = b.slice();
  new DataView(out.buffer).setUint32(at, v >>> 0);
  return out;
};
const idxMutation: fc.Arbitrary<Mut> = fc.oneof(
  // truncated anywhere, or bytes appended
  fc.nat().map((k) => (b: Uint8Array) => b.slice(0, k % (b.length + 1))),
  fc.uint8Array({ minLength: 1, maxLength: 9 }).map((extra) => (b: Uint8Array) => Uint8Array.from([...b, ...extra])),
  // a size rewritten: off by a little, zero, negative, huge (2^31 - 1, 2^32 - 1 = -1, 2^30)
  fc.tuple(fc.nat(3), fc.oneof(fc.integer({ min: -2, max: 8 }), fc.constantFrom(0x7fffffff, 0xffffffff, 0x80000000, 1 << 30, 60000)))
    .map(([i, v]) => (b: Uint8Array) => setU32(b, 4 + 4 * i, v)),
  // huge sizes in every dim
  fc.constantFrom(0x7fffffff, 1 << 20, 0x10000).map((v) => (b: Uint8Array) => {
    let out = b;
    for (let i = 0; i < (b[3] ?? 0); i++) out = setU32(out, 4 + 4 * i, v);
    return out;
  }),
  // type code, magic, dimension count
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 })).map(([at, v]) => (b: Uint8Array) => {
    if (b.length <= at) return b;
    const out = b.slice();
    out[at] = v;
    return out;
  }),
  // gzip magic at the start (readIdx must say to decompress)
  fc.constant((b: Uint8Array) => Uint8Array.from([0x1f, 0x8b, ...b.subarray(2)])),
  // byte flips anywhere
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => (b: Uint8Array) => {
    if (b.length === 0) return b;
    const out = b.slice();
    for (const [at, x] of flips) out[at % out.length] ^= x;
    return out;
  }),
);
/** Random bytes, often starting with a plausible header. */
const randomIdx = fc.oneof(
  fc.uint8Array({ maxLength: 48 }),
  fc.tuple(fc.constantFrom(...CODES, 0, 7, 0x0a, 0xff), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }))
    .map(([code, nd, rest]) => Uint8Array.from([0, 0, code, nd, ...rest])),
);
const idxInput = fc.oneof(
  { weight: 2, arbitrary: validIdx },
  { weight: 5, arbitrary: fc.tuple(validIdx, fc.array(idxMutation, { minLength: 1, maxLength: 3 })).map(([b, ms]) => ms.reduce((x, m) => m(x), b)) },
  { weight: 2, arbitrary: randomIdx },
);

describe('IDX: random and mutated files are read exactly or refused with a typed error', () => {
  it('readIdx agrees with the spec oracle on every input (Uint8Array, ArrayBuffer, and an offset view)', () => {
    const seen = { loaded: 0, refused: 0 };
    fc.assert(fc.property(idxInput, fc.nat(3), (b, pad) => {
      seen[checkIdxRead('readIdx', b, () => readIdx(b))]++;
      // the same bytes as an ArrayBuffer, and inside a larger buffer at an odd offset
      checkIdxRead('readIdx(ArrayBuffer)', b, () => readIdx(b.slice().buffer as ArrayBuffer));
      const big = new Uint8Array(b.length + pad + 3);
      big.set(b, pad + 1);
      checkIdxRead('readIdx(offset view)', b, () => readIdx(big.subarray(pad + 1, pad + 1 + b.length)));
    }), { numRuns: 1500, seed: 801 });
    // both outcomes happen often: the property is not vacuous
    expect(seen.loaded).toBeGreaterThan(200);
    expect(seen.refused).toBeGreaterThan(500);
  });

  it('idxHeader gives the oracle\'s header, or a typed error when the header is bad', () => {
    fc.assert(fc.property(idxInput, (b) => {
      const want = idxOracle(b).header;
      // idxHeader reads the header only: the bytes may stop where the values start
      const o = attempt(() => idxHeader(b));
      if (o.ms > MAX_MS) throw new Error(`idxHeader: took ${o.ms.toFixed(0)} ms`);
      if (want === null) return expectTypedRefusal(o, `idxHeader on ${hex(b)}`);
      if (!o.ok) throw new Error(`idxHeader: refused a valid header ${hex(b)}: ${describeError(o.error)}`);
      expect(o.value).toEqual(want);
    }), { numRuns: 1000, seed: 802 });
  });

  it('headers declaring huge sizes are refused at once, without allocating', () => {
    // 3 dims of 2^31 - 1 doubles: 7.9e28 bytes declared, 16 given
    const cases = [
      idxBytes(0x0e, [0x7fffffff, 0x7fffffff, 0x7fffffff], new Uint8Array(0)),
      idxBytes(0x08, [0x7fffffff], new Uint8Array(16)),
      idxBytes(0x0d, [60000, 28, 28], new Uint8Array(100)),
      Uint8Array.from([0, 0, 0x0e, 255, ...new Uint8Array(1020).fill(0x7f)]),
    ];
    for (const b of cases) {
      globalThis.gc?.();
      const before = process.memoryUsage().arrayBuffers;
      const o = attempt(() => readIdx(b));
      expectTypedRefusal(o, `readIdx on ${hex(b)}`);
      expect(o.ms).toBeLessThan(MAX_MS);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
      expectTypedRefusal(attempt(() => readIdx(Uint8Array.from([...b, 1, 2, 3]))), 'readIdx');
    }
    // idxHeader accepts them (it reads the header only) and says how long the file would be
    expect(idxHeader(cases[0]).byteLength).toBe(Number.POSITIVE_INFINITY);
    expect(idxHeader(cases[1]).byteLength).toBe(8 + 0x7fffffff);
  });

  it('non-bytes arguments are refused with a typed error', () => {
    for (const v of [undefined, null, 3, 'idx', [0, 0, 8, 1, 0, 0, 0, 0], {}, new Int8Array(8), new DataView(new ArrayBuffer(8))]) {
      expectTypedRefusal(attempt(() => readIdx(v as Uint8Array)), `readIdx(${String(v)})`);
      expectTypedRefusal(attempt(() => idxHeader(v as Uint8Array)), `idxHeader(${String(v)})`);
    }
  });

  it('readIdxFile reads plain and gzip files as the oracle says, and refuses damaged gzip with a typed error', () => {
    let n = 0;
    const gzipMutation = fc.oneof(
      fc.constant((gz: Uint8Array) => gz),
      fc.nat().map((k) => (gz: Uint8Array) => gz.slice(0, 2 + (k % Math.max(1, gz.length - 2)))),
      fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, x]) => (gz: Uint8Array) => {
        const out = gz.slice();
        out[10 + (at % Math.max(1, out.length - 10))] ^= x;
        return out;
      }),
    );
    fc.assert(fc.property(idxInput, fc.boolean(), gzipMutation, (b, gzip, mutate) => {
      const path = join(dir, `f${n++}${gzip ? '.gz' : ''}`);
      if (!gzip || (b[0] === 0x1f && b[1] === 0x8b)) {
        writeFileSync(path, b);
        if (!(b[0] === 0x1f && b[1] === 0x8b)) checkIdxRead('readIdxFile', b, () => readIdxFile(path));
        else expectTypedRefusal(attempt(() => readIdxFile(path)), `readIdxFile on a non-gzip file starting 1f 8b: ${hex(b)}`);
        return;
      }
      const gz = mutate(gzipSync(b));
      writeFileSync(path, gz);
      // what the damaged gzip decompresses to, if anything: that is the file the reader sees
      let inner: Uint8Array | null;
      try {
        inner = new Uint8Array(gunzipSync(gz));
      } catch {
        inner = null;
      }
      if (inner === null) {
        expectTypedRefusal(attempt(() => readIdxFile(path)), `readIdxFile on damaged gzip of ${hex(b)}`);
        return;
      }
      checkIdxRead('readIdxFile(gzip)', inner, () => readIdxFile(path));
    }), { numRuns: 150, seed: 803 });
  });

  it('readIdxFile refuses bad paths with a typed error, and reports system errors with their code', () => {
    for (const p of ['', 3, null, undefined, ['a']]) {
      expectTypedRefusal(attempt(() => readIdxFile(p as string)), `readIdxFile(${String(p)})`);
    }
    // a file that cannot be read is not a malformed input: the system error comes through (src/utils/node.ts
    // ioError) as an Error naming the function, with the system's code, as Node's own errors have
    for (const [p, code] of [[join(dir, 'missing.idx'), 'ENOENT'], [dir, 'EISDIR']] as const) {
      const o = attempt(() => readIdxFile(p));
      expect(o.ok).toBe(false);
      const e = (o as { error: Error & { code?: string } }).error;
      expect(e).toBeInstanceOf(Error);
      expect(e.message).toMatch(/^readIdxFile: /);
      expect(e.code).toBe(code);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// safetensors

const ARRAYS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array };

/** A tensor of `dtype` and `shape` whose elements are the given raw bytes (any bit pattern; bools 0/1). */
function rawTensor(dtype: DType, shape: number[], raw: Uint8Array): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const size = ST_SIZE[ST_CODE[dtype]];
  const bytes = new Uint8Array(n * size);
  for (let i = 0; i < bytes.length; i++) bytes[i] = raw.length ? raw[i % raw.length] ^ (i * 29) : 0;
  if (dtype === 'bool') for (let i = 0; i < bytes.length; i++) bytes[i] &= 1;
  const data = new ARRAYS[dtype](bytes.buffer, 0, n);
  return new Tensor(new Storage(data), shape, dtype);
}

const tensorArb = fc.record({
  dtype: fc.constantFrom<DType>('float32', 'float64', 'int32', 'bool'),
  shape: fc.array(fc.nat(4), { maxLength: 3 }),
  raw: fc.uint8Array({ maxLength: 32 }),
  // a non-contiguous view is saved as its contiguous values
  transposed: fc.boolean(),
}).map(({ dtype, shape, raw, transposed }) => {
  const t = rawTensor(dtype, shape, raw);
  return transposed && t.ndim >= 2 ? t.transpose(0, 1) : t;
});

const nameArb = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.constantFrom('__proto__', 'constructor', 'a.b', '0', '"', '\\', 'state.0.x'));
const stateDictArb = fc.dictionary(nameArb, tensorArb, { maxKeys: 4 });
const metadataArb = fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }), { nil: undefined });

/** deserialize and safetensorsHeader on `file`: an exact load or a typed refusal, quickly. */
function checkSafetensors(file: Uint8Array): 'loaded' | 'refused' {
  const o = attempt(() => deserialize(file));
  if (o.ms > MAX_MS) throw new Error(`deserialize took ${o.ms.toFixed(0)} ms on ${hex(file)}`);
  const h = attempt(() => safetensorsHeader(file));
  if (o.ok) {
    expectMatchesFile(o.value, file);
    if (!h.ok) throw new Error(`safetensorsHeader refused a file deserialize loads: ${describeError(h.error)}`);
    expect(Object.keys(h.value.tensors).sort()).toEqual(tensorNames(splitFile(file)!.header).sort());
    return 'loaded';
  }
  expectTypedRefusal(o, `deserialize on ${hex(file)}`);
  if (!h.ok) expectTypedRefusal(h, `safetensorsHeader on ${hex(file)}`);
  return 'refused';
}

const optimizerFile = (() => {
  manualSeed(3);
  const m = new nn.Linear(3, 2);
  const opt = new optim.Adam(m.parameters(), { lr: 0.1 });
  (m.forward(randn([4, 3])) as Tensor).sum().backward();
  opt.step();
  return serialize(opt.stateDict(), { metadata: { note: 'x' } });
})();

const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(-1, 1.5, 2 ** 53, 2 ** 60, 1e308, '7', null, [], [0], [0, 1, 2], [2 ** 40, 2 ** 40], [-1, 4]),
);
type Edit = (p: Parts) => Uint8Array;
const stMutation: fc.Arbitrary<(b: Uint8Array) => Uint8Array> = fc.oneof(
  // byte level
  fc.nat().map((k) => (b: Uint8Array) => b.slice(0, k % (b.length + 1))),
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => (b: Uint8Array) => {
    const out = b.slice();
    for (const [at, x] of flips) if (out.length) out[at % out.length] ^= x;
    return out;
  }),
  fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(0n, 1n, 2n ** 53n, 100_000_001n)).map((n) => (b: Uint8Array) => {
    if (b.length < 8) return b;
    const out = b.slice();
    new DataView(out.buffer).setBigUint64(0, n, true);
    return out;
  }),
  fc.uint8Array({ minLength: 1, maxLength: 9 }).map((extra) => (b: Uint8Array) => Uint8Array.from([...b, ...extra])),
  // header level: one field of one entry set to an arbitrary JSON value, an entry added or removed, the metadata replaced
  fc.tuple(fc.nat(), fc.constantFrom('dtype', 'shape', 'data_offsets', 'extra'), jsonish).map(([k, field, v]): Edit => ({ header, data: body }) => {
    const names = tensorNames(header);
    const e = names.length ? header[names[k % names.length]] : null;
    if (e !== null && typeof e === 'object') (e as Record<string, unknown>)[field] = v;
    return safetensorsFile(JSON.stringify(header), body);
  }).map((edit) => (b: Uint8Array) => {
    const p = splitFile(b);
    return p ? edit(p) : b;
  }),
  fc.tuple(nameArb, jsonish).map(([name, v]) => (b: Uint8Array) => {
    const p = splitFile(b);
    return p ? safetensorsFile(JSON.stringify({ ...p.header, [name]: v }), p.data) : b;
  }),
  fc.tuple(fc.nat(), fc.constantFrom('F32', 'F64', 'I32', 'BOOL', 'F16'), fc.array(fc.oneof(fc.nat(5), fc.constantFrom(2 ** 31, 2 ** 53, 2 ** 60)), { maxLength: 4 }), fc.nat(64), fc.nat(64))
    .map(([k, dtype, shape, a, z]) => (b: Uint8Array) => {
      const p = splitFile(b);
      if (!p) return b;
      const names = tensorNames(p.header);
      p.header[names.length ? names[k % names.length] : 'x'] = { dtype, shape, data_offsets: [a, z] };
      return safetensorsFile(JSON.stringify(p.header), p.data);
    }),
  fc.nat().map((k) => (b: Uint8Array) => {
    const p = splitFile(b);
    const names = p ? tensorNames(p.header) : [];
    if (!p || !names.length) return b;
    delete p.header[names[k % names.length]];
    return safetensorsFile(JSON.stringify(p.header), p.data);
  }),
  jsonish.map((v) => (b: Uint8Array) => {
    const p = splitFile(b);
    return p ? safetensorsFile(JSON.stringify({ ...p.header, __metadata__: v }), p.data) : b;
  }),
  // the whole header replaced by arbitrary JSON text
  fc.oneof(fc.json({ maxDepth: 2 }), fc.string({ maxLength: 20 })).map((text) => (b: Uint8Array) => safetensorsFile(text, splitFile(b)?.data ?? new Uint8Array(0))),
);

describe('safetensors: random state dicts round-trip; mutants load exactly or are refused with a typed error', () => {
  it('random state dicts (any names, dtypes, zero-size shapes, any bit patterns) round-trip bit for bit', () => {
    let saved = 0;
    fc.assert(fc.property(stateDictArb, metadataArb, (sd, metadata) => {
      const s = attempt(() => serialize(sd, metadata ? { metadata } : {}));
      if (!s.ok) {
        // the only state dicts serialize refuses: a tensor named like the header's metadata key
        expectTypedRefusal(s, 'serialize');
        expect(Object.keys(sd)).toContain('__metadata__');
        return;
      }
      saved++;
      const back = deserialize(s.value);
      expect(Object.keys(back)).toEqual(Object.keys(sd));
      for (const [k, t] of Object.entries(sd)) {
        const u = back[k];
        expect([u.dtype, [...u.shape]]).toEqual([t.dtype, [...t.shape]]);
        expect(bytesOf(u)).toEqual(bytesOf(t));
      }
      expect(safetensorsHeader(s.value).metadata).toEqual(metadata ?? {});
      expectMatchesFile(back, s.value);
    }), { numRuns: 300, seed: 804 });
    expect(saved).toBeGreaterThan(250);
  });

  it('mutants of random files and of an optimizer\'s file load exactly what their header says, or are refused with a typed error', () => {
    const seen = { loaded: 0, refused: 0 };
    const base = fc.oneof(
      { weight: 4, arbitrary: stateDictArb.filter((sd) => !('__metadata__' in sd)).map((sd) => serialize(sd)) },
      { weight: 1, arbitrary: fc.constant(optimizerFile) },
    );
    fc.assert(fc.property(base, fc.array(stMutation, { minLength: 1, maxLength: 3 }), (b, ms) => {
      seen[checkSafetensors(ms.reduce((x, m) => m(x), b))]++;
    }), { numRuns: 800, seed: 805 });
    // (measured: 24 of 800 load; most mutations break a file)
    expect(seen.loaded).toBeGreaterThan(15);
    expect(seen.refused).toBeGreaterThan(400);
  });

  it('huge shapes and offsets are refused from the header, without allocating', () => {
    const body = new Uint8Array(64);
    const headers = [
      { x: { dtype: 'F64', shape: [2 ** 26, 2 ** 26], data_offsets: [0, 2 ** 55] } },
      { x: { dtype: 'F32', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 64] } },
      { x: { dtype: 'F32', shape: [2 ** 31], data_offsets: [0, 2 ** 33] } },
      { x: { dtype: 'BOOL', shape: [1e308], data_offsets: [0, 64] } },
      { x: { dtype: 'I32', shape: [16], data_offsets: [0, 64] }, y: { dtype: 'F32', shape: [2 ** 50], data_offsets: [64, 64 + 2 ** 52] } },
    ];
    for (const h of headers) {
      const file = safetensorsFile(JSON.stringify(h), body);
      globalThis.gc?.();
      const before = process.memoryUsage().arrayBuffers;
      const o = attempt(() => deserialize(file));
      expectTypedRefusal(o, `deserialize ${JSON.stringify(h)}`);
      expect(o.ms).toBeLessThan(MAX_MS);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
    }
    // a header length of 2^64 - 1, and one just over the limit, with a short file
    for (const n of [2n ** 64n - 1n, 100_000_001n, 99_999_999n]) {
      const o = attempt(() => deserialize(safetensorsFile('{}', body, n)));
      expectTypedRefusal(o, `header length ${n}`);
      expect(o.ms).toBeLessThan(MAX_MS);
    }
  });

  it('non-bytes arguments are refused with a typed error', () => {
    for (const v of [undefined, null, 3, 'st', [1, 2], {}, new Int8Array(8)]) {
      expectTypedRefusal(attempt(() => deserialize(v as Uint8Array)), `deserialize(${String(v)})`);
      expectTypedRefusal(attempt(() => safetensorsHeader(v as Uint8Array)), `safetensorsHeader(${String(v)})`);
    }
  });
});
