// Whole models: a network with every kind of layer trains a step, round-trips its state dict bit-exactly into a
// differently initialized copy with identical eval outputs, and passes gradcheck as a user would run it.
import { describe, expect, it } from 'vitest';
import { Tensor, nn, F, manualSeed, randn, randint, noGrad, withDefaultDtype } from '../../src/index.js';
import { gradcheck } from '../../src/testing/index.js';

/** Conv (grouped, padded) → BatchNorm → ReLU → pools → PreNorm → Dropout → Linear → LayerNorm → GELU → Linear. */
class Everything extends nn.Module {
  features = new nn.Sequential(
    new nn.Conv2d(2, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(),
    new nn.Conv2d(4, 4, 3, { padding: 'same', groups: 2, dilation: 2 }), new nn.LeakyReLU(0.1),
    new nn.MaxPool2d(2), new nn.AvgPool2d(2, { stride: 1 }),
  );
  norm = new nn.PreNorm();
  drop = new nn.Dropout(0.25);
  head = new nn.Sequential(
    new nn.Flatten(), new nn.Linear(4 * 3 * 3, 6), new nn.LayerNorm(6), new nn.GELU(),
    new nn.BatchNorm1d(6), new nn.Tanh(), new nn.Linear(6, 3),
  );
  forward(x: Tensor): Tensor {
    return this.head.forward(this.drop.forward(this.norm.forward(this.features.forward(x))));
  }
}

const bits = (t: Tensor) => Array.from(t.toTypedArray());

describe('a model with every layer', () => {
  it('trains a step, then loads into a fresh copy bit-exactly with identical eval outputs', () => {
    manualSeed(1);
    const a = new Everything();
    const x = randn([5, 2, 8, 8]);
    const y = randint(0, 3, [5]);
    const loss = F.crossEntropy(a.forward(x), y, { labelSmoothing: 0.1 });
    loss.backward();
    for (const [name, p] of a.namedParameters()) expect(p.grad, name).not.toBeNull();
    noGrad(() => {
      for (const p of a.parameters()) p.copy_(p.sub(p.grad!.mul(0.1)));
    });
    // the train-mode forward moved BatchNorm's running statistics
    const bn = a.features.get(1) as InstanceType<typeof nn.BatchNorm2d>;
    expect(bn.numBatchesTracked!.item()).toBe(1);
    expect(bits(bn.runningVar!).some((v) => v !== 1)).toBe(true);

    manualSeed(2);
    const b = new Everything();
    expect(bits(b.head.get(1).parameters()[0])).not.toEqual(bits(a.head.get(1).parameters()[0]));
    const sd = a.stateDict();
    expect(Object.keys(sd)).toContain('features.1.runningMean');
    expect(Object.keys(sd)).toContain('head.4.numBatchesTracked');
    b.loadStateDict(sd);
    for (const [k, t] of Object.entries(b.stateDict())) {
      expect(t.dtype, k).toBe(sd[k].dtype);
      expect(bits(t), k).toEqual(bits(sd[k]));
    }
    a.eval();
    b.eval();
    const probe = randn([3, 2, 8, 8]);
    expect(bits(b.forward(probe))).toEqual(bits(a.forward(probe)));
    // eval mode is deterministic (no dropout) and leaves the running statistics alone
    const before = bits(bn.runningMean!);
    expect(bits(a.forward(probe))).toEqual(bits(a.forward(probe)));
    expect(bits(bn.runningMean!)).toEqual(before);
  });

  it('passes gradcheck in float64 with respect to its input and every parameter (eval mode)', () => {
    manualSeed(3);
    const model = withDefaultDtype('float64', () => new Everything());
    model.eval();
    const x = randn([2, 2, 8, 8], { dtype: 'float64' }).requiresGrad_();
    // gradcheck perturbs its inputs in place, so the module's own parameters can be among them
    const params = model.parameters();
    expect(gradcheck((xi: Tensor) => model.forward(xi), [x])).toBe(true);
    expect(gradcheck((xi: Tensor, ..._ps: Tensor[]) => model.forward(xi), [x, ...params])).toBe(true);
  });

  it('converts to float64 with to(), keeping the state', () => {
    manualSeed(4);
    const m = new Everything();
    const before = m.stateDict();
    const w = bits(before['head.1.weight']);
    m.to('float64');
    expect(m.parameters().every((p) => p.dtype === 'float64')).toBe(true);
    expect(bits(m.stateDict()['head.1.weight'])).toEqual(w);
    expect(m.stateDict()['features.1.numBatchesTracked'].dtype).toBe('int32');
    m.eval();
    expect(m.forward(randn([1, 2, 8, 8], { dtype: 'float64' })).dtype).toBe('float64');
  });
});
