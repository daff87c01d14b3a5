# Evaluates the parity cases (JSON on stdin) with PyTorch in float64 and prints values and gradients as JSON.
import importlib.util, json, math, os, sys
import torch

spec = json.load(sys.stdin)
cases = spec['cases']
dt = {'float64': torch.float64, 'float32': torch.float32, 'int32': torch.int64, 'bool': torch.bool}
# run.mjs sends non-finite numbers as the strings 'Infinity', '-Infinity' and 'NaN'; other strings are options
num = lambda v: float(v) if v in ('Infinity', '-Infinity', 'NaN') else v

def tens(s):
    data = [num(v) for v in s['data']]
    t = torch.tensor(data, dtype=dt[s['dtype']]).reshape(s['shape'])
    return t.requires_grad_(s['grad'])


def enc(v):
    return str(v) if isinstance(v, float) and not math.isfinite(v) else v

here = os.path.dirname(os.path.abspath(__file__))
suites = {}
for name in sorted({c['suite'] for c in cases}):
    loader = importlib.util.spec_from_file_location(name, os.path.join(here, 'suites', name + '.py'))
    mod = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(mod)
    suites[name] = mod.ops

res = {'__version__': torch.__version__}
for c in cases:
    try:
        ins = [tens(s) for s in c['inputs']]
        args = {k: (num(v) if not isinstance(v, list) else v) for k, v in c['args'].items()}
        out = suites[c['suite']][c['op']](*ins, args)
        grads = [None] * len(ins)
        if out.requires_grad:
            n = out.numel()
            cot = torch.tensor([math.sin(k + 1) for k in range(n)], dtype=out.dtype).reshape(out.shape)
        if out.requires_grad and args.get('double'):
            live = [t for t in ins if t.requires_grad]
            g1 = torch.autograd.grad(out, live, cot, create_graph=True)
            s = sum((g * torch.tensor([math.cos(k + 1) for k in range(g.numel())], dtype=g.dtype).reshape(g.shape)).sum() for g in g1)
            g2 = torch.autograd.grad(s, live, allow_unused=True)
            g2 = [torch.zeros_like(t) if g is None else g for g, t in zip(g2, live)]
            pos = {id(t): k for k, t in enumerate(live)}
            grads = [[enc(v) for v in g2[pos[id(t)]].reshape(-1).tolist()] if t.requires_grad else None for t in ins]
        elif out.requires_grad:
            out.backward(cot)
            grads = [[enc(v) for v in t.grad.reshape(-1).tolist()] if t.requires_grad else None for t in ins]
        vals = out.detach().reshape(-1).tolist()
        res[c['id']] = {'shape': list(out.shape), 'dtype': str(out.dtype).replace('torch.', ''), 'values': [enc(float(v)) for v in vals], 'grads': grads}
    except Exception as e:
        res[c['id']] = {'error': str(e)}
res['__format__'] = [repr(torch.tensor([num(v) for v in data], dtype=torch.float32).reshape(shape)) for shape, data in spec['formatCases']]
print(json.dumps(res))
