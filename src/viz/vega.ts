// Internal: vega and vega-lite, loaded on the first render and cached. They are reached only through a real
// dynamic import(), never a static one: vega 6 uses top-level await, and a module graph with top-level await
// cannot be require()d, so a static import would break `require('tapegrad')` (Node's require(esm), which tslab
// uses) and make importing the package load the whole of vega. TypeScript keeps `import()` as it is in this
// package's ESM output (module NodeNext, "type": "module").
import { crc32 } from '../utils/png.js';

/** The part of vega-lite used here. */
interface VegaLiteModule {
  compile(spec: object, opts?: object): { spec: object };
}

/** The part of vega used here. */
interface VegaModule {
  parse(spec: object, config?: object): unknown;
  View: new (runtime: unknown, opts: { renderer: 'none' }) => { toSVG(scaleFactor?: number): Promise<string>; finalize(): unknown };
}

interface Libraries {
  vega: VegaModule;
  vl: VegaLiteModule;
}

const MISSING = 'plotting needs the vega and vega-lite packages: npm install vega vega-lite@6.4';

const importBoth = async (): Promise<Libraries> => {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  return { vega: vega as unknown as VegaModule, vl: vl as unknown as VegaLiteModule };
};

let importer: () => Promise<Libraries> = importBoth;
let loading: Promise<Libraries> | undefined;

const notFound = (e: unknown) => {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
};

/** vega and vega-lite, imported once; a failed import is retried on the next call. */
export function loadVega(): Promise<Libraries> {
  loading ??= importer().catch((e: unknown) => {
    loading = undefined;
    throw notFound(e) ? new Error(MISSING, { cause: e }) : e;
  });
  return loading;
}

/** Test hook: replaces how the two packages are imported (null restores the real import). */
export function setVegaImporter(fn: (() => Promise<unknown>) | null): void {
  importer = fn ? (fn as () => Promise<Libraries>) : importBoth;
  loading = undefined;
}

/**
 * The ids vega gives the clip paths and gradients of an SVG come from process-wide counters, so the same chart
 * rendered twice differs, while two charts inlined in one HTML page must not share an id (a `url(#clip1)` would
 * find the other chart's clip path). They become `tg<crc32 of the SVG with its ids numbered>_<k>`, k in order of
 * definition: the same for the same chart, and different for different ones.
 */
function stableIds(svg: string): string {
  const ids = [...new Set(Array.from(svg.matchAll(/\sid="([^"]+)"/g), (m) => m[1]))];
  if (ids.length === 0) return svg;
  const index = new Map(ids.map((id, k) => [id, k]));
  // \0 cannot occur in an SVG document, so it marks the places to fill in
  const numbered = svg.replace(/(\sid="|url\(#|href="#)([^")]+)(?=[")])/g, (m, pre: string, id: string) => (index.has(id) ? `${pre}\0${index.get(id)}` : m));
  const hash = crc32(new TextEncoder().encode(numbered)).toString(16).padStart(8, '0');
  return numbered.replace(/\0(\d+)/g, (_, k: string) => `tg${hash}_${k}`);
}

/**
 * A vega-lite spec compiled by vega-lite and rendered headless by vega as an SVG document (a string). The spec
 * is copied first (vega marks the data objects it reads); the same spec always gives the same SVG.
 */
export async function renderSVG(vlSpec: object): Promise<string> {
  const { vega, vl } = await loadVega();
  const view = new vega.View(vega.parse(vl.compile(structuredClone(vlSpec)).spec), { renderer: 'none' });
  try {
    return stableIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}
