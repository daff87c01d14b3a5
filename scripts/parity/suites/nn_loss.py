# The nn_loss suite's ops in PyTorch (see suites/nn_loss.mjs).
import torch
import torch.nn.functional as F

def red(a):
    return a.get('reduction', 'mean')

def ce(a):
    return dict(reduction=red(a), ignore_index=int(a.get('ii', -100)), label_smoothing=a.get('ls', 0.0))

ops = {
    'mse': lambda x, t, a: F.mse_loss(x, t, reduction=red(a)),
    'l1': lambda x, t, a: F.l1_loss(x, t, reduction=red(a)),
    'huber': lambda x, t, a: F.huber_loss(x, t, reduction=red(a), delta=a.get('delta', 1.0)),
    'smoothL1': lambda x, t, a: F.smooth_l1_loss(x, t, reduction=red(a), beta=a.get('beta', 1.0)),
    'bce': lambda x, t, a: F.binary_cross_entropy(x, t, reduction=red(a)),
    'bceW': lambda x, t, w, a: F.binary_cross_entropy(x, t, weight=w, reduction=red(a)),
    'bcel': lambda x, t, a: F.binary_cross_entropy_with_logits(x, t, reduction=red(a)),
    'bcelW': lambda x, t, w, a: F.binary_cross_entropy_with_logits(x, t, weight=w, reduction=red(a)),
    'bcelP': lambda x, t, p, a: F.binary_cross_entropy_with_logits(x, t, pos_weight=p, reduction=red(a)),
    'bcelWP': lambda x, t, w, p, a: F.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=p, reduction=red(a)),
    'ce': lambda x, t, a: F.cross_entropy(x, t, **ce(a)),
    'ceW': lambda x, t, w, a: F.cross_entropy(x, t, weight=w, **ce(a)),
    'nll': lambda x, t, a: F.nll_loss(x, t, reduction=red(a), ignore_index=int(a.get('ii', -100))),
    'nllW': lambda x, t, w, a: F.nll_loss(x, t, weight=w, reduction=red(a), ignore_index=int(a.get('ii', -100))),
    'kl': lambda x, t, a: F.kl_div(x, t, reduction=red(a), log_target=a.get('logt', False)),
    'oneHot': lambda i, a: F.one_hot(i, int(a.get('nc', -1))),
}
