// A deliberately small logger. Rule: never log tokens, secrets or health values; log ids,
// counts, durations and error classes. Front doors may redirect it to a file.
import fs from 'node:fs';

type Level = 'debug' | 'info' | 'warn' | 'error';
let sink: ((line: string) => void) | null = null;
let minLevel: Level = process.env.VITALSYNC_LOG_LEVEL === 'debug' ? 'debug' : 'info';
const ORDER: Level[] = ['debug', 'info', 'warn', 'error'];

function errorSummary(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}${err.stack ? `\n${err.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
  return String(err);
}

function write(level: Level, message: string, err?: unknown): void {
  if (ORDER.indexOf(level) < ORDER.indexOf(minLevel)) return;
  const line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}${err === undefined ? '' : ` ${errorSummary(err)}`}`;
  if (sink) sink(line);
  else if (level === 'error' || level === 'warn') process.stderr.write(`${line}\n`);
}

export const log = {
  debug: (message: string) => write('debug', message),
  info: (message: string) => write('info', message),
  warn: (message: string, err?: unknown) => write('warn', message, err),
  error: (message: string, err?: unknown) => write('error', message, err),
  /** Send every line to a file (the desktop app and `serve` do) instead of stderr. */
  toFile(file: string): void {
    sink = (line) => fs.appendFileSync(file, `${line}\n`);
  },
  setLevel(level: Level): void {
    minLevel = level;
  },
};
