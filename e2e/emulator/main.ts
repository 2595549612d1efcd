// Standalone provider emulator: `tsx e2e/emulator/main.ts [--port N] [--page-size N]`.
// Prints the VITALSYNC_* variables that point VitalSync at it.
import { parseArgs } from 'node:util';
import { startEmulator } from './server';

const { values } = parseArgs({ options: { port: { type: 'string' }, 'page-size': { type: 'string' } } });
const emu = await startEmulator({ port: values.port ? Number(values.port) : 0, pageSize: values['page-size'] ? Number(values['page-size']) : undefined });
process.stdout.write(`Provider emulator on ${emu.url}\n\n`);
for (const [k, v] of Object.entries(emu.env({ withClients: true }))) process.stdout.write(`export ${k}=${v}\n`);
process.stdout.write('\nControls: POST /_emulator/revoke?provider=withings, /_emulator/expire, /_emulator/fault?kind=withings-status&status=601,\n  /_emulator/withings/edit?grpid=5001&type=1&value=71900&unit=-3 (a measure group edited in the Withings app)\n');
const stop = () => void emu.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
