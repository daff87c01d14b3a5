import { getBackend, Prim, type KernelPrim, type PrimParams, type ViewPrim, type WindowParams, type Kernel } from '../backend/index.js';
import { resultType, isFloating, getDefaultDtype, checkDtype, type DType, type PromotionOperand } from '../tensor/dtype.js';
import { numel, reducedShape, sameShape, shapeStr, tryBroadcastShapes, contiguousStrides, MAX_NUMEL } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { full, fromData, zeros } from '../tensor/creation.js';
import { windowOutputLength } from '../backend/reference.js';
import type { VjpContext, VjpFn } from './node.js';
import { record, type SaveSpec } from './tape.js';
import { ArgumentError, DTypeError, ShapeError, ValueError } from '../errors.js';
import { describeValue } from '../utils/args.js';

// Every primitive in one table: how its output is shaped (or, for views, how storage is re-described), what
// its VJP must keep, and the VJP itself. The forward kernel call is the same for all: `run` below.
// VJPs are written in differentiable tensor ops, so createGraph gives higher derivatives for free.
// VJPs return gradients in the shape of the op's output where the input was broadcast: the engine sums them
// down to the input's shape (once, in one place).

interface Inferred {
  shape: readonly number[];
  dtype: DType;
}

interface KernelRule<P extends KernelPrim> {
  infer: (inputs: readonly Tensor[], p: PrimParams[P]) => Inferred;
  save?: SaveSpec;
  vjp: VjpFn<PrimParams[P]> | null;
}

interface ViewRule<P extends ViewPrim> {
  view: (x: Tensor, p: PrimParams[P]) => Tensor;
  vjp: VjpFn<PrimParams[P]>;
}

type Rule<P extends Prim> = P extends ViewPrim ? ViewRule<P> : P extends KernelPrim ? KernelRule<P> : never;

/** A number as a 0-d tensor of `dtype` (a constant: no grad). */
function scalar(v: number, dtype: DType): Tensor {
  return full([], v, { dtype });
}

const same = ([x]: readonly Tensor[]): Inferred => ({ shape: x.shape, dtype: x.dtype });

function broadcast(name: string) {
  return (xs: readonly Tensor[]): Inferred => {
    const shape = tryBroadcastShapes(...xs.map((x) => x.shape));
    if (!shape) {
      throw new ShapeError(`${name}: shapes ${xs.map((x) => shapeStr(x.shape)).join(' and ')} cannot be broadcast together (each dim must match or be 1, aligned from the right)`);
    }
    return { shape, dtype: xs[xs.length - 1].dtype };
  };
}

function compare<P extends Prim.Gt | Prim.Ge | Prim.Lt | Prim.Le | Prim.Eq | Prim.Ne>(name: string): KernelRule<P> {
  const b = broadcast(name);
  return { infer: (xs) => ({ shape: b(xs).shape, dtype: 'bool' }), vjp: null };
}

function reduction(name: string, intDtype: DType | null) {
  return ([x]: readonly Tensor[], p: { dims: number[]; keepdim: boolean }): Inferred => ({
    shape: reducedShape(x.shape, p.dims, p.keepdim),
    dtype: !isFloating(x.dtype) && intDtype ? intDtype : x.dtype,
  });
}

/** The keepdim form of a reduced gradient, so it broadcasts against the input. */
function keepdims(g: Tensor, ctx: VjpContext<{ dims: number[]; keepdim: boolean }>): Tensor {
  return ctx.params.keepdim ? g : reshape(g, reducedShape(ctx.shapes[0], ctx.params.dims, true));
}

function inversePerm(dims: readonly number[]): number[] {
  const inv = new Array<number>(dims.length);
  dims.forEach((d, i) => (inv[d] = i));
  return inv;
}

function transposeLast(x: Tensor): Tensor {
  const dims = x.shape.map((_, i) => i);
  const n = dims.length;
  [dims[n - 2], dims[n - 1]] = [dims[n - 1], dims[n - 2]];
  return permute(x, dims);
}

/** Whether the last two dims of `x` are stored column by column (a transposed matrix), both longer than 1. */
function columnMajor(x: Tensor): boolean {
  const n = x.ndim, [r, c] = x.shape.slice(-2);
  return r > 1 && c > 1 && x.strides[n - 2] === 1 && x.strides[n - 1] === r;
}

/** Product over the last dim of each element's companions: out[..., i] = ∏_{j≠i} x[..., j]. Safe with zeros. */
function prodOthers(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1];
  const eyeMask = fromData(new Uint8Array(n * n).map((_, k) => +(Math.floor(k / n) === k % n)), [n, n], 'bool');
  const rows = expand(reshape(x, [...x.shape.slice(0, -1), 1, n]), [...x.shape.slice(0, -1), n, n]);
  return prod(where(eyeMask, scalar(1, x.dtype), rows), [x.ndim], false);
}

