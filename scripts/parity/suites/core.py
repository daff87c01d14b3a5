# The core suite's ops in PyTorch (see suites/core.mjs).
import torch

def d(a):
    return None if a.get('dim') is None else (tuple(a['dim']) if isinstance(a['dim'], list) else a['dim'])

def red(f, x, a, **kw):
    return f(x, **kw) if d(a) is None else f(x, d(a), keepdim=a['keepdim'], **kw)

ops = {
    'add': lambda x, y, a: x + y, 'sub': lambda x, y, a: x - y, 'mul': lambda x, y, a: x * y, 'div': lambda x, y, a: x / y,
    'maximum': lambda x, y, a: torch.maximum(x, y), 'minimum': lambda x, y, a: torch.minimum(x, y), 'pow': lambda x, y, a: x ** y,
    'powScalar': lambda x, a: x ** a['exponent'],
    'neg': lambda x, a: -x, 'exp': lambda x, a: x.exp(), 'tanh': lambda x, a: x.tanh(), 'sigmoid': lambda x, a: x.sigmoid(),
    'sin': lambda x, a: x.sin(), 'cos': lambda x, a: x.cos(), 'expm1': lambda x, a: x.expm1(), 'abs': lambda x, a: x.abs(),
    'sign': lambda x, a: x.sign(), 'relu': lambda x, a: x.relu(), 'log': lambda x, a: x.log(), 'sqrt': lambda x, a: x.sqrt(),
    'rsqrt': lambda x, a: x.rsqrt(), 'log1p': lambda x, a: x.log1p(),
    'clamp': lambda x, a: x.clamp(a.get('min'), a.get('max')), 'where': lambda c, x, y, a: torch.where(c, x, y),
    'gt': lambda x, y, a: x > y, 'ge': lambda x, y, a: x >= y, 'lt': lambda x, y, a: x < y, 'le': lambda x, y, a: x <= y,
    'eq': lambda x, y, a: x == y, 'ne': lambda x, y, a: x != y,
    'sum': lambda x, a: red(torch.sum, x, a), 'mean': lambda x, a: red(torch.mean, x, a),
    'prod': lambda x, a: (x.prod(a['dim'][1], keepdim=a['keepdim']).prod(a['dim'][0], keepdim=a['keepdim']) if isinstance(a['dim'], list) else red(torch.prod, x, a)),
    'logsumexp': lambda x, a: torch.logsumexp(x, d(a) if d(a) is not None else tuple(range(x.dim())), keepdim=a['keepdim']),
    'amax': lambda x, a: torch.amax(x, d(a), keepdim=a['keepdim']), 'amin': lambda x, a: torch.amin(x, d(a), keepdim=a['keepdim']),
    'maxAll': lambda x, a: x.max(), 'minAll': lambda x, a: x.min(),
    'maxDim': lambda x, a: x.max(a['dim'], keepdim=a['keepdim']).values, 'minDim': lambda x, a: x.min(a['dim'], keepdim=a['keepdim']).values,
    'argmax': lambda x, a: x.argmax(d(a), keepdim=a['keepdim']), 'argmin': lambda x, a: x.argmin(d(a), keepdim=a['keepdim']),
    'var': lambda x, a: torch.var(x, d(a), keepdim=a['keepdim'], correction=a['correction']),
    'std': lambda x, a: torch.std(x, d(a), keepdim=a['keepdim'], correction=a['correction']),
    'softmax': lambda x, a: x.softmax(a['dim']), 'logSoftmax': lambda x, a: x.log_softmax(a['dim']),
    'matmul': lambda x, y, a: x @ y, 'gather': lambda x, i, a: x.gather(a['dim'], i),
    'scatterAdd': lambda x, i, s, a: x.scatter_add(a['dim'], i, s), 'indexSelect': lambda x, i, a: x.index_select(a['dim'], i),
    'narrow': lambda x, a: x.narrow(a['dim'], a['start'], a['length']),
    'pad': lambda x, a: torch.nn.functional.pad(x, a['pads'], value=a['value']),
    'cat': lambda x, y, a: torch.cat([x, y], a['dim']), 'stack': lambda x, y, a: torch.stack([x, y], a['dim']),
    'transposeReshape': lambda x, a: x.transpose(0, 2).reshape(a['shape']), 'expandSum': lambda x, a: (x.expand(a['shape']) * x).sum(0),
    'unfold2d': lambda x, a: torch.nn.functional.unfold(x, a['kernel'], dilation=a['dilation'], padding=a['padding'], stride=a['stride']),
    'fold2d': lambda x, a: torch.nn.functional.fold(x, a['output'], a['kernel'], dilation=a['dilation'], padding=a['padding'], stride=a['stride']),
    'clampT': lambda x, lo, hi, a: torch.clamp(x, lo, hi), 'divInt': lambda x, y, a: x / y, 'addIntFloatScalar': lambda x, a: x + a['scalar'], 'mulF32F64zerodim': lambda x, y, a: x * y,
    'sumBool': lambda x, a: x.sum(),
    'linspace': lambda a: torch.linspace(a['start'], a['end'], a['steps'], dtype=torch.float64),
    'arange': lambda a: torch.arange(a['start'], a['end'], a['step'], dtype=torch.float64),
}
