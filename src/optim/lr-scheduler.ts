// Learning-rate schedulers, as torch.optim.lr_scheduler (PyTorch 1.13): each sets the `lr` of the optimizer's
// parameter groups at every step(), with PyTorch's chainable (recursive) formulas, so that the sequence of
// learning rates is PyTorch's to float64 rounding. The namespace `optim.lrScheduler`.
import { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamGroup } from './optimizer.js';
import { checkBool, checkChoice, checkFinite, checkInt, checkNonNegative, checkNumber, checkOptions, describeValue, isOptionsObject, kindOf } from '../utils/args.js';
import { ArgumentError, ValueError } from '../errors.js';

/** An optimizer a scheduler drives: any {@link Optimizer}; its groups' `lr` must be numbers. */
export type SchedulableOptimizer = Optimizer<Record<string, unknown>>;
type Group = ParamGroup<Record<string, unknown>>;

// As PyTorch's 'initial_lr', each group records its starting learning rate as `initialLr`, so that a second
// scheduler on the same optimizer, or one resumed with lastEpoch ≥ 0 after optimizer.loadStateDict, starts from
// the same base (the optimizer's state dict carries the key).
const initialLrs = {
  has: (g: Group) => typeof g.initialLr === 'number',
  get: (g: Group) => g.initialLr as number | undefined,
  set: (g: Group, lr: number) => { g.initialLr = lr; },
};

/**
 * A scheduler's arguments as an options object: either the options object itself (keys outside `keys`
 * refused) or PyTorch's positional form, in the order of `keys` (`StepLR(opt, 30, 0.1)`).
 */
function readArgs(name: string, args: unknown[], keys: readonly string[]): Record<string, unknown> {
  if (args.length === 1 && isOptionsObject(args[0])) return checkOptions(name, args[0], keys);
  if (args.length > keys.length) {
    throw new ArgumentError(`${name}: expected at most ${keys.length} arguments after the optimizer (${keys.join(', ')}) or an options object, got ${args.length}`);
  }
  const out: Record<string, unknown> = {};
  args.forEach((v, i) => {
    if (v !== undefined) out[keys[i]] = v;
  });
  return out;
}

function checkOptimizer(name: string, optimizer: unknown): asserts optimizer is SchedulableOptimizer {
  if (!(optimizer instanceof Optimizer)) throw new ArgumentError(`${name}: expected an Optimizer, got ${describeValue(optimizer, 'object')}`);
  optimizer.paramGroups.forEach((g, i) => {
    if (typeof g.lr !== 'number') throw new ArgumentError(`${name}: parameter group ${i} has no numeric lr (got ${describeValue(g.lr)})`);
  });
}

const checkLastEpoch = (name: string, v: unknown) => checkInt(name, 'lastEpoch', v ?? -1, -1);

/** A check of one setting of a scheduler: the value, or throws naming the scheduler and the key. */
type Check<T> = (name: string, key: string, v: unknown) => T;
/** The check with `fallback` for a setting left out (undefined or null). */
const orDefault = <T>(check: Check<T>, fallback: unknown): Check<T> => (name, key, v) => check(name, key, v ?? fallback);
const integerAtLeast1: Check<number> = (name, key, v) => checkInt(name, key, v, 1);
const inUnitInterval: Check<number> = (name, key, v) => checkNumber(name, key, v, (x) => x >= 0 && x <= 1, 'in [0, 1]');

/**
 * The arguments of an epoch scheduler (an options object, or PyTorch's positional form in the order of `checks`
 * then lastEpoch) as the LRScheduler constructor takes them: lastEpoch and the settings, each checked by its
 * check, in order, then lastEpoch.
 */
function epochArgs<S extends object>(name: string, args: unknown[], checks: { [K in keyof S]: Check<S[K]> }): [lastEpoch: number, settings: S] {
  const keys = Object.keys(checks) as (keyof S & string)[];
  const o = readArgs(name, args, [...keys, 'lastEpoch']);
  const settings = Object.fromEntries(keys.map((k) => [k, checks[k](name, k, o[k])])) as S;
  return [checkLastEpoch(name, o.lastEpoch), settings];
}

/** A number or one number per parameter group (as PyTorch's min_lr, max_lr, …), as one number per group. */
function perGroup(name: string, key: string, v: unknown, groups: number, check: (k: string, x: unknown) => number): number[] {
  if (!Array.isArray(v)) return Array.from({ length: groups }, () => check(key, v));
  if (v.length !== groups) throw new ValueError(`${name}: expected ${groups} values of ${key} (one per parameter group), got ${v.length}`);
  return v.map((x, i) => check(`${key}[${i}]`, x));
}

/** What a scheduler's state dict holds: its own fields but the optimizer and functions, deep-copied. */
function stateOf(obj: object): Record<string, unknown> {
  const skip = (v: unknown) => v instanceof Optimizer || typeof v === 'function' || (Array.isArray(v) && v.some((f) => typeof f === 'function'));
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => !skip(v)).map(([k, v]) => [k, structuredClone(v)]));
}

