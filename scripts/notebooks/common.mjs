// Shared by the notebook scripts: the repository's paths, the build, the notebooks/node_modules/tapegrad link
// and the tslab kernel spec (started from this repository's own node_modules, so no global tslab is needed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const notebooksDir = join(root, 'notebooks');
export const fixturesDir = join(root, 'scripts/notebooks/fixtures');
export const KERNEL_NAME = 'tslab';
/** How Jupyter shows the kernel: in the kernel spec, and in the metadata.kernelspec clean.mjs commits notebooks with. */
export const KERNEL_DISPLAY = { display_name: 'TypeScript', language: 'typescript' };

/** Prints `notebooks: message` and exits with status 1. */
export function fail(message) {
  console.error(`notebooks: ${message}`);
  process.exit(1);
}

/** Runs a command with inherited output; exits this process with a message if it fails. */
export function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.status !== 0) fail(`\`${cmd} ${args.join(' ')}\` failed (${r.error?.message ?? `exit ${r.status}`})`);
}

/** Builds dist/ (every time: the notebooks must see the current sources). */
export function build() {
  run('npm', ['run', '--silent', 'build'], { cwd: root });
}

/** Makes notebooks/node_modules/tapegrad a link to the repository (from notebooks/package.json's file:..). */
export function linkPackage() {
  const linked = join(notebooksDir, 'node_modules/tapegrad');
  const installed = join(notebooksDir, 'node_modules/.package-lock.json'); // npm's record of its last install
  const fresh = () => existsSync(linked) && realpathSync(linked) === realpathSync(root) && existsSync(installed)
    && statSync(installed).mtimeMs >= statSync(join(notebooksDir, 'package.json')).mtimeMs;
  if (fresh()) return;
  // --ignore-scripts: the link's target is this repository, built by build(); no lock file is kept, since
  // npm would copy the root's dependency list into it and rewrite it whenever that changes.
  run('npm', ['install', '--prefix', notebooksDir, '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund',
    '--loglevel=error'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!fresh()) fail(`${linked} does not lead to ${root}`);
}

/**
 * The kernel spec: tslab's own (node_modules/tslab/python/install.py) with absolute paths, so that no tslab
 * or node on PATH is needed. Named and shown as the tslab docs do, so notebooks saved in Jupyter keep the
 * metadata.kernelspec they are committed with.
 */
export function kernelSpec() {
  const tslab = join(root, 'node_modules/tslab/bin/tslab');
  if (!existsSync(tslab)) fail(`${tslab} is missing; run \`npm install\` first`);
  return { argv: [process.execPath, tslab, 'kernel', '--config-path', '{connection_file}'], ...KERNEL_DISPLAY };
}

/** Writes the kernel spec as DATA_DIR/kernels/tslab/kernel.json; returns that file's path. */
export function writeKernelSpec(dataDir) {
  const dir = join(dataDir, 'kernels', KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'kernel.json');
  writeFileSync(file, JSON.stringify(kernelSpec(), null, 1) + '\n');
  return file;
}

/** The committed notebooks, notebooks/*.ipynb, sorted. */
export function listNotebooks() {
  if (!existsSync(notebooksDir)) return [];
  return readdirSync(notebooksDir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => join(notebooksDir, f));
}
