// The progress display of fit: on a terminal, a bar per epoch (cli-progress) with the rate, the ETA and the
// running loss and metrics; elsewhere (a file, a pipe, CI logs) one line per epoch.
import cliProgress from 'cli-progress';
import { checkChoice, checkOptions, describeValue } from '../utils/args.js';
import { ArgumentError } from '../errors.js';
import type { BatchLogs, Callback, EpochLogs, TrainBeginInfo } from './fit.js';

/**
 * Where progress is written: `process.stdout` by default, or anything with `write` (a test's collector).
 * With `isTTY` true it gets a redrawn bar (and ANSI cursor codes); otherwise one line per epoch.
 */
export interface ProgressOutput {
  write(text: string): unknown;
  /** Whether it is a terminal (a bar is drawn), as a Node stream's `isTTY`. */
  readonly isTTY?: boolean;
  /** The terminal's width, as a Node stream's `columns`. */
  readonly columns?: number;
}

/** How much fit prints: 0 nothing; 1 or 'auto' (Keras' spelling of the default) a bar or a line per epoch. */
export type Verbosity = 0 | 1 | 'auto';

/** The options of {@link ProgressLogger}. */
export interface ProgressLoggerOptions {
  /** Where to write (default `process.stdout`). */
  output?: ProgressOutput;
  /** 0: print nothing; 1 or 'auto' (the default): a bar per epoch on a terminal, else a line per epoch. */
  verbose?: Verbosity;
}

/** A number as the logs show it: 4 decimals, or 4 significant digits in exponent form when far from 1. */
function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  const a = Math.abs(v);
  return a === 0 || (a >= 1e-3 && a < 1e5) ? v.toFixed(4) : v.toExponential(3);
}

/** A log key as printed: `valLoss` → `val_loss`, `valAccuracy` → `val_accuracy`, others as they are. */
const label = (key: string) => (/^val[A-Z]/.test(key) ? `val_${key[3].toLowerCase()}${key.slice(4)}` : key);

/** The logs (but lr, time and epoch) as `loss 0.2345  accuracy 0.9312  val_loss 0.3012`. */
function formatLogs(logs: Readonly<Record<string, number>>): string {
  return Object.entries(logs)
    .filter(([k]) => k !== 'lr' && k !== 'time' && k !== 'epoch')
    .map(([k, v]) => `${label(k)} ${formatValue(v)}`)
    .join('  ');
}

/** The rate as `312.4 batch/s`, or below one batch a second `2.31 s/batch`. */
function formatRate(batches: number, seconds: number): string {
  if (batches === 0 || seconds <= 0) return '- batch/s';
  const rate = batches / seconds;
  return rate >= 1 ? `${rate.toFixed(1)} batch/s` : `${(1 / rate).toFixed(2)} s/batch`;
}

interface Payload { head: string; rate: string; logs: string }

const BAR_SIZE = 20;

/** The bar for a fraction done: `[=====...............]`. */
function formatBar(progress: number): string {
  const done = Math.round(Math.min(Math.max(progress, 0), 1) * BAR_SIZE);
  return `[${'='.repeat(done)}${'.'.repeat(BAR_SIZE - done)}]`;
}

/** The batches done, with the bar when the total is known: `[=====...............] 25/100` or `25 batches`. */
const formatCount = (value: number, total: number | null) => (total === null ? `${value} batches` : `${formatBar(value / total)} ${value}/${total}`);

/** The non-empty parts, two spaces apart. */
const joinParts = (parts: string[]) => parts.filter((p) => p !== '').join('  ');

/**
 * Shows the progress of training, as Keras' ProgbarLogger: `fit` makes one (unless `verbose` is 0), and a
 * hand-written loop may drive one through the {@link Callback} hooks. On a terminal (`output.isTTY`) each epoch
 * draws a bar (with cli-progress) with the batches done, the rate, the ETA and the running means of the loss and
 * metrics, replaced at the end by the epoch's line with the bar and the rate; elsewhere each epoch prints one line:
 * `epoch 3/10  loss 0.2345  accuracy 0.9312  val_loss 0.2871  val_accuracy 0.9400  1.2 s`.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const logger = new ProgressLogger({ output: { write: (s) => lines.push(s) } });
 * logger.onTrainBegin({ epochs: 2, steps: 1 });
 * for (let epoch = 0; epoch < 2; epoch++) {
 *   logger.onEpochBegin(epoch);
 *   logger.onBatchEnd(0, { size: 4, loss: 1 / (epoch + 1) });
 *   logger.onEpochEnd(epoch, { loss: 1 / (epoch + 1), time: 0.5 });
 * }
 * lines; // ["epoch 1/2  loss 1.0000  0.5 s\n", "epoch 2/2  loss 0.5000  0.5 s\n"]
 * ```
 */
