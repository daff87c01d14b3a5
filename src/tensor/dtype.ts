import { ArgumentError, DTypeError } from '../errors.js';
import { describeValue } from '../utils/args.js';

/** Element types a tensor can hold. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The typed array behind each dtype (bool is stored as 0/1 bytes). */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

const ctors = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

export function allocate(dtype: DType, n: number): TypedArray {
  return new ctors[dtype](n);
}

/** The name of the typed-array class holding `dtype`. */
export function arrayName(dtype: DType): string {
  return ctors[dtype].name;
}

export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function checkDtype(dtype: unknown, where: string): DType {
  if (typeof dtype !== 'string' || !(DTYPES as readonly string[]).includes(dtype)) {
    throw new DTypeError(`${where}: unknown dtype ${typeof dtype === 'string' ? JSON.stringify(dtype) : describeValue(dtype, 'object')}; expected one of ${DTYPES.join(', ')}`);
  }
  return dtype as DType;
}

/** Converts a JS number into what `dtype` stores (truncation toward zero for int32, 0/1 for bool: nonzero, NaN included, is true as in PyTorch). */
export function coerce(dtype: DType, v: number | boolean): number {
  if (dtype === 'bool') return typeof v === 'boolean' ? +v : v !== 0 ? 1 : 0;
  if (dtype === 'int32') return Math.trunc(Number(v)) | 0;
  return Number(v);
}

// Category order bool < int < float, as in PyTorch's type promotion.
const category: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };
const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

let defaultDtype: DType = 'float32';

/**
 * The dtype new floating-point tensors get when none is given (float32 unless changed).
 *
 * @example
 * ```ts
 * getDefaultDtype(); // "float32"
 * ```
 */
export function getDefaultDtype(): DType {
  return defaultDtype;
}

/**
 * Sets the default floating-point dtype (`float32` or `float64`). Prefer {@link withDefaultDtype},
 * which restores the previous value.
 *
 * @example
 * ```ts
 * setDefaultDtype('float64');
 * tensor([1, 2]).dtype; // 'float64'
 * setDefaultDtype('float32');
 * ```
 */
export function setDefaultDtype(dtype: DType): void {
  checkDtype(dtype, 'setDefaultDtype');
  if (!isFloating(dtype)) throw new DTypeError(`setDefaultDtype: expected float32 or float64, got ${dtype}`);
  defaultDtype = dtype;
}

/**
 * Runs `fn` with another default dtype and restores the previous one afterwards, even if `fn` throws.
 *
 * @example
 * ```ts
 * const x = withDefaultDtype('float64', () => randn([3]));
 * x.dtype; // 'float64'
 * ```
 */
export function withDefaultDtype<T>(dtype: DType, fn: () => T): T {
  if (typeof fn !== 'function') throw new ArgumentError(`withDefaultDtype: expected a function to run, got ${describeValue(fn, 'object')}`);
  const prev = defaultDtype;
  setDefaultDtype(dtype);
  try {
    return fn();
  } finally {
    defaultDtype = prev;
  }
}

/** An operand's contribution to type promotion: a tensor with dims, a 0-d tensor, or a JS number/boolean. */
export interface PromotionOperand {
  dtype: DType;
  kind: 'dim' | 'zerodim' | 'scalar';
}

/**
 * PyTorch's result type: tensors with dims decide, 0-d tensors and then JS scalars only raise the category
 * (bool < int < float); a float JS scalar raises to the default dtype.
 */
export function resultType(ops: readonly PromotionOperand[]): DType {
  let out: DType | null = null;
  for (const kind of ['dim', 'zerodim', 'scalar'] as const) {
    let best: DType | null = null;
    for (const o of ops) if (o.kind === kind && (best === null || rank[o.dtype] > rank[best])) best = o.dtype;
    if (best === null) continue;
    if (kind === 'scalar' && best === 'float32') best = defaultDtype;
    if (out === null) out = best;
    else if (category[best] > category[out]) out = best;
  }
  return out ?? defaultDtype;
}
