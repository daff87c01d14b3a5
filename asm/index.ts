// The WebAssembly kernels (AssemblyScript, compiled by scripts/build-wasm.mjs). Kernels take byte pointers into
// the one linear memory, which the JS side lays out (src/backend/wasm/arena.ts); nothing here allocates.

/** First free byte after the module's static data: the JS arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}

/** out[i] = a[i] + b[i], n floats (a smoke test for the build and the SIMD path). */
export function addF32(a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) + load<f32>(b + o));
  }
}

export * from './gemm';
export * from './elementwise';
export * from './window';
export * from './optim';
export * from './threads';
