// The charts, rendered to SVG by the real vega and read back: the lines of a line chart and its legend, dropped
// non-finite points, the decision regions of scatter (the grid predict gets, the area each class's color
// covers), the values written in a heatmap, the PNG pictures of imageGrid (decoded back to their pixels), saving
// (atomic, .svg and .json only), the argument errors, and the message when vega is missing.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Tensor, confusionMatrix, isGradEnabled, rand, tensor, zeros } from '../../src/index.js';
import { Chart, heatmap, imageGrid, lineChart, scatter } from '../../src/viz/plot.js';
import { setVegaImporter } from '../../src/viz/vega.js';

const count = (s: string, needle: string) => s.split(needle).length - 1;

/** The fill colors of the rect paths `M x,y h w v h h -w Z` in the SVG group of class `group`, with their total area. */
function rectAreas(svg: string, group: string): Map<string, number> {
  const g = new RegExp(`<g class="mark-rect role-mark ${group}"[^>]*>(.*?)</g>`).exec(svg);
  expect(g, `a rect group ${group}`).not.toBeNull();
  const areas = new Map<string, number>();
  for (const m of g![1].matchAll(/<path d="M[-\d.e]+,[-\d.e]+h([-\d.e]+)v([-\d.e]+)h[-\d.e]+Z" fill="([^"]+)"/g)) {
    areas.set(m[3], (areas.get(m[3]) ?? 0) + Number(m[1]) * Number(m[2]));
  }
  return areas;
}

/** A PNG from a data URL, decoded: size, channels (gray or RGB) and samples (filter type 0 only, as encodePng writes). */
function decodePng(url: string): { width: number; height: number; channels: number; data: Uint8Array } {
  expect(url.startsWith('data:image/png;base64,')).toBe(true);
  const bytes = new Uint8Array(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'));
  expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const [width, height, colorType] = [view.getUint32(16), view.getUint32(20), bytes[25]];
  const channels = colorType === 0 ? 1 : 3;
  const idat: Uint8Array[] = [];
  for (let at = 8; at < bytes.length;) {
    const len = view.getUint32(at);
    if (String.fromCharCode(...bytes.subarray(at + 4, at + 8)) === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * channels + 1)]).toBe(0);
    data.set(raw.subarray(y * (width * channels + 1) + 1, (y + 1) * (width * channels + 1)), y * width * channels);
  }
  return { width, height, channels, data };
}

