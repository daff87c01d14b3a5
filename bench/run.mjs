// The benchmark of issue 6: runs the workloads (bench/workloads.mjs) in tapegrad (reference backend, wasm
// backend with 1 and 2 threads), tfjs (cpu, wasm) and PyTorch (1 and 2 threads), one child process per
// engine, then the memory test; prints the machine, a table and the goals; writes the raw results as JSON.
// Usage: node bench/run.mjs [--quick] [--memory | --no-memory] [...]; see bench/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TIMING, stats } from './timing.mjs';
import { WORKLOADS, WORKLOAD_IDS, toUnit } from './workloads.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------- options

function usage(message) {
  console.error(`bench/run.mjs: ${message} (see bench/README.md, or --help)`);
  process.exit(2);
}

const OPTIONS = {
  quick: { type: 'boolean', default: false },
  budget: { type: 'string' },
  workloads: { type: 'string' },
  engines: { type: 'string' },
  memory: { type: 'boolean', default: false },
  'no-memory': { type: 'boolean', default: false },
  'memory-steps': { type: 'string' },
  'memory-every': { type: 'string' },
  'memory-seconds': { type: 'string' },
  'memory-warmup': { type: 'string' },
  'tfjs-memory-seconds': { type: 'string' },
  python: { type: 'string' },
  out: { type: 'string', default: `${here}results` },
  help: { type: 'boolean', short: 'h', default: false },
};
let opt;
try {
  opt = parseArgs({ options: OPTIONS }).values;
} catch (e) {
  usage(e.message);
}

if (opt.help) {
  console.log(readFileSync(`${here}README.md`, 'utf8'));
  process.exit(0);
}

/** The engines, in table order: a column label, and how to start the child process. */
const ENGINES = {
  'tapegrad-ref': { label: 'tg ref', kind: 'tapegrad', backend: 'ref' },
  'tapegrad-wasm1': { label: 'tg wasm 1T', kind: 'tapegrad', backend: 'wasm1' },
  'tapegrad-wasm2': { label: 'tg wasm 2T', kind: 'tapegrad', backend: 'wasm2' },
  'tfjs-cpu': { label: 'tfjs cpu', kind: 'tfjs', backend: 'cpu' },
  'tfjs-wasm': { label: 'tfjs wasm', kind: 'tfjs', backend: 'wasm' },
  'torch-1t': { label: 'torch 1T', kind: 'torch', threads: 1 },
  'torch-2t': { label: 'torch 2T', kind: 'torch', threads: 2 },
};
/** The engine the goals judge: tapegrad's default backend (wasm, 2 threads); the 1-thread figure is shown too. */
const TG = 'tapegrad-wasm2', TG1 = 'tapegrad-wasm1';

const list = (s, all, what) => {
  if (!s) return all;
  const xs = s.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = xs.filter((x) => !all.includes(x));
  if (bad.length) usage(`unknown ${what} ${bad.join(', ')}: expected some of ${all.join(', ')}`);
  return all.filter((x) => xs.includes(x)); // in table order
};
const num = (s, dflt) => {
  if (s === undefined) return dflt;
  const v = Number(s);
  if (!Number.isFinite(v) || v < 0) usage(`expected a number ≥ 0, got ${s}`);
  return v;
};

const workloads = list(opt.workloads, WORKLOAD_IDS, 'workload');
const engines = list(opt.engines, Object.keys(ENGINES), 'engine');
const timing = { ...TIMING[opt.quick ? 'quick' : 'full'] };
if (opt.budget !== undefined) timing.budgetMs = num(opt.budget) * 1e3;

// The memory test: by default tapegrad for up to 2,000 steps but at most 60 s, tfjs-cpu for 20 s; --memory
// lifts tapegrad's time limit and gives tfjs-cpu 60 s; --quick runs a few steps of each.
const memory = opt['no-memory'] ? null : {
  steps: num(opt['memory-steps'], opt.quick ? 20 : 2000),
  every: Math.max(1, num(opt['memory-every'], opt.quick ? 5 : 100)),
  warmup: num(opt['memory-warmup'], opt.quick ? 5 : 200),
  seconds: num(opt['memory-seconds'], opt.quick ? 10 : opt.memory ? 0 : 60),
  tfjsSeconds: num(opt['tfjs-memory-seconds'], opt.quick ? 5 : opt.memory ? 60 : 20),
};

// ---------------------------------------------------------------------------------------------- machine

function tryRun(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    return null;
  }
}