/**
 * Loads a state dict from `stateOf` into `obj`, checking first that it has exactly the same keys, values of the
 * same kinds, and (for `perGroupKeys`) one value per parameter group of the optimizer.
 */
function loadState(name: string, obj: object, sd: unknown, groups: number, perGroupKeys: readonly string[]): void {
  if (!isOptionsObject(sd)) throw new ArgumentError(`${name}.loadStateDict: expected a state dict from stateDict(), got ${describeValue(sd, 'object')}`);
  const own = stateOf(obj);
  const missing = Object.keys(own).filter((k) => !(k in sd));
  const unexpected = Object.keys(sd).filter((k) => !(k in own));
  if (missing.length || unexpected.length) {
    const parts = [missing.length ? `missing keys ${missing.join(', ')}` : '', unexpected.length ? `unexpected keys ${unexpected.join(', ')}` : ''];
    throw new ArgumentError(`${name}.loadStateDict: not a state dict of a ${name}: ${parts.filter(Boolean).join('; ')}`);
  }
  for (const [k, v] of Object.entries(own)) {
    if (kindOf(sd[k]) !== kindOf(v)) throw new ArgumentError(`${name}.loadStateDict: '${k}' must be ${kindOf(v)}, got ${describeValue(sd[k])}`);
  }
  for (const k of perGroupKeys) {
    const n = (sd[k] as unknown[]).length;
    if (n !== groups) throw new ValueError(`${name}.loadStateDict: '${k}' has ${n} values, the optimizer has ${groups} parameter groups`);
  }
  Object.assign(obj, structuredClone(sd));
}

/**
 * The base of the epoch-driven schedulers, as PyTorch's `_LRScheduler`. At construction it records each group's
 * starting learning rate (`baseLrs`; PyTorch's `initial_lr`, kept by the first scheduler created on the
 * optimizer, so that a second one starts from the same base) and takes a first step, to epoch 0. Each `step()`
 * then advances `lastEpoch` by one and sets every group's `lr` to `getLr()`, which for most schedulers is
 * chainable: computed from the group's current lr, so that schedulers (or code) changing the same lr compose.
 *
 * A subclass implements `getLr()`. Since the first step runs inside this constructor (as PyTorch's), the
 * fields getLr reads are passed to it as `settings` (assigned to the scheduler before that step) and declared
 * with `declare`, so that TypeScript does not reset them after `super()`. `lastEpoch` ≥ 0 resumes a schedule;
 * it needs a scheduler created earlier on the same optimizer (as PyTorch needs 'initial_lr' in the groups) —
 * to resume after a restart, create the scheduler with lastEpoch −1 and call `loadStateDict(saved)`.
 *
 * @example
 * ```ts
 * // halve the learning rate every epoch after `after`
 * class HalveAfter extends optim.lrScheduler.LRScheduler {
 *   declare readonly after: number;
 *   constructor(opt: optim.Optimizer, after: number) {
 *     super(opt, -1, { after });
 *   }
 *   protected getLr() {
 *     return this.optimizer.paramGroups.map((g) => (this.lastEpoch > this.after ? (g.lr as number) / 2 : (g.lr as number)));
 *   }
 * }
 * const opt = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 1 });
 * const sched = new HalveAfter(opt, 2);
 * for (let epoch = 0; epoch < 5; epoch++) sched.step(); // epochs 1 to 5: halved at 3, 4 and 5
 * sched.getLastLr(); // [0.125]
 * sched.stateDict().after; // 2
 * sched.baseLrs;     // [1]
 * ```
 */
export abstract class LRScheduler {
  /** The optimizer whose groups' learning rates this sets. */
  readonly optimizer: SchedulableOptimizer;
  /** Each group's starting learning rate (PyTorch's `base_lrs`). */
  baseLrs: number[];
  /** The epoch (number of step() calls) of the current learning rates: 0 after construction. */
  lastEpoch: number;
  /** How many times step() ran, the initial step included (PyTorch's `_step_count`). */
  protected stepCount = 0;
  /** The learning rates the last step set. */
  protected lastLr: number[] = [];

