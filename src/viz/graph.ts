// Drawing the tape: graphOf() turns the nodes behind a tensor into plain data, drawGraph() lays them out in layers
// (Sugiyama style: ranks by the longest path to the output, dummy vertices on long edges and one per edge label,
// barycenter sweeps against crossings, coordinates by isotonic regression) and writes a standalone SVG string.
import type { Node } from '../autograd/node.js';
import { Tensor } from '../tensor/tensor.js';
import { shapeStr } from '../tensor/shape.js';
import { checkChoice, checkOptions, checkTensorArg, describeValue, isPlainObject } from '../utils/args.js';
import { crc32 } from '../utils/png.js';
import { escapeHtml as esc } from './display.js';
import { ArgumentError, AutogradError } from '../errors.js';

/** What a {@link GraphNode} stands for: a recorded op, a leaf that requires grad, an input without grad, or the output. */
export type GraphNodeKind = 'op' | 'leaf' | 'const' | 'output';

/** One box of a {@link TapeGraph}. */
export interface GraphNode {
  /** `n0`, `n1`, … in topological order (inputs first). */
  id: string;
  kind: GraphNodeKind;
  /** The op's name (`mul`, `matmul`, …), or the tensor's name (`leaf`, `output` or `const` when it has none). */
  label: string;
  /** For an op whose result is one of the named tensors: that name. */
  name?: string;
  /** The shape of the tensor this node makes (an op's result, a leaf, a const, the output). */
  shape?: number[];
  dtype?: string;
}

/** A tensor flowing from one node into another (forward direction). */
export interface GraphEdge {
  from: string;
  to: string;
  /** The shape of the tensor along the edge, e.g. `[2, 3]` (`[]` for a scalar). */
  label: string;
  /** Which input of `to` the tensor is. */
  index: number;
}

/** The ops behind a tensor as plain data: nodes in topological order, edges sorted by consumer and input. */
export interface TapeGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Options of {@link graphOf}. */
export interface GraphOptions {
  /** Names to show for tensors, found by identity: leaves, the output, and intermediate results. */
  names?: Record<string, Tensor> | Map<Tensor, string>;
}

/** Options of {@link drawGraph}. */
export interface DrawGraphOptions extends GraphOptions {
  /** `'TB'` (default): inputs at the top, output at the bottom; `'LR'`: inputs on the left. */
  direction?: 'TB' | 'LR';
  /** A heading drawn above the graph. */
  title?: string;
}

function namesOf(op: string, names: unknown): Map<Tensor, string> {
  if (names === undefined) return new Map();
  if (names instanceof Map) {
    for (const [t, s] of names) {
      if (!(t instanceof Tensor)) throw new ArgumentError(`${op}: the keys of names must be Tensors, got ${describeValue(t, 'object')}`);
      if (typeof s !== 'string') throw new ArgumentError(`${op}: the values of names must be strings, got ${describeValue(s)}`);
    }
    return names as Map<Tensor, string>;
  }
  if (!isPlainObject(names)) throw new ArgumentError(`${op}: names must be an object of tensors or a Map from tensors to names, got ${describeValue(names, 'object')}`);
  const m = new Map<Tensor, string>();
  for (const [s, t] of Object.entries(names)) {
    if (!(t instanceof Tensor)) throw new ArgumentError(`${op}: names.${s} must be a Tensor, got ${describeValue(t, 'object')}`);
    if (!m.has(t)) m.set(t, s);
  }
  return m;
}

