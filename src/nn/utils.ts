// nn.utils: gradient clipping and flattening parameters, as torch.nn.utils.
import { Tensor } from '../tensor/tensor.js';
import { shapeStr } from '../tensor/shape.js';
import { tensor } from '../tensor/creation.js';
import { noGrad } from '../autograd/grad-mode.js';
import * as P from '../autograd/prims.js';
import { max, sum } from '../ops/reduction.js';
import { cat, reshape, narrow } from '../ops/shape.js';
import { checkBool, checkNumber, checkOptions, checkTensorArg, describeValue } from '../utils/args.js';
import { ArgumentError, ShapeError, ValueError } from '../errors.js';

function tensorsOf(op: string, params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = params instanceof Tensor ? [params] : params != null && typeof (params as Iterable<Tensor>)[Symbol.iterator] === 'function' ? [...params] : null;
  if (!list) throw new ArgumentError(`${op}: expected a Tensor or an iterable of Tensors, got ${describeValue(params, 'object')}`);
  const bad = list.findIndex((p) => !(p instanceof Tensor));
  if (bad >= 0) throw new ArgumentError(`${op}: expected a Tensor or an iterable of Tensors, got ${describeValue(list[bad], 'object')} at position ${bad}`);
  return list;
}

/**
 * Scales all gradients together so that their joint norm is at most `maxNorm`, in place, and returns the
 * norm they had (a 0-d tensor). As PyTorch: the scale is min(1, maxNorm / (norm + 1e-6)); `normType` may be
 * any p ≥ 1 or `Infinity` (the largest absolute value).
 *
 * @example
 * ```ts
 * const w = tensor([3, 4], { requiresGrad: true });
 * w.mul(w).div(2).sum().backward();       // grad = [3, 4], norm 5
 * nn.utils.clipGradNorm_([w], 1).item();  // 5
 * w.grad!.toArray();                      // [0.6, 0.8]
 * ```
 */
export function clipGradNorm_(
  params: Tensor | Iterable<Tensor>, maxNorm: number, normType = 2, opts: { errorIfNonfinite?: boolean } = {},
): Tensor {
  const op = 'clipGradNorm_';
  const grads = tensorsOf(op, params).map((p) => p.grad).filter((g): g is Tensor => g !== null);
  checkNumber(op, 'maxNorm', maxNorm, (x) => x >= 0, '≥ 0');
  checkNumber(op, 'normType', normType, (x) => x > 0, 'a positive number or Infinity');
  const o = checkOptions(op, opts, ['errorIfNonfinite']);
  const errorIfNonfinite = checkBool(op, 'errorIfNonfinite', o.errorIfNonfinite ?? false);
  if (grads.length === 0) return tensor(0);
  return noGrad(() => {
    const flat = cat(grads.map((g) => reshape(g, [-1]).to(grads[0].dtype)));
    const total = normType === Infinity ? max(P.abs(flat)) : P.pow(sum(P.pow(P.abs(flat), normType)), 1 / normType);
    const norm = total.item();
    if (errorIfNonfinite && !Number.isFinite(norm)) {
      throw new ValueError(`clipGradNorm_: the total norm of order ${normType} of the gradients is ${norm}; set errorIfNonfinite to false to clip anyway`);
    }
    const coef = Math.min(1, maxNorm / (norm + 1e-6));
    for (const g of grads) g.copy_(P.mul(g, coef));
    return total;
  });
}

/**
 * Clamps every gradient element into [-clipValue, clipValue], in place.
 *
 * @example
 * ```ts
 * const w = tensor([1, -5], { requiresGrad: true });
 * w.mul(w).sum().backward();          // grad = [2, -10]
 * nn.utils.clipGradValue_([w], 3);
 * w.grad!.toArray();                  // [2, -3]
 * ```
 */
export function clipGradValue_(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  const list = tensorsOf('clipGradValue_', params);
  checkNumber('clipGradValue_', 'clipValue', clipValue, (x) => x >= 0, '≥ 0');
  noGrad(() => {
    for (const p of list) if (p.grad) p.grad.copy_(p.grad.clamp(-clipValue, clipValue));
  });
}

/**
 * All parameters flattened and joined into one vector.
 *
 * @example
 * ```ts
 * nn.utils.parametersToVector(new nn.Linear(3, 2).parameters()).shape; // [8]
 * ```
 */
export function parametersToVector(params: Iterable<Tensor>): Tensor {
  return cat(tensorsOf('parametersToVector', params).map((p) => reshape(p, [-1])));
}

/**
 * Copies consecutive slices of `vec` into the parameters, in place (the inverse of parametersToVector).
 *
 * @example
 * ```ts
 * const lin = new nn.Linear(2, 1);
 * nn.utils.vectorToParameters(tensor([1, 2, 3]), lin.parameters());
 * lin.bias!.toArray(); // [3]
 * ```
 */
export function vectorToParameters(vec: Tensor, params: Iterable<Tensor>): void {
  const list = tensorsOf('vectorToParameters', params);
  checkTensorArg('vectorToParameters', vec, 'vec');
  if (vec.ndim !== 1) throw new ShapeError(`vectorToParameters: expected vec to be a 1-D Tensor, got shape ${shapeStr(vec.shape)}`);
  const total = list.reduce((n, p) => n + p.numel(), 0);
  if (vec.shape[0] !== total) throw new ShapeError(`vectorToParameters: vec has ${vec.shape[0]} elements, expected ${total} (the parameters' elements)`);
  noGrad(() => {
    let at = 0;
    for (const p of list) {
      p.copy_(reshape(narrow(vec, 0, at, p.numel()), p.shape));
      at += p.numel();
    }
  });
}