  constructor(optimizer: SchedulableOptimizer, lastEpoch = -1, settings: object = {}) {
    const name = new.target.name;
    checkOptimizer(name, optimizer);
    checkLastEpoch(name, lastEpoch);
    const groups = optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const g of groups) if (!initialLrs.has(g)) initialLrs.set(g, g.lr as number);
    } else {
      groups.forEach((g, i) => {
        if (!initialLrs.has(g)) {
          throw new ValueError(`${name}: resuming with lastEpoch ${lastEpoch} needs the initial learning rate (initialLr) of parameter group ${i}, which a scheduler records in the optimizer's groups; load the optimizer's state dict first, or create the scheduler with lastEpoch -1 and call loadStateDict(saved)`);
        }
      });
    }
    this.optimizer = optimizer;
    this.baseLrs = groups.map((g) => initialLrs.get(g)!);
    this.lastEpoch = lastEpoch;
    Object.assign(this, settings);
    this.step(); // to epoch 0 (PyTorch's _initial_step)
  }

  /** The learning rates of the groups at epoch `lastEpoch` (PyTorch's chainable `get_lr`). */
  protected abstract getLr(): number[];

  /**
   * Advances one epoch (or batch, for OneCycleLR) and sets each group's learning rate. Call it after
   * `optimizer.step()`.
   */
  step(): void {
    const name = this.constructor.name;
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.baseLrs.length) {
      throw new ValueError(`${name}.step: the optimizer has ${groups.length} parameter groups, the scheduler was made for ${this.baseLrs.length}`);
    }
    this.stepCount++;
    this.lastEpoch++;
    let lrs: number[];
    try {
      lrs = this.getLr();
    } catch (e) {
      // a refused step (a bad lrLambda value, a OneCycleLR phase without steps) leaves the schedule as it was
      this.stepCount--;
      this.lastEpoch--;
      throw e;
    }
    groups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = groups.map((g) => g.lr as number);
  }

  /** The learning rates the last step set, one per group (PyTorch's `get_last_lr()`). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's state, as PyTorch's `state_dict()`: every field but the optimizer and functions (a
   * LambdaLR's lrLambda is not saved), deep-copied.
   */
  stateDict(): Record<string, unknown> {
    return stateOf(this);
  }

  /**
   * Restores a state dict from `stateDict()` of a scheduler of the same kind over as many parameter groups.
   * The optimizer's own state (its groups' lr) is restored by `optimizer.loadStateDict`.
   */
  loadStateDict(sd: Record<string, unknown>): void {
    loadState(this.constructor.name, this, sd, this.optimizer.paramGroups.length, ['baseLrs']);
  }

  /** The groups' current learning rates. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr as number);
  }
}

/** The options of {@link StepLR}. */
export interface StepLROptions {
  /** Period of the decay, in epochs (an integer ≥ 1). */
  stepSize: number;
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
  /** The index of the last epoch, to resume (default −1: start). */
  lastEpoch?: number;
}

/**
 * Multiplies the learning rate by γ every `stepSize` epochs, as `torch.optim.lr_scheduler.StepLR`:
 * lr = base·γ^⌊epoch / stepSize⌋ (chainable: at epochs that are multiples of stepSize, lr ← lr·γ).
 *
 * @example
 * ```ts
 * const opt = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.5 }); // or StepLR(opt, 2, 0.5)
 * const lrs = [];
 * for (let epoch = 0; epoch < 6; epoch++) {
 *   lrs.push(opt.paramGroups[0].lr); // train with this lr: ... opt.step()
 *   sched.step();
 * }
 * lrs; // [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]
 * ```
 */
export class StepLR extends LRScheduler {
  /** Period of the decay, in epochs. */
  declare readonly stepSize: number;
  /** Multiplicative factor of the decay. */
  declare readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: StepLROptions);
  constructor(optimizer: SchedulableOptimizer, stepSize: number, gamma?: number, lastEpoch?: number);
  constructor(optimizer: SchedulableOptimizer, ...args: unknown[]) {
    super(optimizer, ...epochArgs('StepLR', args, { stepSize: integerAtLeast1, gamma: orDefault(checkFinite, 0.1) }));
  }

  protected getLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/** Epochs (integers ≥ 0) in increasing order, repeats kept: MultiStepLR's milestones. */
const sortedEpochs: Check<number[]> = (name, key, v) => {
  if (!Array.isArray(v)) throw new ArgumentError(`${name}: ${key} must be an array of epochs, got ${describeValue(v)}`);
  return v.map((m, i) => checkInt(name, `${key}[${i}]`, m, 0)).sort((a, b) => a - b);
};

/** The options of {@link MultiStepLR}. */
export interface MultiStepLROptions {
  /** The epochs at which the learning rate is multiplied by γ (integers; one listed k times multiplies by γᵏ). */
  milestones: number[];
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
  /** The index of the last epoch, to resume (default −1: start). */
  lastEpoch?: number;
}

/**
 * Multiplies the learning rate by γ at each milestone epoch, as `torch.optim.lr_scheduler.MultiStepLR`:
 * lr = base·γ^(number of milestones ≤ epoch). A milestone listed twice multiplies by γ² (PyTorch counts them).
 *
 * @example
 * ```ts
 * const opt = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 1 });
 * const sched = new optim.lrScheduler.MultiStepLR(opt, { milestones: [2, 4], gamma: 0.1 });
 * const lrs = [];
 * for (let epoch = 0; epoch < 6; epoch++) {
 *   lrs.push(opt.paramGroups[0].lr);
 *   sched.step();
 * }
 * lrs; // [1, 1, 0.1, 0.1, 0.01, 0.01]
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** The milestones, sorted (with repeats). */
  declare readonly milestones: number[];
  /** Multiplicative factor of the decay. */
  declare readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: MultiStepLROptions);
  constructor(optimizer: SchedulableOptimizer, milestones: number[], gamma?: number, lastEpoch?: number);
  constructor(optimizer: SchedulableOptimizer, ...args: unknown[]) {
    super(optimizer, ...epochArgs('MultiStepLR', args, { milestones: sortedEpochs, gamma: orDefault(checkFinite, 0.1) }));
  }

  protected getLr(): number[] {
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    const lrs = this.groupLrs();
    return count === 0 ? lrs : lrs.map((lr) => lr * this.gamma ** count);
  }
}

