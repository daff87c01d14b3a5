// fit and evaluate: training falls on a separable problem with the history's keys and lengths, EarlyStopping stops
// and restores the best weights bit-exactly, schedulers step once per epoch (OneCycleLR per batch) and
// ReduceLROnPlateau gets the monitored value, LBFGS trains through the closure, modes are put back, callbacks run
// in order, the same seeds give the same history, the progress output (lines, bar, silence), argument errors,
// and one short run per model family (MLP, CNN) whose loss falls.
import { describe, expect, it } from 'vitest';
import {
  F, Tensor, accuracy, createGenerator, data, evaluate, fit, forkRng, nn, noGrad, optim, rand, randn, tensor,
  type Batch, type Callback, type ProgressOutput,
} from '../../src/index.js';

const { StepLR, OneCycleLR, ReduceLROnPlateau } = optim.lrScheduler;

/** A linearly separable 2-class set: class 1 when x0 − 2·x1 > 0.1, points within 0.1 of the line dropped. */
function separable(n: number, seed: number): { x: Tensor; y: Tensor } {
  const g = createGenerator(seed);
  const pts: number[][] = [];
  while (pts.length < n) {
    const [a, b] = randn([2], { generator: g }).toArray() as number[];
    if (Math.abs(a - 2 * b) > 0.1) pts.push([a, b]);
  }
  return { x: tensor(pts), y: tensor(pts.map(([a, b]) => (a - 2 * b > 0 ? 1 : 0)), { dtype: 'int32' }) };
}

/** Batches of `size` rows, in order. */
function batches(x: Tensor, y: Tensor, size: number): [Tensor, Tensor][] {
  const out: [Tensor, Tensor][] = [];
  for (let i = 0; i < x.shape[0]; i += size) {
    const len = Math.min(size, x.shape[0] - i);
    out.push([x.narrow(0, i, len), y.narrow(0, i, len)]);
  }
  return out;
}

/** A model made from a seed, leaving the global generator alone. */
const seeded = <M>(make: () => M, seed = 0): M => forkRng(make, seed);
const bits = (t: Tensor) => Array.from(t.toTypedArray());
const stateBits = (m: nn.Module) => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, bits(t)]));

/** A writer that keeps what it is given. */
function collector(isTTY = false): ProgressOutput & { text: string[] } {
  const text: string[] = [];
  return { text, isTTY, write: (s: string) => text.push(s) };
}

const train = separable(128, 1);
const valSet = separable(64, 2);
const trainBatches = batches(train.x, train.y, 32);
const valBatches = batches(valSet.x, valSet.y, 64);

