// Luqué's ninth model: two 'same' convolutions of 8 and 16 filters 5×5 with ReLU and max pooling, dropout 0.2,
// He initialization, Adam, trained on augmented images (rotations to ±25°, zoom to ±20 %) with early stopping on
// a validation set held out of the training images.
import { nn, optim } from '../index.js';
import { affineAugment, classifier, heInit } from './common.js';

/** conv 8@5×5 same → ReLU → pool → conv 16@5×5 same → ReLU → pool → dropout → 784 → 128 → dropout → 10, He init. */
export function luqueNet(): nn.Sequential {
  return heInit(new nn.Sequential(
    new nn.Conv2d(1, 8, 5, { padding: 'same' }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 5, { padding: 'same' }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Dropout(0.2),
    new nn.Flatten(),
    new nn.Linear(16 * 7 * 7, 128), new nn.ReLU(),
    new nn.Dropout(0.2),
    new nn.Linear(128, 10),
  ));
}

export const mnistCnn = classifier({
  name: 'mnist-cnn',
  description: "Luqué's ninth model: conv 8 and 16 filters 5×5 'same', ReLU, max-pool, dropout 0.2, He init, Adam, augmentation, early stopping",
  reported: '0.80 % error',
  data: { dataset: 'mnist', flat: false, val: 5000 },
  train: {
    model: luqueNet,
    optimizer: (p) => new optim.Adam(p, { lr: 0.001 }),
    scheduler: (opt) => new optim.lrScheduler.ReduceLROnPlateau(opt, { factor: 0.5, patience: 2 }),
    augment: affineAugment('mnist', { degrees: 25, scale: [0.8, 1.2] }),
    earlyStopping: { patience: 6 },
    epochs: 60,
    batchSize: 128,
    evalBatchSize: 500,
  },
  target: { metric: 'test error', bar: 0.007 },
  setup: [
    "conv 8@5×5 same, ReLU, max-pool 2, conv 16@5×5 same, ReLU, max-pool 2, dropout 0.2, 784→128 ReLU, dropout 0.2, →10; He (Kaiming normal) init",
    'augmentation: randomAffine ±25°, zoom [0.8, 1.2]; 55000 training / 5000 validation images',
    'cross-entropy; Adam lr 0.001, ReduceLROnPlateau (factor 0.5, patience 2), batch 128, up to 60 epochs, early stopping on the validation loss (patience 6, best weights restored)',
  ],
});
