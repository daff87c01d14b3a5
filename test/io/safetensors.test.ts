// Saving and loading in the safetensors format: bit-exact round trips of module and optimizer state dicts,
// resuming training, atomic writes, the layout checked byte for byte by a reader written here (and by the
// reference `safetensors` package when python3 has it), and every refusal of a malformed file.
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Storage, Tensor, tensor, zeros, randn, manualSeed, nn, optim,
  serialize, deserialize, save, load, safetensorsHeader,
  ArgumentError, FormatError, ValueError,
} from '../../src/index.js';
import type { DType } from '../../src/index.js';
import { safetensorsFile } from './files.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
const tmp = (name = `f${++fileCount}.safetensors`) => join(dir, name);

const SIZE: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/** A tensor's elements in row-major order as bytes, read from its storage through its strides (the oracle). */
function refBytes(t: Tensor): number[] {
  const size = SIZE[t.dtype];
  const raw = new Uint8Array(t.storage.data.buffer, t.storage.data.byteOffset, t.storage.data.byteLength);
  const out: number[] = [];
  const walk = (d: number, at: number) => {
    if (d === t.shape.length) {
      for (let b = 0; b < size; b++) out.push(raw[at * size + b]);
      return;
    }
    for (let i = 0; i < t.shape[d]; i++) walk(d + 1, at + i * t.strides[d]);
  };
  walk(0, t.offset);
  return out;
}

/** A tensor over exactly these bytes (bit patterns no arithmetic would produce: NaN payloads, -0, …). */
function fromBits(dtype: DType, shape: number[], bytes: number[]): Tensor {
  const buf = new Uint8Array(bytes).buffer;
  const data = dtype === 'float32' ? new Float32Array(buf) : dtype === 'float64' ? new Float64Array(buf) : dtype === 'int32' ? new Int32Array(buf) : new Uint8Array(buf);
  return new Tensor(new Storage(data), shape, dtype);
}
const le32 = (u: number) => [u & 255, (u >>> 8) & 255, (u >>> 16) & 255, u >>> 24];
const le64 = (hi: number, lo: number) => [...le32(lo), ...le32(hi)];

function expectSameTensors(actual: Record<string, Tensor>, expected: Record<string, Tensor>) {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const [k, t] of Object.entries(expected)) {
    expect(actual[k]).toBeInstanceOf(Tensor);
    expect([actual[k].dtype, actual[k].shape], k).toEqual([t.dtype, t.shape]);
    expect(refBytes(actual[k]), k).toEqual(refBytes(t));
  }
}

const model = () => new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3));

/** Builds a file from a header (an object or raw text, padded as written) and data bytes. */
const build = (header: object | string, data: number[] | Uint8Array = [], headerLength?: bigint): Uint8Array =>
  safetensorsFile(typeof header === 'string' ? header : JSON.stringify(header), data, headerLength);

