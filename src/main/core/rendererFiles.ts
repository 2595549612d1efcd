// Which file of the built renderer answers a request, for both front doors: the desktop app's
// app:// protocol and browser mode's HTTP server. Plain Node, so the rules are tested without
// Electron: a path that climbs out of the renderer folder is refused, never clamped.
import fs from 'node:fs';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

/** The desktop app's privileged scheme and its one host: pages are app://vitalsync/… */
export const APP_SCHEME = 'app';
export const APP_HOST = 'vitalsync';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export type RendererFile =
  | { status: 200; file: string; contentType: string; isIndex: boolean }
  | { status: 403 | 404; reason: string };

/**
 * Maps a request path (the URL's pathname, still percent-encoded) to a file in `rendererDir`.
 * Paths with `..`, NUL or bad escapes are 403. A missing asset (a name with an extension) is 404;
 * any other path is the single-page app, index.html.
 */
export function resolveRendererFile(rendererDir: string, pathname: string): RendererFile {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 403, reason: 'malformed escape' };
  }
  if (decoded.includes('\0')) return { status: 403, reason: 'NUL in path' };
  const segments = decoded.split(/[/\\]+/).filter(Boolean);
  if (segments.some((s) => s === '..' || s === '.' || /^[a-zA-Z]:$/.test(s))) return { status: 403, reason: 'path leaves the renderer folder' };
  const root = path.resolve(rendererDir);
  const index = path.join(root, 'index.html');
  const file = path.join(root, ...segments);
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { status: 403, reason: 'path leaves the renderer folder' };
  if (segments.length && isFile(file)) return { status: 200, file, contentType: contentTypeOf(file), isIndex: file === index };
  if (segments.length && path.extname(file)) return { status: 404, reason: 'no such file' };
  return { status: 200, file: index, contentType: contentTypeOf(index), isIndex: true };
}

export function contentTypeOf(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers every renderer response carries, from either front door. */
export function rendererHeaders(found: { contentType: string; isIndex: boolean }): Record<string, string> {
  return {
    'content-type': found.contentType,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': found.isIndex ? 'no-store' : 'max-age=3600',
  };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
