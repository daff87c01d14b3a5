// Module: the container of parameters, buffers and submodules, as PyTorch's nn.Module.
//
// Registration is by property, as in PyTorch: a property holding a Parameter is a parameter, one holding a
// Module is a submodule (an array of Modules counts as a ModuleList), and `registerBuffer` names the
// properties that are buffers. Properties are read when asked for, so class fields work:
//   class Net extends Module { fc = new Linear(2, 3); forward(x: Tensor) { return this.fc.forward(x); } }
import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { isFloating } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { formatTensor } from '../tensor/format.js';
import * as P from '../autograd/prims.js';
import { ArgumentError, DTypeError, IndexError, ShapeError, ValueError } from '../errors.js';
import { checkBool, checkOptions, describeValue } from '../utils/args.js';

/**
 * A tensor that is a module's parameter: a leaf that requires grad (unless told otherwise) and that
 * `parameters()`, `stateDict()` and the optimizers find. It shares memory with the tensor it wraps.
 *
 * @example
 * ```ts
 * const w = new nn.Parameter(zeros([2, 3]));
 * w.requiresGrad; // true
 * w.isLeaf;       // true
 * ```
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) throw new ArgumentError(`Parameter: expected a Tensor, got ${describeValue(data, 'object')}`);
    super(data.storage, data.shape, data.dtype, data.strides, data.offset);
    if (requiresGrad) {
      if (!isFloating(data.dtype)) throw new DTypeError(`Parameter: only float tensors can require grad, got ${data.dtype}; pass requiresGrad = false`);
      this.requiresGrad = true;
    }
  }

  override toString(): string {
    return `Parameter containing:\n${formatTensor(this)}`;
  }
}

/** A module's named tensors (parameters and persistent buffers) by dotted name, in registration order. */
export type StateDict = Record<string, Tensor>;

/** What `loadStateDict` reports when `strict` is false. */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** The ModuleList standing for a plain array of Modules, kept while the array holds the same modules. */
const arrayLists = new WeakMap<Module[], ModuleList>();

function listOf(arr: Module[]): ModuleList {
  const prev = arrayLists.get(arr);
  const cs = prev?.children();
  if (prev && cs!.length === arr.length && cs!.every((c, i) => c === arr[i])) return prev;
  const list = new ModuleList(arr);
  if (prev) list.training = prev.training;
  arrayLists.set(arr, list);
  return list;
}

/** Own properties holding submodules: Modules, and arrays of Modules (as ModuleLists: `name.0`, `name.1`, …). */
function ownChildren(m: Module): [string, Module][] {
  const out: [string, Module][] = [];
  for (const key of Object.keys(m)) {
    const v = (m as unknown as Record<string, unknown>)[key];
    if (v instanceof Module) out.push([key, v]);
    else if (Array.isArray(v) && v.length > 0 && v.every((x) => x instanceof Module)) out.push([key, listOf(v)]);
  }
  return out;
}

/** Indents every line but the first by two spaces (PyTorch's `_addindent`). */
function indent(s: string): string {
  return s.split('\n').join('\n  ');
}

/**
 * The base class of every layer and model. Subclasses set parameters and submodules as properties and
 * implement `forward`.
 *
 * @example
 * ```ts
 * class TwoLayer extends nn.Module {
 *   fc1 = new nn.Linear(2, 8);
 *   fc2 = new nn.Linear(8, 1);
 *   forward(x: Tensor): Tensor {
 *     return this.fc2.forward(this.fc1.forward(x).relu());
 *   }
 * }
 * const net = new TwoLayer();
 * net.namedParameters().map(([name]) => name); // ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
 * net.forward(zeros([4, 2])).shape; // [4, 1]
 * ```
 */
export abstract class Module {
  /** Train mode (the default) or eval mode; Dropout and BatchNorm behave differently in each. */
  training = true;
  /** @internal names of buffers → persistent (saved by stateDict) */
  private readonly _buffers = new Map<string, boolean>();

  /** Computes the module's output. */
  abstract forward(...inputs: any[]): any;

