// The argument checks shared by the layers above the ops (nn, F and nn.init, optim, io): each error names the op
// (or module, optimizer, function), the argument, what it got and what it expects. Internal: no namespace
// re-exports this module.
import { Tensor } from '../tensor/tensor.js';
import { isFloating } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import { ArgumentError, DTypeError, ValueError } from '../errors.js';
import { didYouMean } from './suggest.js';

const withArticle = (noun: string) => `${/^[aeio]/i.test(noun) ? 'an' : 'a'} ${noun}`;

/**
 * The kind of a value, as a noun: `null`, `undefined`, `an array`, `a Tensor`, `a number`, `a boolean`,
 * `a function`, … and for other objects their class (`a Map`, `a Linear`) or `an object`. Error messages show
 * what they got with {@link describeValue}; this names a kind, e.g. the one a value should have.
 */
export function kindOf(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Tensor) return 'a Tensor';
  if (typeof v !== 'object') return withArticle(typeof v);
  const ctor = (Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof ctor === 'string' && ctor !== '' && ctor !== 'Object' ? withArticle(ctor) : 'an object';
}

/**
 * A value as error messages show what they got: numbers and strings (quoted) as written, arrays listed, anything
 * else by its {@link kindOf} (`null`, `a boolean`, `a Tensor`, `an object`, …). Where a Tensor, an object, a
 * function or bytes belong (`where: 'object'`), an array is called just that (`an array`), not listed.
 */
export function describeValue(v: unknown, where: 'value' | 'object' = 'value'): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v) && where === 'value') return `[${v.map((x) => describeValue(x)).join(',')}]`;
  return kindOf(v);
}

/** Checks that the argument `name` of `op` is a Tensor (without a name: the op's one tensor argument). */
export function checkTensorArg(op: string, v: unknown, name?: string): asserts v is Tensor {
  if (!(v instanceof Tensor)) throw new ArgumentError(`${op}: expected ${name ? `${name} to be a Tensor` : 'a Tensor'}, got ${describeValue(v, 'object')}`);
}

/** An optional tensor argument: a Tensor, or null or undefined (both give null). */
export function optionalTensorArg(op: string, v: unknown, name: string): Tensor | null {
  if (v === undefined || v === null) return null;
  if (!(v instanceof Tensor)) throw new ArgumentError(`${op}: expected ${name} to be a Tensor or null, got ${describeValue(v, 'object')}`);
  return v;
}

/** Checks that the argument `name` (by default the input) is a Tensor of a floating-point dtype. */
export function checkFloatArg(op: string, v: unknown, name = 'input'): asserts v is Tensor {
  checkTensorArg(op, v, name);
  if (!isFloating(v.dtype)) {
    throw new DTypeError(`${op}: expected a floating-point ${name}, got dtype ${v.dtype} (shape ${shapeStr(v.shape)}); cast it first`);
  }
}

/** Whether v is an object made as `{…}` (or by Object.create(null)): not an array, a class instance or a Map. */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Whether v can be an options object: an object other than null, an array or a Tensor. */
export const isOptionsObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tensor);

/**
 * The options object (undefined means none), with option keys outside `allowed` rejected by name. With
 * `plain`, only a plain object ({@link isPlainObject}) is one: a Map or a class instance is refused.
 */
export function checkOptions(op: string, opts: unknown, allowed: readonly string[], { plain = false } = {}): Record<string, unknown> {
  if (opts === undefined) return {};
  if (!(plain ? isPlainObject : isOptionsObject)(opts)) {
    throw new ArgumentError(`${op}: expected an options object, got ${describeValue(opts, 'object')}`);
  }
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) throw new ArgumentError(`${op}: unknown option '${k}' (expected ${allowed.join(', ')})${didYouMean(k, allowed)}`);
  }
  return opts;
}

/**
 * The defaults with the options over them (as {@link checkOptions}: undefined means none, and keys the defaults
 * lack are refused). The defaults are not changed.
 */
