// The learning-rate schedulers (optim.lrScheduler): each one's sequence of learning rates over 30 steps against
// PyTorch's documented formula written here in plain JS, ReduceLROnPlateau on scripted metrics, state-dict round
// trips that resume the same sequence, composition on one optimizer, and errors for bad options. (The parity
// suite scripts/parity/suites/sched.* checks the same schedulers against PyTorch 1.13 itself.)
import { describe, expect, it } from 'vitest';
import { optim, tensor, zeros, ArgumentError, ValueError } from '../../src/index.js';

const L = optim.lrScheduler;
type Sched = { step(): void };

const param = () => zeros([1], { requiresGrad: true });
const sgd = (lr = 0.1, opts: Partial<optim.SGDOptions> = {}) => new optim.SGD([param()], { lr, ...opts });
const lr0 = (opt: optim.Optimizer) => opt.paramGroups[0].lr as number;

/** The learning rate of group g after construction (epoch 0) and after each of n steps: n + 1 values. */
function run(opt: optim.Optimizer, sched: Sched, n = 30, g = 0): number[] {
  const out = [opt.paramGroups[g].lr as number];
  for (let k = 0; k < n; k++) {
    opt.step();
    sched.step();
    out.push(opt.paramGroups[g].lr as number);
  }
  return out;
}

/** Epochs 0..n. */
const epochs = (n = 30) => Array.from({ length: n + 1 }, (_, t) => t);

/** Largest |got − want| / max(|want|, scale): the sequences agree to float64 rounding when it is ~1e-15. */
function relErr(got: number[], want: number[], scale = 0): number {
  expect(got.length).toBe(want.length);
  return Math.max(...got.map((v, i) => Math.abs(v - want[i]) / Math.max(Math.abs(want[i]), scale, Number.MIN_VALUE)));
}

