// Strips notebooks for committing: no outputs, execution counts null, cell metadata reduced to `tags`,
// notebook metadata to `kernelspec` (the tslab one) and `language_info`. Writes Jupyter's own layout
// (keys sorted, one-space indent), so a clean notebook saved again by Jupyter shows no spurious diff.
// Usage: npm run notebooks:clean [-- NOTEBOOK...]   (default: notebooks/*.ipynb)
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { KERNEL_DISPLAY, KERNEL_NAME, listNotebooks, root } from './common.mjs';

const KERNELSPEC = { ...KERNEL_DISPLAY, name: KERNEL_NAME };

const pick = (obj, keys) => Object.fromEntries(keys.filter((k) => obj?.[k] !== undefined).map((k) => [k, obj[k]]));
const sorted = (v) => Array.isArray(v) ? v.map(sorted)
  : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v;

function clean(nb) {
  const cells = nb.cells.map((cell) => {
    const c = { ...cell, metadata: pick(cell.metadata, ['tags']) };
    if (c.cell_type === 'code') Object.assign(c, { outputs: [], execution_count: null });
    return c;
  });
  return { ...nb, cells, metadata: { ...pick(nb.metadata, ['language_info']), kernelspec: KERNELSPEC } };
}

const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(process.env.INIT_CWD ?? '.', f)) : listNotebooks();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const cleaned = JSON.stringify(sorted(clean(JSON.parse(text))), null, 1) + '\n';
  if (cleaned !== text) writeFileSync(file, cleaned);
  console.log(`${cleaned === text ? 'clean  ' : 'cleaned'} ${file.startsWith(root + '/') ? relative(root, file) : file}`);
}
if (!files.length) console.log('no notebooks to clean');