function buildGraph(op: string, output: unknown, names: unknown): TapeGraph {
  checkTensorArg(op, output);
  const nameOf = namesOf(op, names);
  const info = (t: Tensor) => ({ shape: [...t.shape], dtype: t.dtype });
  const root = output.gradFn;
  if (!root) {
    if (output.requiresGrad) return { nodes: [{ id: 'n0', kind: 'leaf', label: nameOf.get(output) ?? 'leaf', ...info(output) }], edges: [] };
    throw new AutogradError(`${op}: the tensor has no recorded ops (it does not require grad: it is a leaf without requiresGrad, or it was computed under noGrad or from inputs that do not require grad); make an input with requiresGrad: true`);
  }
  const seen = new Set<Node>([root]);
  for (const stack = [root]; stack.length;) {
    for (const m of stack.pop()!.next) if (m && !seen.has(m)) seen.add(m), stack.push(m);
  }
  const order = [...seen].sort((a, b) => a.seq - b.seq); // inputs are older than their consumers
  const made = new Map<Node, { shape: number[]; dtype: string }>([[root, info(output)]]);
  for (const n of order) n.next.forEach((m, i) => m && !made.has(m) && made.set(m, { shape: [...n.inputShapes[i]], dtype: n.inputDtypes[i] }));
  const opName = new Map<Node, string>();
  for (const [t, s] of nameOf) if (t.gradFn && t !== output && !opName.has(t.gradFn)) opName.set(t.gradFn, s);

  const nodes: GraphNode[] = [], edges: GraphEdge[] = [], ids = new Map<Node, string>();
  const add = (n: Omit<GraphNode, 'id'>) => (nodes.push({ id: `n${nodes.length}`, ...n }), `n${nodes.length - 1}`);
  for (const n of order) {
    const from = n.next.map((m, i) => (m ? ids.get(m)! : add({ kind: 'const', label: 'const', shape: [...n.inputShapes[i]], dtype: n.inputDtypes[i] })));
    const name = opName.get(n);
    ids.set(n, n.leaf
      ? add({ kind: 'leaf', label: nameOf.get(n.leaf) ?? 'leaf', ...info(n.leaf) })
      : add({ kind: 'op', label: n.name, ...(name !== undefined && { name }), ...made.get(n)! }));
    from.forEach((f, i) => edges.push({ from: f, to: ids.get(n)!, label: shapeStr(n.inputShapes[i]), index: i }));
  }
  edges.push({ from: ids.get(root)!, to: add({ kind: 'output', label: nameOf.get(output) ?? 'output', ...info(output) }), label: shapeStr(output.shape), index: 0 });
  return { nodes, edges };
}

/**
 * The tape behind `output` as plain data: one node per recorded op (deduplicated, so a result used twice appears
 * once, with two edges out), one per leaf that requires grad, one `const` per input that needs no gradient, and
 * the output; edges run forward, each labelled with the shape flowing along it. A leaf that requires grad gives a
 * graph of that one leaf. Throws when `output` has no recorded ops and does not require grad.
 *
 * @example
 * ```ts
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * const y = x.mul(x).exp().sum();
 * const g = graphOf(y, { names: { x, y } });
 * g.nodes.map((n) => n.label); // ["x", "mul", "exp", "sum", "y"]
 * g.edges.map((e) => e.label); // ["[3]", "[3]", "[3]", "[3]", "[]"]
 * ```
 */
export function graphOf(output: Tensor, opts?: GraphOptions): TapeGraph {
  const o = checkOptions('graphOf', opts, ['names']);
  return buildGraph('graphOf', output, o.names);
}

// ---- layout ----

interface Line { text: string; bold?: boolean; small?: boolean }
// a one-rank piece of an edge; pull: the depth of the edge's source; offA/offB: where it leaves a / enters b,
// off the centre (ports of real nodes)
interface Seg { a: V; b: V; slot: number; pull: number; offA: number; offB: number }
// a vertex: s, t its size across and along the ranks, x its coordinate across, i its place in its rank, m its mass
interface V { s: number; t: number; m: number; rank: number; x: number; i: number; ins: Seg[]; outs: Seg[]; node?: number }

