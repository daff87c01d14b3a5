import type { DType } from '../tensor/dtype.js';
import type { Storage, Tensor } from '../tensor/tensor.js';
import { releaseScratch } from '../tensor/pool.js';
import { shapeStr } from '../tensor/shape.js';
import { AutogradError } from '../errors.js';
import { creationSite } from './anomaly.js';

let nextSeq = 0;

/** The in-place op that last wrote each storage, named in the error of a backward that finds it changed. */
const lastWriter = new WeakMap<Storage, string>();

/** @internal Bumps `storage`'s version for an in-place write by `op` (copy_, fill_, …). */
export function bumpVersion(storage: Storage, op: string): void {
  storage.version++;
  lastWriter.set(storage, op);
}

/** @internal The tensors a node's context holds (saved inputs, output, and a custom op's extra ones). */
export function savedOf(ctx: VjpContext): Tensor[] {
  return [...ctx.inputs, ctx.out, ...(ctx.saved ?? [])].filter((t): t is Tensor => t !== null);
}

/** What a VJP gets: the tensors its node saved, its op's parameters, and which inputs need a gradient. */
export interface VjpContext<P = unknown> {
  /** The saved inputs (null where the rule did not save that input). */
  inputs: readonly (Tensor | null)[];
  /** The saved output (null unless the rule saved it). */
  out: Tensor | null;
  params: P;
  /** needs[i]: input i needs a gradient. */
  needs: readonly boolean[];
  /** Shapes and dtypes of the inputs (always kept, they are small). */
  shapes: readonly (readonly number[])[];
  dtypes: readonly DType[];
  /** Further tensors a custom op saved for its backward. */
  saved?: readonly Tensor[];
}

/** A vector-Jacobian product: from the output's gradient, one gradient per input (null where not needed). */
export type VjpFn<P = unknown> = (g: Tensor, ctx: VjpContext<P>) => (Tensor | null)[];

/**
 * One recorded op on the tape. Inputs were created before it, so they have smaller sequence numbers:
 * descending `seq` is a reverse topological order.
 */
export class Node {
  readonly seq = nextSeq++;
  /** Which saved tensors this node held, with the storage versions they had when saved. */
  private savedVersions: number[] = [];
  /** Set when the saved tensors were dropped after a backward without retainGraph. */
  released = false;
  /** The non-leaf tensor whose .grad this node fills, when it called retainGrad(). */
  retained: WeakRef<Tensor> | null = null;
  /** For leaf accumulators: the leaf tensor. */
  leaf: Tensor | null = null;
  /** Whether the VJP is user code (a custom op's backward), which may keep what it is given. */
  userCode = false;

  constructor(
    /** The op's name, as shown in errors and `gradFn`. */
    readonly name: string,
    /** The node producing each input's gradient, or null where that input needs none. */
    readonly next: readonly (Node | null)[],
    readonly inputDtypes: readonly DType[],
    readonly inputShapes: readonly (readonly number[])[],
    private ctx: VjpContext | null,
    private readonly vjp: VjpFn | null,
    /** The traceback of where the op was created (set when anomaly detection is on). */
    readonly stack?: string,
  ) {
    if (ctx) {
      for (const t of savedOf(ctx)) {
        this.savedVersions.push(t.storage.version);
        if (t.storage.scratchReaders !== undefined) t.storage.scratchReaders++;
      }
    }
  }

  get hadSaved(): boolean {
    return this.savedVersions.length > 0;
  }

  /** Runs this node's VJP on the gradient of its output. */
  apply(g: Tensor): (Tensor | null)[] {
    if (!this.vjp) return [];
    if (!this.ctx) {
      throw new AutogradError(`backward: trying to backward through the graph a second time (the saved tensors of '${this.name}' were freed after the first backward). Pass { retainGraph: true } to the first backward() if you need to backward twice; ${creationSite(this.name, this.stack)}`);
    }
    let k = 0;
    for (const t of savedOf(this.ctx)) {
      if (t.storage.version !== this.savedVersions[k]) {
        const by = lastWriter.get(t.storage);
        throw new AutogradError(`backward: a tensor of shape ${shapeStr(t.shape)} (${t.dtype}) saved by '${this.name}' was modified by an in-place operation${by ? ` (the last was ${by})` : ''} after '${this.name}' saved it (its version is ${t.storage.version}, expected ${this.savedVersions[k]}); clone it before modifying it in place, or modify it out of place; ${creationSite(this.name, this.stack)}`);
      }
      k++;
    }
    return this.vjp(g, this.ctx);
  }

  /** Drops the saved tensors (after a backward without retainGraph). */
  release(): void {
    if (this.ctx && this.hadSaved) {
      const saved = savedOf(this.ctx);
      this.ctx = null;
      this.released = true;
      // scratch memory (pool.ts) this node was the last to hold goes back for reuse
      for (const t of saved) {
        const s = t.storage;
        if (s.scratchReaders !== undefined && --s.scratchReaders === 0) releaseScratch(s);
      }
    }
  }

  /** @internal the saved context, for tests that check the tape releases memory */
  get savedContext(): VjpContext | null {
    return this.ctx;
  }
}
