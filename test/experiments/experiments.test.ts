// The main job's runner: the command line (parsing, list, unknown names, flags, exit codes), the registry in the
// issue's order, and short runs of the experiments' code paths through the programmatic API (never the full
// targets: those are `npm start -- NAME`).
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatDuration, formatList, formatTable, formatValue, parseCli, runCli, UsageError, type Catalog, type CliIO,
} from '../../src/experiments/main.js';
import { EXPERIMENTS, QUICK } from '../../src/experiments/registry.js';
import { MOONS_TRAIN, runMoons } from '../../src/experiments/moons.js';
import { DISK_OPTIMIZERS, diskData, runDisk } from '../../src/experiments/disk.js';
import { runClassifier, trainClassifier } from '../../src/experiments/common.js';
import { mnistMlp25 } from '../../src/experiments/mnist-mlp.js';
import { mnistCnn } from '../../src/experiments/mnist-cnn.js';
import { data } from '../../src/index.js';
import type { Experiment, ExperimentResult, RunOptions } from '../../src/experiments/types.js';

const TABLE = [
  'disk', 'moons', 'mnist-mlp25', 'mnist-mlp50', 'mnist-mlp-deep', 'mnist-tanh', 'lenet5', 'mnist-cnn',
  'fashion-mlp', 'fashion-cnn', 'autoencoder', 'prenorm',
];

const quiet = (seed = 0): RunOptions => ({ seed, verbose: false, outDir: resolve('output') });

/** A CLI output collector. */
function collect(): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

/** A stand-in experiment that returns `result` at once and records the options it got. */
function fake(name: string, result: ExperimentResult, seen: RunOptions[] = []): Experiment {
  return { name, description: `fake ${name}`, reported: '–', run: async (o) => (seen.push(o), result) };
}

const pass: ExperimentResult = { metric: 'test accuracy', value: 0.991, target: '≥ 99.00 %', passed: true };
const miss: ExperimentResult = { metric: 'test error', value: 0.0081, target: '≤ 0.70 %', passed: false };

describe('registry', () => {
  it("has every experiment of the issue's table, in the table's order, with the quick set first", () => {
    expect(EXPERIMENTS.map((e) => e.name)).toEqual(TABLE);
    expect(QUICK).toEqual(['disk', 'moons']);
    for (const e of EXPERIMENTS) {
      expect(typeof e.run).toBe('function');
      expect(e.description).not.toBe('');
    }
  });
});

describe('parseCli', () => {
  it('runs the quick set with no arguments, with the default options', () => {
    const cmd = parseCli([]);
    expect(cmd.action).toBe('run');
    expect(cmd.experiments.map((e) => e.name)).toEqual(['disk', 'moons']);
    expect(cmd.options).toEqual({ root: undefined, outDir: resolve('output'), verbose: true, seed: 0 });
  });

  it("runs one experiment by name, 'all' in table order, and 'list'", () => {
    expect(parseCli(['mnist-mlp50']).experiments.map((e) => e.name)).toEqual(['mnist-mlp50']);
    expect(parseCli(['moons', 'disk', 'moons']).experiments.map((e) => e.name)).toEqual(['moons', 'disk']);
    expect(parseCli(['all']).experiments.map((e) => e.name)).toEqual(TABLE);
    expect(parseCli(['list'])).toMatchObject({ action: 'list', experiments: [] });
    expect(parseCli(['--help']).action).toBe('help');
  });

  it('reads the flags, before or after the names', () => {
    const cmd = parseCli(['--seed', '7', 'moons', '--out', 'tmp/out', '--root=/data', '--quiet']);
    expect(cmd.experiments.map((e) => e.name)).toEqual(['moons']);
    expect(cmd.options).toEqual({ seed: 7, outDir: resolve('tmp/out'), root: '/data', verbose: false });
    expect(parseCli(['-q', '--seed=-3']).options).toMatchObject({ seed: -3, verbose: false });
  });

  it('refuses unknown names and flags, bad seeds, and names after list or all', () => {
    expect(() => parseCli(['nope'])).toThrow(UsageError);
    expect(() => parseCli(['nope'])).toThrow(`unknown experiment 'nope'; the experiments are: ${TABLE.join(', ')} (or 'all', 'list')`);
    expect(() => parseCli(['mnist-tahn'])).toThrow(/^unknown experiment 'mnist-tahn'; .*; did you mean 'mnist-tanh'\?$/);
    expect(() => parseCli(['--fast'])).toThrow(UsageError);
    expect(() => parseCli(['--seed', '1.5'])).toThrow("--seed must be an integer, got '1.5'");
    expect(() => parseCli(['--seed', 'x'])).toThrow("--seed must be an integer, got 'x'");
    expect(() => parseCli(['--seed'])).toThrow(UsageError);
    expect(() => parseCli(['--out', ''])).toThrow('--out needs a directory');
    expect(() => parseCli(['list', 'disk'])).toThrow("'list' takes no experiment names, got 'disk'");
    expect(() => parseCli(['all', 'disk'])).toThrow(UsageError);
  });
});

