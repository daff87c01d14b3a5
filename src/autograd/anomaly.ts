// Anomaly detection (PyTorch's torch.autograd.detect_anomaly, plus a forward check). While the mode is on:
// - every recorded node keeps the traceback of where it was created (tape.ts), shown, cut to the user's own
//   frames, in the errors about that node (anomalies, a freed graph, a saved tensor modified in place);
// - with checkNan (the default), every op that records a node checks its output: NaN or ±Inf made from finite
//   inputs throws at that op (record() in tape.ts); and every VJP's gradients are checked the same way
//   against the incoming gradient (engine.ts).
// Off, the cost is one property read per recorded op and per backward: the checks run only while it is on.
import { AutogradError, ArgumentError } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import { checkBool, checkOptions, describeValue } from '../utils/args.js';
import type { Tensor } from '../tensor/tensor.js';
import { savedOf, type Node } from './node.js';

/**
 * @internal The mode, read by the tape and the engine. `on`: capture creation tracebacks; `checkNan`: check
 * values; `quiet`: > 0 while the engine runs VJPs, whose own ops are judged by the backward check instead.
 */
export const anomaly = { on: false, checkNan: true, quiet: 0 };

/** Options of {@link detectAnomaly} and {@link setDetectAnomaly}. */
export interface AnomalyOptions {
  /**
   * Check forward outputs and backward gradients for NaN and ±Inf (default true). With false, the mode only
   * records where each op was created, for the errors backward throws (as PyTorch's `check_nan=False`).
   */
  checkNan?: boolean;
}

/**
 * What {@link detectAnomaly} throws: an op made NaN or ±Inf from finite values. `op` is `'detectAnomaly'` (the
 * message's prefix); `culprit` names the op to blame, `phase` says whether its forward or its backward did it,
 * and `createdAt` holds the user's stack frames where that op was called ('' when they were not recorded).
 *
 * @example
 * ```ts
 * import { detectAnomaly, tensor, AnomalyError } from 'tapegrad';
 * const x = tensor([1, 0], { requiresGrad: true });
 * try {
 *   detectAnomaly(() => x.log());
 * } catch (e) {
 *   console.log(e instanceof AnomalyError, (e as AnomalyError).culprit, (e as AnomalyError).phase); // true 'log' 'forward'
 * }
 * ```
 */
export class AnomalyError extends AutogradError {
  constructor(
    message: string,
    /** The op that produced the non-finite values (a primitive's name or a custom op's name). */
    readonly culprit: string,
    /** Whether the op's forward (its output) or its backward (a gradient) produced them. */
    readonly phase: 'forward' | 'backward',
    /** The user's frames of the traceback of where the op was created, one per line ('' if not recorded). */
    readonly createdAt: string,
  ) {
    super(message);
    Object.defineProperty(this, 'name', { value: 'AnomalyError', configurable: true, writable: true });
  }
}

/** The checkNan option of detectAnomaly and setDetectAnomaly (default true). */
function checkNanOption(op: string, opts: unknown): boolean {
  const { checkNan } = checkOptions(op, opts, ['checkNan']);
  return checkNan === undefined ? true : checkBool(op, 'checkNan', checkNan);
}

/**
 * Whether anomaly detection is on (by {@link detectAnomaly} or {@link setDetectAnomaly}).
 *
 * @example
 * ```ts
 * import { detectAnomaly, isAnomalyEnabled } from 'tapegrad';
 * isAnomalyEnabled();                          // false
 * detectAnomaly(() => isAnomalyEnabled());     // true
 * ```
 */
export function isAnomalyEnabled(): boolean {
  return anomaly.on;
}

/**
 * Switches anomaly detection on or off for everything that follows (PyTorch's `set_detect_anomaly`), and
 * returns whether it was on before, so that the caller can restore it. Prefer {@link detectAnomaly}, which
 * restores the mode by itself, even when its function throws.
 *
 * @example
 * ```ts
 * import { setDetectAnomaly, isAnomalyEnabled } from 'tapegrad';
 * const prev = setDetectAnomaly(true);   // false
 * isAnomalyEnabled();                    // true
 * setDetectAnomaly(prev);
 * isAnomalyEnabled();                    // false
 * ```
 */
export function setDetectAnomaly(on: boolean, opts?: AnomalyOptions): boolean {
  if (typeof on !== 'boolean') throw new ArgumentError(`setDetectAnomaly: expected a boolean, got ${describeValue(on)}`);
  const checkNan = checkNanOption('setDetectAnomaly', opts);
  const prev = anomaly.on;
  anomaly.on = on;
  anomaly.checkNan = checkNan;
  return prev;
}

