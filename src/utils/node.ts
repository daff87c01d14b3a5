// Node's built-in modules, reached through `process.getBuiltinModule` (Node ≥ 20.16) only when a function needs
// them, so importing the package needs nothing from Node and browser bundles keep working; and the one atomic
// file write that everything saving to disk goes through.
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import type * as NodeOs from 'node:os';
import type * as NodeZlib from 'node:zlib';
import type * as NodeCrypto from 'node:crypto';
import type * as NodeHttp from 'node:http';
import type * as NodeHttps from 'node:https';
import type * as NodeBuffer from 'node:buffer';
import type * as NodeWorkers from 'node:worker_threads';
import type * as NodeV8 from 'node:v8';
import type * as NodeModule from 'node:module';
import type * as NodeUtil from 'node:util';

/** The built-in modules used here, by name. */
export interface NodeModules {
  fs: typeof NodeFs;
  path: typeof NodePath;
  os: typeof NodeOs;
  zlib: typeof NodeZlib;
  crypto: typeof NodeCrypto;
  http: typeof NodeHttp;
  https: typeof NodeHttps;
  buffer: typeof NodeBuffer;
  worker_threads: typeof NodeWorkers;
  v8: typeof NodeV8;
  module: typeof NodeModule;
  util: typeof NodeUtil;
}

type GetBuiltin = (id: string) => unknown;

function getBuiltin(): GetBuiltin | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  return typeof proc?.getBuiltinModule === 'function' ? proc.getBuiltinModule.bind(proc) : undefined;
}

/** A built-in module, or undefined outside Node (for features with a fallback, such as worker threads). */
export function optionalNodeModule<K extends keyof NodeModules>(name: K): NodeModules[K] | undefined {
  return getBuiltin()?.(`node:${name}`) as NodeModules[K] | undefined;
}

const NAMES: readonly (keyof NodeModules)[] = ['fs', 'path', 'os', 'zlib', 'crypto', 'http', 'https', 'buffer', 'worker_threads', 'v8', 'module', 'util'];
let loaded: NodeModules | undefined;

/** The built-in modules, for function `fn`, which throws outside Node with `otherwise` as the advice. */
export function nodeModules(fn: string, otherwise: string): NodeModules {
  if (loaded) return loaded;
  const get = getBuiltin();
  if (!get) throw new Error(`${fn}: needs Node.js (20.16 or later); ${otherwise}`);
  return (loaded = Object.fromEntries(NAMES.map((n) => [n, get(`node:${n}`)])) as unknown as NodeModules);
}

/** A system error (ENOENT, …) as an error naming the function and what it was doing, keeping its code and cause. */
export function ioError(fn: string, doing: string, e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (!(e instanceof Error) || typeof code !== 'string') return e;
  return Object.assign(new Error(`${fn}: can't ${doing}: ${e.message}`, { cause: e }), { code });
}

let tempCounter = 0;

/**
 * Writes `chunks` to `path` atomically, for function `fn`: the bytes go to a new temporary file in the same
 * folder (created first when `mkdir`), which is flushed to disk and renamed over `path`, then the folder is
 * synced, so a crash or an error never leaves a half-written file. On an error the temporary file is removed
 * and an existing file at `path` is left as it was; a replaced file keeps its permissions. Gives the absolute
 * path written.
 */
export function writeFileAtomically(fn: string, path: string, chunks: Iterable<Uint8Array>, opts: { mkdir?: boolean; otherwise?: string } = {}): string {
  const otherwise = opts.otherwise ?? 'elsewhere write the bytes yourself';
  const { fs, path: paths } = nodeModules(fn, otherwise);
  const target = paths.resolve(path);
  if (opts.mkdir) {
    try {
      fs.mkdirSync(paths.dirname(target), { recursive: true });
    } catch (e) {
      throw ioError(fn, `create the folder of '${path}'`, e);
    }
  }
  let temp = '';
  let fd = -1;
  for (let tries = 0; fd < 0; tries++) {
    temp = `${target}.${process.pid}.${++tempCounter}.tmp`;
    try {
      fd = fs.openSync(temp, 'wx');
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST' || tries > 100) throw ioError(fn, `create a temporary file next to '${path}'`, e);
    }
  }
  let mode: number | undefined;
  try {
    mode = fs.statSync(target).mode & 0o7777;
  } catch {
    // no file yet: the default permissions
  }
  try {
    if (mode !== undefined) fs.fchmodSync(fd, mode);
    for (const b of chunks) {
      for (let at = 0; at < b.length;) at += fs.writeSync(fd, b, at, b.length - at);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = -1;
    fs.renameSync(temp, target);
  } catch (e) {
    if (fd >= 0) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing: the first error is the one to report
      }
    }
    try {
      fs.unlinkSync(temp);
    } catch {
      // nothing to remove
    }
    throw ioError(fn, `write '${path}'`, e);
  }
  // make the rename itself durable; some systems cannot sync a directory, which is not an error
  try {
    const dir = fs.openSync(paths.dirname(target), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  } catch {
    // best effort
  }
  return target;
}
