// `VitalSync --cli …`: the installed app answers the command line itself, in its main process,
// with no window, no dock icon and no single-instance lock (the app may be open meanwhile: both
// use the same database, WAL). This replaces ELECTRON_RUN_AS_NODE, which the RunAsNode fuse
// turns off in packaged builds.
import { app } from 'electron';
import { runCli } from '../cli/run';
import { appPathsFrom } from '../core/paths';

export function runCliInsideApp(args: string[], entryDir: string): void {
  app.dock?.hide();
  app.disableHardwareAcceleration();
  const finish = (code: number) => {
    // Let what the command printed reach a pipe before the process ends.
    process.stdout.write('', () => process.stderr.write('', () => app.exit(code)));
  };
  runCli(args, { paths: appPathsFrom(entryDir), entryDir }).then(finish, (err: unknown) => {
    process.stderr.write(`vitalsync: ${err instanceof Error ? err.message : String(err)}\n`);
    finish(1);
  });
}
