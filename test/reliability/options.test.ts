// A typo in an option name is an error, never silently ignored: every public function, constructor and method of
// nn, F, nn.init, nn.utils, optim, optim.lrScheduler, data and the training functions that takes an options
// object is called once with a misspelled key, and must throw an ArgumentError whose message names the op and
// the bad key, lists the keys it knows and, when one is close, suggests it ("did you mean 'momentum'?"). A
// coverage check makes sure every export of those namespaces is either in the table or known to take no options.
import { describe, expect, it } from 'vitest';
import {
  F, nn, optim, data, tensor, zeros, ones, randn, manualSeed, ArgumentError, isTapegradError, type Tensor,
} from '../../src/index.js';
import * as train from '../../src/train/index.js';
import { closestName, didYouMean, editDistance } from '../../src/utils/suggest.js';

manualSeed(0);

const x1 = () => randn([1, 1, 6]);
const x2 = () => randn([1, 1, 6, 6]);
const logits = () => randn([2, 3]);
const labels = () => tensor([0, 2], { dtype: 'int32' });
const probs = () => tensor([0.2, 0.7]);
const param = () => zeros([2], { requiresGrad: true });
const sgd = (o: Partial<optim.SGDOptions> = {}) => new optim.SGD([param()], { lr: 0.1, momentum: 0.9, ...o });
const dataset = () => new data.TensorDataset(randn([10, 2]), zeros([10], { dtype: 'int32' }));
const model = () => new nn.Linear(2, 3);
const batches = () => [[randn([4, 2]), tensor([0, 1, 2, 0], { dtype: 'int32' })]] as [Tensor, Tensor][];
const fitBase = () => ({ train: batches(), loss: F.crossEntropy, optimizer: new optim.SGD(model().parameters(), { lr: 0.1 }), verbose: 0 as const });

interface Row {
  /** The API, as its users reach it. */
  api: string;
  /** The op the message starts with. */
  op: string;
  /** The misspelled key. */
  bad: string;
  /** The key the message suggests, when one is close. */
  suggests?: string;
  call: () => unknown;
}

const L = optim.lrScheduler;
const never = <T>(v: T) => v as never;

