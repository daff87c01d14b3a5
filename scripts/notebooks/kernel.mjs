// Registers the tslab kernel (started from this repository's node_modules) with your own Jupyter, so that
// `jupyter lab notebooks/` runs the teaching notebooks. Usage: npm run notebooks:kernel
// Builds dist/, links notebooks/node_modules/tapegrad to the repository, and writes kernels/tslab/kernel.json
// in Jupyter's data folder (`jupyter --data-dir`, else $JUPYTER_DATA_DIR, else the platform's default),
// replacing any tslab kernel spec there. Run it again after moving the repository or changing Node.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { build, KERNEL_NAME, linkPackage, writeKernelSpec } from './common.mjs';

function dataDir() {
  const asked = spawnSync('jupyter', ['--data-dir'], { encoding: 'utf8' });
  if (asked.status === 0 && asked.stdout.trim()) return asked.stdout.trim();
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library/Jupyter');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? homedir(), 'jupyter');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local/share'), 'jupyter');
}

build();
linkPackage();
const dir = dataDir();
const file = join(dir, 'kernels', KERNEL_NAME, 'kernel.json');
const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
writeKernelSpec(dir);
console.log(`${before === null ? 'wrote' : before === readFileSync(file, 'utf8') ? 'kept' : 'replaced'} ${file}`);
console.log('now start Jupyter on the notebooks, e.g. `jupyter lab notebooks/`, and pick the "TypeScript" kernel');
