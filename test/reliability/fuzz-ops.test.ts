// Fuzzing the public op surface: for every record of the op registry (test/registry.ts), fast-check draws
// calls shaped like one of the record's samples but with every tensor replaced by a random one (rank 0-4, dims
// 0-4, often not matching the other arguments; float32, float64, int32 or bool; values among multiples of 1/4,
// ±0, ±Inf and NaN; sometimes non-contiguous; requiring grad or not) and some numeric arguments (dims, sizes,
// scalars, options) replaced by odd ones (out of range, negative, NaN, Infinity, fractional). Each call runs on
// each sweep backend (the reference, and wasm with every fast path forced). The outcome must be one of:
//   - a Tensor, or an array of Tensors, that is self-consistent (integer non-negative dims, numel, a known dtype,
//     a typed array of that dtype and length), and when the registry's plain-loop reference accepts the same
//     arguments, equal to the reference's result (shape, dtype, values; NaN matches NaN); when the output
//     requires grad, backward runs and gives each input a gradient of the input's shape and dtype, or refuses
//     with a typed error;
//   - an error for which isTapegradError(e) holds.
// Anything else (a TypeError from inside a kernel, "Cannot read properties of undefined", a RangeError from a
// typed-array constructor), backends that disagree, or a result that differs from the reference, is collected
// and reported per record, grouped by message. The runs are seeded (per record), so CI sees the same calls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tensor, isTapegradError, withBackend, type DType } from '../../src/index.js';
import { registry, tensorSlots, mapTensors, sweepBackends, build, combine, callSample, valueDifference, type OpRecord, type Sample } from '../registry.js';
import { coreRecords } from '../registry/core.js';
import { toArr, type Arr } from '../reference.js';

/** The tensor ops of the package root (elementwise, reductions, shape, linear algebra), as opposed to F's. */
const CORE = new Set(coreRecords.map((r) => r.name));

// FUZZ_RUNS and FUZZ_SEED explore further (e.g. FUZZ_RUNS=2000 FUZZ_SEED=3); CI runs the defaults.
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const BASE_SEED = Number(process.env.FUZZ_SEED ?? 8);

const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];
const CTOR: Record<DType, Function> = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array };
const TOL: Record<'float32' | 'float64', { rtol: number; atol: number }> = {
  float32: { rtol: 1e-4, atol: 1e-5 },
  float64: { rtol: 1e-9, atol: 1e-12 },
};

/** A stable 31-bit seed from a record's name, so each record's calls do not depend on test order. */
function seedOf(name: string): number {
  let h = 2166136261 ^ BASE_SEED;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 1;
}

// ---------------------------------------------------------------------------------------------------------
// Arbitraries

/** Multiples of 1/4 in [-4, 4] (exact in float32, so sums match the reference), and the special values. */
const value = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -16, max: 16 }).map((k) => k / 4) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
);

interface TensorSpec {
  keepShape: boolean;
  shape: number[];
  keepDtype: boolean;
  dtype: DType;
  values: number[];
  transposed: boolean;
  rg: boolean;
}

const tensorSpec: fc.Arbitrary<TensorSpec> = fc.record({
  keepShape: fc.boolean(),
  shape: fc.array(fc.nat(4), { maxLength: 4 }),
  keepDtype: fc.boolean(),
  dtype: fc.constantFrom(...DTYPES),
  values: fc.array(value, { minLength: 1, maxLength: 12 }),
  transposed: fc.integer({ min: 0, max: 4 }).map((k) => k === 0),
  rg: fc.boolean(),
});

/** null keeps the number; otherwise the replacement. */
const numberMut: fc.Arbitrary<number | null> = fc.oneof(
  { weight: 5, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, 0.5, -1.5, Number.POSITIVE_INFINITY, -1, 0) },
);

/**
 * A fuzzed call: `valuesOnly` keeps the sample's shapes, dtypes and numbers and draws only the values (and
 * layout, and requiresGrad), so that a good share of calls is valid and meets the reference with special values.
 */
