// Text written to a stream in 64 KiB pieces, waiting whenever the stream is full: an export of
// millions of rows never holds more than a piece in memory, whatever its size.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { AppError } from '../errors';
import { ERROR_CODES } from '../../../shared/contract';

const PIECE = 64 * 1024;

export class TextOut {
  private parts: string[] = [];
  private size = 0;
  /** UTF-8 bytes handed to the stream so far. */
  bytes = 0;

  constructor(private readonly stream: Writable) {}

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= PIECE) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.size) return;
    const chunk = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
    this.bytes += chunk.length;
    if (this.stream.destroyed) throw stopped();
    if (!this.stream.write(chunk)) await drained(this.stream);
  }

  /** Flushes what is left and ends the stream; resolves once everything is written. */
  async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}

const stopped = () => new AppError(ERROR_CODES.unavailable, 'The export stopped: the file or download it was writing to was closed. Start it again.');

/** Resolves on 'drain'; throws when the stream closes or fails first (a download cancelled). */
async function drained(stream: Writable): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([
      once(stream, 'drain', { signal: ac.signal }),
      once(stream, 'close', { signal: ac.signal }).then(() => {
        throw stopped();
      }),
    ]);
  } finally {
    ac.abort();
  }
}

/** A CSV cell: quoted when it holds a comma, quote, line break or edge spaces (RFC 4180). */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: (string | number | null | undefined)[]) => `${cells.map(csvCell).join(',')}\r\n`;

/**
 * An instant as local ISO time with its offset (`2026-03-02T08:00:00+01:00`, milliseconds when
 * not 0): exact, and readable as the time the person saw. A fractional offset (old local mean
 * times) is written in UTC instead, so the instant still reads back exactly.
 */
export function isoWithOffset(ms: number, offsetMin: number): string {
  const off = Number.isInteger(offsetMin) ? offsetMin : 0;
  const t = new Date(ms + off * 60_000).toISOString();
  const base = t.endsWith('.000Z') ? t.slice(0, 19) : t.slice(0, 23);
  if (off === 0) return `${base}Z`;
  const a = Math.abs(off);
  return `${base}${off < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
