// The op registry (PyTorch's OpInfo idea): one record per public op, with the function, sample inputs, a
// plain-loop reference, flags and the inputs that must fail. Every sweep iterates it:
//   test/gradcheck/gradcheck.test.ts      first derivatives against finite differences (float64)
//   test/gradcheck/gradgradcheck.test.ts  second derivatives
//   test/ops/forward.test.ts              forward values against test/reference.ts (float64 and float32)
//   test/ops/errors.test.ts               error inputs throw with a message naming the op and the problem
// A new public op (a function of the package root or of F) is done when it has its record here
// (forward.test.ts fails until it does). Records live in test/registry/: core.ts (tensor ops), nn-layers.ts
// (linear, conv, pool, dropout), nn-norm-act.ts (normalization, activations), nn-loss.ts (losses).


import { coreRecords } from './registry/core.js';
import { records as layerRecords } from './registry/nn-layers.js';
import { records as normActRecords } from './registry/nn-norm-act.js';
import { records as lossRecords } from './registry/nn-loss.js';
import type { OpRecord } from './registry/common.js';

export * from './registry/common.js';

export const registry: OpRecord[] = [...coreRecords, ...layerRecords, ...normActRecords, ...lossRecords];
