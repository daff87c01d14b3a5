// nn.init: in-place initializers with PyTorch's formulas, drawing from the seeded generator.
import type { Tensor } from '../tensor/tensor.js';
import { shapeStr } from '../tensor/shape.js';
import type { Generator } from '../tensor/random.js';
import { noGrad } from '../autograd/grad-mode.js';
import { checkOptions, checkTensorArg, describeValue, leadingOption } from '../utils/args.js';
import { ArgumentError, ShapeError, ValueError } from '../errors.js';

/** Draw from this generator instead of the global one seeded by `manualSeed`. */
export interface InitOptions {
  generator?: Generator;
}

/** The nonlinearities `calculateGain` knows (PyTorch's names in camelCase; PyTorch's own spellings are accepted too). */
export type Nonlinearity =
  | 'linear' | 'identity' | 'conv1d' | 'conv2d' | 'conv3d' | 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d'
  | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'leaky_relu' | 'selu';

/** Fan mode of the Kaiming initializers: preserve the variance of the forward pass (fanIn) or the backward (fanOut). */
export type FanMode = 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';

/**
 * The recommended gain for a nonlinearity (PyTorch's table): 1 for linear, conv and sigmoid, 5/3 for tanh,
 * √2 for relu, √(2 / (1 + slope²)) for leakyRelu (slope `param`, default 0.01), 3/4 for selu.
 *
 * @example
 * ```ts
 * nn.init.calculateGain('relu'); // 1.4142
 * nn.init.calculateGain('tanh'); // 1.6667
 * nn.init.calculateGain('leakyRelu', Math.sqrt(5)); // 0.5774
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number {
  switch (nonlinearity) {
    case 'linear': case 'identity': case 'conv1d': case 'conv2d': case 'conv3d':
    case 'convTranspose1d': case 'convTranspose2d': case 'convTranspose3d': case 'sigmoid':
    case 'conv_transpose1d': case 'conv_transpose2d': case 'conv_transpose3d':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new (typeof slope === 'number' ? ValueError : ArgumentError)(`calculateGain: the negative slope param must be a finite number, got ${describeValue(slope)}`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new (typeof nonlinearity === 'string' ? ValueError : ArgumentError)(`calculateGain: unsupported nonlinearity ${describeValue(nonlinearity)} (expected linear, identity, conv1d, conv2d, conv3d, convTranspose1d, convTranspose2d, convTranspose3d, sigmoid, tanh, relu, leakyRelu or selu)`);
  }
}

/**
 * Fan-in and fan-out of a weight of shape [out, in, ...kernel]: in·∏kernel and out·∏kernel.
 *
 * @example
 * ```ts
 * nn.init.calculateFanInAndFanOut(zeros([16, 6, 5, 5])); // [150, 400]
 * ```
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  checkTensorArg('calculateFanInAndFanOut', t);
  if (t.ndim < 2) {
    throw new ShapeError(`calculateFanInAndFanOut: fan in and fan out can not be computed for a tensor with fewer than 2 dims, got shape ${shapeStr(t.shape)}`);
  }
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

function fanOf(op: string, t: Tensor, mode: FanMode): number {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  if (mode === 'fanIn' || mode === 'fan_in') return fanIn;
  if (mode === 'fanOut' || mode === 'fan_out') return fanOut;
  throw new (typeof mode === 'string' ? ValueError : ArgumentError)(`${op}: mode must be 'fanIn' or 'fanOut', got ${describeValue(mode)}`);
}

/**
 * Fills `t` with uniform samples in [a, b), in place.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const w = nn.init.uniform_(zeros([2, 3]), -1, 1);
 * w.abs().max().item() < 1; // true
 * ```
 */
export function uniform_(t: Tensor, a = 0, b = 1, opts: InitOptions = {}): Tensor {
  checkTensorArg('uniform_', t);
  checkOptions('uniform_', opts, ['generator']);
  return noGrad(() => t.uniform_(a, b, opts));
}

/**
 * Fills `t` with normal samples of mean `mean` and standard deviation `std`, in place.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * nn.init.normal_(zeros([1000]), 0, 0.01).std().item() < 0.02; // true
 * ```
 */
export function normal_(t: Tensor, mean = 0, std = 1, opts: InitOptions = {}): Tensor {
  checkTensorArg('normal_', t);
  checkOptions('normal_', opts, ['generator']);
  return noGrad(() => t.normal_(mean, std, opts));
}

