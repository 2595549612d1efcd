// The renderer is served from app://vitalsync/, a privileged standard scheme, instead of file://
// (Electron's security checklist: "Use a custom protocol instead of file://"): the page gets a
// real origin, and it can read nothing but the built renderer folder. Which file answers which
// URL is core/rendererFiles.ts, shared with browser mode and tested without Electron.
import fs from 'node:fs';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME, rendererHeaders, resolveRendererFile } from '../core/rendererFiles';

/** Before 'ready': a scheme's privileges can only be declared then. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

/** The app:// handler over `rendererDir` (out/renderer, inside app.asar when packaged). */
export async function answerAppRequest(rendererDir: string, request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== APP_HOST) return new Response('Unknown host', { status: 404 });
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
  const found = resolveRendererFile(rendererDir, url.pathname);
  if (found.status !== 200) return new Response(found.status === 403 ? 'Forbidden' : 'Not found', { status: found.status });
  const body = request.method === 'HEAD' ? null : await fs.promises.readFile(found.file);
  return new Response(body, { status: 200, headers: rendererHeaders(found) });
}

/** After 'ready'. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => answerAppRequest(rendererDir, request));
}