describe('fit on a separable problem', () => {
  it('the loss falls, accuracy reaches 0.95, and the history has one entry per epoch under each key', () => {
    const model = seeded(() => new nn.Linear(2, 2));
    const opt = new optim.SGD(model.parameters(), { lr: 0.5 });
    const h = fit(model, { train: trainBatches, val: valBatches, loss: F.crossEntropy, optimizer: opt, epochs: 8, metrics: ['accuracy'], verbose: 0 });
    expect(Object.keys(h)).toEqual(['epoch', 'loss', 'accuracy', 'valLoss', 'valAccuracy', 'lr', 'time']);
    for (const v of Object.values(h)) expect(v).toHaveLength(8);
    expect(h.epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(h.lr).toEqual(Array(8).fill(0.5));
    expect(h.loss[7]).toBeLessThan(h.loss[0] / 2);
    expect(h.accuracy[7]).toBeGreaterThanOrEqual(0.95);
    expect(h.valAccuracy![7]).toBeGreaterThanOrEqual(0.95);
    for (const t of h.time) expect(t).toBeGreaterThan(0);
    // the validation figures are evaluate's on the final weights
    const r = evaluate(model, valBatches, { loss: F.crossEntropy, metrics: ['accuracy'] });
    expect(r.loss).toBe(h.valLoss![7]);
    expect(r.accuracy).toBe(h.valAccuracy![7]);
  });

  it('the epoch loss is the sample-weighted mean of the batch losses before each step', () => {
    const model = seeded(() => new nn.Linear(2, 2));
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const data = batches(train.x.narrow(0, 0, 50), train.y.narrow(0, 0, 50), 32);   // sizes 32 and 18
    const seen: number[] = [];
    // the loss of each batch, computed by hand with the weights it was trained from
    const probe: Callback = { onBatchEnd: (_b, logs) => seen.push(logs.loss, logs.size) };
    const before = noGrad(() => F.crossEntropy(model.forward(data[0][0]), data[0][1]).item());
    const h = fit(model, { train: data, loss: F.crossEntropy, optimizer: opt, callbacks: [probe], verbose: 0 });
    expect(seen[0]).toBe(before);
    expect([seen[1], seen[3]]).toEqual([32, 18]);
    expect(h.loss[0]).toBeCloseTo((seen[0] * 32 + seen[2] * 18) / 50, 12);
  });

  it('takes an nn loss module, metrics as functions or an object, models with several inputs, and any re-iterable', () => {
    class Two extends nn.Module {
      a = new nn.Linear(1, 2);
      b = new nn.Linear(1, 2, { bias: false });
      forward(u: Tensor, v: Tensor) { return this.a.forward(u).add(this.b.forward(v)); }
    }
    const model = seeded(() => new Two());
    const two = trainBatches.map(([x, y]) => [x.narrow(1, 0, 1), x.narrow(1, 1, 1), y] as const);
    const iterable = { *[Symbol.iterator]() { yield* two; } };   // no length: the progress shows no total
    const correct = (o: Tensor, t: Tensor) => o.argmax(1).eq(t).sum();
    const h = fit(model, {
      train: iterable, val: two, loss: new nn.CrossEntropyLoss(), optimizer: new optim.Adam(model.parameters(), { lr: 0.05 }),
      epochs: 3, metrics: { acc: 'accuracy', correct }, verbose: 0,
    });
    expect(Object.keys(h)).toEqual(['epoch', 'loss', 'acc', 'correct', 'valLoss', 'valAcc', 'valCorrect', 'lr', 'time']);
    // correct counts per batch, averaged over samples weighted by batch size: 32·accuracy on 32-row batches
    expect(h.correct[2]).toBeCloseTo(32 * h.acc[2], 10);
    const named = fit(model, { train: two, loss: F.crossEntropy, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), metrics: [accuracy, correct], verbose: 0 });
    expect(Object.keys(named)).toEqual(['epoch', 'loss', 'accuracy', 'correct', 'lr', 'time']);
  });
});

it('takes a data.DataLoader: a shuffled epoch per pass, the same seed giving the same history', () => {
  const run = () => {
    const loader = new data.DataLoader(new data.TensorDataset(train.x, train.y), { batchSize: 24, shuffle: true, seed: 3 });
    const model = seeded(() => new nn.Linear(2, 2));
    const steps: (number | null)[] = [];
    const h = fit(model, {
      train: loader, loss: F.crossEntropy, optimizer: new optim.SGD(model.parameters(), { lr: 0.5 }), epochs: 3,
      metrics: ['accuracy'], callbacks: [{ onTrainBegin: (info) => void steps.push(info.steps) }], verbose: 0,
    });
    return { loss: h.loss, accuracy: h.accuracy, steps };
  };
  const a = run();
  expect(a.steps).toEqual([6]);   // ⌈128 / 24⌉ batches
  expect(a.loss[2]).toBeLessThan(a.loss[0]);
  expect(run()).toEqual(a);
});

