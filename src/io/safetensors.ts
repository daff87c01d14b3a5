// Saving and loading state dicts in the safetensors format (https://github.com/huggingface/safetensors):
// an 8-byte little-endian header length N, N bytes of UTF-8 JSON
//   {"__metadata__": {string: string}?, name: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …}
// padded with spaces to a multiple of 8, then the raw little-endian data, offsets counted from its start.
//
// serialize/deserialize work on bytes and run anywhere (this module imports nothing from Node). save/load reach
// the file system through `process.getBuiltinModule` (Node ≥ 20.16) when they are called, so browser bundles of
// the package can use the in-memory forms.
//
// Layout choices: the header lists the tensors in the order given (loading gives them back in that order); the
// data is laid out by decreasing element size, in the given order within a size, so every tensor starts at a
// multiple of its element size (the reference writer also sorts by alignment, then by name). Reading accepts any
// order and checks that the offsets tile the data exactly.
//
// Optimizer state dicts ({state, paramGroups}) are saved as tensors `state.{index}.{key}` plus the metadata key
// `tapegrad.optimizer` holding the JSON of everything else (numbers in the state, the groups); loading recognizes
// that key and gives back {state, paramGroups}.
import { Storage, Tensor } from '../tensor/tensor.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import { fromData } from '../tensor/creation.js';
import type { StateDict } from '../nn/module.js';
import type { OptimizerStateDict, ParamState } from '../optim/optimizer.js';
import { checkNonEmptyString, checkOptions, checkTensorArg, describeValue, isPlainObject } from '../utils/args.js';
import { ioError, nodeModules, writeFileAtomically } from '../utils/node.js';
import { ArgumentError, FormatError, ValueError } from '../errors.js';

const OTHERWISE = 'elsewhere use serialize/deserialize on bytes';

/** What `save`/`serialize` write and `load`/`deserialize` give back: a module's or an optimizer's state dict. */
export type SavedStateDict = StateDict | OptimizerStateDict;

/** Options of {@link serialize} and {@link save}. */
export interface SerializeOptions {
  /** Free-form string → string metadata, stored in the header's `__metadata__`. */
  metadata?: Record<string, string>;
}

/** Options of {@link deserialize} and {@link load}. */
export interface DeserializeOptions<T extends SavedStateDict = SavedStateDict> {
  /**
   * A state dict to check the file against before anything is allocated, e.g. `model.stateDict()`: the same
   * names, dtypes and shapes (for an optimizer's state dict: the same number of groups and parameters per group,
   * and the dtypes and shapes of the state tensors both have).
   */
  expected?: T;
}

/** One tensor's entry in a safetensors header. */
export interface SafetensorsEntry {
  dtype: DType;
  shape: number[];
  /** [begin, end) in bytes, from the start of the data. */
  dataOffsets: [number, number];
}

/** A checked safetensors header: the metadata and each tensor's entry, in header order. */
export interface SafetensorsHeader {
  metadata: Record<string, string>;
  tensors: Record<string, SafetensorsEntry>;
}

