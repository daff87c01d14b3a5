// Two moons: a two-layer network (one hidden layer) separating sklearn's interleaved half circles.
import { data, nn, optim } from '../index.js';
import { classifierResult, cosine, runSummary, seedFor, trainClassifier, type Overrides, type TrainSpec } from './common.js';
import type { Experiment, ExperimentResult, RunOptions } from './types.js';

/** The moons' noise (the standard deviation added to each coordinate). */
export const MOONS_NOISE = 0.1;

/** The setup: 2→32→2 with ReLU, cross-entropy, Adam lr 0.01 decayed by a cosine over 100 epochs, batch 50. */
export const MOONS_TRAIN: TrainSpec = {
  model: () => new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 2)),
  optimizer: (p) => new optim.Adam(p, { lr: 0.01 }),
  scheduler: cosine,
  epochs: 100,
  batchSize: 50,
  progress: false,
};

/** Trains on 1000 noisy moon points and tests on 1000 others; overrides shrink the run (tests). */
export async function runMoons(opts: RunOptions, overrides: Overrides = {}): Promise<ExperimentResult> {
  const moons = (use: string) => data.makeMoons(1000, { noise: MOONS_NOISE, seed: seedFor(opts, use) });
  const out = trainClassifier(MOONS_TRAIN, { train: moons('moons:train'), test: moons('moons:test') }, opts, 'moons', overrides);
  return classifierResult({ metric: 'test accuracy', bar: 0.99 }, out.testAccuracy, [
    `2→32→2 ReLU, cross-entropy, Adam lr 0.01 with cosine decay, batch 50; 1000 training and 1000 test points, noise ${MOONS_NOISE}`,
    runSummary(out.history),
  ]);
}

export const moons: Experiment = {
  name: 'moons',
  description: 'a two-layer net (one hidden layer of 32, ReLU) on two moons',
  reported: '–',
  run: (opts) => runMoons(opts),
};