  /**
   * Registers a tensor that is state but not a parameter (BatchNorm's running statistics): it moves with
   * `to(dtype)` and is saved by `stateDict()` unless `persistent` is false. Read it as a property.
   *
   * @example
   * ```ts
   * class Counter extends nn.Module {
   *   constructor() { super(); this.registerBuffer('count', zeros([1])); }
   *   forward(x: Tensor) { return x; }
   * }
   * Object.keys(new Counter().stateDict()); // ["count"]
   * ```
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new (typeof name === 'string' ? ValueError : ArgumentError)(`registerBuffer: expected a non-empty name without '.', got ${describeValue(name)}`);
    }
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new ArgumentError(`registerBuffer: buffer '${name}' must be a Tensor or null, got ${describeValue(tensor, 'object')}`);
    }
    if (tensor instanceof Parameter) throw new ArgumentError(`registerBuffer: '${name}' is a Parameter; assign parameters as properties`);
    this._buffers.set(name, persistent);
    (this as unknown as Record<string, unknown>)[name] = tensor;
  }

  /** Direct submodules with their property names. */
  namedChildren(): [string, Module][] {
    return ownChildren(this);
  }

  /** Direct submodules. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every submodule (depth first), each once, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    const walk = (m: Module, name: string) => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [k, c] of m.namedChildren()) walk(c, name ? `${name}.${k}` : k);
    };
    walk(this, prefix);
    return out;
  }

  /** This module and every submodule, depth first. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** This module's own parameters (not its submodules'), in property order. */
  private ownParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const key of Object.keys(this)) {
      const v = (this as unknown as Record<string, unknown>)[key];
      if (v instanceof Parameter) out.push([key, v]);
    }
    return out;
  }

  /** This module's own buffers that are set (not null). */
  private ownBuffers(persistentOnly: boolean): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [key, persistent] of this._buffers) {
      const v = (this as unknown as Record<string, unknown>)[key];
      if (v instanceof Tensor && (persistent || !persistentOnly)) out.push([key, v]);
    }
    return out;
  }

  private collect<T>(own: (m: Module) => [string, T][], prefix: string, recurse: boolean): [string, T][] {
    const seen = new Set<T>();
    const out: [string, T][] = [];
    const mods: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [mname, m] of mods) {
      for (const [k, v] of own(m)) {
        if (seen.has(v)) continue;
        seen.add(v);
        out.push([mname ? `${mname}.${k}` : k, v]);
      }
    }
    return out;
  }

  /**
   * Parameters with dotted names (`fc1.weight`, `0.bias`), each once, own before submodules'.
   *
   * @example
   * ```ts
   * new nn.Linear(3, 2).namedParameters().map(([n, p]) => [n, p.shape]); // [["weight", [2, 3]], ["bias", [2]]]
   * ```
   */
  namedParameters(prefix = '', recurse = true): [string, Parameter][] {
    return this.collect((m) => m.ownParameters(), prefix, recurse);
  }

  /**
   * Every parameter, each once: what an optimizer is given.
   *
   * @example
   * ```ts
   * new nn.Linear(784, 10).parameters().reduce((n, p) => n + p.numel(), 0); // 7850
   * ```
   */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  /** Buffers with dotted names (non-persistent ones included). */
  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    return this.collect((m) => m.ownBuffers(false), prefix, recurse);
  }

  /** Every buffer. */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  /**
   * Sets train mode (or eval mode with `false`) on this module and every submodule.
   *
   * @example
   * ```ts
   * const m = new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout(0.5));
   * m.train(false).training; // false
   * m.get(1).training;       // false
   * ```
   */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ArgumentError(`train: expected a boolean mode, got ${describeValue(mode)}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Eval mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Clears every parameter's gradient: sets it to null (the default, as PyTorch 2), or to zeros. `setToNone`
   * may be given as a boolean or, as the optimizers' zeroGrad takes it, as `{ setToNone }`.
   *
   * @example
   * ```ts
   * const lin = new nn.Linear(2, 1);
   * lin.forward(ones([1, 2])).sum().backward();
   * lin.zeroGrad();
   * lin.weight.grad; // null
   * ```
   */
  zeroGrad(setToNone: boolean | { setToNone?: boolean } = true): void {
    const op = `${this.constructor.name}.zeroGrad`;
    const clear = typeof setToNone === 'boolean' ? setToNone
      : checkBool(op, 'setToNone', checkOptions(op, setToNone, ['setToNone'], { plain: true }).setToNone ?? true);
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (clear) p.grad = null;
      else p.grad = noGrad(() => p.grad!.detach().zero_());
    }
  }

  /** Calls `fn` on every submodule (depth first, children before parents, as PyTorch) and on this module. */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** Sets `requiresGrad` on every parameter (false freezes the module). */
  requiresGrad_(requiresGrad = true): this {
    checkBool(`${this.constructor.name}.requiresGrad_`, 'requiresGrad', requiresGrad);
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * Converts every float parameter and buffer to `dtype`, in place on the module (the parameters become new
   * Parameter objects, so make optimizers after). `to('float64')` is what gradcheck needs.
   *
   * @example
   * ```ts
   * const lin = new nn.Linear(2, 2).to('float64');
   * lin.weight.dtype; // "float64"
   * ```
   */
  to(dtype: DType): this {
    if (!isFloating(dtype)) throw new DTypeError(`to: modules convert to float32 or float64, got ${describeValue(dtype)}`);
    for (const m of this.modules()) {
      const props = m as unknown as Record<string, unknown>;
      for (const [key, p] of m.ownParameters()) {
        if (p.dtype === dtype) continue;
        const q = new Parameter(noGrad(() => P.cast(p.detach(), dtype)), p.requiresGrad);
        if (p.grad) q.grad = noGrad(() => P.cast(p.grad!, dtype));
        props[key] = q;
      }
      for (const [key, b] of m.ownBuffers(false)) {
        if (isFloating(b.dtype) && b.dtype !== dtype) props[key] = noGrad(() => P.cast(b, dtype));
      }
    }
    return this;
  }

  /** `to('float64')`. */
  double(): this {
    return this.to('float64');
  }

  /** `to('float32')`. */
  float(): this {
    return this.to('float32');
  }

  /**
   * The parameters and persistent buffers by dotted name: each module's parameters, then its buffers, then
   * its submodules', as PyTorch's `state_dict`. The values are detached tensors that share memory with the
   * module (clone them to keep a snapshot while training goes on).
   *
   * @example
   * ```ts
   * Object.keys(new nn.BatchNorm1d(3).stateDict());
   * // ["weight", "bias", "runningMean", "runningVar", "numBatchesTracked"]
   * ```
   */
  stateDict(): StateDict {
    // As PyTorch's state_dict, a module reached by two paths is saved under both (parameters() lists it once).
    const out: StateDict = {};
    const visit = (m: Module, prefix: string, path: Set<Module>) => {
      for (const [k, v] of [...m.ownParameters(), ...m.ownBuffers(true)]) out[prefix + k] = v.detach();
      for (const [k, c] of m.namedChildren()) {
        if (path.has(c)) throw new ValueError(`stateDict: module '${prefix}${k}' contains itself`);
        visit(c, `${prefix}${k}.`, new Set(path).add(c));
      }
    };
    visit(this, '', new Set([this]));
    return out;
  }

  /**
   * Copies a state dict into this module's parameters and buffers, in place. Every key and shape is checked
   * before anything is written, so a mismatch leaves the module as it was. With `strict` (the default) missing
   * and unexpected keys are errors; without it they are returned.
   *
   * @example
   * ```ts
   * const a = new nn.Linear(3, 2), b = new nn.Linear(3, 2);
   * b.loadStateDict(a.stateDict());
   * b.weight.toArray(); // equal to a.weight.toArray()
   * ```
   */
  loadStateDict(stateDict: StateDict, opts: { strict?: boolean } = {}): LoadResult {
    const o = checkOptions('loadStateDict', opts, ['strict']);
    const strict = checkBool('loadStateDict', 'strict', o.strict ?? true);
    if (typeof stateDict !== 'object' || stateDict === null || Array.isArray(stateDict) || stateDict instanceof Tensor) {
      throw new ArgumentError(`loadStateDict: expected a state dict (an object of tensors), got ${describeValue(stateDict, 'object')}`);
    }
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !(k in own));
    const problems: string[] = [];
    // the error's class follows the gravest problem: a value that is not a Tensor, then a shape, then the keys
    let E: typeof ArgumentError | typeof ShapeError | typeof ValueError = ValueError;
    for (const [k, dst] of Object.entries(own)) {
      if (!(k in stateDict)) continue;
      const src = stateDict[k];
      if (!(src instanceof Tensor)) {
        problems.push(`'${k}' is not a Tensor (got ${describeValue(src, 'object')})`);
        E = ArgumentError;
      } else if (shapeStr(src.shape) !== shapeStr(dst.shape)) {
        if (E !== ArgumentError) E = ShapeError;
        problems.push(`size mismatch for '${k}': copying a tensor of shape ${shapeStr(src.shape)} from the state dict, the shape in the module is ${shapeStr(dst.shape)}`);
      }
    }
    if (strict) {
      if (missingKeys.length) problems.push(`missing keys: ${missingKeys.map((k) => `'${k}'`).join(', ')}`);
      if (unexpectedKeys.length) problems.push(`unexpected keys: ${unexpectedKeys.map((k) => `'${k}'`).join(', ')}`);
    }
    if (problems.length) {
      throw new E(`loadStateDict: error(s) loading the state dict into ${this.constructor.name}:\n  ${problems.join('\n  ')}`);
    }
    noGrad(() => {
      for (const [k, dst] of Object.entries(own)) if (k in stateDict) dst.copy_(stateDict[k]);
    });
    return { missingKeys, unexpectedKeys };
  }

  /** The module's settings, shown inside the parentheses of `toString()` (`inFeatures=2, outFeatures=3, bias=true`). */
  extraRepr(): string {
    return '';
  }

  /**
   * The module tree, as PyTorch prints it.
   *
   * @example
   * ```ts
   * new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU()).toString();
   * // Sequential(
   * //   (0): Linear(inFeatures=2, outFeatures=3, bias=true)
   * //   (1): ReLU()
   * // )
   * ```
   */
  toString(): string {
    const extra = this.extraRepr();
    const lines = extra ? extra.split('\n') : [];
    for (const [k, m] of this.namedChildren()) lines.push(`(${k}): ${m.toString()}`);
    const name = this.constructor.name;
    if (lines.length === 0) return `${name}()`;
    if (this.namedChildren().length === 0 && lines.length === 1) return `${name}(${lines[0]})`;
    return `${name}(\n  ${lines.map(indent).join('\n  ')}\n)`;
  }

  /** @internal Node's console.log shows the tree. */
  [inspectSymbol](): string {
    return this.toString();
  }
}

/** PyTorch's bool repr in JS spelling, for `extraRepr`. */
export function reprValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(reprValue).join(', ')}]`;
  return typeof v === 'string' ? `'${v}'` : String(v);
}

