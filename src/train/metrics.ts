// Classification metrics on a batch of model outputs: accuracy, and the confusion matrix (rows are the true
// classes, columns the predicted ones, as sklearn's confusion_matrix).
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { sameShape, shapeStr } from '../tensor/shape.js';
import { argmax } from '../ops/reduction.js';
import { checkFinite, checkInt, checkOptions, checkTensorArg } from '../utils/args.js';
import { DTypeError, IndexError, ShapeError, ValueError } from '../errors.js';

/** The options of {@link accuracy}. */
export interface AccuracyOptions {
  /** For binary outputs ([N] or [N, 1] floats): a sample is predicted positive when its output is above this
   * (default 0.5, for probabilities; 0 for logits). */
  threshold?: number;
}

/** Predicted and true labels, flattened in the same order, and the number of classes the output implies. */
interface Labels {
  pred: Int32Array;
  truth: Int32Array;
  /** The class dim's size (scores), 2 (binary), or null (the output is labels already). */
  classes: number | null;
}

const isLabelDtype = (t: Tensor) => t.dtype === 'int32' || t.dtype === 'bool';
const toInt32 = (t: Tensor) => Int32Array.from(t.toTypedArray());

function mismatch(op: string, output: Tensor, target: Tensor, expected: string): never {
  throw new ShapeError(`${op}: output of shape ${shapeStr(output.shape)} (${output.dtype}) and target of shape ${shapeStr(target.shape)} (${target.dtype}) do not match; expected ${expected}`);
}

/**
 * Reads an output and a target as predicted and true labels. Outputs are scores [N, C, …] (C > 1: the class
 * is the argmax over dim 1), binary values [N] or [N, 1] (positive above `threshold`), or labels (int32 or
 * bool). Targets are class indices (int32) of the output's shape without the class dim, one-hot or
 * probability rows of the output's shape (the argmax over dim 1), or for binary outputs 0/1 values.
 */
function labelsOf(op: string, output: unknown, target: unknown, threshold: number): Labels {
  checkTensorArg(op, output, 'output');
  checkTensorArg(op, target, 'target');
  if (output.ndim === 0) throw new ShapeError(`${op}: expected an output with a batch dim ([N, C], [N] or [N, 1]), got a 0-d tensor`);
  if (isLabelDtype(output)) {
    if (!sameShape(output.shape, target.shape)) mismatch(op, output, target, 'a target of the same shape as predicted labels');
    if (!isLabelDtype(target)) throw new DTypeError(`${op}: predicted labels (${output.dtype}) need int32 or bool target labels, got ${target.dtype}`);
    return { pred: toInt32(output), truth: toInt32(target), classes: null };
  }
  const scores = output.ndim >= 2 && output.shape[1] > 1;
  if (!scores) {
    // binary: [N] or [N, 1] (and the same for the target)
    const n = output.shape[0];
    const flat = (t: Tensor) => t.ndim === 1 || (t.ndim === 2 && t.shape[1] === 1);
    if (!flat(output) || !flat(target) || target.shape[0] !== n) {
      mismatch(op, output, target, 'binary outputs [N] or [N, 1] with targets [N] or [N, 1]');
    }
    const out = output.toTypedArray();
    const tgt = target.toTypedArray();
    return {
      pred: Int32Array.from(out, (v) => (v > threshold ? 1 : 0)),
      truth: Int32Array.from(tgt, (v) => (v >= 0.5 ? 1 : 0)),
      classes: 2,
    };
  }
  const c = output.shape[1];
  const labelShape = output.shape.filter((_, i) => i !== 1);
  const pred = toInt32(argmax(output, 1));
  if (sameShape(target.shape, output.shape) && target.dtype !== 'int32') {
    // one-hot or probability targets
    return { pred, truth: toInt32(argmax(target, 1)), classes: c };
  }
  if (!sameShape(target.shape, labelShape)) {
    mismatch(op, output, target, `class indices of shape ${shapeStr(labelShape)} or one-hot rows of shape ${shapeStr(output.shape)}`);
  }
  if (target.dtype !== 'int32') throw new DTypeError(`${op}: class index targets must be int32, got ${target.dtype} (shape ${shapeStr(target.shape)})`);
  const truth = toInt32(target);
  checkRange(op, truth, c, 'target');
  return { pred, truth, classes: c };
}

