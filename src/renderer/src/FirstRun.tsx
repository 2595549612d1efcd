// The empty dashboard's first run: how to get export.zip off an iPhone, the home time zone
// confirmed (saved through settings:set) before the first import, a "Choose export.zip" button
// that goes through the import flow (preview, then Import, with its progress here), and links to
// the other sources VitalSync reads. When the import's data arrives the dashboard's charts replace it.
import { useEffect, useRef, useState } from 'react';
import { SOURCES } from '../../shared/catalog';
import { isBrowserMode } from './api';
import { subscribeImports, useImports } from './imports';
import { PreviewCard } from './imports/PreviewCard';
import { RunningImport } from './imports/RunningImport';
import { formatHash } from './router';
import { useApp } from './store';
import { ImportMessages } from './imports/ImportMessages';

const MACHINE_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

function names(list: { name: string }[]): string {
  const n = list.map((s) => s.name);
  return n.length > 1 ? `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}` : (n[0] ?? '');
}

function HomeZoneStep() {
  const settings = useApp((s) => s.settings);
  const saveSettings = useApp((s) => s.saveSettings);
  const zone = settings?.homeTimeZone ?? null;
  const confirmed = zone !== null && !settings?.homeTimeZoneAssumed;
  const proposal = zone ?? MACHINE_ZONE;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(proposal);
  const [saving, setSaving] = useState(false);
  useEffect(() => setDraft(proposal), [proposal]);

  const confirm = async (value: string) => {
    setSaving(true);
    const ok = await saveSettings({ homeTimeZone: value.trim() });
    setSaving(false);
    if (ok) setEditing(false);
  };

  if (!settings) return <p className="muted">Loading your settings…</p>;
  if (confirmed && !editing) {
    return (
      <p className="first-run-zone" data-state="confirmed">
        Home time zone: <strong>{zone}</strong> (confirmed).{' '}
        <button type="button" className="link-button" onClick={() => setEditing(true)}>
          Change home time zone
        </button>
      </p>
    );
  }
  const why = settings.homeTimeZoneAssumed ? 'VitalSync inferred it from your data' : 'it is this computer’s time zone';
  return (
    <form
      className="first-run-zone"
      data-state="unconfirmed"
      onSubmit={(e) => {
        e.preventDefault();
        if (draft.trim()) void confirm(draft);
      }}
    >
      <p id="first-run-zone-hint" className="hint">
        Some samples carry no time zone; VitalSync places them in your home time zone. We propose <strong>{proposal}</strong> because {why}. If you mostly live
        elsewhere, type its name (such as Europe/Paris) or an offset (such as +05:30).
      </p>
      <label className="stacked">
        Home time zone
        <input value={draft} aria-describedby="first-run-zone-hint" onChange={(e) => setDraft(e.target.value)} />
      </label>
      <div className="button-row">
        <button type="submit" className="primary" disabled={saving || !draft.trim()}>
          {saving ? 'Saving…' : 'Confirm home time zone'}
        </button>
        {editing && (
          <button type="button" onClick={() => setEditing(false)}>
            Keep {zone}
          </button>
        )}
      </div>
    </form>
  );
}

export function FirstRun() {
  const settings = useApp((s) => s.settings);
  const zoneConfirmed = !!settings && settings.homeTimeZone !== null && !settings.homeTimeZoneAssumed;
  const { progress, upload, pending, openFile, cancel } = useImports();
  const fileInput = useRef<HTMLInputElement>(null);
  useEffect(() => subscribeImports(), []);
  const running = Object.values(progress);

  const available = SOURCES.filter((s) => s.available);
  const fileSources = available.filter((s) => s.kind === 'file' && s.id !== 'apple_health' && s.id !== 'csv');
  const accounts = available.filter((s) => s.kind === 'oauth');
  const csv = available.some((s) => s.id === 'csv');
  const apple = available.some((s) => s.id === 'apple_health');

  return (
    <section className="card first-run" aria-labelledby="first-run-title">
      <h2 id="first-run-title">Welcome to VitalSync</h2>
      <p>No health data yet. Your data stays on this computer.</p>
      <ol className="first-run-steps">
        {apple && (
          <li>
            <h3>Export from your iPhone</h3>
            <ol aria-label="Export steps on the iPhone">
              <li>Open the Health app.</li>
              <li>Tap your picture (top right).</li>
              <li>Tap Export All Health Data, then Export. This takes a few minutes, and the file can be large (hundreds of MB for years of data).</li>
              <li>Send export.zip to this computer with AirDrop, the Files app (iCloud Drive) or Mail.</li>
            </ol>
          </li>
        )}
        <li>
          <h3>Confirm your home time zone</h3>
          <HomeZoneStep />
        </li>
        <li>
          <h3>Import {apple ? 'export.zip' : 'your export'}</h3>
          <input
            ref={fileInput}
            type="file"
            className="sr-only"
            tabIndex={-1}
            aria-label="Export to import"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void openFile(file, 'picker');
            }}
          />
          <div className="first-run-drop">
            {/* The reason is the button's description: a screen reader says it with the disabled button. */}
            <button type="button" className="primary" disabled={!zoneConfirmed} aria-describedby={zoneConfirmed ? undefined : 'first-run-import-hint'} onClick={() => fileInput.current?.click()}>
              Choose {apple ? 'export.zip' : 'a file'}…
            </button>
            <span>
              or drop it anywhere on this window{isBrowserMode ? ' (in the browser, drop the zip rather than its unzipped folder)' : ''}.
            </span>
          </div>
          {!zoneConfirmed && (
            <p className="hint" id="first-run-import-hint">
              Confirm your home time zone first: the import places samples without a zone in it.
            </p>
          )}
        </li>
      </ol>
      <ImportMessages />
      {upload && (
        <p className="muted" role="status">
          Sending {upload.name}… {upload.total ? Math.round((upload.sent / upload.total) * 100) : 0}%
        </p>
      )}
      {pending && <PreviewCard key={pending.path} pending={pending} />}
      {running.map((p) => (
        <RunningImport key={p.job} p={p} onCancel={() => void cancel(p.job)} />
      ))}
      <h3>Other sources</h3>
      <ul className="first-run-sources">
        {(fileSources.length > 0 || csv) && (
          <li>
            Exports from {names(fileSources)}
            {csv ? `${fileSources.length ? ', and ' : ''}any CSV with a header row` : ''}: <a href={formatHash('imports')}>Imports page</a>
          </li>
        )}
        {accounts.length > 0 && (
          <li>
            Connect {names(accounts)}: <a href={formatHash('sources')}>Sources page</a>
          </li>
        )}
      </ul>
    </section>
  );
}