describe('EarlyStopping', () => {
  it('stops early and leaves the model bit-exactly at the weights of its best epoch', () => {
    // from zero weights, the model turns towards the training line x0 = 2·x1; validation labels come from another
    // line (x0 = 0), which it matches better and better at first, then more and more confidently wrongly
    const model = new nn.Linear(2, 2);
    noGrad(() => { model.weight.zero_(); model.bias!.zero_(); });
    const skew = separable(64, 4);
    const skewY = skew.x.narrow(1, 0, 1).squeeze(1).gt(0).to('int32');
    const snapshots: Record<string, number[]>[] = [];
    const snap: Callback = { onEpochEnd: () => void snapshots.push(stateBits(model)) };
    const stopper = new optim.EarlyStopping({ patience: 2, restoreBestWeights: true });
    const h = fit(model, {
      train: trainBatches, val: [[skew.x, skewY]], loss: F.crossEntropy, optimizer: new optim.SGD(model.parameters(), { lr: 0.05 }),
      epochs: 30, callbacks: [snap, stopper], verbose: 0,
    });
    const n = h.loss.length;
    expect(n).toBeLessThan(30);
    expect(stopper.stoppedEpoch).toBe(n - 1);
    const best = h.valLoss!.indexOf(Math.min(...h.valLoss!));
    expect(stopper.bestEpoch).toBe(best);
    expect(best).toBeLessThanOrEqual(n - 3);
    expect(stateBits(model)).toEqual(snapshots[best]);
    expect(stateBits(model)).not.toEqual(snapshots[n - 1]);
  });

  it('monitors another log with the monitor option, and restores the best weights when training runs to the end', () => {
    const model = seeded(() => new nn.Linear(2, 2));
    const snapshots: Record<string, number[]>[] = [];
    const stopper = new optim.EarlyStopping({ patience: 100, mode: 'max', restoreBestWeights: true });
    const seen: number[] = [];
    const spy: Callback = { onEpochEnd: (_e, logs) => { snapshots.push(stateBits(model)); seen.push(logs.valAccuracy); } };
    const h = fit(model, {
      train: trainBatches, val: valBatches, loss: F.crossEntropy, optimizer: new optim.SGD(model.parameters(), { lr: 0.5 }),
      epochs: 4, metrics: ['accuracy'], monitor: 'valAccuracy', callbacks: [spy, stopper], verbose: 0,
    });
    expect(h.loss).toHaveLength(4);
    expect(stopper.bestScore).toBe(Math.max(...seen));
    expect(stateBits(model)).toEqual(snapshots[stopper.bestEpoch!]);
  });
});

describe('schedulers', () => {
  it('an epoch scheduler steps once per epoch: the lr history', () => {
    const model = seeded(() => new nn.Linear(2, 2));
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const sched = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    const h = fit(model, { train: trainBatches, loss: F.crossEntropy, optimizer: opt, scheduler: sched, epochs: 4, verbose: 0 });
    expect(h.lr).toEqual([0.1, 0.05, 0.025, 0.0125]);
    expect(opt.paramGroups[0].lr).toBe(0.00625);
    expect(sched.lastEpoch).toBe(4);
  });

  it('OneCycleLR steps after every batch (or per epoch with schedulerInterval)', () => {
    const model = seeded(() => new nn.Linear(2, 2));
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const sched = new OneCycleLR(opt, { maxLr: 1, totalSteps: 3 * trainBatches.length });
    const h = fit(model, { train: trainBatches, loss: F.crossEntropy, optimizer: opt, scheduler: sched, epochs: 3, verbose: 0 });
    expect(sched.lastEpoch).toBe(12);
    expect(h.lr[0]).toBeCloseTo(0.04, 12);
    const perEpoch = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    fit(model, { train: trainBatches, loss: F.crossEntropy, optimizer: opt, scheduler: perEpoch, schedulerInterval: 'batch', verbose: 0 });
    expect(perEpoch.lastEpoch).toBe(4);
  });

  it('ReduceLROnPlateau gets the monitored value: valLoss, loss without validation, or the monitor option', () => {
    const run = (opts: { val?: Batch[]; monitor?: string }) => {
      const model = seeded(() => new nn.Linear(2, 2));
      const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
      const sched = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
      const seen: number[] = [];
      const step = sched.step.bind(sched);
      sched.step = (m) => { seen.push(m as number); step(m); };
      const h = fit(model, { train: trainBatches, loss: F.crossEntropy, optimizer: opt, scheduler: [sched], epochs: 3, metrics: ['accuracy'], verbose: 0, ...opts });
      return { h, seen };
    };
    const withVal = run({ val: valBatches });
    expect(withVal.seen).toEqual(withVal.h.valLoss);
    const without = run({});
    expect(without.seen).toEqual(without.h.loss);
    const acc = run({ val: valBatches, monitor: 'valAccuracy' });
    expect(acc.seen).toEqual(acc.h.valAccuracy);
  });
});

