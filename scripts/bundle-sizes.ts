/**
 * The JavaScript each page of the web app needs on its first load, from the built app (dist/web,
 * `npm run build:web`) and its Vite manifest (dist/web/.vite/manifest.json): the entry and its static
 * imports, and for a page inside the frame the frame's chunk (AppLayout), and the page's own chunk and
 * its static imports. Sizes raw and gzip (zlib's default level, as the server's compression sends them).
 *
 *   npx tsx scripts/bundle-sizes.ts [--json] [DIST]      (npm run bench:bundle)
 *
 * The routes are read from web/src/App.tsx: each `lazy(() => import('./pages/…'))` and the `<Route>`
 * that shows it; routes before `<AppLayout` are outside the frame (the login page).
 * test/web-bundle.test.ts holds the login page under its budget.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..');
export const DIST_WEB = join(ROOT, 'dist/web');
const APP_TSX = join(ROOT, 'web/src/App.tsx');

interface ManifestChunk {
  file: string;
  src?: string;
  name?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface PageBundle {
  /** the route, e.g. /cases/:id */
  route: string;
  /** the page's component, e.g. CaseDetailPage */
  page: string;
  /** the JS files loaded, entry first */
  files: string[];
  raw: number;
  gzip: number;
}

export function manifestPath(dist = DIST_WEB): string {
  return join(dist, '.vite/manifest.json');
}

/** the chunk `key` and everything it imports statically (keys, in load order) */
function closure(manifest: Manifest, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const k of manifest[key]?.imports ?? []) closure(manifest, k, seen);
  return seen;
}

/** the routes of App.tsx: route path → the lazily loaded component, and whether it is inside the frame */
export function routesOf(appSource: string): {
  lazy: Map<string, string>;
  routes: { route: string; page: string; framed: boolean }[];
} {
  const lazy = new Map<string, string>();
  for (const m of appSource.matchAll(/const\s+(\w+)\s*=\s*lazy\(\s*\(\)\s*=>\s*import\(\s*['"]\.\/([^'"]+)['"]\s*\)/g))
    lazy.set(m[1], `src/${m[2]}.tsx`);
  // pages imported statically are part of the entry
  const pages = new Set(lazy.keys());
  for (const m of appSource.matchAll(/import\s+\{?\s*([\w\s,]+?)\s*\}?\s+from\s+['"]\.\/pages\/[^'"]+['"]/g))
    for (const name of m[1].split(',')) pages.add(name.trim());
  const frameAt = appSource.search(/<AppLayout[\s>]/);
  const routes: { route: string; page: string; framed: boolean }[] = [];
  const seen = new Set<string>();
  for (const m of appSource.matchAll(/<Route\s+path="([^"]+)"\s+element=\{([\s\S]*?)\}\s*\/>/g)) {
    const page = [...m[2].matchAll(/<(\w+)\s*\/>/g)].map((c) => c[1]).find((c) => pages.has(c));
    if (!page || seen.has(m[1])) continue;
    seen.add(m[1]);
    routes.push({ route: m[1], page, framed: frameAt >= 0 && (m.index ?? 0) > frameAt });
  }
  return { lazy, routes };
}

const sizeCache = new Map<string, { raw: number; gzip: number }>();
function sizeOf(dist: string, file: string): { raw: number; gzip: number } {
  const path = join(dist, file);
  let s = sizeCache.get(path);
  if (!s) {
    const bytes = readFileSync(path);
    s = { raw: bytes.length, gzip: gzipSync(bytes).length };
    sizeCache.set(path, s);
  }
  return s;
}

/** the JS of the first load of each page (the login page first), from the built app in `dist` */
export function pageBundles(dist = DIST_WEB, appSource = readFileSync(APP_TSX, 'utf8')): PageBundle[] {
  const manifest = JSON.parse(readFileSync(manifestPath(dist), 'utf8')) as Manifest;
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entry) throw new Error('the manifest has no entry');
  const { lazy, routes } = routesOf(appSource);
  const keyOf = (src: string): string => {
    const key = Object.keys(manifest).find((k) => k === src || manifest[k].src === src || k.endsWith(`/${src}`));
    if (!key) throw new Error(`${src} is not in the manifest`);
    return key;
  };
  const frame = lazy.has('AppLayout') ? keyOf(lazy.get('AppLayout')!) : null;
  return routes.map(({ route, page, framed }) => {
    const keys = closure(manifest, entry);
    if (framed && frame) closure(manifest, frame, keys);
    if (lazy.has(page)) closure(manifest, keyOf(lazy.get(page)!), keys);
    const files = [...keys].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'));
    let raw = 0;
    let gzip = 0;
    for (const f of files) {
      const s = sizeOf(dist, f);
      raw += s.raw;
      gzip += s.gzip;
    }
    return { route, page, files, raw, gzip };
  });
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

/** the Markdown table of `pageBundles` */
export function bundleTable(bundles: PageBundle[]): string {
  const lines = ['| route | page | JS files | raw | gzip |', '|---|---|---:|---:|---:|'];
  for (const b of bundles) lines.push(`| \`${b.route}\` | ${b.page} | ${b.files.length} | ${kb(b.raw)} | ${kb(b.gzip)} |`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bundle-sizes.ts')) {
  const args = process.argv.slice(2);
  const dist = resolve(args.find((a) => !a.startsWith('--')) ?? DIST_WEB);
  if (!existsSync(manifestPath(dist))) {
    process.stderr.write(`${manifestPath(dist)} is missing: run \`npm run build:web\` first\n`);
    process.exit(1);
  }
  const bundles = pageBundles(dist);
  process.stdout.write(args.includes('--json') ? `${JSON.stringify(bundles, null, 2)}\n` : `${bundleTable(bundles)}\n`);
}
