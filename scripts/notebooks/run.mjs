// Executes the teaching notebooks in the tslab kernel and fails if any cell fails.
// Usage: npm run notebooks [-- [--no-build] [--out DIR] NOTEBOOK...]   (default: notebooks/*.ipynb)
// Builds dist/ (skip with --no-build when it is fresh), links notebooks/node_modules/tapegrad to the repository,
// registers the kernel spec in a temporary Jupyter folder (nothing is written to ~), then runs the runner's
// self-test (fixtures/broken.ipynb must fail with its message shown, fixtures/ok.ipynb must pass) and the
// notebooks with run.py. Executed copies go to DIR (default $TMPDIR/tapegrad-notebooks), outside the repo.
// Needs /usr/bin/python3 with Debian's python3-nbclient.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build, fail, fixturesDir, linkPackage, listNotebooks, notebooksDir, root, writeKernelSpec } from './common.mjs';

const PYTHON = '/usr/bin/python3'; // Debian's, where python3-nbclient installs (not a pyenv python3 on PATH)
const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'no-build': { type: 'boolean' }, out: { type: 'string', default: join(tmpdir(), 'tapegrad-notebooks') } },
});
const here = process.env.INIT_CWD ?? '.'; // npm runs scripts in the root; names are the caller's
const out = resolve(here, opts.out);
if (!relative(root, out).startsWith('..')) fail(`--out ${out} is inside the repository; the executed copies belong outside it`);

if (spawnSync(PYTHON, ['-c', 'import nbclient']).status !== 0) {
  fail(`${PYTHON} cannot import nbclient; install it with: sudo apt-get install python3-nbclient`);
}
if (!opts['no-build']) build();
linkPackage();

// A private Jupyter setup: the kernel spec in JUPYTER_PATH, and every other Jupyter/IPython folder temporary.
const jupyter = mkdtempSync(join(tmpdir(), 'tapegrad-jupyter-'));
process.on('exit', () => rmSync(jupyter, { recursive: true, force: true }));
process.on('SIGINT', () => process.exit(130));
writeKernelSpec(jupyter);
const env = { ...process.env, JUPYTER_PATH: jupyter };
// The MNIST notebooks find the datasets as the tests do: TAPEGRAD_DATA, else ../shared/data beside the repository
// when it is there (the CI machines' copy), else they download into the per-user cache.
const shared = resolve(root, '../shared/data');
if (env.TAPEGRAD_DATA === undefined && existsSync(shared)) env.TAPEGRAD_DATA = shared;
for (const v of ['JUPYTER_DATA_DIR', 'JUPYTER_RUNTIME_DIR', 'JUPYTER_CONFIG_DIR', 'IPYTHONDIR']) env[v] = join(jupyter, v.toLowerCase());
const runner = (args, stdio) => spawnSync(PYTHON, [join(root, 'scripts/notebooks/run.py'), ...args], { env, stdio, encoding: 'utf8' });

// Self-test: the runner must report the broken fixture's failing cell with tapegrad's message, skip its later
// cells, and pass the ok fixture, whose executed copy must hold its HTML display. The fixtures run from
// notebooks/, as the notebooks do; their executed copies are thrown away with the temporary folder.
const selftestOut = join(jupyter, 'selftest'); // private, so that runs at the same time do not collide
const started = Date.now();
const st = runner(['--out', selftestOut, '--cwd', notebooksDir, join(fixturesDir, 'broken.ipynb'), join(fixturesDir, 'ok.ipynb')], 'pipe');
// and a notebook without a picture (ok.ipynb shows only text and HTML) fails when pictures are required
const pic = runner(['--out', join(selftestOut, 'pictures'), '--cwd', notebooksDir, '--require-picture', join(fixturesDir, 'ok.ipynb')], 'pipe');
const log = `${st.stdout}${st.stderr}${pic.stdout}${pic.stderr}`;
const cells = (name) => { try { return JSON.parse(readFileSync(join(selftestOut, name), 'utf8')).cells; } catch { return []; } };
const checks = {
  'the runner exits 1': st.status === 1,
  'broken.ipynb fails at cell 3': /^FAIL broken\.ipynb .*cell 3 of 4/m.test(log),
  "the failing cell's source is shown": log.includes('| console.log(a.add(b).toString());'),
  "tapegrad's error message is shown": log.includes('add: shapes [3] and [2] cannot be broadcast together'),
  "broken.ipynb's cell 4 did not run": cells('broken.ipynb')[3]?.execution_count === null,
  'ok.ipynb passes': /^ok +ok\.ipynb /m.test(log),
  'ok.ipynb fails when a picture is required': pic.status === 1 && /^FAIL ok\.ipynb .*hold no picture/m.test(log),
  "ok.ipynb's copy holds the HTML display": cells('ok.ipynb').some((c) => c.outputs?.some((o) => o.output_type === 'display_data' && o.data['text/html'])),
};
const failed = Object.entries(checks).filter(([, ok]) => !ok).map(([what]) => what);
if (failed.length) {
  console.error(log.replace(/^/gm, '  self-test | '));
  fail(`the runner's self-test failed; these did not hold: ${failed.join('; ')}`);
}
console.log(`notebooks: runner self-test ok (broken fixture fails with its message, ok fixture passes, and fails when a picture is required; ${((Date.now() - started) / 1000).toFixed(1)} s)`);

const notebooks = positionals.length ? positionals.map((p) => resolve(here, p)) : listNotebooks();
if (!notebooks.length) {
  console.log(`notebooks: no notebooks in ${relative(root, notebooksDir)}/ yet; nothing else to run`);
  process.exit(0);
}
console.log(`notebooks: running ${notebooks.map((p) => basename(p)).join(', ')}`);
process.exit(runner(['--out', out, '--require-picture', ...notebooks], 'inherit').status ?? 1);
