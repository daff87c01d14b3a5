// LeNet-5 on MNIST, in its common modern form: ReLU and max pooling in place of the scaled tanh and the
// subsampling layers of 1998, the 32×32 input obtained by padding the first convolution.
import { nn, optim } from '../index.js';
import { classifier, cosine } from './common.js';

/** conv 6@5×5 (padding 2) → pool → conv 16@5×5 → pool → 120 → 84 → 10, ReLU after each hidden layer. */
export function lenet5Net(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(400, 120), new nn.ReLU(),
    new nn.Linear(120, 84), new nn.ReLU(),
    new nn.Linear(84, 10),
  );
}

export const lenet5 = classifier({
  name: 'lenet5',
  description: 'LeNet-5 (ReLU, max pooling)',
  reported: '94.80 %',
  data: { dataset: 'mnist', flat: false },
  train: {
    model: lenet5Net,
    optimizer: (p) => new optim.Adam(p, { lr: 0.001 }),
    scheduler: cosine,
    epochs: 12,
    batchSize: 128,
    evalBatchSize: 500,
  },
  target: { metric: 'test accuracy', bar: 0.988 },
  setup: ['conv 6@5×5 pad 2, ReLU, max-pool 2, conv 16@5×5, ReLU, max-pool 2, 400→120→84→10 ReLU; inputs standardized; cross-entropy; Adam lr 0.001 with cosine decay, batch 128, 12 epochs'],
});