const CODE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
const DTYPE_OF = new Map<string, DType>(Object.entries(CODE).map(([d, c]) => [c, d as DType]));
const ITEMSIZE: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };
/** The reference implementation's limit on the header. */
const MAX_HEADER = 100_000_000;
const METADATA = '__metadata__';
const OPTIMIZER_KEY = 'tapegrad.optimizer';
/** Marks numbers JSON cannot hold (NaN, ±Infinity, -0) and undefined in an optimizer's non-tensor state. */
const TAG = '$tapegrad';
const ENTRY_KEYS = ['dtype', 'shape', 'data_offsets'];
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Sets an own property, even one named `__proto__`, which plain assignment would take as the prototype. */
function put(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

// ---------------------------------------------------------------------------------------------------- writing

/** A tensor's elements in row-major order as little-endian bytes, bit for bit (NaN payloads and -0 included). */
function tensorBytes(t: Tensor): Uint8Array {
  const size = ITEMSIZE[t.dtype];
  let bits = t;
  if (t.dtype === 'float32' || t.dtype === 'float64') {
    // copy the bits as int32 words, never as numbers: a float64 element is two words, its last dim of size 2
    const d = t.data;
    const words = new Int32Array(d.buffer, d.byteOffset, d.byteLength / 4);
    const k = size / 4;
    bits = k === 1
      ? new Tensor(new Storage(words), t.shape, 'int32', t.strides, t.offset)
      : new Tensor(new Storage(words), [...t.shape, 2], 'int32', [...t.strides.map((s) => 2 * s), 1], 2 * t.offset);
  }
  const a = bits.toTypedArray();
  const out = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (!LITTLE_ENDIAN && size > 1) swapBytes(out, size);
  return out;
}

interface Plan {
  /** The 8-byte length and the padded JSON header. */
  head: Uint8Array;
  /** The tensors in data order. */
  data: Tensor[];
  dataLength: number;
}

/** Walks an optimizer's non-tensor state and options into JSON, tagging what JSON cannot hold. */
function encodeValue(fn: string, v: unknown, where: string, path: Set<unknown>): unknown {
  if (typeof v === 'number') {
    if (Number.isFinite(v) && !Object.is(v, -0)) return v;
    return { [TAG]: Object.is(v, -0) ? '-0' : String(v) };
  }
  if (v === undefined) return { [TAG]: 'undefined' };
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v) || isPlainObject(v)) {
    if (path.has(v)) throw new ValueError(`${fn}: ${where} contains itself; expected a tree of values (no cycles)`);
    const inner = new Set(path).add(v);
    if (Array.isArray(v)) return Array.from(v, (x, i) => encodeValue(fn, x, `${where}[${i}]`, inner));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeValue(fn, x, `${where}.${k}`, inner)]));
  }
  throw new ArgumentError(`${fn}: ${where} is ${describeValue(v)}; only numbers, strings, booleans, null, undefined and arrays or plain objects of them can be saved besides tensors`);
}

const INDEX = /^(?:0|[1-9][0-9]*)$/;

const isOptimizerDict = (sd: Record<string, unknown>): boolean =>
  Array.isArray(sd.paramGroups) && sd.state !== null && typeof sd.state === 'object' && !(sd.state instanceof Tensor);

/** The tensors to write, by name, and the metadata (with the optimizer's JSON for an optimizer state dict). */
function flatten(fn: string, sd: unknown, opts: unknown): { tensors: [string, Tensor][]; metadata: Record<string, string> | null } {
  const { metadata: meta } = checkOptions(fn, opts, ['metadata'], { plain: true });
  let metadata: Record<string, string> | null = null;
  if (meta !== undefined) {
    if (!isPlainObject(meta)) throw new ArgumentError(`${fn}: metadata must be an object of strings, got ${describeValue(meta, 'object')}`);
    for (const [k, v] of Object.entries(meta)) {
      if (typeof v !== 'string') throw new ArgumentError(`${fn}: metadata '${k}' must be a string, got ${describeValue(v)}`);
      if (k === OPTIMIZER_KEY) throw new ValueError(`${fn}: the metadata key '${OPTIMIZER_KEY}' is reserved for optimizer state dicts`);
    }
    metadata = { ...(meta as Record<string, string>) };
  }
  if (!isPlainObject(sd)) throw new ArgumentError(`${fn}: expected a state dict (an object of Tensors, or {state, paramGroups} from an optimizer), got ${describeValue(sd, 'object')}`);
  const tensors: [string, Tensor][] = [];
  if (isOptimizerDict(sd)) {
    const { state, paramGroups, ...rest } = sd as unknown as OptimizerStateDict;
    const extra = Object.keys(rest);
    if (extra.length) throw new ArgumentError(`${fn}: an optimizer state dict has only state and paramGroups, got also ${extra.join(', ')}`);
    const numbers: Record<string, Record<string, unknown>> = {};
    for (const [i, s] of Object.entries(state)) {
      if (!INDEX.test(i)) throw new ValueError(`${fn}: optimizer state keys must be parameter indices, got '${i}'`);
      if (!isPlainObject(s)) throw new ArgumentError(`${fn}: state[${i}] must be an object, got ${describeValue(s, 'object')}`);
      numbers[i] = {};
      for (const [k, v] of Object.entries(s)) {
        if (v instanceof Tensor) tensors.push([`state.${i}.${k}`, v]);
        else if (typeof v === 'number') put(numbers[i], k, encodeValue(fn, v, `state[${i}].${k}`, new Set()));
        else throw new ArgumentError(`${fn}: state[${i}].${k} must be a Tensor or a number, got ${describeValue(v, 'object')}`);
      }
    }
    paramGroups.forEach((g, gi) => {
      if (!isPlainObject(g) || !Array.isArray(g.params) || !g.params.every((p) => Number.isSafeInteger(p) && p >= 0)) {
        throw new ArgumentError(`${fn}: paramGroups[${gi}] must be an object whose params are parameter indices, got ${describeValue(g, 'object')}`);
      }
    });
    const json = { state: numbers, paramGroups: encodeValue(fn, paramGroups, 'paramGroups', new Set()) };
    metadata = { ...metadata, [OPTIMIZER_KEY]: JSON.stringify(json) };
  } else {
    for (const [k, v] of Object.entries(sd)) {
      checkTensorArg(fn, v, `'${k}'`);
      if (k === METADATA) throw new ValueError(`${fn}: a tensor can't be named '${METADATA}' (the header's metadata key)`);
      tensors.push([k, v]);
    }
  }
  return { tensors, metadata };
}

