// The MNIST / Fashion-MNIST loaders: the shared data (TAPEGRAD_DATA), the data root's resolution, missing and
// malformed files, and downloads from a loopback HTTP server (never the outside network).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { data, ArgumentError, FormatError, ValueError } from '../../src/index.js';

const { loadMNIST, loadFashionMNIST, dataRoot } = data;

const DATA = resolve(import.meta.dirname, '../..', process.env.TAPEGRAD_DATA ?? '../shared/data');
const QUIET = { verbose: false };
const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tapegrad-mnist-'));
  temps.push(d);
  return d;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Every file below `dir`, as paths relative to it. */
const listFiles = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort() : []);
const md5 = (p: string) => createHash('md5').update(readFileSync(p)).digest('hex');
const histogram = (labels: ArrayLike<number>) => Array.from(labels).reduce((h, v) => (h[v]++, h), new Array(10).fill(0));

/** Sets environment variables (undefined removes one) for the duration of `body`. */
async function withEnv<T>(vars: Record<string, string | undefined>, body: () => T | Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (vs: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vs)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  };
  set(vars);
  try {
    return await body();
  } finally {
    set(saved);
  }
}

describe('loading the shared data', () => {
  it('loads the MNIST test split: shapes, dtypes, pixels / 255, labels', async () => {
    const { images, labels, classes } = await loadMNIST({ root: DATA, split: 'test' });
    expect(images.shape).toEqual([10000, 1, 28, 28]);
    expect(images.dtype).toBe('float32');
    expect(labels.shape).toEqual([10000]);
    expect(labels.dtype).toBe('int32');
    // every pixel is its byte / 255, read independently here
    const raw = gunzipSync(readFileSync(join(DATA, 'mnist/t10k-images-idx3-ubyte.gz'))).subarray(16);
    const px = images.data;
    let wrong = 0;
    for (let i = 0; i < raw.length; i++) if (px[i] !== Math.fround(raw[i] / 255)) wrong++;
    expect(wrong).toBe(0);
    expect(images.min().item()).toBe(0);
    expect(images.max().item()).toBe(1);
    const lbl = labels.data;
    expect(Array.from(lbl.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    expect(histogram(lbl)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(classes).toEqual(['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine']);
  });

  it('loads the Fashion-MNIST test split', async () => {
    const { images, labels, classes } = await loadFashionMNIST({ root: DATA, split: 'test' });
    expect(images.shape).toEqual([10000, 1, 28, 28]);
    expect(images.max().item()).toBe(1);
    expect(images.min().item()).toBe(0);
    expect(labels.data[0]).toBe(9);
    expect(classes[9]).toBe('Ankle boot');
    expect(histogram(labels.data)).toEqual(new Array(10).fill(1000));
    expect(classes).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
  });

  it('takes the first `limit` items of the training splits (the default split)', async () => {
    const m = await loadMNIST({ root: DATA, limit: 8 });
    expect(m.images.shape).toEqual([8, 1, 28, 28]);
    expect(Array.from(m.labels.data)).toEqual([5, 0, 4, 1, 9, 2, 1, 3]);
    const raw = gunzipSync(readFileSync(join(DATA, 'mnist/train-images-idx3-ubyte.gz'))).subarray(16, 16 + 8 * 784);
    expect(Array.from(m.images.data)).toEqual(Array.from(raw, (v) => Math.fround(v / 255)));
    const f = await loadFashionMNIST({ root: DATA, split: 'train', limit: 3 });
    expect(Array.from(f.labels.data)).toEqual([9, 0, 0]);
    const none = await loadMNIST({ root: DATA, split: 'test', limit: 0 });
    expect(none.images.shape).toEqual([0, 1, 28, 28]);
    expect((await loadMNIST({ root: DATA, split: 'test', limit: 1e9 })).labels.shape).toEqual([10000]);
  });
});

describe('the data root', () => {
  it('is the root option, else TAPEGRAD_DATA, else the per-user cache folder', async () => {
    const empty = tempDir();
    expect(dataRoot('/some/where')).toBe('/some/where');
    expect(dataRoot('rel/dir')).toBe(resolve('rel/dir'));
    await withEnv({ TAPEGRAD_DATA: empty, XDG_CACHE_HOME: '/xdg' }, () => {
      expect(dataRoot()).toBe(empty);
      expect(dataRoot(DATA)).toBe(DATA);
    });
    await withEnv({ TAPEGRAD_DATA: undefined, XDG_CACHE_HOME: '/xdg' }, () => expect(dataRoot()).toBe('/xdg/tapegrad'));
    await withEnv({ TAPEGRAD_DATA: '', XDG_CACHE_HOME: 'relative' }, () => expect(dataRoot()).toBe(join(homedir(), '.cache', 'tapegrad')));
    await withEnv({ TAPEGRAD_DATA: undefined, XDG_CACHE_HOME: undefined }, () => expect(dataRoot()).toBe(join(homedir(), '.cache', 'tapegrad')));
  });

  it('the loaders follow it', async () => {
    const empty = tempDir();
    await withEnv({ TAPEGRAD_DATA: DATA }, async () => expect((await loadMNIST({ split: 'test', limit: 1 })).labels.data[0]).toBe(7));
    await withEnv({ TAPEGRAD_DATA: empty }, async () => {
      expect((await loadMNIST({ root: DATA, split: 'test', limit: 1 })).labels.data[0]).toBe(7); // the option first
      await expect(loadMNIST({ split: 'test' })).rejects.toThrow(`the data root '${empty}' (the environment variable TAPEGRAD_DATA)`);
    });
    const cache = tempDir();
    await withEnv({ TAPEGRAD_DATA: undefined, XDG_CACHE_HOME: cache }, async () => {
      await expect(loadMNIST({ split: 'test' })).rejects.toThrow(`the data root '${join(cache, 'tapegrad')}' (the per-user cache folder)`);
    });
  });

  it('a missing file is an error that names it and says how to get it', async () => {
    const root = tempDir();
    await withEnv({ XDG_CACHE_HOME: '/xdg' }, async () => {
      const err = await loadMNIST({ root, split: 'test' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).toMatchObject({ code: 'ENOENT' });
      expect((err as Error).message).toBe(
        `loadMNIST: the test split is not in the data root '${root}' (the root option): missing '${root}/mnist/t10k-images-idx3-ubyte.gz' ` +
        `and '${root}/mnist/t10k-labels-idx1-ubyte.gz'. The data root is the root option, else the environment variable TAPEGRAD_DATA, ` +
        `else the per-user cache folder ('/xdg/tapegrad'). Call loadMNIST({ download: true }) to fetch the files into it, ` +
        'or set TAPEGRAD_DATA (or the root option) to a folder holding mnist/.');
    });
    mkdirSync(join(root, 'fashion-mnist'));
    writeFileSync(join(root, 'fashion-mnist/train-labels-idx1-ubyte.gz'), readFileSync(join(DATA, 'fashion-mnist/train-labels-idx1-ubyte.gz')));
    await expect(loadFashionMNIST({ root })).rejects.toThrow(
      `loadFashionMNIST: the train split is not in the data root '${root}' (the root option): missing '${root}/fashion-mnist/train-images-idx3-ubyte.gz'. `);
  });
});

describe('malformed files', () => {
  /** An IDX ubyte file. */
  const idx = (dims: number[], values: ArrayLike<number>) => {
    const b = new Uint8Array(4 + 4 * dims.length + values.length);
    const v = new DataView(b.buffer);
    v.setUint8(2, 0x08);
    v.setUint8(3, dims.length);
    dims.forEach((d, i) => v.setInt32(4 + 4 * i, d));
    b.set(values, 4 + 4 * dims.length);
    return b;
  };
  /** A data root whose MNIST test split is the given IDX files, gzip-compressed unless `plain`. */
  const rootWith = (images: Uint8Array, labels: Uint8Array, plain = false) => {
    const root = tempDir();
    mkdirSync(join(root, 'mnist'));
    const put = (name: string, b: Uint8Array) => writeFileSync(join(root, 'mnist', plain ? name : `${name}.gz`), plain ? b : gzipSync(b));
    put('t10k-images-idx3-ubyte', images);
    put('t10k-labels-idx1-ubyte', labels);
    return root;
  };
  const pixels = (n: number) => Uint8Array.from({ length: n * 784 }, (_, i) => (i * 7) % 256);

  it('reads small and uncompressed files', async () => {
    const m = await loadMNIST({ root: rootWith(idx([3, 28, 28], pixels(3)), idx([3], [4, 0, 9]), true), split: 'test' });
    expect(Array.from(m.labels.data)).toEqual([4, 0, 9]);
    expect(m.images.data[1]).toBe(Math.fround(7 / 255));
    expect(m.images.shape).toEqual([3, 1, 28, 28]);
  });

  it('refuses labels out of 0..9, other shapes and dtypes, and counts that differ', async () => {
    const again = '. Delete the file and call loadMNIST({ download: true }) to fetch it again';
    let root = rootWith(idx([3, 28, 28], pixels(3)), idx([3], [4, 10, 9]));
    await expect(loadMNIST({ root, split: 'test' })).rejects.toThrow(new FormatError(
      `loadMNIST: '${root}/mnist/t10k-labels-idx1-ubyte.gz': holds the label 10 at index 1, where labels are 0 to 9${again}`));
    root = rootWith(idx([3, 28, 28], pixels(3)), idx([2], [4, 1]));
    await expect(loadMNIST({ root, split: 'test' })).rejects.toThrow(new FormatError(
      `loadMNIST: '${root}/mnist/t10k-images-idx3-ubyte.gz': holds 3 images, but '${root}/mnist/t10k-labels-idx1-ubyte.gz' holds 2 labels${again}`));
    root = rootWith(idx([2, 28, 27], pixels(2).subarray(0, 2 * 28 * 27)), idx([2], [4, 1]));
    await expect(loadMNIST({ root, split: 'test' })).rejects.toThrow(new FormatError(
      `loadMNIST: '${root}/mnist/t10k-images-idx3-ubyte.gz': holds uint8 values of shape [2, 28, 27], where images are uint8 of shape [N, 28, 28]${again}`));
    root = rootWith(idx([2, 28, 28], pixels(2)), idx([2, 1], [4, 1]));
    await expect(loadMNIST({ root, split: 'test' })).rejects.toThrow(new FormatError(
      `loadMNIST: '${root}/mnist/t10k-labels-idx1-ubyte.gz': holds uint8 values of shape [2, 1], where labels are uint8 of shape [N]${again}`));
    root = rootWith(idx([2, 28, 28], pixels(2).subarray(1)), idx([2], [4, 1]));
    await expect(loadMNIST({ root, split: 'test' })).rejects.toThrow(new FormatError(
      `loadMNIST: '${root}/mnist/t10k-images-idx3-ubyte.gz': the header says 2 × 28 × 28 ubyte values (1568 bytes) but 1567 bytes follow${again}`));
    root = rootWith(new TextEncoder().encode('<html>Not Found</html>'), idx([2], [4, 1]));
    await expect(loadMNIST({ root, split: 'test' })).rejects.toThrow(new FormatError(
      `loadMNIST: '${root}/mnist/t10k-images-idx3-ubyte.gz': not an IDX file: its magic number must start with two zero bytes, got 0x3C 0x68${again}`));
  });

  it('checks its options', async () => {
    await expect(loadMNIST({ split: 'val' as 'test' })).rejects.toThrow(new ValueError("loadMNIST: split must be 'train' or 'test', got 'val'"));
    await expect(loadMNIST({ train: true } as never)).rejects.toThrow(new ArgumentError(
      "loadMNIST: unknown option 'train' (expected root, split, download, limit, mirrors, timeout, verbose)"));
    await expect(loadMNIST({ limit: -1 })).rejects.toThrow(new ValueError('loadMNIST: limit must be an integer ≥ 0, got -1'));
    await expect(loadMNIST({ download: 1 as never })).rejects.toThrow(new ArgumentError('loadMNIST: download must be a boolean, got 1'));
    await expect(loadFashionMNIST({ root: '' })).rejects.toThrow(new ValueError("loadFashionMNIST: root must be a non-empty string, got ''"));
    await expect(loadMNIST({ mirrors: [] })).rejects.toThrow(new ValueError('loadMNIST: mirrors must be a non-empty array of base URLs, got []'));
    await expect(loadMNIST({ mirrors: ['ftp://x/'] })).rejects.toThrow(new ValueError("loadMNIST: mirrors must be http or https URLs, got 'ftp://x/'"));
    await expect(loadMNIST({ timeout: 0 })).rejects.toThrow(new ValueError('loadMNIST: timeout must be a positive number of milliseconds, got 0'));
  });
});

describe('download from a loopback server', () => {
  // the test splits only (6 MB), served as /ok/…, /missing/… (404), /corrupt/… (a byte changed), /hang/… (no
  // answer), /moved/… (a redirect to /ok/), /cut/… (half the bytes, then the connection closes)
  const FILES = ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
  const files = new Map<string, Buffer>();
  for (const dir of ['mnist', 'fashion-mnist']) for (const f of FILES) files.set(`${dir}/${f}`, readFileSync(join(DATA, dir, f)));
  let server: Server;
  let base = '';
  let requests: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url!);
      const [, mode, ...rest] = req.url!.split('/');
      const body = files.get(rest.join('/'));
      if (mode === 'hang') return;
      if (mode === 'moved') return res.writeHead(302, { location: `/ok/${rest.join('/')}` }).end();
      if (body === undefined || mode === 'missing') return res.writeHead(404, 'Not Found').end('<html>Not Found</html>');
      if (mode === 'corrupt') {
        const bad = Buffer.from(body);
        bad[1000] ^= 1;
        return res.writeHead(200, { 'content-length': bad.length }).end(bad);
      }
      if (mode === 'cut') {
        res.writeHead(200, { 'content-length': body.length });
        return res.write(body.subarray(0, body.length >> 1), () => res.destroy());
      }
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });
  afterEach(() => {
    requests = [];
  });
  const mirror = (mode: string, dir = 'mnist') => `${base}/${mode}/${dir}/`;

  it('falls back from a 404 mirror, writes files with the published MD5s, leaves no temporary file', async () => {
    const root = tempDir();
    const m = await loadMNIST({ root, split: 'test', download: true, mirrors: [mirror('missing'), mirror('ok')], ...QUIET });
    expect(requests).toEqual([
      '/missing/mnist/t10k-images-idx3-ubyte.gz', '/ok/mnist/t10k-images-idx3-ubyte.gz',
      '/missing/mnist/t10k-labels-idx1-ubyte.gz', '/ok/mnist/t10k-labels-idx1-ubyte.gz',
    ]);
    expect(listFiles(root)).toEqual(FILES.map((f) => `mnist/${f}`));
    expect(md5(join(root, 'mnist', FILES[0]))).toBe('9fb629c4189551a2d022fa330f9573f3');
    expect(md5(join(root, 'mnist', FILES[1]))).toBe('ec29112dd5afa0611ce80d1b7f02629c');
    expect(m.labels.data[0]).toBe(7);
    expect(histogram(m.labels.data)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    // present files are not fetched again
    requests = [];
    await loadMNIST({ root, split: 'test', download: true, mirrors: [mirror('ok')], ...QUIET });
    expect(requests).toEqual([]);
  });

  it('refuses a file with the wrong MD5 and writes nothing', async () => {
    const root = tempDir();
    const err = await loadMNIST({ root, split: 'test', download: true, mirrors: [mirror('corrupt')], ...QUIET }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as Error).message).toMatch(new RegExp(
      '^loadMNIST: could not download t10k-images-idx3-ubyte\\.gz; no file was written\\. Tried:\\n' +
      `  ${mirror('corrupt')}t10k-images-idx3-ubyte\\.gz: MD5 mismatch: got [0-9a-f]{32}, the published file's is 9fb629c4189551a2d022fa330f9573f3$`));
    expect(listFiles(root)).toEqual([]);
    // a good mirror after the bad one is used
    await loadMNIST({ root, split: 'test', download: true, mirrors: [mirror('corrupt'), mirror('ok')], ...QUIET });
    expect(listFiles(root)).toEqual(FILES.map((f) => `mnist/${f}`));
  });

  it('gives up on a silent mirror after `timeout`, follows redirects, refuses a cut transfer', async () => {
    const root = tempDir();
    const start = Date.now();
    await loadFashionMNIST({ root, split: 'test', download: true, mirrors: [mirror('hang', 'fashion-mnist'), mirror('moved', 'fashion-mnist')], timeout: 200, ...QUIET });
    expect(Date.now() - start).toBeLessThan(5000);
    expect(requests.filter((r) => r.startsWith('/ok/'))).toHaveLength(2);
    expect(listFiles(root)).toEqual(FILES.map((f) => `fashion-mnist/${f}`));
    expect(md5(join(root, 'fashion-mnist', FILES[0]))).toBe('bef4ecab320f06d8554ea6380940ec79');
    expect(md5(join(root, 'fashion-mnist', FILES[1]))).toBe('bb300cfdad3c16e7a12a480ee83cd310');
    const other = tempDir();
    const err = await loadFashionMNIST({ root: other, split: 'test', download: true, mirrors: [mirror('cut', 'fashion-mnist'), mirror('hang', 'fashion-mnist')], timeout: 200, ...QUIET })
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(new RegExp(`\\n  ${mirror('cut', 'fashion-mnist')}t10k-images-idx3-ubyte\\.gz: the transfer stopped after \\d+ of 4422102 bytes`));
    expect((err as Error).message).toMatch(new RegExp(`\\n  ${mirror('hang', 'fashion-mnist')}t10k-images-idx3-ubyte\\.gz: no data for 200 ms$`));
    expect(listFiles(other)).toEqual([]);
  });

  it('says what it downloads, unless told not to', async () => {
    const root = tempDir();
    const said = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await loadMNIST({ root, split: 'test', download: true, mirrors: [mirror('ok')] });
      expect(said.mock.calls.map((c) => c[0])).toEqual(FILES.map((f) => `loadMNIST: downloading ${mirror('ok')}${f} to ${join(root, 'mnist', f)}`));
    } finally {
      said.mockRestore();
    }
  });

  it('reports a folder it cannot write to, leaving nothing behind', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'mnist'), 'a file where the folder should be');
    const err = await loadMNIST({ root, split: 'test', download: true, mirrors: [mirror('ok')], ...QUIET }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/) });
    expect((err as Error).message).toMatch(new RegExp(`^loadMNIST: can't create the folder of '${root}/mnist/t10k-images-idx3-ubyte\\.gz': `));
    expect(listFiles(root)).toEqual(['mnist']);
  });
});
