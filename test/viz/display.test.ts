// toHTML (tables with the values, pictures decoded back to their pixels, the text form for the rest, captions,
// escaping) and show(): what it sends to a display target, the text it prints without one, and the detection
// of a tslab kernel through the real tslab package in the CommonJS module cache.
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rand, tensor, zeros } from '../../src/index.js';
import { setDisplayTarget, show, toHTML, type DisplayTarget } from '../../src/viz/display.js';
import { lineChart } from '../../src/viz/plot.js';

/** A PNG from a data URL, decoded: size, channels and samples (filter type 0 only, as encodePng writes). */
function decodePng(url: string): { width: number; height: number; channels: number; data: Uint8Array } {
  const bytes = new Uint8Array(Buffer.from(url.replace(/^data:image\/png;base64,/, ''), 'base64'));
  expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const [width, height, channels] = [view.getUint32(16), view.getUint32(20), bytes[25] === 0 ? 1 : 3];
  expect(String.fromCharCode(...bytes.subarray(37, 41))).toBe('IDAT');
  const raw = inflateSync(bytes.subarray(41, 41 + view.getUint32(33)));
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) data.set(raw.subarray(y * (width * channels + 1) + 1, (y + 1) * (width * channels + 1)), y * width * channels);
  return { width, height, channels, data };
}

