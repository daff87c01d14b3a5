// Batch transforms: normalize (per channel, bit-exact against torchvision's sub-then-divide in the input's
// dtype), randomAffine (identity exact, 90°/180° rotations, integer shifts, zoom, the documented draws,
// determinism, range), addNoise (masked fraction, Gaussian std, salt and pepper, clamping), compose and
// toBatchTransform, and argument checks.
import { describe, expect, it } from 'vitest';
import { createGenerator, data, full, ones, rand, tensor, zeros, type Tensor } from '../../src/index.js';

const bits = (t: Tensor) => Array.from(t.toTypedArray());
const f = Math.fround;

describe('normalize', () => {
  it('computes (x − mean[c]) / std[c] per channel, in float32 as torchvision', () => {
    const x = rand([2, 3, 4, 5], { generator: createGenerator(0) });
    const [mean, std] = [[0.485, 0.456, 0.406], [0.229, 0.224, 0.225]];
    const y = data.normalize(x, mean, std);
    expect([y.shape, y.dtype]).toEqual([[2, 3, 4, 5], 'float32']);
    const xs = bits(x);
    const expected = xs.map((v, i) => {
      const c = Math.floor(i / 20) % 3;
      return f(f(v - f(mean[c])) / f(std[c]));
    });
    expect(bits(y)).toEqual(expected);
    // one number for every channel; one image [C, H, W]; float64
    expect(bits(data.normalize(x, 0.5, 0.25))).toEqual(xs.map((v) => f(f(v - 0.5) / 0.25)));
    expect(data.normalize(ones([3, 2, 2]), [1, 2, 3], [1, 1, 2]).toArray()).toEqual([[[0, 0], [0, 0]], [[-1, -1], [-1, -1]], [[-1, -1], [-1, -1]]]);
    expect(data.normalize(x.to('float64'), [0.1], [3]).dtype).toBe('float64');
  });

  it('is differentiable: the gradient of the sum is 1/std of the channel', () => {
    const x = rand([1, 2, 2, 2], { generator: createGenerator(1) }).requiresGrad_();
    data.normalize(x, [0, 0], [2, 4]).sum().backward();
    expect(x.grad!.toArray()).toEqual([[[[0.5, 0.5], [0.5, 0.5]], [[0.25, 0.25], [0.25, 0.25]]]]);
  });

  it('checks its arguments', () => {
    const x = ones([1, 3, 2, 2]);
    expect(() => data.normalize(x, [0, 0], 1)).toThrow(/normalize: mean must be a finite number or an array of 1 or 3 \(the channels\) finite numbers, got \[0,0\]/);
    expect(() => data.normalize(x, 0, [1, 0, 1])).toThrow(/normalize: std must be nonzero in every channel/);
    expect(() => data.normalize(ones([3, 4]), 0, 1)).toThrow(/normalize: expected an image tensor of shape \[..., C, H, W\], got shape \[3, 4\]/);
    expect(() => data.normalize(ones([1, 1, 2, 2], { dtype: 'int32' }), 0, 1)).toThrow(/normalize: expected a floating-point input, got dtype int32/);
  });
});

