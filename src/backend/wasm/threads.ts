import type { Worker } from 'node:worker_threads';
import type { WasmContext } from './context.js';
import type { WasmModule } from './module.js';
import { optionalNodeModule, type NodeModules } from '../../utils/node.js';

// A pool of worker threads that run kernels on the one shared wasm memory, for kernels (GEMM, convolution)
// that split their work into independent jobs.
//
// Each worker instantiates the compiled module on the same shared memory, then sleeps until the caller
// publishes a batch of jobs in a control block (a SharedArrayBuffer, separate from the wasm memory so that
// memory growth never moves it):
//   - the job table: per job, the export's index in the sorted list of function exports, the argument count,
//     and up to MAX_ARGS arguments as float64;
//   - CLAIM: how many jobs are left to claim. Jobs 1..n-1 are claimed from the top down by a compare-exchange
//     of CLAIM from r to r - 1 (which claims job r); job 0 is always the caller's. Whoever succeeds owns job r of
//     the batch that is published at that moment: the table is not rewritten until every job of the batch is
//     done, so even a worker that read CLAIM in an earlier batch claims correctly (no generation tag, no ABA);
//   - DONE: jobs finished; the thread whose job makes it n notifies the caller;
//   - SEQ: bumped once per batch; idle workers spin briefly on it, then Atomics.wait on it.
// The caller runs job 0, then claims whatever is left (so a slow-to-wake or dead worker only costs time), then
// spins briefly and sleeps on DONE. A job that throws (a trap) records the lowest failing job's message in the
// block; runJobs throws it once the whole batch is done, so no job is still running when the caller moves on.

/** One kernel call: an export of the kernels module and its numeric (i32/f32/f64) arguments. */
export interface Job {
  fn: string;
  args: number[];
}

/** Most arguments a job may have. */
const MAX_ARGS = 16;
/** Jobs per published batch; more run as several batches. */
const BATCH = 256;
/** Most worker threads (a pool of threads - 1 workers). */
const MAX_WORKERS = 63;
/** How long a worker may take to instantiate the module before the pool gives up (ms). */
const START_TIMEOUT_MS = 5000;
// Spinning instead of sleeping saves the ~10 µs of a futex wake per batch, but on a busy machine a woken
// worker often lands on the caller's own core, where every microsecond it spins is one the caller waits.
/** How long the caller spins on DONE before sleeping (ms). */
const CALLER_SPIN_MS = 0.1;
/** How long an idle worker spins on SEQ before sleeping (ms), so back-to-back batches skip the futex wake... */
const WORKER_SPIN_MS = 0.1;
/** ...provided the caller acknowledges the batch within this time (ms), which shows it runs on another core. */
const ACK_WAIT_MS = 0.002;

// Control block layout, in int32 slots; words written by different threads sit on different cache lines.
const SEQ = 0; // batch counter (workers wait on it)
const STOP = 1; // 1: workers exit
const LIMIT = 2; // how many workers may join the batch...
const JOINED = 5; // ...and how many have (a worker joins by taking a ticket: JOINED before the increment < LIMIT)
const N = 3; // jobs in the batch
const ACK = 4; // the last batch the caller saw completed
const CLAIM = 16; // jobs left to claim (jobs 1..CLAIM)
const DONE = 32; // jobs finished
const STARTED = 48; // workers that finished starting (well or not)
const FAILED = 49; // workers that failed to start
const DEAD = 50; // workers that exited
const ERR_LOCK = 51; // spin lock over the error record
const ERR_JOB = 52; // lowest failing job of the batch, or -1
const ERR_LEN = 53; // bytes of its message (UTF-8)
const CUR = 64; // CUR + 16 * id: 1 + the job worker `id` is running, or 0; CUR + 16 * id + 1: jobs it ran
const HEADER_INTS = CUR + 16 * (MAX_WORKERS + 1);
const ERR_OFFSET = HEADER_INTS * 4;
const ERR_BYTES = 2048;
const TABLE_OFFSET = ERR_OFFSET + ERR_BYTES;
const SLOT = MAX_ARGS + 2; // float64s per job: function index, argument count, arguments
const BLOCK_BYTES = TABLE_OFFSET + BATCH * SLOT * 8;

