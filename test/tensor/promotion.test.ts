import { afterEach, describe, expect, it } from 'vitest';
import {
  add, div, eq, mul, sub, pow, maximum, minimum, matmul, pad, scatterAdd, fold, unfold, F, cast, ones, zeros,
  setDefaultDtype, tensor, where, withDefaultDtype, errorOf, Prim, DTypeError, withBackend,
} from '../../src/index.js';
import { sweepBackends } from '../registry.js';
import * as P from '../../src/autograd/prims.js';

afterEach(() => setDefaultDtype('float32'));

const f32 = (v: unknown) => tensor(v as number[], { dtype: 'float32' });
const f64 = (v: unknown) => tensor(v as number[], { dtype: 'float64' });
const i32 = (v: unknown) => tensor(v as number[], { dtype: 'int32' });

describe('type promotion (PyTorch rules)', () => {
  it('float32 + float64 tensors give float64, computed in float64', () => {
    const r = f32([0.1]).add(f64([0.2]));
    expect(r.dtype).toBe('float64');
    expect(r.item()).toBe(Math.fround(0.1) + 0.2);
    expect(f64([1]).mul(f32([2])).dtype).toBe('float64');
  });

  it('an int32 tensor plus a fractional JS number gives the default float dtype', () => {
    const r = i32([1, 2]).add(2.5);
    expect(r.dtype).toBe('float32');
    expect(r.toArray()).toEqual([3.5, 4.5]);
    expect(withDefaultDtype('float64', () => i32([1]).add(0.1)).dtype).toBe('float64');
    // ... but a float32 tensor stays float32 even when the default is float64
    expect(withDefaultDtype('float64', () => f32([1]).add(0.1)).dtype).toBe('float32');
  });

  it('integer with integer stays int32, and integer JS numbers do not promote', () => {
    const r = i32([7, -3]).add(i32([1, 1]));
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([8, -2]);
    expect(i32([7]).mul(3).dtype).toBe('int32');
    expect(i32([7]).mul(3).item()).toBe(21);
    expect(f32([1.5]).mul(2).dtype).toBe('float32');
  });

  it('true division of integers gives the default float dtype', () => {
    const r = div(i32([1, 7, -7]), i32([2, 2, 2]));
    expect(r.dtype).toBe('float32');
    expect(r.toArray()).toEqual([0.5, 3.5, -3.5]);
    expect(withDefaultDtype('float64', () => i32([1]).div(3)).dtype).toBe('float64');
    expect(i32([1]).div(f64([4])).dtype).toBe('float64');
  });

  it('a 0-d tensor only raises the category: float64 scalar tensor with float32 dims tensor gives float32', () => {
    const r = mul(f32([1, 2]), tensor(0.5, { dtype: 'float64' }));
    expect(r.dtype).toBe('float32');
    expect(r.toArray()).toEqual([0.5, 1]);
    // a float 0-d tensor does raise an int dims tensor to float (its own dtype)
    expect(i32([1, 2]).add(tensor(0.5, { dtype: 'float64' })).dtype).toBe('float64');
    expect(i32([1, 2]).add(tensor(0.5, { dtype: 'float32' })).dtype).toBe('float32');
    // two 0-d tensors promote between themselves
    expect(add(tensor(1, { dtype: 'float32' }), tensor(1, { dtype: 'float64' })).dtype).toBe('float64');
  });

  it('bool promotes to int32 with integers and to float with floats', () => {
    const b = tensor([true, false]);
    const r = b.add(1);
    expect(r.dtype).toBe('int32'); // PyTorch: int64
    expect(r.toArray()).toEqual([2, 1]);
    expect(b.add(0.5).dtype).toBe('float32');
    expect(b.mul(f64([2, 2])).toArray()).toEqual([2, 0]);
    expect(f32([1]).add(true).dtype).toBe('float32');
  });

  it('comparisons give bool after promoting their operands', () => {
    const c = f32([0.1, 2]).lt(i32([1, 1]));
    expect(c.dtype).toBe('bool');
    expect(c.toArray()).toEqual([true, false]);
    // 0.1 in float32 is not 0.1 in float64: the comparison happens in float64
    expect(eq(f32([0.1]), f64([0.1])).toArray()).toEqual([false]);
    expect(eq(f32([0.5]), f64([0.5])).toArray()).toEqual([true]);
    expect(i32([3]).ge(2.5).toArray()).toEqual([true]);
    expect(i32([1, 2, 3]).gt(2).toArray()).toEqual([false, false, true]);
  });

  it('where promotes its two branches', () => {
    const r = where(tensor([true, false]), i32([1, 2]), f64([10, 20]));
    expect(r.dtype).toBe('float64');
    expect(r.toArray()).toEqual([1, 20]);
    expect(where(tensor([true, false]), i32([1, 2]), 0).dtype).toBe('int32');
    expect(() => where(i32([1]), 1, 2)).toThrow(/cond of dtype bool/);
  });

  it('unary float ops on integer tensors give the default float dtype', () => {
    const r = i32([0, 1]).exp();
    expect(r.dtype).toBe('float32');
    expect(r.toArray()).toEqual([1, Math.fround(Math.E)]);
    expect(i32([-2]).abs().dtype).toBe('int32');
  });
});

