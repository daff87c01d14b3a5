// Forward sweep: every registry op on every sample against its plain-loop reference (test/reference.ts), for
// the float64 sample and a float32 copy of it, on each backend; plus the check that the registry covers every public op.
import { describe, expect, it } from 'vitest';
import * as lib from '../../src/index.js';
import { Tensor, tensor, zeros, isGradEnabled } from '../../src/index.js';
import { registry, mapTensors, sampleTitle, tensorSlots, wantsGrad, callSample, onBackends, type OpRecord, type Sample } from '../registry.js';
import { toArr, type Arr } from '../reference.js';

interface Tol {
  rtol: number;
  atol: number;
}

const TOL: Record<'float64' | 'float32', Tol> = {
  float64: { rtol: 1e-10, atol: 0 },
  float32: { rtol: 1e-5, atol: 1e-5 },
};

function toFloat32(t: Tensor): Tensor {
  if (t.dtype !== 'float64') return t;
  return t.numel() === 0 ? zeros(t.shape, { dtype: 'float32' }) : tensor(t.toArray(), { dtype: 'float32' });
}

function fmt(v: number): string {
  return Number.isNaN(v) ? 'NaN' : String(v);
}

function compareTensor(actual: unknown, expected: Arr, tol: Tol, what: string): void {
  expect(actual, `${what}: not a Tensor`).toBeInstanceOf(Tensor);
  const a = actual as Tensor;
  expect([...a.shape], `${what}: shape`).toEqual(expected.shape);
  expect(a.dtype, `${what}: dtype`).toBe(expected.dtype);
  const got = Array.from(a.toTypedArray(), Number);
  const exact = expected.dtype === 'int32' || expected.dtype === 'bool';
  for (let i = 0; i < got.length; i++) {
    const x = got[i], y = expected.data[i];
    const ok = Number.isNaN(y) ? Number.isNaN(x)
      : exact || !Number.isFinite(y) ? x === y
      : Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y);
    if (!ok) {
      throw new Error(`${what}: element ${i} of shape [${expected.shape.join(', ')}] is ${fmt(x)}, expected ${fmt(y)} (rtol ${tol.rtol}, atol ${tol.atol})\nactual:   [${got.map(fmt).join(', ')}]\nexpected: [${expected.data.map(fmt).join(', ')}]`);
    }
  }
}

function checkForward(rec: OpRecord, s: Sample, args: readonly unknown[]): void {
  const out = callSample(rec, s, args);
  const expected = rec.reference(...mapTensors(args, toArr));
  const outs = Array.isArray(out) ? out : [out];
  const exps = Array.isArray(expected) ? expected : [expected];
  expect(Array.isArray(out), 'returns an array exactly when the reference does').toBe(Array.isArray(expected));
  expect(outs.length, 'number of outputs').toBe(exps.length);
  // float64 results match the float64 reference to rounding; float32 ones (float32 inputs, or ints promoted to
  // the default float32) are computed in float32 steps, so they get float32 tolerances
  outs.forEach((o, k) => compareTensor(o, exps[k], exps[k].dtype === 'float32' ? s.float32Tol ?? TOL.float32 : TOL.float64, `${rec.name} output ${k}`));

  // Outputs record a graph exactly when the op is differentiable, grad mode is on and an input requires grad.
  const anyRg = tensorSlots(args).tensors.some((t) => t.requiresGrad);
  for (const o of outs) {
    const floating = o.dtype === 'float32' || o.dtype === 'float64';
    expect(o.requiresGrad, `${rec.name}: output requiresGrad`).toBe(floating && rec.differentiable && anyRg && isGradEnabled());
  }

  // The Tensor method gives the same result as the free function.
  if (rec.method && args[0] instanceof Tensor) {
    const m = (args[0] as any)[rec.method];
    expect(typeof m, `Tensor.prototype.${rec.method}`).toBe('function');
    const call = () => m.apply(args[0], args.slice(1));
    const viaMethod = s.around ? s.around(call) : call();
    const ms = Array.isArray(viaMethod) ? viaMethod : [viaMethod];
    expect(ms.length).toBe(outs.length);
    ms.forEach((t: Tensor, k: number) => compareTensor(t, toArr(outs[k]), { rtol: 0, atol: 0 }, `${rec.name}: method ${rec.method} output ${k}`));
  }
}

onBackends((run) => describe.each(registry.map((r) => [r.name, r] as const))('%s', (_name, rec) => {
  const samples = rec.samples();
  it('has samples', () => expect(samples.length).toBeGreaterThan(0));
  const cases: [string, Sample, unknown[]][] = [];
  samples.forEach((s, i) => {
    cases.push([sampleTitle(s, i), s, s.args]);
    const hasF64 = tensorSlots(s.args).tensors.some((t) => t.dtype === 'float64');
    if (hasF64 && s.float32 !== false) cases.push([`${sampleTitle(s, i)} as float32`, s, mapTensors(s.args, toFloat32)]);
  });
  it.each(cases)('%s', (_title, s, args) => run(() => checkForward(rec, s, args)));
}));

