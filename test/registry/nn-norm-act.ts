// Registry records of F's activations (leakyRelu, elu, selu, gelu, softplus, silu, logSigmoid, hardtanh) and
// normalizations (batchNorm, layerNorm, preNorm). References: test/reference-nn/norm-act.ts.
import { F, Tensor, zeros, ArgumentError, DTypeError, ShapeError, ValueError } from '../../src/index.js';
import * as ref from '../reference-nn/norm-act.js';
import type { Arr } from '../reference.js';
import { gen, build, f64, i32, NAN, INF, notTensor, type OpRecord, type Sample, type ErrorCase, type TOpts } from './common.js';

type G = ReturnType<typeof gen>;
type Draw = (g: G, shape: number[], o?: TOpts) => Tensor;

const normal: Draw = (g, s, o) => g.randn(s, o);
/** Away from the kink at 0 (for gradgradcheck of the piecewise activations). */
const awayFromZero: Draw = (g, s, o) => g.away(s, 0.2, 2, o);

interface ActOpts {
  domain?: Draw;
  /** Option arguments appended to some samples (each gives one more [2, 3] sample). */
  variants?: unknown[][];
  /** Forward-only samples at special values (their gradients are checked in the parity suite). */
  special: number[];
  /** Samples of large or saturated values whose gradients must stay finite (gradchecked). */
  saturated?: number[];
  errors?: (g: G) => ErrorCase[];
}

function act(name: string, fn: (x: Tensor, ...rest: any[]) => Tensor, reference: (x: any, ...rest: any[]) => Arr, o: ActOpts): OpRecord {
  const domain = o.domain ?? normal;
  return {
    name: `F.${name}`, fn, reference, differentiable: true, twiceDifferentiable: true,
    samples: () => {
      const g = gen(`F.${name}`);
      const s: Sample[] = [
        { args: [domain(g, [2, 3])], note: '2-d' },
        { args: [domain(g, [])], note: '0-d' },
        { args: [domain(g, [0, 3])], note: 'zero-size' },
        { args: [domain(g, [3, 4], { transposed: true })], note: 'non-contiguous' },
        { args: [domain(g, [2, 1, 3])], note: '3-d' },
        ...(o.variants ?? []).map((rest) => ({ args: [domain(g, [2, 3]), ...rest], note: 'options' })),
        { args: [f64(o.special, false)], note: 'special values' },
        ...(o.variants ?? []).map((rest) => ({ args: [f64(o.special, false), ...rest], note: 'special values with options' })),
      ];
      if (o.saturated) s.push({ args: [f64(o.saturated)], note: 'saturated values keep finite gradients' });
      return s;
    },
    errors: () => {
      const g = gen(`F.${name}`);
      return [
        ...notTensor(name, (b) => [b]),
        { note: 'int32 input', args: [i32([1, 2])], throws: new RegExp(`^${name}: expected a floating-point input, got dtype int32`), type: DTypeError },
        ...(o.errors?.(g) ?? []),
      ];
    },
  };
}

const HARDTANH_VALUES = [-1.6, -0.7, -0.2, 0.3, 0.8, 1.4, 2.5];

