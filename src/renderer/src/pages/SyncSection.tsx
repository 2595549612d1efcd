// Settings → Sync between your computers: create or join a vault folder the person's own sync
// engine carries (core/vault), then see its devices, held segments and last error, sync now,
// pause, or leave. The recovery phrase is shown once, kept only in this component's state.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { VaultStatus, VaultSyncResult } from '../../../shared/contract';
import { call, onEvent } from '../api';

const REFRESH_MS = 10_000;
const MIN_PASSPHRASE = 8;

/** "3 min ago", "never": the same words as `vitalsync vault status`. */
function formatAgo(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(ms).toLocaleString();
}

const STATE_WORDS: Record<Exclude<VaultStatus['state'], 'none'>, string> = {
  active: 'Syncing',
  paused: 'Paused: nothing is written to or taken from the vault until you resume',
  locked: 'Locked: the vault key is not in this computer’s keychain',
  missing: 'The vault folder is missing',
};

/** The result line of a pass, worded as `vitalsync vault sync` prints it. */
function syncLine(r: VaultSyncResult): string {
  return `Wrote ${r.published} segment(s) (${r.publishedSamples} samples); took in ${r.ingested} (${r.ingestedSamples} new samples, ${r.intent} settings); ${r.held} held.`;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function SyncSection() {
  const [status, setStatus] = useState<VaultStatus | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [recoveryPhrase, setRecoveryPhrase] = useState<string | null>(null);
  const [left, setLeft] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const [formBusy, setFormBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const s = await call('vault:status', {});
      setStatus(s);
      setLoadError(null);
    } catch (err) {
      setLoadError(message(err));
    }
    setNow(Date.now());
  }, []);

  useEffect(() => {
    void refresh();
    const off = onEvent('vault:changed', () => void refresh());
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [refresh]);

  const joinedOrCreated = (s: VaultStatus) => {
    setStatus(s);
    setLeft(false);
  };

  return (
    <section aria-labelledby="sync-title" className="sync-section" data-vault-state={status?.state ?? 'loading'}>
      <h2 id="sync-title">Sync between your computers</h2>
      {loadError && (
        <p role="alert" className="error-text">
          {loadError}
        </p>
      )}
      {recoveryPhrase && <RecoveryPhrase phrase={recoveryPhrase} dismiss={() => setRecoveryPhrase(null)} />}
      {status === null ? null : status.state === 'none' ? (
        <>
          {left && (
            <p role="status" className="hint">
              This computer left the vault and its key is gone from the keychain. What it wrote stays in the vault for the other computers, and the data here stays.
            </p>
          )}
          <p className="hint sync-intro">
            Keep the same data and preferences on your other computers through a folder your own sync engine carries (Syncthing, iCloud Drive, Dropbox…). Everything in it is end-to-end encrypted; no VitalSync server
            exists.
          </p>
          <div className="sync-forms">
            <CreateVaultForm
              others={formBusy}
              setOthers={setFormBusy}
              done={(phrase, s) => {
                setRecoveryPhrase(phrase);
                joinedOrCreated(s);
              }}
            />
            <JoinVaultForm others={formBusy} setOthers={setFormBusy} done={joinedOrCreated} />
          </div>
        </>
      ) : (
        <VaultView
          status={status}
          now={now}
          changed={setStatus}
          refresh={refresh}
          left={(s) => {
            setStatus(s);
            setLeft(true);
            setRecoveryPhrase(null);
          }}
        />
      )}
    </section>
  );
}

/** The recovery phrase, once: numbered words, Copy, and "I have written it down" to hide it. */
function RecoveryPhrase({ phrase, dismiss }: { phrase: string; dismiss(): void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const words = phrase.trim().split(/\s+/);
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(phrase);
      setCopied('Copied. Paste it somewhere safe and offline, then clear the clipboard.');
    } catch {
      setCopied('This window may not use the clipboard. Write the words down from the screen instead.');
    }
  };
  return (
    <section className="recovery-phrase" aria-labelledby="recovery-title" aria-describedby="recovery-hint">
      <h3 id="recovery-title">Recovery phrase</h3>
      <p className="hint" id="recovery-hint">
        Write these {words.length} words down and keep them somewhere safe. They open the vault if the passphrase is lost. VitalSync does not keep them and shows them only now.
      </p>
      <ol className="recovery-words">
        {words.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ol>
      <div className="button-row">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" className="primary" onClick={dismiss}>
          I have written it down
        </button>
      </div>
      {copied && (
        <p role="status" className="hint">
          {copied}
        </p>
      )}
    </section>
  );
}

