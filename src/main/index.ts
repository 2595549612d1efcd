// Desktop entry: lifecycle only. Single-instance lock, migrate (by creating the core), register
// IPC handlers, open the window. Everything else lives in core/ (plain Node) or electron/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog } from 'electron';
import { createCore, type Core } from './core';
import { log } from './core/log';
import { appPathsFrom } from './core/paths';
import { keytarStore } from './core/secrets';
import { deepLinkFromSecondInstance, deepLinks, onResumeFromSleep, openInSystemBrowser, registerProtocolClient } from './electron/deeplinks';
import { forwardEvents, registerIpcHandlers } from './electron/ipc';
import { createElectronSettings } from './electron/settings';
import { createMainWindow, hardenSession, setMainDir, trustedSender } from './electron/window';

const entryDir = path.dirname(fileURLToPath(import.meta.url));
setMainDir(entryDir);
app.setName('VitalSync');
if (process.env.VITALSYNC_DATA_DIR) app.setPath('userData', path.resolve(process.env.VITALSYNC_DATA_DIR));

let mainWindow: BrowserWindow | null = null;
let core: Core | null = null;

if (!app.requestSingleInstanceLock()) {
  // Another VitalSync is running; it receives our argv through 'second-instance'.
  app.quit();
} else {
  // Before 'ready', so the link that launched the app is not lost.
  registerProtocolClient();
  app.on('second-instance', (_event, argv) => {
    deepLinkFromSecondInstance(argv);
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  app.whenReady().then(
    () => {
      const dataDir = app.getPath('userData');
      log.toFile(path.join(dataDir, 'vitalsync.log'));
      const settings = createElectronSettings(dataDir);
      try {
        core = createCore({
          dataDir,
          paths: appPathsFrom(entryDir),
          settings,
          version: app.getVersion(),
          secrets: keytarStore(),
          connections: { openExternal: openInSystemBrowser, canReceiveDeepLinks: true },
        });
      } catch (err) {
        log.error('could not open the database', err);
        dialog.showErrorBox(
          'VitalSync cannot open its database',
          `${err instanceof Error ? err.message : String(err)}\n\nThe data folder is ${dataDir}. Check that the disk is not full and that no other program holds the file.`,
        );
        app.exit(1);
        return;
      }
      hardenSession();
      registerIpcHandlers(core, trustedSender(() => mainWindow));
      forwardEvents(core, () => mainWindow?.webContents ?? null);
      mainWindow = createMainWindow(settings);
      mainWindow.on('closed', () => (mainWindow = null));
      const ready = core;
      // Deep links wait until the page can show what they did.
      mainWindow.webContents.once('did-finish-load', () => {
        deepLinks.ready((url) => {
          void ready.connections.handleDeepLink(url).then(() => mainWindow?.focus());
        });
      });
      core.connections.startScheduler();
      onResumeFromSleep(() => ready.connections.onResume());
      app.on('activate', () => {
        if (!mainWindow) mainWindow = createMainWindow(settings);
      });
    },
    (err: unknown) => log.error('app failed to start', err),
  );

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => core?.close());
}