/**
 * Runs `fn` with anomaly detection on (PyTorch's `torch.autograd.detect_anomaly`), then restores the mode it
 * found, also when `fn` throws. While it runs, every op that records a node on the tape remembers where in
 * the caller's code it was created, and (unless `checkNan` is false):
 * - an op whose output holds NaN or ±Inf although its floating inputs were all finite throws an
 *   {@link AnomalyError} right there (`'log' produced -Inf in its output (forward)…`);
 * - in `backward()`/`grad()`, a VJP that returns a gradient holding NaN or ±Inf from a finite incoming
 *   gradient throws an {@link AnomalyError} naming that op's backward and where the op was created.
 *
 * Values that were already NaN or Inf do not blame the ops they pass through, nor does an op given a
 * non-finite constant (`pad` with `-Infinity`); ops run under `noGrad`, or on tensors that do not require
 * grad, are not checked (they record nothing). Backward checks need the forward pass to have run inside the
 * mode too, to show where the op was created. Everything is checked at the cost of a scan of each value, so
 * use it to debug, not to train.
 *
 * When `fn` returns a Promise, the mode stays on until it settles, and the Promise is returned; the mode is
 * global, so other code running meanwhile sees it too, and overlapping async calls should not nest.
 *
 * @example
 * ```ts
 * import { detectAnomaly, tensor } from 'tapegrad';
 * const x = tensor([4, 0], { requiresGrad: true });
 * x.sqrt().sum().backward();         // no error: x.grad holds 0.25 and Inf, silently (as PyTorch)
 * try {
 *   detectAnomaly(() => x.sqrt().sum().backward());
 * } catch (e) {
 *   console.log((e as Error).message);
 *   // detectAnomaly: 'sqrt' backward produced Inf (1 of 2 elements) in the gradient of input 0 (shape [2])
 *   // from a finite incoming gradient of shape [2]; 'sqrt' was created at:
 *   //     at <the line of your file that called x.sqrt()>
 * }
 * ```
 */
export function detectAnomaly<T>(fn: () => T, opts?: AnomalyOptions): T {
  if (typeof fn !== 'function') throw new ArgumentError(`detectAnomaly: expected a function to run, got ${describeValue(fn, 'object')}`);
  const checkNan = checkNanOption('detectAnomaly', opts);
  const prev = { on: anomaly.on, checkNan: anomaly.checkNan };
  const restore = () => {
    anomaly.on = prev.on;
    anomaly.checkNan = prev.checkNan;
  };
  anomaly.on = true;
  anomaly.checkNan = checkNan;
  let pending = false;
  try {
    const result = fn();
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      pending = true;
      return Promise.resolve(result).finally(restore) as T;
    }
    return result;
  } finally {
    if (!pending) restore();
  }
}

// ---- Tracebacks ----

/** @internal The current traceback, deep enough to reach the user's frames under the library's own. */
export function captureStack(): string | undefined {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = 100;
  try {
    return new Error().stack;
  } finally {
    E.stackTraceLimit = limit;
  }
}

/** The file of a stack line ("    at f (/a/b.ts:1:2)", "    at /a/b.ts:1:2", "f@file:///a/b.js:1:2"). */
function fileOf(line: string): string | null {
  const m = /^\s*at\s.*?\((.+?):\d+:\d+\)\s*$/.exec(line)
    ?? /^\s*at\s+(?:async\s+)?(\S+?):\d+:\d+\s*$/.exec(line)
    ?? /^[^@\s]*@(.+?):\d+:\d+\s*$/.exec(line);
  return m ? m[1] : null;
}

/** Where tapegrad's own files are (its src/ or dist/ folder), spelled as tracebacks spell it. */
const libraryRoot: string | null = (() => {
  const here = fileOf((new Error().stack ?? '').split('\n').find((l) => /anomaly\.[cm]?[jt]s/.test(l)) ?? '');
  const at = here?.lastIndexOf('/autograd/') ?? -1;
  return here && at >= 0 ? here.slice(0, at + 1) : null;
})();

function isUserFrame(line: string): boolean {
  const file = fileOf(line);
  if (file === null || file === '' || file.startsWith('node:') || file.startsWith('internal/')) return false;
  if (libraryRoot && file.startsWith(libraryRoot)) return false;
  return !file.includes('/node_modules/');
}