/** Checks a state dict and lays out the file: the header bytes and the tensors in data order. */
function plan(fn: string, sd: unknown, opts: unknown): Plan {
  const { tensors, metadata } = flatten(fn, sd, opts);
  const order = tensors.map((_, i) => i).sort((a, b) => ITEMSIZE[tensors[b][1].dtype] - ITEMSIZE[tensors[a][1].dtype] || a - b);
  const offsets = new Array<[number, number]>(tensors.length);
  let at = 0;
  for (const i of order) {
    const t = tensors[i][1];
    offsets[i] = [at, (at += t.numel() * ITEMSIZE[t.dtype])];
  }
  const parts = tensors.map(([name, t], i) =>
    `${JSON.stringify(name)}:{"dtype":"${CODE[t.dtype]}","shape":${JSON.stringify(t.shape)},"data_offsets":[${offsets[i][0]},${offsets[i][1]}]}`);
  if (metadata) parts.unshift(`"${METADATA}":${JSON.stringify(metadata)}`);
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const n = Math.ceil(json.length / 8) * 8;
  const head = new Uint8Array(8 + n).fill(0x20, 8 + json.length);
  new DataView(head.buffer).setBigUint64(0, BigInt(n), true);
  head.set(json, 8);
  return { head, data: order.map((i) => tensors[i][1]), dataLength: at };
}

/**
 * A state dict as the bytes of a safetensors file (what {@link save} writes), in memory, without Node: a
 * module's `stateDict()` (names → tensors) or an optimizer's `stateDict()`. float32, float64, int32 and bool
 * tensors are stored as F32, F64, I32 and BOOL, views as their contiguous values, bit for bit.
 *
 * @example
 * ```ts
 * const bytes = serialize({ w: tensor([1, 2]), n: tensor(3, { dtype: 'int32' }) });
 * bytes.length;                        // 132
 * new TextDecoder().decode(bytes.subarray(8, 30)); // '{"w":{"dtype":"F32","s'
 * deserialize(bytes).w.toArray();      // [1, 2]
 * ```
 */
