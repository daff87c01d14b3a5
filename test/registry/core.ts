// The core op records: elementwise, reductions, shape and linear-algebra ops (issue 2's surface).
import {
  Tensor, tensor, zeros, type DType,
  neg, exp, log, log1p, expm1, sqrt, rsqrt, abs, sign, sin, cos, tanh, sigmoid, relu, clamp,
  add, sub, mul, div, pow, maximum, minimum, where, gt, ge, lt, le, eq, ne, cast,
  sum, mean, prod, max, min, argmax, argmin, variance, std, logsumexp, softmax, logSoftmax,
  reshape, view, flatten, squeeze, unsqueeze, transpose, permute, expand, broadcastTensors, narrow,
  indexSelect, gather, scatterAdd, cat, stack, split, chunk, pad, contiguous, clone, detach,
  matmul, unfold, fold,
  ShapeError, IndexError, ValueError, DTypeError, ArgumentError,
} from '../../src/index.js';
import * as ref from '../reference.js';
import { gen, build, f64, f32, i32, bool, NAN, INF, notTensor, type OpRecord, type Sample, type ErrorCase, type GradOpts, type TOpts } from './common.js';

interface UnaryOpts {
  /** Draws valid float64 inputs of a shape. */
  domain?: (g: ReturnType<typeof gen>, shape: number[], o?: TOpts) => Tensor;
  /** Forward-only samples with special values (0, ±inf, NaN, domain edges). */
  special?: () => Sample[];
  /** int32 input gives the default float dtype (float ops) or stays int32 (neg, abs, sign, relu). */
  intInput?: boolean;
  gradOpts?: GradOpts;
  bool?: boolean;
}

/** The core ops that F re-exports (as torch.nn.functional has them), as registry aliases. */
const IN_F = new Set(['relu', 'tanh', 'sigmoid', 'softmax', 'logSoftmax', 'pad', 'unfold', 'fold']);
const inF = (name: string): string[] | undefined => (IN_F.has(name) ? [`F.${name}`] : undefined);

function unary(name: string, fn: (x: Tensor) => Tensor, reference: (x: ref.Arr) => ref.Arr, o: UnaryOpts = {}): OpRecord {
  const domain = o.domain ?? ((g, shape, opts) => g.randn(shape, opts));
  return {
    name, fn, method: name, reference, differentiable: true, twiceDifferentiable: true, aliases: inF(name),
    samples: () => {
      const g = gen(name);
      const s: Sample[] = [
        { args: [domain(g, [2, 3])], note: '2-d' },
        { args: [domain(g, [])], note: '0-d scalar' },
        { args: [domain(g, [0, 3])], note: 'zero-size' },
        { args: [domain(g, [3, 4], { transposed: true })], note: 'non-contiguous' },
        { args: [domain(g, [2, 1, 3])], note: '3-d' },
      ];
      if (o.gradOpts) s.forEach((x) => (x.gradOpts = o.gradOpts));
      if (o.intInput !== false) s.push({ args: [i32([[1, 2, 3], [4, 5, 6]])], note: 'int32 input', float32: false });
      s.push(...(o.special?.() ?? []));
      return s;
    },
    errors: () => [
      ...notTensor(name, (b) => [b]),
      ...(o.bool === false ? [{ note: 'bool input', args: [bool([true, false])], throws: new RegExp(`${name}: not defined for bool`), type: DTypeError }] : []),
    ],
  };
}

type BinaryFn = (a: any, b: any) => Tensor;

interface BinaryOpts {
  a?: (g: ReturnType<typeof gen>, shape: number[], o?: TOpts) => Tensor;
  b?: (g: ReturnType<typeof gen>, shape: number[], o?: TOpts) => Tensor;
  /** A JS number valid as either operand. */
  scalar?: number;
  extra?: (g: ReturnType<typeof gen>) => Sample[];
  /** Error cases beyond the shared ones. */
  extraErrors?: () => ErrorCase[];
  differentiable?: boolean;
}

function binary(name: string, fn: BinaryFn, reference: (a: ref.RefOperand, b: ref.RefOperand) => ref.Arr, o: BinaryOpts = {}): OpRecord {
  const A = o.a ?? ((g, s, t) => g.randn(s, t));
  const B = o.b ?? ((g, s, t) => g.randn(s, t));
  const k = o.scalar ?? 0.75;
  const differentiable = o.differentiable ?? true;
  return {
    name, fn, method: name, reference, differentiable, twiceDifferentiable: differentiable,
    samples: () => {
      const g = gen(name);
      return [
        { args: [A(g, [2, 3]), B(g, [2, 3])], note: 'same shape' },
        { args: [A(g, [2, 3]), B(g, [3])], note: 'broadcast [2,3] with [3]' },
        { args: [A(g, [2, 1]), B(g, [1, 3])], note: 'broadcast [2,1] with [1,3]' },
        { args: [A(g, [4, 1, 3]), B(g, [2, 1])], note: 'broadcast 3-d' },
        { args: [A(g, []), B(g, [])], note: '0-d with 0-d' },
        { args: [A(g, []), B(g, [2, 3])], note: '0-d with 2-d' },
        { args: [A(g, [2, 3]), B(g, [])], note: '2-d with 0-d' },
        { args: [A(g, [0, 3]), B(g, [3])], note: 'zero-size' },
        { args: [A(g, [3, 2], { transposed: true }), B(g, [3, 2])], note: 'non-contiguous' },
        { args: [A(g, [2, 3]), k], note: 'tensor and float number' },
        { args: [k, B(g, [2, 3])], note: 'number and tensor' },
        { args: [A(g, [2, 3]), 2], note: 'tensor and int number' },
        { args: [A(g, [2, 3]), A(g, [2, 3], { rg: false })], note: 'only the first requires grad' },
        { args: [A(g, [2, 3], { rg: false }), B(g, [2, 3])], note: 'only the second requires grad' },
        { args: [i32([[1, 2, 3], [4, 5, 6]]), B(g, [3])], note: 'int32 with float64' },
        { args: [A(g, [2, 3]), A(g, [], { dtype: 'float32', rg: false })], note: 'float64 with 0-d float32', float32: false },
        { args: [i32([[1, -2, 3]]), i32([2, 3, 1])], note: 'int32 with int32', float32: false },
        ...(o.extra?.(g) ?? []),
      ];
    },
    errors: () => {
      const g = gen(name);
      return [
        { note: 'shapes [2,3] and [4]', args: [g.randn([2, 3]), g.randn([4])], throws: new RegExp(`^${name}: shapes \\[2, 3\\] and \\[4\\] cannot be broadcast`), type: ShapeError },
        { note: 'shapes [2,3] and [3,2]', args: [g.randn([2, 3]), g.randn([3, 2])], throws: new RegExp(`^${name}: shapes \\[2, 3\\] and \\[3, 2\\] cannot be broadcast`), type: ShapeError },
        { note: 'a string operand', args: [g.randn([2]), 'x'], throws: new RegExp(`^${name}: expected a Tensor or a number, got 'x'`), type: ArgumentError },
        { note: 'null operand', args: [null, g.randn([2])], throws: new RegExp(`^${name}: expected a Tensor or a number, got null`), type: ArgumentError },
        ...(o.extraErrors?.() ?? []),
      ];
    },
  };
}

/** Reductions taking (x, dim?, keepdim?) with the usual dim forms. */
function reductionSamples(g: ReturnType<typeof gen>, draw: (shape: number[], o?: TOpts) => Tensor): Sample[] {
  return [
    { args: [draw([2, 3, 4])], note: 'all dims' },
    { args: [draw([2, 3, 4]), 0], note: 'dim 0' },
    { args: [draw([2, 3, 4]), 1, true], note: 'dim 1 keepdim' },
    { args: [draw([2, 3, 4]), -1], note: 'negative dim' },
    { args: [draw([2, 3, 4]), -2, true], note: 'negative dim keepdim' },
    { args: [draw([2, 3, 4]), [0, 2]], note: 'dim list' },
    { args: [draw([2, 3, 4]), [-1, 0], true], note: 'dim list with negative, keepdim' },
    { args: [draw([2, 3]), undefined, true], note: 'all dims keepdim' },
    { args: [draw([2, 3]), [0, 1]], note: 'all dims as a list' },
    { args: [draw([])], note: '0-d' },
    { args: [draw([]), 0, true], note: '0-d with dim 0' },
    { args: [draw([4, 3], { transposed: true }), 0], note: 'non-contiguous' },
    { args: [draw([5]), 0], note: '1-d' },
  ];
}

