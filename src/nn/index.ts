// The namespace `nn`: Module and its containers, the layers, activations and losses as modules, `nn.init`
// and `nn.utils`. Every module's forward is a call of its functional form in `F`.
export { Module, Parameter, IndexedModules, Sequential, ModuleList, type StateDict, type LoadResult } from './module.js';
export * from './layers/linear.js';
export * from './layers/conv.js';
export * from './layers/pool.js';
export * from './layers/flatten.js';
export * from './layers/dropout.js';
export * from './layers/normalization.js';
export * from './layers/activation.js';
export * from './layers/loss.js';
export * as init from './init.js';
export * as utils from './utils.js';
export * as functional from './functional/index.js';
