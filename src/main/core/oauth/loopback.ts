// RFC 8252 loopback redirect: a one-shot HTTP listener on 127.0.0.1 that takes exactly one
// OAuth answer for one provider, shows the person the outcome, and closes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors';
import { parseOAuthCallback, type OAuthCallback } from './deeplink';
import type { OAuthProviderId } from './providers';

export interface LoopbackListener {
  port: number;
  redirectUri: string;
  close(): void;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width">
<style>body{font:16px system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1d2330}h1{font-size:1.4rem}</style></head>
<body><h1 id="result">${escapeHtml(title)}</h1><p id="message">${escapeHtml(message)}</p></body></html>`;
}

export async function startLoopback(
  provider: OAuthProviderId,
  port: number,
  onCallback: (cb: OAuthCallback) => Promise<{ ok: boolean; message: string }>,
): Promise<LoopbackListener> {
  let done = false;
  const server = http.createServer((req, res) => {
    const reply = (status: number, title: string, message: string) => {
      res.writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        'referrer-policy': 'no-referrer',
      });
      res.end(page(title, message));
    };
    const url = `http://127.0.0.1${req.url ?? '/'}`;
    if (req.method !== 'GET' || done) return reply(404, 'Not found', 'Nothing is waiting here.');
    const cb = parseOAuthCallback(url, { scheme: 'loopback', provider });
    if (!cb) return reply(404, 'Not found', 'Nothing is waiting here.');
    done = true;
    onCallback(cb).then(
      (r) => reply(r.ok ? 200 : 400, r.ok ? 'Connected' : 'Not connected', `${r.message} You can close this tab and return to VitalSync.`),
      () => reply(500, 'Not connected', 'VitalSync hit an unexpected error. Details are in its log.'),
    ).finally(() => setImmediate(() => close()));
  });
  const close = () => {
    server.close();
    server.closeIdleConnections?.();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new AppError('CONFLICT', `Port ${port} on 127.0.0.1 is in use, so VitalSync cannot receive the sign-in answer there. Close the program using it, or choose another port (the redirect URI registered with the provider must match).`)
          : err,
      );
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return { port: actual, redirectUri: `http://127.0.0.1:${actual}/oauth/${provider}/callback`, close };
}
