// The worker-thread pool (src/backend/wasm/threads.ts) on the test kernels of asm/threads.ts: jobs split across
// threads write what they should (thousands of repetitions, to flush out races), more jobs than threads all
// run, a trap in any job surfaces as an Error and leaves the pool usable, one thread runs in order, and the pool
// survives shutdown, a dead worker, and workers that cannot start.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { newContext, type WasmContext } from '../../src/backend/wasm/context.js';
import { wasmModule, type WasmModule } from '../../src/backend/wasm/module.js';
import { kernels } from '../../src/backend/wasm/kernels.generated.js';
import { runJobs, shutdownThreads, threadPoolForTests, type Job } from '../../src/backend/wasm/threads.js';

const wasm = wasmModule()!;
const threaded = wasm.shared;

const fill = (ptr: number, start: number, end: number, value: number): Job => ({ fn: 'fillRangeF32', args: [ptr, start, end, value] });
const add = (ptr: number, start: number, end: number, value: number): Job => ({ fn: 'addRangeF32', args: [ptr, start, end, value] });
const trapIf = (x: number): Job => ({ fn: 'trapIf', args: [x] });
const workers = () => threadPoolForTests().workers.length;

/** Runs `fn` on a fresh buffer of `n` float32s in `ctx`'s arena, zeroed. */
function withBuffer<T>(ctx: WasmContext, n: number, fn: (ptr: number) => T): T {
  return ctx.arena.scoped(() => {
    const ptr = ctx.arena.alloc(n * 4);
    ctx.arena.f32(ptr, n).fill(0);
    return fn(ptr);
  });
}

/**
 * An index where `ctx`'s buffer differs from `expected(i)`, or -1. It scans from the end: jobs fill upwards, so
 * a job still running when runJobs returned shows at the end of its range before the JS scan could catch up.
 */
function firstMismatch(ctx: WasmContext, ptr: number, n: number, expected: (i: number) => number): number {
  const a = ctx.arena.f32(ptr, n);
  for (let i = n - 1; i >= 0; i--) if (a[i] !== expected(i)) return i;
  return -1;
}

afterEach(() => {
  expect(workers()).toBeLessThanOrEqual(2);
});
afterAll(() => shutdownThreads());

