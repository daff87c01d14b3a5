// The optimizer base, as torch.optim.Optimizer: parameter groups with per-group options, per-parameter state,
// zeroGrad, step(closure), stateDict / loadStateDict and addParamGroup.
import { Tensor } from '../tensor/tensor.js';
import { shapeStr } from '../tensor/shape.js';
import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { checkBool, checkOptions as checkOptionKeys, checkTensorArg, describeValue } from '../utils/args.js';
import { ArgumentError, DTypeError, IndexError, ShapeError, ValueError } from '../errors.js';

/** A parameter group: its parameters and its options (lr, momentum, …), which schedulers may change. */
export type ParamGroup<O> = O & { params: Tensor[] };

/** What an optimizer is given: parameters, or groups of parameters each with its own options. */
export type Params<O> = Iterable<Tensor> | Iterable<{ params: Iterable<Tensor> } & Partial<O>>;

/** One parameter's optimizer state: tensors (moment estimates, …) and numbers (the step count, …). */
export type ParamState = Record<string, Tensor | number>;

/**
 * An optimizer's state as PyTorch's `state_dict()`: per-parameter state keyed by the parameter's position
 * across all groups, and the groups' options with their parameters as those positions.
 */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

/** A closure that clears the gradients, computes the loss, calls backward() and returns the loss. */
export type Closure = () => Tensor;

/**
 * The base of every optimizer. Subclasses define `defaults` (the options and their default values) and
 * `update(group, p, grad, state)`, which changes one parameter in place under `noGrad`.
 *
 * @example
 * ```ts
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new optim.SGD([w], { lr: 0.1 });
 * w.mul(w).sum().backward();     // grad = 2w
 * opt.step();
 * w.toArray();                   // [0.8, 1.6]
 * opt.paramGroups[0].lr;         // 0.1
 * ```
 */
export abstract class Optimizer<O extends Record<string, unknown> = Record<string, unknown>> {
  /** The options of groups that do not set them. */
  readonly defaults: O;
  /** The parameter groups; schedulers change their `lr`. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created at a parameter's first step. */
  state = new Map<Tensor, ParamState>();

  constructor(params: Params<O>, defaults: O) {
    const name = this.constructor.name;
    this.defaults = defaults;
    if (params === null || typeof params !== 'object' || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function' || params instanceof Tensor) {
      throw new ArgumentError(`${name}: params must be an iterable of Tensors or of parameter groups, got ${params instanceof Tensor ? 'a single Tensor' : describeValue(params, 'object')}`);
    }
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new ValueError(`${name}: got an empty parameter list, expected at least one Tensor or parameter group`);
    const groups = list.every((p) => p instanceof Tensor) ? [{ params: list as Tensor[] }] : list;
    for (const g of groups) this.addParamGroup(g as { params: Iterable<Tensor> } & Partial<O>);
  }

  /** Checks one group's options (types and ranges), naming the optimizer. Subclasses refine it. */
  protected checkOptions(group: O): void {
    void group;
  }