function CreateVaultForm({ done, others, setOthers }: { done(recoveryPhrase: string, status: VaultStatus): void } & FormBusy) {
  const [folder, setFolder] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!folder.trim()) return setError('Give the vault folder: a full path to a folder your sync engine carries.');
    if (passphrase.length < MIN_PASSPHRASE) return setError(`A vault passphrase needs at least ${MIN_PASSPHRASE} characters.`);
    if (passphrase !== again) return setError('The two passphrases differ. Type the same passphrase twice.');
    setBusy(true);
    setOthers(true);
    setError(null);
    try {
      const res = await call('vault:init', { folder: folder.trim(), passphrase, ...(name.trim() ? { deviceName: name.trim() } : {}) });
      setPassphrase('');
      setAgain('');
      done(res.recoveryPhrase, res.status);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
      setOthers(false);
    }
  };

  return (
    <form className="form sync-form" aria-labelledby="vault-create-title" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id="vault-create-title">Create a vault</h3>
      <label>
        Vault folder
        <input value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="e.g. /home/jane/Sync/VitalSync" aria-describedby="vault-create-folder-hint" autoComplete="off" spellCheck={false} />
      </label>
      <p className="hint" id="vault-create-folder-hint">
        The full path of a new or empty folder that your sync engine carries to your other computers. It must be outside VitalSync’s data folder.
      </p>
      <label>
        Passphrase
        <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="new-password" aria-describedby="vault-create-pass-hint" />
      </label>
      <label>
        Passphrase again
        <input type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" />
      </label>
      <p className="hint" id="vault-create-pass-hint">
        At least {MIN_PASSPHRASE} characters. You type it once on each other computer that joins.
      </p>
      <NameField value={name} onChange={setName} id="vault-create-name-hint" />
      <div>
        <button type="submit" disabled={others}>
          {busy ? 'Creating…' : 'Create vault'}
        </button>
      </div>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
    </form>
  );
}

function JoinVaultForm({ done, others, setOthers }: { done(status: VaultStatus): void } & FormBusy) {
  const [folder, setFolder] = useState('');
  const [using, setUsing] = useState<'passphrase' | 'recovery'>('passphrase');
  const [secret, setSecret] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const choose = (how: 'passphrase' | 'recovery') => {
    setUsing(how);
    setSecret('');
  };

  useEffect(() => {
    if (!busy) return;
    return onEvent('vault:progress', (p) => setProgress(p.phase === 'ingest' ? `Taking in segments: ${p.done} / ${p.total}` : `Writing this computer’s segments: ${p.done}`));
  }, [busy]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!folder.trim()) return setError('Give the vault folder: the full path where your sync engine put it on this computer.');
    if (!secret.trim()) return setError(using === 'passphrase' ? 'Give the vault’s passphrase.' : 'Give the vault’s recovery phrase.');
    setBusy(true);
    setOthers(true);
    setError(null);
    setProgress(null);
    try {
      const s = await call('vault:join', {
        folder: folder.trim(),
        ...(using === 'passphrase' ? { passphrase: secret } : { recoveryPhrase: secret.trim() }),
        ...(name.trim() ? { deviceName: name.trim() } : {}),
      });
      setSecret('');
      done(s);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
      setOthers(false);
      setProgress(null);
    }
  };

  return (
    <form className="form sync-form" aria-labelledby="vault-join-title" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id="vault-join-title">Join a vault</h3>
      <label>
        Vault folder
        <input value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="e.g. /home/jane/Sync/VitalSync" aria-describedby="vault-join-folder-hint" autoComplete="off" spellCheck={false} />
      </label>
      <p className="hint" id="vault-join-folder-hint">
        The full path of the vault folder as your sync engine put it on this computer.
      </p>
      <fieldset>
        <legend>Open it with</legend>
        <label className="checkbox">
          <input type="radio" name="vault-join-secret" checked={using === 'passphrase'} onChange={() => choose('passphrase')} />
          Its passphrase
        </label>
        <label className="checkbox">
          <input type="radio" name="vault-join-secret" checked={using === 'recovery'} onChange={() => choose('recovery')} />
          Its recovery phrase
        </label>
      </fieldset>
      {using === 'passphrase' ? (
        <label>
          Passphrase
          <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="current-password" />
        </label>
      ) : (
        <label>
          Recovery phrase
          <textarea value={secret} onChange={(e) => setSecret(e.target.value)} rows={3} autoComplete="off" spellCheck={false} aria-describedby="vault-join-recovery-hint" />
          <span className="hint" id="vault-join-recovery-hint">
            The 24 words, in order, separated by spaces.
          </span>
        </label>
      )}
      <NameField value={name} onChange={setName} id="vault-join-name-hint" />
      <div>
        <button type="submit" disabled={others}>
          {busy ? 'Joining…' : 'Join vault'}
        </button>
        {busy && (
          <span role="status" className="hint">
            {' '}
            {progress ?? 'Opening the vault…'}
          </span>
        )}
      </div>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
    </form>
  );
}

/** Either form running disables both (a vault is created or joined once). */
interface FormBusy {
  others: boolean;
  setOthers(busy: boolean): void;
}

function NameField({ value, onChange, id }: { value: string; onChange(v: string): void; id: string }) {
  return (
    <>
      <label>
        This computer’s name
        <input value={value} onChange={(e) => onChange(e.target.value)} maxLength={80} aria-describedby={id} autoComplete="off" />
      </label>
      <p className="hint" id={id}>
        Optional: how the other computers list this one. Without it, the computer’s own name is used.
      </p>
    </>
  );
}

