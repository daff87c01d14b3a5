// The namespace `data`: the IDX reader and MNIST / Fashion-MNIST loaders (with download), the seeded toy
// datasets, TensorDataset and DataLoader, and batch transforms.
export * from './idx.js';
export * from './mnist.js';
export * from './toy.js';
export * from './dataset.js';
export * from './transforms.js';
export type { SeedOptions } from './rng.js';
