// What the classification experiments share: the data (toy sets, MNIST and Fashion-MNIST as tensors), one
// training run (a seeded model, DataLoader and fit, then the test accuracy), and the classifier experiment built
// from a spec (the model, the optimizer, epochs, batch size, augmentation, early stopping) so that each
// experiment's file only states its setup. Experiments are programs, so everything goes through the package's
// public API, as a user's script would.
import {
  createGenerator, data, evaluate, fit, F, forkRng, nn, optim,
  type Callback, type Generator, type History, type LossFunction, type Scheduler, type Tensor,
} from '../index.js';
import type { Experiment, ExperimentResult, RunOptions } from './types.js';
import { ArgumentError } from '../errors.js';

/** Inputs and class labels (int32) or one-hot targets. */
export interface Split {
  x: Tensor;
  y: Tensor;
}

/** The data of a classification experiment: training, test and (for early stopping) validation sets. */
export interface ClassifierData {
  train: Split;
  test: Split;
  val?: Split;
}

/** What shrinks a run, to check the code or time an epoch (tests, planning); the experiments' own runs use none. */
export interface Overrides {
  /** Train for this many epochs instead of the spec's. */
  epochs?: number;
  /** Use only the first n training samples (and at most n validation samples). */
  trainLimit?: number;
  /** Use only the first n test samples. */
  testLimit?: number;
}

/** One training run: everything but the data. */
export interface TrainSpec {
  /** Builds the model (under the run's seed, so its initialization is reproducible). */
  model: () => nn.Module;
  optimizer: (params: nn.Parameter[]) => optim.Optimizer;
  /** The loss (default F.crossEntropy). */
  loss?: LossFunction;
  epochs: number;
  batchSize: number;
  /** An epoch scheduler of the optimizer, given the number of epochs. */
  scheduler?: (opt: optim.Optimizer, epochs: number) => Scheduler;
  /** A transform of each training batch's inputs (augmentation), drawing from the generator given. */
  augment?: (g: Generator) => (x: Tensor) => Tensor;
  /** Early stopping on the validation loss (needs validation data), restoring the best weights. */
  earlyStopping?: { patience: number };
  /** The batch size of evaluation (default 1000; less for CNNs, whose unfolded inputs are large). */
  evalBatchSize?: number;
  /** Print fit's line per epoch when the run is verbose (default true; false for runs of many short epochs). */
  progress?: boolean;
}

/** The learning rate decayed to 0 along a cosine over the run's epochs (CosineAnnealingLR with TMax = epochs). */
export const cosine = (opt: optim.Optimizer, epochs: number): Scheduler => new optim.lrScheduler.CosineAnnealingLR(opt, epochs);

/** What one training run gives. */
export interface TrainOutcome {
  model: nn.Module;
  history: History;
  /** The accuracy on the test set, a fraction. */
  testAccuracy: number;
  /** Wall time of the training (without data loading), in seconds. */
  seconds: number;
}

/** The run's seed for one purpose: a string seed per use, so that the streams are independent. */
export const seedFor = (opts: RunOptions, use: string): string => `${opts.seed}:${use}`;

/** Prints a line when the run is verbose. */
export function say(opts: RunOptions, line: string): void {
  if (opts.verbose) process.stdout.write(`${line}\n`);
}

/** A fraction as a percentage with two decimals: 0.9731 → '97.31 %'. */
export const percent = (v: number): string => `${(100 * v).toFixed(2)} %`;

/** The first n rows of a split (all when n is undefined or larger). */
function head(s: Split, n?: number): Split {
  if (n === undefined || n >= s.x.shape[0]) return s;
  return { x: s.x.narrow(0, 0, n), y: s.y.narrow(0, 0, n) };
}

