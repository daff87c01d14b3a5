// The main job's command line: `npm start [-- NAME… | all | list] [--seed N] [--out DIR] [--root DIR] [--quiet]`.
// With no name it runs the quick experiments (generated data, no download) and prints a results table. The logic
// is in functions (parseCli, runCli, formatTable) that tests call without spawning a process; the last lines run
// it when this file is the program.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { EXPERIMENTS, QUICK } from './registry.js';
import type { Experiment, ExperimentResult, RunOptions } from './types.js';
import { didYouMean } from '../utils/suggest.js';

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What the command line asks for. */
export interface CliCommand {
  /** 'run' the experiments named, 'list' them, or print the 'help'. */
  action: 'run' | 'list' | 'help';
  /** The experiments to run, in order (for 'run'). */
  experiments: Experiment[];
  options: RunOptions;
}

/** The experiments the CLI knows, in order, and the names of the quick set run with no arguments. */
export interface Catalog {
  experiments: readonly Experiment[];
  quick: readonly string[];
}

const CATALOG: Catalog = { experiments: EXPERIMENTS, quick: QUICK };

/** Where the CLI writes: its normal output and its errors. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

const PROCESS_IO: CliIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

const names = (catalog: Catalog) => catalog.experiments.map((e) => e.name).join(', ');

/** The usage text. */
export function usage(catalog: Catalog = CATALOG): string {
  return [
    'usage: npm start [-- [NAME ... | all | list] [options]]',
    '',
    `  (no name)   the quick run on generated data (${catalog.quick.join(', ')}), then a results table`,
    '  NAME ...    run these experiments',
    '  all         run every experiment, in the table order',
    '  list        list the experiments',
    '',
    'options:',
    '  --seed N    the seed of every random choice (an integer; default 0)',
    '  --out DIR   where experiments write files (default ./output)',
    '  --root DIR  the data root (default: $TAPEGRAD_DATA, else the per-user cache); missing files are downloaded',
    '  --quiet     no progress output, only the results',
    '  --help      this text',
    '',
    `experiments: ${names(catalog)}`,
    '',
  ].join('\n');
}

