// Test helper: runs the CLI in this process against the source tree, capturing what it prints.
import path from 'node:path';
import { DEV_PATHS, PROJECT_ROOT } from '../../core/test/tempCore';
import type { CliIo } from '../output';
import { runCli } from '../run';

export async function runCliInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  const code = await runCli(args, { paths: DEV_PATHS, entryDir: path.join(PROJECT_ROOT, 'src/main') }, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
