# The lbfgs suite's ops in PyTorch (see suites/lbfgs.mjs).
import re
import torch


def rosenbrock(ps):
    p = ps[0]
    x, y = p.narrow(0, 0, 1), p.narrow(0, 1, 1)
    return ((1 - x) ** 2 + (y - x ** 2) ** 2 * 100).sum()


objectives = {
    'rosenbrock': rosenbrock,
    'quadratic': lambda ps, A, b: (ps[0] @ (A @ ps[0])) * 0.5 - b @ ps[0],
    'quadraticUnused': lambda ps, A, b: (ps[0] @ (A @ ps[0])) * 0.5 - b @ ps[0],
    'softmaxRegression': lambda ps, X, Y: -(Y * (X @ ps[0] + ps[1]).log_softmax(1)).sum() / X.shape[0] + (ps[0] ** 2).sum() * 0.01,
}


def snake(k):
    return re.sub(r'([A-Z])', lambda m: '_' + m.group(1).lower(), k)


def lbfgs(*xs):
    a, xs = xs[-1], xs[:-1]
    params = [t.detach().clone().requires_grad_(True) for t in xs[:a['nParams']]]
    data = xs[a['nParams']:]
    kw = {snake(k): ('strong_wolfe' if v == 'strongWolfe' else v) for k, v in a['opts'].items()}
    opt = torch.optim.LBFGS(params, **kw)

    def closure():
        opt.zero_grad()
        loss = objectives[a['f']](params, *data)
        loss.backward()
        return loss

    losses = [float(opt.step(closure)) for _ in range(a['steps'])]
    s = opt.state[params[0]]
    return torch.cat([*(p.detach().reshape(-1) for p in params), torch.tensor(losses + [s['func_evals'], s['n_iter']], dtype=params[0].dtype)])


ops = {'lbfgs': lbfgs}
