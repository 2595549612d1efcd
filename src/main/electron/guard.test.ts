// The Electron boundary cannot run here (no Electron binary), so app, shell and protocol are
// stand-ins that record what the wiring registers; the decisions behind them are the real ones.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { makeTempDir } from '../core/test/tempCore';

type Listener = (...args: unknown[]) => void;
const appListeners = new Map<string, Listener>();
const opened: string[] = [];
const schemes: unknown[] = [];
vi.mock('electron', () => ({
  app: { on: (name: string, fn: Listener) => appListeners.set(name, fn) },
  shell: { openExternal: async (url: string) => void opened.push(url) },
  protocol: { registerSchemesAsPrivileged: (list: unknown[]) => schemes.push(...list), handle: () => undefined },
}));

const { installWebContentsGuard } = await import('./guard');
const { answerAppRequest, registerAppScheme } = await import('./protocol');

/** A web contents as Electron creates it: events, and the window-open handler. */
function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  return {
    on: (name: string, fn: Listener) => listeners.set(name, fn),
    setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn),
    /** Emits an event with a preventable event object; true when the app prevented it. */
    emit(name: string, ...args: unknown[]): boolean {
      let prevented = false;
      listeners.get(name)!({ preventDefault: () => (prevented = true) }, ...args);
      return prevented;
    },
    open: (url: string) => openHandler!({ url }),
  };
}

function created(devUrl: string | null = null) {
  appListeners.clear();
  installWebContentsGuard({ devUrl, env: {} });
  const contents = fakeContents();
  appListeners.get('web-contents-created')!({}, contents);
  return contents;
}

beforeEach(() => {
  opened.length = 0;
});

describe('every web contents the app creates is guarded', () => {
  it('refuses webviews', () => {
    expect(created().emit('will-attach-webview', {}, {})).toBe(true);
  });

  it('stays on its own page: navigation elsewhere is refused, and only a provider page goes to the system browser', () => {
    const wc = created();
    expect(wc.emit('will-navigate', 'app://vitalsync/index.html')).toBe(false);
    expect(wc.emit('will-navigate', 'https://evil.example/')).toBe(true);
    expect(wc.emit('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(wc.emit('will-navigate', 'https://www.strava.com/oauth/authorize?client_id=1')).toBe(true);
    expect(opened).toEqual(['https://www.strava.com/oauth/authorize?client_id=1']);
    expect(wc.emit('will-redirect', 'https://evil.example/')).toBe(true);
  });

  it('opens no window: a provider’s sign-in page opens in the system browser, anything else nowhere', () => {
    const wc = created();
    expect(wc.open('https://cloud.ouraring.com/oauth/authorize?state=x')).toEqual({ action: 'deny' });
    expect(wc.open('https://evil.example/phish')).toEqual({ action: 'deny' });
    expect(wc.open('file:///home/jane/.ssh/id_rsa')).toEqual({ action: 'deny' });
    expect(wc.open('app://vitalsync/index.html')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://cloud.ouraring.com/oauth/authorize?state=x']);
  });

  it('lets the dev server’s page navigate within itself during development only', () => {
    expect(created('http://localhost:5173/').emit('will-navigate', 'http://localhost:5173/#/sources')).toBe(false);
    expect(created(null).emit('will-navigate', 'http://localhost:5173/#/sources')).toBe(true);
  });
});

describe('the app:// protocol', () => {
  const root = makeTempDir('vitalsync-app-protocol-');
  const dir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>VitalSync</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'export {}');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'not for pages');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is a privileged standard, secure scheme', () => {
    registerAppScheme();
    expect(schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });

  it('serves the built page and its assets with the one CSP', async () => {
    const page = await answerAppRequest(dir, new Request('app://vitalsync/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>VitalSync</title>');
    const js = await answerAppRequest(dir, new Request('app://vitalsync/assets/app.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('serves nothing outside the renderer folder, on no other host, and no writes', async () => {
    expect((await answerAppRequest(dir, new Request('app://vitalsync/..%2fsecret.txt'))).status).toBe(403);
    expect((await answerAppRequest(dir, new Request('app://vitalsync/assets/%2e%2e%2f%2e%2e%2fsecret.txt'))).status).toBe(403);
    expect((await answerAppRequest(dir, new Request('app://other/index.html'))).status).toBe(404);
    expect((await answerAppRequest(dir, new Request('app://vitalsync/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});