const rules: { [P in Prim]: Rule<P> } = {
  [Prim.Neg]: {
    infer: same,
    // d(-x) = -dx
    vjp: (g) => [neg(g)],
  },
  [Prim.Exp]: {
    infer: same, save: { out: true },
    // d exp(x) = exp(x) dx
    vjp: (g, { out }) => [mul(g, out!)],
  },
  [Prim.Log]: {
    infer: same, save: { inputs: [0] },
    // d log(x) = dx / x
    vjp: (g, { inputs: [x] }) => [div(g, x!)],
  },
  [Prim.Log1p]: {
    infer: same, save: { inputs: [0] },
    // d log(1 + x) = dx / (1 + x)
    vjp: (g, { inputs: [x] }) => [div(g, add(x!, 1))],
  },
  [Prim.Expm1]: {
    infer: same, save: { out: true },
    // d (exp(x) - 1) = exp(x) dx = (y + 1) dx
    vjp: (g, { out }) => [mul(g, add(out!, 1))],
  },
  [Prim.Sqrt]: {
    infer: same, save: { out: true },
    // d sqrt(x) = dx / (2 sqrt(x))
    vjp: (g, { out }) => [div(g, mul(out!, 2))],
  },
  [Prim.Sin]: {
    infer: same, save: { inputs: [0] },
    // d sin(x) = cos(x) dx
    vjp: (g, { inputs: [x] }) => [mul(g, cos(x!))],
  },
  [Prim.Cos]: {
    infer: same, save: { inputs: [0] },
    // d cos(x) = -sin(x) dx
    vjp: (g, { inputs: [x] }) => [neg(mul(g, sin(x!)))],
  },
  [Prim.Tanh]: {
    infer: same, save: { out: true },
    // d tanh(x) = (1 - tanh(x)²) dx
    vjp: (g, { out }) => [mul(g, sub(1, mul(out!, out!)))],
  },
  [Prim.Sigmoid]: {
    infer: same, save: { out: true },
    // d σ(x) = σ(x) (1 - σ(x)) dx
    vjp: (g, { out }) => [mul(g, mul(out!, sub(1, out!)))],
  },
  [Prim.Relu]: {
    infer: same, save: { out: true },
    // d relu(x) = [relu(x) > 0] dx  (written as "not ≤ 0" so that NaN passes the gradient, as in PyTorch)
    vjp: (g, { out }) => [where(le(out!, 0), 0, g)],
  },
  [Prim.Abs]: {
    infer: same, save: { inputs: [0] },
    // d |x| = sign(x) dx
    vjp: (g, { inputs: [x] }) => [mul(g, sign(x!))],
  },
  [Prim.Sign]: {
    infer: same,
    // d sign(x) = 0
    vjp: (g) => [zeros(g.shape, { dtype: g.dtype })],
  },

  [Prim.Add]: {
    infer: broadcast('add'),
    // d(a + b) = da + db
    vjp: (g) => [g, g],
  },
  [Prim.Sub]: {
    infer: broadcast('sub'),
    // d(a - b) = da - db
    vjp: (g, { needs }) => [g, needs[1] ? neg(g) : null],
  },
  [Prim.Mul]: {
    infer: broadcast('mul'), save: { inputs: [0, 1] },
    // d(a b) = b da + a db
    vjp: (g, { inputs: [a, b], needs }) => [needs[0] ? mul(g, b!) : null, needs[1] ? mul(g, a!) : null],
  },
  [Prim.Div]: {
    infer: broadcast('div'), save: { inputs: [0, 1] },
    // d(a / b) = da / b - (a / b²) db
    vjp: (g, { inputs: [a, b], needs }) => [needs[0] ? div(g, b!) : null, needs[1] ? neg(mul(g, div(div(a!, b!), b!))) : null],
  },
  [Prim.Pow]: {
    infer: broadcast('pow'), save: { inputs: [0, 1], out: true },
    // d(x^y) = y x^(y-1) dx + x^y log(x) dy   (0 where y = 0, resp. where x = 0 and y ≥ 0, as in PyTorch)
    vjp: (g, { inputs: [x, y], out, needs }) => [
      needs[0] ? where(eq(y!, 0), 0, mul(g, mul(y!, pow(x!, sub(y!, 1))))) : null,
      needs[1] ? where(logicalAnd(eq(x!, 0), ge(y!, 0)), 0, mul(g, mul(out!, log(x!)))) : null,
    ],
  },
  [Prim.Maximum]: {
    infer: broadcast('maximum'), save: { inputs: [0, 1] },
    // d max(a, b) = [a > b] da + [b > a] db, split evenly at ties
    vjp: (g, { inputs: [a, b] }) => {
      const tie = where(eq(a!, b!), div(g, 2), g);
      return [where(lt(a!, b!), 0, tie), where(gt(a!, b!), 0, tie)];
    },
  },
  [Prim.Minimum]: {
    infer: broadcast('minimum'), save: { inputs: [0, 1] },
    // d min(a, b) = [a < b] da + [b < a] db, split evenly at ties
    vjp: (g, { inputs: [a, b] }) => {
      const tie = where(eq(a!, b!), div(g, 2), g);
      return [where(gt(a!, b!), 0, tie), where(lt(a!, b!), 0, tie)];
    },
  },
  [Prim.Gt]: compare('gt'),
  [Prim.Ge]: compare('ge'),
  [Prim.Lt]: compare('lt'),
  [Prim.Le]: compare('le'),
  [Prim.Eq]: compare('eq'),
  [Prim.Ne]: compare('ne'),
  [Prim.Where]: {
    infer: broadcast('where'), save: { inputs: [0] },
    // d where(c, a, b) = [c] da + [¬c] db
    vjp: (g, { inputs: [c], needs }) => [null, needs[1] ? where(c!, g, 0) : null, needs[2] ? where(c!, 0, g) : null],
  },

  [Prim.Cast]: {
    infer: ([x], p) => ({ shape: x.shape, dtype: p.dtype }),
    // d cast(x) = cast⁻¹(dx)
    vjp: (g, { dtypes }) => [cast(g, dtypes[0])],
  },
  [Prim.Copy]: {
    infer: same,
    // d copy(x) = dx
    vjp: (g) => [g],
  },

  [Prim.Sum]: {
    infer: reduction('sum', 'int32'),
    // d Σx = broadcast of the output gradient over the reduced dims
    vjp: (g, ctx) => [expand(keepdims(g, ctx), ctx.shapes[0])],
  },
  [Prim.Prod]: {
    infer: reduction('prod', 'int32'), save: { inputs: [0], out: true },
    // d ∏x = (∏_{j≠i} x_j) dx_i; = (∏x / x_i) dx_i when no x is zero. With zeros the division is undefined,
    // so the companions' product is formed explicitly (O(n²) in the reduced size, only then).
    vjp: (g, ctx) => {
      const x = ctx.inputs[0]!, gk = keepdims(g, ctx);
      const hasZero = anyTrue(eq(x, 0));
      if (!hasZero) return [mul(gk, div(keepdims(ctx.out!, ctx), x))];
      const dims = ctx.params.dims;
      const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
      const perm = [...kept, ...dims];
      const moved = permute(x, perm);
      const flat = reshape(moved, [...kept.map((i) => x.shape[i]), numel(dims.map((i) => x.shape[i]))]);
      const others = reshape(prodOthers(flat), moved.shape);
      return [mul(gk, permute(others, inversePerm(perm)))];
    },
  },
  [Prim.Max]: {
    infer: reduction('max', null), save: { inputs: [0], out: true },
    // d max(x) = dx at the maximum, split evenly among ties (PyTorch's amax and full max()); a NaN maximum
    // ties with the NaNs it came from
    vjp: (g, ctx) => {
      const x = ctx.inputs[0]!, m = keepdims(ctx.out!, ctx);
      const mask = cast(logicalOr(eq(x, m), logicalAnd(ne(x, x), ne(m, m))), x.dtype);
      const count = sum(mask, ctx.params.dims, true);
      return [mul(mask, div(keepdims(g, ctx), count))];
    },
  },
  [Prim.Argmax]: {
    infer: ([x], p) => ({
      shape: p.dim === null ? (p.keepdim ? x.shape.map(() => 1) : []) : reducedShape(x.shape, [p.dim], p.keepdim),
      dtype: 'int32',
    }),
    vjp: null,
  },

  [Prim.LogSoftmax]: {
    infer: same, save: { out: true },
    // d (x − lse x) = dx − softmax(x)·Σdx  ⇒  ḡ = g − exp(y)·Σg over dim
    vjp: (g, { out, params }) => [sub(g, mul(exp(out!), sum(g, [params.dim], true)))],
  },

  [Prim.Reshape]: {
    view: (x, p) => {
      const strides = viewStrides(x, p.shape);
      if (strides) return new Tensor(x.storage, p.shape, x.dtype, strides, x.offset);
      const c = contiguousCopy(x);
      return new Tensor(c.storage, p.shape, x.dtype);
    },
    // d reshape(x) = reshape⁻¹(dx)
    vjp: (g, { shapes }) => [reshape(g, shapes[0])],
  },
  [Prim.Permute]: {
    view: (x, p) => new Tensor(x.storage, p.dims.map((d) => x.shape[d]), x.dtype, p.dims.map((d) => x.strides[d]), x.offset),
    // d permute(x) = permute⁻¹(dx)
    vjp: (g, { params }) => [permute(g, inversePerm(params.dims))],
  },
  [Prim.Expand]: {
    view: (x, p) => {
      const lead = p.shape.length - x.ndim;
      const strides = p.shape.map((d, i) => (i < lead || (x.shape[i - lead] === 1 && d !== 1) ? 0 : x.strides[i - lead]));
      return new Tensor(x.storage, p.shape, x.dtype, strides, x.offset);
    },
    // d expand(x) = dx summed over the expanded dims: the engine's broadcast reduction does exactly that
    vjp: (g) => [g],
  },
  [Prim.Narrow]: {
    view: (x, p) => {
      const shape = [...x.shape];
      shape[p.dim] = p.length;
      return new Tensor(x.storage, shape, x.dtype, x.strides, x.offset + (p.length > 0 ? p.start * x.strides[p.dim] : 0));
    },
    // d narrow(x) = dx padded with zeros back to x's size
    vjp: (g, { params: { dim, start, length }, shapes }) => {
      const before = shapes[0].map(() => 0), after = shapes[0].map(() => 0);
      before[dim] = start;
      after[dim] = shapes[0][dim] - start - length;
      return [pad(g, before, after, 0)];
    },
  },

  [Prim.Pad]: {
    infer: ([x], p) => ({ shape: x.shape.map((d, i) => d + p.before[i] + p.after[i]), dtype: x.dtype }),
    // d pad(x) = the interior of dx
    vjp: (g, { params, shapes }) => [shapes[0].reduce((acc, d, i) => (d === acc.shape[i] ? acc : narrow(acc, i, params.before[i], d)), g)],
  },
  [Prim.Cat]: {
    infer: (xs, p) => {
      const shape = [...xs[0].shape];
      shape[p.dim] = xs.reduce((s, x) => s + x.shape[p.dim], 0);
      return { shape, dtype: xs[0].dtype };
    },
    // d cat(xs) = the matching slices of dx
    vjp: (g, { params, shapes }) => {
      let at = 0;
      return shapes.map((s) => {
        const piece = narrow(g, params.dim, at, s[params.dim]);
        at += s[params.dim];
        return piece;
      });
    },
  },
  [Prim.Gather]: {
    infer: ([x, index]) => ({ shape: index.shape, dtype: x.dtype }),
    save: { inputs: [1] },
    // d gather(x, idx) = scatter-add of dx into zeros at idx
    vjp: (g, { inputs: [, index], params, shapes }) => [scatterAdd(zeros(shapes[0], { dtype: g.dtype }), params.dim, index!, g), null],
  },
  [Prim.ScatterAdd]: {
    infer: ([self]) => ({ shape: self.shape, dtype: self.dtype }),
    save: { inputs: [1] },
    // d scatterAdd(s, idx, src) = ds + gather(d·, idx) dsrc
    vjp: (g, { inputs: [, index], params, shapes, needs }) => {
      if (!needs[2]) return [g, null, null];
      let gs = gather(g, params.dim, index!);
      const src = shapes[2];
      if (!sameShape(gs.shape, src)) gs = pad(gs, src.map(() => 0), src.map((d, i) => d - gs.shape[i]), 0);
      return [g, null, gs];
    },
  },

  [Prim.Matmul]: {
    infer: ([a, b]) => {
      const batch = tryBroadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
      const K = a.shape[a.ndim - 1];
      if (!batch || K !== b.shape[b.ndim - 2]) {
        throw new ShapeError(`matmul: shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} cannot be multiplied (${batch ? `inner dims ${K} and ${b.shape[b.ndim - 2]} differ` : 'batch dims do not broadcast'})`);
      }
      return { shape: [...batch, a.shape[a.ndim - 2], b.shape[b.ndim - 1]], dtype: a.dtype };
    },
    save: { inputs: [0, 1] },
    // d(A B) = dA B + A dB  ⇒  ḡA = G Bᵀ, ḡB = Aᵀ G (batch broadcasting is summed by the engine). An input
    // laid out transposed (Linear's Wᵀ) gets its gradient in that layout, as (B Gᵀ)ᵀ or (Gᵀ A)ᵀ, so the
    // gradient of the weight itself comes out contiguous.
    vjp: (g, { inputs: [a, b], needs }) => [
      needs[0] ? (columnMajor(a!) ? transposeLast(matmulPrim(b!, transposeLast(g))) : matmulPrim(g, transposeLast(b!))) : null,
      needs[1] ? (columnMajor(b!) ? transposeLast(matmulPrim(transposeLast(g), a!)) : matmulPrim(transposeLast(a!), g)) : null,
    ],
  },
  [Prim.Unfold]: {
    infer: ([x], p) => ({ shape: [x.shape[0], x.shape[1] * numel(p.kernel), numel(windowCounts(x.shape.slice(2), p))], dtype: x.dtype }),
    // unfold is linear; its adjoint is fold
    vjp: (g, { params, shapes }) => [foldPrim(g, { ...params, outputSize: shapes[0].slice(2) })],
  },
  [Prim.Fold]: {
    infer: ([x], p) => ({ shape: [x.shape[0], x.shape[1] / numel(p.kernel), ...p.outputSize], dtype: x.dtype }),
    // fold is linear; its adjoint is unfold
    vjp: (g, { params }) => [unfoldPrim(g, params)],
  },
};

