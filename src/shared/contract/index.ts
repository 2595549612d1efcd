import type { z } from 'zod';
import { appChannels } from './app';
import { prefsChannels } from './prefs';
import { settingsChannels } from './settings';
import { importsChannels } from './imports';
import { connectionsChannels } from './connections';
import { metricsChannels } from './metrics';
import { exportChannels } from './export';
import { vaultChannels } from './vault';
import { events } from './events';

export * from './define';
export * from './app';
export * from './prefs';
export * from './settings';
export * from './imports';
export * from './connections';
export * from './metrics';
export * from './export';
export * from './vault';
export * from './events';

/** Every request channel the renderer may call. Adding a domain = one spread here. */
export const channels = {
  ...appChannels,
  ...prefsChannels,
  ...settingsChannels,
  ...connectionsChannels,
  ...importsChannels,
  ...metricsChannels,
  ...exportChannels,
  ...vaultChannels,
};

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelInput<K extends ChannelName> = z.input<Channels[K]['input']>;
export type ChannelOutput<K extends ChannelName> = z.output<Channels[K]['output']>;

export type EventName = keyof typeof events;
export type EventPayload<K extends EventName> = z.output<(typeof events)[K]>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/** The typed surface exposed as window.vitalsync (preload) and by the browser-mode transport. */
export interface VitalSyncApi {
  invoke<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<import('./define').Result<ChannelOutput<K>>>;
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
}
