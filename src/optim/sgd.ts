// Stochastic gradient descent with momentum, dampening, Nesterov momentum, L2 weight decay and maximize, as
// torch.optim.SGD.
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { checkRules, type Rule } from './options.js';
import { zerosLike } from '../tensor/creation.js';
import { fusedUpdate_ } from '../ops/inplace.js';
import { Fused } from '../backend/prim.js';
import { withDefaults } from '../utils/args.js';
import { ValueError } from '../errors.js';

/** The options of {@link SGD} (PyTorch's, in camelCase). */
export type SGDOptions = {
  /** Learning rate γ (default 1e-3). */
  lr: number;
  /** Momentum factor μ (default 0: no momentum). */
  momentum: number;
  /** Dampening τ of the momentum (default 0). */
  dampening: number;
  /** L2 penalty λ (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false); needs momentum > 0 and dampening 0. */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
};

const DEFAULTS: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };
const RULES: Record<keyof SGDOptions, Rule> = {
  lr: 'nonNegative', momentum: 'nonNegative', dampening: 'number', weightDecay: 'nonNegative', nesterov: 'flag', maximize: 'flag',
};

/**
 * Stochastic gradient descent (optionally with momentum), as `torch.optim.SGD`. Each step, for each parameter
 * θ with gradient ∇f(θ):
 *
 * ```text
 * g ← −∇f(θ) if maximize, else ∇f(θ)
 * g ← g + λ·θ                               if λ (weightDecay) ≠ 0
 * if μ (momentum) ≠ 0:
 *     b ← g (a copy) at the first step,      else b ← μ·b + (1 − τ)·g
 *     g ← g + μ·b if nesterov,               else g ← b
 * θ ← θ − γ·g
 * ```
 *
 * The buffer b is the state `momentumBuffer` (kept only with momentum). Note: PyTorch's pseudo-code applies
 * `maximize` at the end (θ ← θ + γ·g), but its implementation negates the gradient first, before weight decay,
 * as here; the two differ only when maximizing with weight decay.
 *
 * @example
 * ```ts
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
 * for (let i = 0; i < 2; i++) {
 *   opt.zeroGrad();
 *   w.mul(w).sum().backward();   // gradient 2w
 *   opt.step();
 * }
 * w.toArray();                    // [0.46, -0.92]
 * ```
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, opts: Partial<SGDOptions> = {}) {
    super(params, withDefaults(new.target.name, DEFAULTS, opts));
  }

  protected override checkOptions(g: SGDOptions): void {
    const name = this.constructor.name;
    checkRules(name, g, RULES);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new ValueError(`${name}: nesterov momentum requires momentum > 0 and dampening = 0, got momentum=${g.momentum}, dampening=${g.dampening}`);
    }
  }

  protected update(group: ParamGroup<SGDOptions>, p: Tensor, grad: Tensor, state: ParamState): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    const tensors = [p, grad];
    const first = momentum !== 0 && state.momentumBuffer === undefined;
    if (momentum !== 0) tensors.push((state.momentumBuffer ??= zerosLike(p)) as Tensor);
    // the update in the class comment, in one fused pass (src/backend/fused.ts)
    fusedUpdate_(Fused.Sgd, tensors, { lr, momentum, dampening, weightDecay, nesterov, maximize, first });
  }
}
