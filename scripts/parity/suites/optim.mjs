// The optimizers suite: SGD, Adam, AdamW, RMSprop and Adagrad, every option and variant, 10 steps from the
// same starting parameters on a fixed loss, L = Σ k·(a − c)² + Σ sin b + 0.1·(Σa)(Σb), in float64 and float32.
// Each op builds the parameters (a, b) from its inputs, trains, and returns the final parameters
// concatenated; the inputs do not require grad (an optimizer's result has no input gradient to compare).
import * as tg from '../../../dist/index.js';
import { specs } from '../spec.mjs';

const { T } = specs('optim');

function train(a0, b0, k, c, args) {
  const a = a0.clone().requiresGrad_(true), b = b0.clone().requiresGrad_(true);
  const groups = args.groupB ? [{ params: [a] }, { params: [b], ...args.groupB }] : [a, b];
  const opt = new tg.optim[args.optimizer](groups, args.opts);
  for (let t = 0; t < (args.steps ?? 10); t++) {
    opt.zeroGrad();
    a.sub(c).pow(2).mul(k).sum().add(b.sin().sum()).add(a.sum().mul(b.sum()).mul(0.1)).backward();
    opt.step();
  }
  return tg.cat([a.detach().flatten(), b.detach().flatten()]);
}

export const ops = { train };

export const cases = [];
const problem = (dtype = 'float64') => {
  const o = { dtype, grad: false };
  return [T([2, 2], [0.5, -1.2, 2.0, 0.3], o), T([3], [0.7, -0.4, 1.5], o), T([2, 2], [1, 2, 0.5, 3], o), T([2, 2], [0.1, -0.5, 1, 0], o)];
};
const add = (optimizer, opts, extra = {}, dtype = 'float64') => cases.push({ op: 'train', inputs: problem(dtype), args: { optimizer, opts, ...extra } });

const variants = {
  SGD: [
    { lr: 1e-3 }, { lr: 0.05 }, { lr: 0.05, weightDecay: 0.3 }, { lr: 0.05, momentum: 0.9 },
    { lr: 0.05, momentum: 0.9, dampening: 0.4 }, { lr: 0.05, momentum: 0.8, nesterov: true },
    { lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.2 }, { lr: 0.05, maximize: true },
    { lr: 0.05, maximize: true, weightDecay: 0.3 }, { lr: 0.05, maximize: true, weightDecay: 0.3, momentum: 0.5 },
  ],
  Adam: [
    {}, { lr: 0.1 }, { lr: 0.1, betas: [0.8, 0.9], eps: 0.1 }, { lr: 0.1, weightDecay: 0.5 },
    { lr: 0.3, betas: [0.5, 0.6], amsgrad: true }, { lr: 0.1, maximize: true, weightDecay: 0.5 },
    { lr: 0.3, betas: [0.5, 0.6], amsgrad: true, maximize: true, weightDecay: 0.1 },
  ],
  AdamW: [
    {}, { lr: 0.1 }, { lr: 0.1, weightDecay: 0.5 }, { lr: 0.3, betas: [0.5, 0.6], amsgrad: true, weightDecay: 0.2 },
    { lr: 0.1, maximize: true, weightDecay: 0.3 }, { lr: 0.1, weightDecay: 0 },
  ],
  RMSprop: [
    {}, { lr: 0.05, alpha: 0.9 }, { lr: 0.02, momentum: 0.9 }, { lr: 0.02, alpha: 0.9, centered: true },
    { lr: 0.02, alpha: 0.9, centered: true, momentum: 0.5 }, { lr: 0.05, weightDecay: 0.5 }, { lr: 0.05, maximize: true },
    { lr: 0.05, eps: 0.5, maximize: true, weightDecay: 0.2, momentum: 0.3, centered: true },
  ],
  Adagrad: [
    {}, { lr: 0.5 }, { lr: 0.5, lrDecay: 0.3 }, { lr: 0.5, weightDecay: 0.4 },
    { lr: 0.5, initialAccumulatorValue: 2, eps: 0.1 }, { lr: 0.5, maximize: true, lrDecay: 0.1 },
  ],
};
for (const [optimizer, list] of Object.entries(variants)) {
  for (const opts of list) add(optimizer, opts);
  // the last variant (several options together) in float32 too
  add(optimizer, list[list.length - 1], {}, 'float32');
}
// parameter groups with their own options
add('SGD', { lr: 0.05, momentum: 0.9 }, { groupB: { lr: 0.01, nesterov: true } });
add('Adam', { lr: 0.1 }, { groupB: { lr: 0.02, amsgrad: true, betas: [0.5, 0.6] } });
add('RMSprop', { lr: 0.02 }, { groupB: { centered: true, momentum: 0.5 } });
add('Adagrad', { lr: 0.5 }, { groupB: { lrDecay: 0.2, initialAccumulatorValue: 1 } });
// options both refuse
add('SGD', { lr: -1 });
add('SGD', { lr: 0.1, nesterov: true });
add('SGD', { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true });
add('SGD', { lr: 0.1, momentum: -0.9 });
add('Adam', { betas: [1, 0.9] });
add('Adam', { eps: -1 });
add('AdamW', { weightDecay: -1 });
add('RMSprop', { alpha: -0.5 });
add('Adagrad', { lrDecay: -1 });
add('Adagrad', { initialAccumulatorValue: -1 });
