// Connected accounts in the renderer: the list from the core, kept fresh by sync and OAuth
// events, and the actions behind the Sources page's buttons.
import { create } from 'zustand';
import type { ConnectionInfo, EventPayload, OAuthProvider } from '../../shared/contract';
import { call, isBrowserMode, onEvent } from './api';
import { useApp } from './store';

type Progress = EventPayload<'sync:progress'>;

interface ConnectionsState {
  list: ConnectionInfo[];
  progress: Partial<Record<string, Progress>>;
  /** The sign-in address, when the app could not open a browser tab itself. */
  openLinks: Partial<Record<string, string>>;
  busy: Partial<Record<string, boolean>>;
  load(): Promise<void>;
  setup(provider: OAuthProvider, clientId: string, clientSecret: string, bounceUrl?: string): Promise<boolean>;
  connect(provider: OAuthProvider): Promise<void>;
  cancel(provider: OAuthProvider): Promise<void>;
  syncNow(provider: OAuthProvider): Promise<void>;
  disconnect(provider: OAuthProvider, deleteData: boolean): Promise<void>;
}

const report = (err: unknown) => useApp.setState({ error: (err as Error).message, notice: null });

export const useConnections = create<ConnectionsState>((set, get) => ({
  list: [],
  progress: {},
  openLinks: {},
  busy: {},
  async load() {
    try {
      set({ list: await call('connections:list', {}) });
    } catch (err) {
      report(err);
    }
  },
  async setup(provider, clientId, clientSecret, bounceUrl) {
    try {
      const info = await call('connections:setup', { provider, clientId, clientSecret, ...(bounceUrl ? { bounceUrl } : {}) });
      set({ list: get().list.map((c) => (c.provider === provider ? info : c)) });
      useApp.setState({ notice: `${info.name} credentials saved in your system keychain.`, error: null });
      return true;
    } catch (err) {
      report(err);
      return false;
    }
  },
  async connect(provider) {
    // Browser mode: open the tab now, while the click still counts as a user gesture, and
    // send it to the provider once the core has built the address.
    const tab = isBrowserMode ? window.open('about:blank', '_blank') : null;
    try {
      const res = await call('connections:connect', { provider });
      if (res.opened) tab?.close();
      else if (tab) {
        tab.opener = null;
        tab.location.href = res.authorizeUrl;
      } else set({ openLinks: { ...get().openLinks, [provider]: res.authorizeUrl } });
      if (!res.opened && !tab) useApp.setState({ notice: 'Open the sign-in link below to continue.', error: null });
    } catch (err) {
      tab?.close();
      report(err);
    }
    await get().load();
  },
  async cancel(provider) {
    try {
      await call('connections:cancel', { provider });
    } catch (err) {
      report(err);
    }
    await get().load();
  },
  async syncNow(provider) {
    set({ busy: { ...get().busy, [provider]: true } });
    try {
      const [r] = await call('sync:now', { provider });
      if (r?.status === 'completed') useApp.setState({ notice: `${r.provider}: ${r.inserted} new, ${r.duplicates} already there.`, error: null });
      else if (r?.error) report(new Error(r.error));
    } catch (err) {
      report(err);
    } finally {
      set({ busy: { ...get().busy, [provider]: false }, progress: { ...get().progress, [provider]: undefined } });
      await Promise.all([get().load(), useApp.getState().load()]);
    }
  },
  async disconnect(provider, deleteData) {
    try {
      const r = await call('connections:disconnect', { provider, deleteData });
      useApp.setState({
        notice: deleteData ? `Disconnected; deleted ${r.deletedSamples} samples and ${r.deletedWorkouts} workouts.` : 'Disconnected; your data is kept.',
        error: null,
      });
    } catch (err) {
      report(err);
    }
    await Promise.all([get().load(), useApp.getState().load()]);
  },
}));

let subscribed = false;
/** Keeps the list live; called once by the Sources page. */
export function subscribeConnections(): void {
  if (subscribed) return;
  subscribed = true;
  const { load } = useConnections.getState();
  onEvent('sync:status', () => void load());
  onEvent('sync:progress', (p) => useConnections.setState((s) => ({ progress: { ...s.progress, [p.provider]: p } })));
  onEvent('oauth:finished', (o) => {
    useConnections.setState((s) => ({ openLinks: { ...s.openLinks, [o.provider]: undefined } }));
    if (o.ok) useApp.setState({ notice: o.message, error: null });
    else useApp.setState({ error: o.message, notice: null });
    void load();
  });
  onEvent('data:changed', () => {
    void load();
    void useApp.getState().load();
  });
}
