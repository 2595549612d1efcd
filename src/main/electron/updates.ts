// electron-updater behind the person's setting (core/updates.ts decides when). The module is
// loaded only when a check is actually made, so with the setting off it is never even imported.
import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import { log } from '../core/log';
import type { SettingsStore } from '../core/settings';
import { startUpdateChecks, type UpdateChecks } from '../core/updates';

/** A packaged build has an update feed only when its distributor set one (app-update.yml). */
export function updateFeedConfigured(): boolean {
  return app.isPackaged && fs.existsSync(path.join(process.resourcesPath, 'app-update.yml'));
}

export function startAppUpdateChecks(settings: SettingsStore): UpdateChecks {
  return startUpdateChecks({
    enabled: () => settings.get().checkForUpdates,
    feedConfigured: updateFeedConfigured(),
    async check() {
      const mod = await import('electron-updater');
      const autoUpdater = mod.autoUpdater ?? (mod as unknown as { default: typeof mod }).default.autoUpdater;
      autoUpdater.logger = { info: (m: unknown) => log.info(`updates: ${String(m)}`), warn: (m: unknown) => log.warn(`updates: ${String(m)}`), error: (m: unknown) => log.warn(`updates: ${String(m)}`), debug: () => undefined };
      // Downloads in the background and installs on quit; the OS notification says so.
      await autoUpdater.checkForUpdatesAndNotify();
    },
  });
}
