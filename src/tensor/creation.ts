import { allocate, checkDtype, coerce, getDefaultDtype, isFloating, type DType, type TypedArray } from './dtype.js';
import { checkNumel, checkShape, MAX_NUMEL, numel } from './shape.js';
import { Storage, Tensor } from './tensor.js';
import { checkGenerator, defaultGenerator, normalSample, type Generator } from './random.js';
import { ArgumentError, DTypeError, ShapeError, ValueError } from '../errors.js';
import { checkBool, checkNumber, checkTensorArg, describeValue, isOptionsObject } from '../utils/args.js';
import { didYouMean } from '../utils/suggest.js';

/** Options every creation function takes. */
export interface TensorOptions {
  /** Element type; defaults depend on the function (the default float dtype for most). */
  dtype?: DType;
  /** Record ops on this tensor for autograd (float dtypes only). */
  requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomOptions extends TensorOptions {
  /** Draw from this generator instead of the global one seeded by `manualSeed`. */
  generator?: Generator;
}

/** Nested arrays of numbers or booleans, any depth. */
export type NestedArray = number | boolean | readonly NestedArray[];

const OPTION_KEYS = ['dtype', 'requiresGrad', 'generator'];

function checkOptions(op: string, opts: object | undefined): void {
  if (opts === undefined) return;
  if (!isOptionsObject(opts)) throw new ArgumentError(`${op}: options must be an object, got ${describeValue(opts, 'object')}`);
  for (const k of Object.keys(opts)) {
    if (!OPTION_KEYS.includes(k)) throw new ArgumentError(`${op}: unknown option '${k}'; expected one of ${OPTION_KEYS.join(', ')}${didYouMean(k, OPTION_KEYS)}`);
  }
  if (opts.dtype !== undefined) checkDtype(opts.dtype, op);
  if (opts.requiresGrad !== undefined) checkBool(op, 'requiresGrad', opts.requiresGrad);
  if (opts.generator !== undefined) checkGenerator(op, opts.generator);
}

/** A number argument (a bound): a JS number, else an ArgumentError naming it. */
const checkNumberArg = (op: string, name: string, v: unknown): number => checkNumber(op, name, v, () => true, 'a number');

/** A size argument (a count of elements or rows): a non-negative integer. */
const checkSize = (op: string, name: string, v: unknown): number =>
  checkNumber(op, name, v, (x) => Number.isInteger(x) && x >= 0, 'a non-negative integer');

/** @internal Wraps a typed array (owned from now on) as a tensor of `shape`. */
export function fromData(data: TypedArray, shape: readonly number[], dtype: DType, requiresGrad = false): Tensor {
  const t = new Tensor(new Storage(data), shape, dtype);
  if (requiresGrad) t.requiresGrad = true;
  return t;
}

function dtypeOfTypedArray(a: TypedArray): DType {
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Float32Array) return 'float32';
  return 'int32';
}

/** The new tensor, made to require grad when `opts` (checked by the caller) asks. */
function finish(op: string, t: Tensor, opts?: TensorOptions): Tensor {
  if (opts?.requiresGrad) {
    if (!isFloating(t.dtype)) throw new DTypeError(`${op}: only floating-point tensors can require gradients, got dtype ${t.dtype}`);
    t.requiresGrad = true;
  }
  return t;
}

/**
 * Creates a tensor from a number, a boolean, nested arrays, or a typed array (the data is copied).
 *
 * JavaScript has one number type, so numbers give the default float dtype (float32 unless changed with
 * `setDefaultDtype`); pass `{ dtype: 'int32' }` for integers. Booleans give `bool`. A typed array keeps its
 * element type (Float32Array → float32, Float64Array → float64, Int32Array and Uint8Array → int32).
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);          // float32, shape [2, 3]
 * const i = tensor([0, 2], { dtype: 'int32' });
 * const w = tensor([0.5, -1], { requiresGrad: true });
 * ```
 */
