// Electron IPC channel names derived from the contract, shared by preload and main.

/** Each contract channel `domain:verb` is handled on the IPC channel `vitalsync:domain:verb`. */
export function invokeIpcChannel(channel: string): string {
  return `vitalsync:${channel}`;
}

/** All contract events travel on one IPC channel as (name, payload). */
export const EVENT_IPC_CHANNEL = 'vitalsync:event';
