// Runs the README's TypeScript example as written (with 'tapegrad' pointed at the sources) and checks what it
// prints against values computed here by hand.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

/** The block with its package imports pointed at the sources. */
function localize(code: string): string {
  return code
    .replace(/from\s+'tapegrad\/testing'/g, `from '${join(root, 'src/testing/index.js')}'`)
    .replace(/from\s+'tapegrad'/g, `from '${join(root, 'src/index.js')}'`);
}

function typecheck(file: string): string[] {
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram([file], { ...options, noEmit: true, rootDir: undefined });
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file || d.file === undefined)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The nn example: its loss falls, it learns XOR, and its comments quote what it prints. */
function checkNetworkExample(code: string, printed: string[]): void {
  expect(printed).toHaveLength(6);
  const losses = printed.slice(0, 4).map((l) => l.split(' ').map(Number));
  expect(losses.map(([step]) => step)).toEqual([0, 100, 200, 300]);
  // a fresh net's loss is near log 2 (outputs near 0.5); gradient descent brings it well below
  expect(Math.abs(losses[0][1] - Math.log(2))).toBeLessThan(0.1);
  for (let k = 1; k < 4; k++) expect(losses[k][1]).toBeLessThan(losses[k - 1][1]);
  expect(losses[3][1]).toBeLessThan(0.05);
  expect(printed[5]).toBe(JSON.stringify([[false], [true], [true], [false]]));
  expect(code).toContain(`// ${printed[0]} … ${printed[3]}`);
  expect(code).toContain(`// ${printed[5]}`);
  expect(code).toContain(printed[4].split('\n').map((l) => `// ${l}`).join('\n'));
}

describe('README', () => {
  it('has a TypeScript example that imports from tapegrad', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    expect(blocks[0]).toMatch(/from 'tapegrad'/);
    expect(blocks[0]).toMatch(/requiresGrad: true/);
    expect(blocks[0]).toMatch(/\.backward\(\)/);
    expect(blocks[0]).toMatch(/createGraph: true/);
  });

  it('documents setup as npm install then npm test', () => {
    expect(readme).toMatch(/```sh\nnpm install\nnpm test\n```/);
  });

  it.each(blocks.map((code, i) => [i, code] as const))('example %i type-checks and runs, printing the right gradients', async (i, code) => {
    const dir = mkdtempSync(join(tmpdir(), 'tapegrad-readme-'));
    dirs.push(dir);
    const file = join(dir, `example-${i}.mts`);
    writeFileSync(file, localize(code));
    expect(typecheck(file)).toEqual([]);

    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    await import(pathToFileURL(file).href);

    if (i === 1) return checkNetworkExample(code, printed);
    if (i !== 0) return;
    // By hand: h = W x, loss = Σ tanh(h), dL/dh = 1 - tanh²(h), dW = dL/dh xᵀ, dx = Wᵀ dL/dh.
    const W = [[0.5, -1], [2, 0.25]], x = [1, 2];
    const h = W.map((row) => row[0] * x[0] + row[1] * x[1]);
    const s = h.map((v) => 1 - Math.tanh(v) ** 2);
    const fmt = (v: number) => v.toFixed(4);
    const loss = h.reduce((acc, v) => acc + Math.tanh(v), 0);
    const dW = s.map((si) => x.map((xj) => si * xj));
    const dx = [0, 1].map((j) => W[0][j] * s[0] + W[1][j] * s[1]);
    expect(printed).toHaveLength(4);
    expect(printed[0]).toBe(`tensor(${fmt(loss)}, gradFn=<sum>)`);
    expect(printed[1]).toBe(`tensor([[${fmt(dW[0][0])}, ${fmt(dW[0][1])}],\n        [${fmt(dW[1][0])}, ${fmt(dW[1][1])}]])`);
    const dxs = dx.map(fmt), w = Math.max(...dxs.map((v) => v.length));
    expect(printed[2]).toBe(`tensor([[${dxs[0].padStart(w)}],\n        [${dxs[1].padStart(w)}]])`);
    // d/dz z³ = 3z², d²/dz² z³ = 6z at z = 3
    expect(printed[3]).toBe(`${3 * 3 ** 2} ${6 * 3}`);

    // The comments in the README quote the output.
    expect(code).toContain(`// ${printed[0]}`);
    expect(code).toContain(`// ${printed[3]}`);
    const flat = (t: string) => t.replace(/\n\s+/g, ' ').replace(/\s+/g, ' ').replace(/\[ /g, '[');
    expect(code).toContain(flat(printed[1]));
    expect(code).toContain(flat(printed[2]));
  });
});
