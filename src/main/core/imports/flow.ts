// The parser thread's side of the flow control with the writer thread, for every importer:
// each message sent counts as in flight until the writer acknowledges its commit, and the parser
// waits while `max` are in flight (without that cap memory grows with the file). A cancel, from
// the main thread or from a writer that failed, ends every wait.
import type { MessagePort } from 'node:worker_threads';
import type { ToParser, ToWriter } from './protocol';

type Port = Pick<MessagePort, 'postMessage' | 'on'>;

export class WriterFlow {
  private inFlight = 0;
  private stopped = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly writer: Port,
    main: Port,
    private readonly max: number,
  ) {
    writer.on('message', (m: ToParser) => {
      if (m.t === 'ack') this.inFlight--;
      else if (m.t === 'cancel') this.stopped = true;
      this.signal();
    });
    main.on('message', (m: ToParser) => {
      if (m.t !== 'cancel') return;
      this.stopped = true;
      this.signal();
    });
  }

  /** True once the person cancelled (or the writer gave up): stop reading. */
  get cancelled(): boolean {
    return this.stopped;
  }

  private signal(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Sends a message that the writer acknowledges (a batch, records, routes). */
  send(m: ToWriter, transfer: ArrayBuffer[] = []): void {
    this.inFlight++;
    this.writer.postMessage(m, transfer);
  }

  /** Resolves once fewer than `max` messages are in flight, or at once after a cancel. */
  async untilRoom(): Promise<void> {
    while (this.inFlight >= this.max && !this.stopped) await new Promise<void>((r) => (this.wake = r));
  }
}
