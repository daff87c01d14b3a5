import type { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { Node, type VjpFn } from './node.js';
import { anomaly, captureStack, checkForward } from './anomaly.js';

/** Which tensors a VJP needs kept alive: input indices, and/or the output. */
export interface SaveSpec {
  inputs?: readonly number[];
  out?: boolean;
}

/** @internal The node that accumulates gradients into a leaf's `.grad`, made on first use. */
export function accumulatorOf(leaf: Tensor): Node {
  if (!leaf._accumulator) {
    const n = new Node('accumulateGrad', [], [], [], null, null);
    n.leaf = leaf;
    leaf._accumulator = n;
  }
  return leaf._accumulator;
}

/** @internal The node a gradient for `t` flows into: its producer, or its leaf accumulator. */
export function gradNodeOf(t: Tensor): Node | null {
  if (t.gradFn) return t.gradFn;
  return t.requiresGrad ? accumulatorOf(t) : null;
}

/**
 * Records `out = name(inputs)` on the tape when grad mode is on and an input requires grad.
 * Saves only what `save` names, so a recorded op keeps no more memory alive than its VJP needs.
 * In anomaly mode (anomaly.ts) the node keeps the traceback of its creation, and the output is checked for
 * NaN and ±Inf made from finite inputs; off, that costs one property read.
 */
export function record<P>(
  name: string, inputs: readonly Tensor[], out: Tensor, vjp: VjpFn<P>, params: P, save: SaveSpec = {}, extra?: readonly Tensor[],
): void {
  if (!isGradEnabled()) return;
  let any = false;
  const next = inputs.map((t) => {
    const n = gradNodeOf(t);
    if (n) any = true;
    return n;
  });
  if (!any) return;
  const ctx = {
    inputs: inputs.map((t, i) => (save.inputs?.includes(i) ? t : null)),
    out: save.out ? out : null,
    params,
    needs: next.map((n) => n !== null),
    shapes: inputs.map((t) => t.shape),
    dtypes: inputs.map((t) => t.dtype),
    saved: extra,
  };
  let stack: string | undefined;
  if (anomaly.on) {
    stack = captureStack();
    if (anomaly.checkNan) checkForward(name, inputs, out, params, stack);
  }
  out.gradFn = new Node(name, next, ctx.dtypes, ctx.shapes, ctx, vjp as VjpFn, stack);
  out._requiresGrad = true;
}
