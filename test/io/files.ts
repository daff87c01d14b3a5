// Safetensors files assembled by hand, for the tests that feed the loader good and broken files.
import { Tensor, type optim, type SavedStateDict } from '../../src/index.js';

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