// The worker: plain JavaScript run with `eval: true` (no file to resolve from src/ or dist/).
const WORKER_CODE = `'use strict';
const { workerData } = require('node:worker_threads');
const { module, memory, block, names, id, spinMs, ackMs } = workerData;
const ctl = new Int32Array(block, 0, ${HEADER_INTS});
const table = new Float64Array(block, ${TABLE_OFFSET}, ${BATCH * SLOT});
const errBytes = new Uint8Array(block, ${ERR_OFFSET}, ${ERR_BYTES});
const cur = ${CUR} + 16 * id;
const encoder = new TextEncoder();
const argv = [];
for (let k = 0; k <= ${MAX_ARGS}; k++) argv.push(new Array(k).fill(0));

function describe(e) {
  return e instanceof Error ? e.name + ': ' + e.message : String(e);
}
function recordError(job, message) {
  while (Atomics.compareExchange(ctl, ${ERR_LOCK}, 0, 1) !== 0);
  const prev = Atomics.load(ctl, ${ERR_JOB});
  if (prev < 0 || job < prev) {
    const bytes = encoder.encode(message).subarray(0, ${ERR_BYTES});
    errBytes.set(bytes);
    Atomics.store(ctl, ${ERR_LEN}, bytes.length);
    Atomics.store(ctl, ${ERR_JOB}, job);
  }
  Atomics.store(ctl, ${ERR_LOCK}, 0);
}
function finish() {
  if (Atomics.add(ctl, ${DONE}, 1) + 1 === Atomics.load(ctl, ${N})) Atomics.notify(ctl, ${DONE});
}

let fns;
try {
  const abort = () => { throw new Error('tapegrad wasm: abort'); };
  const exports = new WebAssembly.Instance(module, { env: { memory, abort } }).exports;
  fns = names.map((name) => {
    if (typeof exports[name] !== 'function') throw new Error('no export ' + name);
    return exports[name];
  });
} catch (e) {
  Atomics.add(ctl, ${FAILED}, 1);
}

if (fns) {
  // A worker that exits (process.exit, an uncaught error) while holding a job reports it failed, so the caller
  // never waits for it. (terminate() runs no handler, but the pool only terminates idle workers.)
  process.on('exit', () => {
    const job = Atomics.load(ctl, cur) - 1;
    if (job >= 0) {
      recordError(job, 'Error: the worker thread exited while running the job');
      Atomics.store(ctl, cur, 0);
      finish();
    }
    Atomics.add(ctl, ${DEAD}, 1);
    Atomics.notify(ctl, ${DONE});
  });
}
let seen = Atomics.load(ctl, ${SEQ});
Atomics.add(ctl, ${STARTED}, 1);
Atomics.notify(ctl, ${STARTED});

function work() {
  for (;;) {
    const r = Atomics.load(ctl, ${CLAIM});
    if (r <= 0) return;
    if (Atomics.compareExchange(ctl, ${CLAIM}, r, r - 1) !== r) continue;
    Atomics.store(ctl, cur, r + 1);
    Atomics.add(ctl, cur + 1, 1);
    try {
      const at = r * ${SLOT};
      const argc = table[at + 1];
      const args = argv[argc];
      for (let k = 0; k < argc; k++) args[k] = table[at + 2 + k];
      Reflect.apply(fns[table[at]], undefined, args);
    } catch (e) {
      recordError(r, describe(e));
    }
    Atomics.store(ctl, cur, 0);
    finish();
  }
}

if (fns) {
  for (;;) {
    let s = Atomics.load(ctl, ${SEQ});
    if (s === seen) {
      // Spin a little for the next batch, but only while the caller visibly runs on another core: a caller that
      // does not acknowledge this batch at once is likely waiting for the very core this worker spins on.
      const start = performance.now();
      let acked = false;
      for (let k = 1; (s = Atomics.load(ctl, ${SEQ})) === seen; k++) {
        if ((k & 63) !== 0) continue;
        if (!acked) acked = Atomics.load(ctl, ${ACK}) === seen;
        const t = performance.now() - start;
        if (t > spinMs || (!acked && t > ackMs)) break;
      }
      while (s === seen) {
        Atomics.wait(ctl, ${SEQ}, seen);
        s = Atomics.load(ctl, ${SEQ});
      }
    }
    seen = s;
    if (Atomics.load(ctl, ${STOP}) !== 0) break;
    if (Atomics.add(ctl, ${JOINED}, 1) < Atomics.load(ctl, ${LIMIT})) work();
  }
}
`;

