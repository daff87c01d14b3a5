// Evaluates the parity cases in tapegrad and in PyTorch (float64), and compares values, dtypes and
// vector-Jacobian products (backward of out with a fixed random cotangent). Needs `npm run build` and a
// python3 with torch (Debian: apt-get install python3-torch). Usage: npm run parity
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tg from '../../dist/index.js';
import { readdirSync } from 'node:fs';

const here = fileURLToPath(new URL('.', import.meta.url));
// Every suites/NAME.mjs exports `cases` ({op, inputs, args, known?}) and `ops` (tapegrad functions of the
// inputs and args); suites/NAME.py has the same ops in PyTorch. The core suite also has the printing cases.
const suites = {};
for (const f of readdirSync(`${here}/suites`).filter((f) => f.endsWith('.mjs')).sort()) {
  suites[f.replace(/\.mjs$/, '')] = await import(`./suites/${f}`);
}
const cases = Object.entries(suites).flatMap(([suite, s]) => s.cases.map((c, k) => ({ ...c, suite, id: `${suite}:${c.op}#${k}` })));
const formatCases = suites.core.formatCases;
const toT = (spec) => tg.tensor(spec.dtype === 'bool' ? spec.data.map(Boolean) : spec.data, { dtype: spec.dtype }).reshape(spec.shape).requiresGrad_(spec.grad);

const mine = {};
for (const c of cases) {
  try {
    const ins = c.inputs.map(toT);
    const out = suites[c.suite].ops[c.op](...ins, c.args);
    const cot = tg.tensor(Array.from({ length: out.numel() }, (_, k) => Math.sin(k + 1)), { dtype: out.dtype.startsWith('float') ? out.dtype : 'float64' }).reshape(out.shape);
    let grads = ins.map(() => null);
    if (out.requiresGrad && c.args.double) {
      // second order: d/dinputs of Σ_i <∂(cot·out)/∂input_i, w_i> with w_i = cos(k + 1)
      const live = ins.filter((t) => t.requiresGrad);
      const g1 = tg.grad(out, live, { gradOutputs: cot, createGraph: true });
      const s = g1.map((g) => g.mul(tg.tensor(Array.from({ length: g.numel() }, (_, k) => Math.cos(k + 1)), { dtype: g.dtype }).reshape(g.shape)).sum()).reduce((a, b) => a.add(b));
      const g2 = tg.grad(s, live, { allowUnused: true });
      grads = ins.map((t) => (t.requiresGrad ? Array.from(g2[live.indexOf(t)].toTypedArray()) : null));
    } else if (out.requiresGrad) {
      out.backward(cot);
      grads = ins.map((t) => (t.requiresGrad ? Array.from(t.grad.toTypedArray()) : null));
    }
    mine[c.id] = { shape: [...out.shape], dtype: out.dtype, values: Array.from(out.toTypedArray()), grads };
  } catch (e) {
    mine[c.id] = { error: String(e.message ?? e) };
  }
}

const py = process.env.PYTHON ?? '/usr/bin/python3';
const theirs = JSON.parse(execFileSync(py, [`${here}/torch_ref.py`], { input: JSON.stringify({ cases, formatCases }, (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)), maxBuffer: 1 << 28 }).toString());

// float64 agrees to rounding; float32 cases are held to float32 precision
// float64 must agree to rounding; float32 gets the tolerances of torch.testing.assert_close (rtol 1.3e-6,
// atol 1e-5), since sums that cancel legitimately differ by a few ulps of their terms between summation orders
const TOL = { float64: { rtol: 1e-7, atol: 1e-9 }, float32: { rtol: 1.3e-6, atol: 1e-5 } };
const close = (a, b, { rtol, atol }) => (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= atol + rtol * Math.abs(b);
const num = (v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : v);
const torchDtype = { float64: 'float64', float32: 'float32', int64: 'int32', int32: 'int32', bool: 'bool' };
let bad = 0, known = 0;
for (const c of cases) {
  const m = mine[c.id], t = theirs[c.id];
  const problems = [];
  if (m.error || t.error) {
    if (!(m.error && t.error)) problems.push(`error: tapegrad ${m.error ?? 'ok'} | torch ${t.error ?? 'ok'}`);
  } else {
    if (JSON.stringify(m.shape) !== JSON.stringify(t.shape)) problems.push(`shape ${JSON.stringify(m.shape)} vs ${JSON.stringify(t.shape)}`);
    if (m.dtype !== torchDtype[t.dtype]) problems.push(`dtype ${m.dtype} vs ${t.dtype}`);
    const tv = t.values.map(num);
    const tol = m.dtype === 'float32' ? TOL.float32 : TOL.float64;
    if (m.values.length !== tv.length || m.values.some((v, k) => !close(v, tv[k], tol))) problems.push(`values ${JSON.stringify(m.values)} vs ${JSON.stringify(tv)}`);
    m.grads.forEach((g, i) => {
      const tg2 = t.grads[i]?.map(num) ?? null;
      if ((g === null) !== (tg2 === null)) problems.push(`grad ${i} presence ${g !== null} vs ${tg2 !== null}`);
      else if (g && (g.length !== tg2.length || g.some((v, k) => !close(v, tg2[k], tol)))) problems.push(`grad ${i} ${JSON.stringify(g)} vs ${JSON.stringify(tg2)}`);
    });
  }
  if (!problems.length && c.known) console.log(`stale known difference ${c.id}: it matches now`);
  if (problems.length && c.known) {
    known++;
    console.log(`known difference ${c.id}: ${c.known}`);
  } else if (problems.length) {
    bad++;
    console.log(`MISMATCH ${c.id} ${JSON.stringify(c.args)}\n  ${problems.join('\n  ')}`);
  }
}
formatCases.forEach(([shape, data], k) => {
  const m = tg.tensor(data).reshape(shape).toString(), t = theirs.__format__[k];
  if (m !== t) {
    bad++;
    console.log(`MISMATCH format #${k}\n  torch:    ${t}\n  tapegrad: ${m}`);
  }
});
console.log(`parity: ${cases.length - bad - known} of ${cases.length} cases and ${formatCases.length} printing cases, checked against PyTorch ${theirs.__version__}; ${known} known differences; ${bad} mismatches`);
process.exitCode = bad ? 1 : 0;
