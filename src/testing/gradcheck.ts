import { Tensor } from '../tensor/tensor.js';
import { isFloating } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import { createGenerator, normalSample } from '../tensor/random.js';
import { tensor } from '../tensor/creation.js';
import { grad } from '../autograd/engine.js';
import { ArgumentError, DTypeError, ValueError } from '../errors.js';
import { checkNonNegative, checkNumber, describeValue, isOptionsObject } from '../utils/args.js';
import { didYouMean } from '../utils/suggest.js';

/** Options of {@link gradcheck} and {@link gradgradcheck}, with PyTorch's defaults. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw a report on failure (default true); otherwise return false. */
  raiseException?: boolean;
  /** Compare random projections vᵀJu instead of whole Jacobians: one backward and two forwards (default false). */
  fastMode?: boolean;
  /** Seed of the random projections (fast mode) and of gradgradcheck's random output gradients (default 0). */
  seed?: number;
}

const KNOWN = ['eps', 'atol', 'rtol', 'raiseException', 'fastMode', 'seed'];

/** Checks gradcheck's and gradgradcheck's options: known names, and tolerances that are numbers in range. */
function checkGradcheckOptions(op: string, opts: unknown): asserts opts is GradcheckOptions {
  if (!isOptionsObject(opts)) throw new ArgumentError(`${op}: expected an options object, got ${describeValue(opts, 'object')}`);
  for (const k of Object.keys(opts)) {
    if (!KNOWN.includes(k)) throw new ArgumentError(`${op}: unknown option '${k}'; expected one of ${KNOWN.join(', ')}${didYouMean(k, KNOWN)}`);
  }
  const o = opts as Record<string, unknown>;
  if (o.eps !== undefined) checkNumber(op, 'eps', o.eps, (v) => v > 0 && v < Infinity, 'a finite number > 0');
  for (const k of ['atol', 'rtol'] as const) if (o[k] !== undefined) checkNonNegative(op, k, o[k]);
}

type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

function asList(out: Tensor | readonly Tensor[], where: string): Tensor[] {
  const list = out instanceof Tensor ? [out] : Array.isArray(out) ? [...out] : null;
  if (!list || !list.every((t) => t instanceof Tensor)) {
    const got = list ? describeValue(list.find((t) => !(t instanceof Tensor)), 'object') + ' in an array' : describeValue(out, 'object');
    throw new ArgumentError(`${where}: the function must return a Tensor or an array of Tensors, got ${got}`);
  }
  return list;
}

