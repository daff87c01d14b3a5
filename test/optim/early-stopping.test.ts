// EarlyStopping: Keras' rule (patience counts epochs in a row without an improvement of more than minDelta; the
// first epoch never stops), absolute and relative minDelta, modes min and max, and restoring the best weights
// bit-exactly (parameters and buffers).
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, noGrad, optim, randn, tensor, type Tensor } from '../../src/index.js';

/** What step() returns for each metric, and the counter after it. */
function script(metrics: number[], opts: optim.EarlyStoppingOptions) {
  const s = new optim.EarlyStopping(opts);
  const stops = metrics.map((m) => s.step(m));
  return { s, stops };
}

describe('patience', () => {
  it('stops at the patience-th epoch in a row without improvement', () => {
    const { s, stops } = script([5, 4, 4, 4, 4], { patience: 3 });
    expect(stops).toEqual([false, false, false, false, true]);
    expect([s.bestScore, s.bestEpoch, s.counter, s.stoppedEpoch, s.epochs]).toEqual([4, 1, 3, 4, 5]);
  });

  it('an improvement clears the counter', () => {
    const { s, stops } = script([5, 4, 4.5, 4.2, 3, 4, 4, 4], { patience: 3 });
    expect(stops).toEqual([false, false, false, false, false, false, false, true]);
    expect([s.bestScore, s.bestEpoch, s.stoppedEpoch]).toEqual([3, 4, 7]);
  });

  it('the default patience is 5; patience 0 stops at the first epoch without improvement; once stopped it stays so', () => {
    const five = script([1, 2, 2, 2, 2, 2], {});
    expect(five.stops).toEqual([false, false, false, false, false, true]);
    const zero = script([1, 0.5, 0.7, 0.1], { patience: 0 });
    expect(zero.stops).toEqual([false, false, true, true]);
    expect([zero.s.bestScore, zero.s.stoppedEpoch, zero.s.shouldStop]).toEqual([0.1, 2, true]);
  });

  it('NaN is never an improvement, and the first epoch never stops', () => {
    const { s, stops } = script([NaN, NaN, 1, NaN], { patience: 0 });
    expect(stops).toEqual([false, true, true, true]);
    expect([s.bestScore, s.bestEpoch, s.stoppedEpoch]).toEqual([1, 2, 1]);
    expect(script([NaN], { patience: 0 }).s.bestEpoch).toBe(null);
  });

  it('takes one-element tensors', () => {
    const s = new optim.EarlyStopping({ patience: 1 });
    expect([s.step(tensor(2)), s.step(tensor([3]))]).toEqual([false, true]);
    expect(() => s.step(tensor([1, 2]))).toThrow(/item: a tensor with 2 elements/);
    expect(() => s.step('1' as never)).toThrow(/EarlyStopping.step: metric must be a number or a one-element Tensor, got '1'/);
  });
});

describe('minDelta and mode', () => {
  it('abs (min): an improvement must satisfy metric + minDelta < best', () => {
    const { s, stops } = script([1, 0.95, 0.89, 0.85], { patience: 2, minDelta: 0.1 });
    // 0.95 and 0.85 are not 0.1 below the best (1, then 0.89): counted, but not in a row
    expect(stops).toEqual([false, false, false, false]);
    expect([s.bestScore, s.bestEpoch, s.counter]).toEqual([0.89, 2, 1]);
  });

  it('rel (min): an improvement must beat best·(1 − minDelta)', () => {
    expect(script([10, 9.5, 8.9], { minDelta: 0.1, deltaMode: 'rel' }).s.bestScore).toBe(8.9);
    expect(script([10, 9.5, 9.2], { minDelta: 0.1, deltaMode: 'rel' }).s.bestScore).toBe(10);
    expect(script([10, 9.5, 9.2], { minDelta: 0.1 }).s.bestScore).toBe(9.2); // abs 0.1: both improve
  });

  it('max: larger is better, abs and rel; rel scales by |best| so that negative metrics work too', () => {
    const { s, stops } = script([0.5, 0.6, 0.55, 0.6], { mode: 'max', patience: 2 });
    expect(stops).toEqual([false, false, false, true]);
    expect([s.bestScore, s.bestEpoch]).toEqual([0.6, 1]);
    expect(script([0.5, 0.55, 0.65], { mode: 'max', minDelta: 0.1 }).s.bestScore).toBe(0.65);
    expect(script([0.5, 0.54, 0.56], { mode: 'max', minDelta: 0.1, deltaMode: 'rel' }).s.bestScore).toBe(0.56); // 0.54 ≤ 0.5·1.1 < 0.56
    // best −10, rel 0.1: an improvement must exceed −9 (not −11)
    expect(script([-10, -9.5, -8.9], { mode: 'max', minDelta: 0.1, deltaMode: 'rel' }).s.bestEpoch).toBe(2);
    expect(script([-10, -9.5], { mode: 'max', minDelta: 0.1, deltaMode: 'rel' }).s.bestEpoch).toBe(0);
  });

  it('the first finite metric improves on ±∞ whatever minDelta', () => {
    expect(script([1e300], { minDelta: 0.5, deltaMode: 'rel' }).s.bestScore).toBe(1e300);
    expect(script([-1e300], { mode: 'max', minDelta: 2, deltaMode: 'rel' }).s.bestScore).toBe(-1e300);
  });
});

