// MNIST and Fashion-MNIST: the original gzip-compressed IDX files in a data root, as torchvision's datasets
// read them, downloaded on request from the published mirrors and checked against the published MD5s.
//
// The data root is the `root` option, else the environment variable TAPEGRAD_DATA, else a per-user cache folder
// ($XDG_CACHE_HOME/tapegrad, or ~/.cache/tapegrad); the files sit in `${root}/mnist/` and
// `${root}/fashion-mnist/` under their published names (train-images-idx3-ubyte.gz, …); uncompressed files
// (the same names without `.gz`) are read too. A download writes each file to a new temporary file in the same
// folder and renames it into place once its MD5 is right, so a failed or interrupted download never leaves a
// file that looks like data. Needs Node (reached through `process.getBuiltinModule`, as in idx.ts).
import type { Tensor } from '../tensor/tensor.js';
import { fromData } from '../tensor/creation.js';
import { checkBool, checkChoice, checkNonEmptyString, checkInt, checkNumber, checkOptions, describeValue } from '../utils/args.js';
import { ArgumentError, FormatError, ValueError } from '../errors.js';
import idx from './idx.js';
import { nodeModules, writeFileAtomically } from '../utils/node.js';
import type { IdxHeader } from './idx.js';

const OTHERWISE = 'elsewhere fetch the files yourself and use readIdx';

/** Options of {@link loadMNIST} and {@link loadFashionMNIST}. */
export interface MNISTOptions {
  /** The data root; by default TAPEGRAD_DATA, else the per-user cache folder (see {@link dataRoot}). */
  root?: string;
  /** `'train'` (60000 images, the default) or `'test'` (10000), as torchvision's `train=True/False`. */
  split?: 'train' | 'test';
  /** Fetch missing files from the mirrors into the data root (default false: a missing file is an error). */
  download?: boolean;
  /** Only the first `limit` images and labels (all when the split holds fewer). */
  limit?: number;
  /** The base URLs to download from, tried in order (default: the dataset's published mirrors). */
  mirrors?: readonly string[];
  /** Give up on a mirror after this many milliseconds without data (default 30000). */
  timeout?: number;
  /** Say on stderr what is downloaded (default true; nothing is said when nothing is downloaded). */
  verbose?: boolean;
}

/** What {@link loadMNIST} and {@link loadFashionMNIST} give. */
export interface MNISTData {
  /** float32 [N, 1, 28, 28], the pixels divided by 255 (in [0, 1], 0 the background), as torchvision's ToTensor. */
  images: Tensor;
  /** int32 [N], the classes 0 to 9. */
  labels: Tensor;
  /** The class names, by label (torchvision's). */
  classes: string[];
}

/** A published file: its name, size and MD5. */
interface Resource {
  file: string;
  bytes: number;
  md5: string;
}

interface DatasetSpec {
  fn: string;
  /** The folder below the data root. */
  folder: string;
  mirrors: readonly string[];
  classes: readonly string[];
  /** [images, labels] of each split. */
  splits: Record<'train' | 'test', readonly [Resource, Resource]>;
}

const files = (prefix: string, images: [number, string], labels: [number, string]): readonly [Resource, Resource] => [
  { file: `${prefix}-images-idx3-ubyte.gz`, bytes: images[0], md5: images[1] },
  { file: `${prefix}-labels-idx1-ubyte.gz`, bytes: labels[0], md5: labels[1] },
];

const MNIST: DatasetSpec = {
  fn: 'loadMNIST',
  folder: 'mnist',
  // torchvision's mirrors, in its order
  mirrors: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
  classes: ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine'],
  splits: {
    train: files('train', [9912422, 'f68b3c2dcbeaaa9fbdd348bbdeb94873'], [28881, 'd53e105ee54ea40749a09fcbcd1e9432']),
    test: files('t10k', [1648877, '9fb629c4189551a2d022fa330f9573f3'], [4542, 'ec29112dd5afa0611ce80d1b7f02629c']),
  },
};

const FASHION: DatasetSpec = {
  fn: 'loadFashionMNIST',
  folder: 'fashion-mnist',
  // Zalando's bucket (torchvision's mirror), then the files in Zalando's repository
  mirrors: [
    'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
  ],
  classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  splits: {
    train: files('train', [26421880, '8d4fb7e6c68d591d4c3dfef9ec88bf0d'], [29515, '25c81989df183df01b3e8a0aad5dffbe']),
    test: files('t10k', [4422102, 'bef4ecab320f06d8554ea6380940ec79'], [5148, 'bb300cfdad3c16e7a12a480ee83cd310']),
  },
};

