import path from 'node:path';
import { startServer } from '../serve';
import { UsageError } from './output';
import { parseCommandArgs, type CommandModule } from './run';

export const serveCommand: CommandModule = {
  async run({ args, io, ctx, openCore }) {
    const { values } = parseCommandArgs(args, { port: { type: 'string' }, renderer: { type: 'string' } }, false);
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a number from 0 to 65535.');
    const rendererDir = path.resolve(values.renderer ?? path.join(ctx.entryDir, '..', 'renderer'));
    const core = await openCore();
    const server = await startServer({ core, rendererDir, port });
    // A long-running front door: sync on launch, every few minutes, and right after connecting.
    core.connections.startScheduler();
    // And through the vault, when this data folder is in one (loaded only then).
    void import('../core/vault/handlers').then(
      (m) => m.runVaultInBackground(core),
      (err: unknown) => io.err(`vitalsync: syncing through the vault could not start: ${err instanceof Error ? err.message : String(err)}`),
    );
    io.out(`VitalSync is running at ${server.url}`);
    io.err('Open that address in your browser. Press Ctrl+C to stop.');
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
