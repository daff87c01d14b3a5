// The kernels load on this Node: shared memory (so worker threads can help) and the relaxed-SIMD build
// (fused multiply-add) — on Node 20 through V8's flag, which the loader switches on for the compile.
import { expect, it } from 'vitest';
import { wasmModule } from '../../src/backend/wasm/module.js';
import { kernels } from '../../src/backend/wasm/kernels.generated.js';

it('loads the shared, relaxed-SIMD build of the kernels', () => {
  const w = wasmModule();
  expect(w).not.toBeNull();
  expect(w!.shared).toBe(true);
  expect(w!.relaxed).toBe(true);
});

it('has four builds, the relaxed ones different from the plain ones', () => {
  expect(Object.keys(kernels).sort()).toEqual(['shared', 'sharedRelaxed', 'single', 'singleRelaxed']);
  expect(kernels.sharedRelaxed).not.toBe(kernels.shared);
});
