// In-place writes: copy_, fill_, zero_, uniform_, normal_, the arithmetic add_, sub_, mul_, div_, clamp_ (and
// the fused optimizer updates). They are what initialization, loadStateDict, optimizers and running statistics
// use. Each writes through the backend's `assign` and bumps the storage's version (shared by all views of it),
// so a backward that saved the old values fails loudly instead of using the new ones. The arithmetic ones
// compute their result out of place, then write it as copy_ does: the result must keep the written tensor's
// shape (the other operand broadcasts to it) and cast to its dtype by PyTorch's rule (no float into int32, no
// number into bool).
//
// The tape does not record in-place ops (PyTorch does, rebasing the written tensor's history onto the write).
// So, while grad mode is on, a write is refused (AutogradError) when it would make gradients wrong:
// - into a leaf that requires grad, or a view of one (as PyTorch refuses): its gradient would be taken at
//   values it no longer has; wrap the write in noGrad, as optimizers and nn.init do;
// - into any other tensor that requires grad (an op's output), or from a source that requires grad: the
//   tape would miss the write, and PyTorch's history rewriting is not implemented; compute a new tensor.
// Under noGrad every write is allowed: it is not differentiated, and the version check still catches a
// saved tensor that changed. A view made under noGrad (or by detach()) of a leaf that requires grad does not
// require grad, so writes into it are allowed (tapegrad keeps no link from a view to its base).
import { Tensor } from '../tensor/tensor.js';
import { sameShape, shapeStr } from '../tensor/shape.js';
import { full, rand, randn, type RandomOptions } from '../tensor/creation.js';
import { getBackend, type Fused, type FusedParams } from '../backend/index.js';
import { isGradEnabled, noGrad } from '../autograd/grad-mode.js';
import { bumpVersion, type Node } from '../autograd/node.js';
import { ArgumentError, AutogradError, DTypeError, FormatError, IndexError, ShapeError, ValueError, isTapegradError } from '../errors.js';
import { checkOptions, checkNumber, describeValue } from '../utils/args.js';
import { isFloating, type DType } from '../tensor/dtype.js';
import * as P from '../autograd/prims.js';
import type { Operand } from '../autograd/prims.js';
import * as E from './elementwise.js';
import * as S from './shape.js';

const describeTensor = (t: Tensor) => `of shape ${shapeStr(t.shape)} (${t.dtype})`;

/** The leaf that requires grad whose memory `t` (a non-leaf) views, found by walking back its tape. */
function viewedLeaf(t: Tensor): Tensor | null {
  const seen = new Set<Node>();
  const stack: Node[] = t.gradFn ? [t.gradFn] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.leaf && n.leaf.storage === t.storage && n.leaf.requiresGrad) return n.leaf;
    for (const m of n.next) if (m && !seen.has(m)) stack.push(m);
  }
  return null;
}

/** PyTorch's rule: in-place writes on tensors the tape tracks are refused while grad mode is on. */
function checkWritable(op: string, dst: Tensor, src?: Tensor): void {
  if (!(dst instanceof Tensor)) throw new ArgumentError(`${op}: expected a Tensor to write into, got ${describeValue(dst, 'object')}`);
  if (!isGradEnabled()) return;
  const hint = 'wrap the write in noGrad(() => …), as optimizers and nn.init do';
  if (dst.requiresGrad && dst.isLeaf) {
    throw new AutogradError(`${op}: a leaf tensor of shape ${shapeStr(dst.shape)} that requires grad is being used in an in-place operation; ${hint}`);
  }
  if (dst.requiresGrad) {
    const leaf = viewedLeaf(dst);
    if (leaf) {
      throw new AutogradError(`${op}: a view (shape ${shapeStr(dst.shape)}) of a leaf tensor ${describeTensor(leaf)} that requires grad is being used in an in-place operation; ${hint}`);
    }
    throw new AutogradError(`${op}: in-place operations are not recorded on the tape, and the tensor written ${describeTensor(dst)} requires grad (it is the output of '${dst.gradFn!.name}'), so its gradients would be wrong; compute a new tensor instead (out of place), or write inside noGrad(() => …) if the write must not be differentiated`);
  }
  if (src?.requiresGrad) {
    throw new AutogradError(`${op}: in-place operations are not recorded on the tape, and the source ${describeTensor(src)} requires grad, so no gradient would reach it through the write; use the source itself (or clone() it), or write inside noGrad(() => …) or from src.detach() if no gradient should flow`);
  }
}

