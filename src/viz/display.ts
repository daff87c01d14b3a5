// Rich display in notebooks: tensors as HTML (tables, pictures or text), charts and SVG drawings, sent to the
// Jupyter kernel of tslab when the code runs in one, else printed as text.
//
// Finding tslab: a notebook cell `require`s this package (tslab compiles cells to CommonJS; Node loads our ESM
// through require(esm)), and tslab does not hook an `import 'tslab'` from ESM. But the kernel's own CommonJS
// modules sit in Node's one CommonJS module cache, so the module whose path ends in tslab/dist/jupyter.js
// tells where the running tslab is, and requiring public.js from the same folder gives the same module
// instance (same absolute path), whose `display` writes to the live kernel.
import { Tensor } from '../tensor/tensor.js';
import { shapeStr } from '../tensor/shape.js';
import { formatTensor, makeFormatter } from '../tensor/format.js';
import { checkBool, checkInt, checkOptions, describeValue } from '../utils/args.js';
import { Chart } from './plot.js';
import { checkNormalize, pictureError, pngDataUrl, toPictures, type Normalize } from './pixels.js';
import { ArgumentError } from '../errors.js';
import { optionalNodeModule } from '../utils/node.js';

// --------------------------------------------------------------------------------------------------- toHTML

/** Options of {@link toHTML} (and of {@link show} for tensors). */
export interface ToHTMLOptions {
  /**
   * Show the tensor as a picture: true for [H, W], [1, H, W] / [3, H, W] (one gray or RGB image), [N, H, W]
   * and [N, 1 | 3, H, W] (N images); false never. By default [1 | 3, H, W] and [N, 1 | 3, H, W] with H and W
   * at least 8 are pictures, and nothing else is.
   */
  image?: boolean;
  /** A tensor of at most 2 dims is a table when it has at most this many rows (default 20). */
  maxRows?: number;
  /** ... and at most this many columns (default 20). */
  maxCols?: number;
  /** Screen pixels per image pixel (default: about 112 pixels across for one image, 56 each for several). */
  scale?: number;
  /** How values become shades, as in {@link imageGrid}: false, 'each' or 'all' (default: as they are when all in [0, 1], else 'each'). */
  normalize?: Normalize;
  /** The most images shown of a batch (default 64). */
  maxImages?: number;
}

const HTML_KEYS = ['image', 'maxRows', 'maxCols', 'scale', 'normalize', 'maxImages'];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text for HTML or SVG: & < > " ' as entities. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** `tensor [2, 3] float32`, with the tensor's gradient status as its text form shows it. */
function describeTensor(t: Tensor): string {
  const grad = t.gradFn ? `, gradFn=<${t.gradFn.name}>` : t.requiresGrad ? ', requiresGrad=true' : '';
  return `tensor ${shapeStr(t.shape)} ${t.dtype}${grad}`;
}

function table(t: Tensor): string {
  const [rows, cols] = t.ndim === 1 ? [1, t.shape[0]] : [t.shape[0], t.shape[1]];
  const values = t.toTypedArray();
  const fmt = makeFormatter(t, values); // the text form's choice of fixed, whole (`2.`) or scientific notation
  const out = [`<table style="font-family:monospace;border-collapse:collapse"><caption style="caption-side:top;text-align:left">${escapeHtml(describeTensor(t))}</caption>`];
  out.push(`<tr>${t.ndim === 2 ? '<th></th>' : ''}${Array.from({ length: cols }, (_, j) => `<th>${j}</th>`).join('')}</tr>`);
  for (let i = 0; i < rows; i++) {
    const cells = Array.from({ length: cols }, (_, j) => `<td style="text-align:right">${fmt(values[i * cols + j])}</td>`).join('');
    out.push(`<tr>${t.ndim === 2 ? `<th>${i}</th>` : ''}${cells}</tr>`);
  }
  out.push('</table>');
  return out.join('\n');
}

const NORMALIZED: Record<string, string> = { false: 'values as they are', each: 'each image scaled to its range', all: 'all images scaled to their range' };