function reductionErrors(name: string, g: ReturnType<typeof gen>): ErrorCase[] {
  return [
    { note: 'dim 2 of a 2-d tensor', args: [g.randn([2, 3]), 2], throws: new RegExp(`^${name}: dim 2 is out of range for a tensor of 2 dims`), type: IndexError },
    { note: 'dim -3 of a 2-d tensor', args: [g.randn([2, 3]), -3], throws: new RegExp(`^${name}: dim -3 is out of range`), type: IndexError },
    { note: 'non-integer dim', args: [g.randn([2, 3]), 0.5], throws: new RegExp(`^${name}: dim 0.5 is out of range`), type: IndexError },
    { note: 'repeated dim', args: [g.randn([2, 3]), [1, -1]], throws: new RegExp(`^${name}: dim \\[1,-1\\] repeats a dim`), type: ValueError },
    { note: 'dim a string', args: [g.randn([2, 3]), '1'], throws: new RegExp(`^${name}: dim must be an integer or an array of integers, got '1'`), type: ArgumentError },
    { note: 'keepdim not a boolean', args: [g.randn([2, 3]), 0, 1], throws: new RegExp(`^${name}: keepdim must be a boolean, got 1`), type: ArgumentError },
    ...notTensor(name, (b) => [b]),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// The records

const positive = (g: ReturnType<typeof gen>, s: number[], o?: TOpts) => g.uniform(s, 0.3, 2, o);
const awayFromZero = (g: ReturnType<typeof gen>, s: number[], o?: TOpts) => g.away(s, 0.25, 1.5, o);

const elementwise: OpRecord[] = [
  unary('neg', neg, ref.neg, { bool: false }),
  unary('exp', exp, ref.exp, { special: () => [{ args: [f64([-INF, INF, NAN, 0, 700, -750], false)], note: 'special values' }] }),
  unary('log', log, ref.log, {
    domain: positive,
    special: () => [{ args: [f64([0, -1, INF, NAN, 1e-300], false)], note: 'domain edges' }],
  }),
  unary('log1p', log1p, ref.log1p, {
    domain: (g, s, o) => g.uniform(s, -0.6, 2, o),
    special: () => [{ args: [f64([-1, -2, 1e-20, 1e-10, -3e-9, INF], false)], note: 'domain edges and tiny x' }],
  }),
  unary('expm1', expm1, ref.expm1, { special: () => [{ args: [f64([1e-20, 1e-10, -3e-9, -INF, INF, 0], false)], note: 'tiny x and infinities' }] }),
  unary('sqrt', sqrt, ref.sqrt, { domain: positive, special: () => [{ args: [f64([0, -1, INF], false)], note: 'domain edges' }] }),
  unary('rsqrt', rsqrt, ref.rsqrt, { domain: positive, special: () => [{ args: [f64([0, -1, INF], false)], note: 'domain edges' }] }),
  unary('abs', abs, ref.abs, {
    domain: awayFromZero, bool: false,
    special: () => [{ args: [f64([0, -0, -INF, NAN], false)], note: 'zero and specials' }],
  }),
  unary('sign', sign, ref.sign, {
    domain: awayFromZero, bool: false,
    special: () => [{ args: [f64([0, -0, -INF, INF, -3], false)], note: 'zero and infinities' }],
  }),
  unary('sin', sin, ref.sin),
  unary('cos', cos, ref.cos),
  unary('tanh', tanh, ref.tanh, { special: () => [{ args: [f64([-INF, INF, 30, -30], false)], note: 'saturation' }] }),
  unary('sigmoid', sigmoid, ref.sigmoid, {
    special: () => [
      { args: [f64([-INF, INF, 800, -800, 0], false)], note: 'saturation' },
      { args: [f32([-100, 100, 0, 50])], note: 'float32 saturation' },
    ],
  }),
  unary('relu', relu, ref.relu, {
    domain: awayFromZero,
    special: () => [{ args: [f64([0, -0, NAN, -INF, INF], false)], note: 'zero and specials' }],
  }),
  {
    name: 'clamp', fn: clamp, method: 'clamp', reference: ref.clamp, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('clamp');
      // values -1.05 + 0.2k + 0.01j (j < 5) stay at least 0.01 away from every bound used here: the bounds sit
      // at -1.05 + 0.2k + 0.05 (0, 1) or + 0.1 or + 0.15 (±0.5, -0.33)
      const x = (shape: number[], o?: TOpts) => build(shape, (i) => -1.05 + 0.2 * ((i * 7) % 12) + 0.01 * ((i * 3) % 5), o);
      return [
        { args: [x([2, 3]), -0.5, 0.5], note: 'both bounds' },
        { args: [x([2, 3]), -0.5], note: 'min only' },
        { args: [x([2, 3]), undefined, 0.5], note: 'max only' },
        { args: [x([2, 3]), null, 0.5], note: 'max only (null min)' },
        { args: [x([]), 0, 1], note: '0-d' },
        { args: [x([0, 3]), 0, 1], note: 'zero-size' },
        { args: [x([3, 4]), f64([-0.75, -0.35, -0.95, 0.05]), f64([[0.65], [0.45], [0.25]])], note: 'tensor bounds (broadcast)' },
        { args: [x([3, 4]), f64(-0.33)], note: '0-d tensor min' },
        { args: [x([2, 3]), 0.5, -0.5], note: 'min > max gives max' },
        { args: [f64([-0.5, 0.5, 0.2, NAN], false), -0.5, 0.5], note: 'values on the bounds and NaN' },
        // a NaN bound gives NaN (PyTorch since #77306 and #77371)
        { args: [f64([-3.5, 0, 2.5], false), NAN], note: 'a NaN min', grad: false },
        { args: [f64([-3.5, 0, 2.5], false), -1, NAN], note: 'a NaN max', grad: false },
        { args: [f64([-3.5, 0, 2.5], false), f64([NAN, 0, 1], false), f64([1, NAN, 2], false)], note: 'NaN in tensor bounds', grad: false },
        { args: [i32([[-3, 0, 4]]), 0, 2], note: 'int32 with int bounds', float32: false },
        { args: [i32([[-3, 0, 4]]), 0.5], note: 'int32 with float bound', float32: false },
        { args: [g.randn([2, 2], { transposed: true }), -2.5, 2.5], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'no bounds', args: [f64([1, 2])], throws: /^clamp: at least one of min and max must be given/, type: ArgumentError },
      { note: 'null bounds', args: [f64([1, 2]), null, null], throws: /^clamp: at least one of min and max/, type: ArgumentError },
      { note: 'not a tensor', args: [3, 0, 1], throws: /^clamp: expected a Tensor, got 3/, type: ArgumentError },
      { note: 'bound shape does not broadcast', args: [f64([[1, 2, 3]]), f64([0, 1])], throws: /^clamp: shapes \[1, 3\] and \[2\] cannot be broadcast/, type: ShapeError },
      { note: 'a string bound', args: [f64([1, 2]), 'a'], throws: /^clamp: min must be a Tensor, a number or null, got 'a'/, type: ArgumentError },
    ],
  },
  binary('add', add, ref.add, {
    extra: () => [
      // PyTorch: + of two bools is their logical or (True + True is True, never 2)
      { args: [bool([true, true, false, false]), bool([true, false, true, false])], note: 'bool + bool is logical or', float32: false },
      { args: [bool([[true], [false]]), bool(true)], note: 'bool + 0-d bool, broadcast', float32: false },
    ],
  }),
  binary('sub', sub, ref.sub, {
    extraErrors: () => [
      // PyTorch: "Subtraction, the `-` operator, with two bool tensors is not supported" (and "with a bool tensor")
      { note: 'two bools', args: [bool([true, false]), bool([true, true])], throws: /^sub: got bool tensor of shape \[2\] and bool tensor of shape \[2\], expected numeric operands: subtraction of two bools is not supported/, type: DTypeError },
      { note: 'a float tensor and a bool tensor', args: [f64([1, 2]), bool([true, true])], throws: /^sub: got float64 tensor of shape \[2\] and bool tensor of shape \[2\], expected numeric operands: subtraction with a bool/, type: DTypeError },
      { note: 'a bool tensor and an int', args: [bool([true, false]), 1], throws: /^sub: got bool tensor of shape \[2\] and 1, expected numeric operands: subtraction with a bool/, type: DTypeError },
      { note: 'a float tensor and true', args: [f64([1, 2]), true], throws: /^sub: got float64 tensor of shape \[2\] and true, expected numeric operands/, type: DTypeError },
    ],
  }),
  binary('mul', mul, ref.mul, {
    extra: () => [
      { args: [bool([true, true, false, false]), bool([true, false, true, false])], note: 'bool · bool is logical and', float32: false },
    ],
  }),
  binary('div', div, ref.div, {
    b: (g, s, o) => g.away(s, 0.5, 2, o),
    extra: () => [
      { args: [f64([1, -1, 0, NAN], false), f64([0, 0, 0, 1], false)], note: 'division by zero' },
      { args: [i32([7, -7, 1]), i32([2, 2, 3])], note: 'int32 / int32 is float', float32: false },
    ],
  }),
  binary('pow', pow, ref.pow, {
    a: (g, s, o) => g.uniform(s, 0.5, 2, o),
    scalar: 1.5,
    extra: (g) => [
      { args: [g.randn([2, 3]), 2], note: 'square of any sign' },
      { args: [g.randn([2, 3]), 3], note: 'cube' },
      { args: [g.away([2, 3], 0.5, 2), -1], note: 'reciprocal' },
      { args: [g.away([2, 3], 0.5, 2), -2.0], note: 'negative exponent' },
      { args: [g.uniform([2, 3], 0.5, 2), 0.5], note: 'square root' },
      { args: [g.randn([2, 3]), 0], note: 'exponent 0 (gradient 0)' },
      { args: [g.randn([2, 3]), 1], note: 'exponent 1' },
      { args: [2, g.randn([2, 3])], note: 'number base, tensor exponent' },
      { args: [g.uniform([2, 3], 0.5, 2), g.uniform([3], -1, 2)], note: 'tensor exponent, broadcast' },
      { args: [f64([0, 0, 0, -8, 4], false), f64([0, 2, -1, 1 / 3, 0.5], false)], note: 'zero base and negative base' },
      { args: [i32([2, 3, -2]), 2], note: 'int32 base', float32: false },
      { args: [bool([true, false]), 2], note: 'bool base, int exponent (int32 result)', float32: false },
    ],
    // PyTorch: "pow" not implemented for 'Bool' (a bool base with an int exponent promotes, and works)
    extraErrors: () => [
      { note: 'bool base and exponent', args: [bool([true, false]), bool([true, true])], throws: /^pow: got bool tensor of shape \[2\] and bool tensor of shape \[2\], expected a numeric base or exponent/, type: DTypeError },
    ],
  }),
  binary('maximum', maximum, ref.maximum, {
    extra: () => [
      { args: [f64([1, 2, 3, NAN], false), f64([1, 0, 3, 1], false)], note: 'ties and NaN', grad: false },
    ],
  }),
  binary('minimum', minimum, ref.minimum, {
    extra: () => [
      { args: [f64([1, 2, 3, NAN], false), f64([1, 0, 3, 1], false)], note: 'ties and NaN', grad: false },
    ],
  }),
  ...(['gt', 'ge', 'lt', 'le', 'eq', 'ne'] as const).map((name) => {
    const fns = { gt, ge, lt, le, eq, ne };
    const r = binary(name, fns[name], ref[name], {
      differentiable: false,
      extra: () => [
        { args: [f64([1, 2, 3, NAN, -0], false), f64([1, 0, 4, NAN, 0], false)], note: 'ties, NaN, signed zero' },
        { args: [i32([1, 2, 3]), 2], note: 'int32 with int number', float32: false },
        { args: [i32([1, 2, 3]), 2.5], note: 'int32 with float number', float32: false },
        { args: [bool([true, false]), bool([true, true])], note: 'bool', float32: false },
      ],
    });
    return r;
  }),
  {
    name: 'where', fn: where, reference: ref.where, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('where');
      return [
        { args: [g.bools([2, 3]), g.randn([2, 3]), g.randn([2, 3])], note: 'same shape' },
        { args: [g.bools([3]), g.randn([2, 1]), g.randn([])], note: 'all three broadcast' },
        { args: [g.bools([2, 1]), g.randn([1, 3]), g.randn([3])], note: 'cond broadcasts' },
        { args: [g.bools([2, 3]), g.randn([2, 3]), 0], note: 'number b' },
        { args: [g.bools([2, 3]), 1.5, g.randn([3])], note: 'number a' },
        { args: [bool(true), g.randn([]), g.randn([])], note: '0-d' },
        { args: [g.bools([0, 3]), g.randn([0, 3]), g.randn([3])], note: 'zero-size' },
        { args: [g.bools([2, 3]), i32([1, 2, 3]), g.randn([2, 3])], note: 'int32 a with float64 b' },
        { args: [g.bools([2, 3]), i32([1, 2, 3]), -1], note: 'int32 result', float32: false },
        { args: [g.bools([3, 2]), g.randn([3, 2], { transposed: true }), g.randn([3, 2])], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'float cond', args: [f64([1, 0]), f64([1, 2]), f64([3, 4])], throws: /^where: expected cond of dtype bool, got float64 \(shape \[2\]\)/, type: DTypeError },
      { note: 'int32 cond', args: [i32([1, 0]), f64([1, 2]), f64([3, 4])], throws: /^where: expected cond of dtype bool, got int32/, type: DTypeError },
      { note: 'cond not a tensor', args: [true, f64([1, 2]), f64([3, 4])], throws: /^where: expected cond to be a Tensor, got a boolean/, type: ArgumentError },
      { note: 'shapes do not broadcast', args: [bool([true, false]), f64([1, 2, 3]), 0], throws: /^where: shapes \[2\] and \[3\] and \[\] cannot be broadcast/, type: ShapeError },
    ],
  },
  {
    name: 'cast', fn: cast, method: 'to', reference: ref.cast, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('cast');
      // float32 rounding makes the finite difference of a float64 → float32 cast coarse: a large step
      const coarse = { eps: 1e-2, atol: 1e-4, rtol: 1e-3 };
      return [
        { args: [g.randn([2, 3]), 'float32'], note: 'float64 → float32', gradOpts: coarse, float32: false },
        { args: [g.randn([2, 3]), 'float64'], note: 'float64 → float64 (identity)', float32: false },
        { args: [f32([[1.5, -2.25], [3, 0.1]]), 'float64'], note: 'float32 → float64' },
        { args: [f64([[1.7, -2.7], [0, 1e9]], false), 'int32'], note: 'float64 → int32 truncates', float32: false },
        { args: [f64([0, -0, 0.5, NAN], false), 'bool'], note: 'float64 → bool', float32: false },
        { args: [i32([1, -2, 3]), 'float64'], note: 'int32 → float64' },
        { args: [i32([1, -2, 0]), 'bool'], note: 'int32 → bool' },
        { args: [bool([true, false]), 'float32'], note: 'bool → float32' },
        { args: [bool([true, false]), 'int32'], note: 'bool → int32' },
        { args: [g.randn([]), 'float32'], note: '0-d', gradOpts: coarse, float32: false },
        { args: [g.randn([0, 2]), 'float32'], note: 'zero-size', float32: false },
        { args: [g.randn([3, 2], { transposed: true }), 'float32'], note: 'non-contiguous', gradOpts: coarse, float32: false },
      ];
    },
    errors: () => [
      { note: 'not a tensor', args: [[1, 2], 'float32'], throws: /^cast: expected input to be a Tensor/, type: ArgumentError },
      { note: 'unknown dtype', args: [f64([1]), 'float16'], throws: /cast.*unknown dtype "float16"/, type: DTypeError },
      { note: 'dtype not a string', args: [f64([1]), 3], throws: /^cast: unknown dtype 3; expected one of float32, float64, int32, bool/, type: DTypeError },
      { note: 'requiresGrad on an int32 tensor', call: () => tensor([1, 2], { dtype: 'int32', requiresGrad: true }), throws: /^tensor: only floating-point tensors can require gradients, got dtype int32/, type: DTypeError },
      { note: 'setting requiresGrad on a bool tensor', call: () => { bool([true]).requiresGrad = true; }, throws: /^requiresGrad: only floating-point tensors can require gradients, got dtype bool/, type: DTypeError },
    ],
  },
];

const reductions: OpRecord[] = [
  {
    name: 'sum', fn: sum, method: 'sum', reference: ref.sum, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('sum');
      return [
        ...reductionSamples(g, g.randn),
        { args: [g.randn([0, 3]), 0], note: 'zero-size dim reduced' },
        { args: [g.randn([0, 3]), 1], note: 'zero-size dim kept' },
        { args: [g.randn([0, 3])], note: 'zero-size, all dims' },
        { args: [g.randn([2, 3]), []], note: 'empty dim list means all dims' },
        { args: [i32([[1, 2], [3, 4]]), 1], note: 'int32 sums to int32', float32: false },
        { args: [bool([[true, false], [true, true]])], note: 'bool sums to int32', float32: false },
      ];
    },
    errors: () => reductionErrors('sum', gen('sum')),
  },
  {
    name: 'mean', fn: mean, method: 'mean', reference: ref.mean, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('mean');
      return [
        ...reductionSamples(g, g.randn),
        { args: [g.randn([0, 3]), 1], note: 'zero-size dim kept' },
        { args: [g.randn([0, 3]), 0], note: 'mean over an empty dim is NaN', grad: false },
      ];
    },
    errors: () => [
      ...reductionErrors('mean', gen('mean')),
      { note: 'int32 input', args: [i32([1, 2])], throws: /^mean: expected a floating-point tensor, got dtype int32 \(shape \[2\]\)/, type: DTypeError },
    ],
  },
  {
    name: 'prod', fn: prod, method: 'prod', reference: ref.prod, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('prod');
      const draw = (s: number[], o?: TOpts) => g.uniform(s, 0.5, 1.5, o);
      return [
        ...reductionSamples(g, draw),
        { args: [f64([[0.5, 0, 2], [1.5, -1, 3]]), 1], note: 'one zero in a row' },
        { args: [f64([[0.5, 0, 2], [0, -1, 3]]), 0], note: 'one zero in a column' },
        { args: [f64([[0, 0, 2], [1.5, -1, 3]]), 1], note: 'two zeros in a row' },
        { args: [f64([[0, 1.5, 0], [1.5, -1, 3]])], note: 'two zeros, all dims' },
        { args: [f64([[0.5, 0, 2], [1.5, -1, 3]]), [0, 1], true], note: 'one zero, dim list keepdim' },
        { args: [f64([[[0.5, 0], [2, 1.5]], [[-1, 3], [0, 0]]]), [0, 2]], note: 'zeros, 3-d dim list' },
        { args: [g.randn([0, 3]), 0], note: 'empty product is 1' },
        { args: [i32([[1, 2], [3, 4]]), 0], note: 'int32', float32: false },
      ];
    },
    errors: () => reductionErrors('prod', gen('prod')),
  },
  ...(['max', 'min'] as const).map((name): OpRecord => ({
    name, fn: name === 'max' ? max : min, method: name, reference: name === 'max' ? ref.max : ref.min,
    differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen(name);
      return [
        ...reductionSamples(g, g.randn),
        { args: [f64([[1, 3, 3], [2, 2, -1]]), 1], note: 'ties, single dim (first wins)', grad: false },
        { args: [f64([[1, 3, 3], [3, 2, -1]]), [0, 1]], note: 'ties, dim list', grad: false },
        { args: [f64([[1, -3, -3], [-3, 2, 1]])], note: 'ties, all dims', grad: false },
        { args: [f64([[1, NAN, 3], [2, 5, -1]], false), 1], note: 'NaN propagates (dim)' },
        { args: [f64([[1, NAN, 3], [2, 5, -1]], false)], note: 'NaN propagates (all)' },
        { args: [f64([[1, -INF], [INF, 0]], false), 0], note: 'infinities' },
        { args: [i32([[1, 5], [7, 2]]), 1], note: 'int32', float32: false },
        { args: [g.randn([0, 3]), 1], note: 'zero-size dim kept' },
      ];
    },
    errors: () => [
      ...reductionErrors(name, gen(name)),
      { note: 'reduce over an empty dim', args: [zeros([0, 3]), 0], throws: new RegExp(`^${name}: cannot reduce over a zero-size dim of a tensor of shape \\[0, 3\\]`), type: ShapeError },
      { note: 'reduce an empty tensor', args: [zeros([0])], throws: new RegExp(`^${name}: cannot reduce over a zero-size dim`), type: ShapeError },
    ],
  })),
  ...(['argmax', 'argmin'] as const).map((name): OpRecord => ({
    name, fn: name === 'argmax' ? argmax : argmin, method: name, reference: name === 'argmax' ? ref.argmax : ref.argmin,
    differentiable: false, twiceDifferentiable: false,
    samples: () => {
      const g = gen(name);
      return [
        { args: [g.randn([2, 3, 4])], note: 'flattened' },
        { args: [g.randn([2, 3, 4]), 1], note: 'dim 1' },
        { args: [g.randn([2, 3, 4]), -1, true], note: 'negative dim keepdim' },
        { args: [g.randn([2, 3]), null, true], note: 'flattened keepdim' },
        { args: [g.randn([]), 0], note: '0-d' },
        { args: [g.randn([])], note: '0-d flattened' },
        { args: [f64([[1, 3, 3], [-2, -2, 0]]), 1], note: 'ties: the first wins' },
        { args: [f64([[1, 3, 3], [-2, -2, -5]])], note: 'ties flattened' },
        { args: [f64([[1, NAN, 3], [2, 0, NAN]], false), 1], note: 'NaN wins' },
        { args: [i32([[1, 5], [7, 2]]), 0], note: 'int32', float32: false },
        { args: [g.randn([4, 3], { transposed: true }), 0], note: 'non-contiguous' },
        { args: [g.randn([3, 4], { transposed: true })], note: 'non-contiguous flattened' },
        { args: [g.randn([0, 3]), 1], note: 'zero-size, non-empty dim reduced' },
      ];
    },
    errors: () => [
      { note: 'dim out of range', args: [f64([[1, 2]]), 2], throws: new RegExp(`^${name}: dim 2 is out of range for a tensor of 2 dims`), type: IndexError },
      { note: 'empty tensor', args: [zeros([0, 2])], throws: new RegExp(`^${name}: cannot reduce over a zero-size dim of a tensor of shape \\[0, 2\\]`), type: ShapeError },
      { note: 'empty dim', args: [zeros([2, 0]), 1], throws: new RegExp(`^${name}: cannot reduce over a zero-size dim`), type: ShapeError },
      { note: 'dim -3 of a 2-d tensor', args: [f64([[1, 2]]), -3], throws: new RegExp(`^${name}: dim -3 is out of range for a tensor of 2 dims`), type: IndexError },
      { note: 'dim a list', args: [f64([[1, 2]]), [0]], throws: new RegExp(`^${name}: dim must be an integer or null, got \\[0\\]`), type: ArgumentError },
      { note: 'keepdim not a boolean', args: [f64([[1, 2]]), 0, 'yes'], throws: new RegExp(`^${name}: keepdim must be a boolean, got 'yes'`), type: ArgumentError },
      ...notTensor(name, (b) => [b]),
    ],
  })),
  ...(['var', 'std'] as const).map((name): OpRecord => ({
    name, aliases: name === 'var' ? ['variance', 'var_'] : undefined,
    fn: name === 'var' ? variance : std, method: name, reference: name === 'var' ? ref.variance : ref.std,
    differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen(name);
      return [
        ...reductionSamples(g, g.randn).filter((s) => (s.args[0] as Tensor).ndim > 0),
        { args: [g.randn([3, 4]), 1, false, 0], note: 'correction 0' },
        { args: [g.randn([3, 4]), 0, true, 1], note: 'correction 1 keepdim' },
        { args: [g.randn([3, 4]), undefined, false, 0], note: 'all dims correction 0' },
        { args: [g.randn([3, 4]), [-1], true, 2], note: 'correction 2' },
        { args: [g.randn([3, 4]), 1, false, 0.5], note: 'fractional correction' },
        { args: [g.randn([3, 1]), 1], note: 'one element per slice, correction 1: NaN', grad: false },
        { args: [g.randn([3, 1]), 1, false, 0], note: 'one element per slice, correction 0: 0', grad: name === 'var' },
        { args: [g.randn([]), undefined, false, 0], note: '0-d', grad: name === 'var' },
        { args: [g.randn([0, 3]), 1], note: 'zero-size, non-empty dim reduced' },
        { args: [g.randn([0, 3]), 0, false, 0], note: 'empty dim: NaN', grad: false },
      ];
    },
    errors: () => [
      ...reductionErrors(name, gen(name)),
      { note: 'int32 input', args: [i32([1, 2])], throws: new RegExp(`^${name}: expected a floating-point tensor, got dtype int32`), type: DTypeError },
      { note: 'negative correction', args: [f64([1, 2]), 0, false, -1], throws: new RegExp(`^${name}: correction must be a non-negative number, got -1`), type: ValueError },
    ],
  })),
  {
    name: 'logsumexp', fn: logsumexp, method: 'logsumexp', reference: ref.logsumexp, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('logsumexp');
      return [
        ...reductionSamples(g, g.randn),
        { args: [f64([[1e4, -1e4, 0], [1e4, 1e4, 3]]), 1], note: 'large logits' },
        { args: [f64([[-INF, -INF], [-INF, 0]], false), 1], note: 'all -inf gives -inf' },
        { args: [f64([[INF, 1], [NAN, 0]], false), 1], note: '+inf and NaN' },
        { args: [g.randn([0, 3]), 0], note: 'empty dim gives -inf', grad: false },
        { args: [g.randn([0, 3]), 1], note: 'zero-size dim kept' },
      ];
    },
    errors: () => [
      ...reductionErrors('logsumexp', gen('logsumexp')),
      { note: 'int32 input', args: [i32([1, 2])], throws: /^logsumexp: expected a floating-point tensor, got dtype int32/, type: DTypeError },
    ],
  },
  ...(['softmax', 'logSoftmax'] as const).map((name): OpRecord => ({
    name, aliases: inF(name), fn: name === 'softmax' ? softmax : logSoftmax, method: name, reference: name === 'softmax' ? ref.softmax : ref.logSoftmax,
    differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen(name);
      return [
        { args: [g.randn([2, 3]), 1], note: 'last dim' },
        { args: [g.randn([2, 3]), 0], note: 'dim 0' },
        { args: [g.randn([2, 3, 4]), -2], note: 'middle dim, negative' },
        { args: [g.randn([5]), 0], note: '1-d' },
        { args: [g.randn([]), 0], note: '0-d' },
        { args: [g.randn([0, 3]), 1], note: 'zero-size' },
        { args: [g.randn([3, 4], { transposed: true }), 1], note: 'non-contiguous' },
        { args: [f64([[1e4, -1e4, 0], [-1e4, -1e4, -1e4]]), 1], note: 'large logits' },
        { args: [f64([[-INF, 0, 1], [-INF, -INF, 0]], false), 1], note: '-inf logits' },
        // one element: x − log exp(x) is NaN for ±Inf and NaN, 0-d or not (PyTorch)
        { args: [f64(INF, false), 0], note: '0-d +inf' },
        { args: [f64(-INF, false), 0], note: '0-d -inf' },
        { args: [f64(NAN, false), 0], note: '0-d NaN' },
        { args: [f64([INF, -INF, NAN], false).reshape([3, 1]), 1], note: 'one-element slices of ±inf and NaN' },
      ];
    },
    errors: () => [
      { note: 'dim out of range', args: [f64([[1, 2]]), 2], throws: new RegExp(`^${name}: dim 2 is out of range for a tensor of 2 dims`), type: IndexError },
      { note: 'missing dim', args: [f64([1, 2])], throws: new RegExp(`^${name}: dim is required`), type: ArgumentError },
      { note: 'dim a list', args: [f64([1, 2]), [0]], throws: new RegExp(`^${name}: dim must be an integer, got \\[0\\]`), type: ArgumentError },
      { note: 'bool input', args: [bool([true]), 0], throws: new RegExp(`^${name}: expected a floating-point tensor, got dtype bool`), type: DTypeError },
      { note: 'int32 input', args: [i32([1, 2]), 0], throws: new RegExp(`^${name}: expected a floating-point tensor, got dtype int32`), type: DTypeError },
      ...notTensor(name, (b) => [b, 0]),
    ],
  })),
];