describe('module state dicts', () => {
  it('save → load gives bit-identical tensors and identical predictions', () => {
    manualSeed(1);
    const a = model();
    a.forward(randn([5, 4]));               // training mode: running stats and numBatchesTracked move
    const path = tmp();
    save(a.stateDict(), path);
    const sd = load(path);
    expectSameTensors(sd, a.stateDict());
    expect(sd['1.numBatchesTracked'].dtype).toBe('int32');
    expect(sd['1.numBatchesTracked'].item()).toBe(1);
    expectSameTensors(deserialize(serialize(a.stateDict())), a.stateDict());

    manualSeed(2);
    const b = model();
    const x = randn([6, 4]);
    a.eval();
    b.eval();
    expect(refBytes(b.forward(x))).not.toEqual(refBytes(a.forward(x)));
    b.loadStateDict(load(path, { expected: b.stateDict() }));
    expect(refBytes(b.forward(x))).toEqual(refBytes(a.forward(x)));
  });

  it('keeps every bit: NaN payloads, signaling NaNs, -0, infinities, subnormals, int32 extremes', () => {
    const f32 = fromBits('float32', [6], [0x7fc01234, 0x7f800001, 0xffc00000, 0x80000000, 0x7f800000, 0x00000001].flatMap(le32));
    const f64 = fromBits('float64', [4], [le64(0x7ff00000, 1), le64(0xfff80000, 0xdeadbeef), le64(0x80000000, 0), le64(0, 1)].flat());
    const i32 = tensor([-2147483648, 2147483647, 0, -1], { dtype: 'int32' });
    const b = tensor([true, false, true], { dtype: 'bool' });
    const sd = { f32, f64, i32, b };
    expectSameTensors(deserialize(serialize(sd)), sd);
    const path = tmp();
    save(sd, path);
    expectSameTensors(load(path), sd);
  });

  it('writes views as their contiguous values, bit for bit', () => {
    const base = fromBits('float64', [2, 3], Array.from({ length: 6 }, (_, i) => le64(0x7ff00000 + i, 0x100 + i)).flat());
    const base32 = fromBits('float32', [2, 3], [0x7f800001, 1, 2, 0x80000000, 4, 0x7fc0beef].flatMap(le32));
    const sd = {
      t64: base.transpose(0, 1),
      t32: base32.transpose(0, 1),
      narrow: base32.narrow(1, 1, 2),
      expanded: tensor([1, 2], { dtype: 'int32' }).unsqueeze(0).expand([3, 2]),
      mask: tensor([[true, false], [false, true]], { dtype: 'bool' }).transpose(0, 1),
    };
    expect(sd.t64.isContiguous()).toBe(false);
    const back = deserialize(serialize(sd));
    expectSameTensors(back, sd);
    expect(back.t64.isContiguous()).toBe(true);
    expect(back.expanded.toArray()).toEqual([[1, 2], [1, 2], [1, 2]]);
  });

  it('handles empty dicts, 0-d and zero-size tensors, odd names, and the header order', () => {
    expect(deserialize(serialize({}))).toEqual({});
    const sd = Object.fromEntries([
      ['mask', tensor([true], { dtype: 'bool' })],
      ['__proto__', tensor(5)],
      ['empty', zeros([0, 3])],
      ['ünï cödé.weight', tensor([1.5, 2.5], { dtype: 'float64' })],
      ['n', tensor(7, { dtype: 'int32' })],
    ]) as Record<string, Tensor>;
    const back = deserialize(serialize(sd));
    expectSameTensors(back, sd);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    // the header keeps the given order; the data goes by decreasing element size, so each tensor is aligned
    const h = safetensorsHeader(serialize(sd));
    expect(Object.keys(h.tensors)).toEqual(['mask', '__proto__', 'empty', 'ünï cödé.weight', 'n']);
    expect(Object.values(h.tensors).map((e) => e.dataOffsets)).toEqual([[24, 25], [16, 20], [20, 20], [0, 16], [20, 24]]);
  });

  it('keeps metadata and reads it back from the header', () => {
    const bytes = serialize({ w: zeros([2]) }, { metadata: { epoch: '3', note: 'ok' } });
    expect(safetensorsHeader(bytes).metadata).toEqual({ epoch: '3', note: 'ok' });
    const path = tmp();
    save({ w: zeros([2]) }, path, { metadata: { epoch: '3', note: 'ok' } });
    expect(safetensorsHeader(readFileSync(path)).metadata).toEqual({ epoch: '3', note: 'ok' });
    expect(Object.keys(deserialize(bytes))).toEqual(['w']);
  });
});