const activations: OpRecord[] = [
  act('leakyRelu', F.leakyRelu, ref.leakyRelu, {
    domain: awayFromZero, variants: [[0.2], [-0.5]],
    special: [0, -0, -INF, INF, NAN, -3, 3],
    errors: (g) => [{ note: 'a string slope', args: [g.randn([2]), 'a'], throws: /^leakyRelu: negativeSlope must be a number, got 'a'/, type: ArgumentError }],
  }),
  act('elu', F.elu, ref.elu, {
    domain: awayFromZero, variants: [[0.5], [2]],
    special: [0, -0, -INF, INF, NAN, -800, 800, -40],
    saturated: [-50, 50, 800, -800],
    errors: (g) => [{ note: 'infinite alpha', args: [g.randn([2]), INF], throws: /^elu: alpha must be finite, got Infinity/, type: ValueError }],
  }),
  act('selu', F.selu, ref.selu, {
    domain: awayFromZero,
    special: [0, -0, -INF, INF, NAN, -800, 800],
    saturated: [-50, 50, 800, -800],
  }),
  act('gelu', F.gelu, ref.gelu, {
    variants: [[{ approximate: 'tanh' }], [{ approximate: 'none' }]],
    special: [0, -0, -INF, INF, NAN, -40, -10, -4, -1e-8, 1e-8, 4, 10, 40, 1e200],
    saturated: [-30, -8, 8, 30],
    errors: (g) => [
      { note: "approximate 'erf'", args: [g.randn([2]), { approximate: 'erf' }], throws: /^gelu: approximate must be 'none' or 'tanh', got 'erf'/, type: ValueError },
      { note: 'unknown option', args: [g.randn([2]), { approx: 'tanh' }], throws: /^gelu: unknown option 'approx' \(expected approximate\)/, type: ArgumentError },
      { note: 'approximate not a string', args: [g.randn([2]), { approximate: true }], throws: /^gelu: approximate must be 'none' or 'tanh', got a boolean/, type: ArgumentError },
    ],
  }),
  act('softplus', F.softplus, ref.softplus, {
    // |βx − threshold| stays far above the finite-difference step, so no sample sits on the switch
    variants: [[{ beta: 2 }], [{ beta: 2, threshold: 1 }], [{ threshold: 0.5 }], [{ beta: -1.5 }], [{ beta: 0.5, threshold: 0 }]],
    special: [0, -0, -INF, INF, NAN, -800, 800, 20, 20.5, 19.5, -20],
    saturated: [-800, -40, 25, 800],
    errors: (g) => [
      { note: 'beta 0', args: [g.randn([2]), { beta: 0 }], throws: /^softplus: beta must not be 0/, type: ValueError },
      { note: 'threshold NaN', args: [g.randn([2]), { threshold: NAN }], throws: /^softplus: threshold must be finite, got NaN/, type: ValueError },
      { note: 'unknown option', args: [g.randn([2]), { betta: 2 }], throws: /^softplus: unknown option 'betta' \(expected beta, threshold\); did you mean 'beta'\?$/, type: ArgumentError },
      { note: 'beta not a number', args: [g.randn([2]), { beta: '2' }], throws: /^softplus: beta must be a number, got '2'/, type: ArgumentError },
    ],
  }),
  act('silu', F.silu, ref.silu, {
    special: [0, -0, -INF, INF, NAN, -800, 800, -40],
    saturated: [-700, -40, 40, 700],
  }),
  act('logSigmoid', F.logSigmoid, ref.logSigmoid, {
    special: [0, -0, -INF, INF, NAN, -1000, 1000, -40, 40],
    saturated: [-1000, -40, 40, 1000],
  }),
  act('hardtanh', F.hardtanh, ref.hardtanh, {
    // values at least 0.1 from 0 and from the bounds ±1, 0 and 2 used here
    domain: (_g, s, o) => build(s, (i) => HARDTANH_VALUES[(i * 3) % 7] + 0.01 * (i % 5), o),
    variants: [[0, 2], [-0.5, 0.5]],
    special: [-1, 1, 0, -INF, INF, NAN, 2, -2],
    errors: (g) => [{ note: 'minVal above maxVal', args: [g.randn([2]), 1, -1], throws: /^hardtanh: minVal \(1\) must not exceed maxVal \(-1\)/, type: ValueError },
      { note: 'maxVal not a number', args: [g.randn([2]), -1, '1'], throws: /^hardtanh: maxVal must be a number, got '1'/, type: ArgumentError }],
  }),
];

// ---------------------------------------------------------------------------------------------------------
// Normalization

/** Running statistics: a mean and a positive variance of C channels, not requiring grad. */
function running(g: G, C: number): [Tensor, Tensor] {
  return [g.randn([C], { rg: false }), g.uniform([C], 0.5, 2, { rg: false })];
}

const C3 = (g: G) => ({ weight: g.uniform([3], 0.5, 1.5), bias: g.randn([3]) });