export class ProgressLogger implements Callback {
  /** Where the progress goes. */
  readonly output: ProgressOutput;
  /** Whether anything is printed. */
  readonly verbose: Verbosity;
  private epochs = 0;
  private steps: number | null = null;
  private batches = 0;
  private started = 0;
  private batchSeconds = 0;
  private samples = 0;
  private sums: Record<string, number> = {};
  private bar: cliProgress.SingleBar | null = null;

  constructor(opts: ProgressLoggerOptions = {}) {
    const o = checkOptions('ProgressLogger', opts, ['output', 'verbose']);
    const output = o.output ?? process.stdout;
    if (typeof (output as ProgressOutput | null)?.write !== 'function') {
      throw new ArgumentError(`ProgressLogger: output must have a write(text) method (process.stdout, a stream), got ${describeValue(output, 'object')}`);
    }
    this.output = output as ProgressOutput;
    this.verbose = checkChoice('ProgressLogger', 'verbose', o.verbose ?? 1, [0, 1, 'auto'] as const);
  }

  /** Whether a bar is drawn (the output is a terminal) rather than lines. */
  get isTTY(): boolean {
    return this.output.isTTY === true;
  }

  /** Training starts: the number of epochs and of batches per epoch (null when unknown). */
  onTrainBegin(info: TrainBeginInfo): void {
    this.epochs = info.epochs;
    this.steps = info.steps;
  }

  /** An epoch starts (0-based): clears the running means and starts the bar. */
  onEpochBegin(epoch: number): void {
    this.close();
    this.batches = 0;
    this.batchSeconds = 0;
    this.samples = 0;
    this.sums = {};
    this.started = performance.now();
    if (this.verbose === 0 || !this.isTTY) return;
    this.bar = new cliProgress.SingleBar({
      stream: this.output as unknown as NodeJS.WritableStream,
      format: (options, params, payload: Payload) => {
        const total = params.total > 0 ? params.total : null;
        const eta = total !== null && typeof params.eta === 'number' ? `ETA ${cliProgress.Format.TimeFormat(params.eta, options, 1).trim()}` : '';
        return joinParts([payload.head, formatCount(params.value, total), payload.rate, eta, payload.logs]);
      },
      fps: 10,
      etaBuffer: 20,
      // trim the redrawn line to the terminal's width rather than turn wrapping off (which an interrupted run would
      // leave off); the line left at the end is written whole
      linewrap: true,
      clearOnComplete: true,
    });
    this.bar.start(this.steps ?? 0, 0, { head: this.head(epoch), rate: formatRate(0, 0), logs: '' } satisfies Payload);
  }

  /** A batch is done (0-based): its size and its loss and metrics, added to the running means. */
  onBatchEnd(batch: number, logs: BatchLogs): void {
    this.batches = batch + 1;
    this.batchSeconds = (performance.now() - this.started) / 1000;
    this.samples += logs.size;
    for (const [k, v] of Object.entries(logs)) if (k !== 'size') this.sums[k] = (this.sums[k] ?? 0) + v * logs.size;
    if (this.bar === null) return;
    const means = Object.fromEntries(Object.entries(this.sums).map(([k, s]) => [k, s / this.samples]));
    this.bar.update(this.batches, { rate: this.rate(), logs: formatLogs(means) } satisfies Partial<Payload>);
  }

  /** An epoch is done: its logs (train and validation loss and metrics, lr, time in seconds). */
  onEpochEnd(epoch: number, logs: EpochLogs): void {
    if (this.verbose === 0) return;
    const time = `${(logs.time ?? (performance.now() - this.started) / 1000).toFixed(1)} s`;
    const progress = this.bar === null ? [] : [formatCount(this.batches, this.steps ?? this.batches), this.rate()];
    this.close();
    this.output.write(`${joinParts([this.head(epoch), ...progress, formatLogs(logs), time])}\n`);
    if (this.steps === null) this.steps = this.batches;
  }

  /** Training is done: stops a bar still drawn. */
  onTrainEnd(): void {
    this.close();
  }

  /** Stops the bar if one is drawn (fit calls it when training ends, also by an error). */
  close(): void {
    if (this.bar === null) return;
    this.bar.stop();
    this.bar = null;
  }

  private head(epoch: number): string {
    return `epoch ${epoch + 1}/${this.epochs}`;
  }

  /** The rate over the batches so far (validation time left out). */
  private rate(): string {
    return formatRate(this.batches, this.batchSeconds);
  }
}