describe('randomAffine', () => {
  const img4 = tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]);
  const grid = (t: Tensor) => (t.toArray() as number[][][][])[0][0];
  const near = (a: number[][], b: number[][], tol = 1e-5) => a.every((r, i) => r.every((v, j) => Math.abs(v - b[i][j]) <= tol));

  it('the identity parameters give back the input exactly', () => {
    const x = rand([3, 2, 5, 7], { generator: createGenerator(2) });
    expect(bits(data.randomAffine(x, { degrees: 0, seed: 1 }))).toEqual(bits(x));
    expect(bits(data.randomAffine(x, { degrees: [0, 0], scale: [1, 1], translate: [0, 0], seed: 1 }))).toEqual(bits(x));
    const inf = tensor([[[[Infinity, 1], [2, -3]]]]);
    expect(data.randomAffine(inf, { degrees: 0 }).toArray()).toEqual(inf.toArray());
    const y = data.randomAffine(x, { degrees: 0 });
    expect([y.requiresGrad, y.storage === x.storage]).toEqual([false, false]);
  });

  it('rotates about the centre: 90° clockwise as displayed, −90°, 180°', () => {
    const m = grid(img4);
    const rot = (deg: number) => grid(data.randomAffine(img4, { degrees: [deg, deg] }));
    // output (i, j) reads input (row 3 − j, column i) for +90°
    expect(near(rot(90), m.map((r, i) => r.map((_, j) => m[3 - j][i])))).toBe(true);
    expect(near(rot(-90), m.map((r, i) => r.map((_, j) => m[j][3 - i])))).toBe(true);
    expect(near(rot(180), m.map((r, i) => r.map((_, j) => m[3 - i][3 - j])))).toBe(true);
    expect(rot(90)[0]).not.toEqual(rot(-90)[0]);
  });

  it('a 45° turn of a centred point interpolates bilinearly, and corners outside read the fill', () => {
    // 3×3 image, a single 1 at the centre: it stays at the centre; a corner pixel reads outside the image
    const dot = tensor([[[[0, 0, 0], [0, 1, 0], [0, 0, 0]]]]);
    const out = grid(data.randomAffine(dot, { degrees: [45, 45] }));
    expect(out[1][1]).toBeCloseTo(1, 6);
    // output (0, 1) reads the input at distance 1 from the centre at 45°: (1 − 1/√2, 1 − 1/√2) → weights on (0,0)-(1,1)
    const a = 1 - Math.SQRT1_2;
    expect(out[0][1]).toBeCloseTo(a * a, 6);
    const filled = grid(data.randomAffine(ones([1, 1, 3, 3]), { degrees: [45, 45], fill: 0.5 }));
    expect(filled[1][1]).toBeCloseTo(1, 6);
    expect(filled[0][0]).toBeGreaterThan(0.5);
    expect(filled[0][0]).toBeLessThan(1);
  });

  it('translation shifts each image by whole pixels up to fx·W, fy·H, filling with zeros', () => {
    const x = rand([6, 2, 5, 8], { generator: createGenerator(3) });
    const y = data.randomAffine(x, { degrees: 0, translate: [0.25, 0.4], seed: 5 });
    const [H, W] = [5, 8];
    const shifts: string[] = [];
    for (let n = 0; n < 6; n++) {
      const xi = x.toArray()[n] as number[][][], yi = y.toArray()[n] as number[][][];
      const match: string[] = [];
      for (let tx = -2; tx <= 2; tx++) {
        for (let ty = -2; ty <= 2; ty++) {
          const ok = yi.every((plane, c) => plane.every((row, i) => row.every((v, j) => {
            const [si, sj] = [i - ty, j - tx];
            return v === (si >= 0 && si < H && sj >= 0 && sj < W ? xi[c][si][sj] : 0);
          })));
          if (ok) match.push(`${tx},${ty}`);
        }
      }
      expect(match.length).toBe(1);
      shifts.push(match[0]);
    }
    expect(new Set(shifts).size).toBeGreaterThan(1); // new parameters per image
  });

  it('zoom: 2× reads the centre region; 0.5× shrinks towards the centre, leaving the fill at the border', () => {
    const x = rand([1, 1, 6, 6], { generator: createGenerator(4) });
    const xs = grid(x);
    // zoom 2 about (2.5, 2.5): output (i, j) reads input (2.5 + (i − 2.5)/2, …); (1, 1) → (1.75, 1.75)
    const z = grid(data.randomAffine(x, { degrees: 0, scale: [2, 2] }));
    const bil = (py: number, px: number) => {
      const [y0, x0, fy, fx] = [Math.floor(py), Math.floor(px), py - Math.floor(py), px - Math.floor(px)];
      return xs[y0][x0] * (1 - fy) * (1 - fx) + xs[y0][x0 + 1] * (1 - fy) * fx + xs[y0 + 1][x0] * fy * (1 - fx) + xs[y0 + 1][x0 + 1] * fy * fx;
    };
    expect(z[1][1]).toBeCloseTo(bil(1.75, 1.75), 6);
    expect(z[4][2]).toBeCloseTo(bil(3.25, 2.25), 6);
    const small = grid(data.randomAffine(ones([1, 1, 6, 6]), { degrees: 0, scale: [0.5, 0.5] }));
    expect(small[0][0]).toBe(0);
    expect(small[2][3]).toBeCloseTo(1, 6);
  });

  it('draws, per image, the angle then tx, ty then the zoom, as documented', () => {
    const x = rand([2, 1, 7, 7], { generator: createGenerator(5) });
    const opts = { degrees: [-30, 20] as [number, number], translate: [0.3, 0.2] as [number, number], scale: [0.8, 1.2] as [number, number] };
    const g = createGenerator(11);
    const params = [0, 1].map(() => {
      const angle = -30 + g.next() * 50;
      const tx = Math.round(-0.3 * 7 + g.next() * 0.6 * 7);
      const ty = Math.round(-0.2 * 7 + g.next() * 0.4 * 7);
      return { angle, tx, ty, s: 0.8 + g.next() * 0.4 };
    });
    const y = data.randomAffine(x, { ...opts, seed: 11 });
    params.forEach((p, n) => {
      // the closed form: output (i, j) reads the input, bilinearly, at the inverse map of (j, i)
      const xs = grid(x.narrow(0, n, 1));
      const [a, b] = [Math.cos((p.angle * Math.PI) / 180) / p.s, Math.sin((p.angle * Math.PI) / 180) / p.s];
      const out = grid(y.narrow(0, n, 1));
      for (let i = 0; i < 7; i++) {
        for (let j = 0; j < 7; j++) {
          const [u, v] = [j - 3 - p.tx, i - 3 - p.ty];
          const [px, py] = [a * u + b * v + 3, -b * u + a * v + 3];
          const [x0, y0] = [Math.floor(px), Math.floor(py)];
          let acc = 0;
          for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
            const wt = (dx ? px - x0 : 1 - (px - x0)) * (dy ? py - y0 : 1 - (py - y0));
            const [xx, yy] = [x0 + dx, y0 + dy];
            if (xx >= 0 && xx < 7 && yy >= 0 && yy < 7) acc += wt * xs[yy][xx];
          }
          expect(out[i][j]).toBeCloseTo(acc, 5);
        }
      }
    });
    // with only degrees, one draw per image: the angle (a fixed range [a, a] gives the same picture)
    const angle = -30 + createGenerator(12).next() * 50;
    expect(bits(data.randomAffine(x.narrow(0, 0, 1), { degrees: [-30, 20], seed: 12 }))).toEqual(bits(data.randomAffine(x.narrow(0, 0, 1), { degrees: [angle, angle] })));
  });

  it('is seeded, gives each image its own parameters, and stays within [min(0, x), max(0, x)]', () => {
    const x = rand([1, 1, 12, 12], { generator: createGenerator(6) }).expand([4, 1, 12, 12]).contiguous();
    const opts = { degrees: 25, scale: [0.8, 1.2] as [number, number], translate: [0.1, 0.1] as [number, number] };
    const a = data.randomAffine(x, { ...opts, seed: 'aug' });
    expect(bits(data.randomAffine(x, { ...opts, seed: 'aug' }))).toEqual(bits(a));
    expect(bits(data.randomAffine(x, { ...opts, seed: 'other' }))).not.toEqual(bits(a));
    const imgs = (a.toArray() as number[][][][]).map((im) => JSON.stringify(im));
    expect(new Set(imgs).size).toBe(4);
    expect([a.min().item() >= 0, a.max().item() <= x.max().item() + 1e-6]).toEqual([true, true]);
    // a generator advances from call to call (a stream of augmentations), reproducibly
    const g1 = createGenerator(8), g2 = createGenerator(8);
    const s1 = [data.randomAffine(x, { ...opts, generator: g1 }), data.randomAffine(x, { ...opts, generator: g1 })];
    const s2 = [data.randomAffine(x, { ...opts, generator: g2 }), data.randomAffine(x, { ...opts, generator: g2 })];
    expect(s1.map(bits)).toEqual(s2.map(bits));
    expect(bits(s1[0])).not.toEqual(bits(s1[1]));
    // one image [C, H, W]
    expect(data.randomAffine(x.narrow(0, 0, 1).reshape([1, 12, 12]), { degrees: 10, seed: 0 }).shape).toEqual([1, 12, 12]);
  });

  it('checks its arguments', () => {
    const x = ones([1, 1, 4, 4]);
    expect(() => data.randomAffine(x, {} as never)).toThrow(/randomAffine: the option degrees is required/);
    expect(() => data.randomAffine(x, { degrees: -5 })).toThrow(/randomAffine: degrees must be a finite number ≥ 0, got -5/);
    expect(() => data.randomAffine(x, { degrees: [10, -10] })).toThrow(/randomAffine: degrees must be a number ≥ 0 or a pair \[lo, hi\]/);
    expect(() => data.randomAffine(x, { degrees: 5, scale: [0, 1] })).toThrow(/randomAffine: scale must be a pair \[lo, hi\] of numbers with 0 < lo ≤ hi, got \[0,1\]/);
    expect(() => data.randomAffine(x, { degrees: 5, translate: [0.5, 1.5] })).toThrow(/randomAffine: translate must be a pair \[fx, fy\] of fractions in \[0, 1\]/);
    expect(() => data.randomAffine(x, { degrees: 5, shear: 3 } as never)).toThrow(/randomAffine: unknown option 'shear'/);
    expect(() => data.randomAffine(ones([4, 4]), { degrees: 5 })).toThrow(/randomAffine: expected an image batch \[N, C, H, W\] or an image \[C, H, W\], got shape \[4, 4\]/);
    expect(() => data.randomAffine(ones([1, 1, 2, 2], { dtype: 'int32' }), { degrees: 5 })).toThrow(/randomAffine: expected a floating-point input/);
  });
});