/** Number of window positions along each spatial dim. */
export function windowCounts(spatial: readonly number[], p: WindowParams): number[] {
  return spatial.map((s, i) => windowOutputLength(s, p.kernel[i], p.stride[i], p.padding[i], p.dilation[i]));
}

/** Strides that view `x` with `shape` without copying, or null when the layout does not allow it. */
export function viewStrides(x: Tensor, shape: readonly number[]): number[] | null {
  if (x.isContiguous() || x.numel() === 0) return contiguousStrides(shape);
  // Walk x's dims from the back in chunks that are contiguous among themselves; each chunk must be split
  // exactly by a run of the new dims, which then step through it with the chunk's base stride.
  const out = new Array<number>(shape.length);
  let v = shape.length - 1;
  let base = x.strides[x.ndim - 1], chunk = 1, viewed = 1;
  for (let d = x.ndim - 1; d >= 0; d--) {
    chunk *= x.shape[d];
    if (d === 0 || (x.shape[d - 1] !== 1 && x.strides[d - 1] !== chunk * base)) {
      while (v >= 0 && (viewed < chunk || shape[v] === 1)) {
        out[v] = viewed * base;
        viewed *= shape[v--];
      }
      if (viewed !== chunk) return null;
      if (d > 0) {
        base = x.strides[d - 1];
        chunk = viewed = 1;
      }
    }
  }
  return v === -1 ? out : null;
}

