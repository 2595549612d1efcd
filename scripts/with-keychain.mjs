// Runs a command where keytar can reach a real OS keychain.
// Linux: inside a private D-Bus session with a throw-away unlocked gnome-keyring
// (scripts/with-keyring.sh), so tests never touch the user's own keyring.
// macOS and Windows: the system keychain is always there; run the command as it is.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
if (!args.length) {
  console.error('usage: node scripts/with-keychain.mjs COMMAND [ARGS...]');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const [cmd, ...rest] = process.platform === 'linux' ? ['bash', path.join(here, 'with-keyring.sh'), ...args] : args;
const result = spawnSync(cmd, rest, { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