/** Parses the arguments (without `node` and the script): throws a UsageError on a mistake. */
export function parseCli(argv: readonly string[], catalog: Catalog = CATALOG): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        seed: { type: 'string' },
        out: { type: 'string' },
        root: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  let seed = 0;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!/^-?\d+$/.test(values.seed.trim()) || !Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer, got '${values.seed}'`);
  }
  for (const key of ['out', 'root'] as const) {
    if (values[key] === '') throw new UsageError(`--${key} needs a directory, got an empty string`);
  }
  const options: RunOptions = {
    root: values.root === undefined ? undefined : resolve(values.root),
    outDir: resolve(values.out ?? 'output'),
    verbose: values.quiet !== true,
    seed,
  };
  if (values.help) return { action: 'help', experiments: [], options };
  const [first, ...rest] = positionals;
  if (first === 'list' || first === 'all') {
    if (rest.length > 0) throw new UsageError(`'${first}' takes no experiment names, got ${rest.map((n) => `'${n}'`).join(', ')}`);
    return { action: first === 'list' ? 'list' : 'run', experiments: first === 'list' ? [] : [...catalog.experiments], options };
  }
  const wanted = positionals.length === 0 ? catalog.quick : positionals;
  const experiments: Experiment[] = [];
  for (const name of wanted) {
    const e = catalog.experiments.find((x) => x.name === name);
    if (e === undefined) throw new UsageError(`unknown experiment '${name}'; the experiments are: ${names(catalog)} (or 'all', 'list')${didYouMean(name, [...catalog.experiments.map((x) => x.name), 'all', 'list'])}`);
    if (!experiments.includes(e)) experiments.push(e);
  }
  return { action: 'run', experiments, options };
}

/** One row of the results table. */
export interface ResultRow {
  name: string;
  /** The result, or the error the experiment threw. */
  result: ExperimentResult | { error: string };
  /** Wall time in seconds. */
  seconds: number;
}

/** A metric's value as printed: accuracies and errors (fractions) in percent, others with 4 significant digits. */
export function formatValue(metric: string, value: number): string {
  if (/accuracy|error/i.test(metric)) return `${(100 * value).toFixed(2)} %`;
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

/** A duration: '12.3 s', '4 min 05 s', '1 h 02 min'. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

const verdict = (r: ResultRow['result']): string => ('error' in r ? 'error' : r.passed === null ? '–' : r.passed ? 'pass' : 'FAIL');

/** The results as an aligned Markdown table: name, metric, value, target, result, wall time. */
export function formatTable(rows: readonly ResultRow[]): string {
  const head = ['name', 'metric', 'value', 'target', 'result', 'wall time'];
  const cells = rows.map(({ name, result: r, seconds }) => 'error' in r
    ? [name, '–', '–', '–', verdict(r), formatDuration(seconds)]
    : [name, r.metric, formatValue(r.metric, r.value), r.target, verdict(r), formatDuration(seconds)]);
  const widths = head.map((h, j) => Math.max(h.length, ...cells.map((c) => c[j].length)));
  const line = (c: readonly string[]) => `| ${c.map((v, j) => v.padEnd(widths[j])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n') + '\n';
}

/** The experiments, one a line: name, what it reproduces, the report's figure. */
export function formatList(catalog: Catalog = CATALOG): string {
  const w = Math.max(...catalog.experiments.map((e) => e.name.length));
  const line = (e: Experiment) => `${e.name.padEnd(w)}  ${e.description} (report: ${e.reported})${catalog.quick.includes(e.name) ? ' [quick]' : ''}`;
  return catalog.experiments.map(line).join('\n') + '\n';
}

/** Runs one experiment, timing it and catching what it throws. */
export async function runExperiment(e: Experiment, options: RunOptions, io: CliIO = PROCESS_IO): Promise<ResultRow> {
  if (options.verbose) io.out(`\n== ${e.name}: ${e.description} (report: ${e.reported})\n`);
  const started = performance.now();
  let result: ResultRow['result'];
  try {
    result = await e.run(options);
  } catch (err) {
    result = { error: err instanceof Error ? err.message : String(err) };
  }
  const seconds = (performance.now() - started) / 1000;
  if ('error' in result) {
    io.err(`${e.name}: error: ${result.error}\n`);
  } else {
    for (const line of result.details ?? []) io.out(`  ${line}\n`);
    io.out(`${e.name}: ${result.metric} ${formatValue(result.metric, result.value)} (target ${result.target}): ${verdict(result)}, ${formatDuration(seconds)}\n`);
  }
  return { name: e.name, result, seconds };
}

/** The whole CLI: parses argv, runs, prints; resolves to the exit code (0 ok, 1 a target missed, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIO = PROCESS_IO, catalog: Catalog = CATALOG): Promise<number> {
  let cmd: CliCommand;
  try {
    cmd = parseCli(argv, catalog);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`error: ${e.message}\n\n${usage(catalog)}`);
    return 2;
  }
  if (cmd.action === 'help') {
    io.out(usage(catalog));
    return 0;
  }
  if (cmd.action === 'list') {
    io.out(formatList(catalog));
    return 0;
  }
  const started = performance.now();
  const rows: ResultRow[] = [];
  for (const e of cmd.experiments) rows.push(await runExperiment(e, cmd.options, io));
  io.out(`\n${formatTable(rows)}total ${formatDuration((performance.now() - started) / 1000)} (seed ${cmd.options.seed})\n`);
  return rows.every(({ result: r }) => !('error' in r) && r.passed !== false) ? 0 : 1;
}

/** Whether this module is the program (`node dist/experiments/main.js`), not imported. */
function isMain(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isMain()) process.exitCode = await runCli(process.argv.slice(2));
