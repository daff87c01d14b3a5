// Backend parity sweep: every registry op on every sample, as float32, on the wasm backend (every fast path
// forced) against the reference backend: forward values within float32 tolerance, and the gradients of a
// fixed weighted sum of the outputs with respect to every input that requires grad.
import { describe, expect, it } from 'vitest';
import { Tensor, tensor, zeros, mul, referenceBackend, withBackend, createWasmBackend, type Backend } from '../../src/index.js';
import { registry, mapTensors, sampleTitle, tensorSlots, callSample, combine, type OpRecord, type Sample } from '../registry.js';

const wasm = createWasmBackend({ minElements: 0 });

it('the wasm backend loads here (WebAssembly SIMD exists on every supported Node)', () => {
  expect(wasm).not.toBeNull();
});

function toFloat32(t: Tensor): Tensor {
  if (t.dtype !== 'float64') return t.detach().requiresGrad_(t.requiresGrad);
  const c = t.numel() === 0 ? zeros(t.shape, { dtype: 'float32' }) : tensor(t.toArray(), { dtype: 'float32' });
  return c.requiresGrad_(t.requiresGrad);
}

/** Output(s) and input gradients of a sample on one backend, from fresh float32 copies of its tensors. */
function evaluate(rec: OpRecord, s: Sample, backend: Backend) {
  return withBackend(backend, () => {
    const args = mapTensors(s.args, toFloat32);
    const out = callSample(rec, s, args);
    const outs = (Array.isArray(out) ? out : [out]).map((o) => o.detach());
    const inputs = tensorSlots(args).tensors.filter((t) => t.requiresGrad);
    const y = combine(out);
    if (rec.differentiable && inputs.length > 0 && y.requiresGrad) {
      // weights 1, 2, 3, … (cycling), so each output element's gradient path carries its own factor
      const w = tensor(Array.from({ length: y.numel() }, (_, i) => 1 + (i % 7)), { dtype: 'float64' }).reshape(y.shape);
      mul(y, w).sum().backward();
    }
    return { outs, grads: inputs.map((t) => t.grad) };
  });
}

function close(a: Tensor | null, b: Tensor | null, tol: { rtol: number; atol: number }, what: string): void {
  expect(a === null, `${what}: one backend gave no tensor`).toBe(b === null);
  if (a === null || b === null) return;
  expect([...a.shape], `${what}: shape`).toEqual([...b.shape]);
  expect(a.dtype, `${what}: dtype`).toBe(b.dtype);
  const x = Array.from(a.toTypedArray(), Number), y = Array.from(b.toTypedArray(), Number);
  // scale the tolerance by the largest magnitude: a float32 sum's rounding depends on its order
  const scale = Math.max(1, ...y.filter(Number.isFinite).map(Math.abs));
  x.forEach((v, i) => {
    const ok = Number.isNaN(y[i]) ? Number.isNaN(v) : !Number.isFinite(y[i]) ? v === y[i] : Math.abs(v - y[i]) <= tol.atol * scale + tol.rtol * Math.abs(y[i]);
    if (!ok) throw new Error(`${what}: element ${i} is ${v} on wasm, ${y[i]} on reference`);
  });
}

describe.each(registry.map((r) => [r.name, r] as const))('%s', (_name, rec) => {
  const cases = rec.samples().map((s, i) => [sampleTitle(s, i), s] as const);
  it.each(cases)('%s', (_title, s) => {
    const tol = s.float32Tol ?? { rtol: 1e-5, atol: 1e-5 };
    const fast = evaluate(rec, s, wasm!), ref = evaluate(rec, s, referenceBackend);
    expect(fast.outs.length).toBe(ref.outs.length);
    fast.outs.forEach((o, k) => close(o, ref.outs[k], tol, `output ${k}`));
    fast.grads.forEach((g, k) => close(g, ref.grads[k], { rtol: tol.rtol * 10, atol: tol.atol * 10 }, `gradient ${k}`));
  });
});
