// Charts for the teaching notebooks: loss curves, 2-D scatter plots with decision regions, heatmaps (confusion
// matrices) and grids of images. Each chart function builds a vega-lite spec synchronously and wraps it in a
// Chart; vega and vega-lite are loaded only when a chart is rendered (viz/vega.ts).
import { Tensor } from '../tensor/tensor.js';
import { shapeStr } from '../tensor/shape.js';
import { tensor } from '../tensor/creation.js';
import { noGrad } from '../autograd/grad-mode.js';
import { checkBool, checkChoice, checkInt, checkNumber, checkOptions, checkTensorArg, describeValue, isPlainObject } from '../utils/args.js';
import { writeFileAtomically } from '../utils/node.js';
import { renderSVG } from './vega.js';
import { BATCH_SHAPES, checkNormalize, pictureError, pngDataUrl, toPictures, type Normalize } from './pixels.js';
import { ArgumentError, DTypeError, ShapeError, ValueError } from '../errors.js';

/** A vega-lite spec (https://vega.github.io/vega-lite/docs/): a plain, JSON-like object. */
export type VegaLiteSpec = { [key: string]: any };

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A chart: a vega-lite spec, rendered to SVG by vega on demand. The chart functions ({@link lineChart},
 * {@link scatter}, {@link heatmap}, {@link imageGrid}) make them; `new Chart(spec)` wraps a spec of your own.
 * The spec is a plain object, so it can be inspected and changed before rendering (`chart.spec.width = 600`).
 * Rendering loads vega and vega-lite on first use (about a second); {@link show} displays a chart in a notebook.
 *
 * @example
 * ```ts
 * const chart = lineChart({ train: [1, 0.5, 0.3], val: [1.1, 0.7, 0.6] }, { title: 'loss' });
 * chart.spec.height = 200;
 * const svg = await chart.toSVG();
 * svg.startsWith('<svg'); // true
 * ```
 */
export class Chart {
  /** The vega-lite spec rendered by {@link Chart.toSVG}. */
  readonly spec: VegaLiteSpec;

  constructor(spec: VegaLiteSpec) {
    if (!isPlainObject(spec)) throw new ArgumentError(`Chart: expected a vega-lite spec (a plain object), got ${describeValue(spec, 'object')}`);
    this.spec = spec;
  }

  /**
   * The chart as an SVG document (a string), rendered by vega without a browser. The same spec always gives
   * the same SVG.
   *
   * @example
   * ```ts
   * const svg = await lineChart({ loss: [3, 2, 1.5] }).toSVG();
   * svg.includes('loss'); // true
   * ```
   */
  toSVG(): Promise<string> {
    return renderSVG(this.spec);
  }

  /**
   * Writes the chart to `path` and gives the absolute path written: an `.svg` file (the picture) or a `.json`
   * file (the vega-lite spec, which the online vega editor opens). The file is written atomically (a
   * temporary file renamed over it), its folder made when missing. Other extensions are refused.
   *
   * @example
   * ```ts
   * const chart = heatmap([[5, 1], [0, 7]]);
   * // await chart.save('confusion.svg');   // or 'confusion.json' for the spec
   * chart.spec.layer.length; // 2
   * ```
   */
  async save(path: string): Promise<string> {
    const fn = 'Chart.save';
    if (typeof path !== 'string' || path === '') throw new ArgumentError(`${fn}: path must be a non-empty string, got ${describeValue(path)}`);
    const ext = /\.(svg|json)$/i.exec(path)?.[1].toLowerCase();
    if (!ext) throw new ValueError(`${fn}: expected a path ending in .svg (the picture) or .json (the vega-lite spec), got '${path}'`);
    const text = ext === 'svg' ? await this.toSVG() : `${JSON.stringify(this.spec, null, 2)}\n`;
    return writeFileAtomically(fn, path, [new TextEncoder().encode(text)], { mkdir: true });
  }

  /** A one-line description, as printed outside notebooks: `<chart 'loss': 400x250 SVG; save it with chart.save(path)>`. */
  toString(): string {
    const t = this.spec.title;
    const title = typeof t === 'string' ? ` '${t}'` : isPlainObject(t) && typeof t.text === 'string' ? ` '${t.text}'` : '';
    const size = (v: unknown) => (typeof v === 'number' ? String(v) : '?');
    return `<chart${title}: ${size(this.spec.width)}x${size(this.spec.height)} SVG; save it with chart.save(path)>`;
  }