it('LBFGS trains through fit (its step evaluates the closure many times)', () => {
  const g = createGenerator(7);
  const x = randn([40, 3], { generator: g });
  const y = x.matmul(tensor([[1.5], [-2], [0.5]])).add(0.25);
  const model = seeded(() => new nn.Linear(3, 1));
  const opt = new optim.LBFGS(model.parameters(), { lineSearchFn: 'strongWolfe' });
  let calls = 0;
  const loss = (o: Tensor, t: Tensor) => { calls++; return F.mseLoss(o, t); };
  const h = fit(model, { train: [[x, y]], loss, optimizer: opt, epochs: 3, verbose: 0 });
  expect(calls).toBeGreaterThan(3);
  expect(h.loss[1]).toBeLessThan(1e-3 * h.loss[0]);
  expect(bits(model.weight).map((v) => Math.round(v * 1e3) / 1e3)).toEqual([1.5, -2, 0.5]);
});

describe('train and eval modes', () => {
  const net = () => seeded(() => new nn.Sequential(new nn.Linear(2, 8), new nn.Dropout(0.5), new nn.Linear(8, 2)));

  it('evaluate runs in eval mode under noGrad and puts every module\'s mode back', () => {
    const model = net();
    const [x, y] = valBatches[0];
    const expected = noGrad(() => F.crossEntropy(model.eval().forward(x), y).item());
    model.train();
    (model.get(1) as nn.Module).eval();   // a mixed state survives
    const r = evaluate(model, valBatches, { loss: F.crossEntropy });
    expect(r.loss).toBe(expected);   // no dropout: eval mode
    expect(model.modules().map((m) => m.training)).toEqual([true, true, false, true]);
    model.eval();
    evaluate(model, valBatches, { metrics: ['accuracy'] });
    expect(model.training).toBe(false);
  });

  it('fit trains in train mode, validates in eval mode, and puts the modes back', () => {
    const model = net();
    const modes: boolean[] = [];
    const spy = (o: Tensor, t: Tensor) => { modes.push(model.get(1).training); return F.crossEntropy(o, t); };
    model.eval();
    fit(model, { train: trainBatches.slice(0, 2), val: valBatches, loss: spy, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), verbose: 0 });
    expect(modes).toEqual([true, true, false]);
    expect(model.modules().every((m) => !m.training)).toBe(true);
  });
});

it('callbacks: hooks in order, every callback sees the epoch that stops training', () => {
  const events: string[] = [];
  const recorder = (name: string, stopAt = -1): Callback => ({
    onTrainBegin: (info) => events.push(`${name} begin ${info.epochs} ${info.steps}`),
    onEpochBegin: (e) => events.push(`${name} epoch ${e}`),
    onBatchEnd: (b, logs) => events.push(`${name} batch ${b} ${Object.keys(logs).join(',')}`),
    onEpochEnd: (e, logs) => { events.push(`${name} end ${e} ${Object.keys(logs).join(',')}`); return e === stopAt; },
    onTrainEnd: (h) => events.push(`${name} done ${h.loss.length}`),
  });
  const model = seeded(() => new nn.Linear(2, 2));
  fit(model, {
    train: trainBatches.slice(0, 2), val: valBatches, loss: F.crossEntropy, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }),
    epochs: 5, metrics: ['accuracy'], callbacks: [recorder('a', 1), recorder('b')], verbose: 0,
  });
  const epoch = (e: number) => [
    `a epoch ${e}`, `b epoch ${e}`,
    'a batch 0 size,loss,accuracy', 'b batch 0 size,loss,accuracy', 'a batch 1 size,loss,accuracy', 'b batch 1 size,loss,accuracy',
    `a end ${e} loss,accuracy,valLoss,valAccuracy,lr,time`, `b end ${e} loss,accuracy,valLoss,valAccuracy,lr,time`,
  ];
  expect(events).toEqual(['a begin 5 2', 'b begin 5 2', ...epoch(0), ...epoch(1), 'a done 2', 'b done 2']);
});

