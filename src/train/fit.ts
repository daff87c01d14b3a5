// The training loop, as Keras' Model.fit and evaluate over PyTorch's pieces: a model (nn.Module), batches from a
// re-iterable (a data.DataLoader or an array of [input, target]), a loss, an optimizer (stepped with a closure, so
// LBFGS works too), learning-rate schedulers, callbacks (EarlyStopping among them) and metrics, with a History of
// the epochs.
import { Tensor } from '../tensor/tensor.js';
import { shapeStr } from '../tensor/shape.js';
import { checkSeed, forkRng } from '../tensor/random.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Module } from '../nn/module.js';
import { Optimizer } from '../optim/optimizer.js';
import { LRScheduler, OneCycleLR, ReduceLROnPlateau } from '../optim/lr-scheduler.js';
import { EarlyStopping } from '../optim/early-stopping.js';
import { checkChoice, checkInt, checkOptions, describeValue, isPlainObject } from '../utils/args.js';
import { ArgumentError, ShapeError, ValueError } from '../errors.js';
import { didYouMean } from '../utils/suggest.js';
import { accuracy } from './metrics.js';
import { ProgressLogger, type ProgressOutput, type Verbosity } from './progress.js';

/** A batch: `[input, target]` (or `[input1, input2, …, target]` for a model with several inputs). */
export type Batch = readonly unknown[];

/** A loss as a function of the model's output and the target (`F.crossEntropy`, …), giving a one-element Tensor. */
export type LossFunction = (output: any, target: Tensor) => Tensor;

/** A metric of a batch: the model's output and the target to a number (or a one-element Tensor). */
export type MetricFunction = (output: Tensor, target: Tensor) => number | Tensor;

/** The metrics known by name. */
export type MetricName = 'accuracy';

/**
 * The metrics of fit and evaluate: names ('accuracy') and named functions (logged under `fn.name`), or an
 * object of them by the names they are logged under (`{ acc: accuracy, top2: myTop2 }`).
 */
export type MetricsSpec = readonly (MetricName | MetricFunction)[] | Readonly<Record<string, MetricName | MetricFunction>>;

/** The names a {@link MetricsSpec} logs its metrics under (the names given, for the types). */
export type MetricKeys<M> = M extends readonly unknown[] ? Extract<M[number], string> : Extract<keyof M, string>;

/** An LR scheduler fit can step: an epoch scheduler (StepLR, OneCycleLR, …) or ReduceLROnPlateau. */
export type Scheduler = LRScheduler | ReduceLROnPlateau;

/** What callbacks learn when training begins. */
export interface TrainBeginInfo {
  /** The number of epochs asked for. */
  epochs: number;
  /** The number of batches per epoch when the training data has a `length` (a DataLoader or an array), else null. */
  steps: number | null;
}

/** One training batch's logs: its number of samples, its loss (before the step) and metrics. */
export interface BatchLogs {
  size: number;
  loss: number;
  [metric: string]: number;
}

/**
 * One epoch's logs: `loss` and each metric (means over the training samples), `valLoss` and `valName` of each
 * metric (with validation data), `lr` and `time` (seconds).
 */
export type EpochLogs = Record<string, number>;

/**
 * Hooks fit calls during training (each optional), as Keras' callbacks. Epochs and batches count from 0.
 * `onEpochEnd` returning true stops training after that epoch (every callback still sees it).
 */
export interface Callback {
  onTrainBegin?(info: TrainBeginInfo): void;
  onEpochBegin?(epoch: number): void;
  onBatchEnd?(batch: number, logs: BatchLogs): void;
  onEpochEnd?(epoch: number, logs: EpochLogs): boolean | void;
  onTrainEnd?(history: History): void;
}

/**
 * What fit returns, as Keras' History.history: one entry per epoch run in each array. `epoch` (0-based),
 * `loss` (the mean training loss over the epoch's samples, each batch's loss taken before its step), each
 * metric by its name, with validation data `valLoss` and `val` + the capitalized name of each metric
 * (`valAccuracy`), `lr` (the first parameter group's learning rate during the epoch) and `time` (seconds, with
 * validation).
 */
