// The errors tapegrad throws. Every message starts with the op (function, module or optimizer) that refused,
// then says what it received and what it expected; `op` holds that name. Each class extends the built-in error
// a JavaScript caller already catches (RangeError for shapes, indices and values, TypeError for dtypes and
// argument kinds), so `instanceof RangeError` keeps working; `isTapegradError` tells tapegrad's errors apart.

const TAPEGRAD = Symbol.for('tapegrad.error');

/** The op named by a message of the form `op: …` (empty when it has no such prefix). */
const opOf = (message: string) => /^([^:\s][^:]*):\s/.exec(message)?.[1] ?? '';

/** A subclass of the built-in `Base` named `name`, with `op` read off the message and tapegrad's mark. */
function errorClass(Base: new (message?: string, options?: ErrorOptions) => Error, name: string) {
  return class extends Base {
    /** The op that threw: the message's prefix before ': '. */
    readonly op: string;
    constructor(message: string, options?: ErrorOptions) {
      super(message, options);
      this.op = opOf(message);
      Object.defineProperty(this, 'name', { value: name, configurable: true, writable: true });
      Object.defineProperty(this, TAPEGRAD, { value: true });
    }
  };
}

/**
 * Shapes or dims that do not fit: operands that do not broadcast, a wrong rank, a size that does not divide.
 *
 * @example
 * ```ts
 * const e = errorOf(() => ones([2, 3]).matmul(ones([2, 3])));
 * e instanceof ShapeError; // true
 * e instanceof RangeError; // true
 * (e as ShapeError).op; // "matmul"
 * ```
 */
export class ShapeError extends errorClass(RangeError, 'ShapeError') {}

/**
 * An index or a dim outside its range (PyTorch's IndexError).
 *
 * @example
 * ```ts
 * errorOf(() => ones([2, 3]).sum(2)) instanceof IndexError; // true
 * ```
 */
export class IndexError extends errorClass(RangeError, 'IndexError') {}

/**
 * A value outside what the op accepts: a negative learning rate, a probability above 1, an unknown mode name.
 *
 * @example
 * ```ts
 * errorOf(() => F.dropout(ones([2]), 1.5)) instanceof ValueError; // true
 * ```
 */
export class ValueError extends errorClass(RangeError, 'ValueError') {}

/**
 * A tensor of a dtype the op does not take (a float tensor as indices, int32 class scores).
 *
 * @example
 * ```ts
 * errorOf(() => gather(ones([2, 3]), 1, ones([2, 1]))) instanceof DTypeError; // true
 * ```
 */
export class DTypeError extends errorClass(TypeError, 'DTypeError') {}

/**
 * An argument of the wrong kind (a string for a Tensor), a missing argument, or an option name the op does not know.
 *
 * @example
 * ```ts
 * const e = errorOf(() => new optim.SGD([ones([1], { requiresGrad: true })], { lr: 0.1, momentun: 0.9 } as never));
 * e instanceof ArgumentError; // true
 * (e as Error).message.includes("'momentun'"); // true
 * ```
 */
export class ArgumentError extends errorClass(TypeError, 'ArgumentError') {}

/**
 * A file or buffer that is not what it claims to be (a truncated IDX file, a safetensors header out of bounds).
 *
 * @example
 * ```ts
 * errorOf(() => deserialize(new Uint8Array(4))) instanceof FormatError; // true
 * ```
 */
export class FormatError extends errorClass(Error, 'FormatError') {}

/**
 * A misuse of the tape (PyTorch's RuntimeError): a second backward through freed saved tensors, a saved tensor
 * modified in place, an in-place op on a leaf that requires grad.
 *
 * @example
 * ```ts
 * const w = ones([2], { requiresGrad: true });
 * errorOf(() => w.fill_(0)) instanceof AutogradError; // true
 * ```
 */
export class AutogradError extends errorClass(Error, 'AutogradError') {}

/**
 * What `fn` throws, or undefined when it returns: a short way to look at an error in examples and notebooks.
 *
 * @example
 * ```ts
 * (errorOf(() => ones([2]).view([3])) as Error).name; // "ShapeError"
 * errorOf(() => ones([2])); // undefined
 * ```
 */
export function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/**
 * Whether `e` is one of tapegrad's errors (any of the classes above, and the subclasses of each).
 *
 * @example
 * ```ts
 * isTapegradError(errorOf(() => ones([2]).add(ones([3])))); // true
 * isTapegradError(new RangeError('not ours')); // false
 * ```
 */
export function isTapegradError(e: unknown): e is Error & { op: string } {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[TAPEGRAD] === true;
}
