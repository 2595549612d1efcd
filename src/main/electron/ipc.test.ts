// The Electron boundary cannot run here (no Electron binary), so this is the one place with a
// fake: a stand-in ipcMain that records handlers. Everything behind it is the real core.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, MAIN_ONLY_CHANNELS } from '../../shared/contract';
import { invokeIpcChannel } from '../../shared/ipc';
import { tempCore } from '../core/test/tempCore';

const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (name: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => handlers.set(name, fn),
    removeHandler: (name: string) => handlers.delete(name),
  },
}));

const { registerIpcHandlers } = await import('./ipc');

let core: ReturnType<typeof tempCore>;
afterEach(() => {
  handlers.clear();
  core?.cleanup();
});

describe('IPC wiring', () => {
  it('registers exactly the contract’s channels, but none that writes to a path the page names', () => {
    core = tempCore();
    registerIpcHandlers(core, () => true);
    expect([...handlers.keys()].sort()).toEqual(CHANNEL_NAMES.filter((c) => !MAIN_ONLY_CHANNELS.has(c)).map(invokeIpcChannel).sort());
    expect(handlers.has(invokeIpcChannel('export:run'))).toBe(false);
    expect(handlers.has(invokeIpcChannel('export:save'))).toBe(true);
  });

  it('answers a trusted sender through the real core', async () => {
    core = tempCore();
    registerIpcHandlers(core, () => true);
    const res = (await handlers.get(invokeIpcChannel('prefs:set'))!({}, { category: 'sleep', fillGaps: false })) as { ok: boolean };
    expect(res.ok).toBe(true);
    expect(core.prefs.get('sleep').fillGaps).toBe(false);
  });

  it('refuses a sender that is not our window, before touching the core', async () => {
    core = tempCore();
    registerIpcHandlers(core, () => false);
    const res = await handlers.get(invokeIpcChannel('prefs:set'))!({}, { category: 'sleep', fillGaps: false });
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(core.prefs.get('sleep').fillGaps).toBe(true);
  });
});