export type History<K extends string = string> = {
  epoch: number[];
  loss: number[];
  valLoss?: number[];
  lr: number[];
  time: number[];
} & { [P in K]: number[] } & { [P in K as `val${Capitalize<P>}`]?: number[] };

/** The options of {@link fit}. */
export interface FitOptions<M extends MetricsSpec = MetricsSpec> {
  /** The training batches: a re-iterable of `[input, target]` (each pass is an epoch), e.g. a data.DataLoader. */
  train: Iterable<Batch>;
  /** Validation batches, evaluated after each epoch (eval mode, no grad). */
  val?: Iterable<Batch> | null;
  /** The loss: a function (output, target) → Tensor, or an nn loss module. */
  loss: LossFunction | Module;
  /** The optimizer over the model's parameters; stepped with a closure, so LBFGS works too. */
  optimizer: Optimizer<any>;
  /** The number of epochs (default 1). */
  epochs?: number;
  /** Learning-rate schedulers, stepped once per epoch (OneCycleLR once per batch; ReduceLROnPlateau gets the monitored value). */
  scheduler?: Scheduler | readonly Scheduler[] | null;
  /** When the schedulers (but ReduceLROnPlateau) step: 'epoch' or 'batch' (default: 'batch' for OneCycleLR, else 'epoch'). */
  schedulerInterval?: 'epoch' | 'batch';
  /** Callbacks, in order; an optim.EarlyStopping steps on the monitored value (with the model, to restore weights). */
  callbacks?: readonly (Callback | EarlyStopping)[];
  /** Metrics computed on each batch and on the validation data. */
  metrics?: M;
  /** The log EarlyStopping and ReduceLROnPlateau watch (default 'valLoss' with validation data, else 'loss'). */
  monitor?: string;
  /** 0: silent; 1 or 'auto' (default): a bar per epoch on a terminal, one line per epoch otherwise. */
  verbose?: Verbosity;
  /** Where progress is written (default process.stdout). */
  output?: ProgressOutput;
  /** Run training from this seed of the global generator (dropout, …), as forkRng: the generator outside is untouched. */
  seed?: number | string;
}

/** The options of {@link evaluate}. */
export interface EvaluateOptions<M extends MetricsSpec = MetricsSpec> {
  /** The loss: a function (output, target) → Tensor, or an nn loss module. */
  loss?: LossFunction | Module;
  /** The metrics, as fit's. */
  metrics?: M;
}

/** What evaluate returns: each metric (and the loss when one is given), means over the samples. */
export type Evaluation<K extends string = string> = { loss?: number } & { [P in K]: number };

