import { describe, expect, it } from 'vitest';
import { ArgumentError, ValueError, AutogradError, F, nn, noGrad, randn, manualSeed, tensor, type Tensor } from '../../src/index.js';
import type { Node } from '../../src/autograd/node.js';
import { drawGraph, graphOf, type TapeGraph } from '../../src/viz/graph.js';

const leaf = (shape: number[]) => randn(shape, { requiresGrad: true });

/** Each edge as `from -[shape]-> to#slot`, with the nodes' labels. */
const arrows = (g: TapeGraph) => {
  const label = new Map(g.nodes.map((n) => [n.id, n.label]));
  return g.edges.map((e) => `${label.get(e.from)} -${e.label}-> ${label.get(e.to)}#${e.index}`);
};

/** The tape behind t walked here independently: op names (with repeats), leaves, inputs without grad, all op inputs. */
function walk(t: Tensor) {
  const seen = new Set<Node>(), stack = [t.gradFn!], ops: string[] = [];
  let leaves = 0, consts = 0, inputs = 0;
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.leaf) leaves++;
    else ops.push(n.name), inputs += n.next.length;
    for (const m of n.next) if (m) stack.push(m);
    else consts++;
  }
  return { ops: ops.sort(), leaves, consts, inputs };
}

describe('graphOf', () => {
  it('records y = tanh(x * w + b).sum() with its ops, leaves, const input and shapes', () => {
    const x = randn([2, 3]), w = leaf([1, 3]), b = leaf([2, 1]);
    const h = x.mul(w).add(b);
    const y = h.tanh().sum();
    const g = graphOf(y, { names: { x, w, b, h, y } });
    expect(g.nodes.map((n) => [n.kind, n.label])).toEqual([
      ['leaf', 'w'], ['const', 'const'], ['op', 'mul'], ['leaf', 'b'], ['op', 'add'], ['op', 'tanh'], ['op', 'sum'], ['output', 'y'],
    ]);
    expect(arrows(g)).toEqual([
      'const -[2, 3]-> mul#0', 'w -[1, 3]-> mul#1', 'mul -[2, 3]-> add#0', 'b -[2, 1]-> add#1',
      'add -[2, 3]-> tanh#0', 'tanh -[2, 3]-> sum#0', 'sum -[]-> y#0',
    ]);
    const byLabel = Object.fromEntries(g.nodes.map((n) => [n.label, n]));
    expect(byLabel.w).toMatchObject({ shape: [1, 3], dtype: 'float32' });
    expect(byLabel.const).toMatchObject({ shape: [2, 3], dtype: 'float32' });
    expect(byLabel.add).toMatchObject({ name: 'h', shape: [2, 3] }); // the named intermediate result
    expect(byLabel.mul.name).toBeUndefined();
    expect(byLabel.y).toMatchObject({ kind: 'output', shape: [], dtype: 'float32' });
    expect(g.nodes.map((n) => n.id)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7']);
  });

  it('has every op of an MLP with cross-entropy, as an independent walk of the tape finds them', () => {
    manualSeed(1);
    const net = new nn.Sequential(new nn.Linear(5, 8), new nn.ReLU(), new nn.Linear(8, 3));
    const loss = F.crossEntropy(net.forward(randn([4, 5])), tensor([0, 2, 1, 2], { dtype: 'int32' }));
    const g = graphOf(loss);
    const w = walk(loss);
    expect(g.nodes.filter((n) => n.kind === 'op').map((n) => n.label).sort()).toEqual(w.ops);
    expect(w.ops).toEqual(expect.arrayContaining(['matmul', 'relu', 'add', 'permute', 'logSoftmax']));
    expect(g.nodes.filter((n) => n.kind === 'leaf')).toHaveLength(w.leaves);
    expect(w.leaves).toBe(4); // two weights, two biases
    expect(g.nodes.filter((n) => n.kind === 'const')).toHaveLength(w.consts);
    expect(g.nodes.filter((n) => n.kind === 'output')).toHaveLength(1);
    // one edge per input of each op, plus the one into the output; every edge joins nodes that exist
    expect(g.edges).toHaveLength(w.inputs + 1);
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const e of g.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
    // topological order: every edge goes from an earlier node to a later one
    const pos = new Map(g.nodes.map((n, k) => [n.id, k]));
    for (const e of g.edges) expect(pos.get(e.from)!).toBeLessThan(pos.get(e.to)!);
  });

  it('labels matmul edges with the shapes of its operands and result', () => {
    const a = leaf([2, 3]), b = leaf([3, 4]);
    const g = graphOf(a.matmul(b), { names: { a, b } });
    expect(arrows(g)).toEqual(['a -[2, 3]-> matmul#0', 'b -[3, 4]-> matmul#1', 'matmul -[2, 4]-> output#0']);
    expect(g.nodes.find((n) => n.label === 'matmul')!.shape).toEqual([2, 4]);
  });

  it('shows the shapes as recorded before broadcasting', () => {
    const x = leaf([2, 3]), b = leaf([3]);
    const g = graphOf(x.add(b).sum(), { names: { x, b } });
    expect(arrows(g)).toEqual(['x -[2, 3]-> add#0', 'b -[3]-> add#1', 'add -[2, 3]-> sum#0', 'sum -[]-> output#0']);
  });

  it('draws a shared subexpression once, with one edge per use', () => {
    const x = leaf([3]);
    const t = x.mul(x);
    const g = graphOf(t.add(t).sum(), { names: { x } });
    expect(g.nodes.map((n) => n.label)).toEqual(['x', 'mul', 'add', 'sum', 'output']);
    expect(arrows(g)).toEqual(['x -[3]-> mul#0', 'x -[3]-> mul#1', 'mul -[3]-> add#0', 'mul -[3]-> add#1', 'add -[3]-> sum#0', 'sum -[]-> output#0']);
  });

  it('takes names as a Map, and leaves unnamed tensors as leaf / output', () => {
    const x = leaf([2]), z = leaf([2]);
    const y = x.mul(z);
    const g = graphOf(y, { names: new Map([[x, 'input']]) });
    expect(g.nodes.map((n) => n.label)).toEqual(['input', 'leaf', 'mul', 'output']);
  });

  it('matches the example in its documentation', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x).exp().sum();
    const g = graphOf(y, { names: { x, y } });
    expect(g.nodes.map((n) => n.label)).toEqual(['x', 'mul', 'exp', 'sum', 'y']);
    expect(g.edges.map((e) => e.label)).toEqual(['[3]', '[3]', '[3]', '[3]', '[]']);
  });

  it('gives a leaf that requires grad as a graph of that one leaf', () => {
    const w = leaf([4, 2]);
    expect(graphOf(w, { names: { w } })).toEqual({ nodes: [{ id: 'n0', kind: 'leaf', label: 'w', shape: [4, 2], dtype: 'float32' }], edges: [] });
    expect(drawGraph(w)).toContain('>[4, 2] float32</text>');
  });

  it('still works after backward() freed the saved tensors', () => {
    const x = leaf([3]);
    const y = x.exp().mul(x).sum();
    const before = graphOf(y);
    y.backward();
    expect(graphOf(y)).toEqual(before);
  });

  it('rejects what is not a tensor, tensors without a tape, and bad options', () => {
    expect(() => graphOf(5 as unknown as Tensor)).toThrow(new ArgumentError('graphOf: expected a Tensor, got 5'));
    expect(() => drawGraph([1, 2] as unknown as Tensor)).toThrow(new ArgumentError('drawGraph: expected a Tensor, got an array'));
    const noTape = /^graphOf: the tensor has no recorded ops \(it does not require grad: it is a leaf without requiresGrad, or it was computed under noGrad or from inputs that do not require grad\); make an input with requiresGrad: true$/;
    expect(() => graphOf(tensor([1, 2]))).toThrow(noTape);
    expect(() => graphOf(tensor([1, 2]))).toThrow(AutogradError);
    expect(() => graphOf(tensor([1, 2]).mul(2))).toThrow(noTape);
    const x = leaf([2]);
    expect(() => graphOf(noGrad(() => x.mul(2)))).toThrow(noTape);
    expect(() => drawGraph(tensor([1]))).toThrow(/^drawGraph: the tensor has no recorded ops/);
    const y = x.mul(2);
    expect(() => graphOf(y, { title: 'a' } as never)).toThrow(new ArgumentError("graphOf: unknown option 'title' (expected names)"));
    expect(() => drawGraph(y, { dir: 'LR' } as never)).toThrow(new ArgumentError("drawGraph: unknown option 'dir' (expected names, direction, title)"));
    expect(() => drawGraph(y, { direction: 'BT' } as never)).toThrow(new ValueError("drawGraph: direction must be 'TB' or 'LR', got 'BT'; did you mean 'TB'?"));
    expect(() => drawGraph(y, { title: 3 } as never)).toThrow(new ArgumentError('drawGraph: title must be a string, got 3'));
    expect(() => graphOf(y, [] as never)).toThrow(new ArgumentError('graphOf: expected an options object, got an array'));
    expect(() => graphOf(y, { names: { x: 1 } } as never)).toThrow(new ArgumentError('graphOf: names.x must be a Tensor, got 1'));
    expect(() => graphOf(y, { names: [x] } as never)).toThrow(new ArgumentError('graphOf: names must be an object of tensors or a Map from tensors to names, got an array'));
    expect(() => graphOf(y, { names: new Map([[x, 1]]) } as never)).toThrow(new ArgumentError('graphOf: the values of names must be strings, got 1'));
    expect(() => graphOf(y, { names: new Map([['x', x]]) } as never)).toThrow(new ArgumentError("graphOf: the keys of names must be Tensors, got 'x'"));
  });
});