/**
 * Writes `src` (broadcast to `dst`'s shape) into `dst`'s memory and bumps its version. As in PyTorch, only
 * fill_ and zero_ (one value everywhere) may write into a tensor whose elements share memory (an expand()).
 */
function write(op: string, dst: Tensor, src: Tensor): Tensor {
  if (op !== 'fill_' && op !== 'zero_' && dst.shape.some((d, i) => d > 1 && dst.strides[i] === 0)) {
    throw new ValueError(`${op}: unsupported operation: more than one element of the written-to tensor (shape ${shapeStr(dst.shape)}, strides [${dst.strides.join(', ')}], e.g. from expand()) refers to a single memory location; clone() it first`);
  }
  const lead = dst.ndim - src.ndim;
  if (lead < 0 || src.shape.some((d, i) => d !== 1 && d !== dst.shape[lead + i])) {
    throw new ShapeError(`${op}: the source of shape ${shapeStr(src.shape)} does not broadcast to the destination's shape ${shapeStr(dst.shape)}`);
  }
  noGrad(() => {
    // a source over the same memory is copied first, so the write cannot read what it already overwrote
    const s = src.storage === dst.storage ? S.clone(src) : src;
    if (dst.numel() > 0) getBackend().assign(dst, S.expand(s, dst.shape));
  });
  bumpVersion(dst.storage, op);
  return dst;
}

/** `dst.copy_(src)`: copies `src`'s values into `dst` (broadcasting, converting dtype). */
export function copy_(dst: Tensor, src: Tensor): Tensor {
  if (!(src instanceof Tensor)) throw new ArgumentError(`copy_: expected a source Tensor, got ${describeValue(src, 'object')}`);
  checkWritable('copy_', dst, src);
  return write('copy_', dst, src);
}

/** `dst.fill_(value)`: sets every element to `value`. */
export function fill_(dst: Tensor, value: number | boolean, op = 'fill_'): Tensor {
  checkWritable(op, dst);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ArgumentError(`${op}: expected a number, got ${describeValue(value)}`);
  return write(op, dst, full([], value, { dtype: dst.dtype }));
}

/** Whether a value of dtype `from` can be written into `to` by an in-place op (PyTorch's canCast). */
function canCast(from: DType, to: DType): boolean {
  if (from === to || isFloating(to)) return true;
  return to === 'int32' ? from === 'bool' : false;
}

const ERROR_CLASSES: readonly (new (message: string, options?: ErrorOptions) => Error)[] = [
  ShapeError, IndexError, ValueError, DTypeError, ArgumentError, FormatError, AutogradError,
];

/** Runs the out-of-place op (under noGrad), its errors renamed from `add:` to `add_:`, the op the caller called. */
function outOfPlace(op: string, f: () => Tensor): Tensor {
  try {
    return noGrad(f);
  } catch (e) {
    if (!isTapegradError(e) || `${e.op}_` !== op) throw e;
    const Class = ERROR_CLASSES.find((C) => e.constructor === C);
    if (!Class) throw e;
    throw new Class(`${op}${e.message.slice(e.op.length)}`, { cause: e });
  }
}

function checkOperand(op: string, name: string, v: unknown): asserts v is Operand {
  if (!(v instanceof Tensor) && typeof v !== 'number' && typeof v !== 'boolean') {
    throw new ArgumentError(`${op}: expected ${name} to be a Tensor or a number, got ${describeValue(v, 'object')}`);
  }
}

