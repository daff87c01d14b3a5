// Determinism: the same seed gives bit-identical training runs (every loss and the final weights) on each
// backend and thread count. A small CNN with dropout, random initialization and a shuffled DataLoader trains for
// a few steps twice from the same seed on the reference backend, and on the wasm backend with every fast path
// forced (minElements 0) on 1 and on 2 threads; the Float32Array bytes must match. A different seed must give
// different results (the comparison is not vacuous). Across thread counts the wasm backend must also agree bit
// for bit: the GEMM splits its work by column panels or by batch, and each output's sum does not depend on the
// split (src/backend/wasm/gemm.ts), and unfold / fold split by image; the test checks that the 2-thread run
// really ran jobs on the worker.
import { afterAll, describe, expect, it } from 'vitest';
import { F, nn, optim, data, manualSeed, createGenerator, randn, randint, withBackend, referenceBackend, createWasmBackend, type Backend, type Tensor } from '../../src/index.js';
import { shutdownThreads, threadPoolForTests } from '../../src/backend/wasm/threads.js';
import { wasmModule } from '../../src/backend/wasm/module.js';

const wasm1 = createWasmBackend({ threads: 1, minElements: 0 });
const wasm2 = createWasmBackend({ threads: 2, minElements: 0 });
afterAll(() => shutdownThreads());

interface Run {
  /** Every step's loss (float32 values). */
  losses: Float32Array;
  /** The final parameters, in model.parameters() order. */
  weights: Float32Array[];
}

const N_ITEMS = 96;
const BATCH = 32;
const EPOCHS = 2; // 6 steps

/**
 * Trains from `seed`: the model's initialization and dropout masks come from manualSeed(seed), the data from a
 * generator of the seed, the shuffles from the loader's own seed. The second linear layer is big enough (a batch
 * of 32 × 256 features × 64 outputs = 2^19 multiply-adds) for the wasm GEMM to split it across two threads.
 */
function train(backend: Backend, seed: number): Run {
  return withBackend(backend, () => {
    manualSeed(seed);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 8, 3), new nn.ReLU(),
      new nn.Conv2d(8, 16, 3), new nn.ReLU(),
      new nn.MaxPool2d(2), new nn.Flatten(),
      new nn.Dropout(0.25),
      new nn.Linear(16 * 4 * 4, 64), new nn.ReLU(),
      new nn.Dropout(0.1),
      new nn.Linear(64, 10),
    );
    const g = createGenerator(`data:${seed}`);
    const ds = new data.TensorDataset(randn([N_ITEMS, 1, 12, 12], { generator: g }), randint(0, 10, [N_ITEMS], { generator: g }));
    const loader = new data.DataLoader(ds, { batchSize: BATCH, shuffle: true, seed: seed + 100 });
    const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
    const losses: number[] = [];
    for (let e = 0; e < EPOCHS; e++) {
      for (const [x, y] of loader) {
        opt.zeroGrad();
        const loss = F.crossEntropy(model.forward(x) as Tensor, y);
        loss.backward();
        opt.step();
        losses.push(loss.item());
      }
    }
    const weights = model.parameters().map((p) => {
      expect(p.dtype).toBe('float32');
      return Float32Array.from(p.toTypedArray() as Float32Array);
    });
    return { losses: Float32Array.from(losses), weights };
  });
}

const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Where two runs first differ (bitwise), with the largest difference; null when bit-identical. */
function firstDifference(a: Run, b: Run): string | null {
  const pairs: [string, Float32Array, Float32Array][] = [['losses', a.losses, b.losses], ...a.weights.map((w, i) => [`parameter ${i}`, w, b.weights[i]] as [string, Float32Array, Float32Array])];
  if (a.weights.length !== b.weights.length) return `${a.weights.length} vs ${b.weights.length} parameters`;
  for (const [what, x, y] of pairs) {
    if (x.length !== y.length) return `${what}: ${x.length} vs ${y.length} values`;
    if (Buffer.compare(bytes(x), bytes(y)) === 0) continue;
    let first = -1, max = 0;
    for (let i = 0; i < x.length; i++) {
      if (Object.is(x[i], y[i])) continue;
      if (first < 0) first = i;
      max = Math.max(max, Math.abs(x[i] - y[i]));
    }
    return `${what}: element ${first} is ${x[first]} vs ${y[first]}; largest difference ${max}`;
  }
  return null;
}

const configs: [string, Backend | null][] = [['reference', referenceBackend], ['wasm, 1 thread', wasm1], ['wasm, 2 threads', wasm2]];

describe('the same seed gives bit-identical training', () => {
  it('the wasm backend loads (these tests never vanish quietly)', () => {
    expect(wasm1).not.toBeNull();
    expect(wasm2).not.toBeNull();
  });

  const runs = new Map<string, Run>();
  const runOf = (name: string, backend: Backend) => {
    if (!runs.has(name)) runs.set(name, train(backend, 0));
    return runs.get(name)!;
  };

  it.each(configs)('%s: two runs from seed 0 agree bit for bit; seed 1 differs', (name, backend) => {
    const a = runOf(name, backend!);
    const b = train(backend!, 0);
    expect(a.losses.length).toBe(EPOCHS * Math.ceil(N_ITEMS / BATCH));
    expect(a.losses.every(Number.isFinite)).toBe(true);
    expect(firstDifference(a, b)).toBeNull();
    const c = train(backend!, 1);
    expect(firstDifference(a, c)).not.toBeNull();
    expect(Buffer.compare(bytes(a.losses), bytes(c.losses))).not.toBe(0);
    a.weights.forEach((w, i) => expect(Buffer.compare(bytes(w), bytes(c.weights[i])), `parameter ${i} of seed 1`).not.toBe(0));
  });

  it('the 2-thread run splits work onto the worker, and agrees with the 1-thread run bit for bit', () => {
    const threaded = wasmModule()!.shared;
    const before = threadPoolForTests().workerJobs;
    const two = train(wasm2!, 0);
    const jobs = threadPoolForTests().workerJobs - before;
    if (threaded) expect(jobs, 'jobs the worker ran during the 2-thread run').toBeGreaterThan(0);
    const one = runOf('wasm, 1 thread', wasm1!);
    expect(firstDifference(one, two)).toBeNull();
  });

  it('the reference and wasm backends train to the same values within float32 rounding', () => {
    // Not bit-identical by design (the float32 wasm GEMM sums in SIMD lanes, with fused multiply-adds where the
    // CPU has them), but close: the losses agree to float32 precision over these few steps.
    const ref = runOf('reference', referenceBackend);
    const w = runOf('wasm, 1 thread', wasm1!);
    for (let i = 0; i < ref.losses.length; i++) expect(Math.abs(ref.losses[i] - w.losses[i]), `loss ${i}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref.losses[i])));
  });
});