const FIT_KEYS = ['train', 'val', 'loss', 'optimizer', 'epochs', 'scheduler', 'schedulerInterval', 'callbacks', 'metrics', 'monitor', 'verbose', 'output', 'seed'] as const;
const HOOKS = ['onTrainBegin', 'onEpochBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;
const BUILTIN: Record<MetricName, MetricFunction> = { accuracy: (output, target) => accuracy(output, target) };
const RESERVED = new Set(['loss', 'lr', 'time', 'epoch', 'size']);

interface Metric { name: string; fn: MetricFunction }

const valKey = (name: string) => `val${name[0].toUpperCase()}${name.slice(1)}`;

function checkModel(op: string, model: unknown): asserts model is Module {
  if (!(model instanceof Module)) throw new ArgumentError(`${op}: expected the model to be an nn.Module, got ${describeValue(model, 'object')}`);
}

/** The batches of `name`; with `reiterable`, one-shot iterators (generators) are refused, since fit runs them once per epoch. */
function checkData(op: string, name: string, v: unknown, reiterable: boolean): Iterable<Batch> {
  if (v === null || typeof v !== 'object' || v instanceof Tensor || typeof (v as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new ArgumentError(`${op}: ${name} must be an iterable of [input, target] batches (a data.DataLoader or an array of batches), got ${describeValue(v, 'object')}`);
  }
  if (reiterable && typeof (v as Iterator<unknown>).next === 'function') {
    throw new ArgumentError(`${op}: ${name} is a one-shot iterator (a generator?), which would be empty after the first epoch; pass a re-iterable: a data.DataLoader, an array of batches, or { [Symbol.iterator]: () => makeBatches() }`);
  }
  return v as Iterable<Batch>;
}

/** The loss as a function, from a function or an nn loss module. */
function lossOf(op: string, loss: unknown): LossFunction {
  if (loss instanceof Module) return (output, target) => loss.forward(output, target) as Tensor;
  if (typeof loss === 'function') return loss as LossFunction;
  throw new ArgumentError(`${op}: loss must be a function (output, target) → Tensor or an nn loss module (nn.MSELoss, …), got ${describeValue(loss, 'object')}`);
}

/** The metrics of a spec, by the names they are logged under, checked. */
function resolveMetrics(op: string, spec: unknown): Metric[] {
  if (spec === undefined || spec === null) return [];
  const known = Object.keys(BUILTIN).map((k) => `'${k}'`).join(', ');
  const one = (name: string, v: unknown, where: string): Metric => {
    if (typeof v === 'string') {
      if (!(v in BUILTIN)) throw new ValueError(`${op}: unknown metric ${describeValue(v)} ${where} (known by name: ${known}; or pass a function)${didYouMean(v, Object.keys(BUILTIN))}`);
      return { name, fn: BUILTIN[v as MetricName] };
    }
    if (typeof v !== 'function') throw new ArgumentError(`${op}: a metric must be a name (${known}) or a function (output, target) → number, got ${describeValue(v, 'object')} ${where}`);
    return { name, fn: v as MetricFunction };
  };
  let list: Metric[];
  if (Array.isArray(spec)) {
    list = spec.map((v, i) => {
      const name = typeof v === 'string' ? v : typeof v === 'function' ? v.name : '';
      if (typeof v === 'function' && name === '') {
        throw new ArgumentError(`${op}: metric ${i} is an anonymous function; name it, or pass metrics as an object { name: fn }`);
      }
      return one(name, v, `(metric ${i})`);
    });
  } else if (isPlainObject(spec)) {
    list = Object.entries(spec).map(([name, v]) => one(name, v, `(metric '${name}')`));
  } else {
    throw new ArgumentError(`${op}: metrics must be an array of names and functions or an object of them by name, got ${describeValue(spec, 'object')}`);
  }
  const seen = new Set<string>();
  for (const { name } of list) {
    if (name === '' || RESERVED.has(name) || /^val[A-Z]/.test(name)) {
      throw new ValueError(`${op}: a metric cannot be named ${describeValue(name)} (the logs use loss, lr, time, epoch, size and val… for themselves)`);
    }
    if (seen.has(name)) throw new ValueError(`${op}: two metrics are named '${name}', expected distinct names`);
    seen.add(name);
  }
  return list;
}

/** A batch's inputs, target and number of samples (the target's first dim). */
function unpack(op: string, what: string, batch: unknown, index: number): { inputs: unknown[]; target: Tensor; size: number } {
  if (!Array.isArray(batch) || batch.length < 2) {
    throw new ArgumentError(`${op}: each batch of ${what} must be an array [input, target], got ${describeValue(batch, 'object')}${Array.isArray(batch) ? ` of length ${batch.length}` : ''} (batch ${index})`);
  }
  const target: unknown = batch[batch.length - 1];
  if (!(target instanceof Tensor)) throw new ArgumentError(`${op}: the target (the last element) of batch ${index} of ${what} must be a Tensor, got ${describeValue(target, 'object')}`);
  return { inputs: batch.slice(0, -1), target, size: target.ndim === 0 ? 1 : target.shape[0] };
}

/** The loss of one batch, checked to be a one-element Tensor. */
function batchLoss(op: string, lossFn: LossFunction, output: unknown, target: Tensor): Tensor {
  const l: unknown = lossFn(output, target);
  if (!(l instanceof Tensor)) throw new ArgumentError(`${op}: the loss must return a Tensor, got ${describeValue(l, 'object')}`);
  if (l.numel() !== 1) throw new ShapeError(`${op}: the loss must be a one-element Tensor (use the reduction 'mean' or 'sum'), got shape ${shapeStr(l.shape)}`);
  return l;
}

/** A metric's value on a batch, as a number. */
function metricValue(op: string, m: Metric, output: unknown, target: Tensor): number {
  if (!(output instanceof Tensor)) throw new ArgumentError(`${op}: metric '${m.name}' needs the model's output to be a Tensor, got ${describeValue(output, 'object')}`);
  const v: unknown = noGrad(() => m.fn(output, target));
  if (typeof v === 'number') return v;
  if (v instanceof Tensor && v.numel() === 1) return v.item();
  throw new (v instanceof Tensor ? ShapeError : ArgumentError)(`${op}: metric '${m.name}' must return a number or a one-element Tensor, got ${v instanceof Tensor ? `a Tensor of shape ${shapeStr(v.shape)}` : describeValue(v, 'object')}`);
}

/** Sample-weighted means of named values, in the order the names first came. */
class Means {
  private readonly sums = new Map<string, number>();
  private samples = 0;

  add(values: Readonly<Record<string, number>>, size: number): void {
    this.samples += size;
    for (const [k, v] of Object.entries(values)) if (k !== 'size') this.sums.set(k, (this.sums.get(k) ?? 0) + v * size);
  }

  means(): Record<string, number> {
    return Object.fromEntries([...this.sums].map(([k, s]) => [k, s / this.samples]));
  }
}

/** Runs fn, then puts every submodule's train/eval mode back as it was. */
function keepingModes<T>(model: Module, fn: () => T): T {
  const modules = model.modules();
  const saved = modules.map((m) => m.training);
  try {
    return fn();
  } finally {
    modules.forEach((m, i) => (m.training = saved[i]));
  }
}

/** Runs fn with the model in train or eval mode, then puts every submodule's mode back as it was. */
function inMode<T>(model: Module, training: boolean, fn: () => T): T {
  return keepingModes(model, () => {
    model.train(training);
    return fn();
  });
}

/** The mean loss (when lossFn is given) and metrics over data, in eval mode under noGrad. */
function measure(op: string, what: string, model: Module, data: Iterable<Batch>, lossFn: LossFunction | null, metrics: Metric[]): Record<string, number> {
  return inMode(model, false, () => noGrad(() => {
    const means = new Means();
    let index = 0;
    for (const batch of data) {
      const { inputs, target, size } = unpack(op, what, batch, index);
      const output: unknown = model.forward(...inputs);
      const values: Record<string, number> = {};
      if (lossFn !== null) values.loss = batchLoss(op, lossFn, output, target).item();
      for (const m of metrics) values[m.name] = metricValue(op, m, output, target);
      means.add(values, size);
      index++;
    }
    if (index === 0) throw new ValueError(`${op}: ${what} gave no batches, expected at least one`);
    return means.means();
  }));
}

/** EarlyStopping as a callback: it steps on the monitored log, and at the end restores its best weights. */
function earlyStoppingCallback(stopper: EarlyStopping, model: Module, monitor: string): Callback {
  return {
    onEpochEnd: (_epoch, logs) => stopper.step(logs[monitor], model),
    onTrainEnd: () => {
      // when training ran to its end (or another callback stopped it), the model still ends at its best epoch
      if (!stopper.shouldStop && stopper.restoreBestWeights && stopper.bestWeights !== null) stopper.restore(model);
    },
  };
}

/** The property names of an object, its own and its classes' (up to Object.prototype). */
function propertyNames(obj: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = obj; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const k of Object.getOwnPropertyNames(o)) if (k !== 'constructor') names.add(k);
  }
  return [...names];
}