const OPTION_KEYS = ['root', 'split', 'download', 'limit', 'mirrors', 'timeout', 'verbose'];
const SIDE = 28;

// ------------------------------------------------------------------------------------------------------ root

const ROOT_ORDER = 'the root option, else the environment variable TAPEGRAD_DATA, else the per-user cache folder';

/** The per-user cache folder: $XDG_CACHE_HOME/tapegrad, else ~/.cache/tapegrad (%LOCALAPPDATA%\tapegrad on Windows). */
function cacheRoot(fn: string): string {
  const { path, os } = nodeModules(fn, OTHERWISE);
  const { XDG_CACHE_HOME: xdg, LOCALAPPDATA: local } = process.env;
  const cache = xdg && path.isAbsolute(xdg) ? xdg : (process.platform === 'win32' && local) || path.join(os.homedir(), '.cache');
  return path.join(cache, 'tapegrad');
}

/** The data root, and what chose it. */
function resolveRoot(fn: string, root: unknown): { dir: string; from: string } {
  const { path } = nodeModules(fn, OTHERWISE);
  if (root !== undefined) {
    checkNonEmptyString(fn, 'root', root);
    return { dir: path.resolve(root), from: 'the root option' };
  }
  const env = process.env.TAPEGRAD_DATA;
  if (env) return { dir: path.resolve(env), from: 'the environment variable TAPEGRAD_DATA' };
  return { dir: cacheRoot(fn), from: 'the per-user cache folder' };
}

/**
 * The data root the loaders use: `root` if given (resolved against the working directory), else the
 * environment variable `TAPEGRAD_DATA`, else the per-user cache folder: `$XDG_CACHE_HOME/tapegrad`, or
 * `~/.cache/tapegrad` (on Windows `%LOCALAPPDATA%\tapegrad`). MNIST's files are in `mnist/` below it, Fashion-MNIST's
 * in `fashion-mnist/`. Needs Node.
 *
 * @example
 * ```ts
 * // the option, taken from the working directory
 * data.dataRoot('datasets').endsWith('datasets'); // true
 * // without it, TAPEGRAD_DATA (set in the tests), else the cache folder
 * data.dataRoot() === process.env.TAPEGRAD_DATA;   // true
 * ```
 */
export function dataRoot(root?: string): string {
  return resolveRoot('dataRoot', root).dir;
}

// -------------------------------------------------------------------------------------------------- download

interface Fetch {
  mirrors: readonly string[];
  timeout: number;
  verbose: boolean;
}

/** The body of a GET of `url`, which must be `size` bytes: redirects followed, nothing decoded, idle time limited. */
function get(fn: string, url: URL, size: number, timeout: number, redirects = 5): Promise<Uint8Array> {
  const { http, https } = nodeModules(fn, OTHERWISE);
  return new Promise((resolve, reject) => {
    const headers = { 'accept-encoding': 'identity', 'user-agent': 'tapegrad' };
    const req = (url.protocol === 'https:' ? https : http).get(url, { headers, timeout }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location !== undefined && redirects > 0) {
        res.resume();
        resolve(get(fn, new URL(location, url), size, timeout, redirects - 1));
        return;
      }
      const fail = (why: string) => {
        res.destroy();
        reject(new Error(why));
      };
      if (status !== 200) return fail(`HTTP ${status} ${res.statusMessage ?? ''}`.trim());
      const length = res.headers['content-length'];
      if (length !== undefined && Number(length) !== size) return fail(`the server sends ${length} bytes, where the file has ${size}`);
      const chunks: Buffer[] = [];
      let got = 0;
      res.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (got > size) fail(`the server sends more than the file's ${size} bytes`);
        else chunks.push(chunk);
      });
      res.on('end', () => (got === size ? resolve(Buffer.concat(chunks)) : reject(new Error(`the transfer stopped after ${got} of ${size} bytes`))));
      res.on('error', (e) => reject(new Error(`the transfer stopped after ${got} of ${size} bytes (${e.message})`)));
    });
    req.on('timeout', () => req.destroy(new Error(`no data for ${timeout} ms`)));
    req.on('error', reject);
  });
}

