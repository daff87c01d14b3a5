// The workloads in TensorFlow.js (tfjs-core with the cpu or the wasm backend). As a child process of run.mjs:
//   node bench/tfjs.mjs '{"backend":"wasm","workloads":[…],"specs":{…},"timing":{…}}'
// tfjs has no NCHW convolution on these backends, so images are NHWC and filters [k, k, in, out]; the work is
// the same. Training steps use tf.variable, tf.train.adam and optimizer.minimize.
import { createRequire, register } from 'node:module';
import { dirname, join } from 'node:path';
import { childConfig, emit, isMain, runWorkloads } from './timing.mjs';
import { LR, initBound } from './workloads.mjs';

const require = createRequire(import.meta.url);
let tf;

/** Loads tfjs and selects backend `name` ('cpu' or 'wasm': SIMD, one thread, from the local package files). */
export async function init(name) {
  tf = await import('@tensorflow/tfjs-core');
  register('./tfjs-gradients.mjs', import.meta.url);
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to initialize`);
  const simd = name === 'wasm' ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : undefined;
  return { version: tf.version_core, backend: tf.getBackend(), simd };
}

/** How many tensors tfjs holds (a leak in a training step would show here). */
export function liveTensors() {
  return tf.memory().numTensors;
}

const uniform = (shape, fanIn) => tf.variable(tf.randomUniform(shape, -initBound(fanIn), initBound(fanIn), 'float32', 1));

function dense(nIn, nOut) {
  return { w: uniform([nIn, nOut], nIn), b: uniform([nOut], nIn) };
}

function conv(cIn, cOut, k) {
  return { w: uniform([k, k, cIn, cOut], cIn * k * k), b: uniform([cOut], cIn * k * k) };
}

/** Linear layers with `act` between them: `{ forward, vars }`. */
function mlp(sizes, act) {
  const layers = sizes.slice(1).map((n, i) => dense(sizes[i], n));
  return {
    vars: layers.flatMap((l) => [l.w, l.b]),
    forward: (x) => layers.reduce((h, l, i) => tf.add(tf.matMul(i > 0 ? act(h) : h, l.w), l.b), x),
  };
}

function cnn({ batch, channels: [c0, c1, c2], kernel, padding, pool, image, classes }) {
  const side = image / pool / pool;
  const l1 = conv(c0, c1, kernel), l2 = conv(c1, c2, kernel), fc = dense(c2 * side * side, classes);
  const block = (h, l) => tf.maxPool(tf.relu(tf.add(tf.conv2d(h, l.w, 1, padding), l.b)), pool, pool, 'valid');
  return {
    vars: [l1.w, l1.b, l2.w, l2.b, fc.w, fc.b],
    forward: (x) => tf.add(tf.matMul(tf.reshape(block(block(x, l1), l2), [batch, -1]), fc.w), fc.b),
  };
}

/** One training step with Adam (minimize computes the gradients and applies them), and the current loss. */
function trainer(model, lossFn, x, y) {
  const opt = tf.train.adam(LR, 0.9, 0.999, 1e-8);
  const f = () => lossFn(y, model.forward(x));
  return {
    step: () => opt.minimize(f, false, model.vars),
    loss: () => tf.tidy(() => f().dataSync()[0]),
  };
}

const crossEntropy = (labels, logits) => tf.losses.softmaxCrossEntropy(labels, logits);
const randomLabels = (batch, classes) => tf.cast(tf.oneHot(tf.randomUniformInt([batch], 0, classes, 2), classes), 'float32');

/** Builds workload `id`: `{ step, loss? }`. */
export function setup(id, spec) {
  switch (id) {
    case 'W0': {
      const a = tf.randomNormal(spec.shape), b = tf.randomNormal(spec.shape);
      return { step: () => tf.add(a, b).dispose() };
    }
    case 'W1': {
      const a = tf.randomNormal([spec.n, spec.n]), b = tf.randomNormal([spec.n, spec.n]);
      return { step: () => tf.matMul(a, b).dispose() };
    }
    case 'W2': {
      const x = tf.randomNormal([spec.batch, spec.sizes[0]]), y = randomLabels(spec.batch, spec.sizes.at(-1));
      return trainer(mlp(spec.sizes, tf.tanh), crossEntropy, x, y);
    }
    case 'W3': {
      const x = tf.randomNormal([spec.batch, spec.image, spec.image, spec.channels[0]]), y = randomLabels(spec.batch, spec.classes);
      return trainer(cnn(spec), crossEntropy, x, y);
    }
    case 'W4': {
      const x = tf.randomNormal([spec.batch, spec.sizes[0]]), y = tf.randomNormal([spec.batch, spec.sizes.at(-1)]);
      return trainer(mlp(spec.sizes, tf.relu), tf.losses.meanSquaredError, x, y);
    }
    case 'W5': {
      const [n, c, h, w] = spec.x, [cOut, , kh, kw] = spec.w;
      const x = tf.randomNormal([n, h, w, c]), weight = tf.randomNormal([kh, kw, c, cOut]), dy = tf.randomNormal([n, h, w, cOut]);
      const grads = tf.grads((xx, ww) => tf.conv2d(xx, ww, 1, spec.padding)); // gradients w.r.t. input and filter
      return { step: () => grads([x, weight], dy).forEach((g) => g.dispose()) };
    }
    default: throw new Error(`unknown workload ${id}`);
  }
}

if (isMain(import.meta.url)) {
  const config = childConfig();
  let info;
  try {
    info = await init(config.backend);
  } catch (e) {
    emit({ error: `tfjs ${config.backend} unavailable: ${String(e?.message ?? e).split('\n')[0]}` });
  }
  if (info) emit({ ...info, results: runWorkloads(`tfjs-${config.backend}`, config, setup) });
}