function checkCallbacks(op: string, v: unknown, model: Module, monitor: () => string): Callback[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ArgumentError(`${op}: callbacks must be an array, got ${describeValue(v, 'object')}`);
  return v.map((cb: unknown, i) => {
    if (cb instanceof EarlyStopping) return earlyStoppingCallback(cb, model, monitor());
    if (cb === null || typeof cb !== 'object') throw new ArgumentError(`${op}: callback ${i} must be an object with hooks (onEpochEnd, …) or an optim.EarlyStopping, got ${describeValue(cb, 'object')}`);
    const hooks = cb as Record<string, unknown>;
    // a hook-like name that is not a hook (onEpochEnds, onBatchBegin) is a typo that would never be called
    for (const k of propertyNames(cb)) {
      if (/^on[A-Z]/.test(k) && !(HOOKS as readonly string[]).includes(k)) {
        throw new ArgumentError(`${op}: callback ${i} has an unknown hook '${k}' (expected ${HOOKS.join(', ')})${didYouMean(k, HOOKS)}`);
      }
    }
    for (const h of HOOKS) {
      if (hooks[h] !== undefined && typeof hooks[h] !== 'function') throw new ArgumentError(`${op}: callback ${i}'s ${h} must be a function, got ${describeValue(hooks[h], 'object')}`);
    }
    if (!HOOKS.some((h) => typeof hooks[h] === 'function')) throw new ArgumentError(`${op}: callback ${i} has none of the hooks ${HOOKS.join(', ')}`);
    return cb as Callback;
  });
}