describe('restoreBestWeights', () => {
  const bits = (m: nn.Module) => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.toTypedArray())]));

  it('trains, stops, and leaves the model bit-exactly at its best epoch (parameters and buffers)', () => {
    manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4), new nn.Linear(4, 1));
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const x = randn([8, 3]), y = randn([8, 1]);
    const stopper = new optim.EarlyStopping({ patience: 2, restoreBestWeights: true });
    const valLosses = [1, 0.7, 0.8, 0.6, 0.65, 0.61, 0.5];
    const seen: Record<string, number[]>[] = [];
    let stoppedAt = -1;
    for (const [epoch, loss] of valLosses.entries()) {
      opt.zeroGrad();
      (model.forward(x) as Tensor).sub(y).pow(2).mean().backward();
      opt.step();
      seen.push(bits(model));
      if (stopper.step(loss, model)) {
        stoppedAt = epoch;
        break;
      }
    }
    expect([stoppedAt, stopper.bestEpoch]).toEqual([5, 3]);
    expect(seen[5]).not.toEqual(seen[3]);
    expect(bits(model)).toEqual(seen[3]);
    expect(bits(model)['1.numBatchesTracked']).toEqual([4]);
  });

  it('the snapshot is a copy; restore() loads it at any time; the first epoch is kept even without improvement', () => {
    const model = new nn.Linear(2, 1);
    const stopper = new optim.EarlyStopping({ patience: 10, restoreBestWeights: true });
    noGrad(() => model.weight.fill_(0.25));
    stopper.step(NaN, model); // no improvement, but the first epoch's weights are kept
    expect([stopper.bestEpoch, stopper.bestScore]).toEqual([0, Infinity]);
    noGrad(() => model.weight.fill_(0.5));
    stopper.step(1, model);
    noGrad(() => model.weight.fill_(3));
    stopper.step(2, model);
    expect(stopper.shouldStop).toBe(false);
    expect(model.weight.toArray()).toEqual([[3, 3]]);
    stopper.restore(model);
    expect(model.weight.toArray()).toEqual([[0.5, 0.5]]);
    noGrad(() => model.weight.fill_(9));
    expect(Array.from(stopper.bestWeights!.weight.toTypedArray())).toEqual([0.5, 0.5]);
  });

  it('without a model given to step there is nothing to restore', () => {
    const plain = new optim.EarlyStopping({ patience: 0 });
    const model = new nn.Linear(1, 1);
    plain.step(1, model);
    plain.step(2, model);
    expect(plain.shouldStop).toBe(true);
    expect(plain.bestWeights).toBe(null);
    expect(() => plain.restore(model)).toThrow(/EarlyStopping.restore: no best weights are kept; create the EarlyStopping with restoreBestWeights: true/);
    const keeping = new optim.EarlyStopping({ restoreBestWeights: true });
    expect(() => keeping.restore(model)).toThrow(/EarlyStopping.restore: no best weights yet \(step\(metric, model\) was never called\)/);
    expect(() => keeping.step(1)).toThrow(/EarlyStopping.step: restoreBestWeights needs the model, to copy its best weights: call step\(metric, model\)/);
    expect(keeping.epochs).toBe(0);
  });
});

describe('bad options', () => {
  it.each([
    [{ patience: -1 }, RangeError, /EarlyStopping: patience must be an integer ≥ 0, got -1/],
    [{ patience: 1.5 }, RangeError, /EarlyStopping: patience must be an integer ≥ 0, got 1.5/],
    [{ minDelta: -0.1 }, RangeError, /EarlyStopping: minDelta must be a finite number ≥ 0, got -0.1/],
    [{ minDelta: '0' }, TypeError, /EarlyStopping: minDelta must be a number, got '0'/],
    [{ deltaMode: 'pct' }, RangeError, /EarlyStopping: deltaMode must be 'abs' or 'rel', got 'pct'/],
    [{ mode: 'auto' }, RangeError, /EarlyStopping: mode must be 'min' or 'max', got 'auto'/],
    [{ restoreBestWeights: 1 }, TypeError, /EarlyStopping: restoreBestWeights must be a boolean, got 1/],
    [{ patiance: 3 }, TypeError, /EarlyStopping: unknown option 'patiance' \(expected patience, minDelta, deltaMode, mode, restoreBestWeights\)/],
  ])('%j', (opts, type, message) => {
    expect(() => new optim.EarlyStopping(opts as never)).toThrow(type);
    expect(() => new optim.EarlyStopping(opts as never)).toThrow(message);
  });

  it('refuses a model that is not a Module', () => {
    const s = new optim.EarlyStopping();
    expect(() => s.step(1, {} as never)).toThrow(/EarlyStopping.step: model must be an nn.Module, got an object/);
  });
});