export function serialize(stateDict: SavedStateDict, opts: SerializeOptions = {}): Uint8Array {
  const { head, data, dataLength } = plan('serialize', stateDict, opts);
  const out = new Uint8Array(head.length + dataLength);
  out.set(head);
  let at = head.length;
  for (const t of data) {
    const b = tensorBytes(t);
    out.set(b, at);
    at += b.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------- reading

/**
 * A strict JSON parser for headers: RFC 8259 syntax, duplicate keys refused (JSON.parse keeps the last one
 * silently, which would hide a tensor), nesting limited.
 */
function parseJson(fn: string, text: string, what: string): unknown {
  let i = 0;
  const fail = (msg: string): never => {
    throw new FormatError(`${fn}: ${what} is not valid JSON: ${msg} at character ${i}`);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
  const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  const token = (re: RegExp): string | null => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return null;
    i += m[0].length;
    return m[0];
  };
  const value = (depth: number): unknown => {
    if (depth > 64) fail('nesting deeper than 64 levels');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, unknown][] = [];
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return {};
      }
      for (;;) {
        ws();
        const start = i;
        const raw = token(STRING) ?? fail(text[i] === undefined ? 'unexpected end' : `expected a key, got '${text[i]}'`);
        const key = JSON.parse(raw) as string;
        if (seen.has(key)) {
          i = start;
          fail(`the key '${key}' appears twice`);
        }
        seen.add(key);
        ws();
        if (text[i] !== ':') fail(`expected ':'`);
        i++;
        entries.push([key, value(depth + 1)]);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return Object.fromEntries(entries);
        } else fail(`expected ',' or '}'`);
      }
    }
    if (c === '[') {
      i++;
      const items: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return items;
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return items;
        } else fail(`expected ',' or ']'`);
      }
    }
    if (c === '"') return JSON.parse(token(STRING) ?? fail('bad string')) as string;
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const num = token(NUMBER);
    if (num !== null) return Number(num);
    return fail(c === undefined ? 'unexpected end' : `unexpected '${c}'`);
  };
  const v = value(0);
  ws();
  if (i < text.length) fail('unexpected text after the value');
  return v;
}

interface Entry {
  name: string;
  dtype: DType;
  shape: number[];
  numel: number;
  begin: number;
  end: number;
}

