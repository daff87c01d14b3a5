// What every experiment of the main job (`npm start -- NAME`) provides. Experiments are programs, not library
// API: nothing here is exported from the package root.

/** One experiment's outcome: its headline metric against the target the issue sets. */
export interface ExperimentResult {
  /** e.g. 'test accuracy', 'test error', 'test BCE'. */
  metric: string;
  /** The measured value, in the metric's unit (accuracy as a fraction, error as a fraction). */
  value: number;
  /** The bar to clear, as text ('≥ 97 %'), and whether it was cleared (null when there is no numeric bar). */
  target: string;
  passed: boolean | null;
  /** Extra lines to print (per-optimizer figures, the PreNorm table, where PNGs were written). */
  details?: string[];
}

/** Options every experiment receives. */
export interface RunOptions {
  /** Data root (else TAPEGRAD_DATA, else the per-user cache); MNIST experiments download when missing. */
  root?: string;
  /** Where experiments write files (PNG grids): default ./output. */
  outDir: string;
  /** Progress output on (default) or off. */
  verbose: boolean;
  /** Seed of every random choice in the run. */
  seed: number;
}

export interface Experiment {
  name: string;
  /** One line: what it reproduces (from the reports). */
  description: string;
  /** The report's own figure, for the table. */
  reported: string;
  run(opts: RunOptions): Promise<ExperimentResult>;
}