interface Pool {
  readonly wasm: WasmModule;
  readonly workers: Worker[];
  readonly ctl: Int32Array;
  readonly table: Float64Array;
  readonly errBytes: Uint8Array;
  /** Function export name → its index in the list the workers got. */
  readonly index: ReadonlyMap<string, number>;
  seq: number;
  /** A worker exited: the pool is replaced before the next batch. */
  broken: boolean;
}

type WorkerThreads = NodeModules['worker_threads'];

let pool: Pool | null = null;
/** Modules whose workers failed to start: they run on the calling thread from then on. */
const failed = new WeakSet<WasmModule>();
function workerThreads(): WorkerThreads | null {
  try {
    return optionalNodeModule('worker_threads') ?? null;
  } catch {
    return null;
  }
}

function functionNames(wasm: WasmModule): string[] {
  return Object.keys(wasm.exports).filter((k) => typeof wasm.exports[k] === 'function').sort();
}

/** Starts `count` workers on `wasm` and waits until they have instantiated it; null if they cannot. */
function startPool(wt: WorkerThreads, wasm: WasmModule, count: number): Pool | null {
  const block = new SharedArrayBuffer(BLOCK_BYTES);
  const ctl = new Int32Array(block, 0, HEADER_INTS);
  const names = functionNames(wasm);
  const p: Pool = {
    wasm, workers: [], ctl, seq: 0, broken: false,
    table: new Float64Array(block, TABLE_OFFSET, BATCH * SLOT),
    errBytes: new Uint8Array(block, ERR_OFFSET, ERR_BYTES),
    index: new Map(names.map((name, i) => [name, i])),
  };
  try {
    for (let id = 1; id <= count; id++) {
      const workerData = { module: wasm.module, memory: wasm.memory, block, names, id, spinMs: WORKER_SPIN_MS, ackMs: ACK_WAIT_MS };
      const w = new wt.Worker(WORKER_CODE, { eval: true, workerData });
      w.unref();
      w.on('error', () => { p.broken = true; });
      w.on('exit', () => { p.broken = true; });
      p.workers.push(w);
    }
    const deadline = performance.now() + START_TIMEOUT_MS;
    for (;;) {
      const started = Atomics.load(ctl, STARTED);
      if (started >= count) break;
      const left = deadline - performance.now();
      if (left <= 0) break;
      Atomics.wait(ctl, STARTED, started, left);
    }
    if (Atomics.load(ctl, STARTED) >= count && Atomics.load(ctl, FAILED) === 0) return p;
  } catch {
    // no threads after all (a Worker or the clone of the module or memory failed)
  }
  stopPool(p);
  return null;
}

function stopPool(p: Pool): void {
  Atomics.store(p.ctl, STOP, 1);
  Atomics.add(p.ctl, SEQ, 1);
  Atomics.notify(p.ctl, SEQ);
  for (const w of p.workers) w.terminate().catch(() => undefined);
}

/** The pool to run `ctx`'s jobs on, started or restarted as needed, or null to run them on this thread. */
function poolFor(ctx: WasmContext): Pool | null {
  const wasm = ctx.wasm;
  if (!wasm.shared || failed.has(wasm)) return null;
  const wt = workerThreads();
  if (!wt) return null;
  const count = Math.min(ctx.threads - 1, MAX_WORKERS);
  if (pool && (pool.wasm !== wasm || pool.broken || pool.workers.length < count)) {
    stopPool(pool);
    pool = null;
  }
  if (!pool) {
    pool = startPool(wt, wasm, count);
    if (!pool) failed.add(wasm);
  }
  return pool;
}