  /** @internal console.log shows the one-line description, not the whole spec. */
  [INSPECT](): string {
    return this.toString();
  }
}

// ------------------------------------------------------------------------------------------------- arguments

/** The options every chart takes. */
export interface ChartOptions {
  /** A title above the chart. */
  title?: string;
  /** The width of the plotting area in pixels (axes and legend come on top of it). */
  width?: number;
  /** The height of the plotting area in pixels. */
  height?: number;
}

const CHART_KEYS = ['title', 'width', 'height'] as const;

function optString(fn: string, name: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ArgumentError(`${fn}: ${name} must be a string, got ${describeValue(v)}`);
  return v;
}

function strings(fn: string, name: string, v: unknown): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new ArgumentError(`${fn}: ${name} must be an array of strings, got ${describeValue(v)}`);
  return v as string[];
}

function stringList(fn: string, name: string, v: unknown, length: number, what: string): string[] {
  const list = strings(fn, name, v);
  if (list.length !== length) throw new ValueError(`${fn}: ${name} has ${list.length} strings but there are ${length} ${what}`);
  return list;
}

/** The size and title of the chart, from the options. */
function frame(fn: string, o: Record<string, unknown>, width: number, height: number): VegaLiteSpec {
  const spec: VegaLiteSpec = { $schema: SCHEMA };
  const title = optString(fn, 'title', o.title);
  if (title !== undefined) spec.title = title;
  spec.width = checkInt(fn, 'width', o.width ?? width, 1);
  spec.height = checkInt(fn, 'height', o.height ?? height, 1);
  // vega's default cuts legend and axis labels at 160 px ('model 2: lr 0.001, Pre…')
  spec.config = { legend: { labelLimit: 400 }, axis: { labelLimit: 300 } };
  return spec;
}

/** A 1-D run of numbers: an array of numbers, a typed array or a 1-D Tensor. */
function numbers(fn: string, name: string, v: unknown): ArrayLike<number> {
  if (v instanceof Tensor) {
    if (v.ndim !== 1) throw new ShapeError(`${fn}: expected ${name} to be a 1-D Tensor, got shape ${shapeStr(v.shape)}; flatten it first`);
    return v.toTypedArray();
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView) && typeof (v as unknown as ArrayLike<unknown>)[0] !== 'bigint') return v as unknown as ArrayLike<number>;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v;
  throw new ArgumentError(`${fn}: expected ${name} to be an array of numbers or a 1-D Tensor, got ${describeValue(v)}`);
}

const category = (n: number) => (n <= 10 ? 'tableau10' : 'category20');

// ------------------------------------------------------------------------------------------------ line chart

/** A series of a line chart: numbers, a typed array or a 1-D Tensor. */
export type SeriesData = readonly number[] | ArrayLike<number> | Tensor;

/** Options of {@link lineChart}. */
export interface LineChartOptions extends ChartOptions {
  /** The fields to plot, in order (by default every field; for a fit History, `loss` and `valLoss`). */
  keys?: readonly string[];
  /** The x value of each point (by default 1, 2, …: epochs); at least as many as the longest series. */
  x?: readonly number[] | ArrayLike<number> | Tensor;
  /** The x axis title (default 'epoch', or 'x' with `x`). */
  xLabel?: string;
  /** The y axis title (default the series' name when there is one, else none). */
  yLabel?: string;
  /** A logarithmic y axis (default false); values ≤ 0 are then dropped. */
  logY?: boolean;
  /** A dot at each point (default false). */
  points?: boolean;
}

/**
 * A line chart of one or more series, one line per series with a legend by name: `{ train: history.loss,
 * val: history.valLoss }`, or the History from {@link fit} itself (its `loss` and `valLoss` unless
 * `opts.keys` picks other fields, such as `['accuracy', 'valAccuracy']`). Point i of each series is drawn at
 * x = i + 1 (the epoch), or at `opts.x[i]`. Series may have different lengths.
 *
 * Non-finite values (NaN, ±Infinity: a diverging run) are dropped, so a curve that blew up simply ends where
 * it did (and a single bad value in the middle is bridged); with `logY` so are values ≤ 0.
 *
 * @example
 * ```ts
 * const chart = lineChart(
 *   { 'pre-norm': [2.3, 1.1, 0.6, 0.4], 'post-norm': [2.3, 1.9, NaN, NaN] },
 *   { title: 'training loss', yLabel: 'loss', logY: true },
 * );
 * chart.spec.data.values.length; // 6
 * ```
 */
