# The normalization and activation suite's ops in PyTorch (see suites/nn_norm_act.mjs).
import torch
import torch.nn as nn
import torch.nn.functional as F

def with_stats(y, rm, rv):
    return torch.cat([y.reshape(-1), rm, rv])

def bn(x, rm, rv, w, b, a):
    return F.batch_norm(x, rm, rv, w, b, training=a['training'], momentum=a.get('momentum', 0.1), eps=a.get('eps', 1e-5))

def bn1d_cumulative(x, a):
    m = nn.BatchNorm1d(x.shape[1], momentum=None).double()
    ys = [m(x * k + k).reshape(-1) for k in (1, 2, 3)]
    m.eval()
    return torch.cat(ys + [m(x).reshape(-1), m.running_mean, m.running_var])

def per_channel(t, x):
    return t.reshape([t.shape[0]] + [1] * (x.dim() - 2))

ops = {
    'leakyRelu': lambda x, a: F.leaky_relu(x, a.get('slope', 0.01)),
    'elu': lambda x, a: F.elu(x, a.get('alpha', 1.0)),
    'selu': lambda x, a: F.selu(x),
    'gelu': lambda x, a: F.gelu(x),
    'geluTanh': lambda x, a: F.gelu(x, approximate='tanh'),
    'softplus': lambda x, a: F.softplus(x, beta=a.get('beta', 1), threshold=a.get('threshold', 20)),
    'silu': lambda x, a: F.silu(x),
    'logSigmoid': lambda x, a: F.logsigmoid(x),
    'hardtanh': lambda x, a: F.hardtanh(x, a.get('min', -1.0), a.get('max', 1.0)),
    'batchNorm': lambda x, rm, rv, w, b, a: with_stats(bn(x, rm, rv, w, b, a), rm, rv),
    'batchNormPlain': lambda x, rm, rv, a: with_stats(bn(x, rm, rv, None, None, a), rm, rv),
    'batchNormNoStats': lambda x, w, b, a: bn(x, None, None, w, b, a),
    'batchNormOnly': lambda x, rm, rv, w, b, a: bn(x, rm, rv, w, b, a),
    'batchNormStatsAfter': lambda x, rm, rv, a: (bn(x, rm, rv, None, None, a), torch.cat([rm, rv]))[1],
    'batchNorm1dCumulative': bn1d_cumulative,
    'layerNorm': lambda x, a: F.layer_norm(x, a['shape'], eps=a.get('eps', 1e-5)),
    'layerNormAffine': lambda x, w, b, a: F.layer_norm(x, a['shape'], w, b, eps=a.get('eps', 1e-5)),
    'preNorm': lambda x, a: F.layer_norm(x, x.shape[1:], eps=a.get('eps', 1e-5)),
    'preNormAffine': lambda x, w, b, a: F.layer_norm(x, x.shape[1:], eps=a.get('eps', 1e-5)) * per_channel(w, x) + per_channel(b, x),
}
