// accuracy and confusionMatrix against hand-computed values for every kind of output (class scores, per-position
// scores, binary outputs with a threshold, predicted labels) and target (indices, one-hot, probabilities, 0/1),
// and the errors for mismatched shapes, wrong dtypes and labels out of range.
import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, tensor, zeros, createGenerator, randn, randint, type NestedArray } from '../../src/index.js';

const int = (v: NestedArray) => tensor(v, { dtype: 'int32' });

// argmax of each row: 0, 1, 0, 2, 1, 2
const logits = tensor([[2, 1, 0], [0, 3, 1], [1, 0, 0.5], [0, 0, 2], [0.2, 0.9, 0.1], [-1, -2, 0]]);
const labels = int([0, 1, 2, 2, 0, 2]);

describe('accuracy', () => {
  it('class scores [N, C] against int32 labels: the argmax over dim 1', () => {
    expect(accuracy(logits, labels)).toBe(4 / 6);
    expect(accuracy(logits, int([0, 1, 0, 2, 1, 2]))).toBe(1);
    expect(accuracy(logits, int([1, 0, 1, 0, 0, 0]))).toBe(0);
  });

  it('one-hot and probability targets of the output shape: their argmax is the class', () => {
    const oneHot = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1], [1, 0, 0], [0, 0, 1]]);
    expect(accuracy(logits, oneHot)).toBe(4 / 6);
    const probs = tensor([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6], [0, 0.1, 0.9], [0.5, 0.4, 0.1], [0.3, 0.3, 0.4]]);
    expect(accuracy(logits, probs)).toBe(4 / 6);
  });

  it('per-position scores [N, C, L] against labels [N, L]', () => {
    // sample 0: positions predict 1, 0; sample 1: 0, 0
    const out = tensor([[[0, 5], [1, 2]], [[3, 3.5], [0, 1]]]);
    expect(accuracy(out, int([[1, 0], [0, 1]]))).toBe(3 / 4);
  });

  it('binary outputs [N] or [N, 1] with the threshold (0.5 by default), targets rounded at 0.5', () => {
    const p = tensor([0.9, 0.2, 0.6, 0.4, 0.5]);
    expect(accuracy(p, tensor([1, 0, 0, 0, 1]))).toBe(3 / 5);   // 0.5 is not above 0.5
    expect(accuracy(p.unsqueeze(1), tensor([[1], [0], [0], [0], [1]]))).toBe(3 / 5);
    expect(accuracy(p, int([1, 0, 0, 0, 1]))).toBe(3 / 5);
    expect(accuracy(p, tensor([true, false, false, false, true]))).toBe(3 / 5);
    expect(accuracy(p, tensor([0.8, 0.1, 0.3, 0.2, 0.9]))).toBe(3 / 5);
    expect(accuracy(tensor([1.5, -2, 0.1, -0.1]), tensor([1, 0, 0, 0]), { threshold: 0 })).toBe(3 / 4);
    expect(accuracy(tensor([1.5, -2, 0.1, -0.1]), tensor([1, 0, 0, 0]))).toBe(1);
  });

  it('predicted labels (int32 or bool) against labels of the same shape', () => {
    expect(accuracy(int([0, 2, 1, 1]), int([0, 2, 2, 1]))).toBe(3 / 4);
    expect(accuracy(tensor([true, false]), int([1, 1]))).toBe(1 / 2);
  });

  it('agrees with argmax(output, 1).eq(target).mean() on random logits', () => {
    const g = createGenerator(3);
    const out = randn([50, 7], { generator: g });
    const y = randint(0, 7, [50], { generator: g });
    expect(accuracy(out, y)).toBe(out.argmax(1).eq(y).to('float64').mean().item());
  });

  it('an empty batch gives NaN', () => {
    expect(accuracy(zeros([0, 3]), zeros([0], { dtype: 'int32' }))).toBeNaN();
  });

  it('refuses mismatched shapes, float class indices, labels out of range, non-tensors', () => {
    expect(() => accuracy(logits, int([0, 1, 2]))).toThrow(RangeError);
    expect(() => accuracy(logits, int([0, 1, 2]))).toThrow(/accuracy: output of shape \[6, 3\] \(float32\) and target of shape \[3\] \(int32\) do not match/);
    expect(() => accuracy(logits, tensor([[0, 1, 2, 2, 0, 2]]).to('int32'))).toThrow(RangeError);
    expect(() => accuracy(logits, tensor([0, 1, 2, 2, 0, 2]))).toThrow(/class index targets must be int32, got float32/);
    expect(() => accuracy(logits, int([0, 1, 3, 2, 0, 2]))).toThrow(/target label 3 is out of range for 3 classes/);
    expect(() => accuracy(logits, int([0, -1, 2, 2, 0, 2]))).toThrow(RangeError);
    expect(() => accuracy(tensor([0.1, 0.9]), tensor([1, 0, 1]))).toThrow(/binary outputs \[N\] or \[N, 1\]/);
    expect(() => accuracy(tensor([[0.1], [0.9]]), tensor([[1, 0], [0, 1]]))).toThrow(RangeError);
    expect(() => accuracy(int([1, 2]), int([1, 2, 3]))).toThrow(RangeError);
    expect(() => accuracy(int([1, 2]), tensor([1, 2]))).toThrow(TypeError);
    expect(() => accuracy(tensor(1), tensor(1))).toThrow(/0-d/);
    expect(() => accuracy([1, 2] as never, labels)).toThrow(/accuracy: expected output to be a Tensor, got an array/);
    expect(() => accuracy(logits, null as never)).toThrow(TypeError);
    expect(() => accuracy(logits, labels, { threshold: NaN })).toThrow(RangeError);
    expect(() => accuracy(logits, labels, { treshold: 0 } as never)).toThrow(/unknown option 'treshold'/);
  });
});