function contiguousCopy(x: Tensor): Tensor {
  const out = Tensor.output(x.shape, x.dtype);
  getBackend()[Prim.Copy]([x], {}, out);
  return out;
}

/**
 * Whether a kernel with a bool result writes only 0 and 1. Sums (add, sub, matmul, scatterAdd, fold) and negation
 * do not: the public ops refuse bool for them or map them to one that does (bool + is max), and this check keeps
 * any other path from storing a 2 or a 255 in a bool tensor.
 */
function keepsBool(prim: KernelPrim, params: unknown): boolean {
  switch (prim) {
    case Prim.Add: case Prim.Sub: case Prim.Neg: case Prim.Matmul: case Prim.ScatterAdd: case Prim.Fold:
      return false;
    case Prim.Pad: {
      const v = (params as PrimParams[Prim.Pad]).value;
      return v === 0 || v === 1;
    }
    default:
      return true;
  }
}

/** Runs a primitive: its kernel (or view), then records it on the tape. The one forward path of every op. */
export function run<P extends Prim>(prim: P, inputs: readonly Tensor[], params: PrimParams[P]): Tensor {
  const rule = rules[prim] as KernelRule<KernelPrim> | ViewRule<ViewPrim>;
  let out: Tensor;
  if ('view' in rule) {
    out = (rule.view as (x: Tensor, p: unknown) => Tensor)(inputs[0], params);
  } else {
    const { shape, dtype } = rule.infer(inputs, params as never);
    if (dtype === 'bool' && !keepsBool(prim as KernelPrim, params)) {
      throw new DTypeError(`${prim}: got bool operands, expected numeric ones (the result would not be 0 or 1)`);
    }
    const n = numel(shape);
    if (n > MAX_NUMEL) {
      throw new ValueError(`${prim}: the result of shape ${shapeStr(shape)} would have ${n} elements, more than the 2^32 a tensor can hold`);
    }
    out = Tensor.output(shape, dtype);
    if (out.numel() > 0) {
      (getBackend()[prim as KernelPrim] as Kernel<KernelPrim>)(inputs, params as never, out);
    }
  }
  if (rule.vjp) record(prim, inputs, out, rule.vjp as VjpFn, params, 'save' in rule ? rule.save : undefined);
  return out;
}