/**
 * The frames of a captured traceback that are the user's: without tapegrad's own files, Node's
 * internals and packages under node_modules (a test runner), at most 10, one per line with their indentation.
 * When none is left (a bundle that holds tapegrad and the caller in one file), the frames below the capture.
 */
function userFrames(stack: string | undefined): string {
  if (!stack) return '';
  const frames = stack.split('\n').filter((l) => fileOf(l) !== null);
  const mine = frames.filter(isUserFrame);
  return (mine.length ? mine : frames).slice(0, 10).map((l) => `    ${l.trim()}`).join('\n');
}

/** @internal "the op was created at:\n<frames>", or a hint to turn the mode on when it was not recorded. */
export function creationSite(name: string, stack: string | undefined): string {
  const frames = userFrames(stack);
  return frames
    ? `'${name}' was created at:\n${frames}`
    : `where '${name}' was created was not recorded (run the forward pass inside detectAnomaly(() => …) to see it)`;
}

// ---- The checks ----

interface NonFinite {
  nan: number;
  posInf: number;
  negInf: number;
}

/** Counts the NaN and ±Inf elements of a floating tensor (null when there are none). */
function scan(t: Tensor): NonFinite | null {
  if (!isFloating(t.dtype) || t.numel() === 0) return null;
  const a = t.toTypedArray();
  let nan = 0, posInf = 0, negInf = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v - v !== 0) {
      if (v !== v) nan++;
      else if (v > 0) posInf++;
      else negInf++;
    }
  }
  return nan + posInf + negInf > 0 ? { nan, posInf, negInf } : null;
}

function describe(bad: NonFinite, t: Tensor): string {
  const kinds = [bad.nan && 'NaN', bad.posInf && 'Inf', bad.negInf && '-Inf'].filter(Boolean).join(' and ');
  return `${kinds} (${bad.nan + bad.posInf + bad.negInf} of ${t.numel()} elements)`;
}

function hasNonFiniteParam(params: unknown): boolean {
  if (typeof params !== 'object' || params === null) return false;
  return Object.values(params).some((v) => typeof v === 'number' && !Number.isFinite(v));
}

/**
 * @internal The forward check (anomaly mode with checkNan): throws when `out` holds NaN or ±Inf although every
 * input was finite and no parameter was a non-finite constant.
 */
export function checkForward(name: string, inputs: readonly Tensor[], out: Tensor, params: unknown, stack: string | undefined): void {
  if (anomaly.quiet > 0) return;
  const bad = scan(out);
  if (!bad || hasNonFiniteParam(params) || inputs.some((t) => scan(t) !== null)) return;
  const shapes = inputs.map((t) => shapeStr(t.shape));
  const from = shapes.length === 1 ? `a finite input of shape ${shapes[0]}` : `finite inputs of shapes ${shapes.join(', ')}`;
  throw new AnomalyError(
    `detectAnomaly: '${name}' produced ${describe(bad, out)} in its output of shape ${shapeStr(out.shape)} (forward) from ${from}; ${creationSite(name, stack)}`,
    name, 'forward', userFrames(stack),
  );
}

/**
 * @internal The backward check (anomaly mode with checkNan): throws when a gradient `node`'s VJP returned for
 * an input that needs one holds NaN or ±Inf although the incoming gradient `g` was finite.
 */
export function checkBackward(node: Node, g: Tensor, results: readonly (Tensor | null)[], wanted: (i: number) => boolean): void {
  let incoming: NonFinite | null | undefined;
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    if (!r || !wanted(i)) continue;
    const bad = scan(r);
    if (!bad) continue;
    incoming ??= scan(g);
    if (incoming) return; // the gradient arrived already non-finite: an op later in the forward pass is to blame
    const ctx = node.savedContext;
    const saved = ctx ? savedOf(ctx) : [];
    const note = saved.some((t) => scan(t) !== null) ? ` (a tensor '${node.name}' saved in the forward pass already held NaN or Inf)` : '';
    throw new AnomalyError(
      `detectAnomaly: '${node.name}' backward produced ${describe(bad, r)} in the gradient of input ${i} (shape ${shapeStr(r.shape)}) from a finite incoming gradient of shape ${shapeStr(g.shape)}${note}; ${creationSite(node.name, node.stack)}`,
      node.name, 'backward', userFrames(node.stack),
    );
  }
}

/** @internal Runs `fn` (the engine's VJPs) without the forward check: the backward check judges them. */
export function quietly<T>(fn: () => T): T {
  anomaly.quiet++;
  try {
    return fn();
  } finally {
    anomaly.quiet--;
  }
}