const rows: Row[] = [
  // F: layers, pooling, dropout, normalization, activations, losses, and the windows of the core
  { api: 'F.conv1d', op: 'conv1d', bad: 'strde', suggests: 'stride', call: () => F.conv1d(x1(), randn([1, 1, 2]), null, never({ strde: 1 })) },
  { api: 'F.conv2d', op: 'conv2d', bad: 'group', suggests: 'groups', call: () => F.conv2d(x2(), randn([1, 1, 2, 2]), null, never({ group: 1 })) },
  { api: 'F.maxPool1d', op: 'maxPool1d', bad: 'ceil_mode', suggests: 'ceilMode', call: () => F.maxPool1d(x1(), 2, never({ ceil_mode: true })) },
  { api: 'F.maxPool2d', op: 'maxPool2d', bad: 'dilaton', suggests: 'dilation', call: () => F.maxPool2d(x2(), 2, never({ dilaton: 1 })) },
  { api: 'F.avgPool1d', op: 'avgPool1d', bad: 'count_include_pad', suggests: 'countIncludePad', call: () => F.avgPool1d(x1(), 2, never({ count_include_pad: false })) },
  { api: 'F.avgPool2d', op: 'avgPool2d', bad: 'divisor_override', suggests: 'divisorOverride', call: () => F.avgPool2d(x2(), 2, never({ divisor_override: 2 })) },
  { api: 'F.dropout', op: 'dropout', bad: 'generater', suggests: 'generator', call: () => F.dropout(randn([3]), 0.5, true, never({ generater: undefined })) },
  { api: 'F.batchNorm', op: 'batchNorm', bad: 'trainng', suggests: 'training', call: () => F.batchNorm(randn([2, 3]), zeros([3]), ones([3]), never({ trainng: true })) },
  { api: 'F.layerNorm', op: 'layerNorm', bad: 'esp', suggests: 'eps', call: () => F.layerNorm(randn([2, 3]), [3], never({ esp: 1e-3 })) },
  { api: 'F.preNorm', op: 'preNorm', bad: 'wieght', suggests: 'weight', call: () => F.preNorm(randn([2, 3]), never({ wieght: null })) },
  { api: 'F.gelu', op: 'gelu', bad: 'approximat', suggests: 'approximate', call: () => F.gelu(randn([3]), never({ approximat: 'tanh' })) },
  { api: 'F.softplus', op: 'softplus', bad: 'treshold', suggests: 'threshold', call: () => F.softplus(randn([3]), never({ treshold: 10 })) },
  { api: 'F.mseLoss', op: 'mseLoss', bad: 'reducton', suggests: 'reduction', call: () => F.mseLoss(probs(), probs(), never({ reducton: 'sum' })) },
  { api: 'F.l1Loss', op: 'l1Loss', bad: 'reduce', call: () => F.l1Loss(probs(), probs(), never({ reduce: 'sum' })) },
  { api: 'F.huberLoss', op: 'huberLoss', bad: 'detla', suggests: 'delta', call: () => F.huberLoss(probs(), probs(), never({ detla: 1 })) },
  { api: 'F.smoothL1Loss', op: 'smoothL1Loss', bad: 'bta', suggests: 'beta', call: () => F.smoothL1Loss(probs(), probs(), never({ bta: 1 })) },
  { api: 'F.binaryCrossEntropy', op: 'binaryCrossEntropy', bad: 'weights', suggests: 'weight', call: () => F.binaryCrossEntropy(probs(), probs(), never({ weights: null })) },
  { api: 'F.binaryCrossEntropyWithLogits', op: 'binaryCrossEntropyWithLogits', bad: 'pos_weight', suggests: 'posWeight', call: () => F.binaryCrossEntropyWithLogits(probs(), probs(), never({ pos_weight: null })) },
  { api: 'F.crossEntropy', op: 'crossEntropy', bad: 'ignore_index', suggests: 'ignoreIndex', call: () => F.crossEntropy(logits(), labels(), never({ ignore_index: 1 })) },
  { api: 'F.nllLoss', op: 'nllLoss', bad: 'ignoreIdx', suggests: 'ignoreIndex', call: () => F.nllLoss(logits(), labels(), never({ ignoreIdx: 1 })) },
  { api: 'F.klDiv', op: 'klDiv', bad: 'log_target', suggests: 'logTarget', call: () => F.klDiv(logits(), logits(), never({ log_target: true })) },
  { api: 'F.unfold', op: 'unfold', bad: 'strides', suggests: 'stride', call: () => F.unfold(x2(), 2, never({ strides: 2 })) },
  { api: 'F.fold', op: 'fold', bad: 'paddding', suggests: 'padding', call: () => F.fold(randn([1, 4, 9]), [4, 4], 2, never({ paddding: 0 })) },

  // nn: layers, normalization, activations and losses as modules; Module's methods that take options
  { api: 'nn.Linear', op: 'Linear', bad: 'bais', suggests: 'bias', call: () => new nn.Linear(2, 3, never({ bais: false })) },
  { api: 'nn.Conv1d', op: 'Conv1d', bad: 'padding_mode', suggests: 'paddingMode', call: () => new nn.Conv1d(1, 1, 2, never({ padding_mode: 'zeros' })) },
  { api: 'nn.Conv2d', op: 'Conv2d', bad: 'dilations', suggests: 'dilation', call: () => new nn.Conv2d(1, 1, 2, never({ dilations: 1 })) },
  { api: 'nn.MaxPool1d', op: 'MaxPool1d', bad: 'strid', suggests: 'stride', call: () => new nn.MaxPool1d(2, never({ strid: 1 })) },
  { api: 'nn.MaxPool2d', op: 'MaxPool2d', bad: 'ceilmode', suggests: 'ceilMode', call: () => new nn.MaxPool2d(2, never({ ceilmode: true })) },
  { api: 'nn.AvgPool1d', op: 'AvgPool1d', bad: 'countIncludePadding', call: () => new nn.AvgPool1d(2, never({ countIncludePadding: false })) },
  { api: 'nn.AvgPool2d', op: 'AvgPool2d', bad: 'divisor', call: () => new nn.AvgPool2d(2, never({ divisor: 2 })) },
  { api: 'nn.BatchNorm1d', op: 'BatchNorm1d', bad: 'track_running_stats', suggests: 'trackRunningStats', call: () => new nn.BatchNorm1d(3, never({ track_running_stats: false })) },
  { api: 'nn.BatchNorm2d', op: 'BatchNorm2d', bad: 'afine', suggests: 'affine', call: () => new nn.BatchNorm2d(3, never({ afine: false })) },
  { api: 'nn.LayerNorm', op: 'LayerNorm', bad: 'elementwise_affine', suggests: 'elementwiseAffine', call: () => new nn.LayerNorm(3, never({ elementwise_affine: false })) },
  { api: 'nn.PreNorm', op: 'PreNorm', bad: 'afine', suggests: 'affine', call: () => new nn.PreNorm(3, never({ afine: true })) },
  { api: 'nn.PreNorm (options alone)', op: 'PreNorm', bad: 'epsilon', call: () => new nn.PreNorm(never({ epsilon: 1e-3 })) },
  { api: 'nn.GELU', op: 'GELU', bad: 'aproximate', suggests: 'approximate', call: () => new nn.GELU(never({ aproximate: 'tanh' })) },
  { api: 'nn.Softplus', op: 'Softplus', bad: 'betta', suggests: 'beta', call: () => new nn.Softplus(never({ betta: 2 })) },
  { api: 'nn.MSELoss', op: 'MSELoss', bad: 'reduce', call: () => new nn.MSELoss(never({ reduce: 'sum' })) },
  { api: 'nn.L1Loss', op: 'L1Loss', bad: 'reductions', suggests: 'reduction', call: () => new nn.L1Loss(never({ reductions: 'sum' })) },
  { api: 'nn.HuberLoss', op: 'HuberLoss', bad: 'delt', suggests: 'delta', call: () => new nn.HuberLoss(never({ delt: 2 })) },
  { api: 'nn.SmoothL1Loss', op: 'SmoothL1Loss', bad: 'betaa', suggests: 'beta', call: () => new nn.SmoothL1Loss(never({ betaa: 2 })) },
  { api: 'nn.BCELoss', op: 'BCELoss', bad: 'weights', suggests: 'weight', call: () => new nn.BCELoss(never({ weights: null })) },
  { api: 'nn.BCEWithLogitsLoss', op: 'BCEWithLogitsLoss', bad: 'posweight', suggests: 'posWeight', call: () => new nn.BCEWithLogitsLoss(never({ posweight: null })) },
  { api: 'nn.CrossEntropyLoss', op: 'CrossEntropyLoss', bad: 'label_smoothing', suggests: 'labelSmoothing', call: () => new nn.CrossEntropyLoss(never({ label_smoothing: 0.1 })) },
  { api: 'nn.NLLLoss', op: 'NLLLoss', bad: 'ignore_index', suggests: 'ignoreIndex', call: () => new nn.NLLLoss(never({ ignore_index: 1 })) },
  { api: 'nn.KLDivLoss', op: 'KLDivLoss', bad: 'logtarget', suggests: 'logTarget', call: () => new nn.KLDivLoss(never({ logtarget: true })) },
  { api: 'nn.Module.loadStateDict', op: 'loadStateDict', bad: 'strickt', suggests: 'strict', call: () => model().loadStateDict(model().stateDict(), never({ strickt: false })) },
  { api: 'nn.Module.zeroGrad', op: 'Linear.zeroGrad', bad: 'setToNull', suggests: 'setToNone', call: () => model().zeroGrad(never({ setToNull: true })) },

  // nn.init and nn.utils
  { api: 'nn.init.uniform_', op: 'uniform_', bad: 'generater', suggests: 'generator', call: () => nn.init.uniform_(zeros([2, 2]), 0, 1, never({ generater: undefined })) },
  { api: 'nn.init.normal_', op: 'normal_', bad: 'gen', call: () => nn.init.normal_(zeros([2, 2]), 0, 1, never({ gen: undefined })) },
  { api: 'nn.init.xavierUniform_', op: 'xavierUniform_', bad: 'gian', suggests: 'gain', call: () => nn.init.xavierUniform_(zeros([2, 2]), never({ gian: 1 })) },
  { api: 'nn.init.xavierNormal_', op: 'xavierNormal_', bad: 'gains', suggests: 'gain', call: () => nn.init.xavierNormal_(zeros([2, 2]), never({ gains: 1 })) },
  { api: 'nn.init.kaimingUniform_', op: 'kaimingUniform_', bad: 'mdoe', suggests: 'mode', call: () => nn.init.kaimingUniform_(zeros([2, 2]), never({ mdoe: 'fanIn' })) },
  { api: 'nn.init.kaimingNormal_', op: 'kaimingNormal_', bad: 'nonLinearity', suggests: 'nonlinearity', call: () => nn.init.kaimingNormal_(zeros([2, 2]), never({ nonLinearity: 'relu' })) },
  { api: 'nn.utils.clipGradNorm_', op: 'clipGradNorm_', bad: 'errorIfNonFinite', suggests: 'errorIfNonfinite', call: () => nn.utils.clipGradNorm_([param()], 1, 2, never({ errorIfNonFinite: true })) },

  // optim: the optimizers, their parameter groups and methods, early stopping, the schedulers
  { api: 'optim.SGD', op: 'SGD', bad: 'momentun', suggests: 'momentum', call: () => new optim.SGD([param()], never({ lr: 0.1, momentun: 0.9 })) },
  { api: 'optim.SGD (parameter group)', op: 'SGD', bad: 'nestrov', suggests: 'nesterov', call: () => new optim.SGD(never([{ params: [param()], nestrov: true }]), { lr: 0.1 }) },
  { api: 'optim.Adam', op: 'Adam', bad: 'beta', suggests: 'betas', call: () => new optim.Adam([param()], never({ beta: [0.9, 0.99] })) },
  { api: 'optim.AdamW', op: 'AdamW', bad: 'weight_decay', suggests: 'weightDecay', call: () => new optim.AdamW([param()], never({ weight_decay: 0.1 })) },
  { api: 'optim.RMSprop', op: 'RMSprop', bad: 'alpah', suggests: 'alpha', call: () => new optim.RMSprop([param()], never({ alpah: 0.9 })) },
  { api: 'optim.Adagrad', op: 'Adagrad', bad: 'lr_decay', suggests: 'lrDecay', call: () => new optim.Adagrad([param()], never({ lr_decay: 0.1 })) },
  { api: 'optim.LBFGS', op: 'LBFGS', bad: 'max_iter', suggests: 'maxIter', call: () => new optim.LBFGS([param()], never({ max_iter: 5 })) },
  { api: 'optim.Optimizer.addParamGroup', op: 'SGD', bad: 'lrr', suggests: 'lr', call: () => sgd().addParamGroup(never({ params: [param()], lrr: 0.01 })) },
  { api: 'optim.Optimizer.zeroGrad', op: 'SGD.zeroGrad', bad: 'set_to_none', suggests: 'setToNone', call: () => sgd().zeroGrad(never({ set_to_none: true })) },
  { api: 'optim.EarlyStopping', op: 'EarlyStopping', bad: 'patiance', suggests: 'patience', call: () => new optim.EarlyStopping(never({ patiance: 3 })) },
  { api: 'optim.lrScheduler.StepLR', op: 'StepLR', bad: 'gama', suggests: 'gamma', call: () => new L.StepLR(sgd(), never({ stepSize: 2, gama: 0.5 })) },
  { api: 'optim.lrScheduler.MultiStepLR', op: 'MultiStepLR', bad: 'milestone', suggests: 'milestones', call: () => new L.MultiStepLR(sgd(), never({ milestone: [2] })) },
  { api: 'optim.lrScheduler.ExponentialLR', op: 'ExponentialLR', bad: 'last_epoch', suggests: 'lastEpoch', call: () => new L.ExponentialLR(sgd(), never({ gamma: 0.9, last_epoch: -1 })) },
  { api: 'optim.lrScheduler.CosineAnnealingLR', op: 'CosineAnnealingLR', bad: 'eta_min', suggests: 'etaMin', call: () => new L.CosineAnnealingLR(sgd(), never({ TMax: 2, eta_min: 0 })) },
  { api: 'optim.lrScheduler.LinearLR', op: 'LinearLR', bad: 'startfactor', suggests: 'startFactor', call: () => new L.LinearLR(sgd(), never({ startfactor: 0.5 })) },
  { api: 'optim.lrScheduler.LambdaLR', op: 'LambdaLR', bad: 'lastepoch', suggests: 'lastEpoch', call: () => new L.LambdaLR(sgd(), never({ lrLambda: () => 1, lastepoch: -1 })) },
  { api: 'optim.lrScheduler.OneCycleLR', op: 'OneCycleLR', bad: 'pct_start', suggests: 'pctStart', call: () => new L.OneCycleLR(sgd(), never({ maxLr: 1, totalSteps: 10, pct_start: 0.3 })) },
  { api: 'optim.lrScheduler.ReduceLROnPlateau', op: 'ReduceLROnPlateau', bad: 'cooldonw', suggests: 'cooldown', call: () => new L.ReduceLROnPlateau(sgd(), never({ cooldonw: 1 })) },

  // data
  { api: 'data.loadMNIST', op: 'loadMNIST', bad: 'spilt', suggests: 'split', call: () => data.loadMNIST(never({ spilt: 'test' })) },
  { api: 'data.loadFashionMNIST', op: 'loadFashionMNIST', bad: 'donwload', suggests: 'download', call: () => data.loadFashionMNIST(never({ donwload: true })) },
  { api: 'data.makeDisk', op: 'makeDisk', bad: 'sed', suggests: 'seed', call: () => data.makeDisk(10, never({ sed: 1 })) },
  { api: 'data.makeMoons', op: 'makeMoons', bad: 'noize', suggests: 'noise', call: () => data.makeMoons(10, never({ noize: 0.1 })) },
  { api: 'data.makeBlobs', op: 'makeBlobs', bad: 'center', suggests: 'centers', call: () => data.makeBlobs(10, never({ center: 3 })) },
  { api: 'data.makeSpirals', op: 'makeSpirals', bad: 'turn', suggests: 'turns', call: () => data.makeSpirals(10, never({ turn: 2 })) },
  { api: 'data.randomSplit', op: 'randomSplit', bad: 'sead', suggests: 'seed', call: () => data.randomSplit(dataset(), [5, 5], never({ sead: 1 })) },
  { api: 'data.DataLoader', op: 'DataLoader', bad: 'batch_size', suggests: 'batchSize', call: () => new data.DataLoader(dataset(), never({ batch_size: 2 })) },
  { api: 'data.randomAffine', op: 'randomAffine', bad: 'translte', suggests: 'translate', call: () => data.randomAffine(x2(), never({ degrees: 10, translte: [0.1, 0.1] })) },
  { api: 'data.addNoise', op: 'addNoise', bad: 'clmap', suggests: 'clamp', call: () => data.addNoise(x2(), never({ mode: 'gaussian', std: 0.1, clmap: true })) },

  // training
  { api: 'fit', op: 'fit', bad: 'epocs', suggests: 'epochs', call: () => train.fit(model(), never({ ...fitBase(), epocs: 2 })) },
  { api: 'fit (callback hook)', op: 'fit', bad: 'onEpochEnds', suggests: 'onEpochEnd', call: () => train.fit(model(), { ...fitBase(), callbacks: [never({ onEpochEnds: () => false })] }) },
  { api: 'evaluate', op: 'evaluate', bad: 'metric', suggests: 'metrics', call: () => train.evaluate(model(), batches(), never({ metric: ['accuracy'] })) },
  { api: 'accuracy', op: 'accuracy', bad: 'treshold', suggests: 'threshold', call: () => train.accuracy(logits(), labels(), never({ treshold: 0.5 })) },
  { api: 'ProgressLogger', op: 'ProgressLogger', bad: 'verbos', suggests: 'verbose', call: () => new train.ProgressLogger(never({ verbos: 0 })) },
];