// Bool tensors hold 0 and 1 only. PyTorch's bool arithmetic (1.13, checked): + is logical or, · logical and,
// max/min or/and; − with a bool operand, pow with a bool result, matmul, conv, unfold and fold are refused;
// scatter_add is an or; pad's value is cast (nonzero, NaN and ±Inf are true).
describe('bool arithmetic keeps 0/1 (PyTorch semantics)', () => {
  const b = () => tensor([true, true, false, false]);
  const c = () => tensor([true, false, true, false]);
  const bits = (t: ReturnType<typeof tensor>) => Array.from(t.toTypedArray());
  const backends = sweepBackends; // the reference, and wasm with every fast path forced

  it.each(backends)('add is or, mul is and, maximum/minimum or/and (%s)', (_n, backend) => withBackend(backend, () => {
    expect(add(b(), c()).dtype).toBe('bool');
    expect(bits(add(b(), c()))).toEqual([1, 1, 1, 0]);
    expect(bits(add(b(), true))).toEqual([1, 1, 1, 1]);
    expect(bits(add(tensor([[true], [false]]), tensor([true, false])))).toEqual([1, 1, 1, 0]);
    expect(bits(mul(b(), c()))).toEqual([1, 0, 0, 0]);
    expect(bits(maximum(b(), c()))).toEqual([1, 1, 1, 0]);
    expect(bits(minimum(b(), c()))).toEqual([1, 0, 0, 0]);
    // with a number the result promotes (PyTorch: int64; tapegrad: int32)
    expect(add(b(), 1).dtype).toBe('int32');
    expect(add(b(), 1).toArray()).toEqual([2, 2, 1, 1]);
    expect(pow(b(), 2).toArray()).toEqual([1, 1, 0, 0]);
  }));

  it('refuses −, pow with a bool result, and matmul on bools (DTypeError naming the op)', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => sub(b(), c()), /^sub: got bool tensor of shape \[4\] and bool tensor of shape \[4\], expected numeric operands: subtraction of two bools is not supported \(ne\(a, b\) is their logical xor\)/],
      [() => sub(b(), 1), /^sub: got bool tensor of shape \[4\] and 1, expected numeric operands: subtraction with a bool is not supported \(eq\(mask, false\) inverts a mask\)/],
      [() => sub(1.5, b()), /^sub: got 1.5 and bool tensor of shape \[4\]/],
      [() => b().sub(true), /^sub: got bool tensor of shape \[4\] and true/],
      [() => pow(b(), c()), /^pow: got bool tensor of shape \[4\] and bool tensor of shape \[4\], expected a numeric base or exponent/],
      [() => matmul(b(), c()), /^matmul: got operands of dtype bool and bool, expected float32, float64 or int32/],
      [() => matmul(ones([1, 4]), c().reshape([4, 1])), /^matmul: got operands of dtype float32 and bool/],
      [() => F.conv1d(tensor([[[true, false, true]]]), tensor([[[true, true]]])), /^conv1d: not defined for bool input/],
      [() => unfold(zeros([1, 1, 2, 2], { dtype: 'bool' }), 1), /^unfold: got input of dtype bool/],
      [() => fold(ones([1, 4, 4], { dtype: 'bool' }), [5], 2), /^fold: got input of dtype bool/],
    ];
    for (const [f, msg] of cases) {
      const e = errorOf(f);
      expect(e, String(msg)).toBeInstanceOf(DTypeError);
      expect((e as Error).message).toMatch(msg);
    }
  });

  it.each(backends)('scatterAdd on bool is an or, however many sources land on one slot (%s)', (_n, backend) => withBackend(backend, () => {
    const self = tensor([false, true, false]);
    const index = zeros([300], { dtype: 'int32' });
    const out = scatterAdd(self, 0, index, ones([300], { dtype: 'bool' }));
    expect(out.dtype).toBe('bool');
    expect(bits(out)).toEqual([1, 1, 0]); // 300 trues: not 300 mod 256 = 44
    expect(bits(scatterAdd(tensor([false, false]), 0, tensor([1, 1], { dtype: 'int32' }), tensor([false, false])))).toEqual([0, 0]);
  }));

  it.each(backends)('pad casts its value to bool: nonzero, NaN and ±Inf are true (%s)', (_n, backend) => withBackend(backend, () => {
    for (const v of [2.5, -1, Infinity, -Infinity, Number.NaN, 0.3, true]) expect(bits(pad(tensor([true, false]), [1, 1], v as number))).toEqual([1, 1, 0, 1]);
    for (const v of [0, -0, false]) expect(bits(pad(tensor([true, false]), [1, 1], v as number))).toEqual([0, 1, 0, 0]);
    // int32: truncated, and refused when no int32 holds it (PyTorch: "value cannot be converted to type int without overflow")
    expect(pad(tensor([1, 2], { dtype: 'int32' }), [1, 1], -2.7).toArray()).toEqual([-2, 1, 2, -2]);
    expect(() => pad(tensor([1, 2], { dtype: 'int32' }), [1, 1], Number.NaN)).toThrow(/^pad: got value NaN for an int32 tensor, expected a value an int32 can hold/);
  }));

  it('a NaN becomes true in a bool tensor, as any nonzero value (PyTorch: torch.tensor([nan], dtype=torch.bool))', () => {
    expect(tensor([Number.NaN, 0, -0, 2], { dtype: 'bool' }).toArray()).toEqual([true, false, false, true]);
    expect(zeros([2], { dtype: 'bool' }).fill_(Number.NaN).toArray()).toEqual([true, true]);
    expect(cast(tensor([Number.NaN]), 'bool').toArray()).toEqual([true]);
  });

  it('no primitive that sums writes into bool storage: the kernels are guarded', () => {
    const bb = cast(tensor([1, 1]), 'bool');
    for (const f of [
      () => P.run(Prim.Add, [bb, bb], {}),
      () => P.run(Prim.Sub, [bb, bb], {}),
      () => P.scatterAdd(bb, 0, tensor([0, 0], { dtype: 'int32' }), bb),
      () => P.matmulPrim(bb.reshape([1, 2]), bb.reshape([2, 1])),
      () => P.pad(bb, [1], [0], 2),
    ]) {
      const e = errorOf(f);
      expect(e).toBeInstanceOf(DTypeError);
      expect((e as Error).message).toMatch(/^\w+: got bool operands, expected numeric ones/);
    }
  });
});
