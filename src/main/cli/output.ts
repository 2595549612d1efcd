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

/** A mistake on the command line: printed with a hint, exit code 2. */
export class UsageError extends Error {}

/** Prints an error envelope from the core and returns the exit code for it. */
export function failed(io: CliIo, res: Extract<Result<unknown>, { ok: false }>): number {
  io.err(`vitalsync: ${res.error.message} (${res.error.code})`);
  return 1;
}
