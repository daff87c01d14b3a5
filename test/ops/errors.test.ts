// Error sweep: every registry record's bad inputs throw, with the error class and a message that names the op
// and the problem (shapes, dims, dtypes), on each backend. Every error is one of tapegrad's typed errors whose
// `op` names the op. Below the sweep, the same for the public functions outside the registry (creation,
// random, tensor properties, grad mode, backends, the testing helpers), whose bad input used to fail deep in
// a kernel or an allocation.
import { describe, expect, it } from 'vitest';
import {
  tensor, zeros, ones, full, zerosLike, onesLike, arange, linspace, eye, rand, randn, randint, manualSeed,
  createGenerator, forkRng, setDefaultDtype, withDefaultDtype, broadcastShapes, noGrad, enableGrad, withBackend,
  createWasmBackend, customOp, cast, isTapegradError,
  ShapeError, IndexError, ValueError, DTypeError, ArgumentError, AutogradError, type Tensor,
} from '../../src/index.js';
import { assertClose, gradcheck, gradgradcheck } from '../../src/testing/index.js';
import { registry, onBackends, f64, type ErrorCase } from '../registry.js';

/** Runs `call` and checks what it throws: the class, a tapegrad error with a non-empty op, the message. */
function expectThrows(call: () => unknown, e: Pick<ErrorCase, 'throws' | 'type'>): void {
  let caught: unknown = null;
  try {
    call();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'did not throw').not.toBeNull();
  expect(caught).toBeInstanceOf(e.type ?? Error);
  expect(isTapegradError(caught), `${String(caught)} is not a tapegrad error`).toBe(true);
  expect((caught as { op?: unknown }).op, 'op').toEqual(expect.any(String));
  expect((caught as { op: string }).op).not.toBe('');
  expect((caught as Error).message).toMatch(e.throws);
}

onBackends((run) => describe.each(registry.map((r) => [r.name, r] as const))('%s', (_name, rec) => {
  const errors = rec.errors();
  it('has error cases', () => expect(errors.length).toBeGreaterThan(0));
  it.each(errors.map((e) => [e.note, e] as const))('throws on %s', (_note, e) => run(() => {
    expectThrows(e.call ?? (() => rec.fn(...(e.args ?? []))), e);
  }));
}));

interface Case extends Pick<ErrorCase, 'throws' | 'type'> {
  note: string;
  call: () => unknown;
}