function pictures(fn: string, t: Tensor, batched: boolean, o: Record<string, unknown>): string | null {
  const pics = toPictures(t, batched, checkNormalize(fn, o.normalize));
  if (!pics) return null;
  const maxImages = checkInt(fn, 'maxImages', o.maxImages ?? 64, 1);
  const many = pics.images.length > 1;
  const scale = checkInt(fn, 'scale', o.scale ?? Math.max(1, Math.round((many ? 56 : 112) / Math.max(pics.height, pics.width))), 1);
  const shown = pics.images.slice(0, maxImages);
  const more = shown.length < pics.images.length ? `, the first ${shown.length} of ${pics.images.length} images` : '';
  const caption = `${describeTensor(t)} (${NORMALIZED[String(pics.normalize)]}${more})`;
  const imgs = shown.map((img, k) =>
    `<img src="${pngDataUrl(fn, img)}" width="${img.width * scale}" height="${img.height * scale}" alt="image ${k}" style="image-rendering:pixelated">`);
  return `<div style="font-family:monospace"><div>${escapeHtml(caption)}</div>\n<div style="display:flex;flex-wrap:wrap;gap:4px">${imgs.join('\n')}</div></div>`;
}

/**
 * A tensor as HTML for a notebook, chosen by its shape:
 * - a picture (PNG, scaled up without smoothing, so a 28 × 28 digit shows about 112 pixels wide) for images:
 *   by default [1 | 3, H, W] (one gray or RGB image) and [N, 1 | 3, H, W] (a batch) with H and W ≥ 8; with
 *   `image: true` also any [H, W] and [N, H, W] (see {@link ToHTMLOptions.image});
 * - else a table for 1 or 2 dims of at most 20 × 20 elements (`maxRows`, `maxCols`), cells formatted as
 *   the text form formats them;
 * - else the text form ({@link Tensor.toString}) in a `<pre>`.
 *
 * Each has a caption such as `tensor [2, 3] float32` (with `gradFn=<…>` or `requiresGrad=true` as the text
 * form shows). Texts are HTML-escaped.
 *
 * @example
 * ```ts
 * const html = toHTML(tensor([[1, 2], [3, 4]]));
 * html.startsWith('<table'); // true
 * toHTML(rand([1, 28, 28])).includes('data:image/png;base64,'); // true
 * toHTML(zeros([3, 4, 5])).includes('<pre>'); // true
 * ```
 */
export function toHTML(t: Tensor, opts: ToHTMLOptions = {}): string {
  const fn = 'toHTML';
  if (!(t instanceof Tensor)) throw new ArgumentError(`${fn}: expected a Tensor, got ${describeValue(t, 'object')}`);
  const o = checkOptions(fn, opts, HTML_KEYS);
  const image = o.image === undefined ? undefined : checkBool(fn, 'image', o.image);
  const maxRows = checkInt(fn, 'maxRows', o.maxRows ?? 20, 1);
  const maxCols = checkInt(fn, 'maxCols', o.maxCols ?? 20, 1);
  const s = t.shape;
  if (image === true) {
    const html = t.ndim === 4 || (t.ndim === 3 && s[0] !== 1 && s[0] !== 3) ? pictures(fn, t, true, o) : pictures(fn, t, false, o);
    if (html === null) throw pictureError(fn, 'a tensor shown with image: true', t, '[H, W], [1 | 3, H, W], [N, H, W] or [N, 1 | 3, H, W]');
    return html;
  }
  const big = (h: number, w: number) => h >= 8 && w >= 8;
  if (image === undefined && t.ndim >= 3 && big(s[t.ndim - 2], s[t.ndim - 1])) {
    if (t.ndim === 3 && (s[0] === 1 || s[0] === 3)) return pictures(fn, t, false, o)!;
    if (t.ndim === 4 && (s[1] === 1 || s[1] === 3) && s[0] > 0) return pictures(fn, t, true, o)!;
  }
  const [rows, cols] = t.ndim === 1 ? [1, s[0]] : t.ndim === 2 ? [s[0], s[1]] : [0, 0];
  if ((t.ndim === 1 || t.ndim === 2) && t.numel() > 0 && rows <= maxRows && cols <= maxCols) return table(t);
  return `<div style="font-family:monospace"><div>${escapeHtml(describeTensor(t))}</div><pre>${escapeHtml(formatTensor(t))}</pre></div>`;
}

// ----------------------------------------------------------------------------------------------------- show

/** Where {@link show} sends rich output: tslab's `display` has these methods. */
export interface DisplayTarget {
  html(s: string): void;
  svg(s: string): void;
  text(s: string): void;
}

