// The app's start, run against a stand-in Electron (no Electron binary here): `electron` is the one
// fake, recording what the app asks of it and in which order. Everything behind it is real: the
// guard, the protocol, the window code, the IPC wiring, and a core over a temp SQLite file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { invokeIpcChannel } from '../../shared/ipc';
import { log } from '../core/log';
import { APP_ENTRY_URL } from '../core/rendererFiles';
import { makeTempDir, PROJECT_ROOT } from '../core/test/tempCore';

const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const state = {
    isPackaged: false,
    dataDir: '',
    /** What the app did, in order. */
    calls: [] as string[],
    appListeners: new Map<string, Listener[]>(),
    ipcHandlers: new Map<string, Listener>(),
    windows: [] as FakeWindow[],
    menu: null as unknown,
  };
  class FakeContents {
    listeners = new Map<string, Listener>();
    mainFrame = { url: '' };
    on(name: string, fn: Listener) {
      this.listeners.set(name, fn);
      return this;
    }
    once(name: string, fn: Listener) {
      return this.on(name, fn);
    }
    setWindowOpenHandler(fn: Listener) {
      this.listeners.set('window-open', fn);
    }
    send() {}
    isDestroyed() {
      return false;
    }
  }
  class FakeWindow {
    webContents = new FakeContents();
    constructor(public options: { webPreferences: Record<string, unknown> }) {
      state.calls.push('new BrowserWindow');
      state.windows.push(this);
      // Electron emits this for the window's own contents as it creates them.
      for (const fn of state.appListeners.get('web-contents-created') ?? []) fn({}, this.webContents);
    }
    loadURL(url: string) {
      state.calls.push(`loadURL ${url}`);
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    loadFile(file: string) {
      state.calls.push(`loadFile ${file}`);
      return Promise.resolve();
    }
    once() {}
    on() {}
    getBounds() {
      return { x: 0, y: 0, width: 1280, height: 820 };
    }
  }
  const electron = {
    app: {
      get isPackaged() {
        return state.isPackaged;
      },
      setName() {},
      setPath() {},
      getPath: () => state.dataDir,
      getVersion: () => '0.1.0',
      requestSingleInstanceLock: () => true,
      quit() {},
      exit() {},
      enableSandbox: () => state.calls.push('app.enableSandbox'),
      on(name: string, fn: Listener) {
        state.calls.push(`app.on ${name}`);
        state.appListeners.set(name, [...(state.appListeners.get(name) ?? []), fn]);
      },
      whenReady: () => Promise.resolve(),
      setAsDefaultProtocolClient: () => true,
    },
    protocol: {
      registerSchemesAsPrivileged: (list: { scheme: string }[]) => state.calls.push(`protocol.registerSchemesAsPrivileged ${list.map((s) => s.scheme).join()}`),
      handle: (scheme: string) => state.calls.push(`protocol.handle ${scheme}`),
    },
    session: { defaultSession: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, webRequest: { onHeadersReceived() {} } } },
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (name: string, fn: Listener) => state.ipcHandlers.set(name, fn), removeHandler() {}, on() {} },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: (menu: unknown) => (state.menu = menu) },
    dialog: { showErrorBox() {}, showMessageBox: async () => ({ response: 1 }), showSaveDialog: async () => ({ canceled: true }) },
    shell: { openExternal: async () => {} },
    powerMonitor: { on() {} },
  };
  return { state, electron, FakeContents };
});
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));
// electron-store is Electron's wrapper over conf (it asks electron's app for defaults). Loaded from
// node_modules it would bypass the mock above and load the real electron, so it is conf itself
// here, given the same options electron-store hands it.
vi.mock('electron-store', async () => {
  const Conf = (await import('conf')).default;
  return {
    default: class extends Conf {
      constructor({ name, ...options }: { name: string; cwd: string }) {
        super({ ...options, configName: name, projectVersion: '0.1.0' });
      }
    },
  };
});

const { startApp } = await import('./startup');

const root = makeTempDir('vitalsync-startup-');
const savedEnv = { ...process.env };
afterEach(() => {
  for (const fn of fake.state.appListeners.get('will-quit') ?? []) fn();
  process.env = { ...savedEnv };
});
afterAll(() => {
  log.toFile(os.devNull);
  fs.rmSync(root, { recursive: true, force: true });
});

/** Starts the app as src/main/index.ts does, from the source tree (its migrations). */
async function boot(opts: { isPackaged?: boolean; env?: Record<string, string> } = {}) {
  Object.assign(fake.state, { isPackaged: opts.isPackaged ?? false, dataDir: fs.mkdtempSync(path.join(root, 'data-')), calls: [], windows: [], menu: null });
  fake.state.appListeners.clear();
  fake.state.ipcHandlers.clear();
  Object.assign(process.env, opts.env ?? {});
  if (opts.isPackaged) Object.assign(process, { resourcesPath: root });
  await startApp(path.join(PROJECT_ROOT, 'src/main'));
  expect(fake.state.windows, fake.state.calls.join('\n')).toHaveLength(1);
  return fake.state.windows[0];
}