describe('the bytes on disk', () => {
  it('equal a golden sequence built by hand', () => {
    // {"attn.0": F32 [1, 2, 3] = 0..5}: a 64-byte header needs no padding
    const json = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(json.length).toBe(64);
    const golden = [
      64, 0, 0, 0, 0, 0, 0, 0,
      ...Array.from(json, (c) => c.charCodeAt(0)),
      0, 0, 0, 0, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40, 0, 0, 0x80, 0x40, 0, 0, 0xa0, 0x40,
    ];
    const sd = { 'attn.0': tensor([[[0, 1, 2], [3, 4, 5]]]) };
    expect(Array.from(serialize(sd))).toEqual(golden);
    const path = tmp();
    save(sd, path);
    expect(Array.from(readFileSync(path))).toEqual(golden);

    // {} is padded with six spaces to 8 bytes
    expect(Array.from(serialize({}))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 32, 32, 32, 32, 32, 32]);

    // mixed dtypes and metadata: F64 first, then I32, then BOOL; the header padded to 192 bytes
    const mixed = {
      m: tensor([true, false, true], { dtype: 'bool' }),
      n: tensor(-2, { dtype: 'int32' }),
      d: tensor([-0.5], { dtype: 'float64' }),
    };
    const text = '{"__metadata__":{"k":"v"},"m":{"dtype":"BOOL","shape":[3],"data_offsets":[12,15]},'
      + '"n":{"dtype":"I32","shape":[],"data_offsets":[8,12]},"d":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}';
    expect(text.length).toBe(188);
    expect(Array.from(serialize(mixed, { metadata: { k: 'v' } }))).toEqual([
      192, 0, 0, 0, 0, 0, 0, 0,
      ...Array.from(text, (c) => c.charCodeAt(0)), 32, 32, 32, 32,
      0, 0, 0, 0, 0, 0, 0xe0, 0xbf,   // -0.5
      0xfe, 0xff, 0xff, 0xff,         // -2
      1, 0, 1,
    ]);
  });

  it('match the format, checked by an independent reader (JSON.parse and DataView)', () => {
    manualSeed(3);
    const a = model();
    a.forward(randn([4, 4]));
    const sd = { ...a.stateDict(), mask: tensor([[true], [false]], { dtype: 'bool' }), big: randn([3, 2], { dtype: 'float64' }) };
    const path = tmp();
    save(sd, path);
    const bytes = readFileSync(path);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text).toMatch(/^\{.*\} *$/s);
    const header = JSON.parse(text) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
    expect(Object.keys(header)).toEqual(Object.keys(sd));
    const start = 8 + n;
    const spans = Object.values(header).map((e) => e.data_offsets).sort((p, q) => p[0] - q[0]);
    spans.forEach(([b, e], i) => expect(b).toBe(i === 0 ? 0 : spans[i - 1][1]));
    expect(spans.at(-1)![1]).toBe(bytes.length - start);
    const codes: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
    for (const [name, t] of Object.entries(sd)) {
      const e = header[name];
      expect(e.dtype).toBe(codes[t.dtype]);
      expect(e.shape).toEqual(t.shape);
      const [b, end] = e.data_offsets;
      expect((start + b) % SIZE[t.dtype]).toBe(0); // aligned in the file
      expect(end - b).toBe(t.numel() * SIZE[t.dtype]);
      const values = Array.from({ length: t.numel() }, (_, i) => {
        const at = start + b + i * SIZE[t.dtype];
        return t.dtype === 'float32' ? view.getFloat32(at, true) : t.dtype === 'float64' ? view.getFloat64(at, true)
          : t.dtype === 'int32' ? view.getInt32(at, true) : view.getUint8(at) === 1;
      });
      expect(values, name).toEqual([t.toArray()].flat(Infinity));
    }
  });

});