/**
 * Fills `t` with `value`, in place.
 *
 * @example
 * ```ts
 * nn.init.constant_(zeros([2]), 0.5).toArray(); // [0.5, 0.5]
 * ```
 */
export function constant_(t: Tensor, value: number): Tensor {
  checkTensorArg('constant_', t);
  return noGrad(() => t.fill_(value));
}

/**
 * Fills `t` with ones, in place.
 *
 * @example
 * ```ts
 * nn.init.ones_(zeros([2])).toArray(); // [1, 1]
 * ```
 */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/**
 * Fills `t` with zeros, in place.
 *
 * @example
 * ```ts
 * nn.init.zeros_(ones([2])).toArray(); // [0, 0]
 * ```
 */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/**
 * Xavier (Glorot) uniform: U(-a, a) with a = gain·√(6 / (fanIn + fanOut)). The gain may be passed alone, as
 * PyTorch's positional argument.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const w = nn.init.xavierUniform_(zeros([20, 30]));
 * w.abs().max().item() <= Math.sqrt(6 / 50); // true
 * ```
 */
export function xavierUniform_(t: Tensor, gainOrOpts: number | (InitOptions & { gain?: number }) = {}): Tensor {
  const opts = leadingOption<InitOptions & { gain?: number }>(gainOrOpts, 'gain');
  checkTensorArg('xavierUniform_', t);
  checkOptions('xavierUniform_', opts, ['gain', 'generator']);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const a = (opts.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -a, a, { generator: opts.generator });
}

/**
 * Xavier (Glorot) normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)).
 *
 * @example
 * ```ts
 * manualSeed(0);
 * nn.init.xavierNormal_(zeros([200, 300])).std().item(); // ≈ 0.0632
 * ```
 */
export function xavierNormal_(t: Tensor, gainOrOpts: number | (InitOptions & { gain?: number }) = {}): Tensor {
  const opts = leadingOption<InitOptions & { gain?: number }>(gainOrOpts, 'gain');
  checkTensorArg('xavierNormal_', t);
  checkOptions('xavierNormal_', opts, ['gain', 'generator']);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, (opts.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), { generator: opts.generator });
}

/** Options of the Kaiming (He) initializers. */
export interface KaimingOptions extends InitOptions {
  /** The negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** Default 'fanIn'. */
  mode?: FanMode;
  /** Default 'leakyRelu' (with slope `a`, so a = 0 is ReLU). */
  nonlinearity?: Nonlinearity;
}

const KAIMING_KEYS = ['a', 'mode', 'nonlinearity', 'generator'] as const;

/** std = gain / √fan of the Kaiming initializers (null for a tensor with no elements, which is left as is). */
function kaimingStd(op: string, t: Tensor, opts: KaimingOptions): number | null {
  checkTensorArg(op, t);
  checkOptions(op, opts, KAIMING_KEYS);
  if (t.numel() === 0) return null;
  const fan = fanOf(op, t, opts.mode ?? 'fanIn');
  return calculateGain(opts.nonlinearity ?? 'leakyRelu', opts.a ?? 0) / Math.sqrt(fan);
}

/**
 * Kaiming (He) uniform: U(-b, b) with b = gain·√(3 / fan). Linear and Conv layers start from this with
 * `a = √5`, which gives b = 1/√fanIn. `a` may be passed alone, as PyTorch's positional argument.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const w = nn.init.kaimingUniform_(zeros([10, 784]), { a: Math.sqrt(5) });
 * w.abs().max().item() <= 1 / 28; // true
 * ```
 */
export function kaimingUniform_(t: Tensor, aOrOpts: number | KaimingOptions = {}): Tensor {
  const opts = leadingOption<KaimingOptions>(aOrOpts, 'a');
  const std = kaimingStd('kaimingUniform_', t, opts);
  if (std === null) return t;
  const bound = Math.sqrt(3) * std;
  return uniform_(t, -bound, bound, { generator: opts.generator });
}

/**
 * Kaiming (He) normal: N(0, std²) with std = gain / √fan.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * nn.init.kaimingNormal_(zeros([256, 512]), { nonlinearity: 'relu' }).std().item(); // ≈ 0.0625
 * ```
 */
export function kaimingNormal_(t: Tensor, aOrOpts: number | KaimingOptions = {}): Tensor {
  const opts = leadingOption<KaimingOptions>(aOrOpts, 'a');
  const std = kaimingStd('kaimingNormal_', t, opts);
  if (std === null) return t;
  return normal_(t, 0, std, { generator: opts.generator });
}
