#!/usr/bin/env node
// Soak test: trains the small CNN of test/reliability/leak.test.ts (Conv2d(1,4,3) → ReLU → MaxPool2d(2) → Flatten
// → Linear(36, 10), cross-entropy, Adam, batches of 8 random 1×8×8 images from a seeded generator) for many steps
// with the built package, and prints memory after a forced GC every few thousand steps, then a verdict from the
// least-squares slope of each curve after warm-up.
//
//   npm run build
//   node --expose-gc scripts/soak.mjs [--steps 100000] [--every 5000] [--warmup 10000] [--threads N] [--backend wasm|reference]
//
// Columns: step, heapUsed, external and arrayBuffers (tensor storages), RSS (MiB; the wasm backend's memory
// shows only here), steps per second over the last interval (the GC and printing left out) and the last loss.
// The verdict fits a line to each of heapUsed, external and arrayBuffers from the warm-up on and reports its
// slope per 10,000 steps; heapUsed rising by more than 0.25 MiB per 10k steps (≈ 26 bytes a step), or
// arrayBuffers / external by more than 0.05 MiB, is flagged as a possible leak (exit code 1).
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '100000' },
    every: { type: 'string', default: '5000' },
    warmup: { type: 'string' },
    threads: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('usage: node --expose-gc scripts/soak.mjs [--steps 100000] [--every 5000] [--warmup N] [--threads N] [--backend wasm|reference]');
  process.exit(0);
}
const int = (name, v, min) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    console.error(`soak: --${name} must be an integer ≥ ${min}, got ${v}`);
    process.exit(2);
  }
  return n;
};
const STEPS = int('steps', values.steps, 1);
const EVERY = int('every', values.every, 1);
const WARMUP = values.warmup === undefined ? Math.min(10_000, Math.floor(STEPS / 10)) : int('warmup', values.warmup, 0);
if (typeof globalThis.gc !== 'function') {
  console.error('soak: run with node --expose-gc (the memory is sampled after a forced GC)');
  process.exit(2);
}

const { F, nn, optim, manualSeed, createGenerator, randn, randint, withBackend, referenceBackend, createWasmBackend } = await import('../dist/index.js');

let backend;
if (values.backend === 'reference') backend = referenceBackend;
else if (values.backend === 'wasm') {
  backend = createWasmBackend(values.threads === undefined ? {} : { threads: int('threads', values.threads, 1) });
  if (!backend) {
    console.error('soak: WebAssembly SIMD is not available here; use --backend reference');
    process.exit(2);
  }
} else {
  console.error(`soak: --backend must be wasm or reference, got ${values.backend}`);
  process.exit(2);
}

const MiB = 1024 * 1024;
const mib = (b) => (b / MiB).toFixed(2);
const pad = (s, n) => String(s).padStart(n);

function gcHard() {
  for (let i = 0; i < 3; i++) globalThis.gc();
}

/** Least-squares slope of ys over xs. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n, my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

withBackend(backend, () => {
  manualSeed(0);
  const model = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(4 * 3 * 3, 10));
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const g = createGenerator(1);

  console.log(`soak: ${STEPS} steps on the ${backend.name} backend${values.threads ? ` (${values.threads} threads)` : ''}, memory after GC every ${EVERY} steps, warm-up ${WARMUP} steps`);
  console.log(`${pad('step', 8)} ${pad('heapUsed', 9)} ${pad('external', 9)} ${pad('arrayBuf', 9)} ${pad('RSS', 8)} ${pad('steps/s', 8)} ${pad('loss', 8)}`);
  const rows = [];
  const sample = (step, rate, loss) => {
    gcHard();
    const m = process.memoryUsage();
    rows.push({ step, heap: m.heapUsed, external: m.external, buffers: m.arrayBuffers });
    console.log(`${pad(step, 8)} ${pad(mib(m.heapUsed), 9)} ${pad(mib(m.external), 9)} ${pad(mib(m.arrayBuffers), 9)} ${pad(mib(m.rss), 8)} ${pad(rate, 8)} ${pad(loss, 8)}`);
  };
  sample(0, '', '');
  const start = performance.now();
  let t = start;
  for (let step = 1; step <= STEPS; step++) {
    const x = randn([8, 1, 8, 8], { generator: g });
    const y = randint(0, 10, [8], { generator: g });
    opt.zeroGrad();
    const loss = F.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    if (step % EVERY === 0 || step === STEPS) {
      const now = performance.now();
      const done = step % EVERY === 0 ? EVERY : step % EVERY;
      const rate = (done / ((now - t) / 1000)).toFixed(0);
      sample(step, rate, loss.item().toFixed(4));
      t = performance.now(); // the GC and printing are not training time
    }
  }
  const wall = (performance.now() - start) / 1000;

  const after = rows.filter((r) => r.step >= WARMUP);
  console.log(`\n${STEPS} steps in ${wall.toFixed(1)} s (${(STEPS / wall).toFixed(0)} steps/s with the sampling)`);
  if (after.length < 3) {
    console.log('verdict: too few samples after warm-up for a slope (use more --steps or a smaller --every)');
    return;
  }
  const xs = after.map((r) => r.step);
  const per10k = (key) => slope(xs, after.map((r) => r[key])) * 10_000 / MiB;
  const range = (key) => (Math.max(...after.map((r) => r[key])) - Math.min(...after.map((r) => r[key]))) / MiB;
  const limits = { heap: 0.25, external: 0.05, buffers: 0.05 };
  const names = { heap: 'heapUsed', external: 'external', buffers: 'arrayBuffers' };
  let leak = false;
  for (const key of ['heap', 'external', 'buffers']) {
    const s = per10k(key);
    const bad = s > limits[key];
    leak ||= bad;
    console.log(`${names[key].padEnd(12)} slope ${s >= 0 ? '+' : ''}${s.toFixed(4)} MiB per 10k steps (limit ${limits[key]}), range ${range(key).toFixed(3)} MiB after step ${WARMUP}: ${bad ? 'RISING' : 'flat'}`);
  }
  console.log(`verdict: ${leak ? 'POSSIBLE LEAK' : 'no leak'}`);
  process.exitCode = leak ? 1 : 0;
});
