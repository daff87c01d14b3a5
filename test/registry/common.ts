// Shared pieces of the op registry: the record types, the seeded sample builders, and the helpers the sweeps
// use to find, replace and combine the tensors among a sample's arguments. See test/registry.ts.
import { describe } from 'vitest';
import { Tensor, tensor, zeros, createGenerator, cast, cat, mul, flatten, createWasmBackend, referenceBackend, withBackend, ArgumentError, type Backend, type DType } from '../../src/index.js';
import type { GradcheckOptions } from '../../src/testing/index.js';
import type * as ref from '../reference.js';


/** Finite-difference options for one sample (defaults are gradcheck's: eps 1e-6, atol 1e-5, rtol 1e-3). */
export interface GradOpts {
  eps?: number;
  atol?: number;
  rtol?: number;
}

/** One sample input: the op's positional arguments (Tensors at the top level or inside an array, as for cat). */
export interface Sample {
  args: unknown[];
  /** What the sample covers, shown in the test name next to the argument summary. */
  note?: string;
  /** Run gradcheck on it (default: the record is differentiable and a float64 input requires grad). */
  grad?: boolean;
  /** Run gradgradcheck on it (default: `grad` and the record is twice differentiable). */
  gradgrad?: boolean;
  gradOpts?: GradOpts;
  /** The forward sweep also runs a float32 copy of the float64 inputs (default true). */
  float32?: boolean;
  /** Wraps every call of the op on this sample (for a fixed seed, as dropout needs: `(f) => forkRng(f, 5)`). */
  around?: <T>(call: () => T) => T;
  /** Tolerance of the float32 forward comparison (default rtol 1e-5, atol 1e-5). */
  float32Tol?: { rtol: number; atol: number };
}

/** An input that must throw: `args` for the record's `fn`, or a `call` for failures outside it. */
export interface ErrorCase {
  note: string;
  args?: unknown[];
  call?: () => unknown;
  throws: RegExp;
  /**
   * The error class: one of tapegrad's typed errors (ShapeError, IndexError, ValueError, DTypeError,
   * ArgumentError, FormatError, AutogradError), or a built-in class for records not converted yet.
   */
  type?: new (message: string) => Error;
}

