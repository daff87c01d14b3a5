// The sched suite: learning-rate schedulers (optim.lrScheduler). Each case builds an optimizer over dummy
// parameters (one per group, no gradients), a scheduler, and records every group's lr (and, with track:
// 'momentum', its momentum or Adam's β₁) after construction and after each of 30 steps: a float64 tensor
// [31, groups] (or [31, 2·groups]). Options are passed in camelCase; suites/sched.py translates them.
import * as tg from '../../../dist/index.js';

const { optim } = tg;
const L = optim.lrScheduler;

/** The LambdaLR functions, by name (the same in sched.py). */
const FNS = { inv: (e) => 1 / (e + 1), pow: (e) => 0.95 ** e, warm: (e) => Math.min(1, (e + 1) / 5), stairs: (e) => Math.floor(e / 7) + 1 };

function optimizer(a) {
  const groups = (a.groups ?? [0.1]).map((lr) => ({ params: [tg.zeros([1], { requiresGrad: true })], lr }));
  if (a.optimizer === 'adam') return new optim.Adam(groups);
  if (a.optimizer === 'adagrad') return new optim.Adagrad(groups);
  return new optim.SGD(groups, { momentum: a.momentum ?? 0 });
}

function scheduler(opt, name, opts) {
  if (name === 'LambdaLR') {
    const f = opts.lrLambda;
    return new L.LambdaLR(opt, { ...opts, lrLambda: Array.isArray(f) ? f.map((n) => FNS[n]) : FNS[f] });
  }
  return new L[name](opt, opts);
}

const row = (opt, a) => opt.paramGroups.flatMap((g) => (a.track === 'momentum' ? [g.lr, g.betas ? g.betas[0] : g.momentum] : [g.lr]));

/** Records the rows after construction and after each step; `each(k)` steps the scheduler(s) at step k. */
function trace(a, opt, each) {
  const rows = [row(opt, a)];
  for (let k = 0; k < (a.steps ?? 30); k++) {
    opt.step();
    each(k);
    rows.push(row(opt, a));
  }
  return tg.tensor(rows, { dtype: 'float64' });
}

export const ops = {
  // one scheduler; ReduceLROnPlateau steps on args.metrics
  sched: (a) => {
    const opt = optimizer(a);
    const s = scheduler(opt, a.sched, a.opts);
    return trace(a, opt, (k) => (a.metrics ? s.step(a.metrics[k]) : s.step()));
  },
  // a scheduler stepped `at` times, then replaced by a new one of the same kind created with lastEpoch = at
  resume: (a) => {
    const opt = optimizer(a);
    let s = scheduler(opt, a.sched, a.opts);
    return trace(a, opt, (k) => (k === a.at ? (s = scheduler(opt, a.sched, { ...a.opts, lastEpoch: a.at })) : s.step()));
  },
  // several schedulers on one optimizer, each stepped every step (chainable composition)
  chain: (a) => {
    const opt = optimizer(a);
    const ss = a.scheds.map(([name, opts]) => scheduler(opt, name, opts));
    return trace(a, opt, () => ss.forEach((s) => s.step()));
  },
};

export const cases = [];
const add = (op, args, known) => cases.push({ op, inputs: [], args, known });
const sched = (name, opts, extra = {}) => add('sched', { sched: name, opts, ...extra });