describe('runCli', () => {
  it('lists the experiments (exit 0) and prints the usage on --help', async () => {
    const io = collect();
    expect(await runCli(['list'], io)).toBe(0);
    const lines = io.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(TABLE);
    expect(lines[0]).toContain('[quick]');
    expect(lines[0]).toContain('(report: 95–98 %)');
    expect(io.stdout).toBe(formatList());
    const help = collect();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.stdout).toContain('usage: npm start');
  });

  it('exits with 2 and names the experiments for an unknown one', async () => {
    const io = collect();
    expect(await runCli(['mnist-mlp', '--quiet'], io)).toBe(2);
    expect(io.stdout).toBe('');
    expect(io.stderr).toContain("error: unknown experiment 'mnist-mlp'; the experiments are: disk, moons, mnist-mlp25");
    expect(io.stderr).toContain('usage: npm start');
  });

  it('runs the experiments with the options, prints each result and the table, exit 1 when a target is missed', async () => {
    const seen: RunOptions[] = [];
    const catalog: Catalog = {
      experiments: [fake('a', pass, seen), fake('b', miss, seen), fake('c', { ...pass, details: ['per optimizer: x'] }, seen)],
      quick: ['a', 'c'],
    };
    const io = collect();
    expect(await runCli(['--quiet', '--seed', '5'], io, catalog)).toBe(0);
    expect(seen).toEqual([{ seed: 5, verbose: false, outDir: resolve('output'), root: undefined }, { seed: 5, verbose: false, outDir: resolve('output'), root: undefined }]);
    expect(io.stdout).toMatch(/^a: test accuracy 99\.10 % \(target ≥ 99\.00 %\): pass, \d+\.\d s$/m);
    expect(io.stdout).toContain('  per optimizer: x\n');
    expect(io.stdout).toMatch(/^\| c +\| test accuracy \| 99\.10 % \| ≥ 99\.00 % \| pass +\| /m);

    const all = collect();
    expect(await runCli(['all', '-q'], all, catalog)).toBe(1);
    expect(all.stdout).toMatch(/^b: test error 0\.81 % \(target ≤ 0\.70 %\): FAIL/m);
    expect(all.stdout).toMatch(/^\| b +\| test error +\| 0\.81 % +\| ≤ 0\.70 % +\| FAIL +\|/m);
  });

  it('reports an experiment that throws as an error (exit 1) and goes on with the others', async () => {
    const broken: Experiment = { name: 'broken', description: 'throws', reported: '–', run: async () => { throw new Error('no data'); } };
    const io = collect();
    expect(await runCli(['broken', 'a', '-q'], io, { experiments: [broken, fake('a', pass)], quick: [] })).toBe(1);
    expect(io.stderr).toBe('broken: error: no data\n');
    expect(io.stdout).toMatch(/^\| broken \| – +\| – +\| – +\| error +\|/m);
    expect(io.stdout).toMatch(/^\| a +\| test accuracy \|/m);
  });
});

