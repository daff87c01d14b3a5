import { Tensor } from '../tensor/tensor.js';
import { shapeStr } from '../tensor/shape.js';
import { noGrad } from './grad-mode.js';
import type { VjpContext } from './node.js';
import { record } from './tape.js';
import { ArgumentError, AutogradError, ShapeError } from '../errors.js';
import { describeValue } from '../utils/args.js';

/** What a custom op's forward and backward share. Store anything else on it as extra properties. */
export interface FunctionContext {
  /** Keeps tensors for `backward` (checked against in-place changes, freed after backward). */
  saveForBackward(...tensors: Tensor[]): void;
  /** The tensors given to `saveForBackward`. */
  readonly savedTensors: readonly Tensor[];
  /** needsInputGrad[i]: argument i is a tensor that needs a gradient. */
  readonly needsInputGrad: readonly boolean[];
  [key: string]: unknown;
}

/** The definition of a custom differentiable op (PyTorch's `torch.autograd.Function`). */
export interface CustomOpDefinition<A extends unknown[]> {
  /** Shown in errors and in `gradFn`. */
  name: string;
  /** Computes the output. Runs without recording; tensor arguments are the op's inputs. */
  forward(ctx: FunctionContext, ...args: A): Tensor;
  /**
   * From the output's gradient, one gradient per argument (null for non-tensor arguments and for inputs that
   * need none). Write it with tensor ops: then `createGraph` differentiates it again.
   */
  backward(ctx: FunctionContext, grad: Tensor): Tensor | null | readonly (Tensor | null)[];
}

/** What customOp got instead of a definition: the value's kind, or which of the three members is wrong. */
function describeDef(def: unknown): string {
  if (typeof def !== 'object' || def === null || Array.isArray(def)) return describeValue(def, 'object');
  const d = def as Record<string, unknown>;
  const wrong = [['name', 'string'], ['forward', 'function'], ['backward', 'function']]
    .filter(([k, t]) => typeof d[k] !== t).map(([k]) => `${k} ${describeValue(d[k], 'object')}`);
  return `an object with ${wrong.join(', ')}`;
}

/**
 * Defines a differentiable op with a hand-written backward.
 *
 * @example
 * ```ts
 * const cube = customOp({
 *   name: 'cube',
 *   forward(ctx, x: Tensor) { ctx.saveForBackward(x); return x.mul(x).mul(x); },
 *   backward(ctx, g) { const [x] = ctx.savedTensors; return g.mul(x.mul(x).mul(3)); },
 * });
 * const x = tensor([2], { requiresGrad: true });
 * cube(x).backward();
 * x.grad!.item(); // 12
 * ```
 */
export function customOp<A extends unknown[]>(def: CustomOpDefinition<A>): (...args: A) => Tensor {
  if (typeof def?.forward !== 'function' || typeof def.backward !== 'function' || typeof def.name !== 'string') {
    throw new ArgumentError(`customOp: expected { name: string, forward(ctx, ...args), backward(ctx, grad) }, got ${describeDef(def)}`);
  }
  return (...args: A): Tensor => {
    const positions = args.flatMap((a, i) => (a instanceof Tensor ? [i] : []));
    const inputs = positions.map((i) => args[i] as Tensor);
    // Saved tensors live on the tape node (so they are version-checked and freed after backward); the context
    // reads them from the node while its backward runs.
    let saved: readonly Tensor[] = [];
    const ctx: FunctionContext = {
      saveForBackward: (...ts: Tensor[]) => {
        const bad = ts.findIndex((t) => !(t instanceof Tensor));
        if (bad >= 0) throw new ArgumentError(`${def.name}: saveForBackward takes Tensors, got ${describeValue(ts[bad], 'object')} as argument ${bad}`);
        saved = ts;
      },
      get savedTensors() { return saved; },
      needsInputGrad: args.map((a) => a instanceof Tensor && a.requiresGrad),
    };
    const result = noGrad(() => def.forward(ctx, ...args));
    if (!(result instanceof Tensor)) throw new ArgumentError(`${def.name}: forward must return a Tensor, got ${describeValue(result, 'object')}`);
    // A fresh tensor object, so that recording never rewrites an input's gradFn.
    const out = new Tensor(result.storage, result.shape, result.dtype, result.strides, result.offset);
    const forwardSaved = saved;
    saved = [];
    record(def.name, inputs, out, (g: Tensor, c: VjpContext<null>) => {
      saved = c.saved ?? [];
      let raw;
      try {
        raw = def.backward(ctx, g);
      } finally {
        saved = [];
      }
      const grads = raw instanceof Tensor || raw === null ? [raw] : [...raw];
      if (grads.length !== args.length && !(grads.length === inputs.length && inputs.length === args.length)) {
        throw new AutogradError(`${def.name}: backward returned ${grads.length} gradients for ${args.length} arguments; expected one per argument (null for non-tensors)`);
      }
      return positions.map((p, k) => {
        const gr = grads[p] ?? null;
        if (gr !== null && !(gr instanceof Tensor)) throw new AutogradError(`${def.name}: backward returned a non-Tensor gradient (${describeValue(gr, 'object')}) for argument ${p}; expected a Tensor or null`);
        if (gr && c.needs[k] && gr.shape.length < c.shapes[k].length) {
          throw new ShapeError(`${def.name}: backward returned a gradient of shape ${shapeStr(gr.shape)} for argument ${p} of shape ${shapeStr(c.shapes[k])}`);
        }
        return gr;
      });
    }, null, {}, forwardSaved);
    if (out.gradFn) out.gradFn.userCode = true;
    return out;
  };
}
