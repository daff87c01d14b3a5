// Safetensors files assembled by hand, for the tests that feed the loader good and broken files.
import { expect } from 'vitest';
import { Tensor, type DType, type optim, type SavedStateDict } from '../../src/index.js';

/** A file: the 8-byte little-endian header length (the header's own unless `headerLength` is given), the header text, the data. */
export function safetensorsFile(headerText: string, data: ArrayLike<number> = [], headerLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** The tensor entries of a parsed header (all keys but `__metadata__`). */
export const tensorNames = (h: Record<string, unknown>): string[] => Object.keys(h).filter((k) => k !== '__metadata__');

/** The tensors of a module or optimizer state dict under the names a safetensors file gives them (`state.0.expAvg`). */
export function namedTensors(sd: SavedStateDict): [string, Tensor][] {
  if ('paramGroups' in sd && Array.isArray(sd.paramGroups)) {
    return Object.entries((sd as optim.OptimizerStateDict).state).flatMap(([i, s]) =>
      Object.entries(s).filter(([, v]) => v instanceof Tensor).map(([k, v]) => [`state.${i}.${k}`, v as Tensor] as [string, Tensor]));
  }
  return Object.entries(sd as Record<string, Tensor>);
}

/** The safetensors dtype codes and their element sizes. */
export const ST_CODE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
export const ST_SIZE: Record<string, number> = { F32: 4, F64: 8, I32: 4, BOOL: 1 };

export interface Parts { header: Record<string, unknown>; data: Uint8Array }

/** The header (by JSON.parse, independently of the reader) and data of a file, or null if they can't be read. */
export function splitFile(b: Uint8Array): Parts | null {
  if (b.length < 8) return null;
  const n = new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(0, true);
  if (n > BigInt(b.length - 8)) return null;
  try {
    const header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(8, 8 + Number(n))));
    return header !== null && typeof header === 'object' && !Array.isArray(header) ? { header, data: b.subarray(8 + Number(n)) } : null;
  } catch {
    return null;
  }
}

/** A tensor's values as bytes, in row-major order. */
export const bytesOf = (t: Tensor): Uint8Array => {
  const a = t.contiguous().toTypedArray();
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
};

/**
 * A loaded state dict must be exactly what the file's header says: the names, dtypes, shapes and bytes, each
 * tensor's storage no larger than its values, and no more memory in all than the file.
 */
export function expectMatchesFile(sd: SavedStateDict, file: Uint8Array): void {
  const parts = splitFile(file);
  if (!parts) throw new Error(`loaded a file of ${file.length} bytes whose header JSON.parse cannot read`);
  const { header, data } = parts;
  const named = namedTensors(sd);
  expect(named.map(([k]) => k).sort()).toEqual(tensorNames(header).sort());
  let total = 0;
  for (const [name, t] of named) {
    const e = header[name] as { dtype: string; shape: number[]; data_offsets: [number, number] };
    expect([ST_CODE[t.dtype], [...t.shape]]).toEqual([e.dtype, e.shape]);
    expect(t.storage.data.byteLength).toBe(t.numel() * ST_SIZE[e.dtype]);
    expect(bytesOf(t)).toEqual(data.subarray(e.data_offsets[0], e.data_offsets[1]));
    total += t.storage.data.byteLength;
  }
  expect(total).toBeLessThanOrEqual(file.length);
}
