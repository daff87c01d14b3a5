import { kernels } from './kernels.generated.js';
import { optionalNodeModule } from '../../utils/node.js';
import { ValueError } from '../../errors.js';

// Loads the compiled kernels (asm/) into one linear memory: shared when SharedArrayBuffer exists, so worker
// threads can run kernels on the same memory (threads.ts); private otherwise. The relaxed-SIMD build (fused
// multiply-add in GEMM) is used where the engine takes it: V8 ships relaxed SIMD from 11.4 (Node 22); on Node 20
// it sits behind a flag, which is switched on for the compile when nothing says otherwise
// (TAPEGRAD_WASM_RELAXED=0 keeps the plain SIMD build).

// Just the WebAssembly API used here, typed locally: Node's and TypeScript's non-DOM libs do not declare it.
/** A linear memory (WebAssembly.Memory). */
export interface LinearMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  validate(bytes: Uint8Array): boolean;
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => LinearMemory;
  Instance: new (module: object, imports: object) => { exports: object };
}
const WA = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;

/** The kernels' exports: functions on byte pointers into `memory`. */
export type KernelExports = Record<string, (...args: number[]) => number> & { heapBase(): number };

export interface WasmModule {
  /** The compiled module (a WebAssembly.Module), which worker threads instantiate on the same memory. */
  readonly module: object;
  readonly memory: LinearMemory;
  readonly exports: KernelExports;
  readonly shared: boolean;
  /** Whether the kernels use relaxed SIMD (fused multiply-add). */
  readonly relaxed: boolean;
}

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB: the most wasm32 addresses; a shared memory reserves it, a private one grows to it

function decode(b64: string): Uint8Array {
  return typeof Buffer !== 'undefined' ? Buffer.from(b64, 'base64') : Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** Whether the engine validates `bytes`, switching on V8's relaxed-SIMD flag on Node if that is what it takes. */
function relaxedOk(bytes: Uint8Array): boolean {
  const env = typeof process !== 'undefined' ? process.env?.TAPEGRAD_WASM_RELAXED : undefined;
  if (!WA || env === '0') return false;
  if (WA.validate(bytes)) return true;
  try {
    optionalNodeModule('v8')?.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return WA.validate(bytes);
}

function instantiate(shared: boolean): WasmModule {
  if (!WA) throw new Error('no WebAssembly');
  const fast = decode(shared ? kernels.sharedRelaxed : kernels.singleRelaxed);
  const relaxed = relaxedOk(fast);
  const module = new WA.Module(relaxed ? fast : decode(shared ? kernels.shared : kernels.single));
  const memory = new WA.Memory({ initial: 64, maximum: MAX_PAGES, shared });
  const instance = new WA.Instance(module, { env: { memory, abort: () => { throw new Error('tapegrad wasm: abort'); } } });
  return { module, memory, exports: instance.exports as unknown as KernelExports, shared, relaxed };
}

let loaded: WasmModule | null | undefined;

/** The kernels, or null where WebAssembly SIMD cannot run (the reference backend is used there). */
export function wasmModule(): WasmModule | null {
  if (loaded === undefined) {
    try {
      loaded = instantiate(typeof SharedArrayBuffer !== 'undefined');
    } catch {
      try {
        loaded = instantiate(false);
      } catch {
        loaded = null;
      }
    }
  }
  return loaded;
}

/** Grows `memory` so that byte `end` is addressable. */
export function ensureMemory(memory: LinearMemory, end: number): void {
  const have = memory.buffer.byteLength;
  if (end <= have) return;
  const pages = Math.ceil((end - have) / PAGE);
  if (have / PAGE + pages > MAX_PAGES) {
    throw new ValueError(`wasm backend: a kernel needs ${end} bytes of scratch memory, more than the 4 GiB WebAssembly can address`);
  }
  memory.grow(pages);
}
