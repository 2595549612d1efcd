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

/** A confirmation of a change ("Saved.") goes by itself after this long, or at the next change or page. */
const CONFIRMATION_MS = 6_000;
let confirmationTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * The notice confirming a change made on `page`, cleared after CONFIRMATION_MS (unless another
 * notice replaced it). None once the person has left that page: it would be about nothing there.
 */
function confirmation(text: string, page: Page): { notice?: string } {
  if (useApp.getState().page !== page) return {};
  clearTimeout(confirmationTimer);
  confirmationTimer = setTimeout(() => useApp.getState().notice === text && useApp.setState({ notice: null }), CONFIRMATION_MS);
  return { notice: text };
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
    const page = get().page;
    // The last change's "Saved." goes as this change starts; this one's is then said afresh.
    set({ notice: null });
    const replace = (next: CategoryPreference) => get().prefs.map((p) => (p.category === next.category ? next : p));
    const current = before.find((p) => p.category === input.category);
    if (current) {
      const { category: _category, ...changes } = input;
      set({ prefs: replace({ ...current, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) }) });
    }
    try {
      const saved = await call('prefs:set', input);
      set({ prefs: replace(saved), error: null, ...confirmation('Saved.', page) });
      return true;
    } catch (err) {
      if (current) set({ prefs: replace(current) });
      set({ error: (err as Error).message, notice: null });
      return false;
    }
  },
  async resetPreferences(category) {
    const page = get().page;
    set({ notice: null });
    try {
      const prefs = await call('prefs:reset', category ? { category } : {});
      set({ prefs, error: null, ...confirmation(category ? `Restored the defaults for ${CATEGORY_LABELS[category]}.` : 'Restored every category’s defaults.', page) });
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

// The page follows the route (Back/Forward, reload, deep links and navigate()). A notice is
// about the page it was given on ("Saved." on Preferences): it does not follow to the next one.
useRouter.subscribe((route) => {
  if (useApp.getState().page !== route.page) useApp.setState({ page: route.page, notice: null });
});