interface Case { valuesOnly: boolean; sample: number; tensors: TensorSpec[]; numbers: (number | null)[] }

const caseOf = (samples: number): fc.Arbitrary<Case> => fc.record({
  valuesOnly: fc.integer({ min: 0, max: 2 }).map((k) => k === 0),
  sample: fc.nat(samples - 1),
  tensors: fc.array(tensorSpec, { minLength: 6, maxLength: 6 }),
  numbers: fc.array(numberMut, { minLength: 8, maxLength: 8 }),
});

function stored(dtype: DType, v: number): number {
  if (dtype === 'bool') return v !== 0 && !Number.isNaN(v) ? 1 : 0;
  if (dtype === 'int32') return Number.isFinite(v) ? Math.trunc(v) : 0;
  return v;
}

function makeTensor(like: Tensor, s: TensorSpec): Tensor {
  const shape = s.keepShape ? [...like.shape] : s.shape;
  const dtype = s.keepDtype ? like.dtype : s.dtype;
  const rg = s.rg && (dtype === 'float32' || dtype === 'float64');
  return build(shape, (i) => stored(dtype, s.values[i % s.values.length] ?? 0), { dtype, rg, transposed: s.transposed });
}

/** The sample's arguments with tensors replaced by fuzzed ones and some numbers (top level, or in arrays of numbers) replaced. */
function fuzzArgs(s: Sample, c: Case): unknown[] {
  const { tensors, rebuild } = tensorSlots(s.args);
  const specs = c.valuesOnly ? c.tensors.map((t) => ({ ...t, keepShape: true, keepDtype: true })) : c.tensors;
  const args = rebuild(tensors.map((t, i) => makeTensor(t, specs[i % specs.length])));
  if (c.valuesOnly) return args;
  let k = 0;
  const num = (v: number) => {
    const m = c.numbers[k++ % c.numbers.length];
    return m === null ? v : m;
  };
  return args.map((a) => {
    if (typeof a === 'number') return num(a);
    if (Array.isArray(a) && a.length > 0 && a.every((v) => typeof v === 'number')) return a.map(num);
    return a;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Checks

interface Problem { kind: string; message: string; input: string }
interface Stats { returned: number; refused: number; compared: number }

function describeArg(a: unknown): string {
  if (a instanceof Tensor) {
    const vals = a.numel() <= 6 ? `{${Array.from(a.toTypedArray(), (v) => (Object.is(v, -0) ? '-0' : String(v))).join(',')}}` : '';
    return `${a.dtype}[${a.shape.join(',')}]${a.isContiguous() ? '' : 'ᵀ'}${a.requiresGrad ? 'ʳ' : ''}${vals}`;
  }
  if (Array.isArray(a)) return `[${a.map(describeArg).join(', ')}]`;
  if (a === undefined) return 'undefined';
  if (typeof a === 'number') return Object.is(a, -0) ? '-0' : String(a);
  if (typeof a === 'string') return `'${a}'`;
  if (typeof a === 'object' && a !== null && Object.getPrototypeOf(a) === Object.prototype) {
    return `{${Object.entries(a).map(([k, v]) => `${k}: ${describeArg(v)}`).join(', ')}}`;
  }
  if (typeof a === 'function') return 'fn';
  return String(a);
}

/** The error's class and first line, and the first frame in src/ (where the plain error came from). */
function describeError(e: unknown): string {
  if (!(e instanceof Error)) return `non-Error thrown: ${String(e)}`;
  const frame = (e.stack ?? '').split('\n').find((l) => l.includes('/src/'))?.trim().replace(/^at /, '').replace(/\(?\/.*\/src\//, '(src/') ?? '';
  return `${e.constructor.name}: ${e.message.split('\n')[0]}${frame ? ` @ ${frame}` : ''}`;
}

/** Problems with an output tensor's own consistency, or null. */
function inconsistency(t: unknown): string | null {
  if (!(t instanceof Tensor)) return `not a Tensor: ${describeArg(t)}`;
  const shape = t.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return `bad shape ${String(shape)}`;
  if (t.ndim !== shape.length) return `ndim ${t.ndim} for shape [${shape}]`;
  const n = shape.reduce((a, b) => a * b, 1);
  if (t.numel() !== n) return `numel ${t.numel()} for shape [${shape}]`;
  if (!DTYPES.includes(t.dtype)) return `unknown dtype ${String(t.dtype)}`;
  const data = t.toTypedArray();
  if (!(data instanceof CTOR[t.dtype])) return `${t.dtype} tensor read as ${data?.constructor?.name}`;
  if (data.length !== n) return `${data.length} values for shape [${shape}]`;
  if (t.dtype === 'bool') {
    const k = data.findIndex((v) => v !== 0 && v !== 1);
    if (k >= 0) return `bool tensor holds ${data[k]} at element ${k}`;
  }
  return null;
}

/**
 * How `t` differs from `e` (shape, dtype, first differing value), or null. Floats compare to the tolerance of
 * float32 when `f32` (a float32 operand: PyTorch, and tapegrad, compute its own terms in float32 before a
 * float64 result promotes them), else of the expected dtype.
 */
const difference = (t: Tensor, e: Arr, f32: boolean): string | null =>
  valueDifference(t, e, TOL[f32 || e.dtype === 'float32' ? 'float32' : 'float64']);

type Outcome = { ok: true; outs: Tensor[]; array: boolean } | { ok: false; error: unknown };

function attempt(f: () => Tensor | Tensor[]): Outcome {
  try {
    const r = f();
    return { ok: true, outs: Array.isArray(r) ? r : [r], array: Array.isArray(r) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Runs one fuzzed call on every backend and reports what is wrong with it. */
function check(rec: OpRecord, s: Sample, args: unknown[], problems: Problem[], stats: Stats): void {
  const input = `(${args.map(describeArg).join(', ')})`;
  const inputs = tensorSlots(args).tensors;
  const f32 = inputs.some((t) => t.dtype === 'float32');
  const report = (kind: string, message: string) => problems.push({ kind, message, input });
  const outcomes: [string, Outcome][] = [];
  for (const [name, backend] of sweepBackends) {
    const t0 = performance.now();
    const o = withBackend(backend, () => attempt(() => callSample(rec, s, args)));
    const ms = performance.now() - t0;
    if (ms > 2000) report('slow', `${name}: ${ms.toFixed(0)} ms`);
    outcomes.push([name, o]);
    stats[o.ok ? 'returned' : 'refused']++;
    if (!o.ok) {
      if (!isTapegradError(o.error)) report('untyped error', describeError(o.error));
      continue;
    }
    for (const t of o.outs) {
      const bad = inconsistency(t);
      if (bad) report('inconsistent output', `${name}: ${bad}`);
    }
    // backward through the result: typed errors only, and gradients shaped as their inputs
    const leaves = inputs.filter((t) => t.requiresGrad && t.gradFn === null);
    if (o.outs.some((t) => t.requiresGrad) && o.outs.every((t) => inconsistency(t) === null)) {
      for (const t of leaves) t.grad = null;
      const b = withBackend(backend, () => attempt(() => {
        combine(o.outs).sum().backward();
        return [];
      }));
      if (!b.ok && !isTapegradError(b.error)) report('untyped error in backward', `${name}: ${describeError(b.error)}`);
      if (b.ok) {
        for (const t of leaves) {
          if (t.grad !== null && (t.grad.shape.join() !== t.shape.join() || t.grad.dtype !== t.dtype)) {
            report('gradient of the wrong shape or dtype', `${name}: grad ${t.grad.dtype}[${t.grad.shape}] for input ${t.dtype}[${t.shape}]`);
          }
        }
      }
      for (const t of leaves) t.grad = null;
    }
  }

  // the backends agree: both refuse, or both give the same result (to the dtype's tolerance)
  const [[n0, o0], [n1, o1]] = outcomes.length === 2 ? outcomes : [outcomes[0], outcomes[0]];
  if (o0.ok !== o1.ok) {
    const failed = o0.ok ? [n1, o1] as const : [n0, o0] as const;
    report('backends disagree', `${failed[0]} throws (${describeError((failed[1] as { error: unknown }).error)}), the other returns`);
  } else if (o0.ok && o1.ok && o0.outs.length === o1.outs.length && n0 !== n1) {
    o0.outs.forEach((t, k) => {
      if (inconsistency(t) || inconsistency(o1.outs[k])) return;
      const d = difference(o1.outs[k], toArr(t), true);
      if (d) report('backends disagree', `output ${k}: ${n1} vs ${n0}: ${d}`);
    });
  } else if (o0.ok && o1.ok && o0.outs.length !== o1.outs.length) {
    report('backends disagree', `${o0.outs.length} vs ${o1.outs.length} outputs`);
  }

  // against the plain-loop reference, when it takes these arguments (for the F records, only on finite inputs:
  // their references are written for the losses' and layers' domains, and an infinite logit or target is outside
  // them; see the report)
  const first = outcomes.find(([, o]) => o.ok)?.[1];
  if (!first || !first.ok || first.outs.some((t) => inconsistency(t) !== null)) return;
  if (!CORE.has(rec.name) && !inputs.every((t) => Array.from(t.toTypedArray(), Number).every(Number.isFinite))) return;
  let expected: Arr | Arr[];
  try {
    expected = rec.reference(...mapTensors(args, toArr));
  } catch {
    return; // the reference does not take these arguments: only the checks above apply
  }
  const exps = Array.isArray(expected) ? expected : [expected];
  if (first.array !== Array.isArray(expected) || first.outs.length !== exps.length) {
    report('differs from the reference', `${first.outs.length} outputs${first.array ? ' (array)' : ''} vs ${exps.length}${Array.isArray(expected) ? ' (array)' : ''}`);
    return;
  }
  stats.compared++;
  first.outs.forEach((t, k) => {
    const d = difference(t, exps[k], f32 || t.dtype === 'float32');
    if (d) report('differs from the reference', `output ${k}: ${d}`);
  });
}

/** Problems grouped by kind and message (numbers in the message masked), each with a count and one input. */
function group(problems: Problem[]): string[] {
  const groups = new Map<string, { n: number; p: Problem }>();
  for (const p of problems) {
    const key = `${p.kind}: ${p.message.replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/g, '#')}`;
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { n: 1, p });
  }
  return [...groups.values()].map(({ n, p }) => `${p.kind} ×${n}: ${p.message}\n      e.g. ${p.input}`);
}

// ---------------------------------------------------------------------------------------------------------

describe('fuzzed calls of every registry op give a consistent result or a typed error', () => {
  const tested = new Set<string>();

  it.each(registry.map((r) => [r.name, r] as const))('%s', (_name, rec) => {
    const samples = rec.samples();
    const problems: Problem[] = [];
    let calls = 0;
    const stats: Stats = { returned: 0, refused: 0, compared: 0 };
    fc.assert(fc.property(caseOf(samples.length), (c) => {
      const s = samples[c.sample];
      const args = fuzzArgs(s, c);
      calls++;
      check(rec, s, args, problems, stats);
    }), { numRuns: NUM_RUNS, seed: seedOf(rec.name) });
    tested.add(rec.name);
    expect(calls).toBe(NUM_RUNS);
    if (process.env.FUZZ_STATS) console.log(`${rec.name}\t${JSON.stringify(stats)}`);
    // not vacuous: some fuzzed calls go through (and are checked), not only refusals
    expect(stats.returned, 'fuzzed calls that returned').toBeGreaterThan(0);
    expect(group(problems), `${rec.name}: ${problems.length} problems in ${calls} fuzzed calls`).toEqual([]);
  });

  it('covered every record of the registry', () => {
    expect([...tested].sort()).toEqual(registry.map((r) => r.name).sort());
  });
});