/** Storage offsets of each element of `t`, in row-major order. */
function offsets(t: Tensor): number[] {
  const out: number[] = [];
  const idx = new Array<number>(t.ndim).fill(0);
  const n = t.numel();
  for (let k = 0; k < n; k++) {
    let o = t.offset;
    for (let d = 0; d < t.ndim; d++) o += idx[d] * t.strides[d];
    out.push(o);
    for (let d = t.ndim - 1; d >= 0; d--) {
      if (++idx[d] < t.shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

function checkInputs(op: string, inputs: readonly Tensor[]): number[] {
  if (!Array.isArray(inputs)) throw new ArgumentError(`${op}: inputs must be an array of Tensors, got ${describeValue(inputs, 'object')}`);
  const checked: number[] = [];
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentError(`${op}: input ${i} is not a Tensor: got ${describeValue(t, 'object')}`);
    if (!t.requiresGrad) return;
    if (t.dtype !== 'float64') {
      throw new DTypeError(`${op}: input ${i} (shape ${shapeStr(t.shape)}) has dtype ${t.dtype}; finite differences need float64 inputs, e.g. x.to('float64') or withDefaultDtype('float64', ...)`);
    }
    if (t.shape.some((d, k) => d > 1 && t.strides[k] === 0)) {
      throw new ValueError(`${op}: input ${i} (shape ${shapeStr(t.shape)}, strides ${shapeStr(t.strides)}) overlaps itself (a stride is 0, e.g. from expand), so perturbing one element would move several; pass a contiguous() copy`);
    }
    checked.push(i);
  });
  if (checked.length === 0) throw new ValueError(`${op}: no input requires grad, so there is nothing to check; expected at least one input with requiresGrad`);
  return checked;
}

// Grad mode stays as the caller has it: gradgradcheck's function itself calls grad().
function flatOutputs(fn: Fn, inputs: readonly Tensor[], op: string): Float64Array[] {
  return asList(fn(...inputs), op).map((o) => Float64Array.from(o.toTypedArray()));
}

interface Mismatch {
  output: number;
  input: number;
  analytical: number[][];
  numerical: number[][];
}

function formatMatrix(m: number[][]): string {
  return m.map((row) => '  [' + row.map((v) => v.toPrecision(6).padStart(12)).join(' ') + ']').join('\n');
}

function report(op: string, ms: Mismatch[], o: Required<Omit<GradcheckOptions, 'seed' | 'fastMode'>>): string {
  return ms.map((m) =>
    `${op}: Jacobian mismatch for output ${m.output} with respect to input ${m.input} (atol ${o.atol}, rtol ${o.rtol}, eps ${o.eps}).\n` +
    `Rows are input elements, columns output elements.\nnumerical:\n${formatMatrix(m.numerical)}\nanalytical:\n${formatMatrix(m.analytical)}`,
  ).join('\n\n');
}

function close(a: number, n: number, atol: number, rtol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(n)) return Number.isNaN(a) && Number.isNaN(n);
  return Math.abs(a - n) <= atol + rtol * Math.abs(n);
}

/**
 * Checks the gradients that autograd computes for `fn` against central finite differences, as PyTorch's
 * `torch.autograd.gradcheck`. Inputs that require grad must be float64; other inputs (int32 indices, bool masks,
 * constants) are passed through unchanged. On a mismatch it throws a report that prints both Jacobians.
 *
 * @example
 * ```ts
 * import { gradcheck } from 'tapegrad/testing';
 * const x = randn([3, 4], { dtype: 'float64', requiresGrad: true });
 * gradcheck((x) => x.tanh().sum(1), [x]); // true
 * ```
 */
export function gradcheck(fn: Fn, inputs: readonly Tensor[], opts: GradcheckOptions = {}): boolean {
  return check('gradcheck', fn, inputs, opts);
}

function check(op: string, fn: Fn, inputs: readonly Tensor[], opts: GradcheckOptions): boolean {
  if (typeof fn !== 'function') throw new ArgumentError(`${op}: expected a function of the inputs, got ${describeValue(fn, 'object')}`);
  checkGradcheckOptions(op, opts);
  const o = { eps: opts.eps ?? 1e-6, atol: opts.atol ?? 1e-5, rtol: opts.rtol ?? 1e-3, raiseException: opts.raiseException ?? true };
  const checked = checkInputs(op, inputs);
  const outputs = asList(fn(...inputs), op);
  const diffOuts = outputs.map((t, k) => [t, k] as const).filter(([t]) => isFloating(t.dtype));

  // The numerical derivative of every output along a direction in one input, by central differences. The
  // input's storage is restored exactly afterwards (the recorded graph may hold it).
  const perturb = (i: number, apply: (data: Float64Array, orig: Float64Array, sign: 1 | -1) => void): Float64Array[] => {
    const data = inputs[i].data as Float64Array;
    const orig = data.slice();
    try {
      apply(data, orig, 1);
      const plus = flatOutputs(fn, inputs, op);
      data.set(orig);
      apply(data, orig, -1);
      const minus = flatOutputs(fn, inputs, op);
      return plus.map((p, k) => p.map((v, j) => (v - minus[k][j]) / (2 * o.eps)));
    } finally {
      data.set(orig);
    }
  };

  const analyticalGrads = (k: number, gradOut: Tensor): Tensor[] => {
    const out = outputs[k];
    if (!out.requiresGrad) return checked.map((i) => tensor(new Float64Array(inputs[i].numel())));
    return grad(out, checked.map((i) => inputs[i]), { gradOutputs: gradOut, retainGraph: true, allowUnused: true });
  };

  const mismatches: Mismatch[] = [];
  if (opts.fastMode) {
    const g = createGenerator(opts.seed ?? 0);
    for (const [out, k] of diffOuts) {
      const v = Float64Array.from({ length: out.numel() }, () => normalSample(g));
      const grads = analyticalGrads(k, tensor(v, { dtype: out.dtype }).reshape(out.shape));
      checked.forEach((i, ci) => {
        const u = Float64Array.from({ length: inputs[i].numel() }, () => normalSample(g));
        const offs = offsets(inputs[i]);
        const num = perturb(i, (data, orig, s) => offs.forEach((off, j) => (data[off] = orig[off] + s * o.eps * u[j])))[k];
        const numerical = num.reduce((acc, d, j) => acc + d * v[j], 0);
        const ga = Float64Array.from(grads[ci].toTypedArray());
        const analytical = ga.reduce((acc, d, j) => acc + d * u[j], 0);
        if (!close(analytical, numerical, o.atol, o.rtol)) {
          mismatches.push({ output: k, input: i, analytical: [[analytical]], numerical: [[numerical]] });
        }
      });
    }
  } else {
    for (const i of checked) {
      const offs = offsets(inputs[i]);
      // numerical[k][j] = column j (input element) of the Jacobian of output k
      const numerical: Float64Array[][] = diffOuts.map(() => []);
      for (const off of offs) {
        const d = perturb(i, (data, orig, s) => (data[off] = orig[off] + s * o.eps));
        diffOuts.forEach(([, k], n) => numerical[n].push(d[k]));
      }
      diffOuts.forEach(([out, k], n) => {
        const m = out.numel();
        const analytical: number[][] = offs.map(() => new Array<number>(m).fill(0));
        for (let r = 0; r < m; r++) {
          const onehot = new Float64Array(m);
          onehot[r] = 1;
          const grads = analyticalGrads(k, tensor(onehot, { dtype: out.dtype }).reshape(out.shape));
          const gi = grads[checked.indexOf(i)].toTypedArray();
          for (let j = 0; j < offs.length; j++) analytical[j][r] = gi[j];
        }
        const num = numerical[n].map((col) => Array.from(col));
        const bad = analytical.some((row, j) => row.some((a, r) => !close(a, num[j][r], o.atol, o.rtol)));
        if (bad) mismatches.push({ output: k, input: i, analytical, numerical: num });
      });
    }
  }
  if (mismatches.length === 0) return true;
  if (o.raiseException) throw new Error(report(op, mismatches, o));
  return false;
}

/**
 * Checks second derivatives: gradcheck of the map (inputs, v) ↦ vᵀ∂fn/∂inputs, with random output gradients v
 * and the backward pass recorded (`createGraph`), as PyTorch's `torch.autograd.gradgradcheck`.
 *
 * @example
 * ```ts
 * import { gradgradcheck } from 'tapegrad/testing';
 * const x = randn([3], { dtype: 'float64', requiresGrad: true });
 * gradgradcheck((x) => x.sin().mul(x), [x]); // true
 * ```
 */
export function gradgradcheck(fn: Fn, inputs: readonly Tensor[], opts: GradcheckOptions = {}): boolean {
  const op = 'gradgradcheck';
  if (typeof fn !== 'function') throw new ArgumentError(`${op}: expected a function of the inputs, got ${describeValue(fn, 'object')}`);
  checkGradcheckOptions(op, opts);
  const checked = checkInputs(op, inputs);
  const outs = asList(fn(...inputs), op).filter((t) => isFloating(t.dtype));
  const g = createGenerator(opts.seed ?? 0);
  const vs = outs.map((t) => tensor(Float64Array.from({ length: t.numel() }, () => normalSample(g)), { dtype: 'float64' }).reshape(t.shape).requiresGrad_());
  const n = inputs.length;
  const firstOrder = (...all: Tensor[]): Tensor[] => {
    const ins = all.slice(0, n);
    const ys = asList(fn(...ins), op).filter((t) => isFloating(t.dtype));
    const live = ys.map((y, k) => [y, all[n + k]] as const).filter(([y]) => y.requiresGrad);
    if (live.length === 0) return checked.map((i) => tensor(new Float64Array(ins[i].numel()), { dtype: 'float64' }).reshape(ins[i].shape));
    return grad(live.map(([y]) => y), checked.map((i) => ins[i]), { gradOutputs: live.map(([, v]) => v), createGraph: true, allowUnused: true });
  };
  return check(op, firstOrder, [...inputs, ...vs], opts);
}
