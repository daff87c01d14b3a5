// Early stopping: stop training when a validation metric has stopped improving, with Keras' EarlyStopping rule
// (PyTorch has none), an absolute or relative minimum improvement, and restoring the best weights.
import { Tensor } from '../tensor/tensor.js';
import { Module, type StateDict } from '../nn/module.js';
import { noGrad } from '../autograd/grad-mode.js';
import { checkBool, checkChoice, checkInt, checkNonNegative, checkOptions, describeValue } from '../utils/args.js';
import { ArgumentError, ValueError } from '../errors.js';

/** The options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** The number of epochs in a row without improvement after which training stops (an integer ≥ 0; default 5). */
  patience?: number;
  /** The minimum improvement over the best metric (≥ 0; default 0: any improvement counts). */
  minDelta?: number;
  /** 'abs' (the default): minDelta is an amount; 'rel': a fraction of |best|. */
  deltaMode?: 'abs' | 'rel';
  /** 'min' (the default): the metric should decrease (a loss); 'max': increase (an accuracy). */
  mode?: 'min' | 'max';
  /** Keep a copy of the model's state dict at the best epoch, to restore it (default false). */
  restoreBestWeights?: boolean;
}

const KEYS = ['patience', 'minDelta', 'deltaMode', 'mode', 'restoreBestWeights'] as const;

/**
 * Decides when to stop training from one metric per epoch (e.g. the validation loss), with the rule of Keras'
 * `EarlyStopping` (PyTorch has no such class). Each `step(metric)`, for epoch e = 0, 1, … (the step's index):
 *
 * 1. `counter` goes up by one;
 * 2. the metric is an improvement if it beats `bestScore` by minDelta — mode 'min': metric + minDelta < best
 *    ('abs') or metric < best − minDelta·|best| ('rel', i.e. best·(1 − minDelta) for a positive best); mode
 *    'max': metric − minDelta > best or metric > best + minDelta·|best|. The first finite metric always improves
 *    on the starting best (+∞ for 'min', −∞ for 'max'); NaN never does. An improvement becomes `bestScore`
 *    (at `bestEpoch` = e), is snapshotted with restoreBestWeights, and sets `counter` to 0;
 * 3. otherwise, if `counter` ≥ patience and e > 0, training should stop: `shouldStop` becomes true (and stays
 *    true) and `stoppedEpoch` = e.
 *
 * So with patience p, training stops at the p-th epoch in a row that does not improve (patience 0: at the first).
 * `step` returns `shouldStop`.
 *
 * With `restoreBestWeights`, `step(metric, model)` needs the model: it copies `model.stateDict()` (cloned
 * tensors) at every improvement, and at the first step whatever the metric (so that there is always one, as
 * Keras); when it decides to stop it loads the best copy back into the model. `restore(model)` does the same at
 * any time (e.g. after the last epoch, when training ran to the end without stopping), bit-exactly.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const stopper = new optim.EarlyStopping({ patience: 2, restoreBestWeights: true });
 * const valLosses = [1.0, 0.8, 0.81, 0.9, 0.7];
 * let epochs = 0;
 * for (const loss of valLosses) {
 *   epochs++;                                // train one epoch: ... opt.step() ...
 *   if (stopper.step(loss, model)) break;    // and the model is back at its best weights
 * }
 * epochs;             // 4
 * stopper.bestScore;  // 0.8
 * stopper.bestEpoch;  // 1
 * stopper.shouldStop; // true
 * ```
 */
export class EarlyStopping {
  /** The number of epochs in a row without improvement that stops training. */
  readonly patience: number;
  /** The minimum improvement, an amount ('abs') or a fraction of |best| ('rel'). */
  readonly minDelta: number;
  /** Whether minDelta is absolute or relative. */
  readonly deltaMode: 'abs' | 'rel';
  /** Whether the metric should decrease ('min') or increase ('max'). */
  readonly mode: 'min' | 'max';
  /** Whether the best weights are kept and restored. */
  readonly restoreBestWeights: boolean;
  /** The best metric so far (+∞ in mode 'min', −∞ in mode 'max', before any). */
  bestScore: number;
  /** The epoch (0-based index of the step) of the best metric; null before any. */
  bestEpoch: number | null = null;
  /** The number of epochs since the last improvement. */
  counter = 0;
  /** Whether training should stop (once true, it stays true). */
  shouldStop = false;
  /** The epoch at which the stop was decided; null before. */
  stoppedEpoch: number | null = null;
  /** The number of step() calls so far. */
  epochs = 0;
  /** With restoreBestWeights: the model's state dict (cloned) at the best epoch. */
  bestWeights: StateDict | null = null;

