// Module, Parameter, Sequential and ModuleList: registration, names, modes, state dicts, dtype conversion and
// printing. The modules here are small ones built in the test, so the checks do not depend on the layers.
import { describe, expect, it } from 'vitest';
import { Tensor, tensor, zeros, ones, arange, nn, noGrad, manualSeed, randn, ArgumentError, IndexError, ShapeError, ValueError } from '../../src/index.js';

const { Module, Parameter, Sequential, ModuleList } = nn;

/** y = x·w + b with w [n, m], b [m]; a running count buffer; an optional non-persistent buffer. */
class Affine extends Module {
  w: InstanceType<typeof Parameter>;
  b: InstanceType<typeof Parameter> | null;
  declare count: Tensor;
  declare scratch: Tensor;
  constructor(n: number, m: number, bias = true) {
    super();
    this.w = new Parameter(arange(n * m, undefined, 1, { dtype: 'float32' }).reshape([n, m]).div(10));
    this.b = bias ? new Parameter(ones([m])) : null;
    this.registerBuffer('count', zeros([]));
    this.registerBuffer('scratch', zeros([2]), false);
  }
  forward(x: Tensor): Tensor {
    const y = x.matmul(this.w);
    return this.b ? y.add(this.b) : y;
  }
  override extraRepr(): string {
    return `n=${this.w.shape[0]}, m=${this.w.shape[1]}`;
  }
}

class Net extends Module {
  first = new Affine(2, 3);
  blocks = [new Affine(3, 3, false), new Affine(3, 1)];
  note = 'not a module';
  forward(x: Tensor): Tensor {
    let y = this.first.forward(x).tanh();
    for (const b of this.blocks) y = b.forward(y);
    return y;
  }
}

describe('Parameter', () => {
  it('is a leaf that requires grad and shares memory with its tensor', () => {
    const t = zeros([2]);
    const p = new Parameter(t);
    expect(p).toBeInstanceOf(Tensor);
    expect(p.requiresGrad).toBe(true);
    expect(p.isLeaf).toBe(true);
    expect(p.storage).toBe(t.storage);
    expect(new Parameter(t, false).requiresGrad).toBe(false);
    expect(p.toString()).toBe("Parameter containing:\ntensor([0., 0.], requiresGrad=true)");
  });

  it('refuses non-tensors and int tensors that require grad', () => {
    expect(() => new Parameter([1, 2] as unknown as Tensor)).toThrow(/Parameter: expected a Tensor/);
    expect(() => new Parameter(tensor([1, 2], { dtype: 'int32' }))).toThrow(/Parameter: only float tensors can require grad, got int32/);
    expect(new Parameter(tensor([1, 2], { dtype: 'int32' }), false).dtype).toBe('int32');
  });

  it('ops on a parameter give plain tensors', () => {
    const p = new Parameter(ones([2]));
    const y = p.mul(2);
    expect(y).not.toBeInstanceOf(Parameter);
    y.sum().backward();
    expect(p.grad!.toArray()).toEqual([2, 2]);
  });
});

describe('registration and names', () => {
  it('names parameters with dots, own before children, arrays as lists, None skipped', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['first.w', [2, 3]], ['first.b', [3]], ['blocks.0.w', [3, 3]], ['blocks.1.w', [3, 1]], ['blocks.1.b', [1]],
    ]);
    expect(net.parameters().length).toBe(5);
    expect(net.namedParameters('', false)).toEqual([]);
    expect(net.first.namedParameters('pre').map(([n]) => n)).toEqual(['pre.w', 'pre.b']);
  });

  it('lists children, modules and buffers', () => {
    const net = new Net();
    expect(net.namedChildren().map(([n, m]) => [n, m.constructor.name])).toEqual([['first', 'Affine'], ['blocks', 'ModuleList']]);
    expect(net.namedModules().map(([n]) => n)).toEqual(['', 'first', 'blocks', 'blocks.0', 'blocks.1']);
    expect(net.modules()[0]).toBe(net);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['first.count', 'first.scratch', 'blocks.0.count', 'blocks.0.scratch', 'blocks.1.count', 'blocks.1.scratch']);
    expect(net.buffers().length).toBe(6);
  });

  it('counts a shared parameter or module once, but saves it under each name (as PyTorch)', () => {
    const shared = new Affine(2, 2);
    const seq = new Sequential(shared, shared);
    expect(seq.parameters().length).toBe(2);
    expect(seq.modules().length).toBe(2);
    expect(seq.namedBuffers().map(([n]) => n)).toEqual(['0.count', '0.scratch']);
    expect(Object.keys(seq.stateDict())).toEqual(['0.w', '0.b', '0.count', '1.w', '1.b', '1.count']);
    const copy = new Sequential(new Affine(2, 2), new Affine(2, 2));
    noGrad(() => shared.w.fill_(4));
    copy.loadStateDict(seq.stateDict());
    expect(copy.get(1).stateDict().w.toArray()).toEqual([[4, 4], [4, 4]]);
  });

  it('validates registerBuffer arguments', () => {
    const m = new Affine(1, 1);
    expect(() => m.registerBuffer('a.b', zeros([1]))).toThrow(/registerBuffer: expected a non-empty name without '\.'/);
    expect(() => m.registerBuffer('x', 3 as unknown as Tensor)).toThrow(/registerBuffer: buffer 'x' must be a Tensor or null/);
    expect(() => m.registerBuffer('x', new Parameter(zeros([1])))).toThrow(/'x' is a Parameter/);
    m.registerBuffer('maybe', null);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['count', 'scratch']);
  });
});