function checkSchedulers(op: string, v: unknown, optimizer: Optimizer<any>): Scheduler[] {
  if (v === undefined || v === null) return [];
  const list: unknown[] = Array.isArray(v) ? v : [v];
  return list.map((s, i) => {
    const where = Array.isArray(v) ? ` (scheduler ${i})` : '';
    if (!(s instanceof LRScheduler || s instanceof ReduceLROnPlateau)) {
      throw new ArgumentError(`${op}: scheduler must be an optim.lrScheduler scheduler (StepLR, ReduceLROnPlateau, …), got ${describeValue(s, 'object')}${where}`);
    }
    if (s.optimizer !== optimizer) throw new ValueError(`${op}: the scheduler${where} drives another optimizer than the one fit steps (expected a scheduler of the optimizer option)`);
    return s;
  });
}

/**
 * Trains `model`, as Keras' `Model.fit`: for each epoch, in train mode, for each batch `[input, target]` of
 * `train`, `optimizer.step(closure)` with a closure that clears the gradients, computes
 * `loss(model.forward(input), target)` and calls backward (so that LBFGS, which evaluates it many times, works
 * like the others); the batch's loss and metrics are those of its first evaluation, before the step. After the
 * epoch: the validation loss and metrics on `val` (eval mode, no grad), the schedulers' steps (once per epoch;
 * OneCycleLR after each batch; ReduceLROnPlateau with the monitored log), then the callbacks' `onEpochEnd` in
 * order; one returning true, or an optim.EarlyStopping deciding to stop, ends training. An EarlyStopping with
 * restoreBestWeights leaves the model at its best epoch, also when training runs to the end.
 *
 * The losses and metrics of an epoch are means over its samples (each batch weighted by its size, the first dim
 * of its target). Progress is shown as {@link ProgressLogger} says (`verbose: 0` for none). Every submodule's
 * train/eval mode is put back as it was when fit returns. Returns the {@link History}.
 *
 * @example
 * ```ts
 * const g = createGenerator(0);
 * const x = randn([64, 2], { generator: g });
 * const y = x.sum(1).gt(0).to('int32');  // the class: x0 + x1 > 0
 * const model = new nn.Linear(2, 2);
 * const history = fit(model, {
 *   train: [[x.narrow(0, 0, 32), y.narrow(0, 0, 32)], [x.narrow(0, 32, 32), y.narrow(0, 32, 32)]],
 *   loss: F.crossEntropy,
 *   optimizer: new optim.Adam(model.parameters(), { lr: 0.1 }),
 *   epochs: 20,
 *   metrics: ['accuracy'],
 *   verbose: 0,
 *   seed: 0,
 * });
 * history.loss.length;                  // 20
 * history.loss[19] < history.loss[0];   // true
 * history.accuracy[19] >= 0.95;         // true
 * ```
 */