export function lineChart(series: { readonly [name: string]: SeriesData | undefined }, opts: LineChartOptions = {}): Chart {
  const fn = 'lineChart';
  const o = checkOptions(fn, opts, [...CHART_KEYS, 'keys', 'x', 'xLabel', 'yLabel', 'logY', 'points']);
  if (!isPlainObject(series)) {
    throw new ArgumentError(`${fn}: expected the series as an object of named number arrays or 1-D Tensors ({ train: [...], val: [...] }), got ${describeValue(series, 'object')}`);
  }
  const isHistory = Array.isArray(series.epoch) && Array.isArray(series.loss);
  let keys: string[];
  if (o.keys !== undefined) {
    keys = [...strings(fn, 'keys', o.keys)];
    for (const k of keys) {
      if (series[k] === undefined) throw new ValueError(`${fn}: no series '${k}' (the fields are ${Object.keys(series).join(', ')})`);
    }
  } else {
    keys = isHistory ? ['loss', 'valLoss'].filter((k) => series[k] !== undefined) : Object.keys(series).filter((k) => series[k] !== undefined);
  }
  if (keys.length === 0) throw new ValueError(`${fn}: expected at least one series, got none`);
  if (new Set(keys).size !== keys.length) throw new ValueError(`${fn}: keys name a series twice: ${describeValue(keys)}`);
  const data = keys.map((k) => numbers(fn, `series '${k}'`, series[k]));
  const longest = Math.max(...data.map((d) => d.length));
  const x = o.x === undefined ? null : numbers(fn, 'x', o.x);
  if (x && x.length < longest) throw new ValueError(`${fn}: x has ${x.length} values but the longest series has ${longest}`);
  const logY = checkBool(fn, 'logY', o.logY ?? false);
  const points = checkBool(fn, 'points', o.points ?? false);
  const spec = frame(fn, o, 400, 250);
  const rows: { series: string; x: number; y: number }[] = [];
  keys.forEach((k, s) => {
    const d = data[s];
    for (let i = 0; i < d.length; i++) {
      const [xi, yi] = [x ? x[i] : i + 1, d[i]];
      if (Number.isFinite(xi) && Number.isFinite(yi) && (!logY || yi > 0)) rows.push({ series: k, x: xi, y: yi });
    }
  });
  const yLabel = optString(fn, 'yLabel', o.yLabel) ?? (keys.length === 1 ? keys[0] : isHistory && o.keys === undefined ? 'loss' : null);
  spec.data = { values: rows };
  spec.mark = { type: 'line', point: points, clip: true };
  spec.encoding = {
    x: { field: 'x', type: 'quantitative', title: optString(fn, 'xLabel', o.xLabel) ?? (x ? 'x' : 'epoch'), scale: { zero: false }, ...(x ? {} : { axis: { tickMinStep: 1 } }) },
    y: { field: 'y', type: 'quantitative', title: yLabel, scale: logY ? { type: 'log' } : { zero: false } },
    color: { field: 'series', type: 'nominal', title: null, scale: { domain: keys, scheme: category(keys.length) } },
  };
  return new Chart(spec);
}

// ------------------------------------------------------------------------------------------------ scatter

/** The decision regions of {@link scatter}. */
export interface RegionsOptions {
  /**
   * The classifier, called once (under noGrad) with the grid: a float32 Tensor [M, 2] of the cell centres,
   * M = resolution², row k = (x_i, y_j) with i = k mod resolution from left to right and j = ⌊k / resolution⌋
   * from bottom to top. It gives the class of each: a Tensor [M] of class ids (int32, bool, or whole numbers),
   * or scores [M, C] of which the argmax is taken.
   */
  predict: (grid: Tensor) => Tensor;
  /** Cells per axis (default 60). The chart's default size is then a whole number of pixels per cell (420 × 420 for 60). */
  resolution?: number;
  /** The margin around the points, as a fraction of their range on each axis (default 0.1). */
  padding?: number;
}

