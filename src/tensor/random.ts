import seedrandom from 'seedrandom';
import { ArgumentError } from '../errors.js';
import { describeValue } from '../utils/args.js';

/** A seeded source of uniform numbers in [0, 1); every random choice in tapegrad draws from one. */
export interface Generator {
  /** A uniform float64 in [0, 1). */
  next(): number;
  /** An independent generator that continues from this one's current state. */
  clone(): Generator;
}

function wrap(rng: seedrandom.StatefulPRNG<seedrandom.State.Arc4>): Generator {
  return { next: () => rng.double(), clone: () => wrap(seedrandom('', { state: rng.state() })) };
}

/** @internal A seed: a number or a string (anything else would be turned into a string and seed by accident). */
export function checkSeed(op: string, seed: unknown): asserts seed is number | string {
  if (typeof seed !== 'number' && typeof seed !== 'string') {
    throw new ArgumentError(`${op}: seed must be a number or a string, got ${describeValue(seed, 'object')}`);
  }
}

/** @internal A generator option: a {@link Generator} (anything with next()). */
export function checkGenerator(op: string, g: unknown): asserts g is Generator {
  if (typeof (g as { next?: unknown } | null)?.next !== 'function') {
    throw new ArgumentError(`${op}: generator must be a Generator (from createGenerator), got ${describeValue(g, 'object')}`);
  }
}

function makeGenerator(seed: string | number): Generator {
  return wrap(seedrandom(String(seed), { state: true }));
}

let globalGenerator: Generator = makeGenerator(0);

/**
 * Seeds the global generator: the same seed gives bit-identical random tensors, initializations and shuffles.
 *
 * @example
 * ```ts
 * manualSeed(42);
 * const a = randn([3]);
 * manualSeed(42);
 * const b = randn([3]);   // equal to a, bit for bit
 * ```
 */
export function manualSeed(seed: number | string): void {
  checkSeed('manualSeed', seed);
  globalGenerator = makeGenerator(seed);
}

/**
 * A new independent generator with its own seed (for a DataLoader, say); pass it as `{ generator }`.
 *
 * @example
 * ```ts
 * const g = createGenerator(7);
 * const a = rand([2], { generator: g });
 * rand([2], { generator: createGenerator(7) }).toArray(); // same values as a
 * ```
 */
export function createGenerator(seed: number | string): Generator {
  checkSeed('createGenerator', seed);
  return makeGenerator(seed);
}

/**
 * Runs `fn` with its own copy of the global generator and puts the global generator back afterwards, as
 * PyTorch's `fork_rng`: draws inside `fn` do not move the generator outside. With a `seed`, `fn` starts
 * from that seed (as after `manualSeed(seed)`), so repeated calls draw the same numbers.
 *
 * @example
 * ```ts
 * const a = forkRng(() => rand([2]), 3);
 * const b = forkRng(() => rand([2]), 3);  // bit-identical to a
 * ```
 */
export function forkRng<T>(fn: () => T, seed?: number | string): T {
  if (typeof fn !== 'function') throw new ArgumentError(`forkRng: expected a function, got ${fn === null ? 'null' : typeof fn}`);
  if (seed !== undefined) checkSeed('forkRng', seed);
  const saved = globalGenerator;
  globalGenerator = seed === undefined ? saved.clone() : makeGenerator(seed);
  try {
    return fn();
  } finally {
    globalGenerator = saved;
  }
}

/** The global generator that random functions use when none is passed. */
export function defaultGenerator(): Generator {
  return globalGenerator;
}

/** Standard normal draw by Box–Muller on two uniforms. */
export function normalSample(g: Generator): number {
  let u = g.next();
  while (u <= 0) u = g.next();
  const v = g.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