export interface OpRecord {
  /** The public name (the export of src/index.ts). */
  name: string;
  /** Other exports that are the same op (e.g. variance, var_ for var). */
  aliases?: string[];
  /** Applies the op (the public free function). Returns an array for ops with several outputs. */
  fn: (...args: any[]) => Tensor | Tensor[];
  /** The Tensor method that must agree with `fn` (called as args[0].method(...rest)), if there is one. */
  method?: string;
  samples: () => Sample[];
  differentiable: boolean;
  /** Second derivatives are checked (piecewise-linear ops count: away from kinks their second derivative is 0). */
  twiceDifferentiable: boolean;
  /** Plain-loop reference over the same arguments with Tensors replaced by `ref.Arr`s. */
  reference: (...args: any[]) => ref.Arr | ref.Arr[];
  errors: () => ErrorCase[];
  /** Why the record has no 0-d sample (the op rejects 0-d input; one of its error cases shows it). */
  noScalarSample?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Sample builders. Each record draws from its own generator seeded with its name, so samples are fixed and do
// not depend on test order.

export interface TOpts {
  /** requiresGrad (default true for float dtypes). */
  rg?: boolean;
  dtype?: DType;
  /** Build with the last two dims transposed in storage (a non-contiguous input). */
  transposed?: boolean;
}

export function nest(values: readonly number[], shape: readonly number[]): any {
  if (shape.length === 0) return values[0];
  const step = values.length / shape[0];
  return Array.from({ length: shape[0] }, (_, i) => nest(values.slice(i * step, (i + 1) * step), shape.slice(1)));
}

export function build(shape: readonly number[], values: (i: number) => number, o: TOpts = {}): Tensor {
  const dtype = o.dtype ?? 'float64';
  const rg = (o.rg ?? true) && (dtype === 'float64' || dtype === 'float32');
  const n = shape.reduce((a, b) => a * b, 1);
  if (o.transposed && shape.length >= 2) {
    const k = shape.length;
    const swapped = [...shape.slice(0, k - 2), shape[k - 1], shape[k - 2]];
    const base = build(swapped, values, { dtype, rg: false });
    const t = base.transpose(-1, -2);
    return rg ? t.requiresGrad_() : t;
  }
  const vals = Array.from({ length: n }, (_, i) => values(i));
  if (n === 0) return zeros(shape, { dtype, requiresGrad: rg });
  return tensor(nest(vals, shape), { dtype, requiresGrad: rg });
}

export function gen(seed: string) {
  const g = createGenerator(`registry:${seed}`);
  const u = () => g.next();
  const normal = () => {
    let a = u();
    while (a <= 0) a = u();
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
  };
  return {
    /** Standard normal float64 values (requiresGrad unless o.rg is false). */
    randn: (shape: number[], o?: TOpts) => build(shape, normal, o),
    /** Uniform in [lo, hi). */
    uniform: (shape: number[], lo: number, hi: number, o?: TOpts) => build(shape, () => lo + (hi - lo) * u(), o),
    /** |x| uniform in [lo, hi) with a random sign: away from 0 (the kink of abs, relu, sign). */
    away: (shape: number[], lo = 0.25, hi = 1.5, o?: TOpts) => build(shape, () => (u() < 0.5 ? -1 : 1) * (lo + (hi - lo) * u()), o),
    /** int32 values in [lo, hi). */
    ints: (shape: number[], lo: number, hi: number) => build(shape, () => lo + Math.floor((hi - lo) * u()), { dtype: 'int32' }),
    bools: (shape: number[]) => build(shape, () => +(u() < 0.5), { dtype: 'bool' }),
  };
}

/** float64 tensor from nested data (requiresGrad unless rg is false). */
export const f64 = (data: any, rg = true) => tensor(data, { dtype: 'float64', requiresGrad: rg });
export const f32 = (data: any) => tensor(data, { dtype: 'float32' });
export const i32 = (data: any) => tensor(data, { dtype: 'int32' });
export const bool = (data: any) => tensor(data, { dtype: 'bool' });

export const NAN = Number.NaN;
export const INF = Number.POSITIVE_INFINITY;

// ---------------------------------------------------------------------------------------------------------
// Families

export function notTensor(name: string, args: (bad: unknown) => unknown[]): ErrorCase[] {
  return [
    { note: 'a string instead of a tensor', args: args('x'), throws: new RegExp(`${name}: expected .*Tensor`), type: ArgumentError },
    { note: 'null instead of a tensor', args: args(null), throws: new RegExp(`${name}: expected .*Tensor.*null`), type: ArgumentError },
  ];
}


// ---------------------------------------------------------------------------------------------------------
// Helpers the sweeps share

/** A plain options object (not a Tensor, array, Module or generator) whose values may hold tensors. */
function isPlainObject(a: unknown): a is Record<string, unknown> {
  return typeof a === 'object' && a !== null && Object.getPrototypeOf(a) === Object.prototype;
}

/**
 * The tensors among a sample's arguments (top level, inside arrays as for cat, and among the values of an
 * options object as for batchNorm's weight), and a way to put others back in their places.
 */
export function tensorSlots(args: readonly unknown[]): { tensors: Tensor[]; rebuild: (ts: readonly Tensor[]) => unknown[] } {
  const tensors: Tensor[] = [];
  const slot = (v: unknown): unknown => (v instanceof Tensor ? tensors.push(v) - 1 : { value: v });
  const plan = args.map((a) => {
    if (Array.isArray(a) && a.some((v) => v instanceof Tensor)) return a.map(slot);
    if (isPlainObject(a) && Object.values(a).some((v) => v instanceof Tensor)) return { object: Object.entries(a).map(([k, v]) => [k, slot(v)] as const) };
    return slot(a);
  });
  const put = (ts: readonly Tensor[], q: unknown): unknown => (typeof q === 'number' ? ts[q] : (q as { value: unknown }).value);
  const rebuild = (ts: readonly Tensor[]) => plan.map((p) => {
    if (Array.isArray(p)) return p.map((q) => put(ts, q));
    if (typeof p === 'object' && p !== null && 'object' in p) return Object.fromEntries((p.object as [string, unknown][]).map(([k, q]) => [k, put(ts, q)]));
    return put(ts, p);
  });
  return { tensors, rebuild };
}

/** Maps every Tensor among the arguments (the places tensorSlots finds). */
export function mapTensors(args: readonly unknown[], f: (t: Tensor) => unknown): unknown[] {
  const { tensors, rebuild } = tensorSlots(args);
  return rebuild(tensors.map(f) as Tensor[]);
}

/** A short description of one argument: a tensor as `f64[2,3]` (ᵀ when non-contiguous), arrays and options by their parts. */
export function describeArg(a: unknown): string {
  if (a instanceof Tensor) return `${a.dtype.replace('float', 'f').replace('int', 'i')}[${a.shape.join(',')}]${a.isContiguous() ? '' : 'ᵀ'}`;
  if (Array.isArray(a)) return `[${a.map(describeArg).join(', ')}]`;
  if (a === undefined) return '_';
  if (isPlainObject(a)) return `{${Object.entries(a).map(([k, v]) => `${k}: ${describeArg(v)}`).join(', ')}}`;
  if (typeof a === 'object' && a !== null) return a.constructor?.name ?? 'object';
  return String(a);
}

/** A short title for a sample: its note and its arguments. */
export function sampleTitle(s: Sample, i: number): string {
  return `#${i} ${s.note ?? ''} (${s.args.map(describeArg).join(', ')})`;
}

/**
 * One float64 tensor from an op's output(s), for the gradient checks: float32 outputs are cast up, and several
 * outputs (split, chunk, broadcastTensors) are flattened, scaled by distinct constants (1, 2, …) and joined, so
 * a gradient routed to the wrong piece shows.
 */
export function combine(out: Tensor | Tensor[]): Tensor {
  const to64 = (t: Tensor) => (t.dtype === 'float64' ? t : cast(t, 'float64'));
  if (!Array.isArray(out)) return to64(out);
  return cat(out.map((p, k) => mul(flatten(to64(p)), k + 1)), 0);
}

/**
 * How an op's output differs from the reference's (shape, dtype, first differing value), or null. NaN matches
 * NaN; integer, bool and infinite values must be equal, finite floats within `atol + rtol·|expected|`.
 */
export function valueDifference(t: Tensor, e: ref.Arr, tol: { rtol: number; atol: number }): string | null {
  if (t.shape.length !== e.shape.length || t.shape.some((d, i) => d !== e.shape[i])) return `shape [${t.shape}], expected [${e.shape}]`;
  if (t.dtype !== e.dtype) return `dtype ${t.dtype}, expected ${e.dtype}`;
  const got = Array.from(t.toTypedArray(), Number);
  const exact = e.dtype === 'int32' || e.dtype === 'bool';
  for (let i = 0; i < got.length; i++) {
    const x = got[i], y = e.data[i];
    const ok = Number.isNaN(y) ? Number.isNaN(x) : exact || !Number.isFinite(y) ? x === y : Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y);
    if (!ok) return `element ${i} is ${x}, expected ${y}`;
  }
  return null;
}