it('determinism: the same seeds give the same history and weights, and the global generator is left alone', () => {
  const run = () => {
    const model = seeded(() => new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Dropout(0.3), new nn.Linear(16, 2)), 11);
    const h = fit(model, {
      train: trainBatches, val: valBatches, loss: F.crossEntropy, optimizer: new optim.Adam(model.parameters(), { lr: 0.01 }),
      epochs: 3, metrics: ['accuracy'], verbose: 0, seed: 5,
    });
    const { time: _t, ...rest } = h;
    return { rest, weights: stateBits(model) };
  };
  const probe = forkRng(() => rand([3]).toArray(), 99);
  const a = run();
  const b = run();
  expect(a.rest).toEqual(b.rest);
  expect(a.weights).toEqual(b.weights);
  // fit with a seed draws from its own copy: the global generator continues as if fit had not run
  forkRng(() => {
    const model = seeded(() => new nn.Sequential(new nn.Linear(2, 8), new nn.Dropout(0.5), new nn.Linear(8, 2)));
    fit(model, { train: trainBatches, loss: F.crossEntropy, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), verbose: 0, seed: 1 });
    expect(rand([3]).toArray()).toEqual(probe);
  }, 99);
});

describe('progress output', () => {
  const run = (output: ProgressOutput, verbose?: 0 | 1 | 'auto', epochs = 2) => {
    const model = seeded(() => new nn.Linear(2, 2));
    return fit(model, {
      train: trainBatches, val: valBatches, loss: F.crossEntropy, optimizer: new optim.SGD(model.parameters(), { lr: 0.5 }),
      epochs, metrics: ['accuracy'], output, ...(verbose === undefined ? {} : { verbose }),
    });
  };

  it('not on a terminal: one line per epoch with the logs and the time', () => {
    const out = collector();
    const h = run(out);
    expect(out.text).toHaveLength(2);
    const f = (v: number) => v.toFixed(4);
    out.text.forEach((line, e) => {
      expect(line).toBe(`epoch ${e + 1}/2  loss ${f(h.loss[e])}  accuracy ${f(h.accuracy[e])}  val_loss ${f(h.valLoss![e])}  val_accuracy ${f(h.valAccuracy![e])}  ${h.time[e].toFixed(1)} s\n`);
    });
    const auto = collector();
    run(auto, 'auto');
    expect(auto.text.map((l) => l.replace(/ [\d.]+ s\n$/, ''))).toEqual(out.text.map((l) => l.replace(/ [\d.]+ s\n$/, '')));
  });

  it('on a terminal: a bar per epoch, redrawn, then the line of the epoch with the bar, the rate, the logs and the time', () => {
    const out = collector(true);
    const h = run(out, 1, 3);
    const text = out.text.join('');
    // what is left on each line after the cursor codes: the bar's last drawing
    const finals = text.split('\n').slice(0, -1).map((l) => l.split(/\x1b\[[?0-9;]*[A-Za-z]|\x1b[78]|\r/).filter((s) => s !== '').at(-1));
    expect(finals).toHaveLength(3);
    const f = (v: number) => v.toFixed(4);
    finals.forEach((l, e) => {
      const logs = `loss ${f(h.loss[e])}  accuracy ${f(h.accuracy[e])}  val_loss ${f(h.valLoss![e])}  val_accuracy ${f(h.valAccuracy![e])}  ${h.time[e].toFixed(1)} s`;
      expect(l!.replace(/  [\d.]+ (batch\/s|s\/batch)  /, '  RATE  ')).toBe(`epoch ${e + 1}/3  [${'='.repeat(20)}] 4/4  RATE  ${logs}`);
    });
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('0/4');   // the bar starts empty
  });

  it('on a terminal, a slow batch is drawn with its count, rate, ETA and running logs', () => {
    const out = collector(true);
    const model = seeded(() => new nn.Linear(2, 2));
    let calls = 0;
    const slow = (o: Tensor, t: Tensor) => {
      if (calls++ === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);   // past the redraw throttle
      return F.crossEntropy(o, t);
    };
    fit(model, { train: trainBatches, loss: slow, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), output: out });
    expect(out.text.join('')).toMatch(/epoch 1\/1  \[={5}\.{15}\] 1\/4  [\d.]+ batch\/s  ETA \d+s  loss \d\.\d{4}/);
  });

  it('on a terminal, without a length: the first epoch counts batches, later ones show the total', () => {
    const out = collector(true);
    const model = seeded(() => new nn.Linear(2, 2));
    const iterable = { *[Symbol.iterator]() { yield* trainBatches; } };
    fit(model, { train: iterable, loss: F.crossEntropy, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), epochs: 2, output: out });
    const text = out.text.join('');
    expect(text).toMatch(/epoch 1\/2  0 batches/);
    expect(text).toMatch(/epoch 1\/2  \[={20}\] 4\/4  [\d.]+ batch\/s  loss [\d.]+  [\d.]+ s\n/);
    expect(text).toMatch(/epoch 2\/2  \[\.{20}\] 0\/4/);
  });

  it('verbose 0 prints nothing', () => {
    const out = collector();
    run(out, 0);
    const tty = collector(true);
    run(tty, 0);
    expect([...out.text, ...tty.text]).toEqual([]);
  });
});

