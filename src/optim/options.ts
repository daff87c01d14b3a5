// What the first-order optimizers (SGD, Adam/AdamW, RMSprop, Adagrad) share: checking their options as PyTorch
// does (with the checks of utils/args), naming the optimizer, and the gradient each update starts from
// (maximize, then L2 weight decay).
// Internal: not exported from the package.
import type { Tensor } from '../tensor/tensor.js';
import { zerosLike } from '../tensor/creation.js';
import { checkBool, checkNumber } from '../utils/args.js';
import type { ParamState } from './optimizer.js';

/** An option PyTorch checks as `0.0 <= x`: a number ≥ 0 (Infinity allowed, NaN not). */
export function checkAtLeastZero(name: string, key: string, v: unknown): number {
  return checkNumber(name, key, v, (x) => x >= 0, '≥ 0');
}

/** How an option is checked: a number ≥ 0 (PyTorch's `0.0 <= x`), any number but NaN, or a boolean. */
export type Rule = 'nonNegative' | 'number' | 'flag';

/** Checks a group's options by their rules, in order, naming the optimizer. */
export function checkRules<O>(name: string, g: O, rules: { [K in keyof O]?: Rule }): void {
  for (const [key, rule] of Object.entries(rules) as [keyof O & string, Rule][]) {
    if (rule === 'flag') checkBool(name, key, g[key]);
    else if (rule === 'nonNegative') checkAtLeastZero(name, key, g[key]);
    else checkNumber(name, key, g[key], (x) => !Number.isNaN(x), 'a number');
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
