import type { Backend, Kernel, KernelPrim, View } from '../prim.js';
import { referenceBackend } from '../reference.js';
import { newContext, withFallback, type FastKernel, type FastTable } from './context.js';
import { wasmModule } from './module.js';
import { gemmKernels } from './gemm.js';
import { elementwiseKernels, fastAssign } from './elementwise.js';
import { windowKernels } from './window.js';
import { fusedKernels } from './optim.js';
import { checkInt, checkNumber, checkOptions } from '../../utils/args.js';

// The WebAssembly SIMD backend: the reference backend's kernels, with fast paths (wasm kernels on scratch
// copies, or tight JS loops) tried first for the dtypes, layouts and sizes they handle.

/** Options of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /** Output size below which kernels stay in plain JS (default 4096; 0 forces every fast path, for tests). */
  minElements?: number;
  /** Threads for GEMM and convolution (default: 2 where SharedArrayBuffer exists, else 1). */
  threads?: number;
}

const tables: FastTable[] = [gemmKernels, elementwiseKernels, windowKernels];

/**
 * A WebAssembly SIMD backend, or null where WebAssembly SIMD is unavailable.
 *
 * @example
 * ```ts
 * const wasm = createWasmBackend({ threads: 1 });
 * if (wasm) withBackend(wasm, () => tensor([[1, 2]]).matmul(tensor([[3], [4]]))).toArray(); // [[11]]
 * ```
 */
export function createWasmBackend(opts: WasmBackendOptions = {}): Backend | null {
  const o = checkOptions('createWasmBackend', opts, ['minElements', 'threads']);
  if (o.minElements !== undefined) checkNumber('createWasmBackend', 'minElements', o.minElements, (v) => v >= 0, 'a number ≥ 0 (Infinity keeps every kernel in JS)');
  if (o.threads !== undefined) checkInt('createWasmBackend', 'threads', o.threads, 1);
  const wasm = wasmModule();
  if (!wasm) return null;
  const threads = Math.max(1, Math.floor(opts.threads ?? (wasm.shared ? 2 : 1)));
  const ctx = newContext(wasm, opts.minElements ?? 4096, wasm.shared ? threads : 1);
  const backend: Record<string, unknown> = {
    ...referenceBackend,
    name: 'wasm',
    fused: fusedKernels(ctx),
    assign: (dst: View, src: View) => {
      if (!fastAssign(dst, src, ctx)) referenceBackend.assign(dst, src);
    },
  };
  for (const table of tables) {
    for (const [prim, fast] of Object.entries(table) as [KernelPrim, FastKernel<KernelPrim>][]) {
      backend[prim] = withFallback(fast, referenceBackend[prim] as Kernel<KernelPrim>, ctx);
    }
  }
  return backend as Backend;
}