/** Options of {@link scatter}. */
export interface ScatterOptions extends ChartOptions {
  xLabel?: string;
  yLabel?: string;
  /** The decision regions of a classifier, drawn under the points in lighter colors of the classes. */
  regions?: RegionsOptions;
  /** The name of each class id 0, 1, … in the legend (by default the ids). */
  classNames?: readonly string[];
  /** The area of a point in square pixels (default 30). */
  pointSize?: number;
}

/** The class ids of `labels` (a Tensor [N] or an array), whole numbers. */
function classIds(fn: string, name: string, v: unknown, n: number): Int32Array {
  let vals: ArrayLike<number>;
  if (v instanceof Tensor) {
    const ok = v.ndim === 1 || (v.ndim === 2 && v.shape[1] === 1);
    if (!ok || v.shape[0] !== n) throw new ShapeError(`${fn}: expected ${name} of shape [${n}] (one class per point), got shape ${shapeStr(v.shape)}`);
    vals = v.toTypedArray();
  } else if (Array.isArray(v) && v.every((x) => typeof x === 'number')) {
    if (v.length !== n) throw new ShapeError(`${fn}: expected ${n} ${name} (one class per point), got ${v.length}`);
    vals = v;
  } else {
    throw new ArgumentError(`${fn}: expected ${name} to be a Tensor [${n}] or an array of class ids, got ${describeValue(v, 'object')}`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(vals[i])) throw new ValueError(`${fn}: ${name} must be whole class ids, got ${vals[i]} at index ${i}`);
    out[i] = vals[i];
  }
  return out;
}

/** The class of each grid cell from predict's output: ids [M] (or [M, 1]), or the argmax of scores [M, C]; -1 for none. */
function predictedClasses(fn: string, out: unknown, m: number): Int32Array {
  if (!(out instanceof Tensor)) throw new ArgumentError(`${fn}: regions.predict must give a Tensor, got ${describeValue(out, 'object')}`);
  const s = out.shape;
  const ids = s.length === 1 || (s.length === 2 && s[1] === 1);
  if (s[0] !== m || !(ids || s.length === 2)) {
    throw new ShapeError(`${fn}: regions.predict got a grid [${m}, 2] and must give class ids [${m}] or scores [${m}, C], got shape ${shapeStr(s)}`);
  }
  const v = out.toTypedArray();
  const cls = new Int32Array(m);
  if (ids) {
    for (let k = 0; k < m; k++) {
      if (!Number.isInteger(v[k])) {
        throw new ShapeError(`${fn}: regions.predict gave ${v[k]} for a class id (shape ${shapeStr(s)}); give whole class ids, scores [${m}, C] (their argmax is taken), or for probabilities p of class 1 p.gt(0.5)`);
      }
      cls[k] = v[k];
    }
    return cls;
  }
  const c = s[1];
  for (let k = 0; k < m; k++) {
    let best = -1;
    for (let j = 0; j < c; j++) if (v[k * c + j] === v[k * c + j] && (best < 0 || v[k * c + j] > v[k * c + best])) best = j;
    cls[k] = best;
  }
  return cls;
}

/**
 * A scatter plot of 2-D points colored by class, as for a toy classification dataset (moons, spirals):
 * `points` is a Tensor [N, 2] (x, y), `labels` the class of each point (a Tensor [N] or an array of whole
 * numbers; null for one color). Points with a non-finite coordinate are dropped.
 *
 * With `opts.regions`, the decision regions of a classifier are drawn under the points: the plane around the
 * points is cut into resolution × resolution cells, `regions.predict` is called once (under noGrad) with all
 * their centres, and each cell is filled with a light shade of its predicted class's color (neighbouring cells
 * of a row with the same class are drawn as one rectangle).
 *
 * @example
 * ```ts
 * const pts = tensor([[0, 0], [1, 0.2], [0.1, 1], [1, 1]]);
 * const chart = scatter(pts, [0, 1, 0, 1], {
 *   title: 'x > 0.5',
 *   regions: { predict: (grid) => grid.narrow(1, 0, 1).flatten().gt(0.5), resolution: 20 },
 * });
 * chart.spec.layer.length; // 2
 * ```
 */