  /**
   * Adds a group of parameters with its own options (the others come from `defaults`), e.g. to fine-tune
   * layers with a smaller learning rate.
   *
   * @example
   * ```ts
   * const a = zeros([2], { requiresGrad: true }), b = zeros([2], { requiresGrad: true });
   * const opt = new optim.SGD([a], { lr: 0.1 });
   * opt.addParamGroup({ params: [b], lr: 0.01 });
   * opt.paramGroups.map((g) => g.lr); // [0.1, 0.01]
   * ```
   */
  addParamGroup(group: { params: Iterable<Tensor> } & Partial<O>): void {
    const name = this.constructor.name;
    if (group === null || typeof group !== 'object' || !('params' in group)) {
      throw new ArgumentError(`${name}: a parameter group must be an object with params, got ${describeValue(group, 'object')}`);
    }
    const raw = group.params instanceof Tensor ? [group.params] : group.params;
    if (raw == null || typeof (raw as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new ArgumentError(`${name}: a parameter group's params must be Tensors, got ${describeValue(raw, 'object')}`);
    }
    const params = [...raw];
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    params.forEach((p, i) => {
      checkTensorArg(name, p, `parameter ${i}`);
      if (p.dtype !== 'float32' && p.dtype !== 'float64') throw new DTypeError(`${name}: can only optimize float tensors, parameter ${i} has dtype ${p.dtype}`);
      if (!p.isLeaf) throw new ValueError(`${name}: can't optimize a non-leaf tensor (parameter ${i}, shape ${shapeStr(p.shape)}); pass leaves such as model.parameters()`);
      if (seen.has(p)) throw new ValueError(`${name}: some parameters appear in more than one parameter group (parameter ${i}, shape ${shapeStr(p.shape)})`);
      seen.add(p);
    });
    const { params: _given, ...opts } = group;
    checkOptionKeys(name, opts, Object.keys(this.defaults));
    // options are copied, so that changing one group's betas (a scheduler does) leaves the others alone
    const full = { ...structuredClone(this.defaults), ...structuredClone(opts), params } as ParamGroup<O>;
    this.checkOptions(full);
    this.paramGroups.push(full);
  }

  /**
   * Clears the gradients of every parameter: to null (the default, as PyTorch 2) or to zeros.
   *
   * @example
   * ```ts
   * const w = tensor([1], { requiresGrad: true });
   * const opt = new optim.SGD([w], { lr: 0.1 });
   * w.sum().backward();
   * opt.zeroGrad();
   * w.grad; // null
   * ```
   */
  zeroGrad(opts: { setToNone?: boolean } = {}): void {
    const name = `${this.constructor.name}.zeroGrad`;
    const o = checkOptionKeys(name, opts, ['setToNone']);
    const setToNone = checkBool(name, 'setToNone', o.setToNone ?? true);
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (p.grad === null) continue;
        if (setToNone) p.grad = null;
        else p.grad = noGrad(() => p.grad!.detach().zero_());
      }
    }
  }

  /**
   * One optimization step over every parameter that has a gradient. With a `closure` (which recomputes the
   * loss and calls backward), it is evaluated first, with grad enabled, and its loss returned.
   */
  step(closure?: Closure): Tensor | null {
    let loss: Tensor | null = null;
    if (closure !== undefined) {
      if (typeof closure !== 'function') throw new ArgumentError(`${this.constructor.name}.step: closure must be a function, got ${describeValue(closure, 'object')}`);
      loss = enableGrad(closure);
    }
    noGrad(() => {
      for (const g of this.paramGroups) {
        for (const p of g.params) {
          if (p.grad === null) continue;
          if (p.grad.dtype !== p.dtype || shapeStr(p.grad.shape) !== shapeStr(p.shape)) {
            throw new (p.grad.dtype !== p.dtype ? DTypeError : ShapeError)(`${this.constructor.name}.step: the gradient of a parameter of shape ${shapeStr(p.shape)} (${p.dtype}) has shape ${shapeStr(p.grad.shape)} (${p.grad.dtype})`);
          }
          let s = this.state.get(p);
          if (!s) this.state.set(p, (s = {}));
          this.update(g, p, p.grad, s);
        }
      }
    });
    return loss;
  }

  /** Changes one parameter in place from its gradient (called under noGrad, with its state, `{}` at first). */
  protected abstract update(group: ParamGroup<O>, p: Tensor, grad: Tensor, state: ParamState): void;

  /**
   * The state (cloned, so training on does not change it) and the groups' options, with parameters numbered
   * across groups in order, as PyTorch's `state_dict()`.
   *
   * @example
   * ```ts
   * const w = tensor([1, 2], { requiresGrad: true });
   * const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
   * w.sum().backward();
   * opt.step();
   * const sd = opt.stateDict();
   * sd.paramGroups[0].params;          // [0]
   * sd.state[0].momentumBuffer instanceof Tensor; // true
   * ```
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...opts } = g;
      return { ...structuredClone(opts), params: params.map((p) => (index.has(p) ? index.get(p)! : index.set(p, index.size).get(p)!)) };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      state[i] = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Tensor ? v.clone() : v]));
    }
    return { state, paramGroups };
  }

  /**
   * Restores a state dict from `stateDict()` (of an optimizer of the same kind over parameters of the same
   * shapes and groups): options and per-parameter state. Everything is checked before anything changes.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = this.constructor.name;
    if (sd === null || typeof sd !== 'object' || !Array.isArray(sd.paramGroups) || typeof sd.state !== 'object' || sd.state === null) {
      throw new ArgumentError(`${name}.loadStateDict: expected {state, paramGroups} as from stateDict(), got ${describeValue(sd, 'object')}`);
    }
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new ValueError(`${name}.loadStateDict: the state dict has ${sd.paramGroups.length} parameter groups, the optimizer ${this.paramGroups.length}`);
    }
    const byIndex = new Map<number, Tensor>();
    sd.paramGroups.forEach((g, gi) => {
      const mine = this.paramGroups[gi].params;
      if (!Array.isArray(g.params) || g.params.length !== mine.length) {
        throw new ValueError(`${name}.loadStateDict: group ${gi} has ${Array.isArray(g.params) ? g.params.length : 'no'} parameters in the state dict, ${mine.length} in the optimizer`);
      }
      // every saved option is restored, including keys a scheduler added (initialLr), as PyTorch does
      g.params.forEach((idx, k) => byIndex.set(idx, mine[k]));
    });
    const state = new Map<Tensor, ParamState>();
    for (const [key, s] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key));
      if (!p) throw new IndexError(`${name}.loadStateDict: state for parameter ${key}, which no group has (expected parameter indices 0 to ${byIndex.size - 1})`);
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(s)) {
        if (v instanceof Tensor) {
          // moment estimates have the parameter's shape (and take its dtype); other state tensors are 0-d
          if (v.ndim !== 0 && shapeStr(v.shape) !== shapeStr(p.shape)) {
            throw new ShapeError(`${name}.loadStateDict: state '${k}' of parameter ${key} has shape ${shapeStr(v.shape)}, the parameter ${shapeStr(p.shape)}`);
          }
          copy[k] = noGrad(() => (v.ndim === 0 ? v : v.to(p.dtype)).clone());
        } else if (typeof v === 'number') copy[k] = v;
        else throw new ArgumentError(`${name}.loadStateDict: state '${k}' of parameter ${key} must be a Tensor or a number, got ${describeValue(v, 'object')}`);
      }
      state.set(p, copy);
    }
    sd.paramGroups.forEach((g, gi) => {
      const { params: _ignored, ...opts } = g;
      Object.assign(this.paramGroups[gi], structuredClone(opts));
    });
    this.state = state;
  }
}