/**
 * The in-place form of an elementwise op: refuses what copy_ refuses (a leaf that requires grad or a view of one
 * outside noGrad, a tracked tensor, a source that requires grad), computes `f()` out of place, and writes it
 * into `dst` if it keeps `dst`'s shape and casts to its dtype.
 */
function inPlace(op: string, dst: Tensor, operands: readonly unknown[], f: () => Tensor): Tensor {
  checkWritable(op, dst, operands.find((o): o is Tensor => o instanceof Tensor && o !== dst && o.requiresGrad));
  const out = outOfPlace(op, f);
  if (!sameShape(out.shape, dst.shape)) {
    const shapes = operands.filter((o): o is Tensor => o instanceof Tensor).map((t) => shapeStr(t.shape)).join(' and ');
    throw new ShapeError(`${op}: got operands of shape ${shapes} that broadcast to ${shapeStr(out.shape)}, expected them to broadcast to self's shape ${shapeStr(dst.shape)} (an in-place op keeps self's shape)`);
  }
  if (!canCast(out.dtype, dst.dtype)) {
    throw new DTypeError(`${op}: got result type ${out.dtype}, expected one that can be cast to self's dtype ${dst.dtype} (an in-place op keeps self's dtype)`);
  }
  return write(op, dst, out);
}

/** `alpha` of add_ and sub_: a finite number, an integer when the operands are integral (PyTorch's rule). */
function checkAlpha(op: string, dst: Tensor, other: Operand, opts: unknown): number {
  const o = checkOptions(op, opts, ['alpha']);
  const alpha = o.alpha === undefined ? 1 : checkNumber(op, 'alpha', o.alpha, Number.isFinite, 'a finite number');
  const floatOperand = other instanceof Tensor ? isFloating(other.dtype) : typeof other === 'number' && !Number.isInteger(other);
  if (!Number.isInteger(alpha) && !isFloating(dst.dtype) && !floatOperand) {
    throw new ValueError(`${op}: got alpha ${alpha} for integral operands (${dst.dtype}), expected an integer`);
  }
  return alpha;
}

const isBool = (v: Operand) => typeof v === 'boolean' || (v instanceof Tensor && v.dtype === 'bool');

/**
 * dst ± alpha·other, with alpha·other formed in the operands' common dtype (as PyTorch's add and sub, which scale
 * in the op's dtype), a bool other kept bool (alpha ≠ 0 is true: add of bools with alpha is an or).
 */
function addScaled(op: 'add' | 'sub', dst: Tensor, other: Operand, alpha: number): Tensor {
  const f = op === 'add' ? P.add : P.sub;
  // sub refuses bool operands as given (PyTorch: "Subtraction, the `-` operator, with a bool tensor is not supported")
  if (alpha === 1 || (op === 'sub' && (isBool(dst) || isBool(other)))) return f(dst, other);
  const [a, b] = P.promote(op, [dst, other]);
  return f(a, P.mul(b, b.dtype === 'bool' ? alpha !== 0 : alpha));
}

/** `dst.add_(other, { alpha })`: dst + alpha·other, in place. */
export function add_(dst: Tensor, other: Operand, opts?: { alpha?: number }): Tensor {
  checkOperand('add_', 'other', other);
  const alpha = checkAlpha('add_', dst, other, opts);
  return inPlace('add_', dst, [dst, other], () => addScaled('add', dst, other, alpha));
}

/** `dst.sub_(other, { alpha })`: dst − alpha·other, in place. */
export function sub_(dst: Tensor, other: Operand, opts?: { alpha?: number }): Tensor {
  checkOperand('sub_', 'other', other);
  const alpha = checkAlpha('sub_', dst, other, opts);
  return inPlace('sub_', dst, [dst, other], () => addScaled('sub', dst, other, alpha));
}

