// The workloads of issue 6, as plain data shared by every engine (tapegrad, tfjs and, through its command
// line, PyTorch), so that shapes, batch sizes and the optimizer are the same everywhere. Every engine times
// one call of a workload (one op, one training step, …) in milliseconds; `toUnit` turns that into the unit
// the table reports.

export const LR = 1e-3; // Adam everywhere: betas (0.9, 0.999), eps 1e-8

export const WORKLOADS = {
  W0: { title: 'add [2]+[2]', unit: 'µs/op', better: 'lower', shape: [2] },
  W1: { title: 'matmul 512×512', unit: 'GFLOP/s', better: 'higher', n: 512 },
  W2: { title: 'MLP step b64', unit: 'ms/step', better: 'lower', batch: 64, sizes: [784, 256, 128, 10] },
  W3: {
    title: 'CNN step b64', unit: 'ms/step', better: 'lower', batch: 64, image: 28, classes: 10,
    // conv 1→8 k5 p2, ReLU, maxpool 2, conv 8→16 k5 p2, ReLU, maxpool 2, flatten (16·7·7 = 784), Linear 784→10
    channels: [1, 8, 16], kernel: 5, padding: 2, pool: 2,
  },
  W4: { title: 'tiny net step b50', unit: 'steps/s', better: 'higher', batch: 50, sizes: [2, 25, 25, 25, 2] },
  W5: { title: 'conv2d fwd+bwd', unit: 'ms', better: 'lower', x: [32, 16, 14, 14], w: [32, 16, 3, 3], padding: 1 },
};

export const WORKLOAD_IDS = Object.keys(WORKLOADS);

/** A time per call (ms) in the workload's unit. */
export function toUnit(id, ms) {
  switch (id) {
    case 'W0': return ms * 1e3;
    case 'W1': return (2 * WORKLOADS.W1.n ** 3) / (ms * 1e6);
    case 'W4': return 1e3 / ms;
    default: return ms;
  }
}

/** Uniform(-1/√fanIn, 1/√fanIn): PyTorch's default init of Linear and Conv2d weights and biases. */
export function initBound(fanIn) {
  return 1 / Math.sqrt(fanIn);
}
