// Training: fit and evaluate (with callbacks and a progress display) and the metrics.
export * from './fit.js';
export * from './metrics.js';
export * from './progress.js';