export function scatter(points: Tensor, labels?: Tensor | readonly number[] | null, opts: ScatterOptions = {}): Chart {
  const fn = 'scatter';
  checkTensorArg(fn, points, 'points');
  const o = checkOptions(fn, opts, [...CHART_KEYS, 'xLabel', 'yLabel', 'regions', 'classNames', 'pointSize']);
  if (points.ndim !== 2 || points.shape[1] !== 2) throw new ShapeError(`${fn}: expected points of shape [N, 2] (x, y), got shape ${shapeStr(points.shape)}`);
  if (points.dtype === 'bool') throw new DTypeError(`${fn}: expected points of a numeric dtype, got dtype bool (shape ${shapeStr(points.shape)})`);
  const n = points.shape[0];
  const pointClass = labels === undefined || labels === null ? null : classIds(fn, 'labels', labels, n);
  const pointSize = checkNumber(fn, 'pointSize', o.pointSize ?? 30, (v) => v > 0 && v < Infinity, 'a positive number');
  const xy = points.toTypedArray();
  const r = o.regions === undefined ? null : checkOptions(`${fn}: regions`, o.regions, ['predict', 'resolution', 'padding']);
  const res = checkInt(fn, 'regions.resolution', r?.resolution ?? 60, 1);
  // by default a whole number of pixels per cell, so that the cells' edges fall on pixels and show no seams
  const side = r ? res * Math.max(1, Math.round(400 / res)) : 400;
  const spec = frame(fn, o, side, side);

  // the regions: the grid, the classifier's answer, and runs of equal cells along each row
  let regions: { x: number; x2: number; y: number; y2: number; cls: number }[] | null = null;
  let domains: [number[], number[]] | null = null;
  if (r) {
    if (typeof r.predict !== 'function') throw new ArgumentError(`${fn}: regions.predict must be a function (grid: Tensor [M, 2]) => Tensor, got ${describeValue(r.predict, 'object')}`);
    const padding = checkNumber(fn, 'regions.padding', r.padding ?? 0.1, (v) => v >= 0 && v < Infinity, 'a finite number ≥ 0');
    const bounds = [0, 1].map((axis) => {
      let [lo, hi] = [Infinity, -Infinity];
      for (let i = 0; i < n; i++) {
        const [px, py] = [xy[2 * i], xy[2 * i + 1]];
        if (Number.isFinite(px) && Number.isFinite(py)) [lo, hi] = [Math.min(lo, xy[2 * i + axis]), Math.max(hi, xy[2 * i + axis])];
      }
      if (lo > hi) throw new ValueError(`${fn}: regions need at least one point with finite coordinates to place the grid`);
      const pad = hi > lo ? padding * (hi - lo) : 0.5;
      return [lo - pad, hi + pad];
    });
    const [[x0, x1], [y0, y1]] = bounds;
    const [dx, dy] = [(x1 - x0) / res, (y1 - y0) / res];
    const grid = new Float32Array(2 * res * res);
    for (let j = 0; j < res; j++) {
      for (let i = 0; i < res; i++) grid.set([x0 + (i + 0.5) * dx, y0 + (j + 0.5) * dy], 2 * (j * res + i));
    }
    const predict = r.predict as (g: Tensor) => unknown;
    const cls = predictedClasses(fn, noGrad(() => predict(tensor(grid, { dtype: 'float32' }).reshape([res * res, 2]))), res * res);
    regions = [];
    for (let j = 0; j < res; j++) {
      for (let i = 0; i < res;) {
        const c = cls[j * res + i];
        let end = i + 1;
        while (end < res && cls[j * res + end] === c) end++;
        if (c >= 0) regions.push({ x: x0 + i * dx, x2: end === res ? x1 : x0 + end * dx, y: y0 + j * dy, y2: j === res - 1 ? y1 : y0 + (j + 1) * dy, cls: c });
        i = end;
      }
    }
    domains = [[x0, x1], [y0, y1]];
  }

  // the classes and their names
  const ids = [...new Set([...(pointClass ?? []), ...(regions ?? []).map((c) => c.cls)])].sort((a, b) => a - b);
  let names: string[] | null = null;
  if (o.classNames !== undefined) {
    names = strings(fn, 'classNames', o.classNames);
    const bad = ids.find((c) => c < 0 || c >= names!.length);
    if (bad !== undefined) throw new ValueError(`${fn}: class ${bad} has no name in classNames (${describeValue(names)})`);
  }
  const nameOf = (c: number) => (names ? names[c] : String(c));
  const domain = ids.map(nameOf);
  const color = pointClass || regions
    ? { field: 'class', type: 'nominal', title: 'class', scale: { domain, scheme: category(domain.length) }, legend: { symbolOpacity: 1 } }
    : undefined;

  const rows: Record<string, number | string>[] = [];
  for (let i = 0; i < n; i++) {
    const [px, py] = [xy[2 * i], xy[2 * i + 1]];
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    rows.push(pointClass ? { x: px, y: py, class: nameOf(pointClass[i]) } : { x: px, y: py });
  }
  const scale = (axis: 0 | 1) => (domains ? { domain: domains[axis], nice: false, zero: false } : { zero: false });
  const pointLayer: VegaLiteSpec = {
    data: { values: rows },
    mark: { type: 'circle', size: pointSize, opacity: 0.9, stroke: 'white', strokeWidth: 0.5, aria: false },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: optString(fn, 'xLabel', o.xLabel) ?? 'x', scale: scale(0) },
      y: { field: 'y', type: 'quantitative', title: optString(fn, 'yLabel', o.yLabel) ?? 'y', scale: scale(1) },
      ...(color ? { color } : {}),
    },
  };
  if (!regions) return new Chart({ ...spec, ...pointLayer });
  const regionLayer: VegaLiteSpec = {
    data: { values: regions.map(({ cls, ...r }) => ({ ...r, class: nameOf(cls) })) },
    mark: { type: 'rect', opacity: 0.3, aria: false },
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      x2: { field: 'x2' },
      y: { field: 'y', type: 'quantitative' },
      y2: { field: 'y2' },
      color,
    },
  };
  return new Chart({ ...spec, layer: [regionLayer, pointLayer] });
}

