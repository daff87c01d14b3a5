// The WebAssembly kernels (AssemblyScript, compiled by scripts/build-wasm.mjs). Kernels take byte pointers into
// the one linear memory, which the JS side lays out (src/backend/wasm/arena.ts); nothing here allocates.

/** First free byte after the module's static data: the JS arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}

export * from './gemm';
export * from './elementwise';
export * from './window';
export * from './optim';
export * from './threads';