function anyTrue(mask: Tensor): boolean {
  const d = mask.toTypedArray();
  for (let i = 0; i < d.length; i++) if (d[i]) return true;
  return false;
}

// ---- The primitive ops, with argument handling (dtype promotion, JS numbers as scalars). ----

/** A tensor or a JS number standing for a 0-d constant. */
export type Operand = Tensor | number | boolean;

function notOperand(op: string, a: unknown): ArgumentError {
  return new ArgumentError(`${op}: expected a Tensor or a number, got ${describeValue(a, 'object')}`);
}

function operandInfo(op: string, a: Operand): PromotionOperand {
  if (a instanceof Tensor) return { dtype: a.dtype, kind: a.ndim === 0 ? 'zerodim' : 'dim' };
  if (typeof a === 'boolean') return { dtype: 'bool', kind: 'scalar' };
  if (typeof a === 'number') return { dtype: Number.isInteger(a) ? 'int32' : 'float32', kind: 'scalar' };
  throw notOperand(op, a);
}

function asTensor(op: string, a: Operand, dtype: DType): Tensor {
  if (a instanceof Tensor) return a.dtype === dtype ? a : cast(a, dtype);
  if (typeof a !== 'number' && typeof a !== 'boolean') throw notOperand(op, a);
  return scalar(Number(a), dtype);
}

