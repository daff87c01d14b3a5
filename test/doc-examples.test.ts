// Runs every @example in the TSDoc of src/ (the public API's documentation), with the library in scope.
// A line `expr; // value` whose comment is a JSON value (numbers, arrays, booleans) also asserts that expr
// equals it, to the four decimals examples print.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as lib from '../src/index.js';
import * as testing from '../src/testing/index.js';

const root = join(import.meta.dirname, '..', 'src');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));

interface Example { where: string; code: string }

function examples(): Example[] {
  const out: Example[] = [];
  for (const file of files(root)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
      const body = m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n');
      const line = text.slice(0, m.index).split('\n').length;
      const where = `${relative(root, file)}:${line}`;
      for (const ex of body.matchAll(/@example\s*(?:```ts\n([\s\S]*?)```|`([^`]+)`)/g)) out.push({ where, code: ex[1] ?? ex[2] });
    }
  }
  return out;
}

const close = (a: unknown, b: unknown): boolean => {
  if (typeof b === 'number') return typeof a === 'number' && (a === b || Math.abs(a - b) <= 5e-5 * Math.max(1, Math.abs(b)));
  if (Array.isArray(b)) return Array.isArray(a) && a.length === b.length && a.every((v, i) => close(v, b[i]));
  return a === b;
};

function instrument(code: string): string {
  return code.split('\n').filter((l) => !/^\s*import\s/.test(l)).map((l) => {
    const m = /^(\s*)([^/]*?);?\s*\/\/\s*(.+?)\s*$/.exec(l);
    if (!m || m[2].trim() === '' || /^\s*(const|let|var|for|if|import|return)\b/.test(m[2])) return l;
    let expected: unknown;
    try {
      expected = JSON.parse(m[3]);
    } catch {
      try {
        // Python-style floats as PyTorch prints them (`2.`)
        expected = JSON.parse(m[3].replace(/(\d)\.(?!\d)/g, '$1'));
      } catch {
        return l;
      }
    }
    return `${m[1]}__check(${m[2]}, ${JSON.stringify(expected)}, ${JSON.stringify(l.trim())});`;
  }).join('\n');
}

const scope: Record<string, unknown> = { ...lib, ...testing, fc };
const all = examples();
let checked = 0;

describe('TSDoc examples run and show the right values', () => {
  it('finds the examples', () => expect(all.length).toBeGreaterThan(90));
  // examples run as async functions: they may `await` (the data loaders return promises)
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<void>;
  it.each(all.map((e) => [e.where, e] as const))('%s', async (_where, ex) => {
    const js = ts.transpileModule(instrument(ex.code), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
    const checks: string[] = [];
    const __check = (actual: unknown, expected: unknown, line: string) => {
      checked++;
      if (!close(actual, expected)) checks.push(`${line}\n    got ${JSON.stringify(actual)}`);
    };
    const names = Object.keys(scope);
    const log = console.log;
    console.log = () => {};
    try {
      await new AsyncFunction(...names, '__check', js)(...names.map((n) => scope[n]), __check);
    } finally {
      console.log = log;
    }
    expect(checks).toEqual([]);
  });
});

it('asserts the values the examples show', () => {
  // runs after the examples: most of them end in `// value` comments that were checked
  expect(checked).toBeGreaterThan(80);
});

describe('every public function and class has an @example', () => {
  // Walks the exports of the package root and of tapegrad/testing, into namespaces (nn, F, nn.init, nn.utils).
  const program = ts.createProgram([join(root, 'index.ts'), join(root, 'testing', 'index.ts')], {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true,
  });
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  const seen = new Set<ts.Symbol>();
  const typeOnly = (exp: ts.Symbol) => (exp.getDeclarations() ?? []).some((d) =>
    ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly));
  const walk = (moduleSymbol: ts.Symbol, prefix: string) => {
    for (const exp of checker.getExportsOfModule(moduleSymbol)) {
      const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
      const name = `${prefix}${exp.getName()}`;
      if (sym.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) {
        if (!seen.has(sym)) {
          seen.add(sym);
          walk(sym, `${name}.`);
        }
        continue;
      }
      if (!(sym.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class)) || typeOnly(exp)) continue;
      const decls = sym.getDeclarations() ?? [];
      const hasExample = decls.some((d) => ts.getJSDocTags(d).some((t) => t.tagName.text === 'example'))
        || sym.getJsDocTags(checker).some((t) => t.name === 'example');
      if (!hasExample) missing.push(name);
    }
  };
  for (const f of ['index.ts', join('testing', 'index.ts')]) {
    const sf = program.getSourceFile(join(root, f))!;
    walk(checker.getSymbolAtLocation(sf)!, f === 'index.ts' ? '' : 'testing.');
  }
  // nn, F (also nn.functional), nn.init, nn.utils, optim, optim.lrScheduler, data
  it('walks the whole public surface', () => expect(seen.size).toBe(7));
  it('lacks none', () => expect(missing).toEqual([]));
});
