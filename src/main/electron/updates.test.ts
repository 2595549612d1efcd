// electron and electron-updater are the Electron boundary (no binary, no feed here): the dialog
// and the updater are stand-ins that record what the app asks of them.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const asked: { message: string; buttons: string[] }[] = [];
let answer = 0;
vi.mock('electron', () => ({
  app: { isPackaged: true, getVersion: () => '0.1.0' },
  dialog: {
    showMessageBox: async (opts: { message: string; buttons: string[] }) => {
      asked.push(opts);
      return { response: answer };
    },
  },
}));

const updater = {
  autoDownload: true,
  autoInstallOnAppQuit: false,
  logger: null as unknown,
  available: true,
  /** autoDownload as it was when the feed was asked: electron-updater starts downloading then if true. */
  autoDownloadAtCheck: null as boolean | null,
  downloads: 0,
  async checkForUpdates() {
    this.autoDownloadAtCheck = this.autoDownload;
    return { isUpdateAvailable: this.available, updateInfo: { version: '0.2.0' } };
  },
  async downloadUpdate() {
    this.downloads++;
    return [];
  },
};
vi.mock('electron-updater', () => ({ autoUpdater: updater }));

const { checkForUpdateOnce } = await import('./updates');

beforeEach(() => {
  asked.length = 0;
  Object.assign(updater, { autoDownload: true, autoInstallOnAppQuit: false, available: true, autoDownloadAtCheck: null, downloads: 0 });
});

describe('an update check', () => {
  it('asks the feed without downloading, and asks the person before any download', async () => {
    answer = 1; // "Not now"
    expect(await checkForUpdateOnce()).toBe('declined');
    expect(updater.autoDownloadAtCheck).toBe(false);
    expect(updater.downloads).toBe(0);
    expect(asked).toHaveLength(1);
    expect(asked[0].message).toBe('VitalSync 0.2.0 is available (you have 0.1.0).');
    expect(asked[0].buttons).toEqual(['Download', 'Not now']);
  });

  it('downloads when the person agrees, to install on quit', async () => {
    answer = 0; // "Download"
    expect(await checkForUpdateOnce()).toBe('downloaded');
    expect(updater.downloads).toBe(1);
    expect(updater.autoInstallOnAppQuit).toBe(true);
  });

  it('neither asks nor downloads when there is nothing newer', async () => {
    updater.available = false;
    expect(await checkForUpdateOnce()).toBe('up-to-date');
    expect(asked).toEqual([]);
    expect(updater.downloads).toBe(0);
  });
});
