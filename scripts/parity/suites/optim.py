# The optimizers suite's ops in PyTorch (see suites/optim.mjs).
import torch

NAMES = {'weightDecay': 'weight_decay', 'lrDecay': 'lr_decay', 'initialAccumulatorValue': 'initial_accumulator_value'}

def kw(opts):
    return {NAMES.get(k, k): (tuple(v) if isinstance(v, list) else v) for k, v in opts.items()}

def train(a0, b0, k, c, args):
    a, b = a0.clone().requires_grad_(True), b0.clone().requires_grad_(True)
    groups = [{'params': [a]}, {'params': [b], **kw(args['groupB'])}] if args.get('groupB') else [a, b]
    opts = kw(args['opts'])
    if args['optimizer'] == 'SGD':
        opts.setdefault('lr', 1e-3)  # required in torch 1.13; tapegrad's default is 1e-3, as torch 2's
    opt = getattr(torch.optim, args['optimizer'])(groups, **opts)
    for _ in range(args.get('steps', 10)):
        opt.zero_grad(set_to_none=True)
        (((a - c) ** 2 * k).sum() + b.sin().sum() + a.sum() * b.sum() * 0.1).backward()
        opt.step()
    return torch.cat([a.detach().reshape(-1), b.detach().reshape(-1)])

ops = {'train': train}
