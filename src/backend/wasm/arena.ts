import type { TypedArray } from '../../tensor/dtype.js';
import { numel } from '../../tensor/shape.js';
import type { View } from '../prim.js';
import { ensureMemory, type WasmModule } from './module.js';

// Scratch memory for one kernel call: a bump allocator over the wasm memory above the module's static data.
// Tensor storage stays in JS typed arrays; a kernel copies its inputs in, runs, and copies its output out.
// `scoped` releases everything the call allocated, even if it throws. Kernels run one at a time (the worker
// threads only ever work inside a call), so one stack of marks is enough. Typed views over the whole memory
// are made once and again only when it grows (making a view costs about as much as a small kernel).

const ALIGN = 64;

/** `bytes` rounded up to the arena's 64-byte alignment (at least one block). */
export function align64(bytes: number): number {
  return Math.ceil(Math.max(bytes, 1) / ALIGN) * ALIGN;
}

/** Typed views over all of wasm memory. */
export interface MemoryViews {
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
}

/** Where a view's elements landed in wasm memory: a byte pointer plus the view's strides (in elements). */
export interface Staged {
  readonly ptr: number;
  readonly strides: readonly number[];
}

/** The storage span a view reaches: its lowest element and how many elements up to its highest. */
export function span(v: View): { lo: number; len: number } {
  let lo = v.offset, hi = v.offset;
  if (numel(v.shape) > 0) {
    for (let i = 0; i < v.shape.length; i++) {
      const s = v.strides[i] * (v.shape[i] - 1);
      if (s < 0) lo += s; else hi += s;
    }
  }
  return { lo, len: hi - lo + 1 };
}

/** Copies n elements between typed arrays of one type (a loop when short: set and subarray cost more). */
export function copyTo(dst: TypedArray, at: number, src: TypedArray, from: number, n: number): void {
  if (n <= 16) for (let i = 0; i < n; i++) dst[at + i] = src[from + i];
  else dst.set(src.subarray(from, from + n), at);
}

export class Arena {
  private top: number;
  private cached: MemoryViews | null = null;

  constructor(readonly wasm: WasmModule) {
    this.top = Math.ceil(wasm.exports.heapBase() / ALIGN) * ALIGN;
  }

  /** Reserves `bytes` (64-byte aligned) and returns the pointer. */
  alloc(bytes: number): number {
    const ptr = this.top;
    this.top = ptr + align64(bytes);
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

  /** Views over the whole memory, valid up to everything allocated so far. */
  views(): MemoryViews {
    let v = this.cached;
    // a grown private memory detaches the old buffer (byteLength 0); a grown shared one leaves it shorter
    if (!v || v.u8.byteLength < this.top) {
      const buf = this.wasm.memory.buffer;
      v = this.cached = { u8: new Uint8Array(buf), i32: new Int32Array(buf), f32: new Float32Array(buf), f64: new Float64Array(buf) };
    }
    return v;
  }

  /** The whole-memory view with the element type of `a` (bool as bytes). */
  viewOf(a: TypedArray): TypedArray {
    const m = this.views();
    return a instanceof Float32Array ? m.f32 : a instanceof Float64Array ? m.f64 : a instanceof Int32Array ? m.i32 : m.u8;
  }

  /** A float32 view of `n` elements at `ptr`. */
  f32(ptr: number, n: number): Float32Array {
    return this.views().f32.subarray(ptr >> 2, (ptr >> 2) + n);
  }

  /** A float64 view of `n` elements at `ptr`. */
  f64(ptr: number, n: number): Float64Array {
    return this.views().f64.subarray(ptr >> 3, (ptr >> 3) + n);
  }

  /** A view of the same element type as `like`, `n` elements at `ptr`. */
  like(like: TypedArray, ptr: number, n: number): TypedArray {
    const at = ptr / like.BYTES_PER_ELEMENT;
    return this.viewOf(like).subarray(at, at + n);
  }

  /**
   * Copies the storage span a view reaches (from its lowest to its highest element) into scratch memory and
   * returns where, with the view's strides relative to that copy. Transposed or broadcast views are staged as
   * they are; the kernel reads them through the strides.
   */
  stage(v: View): Staged {
    const { lo, len } = span(v);
    const bpe = v.data.BYTES_PER_ELEMENT;
    const ptr = this.alloc(len * bpe);
    copyTo(this.viewOf(v.data), ptr / bpe, v.data, lo, len);
    return { ptr: ptr + (v.offset - lo) * bpe, strides: v.strides };
  }

  /** Copies `dst.length` elements at `ptr` into `dst`. */
  unstage(ptr: number, dst: TypedArray): void {
    copyTo(dst, 0, this.viewOf(dst), ptr / dst.BYTES_PER_ELEMENT, dst.length);
  }
}