interface Header {
  entries: Entry[];
  metadata: Record<string, string>;
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Parses and checks a header against the length of the data that follows it. Allocates nothing else. */
function parseHeader(fn: string, bytes: Uint8Array, dataLength: number): Header {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FormatError(`${fn}: the header is not valid UTF-8`);
  }
  if (text[0] !== '{') throw new FormatError(`${fn}: the header must be a JSON object starting with '{', got ${JSON.stringify(text.slice(0, 16))}`);
  const json = parseJson(fn, text, 'the header') as Record<string, unknown>;
  const entries: Entry[] = [];
  const metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(json)) {
    if (name === METADATA) {
      if (info === null) continue;
      if (!isPlainObject(info)) throw new FormatError(`${fn}: the header's ${METADATA} must be an object of strings, got ${describeValue(info, 'object')}`);
      for (const [k, v] of Object.entries(info)) {
        if (typeof v !== 'string') throw new FormatError(`${fn}: metadata '${k}' must be a string, got ${describeValue(v)}`);
        put(metadata, k, v);
      }
      continue;
    }
    const t = `tensor '${name}'`;
    if (!isPlainObject(info)) throw new FormatError(`${fn}: ${t} must be described by {dtype, shape, data_offsets}, got ${describeValue(info, 'object')}`);
    for (const k of Object.keys(info)) if (!ENTRY_KEYS.includes(k)) throw new FormatError(`${fn}: ${t} has an unknown key '${k}' (expected ${ENTRY_KEYS.join(', ')})`);
    for (const k of ENTRY_KEYS) if (!(k in info)) throw new FormatError(`${fn}: ${t} has no ${k}`);
    const { dtype: code, shape, data_offsets: offsets } = info;
    const dtype = typeof code === 'string' ? DTYPE_OF.get(code) : undefined;
    if (dtype === undefined) {
      throw new FormatError(`${fn}: ${t} has dtype ${JSON.stringify(code)}; supported dtypes are ${[...DTYPE_OF.keys()].join(', ')}`);
    }
    if (!Array.isArray(shape) || !shape.every(isIndex)) throw new FormatError(`${fn}: ${t} has shape ${JSON.stringify(shape)}; expected an array of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
      throw new FormatError(`${fn}: ${t} has data_offsets ${JSON.stringify(offsets)}; expected [begin, end], two non-negative integers`);
    }
    const [begin, end] = offsets as [number, number];
    const at = `${t} has data_offsets [${begin}, ${end}]`;
    if (end < begin) throw new FormatError(`${fn}: ${at}, which end before they begin`);
    if (end > dataLength) throw new FormatError(`${fn}: ${at}, past the end of the data (${dataLength} bytes)`);
    let numel = shape.includes(0) ? 0 : 1;
    for (const d of shape) if (numel !== 0 && (numel *= d) > Number.MAX_SAFE_INTEGER) throw new FormatError(`${fn}: ${t} has shape ${shapeStr(shape)}, more than 2^53 - 1 elements`);
    const nbytes = numel * ITEMSIZE[dtype];
    if (nbytes !== end - begin) throw new FormatError(`${fn}: ${at} but shape ${shapeStr(shape)} of ${code} needs ${nbytes} bytes`);
    entries.push({ name, dtype, shape, numel, begin, end });
  }
  // the tensors must tile the data: sorted by offsets, each begins where the previous ends, the last at the end
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  sorted.forEach((e, k) => {
    if (e.begin < covered) {
      const prev = sorted[k - 1];
      throw new FormatError(`${fn}: tensor '${e.name}' (data_offsets [${e.begin}, ${e.end}]) overlaps tensor '${prev.name}' ([${prev.begin}, ${prev.end}])`);
    }
    if (e.begin > covered) throw new FormatError(`${fn}: no tensor covers bytes [${covered}, ${e.begin}) of the data`);
    covered = e.end;
  });
  if (covered !== dataLength) throw new FormatError(`${fn}: the data has ${dataLength} bytes but the tensors cover only ${covered}`);
  return { entries, metadata };
}

/** Reads the header of a file of `size` bytes through `read(position, into)`. */
function readHeader(fn: string, size: number, read: (pos: number, into: Uint8Array) => void): { header: Header; dataStart: number } {
  if (size < 8) throw new FormatError(`${fn}: got ${size} bytes; a safetensors file starts with an 8-byte header length`);
  const first = new Uint8Array(8);
  read(0, first);
  const n = new DataView(first.buffer).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER)) throw new FormatError(`${fn}: the header length ${n} is over the limit of ${MAX_HEADER} bytes`);
  if (8n + n > BigInt(size)) throw new FormatError(`${fn}: the header length ${n} runs past the end of the ${size} bytes`);
  const headerBytes = new Uint8Array(Number(n));
  read(8, headerBytes);
  const dataStart = 8 + headerBytes.length;
  return { header: parseHeader(fn, headerBytes, size - dataStart), dataStart };
}

/** Undoes encodeValue's tags. */
function decodeValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === TAG) {
      const s = v[TAG];
      if (s === 'undefined') return undefined;
      if (s === 'NaN' || s === 'Infinity' || s === '-Infinity' || s === '-0') return Number(s);
    }
    return Object.fromEntries(keys.map((k) => [k, decodeValue(v[k])]));
  }
  return v;
}

/** How the tensors of a file become the state dict: by name, or into an optimizer's {state, paramGroups}. */
type Layout =
  | { kind: 'module' }
  | { kind: 'optimizer'; state: Record<string, Record<string, unknown>>; paramGroups: OptimizerStateDict['paramGroups']; slots: Map<string, [string, string]> };

function optimizerLayout(fn: string, header: Header): Layout {
  const bad = (msg: string): never => {
    throw new FormatError(`${fn}: the optimizer state in metadata '${OPTIMIZER_KEY}' ${msg}`);
  };
  const json = parseJson(fn, header.metadata[OPTIMIZER_KEY], `metadata '${OPTIMIZER_KEY}'`);
  if (!isPlainObject(json) || !isPlainObject(json.state) || !Array.isArray(json.paramGroups) || Object.keys(json).length !== 2) {
    return bad('must be an object with state and paramGroups');
  }
  const indices = new Set<number>();
  json.paramGroups.forEach((g, gi) => {
    if (!isPlainObject(g) || !Array.isArray(g.params) || !g.params.every(isIndex)) bad(`has a group ${gi} without params (parameter indices)`);
    for (const p of (g as { params: number[] }).params) {
      if (indices.has(p)) bad(`lists parameter ${p} twice`);
      indices.add(p);
    }
  });
  const state: Record<string, Record<string, unknown>> = {};
  for (const [i, s] of Object.entries(json.state)) {
    if (!INDEX.test(i) || !indices.has(Number(i))) bad(`has state for '${i}', which is not a parameter index of the groups`);
    if (!isPlainObject(s)) return bad(`has state ${i} that is not an object`);
    state[i] = {};
    for (const [k, v] of Object.entries(s)) {
      const num = decodeValue(v);
      if (typeof num !== 'number') bad(`has state ${i}.${k} that is neither a number nor a tensor`);
      put(state[i], k, num);
    }
  }
  const slots = new Map<string, [string, string]>();
  for (const e of header.entries) {
    const m = /^state\.(0|[1-9][0-9]*)\.(.+)$/s.exec(e.name);
    if (!m) throw new FormatError(`${fn}: an optimizer file has tensor '${e.name}', not named state.{index}.{key}`);
    const [, i, k] = m;
    if (!indices.has(Number(i))) throw new FormatError(`${fn}: tensor '${e.name}' is state of parameter ${i}, which no group has`);
    if (state[i] && k in state[i]) throw new FormatError(`${fn}: state ${i}.${k} is both a number and tensor '${e.name}'`);
    slots.set(e.name, [i, k]);
  }
  return { kind: 'optimizer', state, paramGroups: decodeValue(json.paramGroups) as OptimizerStateDict['paramGroups'], slots };
}

const describeEntry = (dtype: DType, shape: readonly number[]) => `${CODE[dtype]} ${shapeStr(shape)}`;

/** Checks the file's tensors against `expected` (names, dtypes, shapes), before anything is allocated. */
function checkExpected(fn: string, header: Header, layout: Layout, expected: unknown): void {
  if (!isPlainObject(expected)) throw new ArgumentError(`${fn}: expected must be a state dict, got ${describeValue(expected, 'object')}`);
  const wantOptimizer = isOptimizerDict(expected);
  if (wantOptimizer !== (layout.kind === 'optimizer')) {
    throw new FormatError(`${fn}: the file holds ${layout.kind === 'optimizer' ? "an optimizer's" : "a module's"} state dict, expected ${wantOptimizer ? "an optimizer's" : "a module's"}`);
  }
  const problems: string[] = [];
  const compare = (name: string, e: Entry, t: unknown) => {
    if (!(t instanceof Tensor)) problems.push(`'${name}' is ${describeValue(t, 'object')} in expected, not a Tensor`);
    else if (t.dtype !== e.dtype || shapeStr(t.shape) !== shapeStr(e.shape)) {
      problems.push(`'${name}' is ${describeEntry(e.dtype, e.shape)} in the file, ${describeEntry(t.dtype, t.shape)} expected`);
    }
  };
  if (layout.kind === 'module') {
    const names = new Set(header.entries.map((e) => e.name));
    const missing = Object.keys(expected).filter((k) => !names.has(k));
    const unexpected = header.entries.filter((e) => !Object.hasOwn(expected, e.name)).map((e) => e.name);
    if (missing.length) problems.push(`missing ${missing.map((k) => `'${k}'`).join(', ')}`);
    if (unexpected.length) problems.push(`unexpected ${unexpected.map((k) => `'${k}'`).join(', ')}`);
    for (const e of header.entries) if (Object.hasOwn(expected, e.name)) compare(e.name, e, expected[e.name]);
  } else {
    const want = expected as unknown as OptimizerStateDict;
    const sizes = (gs: { params: unknown }[]) => gs.map((g) => (Array.isArray(g.params) ? g.params.length : NaN));
    const [mine, theirs] = [sizes(layout.paramGroups), sizes(want.paramGroups)];
    if (mine.join() !== theirs.join()) problems.push(`the groups have [${mine.join(', ')}] parameters in the file, [${theirs.join(', ')}] expected`);
    for (const e of header.entries) {
      const [i, k] = layout.slots.get(e.name)!;
      const s = isPlainObject(want.state) ? (want.state as Record<string, unknown>)[i] : undefined;
      if (isPlainObject(s) && Object.hasOwn(s, k)) compare(e.name, e, s[k]);
    }
  }
  if (problems.length) throw new FormatError(`${fn}: the file does not match the expected state dict: ${problems.join('; ')}`);
}

/** Reads a whole file through `read` (header, checks, then each tensor straight into its own memory). */
function decode(fn: string, size: number, read: (pos: number, into: Uint8Array) => void, opts: unknown): SavedStateDict {
  const { expected } = checkOptions(fn, opts, ['expected'], { plain: true });
  const { header, dataStart } = readHeader(fn, size, read);
  const layout: Layout = OPTIMIZER_KEY in header.metadata ? optimizerLayout(fn, header) : { kind: 'module' };
  if (expected !== undefined) checkExpected(fn, header, layout, expected);
  // every check on the header passed: the tensors' memory adds up to the data's length, at most the file's
  const tensors = header.entries.map((e) => {
    const data = allocate(e.dtype, e.numel);
    const bytes = new Uint8Array(data.buffer);
    read(dataStart + e.begin, bytes);
    if (e.dtype === 'bool') {
      const bad = bytes.findIndex((b) => b > 1);
      if (bad >= 0) throw new FormatError(`${fn}: tensor '${e.name}' (BOOL) has byte ${bytes[bad]} at element ${bad}; expected 0 or 1`);
    } else if (!LITTLE_ENDIAN) swapBytes(bytes, ITEMSIZE[e.dtype]);
    return fromData(data, e.shape, e.dtype);
  });
  if (layout.kind === 'module') return Object.fromEntries(header.entries.map((e, k) => [e.name, tensors[k]]));
  const state: Record<string, ParamState> = {};
  for (const [i, s] of Object.entries(layout.state)) state[i] = s as ParamState;
  header.entries.forEach((e, k) => {
    const [i, key] = layout.slots.get(e.name)!;
    put(state[i] ??= {}, key, tensors[k]);
  });
  return { state, paramGroups: layout.paramGroups };
}

function asBytes(fn: string, bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new ArgumentError(`${fn}: expected the bytes of a safetensors file as a Uint8Array, got ${describeValue(bytes, 'object')}`);
}

/**
 * The state dict in the bytes of a safetensors file (as {@link serialize} makes them), in memory, without Node:
 * names → tensors, or an optimizer's `{state, paramGroups}` when the file holds one. The header is checked
 * first: its length, UTF-8 JSON, dtypes (F32, F64, I32, BOOL), shapes, and offsets that must tile the data
 * exactly; with `expected`, the names, dtypes and shapes too. Only then is memory allocated, as much as the
 * data holds. A malformed input is refused with a FormatError that says what is wrong.
 *
 * The type parameter is what the caller expects (a module's state dict unless told, or `expected`'s type).
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const bytes = serialize(model.stateDict());
 * const sd = deserialize(bytes, { expected: model.stateDict() });
 * Object.keys(sd);                    // ["weight", "bias"]
 * sd.weight.toArray();                // equal to model.weight.toArray()
 * ```
 */
export function deserialize<T extends SavedStateDict = StateDict>(bytes: Uint8Array | ArrayBuffer, opts: DeserializeOptions<T> = {}): T {
  const b = asBytes('deserialize', bytes);
  return decode('deserialize', b.length, (pos, into) => into.set(b.subarray(pos, pos + into.length)), opts) as T;
}

/**
 * The checked header of a safetensors file's bytes: its metadata and each tensor's dtype, shape and data
 * offsets, without reading the data.
 *
 * @example
 * ```ts
 * const bytes = serialize({ w: zeros([2, 3]) }, { metadata: { epoch: '7' } });
 * const h = safetensorsHeader(bytes);
 * h.metadata.epoch;                   // "7"
 * h.tensors.w.shape;                  // [2, 3]
 * h.tensors.w.dataOffsets;            // [0, 24]
 * ```
 */
export function safetensorsHeader(bytes: Uint8Array | ArrayBuffer): SafetensorsHeader {
  const b = asBytes('safetensorsHeader', bytes);
  const { header } = readHeader('safetensorsHeader', b.length, (pos, into) => into.set(b.subarray(pos, pos + into.length)));
  const tensors: Record<string, SafetensorsEntry> = {};
  for (const e of header.entries) {
    put(tensors, e.name, { dtype: e.dtype, shape: e.shape, dataOffsets: [e.begin, e.end] });
  }
  return { metadata: header.metadata, tensors };
}

// ------------------------------------------------------------------------------------------------------ files

/**
 * Saves a state dict (a module's `stateDict()` or an optimizer's) to a safetensors file that PyTorch's
 * `safetensors` reads. The write is atomic: the bytes go to a new temporary file in the same directory, which is
 * flushed to disk and then renamed over `path`, so a crash or an error never leaves a half-written file; on an
 * error the temporary file is removed and an existing file at `path` is left as it was. Needs Node.
 *
 * @example
 * ```ts
 * const model = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
 * save(model.stateDict(), '/tmp/tapegrad-example.safetensors');
 * Object.keys(load('/tmp/tapegrad-example.safetensors')); // ["0.weight", "0.bias"]
 * ```
 */
export function save(stateDict: SavedStateDict, path: string, opts: SerializeOptions = {}): void {
  checkNonEmptyString('save', 'path', path);
  const { head, data } = plan('save', stateDict, opts);
  writeFileAtomically('save', path, (function* () {
    yield head;
    for (const t of data) yield tensorBytes(t);
  })(), { otherwise: OTHERWISE });
}

/**
 * Loads a state dict from a safetensors file (written by {@link save}, or by PyTorch's `safetensors` with
 * dtypes F32, F64, I32 and BOOL): names → tensors, or an optimizer's `{state, paramGroups}` when the file holds
 * one. The header is read and checked first (length, JSON, dtypes, shapes, offsets against the file's size, and
 * with `expected` against a model's state dict); each tensor is then read straight into its own memory, so no
 * more than the file's size is allocated. Errors say what is wrong with the file. Needs Node.
 *
 * @example
 * ```ts
 * const a = new nn.Linear(3, 2), b = new nn.Linear(3, 2);
 * save(a.stateDict(), '/tmp/tapegrad-linear.safetensors');
 * b.loadStateDict(load('/tmp/tapegrad-linear.safetensors', { expected: b.stateDict() }));
 * b.weight.toArray();                // equal to a.weight.toArray()
 * ```
 */
export function load<T extends SavedStateDict = StateDict>(path: string, opts: DeserializeOptions<T> = {}): T {
  checkNonEmptyString('load', 'path', path);
  const { fs } = nodeModules('load', OTHERWISE);
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    throw ioError('load', `open '${path}'`, e);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new ArgumentError(`load: '${path}' is not a file (expected the path of a safetensors file)`);
    const read = (pos: number, into: Uint8Array) => {
      for (let got = 0; got < into.length;) {
        const n = fs.readSync(fd, into, got, into.length - got, pos + got);
        if (n === 0) throw new FormatError(`load: '${path}' ended at byte ${pos + got}, before the ${stat.size} bytes it had when opened`);
        got += n;
      }
    };
    return decode('load', stat.size, read, opts) as T;
  } catch (e) {
    throw ioError('load', `read '${path}'`, e);
  } finally {
    fs.closeSync(fd);
  }
}