const batchNorm: OpRecord = {
  name: 'F.batchNorm', fn: F.batchNorm, reference: ref.batchNorm, differentiable: true, twiceDifferentiable: true,
  noScalarSample: 'batchNorm needs an input [N, C, *] of at least 2 dims (an error case shows it)',
  samples: () => {
    const g = gen('F.batchNorm');
    return [
      { args: [g.randn([4, 3]), ...running(g, 3), { ...C3(g), training: true }], note: 'train [N, C] with weight and bias' },
      { args: [g.randn([3, 3, 2]), ...running(g, 3), { ...C3(g), training: true, momentum: 0.3 }], note: 'train [N, C, L]' },
      { args: [g.randn([2, 3, 2, 2]), ...running(g, 3), { ...C3(g), training: true, eps: 1e-3 }], note: 'train [N, C, H, W]' },
      { args: [g.randn([4, 2]), null, null, { training: true }], note: 'train without running statistics or affine' },
      { args: [g.randn([1, 3, 3]), ...running(g, 3), { weight: g.uniform([3], 0.5, 1.5), training: true }], note: 'train, batch of 1 with 3 positions, weight only' },
      { args: [g.randn([4, 3], { transposed: true }), ...running(g, 3), { ...C3(g), training: true }], note: 'train, non-contiguous input' },
      { args: [g.randn([4, 3]), ...running(g, 3), C3(g)], note: 'eval [N, C]' },
      { args: [g.randn([2, 3, 2]), ...running(g, 3), { bias: g.randn([3]), training: false }], note: 'eval [N, C, L], bias only' },
      { args: [g.randn([2, 3, 2, 2]), ...running(g, 3), { ...C3(g), eps: 0.1 }], note: 'eval [N, C, H, W]' },
      { args: [g.randn([3, 4], { transposed: true }), ...running(g, 4)], note: 'eval, non-contiguous, no affine' },
      { args: [g.randn([0, 3]), ...running(g, 3), { ...C3(g), training: true }], note: 'train, zero-size batch' },
      { args: [g.randn([0, 3, 2]), ...running(g, 3), C3(g)], note: 'eval, zero-size batch' },
    ];
  },
  errors: () => {
    const g = gen('F.batchNorm');
    const [rm, rv] = running(g, 3);
    return [
      ...notTensor('batchNorm', (b) => [b, rm, rv]),
      { note: '0-d input', args: [g.randn([]), rm, rv], throws: /^batchNorm: expected input of shape \[N, C, \*\] with at least 2 dims, got shape \[\]/, type: ShapeError },
      { note: '1-d input', args: [g.randn([3]), rm, rv], throws: /^batchNorm: expected input .* at least 2 dims, got shape \[3\]/, type: ShapeError },
      { note: 'runningMean of the wrong size', args: [g.randn([2, 4]), rm, rv], throws: /^batchNorm: runningMean must have shape \[4\] \(C = 4 channels of the input of shape \[2, 4\]\), got \[3\]/, type: ShapeError },
      { note: 'weight of the wrong size', args: [g.randn([2, 3]), rm, rv, { weight: g.randn([2]) }], throws: /^batchNorm: weight must have shape \[3\]/, type: ShapeError },
      { note: 'float32 running stats with a float64 input', args: [g.randn([2, 3]), zeros([3]), rv], throws: /^batchNorm: runningMean has dtype float32 but the input has dtype float64/, type: DTypeError },
      { note: 'one value per channel in training', args: [g.randn([1, 3]), rm, rv, { training: true }], throws: /^batchNorm: expected more than 1 value per channel when training, got input of shape \[1, 3\]/, type: ValueError },
      { note: 'one value per channel in training, 3-d', args: [g.randn([1, 3, 1]), null, null, { training: true }], throws: /^batchNorm: expected more than 1 value per channel/, type: ValueError },
      { note: 'eval without running statistics', args: [g.randn([2, 3]), null, null], throws: /^batchNorm: runningMean and runningVar must be given when training is false/, type: ArgumentError },
      { note: 'int32 input', args: [i32([[1, 2, 3]]), rm, rv], throws: /^batchNorm: expected a floating-point input, got dtype int32/, type: DTypeError },
      { note: 'training not a boolean', args: [g.randn([2, 3]), rm, rv, { training: 1 }], throws: /^batchNorm: training must be a boolean, got 1/, type: ArgumentError },
      { note: 'negative eps', args: [g.randn([2, 3]), rm, rv, { eps: -1 }], throws: /^batchNorm: eps must be a finite number ≥ 0, got -1/, type: ValueError },
      { note: 'null momentum (the module resolves it)', args: [g.randn([2, 3]), rm, rv, { momentum: null }], throws: /^batchNorm: momentum must be a finite number, got null/, type: ArgumentError },
      { note: 'unknown option', args: [g.randn([2, 3]), rm, rv, { train: true }], throws: /^batchNorm: unknown option 'train' \(expected weight, bias, training, momentum, eps\)/, type: ArgumentError },
      { note: 'momentum misspelled', args: [g.randn([2, 3]), rm, rv, { momentun: 0.1 }], throws: /^batchNorm: unknown option 'momentun' \(expected weight, bias, training, momentum, eps\); did you mean 'momentum'\?$/, type: ArgumentError },
      { note: 'infinite momentum', args: [g.randn([2, 3]), rm, rv, { momentum: INF }], throws: /^batchNorm: momentum must be a finite number, got Infinity/, type: ValueError },
      { note: 'channels of the input and the running statistics differ', args: [g.randn([2, 3, 4]), ...running(g, 4)], throws: /^batchNorm: runningMean must have shape \[3\] \(C = 3 channels of the input of shape \[2, 3, 4\]\), got \[4\]/, type: ShapeError },
      { note: 'bias of another dtype', args: [g.randn([2, 3]), rm, rv, { bias: zeros([3]) }], throws: /^batchNorm: bias has dtype float32 but the input has dtype float64; they must match/, type: DTypeError },
      { note: 'runningVar not a tensor', args: [g.randn([2, 3]), rm, [1, 1, 1]], throws: /^batchNorm: expected runningVar to be a Tensor or null, got an array/, type: ArgumentError },
    ];
  },
};

