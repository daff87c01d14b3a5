import { Fused, type FusedKernel, type FusedParams, type Out } from '../prim.js';
import { fusedUpdates } from '../fused.js';
import { copyTo } from './arena.js';
import type { WasmContext } from './context.js';

// The fused optimizer updates in wasm SIMD for float32 (asm/optim.ts: the same bits as the JS loops of
// fused.ts, which float64 and small tensors keep using).

/** Copies the dense arrays in, runs `call` with their pointers, and copies back those at `written`. */
function onScratch(ctx: WasmContext, ts: readonly (Out | undefined)[], written: readonly number[], call: (ptrs: number[]) => void): void {
  const { arena } = ctx;
  arena.scoped(() => {
    const ptrs = ts.map((t) => (t ? arena.alloc(t.data.length * 4) : 0));
    const heap = arena.views().f32;
    ts.forEach((t, i) => t && copyTo(heap, ptrs[i] >> 2, t.data, 0, t.data.length));
    call(ptrs);
    for (const i of written) if (ts[i]) arena.unstage(ptrs[i], ts[i]!.data);
  });
}

const f32 = Math.fround;

/** The fused updates for a backend: wasm for float32 from `ctx.minElements / 16` elements (measured), else the JS loops. */
export function fusedKernels(ctx: WasmContext): { readonly [F in Fused]: FusedKernel<F> } {
  const small = (t: Out) => t.dtype !== 'float32' || t.data.length < ctx.minElements / 16;
  return {
    [Fused.Adam]: (ts, o: FusedParams[Fused.Adam]) => {
      if (small(ts[0])) return fusedUpdates[Fused.Adam](ts, o);
      const l2 = o.decoupled ? 0 : o.weightDecay;
      onScratch(ctx, [ts[0], ts[1], ts[2], ts[3], ts[4]], [0, 2, 3, 4], ([p, g, m, v, vmax]) => ctx.wasm.exports.adamF32(
        p, g, m, v, vmax, ts[0].data.length,
        f32(o.beta1), f32(1 - o.beta1), f32(o.beta2), f32(1 - o.beta2), f32(Math.sqrt(1 - o.beta2 ** o.step)), f32(o.eps),
        f32(o.lr / (1 - o.beta1 ** o.step)), f32(l2), f32(1 - o.lr * o.weightDecay),
        +(l2 !== 0), +o.decoupled, +o.maximize,
      ));
    },
    [Fused.Sgd]: (ts, o: FusedParams[Fused.Sgd]) => {
      if (small(ts[0])) return fusedUpdates[Fused.Sgd](ts, o);
      onScratch(ctx, [ts[0], ts[1], ts[2]], [0, 2], ([p, g, buf]) => ctx.wasm.exports.sgdF32(
        p, g, buf, ts[0].data.length,
        f32(o.weightDecay), f32(o.momentum), f32(1 - o.dampening), f32(o.lr),
        +(o.weightDecay !== 0), +o.nesterov, +o.maximize, +o.first,
      ));
    },
  };
}