describe('modes and gradients', () => {
  it('train/eval reach every submodule', () => {
    const net = new Net();
    expect(net.training).toBe(true);
    expect(net.eval()).toBe(net);
    expect(net.modules().map((m) => m.training)).toEqual([false, false, false, false, false]);
    net.train();
    expect(net.blocks[1].training).toBe(true);
    expect(() => net.train('no' as unknown as boolean)).toThrow(/train: expected a boolean mode/);
  });

  it('zeroGrad sets grads to null, or to zeros', () => {
    const net = new Net();
    net.forward(ones([4, 2])).sum().backward();
    expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
    net.zeroGrad(false);
    for (const p of net.parameters()) expect(Array.from(p.grad!.toTypedArray()).every((v) => v === 0)).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('requiresGrad_(false) freezes every parameter', () => {
    const net = new Net().requiresGrad_(false);
    expect(net.parameters().some((p) => p.requiresGrad)).toBe(false);
    expect(net.forward(ones([1, 2])).requiresGrad).toBe(false);
  });

  it('apply visits children before parents', () => {
    const seen: string[] = [];
    new Net().apply((m) => seen.push(m.constructor.name));
    expect(seen).toEqual(['Affine', 'Affine', 'Affine', 'ModuleList', 'Net']);
  });
});

describe('stateDict and loadStateDict', () => {
  it('holds parameters then persistent buffers per module, sharing memory', () => {
    const net = new Net();
    const sd = net.stateDict();
    expect(Object.keys(sd)).toEqual(['first.w', 'first.b', 'first.count', 'blocks.0.w', 'blocks.0.count', 'blocks.1.w', 'blocks.1.b', 'blocks.1.count']);
    expect(sd['first.w'].requiresGrad).toBe(false);
    expect(sd['first.w'].storage).toBe(net.first.w.storage);
  });

  it('round-trips bit-exactly, in place, and outputs match', () => {
    manualSeed(1);
    const a = new Net(), b = new Net();
    noGrad(() => {
      for (const p of a.parameters()) p.copy_(randn(p.shape));
      a.first.count.fill_(7);
    });
    const x = randn([5, 2]);
    const w = b.first.w;
    const v0 = w.storage.version;
    expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.first.w).toBe(w); // same Parameter object, written in place
    expect(w.storage.version).toBeGreaterThan(v0);
    for (const [k, t] of Object.entries(b.stateDict())) {
      expect(Array.from(t.toTypedArray()), k).toEqual(Array.from(a.stateDict()[k].toTypedArray()));
    }
    a.eval(); b.eval();
    expect(Array.from(b.forward(x).toTypedArray())).toEqual(Array.from(a.forward(x).toTypedArray()));
  });

  it('strict mode refuses missing and unexpected keys and writes nothing', () => {
    const a = new Net(), b = new Net();
    noGrad(() => a.first.w.fill_(3));
    const sd = { ...a.stateDict(), extra: zeros([1]) } as Record<string, Tensor>;
    delete sd['blocks.1.b'];
    expect(() => b.loadStateDict(sd)).toThrow(/missing keys: 'blocks\.1\.b'\n\s+unexpected keys: 'extra'/);
    expect(() => b.loadStateDict(sd)).toThrow(ValueError);
    expect(b.first.w.toArray()).not.toEqual(a.first.w.toArray());
    const r = b.loadStateDict(sd, { strict: false });
    expect(r).toEqual({ missingKeys: ['blocks.1.b'], unexpectedKeys: ['extra'] });
    expect(b.first.w.toArray()).toEqual(a.first.w.toArray());
  });

  it('refuses a shape mismatch even when not strict, before writing anything', () => {
    const b = new Net();
    const before = b.first.b!.toArray();
    const sd = { ...new Net().stateDict(), 'first.b': zeros([3]).add(5), 'first.w': zeros([2, 4]) };
    expect(() => b.loadStateDict(sd, { strict: false })).toThrow(/size mismatch for 'first\.w': copying a tensor of shape \[2, 4\] from the state dict, the shape in the module is \[2, 3\]/);
    expect(() => b.loadStateDict(sd, { strict: false })).toThrow(ShapeError);
    expect(b.first.b!.toArray()).toEqual(before);
    expect(() => b.loadStateDict({ 'first.w': [1] as unknown as Tensor }, { strict: false })).toThrow(/'first\.w' is not a Tensor/);
    expect(() => b.loadStateDict({ 'first.w': [1] as unknown as Tensor }, { strict: false })).toThrow(ArgumentError);
    expect(() => b.loadStateDict(null as unknown as Record<string, Tensor>)).toThrow(/expected a state dict/);
    expect(() => b.loadStateDict({}, { stict: false } as { strict?: boolean })).toThrow(/unknown option 'stict'/);
    expect(() => b.loadStateDict({}, { stict: false } as { strict?: boolean })).toThrow(ArgumentError);
    expect(() => b.loadStateDict({}, { strict: 'no' } as never)).toThrow(/^loadStateDict: strict must be a boolean, got 'no'$/);
  });

  it('a state dict snapshot shares memory unless cloned (as PyTorch)', () => {
    const m = new Affine(1, 1);
    const live = m.stateDict();
    const snap = Object.fromEntries(Object.entries(live).map(([k, v]) => [k, v.clone()]));
    noGrad(() => m.w.fill_(9));
    expect(live.w.item()).toBe(9);
    expect(snap.w.item()).toBe(0);
  });
});

describe('to(dtype)', () => {
  it('converts float parameters and buffers, keeping requiresGrad and grads', () => {
    const net = new Net();
    net.forward(ones([1, 2])).sum().backward();
    net.to('float64');
    expect(net.parameters().every((p) => p instanceof Parameter && p.dtype === 'float64' && p.requiresGrad)).toBe(true);
    expect(net.parameters().every((p) => p.grad!.dtype === 'float64')).toBe(true);
    expect(net.buffers().every((b) => b.dtype === 'float64')).toBe(true);
    expect(net.forward(ones([1, 2], { dtype: 'float64' })).dtype).toBe('float64');
    expect(net.float().first.w.dtype).toBe('float32');
    expect(() => net.to('int32')).toThrow(/^to: modules convert to float32 or float64, got 'int32'$/);
  });
});

describe('printing', () => {
  it('prints the module tree like PyTorch', () => {
    expect(new Net().toString()).toBe([
      'Net(',
      '  (first): Affine(n=2, m=3)',
      '  (blocks): ModuleList(',
      '    (0): Affine(n=3, m=3)',
      '    (1): Affine(n=3, m=1)',
      '  )',
      ')',
    ].join('\n'));
    expect(new Sequential().toString()).toBe('Sequential()');
  });
});

describe('Sequential and ModuleList', () => {
  it('Sequential applies modules in order and indexes them', () => {
    const a = new Affine(2, 3), b = new Affine(3, 1);
    const seq = new Sequential(a, b);
    const x = ones([4, 2]);
    expect(Array.from(seq.forward(x).toTypedArray())).toEqual(Array.from(b.forward(a.forward(x)).toTypedArray()));
    expect(seq[0]).toBe(a);
    expect(seq.get(-1)).toBe(b);
    expect([...seq]).toEqual([a, b]);
    expect(seq.length).toBe(2);
    expect(() => seq.get(2)).toThrow(/Sequential: index 2 is out of range for 2 modules/);
    expect(() => seq.get(2)).toThrow(IndexError);
    expect(() => new Sequential(a, 3 as unknown as InstanceType<typeof Module>)).toThrow(/^Sequential\.append: expected a Module, got 3$/);
    seq.append(new Affine(1, 1));
    expect(seq.namedParameters().map(([n]) => n)).toEqual(['0.w', '0.b', '1.w', '1.b', '2.w', '2.b']);
  });

  it('ModuleList registers its modules and has no forward', () => {
    const list = new ModuleList([new Affine(1, 1)]).extend([new Affine(1, 1, false)]);
    expect(list.length).toBe(2);
    expect(list.namedParameters().map(([n]) => n)).toEqual(['0.w', '0.b', '1.w']);
    expect(() => list.forward()).toThrow(/ModuleList: has no forward/);
    expect(() => list.get(5)).toThrow(/ModuleList: index 5 is out of range for 2 modules/);
  });
});
