// L-BFGS, as torch.optim.LBFGS: the limited-memory BFGS direction from the two-loop recursion over the last
// `historySize` curvature pairs (Nocedal & Wright, Algorithm 7.4), steps of lr (or a strong-Wolfe line search,
// Algorithms 3.5 and 3.6, with cubic interpolation, eq. 3.59), over the flat vector of every parameter.
import { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/creation.js';
import { cat } from '../ops/shape.js';
import { matmul } from '../ops/linalg.js';
import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { Optimizer, type Closure, type OptimizerStateDict, type ParamGroup, type Params, type ParamState } from './optimizer.js';
import { checkAtLeastZero } from './options.js';
import { checkChoice, checkInt, describeValue, withDefaults } from '../utils/args.js';
import { ArgumentError, ShapeError, ValueError } from '../errors.js';

/** The options of {@link LBFGS} (PyTorch's names in camelCase). */
export interface LBFGSOptions extends Record<string, unknown> {
  /** The step length (default 1); the first iteration's step is min(1, 1/‖g‖₁)·lr. */
  lr: number;
  /** The most iterations per `step()` (default 20). */
  maxIter: number;
  /** The most closure evaluations per `step()` (default ⌊maxIter·5/4⌋). */
  maxEval: number;
  /** Stop when max |gradient| ≤ this (default 1e-7). */
  toleranceGrad: number;
  /** Stop when max |step| or the change in loss is below this (default 1e-9). */
  toleranceChange: number;
  /** How many curvature pairs (s, y) to keep (default 100). */
  historySize: number;
  /** `null` (fixed steps of lr, the default) or `'strongWolfe'` (a line search for the strong Wolfe conditions). */
  lineSearchFn: 'strongWolfe' | null;
}

const NAME = 'LBFGS';

/** The keys of the state tensors that are flat vectors over all the parameters (not one parameter's shape). */
const isFlatKey = (k: string) => k === 'd' || k === 'prevFlatGrad' || /^old(Dirs|Stps)\.\d+$/.test(k);

const dot = (a: Tensor, b: Tensor): number => matmul(a, b).item();
const maxAbs = (a: Tensor): number => a.abs().max().item();

/** The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, kept in the bounds. */
function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2sq = d1 * d1 - g1 * g2;
  if (!(d2sq >= 0)) return (lo + hi) / 2;
  const d2 = Math.sqrt(d2sq);
  const m = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
  return pmin(pmax(m, lo), hi);
}
// max and min that keep the first argument unless the second is strictly beyond it (so NaN stays)
const pmax = (a: number, b: number) => (b > a ? b : a);
const pmin = (a: number, b: number) => (b < a ? b : a);

interface Evaluation { f: number; g: Tensor }

/**
 * A line search along d from x for a step t satisfying the strong Wolfe conditions (sufficient decrease
 * c1 = 1e-4, curvature c2 = 0.9): bracketing with cubic extrapolation, then zooming with cubic interpolation,
 * at most 25 evaluations. `evaluate(t)` gives the loss and flat gradient at x + t·d.
 */
