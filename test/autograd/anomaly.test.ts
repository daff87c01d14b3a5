// Anomaly detection: detectAnomaly / setDetectAnomaly / isAnomalyEnabled. The forward check blames the op whose
// output turned non-finite from finite inputs, the backward check the VJP whose gradient did; both show where
// in this file the op was created. Without the mode, the same code gives NaN and Inf silently, as PyTorch.
import { afterEach, describe, expect, it } from 'vitest';
import {
  tensor, zeros, noGrad, grad, customOp, detectAnomaly, setDetectAnomaly, isAnomalyEnabled, AnomalyError,
  AutogradError, ArgumentError, isTapegradError, F, type Tensor,
} from '../../src/index.js';

/** The line of this file at which `mark` was made (to check that errors point at the user's line). */
function lineOf(mark: Error): number {
  const m = /anomaly\.test\.ts:(\d+):\d+/.exec(mark.stack ?? '');
  if (!m) throw new Error(`no frame of this file in ${mark.stack}`);
  return Number(m[1]);
}

function caught(fn: () => unknown): AnomalyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AnomalyError) return e;
    throw e;
  }
  throw new Error('expected an AnomalyError, nothing was thrown');
}

afterEach(() => {
  // a failing test must not leave the global mode on for the others
  setDetectAnomaly(false);
});

describe('the forward check', () => {
  it("blames the op that made -Inf from finite inputs, showing this file's line", () => {
    const x = tensor([[1, 0, 2]], { requiresGrad: true });
    let mark!: Error;
    const e = caught(() => detectAnomaly(() => { mark = new Error(); return x.log(); }));
    expect(e.message).toMatch(/^detectAnomaly: 'log' produced -Inf \(1 of 3 elements\) in its output of shape \[1, 3\] \(forward\) from a finite input of shape \[1, 3\]; 'log' was created at:\n {4}at /);
    expect(e).toBeInstanceOf(AutogradError);
    expect(e.name).toBe('AnomalyError');
    expect(isTapegradError(e)).toBe(true);
    expect(e.op).toBe('detectAnomaly');
    expect([e.culprit, e.phase]).toEqual(['log', 'forward']);
    // the first frame shown is the user's call, on the line of the mark; tapegrad's own frames are left out
    const first = e.createdAt.split('\n')[0];
    expect(first).toContain('anomaly.test.ts');
    expect(first).toContain(`anomaly.test.ts:${lineOf(mark)}:`);
    expect(e.message).toContain(first.trim());
    expect(e.createdAt).not.toMatch(/src\/autograd|src\/ops|node_modules|node:/);
    expect(isAnomalyEnabled()).toBe(false);
  });

  it('names NaN, Inf and -Inf together, with their count, for a binary op', () => {
    const a = tensor([0, 1, -1, 2], { requiresGrad: true });
    const b = tensor([0, 0, 0, 1]);
    const e = caught(() => detectAnomaly(() => a.div(b)));
    expect(e.message).toMatch(/^detectAnomaly: 'div' produced NaN and Inf and -Inf \(3 of 4 elements\) in its output of shape \[4\] \(forward\) from finite inputs of shapes \[4\], \[4\];/);
    expect(e.culprit).toBe('div');
  });

  it('does not blame an op whose inputs were already NaN or Inf', () => {
    const x = tensor([NaN, 1], { requiresGrad: true });
    const inf = tensor([Infinity, 1], { requiresGrad: true });
    const out = detectAnomaly(() => [x.log(), x.mul(2).exp(), inf.sub(inf), inf.mul(0)]);
    expect(out.map((t) => t.toArray())).toEqual([[NaN, 0], [NaN, Math.fround(Math.exp(2))], [NaN, 0], [NaN, 0]]);
  });

  it('does not blame an op given a non-finite constant (max pooling pads with -Inf)', () => {
    const x = tensor([[[[1, 2], [3, 4]]]], { requiresGrad: true });
    const y = detectAnomaly(() => {
      const p = F.maxPool2d(x, 2, { padding: 1 });
      p.sum().backward();
      return p;
    });
    expect(y.toArray()).toEqual([[[[1, 2], [3, 4]]]]);
    expect(x.grad!.toArray()).toEqual([[[[1, 1], [1, 1]]]]);
  });

  it('checks only ops that record on the tape (not noGrad code, nor tensors that do not require grad)', () => {
    const x = tensor([0], { requiresGrad: true });
    const r = detectAnomaly(() => [tensor([0]).log(), noGrad(() => x.log())]);
    expect(r.map((t) => t.item())).toEqual([-Infinity, -Infinity]);
  });

  it('checks the output of a custom op', () => {
    const bad = customOp({
      name: 'badForward',
      forward: (_ctx, x: Tensor) => x.div(0),
      backward: (_ctx, g) => g,
    });
    const x = tensor([1, 2], { requiresGrad: true });
    const e = caught(() => detectAnomaly(() => bad(x)));
    expect(e.message).toMatch(/^detectAnomaly: 'badForward' produced Inf \(2 of 2 elements\) in its output/);
  });
});

