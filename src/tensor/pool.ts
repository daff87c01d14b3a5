// Recycled memory for scratch tensors: large intermediates the library creates and consumes itself (the
// unfolded windows of a convolution or a pooling), never handed to the user. When the last reader is done —
// the op itself, or the backward of each node that saved it — the array comes back here, and the next kernel
// output of the same dtype and length takes it instead of fresh memory. Fresh memory costs its first-touch page
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

const key = (type: string, n: number) => `${type}:${n}`;

/** A recycled array for a kernel output (its old values still in it), or a fresh zeroed one. */
export function outputArray(dtype: DType, n: number): TypedArray {
  if (n >= MIN_ELEMENTS) {
    const a = free.get(key(arrayName(dtype), n))?.pop();
    if (a) {
      heldBytes -= a.byteLength;
      return a;
    }
  }
  return allocate(dtype, n);
}

/** Marks a fresh tensor's storage as scratch: recycled once {@link releaseScratch} finds no reader left. */
export function markScratch(t: Tensor): void {
  if (t.numel() >= MIN_ELEMENTS && t.offset === 0) t.storage.scratchReaders = 0;
}

/** Gives a scratch storage's array back when no saved reference to it is left. */
export function releaseScratch(s: Storage): void {
  if (s.scratchReaders !== 0 || s.released) return;
  const a = s.release();
  if (heldBytes + a.byteLength > MAX_BYTES) return;
  const k = key(a.constructor.name, a.length);
  const list = free.get(k);
  if (list) list.push(a);
  else free.set(k, [a]);
  heldBytes += a.byteLength;
}
