// The timing helper every JS engine uses (bench/torch_bench.py has the same algorithm in Python), and the
// small protocol of the engine child processes: a JSON config as the one argument, the results as one JSON
// line on stdout, progress on stderr.
import { fileURLToPath } from 'node:url';

/** Timing settings of a full run and of `--quick`. `budgetMs` is scaled by `--budget`. */
export const TIMING = {
  full: { warmupMs: 400, minSampleMs: 20, budgetMs: 1500, minSamples: 5, maxSamples: 400, capMs: 15000 },
  quick: { warmupMs: 0, minSampleMs: 5, budgetMs: 50, minSamples: 1, maxSamples: 20, capMs: 50 },
};

const now = () => performance.now();

/**
 * Times `fn` and returns the milliseconds per call of each sample.
 *
 * 1. Warm-up: calls `fn` at least once, and until `warmupMs` have passed.
 * 2. Calibration: a sample is `inner` back-to-back calls, enough to last `minSampleMs` (so a 1 µs op is timed
 *    in batches, not one call at a time).
 * 3. Samples until at least `minSamples` are taken and `budgetMs` has passed, or `maxSamples` are taken; a
 *    slow workload stops after `capMs` of sampling even below `minSamples` (it keeps at least one sample).
 */
export function measure(fn, t) {
  let last = 0, warmup = 0;
  const w0 = now();
  do {
    const c = now();
    fn();
    last = now() - c;
    warmup++;
  } while (now() - w0 < t.warmupMs);

  let inner = 1;
  if (last < t.minSampleMs) {
    const c = now();
    for (inner = 0; now() - c < t.minSampleMs; inner++) fn();
    warmup += inner;
  }

  const samples = [];
  const s0 = now();
  for (;;) {
    const c = now();
    for (let i = 0; i < inner; i++) fn();
    samples.push((now() - c) / inner);
    const elapsed = now() - s0;
    if (samples.length >= t.maxSamples) break;
    if (samples.length >= t.minSamples && elapsed >= t.budgetMs) break;
    if (elapsed >= t.capMs) break;
  }
  return { samples, inner, calls: warmup + samples.length * inner };
}

/** Median, quartiles, min and max of `xs`. */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => {
    const i = (s.length - 1) * p, lo = Math.floor(i), hi = Math.ceil(i);
    return s[lo] + (s[hi] - s[lo]) * (i - lo);
  };
  return { n: s.length, median: q(0.5), p25: q(0.25), p75: q(0.75), min: s[0], max: s[s.length - 1] };
}

/** Whether the module at `url` is the script node was started with. */
export function isMain(url) {
  return process.argv[1] === fileURLToPath(url);
}

/** Reads the engine config (`{workloads, timing, ...}`) from the command line. */
export function childConfig() {
  return JSON.parse(process.argv[2] ?? '{}');
}

/** Prints the results as one JSON line on stdout and exits (worker threads may otherwise keep node alive). */
export function emit(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

export function log(...parts) {
  process.stderr.write(`${parts.join(' ')}\n`);
}

/**
 * Runs each workload of `config.workloads`: `setup(id, spec)` returns `{ step, loss? }`; `step` is timed.
 * For training workloads `loss()` is read before and after, as a sanity check: engines should start from
 * about the same loss, and training should lower it.
 * Errors are kept per workload (a peer that lacks a kernel is reported, not fatal).
 */
export function runWorkloads(engine, config, setup) {
  const results = {};
  for (const id of config.workloads) {
    try {
      const { step, loss } = setup(id, config.specs[id]);
      const lossBefore = loss?.();
      const { samples, inner, calls } = measure(step, config.timing);
      results[id] = { samples, inner, calls, lossBefore, lossAfter: loss?.() };
      log(`  ${engine} ${id}: ${stats(samples).median.toPrecision(4)} ms/call (${samples.length}×${inner})`);
    } catch (e) {
      results[id] = { error: String(e?.message ?? e).split('\n')[0] };
      log(`  ${engine} ${id}: error: ${results[id].error}`);
    }
  }
  return results;
}
