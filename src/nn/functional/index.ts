// The functional forms (`F`): every layer, activation and loss as a function of tensors. Each is a composition
// of differentiable ops; none has a backward of its own.
export { relu, tanh, sigmoid } from '../../autograd/prims.js';
export { softmax, logSoftmax } from '../../ops/reduction.js';
export { pad } from '../../ops/shape.js';
export { unfold, fold } from '../../ops/linalg.js';
export * from './linear.js';
export * from './conv.js';
export * from './pool.js';
export * from './dropout.js';
export * from './normalization.js';
export * from './activation.js';
export * from './loss.js';
export type { Size } from './window.js';