describe('lineChart', () => {
  it('draws one line per series with a legend by name, x = 1..n', async () => {
    const chart = lineChart({ train: [3, 2, 1.5, 1.2], val: [3.2, 2.4, 2.1, 2.0], 'lr<0.1': tensor([1, 0.5]) }, { title: 'loss curves' });
    const svg = await chart.toSVG();
    expect(count(svg, 'aria-roledescription="line mark"')).toBe(3);
    const legend = [...svg.matchAll(/role-legend-label"[^>]*><text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(legend).toEqual(['train', 'val', 'lr&lt;0.1']);
    expect(svg).toContain('>loss curves</text>');
    expect(svg).toContain('>epoch</text>');
    // points per line: 4, 4 and 2 (one M and n-1 L each)
    const paths = [...svg.matchAll(/aria-roledescription="line mark" d="([^"]+)"/g)].map((m) => count(m[1], 'L') + 1);
    expect(paths.sort()).toEqual([2, 4, 4]);
    expect(chart.spec.data.values.slice(0, 2)).toEqual([{ series: 'train', x: 1, y: 3 }, { series: 'train', x: 2, y: 2 }]);
    expect(await chart.toSVG()).toBe(svg); // deterministic
  });

  it('drops non-finite points: a diverging run simply ends', async () => {
    const chart = lineChart({ stable: [2, 1, 0.5, 0.3], diverging: [2, 5, 1e4, Infinity, NaN] });
    const rows = chart.spec.data.values as { series: string; x: number; y: number }[];
    expect(rows.filter((r) => r.series === 'diverging').map((r) => r.x)).toEqual([1, 2, 3]);
    const svg = await chart.toSVG();
    expect(svg).not.toMatch(/NaN|Infinity/);
    const paths = [...svg.matchAll(/aria-roledescription="line mark" d="([^"]+)"/g)].map((m) => count(m[1], 'L') + 1);
    expect(paths.sort()).toEqual([3, 4]);
  });

  it('logY drops values ≤ 0 and uses a log scale; x and axis labels from the options', async () => {
    const chart = lineChart({ a: [1, 0, 0.01, -1, 0.001] }, { logY: true, x: [10, 20, 30, 40, 50], xLabel: 'step', yLabel: 'error' });
    expect(chart.spec.encoding.y.scale.type).toBe('log');
    expect(chart.spec.data.values.map((r: { x: number }) => r.x)).toEqual([10, 30, 50]);
    const svg = await chart.toSVG();
    expect(svg).toContain('>step</text>');
    expect(svg).toContain('>error</text>');
    expect(svg).toContain('>0.001</text>'); // a log axis tick
  });

  it("takes fit's History: loss and valLoss by default, other fields by keys", () => {
    const history = { epoch: [0, 1, 2], loss: [1, 0.6, 0.4], valLoss: [1.1, 0.8, 0.7], accuracy: [0.5, 0.7, 0.8], lr: [0.1, 0.1, 0.1], time: [1, 1, 1] };
    const series = (c: Chart) => [...new Set(c.spec.data.values.map((r: { series: string }) => r.series))];
    expect(series(lineChart(history))).toEqual(['loss', 'valLoss']);
    expect(lineChart(history).spec.encoding.y.title).toBe('loss');
    const acc = lineChart(history, { keys: ['accuracy'] });
    expect(series(acc)).toEqual(['accuracy']);
    expect(acc.spec.encoding.y.title).toBe('accuracy');
  });

  it('refuses bad series and options, naming what it got', () => {
    expect(() => lineChart([1, 2] as never)).toThrow("lineChart: expected the series as an object of named number arrays or 1-D Tensors ({ train: [...], val: [...] }), got an array");
    expect(() => lineChart({ a: ['x'] as never })).toThrow("lineChart: expected series 'a' to be an array of numbers or a 1-D Tensor, got ['x']");
    expect(() => lineChart({ a: zeros([2, 2]) })).toThrow("lineChart: expected series 'a' to be a 1-D Tensor, got shape [2, 2]; flatten it first");
    expect(() => lineChart({ a: [1] }, { colour: 'red' } as never)).toThrow("lineChart: unknown option 'colour'");
    expect(() => lineChart({ a: [1, 2, 3] }, { x: [1, 2] })).toThrow('lineChart: x has 2 values but the longest series has 3');
    expect(() => lineChart({ a: [1] }, { keys: ['b'] })).toThrow("lineChart: no series 'b' (the fields are a)");
    expect(() => lineChart({})).toThrow('lineChart: expected at least one series, got none');
    expect(() => lineChart({ a: [1] }, { width: 0 })).toThrow('lineChart: width must be an integer ≥ 1, got 0');
  });
});

describe('scatter', () => {
  // points spanning [0, 1] × [0, 1]: with padding 0 the grid covers exactly that square
  const pts = tensor([[0, 0], [1, 1], [0.2, 0.9], [0.8, 0.3], [0.4, 0.6], [0.9, 0.05]]);
  const labels = [0, 1, 0, 1, 0, 1];

  it('colors points by class, legend by class', async () => {
    const chart = scatter(pts, tensor(labels, { dtype: 'int32' }), { classNames: ['left', 'right'] });
    const svg = await chart.toSVG();
    const symbols = /<g class="mark-symbol role-mark marks"[^>]*>(.*?)<\/g>/.exec(svg)![1];
    const fills = [...symbols.matchAll(/fill="([^"]+)"/g)].map((m) => m[1]);
    expect(fills).toHaveLength(6);
    expect(new Set(fills).size).toBe(2);
    expect(fills.map((f) => (f === fills[0] ? 0 : 1))).toEqual(labels);
    const legend = [...svg.matchAll(/role-legend-label"[^>]*><text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(legend).toEqual(['left', 'right']);
  });

  it('calls predict once, under noGrad, with the [res², 2] float32 grid of cell centres, and fills the regions by its answer', async () => {
    const calls: Tensor[] = [];
    let gradOn = true;
    const res = 10;
    const chart = scatter(pts, labels, {
      width: 400, height: 400,
      regions: {
        resolution: res, padding: 0,
        predict: (grid) => {
          calls.push(grid);
          gradOn = isGradEnabled();
          return grid.narrow(1, 0, 1).flatten().gt(0.5); // class 1 right of x = 0.5
        },
      },
    });
    expect(calls).toHaveLength(1);
    expect(gradOn).toBe(false);
    const g = calls[0];
    expect(g.shape).toEqual([res * res, 2]);
    expect(g.dtype).toBe('float32');
    const v = g.toArray() as number[][];
    expect(v[0][0]).toBeCloseTo(0.05, 6); // x from left to right, then y from bottom to top
    expect(v[0][1]).toBeCloseTo(0.05, 6);
    expect(v[1][0]).toBeCloseTo(0.15, 6);
    expect(v[1][1]).toBeCloseTo(0.05, 6);
    expect(v[res][0]).toBeCloseTo(0.05, 6);
    expect(v[res][1]).toBeCloseTo(0.15, 6);
    expect(v[res * res - 1][0]).toBeCloseTo(0.95, 6);
    // cells of a row with the same class merge: 2 rects per row
    expect(chart.spec.layer[0].data.values).toHaveLength(2 * res);
    const svg = await chart.toSVG();
    const areas = rectAreas(svg, 'layer_0_marks');
    expect([...areas.values()].map((a) => Math.round(a))).toEqual([80000, 80000]); // half of 400 × 400 each
    // the regions use the points' colors: the class-0 point at (0, 0) has the fill of the left half
    const symbols = /<g class="mark-symbol role-mark layer_1_marks"[^>]*>(.*?)<\/g>/.exec(svg)![1];
    const pointFills = [...symbols.matchAll(/fill="([^"]+)"/g)].map((m) => m[1]);
    const leftFill = /<path d="M0,[\d.]+h[\d.]+v[\d.]+h-[\d.]+Z" fill="([^"]+)"/.exec(svg)![1];
    expect(pointFills[0]).toBe(leftFill);
    expect(new Set(areas.keys())).toEqual(new Set(pointFills));
  });

  it('takes scores [M, C] (argmax) and a third class the points lack', () => {
    // class 2 for y > 0.5 (score 5), else class 0 left / 1 right
    const predict = (grid: Tensor) => {
      const [x, y] = [grid.narrow(1, 0, 1), grid.narrow(1, 1, 1)];
      return tensor((x.toArray() as number[][]).map(([a], k) => ((y.toArray() as number[][])[k][0] > 0.5 ? [0, 0, 5] : a > 0.5 ? [0, 1, 0] : [1, 0, 0])));
    };
    const chart = scatter(pts, labels, { regions: { predict, resolution: 4, padding: 0 } });
    const cells = chart.spec.layer[0].data.values as { class: string; x: number; x2: number; y: number }[];
    expect(cells.map((c) => c.class)).toEqual(['0', '1', '0', '1', '2', '2']);
    expect(chart.spec.layer[1].encoding.color.scale.domain).toEqual(['0', '1', '2']);
  });

  it('refuses bad shapes and predictions, naming what it got', () => {
    expect(() => scatter(zeros([5, 3]), null)).toThrow('scatter: expected points of shape [N, 2] (x, y), got shape [5, 3]');
    expect(() => scatter(pts, [0, 1])).toThrow('scatter: expected 6 labels (one class per point), got 2');
    expect(() => scatter(pts, [0, 1, 0, 1, 0, 0.5])).toThrow('scatter: labels must be whole class ids, got 0.5 at index 5');
    expect(() => scatter([[0, 1]] as never, null)).toThrow('scatter: expected points to be a Tensor, got an array');
    expect(() => scatter(pts, labels, { regions: { predict: () => zeros([3]) } })).toThrow('scatter: regions.predict got a grid [3600, 2] and must give class ids [3600] or scores [3600, C], got shape [3]');
    expect(() => scatter(pts, labels, { regions: { predict: (g) => g.narrow(1, 0, 1).flatten() } })).toThrow(/scatter: regions.predict gave -?[\d.]+ for a class id \(shape \[3600\]\); give whole class ids/);
    expect(() => scatter(pts, labels, { regions: { predict: (g: Tensor) => g, steps: 3 } as never })).toThrow("scatter: regions: unknown option 'steps'");
    expect(() => scatter(pts, labels, { classNames: ['a'] })).toThrow("scatter: class 1 has no name in classNames (['a'])");
  });
});

describe('heatmap', () => {
  it('writes the 9 values of a 3 × 3 confusion matrix, with class names and titles', async () => {
    const logits = tensor([[2, 1, 0], [0, 3, 1], [1, 0, 0.5], [0, 0, 2], [0, 0, 3], [5, 0, 0]]);
    const cm = confusionMatrix(logits, tensor([0, 1, 2, 2, 2, 0], { dtype: 'int32' }));
    expect(cm.toArray()).toEqual([[2, 0, 0], [0, 1, 0], [1, 0, 2]]);
    const chart = heatmap(cm, { xLabels: ['cat', 'dog', 'bird'], yLabels: ['cat', 'dog', 'bird'], title: 'confusion' });
    const svg = await chart.toSVG();
    const texts = /<g class="mark-text role-mark layer_1_marks"[^>]*>(.*?)<\/g>/.exec(svg)![1];
    expect([...texts.matchAll(/>([^<]*)<\/text>/g)].map((m) => m[1])).toEqual(['2', '0', '0', '0', '1', '0', '1', '0', '2']);
    expect(count(/<g class="mark-rect role-mark layer_0_marks"[^>]*>(.*?)<\/g>/.exec(svg)![1], '<path')).toBe(9);
    for (const t of ['>cat</text>', '>bird</text>', '>predicted</text>', '>true</text>', '>confusion</text>']) expect(svg).toContain(t);
  });

  it('formats fractions, leaves non-finite cells blank, annotate false writes nothing', async () => {
    const chart = heatmap([[0.12345, NaN], [1 / 3, 2]]);
    expect(chart.spec.data.values.map((r: { text: string }) => r.text)).toEqual(['0.123', 'nan', '0.333', '2']);
    const svg = await chart.toSVG();
    expect(count(/<g class="mark-rect role-mark layer_0_marks"[^>]*>(.*?)<\/g>/.exec(svg)![1], '<path')).toBe(3);
    const none = await heatmap([[1, 2]], { annotate: false }).toSVG();
    expect(none).not.toContain('mark-text role-mark');
  });

  it('refuses bad matrices and labels', () => {
    expect(() => heatmap(zeros([4]))).toThrow('heatmap: expected a matrix [R, C] with R, C ≥ 1, got shape [4]');
    expect(() => heatmap([[1, 2], [3]])).toThrow('heatmap: expected rows of equal length ≥ 1, got row 0 of 2 and row 1 of 1');
    expect(() => heatmap([[1, 2]], { xLabels: ['a'] })).toThrow('heatmap: xLabels has 1 strings but there are 2 columns');
    expect(() => heatmap('x' as never)).toThrow("heatmap: expected a Tensor [R, C] or an array of rows of numbers, got 'x'");
  });
});

describe('imageGrid', () => {
  it('embeds one PNG per image at its own size, scaled up pixelated, with captions', async () => {
    const imgs = rand([5, 1, 8, 6]);
    const labels = ['pred 3 / true 5', 'b', 'c', 'd', 'e&f'];
    const chart = imageGrid(imgs, { labels, columns: 2, scale: 4 });
    const svg = await chart.toSVG();
    const images = [...svg.matchAll(/<image xlink:href="([^"]+)"[^>]*width="(\d+)" height="(\d+)"[^>]*style="([^"]*)"/g)];
    expect(images).toHaveLength(5);
    for (const [k, m] of images.entries()) {
      const png = decodePng(m[1]);
      expect([png.width, png.height, png.channels]).toEqual([6, 8, 1]);
      expect([m[2], m[3]]).toEqual(['24', '32']);
      expect(m[4]).toContain('image-rendering: pixelated');
      // values in [0, 1] are shown as they are
      const want = (imgs.narrow(0, k, 1).toTypedArray() as Float32Array).map((v) => Math.round(v * 255));
      expect([...png.data]).toEqual([...want]);
    }
    expect(svg).toContain('>pred 3 / true 5</text>');
    expect(svg).toContain('>e&amp;f</text>');
    // 2 columns, 3 rows: the images' left edges
    const xs = [...svg.matchAll(/<image [^>]*transform="translate\(([\d.]+),([\d.]+)\)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(new Set(xs.map((p) => p[0])).size).toBe(2);
    expect(new Set(xs.map((p) => p[1])).size).toBe(3);
  });

  it("normalizes each image to its range when values leave [0, 1] ('each' by default), or all together", () => {
    const imgs = tensor([[[-2, 0], [2, 6]], [[10, 10], [10, 20]]]); // [2, 2, 2]
    const pixels = (c: Chart) => c.spec.data.values.map((r: { url: string }) => [...decodePng(r.url).data]);
    expect(pixels(imageGrid(imgs))).toEqual([[0, 64, 128, 255], [0, 0, 0, 255]]);
    expect(pixels(imageGrid(imgs, { normalize: 'all' }))).toEqual([[0, 23, 46, 93], [139, 139, 139, 255]]);
    expect(pixels(imageGrid(imgs, { normalize: false }))).toEqual([[0, 0, 255, 255], [255, 255, 255, 255]]);
  });

  it('RGB [N, 3, H, W] gives color PNGs; 32 digit-sized images stay a small SVG', async () => {
    const rgb = tensor([[[[1]], [[0]], [[0.5]]]]); // one 1 × 1 pixel: red 255, green 0, blue 128
    const png = decodePng(imageGrid(rgb).spec.data.values[0].url);
    expect([png.channels, ...png.data]).toEqual([3, 255, 0, 128]);
    const svg = await imageGrid(rand([32, 1, 28, 28])).toSVG();
    expect(count(svg, 'data:image/png;base64,')).toBe(32);
    expect(svg.length).toBeLessThan(80_000);
  });

  it('refuses other shapes and mismatched labels', () => {
    expect(() => imageGrid(zeros([28, 28]))).toThrow('imageGrid: expected images of shape [N, H, W], [N, 1, H, W] or [N, 3, H, W] (not empty), got shape [28, 28]');
    expect(() => imageGrid(zeros([2, 2, 5, 5]))).toThrow('got shape [2, 2, 5, 5]');
    expect(() => imageGrid(zeros([2, 5, 5]), { labels: ['a'] })).toThrow('imageGrid: labels has 1 strings but there are 2 images');
    expect(() => imageGrid(zeros([2, 5, 5]), { normalize: 'max' as never })).toThrow("imageGrid: normalize must be false, 'each' or 'all', got 'max'");
  });
});

describe('Chart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tapegrad-viz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saves SVG and the JSON spec atomically, giving the absolute path; refuses other extensions', async () => {
    const chart = lineChart({ a: [1, 2, 3] });
    const svgPath = await chart.save(join(dir, 'sub', 'a.svg'));
    expect(isAbsolute(svgPath)).toBe(true);
    expect(readFileSync(svgPath, 'utf8')).toBe(await chart.toSVG());
    const jsonPath = await chart.save(join(dir, 'a.json'));
    expect(JSON.parse(readFileSync(jsonPath, 'utf8'))).toEqual(chart.spec);
    await expect(chart.save(join(dir, 'a.png'))).rejects.toThrow("Chart.save: expected a path ending in .svg (the picture) or .json (the vega-lite spec), got '");
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'sub']); // no temporary files left
    expect(readdirSync(join(dir, 'sub'))).toEqual(['a.svg']);
  });

  it('renders the same SVG every time, with clip-path ids of its own; leaves the spec as it was', async () => {
    const a = lineChart({ a: [1, 2, 3] });
    const before = JSON.stringify(a.spec);
    const first = await a.toSVG();
    await lineChart({ b: [1, 2] }).toSVG();
    expect(await a.toSVG()).toBe(first);
    expect(JSON.stringify(a.spec)).toBe(before);
    expect(Object.getOwnPropertySymbols(a.spec.data.values[0])).toEqual([]);
    const ids = (svg: string) => [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    const [idsA, idsB] = [ids(first), ids(await lineChart({ b: [1, 2] }).toSVG())];
    expect(idsA).toHaveLength(1);
    expect(idsA[0]).toMatch(/^tg[0-9a-f]{8}_0$/);
    expect(first).toContain(`clip-path="url(#${idsA[0]})"`);
    expect(idsB[0]).not.toBe(idsA[0]);
  });

  it('wraps a spec of your own; prints as a one-line note', async () => {
    const chart = new Chart({ width: 100, height: 50, title: 'bars', data: { values: [{ k: 'a', v: 3 }] }, mark: 'bar', encoding: { x: { field: 'k', type: 'nominal' }, y: { field: 'v', type: 'quantitative' } } });
    expect(await chart.toSVG()).toContain('aria-roledescription="bar"');
    expect(String(chart)).toBe("<chart 'bars': 100x50 SVG; save it with chart.save(path)>");
    expect(() => new Chart([] as never)).toThrow('Chart: expected a vega-lite spec (a plain object), got an array');
  });

  it('says how to install vega when it is missing', async () => {
    setVegaImporter(() => Promise.reject(Object.assign(new Error("Cannot find package 'vega'"), { code: 'ERR_MODULE_NOT_FOUND' })));
    try {
      await expect(lineChart({ a: [1] }).toSVG()).rejects.toThrow('plotting needs the vega and vega-lite packages: npm install vega vega-lite@6.4');
    } finally {
      setVegaImporter(null);
    }
    expect(await lineChart({ a: [1] }).toSVG()).toMatch(/^<svg/);
  });
});
