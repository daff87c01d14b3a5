// The MLPs on MNIST: AbelINN's one hidden layer of 25 with PreNorm at a high learning rate, Reyes & Van Greunen's
// hidden 50 and deep [370, 115, 50] networks, and nndiy's 784→256→128→10 tanh network. Inputs are the images
// flattened to 784 features and standardized with MNIST's mean and std.
import { nn, optim } from '../index.js';
import { affineAugment, classifier, cosine } from './common.js';

/** Linear layers of the given widths (784 → … → 10), each hidden one followed by `hidden()` layers. */
export function mlp(widths: readonly number[], hidden: () => nn.Module[]): nn.Sequential {
  const layers: nn.Module[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    layers.push(new nn.Linear(widths[i], widths[i + 1]));
    if (i + 2 < widths.length) layers.push(...hidden());
  }
  return new nn.Sequential(...layers);
}

const relu = () => [new nn.ReLU()];

export const mnistMlp25 = classifier({
  name: 'mnist-mlp25',
  description: 'AbelINN: one hidden layer of 25, ReLU, PreNorm, high learning rate (SGD)',
  reported: '95.15 %',
  data: { dataset: 'mnist', flat: true },
  train: {
    model: () => mlp([784, 25, 10], () => [new nn.PreNorm(), new nn.ReLU()]),
    optimizer: (p) => new optim.SGD(p, { lr: 1.5 }),
    scheduler: cosine,
    epochs: 12,
    batchSize: 100,
  },
  target: { metric: 'test accuracy', bar: 0.955 },
  setup: ['784→25→10, PreNorm before the ReLU; cross-entropy; SGD lr 1.5 (no momentum) with cosine decay, batch 100, 12 epochs'],
});

export const mnistMlp50 = classifier({
  name: 'mnist-mlp50',
  description: 'Reyes & Van Greunen: hidden 50, Adam lr 0.01, batch 1000',
  reported: '97.11 %',
  data: { dataset: 'mnist', flat: true },
  train: {
    // the report's setup ends near 97 % (measured: 96.5 % at a fixed lr; 96.9–97.3 % over three seeds with a cosine
    // decay, 97.0–97.1 % with batch 100 or 20 epochs); BatchNorm and a mild augmentation over 20 epochs clear 97.3 %
    model: () => mlp([784, 50, 10], () => [new nn.BatchNorm1d(50), new nn.ReLU()]),
    optimizer: (p) => new optim.Adam(p, { lr: 0.01 }),
    scheduler: cosine,
    augment: affineAugment('mnist', { degrees: 10, translate: [0.08, 0.08], scale: [0.9, 1.1] }),
    epochs: 20,
    batchSize: 1000,
  },
  target: { metric: 'test accuracy', bar: 0.973 },
  setup: [
    '784→50→10, BatchNorm before the ReLU; cross-entropy; Adam lr 0.01 with cosine decay, batch 1000, 20 epochs',
    'augmentation: randomAffine ±10°, shifts to ±8 %, zoom [0.9, 1.1]',
  ],
});

export const mnistMlpDeep = classifier({
  name: 'mnist-mlp-deep',
  description: 'Reyes & Van Greunen: hidden [370, 115, 50], ReLU, Adam',
  reported: '97.51 %',
  data: { dataset: 'mnist', flat: true },
  train: {
    model: () => mlp([784, 370, 115, 50, 10], relu),
    optimizer: (p) => new optim.Adam(p, { lr: 0.001 }),
    scheduler: cosine,
    epochs: 12,
    batchSize: 128,
  },
  target: { metric: 'test accuracy', bar: 0.978 },
  setup: ['784→370→115→50→10 ReLU; cross-entropy; Adam lr 0.001 with cosine decay, batch 128, 12 epochs'],
});

export const mnistTanh = classifier({
  name: 'mnist-tanh',
  description: 'nndiy: 784→256→128→10 tanh, Adam',
  reported: '~96 % train',
  data: { dataset: 'mnist', flat: true },
  train: {
    model: () => mlp([784, 256, 128, 10], () => [new nn.Tanh()]),
    optimizer: (p) => new optim.Adam(p, { lr: 0.001 }),
    scheduler: cosine,
    epochs: 12,
    batchSize: 128,
  },
  target: { metric: 'test accuracy', bar: 0.978 },
  setup: ['784→256→128→10 tanh; cross-entropy; Adam lr 0.001 with cosine decay, batch 128, 12 epochs'],
});
