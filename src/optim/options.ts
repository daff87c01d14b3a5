// What the first-order optimizers (SGD, Adam/AdamW, RMSprop, Adagrad) share: checking their options as PyTorch
// does, naming the optimizer, and the gradient each update starts from (maximize, then L2 weight decay).
// Internal: not exported from the package.
import type { Tensor } from '../tensor/tensor.js';
import { zerosLike } from '../tensor/creation.js';
import type { ParamState } from './optimizer.js';

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/** The defaults with the constructor's options over them; refuses a non-object and keys the optimizer lacks. */
export function withDefaults<O extends Record<string, unknown>>(name: string, defaults: O, opts: unknown): O {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new TypeError(`${name}: options must be an object, got ${kindOf(opts)}`);
  }
  const keys = Object.keys(defaults);
  for (const k of Object.keys(opts)) {
    if (!keys.includes(k)) throw new TypeError(`${name}: unknown option '${k}' (expected ${keys.join(', ')})`);
  }
  return { ...defaults, ...opts };
}

/**
 * Refuses an option that is not a number, or (with `min`) one below `min`, or (with `below`) one not below
 * `below`: a TypeError for the type, a RangeError for the value. NaN is never in range.
 */
export function checkNumber(name: string, key: string, v: unknown, range: { min?: number; below?: number } = {}): void {
  if (typeof v !== 'number') throw new TypeError(`${name}: ${key} must be a number, got ${kindOf(v)}`);
  const { min, below } = range;
  if (Number.isNaN(v)) throw new RangeError(`${name}: ${key} must be a number, got NaN`);
  if ((min !== undefined && !(v >= min)) || (below !== undefined && !(v < below))) {
    const want = below === undefined ? `>= ${min}` : `in [${min ?? '-Infinity'}, ${below})`;
    throw new RangeError(`${name}: ${key} must be ${want}, got ${v}`);
  }
}

/** Refuses an option that is not a boolean. */
export function checkFlag(name: string, key: string, v: unknown): void {
  if (typeof v !== 'boolean') throw new TypeError(`${name}: ${key} must be a boolean, got ${kindOf(v)}`);
}

/** How an option is checked: a number >= 0 (PyTorch's `0.0 <= x`), any number, or a boolean. */
export type Rule = 'nonNegative' | 'number' | 'flag';

/** Checks a group's options by their rules, in order, naming the optimizer. */
export function checkRules<O>(name: string, g: O, rules: { [K in keyof O]?: Rule }): void {
  for (const [key, rule] of Object.entries(rules) as [keyof O & string, Rule][]) {
    if (rule === 'flag') checkFlag(name, key, g[key]);
    else checkNumber(name, key, g[key], rule === 'nonNegative' ? { min: 0 } : {});
  }
}

/**
 * The gradient an update uses, as PyTorch's optimizers compute it: negated when maximizing, then with the L2
 * penalty's gradient λ·θ added when weightDecay λ ≠ 0. A new tensor whenever it differs from `grad`.
 */
export function decayedGrad(p: Tensor, grad: Tensor, maximize: boolean, weightDecay: number): Tensor {
  const g = maximize ? grad.neg() : grad;
  return weightDecay !== 0 ? g.add(p.mul(weightDecay)) : g;
}

/** The state tensor `key` of parameter `p`, created as zeros of p's shape and dtype when missing. */
export function buffer(state: ParamState, key: string, p: Tensor): Tensor {
  if (state[key] === undefined) state[key] = zerosLike(p);
  return state[key] as Tensor;
}

/** Increments and returns the parameter's step count (PyTorch's `state['step']`). */
export function nextStep(state: ParamState): number {
  state.step = ((state.step as number | undefined) ?? 0) + 1;
  return state.step;
}
