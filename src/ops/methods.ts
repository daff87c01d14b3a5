// Installs the ops as Tensor methods. Declaration merging gives them types; each forwards to the free function,
// whose TSDoc carries the example.
import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import * as P from '../autograd/prims.js';
import type { Operand } from '../autograd/prims.js';
import { backward, type BackwardOptions } from '../autograd/engine.js';
import { accumulatorOf } from '../autograd/tape.js';
import * as E from './elementwise.js';
import * as R from './reduction.js';
import * as S from './shape.js';
import { matmul } from './linalg.js';
import * as I from './inplace.js';
import type { Generator } from '../tensor/random.js';
import { formatTensor } from '../tensor/format.js';
import { AutogradError } from '../errors.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    /** {@link add} */ add(other: Operand): Tensor;
    /** {@link sub} */ sub(other: Operand): Tensor;
    /** {@link mul} */ mul(other: Operand): Tensor;
    /** {@link div} */ div(other: Operand): Tensor;
    /** {@link pow} */ pow(exponent: Operand): Tensor;
    /** {@link maximum} */ maximum(other: Operand): Tensor;
    /** {@link minimum} */ minimum(other: Operand): Tensor;
    /** {@link gt} */ gt(other: Operand): Tensor;
    /** {@link ge} */ ge(other: Operand): Tensor;
    /** {@link lt} */ lt(other: Operand): Tensor;
    /** {@link le} */ le(other: Operand): Tensor;
    /** {@link eq} */ eq(other: Operand): Tensor;
    /** {@link ne} */ ne(other: Operand): Tensor;
    /** {@link neg} */ neg(): Tensor;
    /** {@link exp} */ exp(): Tensor;
    /** {@link log} */ log(): Tensor;
    /** {@link log1p} */ log1p(): Tensor;
    /** {@link expm1} */ expm1(): Tensor;
    /** {@link sqrt} */ sqrt(): Tensor;
    /** {@link rsqrt} */ rsqrt(): Tensor;
    /** {@link abs} */ abs(): Tensor;
    /** {@link sign} */ sign(): Tensor;
    /** {@link sin} */ sin(): Tensor;
    /** {@link cos} */ cos(): Tensor;
    /** {@link tanh} */ tanh(): Tensor;
    /** {@link sigmoid} */ sigmoid(): Tensor;
    /** {@link relu} */ relu(): Tensor;
    /** {@link clamp} */ clamp(min?: Operand | null, max?: Operand | null): Tensor;
    /** {@link sum} */ sum(dim?: R.Dims, keepdim?: boolean): Tensor;
    /** {@link mean} */ mean(dim?: R.Dims, keepdim?: boolean): Tensor;
    /** {@link prod} */ prod(dim?: R.Dims, keepdim?: boolean): Tensor;
    /** {@link max} */ max(dim?: R.Dims, keepdim?: boolean): Tensor;
    /** {@link min} */ min(dim?: R.Dims, keepdim?: boolean): Tensor;
    /** {@link argmax} */ argmax(dim?: number | null, keepdim?: boolean): Tensor;
    /** {@link argmin} */ argmin(dim?: number | null, keepdim?: boolean): Tensor;
    /** {@link variance} (PyTorch's `var`) */ var(dim?: R.Dims, keepdim?: boolean, correction?: number): Tensor;
    /** {@link std} */ std(dim?: R.Dims, keepdim?: boolean, correction?: number): Tensor;
    /** {@link logsumexp} */ logsumexp(dim?: R.Dims, keepdim?: boolean): Tensor;
    /** {@link softmax} */ softmax(dim: number): Tensor;
    /** {@link logSoftmax} */ logSoftmax(dim: number): Tensor;
    /** {@link reshape} */ reshape(shape: readonly number[]): Tensor;
    /** {@link view} */ view(shape: readonly number[]): Tensor;
    /** {@link flatten} */ flatten(startDim?: number, endDim?: number): Tensor;
    /** {@link squeeze} */ squeeze(dim?: number | readonly number[]): Tensor;
    /** {@link unsqueeze} */ unsqueeze(dim: number): Tensor;
    /** {@link transpose} */ transpose(dim0: number, dim1: number): Tensor;
    /** {@link permute} */ permute(dims: readonly number[]): Tensor;
    /** {@link expand} */ expand(shape: readonly number[]): Tensor;
    /** {@link narrow} */ narrow(dim: number, start: number, length: number): Tensor;
    /** {@link indexSelect} */ indexSelect(dim: number, index: Tensor): Tensor;
    /** {@link gather} */ gather(dim: number, index: Tensor): Tensor;
    /** {@link scatterAdd} */ scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /** {@link split} */ split(sizeOrSizes: number | readonly number[], dim?: number): Tensor[];
    /** {@link chunk} */ chunk(chunks: number, dim?: number): Tensor[];
    /** {@link contiguous} */ contiguous(): Tensor;
    /** {@link clone} */ clone(): Tensor;
    /** {@link detach} */ detach(): Tensor;
    /** {@link matmul} */ matmul(other: Tensor): Tensor;
    /**
     * Copies `src` (broadcast to this shape, converted to this dtype) into this tensor's memory. In-place writes
     * bump the version counter; on a leaf that requires grad they are allowed only inside `noGrad`.
     *
     * @example
     * ```ts
     * const w = zeros([2, 2]);
     * w.copy_(tensor([1, 2]));
     * w.toArray(); // [[1, 2], [1, 2]]
     * ```
     */
    copy_(src: Tensor): this;
    /**
     * Sets every element to `value`, in place (see {@link Tensor.copy_}).
     *
     * @example
     * ```ts
     * zeros([2]).fill_(2.5).toArray(); // [2.5, 2.5]
     * ```
     */
    fill_(value: number | boolean): this;
    /**
     * Sets every element to 0, in place (see {@link Tensor.copy_}).
     *
     * @example
     * ```ts
     * ones([2]).zero_().toArray(); // [0, 0]
     * ```
     */
    zero_(): this;
    /**
     * Adds `alpha · other` (default alpha 1) into this tensor, in place: PyTorch's `add_`. `other` broadcasts to
     * this tensor's shape, and the result must cast to its dtype (a float result into an int32 tensor is a
     * DTypeError). In-place writes bump the version counter; on a leaf that requires grad (or a view of one) they
     * are allowed only inside `noGrad`, as in an optimizer step.
     *
     * @example
     * ```ts
     * const x = ones([2, 3]);
     * x.add_(tensor([1, 2, 3])).toArray();    // [[2, 3, 4], [2, 3, 4]]
     * x.add_(1, { alpha: 2 }).toArray()[0];   // [4, 5, 6]
     * const w = tensor([1, 2], { requiresGrad: true });
     * noGrad(() => w.add_(tensor([0.5, 0.5]), { alpha: -0.1 })).toArray(); // [0.95, 1.95]
     * errorOf(() => w.add_(1)) instanceof AutogradError;                   // true
     * errorOf(() => tensor([1, 2], { dtype: 'int32' }).add_(0.5)) instanceof DTypeError; // true
     * ```
     */
    add_(other: Operand, opts?: { alpha?: number }): this;
    /**
     * Subtracts `alpha · other` (default alpha 1) from this tensor, in place: PyTorch's `sub_` (rules as
     * {@link Tensor.add_}; bool operands are refused, as by {@link sub}).
     *
     * @example
     * ```ts
     * tensor([5, 5]).sub_(tensor([1, 2])).toArray();       // [4, 3]
     * tensor([5, 5]).sub_(2, { alpha: 0.5 }).toArray();     // [4, 4]
     * ```
     */
    sub_(other: Operand, opts?: { alpha?: number }): this;
    /**
     * Multiplies this tensor by `other`, in place: PyTorch's `mul_` (rules as {@link Tensor.add_}).
     *
     * @example
     * ```ts
     * tensor([[1, 2], [3, 4]]).mul_(tensor([10, 100])).toArray(); // [[10, 200], [30, 400]]
     * ```
     */
    mul_(other: Operand): this;
    /**
     * Divides this tensor by `other` (true division), in place: PyTorch's `div_` (rules as {@link Tensor.add_};
     * an int32 tensor cannot hold the float quotient, so it is refused).
     *
     * @example
     * ```ts
     * tensor([1, 2]).div_(4).toArray(); // [0.25, 0.5]
     * errorOf(() => tensor([1, 2], { dtype: 'int32' }).div_(2)) instanceof DTypeError; // true
     * ```
     */
    div_(other: Operand): this;
    /**
     * Clamps every element into [min, max], in place: PyTorch's `clamp_` (rules as {@link Tensor.add_}; bounds
     * as {@link clamp}).
     *
     * @example
     * ```ts
     * tensor([-2, 0.5, 3]).clamp_(0, 1).toArray();    // [0, 0.5, 1]
     * tensor([-2, 0.5, 3]).clamp_(null, 0).toArray(); // [-2, 0, 0]
     * ```
     */
    clamp_(min?: Operand | null, max?: Operand | null): this;
    /** Fills with uniform samples in [low, high) from the seeded generator, in place. */
    uniform_(low?: number, high?: number, opts?: { generator?: Generator }): this;
    /** Fills with normal samples of the given mean and std from the seeded generator, in place. */
    normal_(mean?: number, std?: number, opts?: { generator?: Generator }): this;
    /** A copy converted to `dtype` (this tensor when it already has it); differentiable between float dtypes. */
    to(dtype: DType): Tensor;
    /**
     * Computes the gradient of this tensor with respect to the leaves of its graph and accumulates it into
     * their `.grad`. A non-scalar tensor needs `gradient` (the vector in the vector-Jacobian product).
     */
    backward(gradient?: Tensor | null, opts?: BackwardOptions): void;
    /** Makes `backward()` fill this non-leaf tensor's `.grad` too. */
    retainGrad(): void;
    /** Whether `.grad` is kept for this tensor (leaves that require grad, and tensors that called `retainGrad()`). */
    readonly retainsGrad: boolean;
    /** Prints like PyTorch: values (summarized when large), dtype when not the default, grad info. */
    toString(): string;
  }
}