// ------------------------------------------------------------------------------------------------ heatmap

/** Options of {@link heatmap}. */
export interface HeatmapOptions extends ChartOptions {
  /** The name of each column (default 0, 1, …), e.g. class names. */
  xLabels?: readonly string[];
  /** The name of each row (default 0, 1, …). */
  yLabels?: readonly string[];
  /** The x axis title (default 'predicted', as for a confusion matrix). */
  xTitle?: string;
  /** The y axis title (default 'true'). */
  yTitle?: string;
  /** Write the value in each cell (default: when there are at most 400 cells). */
  annotate?: boolean;
  /** How the values are written (default: whole numbers as they are, others to 3 significant digits). */
  format?: (value: number) => string;
  /** A vega color scheme (default 'blues'). */
  scheme?: string;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
}

/**
 * A heatmap of a matrix (a Tensor [R, C] or an array of rows), such as a confusion matrix from
 * {@link confusionMatrix}: one cell per entry, row 0 at the top, colored by value, with the value written in it
 * (for up to 400 cells by default). Non-finite entries are left blank (their text still says nan or inf).
 *
 * @example
 * ```ts
 * const cm = tensor([[50, 2, 0], [3, 45, 4], [0, 6, 40]], { dtype: 'int32' });
 * const chart = heatmap(cm, { xLabels: ['cat', 'dog', 'bird'], yLabels: ['cat', 'dog', 'bird'], title: 'confusion' });
 * chart.spec.data.values.length; // 9
 * ```
 */
