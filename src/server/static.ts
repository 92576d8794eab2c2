/**
 * The web app's files (dist/web, built by Vite) with an SPA fallback: any GET that is not an API
 * path and not a file gets index.html, except a missing asset, which is a 404 (`isAppPath`).
 * Hashed assets (`/assets/…`) are cached for a year; the rest revalidates (ETag). Without a build,
 * `/` explains in Chinese that the web app is not built.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Context } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

const NOT_BUILT = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>年报 nianbao</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:40em;margin:4em auto;padding:0 1em;line-height:1.7;color:#222}code{background:#f3f3f3;padding:0 .3em}</style>
</head><body>
<h1>网页界面尚未构建</h1>
<p>服务器正在运行，接口（<code>/api/…</code>）可以使用，接口说明见 <a href="/openapi.json">/openapi.json</a>。</p>
<p>网页界面需要先构建：在项目目录运行 <code>npm run build:web</code>（生成 <code>dist/web/</code>），然后刷新本页。</p>
<p lang="en">The web app is not built yet (run <code>npm run build:web</code>); the API works.</p>
</body></html>`;

interface Found {
  path: string;
  size: number;
  mtimeMs: number;
}

async function fileAt(root: string, urlPath: string): Promise<Found | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  // no dot files or folders (.git, .env) and nothing outside the root
  if (rel.split(/[/\\]/).some((part) => part.startsWith('.') && part !== '.')) return null;
  const full = join(root, rel);
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    const st = await stat(full);
    if (!st.isFile()) return null;
    return { path: full, size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return null;
  }
}

async function send(c: Context, f: Found, immutable: boolean): Promise<Response> {
  const etag = `W/"${f.size.toString(16)}-${Math.floor(f.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    'Content-Type': contentType(f.path),
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ETag: etag,
  };
  if (c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers });
  const body = c.req.method === 'HEAD' ? null : new Uint8Array(await readFile(f.path));
  return new Response(body, { status: 200, headers: { ...headers, 'Content-Length': String(f.size) } });
}

/** extensions of the files a page loads (scripts, styles, images, fonts …): a missing one is a 404, not the app */
const ASSET_EXTENSIONS: ReadonlySet<string> = new Set(Object.keys(TYPES).filter((e) => e !== '.html'));

/**
 * is a path that is not a file one of the app's own (its router's), answered with index.html:
 * anything but a missing file under /assets/ (hashed build output) and a missing file with the
 * extension of an asset (`/x.js`, `/logo.png`) that a page — not a navigation, which accepts
 * text/html — asks for. A dot alone does not make a file: `/cases/2025.001` is the app.
 */
function isAppPath(path: string, accept: string | undefined): boolean {
  if (path.startsWith('/assets/')) return false;
  const ext = extname(path).toLowerCase();
  if (!ASSET_EXTENSIONS.has(ext)) return true;
  return /\btext\/html\b/i.test(accept ?? '');
}

/** serves `root` (dist/web) with the SPA fallback; null when the request is not for it */
export async function serveWeb(c: Context, root: string): Promise<Response | null> {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return null;
  const path = c.req.path;
  if (path.startsWith('/api/') || path === '/api') return null;
  if (path !== '/') {
    const f = await fileAt(root, path);
    if (f) return send(c, f, path.startsWith('/assets/'));
    if (!isAppPath(path, c.req.header('accept'))) return null;
  }
  const index = await fileAt(root, '/index.html');
  if (index) return send(c, index, false);
  return c.html(NOT_BUILT, 200, { 'Cache-Control': 'no-cache' });
}