const imgs = (html: string) => [...html.matchAll(/<img src="(data:image\/png;base64,[^"]+)" width="(\d+)" height="(\d+)"[^>]*style="([^"]*)"/g)];
const cells = (html: string) => [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
const caption = (html: string) => /<caption[^>]*>([^<]*)<\/caption>/.exec(html)?.[1];

describe('toHTML', () => {
  it('a small matrix is a table of its values with a caption', () => {
    const html = toHTML(tensor([[1, 2.5, -3], [4, 5, 6]]));
    expect(html.startsWith('<table')).toBe(true);
    expect(cells(html)).toEqual(['1.0000', '2.5000', '-3.0000', '4.0000', '5.0000', '6.0000']);
    expect(caption(html)).toBe('tensor [2, 3] float32');
    expect([...html.matchAll(/<th>(\d+)<\/th>/g)].map((m) => m[1])).toEqual(['0', '1', '2', '0', '1']);
    expect(cells(toHTML(tensor([3, -1], { dtype: 'int32' })))).toEqual(['3', '-1']);
    expect(cells(toHTML(tensor([true, false])))).toEqual(['true', 'false']);
    expect(cells(toHTML(tensor([1, 2, NaN])))).toEqual(['1.', '2.', 'nan']);
    expect(cells(toHTML(tensor([1e-6, 1])))).toEqual(['1.0000e-06', '1.0000e+00']);
  });

  it('the caption tells requiresGrad and the gradFn, HTML-escaped', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(caption(toHTML(w))).toBe('tensor [2] float32, requiresGrad=true');
    const html = toHTML(w.mul(2));
    expect(caption(html)).toBe('tensor [2] float32, gradFn=&lt;mul&gt;');
    expect(html).not.toContain('<mul>');
  });

  it('larger tensors, scalars and other shapes are the escaped text form in a <pre>', () => {
    const t = rand([30, 30]);
    const html = toHTML(t);
    const pre = /<pre>([\s\S]*)<\/pre>/.exec(html)![1];
    expect(pre).toBe(t.toString().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(html).toContain('tensor [30, 30] float32');
    expect(toHTML(tensor(3))).toContain('<pre>tensor(3.)</pre>');
    expect(toHTML(zeros([2, 3, 4]))).toContain('<pre>');
    expect(toHTML(tensor([[1, 2]]), { maxCols: 1 })).toContain('<pre>');
    const g = toHTML(tensor([1, 2], { requiresGrad: true }).mul(2), { maxCols: 1 });
    expect(g).toContain('gradFn=&lt;mul&gt;)</pre>');
  });

  it('image-shaped tensors are pictures: pixelated, scaled up, PNGs of their size', () => {
    const digit = rand([1, 28, 28]);
    const html = toHTML(digit);
    const [m] = imgs(html);
    expect(imgs(html)).toHaveLength(1);
    expect([m[2], m[3]]).toEqual(['112', '112']);
    expect(m[4]).toContain('image-rendering:pixelated');
    const png = decodePng(m[1]);
    expect([png.width, png.height, png.channels]).toEqual([28, 28, 1]);
    expect([...png.data]).toEqual([...(digit.toTypedArray() as Float32Array)].map((v) => Math.round(v * 255)));
    expect(html).toContain('tensor [1, 28, 28] float32 (values as they are)');

    const batch = toHTML(rand([5, 1, 8, 10]).mul(4));
    expect(imgs(batch)).toHaveLength(5);
    expect(imgs(batch).map((x) => [x[2], x[3]])).toEqual(Array(5).fill(['60', '48'])); // about 56 px: scale 6
    expect(batch).toContain('(each image scaled to its range)');
    expect(decodePng(imgs(toHTML(rand([3, 8, 8])))[0][1]).channels).toBe(3);
    expect(imgs(toHTML(rand([100, 1, 8, 8]), { maxImages: 10 }))).toHaveLength(10);
    expect(toHTML(rand([100, 1, 8, 8]), { maxImages: 10 })).toContain('the first 10 of 100 images');
  });

  it('image: true shows matrices and small images as pictures; image: false never', () => {
    const m = toHTML(tensor([[0, 1, 0.5], [1, 0, 0.25]]), { image: true, scale: 10 });
    const png = decodePng(imgs(m)[0][1]);
    expect([png.width, png.height, ...png.data]).toEqual([3, 2, 0, 255, 128, 255, 0, 64]);
    expect([imgs(m)[0][2], imgs(m)[0][3]]).toEqual(['30', '20']);
    expect(imgs(toHTML(zeros([4, 5, 5]), { image: true }))).toHaveLength(4);
    expect(toHTML(rand([1, 28, 28]), { image: false })).toContain('<pre>');
    expect(toHTML(rand([1, 4, 4]))).toContain('<pre>'); // smaller than 8: not a picture by default
    expect(() => toHTML(zeros([5]), { image: true })).toThrow('toHTML: expected a tensor shown with image: true of shape [H, W], [1 | 3, H, W], [N, H, W] or [N, 1 | 3, H, W] (not empty), got shape [5]');
  });

  it('refuses non-tensors and unknown options', () => {
    expect(() => toHTML([1, 2] as never)).toThrow('toHTML: expected a Tensor, got an array');
    expect(() => toHTML(zeros([2]), { rows: 3 } as never)).toThrow("toHTML: unknown option 'rows'");
    expect(() => toHTML(zeros([2]), { image: 'yes' } as never)).toThrow("toHTML: image must be a boolean, got 'yes'");
  });
});

describe('show', () => {
  afterEach(() => {
    setDisplayTarget('auto');
    vi.restoreAllMocks();
  });

  const recorder = () => {
    const sent: [string, string][] = [];
    const target: DisplayTarget = { html: (s) => sent.push(['html', s]), svg: (s) => sent.push(['svg', s]), text: (s) => sent.push(['text', s]) };
    return { sent, target };
  };

  it('sends tensors as HTML, charts and SVG strings as SVG, HTML strings as HTML, the rest as text', async () => {
    const { sent, target } = recorder();
    setDisplayTarget(target);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const t = tensor([[1, 2], [3, 4]]);
    const chart = lineChart({ a: [1, 2] });
    await show(t);
    await show(rand([1, 28, 28]), { scale: 2 });
    await show(chart);
    await show('  <svg width="3" height="4"></svg>');
    await show('<b>bold</b>');
    await show('plain');
    await show({ a: 1 });
    expect(sent.map(([kind]) => kind)).toEqual(['html', 'html', 'svg', 'svg', 'html', 'text', 'text']);
    expect(sent[0][1]).toBe(toHTML(t));
    expect(imgs(sent[1][1])[0].slice(2, 4)).toEqual(['56', '56']);
    expect(sent[2][1]).toBe(await chart.toSVG());
    expect(sent.slice(3).map(([, s]) => s)).toEqual(['  <svg width="3" height="4"></svg>', '<b>bold</b>', 'plain', '{ a: 1 }']);
    expect(log).not.toHaveBeenCalled();
  });

  it('prints text without a display: the text form, and a note for charts and SVG', async () => {
    setDisplayTarget(null);
    const lines: unknown[] = [];
    vi.spyOn(console, 'log').mockImplementation((x) => lines.push(x));
    const t = tensor([1.5, 2]);
    await show(t);
    await show(lineChart({ a: [1, 2] }, { title: 'loss' }));
    await show('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"></svg>');
    await show('<i>x</i>');
    await show(42);
    expect(lines).toEqual([
      t.toString(),
      "<chart 'loss': 400x250 SVG; save it with chart.save(path)>",
      '<SVG: 120x80; write it to a .svg file to view it>',
      '<i>x</i>',
      42,
    ]);
  });

  it('finds the tslab kernel through the real tslab modules in the CommonJS cache; without a kernel it prints', async () => {
    const require = createRequire(import.meta.url);
    const tslab = require('tslab/dist/public.js') as { display: DisplayTarget };
    const lines: unknown[] = [];
    vi.spyOn(console, 'log').mockImplementation((x) => lines.push(x));
    // tslab loaded but no kernel running: its display throws 'Not ready', and show falls back to text
    expect(() => tslab.display.html('x')).toThrow('Not ready');
    await show(tensor([1, 2]));
    expect(lines).toEqual([tensor([1, 2]).toString()]);
    // the same module instance is found: what its display receives is what show sends
    const html = vi.spyOn(tslab.display, 'html').mockImplementation(() => {});
    const svg = vi.spyOn(tslab.display, 'svg').mockImplementation(() => {});
    await show(tensor([1, 2]));
    await show('<svg width="1" height="1"></svg>');
    expect(html).toHaveBeenCalledWith(toHTML(tensor([1, 2])));
    expect(svg).toHaveBeenCalledWith('<svg width="1" height="1"></svg>');
    expect(lines).toHaveLength(1);
  });

  it('refuses targets without the three methods, and unknown options', async () => {
    expect(() => setDisplayTarget({ html: () => {} } as never)).toThrow("setDisplayTarget: expected an object with html, svg and text methods, null or 'auto', got an object");
    await expect(show(zeros([2]), { color: true } as never)).rejects.toThrow("show: unknown option 'color'");
  });

  it('an error of the target other than Not ready is not swallowed', async () => {
    setDisplayTarget({ html: () => { throw new Error('broken pipe'); }, svg: () => {}, text: () => {} });
    await expect(show(zeros([2]))).rejects.toThrow('broken pipe');
  });
});