describe('each scheduler follows PyTorch’s formula over 30 steps', () => {
  it('StepLR: lr = base·γ^⌊t/stepSize⌋', () => {
    const opt = sgd(0.1);
    const got = run(opt, new L.StepLR(opt, { stepSize: 3 }));
    expect(relErr(got, epochs().map((t) => 0.1 * 0.1 ** Math.floor(t / 3)))).toBeLessThan(1e-12);
    const opt2 = sgd(0.5);
    const got2 = run(opt2, new L.StepLR(opt2, 7, 0.5)); // PyTorch's positional form
    expect(relErr(got2, epochs().map((t) => 0.5 * 0.5 ** Math.floor(t / 7)))).toBeLessThan(1e-12);
    expect(got2.slice(5, 9)).toEqual([0.5, 0.5, 0.25, 0.25]);
  });

  it('MultiStepLR: lr = base·γ^(number of milestones ≤ t), a repeated milestone counting twice', () => {
    const milestones = [10, 3, 10, 25];
    const opt = sgd(0.1);
    const got = run(opt, new L.MultiStepLR(opt, { milestones, gamma: 0.5 }));
    const want = epochs().map((t) => 0.1 * 0.5 ** milestones.filter((m) => m <= t).length);
    expect(relErr(got, want)).toBeLessThan(1e-12);
    expect([got[2], got[3], got[9], got[10], got[25]]).toEqual([0.1, 0.05, 0.05, 0.0125, 0.00625]);
  });

  it('ExponentialLR: lr = base·γ^t', () => {
    const opt = sgd(0.1);
    const got = run(opt, new L.ExponentialLR(opt, 0.9));
    expect(relErr(got, epochs().map((t) => 0.1 * 0.9 ** t))).toBeLessThan(1e-12);
  });

  it('CosineAnnealingLR: the closed form within TMax, PyTorch’s recurrence beyond (rising again), equal to the closed form', () => {
    const [base, etaMin, T] = [0.1, 0.01, 7];
    const opt = sgd(base);
    const got = run(opt, new L.CosineAnnealingLR(opt, { TMax: T, etaMin }));
    const closed = (t: number) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * t) / T))) / 2;
    expect(relErr(got.slice(0, T + 1), epochs(T).map(closed))).toBeLessThan(1e-12);
    expect(got[T]).toBeCloseTo(etaMin, 15);
    // PyTorch's recurrence, from the first value
    const rec = [base];
    for (let t = 1; t <= 30; t++) {
      const prev = rec[t - 1];
      rec.push((t - 1 - T) % (2 * T) === 0
        ? prev + ((base - etaMin) * (1 - Math.cos(Math.PI / T))) / 2
        : ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (prev - etaMin) + etaMin);
    }
    expect(relErr(got, rec)).toBeLessThan(1e-12);
    // three half periods: down to etaMin at 7 and 21, back up to base at 14 and 28
    expect(relErr(got, epochs().map(closed), base)).toBeLessThan(1e-12);
    expect(got[14]).toBeCloseTo(base, 14);
    expect(got[21]).toBeCloseTo(etaMin, 14);
  });

  it('LinearLR: lr = base·(start + (end − start)·min(t, n)/n), as a warm-up and as a decay', () => {
    for (const [start, end, n] of [[1 / 3, 1, 5], [0.25, 1, 8], [1, 0.1, 10], [0.5, 0, 30]]) {
      const opt = sgd(0.1);
      const sched = start === 1 / 3 ? new L.LinearLR(opt) : new L.LinearLR(opt, { startFactor: start, endFactor: end, totalIters: n });
      const got = run(opt, sched);
      const want = epochs().map((t) => 0.1 * (start + ((end - start) * Math.min(t, n)) / n));
      expect(relErr(got, want, 0.1)).toBeLessThan(1e-12);
    }
  });

  it('LambdaLR: lr = base·f(t), one function or one per group', () => {
    const opt = new optim.SGD([{ params: [param()], lr: 0.1 }, { params: [param()], lr: 0.02 }]);
    const warm = (t: number) => Math.min(1, (t + 1) / 5), stairs = (t: number) => Math.floor(t / 7) + 1;
    const sched = new L.LambdaLR(opt, [warm, stairs]);
    const both = epochs().map(() => [0, 0]);
    both[0] = [lr0(opt), opt.paramGroups[1].lr];
    for (let t = 1; t <= 30; t++) {
      sched.step();
      both[t] = [lr0(opt), opt.paramGroups[1].lr];
    }
    expect(relErr(both.map((r) => r[0]), epochs().map((t) => 0.1 * warm(t)))).toBeLessThan(1e-12);
    expect(relErr(both.map((r) => r[1]), epochs().map((t) => 0.02 * stairs(t)))).toBeLessThan(1e-12);
    const opt1 = sgd(0.1);
    expect(relErr(run(opt1, new L.LambdaLR(opt1, { lrLambda: (t) => 0.95 ** t })), epochs().map((t) => 0.1 * 0.95 ** t))).toBeLessThan(1e-12);
  });

  describe('OneCycleLR', () => {
    const cosAnneal = (a: number, b: number, p: number) => b + ((a - b) / 2) * (1 + Math.cos(Math.PI * p));
    const linAnneal = (a: number, b: number, p: number) => a + (b - a) * p;

    /** The documented phases: (end step, lr from → to, momentum from → to), each annealed from the previous end. */
    function oneCycle(t: number, o: { maxLr: number; N: number; pct?: number; div?: number; finalDiv?: number; three?: boolean; cos?: boolean; mMax?: number; mBase?: number }) {
      const { maxLr, N, pct = 0.3, div = 25, finalDiv = 1e4, three = false, cos = true, mMax = 0.95, mBase = 0.85 } = o;
      const initial = maxLr / div, min = initial / finalDiv;
      const phases: [number, number, number, number, number][] = three
        ? [[pct * N - 1, initial, maxLr, mMax, mBase], [2 * pct * N - 2, maxLr, initial, mBase, mMax], [N - 1, initial, min, mMax, mMax]]
        : [[pct * N - 1, initial, maxLr, mMax, mBase], [N - 1, maxLr, min, mBase, mMax]];
      const anneal = cos ? cosAnneal : linAnneal;
      let start = 0;
      for (const [k, [end, lrA, lrB, mA, mB]] of phases.entries()) {
        if (t <= end || k === phases.length - 1) {
          const p = (t - start) / (end - start);
          return [anneal(lrA, lrB, p), anneal(mA, mB, p)];
        }
        start = end;
      }
      throw new Error('unreachable');
    }

    function trace(opt: optim.Optimizer, sched: Sched, n = 30) {
      const mom = () => {
        const g = opt.paramGroups[0];
        return (g.betas ? (g.betas as number[])[0] : g.momentum) as number;
      };
      const lrs = [lr0(opt)], ms = [mom()];
      for (let k = 0; k < n; k++) {
        sched.step();
        lrs.push(lr0(opt));
        ms.push(mom());
      }
      return { lrs, ms };
    }

    it('two cosine phases: up from maxLr/25 to maxLr, down to maxLr/25/1e4; momentum the other way', () => {
      const opt = sgd(0.1, { momentum: 0.9 });
      const { lrs, ms } = trace(opt, new L.OneCycleLR(opt, { maxLr: 0.5, totalSteps: 30 }));
      const want = epochs().map((t) => oneCycle(t, { maxLr: 0.5, N: 30 }));
      expect(relErr(lrs, want.map((w) => w[0]))).toBeLessThan(1e-12);
      expect(relErr(ms, want.map((w) => w[1]))).toBeLessThan(1e-12);
      // cos annealing at pct 0 gives the start up to rounding (0.020000000000000018, as PyTorch)
      expect([lrs[0], ms[0], lrs[8], ms[8]]).toEqual([expect.closeTo(0.02, 15), expect.closeTo(0.95, 15), 0.5, expect.closeTo(0.85, 15)]);
      expect(lrs[29]).toBeCloseTo(0.5 / 25 / 1e4, 18);
    });

    it('linear annealing, three phases, other factors, epochs·stepsPerEpoch', () => {
      const configs = [
        [{ maxLr: 0.5, totalSteps: 30, annealStrategy: 'linear' as const }, { maxLr: 0.5, N: 30, cos: false }],
        [{ maxLr: 0.5, epochs: 6, stepsPerEpoch: 5, threePhase: true }, { maxLr: 0.5, N: 30, three: true }],
        [{ maxLr: 0.5, totalSteps: 30, threePhase: true, annealStrategy: 'linear' as const }, { maxLr: 0.5, N: 30, three: true, cos: false }],
        [{ maxLr: 1, totalSteps: 40, pctStart: 0.25, divFactor: 10, finalDivFactor: 100, baseMomentum: 0.8, maxMomentum: 0.9 },
          { maxLr: 1, N: 40, pct: 0.25, div: 10, finalDiv: 100, mBase: 0.8, mMax: 0.9 }],
      ] as const;
      for (const [opts, ref] of configs) {
        const opt = sgd(0.1, { momentum: 0.9 });
        const { lrs, ms } = trace(opt, new L.OneCycleLR(opt, opts));
        const want = epochs().map((t) => oneCycle(t, ref));
        expect(relErr(lrs, want.map((w) => w[0]))).toBeLessThan(1e-12);
        expect(relErr(ms, want.map((w) => w[1]))).toBeLessThan(1e-12);
      }
    });

    it('cycles Adam’s β₁ (keeping β₂ and the optimizer’s defaults), or nothing with cycleMomentum false', () => {
      const opt = new optim.Adam([param()], { lr: 0.1 });
      const { lrs, ms } = trace(opt, new L.OneCycleLR(opt, { maxLr: 0.01, totalSteps: 30 }));
      const want = epochs().map((t) => oneCycle(t, { maxLr: 0.01, N: 30 }));
      expect(relErr(lrs, want.map((w) => w[0]))).toBeLessThan(1e-12);
      expect(relErr(ms, want.map((w) => w[1]))).toBeLessThan(1e-12);
      expect((opt.paramGroups[0].betas as number[])[1]).toBe(0.999);
      expect(opt.defaults.betas).toEqual([0.9, 0.999]);
      const plain = sgd(0.1, { momentum: 0.9 });
      const r = trace(plain, new L.OneCycleLR(plain, { maxLr: 0.5, totalSteps: 30, cycleMomentum: false }));
      expect(r.ms.every((m) => m === 0.9)).toBe(true);
      expect(relErr(r.lrs, epochs().map((t) => oneCycle(t, { maxLr: 0.5, N: 30 })[0]))).toBeLessThan(1e-12);
    });

    it('per-group maxLr and momenta; refuses to step past totalSteps, leaving the schedule as it was', () => {
      const opt = new optim.SGD([{ params: [param()] }, { params: [param()] }], { lr: 0.1, momentum: 0.9 });
      const sched = new L.OneCycleLR(opt, { maxLr: [0.5, 0.1], totalSteps: 10, baseMomentum: [0.8, 0.85], maxMomentum: [0.9, 0.95] });
      expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([[expect.closeTo(0.02, 15), 0.9], [expect.closeTo(0.004, 15), 0.95]]);
      for (let k = 0; k < 10; k++) sched.step();
      const last = sched.getLastLr();
      expect(() => sched.step()).toThrow(/OneCycleLR.step: tried to step 12 times; the cycle has totalSteps = 10/);
      expect([sched.lastEpoch, sched.getLastLr()]).toEqual([10, last]);
    });
  });
});