describe('optimizer state dicts', () => {
  const literal = () => ({
    state: {
      0: { step: 3, momentumBuffer: tensor([0.5, -0.25]), weird: -0 },
      2: { step: 1, expAvg: tensor([[1, 2]], { dtype: 'float64' }), maxExpAvgSq: tensor(0.5) },
    },
    paramGroups: [
      { lr: 0.1, betas: [0.9, 0.999], amsgrad: false, lineSearchFn: null, name: 'body', eps: 1e-8, params: [0, 1] },
      { lr: Infinity, betas: [NaN, -0], amsgrad: true, lineSearchFn: 'strongWolfe', extra: undefined, nested: { a: [1, { b: 2 }] }, params: [2] },
    ],
  });

  it('round-trip: tensors bit for bit, numbers (NaN, ±Infinity, -0 too) and options exactly', () => {
    const sd = literal();
    const path = tmp();
    save(sd, path);
    for (const back of [load<optim.OptimizerStateDict>(path), deserialize<optim.OptimizerStateDict>(serialize(sd))]) {
      expect(back.paramGroups).toEqual(sd.paramGroups);
      expect(Object.is(back.paramGroups[1].betas instanceof Array && back.paramGroups[1].betas[1], -0)).toBe(true);
      expect('extra' in back.paramGroups[1]).toBe(true);
      expect(Object.keys(back.state)).toEqual(['0', '2']);
      expect(Object.is(back.state[0].weird, -0)).toBe(true);
      expect(back.state[0].step).toBe(3);
      expectSameTensors(
        { a: back.state[0].momentumBuffer as Tensor, b: back.state[2].expAvg as Tensor, c: back.state[2].maxExpAvgSq as Tensor },
        { a: sd.state[0].momentumBuffer, b: sd.state[2].expAvg, c: sd.state[2].maxExpAvgSq },
      );
    }
    const h = safetensorsHeader(readFileSync(path));
    expect(Object.keys(h.tensors)).toEqual(['state.0.momentumBuffer', 'state.2.expAvg', 'state.2.maxExpAvgSq']);
    expect(Object.keys(h.metadata)).toEqual(['tapegrad.optimizer']);
  });

  it("round-trips SGD's and Adam's state dicts into fresh optimizers", () => {
    for (const make of [
      (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true }),
      (ps: Tensor[]) => new optim.Adam([{ params: ps.slice(0, 1) }, { params: ps.slice(1), lr: 0.01 }], { amsgrad: true }),
    ]) {
      manualSeed(4);
      const m = model();
      const opt = make(m.parameters());
      m.forward(randn([3, 4])).pow(2).sum().backward();
      opt.step();
      const sd = opt.stateDict();
      const fresh = make(model().parameters());
      const back = deserialize(serialize(sd), { expected: fresh.stateDict() });
      expect(back.paramGroups).toEqual(sd.paramGroups);
      expect(Object.keys(back.state)).toEqual(Object.keys(sd.state));
      for (const [i, s] of Object.entries(sd.state)) {
        for (const [k, v] of Object.entries(s)) {
          const w = back.state[Number(i)][k];
          if (v instanceof Tensor) expect(refBytes(w as Tensor)).toEqual(refBytes(v));
          else expect(w).toBe(v);
        }
      }
      fresh.loadStateDict(back);
    }
  });
});

describe('resuming training', () => {
  const data = () => {
    manualSeed(10);
    return { x: randn([8, 4]), y: randn([8, 3]) };
  };
  const step = (m: nn.Module, opt: optim.Optimizer, x: Tensor, y: Tensor) => {
    opt.zeroGrad();
    (m.forward(x) as Tensor).sub(y).pow(2).mean().backward();
    opt.step();
  };

  for (const [name, make] of [
    ['SGD with momentum and weight decay', (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9, weightDecay: 1e-3 })],
    ['Adam with AMSGrad', (ps: Tensor[]) => new optim.Adam(ps, { lr: 0.01, amsgrad: true })],
  ] as const) {
    it(`${name}: saved model + optimizer, loaded into fresh objects, take bit-identical next steps`, () => {
      const { x, y } = data();
      manualSeed(11);
      const a = model();
      const optA = make(a.parameters());
      for (let i = 0; i < 3; i++) step(a, optA, x, y);
      const [pm, po] = [tmp(), tmp()];
      save(a.stateDict(), pm);
      save(optA.stateDict(), po);
      step(a, optA, x, y);

      manualSeed(12);
      const b = model();
      const optB = make(b.parameters());
      b.loadStateDict(load(pm, { expected: b.stateDict() }));
      optB.loadStateDict(load(po, { expected: optB.stateDict() }));
      step(b, optB, x, y);
      expectSameTensors(b.stateDict(), a.stateDict());
      // and the step after that too: the optimizer state moved the same way
      step(a, optA, x, y);
      step(b, optB, x, y);
      expectSameTensors(b.stateDict(), a.stateDict());
    });
  }
});

