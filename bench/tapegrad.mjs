// The workloads in tapegrad (the built package, ../dist). As a child process of run.mjs:
//   node bench/tapegrad.mjs '{"backend":"wasm2","workloads":["W0",…],"specs":{…},"timing":{…}}'
// runs them on one backend and prints the JSON results. memory.mjs imports `setup` for W3.
import { readFileSync } from 'node:fs';
import * as tg from '../dist/index.js';
import { childConfig, emit, isMain, runWorkloads } from './timing.mjs';
import { LR } from './workloads.mjs';

const { nn, F, optim, randn, randint, manualSeed } = tg;

/** The backends compared: the plain TypeScript reference, and the wasm backend with 1 and 2 threads. */
export function backend(name) {
  switch (name) {
    case 'ref': return tg.referenceBackend;
    case 'wasm1': return tg.createWasmBackend({ threads: 1 });
    case 'wasm2': return tg.wasmBackend; // the default backend: 2 threads where SharedArrayBuffer exists
    default: throw new Error(`unknown tapegrad backend ${name}`);
  }
}

/** Linear layers with `act` between them (none after the last). */
function mlp(sizes, Act) {
  const layers = [];
  for (let i = 1; i < sizes.length; i++) {
    if (i > 1) layers.push(new Act());
    layers.push(new nn.Linear(sizes[i - 1], sizes[i]));
  }
  return new nn.Sequential(...layers);
}

function cnn({ channels: [c0, c1, c2], kernel, padding, pool, image, classes }) {
  const side = image / pool / pool;
  return new nn.Sequential(
    new nn.Conv2d(c0, c1, kernel, { padding }), new nn.ReLU(), new nn.MaxPool2d(pool),
    new nn.Conv2d(c1, c2, kernel, { padding }), new nn.ReLU(), new nn.MaxPool2d(pool),
    new nn.Flatten(), new nn.Linear(c2 * side * side, classes),
  );
}

/** One training step (zero the gradients, forward, loss, backward, Adam step), and the current loss. */
function trainer(model, lossFn, x, y) {
  const opt = new optim.Adam(model.parameters(), { lr: LR });
  return {
    step: () => {
      opt.zeroGrad();
      lossFn.forward(model.forward(x), y).backward();
      opt.step();
    },
    loss: () => tg.noGrad(() => lossFn.forward(model.forward(x), y).item()),
  };
}

/** Builds workload `id` (on the current backend): `{ step, loss? }`. */
export function setup(id, spec) {
  manualSeed(0);
  switch (id) {
    case 'W0': {
      const a = randn(spec.shape, { requiresGrad: true }), b = randn(spec.shape, { requiresGrad: true });
      return { step: () => a.add(b) };
    }
    case 'W1': {
      const a = randn([spec.n, spec.n]), b = randn([spec.n, spec.n]);
      return { step: () => a.matmul(b) };
    }
    case 'W2': {
      const x = randn([spec.batch, spec.sizes[0]]), y = randint(0, spec.sizes.at(-1), [spec.batch]);
      return trainer(mlp(spec.sizes, nn.Tanh), new nn.CrossEntropyLoss(), x, y);
    }
    case 'W3': {
      const x = randn([spec.batch, spec.channels[0], spec.image, spec.image]), y = randint(0, spec.classes, [spec.batch]);
      return trainer(cnn(spec), new nn.CrossEntropyLoss(), x, y);
    }
    case 'W4': {
      const x = randn([spec.batch, spec.sizes[0]]), y = randn([spec.batch, spec.sizes.at(-1)]);
      return trainer(mlp(spec.sizes, nn.ReLU), new nn.MSELoss(), x, y);
    }
    case 'W5': {
      const [n, , h, w] = spec.x;
      const x = randn(spec.x, { requiresGrad: true }), weight = randn(spec.w, { requiresGrad: true });
      const dy = randn([n, spec.w[0], h, w]); // pad 1 with a 3×3 kernel keeps h×w
      return {
        step: () => {
          x.grad = null;
          weight.grad = null;
          F.conv2d(x, weight, null, { padding: spec.padding }).backward(dy);
        },
      };
    }
    default: throw new Error(`unknown workload ${id}`);
  }
}

if (isMain(import.meta.url)) {
  const config = childConfig();
  const be = backend(config.backend);
  if (!be) {
    emit({ error: 'WebAssembly SIMD unavailable: no wasm backend' });
  } else {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const results = tg.withBackend(be, () => runWorkloads(`tapegrad-${config.backend}`, config, setup));
    emit({ version, backend: be.name, results });
  }
}
