import type { DType, TypedArray } from '../tensor/dtype.js';

/**
 * The primitive operations. Every differentiable op is a composition of these; each has exactly one
 * kernel per backend (views excepted: they only re-describe storage) and one VJP rule. A node on the tape
 * is named after its primitive.
 *
 * @example
 * ```ts
 * const y = tensor([1, 2], { requiresGrad: true }).exp();
 * y.gradFn!.name === Prim.Exp; // true
 * ```
 */
export enum Prim {
  // unary elementwise
  Neg = 'neg',
  Exp = 'exp',
  Log = 'log',
  Log1p = 'log1p',
  Expm1 = 'expm1',
  Sqrt = 'sqrt',
  Sin = 'sin',
  Cos = 'cos',
  Tanh = 'tanh',
  Sigmoid = 'sigmoid',
  Relu = 'relu',
  Abs = 'abs',
  Sign = 'sign',
  // binary elementwise (broadcasting)
  Add = 'add',
  Sub = 'sub',
  Mul = 'mul',
  Div = 'div',
  Pow = 'pow',
  Maximum = 'maximum',
  Minimum = 'minimum',
  // comparisons (bool result, not differentiable)
  Gt = 'gt',
  Ge = 'ge',
  Lt = 'lt',
  Le = 'le',
  Eq = 'eq',
  Ne = 'ne',
  Where = 'where',
  // dtype and layout
  Cast = 'cast',
  Copy = 'copy',
  // reductions
  Sum = 'sum',
  Prod = 'prod',
  Max = 'max',
  Argmax = 'argmax',
  /** x − log Σ exp(x) along one dim, in one pass: cross-entropy's core (a composite would take a dozen ops). */
  LogSoftmax = 'logSoftmax',
  // movement: views (no kernel)
  Reshape = 'reshape',
  Permute = 'permute',
  Expand = 'expand',
  Narrow = 'narrow',
  // movement: copies
  Pad = 'pad',
  Cat = 'cat',
  Gather = 'gather',
  ScatterAdd = 'scatterAdd',
  // linear algebra and convolution
  Matmul = 'matmul',
  Unfold = 'unfold',
  Fold = 'fold',
}

export type UnaryPrim =
  | Prim.Neg | Prim.Exp | Prim.Log | Prim.Log1p | Prim.Expm1 | Prim.Sqrt | Prim.Sin | Prim.Cos
  | Prim.Tanh | Prim.Sigmoid | Prim.Relu | Prim.Abs | Prim.Sign;
export type BinaryPrim = Prim.Add | Prim.Sub | Prim.Mul | Prim.Div | Prim.Pow | Prim.Maximum | Prim.Minimum;
export type ComparePrim = Prim.Gt | Prim.Ge | Prim.Lt | Prim.Le | Prim.Eq | Prim.Ne;
export type ViewPrim = Prim.Reshape | Prim.Permute | Prim.Expand | Prim.Narrow;
export type KernelPrim = Exclude<Prim, ViewPrim>;

/** Spatial window parameters of unfold/fold, one entry per spatial dim (1 or 2 dims). */
export interface WindowParams {
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
}

type NoParams = Record<string, never>;

