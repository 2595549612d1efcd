import path from 'node:path';
import { app, BrowserWindow, session, type IpcMainInvokeEvent } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { APP_ENTRY_URL } from '../core/rendererFiles';
import { devServerUrlFrom, isAppPage } from './policy';
import type { AppSettingsStore } from './settings';

/** out/main, where the built entry runs; the preload and renderer builds sit beside it. */
let mainDir = '';
export function setMainDir(dir: string): void {
  mainDir = dir;
}

/** The built renderer folder that app:// serves (inside app.asar when packaged). */
export function rendererDir(): string {
  return path.join(mainDir, '../renderer');
}

/** The dev server in `electron-vite dev`, else null (the built page, over app://). Never in a packaged app. */
export function devServerUrl(): string | null {
  return devServerUrlFrom(process.env, app.isPackaged);
}

/** Session-wide rules: the one CSP on every response, every permission request denied. */
export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
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
    // Linux shows the window's own icon in task switchers (macOS and Windows take the bundle's).
    ...(process.platform === 'linux' ? { icon: path.join(mainDir, '../../resources/icons/png/512x512.png') } : {}),
    webPreferences: {
      preload: path.join(mainDir, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // A middle-click would otherwise ask for a new window; the guard denies it anyway.
      disableBlinkFeatures: 'Auxclick',
      // DevTools run any code in the page, with its IPC: in development only (menu.ts agrees).
      devTools: !app.isPackaged,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('close', () => settings.setWindowBounds(win.getBounds()));
  // Navigation, new windows and webviews are refused for every web contents by guard.ts.
  void win.loadURL(devServerUrl() ?? APP_ENTRY_URL);
  return win;
}

/** IPC is answered only for our main window's top frame showing our own page. */
export function trustedSender(getWindow: () => BrowserWindow | null) {
  return (event: IpcMainInvokeEvent): boolean => {
    const win = getWindow();
    if (!win || event.sender !== win.webContents) return false;
    const frameUrl = event.senderFrame?.url ?? '';
    return event.senderFrame === event.sender.mainFrame && isAppPage(frameUrl, devServerUrl());
  };
}