describe('atomic writes', () => {
  const isolated = () => {
    const d = join(dir, `atomic${++fileCount}`);
    mkdirSync(d);
    return d;
  };

  it('an error mid-write leaves the existing file untouched and no temporary file', () => {
    const d = isolated();
    const path = join(d, 'model.safetensors');
    save({ w: tensor([1, 2, 3]) }, path);
    const before = readFileSync(path);
    const bad = tensor([4, 5]);
    Object.defineProperty(bad, 'storage', { get: () => { throw new Error('disk on fire'); } });
    // w2 is written (the header and the first tensor are on disk) before bad's data is read
    expect(() => save({ w2: randn([1000]), bad }, path)).toThrow('disk on fire');
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(d)).toEqual(['model.safetensors']);
  });

  it('a failing rename (over a directory) removes the temporary file', () => {
    const d = isolated();
    const target = join(d, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'x');
    let err: unknown;
    try {
      save({ w: tensor([1]) }, target);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^save: can't write '.*taken': E/);
    expect((err as { code?: string }).code).toMatch(/^E(ISDIR|EXIST|NOTEMPTY|PERM)$/);
    expect(readdirSync(d)).toEqual(['taken']);
    expect(readdirSync(target)).toEqual(['inside']);
  });

  it('a missing directory is an error that creates nothing; bad input is refused before touching the disk', () => {
    const d = isolated();
    let err: unknown;
    try {
      save({ w: tensor([1]) }, join(d, 'nope', 'model.safetensors'));
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toMatch(/^save: can't create a temporary file next to '.*model.safetensors': ENOENT/);
    expect((err as { code?: string }).code).toBe('ENOENT');
    expect(() => save({ w: [1, 2] } as never, join(d, 'x'))).toThrow(new ArgumentError("save: expected 'w' to be a Tensor, got an array"));
    expect(readdirSync(d)).toEqual([]);
  });

  it('overwrites an existing file in one step, keeping its permissions', () => {
    const d = isolated();
    const path = join(d, 'm.safetensors');
    save({ w: tensor([1]) }, path);
    chmodSync(path, 0o640);
    save({ w: tensor([2, 3]) }, path);
    expect(load(path).w.toArray()).toEqual([2, 3]);
    expect(readdirSync(d)).toEqual(['m.safetensors']);
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });
});

describe('outside Node', () => {
  it('serialize/deserialize import nothing from Node (the file functions look fs up when called)', () => {
    // follows the value imports of src/io/safetensors.ts through the source tree
    const src = join(import.meta.dirname, '..', '..', 'src');
    const seen = new Set<string>();
    const imports: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/^import\s+(?!type\s)[^'"]*?from\s+'([^']+)'/gm)) {
        if (m[1].startsWith('.')) visit(join(file, '..', m[1].replace(/\.js$/, '.ts')));
        else imports.push(m[1]);
      }
    };
    visit(join(src, 'io', 'safetensors.ts'));
    expect(seen.size).toBeGreaterThan(3);
    expect(imports).toEqual(['seedrandom']);
  });
});

describe('refusing malformed files, with errors that say what is wrong', () => {
  const f32 = (name: string, shape: number[], offsets: [number, number]) => ({ [name]: { dtype: 'F32', shape, data_offsets: offsets } });
  const bad = (bytes: Uint8Array, type: typeof FormatError, message: string) => {
    expect(() => deserialize(bytes)).toThrow(new type(`deserialize: ${message}`));
    const path = tmp();
    writeFileSync(path, bytes);
    expect(() => load(path)).toThrow(new type(`load: ${message}`));
  };

  it('the header length', () => {
    bad(new Uint8Array(5), FormatError, 'got 5 bytes; a safetensors file starts with an 8-byte header length');
    bad(build('{}', [], 2n ** 64n - 1n), FormatError, 'the header length 18446744073709551615 is over the limit of 100000000 bytes');
    bad(build('{}', [], 100_000_001n), FormatError, 'the header length 100000001 is over the limit of 100000000 bytes');
    bad(build('{}', [], 3n), FormatError, 'the header length 3 runs past the end of the 10 bytes');
    bad(build('', []), FormatError, `the header must be a JSON object starting with '{', got ""`);
  });

  it('the header text', () => {
    bad(build('{}').fill(0xff, 8, 9), FormatError, 'the header is not valid UTF-8');
    bad(build(' {}'), FormatError, `the header must be a JSON object starting with '{', got " {}"`);
    bad(build('[1]'), FormatError, `the header must be a JSON object starting with '{', got "[1]"`);
    bad(build('{"a":1,}'), FormatError, "the header is not valid JSON: expected a key, got '}' at character 7");
    bad(build('{"a":{"dtype":"F32"'), FormatError, 'the header is not valid JSON: expected \',\' or \'}\' at character 19');
    bad(build('{} x'), FormatError, 'the header is not valid JSON: unexpected text after the value at character 3');
    bad(build('{"a":01}'), FormatError, "the header is not valid JSON: expected ',' or '}' at character 6");
    bad(build(`{"a":${'['.repeat(100)}`), FormatError, 'the header is not valid JSON: nesting deeper than 64 levels at character 69');
    bad(build('{"w":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[],"data_offsets":[4,8]}}', [0, 0, 0, 0, 0, 0, 0, 0]),
      FormatError, "the header is not valid JSON: the key 'w' appears twice at character 53");
  });

  it('the entries', () => {
    bad(build({ w: [1] }), FormatError, "tensor 'w' must be described by {dtype, shape, data_offsets}, got an array");
    bad(build({ w: { dtype: 'F32', shape: [] } }), FormatError, "tensor 'w' has no data_offsets");
    bad(build({ w: { dtype: 'F32', shape: [], data_offsets: [0, 4], extra: 1 } }, [0, 0, 0, 0]), FormatError, "tensor 'w' has an unknown key 'extra' (expected dtype, shape, data_offsets)");
    bad(build({ w: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]), FormatError, "tensor 'w' has dtype \"F16\"; supported dtypes are F32, F64, I32, BOOL");
    bad(build({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, [0, 0, 0, 0]), FormatError, "tensor 'w' has shape [-1]; expected an array of non-negative integers");
    bad(build(f32('w', [1.5], [0, 4]), [0, 0, 0, 0]), FormatError, "tensor 'w' has shape [1.5]; expected an array of non-negative integers");
    bad(build({ w: { dtype: 'F32', shape: [1], data_offsets: [0] } }), FormatError, "tensor 'w' has data_offsets [0]; expected [begin, end], two non-negative integers");
    bad(build({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 1e300] } }), FormatError, "tensor 'w' has data_offsets [0,1e+300]; expected [begin, end], two non-negative integers");
    bad(build(f32('w', [1], [4, 0]), [0, 0, 0, 0]), FormatError, "tensor 'w' has data_offsets [4, 0], which end before they begin");
    bad(build(f32('w', [1], [0, 8]), [0, 0, 0, 0]), FormatError, "tensor 'w' has data_offsets [0, 8], past the end of the data (4 bytes)");
    bad(build(f32('fc.weight', [10, 784], [0, 100]), new Uint8Array(100)), FormatError, "tensor 'fc.weight' has data_offsets [0, 100] but shape [10, 784] of F32 needs 31360 bytes");
    bad(build(f32('w', [2 ** 40, 2 ** 40], [0, 4]), [0, 0, 0, 0]), FormatError, "tensor 'w' has shape [1099511627776, 1099511627776], more than 2^53 - 1 elements");
    bad(build({ __metadata__: { a: 1 } }), FormatError, "metadata 'a' must be a string, got 1");
    bad(build({ __metadata__: [] }), FormatError, 'the header\'s __metadata__ must be an object of strings, got an array');
  });

  it('the offsets must tile the data: no overlap, no hole, nothing left over', () => {
    const data = new Uint8Array(8);
    bad(build({ ...f32('a', [2], [0, 8]), ...f32('b', [1], [4, 8]) }, data), FormatError, "tensor 'b' (data_offsets [4, 8]) overlaps tensor 'a' ([0, 8])");
    bad(build({ ...f32('a', [1], [4, 8]) }, data), FormatError, 'no tensor covers bytes [0, 4) of the data');
    bad(build({ ...f32('a', [1], [0, 4]) }, data), FormatError, 'the data has 8 bytes but the tensors cover only 4');
    bad(build({}, [1]), FormatError, 'the data has 1 bytes but the tensors cover only 0');
    // a zero-size tensor may sit at a boundary, in any header order (as the reference reader allows)
    expect(Object.keys(deserialize(build({ ...f32('b', [1], [4, 8]), ...f32('z', [0], [4, 4]), ...f32('a', [1], [0, 4]) }, data)))).toEqual(['b', 'z', 'a']);
    bad(build({ ...f32('a', [2], [0, 8]), ...f32('z', [0], [4, 4]) }, data), FormatError, "tensor 'z' (data_offsets [4, 4]) overlaps tensor 'a' ([0, 8])");
  });

  it('bool bytes must be 0 or 1', () => {
    bad(build({ m: { dtype: 'BOOL', shape: [3], data_offsets: [0, 3] } }, [1, 0, 2]), FormatError, "tensor 'm' (BOOL) has byte 2 at element 2; expected 0 or 1");
  });

  it('the optimizer part', () => {
    const meta = (s: string) => ({ __metadata__: { 'tapegrad.optimizer': s } });
    bad(build(meta('{"state":{}}')), FormatError, "the optimizer state in metadata 'tapegrad.optimizer' must be an object with state and paramGroups");
    bad(build(meta('{"state":{},"paramGroups":[{"lr":1}]}')), FormatError, "the optimizer state in metadata 'tapegrad.optimizer' has a group 0 without params (parameter indices)");
    bad(build(meta('{"state":{"1":{}},"paramGroups":[{"params":[0]}]}')), FormatError, "the optimizer state in metadata 'tapegrad.optimizer' has state for '1', which is not a parameter index of the groups");
    bad(build(meta('{"state":{"0":{"step":"3"}},"paramGroups":[{"params":[0]}]}')), FormatError, "the optimizer state in metadata 'tapegrad.optimizer' has state 0.step that is neither a number nor a tensor");
    bad(build(meta('{"state":'), []), FormatError, "metadata 'tapegrad.optimizer' is not valid JSON: unexpected end at character 9");
    const one = { dtype: 'F32', shape: [], data_offsets: [0, 4] };
    bad(build({ ...meta('{"state":{},"paramGroups":[{"params":[0]}]}'), w: one }, [0, 0, 0, 0]), FormatError, "an optimizer file has tensor 'w', not named state.{index}.{key}");
    bad(build({ ...meta('{"state":{},"paramGroups":[{"params":[0]}]}'), 'state.1.m': one }, [0, 0, 0, 0]), FormatError, "tensor 'state.1.m' is state of parameter 1, which no group has");
    bad(build({ ...meta('{"state":{"0":{"m":1}},"paramGroups":[{"params":[0]}]}'), 'state.0.m': one }, [0, 0, 0, 0]), FormatError, "state 0.m is both a number and tensor 'state.0.m'");
  });

  it('checks against the model before allocating anything', () => {
    const m = new nn.Linear(2, 1);
    const bytes = serialize({ weight: zeros([1, 3]), bias: zeros([1], { dtype: 'float64' }), extra: tensor([true], { dtype: 'bool' }) });
    bytes[bytes.length - 1] = 2; // an invalid bool: had the data been read, that would be the error
    for (const [fn, run] of [['deserialize', () => deserialize(bytes, { expected: m.stateDict() })], ['load', () => {
      const path = tmp();
      writeFileSync(path, bytes);
      return load(path, { expected: m.stateDict() });
    }]] as const) {
      expect(run).toThrow(new FormatError(`${fn}: the file does not match the expected state dict: unexpected 'extra'; `
        + "'weight' is F32 [1, 3] in the file, F32 [1, 2] expected; 'bias' is F64 [1] in the file, F32 [1] expected"));
    }
    const missing = serialize({ weight: zeros([1, 2]) });
    expect(() => deserialize(missing, { expected: m.stateDict() })).toThrow("deserialize: the file does not match the expected state dict: missing 'bias'");
    const opt = new optim.SGD(m.parameters(), { lr: 0.1 });
    expect(() => deserialize(missing, { expected: opt.stateDict() })).toThrow(new FormatError("deserialize: the file holds a module's state dict, expected an optimizer's"));
    expect(() => deserialize(serialize(opt.stateDict()), { expected: m.stateDict() })).toThrow(new FormatError("deserialize: the file holds an optimizer's state dict, expected a module's"));
    const two = new optim.SGD([{ params: [m.weight] }, { params: [m.bias!] }], { lr: 0.1 });
    expect(() => deserialize(serialize(opt.stateDict()), { expected: two.stateDict() }))
      .toThrow(new FormatError('deserialize: the file does not match the expected state dict: the groups have [2] parameters in the file, [1, 1] expected'));
    // state tensors both sides have must agree
    const sd = { state: { 0: { momentumBuffer: zeros([3]) } }, paramGroups: [{ lr: 0.1, params: [0, 1] }] };
    const want = { state: { 0: { momentumBuffer: zeros([1, 2]) } }, paramGroups: [{ lr: 0.1, params: [0, 1] }] };
    expect(() => deserialize(serialize(sd), { expected: want }))
      .toThrow("'state.0.momentumBuffer' is F32 [3] in the file, F32 [1, 2] expected");
  });
});

describe('bad arguments', () => {
  it('are refused naming the function', () => {
    expect(() => serialize(null as never)).toThrow(new ArgumentError('serialize: expected a state dict (an object of Tensors, or {state, paramGroups} from an optimizer), got null'));
    expect(() => serialize({ w: 1 } as never)).toThrow(new ArgumentError("serialize: expected 'w' to be a Tensor, got 1"));
    expect(() => serialize({ __metadata__: zeros([1]) })).toThrow(new ValueError("serialize: a tensor can't be named '__metadata__' (the header's metadata key)"));
    expect(() => serialize({}, { meta: {} } as never)).toThrow(new ArgumentError("serialize: unknown option 'meta' (expected metadata)"));
    expect(() => serialize({}, { metadata: { a: 1 } } as never)).toThrow(new ArgumentError("serialize: metadata 'a' must be a string, got 1"));
    expect(() => serialize({}, { metadata: { 'tapegrad.optimizer': '' } })).toThrow(new ValueError("serialize: the metadata key 'tapegrad.optimizer' is reserved for optimizer state dicts"));
    const fn = () => 1;
    expect(() => serialize({ state: {}, paramGroups: [{ lr: fn, params: [0] }] })).toThrow(new ArgumentError(
      'serialize: paramGroups[0].lr is a function; only numbers, strings, booleans, null, undefined and arrays or plain objects of them can be saved besides tensors'));
    const loop: Record<string, unknown> = { params: [0] };
    loop.self = loop;
    expect(() => serialize({ state: {}, paramGroups: [loop as never] })).toThrow(new ValueError('serialize: paramGroups[0].self contains itself; expected a tree of values (no cycles)'));
    expect(() => serialize({ state: { 0: { step: 's' } } as never, paramGroups: [{ params: [0] }] })).toThrow(new ArgumentError("serialize: state[0].step must be a Tensor or a number, got 's'"));
    expect(() => serialize({ state: { x: {} } as never, paramGroups: [] })).toThrow(new ValueError("serialize: optimizer state keys must be parameter indices, got 'x'"));
    expect(() => deserialize([1, 2] as never)).toThrow(new ArgumentError('deserialize: expected the bytes of a safetensors file as a Uint8Array, got an array'));
    expect(() => deserialize(serialize({}), { strict: true } as never)).toThrow(new ArgumentError("deserialize: unknown option 'strict' (expected expected)"));
    expect(deserialize(serialize({ a: zeros([1]) }).slice().buffer)).toHaveProperty('a');
    expect(() => save({}, '')).toThrow(new ValueError("save: path must be a non-empty string, got ''"));
    expect(() => load(3 as never)).toThrow(new ArgumentError('load: path must be a non-empty string, got 3'));
    expect(() => load(dir)).toThrow(new ArgumentError(`load: '${dir}' is not a file (expected the path of a safetensors file)`));
    let err: unknown;
    try {
      load(join(dir, 'missing.safetensors'));
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toMatch(/^load: can't open '.*missing.safetensors': ENOENT/);
    expect((err as { code?: string }).code).toBe('ENOENT');
  });
});
