// The desktop app's start, called by src/main/index.ts (the built entry) with the folder it runs
// from: the command line (--cli), or the single-instance lock, the app:// scheme and the
// web-contents guard (both before any window), the protocol client, then at 'ready' the core
// (migrations), the handlers and the window. A function, so startup.test.ts can run it against
// a stand-in Electron and check that order.
import path from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { createCore, type Core } from '../core';
import { log } from '../core/log';
import { appPathsFrom } from '../core/paths';
import { keytarStore } from '../core/secrets';
import { runCliInsideApp } from './cliMode';
import { deepLinkFromSecondInstance, deepLinks, onResumeFromSleep, openInSystemBrowser, registerProtocolClient } from './deeplinks';
import { installWebContentsGuard } from './guard';
import { installExportDialog } from './exportDialog';
import { forwardEvents, registerIpcHandlers } from './ipc';
import { installAppMenu } from './menu';
import { cliArgsFromArgv, trustedEnv } from './policy';
import { registerAppScheme, serveRenderer } from './protocol';
import { createElectronSettings } from './settings';
import { startAppUpdateChecks } from './updates';
import { createMainWindow, devServerUrl, hardenSession, rendererDir, setMainDir, trustedSender } from './window';

/** Resolves once the app is up (its first window created), or at once for --cli and a second instance. */
export function startApp(entryDir: string): Promise<void> {
  // An installed app ignores the development overrides (the dev server's page, the providers'
  // endpoints), before anything reads them: the window, the guard, the core, the CLI, workers.
  const { ignored } = trustedEnv(process.env, app.isPackaged);
  for (const key of ignored) delete process.env[key];
  if (ignored.length) log.warn(`ignored ${ignored.join(', ')}: an installed VitalSync takes these only in development`);
  setMainDir(entryDir);
  app.setName('VitalSync');
  if (process.env.VITALSYNC_DATA_DIR) app.setPath('userData', path.resolve(process.env.VITALSYNC_DATA_DIR));

  let mainWindow: BrowserWindow | null = null;
  let core: Core | null = null;

  const cliArgs = cliArgsFromArgv(process.argv);
  if (cliArgs) {
    runCliInsideApp(cliArgs, entryDir);
    return Promise.resolve();
  }
  if (!app.requestSingleInstanceLock()) {
    // Another VitalSync is running; it receives our argv through 'second-instance'.
    app.quit();
    return Promise.resolve();
  }
  // Before 'ready': every renderer sandboxed, our scheme's privileges, the guard on every web
  // contents, and the protocol client, so the link that launched the app is not lost.
  app.enableSandbox();
  registerAppScheme();
  installWebContentsGuard({ devUrl: devServerUrl() });
  registerProtocolClient();
  app.on('second-instance', (_event, argv) => {
    deepLinkFromSecondInstance(argv);
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  const started = app.whenReady().then(
    () => {
      const dataDir = app.getPath('userData');
      log.toFile(path.join(dataDir, 'vitalsync.log'));
      const stored = createElectronSettings(dataDir);
      let settingsSaved = () => {};
      // Turning update checks on takes effect at once, not at the next hourly look.
      const settings: typeof stored = {
        ...stored,
        set(patch) {
          const next = stored.set(patch);
          if (patch.checkForUpdates) settingsSaved();
          return next;
        },
      };
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
      serveRenderer(rendererDir());
      installAppMenu(() => mainWindow);
      registerIpcHandlers(core, trustedSender(() => mainWindow));
      installExportDialog(core, () => mainWindow);
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
      void import('../core/vault/handlers').then((m) => m.runVaultInBackground(ready), (err: unknown) => log.error('vault sync failed to start', err));
      const updates = startAppUpdateChecks(settings);
      settingsSaved = () => void updates.poke();
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
  return started;
}