describe('ReduceLROnPlateau on scripted metrics', () => {
  /** The lr after each step(metric). */
  function lrsOf(metrics: number[], opts: optim.lrScheduler.ReduceLROnPlateauOptions, lr = 0.1) {
    const opt = sgd(lr);
    const sched = new L.ReduceLROnPlateau(opt, opts);
    return metrics.map((m) => {
      sched.step(m);
      return lr0(opt);
    });
  }

  it('patience: reduces after more than `patience` epochs without improvement, then counts again', () => {
    // 1 is the best; three epochs without (rel. threshold 1e-4) improvement, the third > patience 2; 0.5 improves
    expect(lrsOf([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5], { patience: 2 })).toEqual([0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002, 0.0010000000000000002]);
    // the default patience 10: the 11th bad epoch reduces
    const got = lrsOf([1, ...Array(11).fill(2)], {});
    expect([got[10], got[11]]).toEqual([0.1, 0.010000000000000002]);
  });

  it('cooldown: bad epochs are not counted for `cooldown` epochs after a reduction', () => {
    expect(lrsOf([1, 1, 1, 1, 1, 1, 1, 1], { patience: 0, cooldown: 2, factor: 0.5 })).toEqual([0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125]);
  });

  it('threshold modes: rel needs best·(1 ∓ threshold), abs needs best ∓ threshold', () => {
    // best 10, threshold 0.1: 9.5 is not below 9 (rel) but is below 9.9 (abs)
    expect(lrsOf([10, 9.5], { patience: 0, threshold: 0.1, factor: 0.5 })).toEqual([0.1, 0.05]);
    expect(lrsOf([10, 9.5], { patience: 0, threshold: 0.1, thresholdMode: 'abs', factor: 0.5 })).toEqual([0.1, 0.1]);
    expect(lrsOf([10, 10.5], { mode: 'max', patience: 0, threshold: 0.1, factor: 0.5 })).toEqual([0.1, 0.05]);
    expect(lrsOf([10, 10.5], { mode: 'max', patience: 0, threshold: 0.1, thresholdMode: 'abs', factor: 0.5 })).toEqual([0.1, 0.1]);
    // the default threshold: an improvement of 5e-5 relative is none
    expect(lrsOf([1, 0.99995], { patience: 0, factor: 0.5 })).toEqual([0.1, 0.05]);
  });

  it('minLr bounds the reductions (per group too); reductions of eps or less are skipped; NaN is a bad epoch', () => {
    expect(lrsOf([1, 1, 1, 1], { patience: 0, factor: 0.5, minLr: 0.03 })).toEqual([0.1, 0.05, 0.03, 0.03]);
    const opt = new optim.SGD([{ params: [param()], lr: 0.1 }, { params: [param()], lr: 0.1 }]);
    const sched = new L.ReduceLROnPlateau(opt, { patience: 0, factor: 0.5, minLr: [0.06, 0] });
    for (const m of [1, 1, 1]) sched.step(m);
    expect(sched.getLastLr()).toEqual([0.06, 0.025]);
    expect(lrsOf([1, 1, 1], { patience: 0, factor: 0.5, eps: 1e-7 }, 3e-7)).toEqual([3e-7, 1.5e-7, 1.5e-7]);
    expect(lrsOf([1, NaN, 0.5], { patience: 0, factor: 0.5 })).toEqual([0.1, 0.05, 0.05]);
  });

  it('takes a one-element tensor, and the positional form ReduceLROnPlateau(opt, mode, factor, patience)', () => {
    const opt = sgd(1);
    const sched = new L.ReduceLROnPlateau(opt, 'max', 0.5, 0);
    sched.step(tensor([0.5]));
    sched.step(tensor(0.4));
    expect([sched.best, sched.getLastLr()]).toEqual([0.5, [0.5]]);
    expect(() => sched.step('1' as never)).toThrow(/ReduceLROnPlateau.step: metric must be a number or a one-element Tensor, got '1'/);
  });
});