export function withDefaults<O extends Record<string, unknown>>(op: string, defaults: O, opts: unknown): O {
  return { ...defaults, ...checkOptions(op, opts, Object.keys(defaults)) };
}

/** A boolean option or argument. */
export function checkBool(op: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ArgumentError(`${op}: ${name} must be a boolean, got ${describeValue(v)}`);
  return v;
}

/** An integer argument ≥ min (by default any integer, e.g. a dim that may count from the end). */
export function checkInt(op: string, name: string, v: unknown, min = Number.NEGATIVE_INFINITY): number {
  if (typeof v !== 'number') throw new ArgumentError(`${op}: ${name} must be an integer, got ${describeValue(v)}`);
  if (!Number.isInteger(v) || v < min) throw new ValueError(`${op}: ${name} must be an integer${min === -Infinity ? '' : ` ≥ ${min}`}, got ${v}`);
  return v;
}

/** A number for which `ok` holds; `expected` says which ones do (`positive`, `between 0 and 1`, ...). */
export function checkNumber(op: string, name: string, v: unknown, ok: (v: number) => boolean, expected: string): number {
  if (typeof v !== 'number') throw new ArgumentError(`${op}: ${name} must be a number, got ${describeValue(v)}`);
  if (!ok(v)) throw new ValueError(`${op}: ${name} must be ${expected}, got ${v}`);
  return v;
}

/** A finite number. */
export function checkFinite(op: string, name: string, v: unknown): number {
  return checkNumber(op, name, v, Number.isFinite, 'finite');
}

/** A finite number ≥ 0 (a tolerance, a threshold, an eps). */
export function checkNonNegative(op: string, name: string, v: unknown): number {
  return checkNumber(op, name, v, (x) => x >= 0 && x < Infinity, 'a finite number ≥ 0');
}

/** A probability p in [0, 1] (dropout's). */
export function checkProbability(op: string, p: unknown): number {
  return checkNumber(op, 'probability p', p, (x) => x >= 0 && x <= 1, 'in [0, 1]');
}

/** The eps of a normalization: a finite number ≥ 0. */
export function checkEps(op: string, eps: unknown): number {
  return checkNonNegative(op, 'eps', eps);
}

const typeOf = (v: unknown) => (v === null ? 'null' : typeof v);

/** Checks that the argument `name` of `op` (a path, a folder) is a non-empty string. */
export function checkNonEmptyString(op: string, name: string, v: unknown): asserts v is string {
  if (typeof v !== 'string') throw new ArgumentError(`${op}: ${name} must be a non-empty string, got ${describeValue(v, 'object')}`);
  if (v === '') throw new ValueError(`${op}: ${name} must be a non-empty string, got ''`);
}

/**
 * One of `choices` (strings, or null, …), as `name must be 'a', 'b' or 'c', got …`: an ArgumentError when v is
 * of a type none of the choices has, a ValueError when it is another value of such a type (with a suggestion
 * when a string choice is close to it).
 */
export function checkChoice<T>(op: string, name: string, v: unknown, choices: readonly T[]): T {
  if (choices.includes(v as T)) return v as T;
  const shown = choices.map((c) => describeValue(c));
  const list = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}` : shown.join('');
  if (!choices.some((c) => typeOf(c) === typeOf(v))) throw new ArgumentError(`${op}: ${name} must be ${list}, got ${describeValue(v)}`);
  const hint = typeof v === 'string' ? didYouMean(v, choices.filter((c): c is T & string => typeof c === 'string')) : '';
  throw new ValueError(`${op}: ${name} must be ${list}, got ${describeValue(v)}${hint}`);
}

/** PyTorch's positional form of a leading option (`HuberLoss(2)`, `Softplus(2, 10)`) as an options object. */
export function leadingOption<T extends object>(v: number | T | undefined, key: string, rest: Record<string, unknown> = {}): T {
  if (typeof v !== 'number') return { ...rest, ...(v ?? {}) } as T;
  return { [key]: v, ...Object.fromEntries(Object.entries(rest).filter(([, x]) => x !== undefined)) } as T;
}
