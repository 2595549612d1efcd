// `vitalsync` command-line entry. Headless front door over the same core as the desktop app.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli/run';
import { appPathsFrom } from './core/paths';

const entryDir = path.dirname(fileURLToPath(import.meta.url));

// A reader that closes the pipe early (`vitalsync status | head`) ends the process quietly:
// runCli guards the process's streams (cli/output.ts, exitQuietlyOnClosedPipe).
runCli(process.argv.slice(2), { paths: appPathsFrom(entryDir), entryDir }).then(
  (code) => {
    // Exit once the output is flushed rather than waiting for worker threads (an import's
    // parser and writer) to tear their heaps down: that took 150 ms after the work was done.
    process.exitCode = code;
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  },
  (err: unknown) => {
    process.stderr.write(`vitalsync: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
