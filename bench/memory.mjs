// The memory test, one engine per process so that peaks do not mix: trains W3 (the CNN) for `steps` steps,
// or until `seconds` have passed, sampling the resident set size every `every` steps, and reports the
// process's peak RSS (getrusage's maxrss: the high-water mark, not just the highest sample).
//   node bench/memory.mjs '{"engine":"tapegrad","backend":"wasm2","steps":2000,"every":100,"seconds":60,"spec":{…}}'
//   node bench/memory.mjs '{"engine":"tfjs-cpu",…}'
// `seconds` 0 means no time limit.
import { childConfig, emit, log } from './timing.mjs';

const rss = () => process.memoryUsage.rss();
/** Resident set size, plus V8's heap and the typed-array memory, to tell a leak from garbage not yet collected. */
function usage() {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}
const peakRss = () => process.resourceUsage().maxRSS * 1024;

async function load(config) {
  if (config.engine === 'tapegrad') {
    const tg = await import('../dist/index.js');
    const { backend, setup } = await import('./tapegrad.mjs');
    const be = backend(config.backend);
    if (!be) throw new Error('WebAssembly SIMD unavailable: no wasm backend');
    return { setup: (spec) => tg.withBackend(be, () => setup('W3', spec)), wrap: (fn) => () => tg.withBackend(be, fn) };
  }
  const tfjs = await import('./tfjs.mjs');
  await tfjs.init(config.engine.replace(/^tfjs-/, ''));
  return { setup: (spec) => tfjs.setup('W3', spec), wrap: (fn) => fn, tensors: tfjs.liveTensors };
}

const config = childConfig();
try {
  const baselineRss = rss();
  const engine = await load(config);
  const { step: rawStep, loss } = engine.setup(config.spec);
  const step = engine.wrap(rawStep);
  const samples = [];
  const sample = (n, t0) => samples.push({ step: n, seconds: (performance.now() - t0) / 1e3, ...usage(), tensors: engine.tensors?.() });
  const t0 = performance.now();
  let n = 0, stoppedBy = 'steps';
  sample(0, t0);
  while (n < config.steps) {
    step();
    n++;
    const timeUp = config.seconds > 0 && performance.now() - t0 >= config.seconds * 1e3;
    if (n % config.every === 0 || timeUp || n === config.steps) {
      sample(n, t0);
      log(`  memory ${config.engine}: step ${n}, rss ${(samples.at(-1).rss / 2 ** 20).toFixed(1)} MiB`);
    }
    if (timeUp && n < config.steps) {
      stoppedBy = 'time';
      break;
    }
  }
  const seconds = (performance.now() - t0) / 1e3;
  emit({
    engine: config.engine, backend: config.backend, requestedSteps: config.steps, steps: n, stoppedBy, seconds,
    msPerStep: (seconds * 1e3) / n, baselineRss, peakRss: peakRss(), samples, loss: engine.wrap(loss)(),
  });
} catch (e) {
  emit({ error: String(e?.message ?? e).split('\n')[0] });
}