/** Checks a module's input is a Tensor, naming the module. */
export function checkInput(module: Module, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    throw new ArgumentError(`${module.constructor.name}: expected a Tensor input, got ${describeValue(x, 'object')}`);
  }
}

/**
 * What Sequential and ModuleList share: children named `0`, `1`, …, indexing (`seq[0]`, `get(-1)`), `length`,
 * `append`, `extend` and iteration.
 *
 * @example
 * ```ts
 * const seq = new nn.Sequential(new nn.ReLU());
 * seq.append(new nn.Tanh()).length;      // 2
 * seq instanceof nn.IndexedModules;      // true
 * [...seq].map((m) => m.constructor.name); // ["ReLU", "Tanh"]
 * ```
 */
export abstract class IndexedModules extends Module {
  readonly [index: number]: Module;

  constructor(modules: Iterable<Module>) {
    super();
    this.extend(modules);
  }

  get length(): number {
    return this.children().length;
  }

  /** The i-th module (negative counts from the end). */
  get(i: number): Module {
    const cs = this.children();
    const k = i < 0 ? cs.length + i : i;
    if (!Number.isInteger(k) || k < 0 || k >= cs.length) {
      throw new IndexError(`${this.constructor.name}: index ${i} is out of range for ${cs.length} modules (expected an integer in [${-cs.length}, ${cs.length}))`);
    }
    return cs[k];
  }

