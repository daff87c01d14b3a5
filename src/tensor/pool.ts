// Recycled memory for large intermediates the library creates and consumes itself, never handed to the user:
// scratch tensors (the unfolded windows of a convolution or a pooling), which come back when their last reader
// is done — the op itself, or the backward of each node that saved it — and the gradients a backward pass
// passes from node to node, which come back once consumed (see engine.ts). The next kernel output of the same
// dtype and length takes a recycled array instead of fresh memory. Fresh memory costs its first-touch page
// faults (measured here: writing a new 10 MB array takes 8× as long as rewriting an old one). A storage given
// back is emptied and marked, so a stray read throws instead of seeing another tensor's values.
import { allocate, arrayName, type DType, type TypedArray } from './dtype.js';
import type { Storage, Tensor } from './tensor.js';

/** Arrays shorter than this are not worth recycling (the allocator handles them well). */
const MIN_ELEMENTS = 1 << 16;
/** The most memory kept for reuse, in bytes. */
const MAX_BYTES = 256 * 2 ** 20;

const free = new Map<string, TypedArray[]>();
let heldBytes = 0;
let enabled = true;
/** @internal Large kernel outputs served from the pool (hits) or fresh (misses), for tests. */
export const poolStats = { hits: 0, misses: 0 };

/** @internal Runs `fn` with recycling off (nothing given back, nothing taken), for tests that compare. */
export function withoutPool<T>(fn: () => T): T {
  const prev = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

const key = (type: string, n: number) => `${type}:${n}`;

/** A recycled array for a kernel output (its old values still in it), or a fresh zeroed one. */
export function outputArray(dtype: DType, n: number): TypedArray {
  if (n >= MIN_ELEMENTS && enabled) {
    const a = free.get(key(arrayName(dtype), n))?.pop();
    if (a) {
      heldBytes -= a.byteLength;
      poolStats.hits++;
      return a;
    }
    poolStats.misses++;
  }
  return allocate(dtype, n);
}

/** Marks a fresh tensor's storage as scratch: recycled once {@link releaseScratch} finds no reader left. */
export function markScratch(t: Tensor): void {
  if (t.numel() >= MIN_ELEMENTS && t.offset === 0) t.storage.scratchReaders = 0;
}

/** Gives a scratch storage's array back when no saved reference to it is left. */
export function releaseScratch(s: Storage): void {
  if (s.scratchReaders === 0) recycle(s);
}

let owning: WeakSet<Storage> | null = null;

/** Records the storage of a new kernel output as owned by the running {@link owningOutputs} call, if any. */
export function noteOutput(s: Storage, n: number): void {
  if (owning && n >= MIN_ELEMENTS) owning.add(s);
}

/**
 * Runs `fn`, collecting into `owned` (when not null) the storages of the large kernel outputs it creates: the
 * caller owns them, and may {@link recycle} those it knows nothing else holds. Restores the previous collector
 * even if `fn` throws.
 */
export function owningOutputs<T>(owned: WeakSet<Storage> | null, fn: () => T): T {
  const prev = owning;
  owning = owned;
  try {
    return fn();
  } finally {
    owning = prev;
  }
}

/** Gives a storage's array to the pool; the storage is emptied and refuses reads from then on. */
export function recycle(s: Storage): void {
  if (s.released || !enabled) return;
  const a = s.release();
  if (heldBytes + a.byteLength > MAX_BYTES) return;
  const k = key(a.constructor.name, a.length);
  const list = free.get(k);
  if (list) list.push(a);
  else free.set(k, [a]);
  heldBytes += a.byteLength;
}
