import type { TypedArray } from '../../tensor/dtype.js';
import { numel } from '../../tensor/shape.js';
import type { View } from '../prim.js';
import { ensureMemory, type WasmModule } from './module.js';

// Scratch memory for one kernel call: a bump allocator over the wasm memory above the module's static data.
// Tensor storage stays in JS typed arrays; a kernel copies its inputs in, runs, and copies its output out.
// `scoped` releases everything the call allocated, even if it throws. Kernels run one at a time (the worker
// threads only ever work inside a call), so one stack of marks is enough.

const ALIGN = 64;

/** Where a view's elements landed in wasm memory: a byte pointer plus the view's strides (in elements). */
export interface Staged {
  readonly ptr: number;
  readonly strides: readonly number[];
}

export class Arena {
  private top: number;
  private readonly base: number;

  constructor(readonly wasm: WasmModule) {
    this.base = this.top = Math.ceil(wasm.exports.heapBase() / ALIGN) * ALIGN;
  }

  /** Reserves `bytes` (64-byte aligned) and returns the pointer. */
  alloc(bytes: number): number {
    const ptr = this.top;
    this.top = ptr + Math.ceil(Math.max(bytes, 1) / ALIGN) * ALIGN;
    ensureMemory(this.wasm.memory, this.top);
    return ptr;
  }

  /** Runs `fn`, then frees what it allocated. */
  scoped<T>(fn: () => T): T {
    const mark = this.top;
    try {
      return fn();
    } finally {
      this.top = mark;
    }
  }

  /** A float32 view of `n` elements at `ptr` (made fresh: growing the memory replaces its buffer). */
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.wasm.memory.buffer, ptr, n);
  }

  /** A float64 view of `n` elements at `ptr`. */
  f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.wasm.memory.buffer, ptr, n);
  }

  /** A view of the same element type as `like`, `n` elements at `ptr`. */
  like(like: TypedArray, ptr: number, n: number): TypedArray {
    const C = like.constructor as new (b: ArrayBufferLike, o: number, n: number) => TypedArray;
    return new C(this.wasm.memory.buffer, ptr, n);
  }

  /**
   * Copies the storage span a view reaches (from its lowest to its highest element) into scratch memory and
   * returns where, with the view's strides relative to that copy. Transposed or broadcast views are staged as
   * they are; the kernel reads them through the strides.
   */
  stage(v: View): Staged {
    let lo = v.offset, hi = v.offset;
    if (numel(v.shape) > 0) {
      v.shape.forEach((d, i) => {
        const s = v.strides[i] * (d - 1);
        if (s < 0) lo += s; else hi += s;
      });
    }
    const n = hi - lo + 1;
    const ptr = this.alloc(n * v.data.BYTES_PER_ELEMENT);
    this.like(v.data, ptr, n).set(v.data.subarray(lo, hi + 1));
    return { ptr: ptr + (v.offset - lo) * v.data.BYTES_PER_ELEMENT, strides: v.strides };
  }

  /** Copies `n` elements at `ptr` into `dst`. */
  unstage(ptr: number, dst: TypedArray): void {
    dst.set(this.like(dst, ptr, dst.length));
  }
}