/** The options of {@link ExponentialLR}. */
export interface ExponentialLROptions {
  /** Multiplicative factor of the decay, every epoch. */
  gamma: number;
  /** The index of the last epoch, to resume (default −1: start). */
  lastEpoch?: number;
}

/**
 * Multiplies the learning rate by γ every epoch, as `torch.optim.lr_scheduler.ExponentialLR`: lr = base·γ^epoch.
 *
 * @example
 * ```ts
 * const opt = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 1 });
 * const sched = new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.5 }); // or ExponentialLR(opt, 0.5)
 * sched.step();
 * sched.step();
 * sched.getLastLr(); // [0.25]
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** Multiplicative factor of the decay. */
  declare readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: ExponentialLROptions);
  constructor(optimizer: SchedulableOptimizer, gamma: number, lastEpoch?: number);
  constructor(optimizer: SchedulableOptimizer, ...args: unknown[]) {
    super(optimizer, ...epochArgs('ExponentialLR', args, { gamma: checkFinite }));
  }

  protected getLr(): number[] {
    const lrs = this.groupLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }
}

/** The options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** The half period, in epochs (an integer ≥ 1): the learning rate reaches etaMin at epoch TMax. */
  TMax: number;
  /** The minimum learning rate (default 0). */
  etaMin?: number;
  /** The index of the last epoch, to resume (default −1: start). */
  lastEpoch?: number;
}

/**
 * Cosine annealing from the base learning rate η_max down to `etaMin` over `TMax` epochs, as
 * `torch.optim.lr_scheduler.CosineAnnealingLR`. PyTorch defines it recursively (chainable):
 *
 * ```text
 * η_t = η_min + (η_{t−1} − η_min)·(1 + cos(π·t/T)) / (1 + cos(π·(t−1)/T))
 * η_t = η_{t−1} + (η_max − η_min)·(1 − cos(π/T)) / 2        when (t − 1 − T) mod 2T = 0
 * ```
 *
 * which, alone on the optimizer, equals the closed form η_t = η_min + (η_max − η_min)·(1 + cos(π·t/T))/2 for
 * t ≤ TMax and beyond (up to rounding): the learning rate rises back to η_max by epoch 2·TMax, and so on.
 * A scheduler resumed with lastEpoch ≥ 0 takes its first value from the closed form, as PyTorch's.
 *
 * @example
 * ```ts
 * const opt = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 1 });
 * const sched = new optim.lrScheduler.CosineAnnealingLR(opt, { TMax: 4, etaMin: 0 }); // or (opt, 4)
 * const lrs = [];
 * for (let epoch = 0; epoch < 6; epoch++) {
 *   lrs.push(opt.paramGroups[0].lr);
 *   sched.step();
 * }
 * lrs.map((x) => Math.round(x * 1e4) / 1e4); // [1, 0.8536, 0.5, 0.1464, 0, 0.1464]
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** The half period, in epochs. */
  declare readonly TMax: number;
  /** The minimum learning rate. */
  declare readonly etaMin: number;

  constructor(optimizer: SchedulableOptimizer, opts: CosineAnnealingLROptions);
  constructor(optimizer: SchedulableOptimizer, TMax: number, etaMin?: number, lastEpoch?: number);
  constructor(optimizer: SchedulableOptimizer, ...args: unknown[]) {
    super(optimizer, ...epochArgs('CosineAnnealingLR', args, { TMax: integerAtLeast1, etaMin: orDefault(checkFinite, 0) }));
  }

  protected getLr(): number[] {
    const { lastEpoch: t, TMax: T, etaMin } = this;
    const lrs = this.groupLrs();
    if (t === 0) return lrs;
    if (this.stepCount === 1 && t > 0) return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((t * Math.PI) / T))) / 2);
    if ((t - 1 - T) % (2 * T) === 0) return lrs.map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    return lrs.map((lr) => ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (lr - etaMin) + etaMin);
  }
}

/** LinearLR's startFactor: in (0, 1]. */
const startFactorCheck: Check<number> = (name, key, v) => checkNumber(name, key, v, (x) => x > 0 && x <= 1, 'in (0, 1]');

/** The options of {@link LinearLR}. */
export interface LinearLROptions {
  /** The factor of the base learning rate at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** The factor at epoch totalIters and after, in [0, 1] (default 1). */
  endFactor?: number;
  /** The number of epochs the factor takes to go from startFactor to endFactor (an integer ≥ 1; default 5). */
  totalIters?: number;
  /** The index of the last epoch, to resume (default −1: start). */
  lastEpoch?: number;
}