describe('the app’s start', () => {
  it('sandboxes every renderer, registers app:// and guards every web contents before any window exists', async () => {
    await boot();
    const { calls } = fake.state;
    const firstWindow = calls.indexOf('new BrowserWindow');
    for (const step of ['app.enableSandbox', 'protocol.registerSchemesAsPrivileged app', 'app.on web-contents-created', 'protocol.handle app']) {
      expect(calls.indexOf(step), `${step}\n${calls.join('\n')}`).toBeGreaterThanOrEqual(0);
      expect(calls.indexOf(step), `${step} before the window`).toBeLessThan(firstWindow);
    }
    // The listener is the real guard: the window's own contents got its handlers.
    const contents = fake.state.windows[0].webContents;
    expect([...contents.listeners.keys()]).toEqual(expect.arrayContaining(['will-attach-webview', 'will-navigate', 'will-redirect', 'window-open']));
    expect(contents.listeners.get('window-open')!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('opens one window, sandboxed and context-isolated without Node, on app://vitalsync/index.html (never file://)', async () => {
    const win = await boot();
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, webSecurity: true, webviewTag: false });
    expect(APP_ENTRY_URL).toBe('app://vitalsync/index.html');
    const loads = fake.state.calls.filter((c) => c.startsWith('load'));
    expect(loads).toEqual([`loadURL ${APP_ENTRY_URL}`]);
  });

  it('loads the dev server’s page in development only: an installed app ignores ELECTRON_RENDERER_URL and the provider overrides', async () => {
    const env = { ELECTRON_RENDERER_URL: 'http://127.0.0.1:6666/', VITALSYNC_OURA_AUTH_URL: 'http://127.0.0.1:6666/oura' };
    await boot({ env });
    expect(fake.state.calls.filter((c) => c.startsWith('load'))).toEqual(['loadURL http://127.0.0.1:6666/']);
    for (const fn of fake.state.appListeners.get('will-quit') ?? []) fn();

    await boot({ isPackaged: true, env });
    expect(fake.state.calls.filter((c) => c.startsWith('load'))).toEqual([`loadURL ${APP_ENTRY_URL}`]);
    expect(process.env.ELECTRON_RENDERER_URL).toBeUndefined();
    expect(process.env.VITALSYNC_OURA_AUTH_URL).toBeUndefined();
    // The guard does not take the dev server for our page either.
    const guard = fake.state.windows[0].webContents;
    let prevented = false;
    guard.listeners.get('will-navigate')!({ preventDefault: () => (prevented = true) }, 'http://127.0.0.1:6666/');
    expect(prevented).toBe(true);
  });
});

describe('DevTools', () => {
  /** Every role in a menu template, submenus included. */
  const roles = (items: unknown): string[] =>
    (Array.isArray(items) ? items : []).flatMap((item: { role?: string; submenu?: unknown }) => [...(item.role ? [item.role] : []), ...roles(item.submenu)]);

  it('are out of reach in an installed app: off in the window, and no menu item (nor viewMenu, which carries one)', async () => {
    const win = await boot({ isPackaged: true });
    expect(win.options.webPreferences.devTools).toBe(false);
    const menuRoles = roles(fake.state.menu).map((r) => r.toLowerCase());
    expect(menuRoles).not.toContain('toggledevtools');
    expect(menuRoles).not.toContain('viewmenu');
    expect(menuRoles).toEqual(expect.arrayContaining(['zoomin', 'zoomout', 'resetzoom', 'togglefullscreen']));
  });

  it('are there in development', async () => {
    const win = await boot();
    expect(win.options.webPreferences.devTools).toBe(true);
    expect(roles(fake.state.menu)).toContain('viewMenu');
  });
});

describe('IPC from the page', () => {
  /** Calls a contract channel as Electron would, from `sender` and its frame `frame`. */
  async function invoke(sender: unknown, frame: { url: string } | null) {
    const handler = fake.state.ipcHandlers.get(invokeIpcChannel('prefs:get'))!;
    return (await handler({ sender, senderFrame: frame }, {})) as { ok: boolean; error?: { code: string } };
  }

  it('answers the main window’s top frame showing our page', async () => {
    const win = await boot();
    expect(await invoke(win.webContents, win.webContents.mainFrame)).toMatchObject({ ok: true });
  });

  it('refuses another web contents, a subframe, and a page that is not ours', async () => {
    const win = await boot();
    const other = new fake.FakeContents();
    other.mainFrame.url = APP_ENTRY_URL;
    expect(await invoke(other, other.mainFrame)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await invoke(win.webContents, { url: APP_ENTRY_URL })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    win.webContents.mainFrame.url = 'https://evil.example/';
    expect(await invoke(win.webContents, win.webContents.mainFrame)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    win.webContents.mainFrame.url = 'file:///opt/VitalSync/resources/app.asar/out/renderer/index.html';
    expect(await invoke(win.webContents, win.webContents.mainFrame)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