const layerNorm: OpRecord = {
  name: 'F.layerNorm', fn: F.layerNorm, reference: ref.layerNorm, differentiable: true, twiceDifferentiable: true,
  noScalarSample: 'layerNorm normalizes over trailing dims that a 0-d input does not have (an error case shows it)',
  samples: () => {
    const g = gen('F.layerNorm');
    return [
      { args: [g.randn([2, 3]), [3]], note: 'one trailing dim, no affine' },
      { args: [g.randn([2, 4]), 4, { weight: g.uniform([4], 0.5, 1.5), bias: g.randn([4]) }], note: 'normalizedShape as a number, affine' },
      { args: [g.randn([2, 3, 4]), [3, 4], { weight: g.randn([3, 4]), bias: g.randn([3, 4]) }], note: 'two trailing dims, affine' },
      { args: [g.randn([2, 3, 2]), [3, 2]], note: 'two trailing dims, no affine' },
      { args: [g.randn([2, 2, 3]), [3], { weight: g.randn([3]), eps: 0.5 }], note: '3-d input, one dim, weight only, eps' },
      { args: [g.randn([3, 4], { transposed: true }), [4], { bias: g.randn([4]) }], note: 'non-contiguous, bias only' },
      { args: [g.randn([5]), [5]], note: '1-d input (one sample)' },
      { args: [g.randn([0, 3]), [3], { weight: g.randn([3]), bias: g.randn([3]) }], note: 'zero-size batch' },
    ];
  },
  errors: () => {
    const g = gen('F.layerNorm');
    return [
      ...notTensor('layerNorm', (b) => [b, [3]]),
      { note: '0-d input', args: [g.randn([]), [1]], throws: /^layerNorm: normalizedShape \[1\] expects input of shape \[\*, 1\], got \[\]/, type: ShapeError },
      { note: 'trailing dims differ', args: [g.randn([2, 3]), [4]], throws: /^layerNorm: normalizedShape \[4\] expects input of shape \[\*, 4\], got \[2, 3\]/, type: ShapeError },
      { note: 'more dims than the input', args: [g.randn([3]), [2, 3]], throws: /^layerNorm: normalizedShape \[2, 3\] expects input of shape \[\*, 2, 3\], got \[3\]/, type: ShapeError },
      { note: 'empty normalizedShape', args: [g.randn([2, 3]), []], throws: /^layerNorm: normalizedShape must have at least one dim/, type: ValueError },
      { note: 'normalizedShape not integers', args: [g.randn([2, 3]), [1.5]], throws: /^layerNorm: normalizedShape must be an integer or a list of integers/, type: ArgumentError },
      { note: 'weight of the wrong shape', args: [g.randn([2, 3]), [3], { weight: g.randn([1, 3]) }], throws: /^layerNorm: weight must have shape \[3\] \(normalizedShape\), got \[1, 3\]/, type: ShapeError },
      { note: 'int32 input', args: [i32([[1, 2]]), [2]], throws: /^layerNorm: expected a floating-point input/, type: DTypeError },
      { note: 'unknown option', args: [g.randn([2, 3]), [3], { elementwiseAffine: true }], throws: /^layerNorm: unknown option 'elementwiseAffine' \(expected weight, bias, eps\)/, type: ArgumentError },
      { note: 'normalizedShape a string', args: [g.randn([2, 3]), '3'], throws: /^layerNorm: normalizedShape must be an integer or a list of integers ≥ 0, got '3'/, type: ArgumentError },
      { note: 'bias of another dtype', args: [g.randn([2, 3]), [3], { bias: zeros([3]) }], throws: /^layerNorm: bias has dtype float32 but the input has dtype float64; they must match/, type: DTypeError },
      { note: 'eps misspelled', args: [g.randn([2, 3]), [3], { esp: 1e-3 }], throws: /^layerNorm: unknown option 'esp' \(expected weight, bias, eps\); did you mean 'eps'\?$/, type: ArgumentError },
    ];
  },
};