/** Downloads `res` to `target` from the first mirror that has it with the right size and MD5. */
async function download(fn: string, res: Resource, target: string, { mirrors, timeout, verbose }: Fetch): Promise<void> {
  const { crypto } = nodeModules(fn, OTHERWISE);
  const failures: string[] = [];
  for (const base of mirrors) {
    const url = new URL(res.file, base);
    if (verbose) console.error(`${fn}: downloading ${url.href} to ${target}`);
    let bytes: Uint8Array;
    try {
      bytes = await get(fn, url, res.bytes, timeout);
    } catch (e) {
      failures.push(`${url.href}: ${(e as Error).message}`);
      continue;
    }
    const md5 = crypto.createHash('md5').update(bytes).digest('hex');
    if (md5 !== res.md5) {
      failures.push(`${url.href}: MD5 mismatch: got ${md5}, the published file's is ${res.md5}`);
      continue;
    }
    writeFileAtomically(fn, target, [bytes], { mkdir: true, otherwise: OTHERWISE });
    return;
  }
  // every mirror served a file with the wrong MD5: a FormatError; otherwise the network failed somewhere
  const E = failures.length > 0 && failures.every((f) => f.includes(': MD5 mismatch:')) ? FormatError : Error;
  throw new E(`${fn}: could not download ${res.file}; no file was written. Tried:\n  ${failures.join('\n  ')}`);
}

/** The `mirrors` option: base URLs (http or https), each ending in `/`. */
function checkMirrors(fn: string, v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0) throw new (Array.isArray(v) ? ValueError : ArgumentError)(`${fn}: mirrors must be a non-empty array of base URLs, got ${describeValue(v)}`);
  return v.map((m: unknown) => {
    let url: URL | undefined;
    try {
      url = typeof m === 'string' ? new URL(m) : undefined;
    } catch {
      // reported below
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new (typeof m === 'string' ? ValueError : ArgumentError)(`${fn}: mirrors must be http or https URLs, got ${describeValue(m)}`);
    }
    return url.href.endsWith('/') ? url.href : `${url.href}/`;
  });
}

// ------------------------------------------------------------------------------------------------------ load

/** What errors about a file's content end with. */
const refetch = (fn: string) => `. Delete the file and call ${fn}({ download: true }) to fetch it again`;

/** Reads the IDX file at `path`, with `check` on its header; errors about its content say how to replace it. */
function readChecked(fn: string, path: string, check: (h: IdxHeader, where: string) => void) {
  try {
    return idx.readFileAs(fn, path, check);
  } catch (e) {
    if (!(e instanceof Error) || 'code' in e) throw e;
    e.message += refetch(fn);
    throw e;
  }
}

