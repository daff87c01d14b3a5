// The committed notebooks (notebooks/*.ipynb) and the runner's fixtures carry no outputs or run metadata and
// name the tslab kernel; `npm run notebooks:clean` makes a notebook so. Pure JSON checks: running the
// notebooks is `npm run notebooks` (scripts/notebooks/run.mjs), which needs Python and Jupyter's nbclient.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const notebooksDir = join(root, 'notebooks');
const fixturesDir = join(root, 'scripts', 'notebooks', 'fixtures');
const ipynbs = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort() : []);

/** The teaching notebooks that must exist (the README lists them). */
const EXPECTED: string[] = [
  '01-tensors.ipynb', '02-the-tape.ipynb', '03-mlp-toy-problems.ipynb', '04-mnist-mlp.ipynb',
  '05-mnist-cnn.ipynb', '06-prenorm.ipynb', '07-autoencoder.ipynb',
];

interface Cell { cell_type: string; source: string | string[]; metadata: Record<string, unknown>; outputs?: unknown[]; execution_count?: number | null }
interface Notebook { nbformat: number; nbformat_minor: number; metadata: Record<string, unknown>; cells: Cell[] }

/** What is wrong with a notebook file for committing: empty if it is clean. */
function problems(file: string): string[] {
  const nb = JSON.parse(readFileSync(file, 'utf8')) as Notebook;
  const out: string[] = [];
  if (nb.nbformat !== 4) out.push(`nbformat ${nb.nbformat}, not 4`);
  const spec = nb.metadata.kernelspec as Record<string, unknown> | undefined;
  if (spec?.name !== 'tslab' || spec?.language !== 'typescript') out.push(`kernelspec ${JSON.stringify(spec)}, not tslab's`);
  const extra = Object.keys(nb.metadata).filter((k) => k !== 'kernelspec' && k !== 'language_info');
  if (extra.length) out.push(`notebook metadata ${extra.join(', ')}`);
  nb.cells.forEach((cell, i) => {
    const where = `cell ${i + 1}`;
    if (!['code', 'markdown', 'raw'].includes(cell.cell_type)) out.push(`${where}: cell_type ${cell.cell_type}`);
    if (typeof cell.source !== 'string' && !Array.isArray(cell.source)) out.push(`${where}: no source`);
    const junk = Object.keys(cell.metadata ?? {}).filter((k) => k !== 'tags');
    if (junk.length) out.push(`${where}: metadata ${junk.join(', ')}`);
    if (cell.cell_type === 'code') {
      if (!Array.isArray(cell.outputs) || cell.outputs.length) out.push(`${where}: outputs`);
      if (cell.execution_count !== null) out.push(`${where}: execution_count ${cell.execution_count}`);
    }
  });
  return out;
}

describe('committed notebooks', () => {
  it.each(ipynbs(notebooksDir))('%s is clean (run `npm run notebooks:clean`)', (f) => {
    expect(problems(join(notebooksDir, f))).toEqual([]);
  });

  it('are named NN-name.ipynb', () => {
    for (const f of ipynbs(notebooksDir)) expect(f).toMatch(/^\d\d-[a-z0-9-]+\.ipynb$/);
  });

  it('are the expected ones', () => {
    expect(ipynbs(notebooksDir)).toEqual(EXPECTED);
  });

  it('link tapegrad to the repository through notebooks/package.json', () => {
    const pkg = JSON.parse(readFileSync(join(notebooksDir, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({ tapegrad: 'file:..' });
  });
});

describe("the runner's fixtures", () => {
  it('are the broken and the ok notebook, both clean', () => {
    expect(ipynbs(fixturesDir)).toEqual(['broken.ipynb', 'ok.ipynb']);
    for (const f of ipynbs(fixturesDir)) expect(problems(join(fixturesDir, f)), f).toEqual([]);
  });

  it('ok.ipynb imports tapegrad, awaits at top level and displays HTML', () => {
    const code = (JSON.parse(readFileSync(join(fixturesDir, 'ok.ipynb'), 'utf8')) as Notebook).cells
      .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n');
    expect(code).toContain("from 'tapegrad'");
    expect(code).toMatch(/^const \w+ = await /m);
    expect(code).toContain('tslab.display.html(');
  });
});

describe('npm run notebooks:clean', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tapegrad-clean-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const clean = (file: string) => execFileSync(process.execPath, [join(root, 'scripts/notebooks/clean.mjs'), file], { encoding: 'utf8' });

  it('strips what a Jupyter run leaves and keeps the sources and tags', () => {
    const file = join(dir, 'run.ipynb');
    const ran: Notebook = {
      nbformat: 4, nbformat_minor: 5,
      metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (mine)', language: 'typescript' }, vscode: { x: 1 } },
      cells: [
        { cell_type: 'markdown', metadata: { tags: ['intro'] }, source: ['# Title\n', 'text'] },
        {
          cell_type: 'code', execution_count: 3, source: 'console.log(1);',
          metadata: { execution: { 'iopub.status.busy': '2026-01-01T00:00:00Z' }, collapsed: false, tags: ['t'] },
          outputs: [{ output_type: 'stream', name: 'stdout', text: ['1\n'] }],
        },
      ],
    };
    writeFileSync(file, JSON.stringify(ran));
    expect(problems(file)).not.toEqual([]);
    expect(clean(file)).toMatch(/^cleaned /);
    expect(problems(file)).toEqual([]);
    const nb = JSON.parse(readFileSync(file, 'utf8')) as Notebook;
    expect(nb.metadata.kernelspec).toEqual({ display_name: 'TypeScript', language: 'typescript', name: 'tslab' });
    expect(nb.cells.map((c) => [c.source, c.metadata])).toEqual([[['# Title\n', 'text'], { tags: ['intro'] }], ['console.log(1);', { tags: ['t'] }]]);
    const once = readFileSync(file, 'utf8');
    expect(clean(file)).toMatch(/^clean /);
    expect(readFileSync(file, 'utf8')).toBe(once);
  });

  it('leaves the clean fixtures byte for byte as they are', () => {
    for (const f of ipynbs(fixturesDir)) {
      copyFileSync(join(fixturesDir, f), join(dir, f));
      clean(join(dir, f));
      expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join(fixturesDir, f), 'utf8'));
    }
  });
});