/** Checks every label is in [0, classes). */
function checkRange(op: string, labels: Int32Array, classes: number, what: string): void {
  for (const v of labels) {
    if (v < 0 || v >= classes) throw new IndexError(`${op}: ${what} label ${v} is out of range for ${classes} classes (expected 0 to ${classes - 1})`);
  }
}

/**
 * The fraction of samples whose predicted class is the true one, as a number in [0, 1] (NaN for an empty
 * batch). The output may be:
 *
 * - class scores (logits or probabilities) [N, C] with C > 1, or [N, C, d₁, …] for per-position classes: the
 *   predicted class is the argmax over dim 1; the target is int32 class indices [N] (or [N, d₁, …]), or one-hot
 *   or probability rows of the output's shape (their argmax is the true class);
 * - binary outputs [N] or [N, 1]: positive when above `threshold` (0.5 by default; use 0 for logits), against
 *   targets [N] or [N, 1] of 0/1 values (rounded at 0.5);
 * - predicted labels (int32 or bool) of the target's shape.
 *
 * @example
 * ```ts
 * const logits = tensor([[2, 1, 0], [0, 3, 1], [1, 0, 0.5], [0, 0, 2]]);
 * accuracy(logits, tensor([0, 1, 2, 2], { dtype: 'int32' }));   // 0.75
 * accuracy(tensor([0.9, 0.2, 0.6]), tensor([1, 0, 0]));          // 0.6667
 * accuracy(tensor([1.5, -2]), tensor([1, 0]), { threshold: 0 }); // 1
 * ```
 */
export function accuracy(output: Tensor, target: Tensor, opts: AccuracyOptions = {}): number {
  const o = checkOptions('accuracy', opts, ['threshold']);
  const threshold = checkFinite('accuracy', 'threshold', o.threshold ?? 0.5);
  const { pred, truth } = labelsOf('accuracy', output, target, threshold);
  let right = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) right++;
  return right / pred.length;
}

/**
 * The confusion matrix as an int32 Tensor [C, C]: entry (i, j) counts the samples of true class i predicted
 * as class j (rows are true classes, columns predicted ones, as sklearn's `confusion_matrix`). Outputs and
 * targets are read as by {@link accuracy} (binary outputs with the threshold 0.5). The number of classes C is
 * `numClasses`, else the output's class dim (2 for binary outputs), else for predicted labels the largest
 * label plus one.
 *
 * @example
 * ```ts
 * const logits = tensor([[2, 1, 0], [0, 3, 1], [1, 0, 0.5], [0, 0, 2]]);
 * const cm = confusionMatrix(logits, tensor([0, 1, 2, 2], { dtype: 'int32' }));
 * cm.toArray();  // [[1, 0, 0], [0, 1, 0], [1, 0, 1]]
 * const pred = tensor([0, 1, 1], { dtype: 'int32' });
 * confusionMatrix(pred, tensor([0, 1, 0], { dtype: 'int32' }), 3).toArray(); // [[1, 1, 0], [0, 1, 0], [0, 0, 0]]
 * ```
 */
export function confusionMatrix(output: Tensor, target: Tensor, numClasses?: number): Tensor {
  const op = 'confusionMatrix';
  const { pred, truth, classes } = labelsOf(op, output, target, 0.5);
  let c: number;
  if (numClasses !== undefined) {
    c = checkInt(op, 'numClasses', numClasses, 1);
    if (classes !== null && classes > c) throw new ValueError(`${op}: numClasses is ${c} but the output has ${classes} classes (shape ${shapeStr(output.shape)})`);
  } else if (classes !== null) {
    c = classes;
  } else {
    c = 0;
    for (const v of pred) if (v >= c) c = v + 1;
    for (const v of truth) if (v >= c) c = v + 1;
  }
  checkRange(op, truth, c, 'target');
  checkRange(op, pred, c, 'predicted');
  const counts = new Int32Array(c * c);
  for (let i = 0; i < pred.length; i++) counts[truth[i] * c + pred[i]]++;
  return tensor(counts, { dtype: 'int32' }).reshape([c, c]);
}