/** The first of --python, /usr/bin/python3 and python3 that imports torch. */
function findPython() {
  const candidates = opt.python ? [opt.python] : ['/usr/bin/python3', 'python3'];
  for (const py of candidates) {
    const v = tryRun(py, ['-c', 'import torch; print(torch.__version__)']);
    if (v) return { python: py, torch: v };
  }
  return { python: null, torch: null, tried: candidates };
}

const py = engines.some((e) => ENGINES[e].kind === 'torch') ? findPython() : { python: null, torch: null };
const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  node: process.version,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  totalMemory: os.totalmem(),
  loadAverageBefore: os.loadavg()[0],
};
const peers = {
  'tfjs-core': packageVersion('@tensorflow/tfjs-core'),
  'tfjs-backend-cpu': packageVersion('@tensorflow/tfjs-backend-cpu'),
  'tfjs-backend-wasm': packageVersion('@tensorflow/tfjs-backend-wasm'),
  torch: py.torch,
  python: py.python,
};
const tapegrad = {
  version: JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version,
  commit: tryRun('git', ['-C', root, 'rev-parse', '--short', 'HEAD']),
  dirty: Boolean(tryRun('git', ['-C', root, 'status', '--porcelain'])),
};

console.log('tapegrad benchmark (issue 6)');
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${(machine.totalMemory / 2 ** 30).toFixed(1)} GiB, ${machine.platform}, Node ${machine.node}`);
console.log(`tapegrad ${tapegrad.version} (${tapegrad.commit ?? 'no git'}${tapegrad.dirty ? ', uncommitted changes' : ''})`);
console.log(`peers: tfjs-core ${peers['tfjs-core'] ?? 'not installed'}, tfjs-backend-cpu ${peers['tfjs-backend-cpu'] ?? 'not installed'}, ` +
  `tfjs-backend-wasm ${peers['tfjs-backend-wasm'] ?? 'not installed'}, ` +
  `torch ${py.torch ? `${py.torch} (${py.python})` : py.tried ? `not installed (no torch in ${py.tried.join(', ')})` : 'not checked'}`);
if (machine.loadAverageBefore > 0.7) {
  console.log(`WARNING: load average ${machine.loadAverageBefore.toFixed(1)} before the run: other processes are using the CPU, timings will be noisy (PyTorch with 2 threads suffers most)`);
}
console.log(`mode: ${opt.quick ? 'quick (smoke test: brief timings, not meaningful)' : 'full'}; workloads ${workloads.join(' ')}`);

if (!existsSync(`${root}dist/index.js`)) {
  console.error('dist/index.js is missing: run `npm run build` first (or `npm run bench`, which builds).');
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------- children

const TFJS_BANNER = /^(=+|Hi, looks like you are running TensorFlow\.js in Node\.js.*|)$/;

/**
 * Runs a child process and resolves with the JSON object it printed last on stdout, or `{ error }`. Its stderr
 * (progress lines) is shown as it comes, without tfjs's "install tfjs-node" banner.
 */
function runChild(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', errTail = '', pending = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => {
      const lines = (pending + d).split('\n');
      pending = lines.pop();
      for (const line of lines) {
        if (!TFJS_BANNER.test(line.trim())) process.stderr.write(`${line}\n`);
        if (line.trim()) errTail = line.trim();
      }
    });
    const timer = timeoutMs > 0 ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : null;
    child.on('error', (e) => resolve({ error: `could not start ${cmd}: ${e.message}` }));
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const line = out.trim().split('\n').reverse().find((l) => l.startsWith('{'));
      if (line) {
        try {
          return resolve(JSON.parse(line));
        } catch { /* reported below */ }
      }
      const why = signal ? `killed by ${signal}${signal === 'SIGKILL' ? ` (timeout ${timeoutMs / 1e3} s)` : ''}` : `exit code ${code}`;
      resolve({ error: `${why}${errTail ? `: ${errTail}` : ''}` });
    });
  });
}

const specs = Object.fromEntries(workloads.map((id) => [id, WORKLOADS[id]]));
const CHILD_TIMEOUT_MS = 15 * 60e3;

function startEngine(name) {
  const e = ENGINES[name];
  const config = { workloads, specs, timing };
  if (e.kind === 'tapegrad') return runChild(process.execPath, [`${here}tapegrad.mjs`, JSON.stringify({ ...config, backend: e.backend })], CHILD_TIMEOUT_MS);
  if (e.kind === 'tfjs') {
    if (!peers['tfjs-core'] || !peers[`tfjs-backend-${e.backend}`]) return { skipped: `not installed (@tensorflow/tfjs-core, @tensorflow/tfjs-backend-${e.backend})` };
    return runChild(process.execPath, [`${here}tfjs.mjs`, JSON.stringify({ ...config, backend: e.backend })], CHILD_TIMEOUT_MS);
  }
  if (!py.python) return { skipped: 'not installed (no python with torch)' };
  return runChild(py.python, [`${here}torch_bench.py`, JSON.stringify({ ...config, threads: e.threads })], CHILD_TIMEOUT_MS);
}

const started = performance.now();
const raw = {};
for (const name of engines) {
  console.error(`${name}…`);
  raw[name] = await startEngine(name);
  if (raw[name].error || raw[name].skipped) console.error(`  ${name}: ${raw[name].error ?? raw[name].skipped}`);
}

let mem = null;
if (memory) {
  const run = (engine, seconds, backend) => {
    const cfg = { engine, backend, steps: memory.steps, every: memory.every, seconds, spec: WORKLOADS.W3 };
    console.error(`memory ${engine} (W3, up to ${memory.steps} steps${seconds ? `, at most ${seconds} s` : ''})…`);
    return runChild(process.execPath, [`${here}memory.mjs`, JSON.stringify(cfg)], seconds ? (seconds + 300) * 1e3 : 0);
  };
  mem = { config: memory, tapegrad: await run('tapegrad', memory.seconds, 'wasm2') };
  mem['tfjs-cpu'] = peers['tfjs-core'] && peers['tfjs-backend-cpu'] ? await run('tfjs-cpu', memory.tfjsSeconds) : { skipped: 'not installed' };
}
const elapsed = (performance.now() - started) / 1e3;
machine.loadAverageAfter = os.loadavg()[0];

// ---------------------------------------------------------------------------------------------- results

/** Per engine and workload: the stats of the samples in ms, and the median and spread in the table's unit. */
const results = {};
for (const name of engines) {
  const r = raw[name];
  results[name] = {};
  for (const id of workloads) {
    const cell = r.results?.[id];
    if (!cell || cell.error) {
      results[name][id] = { error: cell?.error ?? r.error ?? r.skipped ?? 'no result' };
      continue;
    }
    const ms = stats(cell.samples);
    const a = toUnit(id, ms.min), b = toUnit(id, ms.max), q1 = toUnit(id, ms.p25), q3 = toUnit(id, ms.p75);
    results[name][id] = {
      ...cell,
      ms,
      unit: WORKLOADS[id].unit,
      median: toUnit(id, ms.median),
      min: Math.min(a, b), max: Math.max(a, b), p25: Math.min(q1, q3), p75: Math.max(q1, q3),
    };
  }
}

const value = (engine, id) => results[engine]?.[id]?.median;

const fmt = (v) => {
  if (v === undefined || !Number.isFinite(v)) return 'n/a';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
};
const mib = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;

/** A short reason for a missing cell, for the notes under the table. */
function reason(error) {
  if (/Conv2DBackprop|conv.*backward/i.test(error)) return `no conv backward (${error})`;
  return error;
}

/** Training cells whose loss is not finite or did not go down while timing. */
function lossChecks() {
  const bad = [];
  for (const e of engines) {
    for (const id of workloads) {
      const { lossBefore: a, lossAfter: b, calls } = results[e][id];
      if (a === undefined || a === null) continue;
      if (!(Number.isFinite(a) && Number.isFinite(b) && b < a)) bad.push(`${ENGINES[e].label} ${id}: loss ${a} → ${b} after ${calls} steps`);
    }
  }
  return bad;
}

function table() {
  const cols = engines.map((e) => ENGINES[e].label);
  const rows = workloads.map((id) => {
    const w = WORKLOADS[id];
    return [`${id} ${w.title}`, w.unit, ...engines.map((e) => {
      const c = results[e][id];
      if (c.error) return 'n/a';
      const spread = c.median ? Math.round((50 * (c.p75 - c.p25)) / c.median) : 0;
      return `${fmt(c.median)} ±${spread > 999 ? '>999' : spread}%`;
    })];
  });
  const head = ['workload', 'unit', ...cols];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  out.push('', 'Medians; ± is half the interquartile range, relative to the median. Higher is better for GFLOP/s and steps/s.');
  const notes = new Map();
  for (const e of engines) {
    const r = raw[e];
    if (r.skipped || r.error) notes.set(`${ENGINES[e].label}: ${r.skipped ?? r.error}`, true);
    else for (const id of workloads) if (results[e][id].error) notes.set(`${ENGINES[e].label} ${id}: ${reason(results[e][id].error)}`, true);
  }
  if (notes.size) out.push('n/a:', ...[...notes.keys()].map((n) => `  ${n}`));
  const suspect = lossChecks();
  if (suspect.length) out.push('SUSPECT (training did not lower a finite loss: a wrong kernel?):', ...suspect.map((n) => `  ${n}`));
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------- goals

const status = (ok) => (ok ? 'PASS' : 'FAIL');
const have = (...vs) => vs.every((v) => v !== undefined && Number.isFinite(v));
const x = (r) => `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;

