// RMSprop with momentum, the centered variant, L2 weight decay and maximize, as torch.optim.RMSprop.
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { buffer, checkRules, decayedGrad, nextStep, type Rule } from './options.js';
import { withDefaults } from '../utils/args.js';

/** The options of {@link RMSprop} (PyTorch's, in camelCase). */
export type RMSpropOptions = {
  /** Learning rate γ (default 1e-2). */
  lr: number;
  /** Smoothing constant α of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty λ (default 0). */
  weightDecay: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
};

const DEFAULTS: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };
const RULES: Record<keyof RMSpropOptions, Rule> = {
  lr: 'nonNegative', alpha: 'nonNegative', eps: 'nonNegative', weightDecay: 'nonNegative', momentum: 'nonNegative', centered: 'flag', maximize: 'flag',
};

/**
 * RMSprop, as `torch.optim.RMSprop`. Each step, for each parameter θ with gradient ∇f(θ), starting from
 * v = ḡ = b = 0:
 *
 * ```text
 * g ← −∇f(θ) if maximize, else ∇f(θ)
 * g ← g + λ·θ                         if λ (weightDecay) ≠ 0
 * v ← α·v + (1 − α)·g²
 * ṽ ← v
 * if centered: ḡ ← α·ḡ + (1 − α)·g,  ṽ ← v − ḡ²
 * if μ (momentum) > 0: b ← μ·b + g / (√ṽ + ε),  θ ← θ − γ·b
 * else:                θ ← θ − γ·g / (√ṽ + ε)
 * ```
 *
 * State: `step` (a number), `squareAvg` (v), `momentumBuffer` (b, with momentum > 0) and `gradAvg` (ḡ, when
 * centered).
 *
 * @example
 * ```ts
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.RMSprop([w], { lr: 0.01, alpha: 0.75 });
 * w.mul(w).sum().backward();
 * opt.step();                     // v = 0.25·g², so each weight moves by 0.01 / 0.5
 * w.toArray();                    // [0.98, -1.98]
 * ```
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, opts: Partial<RMSpropOptions> = {}) {
    super(params, withDefaults(new.target.name, DEFAULTS, opts));
  }

  protected override checkOptions(g: RMSpropOptions): void {
    checkRules(this.constructor.name, g, RULES);
  }

  protected update(group: ParamGroup<RMSpropOptions>, p: Tensor, grad: Tensor, state: ParamState): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    nextStep(state);
    const v = buffer(state, 'squareAvg', p);
    const b = momentum > 0 ? buffer(state, 'momentumBuffer', p) : null;
    const gAvg = centered ? buffer(state, 'gradAvg', p) : null;
    const g = decayedGrad(p, grad, maximize, weightDecay);
    v.copy_(v.mul(alpha).add(g.mul(1 - alpha).mul(g)));
    let avg = v;
    if (gAvg) {
      gAvg.copy_(gAvg.mul(alpha).add(g.mul(1 - alpha)));
      avg = v.sub(gAvg.mul(gAvg));
    }
    avg = avg.sqrt().add(eps);
    if (b) {
      b.copy_(b.mul(momentum).add(g.div(avg)));
      p.copy_(p.sub(b.mul(lr)));
    } else {
      p.copy_(p.sub(g.div(avg).mul(lr)));
    }
  }
}