describe('registry', () => {
  // Exports of src/index.ts that are functions but not tensor ops. A new non-op export goes here (the test below
  // fails until it does, so that a new op cannot slip through without a record).
  const NON_OPS = new Set([
    // dtypes and creation
    'getDefaultDtype', 'setDefaultDtype', 'withDefaultDtype',
    'tensor', 'full', 'zeros', 'ones', 'zerosLike', 'onesLike', 'arange', 'linspace', 'eye', 'rand', 'randn', 'randint',
    // randomness, printing, shapes
    'manualSeed', 'createGenerator', 'forkRng', 'printOptions', 'broadcastShapes',
    // grad modes, the autograd API and anomaly detection
    'noGrad', 'enableGrad', 'isGradEnabled', 'grad', 'customOp', 'detectAnomaly', 'setDetectAnomaly', 'isAnomalyEnabled',
    // errors
    'isTapegradError', 'errorOf',
    // backends
    'getBackend', 'withBackend', 'referenceBackend', 'wasmBackend', 'createWasmBackend',
    // files
    'serialize', 'deserialize', 'save', 'load', 'safetensorsHeader',
    // training
    'fit', 'evaluate', 'accuracy', 'confusionMatrix',
    // plots, display and the tape's picture
    'lineChart', 'scatter', 'heatmap', 'imageGrid', 'concatCharts', 'show', 'toHTML', 'setDisplayTarget', 'graphOf', 'drawGraph',
  ]);
  /** Classes (Tensor, Storage, the error classes, AnomalyError, ProgressLogger, …) are not ops: ops are lowerCamelCase. */
  const isClass = (k: string) => /^[A-Z]/.test(k);
  const exported = lib as unknown as Record<string, unknown>;
  // Ops are the functions of the package root (but classes and NON_OPS) and every function of the namespace F.
  const F = lib.F as unknown as Record<string, unknown>;
  const publicOps = [
    ...Object.keys(exported).filter((k) => typeof exported[k] === 'function' && !isClass(k) && !NON_OPS.has(k)),
    ...Object.keys(F).filter((k) => typeof F[k] === 'function').map((k) => `F.${k}`),
  ];
  /** The export a (possibly dotted) registry name refers to. */
  const resolve = (name: string): unknown => name.split('.').reduce<any>((o, k) => (o == null ? undefined : o[k]), exported);

  it('has a record for every public op of src/index.ts and of F', () => {
    const covered = new Set(registry.flatMap((r) => [r.name, ...(r.aliases ?? [])]));
    const missing = publicOps.filter((k) => !covered.has(k));
    expect(missing, 'public ops without a registry record (add one to test/registry.ts)').toEqual([]);
  });

  it('records apply the public function they are named after', () => {
    for (const r of registry) {
      // the name may be PyTorch's (var) when only aliases are exports (variance, var_)
      const names = [r.name, ...(r.aliases ?? [])].filter((n) => resolve(n) !== undefined);
      expect(names.length, `${r.name} is not exported from src/index.ts`).toBeGreaterThan(0);
      for (const n of names) expect(resolve(n), `${r.name}: fn is not the export ${n}`).toBe(r.fn);
    }
  });

  it('has unique names', () => {
    const names = registry.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });

  // Every record has 0-d, zero-size and non-contiguous inputs among its samples, unless the op rejects them
  // (then an error case says so).
  const EXEMPT: Record<string, string[]> = {
    '0-d': ['cat', 'matmul', 'unfold', 'fold', 'narrow', 'split', 'chunk'],
    'zero-size': [],
    'non-contiguous': [],
  };
  it.each(Object.keys(EXEMPT))('every record has a %s sample', (kind) => {
    const has = (t: Tensor) => (kind === '0-d' ? t.ndim === 0 : kind === 'zero-size' ? t.shape.includes(0) : !t.isContiguous());
    const missing = registry
      .filter((r) => !EXEMPT[kind].includes(r.name) && !(kind === '0-d' && r.noScalarSample))
      .filter((r) => !r.samples().some((s) => tensorSlots(s.args).tensors.some(has)))
      .map((r) => r.name);
    expect(missing).toEqual([]);
  });

  it('every differentiable record has samples gradcheck runs, and every other record has none', () => {
    for (const r of registry) {
      const n = r.samples().filter((s) => wantsGrad(r, s)).length;
      if (r.differentiable) expect(n, r.name).toBeGreaterThan(0);
      else expect(n, r.name).toBe(0);
    }
  });
});
