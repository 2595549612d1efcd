// `vitalsync vault`: sync between computers from a terminal (headless machines, scripts).
// The passphrase is asked on the terminal without echo, or read from
// VITALSYNC_VAULT_PASSPHRASE (VITALSYNC_VAULT_RECOVERY_PHRASE for --recovery) in scripts.
import type { ChannelInput, ChannelName, ChannelOutput, Result, VaultStatus, VaultSyncResult } from '../../shared/contract';
import type { Core } from '../core';
import { dispatch as untypedDispatch } from '../core/dispatch';
import { failed, UsageError, type CliIo } from './output';
import { parseCommandArgs, type CommandModule } from './run';

const dispatch = <K extends ChannelName>(handlers: Core['handlers'], channel: K, input: ChannelInput<K>) =>
  untypedDispatch(handlers, channel, input) as Promise<Result<ChannelOutput<K>>>;

/** Reads a line from the terminal without echoing it. */
async function askHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new UsageError(`no terminal to ask on: set ${prompt.includes('recovery') ? 'VITALSYNC_VAULT_RECOVERY_PHRASE' : 'VITALSYNC_VAULT_PASSPHRASE'} in the environment.`);
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(text);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new UsageError('cancelled.'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

async function passphrase(confirm: boolean): Promise<string> {
  const env = process.env.VITALSYNC_VAULT_PASSPHRASE;
  if (env) return env;
  const first = await askHidden('Vault passphrase: ');
  if (confirm && (await askHidden('Again, to check: ')) !== first) throw new UsageError('the two passphrases differ.');
  return first;
}

function formatAgo(ms: number | null): string {
  if (ms === null) return 'never';
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : s < 86_400 ? `${Math.round(s / 3600)} h ago` : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function printStatus(io: CliIo, s: VaultStatus): void {
  if (s.state === 'none') {
    io.out('This computer does not sync through a vault. Create one: vitalsync vault init FOLDER, or join one: vitalsync vault join FOLDER.');
    return;
  }
  io.out(`Vault       ${s.folder}`);
  io.out(`State       ${s.state}`);
  io.out(`This device ${s.deviceName} (${s.deviceId})`);
  io.out(`Last sync   ${formatAgo(s.lastSyncAt)}`);
  io.out(`Segments    ${s.ingested} taken in, ${s.pending} pending, ${s.held.length} held`);
  io.out('Devices:');
  for (const d of s.devices) io.out(`  ${d.thisDevice ? '*' : ' '} ${d.name.padEnd(24)} ${d.id}  ${d.left ? 'left the vault' : `last active ${formatAgo(d.lastActiveAt)}`}  ${d.ingested}/${d.segments} segments`);
  for (const h of s.held) io.out(`Held: ${h.deviceName}’s segment ${h.segment.slice(0, 12)}… ${h.what} (${Math.round(h.share * 100)}% of the data here). Confirm: vitalsync vault confirm ${h.device} ${h.segment}`);
  if (s.lastError) io.out(`Last error  ${s.lastError}`);
}

function printSync(io: CliIo, r: VaultSyncResult): void {
  io.out(`Wrote ${r.published} segment(s) (${r.publishedSamples} samples); took in ${r.ingested} (${r.ingestedSamples} new samples, ${r.intent} settings); ${r.held} held.`);
  for (const w of r.waiting) io.err(`Waiting: ${w.reason}`);
}

export const vaultCommand: CommandModule = {
  async run({ args, io, openCore }) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseCommandArgs(rest, { json: { type: 'boolean' }, name: { type: 'string' }, recovery: { type: 'boolean' } });
    const json = Boolean(values.json);
    const show = (s: VaultStatus) => (json ? io.out(JSON.stringify(s, null, 2)) : printStatus(io, s));
    switch (sub) {
      case 'init': {
        const [folder] = positionals;
        if (!folder || positionals.length > 1) throw new UsageError('give the vault folder (one your sync engine carries).');
        const pass = await passphrase(true);
        const core = await openCore();
        const res = await dispatch(core.handlers, 'vault:init', { folder, passphrase: pass, deviceName: values.name });
        if (!res.ok) return failed(io, res);
        if (json) io.out(JSON.stringify(res.value, null, 2));
        else {
          io.out(`Vault created in ${res.value.status.folder}.`);
          io.out('\nRecovery phrase (shown once: write it down and keep it somewhere safe; it opens the vault if the passphrase is lost):\n');
          io.out(`  ${res.value.recoveryPhrase}\n`);
          io.out('On each other computer: vitalsync vault join FOLDER (or Settings → Sync → Join).');
        }
        return 0;
      }
      case 'join': {
        const [folder] = positionals;
        if (!folder || positionals.length > 1) throw new UsageError('give the vault folder.');
        const secret = values.recovery ? { recoveryPhrase: process.env.VITALSYNC_VAULT_RECOVERY_PHRASE || (await askHidden('Recovery phrase: ')) } : { passphrase: await passphrase(false) };
        const core = await openCore();
        const res = await dispatch(core.handlers, 'vault:join', { folder, ...secret, deviceName: values.name });
        if (!res.ok) return failed(io, res);
        show(res.value);
        return 0;
      }
      case 'status': {
        if (positionals.length) throw new UsageError('status takes no arguments.');
        const core = await openCore();
        const res = await dispatch(core.handlers, 'vault:status', {});
        if (!res.ok) return failed(io, res);
        show(res.value);
        return 0;
      }
      case 'sync': {
        const core = await openCore();
        const res = await dispatch(core.handlers, 'vault:sync', {});
        if (!res.ok) return failed(io, res);
        if (json) io.out(JSON.stringify(res.value, null, 2));
        else printSync(io, res.value);
        // As after `vitalsync import`, the merged values are brought up to date by the next read
        // (a `query`, the app), not before exit.
        // Left to another VitalSync syncing this data folder: nothing was done, and a script should
        // know: 75 is EX_TEMPFAIL (sysexits.h), "try again later".
        return res.value.waiting.some((w) => w.segment === 'lock') ? 75 : 0;
      }
      case 'confirm': {
        const [device, segment] = positionals;
        if (!device || !segment) throw new UsageError('give the device and segment that `vitalsync vault status` lists as held.');
        const core = await openCore();
        const res = await dispatch(core.handlers, 'vault:confirm', { device, segment });
        if (!res.ok) return failed(io, res);
        show(res.value);
        return 0;
      }
      case 'pause':
      case 'resume': {
        const core = await openCore();
        const res = await dispatch(core.handlers, 'vault:pause', { paused: sub === 'pause' });
        if (!res.ok) return failed(io, res);
        show(res.value);
        return 0;
      }
      case 'leave': {
        const core = await openCore();
        const res = await dispatch(core.handlers, 'vault:leave', {});
        if (!res.ok) return failed(io, res);
        io.out('This computer left the vault and its key is gone from the keychain. What it wrote stays in the vault for the other computers, and the data here stays.');
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown vault command "${sub}".` : 'give a vault command.');
    }
  },
};