export function heatmap(matrix: Tensor | readonly (readonly number[])[], opts: HeatmapOptions = {}): Chart {
  const fn = 'heatmap';
  const o = checkOptions(fn, opts, [...CHART_KEYS, 'xLabels', 'yLabels', 'xTitle', 'yTitle', 'annotate', 'format', 'scheme']);
  let r: number, c: number, vals: ArrayLike<number>;
  if (matrix instanceof Tensor) {
    if (matrix.ndim !== 2 || matrix.numel() === 0) throw new ShapeError(`${fn}: expected a matrix [R, C] with R, C ≥ 1, got shape ${shapeStr(matrix.shape)}`);
    [r, c] = matrix.shape;
    vals = matrix.toTypedArray();
  } else if (Array.isArray(matrix) && matrix.length > 0 && matrix.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'number'))) {
    [r, c] = [matrix.length, matrix[0].length];
    const bad = matrix.findIndex((row) => row.length !== c);
    if (c === 0 || bad >= 0) throw new ShapeError(`${fn}: expected rows of equal length ≥ 1, got row 0 of ${c} and row ${bad} of ${matrix[bad]?.length}`);
    vals = matrix.flat() as number[];
  } else {
    throw new ArgumentError(`${fn}: expected a Tensor [R, C] or an array of rows of numbers, got ${describeValue(matrix, 'object')}`);
  }
  const labels = (name: string, v: unknown, k: number, what: string) => {
    const out = v === undefined ? Array.from({ length: k }, (_, i) => String(i)) : stringList(fn, name, v, k, what);
    if (new Set(out).size !== k) throw new ValueError(`${fn}: ${name} must be distinct, got ${describeValue(out)}`);
    return out;
  };
  const xLabels = labels('xLabels', o.xLabels, c, 'columns');
  const yLabels = labels('yLabels', o.yLabels, r, 'rows');
  const annotate = checkBool(fn, 'annotate', o.annotate ?? r * c <= 400);
  if (o.format !== undefined && typeof o.format !== 'function') throw new ArgumentError(`${fn}: format must be a function (value: number) => string, got ${describeValue(o.format, 'object')}`);
  const format = (o.format as ((v: number) => string) | undefined) ?? formatValue;
  const scheme = optString(fn, 'scheme', o.scheme) ?? 'blues';
  const cell = Math.max(8, Math.min(60, Math.floor(400 / Math.max(r, c))));
  const spec = frame(fn, o, c * cell, r * cell);
  let [lo, hi] = [Infinity, -Infinity];
  for (let i = 0; i < vals.length; i++) if (Number.isFinite(vals[i])) [lo, hi] = [Math.min(lo, vals[i]), Math.max(hi, vals[i])];
  const rows = [];
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const v = vals[i * c + j];
      const dark = Number.isFinite(v) && hi > lo && (v - lo) / (hi - lo) > 0.55;
      rows.push({ row: yLabels[i], col: xLabels[j], value: Number.isFinite(v) ? v : null, text: String(format(v)), ink: dark ? 'white' : 'black' });
    }
  }
  const fontSize = Math.max(7, Math.min(13, Math.round(Math.min(spec.width / c, spec.height / r) * 0.3)));
  spec.data = { values: rows };
  spec.encoding = {
    x: { field: 'col', type: 'ordinal', title: optString(fn, 'xTitle', o.xTitle) ?? 'predicted', scale: { domain: xLabels }, axis: { labelAngle: 0 } },
    y: { field: 'row', type: 'ordinal', title: optString(fn, 'yTitle', o.yTitle) ?? 'true', scale: { domain: yLabels } },
  };
  spec.layer = [
    { mark: { type: 'rect', aria: false }, encoding: { color: { field: 'value', type: 'quantitative', title: null, scale: { scheme } } } },
    ...(annotate ? [{ mark: { type: 'text', fontSize, aria: false }, encoding: { text: { field: 'text' }, color: { condition: { test: "datum.ink === 'white'", value: 'white' }, value: 'black' } } }] : []),
  ];
  return new Chart(spec);
}

// ------------------------------------------------------------------------------------------------ image grid

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  title?: string;
  /** A caption under each image, e.g. 'pred 3 / true 5'. */
  labels?: readonly string[];
  /** Images per row (default 8). */
  columns?: number;
  /** Screen pixels per image pixel (default: about 56 pixels per image, at least 1). */
  scale?: number;
  /**
   * How values become shades (0 black, 1 white): false shows them as they are (clamped to [0, 1]), 'each'
   * stretches each image's range to [0, 1], 'all' the range of all images together. Default: as they are
   * when every value is in [0, 1], else 'each' (learned filters, feature maps).
   */
  normalize?: Normalize;
}

/**
 * A grid of images: a batch [N, H, W] or [N, 1, H, W] (grayscale) or [N, 3, H, W] (RGB), such as MNIST digits,
 * learned convolution filters or feature maps, `columns` per row, with an optional caption under each. Each
 * image is embedded as a small PNG at its own resolution and scaled up without smoothing (pixelated), so a
 * 5 × 5 filter shows as sharp squares and 32 digits make a small SVG. Values are shown as described at
 * `normalize`; NaN shows black.
 *
 * @example
 * ```ts
 * const filters = randn([6, 1, 5, 5]);
 * const chart = imageGrid(filters, { labels: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'], columns: 3 });
 * chart.spec.data.values.length; // 6
 * ```
 */