/** @internal Promotes operands to a common dtype (PyTorch's rules), optionally forcing a float result. */
export function promote(op: string, operands: readonly Operand[], floatResult = false): Tensor[] {
  let dtype = resultType(operands.map((a) => operandInfo(op, a)));
  if (floatResult && !isFloating(dtype)) dtype = getDefaultDtype();
  return operands.map((a) => asTensor(op, a, dtype));
}

function checkTensor(op: string, x: unknown, name = 'input'): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${op}: expected ${name} to be a Tensor, got ${describeValue(x, 'object')}`);
}

function unaryFloat(prim: Prim.Exp | Prim.Log | Prim.Log1p | Prim.Expm1 | Prim.Sqrt | Prim.Sin | Prim.Cos | Prim.Tanh | Prim.Sigmoid, x: Tensor): Tensor {
  checkTensor(prim, x);
  return run(prim, [isFloating(x.dtype) ? x : cast(x, getDefaultDtype())], {});
}

function unarySame(prim: Prim.Neg | Prim.Relu | Prim.Abs | Prim.Sign, x: Tensor): Tensor {
  checkTensor(prim, x);
  if (x.dtype === 'bool' && prim !== Prim.Relu) throw new DTypeError(`${prim}: not defined for bool tensors (got dtype bool, shape ${shapeStr(x.shape)}); cast to int32 or a float dtype first`);
  return run(prim, [x], {});
}

/**
 * Converts to another dtype (differentiable between float dtypes); also `x.to(dtype)`.
 *
 * @example
 * ```ts
 * cast(tensor([1.7, -1.7]), 'int32').toArray(); // [1, -1]
 * cast(tensor([0, 2]), 'bool').toArray();       // [false, true]
 * ```
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensor('cast', x);
  checkDtype(dtype, 'cast');
  return x.dtype === dtype ? x : run(Prim.Cast, [x], { dtype });
}

/** -x elementwise. @example `neg(tensor([1, -2])).toArray() // [-1, 2]` */
export const neg = (x: Tensor): Tensor => unarySame(Prim.Neg, x);
/** eˣ elementwise. @example `exp(tensor([0])).item() // 1` */
export const exp = (x: Tensor): Tensor => unaryFloat(Prim.Exp, x);
/** Natural logarithm elementwise. @example `log(tensor([1])).item() // 0` */
export const log = (x: Tensor): Tensor => unaryFloat(Prim.Log, x);
/** log(1 + x), accurate for small x. @example `log1p(tensor([0])).item() // 0` */
export const log1p = (x: Tensor): Tensor => unaryFloat(Prim.Log1p, x);
/** eˣ − 1, accurate for small x. @example `expm1(tensor([0])).item() // 0` */
export const expm1 = (x: Tensor): Tensor => unaryFloat(Prim.Expm1, x);
/** Square root elementwise. @example `sqrt(tensor([4])).item() // 2` */
export const sqrt = (x: Tensor): Tensor => unaryFloat(Prim.Sqrt, x);
/** Sine elementwise. @example `sin(tensor([0])).item() // 0` */
export const sin = (x: Tensor): Tensor => unaryFloat(Prim.Sin, x);
/** Cosine elementwise. @example `cos(tensor([0])).item() // 1` */
export const cos = (x: Tensor): Tensor => unaryFloat(Prim.Cos, x);
/** Hyperbolic tangent elementwise. @example `tanh(tensor([0])).item() // 0` */
export const tanh = (x: Tensor): Tensor => unaryFloat(Prim.Tanh, x);
/** Logistic sigmoid 1 / (1 + e⁻ˣ), stable for large |x|. @example `sigmoid(tensor([0])).item() // 0.5` */
export const sigmoid = (x: Tensor): Tensor => unaryFloat(Prim.Sigmoid, x);
/** max(x, 0) elementwise. @example `relu(tensor([-1, 2])).toArray() // [0, 2]` */
export const relu = (x: Tensor): Tensor => unarySame(Prim.Relu, x);
/** |x| elementwise. @example `abs(tensor([-3])).item() // 3` */
export const abs = (x: Tensor): Tensor => unarySame(Prim.Abs, x);
/** −1, 0 or 1 by the sign of x (its gradient is 0). @example `sign(tensor([-2, 0, 5])).toArray() // [-1, 0, 1]` */
export const sign = (x: Tensor): Tensor => unarySame(Prim.Sign, x);

