// `vitalsync connect | sync | disconnect`: accounts from a terminal. A terminal cannot receive
// vitalsync:// links, so sign-in answers come back to a one-shot loopback listener (directly,
// or through the https bounce page with --redirect bounce).
import type { ChannelInput, ChannelName, ChannelOutput, Result, SyncResult } from '../../shared/contract';
import { OAuthProviderSchema, type OAuthProvider } from '../../shared/contract';
import type { Core } from '../core';
import { dispatch as untypedDispatch } from '../core/dispatch';
import { failed, UsageError } from './output';
import { parseCommandArgs, type CommandModule } from './run';

/** dispatch() with the channel's output type (the gate itself validated the input). */
const dispatch = <K extends ChannelName>(handlers: Core['handlers'], channel: K, input: ChannelInput<K>) =>
  untypedDispatch(handlers, channel, input) as Promise<Result<ChannelOutput<K>>>;

function providerArg(value: string | undefined): OAuthProvider {
  const parsed = OAuthProviderSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`give a provider: one of ${OAuthProviderSchema.options.join(', ')}.`);
  return parsed.data;
}

export const connectCommand: CommandModule = {
  async run({ args, io, openCore }) {
    const { values, positionals } = parseCommandArgs(args, {
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      redirect: { type: 'string' },
      port: { type: 'string' },
    });
    const provider = providerArg(positionals[0]);
    if (positionals.length > 1) throw new UsageError('give one provider.');
    if (Boolean(values['client-id']) !== Boolean(values['client-secret'])) throw new UsageError('give --client-id and --client-secret together.');
    const redirect = values.redirect ?? 'loopback';
    if (redirect !== 'loopback' && redirect !== 'bounce') throw new UsageError('--redirect takes "loopback" or "bounce".');
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) throw new UsageError('--port takes a number from 0 to 65535.');
    const core = await openCore();
    if (values['client-id']) {
      const res = await dispatch(core.handlers, 'connections:setup', { provider, clientId: values['client-id'], clientSecret: values['client-secret']! });
      if (!res.ok) return failed(io, res);
      io.err('Client credentials saved in the system keychain.');
    }
    const outcome = new Promise<{ ok: boolean; message: string }>((resolve) => {
      const off = core.events.on('oauth:finished', (o) => {
        if (o.provider !== provider) return;
        off();
        resolve(o);
      });
    });
    const res = await dispatch(core.handlers, 'connections:connect', { provider, redirect, ...(port !== undefined ? { port } : {}) });
    if (!res.ok) return failed(io, res);
    io.err(`Open this address in your browser and sign in (redirect URI: ${res.value.redirectUri}):`);
    io.out(res.value.authorizeUrl);
    io.err(`Waiting for the answer until ${new Date(res.value.expiresAt).toLocaleTimeString()}. Press Ctrl+C to give up.`);
    const interrupt = () => void dispatch(core.handlers, 'connections:cancel', { provider });
    process.once('SIGINT', interrupt);
    try {
      const o = await outcome;
      io.err(o.message);
      if (o.ok) io.err(`Run "vitalsync sync ${provider}" to bring your data in.`);
      return o.ok ? 0 : 1;
    } finally {
      process.off('SIGINT', interrupt);
    }
  },
};

function describe(r: SyncResult): string {
  const counts = `${r.inserted} inserted, ${r.duplicates} duplicates${r.replaced ? `, ${r.replaced} revised` : ''}`;
  const notes = (r.notes ?? []).map((n) => `\n  note: ${n}`).join('');
  const paused = r.pausedUntil !== undefined ? ` — paused by the provider's rate limit until ${new Date(r.pausedUntil).toISOString().slice(0, 16).replace('T', ' ')} UTC; the next sync continues` : '';
  if (r.status === 'completed') return `${r.provider}: ${counts}${paused}${notes}`;
  if (r.status === 'skipped') return `${r.provider}: skipped — ${r.error}`;
  return `${r.provider}: failed after ${counts} — ${r.error}`;
}

export const syncCommand: CommandModule = {
  async run({ args, io, openCore }) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
    const provider = positionals[0] === undefined ? undefined : providerArg(positionals[0]);
    const core = await openCore();
    const res = await dispatch(core.handlers, 'sync:now', provider ? { provider } : {});
    if (!res.ok) return failed(io, res);
    if (values.json) io.out(JSON.stringify(res.value, null, 2));
    else if (!res.value.length) io.out('No account is connected. Use "vitalsync connect <provider>" first.');
    else for (const r of res.value) io.out(describe(r));
    return res.value.some((r) => r.status !== 'completed') ? 1 : 0;
  },
};

export const disconnectCommand: CommandModule = {
  async run({ args, io, openCore }) {
    const { values, positionals } = parseCommandArgs(args, { 'delete-data': { type: 'boolean' } });
    const provider = providerArg(positionals[0]);
    const core = await openCore();
    const res = await dispatch(core.handlers, 'connections:disconnect', { provider, deleteData: Boolean(values['delete-data']) });
    if (!res.ok) return failed(io, res);
    io.out(
      `${provider} disconnected${res.value.revoked ? ' and its access revoked' : ' (the provider could not be told; revoke VitalSync in its settings)'}. ` +
        (values['delete-data'] ? `Deleted ${res.value.deletedSamples} samples and ${res.value.deletedWorkouts} workouts.` : 'Its data is kept.'),
    );
    return 0;
  },
};
