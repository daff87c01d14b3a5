// Test-only kernels for the worker-thread pool (src/backend/wasm/threads.ts, test/backend/threads.test.ts).

/** Writes `value` into the float32 elements [start, end) of the array at `ptr`. */
export function fillRangeF32(ptr: usize, start: i32, end: i32, value: f32): void {
  for (let i = start; i < end; i++) store<f32>(ptr + (<usize>i << 2), value);
}

/** Adds `value` to the float32 elements [start, end) of the array at `ptr` (a job run twice shows). */
export function addRangeF32(ptr: usize, start: i32, end: i32, value: f32): void {
  for (let i = start; i < end; i++) {
    const p = ptr + (<usize>i << 2);
    store<f32>(p, load<f32>(p) + value);
  }
}

/** Traps (`unreachable`) when `x` is not 0; does nothing otherwise (an empty job). */
export function trapIf(x: i32): void {
  if (x != 0) unreachable();
}
