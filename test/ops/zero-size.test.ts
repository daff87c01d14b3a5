// Zero-size tensors through every op of the registry (test/registry.ts), on each backend.
//
// For every record, each sample's arguments give zero-size variants: one dim of one tensor set to 0, and the
// matching dim of every other tensor that had the same size there (aligned from the right, as broadcasting
// aligns, and in a second variant from the left, as a loss's target aligns with its input's batch dims), so
// that relations between the arguments mostly survive. A variant is judged by three things:
//   - the witness: the same variant with 7 in place of each 0, run on the reference backend. If the op takes
//     it, the arguments are consistent and only the zero size is new;
//   - the registry's plain-loop reference (test/reference.ts, test/reference-nn), which handles zero sizes
//     (empty loops, sums of 0, means of NaN) but does not validate its arguments;
//   - RULES below: the zero sizes PyTorch refuses although a plain loop gives something (a max over an empty
//     dim, a convolution or pooling with an empty non-batch dim, an index into an empty dim, …).
// Then, on each backend:
//   - a rule applies: the op throws a typed error (isTapegradError) whose message names the op and the empty
//     dim (the words zero/empty, or a shape with a 0);
//   - the witness goes through: the op returns the reference's result (shape, dtype, values; NaN matches NaN);
//   - the witness is refused (the zeroing broke a relation, e.g. matmul's inner dims): the op throws a typed
//     error, or returns what the reference gives (a relation that holds at 0 only, e.g. [0, 3] viewed as [3, 0]).
// When the op returns a result that requires grad, backward through it works: every input that requires grad
// gets a gradient of its own shape and dtype (zero-size for a zero-size input), all 0 when every output is
// empty. Every record must yield variants, and the test checks that every record was covered.
import { describe, expect, it } from 'vitest';
import { Tensor, zeros, isTapegradError, withBackend, referenceBackend } from '../../src/index.js';
import { registry, tensorSlots, mapTensors, combine, callSample, describeArg, valueDifference, onBackends, type OpRecord, type Sample } from '../registry.js';
import { toArr, numelOf, type Arr } from '../reference.js';

// ---------------------------------------------------------------------------------------------------------
// Variants

interface Variant {
  sample: Sample;
  args: unknown[];
  /** The same arguments with 7 in place of every zeroed size (see the header). */
  witness: unknown[];
  /** What was zeroed: `tensor i dim d` and the alignment. */
  what: string;
  /** The shapes of the tensors after zeroing, in slot order. */
  shapes: number[][];
}

const WITNESS = 7;

/** A tensor like `t` (dtype, requiresGrad) of shape `shape`: `t` itself when the shape is unchanged. */
function reshaped(t: Tensor, shape: number[]): Tensor {
  if (shape.join() === t.shape.join()) return t;
  return zeros(shape, { dtype: t.dtype, requiresGrad: t.requiresGrad && t.gradFn === null });
}