describe('state dicts, composition and resuming', () => {
  const makers: [string, (opt: optim.SGD) => Sched & { stateDict(): Record<string, unknown>; loadStateDict(sd: Record<string, unknown>): void }][] = [
    ['StepLR', (o) => new L.StepLR(o, { stepSize: 4, gamma: 0.5 })],
    ['MultiStepLR', (o) => new L.MultiStepLR(o, { milestones: [5, 15, 20] })],
    ['ExponentialLR', (o) => new L.ExponentialLR(o, { gamma: 0.9 })],
    ['CosineAnnealingLR', (o) => new L.CosineAnnealingLR(o, { TMax: 8, etaMin: 0.001 })],
    ['LinearLR', (o) => new L.LinearLR(o, { startFactor: 0.1, totalIters: 15 })],
    ['LambdaLR', (o) => new L.LambdaLR(o, (t) => 1 / (t + 1))],
    ['OneCycleLR', (o) => new L.OneCycleLR(o, { maxLr: 0.5, totalSteps: 30, threePhase: true })],
  ];
  const metrics = [1, 0.9, 0.9, 0.95, 0.9, 0.91, 0.85, 0.86, 0.87, 0.88, 0.8, 0.8, 0.81, 0.82, 0.83, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.6, 0.61, 0.62, 0.63, 0.64, 0.65, 0.66, 0.67, 0.68];

  it.each(makers)('%s: stateDict after 12 steps, loaded into a fresh optimizer and scheduler, resumes the same sequence', (_name, make) => {
    const optA = sgd(0.1, { momentum: 0.9 });
    const full = run(optA, make(optA));
    const optB = sgd(0.1, { momentum: 0.9 });
    const schedB = make(optB);
    const first = run(optB, schedB, 12);
    const sd = structuredClone({ opt: optB.stateDict(), sched: schedB.stateDict() });
    const optC = sgd(0.1, { momentum: 0.9 });
    const schedC = make(optC);
    optC.loadStateDict(sd.opt);
    schedC.loadStateDict(sd.sched);
    const rest = run(optC, schedC, 18);
    expect([...first, ...rest.slice(1)]).toEqual(full);
    expect(optC.paramGroups[0].momentum).toBe(optA.paramGroups[0].momentum);
  });
  it('ReduceLROnPlateau: stateDict round trip resumes best, counters and cooldown', () => {
    const lrs = (opt: optim.SGD, s: optim.lrScheduler.ReduceLROnPlateau, ms: number[]) => ms.map((m) => (s.step(m), lr0(opt)));
    const optA = sgd(0.1);
    const full = lrs(optA, new L.ReduceLROnPlateau(optA, { patience: 2, cooldown: 2, factor: 0.5 }), metrics);
    const optB = sgd(0.1), sB = new L.ReduceLROnPlateau(optB, { patience: 2, cooldown: 2, factor: 0.5 });
    const first = lrs(optB, sB, metrics.slice(0, 13));
    const sd = structuredClone({ opt: optB.stateDict(), sched: sB.stateDict() });
    expect(sd.sched).toMatchObject({ best: 0.8, numBadEpochs: 1, cooldownCounter: 0, lastEpoch: 13, minLrs: [0] });
    const optC = sgd(0.1), sC = new L.ReduceLROnPlateau(optC, { patience: 2, cooldown: 2, factor: 0.5 });
    optC.loadStateDict(sd.opt);
    sC.loadStateDict(sd.sched);
    expect([...first, ...lrs(optC, sC, metrics.slice(13))]).toEqual(full);
  });

  it('holds the fields but the optimizer and functions, deep-copied', () => {
    const opt = sgd(0.1);
    const sched = new L.StepLR(opt, 3);
    sched.step();
    const sd = sched.stateDict();
    expect(sd).toEqual({ baseLrs: [0.1], lastEpoch: 1, stepCount: 2, lastLr: [0.1], stepSize: 3, gamma: 0.1 });
    (sd.baseLrs as number[])[0] = 5;
    expect(sched.baseLrs).toEqual([0.1]);
    expect(Object.keys(new L.LambdaLR(opt, () => 1).stateDict())).not.toContain('lrLambdas');
  });

  it('loadStateDict refuses another scheduler’s state, wrong kinds and other group counts', () => {
    const opt = sgd(0.1);
    const step = new L.StepLR(opt, 3);
    expect(() => step.loadStateDict(new L.ExponentialLR(sgd(), 0.5).stateDict())).toThrow(/StepLR.loadStateDict: not a state dict of a StepLR: missing keys stepSize$/);
    expect(() => step.loadStateDict({ ...step.stateDict(), gamma: '0.1' })).toThrow(/StepLR.loadStateDict: 'gamma' must be a number, got '0.1'/);
    expect(() => step.loadStateDict(null as never)).toThrow(/StepLR.loadStateDict: expected a state dict from stateDict\(\), got null/);
    expect(() => step.loadStateDict({ ...step.stateDict(), baseLrs: [0.1, 0.2] })).toThrow(/StepLR.loadStateDict: 'baseLrs' has 2 values, the optimizer has 1 parameter groups/);
    const plateau = new L.ReduceLROnPlateau(opt);
    expect(() => plateau.loadStateDict({ ...plateau.stateDict(), extra: 1 })).toThrow(/ReduceLROnPlateau.loadStateDict: not a state dict of a ReduceLROnPlateau: unexpected keys extra/);
  });

  it('a second scheduler on the same optimizer starts from the first one’s initial lr, and both compose', () => {
    const opt = sgd(0.1);
    const warm = new L.LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
    const decay = new L.ExponentialLR(opt, 0.9);
    expect(decay.baseLrs).toEqual([0.1]);
    const got = run(opt, { step: () => (warm.step(), decay.step()) });
    const want = epochs().map((t) => 0.1 * (0.1 + (0.9 * Math.min(t, 5)) / 5) * 0.9 ** t);
    expect(relErr(got, want)).toBeLessThan(1e-12);
  });

  it('resuming with lastEpoch continues the schedule (CosineAnnealingLR from its closed form)', () => {
    const optA = sgd(0.1);
    const full = run(optA, new L.CosineAnnealingLR(optA, 7));
    const optB = sgd(0.1);
    const first = run(optB, new L.CosineAnnealingLR(optB, 7), 16);
    const resumed = new L.CosineAnnealingLR(optB, { TMax: 7, lastEpoch: 16 });
    expect(resumed.lastEpoch).toBe(17);
    const rest = [lr0(optB), ...run(optB, resumed, 13).slice(1)];
    expect(relErr([...first, ...rest], full, 0.1)).toBeLessThan(1e-12);
    expect(() => new L.StepLR(sgd(), { stepSize: 2, lastEpoch: 3 })).toThrow(/StepLR: resuming with lastEpoch 3 needs the initial learning rate \(initialLr\) of parameter group 0/);
  });

  it("resumes PyTorch's way: optimizer.loadStateDict carries initialLr, then a scheduler with lastEpoch", () => {
    const optA = sgd(0.1);
    const full = run(optA, new L.StepLR(optA, { stepSize: 3, gamma: 0.5 }));
    const optB = sgd(0.1);
    const sched = new L.StepLR(optB, { stepSize: 3, gamma: 0.5 });
    const first = run(optB, sched, 10);
    const saved = optB.stateDict();
    expect(saved.paramGroups[0].initialLr).toBe(0.1);
    const optC = sgd(0.1);
    optC.loadStateDict(saved);
    // epochs 0..10 ran; a scheduler made with lastEpoch 10 steps itself to epoch 11 on construction
    const resumed = new L.StepLR(optC, { stepSize: 3, gamma: 0.5, lastEpoch: 10 });
    const rest = [lr0(optC), ...run(optC, resumed, 19).slice(1)];
    expect(relErr([...first, ...rest], full, 0.1)).toBeLessThan(1e-12);
  });

  it('getLastLr is a copy; a group added after the scheduler is refused at step', () => {
    const opt = sgd(0.1);
    const sched = new L.ExponentialLR(opt, 0.5);
    sched.getLastLr()[0] = 7;
    expect(sched.getLastLr()).toEqual([0.1]);
    opt.addParamGroup({ params: [param()] });
    expect(() => sched.step()).toThrow(/ExponentialLR.step: the optimizer has 2 parameter groups, the scheduler was made for 1/);
  });
});

