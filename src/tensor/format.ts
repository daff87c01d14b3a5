import { getDefaultDtype } from './dtype.js';
import type { Tensor } from './tensor.js';

/**
 * Print options, as PyTorch's `set_printoptions`: elements before summarizing, edge items shown, decimals,
 * and line width. Change them in place.
 *
 * @example
 * ```ts
 * printOptions.precision = 2;
 * tensor([1.23456]).toString(); // "tensor([1.23])"
 * printOptions.precision = 4;
 * ```
 */
export const printOptions = { threshold: 1000, edgeItems: 3, precision: 4, lineWidth: 80 };

type Formatter = (v: number) => string;

/** How each element of `values` (the elements of `t` shown) prints: fixed, whole (`2.`) or scientific, as PyTorch picks. */
export function makeFormatter(t: Tensor, values: ArrayLike<number>): Formatter {
  if (t.dtype === 'bool') return (v) => (v ? 'true' : 'false');
  if (t.dtype === 'int32') return (v) => String(v);
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(Math.abs(values[i]));
  const p = printOptions.precision;
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  if (finite.length === 0) return (v) => (Number.isFinite(v) ? v.toFixed(p) : special(v));
  const allInt = finite.every((v) => Number.isInteger(v));
  const nonzero = finite.filter((v) => v !== 0);
  const maxAbs = Math.max(...finite), minAbs = nonzero.length ? Math.min(...nonzero) : 0;
  const sci = maxAbs >= 1e8 || (minAbs > 0 && (minAbs < 1e-4 || maxAbs / minAbs > 1000));
  if (allInt && !sci) return (v) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : special(v));
  if (sci) return (v) => (Number.isFinite(v) ? v.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2') : special(v));
  return (v) => (Number.isFinite(v) ? v.toFixed(p) : special(v));
}

/** Formats a tensor the way PyTorch prints one: values (summarized when large), then dtype and grad info. */
export function formatTensor(t: Tensor): string {
  const flat = t.toTypedArray();
  const summarize = t.numel() > printOptions.threshold;
  const edge = printOptions.edgeItems;
  const strides: number[] = [];
  let s = 1;
  for (let i = t.ndim - 1; i >= 0; i--) {
    strides[i] = s;
    s *= t.shape[i];
  }
  // Only the printed values decide the format, as in PyTorch.
  const shown: number[] = [];
  const collect = (d: number, at: number) => {
    if (d === t.ndim) { shown.push(flat[at]); return; }
    const n = t.shape[d];
    const idx = summarize && n > 2 * edge ? [...Array(edge).keys(), ...Array.from({ length: edge }, (_, k) => n - edge + k)] : [...Array(n).keys()];
    for (const i of idx) collect(d + 1, at + i * strides[d]);
  };
  collect(0, 0);
  const fmt = makeFormatter(t, shown);
  // Column width comes from the finite values only; nan and inf may stick out, as in PyTorch.
  const width = Math.max(0, ...shown.filter(Number.isFinite).map((v) => fmt(v).length));
  const cell = (v: number) => fmt(v).padStart(width);
  const prefix = 'tensor(';
  const render = (d: number, at: number, indent: number): string => {
    if (d === t.ndim) return cell(flat[at]);
    const n = t.shape[d];
    const parts: string[] = [];
    const skip = summarize && n > 2 * edge;
    for (let i = 0; i < n; i++) {
      if (skip && i === edge) { parts.push(d === t.ndim - 1 ? ' ...' : '...'); i = n - edge - 1; continue; }
      parts.push(render(d + 1, at + i * strides[d], indent + 1));
    }
    if (d === t.ndim - 1) {
      // wrap long rows
      const lines: string[] = [];
      let line = '';
      for (const p of parts) {
        const piece = line ? `${line}, ${p}` : p;
        if (line && piece.length + indent + 2 > printOptions.lineWidth) { lines.push(line + ','); line = p; }
        else line = piece;
      }
      lines.push(line);
      return `[${lines.join('\n' + ' '.repeat(indent + 1))}]`;
    }
    const sep = ',' + '\n'.repeat(Math.max(1, t.ndim - d - 1)) + ' '.repeat(indent + 1);
    return `[${parts.join(sep)}]`;
  };
  let body = t.ndim === 0 ? cell(flat[0]) : t.numel() === 0 ? '[]' : render(0, 0, prefix.length);
  const extras: string[] = [];
  if (t.numel() === 0 && t.ndim !== 1) extras.push(`size=(${t.shape.join(', ')})`);
  if (t.dtype !== getDefaultDtype()) extras.push(`dtype=${t.dtype}`);
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  if (extras.length) body += ', ' + extras.join(', ');
  return `${prefix}${body})`;
}
