// Mutated safetensors files: truncations, header lengths past the end or huge, overlapping or out-of-range
// offsets, unknown dtypes, shapes that disagree with the sizes, byte flips, garbage JSON. Every mutant either
// loads, and then holds exactly what its header describes (read here with JSON.parse and byte slices), or is
// refused with a FormatError that names the function; never another exception, never a hang, and the
// tensors never take more memory than the file has bytes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Tensor, tensor, zeros, randn, manualSeed, nn, optim, serialize, deserialize, load, FormatError } from '../../src/index.js';
import type { DType, SavedStateDict } from '../../src/index.js';
import { safetensorsFile, tensorNames, splitFile, expectMatchesFile, bytesOf, ST_CODE, ST_SIZE, type Parts } from './files.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-safetensors-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function baseFiles(): Uint8Array[] {
  manualSeed(5);
  const m = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm1d(2));
  m.forward(randn([4, 3]));
  const opt = new optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9 });
  (m.forward(randn([4, 3])) as Tensor).sum().backward();
  opt.step();
  return [
    serialize({ ...m.stateDict(), mask: tensor([true, false, true], { dtype: 'bool' }), d: randn([2, 2], { dtype: 'float64' }) }, { metadata: { epoch: '1' } }),
    serialize(opt.stateDict()),
    serialize({ empty: zeros([0, 4]), scalar: tensor(2, { dtype: 'int32' }), v: randn([3]) }),
    serialize({}),
  ];
}
const bases = baseFiles();

const join8 = safetensorsFile;

type Mutation = (b: Uint8Array) => Uint8Array;
/** Changes one tensor's entry (picked by `pick`) in the header, rewriting the header length to match. */
const editEntry = (pick: number, edit: (e: Record<string, unknown>, p: Parts) => void): Mutation => (b) => {
  const p = splitFile(b);
  const names = p ? tensorNames(p.header) : [];
  const entry = p?.header[names[pick % names.length]];
  if (!p || entry === null || typeof entry !== 'object') return b;
  edit(entry as Record<string, unknown>, p);
  return join8(JSON.stringify(p.header), p.data);
};

const setLength = (f: (n: bigint) => bigint): Mutation => (b) => {
  if (b.length < 8) return b;
  const out = b.slice();
  const view = new DataView(out.buffer);
  view.setBigUint64(0, f(view.getBigUint64(0, true)), true);
  return out;
};
const offset = (p: number) => fc.oneof(fc.nat(p), fc.constantFrom(-1, 2 ** 53, 1.5, 1e300));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // truncation at any point
  fc.nat().map((k) => (b: Uint8Array) => b.slice(0, k % b.length)),
  // header length: anything up to 2^64 - 1, or near the real one
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => setLength(() => v)),
  fc.integer({ min: -16, max: 16 }).map((d) => setLength((n) => BigInt.asUintN(64, n + BigInt(d)))),
  // offsets: random, reversed, or another tensor's (overlap)
  fc.tuple(fc.nat(), offset(200), offset(200)).map(([k, a, z]) => editEntry(k, (e) => void (e.data_offsets = [a, z]))),
  fc.tuple(fc.nat(), fc.nat()).map(([k, j]) => editEntry(k, (e, p) => {
    const names = tensorNames(p.header);
    e.data_offsets = (p.header[names[j % names.length]] as { data_offsets?: unknown } | null)?.data_offsets;
  })),
  fc.nat().map((k) => editEntry(k, (e) => void (Array.isArray(e.data_offsets) && e.data_offsets.reverse()))),
  // dtypes: unknown, or known but of another size
  fc.tuple(fc.nat(), fc.constantFrom<unknown>('F16', 'BF16', 'I64', 'U8', 'F32', 'F64', 'I32', 'BOOL', 'f32', '', 7, null))
    .map(([k, d]) => editEntry(k, (e) => void (e.dtype = d))),
  // shapes that disagree with the sizes (or are not shapes)
  fc.tuple(fc.nat(), fc.oneof(
    fc.array(fc.oneof(fc.nat(6), fc.constantFrom(-1, 1.5, 2 ** 40, 2 ** 60)), { maxLength: 4 }),
    fc.constantFrom<unknown>(null, 3, '2', {}),
  )).map(([k, s]) => editEntry(k, (e) => void (e.shape = s))),
  // an entry removed, or one added with arbitrary JSON
  fc.nat().map((k) => editEntry(k, (e) => void delete e.dtype)),
  fc.tuple(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })).map(([name, v]) => (b: Uint8Array) => {
    const p = splitFile(b);
    return p ? join8(JSON.stringify({ ...p.header, [name]: v }), p.data) : b;
  }),
  // random byte flips in the header, or anywhere
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => (b: Uint8Array) => {
    if (b.length < 9) return b;
    const out = b.slice();
    const n = Math.min(Number(new DataView(out.buffer).getBigUint64(0, true)), out.length - 8);
    for (const [at, x] of flips) out[8 + (at % Math.max(n, 1))] ^= x;
    return out;
  }),
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => (b: Uint8Array) => {
    const out = b.slice();
    for (const [at, x] of flips) out[at % out.length] ^= x;
    return out;
  }),
  // garbage or wrong-shaped JSON as the whole header
  fc.oneof(fc.string({ maxLength: 40 }), fc.json({ maxDepth: 3 }), fc.constantFrom('{', '{"a":', '{}}', '{"a":1,"a":1}', '{"__metadata__":{"tapegrad.optimizer":"{"}}'))
    .map((text) => (b: Uint8Array) => join8(text, splitFile(b)?.data ?? b.subarray(Math.min(8, b.length)))),
  // bytes added to or taken from the end of the data
  fc.uint8Array({ minLength: 1, maxLength: 9 }).map((extra) => (b: Uint8Array) => {
    const out = new Uint8Array(b.length + extra.length);
    out.set(b);
    out.set(extra, b.length);
    return out;
  }),
);

function expectLoadedOrRefused(fn: string, run: () => SavedStateDict, file: Uint8Array): 'loaded' | 'refused' {
  let sd: SavedStateDict;
  try {
    sd = run();
  } catch (e) {
    if (!(e instanceof FormatError) || !e.message.startsWith(`${fn}: `)) throw e;
    return 'refused';
  }
  expectMatchesFile(sd, file);
  return 'loaded';
}

describe('mutated files are loaded exactly or refused clearly', () => {
  it('in memory (deserialize)', () => {
    const seen = { loaded: 0, refused: 0 };
    const t0 = performance.now();
    fc.assert(fc.property(fc.nat(bases.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (k, ms) => {
      const file = ms.reduce((b, m) => (b.length === 0 ? b : m(b)), bases[k]);
      seen[expectLoadedOrRefused('deserialize', () => deserialize(file), file)]++;
    }), { numRuns: 600, seed: 42 });
    expect(performance.now() - t0).toBeLessThan(5000);
    // both outcomes happen: the property is not vacuous
    expect(seen.loaded).toBeGreaterThan(20);
    expect(seen.refused).toBeGreaterThan(300);
  });

  it('from files (load), which reads the header and each tensor separately', () => {
    let n = 0;
    fc.assert(fc.property(fc.nat(bases.length - 1), mutation, (k, m) => {
      const file = m(bases[k]);
      const path = join(dir, `m${n++}.safetensors`);
      writeFileSync(path, file);
      expectLoadedOrRefused('load', () => load(path), file);
    }), { numRuns: 80, seed: 7 });
  });

  it('unmutated files load exactly', () => {
    for (const b of bases) expect(expectLoadedOrRefused('deserialize', () => deserialize(b), b)).toBe('loaded');
  });
});
