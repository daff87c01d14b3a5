// The namespace `optim`: the Optimizer base, the optimizers, the learning-rate schedulers (`optim.lrScheduler`)
// and early stopping.
export { Optimizer, type ParamGroup, type Params, type ParamState, type OptimizerStateDict, type Closure } from './optimizer.js';
export * from './sgd.js';
export * from './adam.js';
export * from './rmsprop.js';
export * from './adagrad.js';
export * from './lbfgs.js';
export * from './early-stopping.js';
export * as lrScheduler from './lr-scheduler.js';
