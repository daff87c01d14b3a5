// Adam and AdamW (one implementation; AdamW decouples the weight decay), with AMSGrad and maximize, as
// torch.optim.Adam and torch.optim.AdamW.
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { buffer, checkRules, nextStep } from './options.js';
import { fusedUpdate_ } from '../ops/inplace.js';
import { Fused } from '../backend/prim.js';
import { checkNumber, describeValue, withDefaults } from '../utils/args.js';
import { ArgumentError, ValueError } from '../errors.js';

/** The options of {@link Adam} and {@link AdamW} (PyTorch's, in camelCase). */
export type AdamOptions = {
  /** Learning rate γ (default 1e-3). */
  lr: number;
  /** Decay rates (β₁, β₂) of the moment estimates, each in [0, 1) (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** Weight decay λ: an L2 penalty for Adam (default 0), decoupled for AdamW (default 1e-2). */
  weightDecay: number;
  /** Use the maximum of the second moment estimates so far (AMSGrad; default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
};

const defaults = (weightDecay: number): AdamOptions => ({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay, amsgrad: false, maximize: false });

/**
 * Adam, as `torch.optim.Adam`. Each step t (counted per parameter, from 1), for each parameter θ with
 * gradient ∇f(θ), starting from m₀ = v₀ = v₀ᵐᵃˣ = 0:
 *
 * ```text
 * g ← −∇f(θ) if maximize, else ∇f(θ)
 * g ← g + λ·θ                                 if λ (weightDecay) ≠ 0   (AdamW instead: θ ← θ·(1 − γ·λ))
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * if amsgrad: vᵐᵃˣ ← max(vᵐᵃˣ, v), and vᵐᵃˣ replaces v below
 * θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * ```
 *
 * State: `step` (a number), `expAvg` (m), `expAvgSq` (v) and, with amsgrad, `maxExpAvgSq` (the maximum of the
 * uncorrected v, bias-corrected when used, as PyTorch's implementation).
 *
 * @example
 * ```ts
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.Adam([w], { lr: 0.1 });
 * w.mul(w).sum().backward();
 * opt.step();
 * w.toArray();                          // [0.9, -1.9]
 * opt.state.get(w)!.step;               // 1
 * ```
 */
export class Adam extends Optimizer<AdamOptions> {
  /** Whether weight decay is decoupled (AdamW) rather than an L2 penalty on the gradient (Adam). */
  protected static readonly decoupled: boolean = false;

  constructor(params: Params<AdamOptions>, opts: Partial<AdamOptions> = {}) {
    const decoupled = (new.target as typeof Adam).decoupled;
    super(params, withDefaults(new.target.name, defaults(decoupled ? 1e-2 : 0), opts));
  }

  protected override checkOptions(g: AdamOptions): void {
    const name = this.constructor.name;
    checkRules(name, g, { lr: 'nonNegative', eps: 'nonNegative', weightDecay: 'nonNegative', amsgrad: 'flag', maximize: 'flag' });
    const b = g.betas as unknown;
    if (!Array.isArray(b) || b.length !== 2) {
      throw new (Array.isArray(b) ? ValueError : ArgumentError)(`${name}: betas must be an array of two numbers, got ${Array.isArray(b) ? `an array of length ${b.length}` : describeValue(b)}`);
    }
    b.forEach((beta, i) => checkNumber(name, `betas[${i}]`, beta, (x) => x >= 0 && x < 1, 'in [0, 1)'));
  }

  protected update(group: ParamGroup<AdamOptions>, p: Tensor, grad: Tensor, state: ParamState): void {
    const { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad, maximize } = group;
    const decoupled = (this.constructor as typeof Adam).decoupled;
    const step = nextStep(state);
    const m = buffer(state, 'expAvg', p), v = buffer(state, 'expAvgSq', p);
    const tensors = [p, grad, m, v];
    if (amsgrad) tensors.push(buffer(state, 'maxExpAvgSq', p));
    // the update in the class comment, in one fused pass (src/backend/fused.ts)
    fusedUpdate_(Fused.Adam, tensors, { lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize, step });
  }
}

/**
 * AdamW, as `torch.optim.AdamW`: {@link Adam} with decoupled weight decay. Before the moment updates, each
 * step shrinks the parameter, θ ← θ·(1 − γ·λ), instead of adding λ·θ to the gradient; λ (weightDecay)
 * defaults to 1e-2. Everything else (moments, bias corrections, amsgrad, maximize, state) is Adam's.
 *
 * @example
 * ```ts
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.AdamW([w], { lr: 0.1, weightDecay: 0.5 });
 * w.mul(w).sum().backward();
 * opt.step();                            // θ·(1 − 0.05), then Adam's step of 0.1
 * w.toArray();                           // [0.85, -1.8]
 * opt.paramGroups[0].weightDecay;        // 0.5
 * ```
 */
export class AdamW extends Adam {
  protected static override readonly decoupled: boolean = true;
}
