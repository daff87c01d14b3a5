# The nn layers suite's ops in PyTorch (see suites/nn_layers.mjs).
import warnings
import torch
import torch.nn.functional as F

warnings.filterwarnings('ignore', message="Using padding='same'")

def tup(v):
    return tuple(v) if isinstance(v, list) else v

def conv_kw(a):
    return dict(stride=tup(a.get('stride', 1)), padding=tup(a.get('padding', 0)), dilation=tup(a.get('dilation', 1)), groups=a.get('groups', 1))

def max_kw(a):
    return dict(stride=tup(a.get('stride')), padding=tup(a.get('padding', 0)), dilation=tup(a.get('dilation', 1)), ceil_mode=a.get('ceil', False))

def avg_kw(a):
    return dict(stride=tup(a.get('stride')), padding=tup(a.get('padding', 0)), ceil_mode=a.get('ceil', False), count_include_pad=a.get('cip', True))

def conv_module(x, w, b, a):
    # nn.Conv2d with a padding mode: F.pad in that mode, then a convolution without padding
    m = torch.nn.Conv2d(w.shape[1] * a.get('groups', 1), w.shape[0], tuple(w.shape[2:]), padding_mode=a['paddingMode'], **conv_kw(a))
    return m._conv_forward(x, w, b)

ops = {
    'linear': lambda x, w, b, a: F.linear(x, w, b),
    'linearNoBias': lambda x, w, a: F.linear(x, w),
    'conv1d': lambda x, w, b, a: F.conv1d(x, w, b, **conv_kw(a)),
    'conv1dNoBias': lambda x, w, a: F.conv1d(x, w, None, **conv_kw(a)),
    'conv2d': lambda x, w, b, a: F.conv2d(x, w, b, **conv_kw(a)),
    'conv2dNoBias': lambda x, w, a: F.conv2d(x, w, None, **conv_kw(a)),
    'conv2dModule': conv_module,
    'maxPool1d': lambda x, a: F.max_pool1d(x, tup(a['kernel']), **max_kw(a)),
    'maxPool2d': lambda x, a: F.max_pool2d(x, tup(a['kernel']), **max_kw(a)),
    'avgPool1d': lambda x, a: F.avg_pool1d(x, tup(a['kernel']), **avg_kw(a)),
    'avgPool2d': lambda x, a: F.avg_pool2d(x, tup(a['kernel']), divisor_override=a.get('div'), **avg_kw(a)),
    'dropout': lambda x, a: F.dropout(x, a['p'], a['training']),
}
