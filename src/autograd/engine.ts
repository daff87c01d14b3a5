import { Tensor, type Storage } from '../tensor/tensor.js';
import { owningOutputs, recycle } from '../tensor/pool.js';
import { ones, zeros } from '../tensor/creation.js';
import { sameShape, shapeStr } from '../tensor/shape.js';
import { withGradMode } from './grad-mode.js';
import type { Node } from './node.js';
import { gradNodeOf } from './tape.js';
import { anomaly, checkBackward, quietly } from './anomaly.js';
import { AutogradError, ArgumentError, DTypeError, ShapeError, ValueError } from '../errors.js';
import { describeValue } from '../utils/args.js';
import { add, copy, reshape, sum } from './prims.js';

/** Options of `backward()`. */
export interface BackwardOptions {
  /** Keep the saved tensors so that the graph can be walked again (default: `createGraph`). */
  retainGraph?: boolean;
  /** Record the backward pass itself, so the gradients can be differentiated again (default false). */
  createGraph?: boolean;
}

/** Options of {@link grad}. */
export interface GradOptions extends BackwardOptions {
  /** Gradients of the outputs (required for non-scalar outputs). */
  gradOutputs?: Tensor | readonly (Tensor | null | undefined)[];
  /** Return zeros for inputs the outputs do not depend on, instead of throwing (default false). */
  allowUnused?: boolean;
}

/** Sums a gradient that has the (broadcast) shape of an op's output down to its input's shape. */
function sumTo(g: Tensor, shape: readonly number[], node: Node, i: number): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const ok = lead >= 0 && shape.every((d, k) => d === g.shape[k + lead] || d === 1);
  if (!ok) {
    throw new ShapeError(`backward: '${node.name}' returned a gradient of shape ${shapeStr(g.shape)} for input ${i} of shape ${shapeStr(shape)}; it cannot be reduced to that shape`);
  }
  const dims: number[] = [];
  for (let k = 0; k < g.ndim; k++) if (k < lead || (shape[k - lead] === 1 && g.shape[k] !== 1)) dims.push(k);
  return reshape(sum(g, dims, true), shape);
}

function seedGradient(op: string, root: Tensor, given: Tensor | null | undefined, k: number): Tensor {
  if (given === null || given === undefined) {
    if (root.numel() !== 1) {
      throw new ShapeError(`${op}: grad can be implicitly created only for scalar outputs; output ${k} has shape ${shapeStr(root.shape)}, so pass a gradient of that shape`);
    }
    return ones(root.shape, { dtype: root.dtype });
  }
  if (!(given instanceof Tensor)) throw new ArgumentError(`${op}: the gradient for output ${k} must be a Tensor, got ${describeValue(given, 'object')}`);
  if (!sameShape(given.shape, root.shape)) {
    throw new ShapeError(`${op}: the gradient for output ${k} has shape ${shapeStr(given.shape)} but the output has shape ${shapeStr(root.shape)}`);
  }
  if (given.dtype !== root.dtype) {
    throw new DTypeError(`${op}: the gradient for output ${k} has dtype ${given.dtype} but the output has dtype ${root.dtype}`);
  }
  return given;
}

/**
 * Walks the tape backwards from `roots`. With `targets`, returns the gradients reaching them and leaves `.grad`
 * alone (the `grad()` API); without, accumulates into the `.grad` of leaves and of tensors that `retainGrad()`.
 */