/** Trains spec's model on d.train (validating on d.val when given) and measures it on d.test. */
export function trainClassifier(spec: TrainSpec, d: ClassifierData, opts: RunOptions, tag: string, overrides: Overrides = {}): TrainOutcome {
  const epochs = overrides.epochs ?? spec.epochs;
  const train = head(d.train, overrides.trainLimit);
  const val = d.val === undefined ? undefined : head(d.val, overrides.trainLimit);
  const test = head(d.test, overrides.testLimit);
  const model = forkRng(spec.model, seedFor(opts, `${tag}:init`));
  const optimizer = spec.optimizer(model.parameters());
  const augment = spec.augment?.(createGenerator(seedFor(opts, `${tag}:augment`)));
  const loader = new data.DataLoader(new data.TensorDataset(train.x, train.y), {
    batchSize: spec.batchSize,
    shuffle: true,
    seed: seedFor(opts, `${tag}:shuffle`),
    transform: augment === undefined ? undefined : data.toBatchTransform(augment),
  });
  const evalBatch = spec.evalBatchSize ?? 1000;
  const batches = (s: Split) => new data.DataLoader(new data.TensorDataset(s.x, s.y), { batchSize: evalBatch });
  const callbacks: (Callback | optim.EarlyStopping)[] = [];
  if (spec.earlyStopping !== undefined) {
    if (val === undefined) throw new ArgumentError(`${tag}: early stopping needs validation data, got none`);
    callbacks.push(new optim.EarlyStopping({ patience: spec.earlyStopping.patience, restoreBestWeights: true }));
  }
  const started = performance.now();
  const history = fit(model, {
    train: loader,
    val: val === undefined ? null : batches(val),
    loss: spec.loss ?? F.crossEntropy,
    optimizer,
    epochs,
    scheduler: spec.scheduler?.(optimizer, epochs) ?? null,
    callbacks,
    metrics: ['accuracy'],
    verbose: opts.verbose && spec.progress !== false ? 1 : 0,
    seed: seedFor(opts, `${tag}:fit`),
  });
  const seconds = (performance.now() - started) / 1000;
  const { accuracy } = evaluate(model, batches(test), { metrics: ['accuracy'] });
  return { model, history, testAccuracy: accuracy, seconds };
}

/** The mean epoch time of a history, in seconds. */
export const secondsPerEpoch = (h: History): number => h.time.reduce((a, b) => a + b, 0) / Math.max(h.time.length, 1);

/** A result line about a training run: epochs run, final training loss, time per epoch. */
export function runSummary(h: History): string {
  const last = h.loss.length - 1;
  const val = h.valLoss === undefined ? '' : `, val loss ${h.valLoss[last].toFixed(4)}`;
  const t = secondsPerEpoch(h);
  return `${h.loss.length} epoch${h.loss.length === 1 ? '' : 's'}, final train loss ${h.loss[last].toFixed(4)}${val}, ${t < 1 ? `${(1000 * t).toFixed(0)} ms` : `${t.toFixed(1)} s`}/epoch`;
}

// ------------------------------------------------------------------------------------------------------- data

/** MNIST's and Fashion-MNIST's pixel mean and standard deviation over the training set (in [0, 1] units). */
export const STATS = {
  mnist: [0.1307, 0.3081],
  fashion: [0.286, 0.353],
} as const;

/** How to present the images of a dataset to a model. */
export interface ImageDataOptions {
  /** 'mnist' or 'fashion'. */
  dataset: keyof typeof STATS;
  /** Flatten each image to 784 features (MLPs); else [N, 1, 28, 28]. */
  flat: boolean;
  /** Standardize with the dataset's pixel mean and std (default true); false keeps the pixels in [0, 1]. */
  standardize?: boolean;
  /** Hold out the last n training images as validation data (early stopping). */
  val?: number;
}

/** The value of a background (0) pixel once standardized: what augmentation fills the outside of an image with. */
export const background = (dataset: keyof typeof STATS): number => -STATS[dataset][0] / STATS[dataset][1];

/**
 * Loads MNIST or Fashion-MNIST (downloading missing files into the data root), standardized with the dataset's
 * pixel mean and std unless asked not to, as images [N, 1, 28, 28] or flattened to [N, 784].
 */
