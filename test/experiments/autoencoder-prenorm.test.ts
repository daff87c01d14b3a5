// The autoencoder and prenorm experiments on tiny subsets (their code paths, not their targets: those are
// `npm start -- autoencoder` and `npm start -- prenorm`), and prenorm's rule for a diverged run.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { autoencoder, runAutoencoder } from '../../src/experiments/autoencoder.js';
import { isDiverged, prenorm, runPrenorm } from '../../src/experiments/prenorm.js';
import type { RunOptions } from '../../src/experiments/types.js';

const root = resolve(import.meta.dirname, '../..', process.env.TAPEGRAD_DATA ?? '../shared/data');
const outDir = mkdtempSync(join(tmpdir(), 'tapegrad-ae-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));
const opts: RunOptions = { root, outDir, verbose: false, seed: 0 };

/** The width and height in a PNG file's IHDR, after checking the signature. */
function pngSize(path: string): [number, number] {
  const b = readFileSync(path);
  expect([...b.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  expect(b.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('autoencoder', () => {
  it('trains, measures and writes the four grids of 2 rows of 10 digits, drawn 2×', async () => {
    expect([autoencoder.name, autoencoder.reported]).toEqual(['autoencoder', 'images']);
    const r = await runAutoencoder(opts, { trainLimit: 64, testLimit: 40, epochs: 1, denoiseEpochs: 1 });
    const names = ['originals', 'reconstructions', 'noisy', 'denoised'];
    expect(r.files).toEqual(names.map((n) => join(outDir, `autoencoder-${n}.png`)));
    for (const f of r.files) {
      expect(existsSync(f)).toBe(true);
      // 10 digits of 28 with 2 pixels of padding between and around, twice over: (2 + 10·30)·2 by (2 + 2·30)·2
      expect(pngSize(f)).toEqual([604, 124]);
    }
    expect(r.metric).toBe('test BCE');
    expect(r.value).toBe(r.testBce);
    // one Adam step per phase is far from the bound, and above what a constant mean image gives: the bar is not vacuous
    expect(Number.isFinite(r.testBce) && Number.isFinite(r.denoisedBce)).toBe(true);
    expect(r.testBce).toBeGreaterThan(r.meanImageBce);
    expect(r.meanImageBce).toBeGreaterThan(0.2);
    expect(r.passed).toBe(false);
    expect(r.details!.filter((l) => l.startsWith('wrote '))).toHaveLength(4);
  });
});

describe('prenorm', () => {
  it('trains the four models in the report’s order and prints them as a table', async () => {
    expect(prenorm.reported).toBe('model 3 diverges, 4 converges');
    const r = await runPrenorm(opts, { trainLimit: 300, testLimit: 200, epochs: 1 });
    expect(r.rows.map((row) => [row.model, row.lr, row.preNorm])).toEqual([
      [1, 0.001, false], [2, 0.001, true], [3, 1.5, false], [4, 1.5, true],
    ]);
    for (const row of r.rows) {
      expect(row.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(row.testAccuracy).toBeLessThanOrEqual(1);
      expect(row.firstLoss).toBeGreaterThan(1.5); // a fresh net's cross-entropy over 10 classes, near ln 10
      expect(row.diverged).toBe(isDiverged([row.firstLoss, row.peakLoss], row.finalLoss));
    }
    expect(r.metric).toBe('model 4 test accuracy');
    expect(r.value).toBe(r.rows[3].testAccuracy);
    const table = r.details!.filter((l) => /^\s*(model|[1-4])\s/.test(l));
    expect(table).toHaveLength(5); // the header and the four models
    expect(table[0].trim().split(/\s{2,}/)).toEqual(['model', 'lr', 'PreNorm', 'peak loss', 'final loss', 'test accuracy', 'diverged?']);
    expect(typeof r.passed).toBe('boolean');
  });

  it('calls a run diverged when its loss is not finite, or blew up and never came back down', () => {
    expect(isDiverged([2.3, 2.2, NaN, 2.1], 2.1)).toBe(true);
    expect(isDiverged([2.3, 2.2, 2.0], Infinity)).toBe(true);
    expect(isDiverged([2.3, 40, 2.25, 2.3], 2.3)).toBe(true); // blew up, stuck at chance
    expect(isDiverged([2.3, 40, 0.5, 0.2], 0.3)).toBe(false); // blew up but recovered
    expect(isDiverged([2.3, 2.4, 2.2, 2.1], 2.1)).toBe(false); // slow, but never climbed
    expect(isDiverged([2.3, 1.2, 0.4], 0.35)).toBe(false);
  });
});