  /** Appends a module. */
  append(m: Module): this {
    if (!(m instanceof Module)) throw new ArgumentError(`${this.constructor.name}.append: expected a Module, got ${describeValue(m, 'object')}`);
    (this as unknown as Record<string, Module>)[String(this.length)] = m;
    return this;
  }

  /** Appends several modules. */
  extend(ms: Iterable<Module>): this {
    for (const m of ms) this.append(m);
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.children()[Symbol.iterator]();
  }
}

/**
 * Applies modules in order, each to the previous one's output. Children are named `0`, `1`, ….
 *
 * @example
 * ```ts
 * const net = new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), new nn.Linear(4, 1));
 * net.forward(zeros([8, 2])).shape; // [8, 1]
 * net.length; // 3
 * ```
 */
export class Sequential extends IndexedModules {
  constructor(...modules: Module[]) {
    super(modules);
  }

  forward(x: any): any {
    let y = x;
    for (const m of this.children()) y = m.forward(y);
    return y;
  }
}

/**
 * Holds submodules in a list, so that their parameters are registered (a plain array of Modules as a
 * property works too). It has no forward of its own.
 *
 * @example
 * ```ts
 * const layers = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2)]);
 * layers.parameters().length; // 4
 * ```
 */
export class ModuleList extends IndexedModules {
  constructor(modules: Iterable<Module> = []) {
    super(modules);
  }

  forward(): never {
    throw new ArgumentError('ModuleList: has no forward (it only holds modules); call its modules in your own forward');
  }
}
