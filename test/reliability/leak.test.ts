// No leaks: a small CNN trains for 5,000 steps and the heap after warm-up stays within noise. After each forced
// GC (node --expose-gc, passed by vitest.config.ts), heapUsed and the array-buffer memory (tensor storages; the
// wasm backend's memory shows in RSS only, see scripts/soak.mjs) are sampled every 250 steps; the samples must
// stay in a narrow band and show no upward trend.
// scripts/soak.mjs runs the same model from the built package for 100,000 steps and prints the curve.
//
// To see it fail on a leak: LEAK=1 keeps every loss (and so its graph's nodes), LEAK=2 also retains each graph
// (retainGraph: the saved activations stay), LEAK=3 keeps one small label tensor a step. LEAK_REPORT=1 prints
// the samples.
import { describe, expect, it } from 'vitest';
import { F, nn, optim, manualSeed, createGenerator, randn, randint, type Tensor } from '../../src/index.js';

const STEPS = 5000;
const WARMUP = 1000;
const EVERY = 250;
const MiB = 1024 * 1024;

// Thresholds, from measurement (2-core EPYC shared with other jobs, Node 20, default wasm backend; heapUsed after
// three forced GCs, every 250 steps from step 1,000 to 5,000):
//   no leak:                                   heapUsed band 0.50 MiB, trend +0.34 MiB (JIT warm-up, flattening
//                                              out: +0.1 MiB over the last 2,500 steps), arrayBuffers band < 0.01 MiB
//   LEAK=3, one 8-element int32 tensor a step: band 2.15 MiB, trend +1.68 MiB, arrayBuffers +0.12 MiB  → fails
//   LEAK=1, every loss kept (its graph nodes): band 61 MiB, trend +51 MiB                              → fails
//   LEAK=2, every loss's graph retained:       band 92 MiB, trend +77 MiB, arrayBuffers band 76 MiB    → fails
// (the scripts/soak.mjs run of 100,000 steps: heapUsed +0.014 MiB per 10k steps after warm-up). So the trend
// limit of 1 MiB sits 3× above the noise and catches a leak of a few hundred bytes a step; the band of 2 MiB and the
// array-buffer band of 1 MiB catch anything larger.
const HEAP_BAND = 2 * MiB; // max − min of heapUsed after warm-up
const HEAP_TREND = 1 * MiB; // median of the last quarter − median of the first quarter
const BUFFER_BAND = 1 * MiB; // max − min of arrayBuffers after warm-up

interface Sample { step: number; heap: number; buffers: number }

function gcHard(): void {
  // a few rounds: finalizers run by one GC can free more on the next
  for (let i = 0; i < 3; i++) globalThis.gc!();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

describe('no leaks', () => {
  it('--expose-gc is on', () => expect(typeof globalThis.gc).toBe('function'));

  it(`a small CNN trains ${STEPS} steps with flat heap and array-buffer memory after warm-up`, () => {
    manualSeed(0);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(4 * 3 * 3, 10),
    );
    const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const g = createGenerator(1);
    const leak = process.env.LEAK ?? '';
    const kept: Tensor[] = [];
    const samples: Sample[] = [];
    let last = Number.NaN;
    const t0 = performance.now();
    for (let step = 1; step <= STEPS; step++) {
      const x = randn([8, 1, 8, 8], { generator: g });
      const y = randint(0, 10, [8], { generator: g });
      opt.zeroGrad();
      const loss = F.crossEntropy(model.forward(x) as Tensor, y);
      loss.backward(null, leak === '2' ? { retainGraph: true } : undefined);
      opt.step();
      if (leak === '1' || leak === '2') kept.push(loss);
      if (leak === '3') kept.push(y);
      if (step % EVERY === 0) last = loss.item();
      if (step >= WARMUP && step % EVERY === 0) {
        gcHard();
        const m = process.memoryUsage();
        samples.push({ step, heap: m.heapUsed, buffers: m.arrayBuffers });
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    expect(Number.isFinite(last)).toBe(true);

    const heaps = samples.map((s) => s.heap), bufs = samples.map((s) => s.buffers);
    const q = Math.max(1, Math.floor(samples.length / 4));
    const heapBand = Math.max(...heaps) - Math.min(...heaps);
    const heapTrend = median(heaps.slice(-q)) - median(heaps.slice(0, q));
    const bufBand = Math.max(...bufs) - Math.min(...bufs);
    if (process.env.LEAK_REPORT === '1' || leak !== '') {
      console.log(`${STEPS} steps in ${seconds.toFixed(1)} s; heap band ${(heapBand / MiB).toFixed(3)} MiB, trend ${(heapTrend / MiB).toFixed(3)} MiB, buffers band ${(bufBand / MiB).toFixed(3)} MiB`);
      for (const s of samples) console.log(`${s.step}\t${(s.heap / MiB).toFixed(3)}\t${(s.buffers / MiB).toFixed(3)}`);
    }
    expect(samples.length).toBe((STEPS - WARMUP) / EVERY + 1);
    expect(heapBand, `heapUsed after warm-up ranges over ${(heapBand / MiB).toFixed(2)} MiB`).toBeLessThan(HEAP_BAND);
    expect(heapTrend, `heapUsed rises by ${(heapTrend / MiB).toFixed(2)} MiB from the first quarter to the last`).toBeLessThan(HEAP_TREND);
    expect(bufBand, `arrayBuffers after warm-up ranges over ${(bufBand / MiB).toFixed(2)} MiB`).toBeLessThan(BUFFER_BAND);
  });
});
