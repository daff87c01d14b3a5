// The seeded draws of the data layer (toy datasets, DataLoader shuffles, random splits, transforms): where the
// generator comes from (`{seed}` or `{generator}` or the global one), uniform ranges and Fisher–Yates
// permutations. Internal: data/index.ts does not re-export this module.
import { checkGenerator, createGenerator, defaultGenerator, type Generator } from '../tensor/random.js';
import { describeValue } from '../utils/args.js';
import { ArgumentError } from '../errors.js';

/** The options of every data function that draws random numbers. */
export interface SeedOptions {
  /** Draw from a new generator seeded with this (`createGenerator(seed)`): the same seed, the same result. */
  seed?: number | string;
  /** Draw from this generator (it advances); without `seed` or `generator`, the global one of `manualSeed`. */
  generator?: Generator;
}

/** The seed option alone (undefined when absent), checked: a finite number or a string. */
export function checkSeed(op: string, seed: unknown): number | string | undefined {
  if (seed === undefined || typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed))) return seed;
  throw new ArgumentError(`${op}: seed must be a finite number or a string, got ${describeValue(seed)}`);
}

/**
 * The generator that `{seed, generator}` ask for: a new one from `seed`, the one given, or (with neither, unless
 * `fallback` is false) the global generator; null when neither is given and `fallback` is false.
 */
export function generatorFrom(op: string, o: { seed?: unknown; generator?: unknown }, fallback?: true): Generator;
export function generatorFrom(op: string, o: { seed?: unknown; generator?: unknown }, fallback: false): Generator | null;
export function generatorFrom(op: string, o: { seed?: unknown; generator?: unknown }, fallback = true): Generator | null {
  const seed = checkSeed(op, o.seed);
  const g = o.generator;
  if (g !== undefined) {
    if (seed !== undefined) throw new ArgumentError(`${op}: got both seed and generator, expected one of them`);
    checkGenerator(op, g);
    return g;
  }
  if (seed !== undefined) return createGenerator(seed);
  return fallback ? defaultGenerator() : null;
}

/** A uniform draw in [lo, hi] (lo + u·(hi − lo), so lo when hi = lo). */
export const uniform = (g: Generator, lo: number, hi: number): number => lo + g.next() * (hi - lo);

/**
 * A uniformly random permutation of 0..n−1 by Fisher–Yates: for i from n−1 down to 1, swap entry i with entry
 * j = ⌊u·(i + 1)⌋ (one draw u each, n − 1 draws in all).
 */
export function permutation(n: number, g: Generator): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(g.next() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