export function tensor(data: NestedArray | TypedArray, opts: TensorOptions = {}): Tensor {
  checkOptions('tensor', opts);
  if (ArrayBuffer.isView(data)) {
    if (data instanceof DataView) throw new ArgumentError('tensor: expected numbers, booleans, nested arrays or a typed array, got a DataView');
    const ta = data as TypedArray;
    const dtype = opts.dtype ?? dtypeOfTypedArray(ta);
    const out = allocate(dtype, ta.length);
    for (let i = 0; i < ta.length; i++) out[i] = coerce(dtype, ta[i]);
    return finish('tensor', fromData(out, [ta.length], dtype), opts);
  }
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const flat: (number | boolean)[] = [];
  let sawBool = false, sawNumber = false;
  const walk = (v: NestedArray, d: number, path: number[]): void => {
    if (d === shape.length) {
      if (typeof v === 'boolean') sawBool = true;
      else if (typeof v === 'number') sawNumber = true;
      else throw new ArgumentError(`tensor: expected numbers or booleans, found ${Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v} at [${path.join('][')}]`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[d]) {
      throw new ShapeError(`tensor: expected a rectangular nested array of shape [${shape.join(', ')}], but the entry at [${path.join('][')}] is ${Array.isArray(v) ? `an array of length ${v.length}` : describeValue(v, 'object')}`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], d + 1, [...path, i]);
  };
  walk(data, 0, []);
  checkNumel('tensor', shape);
  const dtype = opts.dtype ?? (sawBool && !sawNumber ? 'bool' : getDefaultDtype());
  const out = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) out[i] = coerce(dtype, flat[i]);
  return finish('tensor', fromData(out, shape, dtype), opts);
}

/**
 * A tensor of `shape` filled with `value`.
 *
 * @example
 * ```ts
 * full([2, 2], 7).toArray(); // [[7, 7], [7, 7]]
 * ```
 */
export function full(shape: readonly number[], value: number | boolean, opts: TensorOptions = {}): Tensor {
  return filled('full', shape, value, opts);
}

/** full, with errors naming `op` (zeros, ones, zerosLike, …). */
function filled(op: string, shape: readonly number[], value: number | boolean, opts: TensorOptions): Tensor {
  const s = checkShape(op, shape);
  checkOptions(op, opts);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ArgumentError(`${op}: value must be a number or a boolean, got ${describeValue(value, 'object')}`);
  const dtype = opts.dtype !== undefined ? checkDtype(opts.dtype, op) : typeof value === 'boolean' ? 'bool' : getDefaultDtype();
  const data = allocate(dtype, numel(s));
  const v = coerce(dtype, value);
  if (v !== 0) data.fill(v);
  return finish(op, fromData(data, s, dtype), opts);
}

/**
 * A tensor of zeros.
 *
 * @example
 * ```ts
 * zeros([2, 3]).shape; // [2, 3]
 * ```
 */
export function zeros(shape: readonly number[], opts: TensorOptions = {}): Tensor {
  return filled('zeros', shape, 0, opts);
}

/**
 * A tensor of ones.
 *
 * @example
 * ```ts
 * ones([3], { dtype: 'int32' }).toArray(); // [1, 1, 1]
 * ```
 */
export function ones(shape: readonly number[], opts: TensorOptions = {}): Tensor {
  return filled('ones', shape, 1, opts);
}

/**
 * Zeros with the shape (and, unless given, the dtype) of `like`.
 *
 * @example
 * ```ts
 * zerosLike(randn([2, 2])).toArray(); // [[0, 0], [0, 0]]
 * ```
 */
export function zerosLike(like: Tensor, opts: TensorOptions = {}): Tensor {
  checkTensorArg('zerosLike', like);
  checkOptions('zerosLike', opts);
  return filled('zerosLike', like.shape, 0, { dtype: like.dtype, ...opts });
}

/**
 * Ones with the shape (and, unless given, the dtype) of `like`.
 *
 * @example
 * ```ts
 * onesLike(zeros([2])).toArray(); // [1, 1]
 * ```
 */
export function onesLike(like: Tensor, opts: TensorOptions = {}): Tensor {
  checkTensorArg('onesLike', like);
  checkOptions('onesLike', opts);
  return filled('onesLike', like.shape, 1, { dtype: like.dtype, ...opts });
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) in steps of `step`; `arange(n)` counts 0..n-1.
 * All-integer arguments give int32 (PyTorch gives int64), otherwise the default float dtype.
 *
 * @example
 * ```ts
 * arange(4).toArray();          // [0, 1, 2, 3]
 * arange(0, 1, 0.25).toArray(); // [0, 0.25, 0.5, 0.75]
 * ```
 */
