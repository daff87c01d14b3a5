// Adagrad with learning-rate decay, L2 weight decay, an initial accumulator value and maximize, as
// torch.optim.Adagrad.
import type { Tensor } from '../tensor/tensor.js';
import { full } from '../tensor/creation.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { checkRules, decayedGrad, nextStep, type Rule } from './options.js';
import { withDefaults } from '../utils/args.js';

/** The options of {@link Adagrad} (PyTorch's, in camelCase). */
export type AdagradOptions = {
  /** Learning rate γ (default 1e-2). */
  lr: number;
  /** Learning-rate decay η (default 0). */
  lrDecay: number;
  /** L2 penalty λ (default 0). */
  weightDecay: number;
  /** The starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
};

const DEFAULTS: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };
const RULES: Record<keyof AdagradOptions, Rule> = {
  lr: 'nonNegative', lrDecay: 'nonNegative', weightDecay: 'nonNegative', initialAccumulatorValue: 'nonNegative', eps: 'nonNegative', maximize: 'flag',
};

/**
 * Adagrad, as `torch.optim.Adagrad`. Each step t (counted per parameter, from 1), for each parameter θ with
 * gradient ∇f(θ), starting from s = initialAccumulatorValue:
 *
 * ```text
 * g ← −∇f(θ) if maximize, else ∇f(θ)
 * g ← g + λ·θ                  if λ (weightDecay) ≠ 0
 * γ̃ ← γ / (1 + (t − 1)·η)      (η: lrDecay)
 * s ← s + g²
 * θ ← θ − γ̃ · g / (√s + ε)
 * ```
 *
 * As in PyTorch, the state (`step` = 0 and `sum` = s) exists from construction for every parameter (here
 * also for those of groups added later, where PyTorch has none and fails at the step), and the accumulator
 * starts at the constructor's `initialAccumulatorValue` in every group: a group's own value is kept in its
 * options but, as in PyTorch, does not change the accumulator.
 *
 * @example
 * ```ts
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.Adagrad([w], { lr: 0.5 });
 * opt.state.get(w)!.step;              // 0
 * w.mul(w).sum().backward();
 * opt.step();                          // s = g², so each weight moves by 0.5
 * w.toArray();                         // [0.5, -1.5]
 * (opt.state.get(w)!.sum as Tensor).toArray(); // [4, 16]
 * ```
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, opts: Partial<AdagradOptions> = {}) {
    super(params, withDefaults(new.target.name, DEFAULTS, opts));
  }

  protected override checkOptions(g: AdagradOptions): void {
    checkRules(this.constructor.name, g, RULES);
  }

  /**
   * Adds the group as the base does, then creates its parameters' state: `step` 0 and `sum` filled with the
   * constructor's initialAccumulatorValue.
   *
   * @example
   * ```ts
   * const opt = new optim.Adagrad([zeros([2], { requiresGrad: true })], { initialAccumulatorValue: 0.1 });
   * const b = zeros([3], { requiresGrad: true });
   * opt.addParamGroup({ params: [b], lr: 0.5 });
   * (opt.state.get(b)!.sum as Tensor).toArray(); // [0.1, 0.1, 0.1]
   * ```
   */
  override addParamGroup(group: { params: Iterable<Tensor> } & Partial<AdagradOptions>): void {
    super.addParamGroup(group);
    for (const p of this.paramGroups[this.paramGroups.length - 1].params) this.state.set(p, this.initialState(p));
  }

  private initialState(p: Tensor): ParamState {
    return { step: 0, sum: noGrad(() => full(p.shape, this.defaults.initialAccumulatorValue, { dtype: p.dtype })) };
  }

  protected update(group: ParamGroup<AdagradOptions>, p: Tensor, grad: Tensor, state: ParamState): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    // state loaded from a state dict that lacked this parameter starts afresh
    if (state.sum === undefined) Object.assign(state, this.initialState(p));
    const step = nextStep(state);
    const sum = state.sum as Tensor;
    const g = decayedGrad(p, grad, maximize, weightDecay);
    const clr = lr / (1 + (step - 1) * lrDecay);
    sum.copy_(sum.add(g.mul(g)));
    p.copy_(p.sub(g.div(sum.sqrt().add(eps)).mul(clr)));
  }
}