/**
 * A goal comparing tapegrad (default backend) with a peer: `ratio(tg, peer)` must satisfy `ok`. The 1-thread
 * wasm backend's ratio is shown alongside.
 */
function ratioGoal(label, id, peer, ratio, ok, describe) {
  const t = value(TG, id), t1 = value(TG1, id), p = value(peer, id);
  if (!have(t, p)) return { label, status: 'n/a', detail: `needs ${ENGINES[TG].label} and ${ENGINES[peer]?.label ?? peer} ${id} results` };
  const r = ratio(t, p), unit = WORKLOADS[id].unit;
  const one = have(t1) ? `; wasm 1T ${fmt(t1)}: ${x(ratio(t1, p))}` : '';
  return { label, status: status(ok(r)), ratio: r, detail: `tapegrad ${fmt(t)} vs ${fmt(p)} ${unit}: ${describe(r)}${one}` };
}

const faster = (r) => `${x(r)} faster`;
const ofPeer = (r) => `${x(r)} the peer's time`;

function memoryGoals() {
  if (!mem) return [{ label: 'memory: W3 RSS flat ±10 %', status: 'n/a', detail: 'skipped (--no-memory)' }];
  const t = mem.tapegrad, c = mem['tfjs-cpu'];
  const goals = [];
  if (t.error) {
    goals.push({ label: 'memory: W3 RSS flat ±10 % after warm-up', status: 'n/a', detail: t.error });
  } else {
    const after = t.samples.filter((s) => s.step >= memory.warmup);
    const partial = t.steps < t.requestedSteps ? ` (partial: ${t.steps} of ${t.requestedSteps} steps, time limit ${memory.seconds} s; --memory runs them all)` : '';
    if (after.length < 2) {
      goals.push({ label: 'memory: W3 RSS flat ±10 % after warm-up', status: 'n/a', detail: `too few samples after the ${memory.warmup}-step warm-up: ${t.steps} steps at ${fmt(t.msPerStep)} ms${partial}` });
    } else {
      // Every sample within ±10 % of the samples' median (a GC sawtooth should not hang on where the first falls);
      // the trend (last third's mean over the first third's) tells a slow leak.
      const rs = after.map((s) => s.rss), mid = stats(rs).median;
      const lo = Math.min(...rs) / mid - 1, hi = Math.max(...rs) / mid - 1, dev = Math.max(-lo, hi);
      const third = Math.max(1, Math.floor(rs.length / 3)), mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const trend = mean(rs.slice(-third)) / mean(rs.slice(0, third)) - 1;
      const pct = (v) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)} %`;
      goals.push({
        label: 'memory: W3 RSS flat ±10 % after warm-up', status: status(dev <= 0.1), deviation: dev, trend,
        detail: `steps ${after[0].step}–${after.at(-1).step}: RSS median ${mib(mid)}, ${pct(lo)} to ${pct(hi)}; trend ${pct(trend)} (last third vs first)${partial}`,
      });
    }
  }
  const label = 'memory: W3 peak RSS below tfjs-cpu';
  if (t.error || c.error || c.skipped) goals.push({ label, status: 'n/a', detail: t.error ?? c.error ?? c.skipped });
  else {
    goals.push({
      label, status: status(t.peakRss < c.peakRss), ratio: t.peakRss / c.peakRss,
      detail: `tapegrad ${mib(t.peakRss)} (${t.steps} steps) vs tfjs-cpu ${mib(c.peakRss)} (${c.steps} step${c.steps === 1 ? '' : 's'}, ${fmt(c.msPerStep / 1e3)} s/step)`,
    });
  }
  return goals;
}

const goals = [
  (() => {
    const t = value(TG, 'W0'), t1 = value(TG1, 'W0');
    if (!have(t)) return { label: 'W0 ≤ 1 µs/op', status: 'n/a', detail: 'no tapegrad W0 result' };
    return { label: 'W0 ≤ 1 µs/op', status: status(t <= 1), detail: `tapegrad ${fmt(t)} µs/op${have(t1) ? `; wasm 1T ${fmt(t1)}` : ''}` };
  })(),
  ratioGoal('W1 ≥ 2× tfjs-wasm', 'W1', 'tfjs-wasm', (t, p) => t / p, (r) => r >= 2, (r) => `${x(r)} tfjs-wasm`),
  ratioGoal('W1 ≥ 0.3× PyTorch 2T', 'W1', 'torch-2t', (t, p) => t / p, (r) => r >= 0.3, (r) => `${x(r)} PyTorch`),
  ratioGoal('W2 ≥ 5× faster than tfjs-wasm', 'W2', 'tfjs-wasm', (t, p) => p / t, (r) => r >= 5, faster),
  ratioGoal('W2 within 2× of PyTorch 1T', 'W2', 'torch-1t', (t, p) => t / p, (r) => r <= 2, ofPeer),
  ratioGoal('W3 ≥ 100× faster than tfjs-cpu', 'W3', 'tfjs-cpu', (t, p) => p / t, (r) => r >= 100, faster),
  ratioGoal('W3 within 2.5× of PyTorch 1T', 'W3', 'torch-1t', (t, p) => t / p, (r) => r <= 2.5, ofPeer),
  ratioGoal('W4 more steps/s than PyTorch 1T', 'W4', 'torch-1t', (t, p) => t / p, (r) => r > 1, (r) => `${x(r)} PyTorch's rate`),
  ratioGoal('W5 within 2× of PyTorch 1T', 'W5', 'torch-1t', (t, p) => t / p, (r) => r <= 2, ofPeer),
  ...memoryGoals(),
].filter((g) => !g.label.startsWith('W') || workloads.includes(g.label.slice(0, 2)));