/** What `call` throws (or its promise rejects with), or null. */
async function thrown(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  return null;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a misspelled option is an ArgumentError naming the op and the key', () => {
  it.each(rows.map((r) => [r.api, r] as const))('%s', async (_api, r) => {
    const e = await thrown(r.call);
    expect(e, 'did not throw').not.toBeNull();
    expect(e).toBeInstanceOf(ArgumentError);
    expect(isTapegradError(e)).toBe(true);
    const { message, op } = e as ArgumentError;
    expect(op).toBe(r.op);
    expect(message).toMatch(new RegExp(`^${escape(r.op)}: .*'${escape(r.bad)}'`));
    if (r.suggests) expect(message).toMatch(new RegExp(`did you mean '${escape(r.suggests)}'\\?$`));
    else expect(message).not.toMatch(/did you mean/);
  });
});

// Every export of these namespaces is in the table above or here, so an API added later is not forgotten.
const NO_OPTIONS: Record<string, string[]> = {
  nn: [
    'AvgPoolNd', 'BatchNormBase', 'ConvNd', 'MaxPoolNd', // abstract bases (their subclasses are above)
    'Dropout', 'ELU', 'Flatten', 'Hardtanh', 'Identity', 'IndexedModules', 'LeakyReLU', 'LogSigmoid', 'LogSoftmax',
    'Module', 'ModuleList', 'Parameter', 'ReLU', 'SELU', 'Sequential', 'SiLU', 'Sigmoid', 'Softmax', 'Tanh', 'Unflatten',
  ],
  F: ['elu', 'hardtanh', 'leakyRelu', 'linear', 'logSigmoid', 'logSoftmax', 'oneHot', 'pad', 'relu', 'selu', 'sigmoid', 'silu', 'softmax', 'tanh'],
  'nn.init': ['calculateFanInAndFanOut', 'calculateGain', 'constant_', 'ones_', 'zeros_'],
  'nn.utils': ['clipGradValue_', 'parametersToVector', 'vectorToParameters'],
  optim: ['Optimizer'], // the base (its methods are above)
  'optim.lrScheduler': ['LRScheduler'],
  data: ['Subset', 'TensorDataset', 'collate', 'compose', 'dataRoot', 'idxHeader', 'normalize', 'readIdx', 'readIdxFile', 'toBatchTransform'],
  train: ['confusionMatrix'],
};

