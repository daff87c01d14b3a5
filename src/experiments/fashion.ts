// Fashion-MNIST: AbelINN's MLP (hidden layers with PreNorm before the ReLU) and a small CNN (the Keras
// tutorial's figure to beat).
import { nn, optim } from '../index.js';
import { classifier, cosine } from './common.js';
import { mlp } from './mnist-mlp.js';

export const fashionMlp = classifier({
  name: 'fashion-mlp',
  description: 'AbelINN MLP on Fashion-MNIST: 784→256→128→10, PreNorm and ReLU, Adam',
  reported: '86.88 %',
  data: { dataset: 'fashion', flat: true },
  train: {
    model: () => mlp([784, 256, 128, 10], () => [new nn.PreNorm(), new nn.ReLU()]),
    optimizer: (p) => new optim.Adam(p, { lr: 0.001 }),
    scheduler: cosine,
    epochs: 20,
    batchSize: 128,
  },
  target: { metric: 'test accuracy', bar: 0.88 },
  setup: ['784→256→128→10, PreNorm before each ReLU; inputs standardized; cross-entropy; Adam lr 0.001 with cosine decay, batch 128, 20 epochs'],
});

/** conv 16@3×3 → BN → ReLU → pool → conv 32@3×3 → BN → ReLU → pool → dropout 0.25 → 1568 → 128 → dropout 0.5 → 10. */
export function fashionCnnNet(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 16, 3, { padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 3, { padding: 1 }), new nn.BatchNorm2d(32), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Dropout(0.25),
    new nn.Flatten(),
    new nn.Linear(32 * 7 * 7, 128), new nn.ReLU(),
    new nn.Dropout(0.5),
    new nn.Linear(128, 10),
  );
}

export const fashionCnn = classifier({
  name: 'fashion-cnn',
  description: 'a small CNN on Fashion-MNIST (conv 16 and 32 filters 3×3, BatchNorm, dropout)',
  reported: 'Keras 91.06 %',
  data: { dataset: 'fashion', flat: false },
  train: {
    model: fashionCnnNet,
    optimizer: (p) => new optim.Adam(p, { lr: 0.001 }),
    scheduler: cosine,
    epochs: 15,
    batchSize: 128,
    evalBatchSize: 500,
  },
  target: { metric: 'test accuracy', bar: 0.915 },
  setup: ['conv 16@3×3 pad 1, BatchNorm, ReLU, max-pool 2, conv 32@3×3 pad 1, BatchNorm, ReLU, max-pool 2, dropout 0.25, 1568→128 ReLU, dropout 0.5, →10; inputs standardized; cross-entropy; Adam lr 0.001 with cosine decay, batch 128, 15 epochs'],
});