const isBool = (a: Operand): boolean => typeof a === 'boolean' || (a instanceof Tensor && a.dtype === 'bool');
const describeOperand = (a: Operand): string => (a instanceof Tensor ? `${a.dtype} tensor of shape ${shapeStr(a.shape)}` : typeof a === 'boolean' ? String(a) : describeValue(a, 'object'));

function binaryOp(prim: Prim.Add | Prim.Sub | Prim.Mul | Prim.Maximum | Prim.Minimum | Prim.Pow, a: Operand, b: Operand): Tensor {
  // PyTorch's bool arithmetic: subtraction with any bool operand is refused; with a bool result, + is logical
  // or (max of 0/1) and · logical and (the product of 0/1 already is), and pow is not implemented
  if (prim === Prim.Sub && (isBool(a) || isBool(b))) {
    const two = isBool(a) && isBool(b);
    throw new DTypeError(`sub: got ${describeOperand(a)} and ${describeOperand(b)}, expected numeric operands: subtraction ${two ? 'of two bools' : 'with a bool'} is not supported (${two ? 'ne(a, b) is their logical xor' : 'eq(mask, false) inverts a mask'})`);
  }
  const [x, y] = promote(prim, [a, b]);
  if (x.dtype === 'bool') {
    if (prim === Prim.Pow) throw new DTypeError(`pow: got ${describeOperand(a)} and ${describeOperand(b)}, expected a numeric base or exponent: pow is not defined for a bool result`);
    if (prim === Prim.Add) {
      broadcast('add')([x, y]);
      return run(Prim.Maximum, [x, y], {});
    }
  }
  return run(prim, [x, y], {});
}

/**
 * a + b with broadcasting (for two bools, their logical or, as PyTorch's).
 *
 * @example
 * ```ts
 * add(tensor([1, 2]), 10).toArray(); // [11, 12]
 * add(tensor([true, false]), tensor([true, true])).toArray(); // [true, true]
 * ```
 */
export const add = (a: Operand, b: Operand): Tensor => binaryOp(Prim.Add, a, b);
/** a − b with broadcasting (a bool operand is refused, as in PyTorch). @example `sub(tensor([1, 2]), 1).toArray() // [0, 1]` */
export const sub = (a: Operand, b: Operand): Tensor => binaryOp(Prim.Sub, a, b);
/** a · b elementwise with broadcasting (for two bools, their logical and). @example `mul(tensor([1, 2]), tensor([3])).toArray() // [3, 6]` */
export const mul = (a: Operand, b: Operand): Tensor => binaryOp(Prim.Mul, a, b);
/** True division a / b with broadcasting (integers give the default float dtype). @example `div(tensor([1]), 4).item() // 0.25` */
export const div = (a: Operand, b: Operand): Tensor => run(Prim.Div, promote('div', [a, b], true), {});
/** aᵇ elementwise; the exponent may be a number or a tensor. @example `pow(tensor([2, 3]), 2).toArray() // [4, 9]` */
export const pow = (a: Operand, b: Operand): Tensor => binaryOp(Prim.Pow, a, b);
/** Elementwise maximum (NaN propagates). @example `maximum(tensor([1, 5]), tensor([3, 2])).toArray() // [3, 5]` */
export const maximum = (a: Operand, b: Operand): Tensor => binaryOp(Prim.Maximum, a, b);
/** Elementwise minimum (NaN propagates). @example `minimum(tensor([1, 5]), tensor([3, 2])).toArray() // [1, 2]` */
export const minimum = (a: Operand, b: Operand): Tensor => binaryOp(Prim.Minimum, a, b);

function compareOp(prim: Prim.Gt | Prim.Ge | Prim.Lt | Prim.Le | Prim.Eq | Prim.Ne, a: Operand, b: Operand): Tensor {
  return run(prim, promote(prim, [a, b]), {});
}

