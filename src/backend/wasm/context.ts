import type { Kernel, KernelPrim, PrimParams, View, Out } from '../prim.js';
import { Arena } from './arena.js';
import type { WasmModule } from './module.js';

/** What a fast kernel works with: the module, its scratch arena, and the backend's tuning. */
export interface WasmContext {
  readonly wasm: WasmModule;
  readonly arena: Arena;
  /** Below this many output elements a kernel stays in JS (the reference kernel): wasm's copies cost more. */
  readonly minElements: number;
  /** How many threads GEMM and convolution may use (1: the calling thread only). */
  readonly threads: number;
}

/**
 * A fast kernel: does the work and returns true, or returns false (having written nothing) when it does not
 * handle these inputs (dtype, layout, size), and the reference kernel runs instead.
 */
export type FastKernel<P extends KernelPrim> = (inputs: readonly View[], params: PrimParams[P], out: Out, ctx: WasmContext) => boolean;

/** The fast kernels a backend file contributes, keyed by primitive. */
export type FastTable = { readonly [P in KernelPrim]?: FastKernel<P> };

export function newContext(wasm: WasmModule, minElements: number, threads: number): WasmContext {
  return { wasm, arena: new Arena(wasm), minElements, threads };
}

/** The reference kernel `ref` with `fast` tried first. */
export function withFallback<P extends KernelPrim>(fast: FastKernel<P>, ref: Kernel<P>, ctx: WasmContext): Kernel<P> {
  return (inputs, params, out) => {
    if (!fast(inputs, params, out, ctx)) ref(inputs, params, out);
  };
}
