# The sched suite's ops in PyTorch (see suites/sched.mjs): torch.optim.lr_scheduler on dummy parameters.
import math, re, warnings
import torch
from torch.optim import lr_scheduler as L

warnings.filterwarnings('ignore')
FNS = {'inv': lambda e: 1 / (e + 1), 'pow': lambda e: 0.95 ** e, 'warm': lambda e: min(1, (e + 1) / 5), 'stairs': lambda e: e // 7 + 1}
SNAKE = {'TMax': 'T_max'}

def snake(k):
    return SNAKE.get(k) or re.sub('([A-Z])', lambda m: '_' + m.group(1).lower(), k)

def optimizer(a):
    groups = [{'params': [torch.zeros(1, dtype=torch.float64, requires_grad=True)], 'lr': lr} for lr in a.get('groups', [0.1])]
    kind = a.get('optimizer')
    if kind == 'adam':
        return torch.optim.Adam(groups)
    if kind == 'adagrad':
        return torch.optim.Adagrad(groups)
    return torch.optim.SGD(groups, lr=1e-3, momentum=a.get('momentum', 0))

def scheduler(opt, name, opts):
    kw = {snake(k): v for k, v in opts.items()}
    if name == 'LambdaLR':
        f = kw['lr_lambda']
        kw['lr_lambda'] = [FNS[n] for n in f] if isinstance(f, list) else FNS[f]
    if 'pct_start' in kw:
        kw['pct_start'] = float(kw['pct_start'])  # PyTorch insists on a float; JSON writes 0.0 as 0
    if name == 'ReduceLROnPlateau':
        return L.ReduceLROnPlateau(opt, **kw)
    return getattr(L, name)(opt, **kw)

def row(opt, a):
    out = []
    for g in opt.param_groups:
        out.append(g['lr'])
        if a.get('track') == 'momentum':
            out.append(g['betas'][0] if 'betas' in g else g['momentum'])
    return out

def trace(a, opt, each):
    rows = [row(opt, a)]
    for k in range(a.get('steps', 30)):
        opt.step()
        each(k)
        rows.append(row(opt, a))
    return torch.tensor(rows, dtype=torch.float64)

def sched(a):
    opt = optimizer(a)
    s = scheduler(opt, a['sched'], a['opts'])
    metrics = [float(m) for m in a['metrics']] if 'metrics' in a else None
    return trace(a, opt, lambda k: s.step(metrics[k]) if metrics else s.step())

def resume(a):
    opt = optimizer(a)
    box = [scheduler(opt, a['sched'], a['opts'])]
    def each(k):
        if k == a['at']:
            box[0] = scheduler(opt, a['sched'], {**a['opts'], 'lastEpoch': a['at']})
        else:
            box[0].step()
    return trace(a, opt, each)

def chain(a):
    opt = optimizer(a)
    ss = [scheduler(opt, name, opts) for name, opts in a['scheds']]
    return trace(a, opt, lambda k: [s.step() for s in ss])

ops = {'sched': sched, 'resume': resume, 'chain': chain}