function strongWolfe(evaluate: (t: number) => Evaluation, t: number, d: Tensor, f: number, g: Tensor, gtd: number) {
  const c1 = 1e-4, c2 = 0.9, tolChange = 1e-9, maxLs = 25;
  const dNorm = maxAbs(d);
  const armijoFails = (tt: number, ff: number) => ff > f + c1 * tt * gtd;
  const curvature = (gtdNew: number) => Math.abs(gtdNew) <= -c2 * gtd;
  let { f: fNew, g: gNew } = evaluate(t);
  let evals = 1;
  let gtdNew = dot(gNew, d);
  let tPrev = 0, fPrev = f, gPrev = g, gtdPrev = gtd;
  let done = false, lsIter = 0;
  // the bracket [a, b]: steps, losses, gradients and directional derivatives
  let br: number[] = [], bf: number[] = [], bg: Tensor[] = [], bgtd: number[] = [];
  while (lsIter < maxLs) {
    // t is taken if it meets both conditions; [tPrev, t] brackets a minimum if the loss rose above the
    // sufficient-decrease line or stopped falling, or if the slope is no longer negative
    const bracketed = armijoFails(t, fNew) || (lsIter > 1 && fNew >= fPrev);
    done = !bracketed && curvature(gtdNew);
    if (done) [br, bf, bg, bgtd] = [[t], [fNew], [gNew], [gtdNew]];
    else if (bracketed || gtdNew >= 0) [br, bf, bg, bgtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]];
    if (br.length > 0) break;
    // extrapolate: the cubic's minimizer within [t + 0.01(t - tPrev), 10t]
    const next = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [t + 0.01 * (t - tPrev), t * 10]);
    [tPrev, fPrev, gPrev, gtdPrev] = [t, fNew, gNew, gtdNew];
    t = next;
    ({ f: fNew, g: gNew } = evaluate(t));
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
  }
  if (lsIter === maxLs) [br, bf, bg, bgtd] = [[0, t], [f, fNew], [g, gNew], [gtd, gtdNew]];

  // zoom: shrink the bracket around a point satisfying both conditions; `low` is the end with the lower loss
  let insufficientProgress = false;
  let [low, high] = bf[0] <= bf[bf.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(br[1] - br[0]) * dNorm < tolChange) break;
    t = cubicInterpolate(br[0], bf[0], bgtd[0], br[1], bf[1], bgtd[1]);
    // a trial too close to an end (within 10% of the bracket), twice in a row or outside it, moves 10% inside
    const bMax = pmax(br[0], br[1]), bMin = pmin(br[0], br[1]);
    const eps = 0.1 * (bMax - bMin);
    if (pmin(bMax - t, t - bMin) < eps) {
      if (insufficientProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufficientProgress = false;
      } else insufficientProgress = true;
    } else insufficientProgress = false;
    ({ f: fNew, g: gNew } = evaluate(t));
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
    if (armijoFails(t, fNew) || fNew >= bf[low]) {
      [br[high], bf[high], bg[high], bgtd[high]] = [t, fNew, gNew, gtdNew];
      [low, high] = bf[0] <= bf[1] ? [0, 1] : [1, 0];
    } else {
      if (curvature(gtdNew)) done = true;
      else if (gtdNew * (br[high] - br[low]) >= 0) [br[high], bf[high], bg[high], bgtd[high]] = [br[low], bf[low], bg[low], bgtd[low]];
      [br[low], bf[low], bg[low], bgtd[low]] = [t, fNew, gNew, gtdNew];
    }
  }
  return { t: br[low], f: bf[low], g: bg[low], evals };
}

