// The design rule of src/nn: layers, activations and losses are compositions of differentiable ops. No file
// there writes a backward pass, a VJP, a custom op, or calls the primitive runner or the tape directly.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', 'src', 'nn');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));

// What a hand-written gradient would need: the custom-op API, VJP types, the tape, the engine, gradFn, or the
// primitive runner (which is how a new primitive would be added).
const FORBIDDEN: [string, RegExp][] = [
  ['customOp', /\bcustomOp\b/],
  ['a vjp', /\bvjp\b|\bVjp[A-Z]\w*/i],
  ['a backward method', /\bbackward\s*\(\s*(ctx|g|grad)\b/],
  ['the tape', /autograd\/(tape|node|engine|function)\.js/],
  ['gradFn', /\bgradFn\b/],
  ['the primitive runner', /\brun\s*\(\s*Prim\./],
  ['kernels', /getBackend\s*\(/],
];

describe('src/nn is compositions only', () => {
  const all = files(root);
  it('finds the nn sources', () => expect(all.length).toBeGreaterThan(10));
  it.each(all.map((f) => [relative(root, f), f] as const))('%s defines no backward', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const hits = FORBIDDEN.filter(([, re]) => re.test(text)).map(([what]) => what);
    expect(hits).toEqual([]);
  });

  it('the check catches a planted VJP', () => {
    const planted = 'export const f = customOp({ name: "x", forward: (ctx, a) => a, backward(ctx, g) { return [g]; } });';
    expect(FORBIDDEN.filter(([, re]) => re.test(planted)).map(([w]) => w)).toEqual(['customOp', 'a backward method']);
  });
});
