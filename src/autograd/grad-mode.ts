import { ArgumentError } from '../errors.js';
import { kindOf } from '../utils/args.js';

let enabled = true;

function checkFn(op: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new ArgumentError(`${op}: expected a function to run, got ${kindOf(fn)}`);
}

/**
 * Whether ops record onto the tape now.
 *
 * @example
 * ```ts
 * isGradEnabled();                  // true
 * noGrad(() => isGradEnabled());    // false
 * ```
 */
export function isGradEnabled(): boolean {
  return enabled;
}

/** @internal Runs fn with recording switched on or off, restoring the previous mode even if fn throws. */
export function withGradMode<T>(mode: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = mode;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/**
 * Runs `fn` without recording ops on the tape (PyTorch's `torch.no_grad()`): results do not require grad.
 *
 * @example
 * ```ts
 * const w = randn([3], { requiresGrad: true });
 * const y = noGrad(() => w.mul(2));
 * y.requiresGrad; // false
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  checkFn('noGrad', fn);
  return withGradMode(false, fn);
}

/**
 * Runs `fn` with recording switched on, even inside {@link noGrad}.
 *
 * @example
 * ```ts
 * const w = randn([3], { requiresGrad: true });
 * const y = noGrad(() => enableGrad(() => w.mul(2)));
 * y.requiresGrad; // true
 * ```
 */
export function enableGrad<T>(fn: () => T): T {
  checkFn('enableGrad', fn);
  return withGradMode(true, fn);
}
