// In-place writes: copy_, fill_, zero_, uniform_, normal_. They are what initialization, loadStateDict and
// running statistics use. Each writes through the backend's `assign` and bumps the storage's version, so a
// backward that saved the old values fails loudly instead of using the new ones.
import { Tensor } from '../tensor/tensor.js';
import { sameShape, shapeStr } from '../tensor/shape.js';
import { full, rand, randn, type RandomOptions } from '../tensor/creation.js';
import { getBackend, type Fused, type FusedParams } from '../backend/index.js';
import { isGradEnabled, noGrad } from '../autograd/grad-mode.js';
import * as S from './shape.js';

/** PyTorch's rule: in-place writes on tensors the tape tracks are refused outside noGrad. */
function checkWritable(op: string, dst: Tensor, src?: Tensor): void {
  if (!(dst instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor to write into`);
  if (!isGradEnabled()) return;
  if (dst.requiresGrad && dst.isLeaf) {
    throw new Error(`${op}: a leaf tensor of shape ${shapeStr(dst.shape)} that requires grad is being used in an in-place operation; wrap the write in noGrad(() => ...)`);
  }
  if (dst.requiresGrad || src?.requiresGrad) {
    throw new Error(`${op}: in-place operations are not recorded on the tape; write into tensors that do not require grad, or inside noGrad(() => ...)`);
  }
}

/** Writes `src` (broadcast to `dst`'s shape) into `dst`'s memory and bumps its version. */
function write(op: string, dst: Tensor, src: Tensor): Tensor {
  const lead = dst.ndim - src.ndim;
  if (lead < 0 || src.shape.some((d, i) => d !== 1 && d !== dst.shape[lead + i])) {
    throw new RangeError(`${op}: the source of shape ${shapeStr(src.shape)} does not broadcast to the destination's shape ${shapeStr(dst.shape)}`);
  }
  noGrad(() => {
    // a source over the same memory is copied first, so the write cannot read what it already overwrote
    const s = src.storage === dst.storage ? S.clone(src) : src;
    if (dst.numel() > 0) getBackend().assign(dst, S.expand(s, dst.shape));
  });
  dst.storage.version++;
  return dst;
}

/** `dst.copy_(src)`: copies `src`'s values into `dst` (broadcasting, converting dtype). */
export function copy_(dst: Tensor, src: Tensor): Tensor {
  if (!(src instanceof Tensor)) throw new TypeError(`copy_: expected a source Tensor, got ${src === null ? 'null' : typeof src}`);
  checkWritable('copy_', dst, src);
  return write('copy_', dst, src);
}

/** `dst.fill_(value)`: sets every element to `value`. */
export function fill_(dst: Tensor, value: number | boolean): Tensor {
  checkWritable('fill_', dst);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new TypeError(`fill_: expected a number, got ${typeof value}`);
  return write('fill_', dst, full([], value, { dtype: dst.dtype }));
}

function checkFloat(op: string, dst: Tensor): void {
  if (dst instanceof Tensor && dst.dtype !== 'float32' && dst.dtype !== 'float64') {
    throw new TypeError(`${op}: expected a float32 or float64 tensor, got ${dst.dtype}`);
  }
}

/** `dst.uniform_(low, high)`: uniform samples in [low, high) from the seeded generator, row-major. */
export function uniform_(dst: Tensor, low = 0, high = 1, opts: Pick<RandomOptions, 'generator'> = {}): Tensor {
  checkWritable('uniform_', dst);
  checkFloat('uniform_', dst);
  if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high)) {
    throw new RangeError(`uniform_: expected finite low <= high, got low=${low}, high=${high}`);
  }
  const u = rand(dst.shape, { dtype: 'float64', generator: opts.generator });
  return write('uniform_', dst, noGrad(() => u.mul(high - low).add(low)));
}

/** `dst.normal_(mean, std)`: normal samples from the seeded generator, row-major. */
export function normal_(dst: Tensor, mean = 0, std = 1, opts: Pick<RandomOptions, 'generator'> = {}): Tensor {
  checkWritable('normal_', dst);
  checkFloat('normal_', dst);
  if (!(Number.isFinite(mean) && Number.isFinite(std) && std >= 0)) {
    throw new RangeError(`normal_: expected a finite mean and std >= 0, got mean=${mean}, std=${std}`);
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
  noGrad(() => {
    const work = tensors.map((t) => (dense(t, p) ? t : S.clone(S.expand(t.to(p.dtype), p.shape))));
    if (p.numel() > 0) getBackend().fused[kind](work, params);
    tensors.forEach((t, i) => {
      if (i === 1) return; // the gradient is only read
      if (work[i] !== t) getBackend().assign(t, work[i]);
      t.storage.version++;
    });
  });
}