/** a > b elementwise, as bool. @example `gt(tensor([1, 3]), 2).toArray() // [false, true]` */
export const gt = (a: Operand, b: Operand): Tensor => compareOp(Prim.Gt, a, b);
/** a ≥ b elementwise, as bool. @example `ge(tensor([2]), 2).toArray() // [true]` */
export const ge = (a: Operand, b: Operand): Tensor => compareOp(Prim.Ge, a, b);
/** a < b elementwise, as bool. @example `lt(tensor([1, 3]), 2).toArray() // [true, false]` */
export const lt = (a: Operand, b: Operand): Tensor => compareOp(Prim.Lt, a, b);
/** a ≤ b elementwise, as bool. @example `le(tensor([2]), 2).toArray() // [true]` */
export const le = (a: Operand, b: Operand): Tensor => compareOp(Prim.Le, a, b);
/** a = b elementwise, as bool. @example `eq(tensor([1, 2]), 2).toArray() // [false, true]` */
export const eq = (a: Operand, b: Operand): Tensor => compareOp(Prim.Eq, a, b);
/** a ≠ b elementwise, as bool. @example `ne(tensor([1, 2]), 2).toArray() // [true, false]` */
export const ne = (a: Operand, b: Operand): Tensor => compareOp(Prim.Ne, a, b);

/** @internal Logical and of two bool tensors. */
export function logicalAnd(a: Tensor, b: Tensor): Tensor {
  return where(a, b, false);
}

/** @internal Logical or of two bool tensors. */
export function logicalOr(a: Tensor, b: Tensor): Tensor {
  return where(a, true, b);
}

/**
 * Picks `a` where `cond` is true and `b` elsewhere, broadcasting all three.
 *
 * @example
 * ```ts
 * const x = tensor([-1, 2, -3]);
 * where(gt(x, 0), x, 0).toArray(); // [0, 2, 0]
 * ```
 */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  checkTensor('where', cond, 'cond');
  if (cond.dtype !== 'bool') throw new DTypeError(`where: expected cond of dtype bool, got ${cond.dtype} (shape ${shapeStr(cond.shape)})`);
  const [x, y] = promote('where', [a, b]);
  return run(Prim.Where, [cond, x, y], {});
}

/** @internal sum over sorted distinct dims. */
export function sum(x: Tensor, dims: number[], keepdim: boolean): Tensor {
  return run(Prim.Sum, [x], { dims, keepdim });
}
/** @internal product over sorted distinct dims. */
export function prod(x: Tensor, dims: number[], keepdim: boolean): Tensor {
  return run(Prim.Prod, [x], { dims, keepdim });
}
/** @internal max over sorted distinct dims, gradient split among ties. */
export function amax(x: Tensor, dims: number[], keepdim: boolean): Tensor {
  return run(Prim.Max, [x], { dims, keepdim });
}
/** @internal index of the first maximum along dim (or of the flattened tensor when dim is null). */
export function logSoftmaxPrim(x: Tensor, dim: number): Tensor {
  return run(Prim.LogSoftmax, [x], { dim });
}

export function argmaxPrim(x: Tensor, dim: number | null, keepdim: boolean): Tensor {
  return run(Prim.Argmax, [x], { dim, keepdim });
}
/** @internal */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  return sameShape(x.shape, shape) ? x : run(Prim.Reshape, [x], { shape: [...shape] });
}
/** @internal */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  return dims.every((d, i) => d === i) ? x : run(Prim.Permute, [x], { dims: [...dims] });
}
/** @internal */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  return sameShape(x.shape, shape) ? x : run(Prim.Expand, [x], { shape: [...shape] });
}
/** @internal */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  return start === 0 && length === x.shape[dim] ? x : run(Prim.Narrow, [x], { dim, start, length });
}
/** @internal non-negative padding per dim. */
export function pad(x: Tensor, before: readonly number[], after: readonly number[], value: number): Tensor {
  return before.every((b) => b === 0) && after.every((a) => a === 0) ? x : run(Prim.Pad, [x], { before: [...before], after: [...after], value });
}
/** @internal */
export function copy(x: Tensor): Tensor {
  return run(Prim.Copy, [x], {});
}
/** @internal inputs agree on every dim but `dim` and on dtype */
export function catPrim(xs: readonly Tensor[], dim: number): Tensor {
  return run(Prim.Cat, xs, { dim });
}
/** @internal */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  return run(Prim.Gather, [x, index], { dim });
}
/** @internal */
export function scatterAdd(self: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return run(Prim.ScatterAdd, [self, index, src], { dim });
}
/** @internal both operands at least 2-D, same dtype */
export function matmulPrim(a: Tensor, b: Tensor): Tensor {
  return run(Prim.Matmul, [a, b], {});
}
/** @internal */
export function unfoldPrim(x: Tensor, p: WindowParams): Tensor {
  return run(Prim.Unfold, [x], p);
}
/** @internal */
export function foldPrim(x: Tensor, p: WindowParams & { outputSize: number[] }): Tensor {
  return run(Prim.Fold, [x], p);
}