export function fit<const M extends MetricsSpec = []>(model: Module, opts: FitOptions<M>): History<MetricKeys<M>> {
  const op = 'fit';
  checkModel(op, model);
  const o = checkOptions(op, opts, FIT_KEYS);
  if (o.train === undefined) throw new ArgumentError(`${op}: the option train (the training batches) is required`);
  const train = checkData(op, 'train', o.train, true);
  const val = o.val === undefined || o.val === null ? null : checkData(op, 'val', o.val, true);
  if (o.loss === undefined) throw new ArgumentError(`${op}: the option loss is required (a function (output, target) → Tensor or an nn loss module)`);
  const lossFn = lossOf(op, o.loss);
  const optimizer = o.optimizer;
  if (!(optimizer instanceof Optimizer)) throw new ArgumentError(`${op}: optimizer must be an optim.Optimizer (optim.SGD, …), got ${describeValue(optimizer, 'object')}`);
  const epochs = checkInt(op, 'epochs', o.epochs ?? 1, 0);
  const schedulers = checkSchedulers(op, o.scheduler, optimizer);
  const interval = o.schedulerInterval === undefined ? null : checkChoice(op, 'schedulerInterval', o.schedulerInterval, ['epoch', 'batch'] as const);
  if (interval === 'batch' && schedulers.some((s) => s instanceof ReduceLROnPlateau)) {
    throw new ValueError(`${op}: ReduceLROnPlateau steps once per epoch on the monitored value; schedulerInterval 'batch' does not apply to it`);
  }
  const perBatch = (s: Scheduler) => !(s instanceof ReduceLROnPlateau) && (interval ?? (s instanceof OneCycleLR ? 'batch' : 'epoch')) === 'batch';
  const metrics = resolveMetrics(op, o.metrics);
  const names = metrics.map((m) => m.name);
  const logKeys = ['loss', ...names, ...(val === null ? [] : ['valLoss', ...names.map(valKey)])];
  const monitor = checkChoice(op, 'monitor', o.monitor ?? (val === null ? 'loss' : 'valLoss'), logKeys);
  const callbacks = checkCallbacks(op, o.callbacks, model, () => monitor);
  const verbose = checkChoice(op, 'verbose', o.verbose ?? 1, [0, 1, 'auto'] as const);
  const logger = verbose === 0 ? null : new ProgressLogger({ output: o.output as ProgressOutput | undefined, verbose });
  const seed = o.seed;
  if (seed !== undefined) checkSeed(op, seed);
  const length = (train as { length?: unknown }).length;
  const steps = typeof length === 'number' ? length : null;
  const all: Callback[] = logger === null ? callbacks : [logger, ...callbacks];

  const run = (): History<MetricKeys<M>> => {
    const history: Record<string, number[]> = { epoch: [], ...Object.fromEntries(logKeys.map((k) => [k, []])), lr: [], time: [] };
    for (const cb of all) cb.onTrainBegin?.({ epochs, steps });
    for (let epoch = 0; epoch < epochs; epoch++) {
      const started = performance.now();
      const lr = optimizer.paramGroups[0].lr;
      for (const cb of all) cb.onEpochBegin?.(epoch);
      const means = new Means();
      let index = 0;
      model.train();
      for (const batch of train) {
        const { inputs, target, size } = unpack(op, 'train', batch, index);
        let first: { output: unknown; loss: number } | null = null;
        optimizer.step(() => {
          optimizer.zeroGrad();
          const output: unknown = model.forward(...inputs);
          const l = batchLoss(op, lossFn, output, target);
          l.backward();
          first ??= { output: output instanceof Tensor ? output.detach() : output, loss: l.item() };
          return l;
        });
        if (first === null) throw new ArgumentError(`${op}: ${optimizer.constructor.name}.step(closure) did not call the closure; expected an optimizer whose step calls it`);
        const { output, loss } = first as { output: unknown; loss: number };
        const logs: BatchLogs = { size, loss };
        for (const m of metrics) logs[m.name] = metricValue(op, m, output, target);
        means.add(logs, size);
        for (const s of schedulers) if (perBatch(s)) (s as LRScheduler).step();
        for (const cb of all) cb.onBatchEnd?.(index, logs);
        index++;
      }
      if (index === 0) throw new ValueError(`${op}: train gave no batches in epoch ${epoch + 1}, expected at least one`);
      const logs: EpochLogs = means.means();
      if (val !== null) {
        const v = measure(op, 'val', model, val, lossFn, metrics);
        for (const [k, x] of Object.entries(v)) logs[valKey(k)] = x;
      }
      logs.lr = typeof lr === 'number' ? lr : NaN;
      logs.time = (performance.now() - started) / 1000;
      history.epoch.push(epoch);
      for (const k of [...logKeys, 'lr', 'time']) history[k].push(logs[k]);
      for (const s of schedulers) {
        if (s instanceof ReduceLROnPlateau) s.step(logs[monitor]);
        else if (!perBatch(s)) s.step();
      }
      let stop = false;
      for (const cb of all) if (cb.onEpochEnd?.(epoch, { ...logs }) === true) stop = true;
      if (stop) break;
    }
    const out = history as History<MetricKeys<M>>;
    for (const cb of all) cb.onTrainEnd?.(out);
    return out;
  };

  try {
    return keepingModes(model, () => (seed === undefined ? run() : forkRng(run, seed)));
  } finally {
    logger?.close();
  }
}