function VaultView({ status, now, changed, refresh, left }: { status: VaultStatus; now: number; changed(s: VaultStatus): void; refresh(): Promise<void>; left(s: VaultStatus): void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<{ line: string; waiting: string[] } | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmLeave, setConfirmLeave] = useState(false);

  useEffect(() => {
    if (busy === null) return;
    return onEvent('vault:progress', (p) => setProgress(p.phase === 'ingest' ? `Taking in segments: ${p.done} / ${p.total}` : `Writing this computer’s segments: ${p.done}`));
  }, [busy]);

  const run = async (what: string, action: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    setProgress(null);
    try {
      await action();
    } catch (err) {
      setError(message(err));
      await refresh();
    } finally {
      setBusy(null);
      setProgress(null);
    }
  };

  const syncNow = () =>
    run('sync', async () => {
      setResult(null);
      const r = await call('vault:sync', {});
      setResult({ line: syncLine(r), waiting: r.waiting.map((w) => w.reason) });
      await refresh();
    });
  const pause = (paused: boolean) => run('pause', async () => changed(await call('vault:pause', { paused })));
  const confirm = (device: string, segment: string) => run(`confirm:${segment}`, async () => changed(await call('vault:confirm', { device, segment })));
  const leave = () => run('leave', async () => left(await call('vault:leave', {})));

  const state = status.state as Exclude<VaultStatus['state'], 'none'>;
  return (
    <div className="vault-view">
      <dl className="vault-facts">
        <dt>Vault folder</dt>
        <dd className="vault-folder">{status.folder}</dd>
        <dt>This computer</dt>
        <dd>{status.deviceName ?? status.deviceId}</dd>
        <dt>State</dt>
        <dd data-state={state}>{STATE_WORDS[state]}</dd>
        <dt>Last sync</dt>
        <dd>{formatAgo(status.lastSyncAt, now)}</dd>
        <dt>Segments</dt>
        <dd>
          {status.ingested} taken in, {status.pending} pending
          {status.held.length ? `, ${status.held.length} held` : ''}
        </dd>
      </dl>

      {status.lastError && (
        <p role="alert" className="error-text">
          {status.lastError}
        </p>
      )}

      <div className="table-wrap">
        <table className="data-table vault-devices">
          <caption>Computers in this vault</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Last active</th>
              <th scope="col">Segments taken in here</th>
            </tr>
          </thead>
          <tbody>
            {status.devices.map((d) => (
              <tr key={d.id} data-this-device={d.thisDevice || undefined}>
                <td>
                  {d.name}
                  {d.thisDevice && <span className="badge muted"> this computer</span>}
                  {d.left && <span className="badge muted"> left the vault</span>}
                </td>
                <td>{formatAgo(d.lastActiveAt, now)}</td>
                <td>{d.thisDevice ? `${d.segments} written here` : `${d.ingested} / ${d.segments}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {status.held.length > 0 && (
        <div className="vault-held">
          <h3>Waiting for you</h3>
          <ul>
            {status.held.map((h) => (
              <li key={`${h.device}/${h.segment}`} className="confirm">
                <p>
                  A segment from {h.deviceName} {h.what} ({Math.round(h.share * 100)}% of the data here).
                </p>
                <p className="hint">
                  A segment from {h.deviceName} would delete more than a tenth of your data here. VitalSync waits until you confirm, in case the deletion was a mistake.
                </p>
                <div className="button-row">
                  <button type="button" className="danger" disabled={busy !== null} onClick={() => void confirm(h.device, h.segment)}>
                    {busy === `confirm:${h.segment}` ? 'Taking it in…' : 'Take it in'}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className="button-row">
        <button type="button" className="primary" disabled={busy !== null} onClick={() => void syncNow()}>
          {busy === 'sync' ? 'Syncing…' : 'Sync now'}
        </button>
        {state === 'paused' ? (
          <button type="button" disabled={busy !== null} onClick={() => void pause(false)}>
            Resume
          </button>
        ) : (
          <button type="button" disabled={busy !== null} onClick={() => void pause(true)}>
            Pause
          </button>
        )}
        {!confirmLeave && (
          <button type="button" className="danger" disabled={busy !== null} onClick={() => setConfirmLeave(true)}>
            Remove this computer from the vault
          </button>
        )}
      </div>
      {confirmLeave && (
        <div className="confirm" role="group" aria-labelledby="vault-leave-question">
          <p id="vault-leave-question">
            Remove this computer from the vault? It stops syncing and forgets the vault key. What it wrote stays in the vault, so the other computers (and any that join later) keep it, and the data here
            stays.
          </p>
          <div className="button-row">
            <button type="button" className="danger" disabled={busy !== null} onClick={() => void leave()}>
              {busy === 'leave' ? 'Removing…' : 'Remove this computer'}
            </button>
            <button type="button" disabled={busy !== null} onClick={() => setConfirmLeave(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {busy !== null && progress && (
        <p role="status" className="hint">
          {progress}
        </p>
      )}
      {result && busy === null && (
        <div role="status" className="hint vault-result">
          <p>{result.line}</p>
          {result.waiting.map((w, i) => (
            <p key={i}>Waiting: {w}</p>
          ))}
        </div>
      )}
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
    </div>
  );
}