/** Each primitive's parameters. A prim missing here fails to compile wherever a table is keyed by Prim. */
export interface PrimParams {
  [Prim.Neg]: NoParams; [Prim.Exp]: NoParams; [Prim.Log]: NoParams; [Prim.Log1p]: NoParams;
  [Prim.Expm1]: NoParams; [Prim.Sqrt]: NoParams; [Prim.Sin]: NoParams; [Prim.Cos]: NoParams;
  [Prim.Tanh]: NoParams; [Prim.Sigmoid]: NoParams; [Prim.Relu]: NoParams; [Prim.Abs]: NoParams;
  [Prim.Sign]: NoParams;
  [Prim.Add]: NoParams; [Prim.Sub]: NoParams; [Prim.Mul]: NoParams; [Prim.Div]: NoParams;
  [Prim.Pow]: NoParams; [Prim.Maximum]: NoParams; [Prim.Minimum]: NoParams;
  [Prim.Gt]: NoParams; [Prim.Ge]: NoParams; [Prim.Lt]: NoParams; [Prim.Le]: NoParams;
  [Prim.Eq]: NoParams; [Prim.Ne]: NoParams;
  [Prim.Where]: NoParams;
  [Prim.Cast]: { dtype: DType };
  [Prim.Copy]: NoParams;
  /** dims sorted ascending, keepdim shapes the output */
  [Prim.Sum]: { dims: number[]; keepdim: boolean };
  [Prim.Prod]: { dims: number[]; keepdim: boolean };
  [Prim.Max]: { dims: number[]; keepdim: boolean };
  /** dim null: over the flattened tensor */
  [Prim.Argmax]: { dim: number | null; keepdim: boolean };
  [Prim.LogSoftmax]: { dim: number };
  [Prim.Reshape]: { shape: number[] };
  [Prim.Permute]: { dims: number[] };
  [Prim.Expand]: { shape: number[] };
  [Prim.Narrow]: { dim: number; start: number; length: number };
  /** before/after amounts per dim (non-negative), in dim order */
  [Prim.Pad]: { before: number[]; after: number[]; value: number };
  [Prim.Cat]: { dim: number };
  [Prim.Gather]: { dim: number };
  [Prim.ScatterAdd]: { dim: number };
  [Prim.Matmul]: NoParams;
  [Prim.Unfold]: WindowParams;
  [Prim.Fold]: WindowParams & { outputSize: number[] };
}

/** What a kernel reads: a strided window on a typed array. A Tensor is one. */
export interface View {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
}

/** What a kernel writes: a fresh contiguous array of the output's shape and dtype. */
export interface Out {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export type Kernel<P extends KernelPrim> = (inputs: readonly View[], params: PrimParams[P], out: Out) => void;

/**
 * Fused in-place optimizer updates: one pass over a parameter and its state where the tensor-op form of the
 * same update makes a dozen passes and temporaries. Not differentiable (optimizers run under noGrad). Every
 * backend has one kernel per entry (`backend.fused`).
 *
 * @example
 * ```ts
 * Object.values(Fused);                          // ["adam", "sgd"]
 * typeof getBackend().fused[Fused.Adam];         // "function"
 * ```
 */
export enum Fused {
  Adam = 'adam',
  Sgd = 'sgd',
}

/** Each fused update's hyper-parameters (the optimizer's group options, resolved for this step). */
export interface FusedParams {
  /** Tensors: [param, grad, expAvg, expAvgSq] and, with amsgrad, maxExpAvgSq. */
  [Fused.Adam]: {
    lr: number; beta1: number; beta2: number; eps: number; weightDecay: number;
    decoupled: boolean; amsgrad: boolean; maximize: boolean; step: number;
  };
  /** Tensors: [param, grad] and, with momentum, momentumBuffer (`first`: it has just been created). */
  [Fused.Sgd]: {
    lr: number; momentum: number; dampening: number; weightDecay: number;
    nesterov: boolean; maximize: boolean; first: boolean;
  };
}

/** A fused update: writes the new values into the contiguous float tensors it is given (same shape and dtype). */
export type FusedKernel<F extends Fused> = (tensors: readonly Out[], params: FusedParams[F]) => void;

/** A backend: one kernel per non-view primitive. */
export type Backend = {
  readonly name: string;
  /**
   * Writes `src` (of `dst`'s shape; stride 0 where broadcast) into the strided window `dst`, converting to
   * `dst`'s dtype. The one write into existing memory: in-place ops (`copy_`, `fill_`, …) go through it.
   */
  readonly assign: (dst: View, src: View) => void;
  /** The fused optimizer updates, one per {@link Fused} entry. */
  readonly fused: { readonly [F in Fused]: FusedKernel<F> };
} & { readonly [P in KernelPrim]: Kernel<P> };