async function load(spec: DatasetSpec, opts: MNISTOptions | undefined): Promise<MNISTData> {
  const { fn } = spec;
  const o = checkOptions(fn, opts, OPTION_KEYS);
  const split = checkChoice(fn, 'split', o.split ?? 'train', ['train', 'test'] as const);
  const wantDownload = checkBool(fn, 'download', o.download ?? false);
  const limit = o.limit === undefined ? Number.POSITIVE_INFINITY : checkInt(fn, 'limit', o.limit, 0);
  const fetching: Fetch = {
    mirrors: o.mirrors === undefined ? spec.mirrors : checkMirrors(fn, o.mirrors),
    timeout: o.timeout === undefined ? 30_000 : checkNumber(fn, 'timeout', o.timeout, (t) => t > 0 && t < 2 ** 31, 'a positive number of milliseconds'),
    verbose: checkBool(fn, 'verbose', o.verbose ?? true),
  };
  const root = resolveRoot(fn, o.root);
  const { fs, path } = nodeModules(fn, OTHERWISE);
  const folder = path.join(root.dir, spec.folder);
  const resources = spec.splits[split];
  // each file compressed, else uncompressed
  const found = resources.map((r) => [path.join(folder, r.file), path.join(folder, r.file.slice(0, -3))].find((p) => fs.existsSync(p)));
  const missing = resources.filter((_, i) => found[i] === undefined).map((r) => path.join(folder, r.file));
  if (missing.length > 0 && !wantDownload) {
    throw Object.assign(new Error(
      `${fn}: the ${split} split is not in the data root '${root.dir}' (${root.from}): missing ${missing.map((m) => `'${m}'`).join(' and ')}. ` +
      `The data root is ${ROOT_ORDER} ('${cacheRoot(fn)}'). ` +
      `Call ${fn}({ download: true }) to fetch the files into it, or set TAPEGRAD_DATA (or the root option) to a folder holding ${spec.folder}/.`,
    ), { code: 'ENOENT' });
  }
  for (let i = 0; i < resources.length; i++) {
    if (found[i] !== undefined) continue;
    found[i] = path.join(folder, resources[i].file);
    await download(fn, resources[i], found[i]!, fetching);
  }
  const [imagesPath, labelsPath] = found as [string, string];

  const labelFile = readChecked(fn, labelsPath, (h, where) => {
    if (h.dtype !== 'uint8' || h.dims.length !== 1) {
      throw new FormatError(`${fn}:${where} holds ${h.dtype} values of shape [${h.dims.join(', ')}], where labels are uint8 of shape [N]`);
    }
  });
  const n = labelFile.dims[0];
  const bad = labelFile.data.findIndex((v) => v > 9);
  if (bad >= 0) throw new FormatError(`${fn}: '${labelsPath}': holds the label ${labelFile.data[bad]} at index ${bad}, where labels are 0 to 9${refetch(fn)}`);
  const imageFile = readChecked(fn, imagesPath, (h, where) => {
    if (h.dtype !== 'uint8' || h.dims.length !== 3 || h.dims[1] !== SIDE || h.dims[2] !== SIDE) {
      throw new FormatError(`${fn}:${where} holds ${h.dtype} values of shape [${h.dims.join(', ')}], where images are uint8 of shape [N, 28, 28]`);
    }
    if (h.dims[0] !== n) throw new FormatError(`${fn}:${where} holds ${h.dims[0]} images, but '${labelsPath}' holds ${n} labels`);
  });

  const count = Math.min(n, limit);
  const pixels = imageFile.data;
  const images = new Float32Array(count * SIDE * SIDE);
  for (let i = 0; i < images.length; i++) images[i] = pixels[i] / 255;
  const labels = Int32Array.from(labelFile.data.subarray(0, count));
  return {
    images: fromData(images, [count, 1, SIDE, SIDE], 'float32'),
    labels: fromData(labels, [count], 'int32'),
    classes: [...spec.classes],
  };
}

/**
 * Loads MNIST (handwritten digits, 28 × 28 grey levels): a split's images as a float32 tensor [N, 1, 28, 28]
 * with values in [0, 1] (the pixels divided by 255) and its labels as an int32 tensor [N], read from the
 * published `.gz` files in `${root}/mnist/` (see {@link dataRoot} for the root). Asynchronous, because with
 * `download: true` the missing files are fetched: from PyTorch's mirror (ossci-datasets), then
 * yann.lecun.com, or from `mirrors`; each must have the published MD5 and is written atomically. Without
 * `download`, a missing file is an error that names it and says how to get it. The files are checked (their
 * format, labels 0 to 9, as many images as labels) before use. Needs Node.
 *
 * @example
 * ```ts
 * const { images, labels, classes } = await data.loadMNIST({ split: 'test', limit: 100 });
 * images.shape;        // [100, 1, 28, 28]
 * labels.dtype;        // "int32"
 * labels.toArray()[0]; // 7
 * classes[7];          // "7 - seven"
 * const train = new data.TensorDataset(images, labels); // then a DataLoader
 * ```
 */
export function loadMNIST(opts?: MNISTOptions): Promise<MNISTData> {
  return load(MNIST, opts);
}

/**
 * Loads Fashion-MNIST (Zalando's 28 × 28 grey images of clothing, 10 classes, in the format and sizes of
 * MNIST) as {@link loadMNIST} loads MNIST, from `${root}/fashion-mnist/`. With `download: true` missing
 * files come from Zalando's bucket, then Zalando's GitHub repository, or from `mirrors`. `classes` names the
 * labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag,
 * 9 Ankle boot. Needs Node.
 *
 * @example
 * ```ts
 * const { images, labels, classes } = await data.loadFashionMNIST({ split: 'test', limit: 10 });
 * images.shape;                  // [10, 1, 28, 28]
 * classes[labels.toArray()[0]];  // "Ankle boot"
 * ```
 */
export function loadFashionMNIST(opts?: MNISTOptions): Promise<MNISTData> {
  return load(FASHION, opts);
}
