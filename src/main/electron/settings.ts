import Store from 'electron-store';
import { SettingsSchema, type Settings } from '../../shared/contract';
import { applySettingsPatch, SETTINGS_FILE, type SettingsStore } from '../core/settings';

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface AppSettingsStore extends SettingsStore {
  getWindowBounds(): Bounds | undefined;
  setWindowBounds(bounds: Bounds): void;
}

/**
 * electron-store over `<userData>/config.json`: the same file the CLI's JsonSettingsStore
 * reads, so both front doors share settings. Window bounds are desktop-only.
 */
export function createElectronSettings(dataDir: string): AppSettingsStore {
  const store = new Store<Record<string, unknown>>({ cwd: dataDir, name: SETTINGS_FILE.replace(/\.json$/, ''), clearInvalidConfig: false });
  const read = (): Settings => {
    const parsed = SettingsSchema.safeParse(store.store);
    return parsed.success ? parsed.data : SettingsSchema.parse({});
  };
  return {
    get: read,
    set(patch) {
      const next = applySettingsPatch(read(), patch);
      store.set(next);
      return next;
    },
    getWindowBounds: () => store.get('windowBounds') as Bounds | undefined,
    setWindowBounds: (bounds) => store.set('windowBounds', bounds),
  };
}
