import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNEL_NAMES, ERROR_CODES, MAIN_ONLY_CHANNELS } from '../../shared/contract';
import { EVENT_IPC_CHANNEL, invokeIpcChannel } from '../../shared/ipc';
import type { Core } from '../core';
import { dispatch } from '../core/dispatch';

/**
 * Registers one ipcMain handler per contract channel. Each checks that the sender is our own
 * window showing our own page, then hands the untrusted input to the contract gate.
 */
export function registerIpcHandlers(core: Core, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  // Channels that write wherever they are told (export:run) are for the CLI and main only.
  for (const channel of CHANNEL_NAMES.filter((c) => !MAIN_ONLY_CHANNELS.has(c))) {
    ipcMain.handle(invokeIpcChannel(channel), async (event, input: unknown) => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: ERROR_CODES.forbidden, message: 'This window may not call VitalSync.' } };
      }
      return dispatch(core.handlers, channel, input);
    });
  }
  return () => {
    for (const channel of CHANNEL_NAMES) if (!MAIN_ONLY_CHANNELS.has(channel)) ipcMain.removeHandler(invokeIpcChannel(channel));
  };
}

/** Forwards every core event to the window. */
export function forwardEvents(core: Core, getTarget: () => WebContents | null): () => void {
  return core.events.onAny((event, payload) => {
    const target = getTarget();
    if (target && !target.isDestroyed()) target.send(EVENT_IPC_CHANNEL, event, payload);
  });
}