type Methods = Omit<{ [K in keyof Tensor]: Tensor[K] }, 'retainsGrad'>;

const methods: Partial<Record<keyof Methods, (this: Tensor, ...args: any[]) => unknown>> = {
  add(o: Operand) { return P.add(this, o); },
  sub(o: Operand) { return P.sub(this, o); },
  mul(o: Operand) { return P.mul(this, o); },
  div(o: Operand) { return P.div(this, o); },
  pow(o: Operand) { return P.pow(this, o); },
  maximum(o: Operand) { return P.maximum(this, o); },
  minimum(o: Operand) { return P.minimum(this, o); },
  gt(o: Operand) { return P.gt(this, o); },
  ge(o: Operand) { return P.ge(this, o); },
  lt(o: Operand) { return P.lt(this, o); },
  le(o: Operand) { return P.le(this, o); },
  eq(o: Operand) { return P.eq(this, o); },
  ne(o: Operand) { return P.ne(this, o); },
  neg() { return P.neg(this); },
  exp() { return P.exp(this); },
  log() { return P.log(this); },
  log1p() { return P.log1p(this); },
  expm1() { return P.expm1(this); },
  sqrt() { return P.sqrt(this); },
  rsqrt() { return E.rsqrt(this); },
  abs() { return P.abs(this); },
  sign() { return P.sign(this); },
  sin() { return P.sin(this); },
  cos() { return P.cos(this); },
  tanh() { return P.tanh(this); },
  sigmoid() { return P.sigmoid(this); },
  relu() { return P.relu(this); },
  clamp(min?: Operand | null, max?: Operand | null) { return E.clamp(this, min, max); },
  sum(dim?: R.Dims, keepdim?: boolean) { return R.sum(this, dim, keepdim); },
  mean(dim?: R.Dims, keepdim?: boolean) { return R.mean(this, dim, keepdim); },
  prod(dim?: R.Dims, keepdim?: boolean) { return R.prod(this, dim, keepdim); },
  max(dim?: R.Dims, keepdim?: boolean) { return R.max(this, dim, keepdim); },
  min(dim?: R.Dims, keepdim?: boolean) { return R.min(this, dim, keepdim); },
  argmax(dim?: number | null, keepdim?: boolean) { return R.argmax(this, dim, keepdim); },
  argmin(dim?: number | null, keepdim?: boolean) { return R.argmin(this, dim, keepdim); },
  var(dim?: R.Dims, keepdim?: boolean, correction?: number) { return R.variance(this, dim, keepdim, correction); },
  std(dim?: R.Dims, keepdim?: boolean, correction?: number) { return R.std(this, dim, keepdim, correction); },
  logsumexp(dim?: R.Dims, keepdim?: boolean) { return R.logsumexp(this, dim, keepdim); },
  softmax(dim: number) { return R.softmax(this, dim); },
  logSoftmax(dim: number) { return R.logSoftmax(this, dim); },
  reshape(shape: number[]) { return S.reshape(this, shape); },
  view(shape: number[]) { return S.view(this, shape); },
  flatten(s?: number, e?: number) { return S.flatten(this, s, e); },
  squeeze(dim?: number | number[]) { return S.squeeze(this, dim); },
  unsqueeze(dim: number) { return S.unsqueeze(this, dim); },
  transpose(a: number, b: number) { return S.transpose(this, a, b); },
  permute(dims: number[]) { return S.permute(this, dims); },
  expand(shape: number[]) { return S.expand(this, shape); },
  narrow(dim: number, start: number, length: number) { return S.narrow(this, dim, start, length); },
  indexSelect(dim: number, index: Tensor) { return S.indexSelect(this, dim, index); },
  gather(dim: number, index: Tensor) { return S.gather(this, dim, index); },
  scatterAdd(dim: number, index: Tensor, src: Tensor) { return S.scatterAdd(this, dim, index, src); },
  split(s: number | number[], dim?: number) { return S.split(this, s, dim); },
  chunk(n: number, dim?: number) { return S.chunk(this, n, dim); },
  contiguous() { return S.contiguous(this); },
  clone() { return S.clone(this); },
  detach() { return S.detach(this); },
  matmul(o: Tensor) { return matmul(this, o); },
  to(dtype: DType) { return P.cast(this, dtype); },
  copy_(src: Tensor) { return I.copy_(this, src); },
  fill_(v: number | boolean) { return I.fill_(this, v); },
  zero_() { return I.zero_(this); },
  add_(o: Operand, opts?: { alpha?: number }) { return I.add_(this, o, opts); },
  sub_(o: Operand, opts?: { alpha?: number }) { return I.sub_(this, o, opts); },
  mul_(o: Operand) { return I.mul_(this, o); },
  div_(o: Operand) { return I.div_(this, o); },
  clamp_(min?: Operand | null, max?: Operand | null) { return I.clamp_(this, min, max); },
  uniform_(lo?: number, hi?: number, o?: { generator?: Generator }) { return I.uniform_(this, lo, hi, o); },
  normal_(m?: number, sd?: number, o?: { generator?: Generator }) { return I.normal_(this, m, sd, o); },
  backward(gradient?: Tensor | null, opts?: BackwardOptions) { backward(this, gradient, opts); },
  retainGrad() {
    if (!this.requiresGrad) throw new AutogradError(`retainGrad: a tensor of shape [${this.shape.join(', ')}] that does not require grad has no gradient to retain`);
    if (this.gradFn) this.gradFn.retained = new WeakRef(this);
    else accumulatorOf(this);
  },
  toString() { return formatTensor(this); },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
Object.defineProperty(Tensor.prototype, 'retainsGrad', {
  get(this: Tensor) { return this.gradFn ? this.gradFn.retained?.deref() === this : this.requiresGrad; },
  configurable: true,
});
Object.defineProperty(Tensor.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: Tensor) { return formatTensor(this); },
  configurable: true,
});
