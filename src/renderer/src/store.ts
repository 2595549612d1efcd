import { create } from 'zustand';
import type { CategoryPreference, ChannelInput, Settings, SourceState } from '../../shared/contract';
import { CATEGORY_LABELS } from '../../shared/catalog';
import { call } from './api';
import { navigate, useRouter, type Page } from './router';

export type { Page } from './router';

interface AppState {
  /** The current page (mirrors the URL's route; see router.ts). */
  page: Page;
  sources: SourceState[];
  prefs: CategoryPreference[];
  settings: Settings | null;
  /** The last error a person should see, in plain words; cleared when they dismiss it. */
  error: string | null;
  notice: string | null;
  /** Goes to a page (a new history entry, so Back returns). */
  setPage(page: Page): void;
  load(): Promise<void>;
  savePreference(input: {
    category: CategoryPreference['category'];
    sources?: string[];
    fillGaps?: boolean;
    overrides?: CategoryPreference['overrides'];
  }): Promise<boolean>;
  /** Puts one category (or all) back to the defaults; resolves false when the core refused. */
  resetPreferences(category?: CategoryPreference['category']): Promise<boolean>;
  /** Saves settings; resolves false when the core refused them (the store shows why). */
  saveSettings(patch: ChannelInput<'settings:set'>): Promise<boolean>;
  dismiss(): void;
}

export const useApp = create<AppState>((set, get) => ({
  page: useRouter.getState().page,
  sources: [],
  prefs: [],
  settings: null,
  error: null,
  notice: null,
  setPage: (page) => navigate(page),
  async load() {
    try {
      const [sources, prefs, settings] = await Promise.all([call('sources:list', {}), call('prefs:get', {}), call('settings:get', {})]);
      set({ sources, prefs, settings });
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
  async savePreference(input) {
    // Show the change at once (a controlled checkbox would otherwise flick back until the core
    // answers), then settle on what the core saved, or put the old value back if it refused.
    const before = get().prefs;
    const replace = (next: CategoryPreference) => get().prefs.map((p) => (p.category === next.category ? next : p));
    const current = before.find((p) => p.category === input.category);
    if (current) {
      const { category: _category, ...changes } = input;
      set({ prefs: replace({ ...current, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) }) });
    }
    try {
      const saved = await call('prefs:set', input);
      set({ prefs: replace(saved), error: null, notice: 'Saved.' });
      return true;
    } catch (err) {
      if (current) set({ prefs: replace(current) });
      set({ error: (err as Error).message, notice: null });
      return false;
    }
  },
  async resetPreferences(category) {
    try {
      const prefs = await call('prefs:reset', category ? { category } : {});
      set({ prefs, error: null, notice: category ? `Restored the defaults for ${CATEGORY_LABELS[category]}.` : 'Restored every category’s defaults.' });
      return true;
    } catch (err) {
      set({ error: `The defaults could not be restored: ${(err as Error).message}`, notice: null });
      return false;
    }
  },
  async saveSettings(patch) {
    try {
      set({ settings: await call('settings:set', patch), error: null });
      return true;
    } catch (err) {
      set({ error: (err as Error).message, notice: null });
      return false;
    }
  },
  dismiss: () => set({ error: null, notice: null }),
}));

// The page follows the route (Back/Forward, reload, deep links and navigate()).
useRouter.subscribe((route) => {
  if (useApp.getState().page !== route.page) useApp.setState({ page: route.page });
});