describe('bad options are refused with the scheduler’s name', () => {
  const opt = () => sgd(0.1, { momentum: 0.9 });
  it.each([
    [() => new L.StepLR({} as never, 3), ArgumentError, /StepLR: expected an Optimizer, got an object/],
    [() => new L.StepLR(opt(), { stepSize: 0 }), RangeError, /StepLR: stepSize must be an integer ≥ 1, got 0/],
    [() => new L.StepLR(opt(), {} as never), TypeError, /StepLR: stepSize must be an integer, got undefined/],
    [() => new L.StepLR(opt(), { stepSize: 2, gama: 0.5 } as never), TypeError, /StepLR: unknown option 'gama' \(expected stepSize, gamma, lastEpoch\)/],
    [() => new L.StepLR(opt(), 2, NaN), RangeError, /StepLR: gamma must be finite, got NaN/],
    [() => new L.StepLR(opt(), 2, 0.1, -2), RangeError, /StepLR: lastEpoch must be an integer ≥ -1, got -2/],
    [() => Reflect.construct(L.StepLR, [opt(), 2, 0.1, -1, 5]), ArgumentError, /StepLR: expected at most 3 arguments after the optimizer/],
    [() => new L.MultiStepLR(opt(), { milestones: 3 as never }), ArgumentError, /MultiStepLR: milestones must be an array of epochs, got 3/],
    [() => new L.MultiStepLR(opt(), [2, 1.5]), RangeError, /MultiStepLR: milestones\[1\] must be an integer ≥ 0, got 1.5/],
    [() => new L.ExponentialLR(opt(), {} as never), TypeError, /ExponentialLR: gamma must be a number, got undefined/],
    [() => new L.CosineAnnealingLR(opt(), 0), RangeError, /CosineAnnealingLR: TMax must be an integer ≥ 1, got 0/],
    [() => new L.LinearLR(opt(), { startFactor: 0 }), RangeError, /LinearLR: startFactor must be in \(0, 1\], got 0/],
    [() => new L.LinearLR(opt(), { endFactor: 1.5 }), RangeError, /LinearLR: endFactor must be in \[0, 1\], got 1.5/],
    [() => new L.LinearLR(opt(), { totalIters: 0 }), RangeError, /LinearLR: totalIters must be an integer ≥ 1, got 0/],
    [() => new L.LambdaLR(opt(), 0.5 as never), ArgumentError, /LambdaLR: lrLambda must be a function of the epoch or an array of them, got 0.5/],
    [() => new L.LambdaLR(opt(), [() => 1, () => 1]), ValueError, /LambdaLR: expected 1 lrLambdas \(one per parameter group\), got 2/],
    [() => new L.LambdaLR(opt(), () => NaN), ValueError, /LambdaLR: lrLambda\(0\) for parameter group 0 returned NaN, expected a finite number/],
    [() => new L.OneCycleLR(opt(), { maxLr: 1 }), ArgumentError, /^OneCycleLR: missing the length of the cycle: give totalSteps, or epochs and stepsPerEpoch/],
    [() => new L.OneCycleLR(opt(), { maxLr: 1, epochs: 3 }), TypeError, /OneCycleLR: stepsPerEpoch must be an integer, got undefined/],
    [() => new L.OneCycleLR(opt(), { maxLr: 1, totalSteps: 2.5 }), RangeError, /OneCycleLR: totalSteps must be an integer ≥ 1, got 2.5/],
    [() => new L.OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, pctStart: 1.5 }), RangeError, /OneCycleLR: pctStart must be in \[0, 1\], got 1.5/],
    [() => new L.OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, annealStrategy: 'exp' as never }), RangeError, /OneCycleLR: annealStrategy must be 'cos' or 'linear', got 'exp'/],
    [() => new L.OneCycleLR(opt(), { maxLr: [1, 2], totalSteps: 10 }), ValueError, /OneCycleLR: expected 1 values of maxLr \(one per parameter group\), got 2/],
    [() => new L.OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, divFactor: 0 }), RangeError, /OneCycleLR: divFactor must be a finite number > 0, got 0/],
    [() => new L.OneCycleLR(new optim.Adagrad([param()]), { maxLr: 1, totalSteps: 10 }), ValueError, /OneCycleLR: cycleMomentum needs an optimizer with momentum or betas, Adagrad has neither; pass cycleMomentum: false/],
    [() => new L.OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, pctStart: 0.1 }), ValueError, /OneCycleLR.step: phase 1 of the cycle has no steps \(it starts and ends at step 0\); change pctStart or totalSteps/],
    [() => new L.ReduceLROnPlateau(opt(), { factor: 1 }), RangeError, /ReduceLROnPlateau: factor must be in \[0, 1\), got 1/],
    [() => new L.ReduceLROnPlateau(opt(), { mode: 'up' as never }), RangeError, /ReduceLROnPlateau: mode must be 'min' or 'max', got 'up'/],
    [() => new L.ReduceLROnPlateau(opt(), { thresholdMode: 'pct' as never }), RangeError, /ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got 'pct'/],
    [() => new L.ReduceLROnPlateau(opt(), { patience: -1 }), RangeError, /ReduceLROnPlateau: patience must be an integer ≥ 0, got -1/],
    [() => new L.ReduceLROnPlateau(opt(), { minLr: [0, 0] }), ValueError, /ReduceLROnPlateau: expected 1 values of minLr \(one per parameter group\), got 2/],
    [() => new L.ReduceLROnPlateau(opt(), { cooldonw: 1 } as never), TypeError, /ReduceLROnPlateau: unknown option 'cooldonw' \(expected mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps\)/],
  ])('%#', (make, type, message) => {
    expect(make).toThrow(type);
    expect(make).toThrow(message);
  });

  it('a refused option leaves the optimizer untouched', () => {
    const o = opt();
    expect(() => new L.OneCycleLR(o, { maxLr: 1, totalSteps: 10, divFactor: -1 })).toThrow(RangeError);
    expect([o.paramGroups[0].lr, o.paramGroups[0].momentum]).toEqual([0.1, 0.9]);
    // and a later scheduler still records lr 0.1 as the initial lr
    expect(new L.StepLR(o, 2).baseLrs).toEqual([0.1]);
  });
});
