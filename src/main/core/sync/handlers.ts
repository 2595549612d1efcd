import type { Handlers } from '../handlers';
import type { Connections } from './index';

/** The contract's connections:* and sync:* channels. */
export function connectionHandlers(connections: Connections): Pick<Handlers, 'connections:list' | 'connections:setup' | 'connections:connect' | 'connections:cancel' | 'connections:disconnect' | 'sync:now'> {
  return {
    'connections:list': () => connections.list(),
    'connections:setup': (input) => connections.setup(input.provider, input.clientId, input.clientSecret, input.bounceUrl),
    'connections:connect': (input) => connections.connect(input.provider, { redirect: input.redirect, port: input.port }),
    'connections:cancel': (input) => ({ cancelled: connections.cancel(input.provider) }),
    'connections:disconnect': (input) => connections.disconnect(input.provider, input.deleteData),
    'sync:now': (input) => connections.syncNow(input.provider),
  };
}