  constructor(opts: EarlyStoppingOptions = {}) {
    const name = 'EarlyStopping';
    const o = checkOptions(name, opts, KEYS);
    this.patience = checkInt(name, 'patience', o.patience ?? 5, 0);
    this.minDelta = checkNonNegative(name, 'minDelta', o.minDelta ?? 0);
    this.deltaMode = checkChoice(name, 'deltaMode', o.deltaMode ?? 'abs', ['abs', 'rel'] as const);
    this.mode = checkChoice(name, 'mode', o.mode ?? 'min', ['min', 'max'] as const);
    this.restoreBestWeights = checkBool(name, 'restoreBestWeights', o.restoreBestWeights ?? false);
    this.bestScore = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether `metric` improves on `bestScore` by minDelta (the rule in the class documentation). */
  isImprovement(metric: number): boolean {
    const best = this.bestScore;
    if (this.deltaMode === 'abs') return this.mode === 'min' ? metric + this.minDelta < best : metric - this.minDelta > best;
    const margin = Number.isFinite(best) ? this.minDelta * Math.abs(best) : 0;
    return this.mode === 'min' ? metric < best - margin : metric > best + margin;
  }

  /**
   * One epoch's metric (a number or a one-element Tensor), and with restoreBestWeights the model. Returns
   * whether training should stop; if it stops now and has best weights, they are loaded into the model.
   */
  step(metric: number | Tensor, model?: Module): boolean {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') throw new ArgumentError(`EarlyStopping.step: metric must be a number or a one-element Tensor, got ${describeValue(metric)}`);
    if (model !== undefined && !(model instanceof Module)) throw new ArgumentError(`EarlyStopping.step: model must be an nn.Module, got ${describeValue(model, 'object')}`);
    if (this.restoreBestWeights && model === undefined) {
      throw new ArgumentError('EarlyStopping.step: restoreBestWeights needs the model, to copy its best weights: call step(metric, model)');
    }
    const epoch = this.epochs++;
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = snapshot(model!);
      this.bestEpoch = epoch;
    }
    this.counter++;
    if (this.isImprovement(current)) {
      this.bestScore = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = snapshot(model!);
      this.counter = 0;
    } else if (!this.shouldStop && this.counter >= this.patience && epoch > 0) {
      this.shouldStop = true;
      this.stoppedEpoch = epoch;
      if (model !== undefined && this.bestWeights !== null) this.restore(model);
    }
    return this.shouldStop;
  }

  /**
   * Loads the best weights (from restoreBestWeights) back into the model, bit-exactly.
   *
   * @example
   * ```ts
   * const model = new nn.Linear(1, 1);
   * const stopper = new optim.EarlyStopping({ restoreBestWeights: true });
   * noGrad(() => model.weight.fill_(0.5));
   * stopper.step(0.5, model);                  // the best epoch
   * noGrad(() => model.weight.fill_(7));
   * stopper.step(0.9, model);                  // a worse one
   * stopper.restore(model);
   * model.weight.toArray(); // [[0.5]]
   * ```
   */
  restore(model: Module): void {
    if (!(model instanceof Module)) throw new ArgumentError(`EarlyStopping.restore: model must be an nn.Module, got ${describeValue(model, 'object')}`);
    if (this.bestWeights === null) {
      throw new ValueError(this.restoreBestWeights
        ? 'EarlyStopping.restore: no best weights yet (step(metric, model) was never called)'
        : 'EarlyStopping.restore: no best weights are kept; create the EarlyStopping with restoreBestWeights: true');
    }
    model.loadStateDict(this.bestWeights);
  }
}

/** A copy of the model's state dict that later training does not change. */
function snapshot(model: Module): StateDict {
  return noGrad(() => Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, t.clone()])));
}