/** The zero-size variants of a sample (deduplicated by the resulting shapes). */
function variantsOf(s: Sample): Variant[] {
  const { tensors, rebuild } = tensorSlots(s.args);
  const seen = new Set<string>();
  const out: Variant[] = [];
  tensors.forEach((t, i) => {
    for (let d = 0; d < t.ndim; d++) {
      const size = t.shape[d];
      if (size === 0) continue;
      for (const align of ['right', 'left'] as const) {
        // the dim of tensor u matching dim d of t under this alignment, if it has the same size (a broadcast 1 stays 1)
        const match = (u: Tensor): number => {
          const e = align === 'right' ? u.ndim - (t.ndim - d) : d;
          return e >= 0 && e < u.ndim && u.shape[e] === size && size !== 1 ? e : -1;
        };
        const zeroed = tensors.map((u, j) => (j === i ? d : match(u)));
        const shapes = tensors.map((u, j) => u.shape.map((n, e) => (e === zeroed[j] ? 0 : n)));
        const key = JSON.stringify(shapes);
        if (seen.has(key)) continue;
        seen.add(key);
        const wshapes = tensors.map((u, j) => u.shape.map((n, e) => (e === zeroed[j] ? WITNESS : n)));
        out.push({
          sample: s,
          args: rebuild(tensors.map((u, j) => reshaped(u, shapes[j]))),
          witness: rebuild(tensors.map((u, j) => reshaped(u, wshapes[j]))),
          what: `tensor ${i} dim ${d} (${align}-aligned)`,
          shapes,
        });
      }
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Rules: the zero sizes PyTorch refuses although a plain loop would give something. Each gives the reason, or
// null when the variant must work.

type Rule = (v: Variant) => string | null;

const shapeOf = (v: Variant, k: number) => v.shapes[k];
/** A dim argument resolved against `ndim` (a 0-d tensor takes dims 0 and -1). */
const resolve = (d: number, ndim: number) => (d < 0 ? d + Math.max(ndim, 1) : d);

/** max, min, argmax, argmin have no identity: reducing over an empty dim is an error (PyTorch: IndexError). */
const noEmptyReduction: Rule = (v) => {
  const shape = shapeOf(v, 0);
  const dim = v.args[1] as number | number[] | null | undefined;
  const ds = dim === undefined || dim === null || (Array.isArray(dim) && dim.length === 0) ? shape.map((_, i) => i) : (Array.isArray(dim) ? dim : [dim]).map((d) => resolve(d, shape.length));
  return ds.some((d) => shape[d] === 0) || (shape.length > 0 && numelOf(shape) === 0 && (dim === undefined || dim === null)) ? 'a reduction without identity over an empty dim' : null;
};

/** Pooling: only the batch may be empty (PyTorch: "tensor with optional 0 dim batch size"). */
const onlyBatchEmpty = (spatial: 1 | 2): Rule => (v) => {
  const x = shapeOf(v, 0);
  const rest = x.length === spatial + 2 ? x.slice(1) : x;
  return rest.includes(0) ? 'an empty channel or spatial dim' : null;
};

/**
 * Convolution: an empty batch, or no channels (in or out; PyTorch accepts them since pytorch/pytorch#66256), work.
 * An empty kernel is refused (one of the registry's error cases), and so is an empty spatial dim of the input
 * that the (dilated) kernel does not fit once padded (PyTorch: "Kernel size can't be greater than actual input
 * size").
 */
const convSpatial = (spatial: 1 | 2): Rule => (v) => {
  const x = shapeOf(v, 0), w = shapeOf(v, 1);
  const sp = x.slice(x.length === spatial + 2 ? 2 : 1);
  const k = w.slice(2);
  if (k.includes(0)) return 'an empty kernel';
  const o = (v.args[3] ?? {}) as { padding?: number | number[] | string; dilation?: number | number[] };
  const per = (a: number | number[] | undefined, i: number, dflt: number) => (a === undefined ? dflt : Array.isArray(a) ? a[i] : a);
  for (let i = 0; i < spatial; i++) {
    if (sp[i] !== 0) continue;
    const span = per(o.dilation, i, 1) * (k[i] - 1) + 1;
    const padded = o.padding === 'same' ? span - 1 : o.padding === 'valid' ? 0 : 2 * per(o.padding as number | number[] | undefined, i, 0);
    if (padded < span) return 'an empty spatial dim the kernel does not fit';
  }
  return null;
};

/**
 * unfold: PyTorch's im2col takes an empty batch only ("with possibly 0 batch size and other non-zero
 * dimensions"): no channels or an empty spatial dim are refused.
 */
const onlyBatchEmptyUnfold: Rule = (v) => (shapeOf(v, 0).slice(1).includes(0) ? 'an empty channel or spatial dim' : null);

/** fold: PyTorch's col2im takes an empty batch only ("with possibly 0 batch size and non-zero dimensions"). */
const onlyBatchEmptyFold: Rule = (v) => (shapeOf(v, 0).slice(1).includes(0) ? 'an empty channel or window dim' : null);

/** gather and scatterAdd's index must fit (PyTorch's rule), and a non-empty index cannot point into an empty dim. */
const indexFits = (op: 'indexSelect' | 'gather' | 'scatterAdd'): Rule => (v) => {
  // tensor slots: the input (self), the index, and scatterAdd's src
  const x = shapeOf(v, 0), index = shapeOf(v, 1);
  const d = resolve(v.args[1] as number, x.length);
  if (x.length > 0 && x[d] === 0 && numelOf(index) > 0) return 'an index into an empty dim';
  if (op === 'gather' && index.length === x.length && index.some((n, e) => e !== d && n > x[e])) return 'an index larger than the input outside dim';
  if (op === 'scatterAdd') {
    const src = shapeOf(v, 2);
    if (index.length === src.length && index.some((n, e) => n > src[e])) return 'an index larger than src';
    if (index.length === x.length && index.some((n, e) => e !== d && n > x[e])) return 'an index larger than self outside dim';
  }
  return null;
};

/**
 * pad: negative pads crop with narrow before anything is padded (PyTorch's constant_pad_nd), so the crops of a dim
 * together cannot exceed its size (an empty dim cannot be cropped at all), even when the padding on the other side
 * would make up for them.
 */
const padCrop: Rule = (v) => {
  const x = shapeOf(v, 0), pads = v.args[1] as number[];
  for (let i = 0; 2 * i + 1 < pads.length; i++) {
    const d = x.length - 1 - i;
    if (d >= 0 && Math.max(0, -pads[2 * i]) + Math.max(0, -pads[2 * i + 1]) > x[d]) return 'a crop larger than the dim';
  }
  return null;
};

/** narrow: start and length must fit in the (now empty) dim. */
const narrowFits: Rule = (v) => {
  const x = shapeOf(v, 0);
  const [dim, start, length] = v.args.slice(1, 4) as number[];
  const size = x[resolve(dim, x.length)];
  if (size !== 0) return null;
  const s = start < 0 ? start + size : start;
  return s >= 0 && length >= 0 && s + length <= size ? null : 'start and length outside an empty dim';
};

/** The class-index losses: with no classes, any target that is not ignored is out of range. */
const classIndexTargets: Rule = (v) => {
  const x = shapeOf(v, 0);
  const target = v.args[1] as Tensor;
  if (target.dtype !== 'int32' || x.length === 0) return null;
  const C = x.length === 1 ? x[0] : x[1];
  const ignore = ((v.args[2] as { ignoreIndex?: number } | undefined)?.ignoreIndex) ?? -100;
  return C === 0 && Array.from(target.toTypedArray()).some((t) => t !== ignore) ? 'a class index with no classes' : null;
};

/** oneHot cannot infer the number of classes from an empty tensor. */
const oneHotInfers: Rule = (v) => {
  const n = v.args[1] as number | undefined;
  return (n === undefined || n === -1) && numelOf(shapeOf(v, 0)) === 0 ? 'inferring numClasses from an empty tensor' : null;
};

const RULES: Record<string, Rule> = {
  max: noEmptyReduction,
  min: noEmptyReduction,
  argmax: noEmptyReduction,
  argmin: noEmptyReduction,
  'F.conv1d': convSpatial(1),
  'F.conv2d': convSpatial(2),
  'F.maxPool1d': onlyBatchEmpty(1),
  'F.maxPool2d': onlyBatchEmpty(2),
  'F.avgPool1d': onlyBatchEmpty(1),
  'F.avgPool2d': onlyBatchEmpty(2),
  unfold: onlyBatchEmptyUnfold,
  fold: onlyBatchEmptyFold,
  indexSelect: indexFits('indexSelect'),
  gather: indexFits('gather'),
  scatterAdd: indexFits('scatterAdd'),
  pad: padCrop,
  narrow: narrowFits,
  'F.crossEntropy': classIndexTargets,
  'F.nllLoss': classIndexTargets,
  'F.oneHot': oneHotInfers,
};

// ---------------------------------------------------------------------------------------------------------
// Checks

const describeError = (e: unknown) => (e instanceof Error ? `${e.constructor.name}: ${e.message.split('\n')[0]}` : String(e));

/** Tolerances against the reference: relative and absolute alike. */
const TOL = { float32: { rtol: 1e-5, atol: 1e-5 }, float64: { rtol: 1e-10, atol: 1e-10 } };

/** The reference's result, or null when it throws or gives a shape no tensor has (it does not validate). */
function referenceOf(rec: OpRecord, v: Variant): Arr[] | null {
  try {
    const r = rec.reference(...mapTensors(v.args, toArr));
    const rs = Array.isArray(r) ? r : [r];
    const valid = rs.every((a) => a.shape.every((d) => Number.isInteger(d) && d >= 0) && a.data.length === numelOf(a.shape));
    return valid ? rs : null;
  } catch {
    return null;
  }
}

/** Whether the op takes the witness (7 for each 0) on the reference backend. */
function witnessWorks(rec: OpRecord, v: Variant): boolean {
  try {
    withBackend(referenceBackend, () => callSample(rec, v.sample, v.witness));
    return true;
  } catch {
    return false;
  }
}

/**
 * A message that names the op and what is empty: the words zero or empty, "0 classes" and the like, a shape with
 * a 0 in it, or (convolution) the kernel that does not fit the padded input.
 */
const clear = (rec: OpRecord, msg: string) =>
  msg.startsWith(`${rec.name.replace(/^F\./, '')}: `)
  && (/zero|empty|\b0 (classes|channels|elements)\b|more than the padded input size/i.test(msg) || /\[(?:[^\]]*, )?0(?:, [^\]]*)?\]/.test(msg));

/** Problems with one variant on the current backend (empty when it behaves). */
function checkVariant(rec: OpRecord, v: Variant): string[] {
  const problems: string[] = [];
  const title = `${v.what} → (${v.args.map(describeArg).join(', ')})`;
  const refuse = RULES[rec.name]?.(v) ?? null;
  const witness = witnessWorks(rec, v);
  const expected = referenceOf(rec, v);

  let out: Tensor | Tensor[];
  try {
    out = callSample(rec, v.sample, v.args);
  } catch (e) {
    if (!isTapegradError(e)) problems.push(`${title}: not a typed error: ${describeError(e)}`);
    else if (refuse && witness && !clear(rec, (e as Error).message)) problems.push(`${title}: refused (${refuse}), but the message does not name the op and the empty dim: ${describeError(e)}`);
    else if (!refuse && witness && expected) problems.push(`${title}: refused, but PyTorch gives shape [${expected.map((x) => x.shape.join(',')).join('; ')}]: ${describeError(e)}`);
    else if (!refuse && witness && !expected) problems.push(`${title}: refused; the reference has no result either, and no rule says PyTorch refuses: ${describeError(e)}`);
    return problems;
  }
  if (refuse) {
    problems.push(`${title}: returned, but PyTorch refuses ${refuse} (expected a typed error)`);
    return problems;
  }
  if (expected === null) {
    problems.push(`${title}: returned, but ${witness ? 'the reference has no result' : 'the arguments are inconsistent (the op refuses them with 7 for 0) and the reference has no result'}; expected a typed error`);
    return problems;
  }
  const outs = Array.isArray(out) ? out : [out];
  if (outs.length !== expected.length) {
    problems.push(`${title}: ${outs.length} outputs, expected ${expected.length}`);
    return problems;
  }
  outs.forEach((t, k) => {
    const d = valueDifference(t, expected[k], expected[k].dtype === 'float32' ? TOL.float32 : TOL.float64);
    if (d) problems.push(`${title}: output ${k}: ${d}`);
  });
  if (problems.length) return problems;

  // backward through the (possibly empty) result
  if (outs.some((t) => t.requiresGrad)) {
    const leaves = tensorSlots(v.args).tensors.filter((t) => t.requiresGrad && t.gradFn === null);
    for (const t of leaves) t.grad = null;
    try {
      const run = () => combine(out).sum().backward();
      if (v.sample.around) v.sample.around(run);
      else run();
    } catch (e) {
      problems.push(`${title}: backward throws ${describeError(e)}`);
      return problems;
    }
    const allEmpty = outs.every((t) => t.numel() === 0);
    leaves.forEach((t) => {
      const g = t.grad;
      if (g === null) return; // an input the output does not depend on
      if (g.shape.join() !== t.shape.join() || g.ndim !== t.ndim || g.dtype !== t.dtype) {
        problems.push(`${title}: gradient ${g.dtype}[${g.shape}] for input ${t.dtype}[${t.shape}]`);
      } else if (allEmpty && Array.from(g.toTypedArray()).some((x) => x !== 0)) {
        problems.push(`${title}: the output is empty, but the gradient of input ${t.dtype}[${t.shape}] is not all zeros`);
      }
      t.grad = null;
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------

const covered = new Set<string>();

onBackends((run) => describe.each(registry.map((r) => [r.name, r] as const))('%s', (_name, rec) => {
  it('works on zero-size variants of every sample as the reference says, or refuses them with a typed error', () => {
    const variants = rec.samples().flatMap(variantsOf);
    expect(variants.length, 'zero-size variants').toBeGreaterThan(0);
    const problems = run(() => variants.flatMap((v) => checkVariant(rec, v)));
    covered.add(rec.name);
    expect(problems, `${rec.name}: ${problems.length} problems in ${variants.length} zero-size variants`).toEqual([]);
  });
}));

describe('zero-size coverage', () => {
  it('every record of the registry was tested', () => {
    expect([...covered].sort()).toEqual(registry.map((r) => r.name).sort());
  });
});
