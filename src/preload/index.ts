// The only bridge between the sandboxed renderer and the main process. It exposes
// window.vitalsync: invoke() for the channels the contract declares and on() for its event
// channels. Names outside the contract are refused here, before anything reaches main.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAMES, ERROR_CODES, EVENT_NAMES, MAIN_ONLY_CHANNELS, type VitalSyncApi } from '../shared/contract';
import { EVENT_IPC_CHANNEL, invokeIpcChannel } from '../shared/ipc';

const allowedChannels = new Set<string>(CHANNEL_NAMES.filter((c) => !MAIN_ONLY_CHANNELS.has(c)));
const allowedEvents = new Set<string>(EVENT_NAMES);

const api: VitalSyncApi = {
  invoke(channel, input) {
    if (!allowedChannels.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: ERROR_CODES.unknownChannel, message: `"${String(channel)}" is not a VitalSync channel.` } });
    }
    return ipcRenderer.invoke(invokeIpcChannel(channel), input);
  },
  on(event, listener) {
    if (!allowedEvents.has(event)) throw new Error(`"${String(event)}" is not a VitalSync event.`);
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload as never);
    };
    ipcRenderer.on(EVENT_IPC_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_IPC_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('vitalsync', api);

// A sandboxed renderer's dropped or picked File has no path; the import needs one (it streams
// the file from disk instead of copying it through IPC). Only this one lookup is exposed.
contextBridge.exposeInMainWorld('vitalsyncFiles', {
  pathForFile: (file: Parameters<typeof webUtils.getPathForFile>[0]): string => webUtils.getPathForFile(file),
});