/** `dst.mul_(other)`: dst · other, in place. */
export function mul_(dst: Tensor, other: Operand): Tensor {
  checkOperand('mul_', 'other', other);
  return inPlace('mul_', dst, [dst, other], () => P.mul(dst, other));
}

/** `dst.div_(other)`: dst / other (true division), in place. */
export function div_(dst: Tensor, other: Operand): Tensor {
  checkOperand('div_', 'other', other);
  return inPlace('div_', dst, [dst, other], () => P.div(dst, other));
}

/** `dst.clamp_(min, max)`: clamps into [min, max], in place. */
export function clamp_(dst: Tensor, min?: Operand | null, max?: Operand | null): Tensor {
  return inPlace('clamp_', dst, [dst, min, max], () => E.clamp(dst, min, max));
}

/** `dst.zero_()`: sets every element to 0 (fill_ under its own name, for errors). */
export function zero_(dst: Tensor): Tensor {
  return fill_(dst, 0, 'zero_');
}

function checkFloat(op: string, dst: Tensor): void {
  if (dst instanceof Tensor && dst.dtype !== 'float32' && dst.dtype !== 'float64') {
    throw new DTypeError(`${op}: expected a float32 or float64 tensor, got ${dst.dtype}`);
  }
}

/** `dst.uniform_(low, high)`: uniform samples in [low, high) from the seeded generator, row-major. */
export function uniform_(dst: Tensor, low = 0, high = 1, opts: Pick<RandomOptions, 'generator'> = {}): Tensor {
  checkWritable('uniform_', dst);
  checkFloat('uniform_', dst);
  if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high)) {
    throw new ValueError(`uniform_: expected finite low <= high, got low=${low}, high=${high}`);
  }
  const u = rand(dst.shape, { dtype: 'float64', generator: opts.generator });
  return write('uniform_', dst, noGrad(() => u.mul(high - low).add(low)));
}

/** `dst.normal_(mean, std)`: normal samples from the seeded generator, row-major. */
export function normal_(dst: Tensor, mean = 0, std = 1, opts: Pick<RandomOptions, 'generator'> = {}): Tensor {
  checkWritable('normal_', dst);
  checkFloat('normal_', dst);
  if (!(Number.isFinite(mean) && Number.isFinite(std) && std >= 0)) {
    throw new ValueError(`normal_: expected a finite mean and std >= 0, got mean=${mean}, std=${std}`);
  }
  const z = randn(dst.shape, { dtype: 'float64', generator: opts.generator });
  return write('normal_', dst, noGrad(() => z.mul(std).add(mean)));
}

/** Whether a fused kernel can take `t` as it is: contiguous, from the start of its storage to the end. */
function dense(t: Tensor, like: Tensor): boolean {
  return t.dtype === like.dtype && t.isContiguous() && t.offset === 0 && t.data.length === t.numel() && sameShape(t.shape, like.shape);
}

/**
 * @internal Runs a fused optimizer update (see {@link Fused}) on `[param, grad, ...state]`, writing the
 * parameter and its state in place (their versions bumped). Tensors the kernel cannot take as they are (a
 * strided parameter, a gradient of another dtype) go through contiguous copies.
 */
export function fusedUpdate_<F extends Fused>(kind: F, tensors: readonly Tensor[], params: FusedParams[F]): void {
  const [p] = tensors;
  tensors.forEach((t, i) => i !== 1 && checkWritable(`${kind} update`, t));
  noGrad(() => {
    const work = tensors.map((t) => (dense(t, p) ? t : S.clone(S.expand(t.to(p.dtype), p.shape))));
    if (p.numel() > 0) getBackend().fused[kind](work, params);
    tensors.forEach((t, i) => {
      if (i === 1) return; // the gradient is only read
      if (work[i] !== t) getBackend().assign(t, work[i]);
      bumpVersion(t.storage, `${kind} update`);
    });
  });
}
