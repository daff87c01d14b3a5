// The option checks of the losses, with their defaults, shared by F's losses (./loss.ts) and the loss modules
// (../layers/loss.ts). Internal: F does not re-export this module.
import { checkBool, checkNumber, describeValue } from '../../utils/args.js';
import { ArgumentError, ValueError } from '../../errors.js';
import { didYouMean } from '../../utils/suggest.js';
import type { KLDivReduction, Reduction } from './loss.js';

/** The reductions every loss takes. */
export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** klDiv's, with 'batchmean'. */
export const KL_REDUCTIONS: readonly KLDivReduction[] = ['mean', 'batchmean', 'sum', 'none'];

/** A reduction name among those the op accepts (by default REDUCTIONS); undefined is 'mean'. */
export function reduction<R extends string = Reduction>(op: string, v: unknown, allowed = REDUCTIONS as readonly R[]): R {
  const r = v ?? 'mean';
  if (typeof r === 'string' && (allowed as readonly string[]).includes(r)) return r as R;
  const list = allowed.map((a) => `'${a}'`).join(', ');
  if (typeof r !== 'string') throw new ArgumentError(`${op}: reduction must be one of ${list}, got ${describeValue(r)}`);
  throw new ValueError(`${op}: reduction must be one of ${list}, got ${describeValue(r)}${didYouMean(r, allowed)}`);
}

/** Huber's delta: > 0, default 1. */
export function delta(op: string, v: unknown): number {
  return checkNumber(op, 'delta', v ?? 1, (x) => x > 0, 'positive');
}

/** Smooth L1's beta: ≥ 0, default 1. */
export function beta(op: string, v: unknown): number {
  return checkNumber(op, 'beta', v ?? 1, (x) => x >= 0, 'non-negative');
}

/** The class index whose targets are ignored: an integer, default -100. */
export function ignoreIndex(op: string, v: unknown): number {
  return checkNumber(op, 'ignoreIndex', v ?? -100, Number.isInteger, 'an integer');
}

/** Label smoothing ε in [0, 1], default 0. */
export function labelSmoothing(op: string, v: unknown): number {
  return checkNumber(op, 'labelSmoothing', v ?? 0, (x) => x >= 0 && x <= 1, 'between 0 and 1');
}

/** klDiv's logTarget: a boolean, default false. */
export function logTarget(op: string, v: unknown): boolean {
  return checkBool(op, 'logTarget', v ?? false);
}