describe('argument errors name fit or evaluate', () => {
  const model = new nn.Linear(2, 2);
  const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
  const base = { train: trainBatches, loss: F.crossEntropy, optimizer: opt, verbose: 0 as const };

  it.each([
    ['an unknown option', { ...base, epoch: 3 }, /fit: unknown option 'epoch'/],
    ['no train', { loss: F.crossEntropy, optimizer: opt }, /fit: the option train .* is required/],
    ['a one-shot iterator', { ...base, train: (function* () { yield* trainBatches; })() }, /fit: train is a one-shot iterator/],
    ['a Tensor as train', { ...base, train: train.x }, /fit: train must be an iterable of \[input, target\] batches .* got a Tensor/],
    ['no loss', { train: trainBatches, optimizer: opt }, /fit: the option loss is required/],
    ['a bad loss', { ...base, loss: 'mse' }, /fit: loss must be a function/],
    ['a bad optimizer', { ...base, optimizer: {} }, /fit: optimizer must be an optim.Optimizer/],
    ['negative epochs', { ...base, epochs: -1 }, /fit: epochs must be an integer ≥ 0, got -1/],
    ['an unknown metric', { ...base, metrics: ['acc'] }, /fit: unknown metric 'acc'/],
    ['an anonymous metric', { ...base, metrics: [(o: Tensor) => o.sum()] }, /anonymous function/],
    ['a reserved metric name', { ...base, metrics: { loss: 'accuracy' } }, /cannot be named 'loss'/],
    ['a monitor not in the logs', { ...base, monitor: 'valLoss' }, /fit: monitor must be 'loss', got 'valLoss'/],
    ['a bad callback', { ...base, callbacks: [{ onEpochEnd: 1 }] }, /fit: callback 0's onEpochEnd must be a function/],
    ['a callback without hooks', { ...base, callbacks: [{}] }, /fit: callback 0 has none of the hooks/],
    ['a scheduler of another optimizer', { ...base, scheduler: new StepLR(new optim.SGD(new nn.Linear(1, 1).parameters(), { lr: 1 }), { stepSize: 1 }) }, /drives another optimizer/],
    ['ReduceLROnPlateau per batch', { ...base, scheduler: new ReduceLROnPlateau(opt), schedulerInterval: 'batch' }, /does not apply/],
    ['a bad verbose', { ...base, verbose: 2 }, /fit: verbose must be 0, 1 or 'auto', got 2/],
    ['a bad output', { ...base, verbose: 1, output: {} }, /output must have a write/],
    ['a bad seed', { ...base, seed: {} }, /fit: seed must be a number or a string/],
  ])('%s', (_name, opts, message) => {
    expect(() => fit(model, opts as never)).toThrow(message);
  });

  it('bad batches, losses and metric values are refused with the batch', () => {
    expect(() => fit(model, { ...base, train: [train.x] as never })).toThrow(/fit: each batch of train must be an array \[input, target\], got a Tensor \(batch 0\)/);
    expect(() => fit(model, { ...base, train: [[train.x]] })).toThrow(/got an array of length 1 \(batch 0\)/);
    expect(() => fit(model, { ...base, train: [[train.x, [1, 0]]] })).toThrow(/the target \(the last element\) of batch 0 of train must be a Tensor, got an array/);
    expect(() => fit(model, { ...base, train: [] })).toThrow(/^fit: train gave no batches in epoch 1, expected at least one$/);
    expect(() => fit(model, { ...base, loss: (o: Tensor, t: Tensor) => F.crossEntropy(o, t, { reduction: 'none' }) })).toThrow(/one-element Tensor .* got shape \[32\]/);
    expect(() => fit(model, { ...base, metrics: { bad: (o: Tensor) => o } })).toThrow(/metric 'bad' must return a number or a one-element Tensor, got a Tensor of shape \[32, 2\]/);
    expect(() => fit('model' as never, base)).toThrow(/fit: expected the model to be an nn.Module, got 'model'/);
  });

  it('evaluate', () => {
    expect(() => evaluate(model, valBatches, {})).toThrow(/evaluate: nothing to compute/);
    expect(() => evaluate(model, [], { loss: F.crossEntropy })).toThrow(/evaluate: data gave no batches/);
    expect(() => evaluate(model, 3 as never, { loss: F.crossEntropy })).toThrow(/evaluate: data must be an iterable/);
    expect(() => evaluate(model, valBatches, { lr: 1 } as never)).toThrow(/evaluate: unknown option 'lr'/);
    // a one-shot iterator is fine for a single pass
    expect(evaluate(model, (function* () { yield* valBatches; })(), { metrics: ['accuracy'] }).accuracy).toBeGreaterThanOrEqual(0);
  });
});

describe('one short run per model family: the loss falls', () => {
  it('an MLP on a nonlinear problem (XOR of the signs)', () => {
    const g = createGenerator(21);
    const x = rand([128, 2], { generator: g }).mul(2).sub(1);
    const y = x.narrow(1, 0, 1).mul(x.narrow(1, 1, 1)).squeeze(1).gt(0).to('int32');
    const model = seeded(() => new nn.Sequential(new nn.Linear(2, 32), new nn.Tanh(), new nn.Linear(32, 2)), 21);
    const h = fit(model, {
      train: batches(x, y, 16), loss: F.crossEntropy, optimizer: new optim.Adam(model.parameters(), { lr: 0.03 }),
      epochs: 15, metrics: ['accuracy'], verbose: 0, seed: 0,
    });
    expect(h.loss[14]).toBeLessThan(0.5 * h.loss[0]);
    expect(h.accuracy[14]).toBeGreaterThanOrEqual(0.9);
  });

  it('a small CNN on synthetic 8×8 images (a bar on the left or on the right)', () => {
    const g = createGenerator(31);
    const n = 32;
    const y = tensor(Array.from({ length: n }, (_, i) => i % 2), { dtype: 'int32' });
    const img = Array.from({ length: n }, (_, i) => Array.from({ length: 8 }, () => Array.from({ length: 8 }, (_c, c) => ((i % 2 === 0) === c < 4 ? 1 : 0))));
    const x = tensor(img).unsqueeze(1).add(randn([n, 1, 8, 8], { generator: g }).mul(0.3));
    const model = seeded(() => new nn.Sequential(
      new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(4 * 4 * 4, 2),
    ), 31);
    const h = fit(model, {
      train: batches(x, y, 8), loss: F.crossEntropy, optimizer: new optim.Adam(model.parameters(), { lr: 0.02 }),
      epochs: 6, metrics: ['accuracy'], verbose: 0,
    });
    expect(h.loss[5]).toBeLessThan(0.5 * h.loss[0]);
    expect(h.accuracy[5]).toBe(1);
  });
});