const NAMESPACES: Record<string, object> = {
  nn, F, 'nn.init': nn.init, 'nn.utils': nn.utils, optim, 'optim.lrScheduler': optim.lrScheduler, data, train,
};

describe('the table covers every options-taking export', () => {
  const tested = new Set(rows.map((r) => r.api.replace(/ \(.*\)$/, '')));
  it.each(Object.entries(NAMESPACES))('%s', (name, ns) => {
    const prefix = name === 'train' ? '' : `${name}.`;
    const exported = Object.entries(ns).filter(([, v]) => typeof v === 'function').map(([k]) => k);
    const missing = exported.filter((k) => !tested.has(`${prefix}${k}`) && !NO_OPTIONS[name].includes(k));
    expect(missing, `exports of ${name} neither tested for option typos nor listed as taking no options`).toEqual([]);
    const stale = NO_OPTIONS[name].filter((k) => !exported.includes(k));
    expect(stale, `names listed as taking no options that ${name} does not export`).toEqual([]);
  });
});

describe('options that are not an options object', () => {
  it.each([
    ['nn.Linear', 'Linear', () => new nn.Linear(2, 3, never(true))],
    ['optim.SGD', 'SGD', () => new optim.SGD([param()], never(0.1))],
    ['data.DataLoader', 'DataLoader', () => new data.DataLoader(dataset(), never(4))],
    ['fit', 'fit', () => train.fit(model(), never([]))],
    ['nn.Module.zeroGrad', 'Linear.zeroGrad', () => model().zeroGrad(never(null))],
  ] as const)('%s', async (_api, op, call) => {
    const e = await thrown(call);
    expect(e).toBeInstanceOf(ArgumentError);
    expect((e as Error).message).toMatch(new RegExp(`^${escape(op)}: expected an options object, got `));
  });
});

describe('the suggestion (src/utils/suggest.ts)', () => {
  it('measures edits, a swap of neighbours counting as one', () => {
    expect(editDistance('momentun', 'momentum')).toBe(1);
    expect(editDistance('betsa', 'betas')).toBe(1);
    expect(editDistance('', 'lr')).toBe(2);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('picks the closest accepted name, ignoring case and underscores, or none', () => {
    expect(closestName('momentun', ['lr', 'momentum', 'dampening'])).toBe('momentum');
    expect(closestName('weight_decay', ['lr', 'weightDecay'])).toBe('weightDecay');
    expect(closestName('LR', ['lr', 'momentum'])).toBe('lr');
    expect(closestName('foo', ['lr', 'momentum'])).toBeNull();
    expect(closestName('reduce', ['reduction'])).toBeNull();
    expect(didYouMean('esp', ['weight', 'bias', 'eps'])).toBe("; did you mean 'eps'?");
    expect(didYouMean('xyz', ['eps'])).toBe('');
  });
});