/** Calls the record's op on arguments of a sample (through the sample's `around`, if it has one). */
export function callSample(rec: OpRecord, s: Sample, args: readonly unknown[] = s.args): Tensor | Tensor[] {
  return s.around ? s.around(() => rec.fn(...args)) : rec.fn(...args);
}

/** The function of a sample's tensors that gradcheck and gradgradcheck differentiate, and those tensors. */
export function gradCase(rec: OpRecord, s: Sample): { fn: (...ts: Tensor[]) => Tensor; inputs: Tensor[]; opts: GradcheckOptions } {
  const { tensors, rebuild } = tensorSlots(s.args);
  return { fn: (...ts: Tensor[]) => combine(callSample(rec, s, rebuild(ts))), inputs: tensors, opts: { ...s.gradOpts } };
}

/** Whether a sample takes part in gradcheck for its record. */
export function wantsGrad(rec: OpRecord, s: Sample): boolean {
  if (!rec.differentiable || s.grad === false) return false;
  return tensorSlots(s.args).tensors.some((t) => t.requiresGrad && t.dtype === 'float64');
}

/** Whether a sample takes part in gradgradcheck for its record. */
export function wantsGradGrad(rec: OpRecord, s: Sample): boolean {
  return rec.twiceDifferentiable && wantsGrad(rec, s) && s.gradgrad !== false;
}

const forcedWasm = createWasmBackend({ minElements: 0 });

/**
 * The backends every sweep runs on: the reference, and the wasm backend with every fast path forced (no size
 * threshold), so the registry's small samples reach the wasm kernels too. test/backend/backend.test.ts fails
 * when the wasm backend does not load, so its sweeps never vanish quietly.
 */
export const sweepBackends: (readonly [string, Backend])[] = [['reference', referenceBackend], ...(forcedWasm ? [['wasm', forcedWasm] as const] : [])];

/** Declares `body`'s tests once per sweep backend; `run` runs a test's code on that backend. */
export function onBackends(body: (run: <T>(f: () => T) => T) => void): void {
  describe.each(sweepBackends)('%s backend', (_name, backend) => body((f) => withBackend(backend, f)));
}