/**
 * The mean loss and metrics of `model` over `data` (batches `[input, target]`, e.g. a data.DataLoader, or one
 * batch in an array), each batch weighted by its size, as Keras' `Model.evaluate`: in eval mode and under
 * noGrad, with every submodule's mode put back as it was afterwards.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 2);
 * noGrad(() => { model.weight.copy_(tensor([[1, 0], [0, 1]])); model.bias.zero_(); });
 * const x = tensor([[2, 0], [0, 1], [3, 1], [0, 2]]);
 * const y = tensor([0, 1, 1, 1], { dtype: 'int32' });
 * const r = evaluate(model, [[x, y]], { loss: new nn.CrossEntropyLoss(), metrics: ['accuracy'] });
 * r.accuracy;            // 0.75
 * model.training;        // true
 * ```
 */
export function evaluate<const M extends MetricsSpec = []>(model: Module, data: Iterable<Batch>, opts: EvaluateOptions<M> & { loss: LossFunction | Module }): Evaluation<MetricKeys<M>> & { loss: number };
export function evaluate<const M extends MetricsSpec = []>(model: Module, data: Iterable<Batch>, opts: EvaluateOptions<M>): Evaluation<MetricKeys<M>>;
export function evaluate(model: Module, data: Iterable<Batch>, opts: EvaluateOptions = {}): Evaluation {
  const op = 'evaluate';
  checkModel(op, model);
  const batches = checkData(op, 'data', data, false);
  const o = checkOptions(op, opts, ['loss', 'metrics']);
  const lossFn = o.loss === undefined ? null : lossOf(op, o.loss);
  const metrics = resolveMetrics(op, o.metrics);
  if (lossFn === null && metrics.length === 0) throw new ArgumentError(`${op}: nothing to compute; give the option loss or metrics`);
  return measure(op, 'data', model, batches, lossFn, metrics) as Evaluation;
}
