import path from 'node:path';
import { BrowserWindow, session, shell, type IpcMainInvokeEvent } from 'electron';
import type { AppSettingsStore } from './settings';

/** out/main, where the built entry runs; the preload and renderer builds sit beside it. */
let mainDir = '';
export function setMainDir(dir: string): void {
  mainDir = dir;
}

/** The renderer's own origin: the dev server in `electron-vite dev`, else the built file. */
export function rendererUrl(): { devUrl: string | null; file: string } {
  return { devUrl: process.env.ELECTRON_RENDERER_URL ?? null, file: path.join(mainDir, '../renderer/index.html') };
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Session-wide rules: strict CSP on our pages, every permission request denied. */
export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

export function createMainWindow(settings: AppSettingsStore): BrowserWindow {
  const bounds = settings.getWindowBounds();
  const win = new BrowserWindow({
    width: bounds?.width ?? 1280,
    height: bounds?.height ?? 820,
    x: bounds?.x,
    y: bounds?.y,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'VitalSync',
    webPreferences: {
      preload: path.join(mainDir, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('close', () => settings.setWindowBounds(win.getBounds()));

  const { devUrl, file } = rendererUrl();
  const wc = win.webContents;
  // Navigation away from our page and new windows are denied; http(s) links open in the
  // system browser instead (OAuth sign-in pages among them).
  wc.on('will-navigate', (event, url) => {
    if (!isOwnPage(url)) event.preventDefault();
  });
  wc.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(file);
  return win;
}

function isOwnPage(url: string): boolean {
  const { devUrl, file } = rendererUrl();
  if (devUrl && url.startsWith(devUrl)) return true;
  try {
    return new URL(url).protocol === 'file:' && decodeURIComponent(new URL(url).pathname).endsWith(file.replace(/\\/g, '/'));
  } catch {
    return false;
  }
}

/** IPC is answered only for our main window's top frame showing our own page. */
export function trustedSender(getWindow: () => BrowserWindow | null) {
  return (event: IpcMainInvokeEvent): boolean => {
    const win = getWindow();
    if (!win || event.sender !== win.webContents) return false;
    const frameUrl = event.senderFrame?.url ?? '';
    return event.senderFrame === event.sender.mainFrame && isOwnPage(frameUrl);
  };
}
