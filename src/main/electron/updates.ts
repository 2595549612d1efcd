// electron-updater behind the person's setting (core/updates.ts decides when). The module is
// loaded only when a check is actually made, so with the setting off it is never even imported.
//
// What "Check for updates" does: once a day it asks the feed whether a newer version exists.
// Nothing is downloaded unless there is one and the person says yes in the dialog that names it;
// the download then installs when they quit VitalSync. (electron-updater's defaults would
// download at once, in the background, without asking: autoDownload is turned off here.)
import fs from 'node:fs';
import path from 'node:path';
import { app, dialog } from 'electron';
import { log } from '../core/log';
import type { SettingsStore } from '../core/settings';
import { startUpdateChecks, type UpdateChecks } from '../core/updates';

/** A packaged build has an update feed only when its distributor set one (app-update.yml). */
export function updateFeedConfigured(): boolean {
  return app.isPackaged && fs.existsSync(path.join(process.resourcesPath, 'app-update.yml'));
}

/** What VitalSync uses of electron-updater's autoUpdater. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; updateInfo: { version: string } } | null>;
  downloadUpdate(): Promise<unknown>;
}

export type UpdateOutcome = 'up-to-date' | 'declined' | 'downloaded';

/** One check: ask the feed; if it has a newer version, ask the person; download only on yes. */
export async function checkAndAsk(updater: Updater, ask: (version: string) => Promise<boolean>): Promise<UpdateOutcome> {
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = true;
  const result = await updater.checkForUpdates();
  if (!result?.isUpdateAvailable) return 'up-to-date';
  if (!(await ask(result.updateInfo.version))) return 'declined';
  await updater.downloadUpdate();
  return 'downloaded';
}

/** The dialog that asks; "Not now" is asked again at the next daily check. */
export async function askToDownload(version: string): Promise<boolean> {
  const { response } = await dialog.showMessageBox({
    type: 'info',
    title: 'Update available',
    message: `VitalSync ${version} is available (you have ${app.getVersion()}).`,
    detail: 'Download it now? It installs when you quit VitalSync. You can turn these checks off in Settings → Check for updates.',
    buttons: ['Download', 'Not now'],
    defaultId: 0,
    cancelId: 1,
  });
  return response === 0;
}

export async function checkForUpdateOnce(ask: (version: string) => Promise<boolean> = askToDownload): Promise<UpdateOutcome> {
  const mod = await import('electron-updater');
  const autoUpdater = mod.autoUpdater ?? (mod as unknown as { default: typeof mod }).default.autoUpdater;
  autoUpdater.logger = { info: (m: unknown) => log.info(`updates: ${String(m)}`), warn: (m: unknown) => log.warn(`updates: ${String(m)}`), error: (m: unknown) => log.warn(`updates: ${String(m)}`), debug: () => undefined };
  const outcome = await checkAndAsk(autoUpdater, ask);
  log.info(`updates: ${outcome}`);
  return outcome;
}

export function startAppUpdateChecks(settings: SettingsStore): UpdateChecks {
  return startUpdateChecks({
    enabled: () => settings.get().checkForUpdates,
    feedConfigured: updateFeedConfigured(),
    check: async () => void (await checkForUpdateOnce()),
  });
}