sched('StepLR', { stepSize: 3 });
sched('StepLR', { stepSize: 7, gamma: 0.5 }, { groups: [0.1, 0.03] });
sched('StepLR', { stepSize: 1, gamma: 0.9 });
sched('MultiStepLR', { milestones: [5, 12, 20] });
sched('MultiStepLR', { milestones: [10, 3, 10, 25], gamma: 0.5 }); // unsorted, a milestone twice
sched('ExponentialLR', { gamma: 0.9 });
sched('ExponentialLR', { gamma: 1.05 }, { groups: [0.1, 1] });
sched('CosineAnnealingLR', { TMax: 10 }); // three half periods: down, up, down
sched('CosineAnnealingLR', { TMax: 7, etaMin: 0.01 });
sched('CosineAnnealingLR', { TMax: 30, etaMin: 0.001 }, { groups: [0.1, 0.5] });
sched('CosineAnnealingLR', { TMax: 1 });
sched('LinearLR', {});
sched('LinearLR', { startFactor: 0.25, endFactor: 1, totalIters: 8 });
sched('LinearLR', { startFactor: 1, endFactor: 0.1, totalIters: 10 }); // a linear decay
sched('LinearLR', { startFactor: 0.5, endFactor: 0, totalIters: 30 });
sched('LambdaLR', { lrLambda: 'inv' });
sched('LambdaLR', { lrLambda: 'pow' });
sched('LambdaLR', { lrLambda: ['warm', 'stairs'] }, { groups: [0.1, 0.02] });
for (const track of ['momentum']) {
  sched('OneCycleLR', { maxLr: 0.5, totalSteps: 30 }, { track, momentum: 0.9 });
  sched('OneCycleLR', { maxLr: 0.5, totalSteps: 30, annealStrategy: 'linear' }, { track, momentum: 0.9 });
  sched('OneCycleLR', { maxLr: [0.5, 0.1], epochs: 6, stepsPerEpoch: 5, threePhase: true }, { track, groups: [0.1, 0.1], momentum: 0.9 });
  sched('OneCycleLR', { maxLr: 0.5, totalSteps: 30, threePhase: true, annealStrategy: 'linear' }, { track, momentum: 0.9 });
  sched('OneCycleLR', { maxLr: 1, totalSteps: 40, pctStart: 0.25, divFactor: 10, finalDivFactor: 100, baseMomentum: 0.8, maxMomentum: 0.9 }, { track, momentum: 0.9 });
  sched('OneCycleLR', { maxLr: 0.01, totalSteps: 30, baseMomentum: [0.8, 0.85], maxMomentum: [0.9, 0.95] }, { track, optimizer: 'adam', groups: [0.1, 0.2] });
  sched('OneCycleLR', { maxLr: 0.5, totalSteps: 30, cycleMomentum: false }, { track, momentum: 0.9 });
  sched('OneCycleLR', { maxLr: 0.5, totalSteps: 30, pctStart: 0 }, { track, momentum: 0.9 });
  sched('OneCycleLR', { maxLr: 0.5, totalSteps: 31, pctStart: 0.5 }, { track }); // SGD without momentum: cycled anyway
}
sched('OneCycleLR', { maxLr: 0.5, totalSteps: 20 }); // stepped past totalSteps: both refuse
sched('OneCycleLR', { maxLr: 0.5, totalSteps: 10, pctStart: 0.1 }); // a first phase without steps: both refuse
sched('OneCycleLR', { maxLr: 0.5, totalSteps: 30 }, { optimizer: 'adagrad' }); // nothing to cycle: both refuse
// improvements, short plateaus, one of 11 epochs (index 7 to 17), an improvement below the default threshold
const metrics = [1, 0.9, 0.9, 0.95, 0.9, 0.91, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.8, 0.79995, 0.81, 0.82, 0.7, 0.71, 0.72, 0.73, 0.6, 0.61, 0.62, 0.63];
const accs = metrics.map((m) => 1 - m);
sched('ReduceLROnPlateau', {}, { metrics });
sched('ReduceLROnPlateau', { patience: 2 }, { metrics });
sched('ReduceLROnPlateau', { patience: 2, cooldown: 3 }, { metrics });
sched('ReduceLROnPlateau', { patience: 1, factor: 0.5, minLr: 0.01 }, { metrics });
sched('ReduceLROnPlateau', { patience: 0, factor: 0.5, minLr: [0.05, 0.001] }, { metrics, groups: [0.1, 0.1] });
sched('ReduceLROnPlateau', { patience: 1, threshold: 0.05, thresholdMode: 'abs' }, { metrics });
sched('ReduceLROnPlateau', { patience: 1, threshold: 0.1 }, { metrics });
sched('ReduceLROnPlateau', { mode: 'max', patience: 1 }, { metrics: accs });
sched('ReduceLROnPlateau', { mode: 'max', patience: 1, threshold: 0.05, thresholdMode: 'abs', cooldown: 1 }, { metrics: accs });
sched('ReduceLROnPlateau', { patience: 0, factor: 0.9, eps: 0.005 }, { metrics }); // reductions below eps are skipped
sched('ReduceLROnPlateau', { patience: 1 }, { metrics: metrics.map((m, k) => (k === 5 ? NaN : m)) });
add('resume', { sched: 'StepLR', opts: { stepSize: 4, gamma: 0.5 }, at: 10 });
add('resume', { sched: 'MultiStepLR', opts: { milestones: [3, 11, 20] }, at: 10 });
add('resume', { sched: 'ExponentialLR', opts: { gamma: 0.9 }, at: 10 });
add('resume', { sched: 'CosineAnnealingLR', opts: { TMax: 12, etaMin: 0.01 }, at: 10 });
add('resume', { sched: 'CosineAnnealingLR', opts: { TMax: 7 }, at: 16 }); // resumed on the way back up
add('resume', { sched: 'LinearLR', opts: { startFactor: 0.2, totalIters: 12 }, at: 5 });
add('resume', { sched: 'LambdaLR', opts: { lrLambda: 'inv' }, at: 10 });
add('resume', { sched: 'OneCycleLR', opts: { maxLr: 0.5, totalSteps: 30 }, at: 12, track: 'momentum', momentum: 0.9 });
add('chain', { scheds: [['LinearLR', { startFactor: 0.1, totalIters: 5 }], ['ExponentialLR', { gamma: 0.9 }]] });
add('chain', { scheds: [['LinearLR', { startFactor: 0.1, totalIters: 5 }], ['CosineAnnealingLR', { TMax: 10, etaMin: 0.001 }]] });
add('chain', { scheds: [['StepLR', { stepSize: 5, gamma: 0.5 }], ['CosineAnnealingLR', { TMax: 8 }]], groups: [0.1, 0.4] });
add('chain', { scheds: [['MultiStepLR', { milestones: [6, 15] }], ['LinearLR', { startFactor: 0.5, endFactor: 1, totalIters: 10 }]] });