function goalLines() {
  const w = Math.max(...goals.map((g) => g.label.length));
  return goals.map((g) => `${g.status.padEnd(4)}  ${g.label.padEnd(w)}  ${g.detail}`).join('\n');
}

function memoryLines() {
  return ['tapegrad', 'tfjs-cpu'].map((e) => {
    const m = mem[e];
    if (m.error || m.skipped) return `  ${e}: ${m.error ?? m.skipped}`;
    const trace = m.samples.map((s) => `${s.step}:${(s.rss / 2 ** 20).toFixed(0)}`).join(' ');
    return `  ${e}${m.backend ? ` (${m.backend})` : ''}: ${m.steps}/${m.requestedSteps} steps in ${m.seconds.toFixed(0)} s (${fmt(m.msPerStep)} ms/step), ` +
      `peak ${mib(m.peakRss)}, RSS by step (MiB) ${trace}`;
  }).join('\n');
}

const report = [
  '', `Results (${opt.quick ? 'QUICK: smoke test only, ' : ''}${elapsed.toFixed(0)} s; load average ${machine.loadAverageBefore.toFixed(1)} before, ` +
    `${machine.loadAverageAfter.toFixed(1)} after, on ${machine.cores} cores${machine.loadAverageBefore > 0.7 || machine.loadAverageAfter > machine.cores ? ': BUSY MACHINE, noisy timings' : ''})`, '',
  table(), '',
  'Goals (tapegrad = the default backend, wasm with 2 threads; "wasm 1T" = the same with 1 thread):',
  goalLines(), '',
  memory ? `Memory (W3 training, RSS sampled every ${memory.every} steps, one process per engine):` : 'Memory: skipped (--no-memory)',
  ...(memory ? [memoryLines()] : []),
].join('\n');
console.log(report);

// ---------------------------------------------------------------------------------------------- JSON

const date = new Date();
const json = {
  date: date.toISOString(), elapsedSeconds: elapsed, machine, peers, tapegrad,
  options: { quick: opt.quick, workloads, engines, timing, memory }, specs,
  engines: Object.fromEntries(engines.map((e) => {
    const { results: _, ...info } = raw[e];
    return [e, { label: ENGINES[e].label, ...info, results: results[e] }];
  })),
  memory: mem, goals, suspect: lossChecks(), report,
};
mkdirSync(opt.out, { recursive: true });
const text = `${JSON.stringify(json, null, 1)}\n`;
const stamp = date.toISOString().replace(/[:.]/g, '-');
writeFileSync(`${opt.out}/latest.json`, text);
writeFileSync(`${opt.out}/${stamp}${opt.quick ? '-quick' : ''}.json`, text);
console.log(`\nWrote ${opt.out}/latest.json and ${stamp}${opt.quick ? '-quick' : ''}.json`);