export async function loadImages(o: ImageDataOptions, opts: RunOptions, overrides: Overrides = {}): Promise<ClassifierData> {
  const load = o.dataset === 'mnist' ? data.loadMNIST : data.loadFashionMNIST;
  const valCount = Math.min(o.val ?? 0, overrides.trainLimit ?? Infinity);
  const [trainSet, testSet] = await Promise.all([
    load({ root: opts.root, split: 'train', download: true, verbose: opts.verbose, limit: overrides.trainLimit === undefined ? undefined : overrides.trainLimit + valCount }),
    load({ root: opts.root, split: 'test', download: true, verbose: opts.verbose, limit: overrides.testLimit }),
  ]);
  const [mean, std] = STATS[o.dataset];
  const prepare = (images: Tensor): Tensor => {
    const x = o.standardize === false ? images : data.normalize(images, mean, std);
    return o.flat ? x.reshape([x.shape[0], 784]) : x;
  };
  const x = prepare(trainSet.images);
  const y = trainSet.labels;
  const n = x.shape[0] - valCount;
  const test = { x: prepare(testSet.images), y: testSet.labels };
  if (valCount === 0) return { train: { x, y }, test };
  return {
    train: { x: x.narrow(0, 0, n), y: y.narrow(0, 0, n) },
    val: { x: x.narrow(0, n, valCount), y: y.narrow(0, n, valCount) },
    test,
  };
}

/**
 * Augmentation of standardized image batches by data.randomAffine, the outside filled with the (standardized)
 * background; a flattened batch [N, 784] is turned back into images for it, and flattened again.
 */
export function affineAugment(dataset: keyof typeof STATS, o: Omit<data.RandomAffineOptions, 'fill' | 'seed' | 'generator'>): TrainSpec['augment'] {
  return (g) => (x) => {
    const images = x.ndim === 2 ? x.reshape([x.shape[0], 1, 28, 28]) : x;
    const out = data.randomAffine(images, { ...o, fill: background(dataset), generator: g });
    return x.ndim === 2 ? out.reshape(x.shape) : out;
  };
}

// --------------------------------------------------------------------------------------------- the experiment

/** A classification experiment on MNIST or Fashion-MNIST: its data, its training, its bar. */
export interface ClassifierDef {
  name: string;
  description: string;
  reported: string;
  data: ImageDataOptions;
  train: TrainSpec;
  /** The bar: a minimum test accuracy, or (for 'error') a maximum test error, as a fraction. */
  target: { metric: 'test accuracy' | 'test error'; bar: number };
  /** Lines about the setup, for the result's details (the hyper-parameters). */
  setup: string[];
}

/** The result of a run against a bar on the test accuracy (or the test error). */
export function classifierResult(target: ClassifierDef['target'], accuracy: number, details: string[]): ExperimentResult {
  if (target.metric === 'test error') {
    const error = 1 - accuracy;
    return { metric: 'test error', value: error, target: `≤ ${percent(target.bar)}`, passed: error <= target.bar, details };
  }
  return { metric: 'test accuracy', value: accuracy, target: `≥ ${percent(target.bar)}`, passed: accuracy >= target.bar, details };
}

/** Runs a classifier experiment, possibly shrunk by overrides (for tests and timing). */
export async function runClassifier(def: ClassifierDef, opts: RunOptions, overrides: Overrides = {}): Promise<ExperimentResult> {
  const d = await loadImages(def.data, opts, overrides);
  say(opts, `${def.name}: ${d.train.x.shape[0]} training images${d.val ? `, ${d.val.x.shape[0]} validation` : ''}, ${d.test.x.shape[0]} test`);
  const out = trainClassifier(def.train, d, opts, def.name, overrides);
  return classifierResult(def.target, out.testAccuracy, [...def.setup, runSummary(out.history)]);
}

/** The experiment of a classifier definition. */
export function classifier(def: ClassifierDef): Experiment & { def: ClassifierDef } {
  return { name: def.name, description: def.description, reported: def.reported, def, run: (opts) => runClassifier(def, opts) };
}

/** He (Kaiming) normal initialization of every conv and linear weight of a model, zero biases; returns the model. */
export function heInit<M extends nn.Module>(model: M): M {
  for (const m of model.modules()) {
    if (m instanceof nn.Conv2d || m instanceof nn.Linear) {
      nn.init.kaimingNormal_(m.weight, { nonlinearity: 'relu' });
      if (m.bias) nn.init.zeros_(m.bias);
    }
  }
  return model;
}