export function arange(start: number, end?: number, step = 1, opts: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  for (const [name, v] of [['start', start], ['end', end], ['step', step]] as const) {
    checkNumber('arange', name, v, Number.isFinite, 'a finite number');
  }
  checkOptions('arange', opts);
  if (step === 0) throw new ValueError('arange: step must be nonzero, got 0');
  if ((end - start) / step < 0) throw new ValueError(`arange: the range from ${start} to ${end} does not go in the direction of step ${step}`);
  const n = Math.ceil((end - start) / step);
  if (n > MAX_NUMEL) throw new ValueError(`arange: the range from ${start} to ${end} in steps of ${step} has ${n} elements, more than the 2^32 a tensor can hold`);
  const dtype = opts.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : getDefaultDtype());
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = coerce(dtype, start + i * step);
  return finish('arange', fromData(data, [n], dtype), opts);
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included (computed symmetrically from both ends, as
 * PyTorch does).
 *
 * @example
 * ```ts
 * linspace(0, 1, 5).toArray(); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  checkNumberArg('linspace', 'start', start);
  checkNumberArg('linspace', 'end', end);
  checkSize('linspace', 'steps', steps);
  if (steps > MAX_NUMEL) throw new ValueError(`linspace: steps must be at most 2^32 (the most elements a tensor can hold), got ${steps}`);
  checkOptions('linspace', opts);
  const dtype = opts.dtype ?? getDefaultDtype();
  const data = allocate(dtype, steps);
  // As PyTorch: arithmetic in the output's precision (float32 for float32), and one step gives [start].
  const f = dtype === 'float32' ? Math.fround : (v: number) => v;
  const a = f(start), b = f(end);
  const step = steps > 1 ? f(f(b - a) / (steps - 1)) : 0;
  const half = steps === 1 ? 1 : Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) data[i] = coerce(dtype, i < half ? f(a + f(step * i)) : f(b - f(step * (steps - i - 1))));
  return finish('linspace', fromData(data, [steps], dtype), opts);
}

/**
 * The identity matrix of `n` rows and `m` (default `n`) columns.
 *
 * @example
 * ```ts
 * eye(2).toArray(); // [[1, 0], [0, 1]]
 * ```
 */
export function eye(n: number, m: number = n, opts: TensorOptions = {}): Tensor {
  checkSize('eye', 'n', n);
  checkSize('eye', 'm', m);
  checkOptions('eye', opts);
  const t = filled('eye', [n, m], 0, { dtype: opts.dtype });
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return finish('eye', t, opts);
}

function random(op: string, shape: readonly number[], opts: RandomOptions, draw: (g: Generator) => number): Tensor {
  const s = checkShape(op, shape);
  checkOptions(op, opts);
  const dtype = opts.dtype !== undefined ? checkDtype(opts.dtype, op) : getDefaultDtype();
  const g = opts.generator ?? defaultGenerator();
  const data = allocate(dtype, numel(s));
  for (let i = 0; i < data.length; i++) data[i] = draw(g);
  return finish(op, fromData(data, s, dtype), opts);
}

/**
 * Uniform samples in [0, 1) from the seeded generator.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const u = rand([2, 3]);
 * ```
 */
export function rand(shape: readonly number[], opts: RandomOptions = {}): Tensor {
  checkOptions('rand', opts);
  if (opts.dtype !== undefined && !isFloating(opts.dtype)) throw new DTypeError(`rand: expected a float dtype (float32 or float64), got ${opts.dtype}`);
  // A draw just below 1 can round up to 1 in float32; keep the range [0, 1) as PyTorch does.
  const top = (opts.dtype ?? getDefaultDtype()) === 'float32' ? 1 - 2 ** -24 : 1;
  return random('rand', shape, opts, (g) => Math.min(g.next(), top));
}

/**
 * Standard normal samples from the seeded generator.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const z = randn([1000]); // mean ≈ 0, std ≈ 1
 * ```
 */
export function randn(shape: readonly number[], opts: RandomOptions = {}): Tensor {
  checkOptions('randn', opts);
  if (opts.dtype !== undefined && !isFloating(opts.dtype)) throw new DTypeError(`randn: expected a float dtype (float32 or float64), got ${opts.dtype}`);
  return random('randn', shape, opts, normalSample);
}

/**
 * Integers drawn uniformly from [low, high), int32 unless a dtype is given.
 *
 * @example
 * ```ts
 * randint(0, 10, [5]).toArray(); // five integers in 0..9
 * ```
 */
export function randint(low: number, high: number, shape: readonly number[], opts: RandomOptions = {}): Tensor {
  checkNumberArg('randint', 'low', low);
  checkNumberArg('randint', 'high', high);
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError(`randint: expected integers low < high, got low=${low}, high=${high}`);
  }
  return random('randint', shape, { dtype: 'int32', ...opts }, (g) => low + Math.floor(g.next() * (high - low)));
}