// ---- drawGraph: parse the SVG back ----

/** Checks that the tags nest and close, attributes are quoted, and text holds no raw markup; returns the tag names. */
function checkXml(svg: string): string[] {
  const stack: string[] = [], names: string[] = [];
  const text = svg.replace(/<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g, (_, close, name, _attrs, self) => {
    if (close) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else if (!self) stack.push(name);
    names.push(close ? `/${name}` : name);
    return '';
  });
  expect(stack).toEqual([]);
  expect(text).not.toMatch(/[<>]/); // every '<' belonged to a well-formed tag
  expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/); // and every '&' starts an entity
  return names;
}

interface Box { x: number; y: number; width: number; height: number }
const rects = (svg: string, cls: string): Box[] =>
  [...svg.matchAll(new RegExp(`<rect class="${cls}" x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"`, 'g'))]
    .map((m) => ({ x: +m[1], y: +m[2], width: +m[3], height: +m[4] }));
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const overlaps = (boxes: Box[]) => {
  const bad: string[] = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) if (overlap(boxes[i], boxes[j])) bad.push(`${i}/${j}`);
  return bad;
};
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

function mlpLoss(): { loss: Tensor; x: Tensor; net: nn.Sequential } {
  manualSeed(3);
  const net = new nn.Sequential(new nn.Linear(4, 6), new nn.Tanh(), new nn.Linear(6, 6), new nn.ReLU(), new nn.Linear(6, 2));
  const x = randn([5, 4]);
  const h = net.forward(x);
  return { loss: h.softmax(1).mul(h).sum().add(F.mseLoss(h, randn([5, 2]))), x, net };
}