describe('the backward check', () => {
  it("blames sqrt's backward for the Inf gradient at 0, and where sqrt was created", () => {
    const x = tensor([4, 0, 1], { requiresGrad: true });
    let mark!: Error;
    const e = caught(() => detectAnomaly(() => {
      mark = new Error(); const y = x.sqrt();
      y.mul(3).sum().backward();
    }));
    expect(e.message).toMatch(/^detectAnomaly: 'sqrt' backward produced Inf \(1 of 3 elements\) in the gradient of input 0 \(shape \[3\]\) from a finite incoming gradient of shape \[3\]; 'sqrt' was created at:\n/);
    expect([e.culprit, e.phase]).toEqual(['sqrt', 'backward']);
    expect(e.createdAt.split('\n')[0]).toContain(`anomaly.test.ts:${lineOf(mark)}:`);
    // it stopped at sqrt, before the leaf's accumulation
    expect(x.grad).toBeNull();
    expect(isAnomalyEnabled()).toBe(false);
  });

  it('blames a custom op whose backward returns NaN', () => {
    const nanGrad = customOp({
      name: 'nanGrad',
      forward: (_ctx, x: Tensor) => x.mul(2),
      backward: (_ctx, g) => g.mul(tensor([NaN, 1])),
    });
    const x = tensor([1, 2], { requiresGrad: true });
    const e = caught(() => detectAnomaly(() => nanGrad(x).exp().sum().backward()));
    expect(e.message).toMatch(/^detectAnomaly: 'nanGrad' backward produced NaN \(1 of 2 elements\) in the gradient of input 0 \(shape \[2\]\)/);
    expect(e.culprit).toBe('nanGrad');
  });

  it('blames the VJP, not the ops inside it, with createGraph and with grad()', () => {
    const x = tensor([0, 1], { requiresGrad: true });
    const e1 = caught(() => detectAnomaly(() => x.sqrt().sum().backward(null, { createGraph: true })));
    expect([e1.culprit, e1.phase]).toEqual(['sqrt', 'backward']);
    const e2 = caught(() => detectAnomaly(() => grad(x.sqrt().sum(), x)));
    expect([e2.culprit, e2.phase]).toEqual(['sqrt', 'backward']);
  });

  it('does not blame VJPs for a gradient that arrives already non-finite', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    detectAnomaly(() => x.exp().mul(2).sum().backward());
    expect(x.grad!.toArray()).toEqual([2 * Math.exp(1), 2 * Math.exp(2)].map(Math.fround));
    x.grad = null;
    detectAnomaly(() => x.exp().mul(2).backward(tensor([NaN, 1])));
    expect(x.grad!.toArray()).toEqual([NaN, Math.fround(2 * Math.fround(Math.exp(2)))]);
  });

  it('says so when the forward pass ran before the mode was on', () => {
    const x = tensor([0], { requiresGrad: true });
    const y = x.sqrt().sum();
    const e = caught(() => detectAnomaly(() => y.backward()));
    expect(e.message).toMatch(/'sqrt' backward produced Inf .*; where 'sqrt' was created was not recorded \(run the forward pass inside detectAnomaly/);
    expect(e.createdAt).toBe('');
  });
});

describe('without the mode', () => {
  it('gives NaN and Inf silently, as PyTorch', () => {
    const x = tensor([1, 0], { requiresGrad: true });
    expect(x.log().toArray()).toEqual([0, -Infinity]);
    x.sqrt().sum().backward();
    expect(x.grad!.toArray()).toEqual([0.5, Infinity]);
    expect(x.log().gradFn!.stack).toBeUndefined();
  });
});

