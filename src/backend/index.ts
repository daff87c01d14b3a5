import type { Backend } from './prim.js';
import { referenceBackend } from './reference.js';
import { createWasmBackend } from './wasm/index.js';
import { ArgumentError } from '../errors.js';
import { describeValue } from '../utils/args.js';

export * from './prim.js';
export { referenceBackend } from './reference.js';
export { createWasmBackend, type WasmBackendOptions } from './wasm/index.js';

function envBackend(): string | undefined {
  return typeof process !== 'undefined' ? process.env?.TAPEGRAD_BACKEND : undefined;
}

/**
 * The WebAssembly SIMD backend with default settings (two threads where SharedArrayBuffer exists), or null
 * where WebAssembly SIMD is unavailable.
 *
 * @example
 * ```ts
 * wasmBackend?.name; // "wasm"
 * ```
 */
export const wasmBackend: Backend | null = envBackend() === 'reference' ? null : createWasmBackend();

let current: Backend = wasmBackend ?? referenceBackend;

/**
 * The backend that runs kernels now: the WebAssembly backend wherever WebAssembly SIMD exists, unless the
 * environment variable `TAPEGRAD_BACKEND=reference` asks for the plain TypeScript one.
 *
 * @example
 * ```ts
 * ['wasm', 'reference'].includes(getBackend().name); // true
 * ```
 */
export function getBackend(): Backend {
  return current;
}

/**
 * Runs `fn` with kernels from `backend`, restoring the previous backend afterwards even if `fn` throws.
 *
 * @example
 * ```ts
 * const y = withBackend(referenceBackend, () => tensor([1, 2]).exp());
 * ```
 */
export function withBackend<T>(backend: Backend, fn: () => T): T {
  if (typeof backend !== 'object' || backend === null || typeof (backend as { name?: unknown }).name !== 'string') {
    throw new ArgumentError(`withBackend: expected a Backend (referenceBackend, wasmBackend or one from createWasmBackend), got ${describeValue(backend, 'object')}`);
  }
  if (typeof fn !== 'function') throw new ArgumentError(`withBackend: expected a function to run, got ${describeValue(fn, 'object')}`);
  const prev = current;
  current = backend;
  try {
    return fn();
  } finally {
    current = prev;
  }
}
