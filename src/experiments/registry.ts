// The experiments of the main job, in the order of the table, and the quick set `npm start` runs with no
// arguments (generated data only: nothing to download).
import type { Experiment } from './types.js';
import { disk } from './disk.js';
import { moons } from './moons.js';
import { mnistMlp25, mnistMlp50, mnistMlpDeep, mnistTanh } from './mnist-mlp.js';
import { lenet5 } from './lenet5.js';
import { mnistCnn } from './mnist-cnn.js';
import { fashionMlp, fashionCnn } from './fashion.js';
import { autoencoder } from './autoencoder.js';
import { prenorm } from './prenorm.js';

/** Every experiment, in the table order (what `npm start -- all` runs). */
export const EXPERIMENTS: readonly Experiment[] = Object.freeze([
  disk, moons, mnistMlp25, mnistMlp50, mnistMlpDeep, mnistTanh, lenet5, mnistCnn, fashionMlp, fashionCnn, autoencoder, prenorm,
]);

/** What `npm start` runs with no arguments: the experiments on generated data, under a minute together. */
export const QUICK: readonly string[] = Object.freeze(['disk', 'moons']);
