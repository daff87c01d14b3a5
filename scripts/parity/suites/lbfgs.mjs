// The lbfgs suite: optim.LBFGS run for a few step() calls on fixed problems (Rosenbrock, a convex quadratic in
// 5 dims, a small L2-regularized softmax regression over two parameters), with and without the strong-Wolfe
// line search, a short history (eviction), maxIter / maxEval limits and the tolerances. Each case returns the
// final parameters, each step's loss, and the state's funcEvals and nIter, concatenated.
import * as tg from '../../../dist/index.js';
import { specs, makeRnd } from '../spec.mjs';

const { T } = specs('lbfgs');
const rnd = makeRnd('lbfgs-problems');
const fixed = (shape, data, o = {}) => T(shape, data, { grad: false, ...o });

// the objectives, of the parameters and the fixed inputs
const objectives = {
  rosenbrock: ([p]) => {
    const x = p.narrow(0, 0, 1), y = p.narrow(0, 1, 1);
    return tg.sub(1, x).pow(2).add(y.sub(x.pow(2)).pow(2).mul(100)).sum();
  },
  quadratic: ([p], A, b) => p.matmul(A.matmul(p)).mul(0.5).sub(b.matmul(p)),
  quadraticUnused: ([p], A, b) => objectives.quadratic([p], A, b), // a second parameter without a gradient
  softmaxRegression: ([W, c], X, Y) => Y.mul(X.matmul(W).add(c).logSoftmax(1)).sum().neg().div(X.shape[0]).add(W.pow(2).sum().mul(0.01)),
};

export const ops = {
  lbfgs: (...xs) => {
    const a = xs.pop();
    const params = xs.slice(0, a.nParams).map((t) => t.clone().requiresGrad_(true));
    const data = xs.slice(a.nParams);
    const opt = new tg.optim.LBFGS(params, a.opts);
    const closure = () => {
      opt.zeroGrad();
      const loss = objectives[a.f](params, ...data);
      loss.backward();
      return loss;
    };
    const losses = Array.from({ length: a.steps }, () => opt.step(closure).item());
    const s = opt.state.get(params[0]);
    return tg.cat([...params.map((p) => p.detach().reshape([-1])), tg.tensor([...losses, s.funcEvals, s.nIter], { dtype: params[0].dtype })]);
  },
};

export const cases = [];
const add = (inputs, args, known) => cases.push({ op: 'lbfgs', inputs, args, known });
const sw = { lineSearchFn: 'strongWolfe' };
// PyTorch's add_(other, alpha) is one fused multiply-add (one rounding) on this build; tapegrad multiplies then
// adds (two). The update p + t·d and the two-loop recursion round differently in the last bit, and 45 iterations
// in Rosenbrock's curved valley grow that to 1.6e-7 (with the fused op emulated, every Rosenbrock case here is
// bit-identical to PyTorch's).
const fmaDrift = "PyTorch's add_(x, alpha) is a fused multiply-add, tapegrad rounds twice: 1-ulp differences in p + t·d and the two-loop recursion grow to 1.6e-7 over 45 strong-Wolfe iterations on Rosenbrock (bit-identical with the fused op emulated)";

// Rosenbrock from (-1.5, 2)
const rosen = (o = {}) => [fixed([2], [-1.5, 2], o)];
add(rosen(), { f: 'rosenbrock', nParams: 1, steps: 3, opts: sw });
add(rosen(), { f: 'rosenbrock', nParams: 1, steps: 1, opts: { ...sw, maxIter: 100 } });
add(rosen(), { f: 'rosenbrock', nParams: 1, steps: 4, opts: { lr: 0.1, maxIter: 10 } });
// a history of 3 pairs, evicted every iteration after the third
add(rosen(), { f: 'rosenbrock', nParams: 1, steps: 3, opts: { lr: 0.1, historySize: 3, maxIter: 8 } });
add(rosen(), { f: 'rosenbrock', nParams: 1, steps: 3, opts: { ...sw, historySize: 3, maxIter: 15 } }, fmaDrift);
add(rosen(), { f: 'rosenbrock', nParams: 1, steps: 6, opts: { ...sw, maxIter: 5, maxEval: 6 } });
add(rosen(), { f: 'rosenbrock', nParams: 1, steps: 5, opts: { lr: 0.1, maxIter: 3 } });
add(rosen(), { f: 'rosenbrock', nParams: 1, steps: 3, opts: { lr: 0.1, maxIter: 20, maxEval: 7 } });
add(rosen(), { f: 'rosenbrock', nParams: 1, steps: 2, opts: { ...sw, toleranceChange: 1e-4 } });
add(rosen(), { f: 'rosenbrock', nParams: 1, steps: 2, opts: { ...sw, toleranceGrad: 1e-2 } });
// at the minimum: the gradient is 0, so step() evaluates once and returns
add([fixed([2], [1, 1])], { f: 'rosenbrock', nParams: 1, steps: 2, opts: sw });

// a convex quadratic ½xᵀAx − bᵀx in 5 dims, A = MMᵀ + I
const M = rnd(25, -1, 1);
const A = Array.from({ length: 25 }, (_, k) => {
  const i = Math.floor(k / 5), j = k % 5;
  return M.slice(i * 5, i * 5 + 5).reduce((s, v, l) => s + v * M[j * 5 + l], 0) + (i === j ? 1 : 0);
});
const quad = (o = {}) => [fixed([5], rnd(5), o), fixed([5, 5], A, o), fixed([5], rnd(5), o)];
const q = quad();
add(q, { f: 'quadratic', nParams: 1, steps: 2, opts: { maxIter: 4 } });
add(q, { f: 'quadratic', nParams: 1, steps: 2, opts: { ...sw, maxIter: 4 } });
add(q, { f: 'quadratic', nParams: 1, steps: 3, opts: { lr: 0.5, maxIter: 4, historySize: 2 } });
add(q, { f: 'quadratic', nParams: 1, steps: 1, opts: {} });
add([fixed([5], rnd(5)), fixed([2], [3, 4]), ...q.slice(1)], { f: 'quadraticUnused', nParams: 2, steps: 2, opts: { maxIter: 3 } });

// softmax regression over two parameters (W [3, 2], c [2]) on 6 points: the flat vector spans both
const X = rnd(18), labels = [0, 1, 1, 0, 1, 0];
const Y = labels.flatMap((l) => (l === 0 ? [1, 0] : [0, 1]));
const soft = (o = {}) => [fixed([3, 2], rnd(6, -0.5, 0.5), o), fixed([2], [0.1, -0.1], o), fixed([6, 3], X, o), fixed([6, 2], Y, o)];
const s64 = soft();
add(s64, { f: 'softmaxRegression', nParams: 2, steps: 3, opts: { maxIter: 5 } });
add(s64, { f: 'softmaxRegression', nParams: 2, steps: 3, opts: { ...sw, maxIter: 5, historySize: 3 } });

// float32: the same runs in single precision
const f32 = { dtype: 'float32' };
add(quad(f32), { f: 'quadratic', nParams: 1, steps: 2, opts: { maxIter: 4 } });
add(soft(f32), { f: 'softmaxRegression', nParams: 2, steps: 2, opts: { maxIter: 5 } });
add(rosen(f32), { f: 'rosenbrock', nParams: 1, steps: 2, opts: { lr: 0.1, maxIter: 5 } });
add(rosen(f32), { f: 'rosenbrock', nParams: 1, steps: 1, opts: { ...sw, maxIter: 10 } });