describe('addNoise', () => {
  const n = 100000;
  const half = full([n], 0.5);

  it("masking zeroes a fraction prob of the elements and leaves the others as they were", () => {
    const x = rand([n], { generator: createGenerator(0) }).add(0.01);
    const y = data.addNoise(x, { mode: 'masking', prob: 0.4, seed: 1 });
    const [xs, ys] = [bits(x), bits(y)];
    const masked = ys.filter((v) => v === 0).length;
    expect(Math.abs(masked / n - 0.4)).toBeLessThan(4 * Math.sqrt(0.24 / n));
    expect(ys.every((v, i) => v === 0 || v === xs[i])).toBe(true);
    // element i is masked when the i-th uniform draw is below prob
    const g = createGenerator(1);
    expect(ys.slice(0, 50).map((v) => v === 0)).toEqual(Array.from({ length: 50 }, () => g.next() < 0.4));
    expect(bits(data.addNoise(x, { mode: 'masking', prob: 0 }))).toEqual(xs);
    expect(data.addNoise(x, { mode: 'masking', prob: 1 }).abs().max().item()).toBe(0);
  });

  it('gaussian noise has the given std and mean 0; clamp keeps the result in [0, 1] or [lo, hi]', () => {
    const y = data.addNoise(half, { mode: 'gaussian', std: 0.3, seed: 2 });
    const d = y.sub(half);
    expect(Math.abs(d.mean().item())).toBeLessThan(4 * 0.3 / Math.sqrt(n));
    expect(Math.abs(d.std().item() / 0.3 - 1)).toBeLessThan(0.015);
    expect([y.min().item() < 0, y.max().item() > 1]).toEqual([true, true]);
    const c = data.addNoise(half, { mode: 'gaussian', std: 0.3, seed: 2, clamp: true });
    expect([c.min().item(), c.max().item()]).toEqual([0, 1]);
    expect(bits(c)).toEqual(bits(y.clamp(0, 1)));
    const c2 = data.addNoise(half, { mode: 'gaussian', std: 0.3, seed: 2, clamp: [0.25, 0.75] });
    expect([c2.min().item(), c2.max().item()]).toEqual([0.25, 0.75]);
    expect(data.addNoise(zeros([2, 3], { dtype: 'float64' }), { mode: 'gaussian', std: 1, seed: 0 }).dtype).toBe('float64');
  });

  it('salt and pepper sets prob/2 of the elements to 0 and prob/2 to 1', () => {
    const y = bits(data.addNoise(half, { mode: 'saltPepper', prob: 0.2, seed: 3 }));
    const [zeros_, ones_] = [y.filter((v) => v === 0).length / n, y.filter((v) => v === 1).length / n];
    const se = 4 * Math.sqrt(0.09 / n);
    expect([Math.abs(zeros_ - 0.1) < se, Math.abs(ones_ - 0.1) < se]).toEqual([true, true]);
    expect(y.filter((v) => v === 0.5).length + (zeros_ + ones_) * n).toBe(n);
  });

  it('is seeded and not recorded on the tape', () => {
    const x = rand([2, 1, 4, 4], { generator: createGenerator(4) }).requiresGrad_();
    const a = data.addNoise(x, { mode: 'gaussian', std: 0.1, seed: 9 });
    expect(bits(data.addNoise(x, { mode: 'gaussian', std: 0.1, seed: 9 }))).toEqual(bits(a));
    expect(bits(data.addNoise(x, { mode: 'gaussian', std: 0.1, seed: 10 }))).not.toEqual(bits(a));
    expect([a.requiresGrad, a.shape]).toEqual([false, [2, 1, 4, 4]]);
  });

  it('checks its arguments', () => {
    expect(() => data.addNoise(half, {} as never)).toThrow(/addNoise: mode must be 'gaussian', 'masking' or 'saltPepper', got undefined/);
    expect(() => data.addNoise(half, { mode: 'dropout' as never })).toThrow(RangeError);
    expect(() => data.addNoise(half, { mode: 'masking', std: 0.1 })).toThrow(/addNoise: std does not apply to mode 'masking' \(it takes prob\)/);
    expect(() => data.addNoise(half, { mode: 'gaussian' })).toThrow(/addNoise: mode 'gaussian' needs the option std/);
    expect(() => data.addNoise(half, { mode: 'masking', prob: 1.5 })).toThrow(/addNoise: probability p must be in \[0, 1\], got 1.5/);
    expect(() => data.addNoise(half, { mode: 'gaussian', std: -1 })).toThrow(/addNoise: std must be a finite number ≥ 0, got -1/);
    expect(() => data.addNoise(half, { mode: 'gaussian', std: 1, clamp: [1, 0] })).toThrow(/addNoise: clamp must be a boolean or a pair/);
    expect(() => data.addNoise(ones([2], { dtype: 'int32' }), { mode: 'gaussian', std: 1 })).toThrow(/expected a floating-point input/);
  });
});