describe('the mode', () => {
  it('setDetectAnomaly switches it globally and returns the previous value', () => {
    expect(isAnomalyEnabled()).toBe(false);
    expect(setDetectAnomaly(true)).toBe(false);
    expect(isAnomalyEnabled()).toBe(true);
    const x = tensor([0], { requiresGrad: true });
    expect(() => x.log()).toThrow(AnomalyError);
    expect(setDetectAnomaly(true)).toBe(true);
    expect(setDetectAnomaly(false)).toBe(true);
    expect(isAnomalyEnabled()).toBe(false);
    expect(x.log().item()).toBe(-Infinity);
  });

  it('nests, and checkNan: false only records where ops were created', () => {
    const x = tensor([0], { requiresGrad: true });
    detectAnomaly(() => {
      const quiet = detectAnomaly(() => {
        expect(isAnomalyEnabled()).toBe(true);
        return x.log();
      }, { checkNan: false });
      expect(quiet.item()).toBe(-Infinity);
      expect(quiet.gradFn!.stack).toContain('anomaly.test.ts');
      expect(() => x.log()).toThrow(/'log' produced -Inf/); // the outer mode is back
      expect(isAnomalyEnabled()).toBe(true);
    });
    expect(isAnomalyEnabled()).toBe(false);
  });

  it('is restored after an exception inside fn', () => {
    expect(() => detectAnomaly(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isAnomalyEnabled()).toBe(false);
    setDetectAnomaly(true, { checkNan: false });
    expect(() => detectAnomaly(() => tensor([0], { requiresGrad: true }).log())).toThrow(AnomalyError);
    // back to the outer setting: on, without checks
    expect(isAnomalyEnabled()).toBe(true);
    expect(tensor([0], { requiresGrad: true }).log().item()).toBe(-Infinity);
    setDetectAnomaly(false);
  });

  it('stays on until a returned Promise settles, then restores', async () => {
    const p = detectAnomaly(async () => {
      await new Promise((r) => setTimeout(r, 1));
      return isAnomalyEnabled();
    });
    expect(isAnomalyEnabled()).toBe(true);
    await expect(p).resolves.toBe(true);
    expect(isAnomalyEnabled()).toBe(false);
    const q = detectAnomaly(async () => {
      await Promise.resolve();
      tensor([0], { requiresGrad: true }).log();
    });
    await expect(q).rejects.toThrow(/'log' produced -Inf/);
    expect(isAnomalyEnabled()).toBe(false);
  });

  it('adds where the op was created to the errors backward throws', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    let mark!: Error;
    const [loss, y] = detectAnomaly(() => {
      mark = new Error(); const e = x.exp();
      return [e.sum(), e];
    }, { checkNan: false });
    noGrad(() => y.fill_(0));
    expect(() => loss.backward()).toThrow(new RegExp(`saved by 'exp' was modified by an in-place operation \\(the last was fill_\\).*'exp' was created at:\\n.*anomaly\\.test\\.ts:${lineOf(mark)}:`, 's'));

    const z = detectAnomaly(() => x.mul(x).sum());
    z.backward();
    expect(() => z.backward()).toThrow(/second time .*'mul' was created at:\n.*anomaly\.test\.ts/s);
  });

  it('refuses bad arguments', () => {
    expect(() => detectAnomaly(5 as never)).toThrow(ArgumentError);
    expect(() => detectAnomaly(5 as never)).toThrow(/^detectAnomaly: expected a function to run, got 5$/);
    expect(() => detectAnomaly(() => 1, { checkNaN: true } as never)).toThrow(/detectAnomaly: unknown option 'checkNaN'/);
    expect(() => setDetectAnomaly('yes' as never)).toThrow(/setDetectAnomaly: expected a boolean, got 'yes'$/);
    expect(() => setDetectAnomaly(true, { checkNan: 1 } as never)).toThrow(/setDetectAnomaly: checkNan must be a boolean/);
    expect(isAnomalyEnabled()).toBe(false);
  });

  it('leaves finite computations alone and gives the same gradients', () => {
    const w = tensor([[0.5, -1], [2, 0.25]], { requiresGrad: true });
    const x = zeros([3, 2]).add(tensor([1, 2]));
    const run = () => F.crossEntropy(x.matmul(w).tanh(), tensor([0, 1, 1], { dtype: 'int32' })).backward();
    run();
    const plain = w.grad!.toArray();
    w.grad = null;
    detectAnomaly(run);
    expect(w.grad!.toArray()).toEqual(plain);
  });
});
