// The argument checks of nn, F and nn.init: each error names the op (or module), the argument, what it got and
// what it expects. Internal: neither nn nor F re-exports this module.
import { Tensor } from '../tensor/tensor.js';
import { isFloating } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';

/** A value as error messages show it: numbers and lists as written, strings quoted, a Tensor as such, else the type. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(describeValue).join(',')}]`;
  if (v instanceof Tensor) return 'a Tensor';
  return typeof v;
}

/** A value that stands where a Tensor or an options object belongs: an array is called just that. */
function describeNonObject(v: unknown): string {
  return Array.isArray(v) ? 'an array' : describeValue(v);
}

/** Checks that the argument `name` of `op` is a Tensor (without a name: the op's one tensor argument). */
export function checkTensorArg(op: string, v: unknown, name?: string): asserts v is Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${op}: expected ${name ? `${name} to be a Tensor` : 'a Tensor'}, got ${describeNonObject(v)}`);
}

/** An optional tensor argument: a Tensor, or null or undefined (both give null). */
export function optionalTensorArg(op: string, v: unknown, name: string): Tensor | null {
  if (v === undefined || v === null) return null;
  if (!(v instanceof Tensor)) throw new TypeError(`${op}: expected ${name} to be a Tensor or null, got ${describeNonObject(v)}`);
  return v;
}

/** Checks that the argument `name` (by default the input) is a Tensor of a floating-point dtype. */
export function checkFloatArg(op: string, v: unknown, name = 'input'): asserts v is Tensor {
  checkTensorArg(op, v, name);
  if (!isFloating(v.dtype)) {
    throw new TypeError(`${op}: expected a floating-point ${name}, got dtype ${v.dtype} (shape ${shapeStr(v.shape)}); cast it first`);
  }
}

/** The options object (undefined means none), with option keys outside `allowed` rejected by name. */
export function checkOptions(op: string, opts: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (opts === undefined) return {};
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts) || opts instanceof Tensor) {
    throw new TypeError(`${op}: expected an options object, got ${describeNonObject(opts)}`);
  }
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) throw new TypeError(`${op}: unknown option '${k}' (expected ${allowed.join(', ')})`);
  }
  return opts as Record<string, unknown>;
}

/** A boolean option or argument. */
export function checkBool(op: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${op}: ${name} must be a boolean, got ${describeValue(v)}`);
  return v;
}

/** An integer argument ≥ min (by default any integer, e.g. a dim that may count from the end). */
export function checkInt(op: string, name: string, v: unknown, min = Number.NEGATIVE_INFINITY): number {
  if (typeof v !== 'number') throw new TypeError(`${op}: ${name} must be an integer, got ${describeValue(v)}`);
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${op}: ${name} must be an integer${min === -Infinity ? '' : ` ≥ ${min}`}, got ${v}`);
  return v;
}

/** A number for which `ok` holds; `expected` says which ones do (`positive`, `between 0 and 1`, ...). */
export function checkNumber(op: string, name: string, v: unknown, ok: (v: number) => boolean, expected: string): number {
  if (typeof v !== 'number') throw new TypeError(`${op}: ${name} must be a number, got ${describeValue(v)}`);
  if (!ok(v)) throw new RangeError(`${op}: ${name} must be ${expected}, got ${v}`);
  return v;
}

/** A finite number. */
export function checkFinite(op: string, name: string, v: unknown): number {
  return checkNumber(op, name, v, Number.isFinite, 'finite');
}

/** A probability p in [0, 1] (dropout's). */
export function checkProbability(op: string, p: unknown): number {
  return checkNumber(op, 'probability p', p, (x) => x >= 0 && x <= 1, 'in [0, 1]');
}

/** The eps of a normalization: a finite number ≥ 0. */
export function checkEps(op: string, eps: unknown): number {
  return checkNumber(op, 'eps', eps, (x) => x >= 0 && x < Infinity, 'a finite number ≥ 0');
}

/** PyTorch's positional form of a leading option (`HuberLoss(2)`, `Softplus(2, 10)`) as an options object. */
export function leadingOption<T extends object>(v: number | T | undefined, key: string, rest: Record<string, unknown> = {}): T {
  if (typeof v !== 'number') return { ...rest, ...(v ?? {}) } as T;
  return { [key]: v, ...Object.fromEntries(Object.entries(rest).filter(([, x]) => x !== undefined)) } as T;
}
