import type { Result } from '../../shared/contract';

/** What a command writes to: stdout for results, stderr for progress and errors. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  isTty: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTty: Boolean(process.stderr.isTTY),
};

let closedPipeGuarded = false;

/**
 * `vitalsync status | head` closes the pipe early: the reader has what it wanted, so stop
 * quietly (with the exit code set so far, else 0) instead of dying on a write to a closed pipe.
 * A failed write to a pipe is reported later, as an 'error' event on the stream, so one listener
 * per stream covers every write, including one made after an await. runCli installs it for the
 * process's own streams, so every front door that calls runCli (bin/cli.js, the app's --cli) has it.
 */
export function exitQuietlyOnClosedPipe(): void {
  if (closedPipeGuarded) return;
  closedPipeGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}

/** A mistake on the command line: printed with a hint, exit code 2. */
export class UsageError extends Error {}

/** Prints an error envelope from the core and returns the exit code for it. */
export function failed(io: CliIo, res: Extract<Result<unknown>, { ok: false }>): number {
  io.err(`vitalsync: ${res.error.message} (${res.error.code})`);
  return 1;
}