const preNorm: OpRecord = {
  name: 'F.preNorm', fn: F.preNorm, reference: ref.preNorm, differentiable: true, twiceDifferentiable: true,
  noScalarSample: 'preNorm needs a batch dim and at least one more (an error case shows it)',
  samples: () => {
    const g = gen('F.preNorm');
    return [
      { args: [g.randn([3, 4])], note: '[N, F], no affine' },
      { args: [g.randn([3, 4]), { weight: g.uniform([4], 0.5, 1.5), bias: g.randn([4]), eps: 0.1 }], note: '[N, F], per-feature affine' },
      { args: [g.randn([2, 3, 2, 2]), { weight: g.randn([3]), bias: g.randn([3]) }], note: '[N, C, H, W], per-channel affine' },
      { args: [g.randn([2, 3, 3]), { bias: g.randn([3]) }], note: '[N, C, L], bias only' },
      { args: [g.randn([4, 3], { transposed: true }), {}], note: 'non-contiguous' },
      { args: [g.randn([0, 4])], note: 'zero-size batch' },
      { args: [f64([[1, 1, 1], [0, 2, 4]])], note: 'a constant sample standardizes to 0' },
    ];
  },
  errors: () => {
    const g = gen('F.preNorm');
    return [
      ...notTensor('preNorm', (b) => [b]),
      { note: '0-d input', args: [g.randn([])], throws: /^preNorm: expected input of shape \[N, \*\] with a batch dim and at least one more, got shape \[\]/, type: ShapeError },
      { note: '1-d input', args: [g.randn([4])], throws: /^preNorm: expected input of shape \[N, \*\].*got shape \[4\]/, type: ShapeError },
      { note: 'weight per element instead of per channel', args: [g.randn([2, 3, 4]), { weight: g.randn([3, 4]) }], throws: /^preNorm: weight must have shape \[3\] \(C = 3 features in dim 1 of the input of shape \[2, 3, 4\]\), got \[3, 4\]/, type: ShapeError },
      { note: 'int32 input', args: [i32([[1, 2]])], throws: /^preNorm: expected a floating-point input/, type: DTypeError },
      { note: 'unknown option', args: [g.randn([2, 3]), { affine: true }], throws: /^preNorm: unknown option 'affine' \(expected eps, weight, bias\)/, type: ArgumentError },
      { note: 'negative eps', args: [g.randn([2, 3]), { eps: -1 }], throws: /^preNorm: eps must be a finite number ≥ 0, got -1/, type: ValueError },
      { note: 'bias of another dtype', args: [g.randn([2, 3]), { bias: zeros([3]) }], throws: /^preNorm: bias has dtype float32 but the input has dtype float64; they must match/, type: DTypeError },
    ];
  },
};

export const records: OpRecord[] = [...activations, batchNorm, layerNorm, preNorm];