function runBackward(
  op: string, roots: readonly Tensor[], rootGrads: readonly (Tensor | null | undefined)[],
  opts: BackwardOptions, targets: readonly Tensor[] | null,
): (Tensor | null)[] {
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  const grads = new Map<Node, Tensor>();
  const accumulate = (n: Node, g: Tensor) => {
    const prev = grads.get(n);
    grads.set(n, prev ? add(prev, g) : g);
  };

  withGradMode(createGraph, () => {
    roots.forEach((r, k) => {
      const n = gradNodeOf(r);
      if (!n) throw new AutogradError(`${op}: output ${k} does not require grad and has no gradFn (was it computed under noGrad, or from tensors that do not require grad?)`);
      accumulate(n, seedGradient(op, r, rootGrads[k], k));
    });
  });

  // Every node reachable from the roots, newest first: inputs are always older than their consumers.
  const order: Node[] = [];
  const seen = new Set<Node>();
  const stack = [...grads.keys()];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    order.push(n);
    for (const m of n.next) if (m && !seen.has(m)) stack.push(m);
  }
  order.sort((a, b) => b.seq - a.seq);

  // With targets, only nodes that lead to a target run their VJP.
  let targetNodes: Map<Node, number[]> | null = null;
  let needed: Set<Node> | null = null;
  if (targets) {
    targetNodes = new Map();
    targets.forEach((t, i) => {
      const n = gradNodeOf(t);
      if (n) targetNodes!.set(n, [...(targetNodes!.get(n) ?? []), i]);
    });
    needed = new Set();
    for (let k = order.length - 1; k >= 0; k--) {
      const n = order[k];
      if (targetNodes.has(n) || n.next.some((m) => m && needed!.has(m))) needed.add(n);
    }
  }
  const captured: (Tensor | null)[] = targets ? targets.map(() => null) : [];

  // Without createGraph, the large gradients made here are the engine's own (pool.ts): one that a node has
  // consumed, that no VJP passed on and that no other node still waits for goes back for reuse. Whatever
  // reaches the user (a .grad, a captured gradient) or user code (a custom op's backward) is never recycled.
  const owned = createGraph ? null : new WeakSet<Storage>();
  const disown = (t: Tensor | null | undefined) => t && owned?.delete(t.storage);
  const consumed = (g: Tensor, passedOn: readonly (Tensor | null)[]) => {
    const s = g.storage;
    if (!owned?.has(s) || passedOn.some((r) => r?.storage === s)) return;
    for (const pending of grads.values()) if (pending.storage === s) return;
    owned.delete(s);
    recycle(s);
  };

  // In anomaly mode the VJPs' own ops skip the forward check: the backward check below judges each VJP.
  const checked = anomaly.on && anomaly.checkNan;
  const walk = () => {
    for (const n of order) {
      const g = grads.get(n);
      if (!g) continue;
      grads.delete(n);
      if (targetNodes) {
        for (const i of targetNodes.get(n) ?? []) {
          captured[i] = g;
          disown(g);
        }
        if (!n.next.some((m) => m && needed!.has(m))) continue;
      } else if (n.leaf) {
        const leaf = n.leaf;
        // a fresh contiguous copy: g may be shared with other inputs or be a broadcast view
        leaf.grad = leaf.grad ? add(leaf.grad, g) : copy(g);
        disown(leaf.grad);
        consumed(g, []);
        continue;
      } else if (n.retained) {
        const t = n.retained.deref();
        if (t) {
          t.grad = t.grad ? add(t.grad, g) : copy(g);
          disown(t.grad);
        }
      }
      if (n.userCode) disown(g);
      const results = n.userCode ? owningOutputs(null, () => n.apply(g)) : n.apply(g);
      if (checked) checkBackward(n, g, results, (i) => n.next[i] !== null && (!needed || needed.has(n.next[i]!)));
      for (let i = 0; i < n.next.length; i++) {
        const m = n.next[i], r = results[i];
        if (!m || !r || (needed && !needed.has(m))) continue;
        if (r.dtype !== n.inputDtypes[i]) {
          throw new DTypeError(`backward: '${n.name}' returned a gradient of dtype ${r.dtype} for input ${i} of dtype ${n.inputDtypes[i]}`);
        }
        accumulate(m, sumTo(r, n.inputShapes[i], n, i));
      }
      consumed(g, results);
      if (!retainGraph) n.release();
    }
  };
  withGradMode(createGraph, () => owningOutputs(owned, anomaly.on ? () => quietly(walk) : walk));
  return captured;
}

/** @internal `tensor.backward()`: accumulates gradients into the leaves' `.grad`. */
export function backward(root: Tensor, gradient?: Tensor | null, opts: BackwardOptions = {}): void {
  runBackward('backward', [root], [gradient], opts, null);
}

/**
 * Computes and returns the gradients of `outputs` with respect to `inputs`, without touching any `.grad`
 * (PyTorch's `torch.autograd.grad`).
 *
 * @example
 * ```ts
 * const x = tensor([3], { requiresGrad: true });
 * const y = x.pow(3);
 * const [dy] = grad(y, x, { createGraph: true });   // 3x² = 27
 * const [d2y] = grad(dy, x);                          // 6x = 18
 * ```
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], opts: GradOptions = {}): Tensor[] {
  const outs = outputs instanceof Tensor ? [outputs] : [...outputs];
  const ins = inputs instanceof Tensor ? [inputs] : [...inputs];
  const gos = opts.gradOutputs === undefined ? [] : opts.gradOutputs instanceof Tensor ? [opts.gradOutputs] : [...opts.gradOutputs];
  if (gos.length > 0 && gos.length !== outs.length) {
    throw new ValueError(`grad: got ${gos.length} gradOutputs for ${outs.length} outputs`);
  }
  ins.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentError(`grad: input ${i} is not a Tensor, got ${describeValue(t, 'object')}`);
    if (!t.requiresGrad) throw new AutogradError(`grad: input ${i} (shape ${shapeStr(t.shape)}) does not require grad`);
  });
  const got = runBackward('grad', outs, gos, opts, ins);
  return got.map((g, i) => {
    if (g) return g;
    if (!opts.allowUnused) {
      throw new AutogradError(`grad: input ${i} (shape ${shapeStr(ins[i].shape)}) was not used to compute the outputs; pass { allowUnused: true } to get zeros for it`);
    }
    return zeros(ins[i].shape, { dtype: ins[i].dtype });
  });
}