const FONT = 12, SMALL = 11, LINE = 15, PAD = 10;
// rough advance widths of a sans-serif font at 12px
const charW = (c: string) => (/[fijlrtI.,:;'|!()[\]\s]/.test(c) ? 3.8 : /[mwMW@%]/.test(c) ? 10 : /[A-Z]/.test(c) ? 8.2 : 6.9);
const textWidth = (l: Line) => [...l.text].reduce((w, c) => w + charW(c), 0) * (l.small ? SMALL / FONT : 1) * (l.bold ? 1.08 : 1);

function linesOf(n: GraphNode): Line[] {
  const meta = `${shapeStr(n.shape ?? [])} ${n.dtype ?? ''}`.trim();
  switch (n.kind) {
    case 'op': return [{ text: n.name === undefined ? n.label : `${n.name} = ${n.label}` }];
    case 'const': return [{ text: n.label }, { text: shapeStr(n.shape ?? []), small: true }];
    default: return [{ text: n.label, bold: true }, { text: meta, small: true }];
  }
}

/** Weighted isotonic regression (pool adjacent violators): the non-decreasing z nearest to y. */
function isotonic(y: number[], w: number[]): number[] {
  const blocks: { v: number; w: number; n: number }[] = [];
  y.forEach((v, i) => {
    let b = { v, w: w[i], n: 1 };
    while (blocks.length && blocks[blocks.length - 1].v >= b.v) {
      const p = blocks.pop()!;
      b = { v: (p.v * p.w + b.v * b.w) / (p.w + b.w), w: p.w + b.w, n: p.n + b.n };
    }
    blocks.push(b);
  });
  return blocks.flatMap((b) => Array<number>(b.n).fill(b.v));
}

function crossings(layers: V[][]): number {
  let c = 0;
  for (const layer of layers) {
    const e = layer.flatMap((v) => v.outs.map((s) => [v.i, s.b.i])).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    for (let j = 0; j < e.length; j++) for (let k = j + 1; k < e.length; k++) if (e[k][0] > e[j][0] && e[k][1] < e[j][1]) c++;
  }
  return c;
}

interface Layout {
  width: number; height: number;
  boxes: { node: GraphNode; x: number; y: number; w: number; h: number; lines: Line[] }[];
  edges: { d: string; label: string; x: number; y: number; w: number; h: number }[];
}

/** The layout of g, `top` pixels below the top, centred in at least `minWidth` pixels. */
function layout(g: TapeGraph, tb: boolean, top: number, minWidth: number): Layout {
  const index = new Map(g.nodes.map((n, k) => [n.id, k]));
  const lines = g.nodes.map(linesOf);
  const vs: V[] = g.nodes.map((_, k) => {
    const w = Math.max(44, Math.ceil(Math.max(...lines[k].map(textWidth))) + 2 * PAD), h = lines[k].length * LINE + 13;
    return { s: tb ? w : h, t: tb ? h : w, m: 1, rank: 0, x: 0, i: 0, ins: [], outs: [], node: k };
  });
  // ranks: longest path to the output (every node sits right above its first consumer, so edges stay short and
  // an input appears next to the op that uses it); the nodes come in topological order
  const outs = g.nodes.map(() => [] as number[]);
  for (const e of g.edges) outs[index.get(e.from)!].push(index.get(e.to)!);
  for (let k = vs.length - 1; k >= 0; k--) vs[k].rank = Math.min(1, ...outs[k].map((u) => vs[u].rank)) - 1;
  const lowest = Math.min(...vs.map((v) => v.rank));
  vs.forEach((v) => (v.rank = 2 * (v.rank - lowest))); // odd ranks hold the edge labels
  // depth: the longest path from a source; a vertex's mass (how hard it resists being moved) grows with it
  const depth = g.nodes.map(() => 0);
  for (const e of g.edges) depth[index.get(e.to)!] = Math.max(depth[index.get(e.to)!], depth[index.get(e.from)!] + 1);
  vs.forEach((v, k) => (v.m = depth[k] + 1));
  // every edge becomes a chain of one-rank segments, its label on the vertex right above its target
  const chains = g.edges.map((e) => {
    const a = vs[index.get(e.from)!], b = vs[index.get(e.to)!], chain = [a];
    for (let r = a.rank + 1; r < b.rank; r++) {
      const lw = textWidth({ text: e.label, small: true }) + 8, m = 2 * a.m;
      const d: V = r === b.rank - 1 ? { s: tb ? lw : 17, t: tb ? 17 : lw, m, rank: r, x: 0, i: 0, ins: [], outs: [] }
        : { s: 6, t: 0, m, rank: r, x: 0, i: 0, ins: [], outs: [] };
      vs.push(d);
      chain.push(d);
    }
    chain.push(b);
    for (let k = 1; k < chain.length; k++) {
      const s = { a: chain[k - 1], b: chain[k], slot: k === chain.length - 1 ? e.index : 0, pull: depth[index.get(e.from)!], offA: 0, offB: 0 };
      s.a.outs.push(s), s.b.ins.push(s);
    }
    return chain;
  });
  const nRanks = Math.max(...vs.map((v) => v.rank)) + 1;
  const layers: V[][] = Array.from({ length: nRanks }, () => []);
  for (const v of vs) v.i = layers[v.rank].push(v) - 1;

  // order within ranks: barycenter sweeps (upwards first, from the output, ties broken by input slot)
  const sweep = (up: boolean) => {
    for (let r = up ? nRanks - 2 : 1; up ? r >= 0 : r < nRanks; r += up ? -1 : 1) {
      const key = (v: V) => {
        const nb = up ? v.outs.map((s) => s.b.i + s.slot * 1e-3) : v.ins.map((s) => s.a.i);
        return nb.length ? nb.reduce((p, q) => p + q, 0) / nb.length : v.i;
      };
      const keyed = layers[r].map((v) => [key(v), v] as const).sort((p, q) => p[0] - q[0]);
      layers[r] = keyed.map(([, v], i) => ((v.i = i), v));
    }
  };
  let best = layers.map((l) => [...l]), fewest = Infinity;
  for (let k = 0; k < 12 && fewest > 0; k++) {
    sweep(k % 2 === 0);
    const c = crossings(layers);
    if (c < fewest) fewest = c, best = layers.map((l) => [...l]);
  }
  best.forEach((l, r) => { layers[r] = l; l.forEach((v, i) => (v.i = i)); });

  // ports: the edges into (out of) a node spread along its side, in the order of where they come from (go to)
  for (const v of vs) {
    if (v.node === undefined) continue;
    for (const [segs, end] of [[v.ins, 'a'], [v.outs, 'b']] as const) {
      const sorted = [...segs].sort((p, q) => p[end].i - q[end].i || p.slot - q.slot);
      const step = sorted.length > 1 ? Math.min(tb ? 16 : 9, (v.s - 16) / (sorted.length - 1)) : 0;
      sorted.forEach((s, k) => (s[end === 'a' ? 'offB' : 'offA'] = (k - (sorted.length - 1) / 2) * step));
    }
  }
  // coordinates across ranks: sweeps down and up, each vertex moving toward the mean of its neighbours in the rank
  // before, keeping order and spacing (where they collide, the heavier one moves less); a node lines up with its
  // deepest inputs (others hardly pull it), so a long chain of ops stays straight and the side branches come to it
  const gap = (a: V, b: V) => (a.s + b.s) / 2 + (a.node !== undefined && b.node !== undefined ? (tb ? 22 : 14) : 8);
  for (const l of layers) l.forEach((v, i) => (v.x = i ? l[i - 1].x + gap(l[i - 1], v) : 0));
  const place = (l: V[], up: boolean) => {
    const off = [0];
    for (let i = 1; i < l.length; i++) off.push(off[i - 1] + gap(l[i - 1], l[i]));
    const want: number[] = [], w: number[] = [];
    l.forEach((v, i) => {
      const deepest = Math.max(...v.ins.map((s) => s.pull));
      const nb = up ? v.outs.map((s) => [s.b.x, 1]) : v.ins.map((s) => [s.a.x, s.pull === deepest ? 1 : 0.01]);
      const sw = nb.reduce((p, [, q]) => p + q, 0);
      want.push((nb.length ? nb.reduce((p, [x, q]) => p + x * q, 0) / sw : v.x) - off[i]);
      w.push(nb.length ? v.m : 0.1);
    });
    isotonic(want, w).forEach((z, i) => (l[i].x = z + off[i]));
  };
  for (let k = 0; k < 8; k++) {
    for (let r = 1; r < nRanks; r++) place(layers[r], false);
    for (let r = nRanks - 2; r >= 0; r--) place(layers[r], true);
  }
  for (let r = 1; r < nRanks; r++) place(layers[r], false);

  // coordinates along ranks, then everything shifted inside the margins
  const margin = 16, sep = tb ? 18 : 24, rankAt: number[] = [], thick = layers.map((l) => Math.max(0, ...l.map((v) => v.t)));
  const minX = Math.min(...vs.map((v) => v.x - v.s / 2)), maxX = Math.max(...vs.map((v) => v.x + v.s / 2));
  const extent = maxX - minX + 2 * margin, length = thick.reduce((p, t) => p + t + sep, margin - sep + margin);
  let along = tb ? top + margin : margin + Math.max(0, minWidth - length) / 2;
  for (const t of thick) rankAt.push(along + t / 2), along += t + sep;
  const shift = margin - minX + (tb ? Math.max(0, minWidth - extent) / 2 : top);
  const at = (v: V, dOrder = 0, dRank = 0): [number, number] => {
    const o = v.x + shift + dOrder, r = rankAt[v.rank] + dRank;
    return tb ? [o, r] : [r, o];
  };
  const f = (p: [number, number]) => `${num(p[0])},${num(p[1])}`;
  // an edge runs straight across each rank (past the boxes there) and bends only in the gaps between ranks
  const edges = g.edges.map((e, k) => {
    const chain = chains[k], last = chain.length - 1;
    const runs = chain.map((v, j) => {
      const T = thick[v.rank] / 2;
      if (j === 0) return ((o) => [at(v, o, v.t / 2), at(v, o, T)])(v.outs.find((s) => s.b === chain[1])!.offA);
      if (j === last) return ((o) => [at(v, o, -T), at(v, o, -v.t / 2)])(v.ins.find((s) => s.a === chain[j - 1])!.offB);
      return [at(v, 0, -T), at(v, 0, T)];
    });
    let d = `M${f(runs[0][0])}L${f(runs[0][1])}`;
    for (let j = 1; j <= last; j++) {
      const p = runs[j - 1][1], q = runs[j][0], m = tb ? (p[1] + q[1]) / 2 : (p[0] + q[0]) / 2;
      d += `C${f(tb ? [p[0], m] : [m, p[1]])} ${f(tb ? [q[0], m] : [m, q[1]])} ${f(q)}L${f(runs[j][1])}`;
    }
    const lv = chain[chain.length - 2], [x, y] = at(lv), [w, h] = tb ? [lv.s, lv.t] : [lv.t, lv.s];
    return { d, label: e.label, x, y, w, h };
  });
  const boxes = vs.filter((v) => v.node !== undefined).map((v) => {
    const [x, y] = at(v), [w, h] = tb ? [v.s, v.t] : [v.t, v.s];
    return { node: g.nodes[v.node!], x: x - w / 2, y: y - h / 2, w, h, lines: lines[v.node!] };
  });
  return tb ? { width: Math.max(extent, minWidth), height: top + length, boxes, edges } : { width: Math.max(length, minWidth), height: extent + top, boxes, edges };
}

// ---- SVG ----

const num = (v: number) => String(Math.round(v * 10) / 10 + 0); // one decimal, no -0
const STYLE: Record<GraphNodeKind, { fill: string; stroke: string; rx: number; color: string }> = {
  op: { fill: '#dbeafe', stroke: '#3b82f6', rx: 12, color: '#1e3a8a' },
  leaf: { fill: '#dcfce7', stroke: '#16a34a', rx: 4, color: '#14532d' },
  const: { fill: '#f3f4f6', stroke: '#9ca3af', rx: 4, color: '#4b5563' },
  output: { fill: '#ffedd5', stroke: '#ea580c', rx: 4, color: '#7c2d12' },
};

/**
 * Draws the tape behind `output` ({@link graphOf}) as a standalone SVG string, for a notebook or a browser: ops as
 * blue rounded boxes, leaves that require grad in green (name, shape and dtype), inputs without grad (`const`) in
 * gray, the output in orange; every edge carries the shape of the tensor flowing along it. Inputs come first, at
 * the top (`direction: 'TB'`) or on the left (`'LR'`), each just before the op that first uses it. Same graph, same
 * string. In tslab, show it with `tslab.display.html(svg)`; in Node, write it to a `.svg` file.
 *
 * @example
 * ```ts
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * const y = x.mul(x).exp().sum();
 * const svg = drawGraph(y, { names: { x, y }, title: 'y = sum(exp(x²))' });
 * svg.startsWith('<svg'); // true
 * svg.includes('>exp</text>'); // true
 * ```
 */
export function drawGraph(output: Tensor, opts?: DrawGraphOptions): string {
  const o = checkOptions('drawGraph', opts, ['names', 'direction', 'title']);
  const tb = checkChoice('drawGraph', 'direction', o.direction ?? 'TB', ['TB', 'LR']) === 'TB';
  if (o.title !== undefined && typeof o.title !== 'string') throw new ArgumentError(`drawGraph: title must be a string, got ${describeValue(o.title)}`);
  const title = o.title as string | undefined;
  const g = buildGraph('drawGraph', output, o.names);
  const top = title ? 30 : 0;
  const L = layout(g, tb, top, title ? textWidth({ text: title, bold: true }) * 14 / 12 + 40 : 0), width = L.width;
  // an id of its own for the arrowhead marker, for a page that shows several graphs
  const id = `tg-arrow-${crc32(new TextEncoder().encode(JSON.stringify([g, tb, title]))).toString(16).padStart(8, '0')}`;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(L.height)}" viewBox="0 0 ${num(width)} ${num(L.height)}" font-family="Helvetica, Arial, sans-serif" font-size="${FONT}" role="img">`,
    `<title>${esc(title ?? 'autograd tape')}</title>`,
    `<defs><marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,1L10,5L0,9z" fill="#64748b"/></marker></defs>`,
    `<rect x="0" y="0" width="${num(width)}" height="${num(L.height)}" fill="#ffffff"/>`,
  ];
  if (title) out.push(`<text x="${num(width / 2)}" y="24" text-anchor="middle" font-size="14" font-weight="bold" fill="#111827">${esc(title)}</text>`);
  out.push('<g class="edges" fill="none" stroke="#64748b" stroke-width="1.3">');
  for (const e of L.edges) out.push(`<path class="edge" d="${e.d}" marker-end="url(#${id})"/>`);
  out.push('</g>', `<g class="edge-labels" font-size="${SMALL}" fill="#475569" text-anchor="middle">`);
  for (const e of L.edges) {
    out.push(`<rect class="label" x="${num(e.x - e.w / 2)}" y="${num(e.y - e.h / 2)}" width="${num(e.w)}" height="${num(e.h)}" rx="3" fill="#ffffff" fill-opacity="0.9"/>`,
      `<text x="${num(e.x)}" y="${num(e.y)}" dy="0.35em">${esc(e.label)}</text>`);
  }
  out.push('</g>', '<g class="nodes" text-anchor="middle">');
  for (const b of L.boxes) {
    const st = STYLE[b.node.kind], n = b.node;
    const who = n.kind === 'op' ? (n.name === undefined ? n.label : `${n.name} = ${n.label}`) : n.label === n.kind ? n.kind : `${n.kind} ${n.label}`;
    out.push(`<g class="node ${n.kind}" data-id="${n.id}"><title>${esc(`${who}: ${shapeStr(n.shape ?? [])} ${n.dtype ?? ''}`.trim())}</title>`,
      `<rect class="node" x="${num(b.x)}" y="${num(b.y)}" width="${num(b.w)}" height="${num(b.h)}" rx="${st.rx}" fill="${st.fill}" stroke="${st.stroke}" stroke-width="1.5"/>`);
    b.lines.forEach((l, k) => {
      const y = b.y + b.h / 2 + (k - (b.lines.length - 1) / 2) * LINE;
      out.push(`<text x="${num(b.x + b.w / 2)}" y="${num(y)}" dy="0.35em" fill="${st.color}"${l.bold ? ' font-weight="bold"' : ''}${l.small ? ` font-size="${SMALL}"` : ''}>${esc(l.text)}</text>`);
    });
    out.push('</g>');
  }
  out.push('</g>', '</svg>');
  return out.join('\n');
}