/**
 * L-BFGS, as `torch.optim.LBFGS`: each `step(closure)` runs up to `maxIter` iterations, each moving all the
 * parameters (as one flat vector) along the quasi-Newton direction from the last `historySize` curvature pairs,
 * by lr (the first iteration by min(1, 1/‖g‖₁)·lr) or by a strong-Wolfe line search. It stops early when the
 * largest gradient entry is ≤ toleranceGrad, when the step or the loss change is below toleranceChange, or after
 * `maxEval` closure calls. The closure clears the gradients, computes the loss, calls `backward()` and returns
 * the loss; `step` returns the loss of its first call. The history carries over to the next `step()` and is
 * in `stateDict()` (under the first parameter: `d`, `t`, `oldDirs.k`, `oldStps.k`, `ro.k`, `Hdiag`,
 * `prevFlatGrad`, `prevLoss`, `nIter`, `funcEvals`). Only one parameter group.
 *
 * @example
 * ```ts
 * const w = tensor([0, 0], { dtype: 'float64', requiresGrad: true });
 * const target = tensor([1, 2], { dtype: 'float64' });
 * const opt = new optim.LBFGS([w], { lineSearchFn: 'strongWolfe' });
 * const closure = () => {
 *   opt.zeroGrad();
 *   const loss = w.sub(target).pow(2).sum();
 *   loss.backward();
 *   return loss;
 * };
 * opt.step(closure).item(); // 5
 * w.toArray();              // [1, 2]
 * ```
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  constructor(params: Params<LBFGSOptions>, opts: Partial<LBFGSOptions> = {}) {
    const base = { lr: 1, maxIter: 20, maxEval: 0, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null };
    const o = withDefaults<LBFGSOptions>(NAME, base, opts);
    if (opts.maxEval === undefined) o.maxEval = typeof o.maxIter === 'number' ? Math.floor((o.maxIter * 5) / 4) : o.maxIter;
    super(params, o);
  }

  protected override checkOptions(g: LBFGSOptions): void {
    checkAtLeastZero(NAME, 'lr', g.lr);
    checkInt(NAME, 'maxIter', g.maxIter, 1);
    checkInt(NAME, 'maxEval', g.maxEval, 1);
    checkAtLeastZero(NAME, 'toleranceGrad', g.toleranceGrad);
    checkAtLeastZero(NAME, 'toleranceChange', g.toleranceChange);
    checkInt(NAME, 'historySize', g.historySize, 1);
    checkChoice(NAME, 'lineSearchFn', g.lineSearchFn, [null, 'strongWolfe']);
  }

  /** As PyTorch, LBFGS takes a single parameter group: a second one is refused. */
  override addParamGroup(group: { params: Iterable<Tensor> } & Partial<LBFGSOptions>): void {
    if (this.paramGroups.length > 0) {
      throw new ValueError(`${NAME}: doesn't support per-parameter options (parameter groups): it takes one group, got a second one`);
    }
    super.addParamGroup(group);
  }

  /** Not used: `step(closure)` moves all the parameters at once. */
  protected update(group: ParamGroup<LBFGSOptions>, p: Tensor, grad: Tensor, state: ParamState): void {
    void [group, p, grad, state];
    throw new ArgumentError(`${NAME}: update() is not used; call step(closure)`);
  }

  private get params(): Tensor[] {
    return this.paramGroups[0].params;
  }

  /** The dtype of the flat vectors: float64 if any parameter is float64 (as torch.cat promotes). */
  private get flatDtype(): 'float32' | 'float64' {
    return this.params.some((p) => p.dtype === 'float64') ? 'float64' : 'float32';
  }

  /** Every parameter's gradient (zeros where there is none), flattened and joined: a new tensor. */
  private flatGrad(): Tensor {
    const parts = this.params.map((p) => (p.grad === null ? zeros([p.numel()], { dtype: p.dtype }) : p.grad.reshape([-1])));
    return parts.length === 1 ? parts[0].clone() : cat(parts);
  }

  /** Moves the parameters by t·d (d flat). */
  private addFlat(t: number, d: Tensor): void {
    let offset = 0;
    for (const p of this.params) {
      const n = p.numel();
      p.copy_(p.add(d.narrow(0, offset, n).reshape(p.shape).mul(t)));
      offset += n;
    }
  }

  /** Runs the closure with grad enabled and returns its loss, checked to be a one-element tensor. */
  private evaluate(closure: Closure): Tensor {
    const loss = enableGrad(closure);
    if (!(loss instanceof Tensor) || loss.numel() !== 1) {
      throw new (loss instanceof Tensor ? ShapeError : ArgumentError)(`${NAME}.step: the closure must return the loss as a one-element Tensor, got ${loss instanceof Tensor ? `a Tensor with ${loss.numel()} elements` : describeValue(loss)}`);
    }
    return loss;
  }

  /**
   * Runs up to `maxIter` L-BFGS iterations, evaluating the loss and gradients through `closure` (which clears
   * the gradients, computes the loss, calls `backward()` and returns the loss), and returns the loss of the
   * closure's first call, before any change.
   */
  override step(closure?: Closure): Tensor {
    if (typeof closure !== 'function') {
      throw new ArgumentError(`${NAME}.step: needs a closure that clears the gradients, computes the loss, calls backward() and returns the loss; got ${describeValue(closure, 'object')}`);
    }
    return noGrad(() => this.iterate(closure));
  }

  private iterate(closure: Closure): Tensor {
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn } = this.paramGroups[0];
    // scalars that PyTorch computes as 0-d tensors are rounded to the flat vectors' dtype
    const r = this.flatDtype === 'float32' ? Math.fround : (x: number) => x;
    const params = this.params;
    let state = this.state.get(params[0]);
    if (!state) this.state.set(params[0], (state = {}));
    const st = state;
    st.funcEvals = (st.funcEvals as number | undefined) ?? 0;
    st.nIter = (st.nIter as number | undefined) ?? 0;

    const origLoss = this.evaluate(closure);
    let loss = origLoss.item();
    let currentEvals = 1;
    st.funcEvals += 1;
    let flatGrad = this.flatGrad();
    let optCond = maxAbs(flatGrad) <= r(toleranceGrad);
    if (optCond) return origLoss;

    // the history from earlier steps
    let d = st.d as Tensor | undefined;
    let t = st.t as number | undefined;
    let prevFlatGrad = st.prevFlatGrad as Tensor | undefined;
    let prevLoss = st.prevLoss as number | undefined;
    let hDiag = (st.Hdiag as number | undefined) ?? 1;
    let oldDirs: Tensor[] = [], oldStps: Tensor[] = [], ro: number[] = [];
    for (let k = 0; st[`oldDirs.${k}`] !== undefined; k++) {
      oldDirs.push(st[`oldDirs.${k}`] as Tensor);
      oldStps.push(st[`oldStps.${k}`] as Tensor);
      ro.push(st[`ro.${k}`] as number);
    }

    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      st.nIter++;
      if (st.nIter === 1) {
        d = flatGrad.neg();
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = 1;
      } else {
        // the curvature pair of the last move, kept when ys > 1e-10 (so the update stays positive definite)
        const y = flatGrad.sub(prevFlatGrad!);
        const s = d!.mul(t!);
        const ys = dot(y, s);
        if (ys > r(1e-10)) {
          if (oldDirs.length === historySize) {
            oldDirs.shift();
            oldStps.shift();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(r(1 / ys));
          hDiag = r(ys / dot(y, y));
        }
        // the two-loop recursion: d = -H·g, with H₀ = Hdiag·I
        const al: number[] = new Array(oldDirs.length);
        let q = flatGrad.neg();
        for (let i = oldDirs.length - 1; i >= 0; i--) {
          al[i] = r(dot(oldStps[i], q) * ro[i]);
          q = q.sub(oldDirs[i].mul(al[i]));
        }
        d = q.mul(hDiag);
        for (let i = 0; i < oldDirs.length; i++) {
          const be = r(dot(oldDirs[i], d) * ro[i]);
          d = d.add(oldStps[i].mul(r(al[i] - be)));
        }
      }
      prevFlatGrad = flatGrad;
      prevLoss = loss;
      if (st.nIter === 1) {
        const inv = r(1 / flatGrad.abs().sum().item());
        t = inv < 1 ? r(inv * r(lr)) : lr;
      } else t = lr;

      const gtd = dot(flatGrad, d!);
      if (gtd > r(-toleranceChange)) break; // not a descent direction

      let lsEvals = 0;
      if (lineSearchFn === 'strongWolfe') {
        const x = params.map((p) => p.clone());
        const dir = d!;
        // the loss and gradient at x + step·d, the parameters back at x afterwards (even if the closure throws)
        const evaluateAt = (step: number): Evaluation => {
          try {
            this.addFlat(step, dir);
            return { f: this.evaluate(closure).item(), g: this.flatGrad() };
          } finally {
            params.forEach((p, i) => p.copy_(x[i]));
          }
        };
        const ls = strongWolfe(evaluateAt, t, dir, loss, flatGrad, gtd);
        [loss, flatGrad, t, lsEvals] = [ls.f, ls.g, ls.t, ls.evals];
        this.addFlat(t, dir);
        optCond = maxAbs(flatGrad) <= r(toleranceGrad);
      } else {
        this.addFlat(t, d!);
        if (nIter !== maxIter) {
          // re-evaluate, except after the last iteration (the next step() does it)
          loss = this.evaluate(closure).item();
          flatGrad = this.flatGrad();
          optCond = maxAbs(flatGrad) <= r(toleranceGrad);
          lsEvals = 1;
        }
      }
      currentEvals += lsEvals;
      st.funcEvals += lsEvals;

      if (nIter === maxIter || currentEvals >= maxEval || optCond) break;
      if (maxAbs(d!.mul(t)) <= r(toleranceChange)) break; // the step is too small
      if (Math.abs(loss - prevLoss) < toleranceChange) break; // the loss hardly changes
    }

    for (const k of Object.keys(st)) if (/^(oldDirs|oldStps|ro)\.\d+$/.test(k)) delete st[k];
    oldDirs.forEach((y, k) => {
      st[`oldDirs.${k}`] = y;
      st[`oldStps.${k}`] = oldStps[k];
      st[`ro.${k}`] = ro[k];
    });
    Object.assign(st, { d: d!, t: t!, Hdiag: hDiag, prevFlatGrad: prevFlatGrad!, prevLoss: prevLoss! });
    return origLoss;
  }

  /**
   * Restores a state dict from `stateDict()`. The flat vectors of the history (`d`, `prevFlatGrad`,
   * `oldDirs.k`, `oldStps.k`) span all the parameters: they must have as many elements as the parameters
   * together.
   */
  override loadStateDict(sd: OptimizerStateDict): void {
    const key = Array.isArray(sd?.paramGroups?.[0]?.params) ? sd.paramGroups[0].params[0] : 0;
    const s0 = sd?.state !== null && typeof sd?.state === 'object' ? sd.state[key] : undefined;
    if (s0 === null || typeof s0 !== 'object') {
      super.loadStateDict(sd);
      return;
    }
    const total = this.params.reduce((n, p) => n + p.numel(), 0);
    const rest: ParamState = {};
    const flat: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(s0)) {
      if (!(isFlatKey(k) && v instanceof Tensor)) {
        rest[k] = v;
        continue;
      }
      if (v.ndim !== 1 || v.shape[0] !== total) {
        throw new ShapeError(`${NAME}.loadStateDict: state '${k}' has shape [${v.shape.join(', ')}], expected [${total}] (all the parameters' elements)`);
      }
      flat[k] = v;
    }
    const count = (prefix: string) => Object.keys(s0).filter((k) => k.startsWith(`${prefix}.`)).length;
    if (count('oldDirs') !== count('oldStps') || count('oldDirs') !== count('ro')) {
      throw new ValueError(`${NAME}.loadStateDict: the history has ${count('oldDirs')} oldDirs, ${count('oldStps')} oldStps and ${count('ro')} ro entries; expected as many of each`);
    }
    super.loadStateDict({ ...sd, state: { ...sd.state, [key]: rest } });
    const st = this.state.get(this.params[0]);
    const dtype = this.flatDtype;
    if (st) for (const [k, v] of Object.entries(flat)) st[k] = noGrad(() => v.to(dtype).clone());
  }
}
