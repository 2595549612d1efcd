import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/contract';

type Listener = <K extends EventName>(event: K, payload: EventPayload<K>) => void;

/** The core's outgoing events; each front door forwards them to its renderer(s). */
export class CoreEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
    this.emitter.emit('event', event, payload);
  }

  /** Every event, for forwarding. Returns the unsubscribe function. */
  onAny(listener: Listener): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void {
    const wrapped = (name: EventName, payload: unknown) => {
      if (name === event) listener(payload as EventPayload<K>);
    };
    this.emitter.on('event', wrapped);
    return () => this.emitter.off('event', wrapped);
  }
}