describe('drawGraph', () => {
  for (const direction of ['TB', 'LR'] as const) {
    it(`draws well-formed SVG with every op and shape, boxes apart, inside the canvas (${direction})`, () => {
      const { loss } = mlpLoss();
      const g = graphOf(loss);
      const svg = drawGraph(loss, { direction, title: 'MLP & loss' });
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="[\d.]+" height="[\d.]+" viewBox="0 0 [\d.]+ [\d.]+"/);
      expect(svg.endsWith('</svg>')).toBe(true);
      const tags = checkXml(svg);
      expect(tags.filter((t) => t === 'path')).toHaveLength(g.edges.length + 1); // the edges and the arrowhead
      expect(svg).not.toMatch(/NaN|Infinity|undefined/);
      const shown = texts(svg);
      for (const n of g.nodes.filter((m) => m.kind === 'op')) expect(shown).toContain(n.label);
      // each edge's shape label is drawn once per edge
      for (const s of new Set(g.edges.map((e) => e.label))) {
        expect(shown.filter((t) => t === s).length).toBeGreaterThanOrEqual(g.edges.filter((e) => e.label === s).length);
      }
      expect(shown).toContain('MLP &amp; loss');
      const nodes = rects(svg, 'node'), labels = rects(svg, 'label');
      expect(nodes).toHaveLength(g.nodes.length);
      expect(labels).toHaveLength(g.edges.length);
      const all = [...nodes, ...labels];
      expect(overlaps(all)).toEqual([]);
      const [, , W, H] = /viewBox="([^"]+)"/.exec(svg)![1].split(' ').map(Number);
      for (const b of all) {
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.y).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width).toBeLessThanOrEqual(W);
        expect(b.y + b.height).toBeLessThanOrEqual(H);
      }
      // every coordinate in the paths is inside the canvas too
      for (const m of svg.matchAll(/ d="([^"]+)"/g)) {
        const nums = m[1].match(/-?[\d.]+/g)!.map(Number);
        for (const v of nums) expect(v >= 0 && v <= Math.max(W, H)).toBe(true);
      }
    });
  }

  it('puts the inputs first along the direction and the output last', () => {
    const x = leaf([3]);
    const y = x.exp().sin().sum();
    const top = (svg: string) => rects(svg, 'node');
    const tb = top(drawGraph(y)), lr = top(drawGraph(y, { direction: 'LR' }));
    // nodes in graph order: x, exp, sin, sum, output: each strictly after the previous
    for (let k = 1; k < tb.length; k++) expect(tb[k].y).toBeGreaterThan(tb[k - 1].y + tb[k - 1].height);
    for (let k = 1; k < lr.length; k++) expect(lr[k].x).toBeGreaterThan(lr[k - 1].x + lr[k - 1].width);
  });

  it('ends each edge with an arrowhead at the box it points to', () => {
    const x = leaf([2, 2]);
    const svg = drawGraph(x.matmul(x).sum());
    const boxes = rects(svg, 'node');
    const ends = [...svg.matchAll(/<path class="edge" d="[^"]*?([\d.]+),([\d.]+)" marker-end="url\(#(tg-arrow-[0-9a-f]{8})\)"/g)];
    expect(ends).toHaveLength(4); // x -> matmul twice, matmul -> sum, sum -> output
    expect(svg).toContain(`<marker id="${ends[0][3]}"`);
    for (const [, ex, ey] of ends) {
      expect(boxes.some((b) => Math.abs(+ey - b.y) < 0.11 && +ex > b.x && +ex < b.x + b.width)).toBe(true);
    }
  });

  it('shows leaves with name, shape and dtype, consts with their shape, and the output', () => {
    const x = randn([2, 3], { dtype: 'float64' }), w = randn([3], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(w).sum();
    const shown = texts(drawGraph(y, { names: { w, y } }));
    expect(shown).toEqual(expect.arrayContaining(['w', '[3] float64', 'const', '[2, 3]', 'y', '[] float64', 'mul', 'sum']));
    const svg = drawGraph(y, { names: { w, y } });
    expect(svg).toMatch(/<g class="node leaf"[^>]*><title>leaf w: \[3\] float64<\/title>\n<rect class="node" [^>]*fill="#dcfce7"/);
    expect(svg).toMatch(/<g class="node const"[^>]*><title>const: \[2, 3\] float64<\/title>\n<rect class="node" [^>]*fill="#f3f4f6"/);
    expect(svg).toMatch(/<g class="node op"[^>]*><title>mul: \[2, 3\] float64<\/title>\n<rect class="node" [^>]*fill="#dbeafe"/);
    expect(svg).toMatch(/<g class="node output"[^>]*><title>output y: \[\] float64<\/title>\n<rect class="node" [^>]*fill="#ffedd5"/);
  });

  it('matches the example in its documentation', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x).exp().sum();
    const svg = drawGraph(y, { names: { x, y }, title: 'y = sum(exp(x²))' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.includes('>exp</text>')).toBe(true);
    expect(texts(svg)).toEqual(['y = sum(exp(x²))', '[3]', '[3]', '[3]', '[3]', '[]', 'x', '[3] float32', 'mul', 'exp', 'sum', 'y', '[] float32']);
  });

  it('escapes names and the title for XML', () => {
    const x = leaf([2]);
    const name = `a<&>"'b`;
    const svg = drawGraph(x.mul(2), { names: { [name]: x }, title: '<script>&' });
    checkXml(svg);
    expect(svg).toContain('>a&lt;&amp;&gt;&quot;&#39;b</text>');
    expect(svg).toContain('&lt;script&gt;&amp;');
    expect(svg).not.toContain(name);
    expect(svg).not.toContain('<script>');
  });

  it('gives the same string for the same graph, and for a graph built again the same way', () => {
    const build = () => {
      const { loss, x } = mlpLoss();
      return drawGraph(loss, { names: { x, loss } });
    };
    const { loss } = mlpLoss();
    expect(drawGraph(loss)).toBe(drawGraph(loss));
    expect(build()).toBe(build());
  });

  it('lays out a few hundred nodes without overlaps', () => {
    manualSeed(0);
    const ps = Array.from({ length: 30 }, () => leaf([3]));
    let acc = ps[0];
    for (let i = 1; i < ps.length; i++) acc = acc.add(ps[i].mul(ps[i - 1]).tanh()).mul(0.5);
    const y = acc.sum();
    const g = graphOf(y);
    expect(g.nodes.length).toBeGreaterThan(170);
    const svg = drawGraph(y);
    checkXml(svg);
    const boxes = [...rects(svg, 'node'), ...rects(svg, 'label')];
    expect(boxes).toHaveLength(g.nodes.length + g.edges.length);
    expect(overlaps(boxes)).toEqual([]);
  });
});
