// The renderer's one way to reach the core. In the desktop app the preload provides
// window.vitalsync (IPC); in browser mode (`vitalsync serve`) the same API runs over HTTP +
// WebSocket. Nothing else in the renderer knows which one it is.
import type { ChannelInput, ChannelName, ChannelOutput, EventName, EventPayload, Result, VitalSyncApi } from '../../shared/contract';

declare global {
  interface Window {
    vitalsync?: VitalSyncApi;
  }
}

const TOKEN_KEY = 'vitalsync.token';

/** Browser mode: the token arrives once in the URL and is kept for reloads of this tab. */
function browserToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function createHttpApi(): VitalSyncApi {
  const token = browserToken();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 500;
  const connect = () => {
    const wsUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/events?token=${encodeURIComponent(token)}`;
    socket = new WebSocket(wsUrl);
    socket.onopen = () => (retry = 500);
    socket.onmessage = (msg) => {
      const { event, payload } = JSON.parse(String(msg.data)) as { event: string; payload: unknown };
      listeners.get(event)?.forEach((fn) => fn(payload));
    };
    socket.onclose = () => {
      socket = null;
      setTimeout(connect, (retry = Math.min(retry * 2, 10_000)));
    };
  };
  connect();
  return {
    async invoke(channel, input) {
      try {
        const res = await fetch(`/api/invoke/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
        return (await res.json()) as never;
      } catch {
        return { ok: false, error: { code: 'UNAVAILABLE', message: 'VitalSync is not answering. Is "vitalsync serve" still running?' } };
      }
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}

export const api: VitalSyncApi = window.vitalsync ?? createHttpApi();

/** Browser mode's token, for the few endpoints that are not contract calls (file uploads). */
export function browserModeToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}
export const isBrowserMode = !window.vitalsync;

/** Calls a channel and returns its value, or throws an Error whose message is the user-facing one. */
export async function call<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
  const res: Result<ChannelOutput<K>> = await api.invoke(channel, input);
  if (!res.ok) throw Object.assign(new Error(res.error.message), { code: res.error.code });
  return res.value;
}

export function onEvent<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void {
  return api.on(event, listener);
}