describe('formatting', () => {
  it('prints fractions as percentages, other metrics with 4 digits, durations in s, min and h', () => {
    expect(formatValue('test accuracy (Adam)', 0.9731)).toBe('97.31 %');
    expect(formatValue('test error', 0.0065)).toBe('0.65 %');
    expect(formatValue('test BCE', 0.0712345)).toBe('0.07123');
    expect(formatValue('models diverged', 1)).toBe('1');
    expect([formatDuration(12.34), formatDuration(245), formatDuration(3725)]).toEqual(['12.3 s', '4 min 05 s', '1 h 02 min']);
  });

  it('aligns the results table', () => {
    const t = formatTable([{ name: 'disk', result: pass, seconds: 17.6 }, { name: 'mnist-cnn', result: miss, seconds: 4000 }]);
    expect(t.split('\n')).toEqual([
      '| name      | metric        | value   | target    | result | wall time  |',
      '|-----------|---------------|---------|-----------|--------|------------|',
      '| disk      | test accuracy | 99.10 % | ≥ 99.00 % | pass   | 17.6 s     |',
      '| mnist-cnn | test error    | 0.81 %  | ≤ 0.70 %  | FAIL   | 1 h 06 min |',
      '',
    ]);
  });
});

describe('experiments, shortened', () => {
  it('moons: a few epochs train the two-layer net (the loss falls), the same seed gives the same result', async () => {
    const moons = { train: data.makeMoons(500, { noise: 0.1, seed: 1 }), test: data.makeMoons(400, { noise: 0.1, seed: 2 }) };
    const out = trainClassifier(MOONS_TRAIN, moons, quiet(), 'moons', { epochs: 8 });
    expect(out.history.loss.length).toBe(8);
    expect(out.history.loss[7]).toBeLessThan(out.history.loss[0] * 0.5);
    expect(out.testAccuracy).toBeGreaterThan(0.85);

    const a = await runMoons(quiet(3), { epochs: 3, trainLimit: 300 });
    const b = await runMoons(quiet(3), { epochs: 3, trainLimit: 300 });
    expect(a.value).toBe(b.value);
    const loss = (r: ExperimentResult) => r.details![1].replace(/, [\d.]+ m?s\/epoch$/, '');
    expect(loss(a)).toBe(loss(b));
    expect(a.metric).toBe('test accuracy');
    expect(a.target).toBe('≥ 99.00 %');
    expect(a.passed).toBe(a.value >= 0.99);
    expect(a.details![1]).toMatch(/^3 epochs, final train loss \d\.\d{4}, \d+ ms\/epoch$/);
  });

  it("disk: the data follows the report, and Adam's figure is the headline", async () => {
    const d = diskData(quiet(), 200);
    expect(d.train.x.shape).toEqual([200, 2]);
    expect(d.train.y.shape).toEqual([200, 2]);
    expect(d.train.x.abs().max().item()).toBeLessThanOrEqual(0.5);
    const adam = DISK_OPTIMIZERS.find((o) => o.name === 'Adam')!;
    const r = await runDisk(quiet(), [{ ...adam, train: { ...adam.train, epochs: 3 } }], 200);
    expect(r.metric).toBe('test accuracy (Adam)');
    expect(r.details).toHaveLength(2);
    expect(r.details![1]).toMatch(/^Adam +train \d+\.\d\d %, test \d+\.\d\d %/);
    await expect(runDisk(quiet(), DISK_OPTIMIZERS.filter((o) => o.name === 'SGD').map((o) => ({ ...o, train: { ...o.train, epochs: 1 } })), 100))
      .rejects.toThrow("the headline is Adam's test accuracy");
  });

  it('an MNIST experiment runs end to end on a subset (data from TAPEGRAD_DATA)', async () => {
    const r = await runClassifier(mnistMlp25.def, quiet(), { epochs: 2, trainLimit: 1000, testLimit: 500 });
    expect(r.metric).toBe('test accuracy');
    expect(r.value).toBeGreaterThan(0.6);
    expect(r.details![1]).toMatch(/^2 epochs, final train loss /);
  });

  it('the CNN with augmentation, a validation set and early stopping runs on a few images', async () => {
    const r = await runClassifier(mnistCnn.def, quiet(), { epochs: 1, trainLimit: 48, testLimit: 48 });
    expect(r.metric).toBe('test error');
    expect(r.target).toBe('≤ 0.70 %');
    expect(r.value).toBeGreaterThanOrEqual(0);
    expect(r.value).toBeLessThanOrEqual(1);
    expect(r.details!.at(-1)).toMatch(/^1 epoch, final train loss \d\.\d{4}, val loss \d\.\d{4}, /);
  });
});