/**
 * Changes the learning rate linearly from base·startFactor to base·endFactor over `totalIters` epochs, then
 * keeps it, as `torch.optim.lr_scheduler.LinearLR` (a warm-up, with the defaults):
 * lr = base·(startFactor + (endFactor − startFactor)·min(epoch, totalIters)/totalIters), computed chainably as
 * PyTorch does (lr ← lr·(1 + (end − start)/(totalIters·start + (epoch − 1)·(end − start)))).
 *
 * @example
 * ```ts
 * const opt = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 0.05 });
 * const sched = new optim.lrScheduler.LinearLR(opt, { startFactor: 0.5, totalIters: 4 });
 * const lrs = [];
 * for (let epoch = 0; epoch < 6; epoch++) {
 *   lrs.push(opt.paramGroups[0].lr);
 *   sched.step();
 * }
 * lrs; // [0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05]
 * ```
 */
export class LinearLR extends LRScheduler {
  /** The factor at epoch 0. */
  declare readonly startFactor: number;
  /** The factor from epoch totalIters on. */
  declare readonly endFactor: number;
  /** The length of the ramp, in epochs. */
  declare readonly totalIters: number;

  constructor(optimizer: SchedulableOptimizer, opts?: LinearLROptions);
  constructor(optimizer: SchedulableOptimizer, startFactor?: number, endFactor?: number, totalIters?: number, lastEpoch?: number);
  constructor(optimizer: SchedulableOptimizer, ...args: unknown[]) {
    super(optimizer, ...epochArgs('LinearLR', args, {
      startFactor: orDefault(startFactorCheck, 1 / 3), endFactor: orDefault(inUnitInterval, 1), totalIters: orDefault(integerAtLeast1, 5),
    }));
  }

  protected getLr(): number[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: n } = this;
    const lrs = this.groupLrs();
    if (t === 0) return lrs.map((lr) => lr * s);
    if (t > n) return lrs;
    return lrs.map((lr) => lr * (1 + (e - s) / (n * s + (t - 1) * (e - s))));
  }
}

/** A function of the epoch giving the factor of the base learning rate. */
export type LrLambda = (epoch: number) => number;

/** The options of {@link LambdaLR}. */
export interface LambdaLROptions {
  /** The factor of the base learning rate as a function of the epoch, or one function per parameter group. */
  lrLambda: LrLambda | LrLambda[];
  /** The index of the last epoch, to resume (default −1: start). */
  lastEpoch?: number;
}

/**
 * Sets each group's learning rate to its base learning rate times a function of the epoch, as
 * `torch.optim.lr_scheduler.LambdaLR`: lr = base·lrLambda(epoch) (one function, or one per group). The
 * functions are not part of `stateDict()`.
 *
 * @example
 * ```ts
 * const opt = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.LambdaLR(opt, (epoch) => 1 / (epoch + 1));
 * sched.step();
 * sched.getLastLr(); // [0.05]
 * ```
 */
export class LambdaLR extends LRScheduler {
  /** The functions, one per parameter group. */
  declare readonly lrLambdas: LrLambda[];

  constructor(optimizer: SchedulableOptimizer, opts: LambdaLROptions);
  constructor(optimizer: SchedulableOptimizer, lrLambda: LrLambda | LrLambda[], lastEpoch?: number);
  constructor(optimizer: SchedulableOptimizer, ...args: unknown[]) {
    const o = readArgs('LambdaLR', args, ['lrLambda', 'lastEpoch']);
    checkOptimizer('LambdaLR', optimizer);
    const groups = optimizer.paramGroups.length;
    const fns = Array.isArray(o.lrLambda) ? o.lrLambda : Array.from({ length: groups }, () => o.lrLambda);
    if (Array.isArray(o.lrLambda) && fns.length !== groups) {
      throw new ValueError(`LambdaLR: expected ${groups} lrLambdas (one per parameter group), got ${fns.length}`);
    }
    fns.forEach((f) => {
      if (typeof f !== 'function') throw new ArgumentError(`LambdaLR: lrLambda must be a function of the epoch or an array of them, got ${describeValue(f)}`);
    });
    super(optimizer, checkLastEpoch('LambdaLR', o.lastEpoch), { lrLambdas: fns as LrLambda[] });
  }

  protected getLr(): number[] {
    return this.baseLrs.map((base, i) => {
      const f = this.lrLambdas[i](this.lastEpoch);
      if (typeof f !== 'number' || !Number.isFinite(f)) {
        throw new (typeof f === 'number' ? ValueError : ArgumentError)(`LambdaLR: lrLambda(${this.lastEpoch}) for parameter group ${i} returned ${describeValue(f)}, expected a finite number`);
      }
      return base * f;
    });
  }
}