describe('two threads', () => {
  const ctx = newContext(wasm, 0, 2);

  it('start one worker where memory is shared', () => {
    withBuffer(ctx, 8, (ptr) => runJobs(ctx, [fill(ptr, 0, 4, 1), fill(ptr, 4, 8, 2)]));
    expect(workers()).toBe(threaded ? 1 : 0);
  });

  it('fill disjoint halves of a buffer correctly, thousands of times', () => {
    const before = threadPoolForTests().workerJobs;
    for (let rep = 0; rep < 4000; rep++) {
      // Sizes from tiny to 8 MB, uneven splits (the split often inside a cache line), either job the larger,
      // so either thread may finish first, and the caller often takes the worker's job before it wakes.
      const n = 1 + ((rep * 7919) % (rep % 50 === 0 ? 1 << 21 : rep % 4 === 0 ? 100_000 : 3000));
      const cut = (rep * 104_729) % (n + 1);
      const v = rep + 0.25;
      withBuffer(ctx, n, (ptr) => {
        const [lo, hi] = [fill(ptr, 0, cut, v), fill(ptr, cut, n, -v)];
        runJobs(ctx, rep % 2 === 0 ? [lo, hi] : [hi, lo]);
        const a = ctx.arena.f32(ptr, n);
        const ends = [a[n - 1], a[cut - 1]]; // the last elements the jobs write, first
        const bad = firstMismatch(ctx, ptr, n, (i) => (i < cut ? v : -v));
        if (cut < n && ends[0] !== -v) throw new Error(`rep ${rep}: n ${n}, split ${cut}: runJobs returned early`);
        if (cut > 0 && ends[1] !== v) throw new Error(`rep ${rep}: n ${n}, split ${cut}: runJobs returned early`);
        if (bad >= 0) throw new Error(`rep ${rep}: n ${n}, split ${cut}, wrong at ${bad}`);
      });
    }
    // The workers took part (the caller cannot have outrun a worker every time on large jobs).
    if (threaded) expect(threadPoolForTests().workerJobs - before).toBeGreaterThan(0);
  });

  it('wait for a worker whose job is much longer than the caller job', () => {
    const n = 1 << 22;
    withBuffer(ctx, n, (ptr) => {
      const a = ctx.arena.f32(ptr, n);
      for (let rep = 1; rep <= 30; rep++) {
        // Job 0 is long enough for the worker to wake and take job 1, which is 15 times longer.
        runJobs(ctx, [fill(ptr, 0, n / 16, rep), fill(ptr, n / 16, n, rep)]);
        expect(a[n - 1]).toBe(rep); // the last element the long job writes
      }
    });
  });

  it('see memory the caller grew between calls', () => {
    for (let rep = 0; rep < 8; rep++) {
      const before = wasm.memory.buffer.byteLength;
      const n = before / 4; // more than is free: the arena grows the memory
      withBuffer(ctx, n, (ptr) => {
        expect(wasm.memory.buffer.byteLength).toBeGreaterThan(before);
        // Job 0 keeps the caller busy for a while, so that the worker takes job 1, at the top of the memory.
        const cut = n - 1000;
        runJobs(ctx, [fill(ptr, 0, 100_000, 1), fill(ptr, cut, n, 2)]);
        const a = ctx.arena.f32(ptr, n);
        expect([a[99_999], a[100_000], a[cut - 1], a[cut], a[n - 1]]).toEqual([1, 0, 0, 2, 2]);
      });
      if (before >= 64 << 20) break;
    }
  });

  it('run every job exactly once when there are more jobs than threads', () => {
    // Many small jobs keep both threads claiming at once; adding shows a job run twice as well as one skipped.
    for (const [count, chunk, reps] of [[3, 1000, 50], [17, 37, 50], [64, 5, 50], [257, 37, 50], [600, 1, 50], [2000, 4, 300]]) {
      withBuffer(ctx, count * chunk, (ptr) => {
        for (let rep = 1; rep <= reps; rep++) {
          runJobs(ctx, Array.from({ length: count }, (_, j) => add(ptr, j * chunk, (j + 1) * chunk, j + 1)));
          const bad = firstMismatch(ctx, ptr, count * chunk, (i) => rep * (Math.floor(i / chunk) + 1));
          expect(bad, `${count} jobs, rep ${rep}`).toBe(-1);
        }
      });
    }
  });

  it('run an empty list and a single job', () => {
    runJobs(ctx, []);
    withBuffer(ctx, 4, (ptr) => {
      runJobs(ctx, [fill(ptr, 1, 3, 5)]);
      expect(Array.from(ctx.arena.f32(ptr, 4))).toEqual([0, 5, 5, 0]);
    });
  });

  it('throw a trap in a worker as an Error, then keep working', () => {
    const n = 1 << 20;
    const before = threadPoolForTests().workerJobs;
    withBuffer(ctx, n, (ptr) => {
      for (let rep = 0; rep < 20; rep++) {
        // The caller is busy with job 0, so a worker (when there is one) takes job 1 and traps.
        expect(() => runJobs(ctx, [fill(ptr, 0, n, rep), trapIf(1)])).toThrow(/^tapegrad wasm: job 1 \(trapIf\) failed: RuntimeError: unreachable$/);
        expect(firstMismatch(ctx, ptr, n, () => rep)).toBe(-1); // job 0 still ran to the end
        runJobs(ctx, [fill(ptr, 0, 1000, -1), fill(ptr, 1000, n, -2)]);
        expect(firstMismatch(ctx, ptr, n, (i) => (i < 1000 ? -1 : -2))).toBe(-1);
      }
    });
    if (threaded) expect(threadPoolForTests().workerJobs - before).toBeGreaterThan(0);
  });

  it('throw a trap on the calling thread the same way', () => {
    expect(() => runJobs(ctx, [trapIf(1), trapIf(0)])).toThrow(/^tapegrad wasm: job 0 \(trapIf\) failed: RuntimeError: unreachable$/);
    let error: unknown;
    try {
      runJobs(ctx, [trapIf(7), trapIf(0)]);
    } catch (e) {
      error = e;
    }
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('report the lowest failing job when several trap', () => {
    for (let rep = 0; rep < 200; rep++) {
      const jobs = Array.from({ length: 8 }, (_, j) => trapIf(j >= 3 ? 1 : 0));
      expect(() => runJobs(ctx, jobs)).toThrow(/job 3 \(trapIf\)/);
    }
    withBuffer(ctx, 8, (ptr) => {
      runJobs(ctx, [fill(ptr, 0, 4, 1), fill(ptr, 4, 8, 2)]);
      expect(Array.from(ctx.arena.f32(ptr, 8))).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    });
  });

  it('reject unknown kernels and too many arguments before running anything', () => {
    withBuffer(ctx, 4, (ptr) => {
      expect(() => runJobs(ctx, [fill(ptr, 0, 4, 1), { fn: 'noSuchKernel', args: [] }])).toThrow(TypeError);
      expect(() => runJobs(ctx, [fill(ptr, 0, 4, 1), { fn: 'trapIf', args: new Array(17).fill(0) }])).toThrow(RangeError);
      expect(Array.from(ctx.arena.f32(ptr, 4))).toEqual([0, 0, 0, 0]);
    });
  });

  it('restart after shutdownThreads', () => {
    for (let rep = 0; rep < 3; rep++) {
      shutdownThreads();
      shutdownThreads();
      expect(workers()).toBe(0);
      withBuffer(ctx, 100, (ptr) => {
        runJobs(ctx, [fill(ptr, 0, 50, rep), fill(ptr, 50, 100, rep + 1)]);
        expect(firstMismatch(ctx, ptr, 100, (i) => (i < 50 ? rep : rep + 1))).toBe(-1);
      });
      expect(workers()).toBe(threaded ? 1 : 0);
    }
  });

  it.runIf(threaded)('neither hang nor fail when a worker has died', async () => {
    withBuffer(ctx, 2, (ptr) => runJobs(ctx, [fill(ptr, 0, 1, 1), fill(ptr, 1, 2, 1)]));
    const [worker] = threadPoolForTests().workers;
    await worker.terminate();
    withBuffer(ctx, 100, (ptr) => {
      runJobs(ctx, [fill(ptr, 0, 50, 3), fill(ptr, 50, 100, 4)]);
      expect(firstMismatch(ctx, ptr, 100, (i) => (i < 50 ? 3 : 4))).toBe(-1);
    });
    const [restarted] = threadPoolForTests().workers;
    expect(restarted).not.toBe(worker);
  });
});

describe('more threads than cores', () => {
  it('split the work over three threads', () => {
    const ctx = newContext(wasm, 0, 3);
    withBuffer(ctx, 3000, (ptr) => {
      for (let rep = 0; rep < 500; rep++) {
        runJobs(ctx, [fill(ptr, 0, 1000, rep), fill(ptr, 1000, 2000, rep + 1), fill(ptr, 2000, 3000, rep + 2)]);
        expect(firstMismatch(ctx, ptr, 3000, (i) => rep + Math.floor(i / 1000))).toBe(-1);
      }
    });
    expect(workers()).toBe(threaded ? 2 : 0);
    shutdownThreads();
  });
});

describe('one thread', () => {
  const ctx = newContext(wasm, 0, 1);

  it('runs the jobs in order on the calling thread', () => {
    shutdownThreads();
    withBuffer(ctx, 10, (ptr) => {
      runJobs(ctx, [fill(ptr, 0, 10, 1), fill(ptr, 2, 10, 2), fill(ptr, 5, 10, 3)]);
      expect(Array.from(ctx.arena.f32(ptr, 10))).toEqual([1, 1, 2, 2, 2, 3, 3, 3, 3, 3]);
    });
    expect(workers()).toBe(0);
  });

  it('stops at the first job that traps', () => {
    withBuffer(ctx, 4, (ptr) => {
      expect(() => runJobs(ctx, [fill(ptr, 0, 2, 1), trapIf(1), fill(ptr, 2, 4, 1)])).toThrow(/^tapegrad wasm: job 1 \(trapIf\) failed: RuntimeError: unreachable$/);
      expect(Array.from(ctx.arena.f32(ptr, 4))).toEqual([1, 1, 0, 0]);
    });
  });
});

describe.runIf(threaded)('workers that cannot start', () => {
  it('leave the jobs to the calling thread, silently, and only for that module', () => {
    // The same exports on the same shared memory, but a module compiled for a private memory: a worker cannot
    // instantiate it (the memory import does not match), so the pool gives up on it.
    const WA = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object } }).WebAssembly;
    const broken: WasmModule = { ...wasm, module: new WA.Module(Buffer.from(kernels.single, 'base64')) };
    const bad = newContext(broken, 0, 2);
    for (let rep = 0; rep < 3; rep++) {
      withBuffer(bad, 10, (ptr) => {
        runJobs(bad, [fill(ptr, 0, 5, 1), fill(ptr, 5, 10, 2)]);
        expect(firstMismatch(bad, ptr, 10, (i) => (i < 5 ? 1 : 2))).toBe(-1);
      });
      expect(workers()).toBe(0);
    }
    const good = newContext(wasm, 0, 2);
    withBuffer(good, 10, (ptr) => runJobs(good, [fill(ptr, 0, 5, 1), fill(ptr, 5, 10, 2)]));
    expect(workers()).toBe(1);
  });
});