describe('confusionMatrix', () => {
  it('rows are true classes, columns predicted (sklearn), int32 [C, C]', () => {
    // true → predicted: 0→0, 1→1, 2→0, 2→2, 0→1, 2→2
    const cm = confusionMatrix(logits, labels);
    expect(cm.dtype).toBe('int32');
    expect(cm.shape).toEqual([3, 3]);
    expect(cm.toArray()).toEqual([[1, 1, 0], [0, 1, 0], [1, 0, 2]]);
  });

  it('its trace over N is the accuracy; its row sums count the classes', () => {
    const g = createGenerator(5);
    const out = randn([40, 4], { generator: g });
    const y = randint(0, 4, [40], { generator: g });
    const cm = confusionMatrix(out, y).toArray() as number[][];
    const trace = cm.reduce((s, row, i) => s + row[i], 0);
    expect(trace / 40).toBe(accuracy(out, y));
    const counts = [0, 1, 2, 3].map((c) => (y.toArray() as number[]).filter((v) => v === c).length);
    expect(cm.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(counts);
  });

  it('one-hot targets, binary outputs, and predicted labels', () => {
    const oneHot = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1], [1, 0, 0], [0, 0, 1]]);
    expect(confusionMatrix(logits, oneHot).toArray()).toEqual([[1, 1, 0], [0, 1, 0], [1, 0, 2]]);
    // binary: predicted 1, 0, 1, 0, 0 against 1, 0, 0, 0, 1
    expect(confusionMatrix(tensor([0.9, 0.2, 0.6, 0.4, 0.5]), tensor([1, 0, 0, 0, 1])).toArray()).toEqual([[2, 1], [1, 1]]);
    // labels: C is the largest label + 1, or numClasses
    expect(confusionMatrix(int([0, 1, 1]), int([0, 1, 0])).toArray()).toEqual([[1, 1], [0, 1]]);
    expect(confusionMatrix(int([0, 1, 1]), int([0, 1, 0]), 3).toArray()).toEqual([[1, 1, 0], [0, 1, 0], [0, 0, 0]]);
    expect(confusionMatrix(logits, labels, 4).toArray()).toEqual([[1, 1, 0, 0], [0, 1, 0, 0], [1, 0, 2, 0], [0, 0, 0, 0]]);
    expect(confusionMatrix(int([]), int([])).shape).toEqual([0, 0]);
  });

  it('refuses numClasses below the output classes or the labels, and bad numClasses', () => {
    expect(() => confusionMatrix(logits, labels, 2)).toThrow(/numClasses is 2 but the output has 3 classes/);
    expect(() => confusionMatrix(int([0, 3]), int([0, 1]), 3)).toThrow(/predicted label 3 is out of range for 3 classes/);
    expect(() => confusionMatrix(int([0, 1]), int([0, 5]), 3)).toThrow(/target label 5 is out of range/);
    expect(() => confusionMatrix(int([0, -1]), int([0, 1]))).toThrow(RangeError);
    expect(() => confusionMatrix(logits, labels, 0)).toThrow(RangeError);
    expect(() => confusionMatrix(logits, labels, 2.5)).toThrow(RangeError);
    expect(() => confusionMatrix(logits, labels, '3' as never)).toThrow(TypeError);
    expect(() => confusionMatrix(logits, int([1, 2]))).toThrow(/confusionMatrix: output of shape \[6, 3\]/);
  });
});