describe('compose and toBatchTransform', () => {
  it('compose chains left to right; toBatchTransform maps one element of a batch', () => {
    const t = data.compose((x: Tensor) => x.add(1), (x: Tensor) => x.mul(3));
    expect(t(tensor([0, 1])).toArray()).toEqual([3, 6]);
    expect(data.compose<Tensor>()(tensor([5])).toArray()).toEqual([5]);
    const bt = data.toBatchTransform((x) => x.neg());
    const [a, b] = bt([tensor([1]), tensor([2])]);
    expect([a.toArray(), b.toArray()]).toEqual([[-1], [2]]);
    expect(() => data.toBatchTransform((x) => x, 2)([tensor([1])])).toThrow(/toBatchTransform: the batch has no element 2 \(it has 1\)/);
    expect(() => data.compose(3 as never)).toThrow(/compose: argument 0 must be a function, got 3/);
    expect(() => data.toBatchTransform((x) => x, -1)).toThrow(/toBatchTransform: index must be an integer ≥ 0, got -1/);
  });

  it('in a DataLoader, seeded augmentation gives the same batches on every run', () => {
    const ds = new data.TensorDataset(rand([10, 1, 6, 6], { generator: createGenerator(0) }), tensor([...Array(10).keys()], { dtype: 'int32' }));
    const run = () => {
      const g = createGenerator(21);
      const loader = new data.DataLoader(ds, {
        batchSize: 4, shuffle: true, seed: 3,
        transform: data.toBatchTransform(data.compose(
          (x: Tensor) => data.randomAffine(x, { degrees: 20, scale: [0.9, 1.1], generator: g }),
          (x: Tensor) => data.addNoise(x, { mode: 'masking', prob: 0.3, generator: g }),
        )),
      });
      return [0, 1].flatMap(() => [...loader].map((b) => b.map(bits)));
    };
    const [r1, r2] = [run(), run()];
    expect(r1).toEqual(r2);
    expect(r1.length).toBe(6);
    expect(r1[0][0]).not.toEqual(bits(ds.getBatch(r1[0][1])[0]));
  });
});
