/**
 * Serves the web console's built assets (console/dist, built by the console's own
 * toolchain and shipped in the package) for any GET that is not /api, /metrics, /health
 * or /ready. A path without a file extension that matches no file gets index.html (the
 * console routes on the client). Paths are resolved inside the root only.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the console's build puts its output, relative to the package root. */
export const CONSOLE_DIST_DIR = fileURLToPath(new URL('../../console/dist', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Gregor</title>
<p>The Gregor web console is not built in this copy (no console/dist).
The broker is running: see <a href="/metrics">/metrics</a>, <a href="/health">/health</a>,
<a href="/api/overview">/api/overview</a>.</p>`;

/** Answers a GET for `urlPath` from `root`; returns false when nothing matched (caller 404s). */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<boolean> {
  const file = await resolveFile(root, urlPath);
  if (file === null) {
    if (urlPath !== '/' && urlPath !== '/index.html') return false;
    res.writeHead(200, { 'content-type': CONTENT_TYPES['.html'] });
    res.end(NOT_BUILT_PAGE);
    return true;
  }
  const type = CONTENT_TYPES[extname(file.path)] ?? 'application/octet-stream';
  // Hashed asset names never change content; index.html must be re-read after upgrades.
  const cache = file.path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, { 'content-type': type, 'content-length': file.size, 'cache-control': cache });
  createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
  return true;
}

async function resolveFile(root: string, urlPath: string): Promise<{ path: string; size: number } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const candidate = normalize(join(root, decoded));
  if (candidate !== root && !candidate.startsWith(root + sep)) return null;
  const direct = await fileAt(candidate);
  if (direct !== null) return direct;
  if (extname(decoded) !== '') return null;
  return fileAt(join(root, 'index.html'));
}

async function fileAt(path: string): Promise<{ path: string; size: number } | null> {
  try {
    const info = await stat(path);
    if (info.isFile()) return { path, size: info.size };
    if (info.isDirectory()) return fileAt(join(path, 'index.html'));
    return null;
  } catch {
    return null;
  }
}