export function imageGrid(images: Tensor, opts: ImageGridOptions = {}): Chart {
  const fn = 'imageGrid';
  checkTensorArg(fn, images, 'images');
  const o = checkOptions(fn, opts, ['title', 'labels', 'columns', 'scale', 'normalize']);
  const pics = toPictures(images, true, checkNormalize(fn, o.normalize));
  if (!pics) throw pictureError(fn, 'images', images, BATCH_SHAPES);
  const n = pics.images.length;
  const { height: h, width: w } = pics;
  const labels = o.labels === undefined ? null : stringList(fn, 'labels', o.labels, n, 'images');
  const columns = Math.min(n, checkInt(fn, 'columns', o.columns ?? 8, 1));
  const scale = checkInt(fn, 'scale', o.scale ?? Math.max(1, Math.round(56 / Math.max(h, w))), 1);
  const [iw, ih] = [w * scale, h * scale];
  const captionH = labels ? 14 : 0;
  const cw = Math.max(iw, labels ? Math.ceil(Math.max(...labels.map((s) => s.length)) * 6) : 0); // ~6 px a character at 10 px
  const rh = ih + captionH;
  const [gapX, gapY] = [6, 4];
  const rowsOfGrid = Math.ceil(n / columns);
  const spec: VegaLiteSpec = { $schema: SCHEMA };
  const title = optString(fn, 'title', o.title);
  if (title !== undefined) spec.title = title;
  spec.width = columns * cw + (columns - 1) * gapX;
  spec.height = rowsOfGrid * rh + (rowsOfGrid - 1) * gapY;
  spec.config = { view: { stroke: null } };
  spec.data = {
    values: pics.images.map((img, k) => {
      const [left, top] = [(k % columns) * (cw + gapX), Math.floor(k / columns) * (rh + gapY)];
      return { x: left + (cw - iw) / 2, y: top, url: pngDataUrl(fn, img), cx: left + cw / 2, cy: top + ih + 2, caption: labels ? labels[k] : '' };
    }),
  };
  const at = (field: string) => ({ field, type: 'quantitative', scale: null, axis: null });
  spec.layer = [
    {
      mark: { type: 'image', width: iw, height: ih, align: 'left', baseline: 'top', aspect: false, smooth: false, aria: false },
      encoding: { x: at('x'), y: at('y'), url: { field: 'url', type: 'nominal' } },
    },
    ...(labels ? [{
      mark: { type: 'text', align: 'center', baseline: 'top', fontSize: 10, aria: false },
      encoding: { x: at('cx'), y: at('cy'), text: { field: 'caption' } },
    }] : []),
  ];
  return new Chart(spec);
}

/**
 * Charts side by side (`'row'`, the default) or one above the other (`'column'`), as one chart: vega-lite's
 * hconcat / vconcat of their specs. Handy for decision regions after several epochs, or four optimizers.
 *
 * @example
 * ```ts
 * const a = lineChart({ loss: [3, 2, 1] }, { title: 'SGD' });
 * const b = lineChart({ loss: [3, 1, 0.5] }, { title: 'Adam' });
 * const both = concatCharts([a, b], { title: 'two runs' });
 * both.spec.hconcat.length; // 2
 * ```
 */
export function concatCharts(charts: readonly Chart[], opts: { direction?: 'row' | 'column'; title?: string } = {}): Chart {
  const fn = 'concatCharts';
  const o = checkOptions(fn, opts, ['direction', 'title']);
  if (!Array.isArray(charts) || charts.length === 0 || charts.some((c) => !(c instanceof Chart))) {
    throw new ArgumentError(`${fn}: expected a non-empty array of Charts, got ${describeValue(charts, 'object')}`);
  }
  const key = checkChoice(fn, 'direction', o.direction ?? 'row', ['row', 'column']) === 'row' ? 'hconcat' : 'vconcat';
  const spec: VegaLiteSpec = { $schema: SCHEMA, [key]: charts.map(({ spec: { $schema: _, config: __, ...rest } }) => rest) };
  const title = optString(fn, 'title', o.title);
  if (title !== undefined) spec.title = title;
  spec.config = charts[0].spec.config;
  return new Chart(spec);
}