/** The options of {@link OneCycleLR}. */
export interface OneCycleLROptions {
  /** The peak learning rate, or one per parameter group. */
  maxLr: number | number[];
  /** The number of steps of the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number | null;
  /** With stepsPerEpoch, totalSteps = epochs·stepsPerEpoch. */
  epochs?: number | null;
  /** With epochs, totalSteps = epochs·stepsPerEpoch. */
  stepsPerEpoch?: number | null;
  /** The fraction of the cycle spent increasing the learning rate, in [0, 1] (default 0.3). */
  pctStart?: number;
  /** 'cos' (the default) or 'linear' annealing between the phases' ends. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle the momentum (or Adam's β₁) inversely to the learning rate (default true). */
  cycleMomentum?: boolean;
  /** The momentum at the peak learning rate, or one per group (default 0.85). */
  baseMomentum?: number | number[];
  /** The momentum at the start and end, or one per group (default 0.95). */
  maxMomentum?: number | number[];
  /** The initial learning rate is maxLr / divFactor (default 25). */
  divFactor?: number;
  /** The final learning rate is maxLr / divFactor / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, down to the initial lr, then to the final lr) as the paper, instead of fastai's two. */
  threePhase?: boolean;
  /** The index of the last batch, to resume (default −1: start). */
  lastEpoch?: number;
}

/** Which of a group's OneCycleLR values a phase starts or ends at. */
export type PhaseValue = 'initialLr' | 'maxLr' | 'minLr' | 'maxMomentum' | 'baseMomentum';
/** One phase of {@link OneCycleLR}: annealed from its start values to its end values by step `endStep`. */
export interface Phase { endStep: number; startLr: PhaseValue; endLr: PhaseValue; startMomentum: PhaseValue; endMomentum: PhaseValue }

const ONE_CYCLE_KEYS = ['maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum', 'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase', 'lastEpoch'] as const;

/**
 * The 1cycle policy, as `torch.optim.lr_scheduler.OneCycleLR`, stepped after every batch: the learning rate
 * goes from initial = maxLr/divFactor up to maxLr over the first pctStart·totalSteps steps, then down to
 * min = initial/finalDivFactor at step totalSteps − 1 (cosine or linear annealing between the phases' ends);
 * with threePhase, up, back down to initial by step 2·pctStart·totalSteps − 2, then down to min. The momentum
 * (SGD's, RMSprop's, or Adam's β₁) moves the other way between maxMomentum and baseMomentum. Phase k runs
 * from the end step of phase k−1 (0 for the first) to its own end step: pct = (step − start)/(end − start),
 * and `cos` annealing gives end + (start − end)/2·(1 + cos(π·pct)). Not chainable; at most totalSteps steps.
 *
 * @example
 * ```ts
 * const opt = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
 * const sched = new optim.lrScheduler.OneCycleLR(opt, { maxLr: 1, totalSteps: 10, annealStrategy: 'linear' });
 * opt.paramGroups[0].lr;       // 0.04
 * opt.paramGroups[0].momentum; // 0.95
 * sched.step();
 * sched.step();
 * opt.paramGroups[0].lr;       // 1
 * opt.paramGroups[0].momentum; // 0.85
 * ```
 */
export class OneCycleLR extends LRScheduler {
  /** The number of steps of the cycle. */
  declare readonly totalSteps: number;
  /** The annealing between the ends of a phase. */
  declare readonly annealStrategy: 'cos' | 'linear';
  /** Whether the momentum (or β₁) is cycled. */
  declare readonly cycleMomentum: boolean;
  /** Whether the cycled momentum is Adam's β₁ (the optimizer has `betas`). */
  declare readonly useBeta1: boolean;
  /** The peak learning rate of each group. */
  declare readonly maxLrs: number[];
  /** The final learning rate of each group. */
  declare readonly minLrs: number[];
  /** The momentum at the start and end of each group. */
  declare readonly maxMomentums: number[];
  /** The momentum at the peak learning rate of each group. */
  declare readonly baseMomentums: number[];
  /** The phases: their end steps, and which values they anneal between. */
  declare readonly phases: Phase[];

