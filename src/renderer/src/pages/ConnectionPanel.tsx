import { useState } from 'react';
import type { ConnectionInfo } from '../../../shared/contract';
import { countOf } from '../charts/format';
import { useConnections } from '../connections';

const STATUS_LABEL: Record<ConnectionInfo['status'], string> = {
  not_connected: 'Not connected',
  connected: 'Connected',
  syncing: 'Syncing…',
  needs_reauth: 'Needs reconnecting',
  error: 'Sync problem',
  disconnected: 'Disconnected',
};

const when = (ms: number | null) => (ms ? new Date(ms).toLocaleString() : '—');

function CredentialsSetup({ c, onDone }: { c: ConnectionInfo; onDone(): void }) {
  const setup = useConnections((s) => s.setup);
  const [clientId, setClientId] = useState(c.credentials.from === 'keychain' ? (c.credentials.clientId ?? '') : '');
  const [secret, setSecret] = useState('');
  const askBounce = c.setup.needsBounce && !c.setup.bounceFromEnv;
  const [bounce, setBounce] = useState(c.setup.bounceUrl ?? '');
  const redirectUri = askBounce ? bounce : c.setup.redirectUri;
  return (
    <form
      className="credentials-setup"
      aria-label={`${c.name} credentials`}
      onSubmit={(e) => {
        e.preventDefault();
        void setup(c.provider, clientId, secret, askBounce ? bounce : undefined).then((ok) => ok && onDone());
      }}
    >
      <ol>
        {askBounce && (
          <li>
            {c.name} only sends sign-ins to https addresses. Put VitalSync’s bounce page (the <code>resources/oauth-bounce</code> folder: index.html and bounce.js) on any
            https site you control, and enter its address:
            <label>
              Bounce page address
              <input type="url" value={bounce} onChange={(e) => setBounce(e.target.value)} placeholder="https://you.example.org/vitalsync-bounce/" required />
            </label>
          </li>
        )}
        <li>
          Register your own app at{' '}
          <a href={c.setup.registerUrl} target="_blank" rel="noreferrer noopener">
            {c.setup.registerUrl}
          </a>
          . {c.setup.help}
        </li>
        <li>
          <label>
            Redirect URI to paste there
            <input readOnly value={redirectUri || '(enter your bounce page address first)'} onFocus={(e) => e.currentTarget.select()} aria-label="Redirect URI" />
          </label>
          {c.setup.otherRedirectUris.length > 0 && <p className="hint">Also add, for the command line: {c.setup.otherRedirectUris.join(' , ')}</p>}
        </li>
        <li>
          Scopes VitalSync asks for: <code>{c.setup.scopes.join(' ')}</code>
        </li>
      </ol>
      <label>
        Client ID
        <input value={clientId} onChange={(e) => setClientId(e.target.value)} autoComplete="off" required />
      </label>
      <label>
        Client secret
        <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" required />
      </label>
      <p className="hint">Both are kept in your system keychain, never in VitalSync’s files.</p>
      <div className="button-row">
        <button type="submit">Save credentials</button>
        <button type="button" onClick={onDone}>
          Close
        </button>
      </div>
    </form>
  );
}

export function ConnectionPanel({ c }: { c: ConnectionInfo }) {
  const { connect, cancel, syncNow, disconnect } = useConnections.getState();
  const progress = useConnections((s) => s.progress[c.provider]);
  const link = useConnections((s) => s.openLinks[c.provider]);
  const busy = useConnections((s) => s.busy[c.provider]) || c.running;
  const [setupOpen, setSetupOpen] = useState(false);
  const [asking, setAsking] = useState(false);
  const connected = c.status === 'connected' || c.status === 'syncing' || c.status === 'error';
  const status = busy ? 'syncing' : c.status;
  return (
    <div className="connection" data-provider={c.provider}>
      <p>
        <span className={`badge status-${status}`} data-testid="connection-status" data-status={status}>
          {STATUS_LABEL[status]}
        </span>{' '}
        <span className="hint">
          {countOf(c.samples, 'sample', 'samples')}, {countOf(c.workouts, 'workout', 'workouts')}
        </span>
      </p>
      {c.keychainError && <p className="error-text">{c.keychainError}</p>}
      {c.lastError && (
        // While offline or rate limited the connection stays "connected": say it quietly.
        <p className={c.status === 'connected' ? 'hint' : 'error-text'} data-testid="connection-error">
          {c.lastError}
        </p>
      )}
      {(c.lastSyncAt || c.nextSyncAt) && (
        <p className="hint">
          Last sync: {when(c.lastSyncAt)} · Next: {when(c.nextSyncAt)}
        </p>
      )}
      {busy && progress && (
        <p className="hint" aria-live="polite">
          Syncing {progress.label}: {progress.inserted} new so far
        </p>
      )}
      {c.pending && (
        <p aria-live="polite">
          Waiting for you to sign in to {c.name} in your browser…{' '}
          <button type="button" className="link-button" onClick={() => void cancel(c.provider)}>
            Cancel
          </button>
        </p>
      )}
      {link && (
        <p>
          <a href={link} target="_blank" rel="noreferrer noopener">
            Sign in to {c.name}
          </a>
        </p>
      )}
      <div className="button-row">
        <button type="button" onClick={() => setSetupOpen((v) => !v)} aria-expanded={setupOpen}>
          {c.credentials.configured ? 'Change credentials' : 'Set up credentials'}
        </button>
        {!connected && c.status !== 'needs_reauth' && (
          <button type="button" className="primary" disabled={!c.credentials.configured || c.pending} onClick={() => void connect(c.provider)}>
            Connect
          </button>
        )}
        {c.status === 'needs_reauth' && (
          <button type="button" className="primary" disabled={c.pending} onClick={() => void connect(c.provider)}>
            Reconnect
          </button>
        )}
        {connected && (
          <button type="button" disabled={busy} onClick={() => void syncNow(c.provider)}>
            Sync now
          </button>
        )}
        {(connected || c.status === 'needs_reauth') && (
          <button type="button" onClick={() => setAsking(true)}>
            Disconnect
          </button>
        )}
      </div>
      {asking && (
        <div role="dialog" aria-label={`Disconnect ${c.name}`} className="confirm">
          <p>
            Disconnect {c.name}? VitalSync will revoke its access and forget the sign-in. What about the {countOf(c.samples, 'sample', 'samples')} and {countOf(c.workouts, 'workout', 'workouts')} it
            brought?
          </p>
          <div className="button-row">
            <button type="button" onClick={() => void disconnect(c.provider, false).then(() => setAsking(false))}>
              Keep the data
            </button>
            <button type="button" className="danger" onClick={() => void disconnect(c.provider, true).then(() => setAsking(false))}>
              Delete the data
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {setupOpen && <CredentialsSetup c={c} onDone={() => setSetupOpen(false)} />}
    </div>
  );
}
