/**
 * tapegrad: a tape-based reverse-mode autograd tensor library with PyTorch's semantics.
 *
 * @example
 * ```ts
 * import { tensor } from 'tapegrad';
 * const w = tensor([[0.5, -1]], { requiresGrad: true });
 * const x = tensor([[2], [3]]);
 * const loss = w.matmul(x).tanh().sum();
 * loss.backward();
 * console.log(w.grad!.toString());
 * ```
 * @packageDocumentation
 */
import './ops/methods.js';

export { ShapeError, IndexError, ValueError, DTypeError, ArgumentError, FormatError, AutogradError, isTapegradError, errorOf } from './errors.js';

export { Tensor, Storage } from './tensor/tensor.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export { getDefaultDtype, setDefaultDtype, withDefaultDtype } from './tensor/dtype.js';
export {
  tensor, full, zeros, ones, zerosLike, onesLike, arange, linspace, eye, rand, randn, randint,
  type TensorOptions, type RandomOptions, type NestedArray,
} from './tensor/creation.js';
export { manualSeed, createGenerator, forkRng, type Generator } from './tensor/random.js';
export { printOptions } from './tensor/format.js';
export { broadcastShapes } from './tensor/broadcast.js';

export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export { detectAnomaly, setDetectAnomaly, isAnomalyEnabled, AnomalyError, type AnomalyOptions } from './autograd/anomaly.js';
export { grad, type BackwardOptions, type GradOptions } from './autograd/engine.js';
export { customOp, type CustomOpDefinition, type FunctionContext } from './autograd/function.js';
export type { Node } from './autograd/node.js';
export {
  neg, exp, log, log1p, expm1, sqrt, sin, cos, tanh, sigmoid, relu, abs, sign,
  add, sub, mul, div, pow, maximum, minimum, gt, ge, lt, le, eq, ne, where, cast, type Operand,
} from './autograd/prims.js';
export { rsqrt, clamp } from './ops/elementwise.js';
export {
  sum, mean, prod, max, min, argmax, argmin, variance, variance as var_, std, logsumexp, softmax, logSoftmax,
  type Dims,
} from './ops/reduction.js';
export {
  reshape, view, flatten, squeeze, unsqueeze, permute, transpose, expand, broadcastTensors, narrow, gather,
  scatterAdd, indexSelect, cat, stack, split, chunk, pad, contiguous, clone, detach,
} from './ops/shape.js';
export { matmul, unfold, fold, type WindowOptions } from './ops/linalg.js';

export * as nn from './nn/index.js';
export * as F from './nn/functional/index.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export * from './train/index.js';
export * from './io/safetensors.js';
export * from './viz/index.js';

export { getBackend, withBackend, referenceBackend, wasmBackend, createWasmBackend, type WasmBackendOptions, Prim, Fused, type FusedKernel, type FusedParams, type Backend, type Kernel, type PrimParams, type View } from './backend/index.js';