let chosen: DisplayTarget | null | 'auto' = 'auto';
let tslab: DisplayTarget | undefined;

/** tslab's display, when this process is a tslab kernel (see the top of this file); else null. */
function findTslab(): DisplayTarget | null {
  if (tslab) return tslab;
  const mod = optionalNodeModule('module');
  if (!mod) return null;
  const require = mod.createRequire(import.meta.url);
  const key = Object.keys(require.cache).find((k) => k.replace(/\\/g, '/').endsWith('/tslab/dist/jupyter.js'));
  if (key === undefined) return null;
  const display = (require(`${key.slice(0, -'jupyter.js'.length)}public.js`) as { display?: DisplayTarget }).display;
  return display && typeof display.html === 'function' ? (tslab = display) : null;
}

/**
 * Where {@link show} sends its output: `'auto'` (the default) finds the tslab Jupyter kernel the code runs in,
 * if any; a target of your own (an object with `html`, `svg` and `text` methods, e.g. for another notebook
 * kernel); or null to print text with console.log always.
 *
 * @example
 * ```ts
 * const sent: string[] = [];
 * setDisplayTarget({ html: (s) => sent.push(s), svg: (s) => sent.push(s), text: (s) => sent.push(s) });
 * await show(tensor([1, 2, 3]));
 * sent[0].startsWith('<table'); // true
 * setDisplayTarget('auto');
 * ```
 */
export function setDisplayTarget(target: DisplayTarget | null | 'auto'): void {
  const ok = target === null || target === 'auto' || (typeof target === 'object' && ['html', 'svg', 'text'].every((m) => typeof (target as unknown as Record<string, unknown>)[m] === 'function'));
  if (!ok) throw new ArgumentError(`setDisplayTarget: expected an object with html, svg and text methods, null or 'auto', got ${describeValue(target, 'object')}`);
  chosen = target;
  tslab = undefined;
}

/** Sends to the target; tslab loaded without a running kernel (its display says 'Not ready') falls back to text. */
function send(target: DisplayTarget | null, kind: keyof DisplayTarget, rich: string, fallback: () => string | unknown): void {
  if (target) {
    try {
      target[kind](rich);
      return;
    } catch (e) {
      if (!(e instanceof Error && e.message === 'Not ready')) throw e;
    }
  }
  console.log(fallback());
}

const svgSize = (svg: string) => {
  const tag = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? '?';
  return `${attr('width')}x${attr('height')}`;
};

function inspect(x: unknown): string {
  const util = optionalNodeModule('util');
  return util ? util.inspect(x) : String(x);
}

/**
 * Shows anything in a notebook, the one call to use: a Tensor (as {@link toHTML} makes it, with `opts`), a
 * {@link Chart} (rendered to SVG), an SVG string (such as a drawn graph), an HTML string (one starting with
 * `<`), or any other value (as text). In a tslab Jupyter kernel the output goes to the cell as rich output;
 * elsewhere (a plain Node script) a text form is printed with console.log: a tensor's text form, and for
 * charts and SVG a one-line note such as `<chart: 400x250 SVG; save it with chart.save(path)>`. Await it, so
 * the output lands in the cell that made it.
 *
 * @example
 * ```ts
 * await show(tensor([[1, 2], [3, 4]]));
 * await show(lineChart({ loss: [1, 0.5, 0.25] }));
 * await show('plain text');
 * ```
 */
export async function show(x: unknown, opts: ToHTMLOptions = {}): Promise<void> {
  checkOptions('show', opts, HTML_KEYS);
  const target = chosen === 'auto' ? findTslab() : chosen;
  if (x instanceof Tensor) return send(target, 'html', target ? toHTML(x, opts) : '', () => formatTensor(x));
  if (x instanceof Chart) return send(target, 'svg', target ? await x.toSVG() : '', () => x.toString());
  if (typeof x === 'string') {
    const s = x.trimStart();
    if (/^(<\?xml[^>]*>\s*)?<svg\b/.test(s)) return send(target, 'svg', x, () => `<SVG: ${svgSize(s)}; write it to a .svg file to view it>`);
    if (s.startsWith('<')) return send(target, 'html', x, () => x);
    return send(target, 'text', x, () => x);
  }
  return send(target, 'text', target ? inspect(x) : '', () => x);
}