function callJob(wasm: WasmModule, job: Job): void {
  wasm.exports[job.fn](...job.args);
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function jobError(job: number, jobs: readonly Job[], message: string, cause?: unknown): Error {
  return new Error(`tapegrad wasm: job ${job} (${jobs[job].fn}) failed: ${message}`, cause === undefined ? undefined : { cause });
}

function runSerial(ctx: WasmContext, jobs: readonly Job[], lo: number, hi: number): void {
  for (let j = lo; j < hi; j++) {
    try {
      callJob(ctx.wasm, jobs[j]);
    } catch (e) {
      throw jobError(j, jobs, describe(e), e);
    }
  }
}

/** Publishes jobs[lo..hi) to the workers, runs its share, and returns when all are done. */
function runBatch(p: Pool, ctx: WasmContext, jobs: readonly Job[], lo: number, hi: number): void {
  const { ctl, table } = p;
  const n = hi - lo;
  for (let r = 1; r < n; r++) {
    const job = jobs[lo + r];
    const at = r * SLOT;
    table[at] = p.index.get(job.fn)!;
    table[at + 1] = job.args.length;
    for (let k = 0; k < job.args.length; k++) table[at + 2 + k] = job.args[k];
  }
  Atomics.store(ctl, N, n);
  Atomics.store(ctl, DONE, 0);
  Atomics.store(ctl, ERR_JOB, -1);
  const limit = Math.min(ctx.threads - 1, n - 1);
  Atomics.store(ctl, LIMIT, limit);
  Atomics.store(ctl, JOINED, 0);
  Atomics.store(ctl, CLAIM, n - 1);
  p.seq = (p.seq + 1) | 0;
  Atomics.store(ctl, SEQ, p.seq);
  Atomics.notify(ctl, SEQ, limit);

  // Job 0, then whatever the workers have not claimed yet.
  let mine = -1, mineError: unknown;
  for (let r = 0; ; ) {
    try {
      callJob(ctx.wasm, jobs[lo + r]);
    } catch (e) {
      if (mine < 0 || r < mine) { mine = r; mineError = e; }
    }
    Atomics.add(ctl, DONE, 1);
    do r = Atomics.load(ctl, CLAIM); while (r > 0 && Atomics.compareExchange(ctl, CLAIM, r, r - 1) !== r);
    if (r <= 0) break;
  }

  // Wait for the workers' jobs: spin a little, then sleep (a worker's exit also wakes this up).
  let done = Atomics.load(ctl, DONE);
  if (done < n) {
    const until = performance.now() + CALLER_SPIN_MS;
    for (let k = 1; (done = Atomics.load(ctl, DONE)) < n; k++) {
      if ((k & 255) === 0 && performance.now() > until) break;
    }
    while (done < n) {
      Atomics.wait(ctl, DONE, done, 1000);
      done = Atomics.load(ctl, DONE);
    }
  }
  Atomics.store(ctl, ACK, p.seq);
  if (Atomics.load(ctl, DEAD) > 0) p.broken = true;

  const theirs = Atomics.load(ctl, ERR_JOB);
  if (theirs >= 0 && (mine < 0 || theirs < mine)) {
    const bytes = p.errBytes.slice(0, Atomics.load(ctl, ERR_LEN));
    throw jobError(lo + theirs, jobs, new TextDecoder().decode(bytes));
  }
  if (mine >= 0) throw jobError(lo + mine, jobs, describe(mineError), mineError);
}

/**
 * Runs jobs[0] on the calling thread and the others on worker threads (at most ctx.threads - 1 workers),
 * returning when all are done. Jobs must be independent (disjoint outputs): which thread runs which job, and in
 * what order, varies. With ctx.threads === 1, no shared memory, or no worker_threads (browsers), runs them all in
 * order on the calling thread. The first call starts the workers (tens of ms); if they cannot start, every call
 * runs on the calling thread. Throws, once every job is done, an Error naming the lowest-numbered job that
 * failed (a trap, wherever it ran).
 */
export function runJobs(ctx: WasmContext, jobs: readonly Job[]): void {
  for (const job of jobs) {
    if (typeof ctx.wasm.exports[job.fn] !== 'function') throw new TypeError(`runJobs: the kernels export no function '${job.fn}'`);
    if (job.args.length > MAX_ARGS) throw new RangeError(`runJobs: '${job.fn}' has ${job.args.length} arguments, more than ${MAX_ARGS}`);
  }
  const p = jobs.length > 1 && ctx.threads > 1 ? poolFor(ctx) : null;
  for (let lo = 0; lo < jobs.length; lo += BATCH) {
    const hi = Math.min(jobs.length, lo + BATCH);
    if (p && hi - lo > 1) runBatch(p, ctx, jobs, lo, hi);
    else runSerial(ctx, jobs, lo, hi);
  }
}

/** Stops the workers (for tests and a clean exit); the pool restarts lazily on the next runJobs. */
export function shutdownThreads(): void {
  if (pool) stopPool(pool);
  pool = null;
}

/** @internal For tests: the pool's workers (to kill one) and how many jobs they have run. */
export function threadPoolForTests(): { workers: readonly Worker[]; workerJobs: number } {
  if (!pool) return { workers: [], workerJobs: 0 };
  let workerJobs = 0;
  for (let id = 1; id <= pool.workers.length; id++) workerJobs += Atomics.load(pool.ctl, CUR + 16 * id + 1);
  return { workers: pool.workers, workerJobs };
}