const shapeOps: OpRecord[] = [
  ...(['reshape', 'view'] as const).map((name): OpRecord => ({
    name, fn: name === 'reshape' ? reshape : view, method: name, reference: name === 'reshape' ? ref.reshape : ref.view,
    differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen(name);
      return [
        { args: [g.randn([2, 3]), [3, 2]], note: '[2,3] → [3,2]' },
        { args: [g.randn([2, 3]), [-1]], note: 'inferred dim' },
        { args: [g.randn([2, 3, 2]), [4, -1]], note: 'inferred dim, 3-d' },
        { args: [g.randn([2, 3]), [6, 1]], note: 'add a unit dim' },
        { args: [g.randn([]), [1, 1]], note: '0-d → [1,1]' },
        { args: [g.randn([1]), []], note: '[1] → 0-d' },
        { args: [g.randn([0, 3]), [3, 0]], note: 'zero-size' },
        { args: [g.randn([0, 3]), [-1, 6]], note: 'zero-size with an inferred dim' },
        { args: [g.randn([2, 3]), [2, 3]], note: 'same shape' },
        ...(name === 'reshape'
          ? [{ args: [g.randn([3, 4], { transposed: true }), [12]], note: 'non-contiguous (copies)' }]
          : [{ args: [g.randn([3, 4], { transposed: true }), [3, 2, 2]], note: 'non-contiguous, viewable split of the last dim' }]),
      ];
    },
    errors: () => [
      { note: 'wrong numel', args: [f64([[1, 2, 3], [4, 5, 6]]), [4]], throws: new RegExp(`^${name}: shape \\[4\\] is invalid for input of shape \\[2, 3\\] \\(6 elements\\)`), type: ShapeError },
      { note: 'two inferred dims', args: [f64([1, 2]), [-1, -1]], throws: new RegExp(`^${name}: only one dim can be inferred`), type: ValueError },
      { note: 'inferred dim does not divide', args: [f64([1, 2, 3]), [2, -1]], throws: new RegExp(`^${name}: shape \\[2, -1\\] is invalid for input of shape \\[3\\]`), type: ShapeError },
      { note: 'negative size', args: [f64([1, 2]), [-2]], throws: new RegExp(`^${name}: expected a shape of integers`), type: ValueError },
      { note: 'fractional size', args: [f64([1, 2]), [0.5, 4]], throws: new RegExp(`^${name}: expected a shape of integers \\(-1 for one inferred dim\\), got \\[0.5,4\\]`), type: ValueError },
      { note: 'NaN size', args: [f64([1, 2]), [NaN]], throws: new RegExp(`^${name}: expected a shape of integers .*got \\[NaN\\]`), type: ValueError },
      { note: 'shape not an array', args: [f64([1, 2]), 2], throws: new RegExp(`^${name}: expected shape to be an array of integers .*got 2`), type: ArgumentError },
      ...(name === 'view'
        ? [{ note: 'non-viewable strides', args: [f64([[1, 2, 3], [4, 5, 6]], false).transpose(0, 1), [6]], throws: /^view: a tensor of shape \[3, 2\] and strides \[1, 3\] cannot be viewed as \[6\]/, type: ShapeError }]
        : []),
      ...notTensor(name, (b) => [b, [1]]),
    ],
  })),
  {
    name: 'flatten', fn: flatten, method: 'flatten', reference: ref.flatten, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('flatten');
      return [
        { args: [g.randn([2, 3, 2])], note: 'all dims' },
        { args: [g.randn([2, 3, 2]), 1], note: 'from dim 1' },
        { args: [g.randn([2, 3, 2, 2]), 1, -2], note: 'middle dims, negative end' },
        { args: [g.randn([2, 3]), -1], note: 'a single dim' },
        { args: [g.randn([])], note: '0-d → [1]' },
        { args: [g.randn([2, 0, 3])], note: 'zero-size' },
        { args: [g.randn([3, 4], { transposed: true })], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'start after end', args: [f64([[1, 2]]), 1, 0], throws: /^flatten: startDim 1 comes after endDim 0/, type: ValueError },
      { note: 'dim out of range', args: [f64([[1, 2]]), 2], throws: /^flatten: dim 2 is out of range/, type: IndexError },
      { note: 'endDim out of range', args: [f64([[1, 2]]), 0, -3], throws: /^flatten: dim -3 is out of range for a tensor of 2 dims/, type: IndexError },
      ...notTensor('flatten', (b) => [b]),
    ],
  },
  {
    name: 'squeeze', fn: squeeze, method: 'squeeze', reference: ref.squeeze, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('squeeze');
      return [
        { args: [g.randn([1, 3, 1])], note: 'all unit dims' },
        { args: [g.randn([1, 3, 1]), 0], note: 'dim 0' },
        { args: [g.randn([1, 3, 1]), -1], note: 'negative dim' },
        { args: [g.randn([1, 3, 1]), 1], note: 'non-unit dim is kept' },
        { args: [g.randn([1, 3, 1]), [0, 2]], note: 'dim list' },
        { args: [g.randn([])], note: '0-d' },
        { args: [g.randn([1, 0, 1])], note: 'zero-size' },
        { args: [g.randn([1, 3, 2], { transposed: true })], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'dim out of range', args: [f64([[1, 2]]), 2], throws: /^squeeze: dim 2 is out of range for a tensor of 2 dims/, type: IndexError },
      { note: 'repeated dim', args: [f64([[1, 2]]), [0, -2]], throws: /^squeeze: dim \[0,-2\] repeats a dim/, type: ValueError },
      ...notTensor('squeeze', (b) => [b]),
    ],
  },
  {
    name: 'unsqueeze', fn: unsqueeze, method: 'unsqueeze', reference: ref.unsqueeze, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('unsqueeze');
      return [
        { args: [g.randn([2, 3]), 0], note: 'front' },
        { args: [g.randn([2, 3]), 2], note: 'back' },
        { args: [g.randn([2, 3]), -1], note: 'negative counts from the end of the result' },
        { args: [g.randn([2, 3]), -2], note: 'negative middle' },
        { args: [g.randn([]), 0], note: '0-d' },
        { args: [g.randn([0, 3]), 1], note: 'zero-size' },
        { args: [g.randn([3, 4], { transposed: true }), 1], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'dim out of range', args: [f64([[1, 2]]), 3], throws: /^unsqueeze: dim 3 is out of range/, type: IndexError },
      { note: 'dim out of range negative', args: [f64([[1, 2]]), -4], throws: /^unsqueeze: dim -4 is out of range/, type: IndexError },
      { note: 'dim a string', args: [f64([[1, 2]]), '0'], throws: /^unsqueeze: dim must be an integer, got '0'/, type: ArgumentError },
      ...notTensor('unsqueeze', (b) => [b, 0]),
    ],
  },
  {
    name: 'transpose', fn: transpose, method: 'transpose', reference: ref.transpose, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('transpose');
      return [
        { args: [g.randn([2, 3]), 0, 1], note: '2-d' },
        { args: [g.randn([2, 3, 4]), 0, 2], note: '3-d outer' },
        { args: [g.randn([2, 3, 4]), -1, -2], note: 'negative dims' },
        { args: [g.randn([2, 3]), 1, 1], note: 'same dim' },
        { args: [g.randn([]), 0, -1], note: '0-d' },
        { args: [g.randn([0, 3]), 0, 1], note: 'zero-size' },
        { args: [g.randn([3, 4], { transposed: true }), 0, 1], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'dim out of range', args: [f64([[1, 2]]), 0, 2], throws: /^transpose: dim 2 is out of range for a tensor of 2 dims/, type: IndexError },
      { note: 'negative dim out of range', args: [f64([[1, 2]]), -3, 0], throws: /^transpose: dim -3 is out of range for a tensor of 2 dims/, type: IndexError },
      ...notTensor('transpose', (b) => [b, 0, 1]),
    ],
  },
  {
    name: 'permute', fn: permute, method: 'permute', reference: ref.permute, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('permute');
      return [
        { args: [g.randn([2, 3, 4]), [2, 0, 1]], note: 'cycle' },
        { args: [g.randn([2, 3, 4]), [-1, 1, 0]], note: 'negative dims' },
        { args: [g.randn([2, 3]), [0, 1]], note: 'identity' },
        { args: [g.randn([]), []], note: '0-d' },
        { args: [g.randn([2, 0, 3]), [1, 2, 0]], note: 'zero-size' },
        { args: [g.randn([3, 4], { transposed: true }), [1, 0]], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'too few dims', args: [f64([[1, 2]]), [0]], throws: /^permute: expected 2 dims for a tensor of shape \[1, 2\], got \[0\]/, type: ShapeError },
      { note: 'repeated dim', args: [f64([[1, 2]]), [0, -2]], throws: /^permute: dims \[0,-2\] repeat a dim/, type: ValueError },
      { note: 'dim out of range', args: [f64([[1, 2]]), [0, 2]], throws: /^permute: dim 2 is out of range/, type: IndexError },
      { note: 'dims not an array', args: [f64([[1, 2]]), 1], throws: /^permute: expected dims to be an array of dims, got 1/, type: ArgumentError },
      ...notTensor('permute', (b) => [b, [0]]),
    ],
  },
  {
    name: 'expand', fn: expand, method: 'expand', reference: ref.expand, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('expand');
      return [
        { args: [g.randn([3, 1]), [3, 4]], note: 'grow a unit dim' },
        { args: [g.randn([3, 1]), [2, 3, 4]], note: 'new leading dim' },
        { args: [g.randn([3, 1]), [-1, 2]], note: '-1 keeps a dim' },
        { args: [g.randn([]), [2, 3]], note: '0-d' },
        { args: [g.randn([1, 3]), [0, 3]], note: 'to zero-size' },
        { args: [g.randn([2, 3]), [2, 3]], note: 'same shape' },
        { args: [g.randn([2, 3], { transposed: true }), [4, 2, 3]], note: 'non-contiguous' },
        { args: [g.randn([0, 1]), [0, 3]], note: 'zero-size input' },
      ];
    },
    errors: () => [
      { note: 'non-unit dim', args: [f64([1, 2, 3]), [2, 4]], throws: /^expand: a tensor of shape \[3\] cannot be expanded to \[2, 4\]/, type: ShapeError },
      { note: 'fewer dims', args: [f64([[1, 2]]), [2]], throws: /^expand: a tensor of shape \[1, 2\] cannot be expanded to \[2\]/, type: ShapeError },
      { note: '-1 for a new dim', args: [f64([1]), [-1, 2]], throws: /^expand: a tensor of shape \[1\] cannot be expanded to \[-1, 2\]/, type: ShapeError },
      { note: 'fractional size', args: [f64([1]), [2.5]], throws: /^expand: expected a shape of integers \(-1 keeps a dim\), got \[2.5\]/, type: ValueError },
      { note: 'shape not an array', args: [f64([1]), 3], throws: /^expand: expected shape to be an array of integers .*got 3/, type: ArgumentError },
      ...notTensor('expand', (b) => [b, [1]]),
    ],
  },
  {
    name: 'broadcastTensors', fn: broadcastTensors, reference: ref.broadcastTensors, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('broadcastTensors');
      return [
        { args: [g.randn([3, 1]), g.randn([4])], note: '[3,1] and [4]' },
        { args: [g.randn([2, 1, 3]), g.randn([]), g.randn([4, 1])], note: 'three with 0-d' },
        { args: [g.randn([2, 3])], note: 'one tensor' },
        { args: [g.randn([0, 1]), g.randn([3])], note: 'zero-size' },
        { args: [g.randn([3, 2], { transposed: true }), g.randn([2])], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'shapes do not broadcast', args: [f64([1, 2]), f64([1, 2, 3])], throws: /^broadcastTensors: shapes \[2\], \[3\] cannot be broadcast together/, type: ShapeError },
      { note: 'not a tensor', args: [f64([1, 2]), [1, 2]], throws: /^broadcastTensors: expected argument 1 to be a Tensor, got an array/, type: ArgumentError },
    ],
  },
  {
    name: 'narrow', fn: narrow, method: 'narrow', reference: ref.narrow, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('narrow');
      return [
        { args: [g.randn([4, 3]), 0, 1, 2], note: 'dim 0' },
        { args: [g.randn([4, 3]), 1, 0, 2], note: 'dim 1' },
        { args: [g.randn([4, 3]), -1, 1, 2], note: 'negative dim' },
        { args: [g.randn([4, 3]), 0, -2, 2], note: 'negative start' },
        { args: [g.randn([4, 3]), 0, 2, 0], note: 'zero length' },
        { args: [g.randn([4, 3]), 0, 0, 4], note: 'everything' },
        { args: [g.randn([3, 4], { transposed: true }), 1, 1, 2], note: 'non-contiguous' },
        { args: [g.randn([0, 3]), 1, 1, 2], note: 'zero-size' },
      ];
    },
    errors: () => [
      { note: 'past the end', args: [f64([[1, 2, 3]]), 1, 2, 2], throws: /^narrow: start 2 and length 2 do not fit in dim 1 of size 3 \(shape \[1, 3\]\)/, type: IndexError },
      { note: 'negative length', args: [f64([1, 2, 3]), 0, 0, -1], throws: /^narrow: start 0 and length -1 do not fit/, type: IndexError },
      { note: 'start too negative', args: [f64([1, 2, 3]), 0, -4, 1], throws: /^narrow: start -4 and length 1 do not fit/, type: IndexError },
      { note: 'dim out of range', args: [f64([1, 2, 3]), 1, 0, 1], throws: /^narrow: dim 1 is out of range/, type: IndexError },
      { note: '0-d input', args: [f64(1), 0, 0, 1], throws: /^narrow: cannot be applied to a 0-d tensor/, type: ShapeError },
      { note: 'fractional start', args: [f64([1, 2, 3]), 0, 0.5, 1], throws: /^narrow: start must be an integer, got 0.5/, type: ValueError },
      { note: 'length a string', args: [f64([1, 2, 3]), 0, 0, '1'], throws: /^narrow: length must be an integer, got '1'/, type: ArgumentError },
      ...notTensor('narrow', (b) => [b, 0, 0, 1]),
    ],
  },
  {
    name: 'indexSelect', fn: indexSelect, method: 'indexSelect', reference: ref.indexSelect, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('indexSelect');
      return [
        { args: [g.randn([4, 3]), 0, i32([2, 0, 2])], note: 'dim 0, repeated index' },
        { args: [g.randn([4, 3]), 1, i32([1])], note: 'dim 1' },
        { args: [g.randn([2, 3, 4]), -1, i32([3, 0, 1, 3, 3])], note: 'negative dim, repeats' },
        { args: [g.randn([4, 3]), 0, zeros([0], { dtype: 'int32' })], note: 'empty index' },
        { args: [g.randn([]), 0, i32(0)], note: '0-d input and index' },
        { args: [g.randn([3, 4], { transposed: true }), 0, i32([1, 1, 0])], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'float index', args: [f64([1, 2]), 0, f64([0, 1])], throws: /^indexSelect: expected index of dtype int32, got float64 \(shape \[2\]\)/, type: DTypeError },
      { note: 'index out of bounds', args: [f64([[1, 2], [3, 4]]), 0, i32([0, 2])], throws: /^indexSelect: index 2 is out of range for dim 0 of size 2 \(shape \[2, 2\]\)/, type: IndexError },
      { note: 'negative index', args: [f64([1, 2]), 0, i32([-1])], throws: /^indexSelect: index -1 is out of range for dim 0 of size 2/, type: IndexError },
      { note: '2-d index', args: [f64([1, 2]), 0, i32([[0]])], throws: /^indexSelect: expected a 1-D index, got shape \[1, 1\]/, type: ShapeError },
      { note: 'dim out of range', args: [f64([1, 2]), 1, i32([0])], throws: /^indexSelect: dim 1 is out of range/, type: IndexError },
      { note: 'index not a tensor', args: [f64([1, 2]), 0, [0]], throws: /^indexSelect: expected index to be an int32 Tensor, got an array/, type: ArgumentError },
      { note: 'bool index', args: [f64([1, 2]), 0, bool([true])], throws: /^indexSelect: expected index of dtype int32, got bool/, type: DTypeError },
      // PyTorch (since #94347): "index_select(): Index to scalar can have only 1 value"
      { note: 'empty index into a 0-d input', args: [f64(1.5), 0, zeros([0], { dtype: 'int32' })], throws: /^indexSelect: got an index of 0 values for a 0-d input, expected exactly 1/, type: IndexError },
      { note: 'two indices into a 0-d input', args: [f64(1.5), 0, i32([0, 0])], throws: /^indexSelect: got an index of 2 values for a 0-d input, expected exactly 1/, type: IndexError },
    ],
  },
  {
    name: 'gather', fn: gather, method: 'gather', reference: ref.gather, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('gather');
      return [
        { args: [g.randn([3, 4]), 1, i32([[0, 3, 3], [1, 1, 1], [2, 0, 1]])], note: 'dim 1, repeats' },
        { args: [g.randn([3, 4]), 0, i32([[0, 2, 2, 1], [1, 0, 0, 0]])], note: 'dim 0, fewer rows' },
        { args: [g.randn([2, 3, 2]), -2, i32([[[2], [0]], [[1], [1]]])], note: 'negative dim, smaller index' },
        { args: [g.randn([3]), 0, i32([2, 2, 0, 1, 2])], note: '1-d, index longer than input' },
        { args: [g.randn([]), 0, i32(0)], note: '0-d' },
        { args: [g.randn([3, 4]), 1, zeros([3, 0], { dtype: 'int32' })], note: 'empty index' },
        { args: [g.randn([3, 4], { transposed: true }), 1, i32([[3, 0], [1, 1], [2, 2]])], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'index out of bounds', args: [f64([[1, 2], [3, 4]]), 1, i32([[0], [2]])], throws: /^gather: index 2 is out of bounds for dim 1 with size 2/, type: IndexError },
      { note: 'negative index', args: [f64([[1, 2], [3, 4]]), 1, i32([[0], [-1]])], throws: /^gather: index -1 is out of bounds for dim 1 with size 2/, type: IndexError },
      { note: 'index out of bounds for a 0-d input', args: [f64(1.5), 0, i32(1)], throws: /^gather: index 1 is out of bounds for dim 0 with size 1/, type: IndexError },
      { note: 'float index', args: [f64([1, 2]), 0, f64([0, 1])], throws: /^gather: expected index of dtype int32, got float64/, type: DTypeError },
      { note: 'bool index', args: [f64([1, 2]), 0, bool([true])], throws: /^gather: expected index of dtype int32, got bool/, type: DTypeError },
      { note: 'index with fewer dims', args: [f64([[1, 2]]), 1, i32([0])], throws: /^gather: index of shape \[1\] does not fit input of shape \[1, 2\] along dim 1/, type: ShapeError },
      { note: 'index larger in another dim', args: [f64([[1, 2]]), 1, i32([[0], [1]])], throws: /^gather: index of shape \[2, 1\] does not fit input of shape \[1, 2\]/, type: ShapeError },
      { note: 'dim out of range', args: [f64([1, 2]), 1, i32([0])], throws: /^gather: dim 1 is out of range/, type: IndexError },
      { note: 'index not a tensor', args: [f64([1, 2]), 0, [0]], throws: /^gather: expected index to be an int32 Tensor, got an array/, type: ArgumentError },
      ...notTensor('gather', (b) => [b, 0, i32([0])]),
    ],
  },
  {
    name: 'scatterAdd', fn: scatterAdd, method: 'scatterAdd', reference: ref.scatterAdd, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('scatterAdd');
      return [
        { args: [g.randn([3, 4]), 1, i32([[0, 3, 3], [1, 1, 1], [2, 0, 1]]), g.randn([3, 3])], note: 'dim 1, repeats' },
        { args: [g.randn([3, 4]), 0, i32([[0, 2, 2, 1], [1, 0, 0, 0]]), g.randn([2, 4])], note: 'dim 0' },
        { args: [g.randn([3, 2]), 0, i32([[2, 0], [2, 2]]), g.randn([3, 3])], note: 'src larger than index' },
        { args: [g.randn([2, 3, 2]), -1, i32([[[1], [0]], [[1], [1]]]), g.randn([2, 2, 1])], note: 'negative dim, smaller index' },
        { args: [g.randn([3]), 0, i32([2, 2, 0, 2]), g.randn([4])], note: '1-d, more sources than slots' },
        { args: [g.randn([3]), 0, i32([0, 2]), g.randn([2], { rg: false })], note: 'src constant' },
        { args: [g.randn([]), 0, i32(0), g.randn([])], note: '0-d' },
        { args: [g.randn([3], { rg: false }), 0, i32([0, 2]), g.randn([2])], note: 'self constant' },
        { args: [g.randn([3, 2]), 1, zeros([3, 0], { dtype: 'int32' }), g.randn([3, 0])], note: 'empty index' },
        { args: [i32([1, 2, 3]), 0, i32([0, 0]), i32([5, 6])], note: 'int32', float32: false },
        // PyTorch's scatter_add on bool: + is logical or
        { args: [bool([false, true, false]), 0, i32([0, 0, 1, 0]), bool([true, true, true, false])], note: 'bool (logical or)', float32: false },
      ];
    },
    errors: () => [
      { note: 'index out of bounds', args: [f64([1, 2]), 0, i32([2]), f64([1])], throws: /^scatterAdd: index 2 is out of bounds for dim 0 with size 2/, type: IndexError },
      { note: 'index out of bounds for a 0-d self', args: [f64(1), 0, i32(-1), f64(2)], throws: /^scatterAdd: index -1 is out of bounds for dim 0 with size 1/, type: IndexError },
      { note: 'float index', args: [f64([1, 2]), 0, f64([0]), f64([1])], throws: /^scatterAdd: expected index of dtype int32, got float64/, type: DTypeError },
      { note: 'index larger than src', args: [f64([1, 2]), 0, i32([0, 1]), f64([1])], throws: /^scatterAdd: index of shape \[2\] does not fit self of shape \[2\] and src of shape \[1\]/, type: ShapeError },
      { note: 'float src into int32 self', args: [i32([1, 2]), 0, i32([0]), f64([1])], throws: /^scatterAdd: src of dtype float64 cannot be added into self of dtype int32/, type: DTypeError },
      { note: 'dim out of range', args: [f64([1, 2]), 1, i32([0]), f64([1])], throws: /^scatterAdd: dim 1 is out of range/, type: IndexError },
      { note: 'src not a tensor', args: [f64([1, 2]), 0, i32([0]), [1]], throws: /^scatterAdd: expected src to be a Tensor, got an array/, type: ArgumentError },
      { note: 'src with fewer dims', args: [f64([[1, 2]]), 1, i32([[0]]), f64([1])], throws: /^scatterAdd: index of shape \[1, 1\] does not fit self of shape \[1, 2\] and src of shape \[1\]/, type: ShapeError },
    ],
  },
  {
    name: 'cat', fn: cat, reference: ref.cat, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('cat');
      return [
        { args: [[g.randn([2, 3]), g.randn([1, 3])], 0], note: 'dim 0' },
        { args: [[g.randn([2, 3]), g.randn([2, 1]), g.randn([2, 2])], 1], note: 'three along dim 1' },
        { args: [[g.randn([2, 3]), g.randn([2, 2])], -1], note: 'negative dim' },
        { args: [[g.randn([2, 3]), g.randn([0, 3]), g.randn([1, 3])], 0], note: 'a zero-size piece' },
        { args: [[g.randn([0]), g.randn([2, 3])], 1], note: 'a legacy empty 1-d piece that requires grad' },
        { args: [[g.randn([2, 3])]], note: 'one tensor' },
        { args: [[g.randn([2, 3]), g.randn([2, 3], { rg: false })]], note: 'one constant' },
        { args: [[g.randn([3, 2], { transposed: true }), g.randn([3, 2])], 1], note: 'non-contiguous' },
        { args: [[g.randn([2]), i32([1, 2])]], note: 'float64 with int32 promotes' },
        { args: [[i32([1, 2]), bool([true])]], note: 'int32 with bool', float32: false },
      ];
    },
    errors: () => [
      { note: 'mismatched shapes', args: [[f64([[1, 2, 3]]), f64([[1, 2]])], 0], throws: /^cat: tensor 1 has shape \[1, 2\] but the first has shape \[1, 3\]; all dims except dim 0 must match/, type: ShapeError },
      { note: 'mismatched ndim', args: [[f64([[1, 2]]), f64([1, 2])], 1], throws: /^cat: tensor 1 has shape \[2\] but the first has shape \[1, 2\]/, type: ShapeError },
      { note: 'dim out of range', args: [[f64([1]), f64([2])], 1], throws: /^cat: dim 1 is out of range/, type: IndexError },
      { note: '0-d tensors', args: [[f64(1), f64(2)]], throws: /^cat: zero-dimensional tensors cannot be concatenated/, type: ShapeError },
      { note: 'empty list', args: [[]], throws: /^cat: expected a non-empty array of Tensors/, type: ArgumentError },
      { note: 'not a list', args: [f64([1])], throws: /^cat: expected a non-empty array of Tensors/, type: ArgumentError },
      { note: 'an element not a tensor', args: [[f64([1]), 2]], throws: /^cat: expected a non-empty array of Tensors, got 2 at index 1/, type: ArgumentError },
      { note: 'negative dim out of range', args: [[f64([[1]]), f64([[2]])], -3], throws: /^cat: dim -3 is out of range for a tensor of 2 dims/, type: IndexError },
    ],
  },
  {
    name: 'stack', fn: stack, reference: ref.stack, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('stack');
      return [
        { args: [[g.randn([2, 3]), g.randn([2, 3])], 0], note: 'dim 0' },
        { args: [[g.randn([2, 3]), g.randn([2, 3]), g.randn([2, 3])], 2], note: 'new last dim' },
        { args: [[g.randn([2, 3]), g.randn([2, 3])], -2], note: 'negative dim' },
        { args: [[g.randn([]), g.randn([]), g.randn([])]], note: '0-d' },
        { args: [[g.randn([0, 2]), g.randn([0, 2])], 1], note: 'zero-size' },
        { args: [[g.randn([3])]], note: 'one tensor' },
        { args: [[g.randn([2, 3], { transposed: true }), g.randn([2, 3])], 1], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'mismatched shapes', args: [[f64([1, 2, 3]), f64([1, 2])]], throws: /^stack: tensor 1 has shape \[2\] but the first has shape \[3\]; all must match/, type: ShapeError },
      { note: 'dim out of range', args: [[f64([1]), f64([2])], 2], throws: /^stack: dim 2 is out of range/, type: IndexError },
      { note: 'empty list', args: [[]], throws: /^stack: expected a non-empty array of Tensors/, type: ArgumentError },
      { note: 'an element not a tensor', args: [[f64([1]), null]], throws: /^stack: expected a non-empty array of Tensors, got null at index 1/, type: ArgumentError },
      { note: 'mismatched ndim', args: [[f64([1]), f64([[1]])]], throws: /^stack: tensor 1 has shape \[1, 1\] but the first has shape \[1\]/, type: ShapeError },
    ],
  },
  {
    name: 'split', fn: split, method: 'split', reference: ref.split, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('split');
      return [
        { args: [g.randn([5, 2]), 2], note: 'size 2 (last smaller)' },
        { args: [g.randn([6, 2]), 3], note: 'size divides' },
        { args: [g.randn([2, 5]), [1, 4], 1], note: 'sizes along dim 1' },
        { args: [g.randn([2, 5]), [2, 0, 3], -1], note: 'a zero size, negative dim' },
        { args: [g.randn([3, 2]), 5], note: 'size larger than dim' },
        { args: [g.randn([0, 2]), 2], note: 'zero-size dim' },
        { args: [g.randn([4, 3], { transposed: true }), [1, 2], 1], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'sizes do not sum', args: [f64([1, 2, 3]), [1, 1]], throws: /^split: sizes \[1,1\] must be non-negative integers summing to 3, the size of dim 0 \(shape \[3\]\)/, type: ShapeError },
      { note: 'zero size', args: [f64([1, 2, 3]), 0], throws: /^split: size must be a positive integer, got 0/, type: ValueError },
      { note: 'dim out of range', args: [f64([1, 2, 3]), 1, 1], throws: /^split: dim 1 is out of range/, type: IndexError },
      { note: '0-d input', args: [f64(1), 1], throws: /^split: expected a tensor with at least 1 dim, got a 0-d tensor/, type: ShapeError },
      { note: 'negative sizes', args: [f64([1, 2, 3]), [4, -1]], throws: /^split: sizes \[4,-1\] must be non-negative integers/, type: ValueError },
      { note: 'fractional size', args: [f64([1, 2, 3]), 1.5], throws: /^split: size must be a positive integer, got 1.5/, type: ValueError },
      { note: 'sizes not numbers', args: [f64([1, 2, 3]), '3'], throws: /^split: expected sizeOrSizes to be a size or an array of sizes, got '3'/, type: ArgumentError },
      ...notTensor('split', (b) => [b, 1]),
    ],
  },
  {
    name: 'chunk', fn: chunk, method: 'chunk', reference: ref.chunk, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('chunk');
      return [
        { args: [g.randn([6, 2]), 3], note: 'even' },
        { args: [g.randn([5, 2]), 3], note: 'uneven' },
        { args: [g.randn([2, 5]), 2, 1], note: 'dim 1' },
        { args: [g.randn([2, 3]), 4, -1], note: 'more chunks than elements' },
        { args: [g.randn([0, 2]), 2], note: 'zero-size' },
        { args: [g.randn([4, 3], { transposed: true }), 2, 1], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'zero chunks', args: [f64([1, 2]), 0], throws: /^chunk: chunks must be a positive integer, got 0/, type: ValueError },
      { note: 'fractional chunks', args: [f64([1, 2]), 1.5], throws: /^chunk: chunks must be a positive integer, got 1.5/, type: ValueError },
      { note: 'dim out of range', args: [f64([1, 2]), 1, 1], throws: /^chunk: dim 1 is out of range/, type: IndexError },
      { note: '0-d input', args: [f64(1), 1], throws: /^chunk: expected a tensor with at least 1 dim, got a 0-d tensor/, type: ShapeError },
      { note: 'chunks a string', args: [f64([1, 2]), '2'], throws: /^chunk: chunks must be a positive integer, got '2'/, type: ArgumentError },
      ...notTensor('chunk', (b) => [b, 1]),
    ],
  },
  {
    name: 'pad', aliases: inF('pad'), fn: pad, reference: ref.pad, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('pad');
      return [
        { args: [g.randn([2, 3]), [1, 2]], note: 'last dim' },
        { args: [g.randn([2, 3]), [1, 0, 0, 2]], note: 'two dims' },
        { args: [g.randn([2, 3]), [0, 0, 1, 1], 2.5], note: 'a value' },
        { args: [g.randn([2, 4]), [-1, 1]], note: 'negative (crop) before' },
        { args: [g.randn([3, 4]), [-1, -2, 1, -1]], note: 'negative both dims' },
        { args: [g.randn([2, 3]), [0, -3]], note: 'crop to zero-size' },
        { args: [g.randn([2, 3]), []], note: 'no pads' },
        { args: [g.randn([]), []], note: '0-d' },
        { args: [g.randn([0, 3]), [0, 0, 1, 1]], note: 'zero-size input' },
        { args: [g.randn([2, 2, 3]), [1, 1, 1, 1, 1, 1]], note: 'three dims' },
        { args: [g.randn([3, 2], { transposed: true }), [1, -1]], note: 'non-contiguous' },
        // the value is cast to the dtype as PyTorch casts it: nonzero (NaN and ±Inf too) is true, int32 truncates
        { args: [bool([true, false]), [1, 1], 2.5], note: 'bool, value 2.5 (true)', float32: false },
        { args: [bool([true, false]), [1, 0], -1], note: 'bool, value -1 (true)', float32: false },
        { args: [bool([true, false]), [0, 1], INF], note: 'bool, value Infinity (true)', float32: false },
        { args: [bool([true, false]), [0, 1], NAN], note: 'bool, value NaN (true)', float32: false },
        { args: [i32([1, 2]), [1, 1], -2.7], note: 'int32, value -2.7 (truncated)', float32: false },
      ];
    },
    errors: () => [
      { note: 'odd number of pads', args: [f64([1, 2]), [1]], throws: /^pad: expected an even number \(at most 2\) of integer pads for a tensor of shape \[2\], got \[1\]/, type: ShapeError },
      { note: 'too many pads', args: [f64([1, 2]), [1, 1, 1, 1]], throws: /^pad: expected an even number \(at most 2\)/, type: ShapeError },
      { note: 'crop below zero', args: [f64([1, 2]), [-2, -1]], throws: /^pad: got pads \[-2,-1\] that crop 3 from dim 0 of size 2 \(input shape \[2\]\), expected crops of at most the dim's size/, type: ShapeError },
      // PyTorch crops with narrow before it pads: a crop larger than the dim is refused even when the padding on
      // the other side would leave a valid size (F.pad(torch.zeros(2), [2, -3]) raises)
      { note: 'a crop larger than the dim, made up by padding', args: [f64([1, 2]), [2, -3]], throws: /^pad: got pads \[2,-3\] that crop 3 from dim 0 of size 2/, type: ShapeError },
      { note: 'a crop of an empty dim', args: [zeros([0, 4], { dtype: 'float64' }), [0, 0, 1, -1]], throws: /^pad: got pads \[0,0,1,-1\] that crop 1 from dim 0 of size 0 \(input shape \[0, 4\]\)/, type: ShapeError },
      { note: 'fractional pad', args: [f64([1, 2]), [0.5, 0]], throws: /^pad: expected an even number/, type: ValueError },
      { note: 'pads not an array', args: [f64([1, 2]), 1], throws: /^pad: expected pads to be an even number .*got 1/, type: ArgumentError },
      { note: 'value a string', args: [f64([1, 2]), [1, 1], 'x'], throws: /^pad: value must be a number, got 'x'/, type: ArgumentError },
      { note: 'int32 value NaN', args: [i32([1, 2]), [1, 1], NAN], throws: /^pad: got value NaN for an int32 tensor, expected a value an int32 can hold/, type: ValueError },
      { note: 'int32 value Infinity', args: [i32([1, 2]), [1, 1], INF], throws: /^pad: got value Infinity for an int32 tensor/, type: ValueError },
      ...notTensor('pad', (b) => [b, [1, 1]]),
    ],
  },
  ...(['contiguous', 'clone', 'detach'] as const).map((name): OpRecord => ({
    name, fn: { contiguous, clone, detach }[name], method: name, reference: ref[name],
    differentiable: name !== 'detach', twiceDifferentiable: name !== 'detach',
    samples: () => {
      const g = gen(name);
      return [
        { args: [g.randn([2, 3])], note: 'contiguous input' },
        { args: [g.randn([3, 4], { transposed: true })], note: 'non-contiguous input' },
        { args: [g.randn([])], note: '0-d' },
        { args: [g.randn([0, 3])], note: 'zero-size' },
        { args: [i32([1, 2])], note: 'int32', float32: false },
      ];
    },
    errors: () => notTensor(name, (b) => [b]),
  })),
  {
    name: 'matmul', fn: matmul, method: 'matmul', reference: ref.matmul, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('matmul');
      return [
        { args: [g.randn([3]), g.randn([3])], note: '1-d · 1-d' },
        { args: [g.randn([3]), g.randn([3, 2])], note: '1-d · 2-d' },
        { args: [g.randn([2, 3]), g.randn([3])], note: '2-d · 1-d' },
        { args: [g.randn([2, 3]), g.randn([3, 4])], note: '2-d · 2-d' },
        { args: [g.randn([2, 1, 3, 4]), g.randn([5, 4, 2])], note: 'batched, broadcast batch dims' },
        { args: [g.randn([2, 2, 3]), g.randn([3, 2])], note: 'batched · 2-d' },
        { args: [g.randn([2, 2, 3]), g.randn([3])], note: 'batched · 1-d' },
        { args: [g.randn([3]), g.randn([2, 3, 2])], note: '1-d · batched' },
        { args: [g.randn([2, 0]), g.randn([0, 3])], note: 'empty inner dim gives zeros' },
        { args: [g.randn([0, 3]), g.randn([3, 2])], note: 'zero rows' },
        { args: [g.randn([2, 3], { transposed: true }), g.randn([3, 4], { transposed: true })], note: 'non-contiguous' },
        { args: [g.randn([2, 3]), g.randn([3, 2], { rg: false })], note: 'constant right' },
        { args: [i32([[1, 2], [3, 4]]), i32([[1], [-1]])], note: 'int32', float32: false },
      ];
    },
    errors: () => [
      { note: 'inner dims differ', args: [f64([[1, 2, 3], [4, 5, 6]]), f64([[1, 2], [3, 4]])], throws: /^matmul: shapes \[2, 3\] and \[2, 2\] cannot be multiplied/, type: ShapeError },
      { note: '1-d lengths differ', args: [f64([1, 2]), f64([1, 2, 3])], throws: /^matmul: shapes \[2\] and \[3\] cannot be multiplied/, type: ShapeError },
      { note: 'batch dims do not broadcast', args: [zeros([2, 2, 3], { dtype: 'float64' }), zeros([3, 3, 2], { dtype: 'float64' })], throws: /^matmul: shapes \[2, 2, 3\] and \[3, 3, 2\] cannot be multiplied/, type: ShapeError },
      { note: '0-d operand', args: [f64(2), f64([1, 2])], throws: /^matmul: both arguments need at least 1 dim, got shapes \[\] and \[2\]/, type: ShapeError },
      { note: 'not a tensor', args: [f64([1]), [1]], throws: /^matmul: expected other to be a Tensor, got an array/, type: ArgumentError },
      { note: 'first not a tensor', args: [null, f64([1])], throws: /^matmul: expected input to be a Tensor, got null/, type: ArgumentError },
      // PyTorch: "addmm_impl_cpu_" / "dot" not implemented for 'Bool'
      { note: 'bool operands', args: [bool([[true, false]]), bool([[true], [true]])], throws: /^matmul: got operands of dtype bool and bool, expected float32, float64 or int32/, type: DTypeError },
      { note: 'a bool operand', args: [f64([[1, 2]]), bool([[true], [true]])], throws: /^matmul: got operands of dtype float64 and bool/, type: DTypeError },
    ],
  },
  {
    name: 'unfold', aliases: inF('unfold'), fn: unfold, reference: ref.unfold, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('unfold');
      return [
        { args: [g.randn([1, 2, 5]), 2], note: '1-d, kernel 2' },
        { args: [g.randn([2, 1, 7]), 3, { stride: 2, padding: 1, dilation: 2 }], note: '1-d, stride 2 padding 1 dilation 2' },
        { args: [g.randn([1, 2, 4, 4]), 2], note: '2-d, kernel 2' },
        { args: [g.randn([1, 1, 5, 4]), [2, 3], { stride: 2, padding: 1 }], note: '2-d, stride 2 padding 1' },
        { args: [g.randn([2, 1, 5, 5]), 2, { dilation: 2, padding: [1, 0], stride: [1, 2] }], note: '2-d, dilation 2, per-dim args' },
        { args: [g.randn([1, 2, 3, 3]), 3, { padding: 1, stride: 2, dilation: 2 }], note: '2-d, all options' },
        { args: [g.randn([0, 2, 3, 3]), 2], note: 'empty batch' },
        { args: [g.randn([1, 1, 3, 4], { transposed: true }), 2], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: '2-d input', args: [f64([[1, 2]]), 1], throws: /^unfold: expected input of shape \[N, C, L\] or \[N, C, H, W\], got \[1, 2\]/, type: ShapeError },
      { note: 'kernel larger than input', args: [zeros([1, 1, 2, 2], { dtype: 'float64' }), 3], throws: /^unfold: kernel \[3,3\] with dilation \[1,1\] and padding \[0,0\] does not fit the spatial size \[2, 2\]/, type: ShapeError },
      { note: 'zero stride', args: [zeros([1, 1, 4], { dtype: 'float64' }), 2, { stride: 0 }], throws: /^unfold: stride must be an integer ≥ 1, got 0/, type: ValueError },
      { note: 'wrong kernel list length', args: [zeros([1, 1, 4, 4], { dtype: 'float64' }), [2, 2, 2]], throws: /^unfold: kernelSize must be an integer or 2 integers ≥ 1, got \[2,2,2\]/, type: ValueError },
      { note: 'unknown option', args: [zeros([1, 1, 4], { dtype: 'float64' }), 2, { step: 1 }], throws: /^unfold: unknown option 'step'/, type: ArgumentError },
      { note: 'negative padding', args: [zeros([1, 1, 4], { dtype: 'float64' }), 2, { padding: -1 }], throws: /^unfold: padding must be an integer ≥ 0, got -1/, type: ValueError },
      { note: 'stride a string', args: [zeros([1, 1, 4], { dtype: 'float64' }), 2, { stride: '1' }], throws: /^unfold: stride must be an integer, got '1'/, type: ArgumentError },
      { note: 'options not an object', args: [zeros([1, 1, 4], { dtype: 'float64' }), 2, 1], throws: /^unfold: expected an options object, got 1/, type: ArgumentError },
      // PyTorch's im2col: "with possibly 0 batch size and other non-zero dimensions"; not implemented for Bool
      { note: 'no channels', args: [zeros([1, 0, 4, 4], { dtype: 'float64' }), 2], throws: /^unfold: got input of shape \[1, 0, 4, 4\], expected non-zero channel and spatial sizes \(only the batch may be empty\)/, type: ShapeError },
      { note: 'an empty spatial dim, padded', args: [zeros([1, 1, 0, 4], { dtype: 'float64' }), 2, { padding: 1 }], throws: /^unfold: got input of shape \[1, 1, 0, 4\], expected non-zero channel and spatial sizes/, type: ShapeError },
      { note: 'bool input', args: [zeros([1, 1, 4, 4], { dtype: 'bool' }), 2], throws: /^unfold: got input of dtype bool, expected float32, float64 or int32/, type: DTypeError },
    ],
  },
  {
    name: 'fold', aliases: inF('fold'), fn: fold, reference: ref.fold, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen('fold');
      return [
        { args: [g.randn([1, 4, 4]), [5], 2], note: '1-d, kernel 2' },
        { args: [g.randn([2, 3, 3]), 7, [3], { stride: 2, padding: 1, dilation: 2 }], note: '1-d, stride 2 padding 1 dilation 2' },
        { args: [g.randn([1, 8, 9]), [4, 4], 2], note: '2-d, kernel 2 (overlapping)' },
        { args: [g.randn([1, 6, 6]), [5, 4], [2, 3], { stride: 2, padding: 1 }], note: '2-d, stride 2 padding 1' },
        { args: [g.randn([2, 4, 10]), [5, 5], 2, { dilation: 2, padding: [1, 0], stride: [1, 2] }], note: '2-d, dilation 2, per-dim args' },
        { args: [g.randn([1, 18, 4]), 3, 3, { padding: 1, stride: 2 }], note: '2-d, number output size' },
        { args: [g.randn([0, 4, 9]), [4, 4], 2], note: 'empty batch' },
        { args: [g.randn([1, 4, 4], { transposed: true }), [5], 2], note: 'non-contiguous' },
      ];
    },
    errors: () => [
      { note: 'wrong number of windows', args: [zeros([1, 4, 8], { dtype: 'float64' }), [4, 4], 2], throws: /^fold: expected input of shape \[N, C·4, 9\] for outputSize \[4, 4\] and kernel \[2, 2\], got \[1, 4, 8\]/, type: ShapeError },
      { note: 'channels not divisible by the kernel', args: [zeros([1, 3, 9], { dtype: 'float64' }), [4, 4], 2], throws: /^fold: expected input of shape \[N, C·4, 9\]/, type: ShapeError },
      { note: '3 spatial dims', args: [zeros([1, 8, 8], { dtype: 'float64' }), [3, 3, 3], 2], throws: /^fold: expected 1 or 2 spatial dims, got outputSize \[3,3,3\]/, type: ValueError },
      { note: 'not a tensor', args: [[1], [4, 4], 2], throws: /^fold: expected a Tensor, got an array/, type: ArgumentError },
      { note: 'outputSize a string', args: [zeros([1, 4, 9], { dtype: 'float64' }), '4', 2], throws: /^fold: outputSize must be an integer or an array of integers, got '4'/, type: ArgumentError },
      { note: 'zero kernel', args: [zeros([1, 4, 9], { dtype: 'float64' }), [4, 4], 0], throws: /^fold: kernelSize must be an integer or 2 integers ≥ 1, got 0/, type: ValueError },
      // PyTorch's col2im: "with possibly 0 batch size and non-zero dimensions"; not implemented for Bool
      { note: 'no channels', args: [zeros([1, 0, 9], { dtype: 'float64' }), [4, 4], 2], throws: /^fold: got input of shape \[1, 0, 9\], expected a non-zero channel size/, type: ShapeError },
      { note: 'bool input', args: [zeros([1, 4, 9], { dtype: 'bool' }), [4, 4], 2], throws: /^fold: got input of dtype bool, expected float32, float64 or int32/, type: DTypeError },
    ],
  },
];

export const coreRecords: OpRecord[] = [...elementwise, ...reductions, ...shapeOps];