  constructor(optimizer: SchedulableOptimizer, opts: OneCycleLROptions);
  constructor(optimizer: SchedulableOptimizer, maxLr: number | number[], totalSteps?: number);
  constructor(optimizer: SchedulableOptimizer, ...args: unknown[]) {
    const name = 'OneCycleLR';
    const o = readArgs(name, args, ONE_CYCLE_KEYS);
    checkOptimizer(name, optimizer);
    const groups = optimizer.paramGroups;
    let totalSteps: number;
    if (o.totalSteps != null) totalSteps = checkInt(name, 'totalSteps', o.totalSteps, 1);
    else if (o.epochs == null && o.stepsPerEpoch == null) throw new ArgumentError(`${name}: missing the length of the cycle: give totalSteps, or epochs and stepsPerEpoch`);
    else totalSteps = checkInt(name, 'epochs', o.epochs, 1) * checkInt(name, 'stepsPerEpoch', o.stepsPerEpoch, 1);
    const pctStart = inUnitInterval(name, 'pctStart', o.pctStart ?? 0.3);
    const annealStrategy = checkChoice(name, 'annealStrategy', o.annealStrategy ?? 'cos', ['cos', 'linear'] as const);
    const positive = (k: string, v: unknown) => checkNumber(name, k, v, (x) => x > 0 && x < Infinity, 'a finite number > 0');
    const divFactor = positive('divFactor', o.divFactor ?? 25);
    const finalDivFactor = positive('finalDivFactor', o.finalDivFactor ?? 1e4);
    const maxLrs = perGroup(name, 'maxLr', o.maxLr, groups.length, (k, v) => checkNonNegative(name, k, v));
    const cycleMomentum = checkBool(name, 'cycleMomentum', o.cycleMomentum ?? true);
    const momentum = (k: string, v: unknown) => inUnitInterval(name, k, v);
    const maxMomentums = perGroup(name, 'maxMomentum', o.maxMomentum ?? 0.95, groups.length, momentum);
    const baseMomentums = perGroup(name, 'baseMomentum', o.baseMomentum ?? 0.85, groups.length, momentum);
    const threePhase = checkBool(name, 'threePhase', o.threePhase ?? false);
    const lastEpoch = checkLastEpoch(name, o.lastEpoch);
    const useBeta1 = 'betas' in optimizer.defaults;
    if (cycleMomentum && !('momentum' in optimizer.defaults) && !useBeta1) {
      throw new ValueError(`${name}: cycleMomentum needs an optimizer with momentum or betas, ${optimizer.constructor.name} has neither; pass cycleMomentum: false`);
    }
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        initialLrs.set(g, maxLrs[i] / divFactor);
        if (cycleMomentum) setMomentum(g, useBeta1, maxMomentums[i]);
      });
    }
    const up: Phase = { endStep: pctStart * totalSteps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' };
    const phases: Phase[] = threePhase
      ? [up, { endStep: 2 * pctStart * totalSteps - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        { endStep: totalSteps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' }]
      : [up, { endStep: totalSteps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' }];
    const minLrs = maxLrs.map((m) => m / divFactor / finalDivFactor);
    super(optimizer, lastEpoch, { totalSteps, annealStrategy, cycleMomentum, useBeta1, maxLrs, minLrs, maxMomentums, baseMomentums, phases });
  }

  override step(): void {
    if (this.lastEpoch + 1 > this.totalSteps) {
      throw new ValueError(`OneCycleLR.step: tried to step ${this.lastEpoch + 2} times; the cycle has totalSteps = ${this.totalSteps}`);
    }
    super.step();
  }

  protected getLr(): number[] {
    const t = this.lastEpoch;
    const anneal = this.annealStrategy === 'cos'
      ? (start: number, end: number, pct: number) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1)
      : (start: number, end: number, pct: number) => (end - start) * pct + start;
    return this.optimizer.paramGroups.map((g, i) => {
      const value: Record<PhaseValue, number> = {
        initialLr: initialLrs.get(g) ?? this.baseLrs[i], maxLr: this.maxLrs[i], minLr: this.minLrs[i],
        maxMomentum: this.maxMomentums[i], baseMomentum: this.baseMomentums[i],
      };
      let start = 0;
      for (const [k, phase] of this.phases.entries()) {
        if (t <= phase.endStep || k === this.phases.length - 1) {
          if (phase.endStep === start) throw new ValueError(`OneCycleLR.step: phase ${k + 1} of the cycle has no steps (it starts and ends at step ${start}); change pctStart or totalSteps`);
          const pct = (t - start) / (phase.endStep - start);
          if (this.cycleMomentum) setMomentum(g, this.useBeta1, anneal(value[phase.startMomentum], value[phase.endMomentum], pct));
          return anneal(value[phase.startLr], value[phase.endLr], pct);
        }
        start = phase.endStep;
      }
      throw new Error('OneCycleLR: unreachable');
    });
  }
}

/** Sets a group's momentum, or its β₁ (a new betas array, since groups may share the defaults' one). */
function setMomentum(g: Group, useBeta1: boolean, m: number): void {
  if (useBeta1) g.betas = [m, ...(g.betas as number[]).slice(1)];
  else g.momentum = m;
}

/** The options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** 'min' (the default): the metric should decrease (a loss); 'max': increase (an accuracy). */
  mode?: 'min' | 'max';
  /** The factor of each reduction, in [0, 1) (default 0.1). */
  factor?: number;
  /** The number of epochs without improvement tolerated before a reduction (an integer ≥ 0; default 10). */
  patience?: number;
  /** How much better than the best a metric must be to count as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (the default): better than best·(1 ∓ threshold); 'abs': better than best ∓ threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** The number of epochs after a reduction during which bad epochs are not counted (default 0). */
  cooldown?: number;
  /** The lowest learning rate, or one per parameter group (default 0). */
  minLr?: number | number[];
  /** A reduction smaller than eps is skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the learning rate when a metric has stopped improving, as
 * `torch.optim.lr_scheduler.ReduceLROnPlateau`. Each `step(metric)`:
 *
 * 1. the metric is an improvement if it beats the best so far by the threshold (mode 'min', thresholdMode
 *    'rel': metric < best·(1 − threshold); 'abs': metric < best − threshold; mode 'max' mirrored); an
 *    improvement becomes the best and clears the count of bad epochs, anything else adds one to it;
 * 2. during a cooldown the cooldown counter goes down by one and the bad epochs are cleared;
 * 3. when there are more than `patience` bad epochs, every group's lr becomes max(lr·factor, minLr) (unless
 *    that changes it by eps or less), the cooldown starts (`cooldown` epochs) and the bad epochs are cleared.
 *
 * @example
 * ```ts
 * const opt = new optim.SGD([zeros([1], { requiresGrad: true })], { lr: 1 });
 * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 1, factor: 0.5 });
 * for (const valLoss of [3, 2, 2, 2, 2, 2]) sched.step(valLoss);
 * sched.getLastLr(); // [0.25]
 * ```
 */
export class ReduceLROnPlateau {
  /** The optimizer whose groups' learning rates this reduces. */
  readonly optimizer: SchedulableOptimizer;
  /** Whether the metric should decrease ('min') or increase ('max'). */
  readonly mode: 'min' | 'max';
  /** The factor of each reduction. */
  readonly factor: number;
  /** The number of bad epochs tolerated before a reduction. */
  readonly patience: number;
  /** The improvement needed over the best, relative or absolute (thresholdMode). */
  readonly threshold: number;
  /** Whether threshold is relative ('rel') or absolute ('abs'). */
  readonly thresholdMode: 'rel' | 'abs';
  /** The number of epochs after a reduction during which bad epochs are not counted. */
  readonly cooldown: number;
  /** The lowest learning rate of each group. */
  readonly minLrs: number[];
  /** Reductions of eps or less are skipped. */
  readonly eps: number;
  /** The best metric so far (±Infinity before the first step). */
  best: number;
  /** The number of epochs since the last improvement (cleared by reductions and cooldowns). */
  numBadEpochs = 0;
  /** The number of epochs left in the cooldown. */
  cooldownCounter = 0;
  /** The number of step() calls. */
  lastEpoch = 0;
  /** The learning rates after the last step. */
  protected lastLr: number[];

  constructor(optimizer: SchedulableOptimizer, opts?: ReduceLROnPlateauOptions);
  constructor(optimizer: SchedulableOptimizer, mode: 'min' | 'max', factor?: number, patience?: number, threshold?: number, thresholdMode?: 'rel' | 'abs', cooldown?: number, minLr?: number | number[], eps?: number);
  constructor(optimizer: SchedulableOptimizer, ...args: unknown[]) {
    const name = 'ReduceLROnPlateau';
    const o = readArgs(name, args, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);
    checkOptimizer(name, optimizer);
    this.optimizer = optimizer;
    this.mode = checkChoice(name, 'mode', o.mode ?? 'min', ['min', 'max'] as const);
    this.factor = checkNumber(name, 'factor', o.factor ?? 0.1, (x) => x >= 0 && x < 1, 'in [0, 1)');
    this.patience = checkInt(name, 'patience', o.patience ?? 10, 0);
    this.threshold = checkNonNegative(name, 'threshold', o.threshold ?? 1e-4);
    this.thresholdMode = checkChoice(name, 'thresholdMode', o.thresholdMode ?? 'rel', ['rel', 'abs'] as const);
    this.cooldown = checkInt(name, 'cooldown', o.cooldown ?? 0, 0);
    this.minLrs = perGroup(name, 'minLr', o.minLr ?? 0, optimizer.paramGroups.length, (k, v) => checkNonNegative(name, k, v));
    this.eps = checkNonNegative(name, 'eps', o.eps ?? 1e-8);
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr as number);
  }

  /** Whether the scheduler is in a cooldown (bad epochs are not counted). */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether `a` improves on `best` by the threshold. */
  isBetter(a: number, best: number): boolean {
    const { threshold: th } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - th) : a < best - th;
    return this.thresholdMode === 'rel' ? a > best * (th + 1) : a > best + th;
  }

  /** One epoch's metric (a number or a one-element Tensor, e.g. the validation loss); may reduce the lr. */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') throw new ArgumentError(`ReduceLROnPlateau.step: metric must be a number or a one-element Tensor, got ${describeValue(metric)}`);
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.minLrs.length) {
      throw new ValueError(`ReduceLROnPlateau.step: the optimizer has ${groups.length} parameter groups, the scheduler was made for ${this.minLrs.length}`);
    }
    this.lastEpoch++;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.inCooldown) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      groups.forEach((g, i) => {
        const old = g.lr as number;
        const lr = Math.max(old * this.factor, this.minLrs[i]);
        if (old - lr > this.eps) g.lr = lr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = groups.map((g) => g.lr as number);
  }

  /** The learning rates after the last step, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's state (every field but the optimizer), deep-copied. */
  stateDict(): Record<string, unknown> {
    return stateOf(this);
  }

  /** Restores a state dict from `stateDict()` of a ReduceLROnPlateau over as many parameter groups. */
  loadStateDict(sd: Record<string, unknown>): void {
    loadState('ReduceLROnPlateau', this, sd, this.optimizer.paramGroups.length, ['minLrs']);
  }
}