const outsideRegistry: Record<string, Case[]> = {
  creation: [
    { note: 'zeros with a fractional size', call: () => zeros([1.5]), throws: /^zeros: expected a shape of non-negative integers, got \[1.5\]/, type: ValueError },
    { note: 'zeros with a NaN size', call: () => zeros([2, NaN]), throws: /^zeros: expected a shape of non-negative integers, got \[2,NaN\]/, type: ValueError },
    { note: 'ones with a negative size', call: () => ones([-1]), throws: /^ones: expected a shape of non-negative integers, got \[-1\]/, type: ValueError },
    { note: 'zeros with a shape that is not an array', call: () => zeros(3 as never), throws: /^zeros: expected a shape \(an array of non-negative integers\), got 3/, type: ArgumentError },
    { note: 'zeros of 2^40 elements', call: () => zeros([2 ** 20, 2 ** 20]), throws: /^zeros: shape \[1048576, 1048576\] has 1099511627776 elements, more than the 2\^32 a tensor can hold/, type: ValueError },
    { note: 'full with a string value', call: () => full([2], 'a' as never), throws: /^full: value must be a number or a boolean, got 'a'/, type: ArgumentError },
    { note: 'an unknown option', call: () => zeros([2], { dtyp: 'float64' } as never), throws: /^zeros: unknown option 'dtyp'; expected one of dtype, requiresGrad, generator; did you mean 'dtype'\?/, type: ArgumentError },
    { note: 'an unknown dtype', call: () => ones([2], { dtype: 'float16' as never }), throws: /^ones: unknown dtype "float16"; expected one of float32, float64, int32, bool/, type: DTypeError },
    { note: 'requiresGrad not a boolean', call: () => zeros([2], { requiresGrad: 1 as never }), throws: /^zeros: requiresGrad must be a boolean, got 1/, type: ArgumentError },
    { note: 'requiresGrad on int32', call: () => zeros([2], { dtype: 'int32', requiresGrad: true }), throws: /^zeros: only floating-point tensors can require gradients, got dtype int32/, type: DTypeError },
    { note: 'zerosLike of a non-tensor', call: () => zerosLike([1, 2] as never), throws: /^zerosLike: expected a Tensor, got an array/, type: ArgumentError },
    { note: 'onesLike with an unknown option', call: () => onesLike(zeros([1]), { shape: [2] } as never), throws: /^onesLike: unknown option 'shape'/, type: ArgumentError },
    { note: 'tensor of ragged arrays', call: () => tensor([[1, 2], [3]]), throws: /^tensor: expected a rectangular nested array of shape \[2, 2\], but the entry at \[1\] is an array of length 1/, type: ShapeError },
    { note: 'tensor of strings', call: () => tensor(['a'] as never), throws: /^tensor: expected numbers or booleans, found string at \[0\]/, type: ArgumentError },
    { note: 'tensor of an object', call: () => tensor({} as never), throws: /^tensor: expected numbers or booleans, found object at \[\]/, type: ArgumentError },
    { note: 'arange with step 0', call: () => arange(0, 1, 0), throws: /^arange: step must be nonzero, got 0/, type: ValueError },
    { note: 'arange with a NaN step', call: () => arange(0, 1, NaN), throws: /^arange: step must be a finite number, got NaN/, type: ValueError },
    { note: 'arange against the step', call: () => arange(3, 0), throws: /^arange: the range from 3 to 0 does not go in the direction of step 1/, type: ValueError },
    { note: 'arange with a string end', call: () => arange(0, '3' as never), throws: /^arange: end must be a number, got '3'/, type: ArgumentError },
    { note: 'arange of 2^40 elements', call: () => arange(2 ** 40), throws: /^arange: the range from 0 to 1099511627776 in steps of 1 has 1099511627776 elements, more than the 2\^32/, type: ValueError },
    { note: 'linspace with negative steps', call: () => linspace(0, 1, -1), throws: /^linspace: steps must be a non-negative integer, got -1/, type: ValueError },
    { note: 'linspace with fractional steps', call: () => linspace(0, 1, 2.5), throws: /^linspace: steps must be a non-negative integer, got 2.5/, type: ValueError },
    { note: 'linspace of 2^40 steps', call: () => linspace(0, 1, 2 ** 40), throws: /^linspace: steps must be at most 2\^32/, type: ValueError },
    { note: 'eye with a negative size', call: () => eye(-1), throws: /^eye: n must be a non-negative integer, got -1/, type: ValueError },
    { note: 'rand with an int dtype', call: () => rand([2], { dtype: 'int32' }), throws: /^rand: expected a float dtype \(float32 or float64\), got int32/, type: DTypeError },
    { note: 'randn with a negative size', call: () => randn([-2]), throws: /^randn: expected a shape of non-negative integers, got \[-2\]/, type: ValueError },
    { note: 'randn with a bad generator', call: () => randn([2], { generator: {} as never }), throws: /^randn: generator must be a Generator/, type: ArgumentError },
    { note: 'randint with low ≥ high', call: () => randint(2, 1, [2]), throws: /^randint: expected integers low < high, got low=2, high=1/, type: ValueError },
  ],
  random: [
    { note: 'manualSeed of an object', call: () => manualSeed({} as never), throws: /^manualSeed: seed must be a number or a string, got an object/, type: ArgumentError },
    { note: 'createGenerator without a seed', call: () => createGenerator(undefined as never), throws: /^createGenerator: seed must be a number or a string, got undefined/, type: ArgumentError },
    { note: 'forkRng of a non-function', call: () => forkRng(1 as never), throws: /^forkRng: expected a function, got number/, type: ArgumentError },
  ],
  dtypes: [
    { note: 'cast to an unknown dtype', call: () => cast(zeros([1]), 'float16' as never), throws: /^cast: unknown dtype "float16"/, type: DTypeError },
    { note: 'to() an unknown dtype', call: () => zeros([1]).to('int64' as never), throws: /^cast: unknown dtype "int64"/, type: DTypeError },
    { note: 'setDefaultDtype int32', call: () => setDefaultDtype('int32'), throws: /^setDefaultDtype: expected float32 or float64, got int32/, type: DTypeError },
    { note: 'withDefaultDtype without a function', call: () => withDefaultDtype('float64', null as never), throws: /^withDefaultDtype: expected a function to run, got null/, type: ArgumentError },
  ],
  'tensor properties': [
    { note: 'size of a dim out of range', call: () => zeros([2, 3]).size(2), throws: /^size: dim 2 is out of range for a tensor of 2 dims \(expected an integer in \[-2, 1\]\)/, type: IndexError },
    { note: 'size of a string dim', call: () => zeros([2]).size('0' as never), throws: /^size: dim must be an integer, got '0'/, type: ArgumentError },
    { note: 'item of two elements', call: () => zeros([2]).item(), throws: /^item: a tensor with 2 elements \(shape \[2\]\) cannot be converted to a number/, type: ShapeError },
    { note: 'requiresGrad not a boolean', call: () => { zeros([1]).requiresGrad = 'yes' as never; }, throws: /^requiresGrad: expected a boolean, got 'yes'/, type: ArgumentError },
    {
      note: 'requiresGrad switched off on a non-leaf',
      call: () => { f64([1]).mul(2).requiresGrad = false; },
      throws: /^requiresGrad: only leaf tensors can change requiresGrad/, type: AutogradError,
    },
    { note: 'retainGrad without grad', call: () => zeros([1]).retainGrad(), throws: /^retainGrad: a tensor of shape \[1\] that does not require grad/, type: AutogradError },
    { note: 'broadcastShapes that do not broadcast', call: () => broadcastShapes([2], [3]), throws: /^broadcastShapes: shapes \[2\], \[3\] cannot be broadcast together/, type: ShapeError },
    { note: 'broadcastShapes of a negative size', call: () => broadcastShapes([-2]), throws: /^broadcastShapes: expected a shape of non-negative integers, got \[-2\]/, type: ValueError },
    { note: 'a result of 2^40 elements', call: () => zeros([1]).expand([2 ** 20, 2 ** 20]).add(1), throws: /^add: the result of shape \[1048576, 1048576\] would have 1099511627776 elements/, type: ValueError },
  ],
  'grad mode and backends': [
    { note: 'noGrad of a non-function', call: () => noGrad(1 as never), throws: /^noGrad: expected a function to run, got a number/, type: ArgumentError },
    { note: 'enableGrad of a non-function', call: () => enableGrad(undefined as never), throws: /^enableGrad: expected a function to run, got undefined/, type: ArgumentError },
    { note: 'withBackend of null', call: () => withBackend(null as never, () => 1), throws: /^withBackend: expected a Backend .*got null/, type: ArgumentError },
    { note: 'createWasmBackend with an unknown option', call: () => createWasmBackend({ thread: 1 } as never), throws: /^createWasmBackend: unknown option 'thread' \(expected minElements, threads\); did you mean 'threads'\?/, type: ArgumentError },
    { note: 'createWasmBackend with 0 threads', call: () => createWasmBackend({ threads: 0 }), throws: /^createWasmBackend: threads must be an integer ≥ 1, got 0/, type: ValueError },
  ],
  customOp: [
    { note: 'a definition without backward', call: () => customOp({ name: 'x', forward: () => zeros([1]) } as never), throws: /^customOp: expected \{ name: string, forward\(ctx, \.\.\.args\), backward\(ctx, grad\) \}, got an object with backward undefined/, type: ArgumentError },
    {
      note: 'forward returning a number',
      call: () => customOp({ name: 'badForward', forward: (_c, _a: unknown) => 1 as never, backward: () => null })(zeros([1])),
      throws: /^badForward: forward must return a Tensor, got 1/, type: ArgumentError,
    },
    {
      note: 'backward returning too many gradients',
      call: () => customOp({ name: 'tooMany', forward: (_c, a: Tensor) => a.mul(1), backward: (_c, g) => [g, g] })(f64([1])).sum().backward(),
      throws: /^tooMany: backward returned 2 gradients for 1 arguments/, type: AutogradError,
    },
  ],
  testing: [
    { note: 'assertClose of ragged arrays', call: () => assertClose([[1, 2], [3]] as never, [[1, 2], [3, 4]]), throws: /^assertClose: actual is a ragged nested array: entry 1 has shape \[1\], entry 0 has \[2\]/, type: ShapeError },
    { note: 'assertClose of a string', call: () => assertClose('1' as never, 1), throws: /^assertClose: actual must be a Tensor, a number, or \(nested\) arrays of numbers, got '1'/, type: ArgumentError },
    { note: 'assertClose with an unknown option', call: () => assertClose(1, 1, { rtoll: 1 } as never), throws: /^assertClose: unknown option 'rtoll' \(expected rtol, atol, equalNan\); did you mean 'rtol'\?/, type: ArgumentError },
    { note: 'assertClose with a negative atol', call: () => assertClose(1, 1, { atol: -1 }), throws: /^assertClose: atol must be a finite number ≥ 0, got -1/, type: ValueError },
    { note: 'gradcheck of float32 inputs', call: () => gradcheck((x) => x, [zeros([1], { requiresGrad: true })]), throws: /^gradcheck: input 0 \(shape \[1\]\) has dtype float32; finite differences need float64 inputs/, type: DTypeError },
    { note: 'gradcheck with no input requiring grad', call: () => gradcheck((x) => x, [f64([1], false)]), throws: /^gradcheck: no input requires grad/, type: ValueError },
    { note: 'gradcheck of a non-tensor input', call: () => gradcheck((x) => x, [1 as never]), throws: /^gradcheck: input 0 is not a Tensor: got 1/, type: ArgumentError },
    { note: 'gradcheck with eps 0', call: () => gradcheck((x) => x, [f64([1])], { eps: 0 }), throws: /^gradcheck: eps must be a finite number > 0, got 0/, type: ValueError },
    { note: 'gradgradcheck with an unknown option', call: () => gradgradcheck((x) => x, [f64([1])], { atoll: 1 } as never), throws: /^gradgradcheck: unknown option 'atoll'; .*did you mean 'atol'\?/, type: ArgumentError },
    { note: 'gradcheck of a non-function', call: () => gradcheck(null as never, [f64([1])]), throws: /^gradcheck: expected a function of the inputs, got null/, type: ArgumentError },
  ],
};

describe.each(Object.entries(outsideRegistry))('%s', (_group, cases) => {
  it.each(cases.map((c) => [c.note, c] as const))('throws on %s', (_note, c) => expectThrows(c.call, c));
});
