// Test entry: a front door that only calls runCli, as the app's `--cli` does
// (src/main/electron/cliMode.ts), with nothing of bin/cli.ts around it. What runCli guarantees
// by itself (a closed pipe ends the process quietly) is tested through it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appPathsFrom } from '../../core/paths';
import { runCli } from '../run';

const entryDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
void runCli(process.argv.slice(2), { paths: appPathsFrom(entryDir), entryDir }).then((code) => {
  process.exitCode = code;
});
