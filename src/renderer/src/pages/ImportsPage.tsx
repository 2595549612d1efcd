import { useEffect } from 'react';
import { SOURCES } from '../../../shared/catalog';
import { isBrowserMode } from '../api';
import { subscribeImports, useImports } from '../imports';
import { ImportPicker } from '../imports/ImportPicker';
import { JobRow } from '../imports/JobRow';
import { PreviewCard } from '../imports/PreviewCard';
import { RunningImport } from '../imports/RunningImport';
import { ImportMessages } from '../imports/ImportMessages';

/** The file exports VitalSync reads today (the catalog says which), and any CSV. */
function readableExports(): string {
  const names = SOURCES.filter((s) => s.kind === 'file' && s.available && s.id !== 'csv').map((s) => s.name);
  return `exports from ${names.join(', ')} and any spreadsheet saved as CSV with a header row`;
}

export function ImportsPage() {
  const { jobs, progress, upload, pending, load, cancel } = useImports();
  useEffect(() => {
    subscribeImports();
    void load();
  }, [load]);
  const running = Object.values(progress);
  return (
    <section aria-labelledby="imports-title">
      <h1 id="imports-title">Imports</h1>
      <div className="card">
        <p>
          VitalSync reads {readableExports()}, and recognises which one a file is from its content. Choose it here or drop it anywhere on this window
          {isBrowserMode ? ' (in the browser, zip a folder first)' : ''}. Importing the same file again adds nothing twice.
        </p>
        <ul className="import-doors">
          <li>
            A file chosen here is never imported at once: you see what was recognised (and can change it when more than one importer reads the file) and answer any
            question, then Import or Cancel.
          </li>
          <li>
            A dropped file that only one importer reads and that needs no answer, such as an Apple Health export, starts importing at once: the line above its progress
            bar says what was recognised, and Cancel stops it. Any other dropped file shows the same preview first.
          </li>
        </ul>
        <p className="hint">
          Apple Health: on your iPhone, open Health, tap your picture, then Export All Health Data, and bring <strong>export.zip</strong> here.
        </p>
        <ImportPicker />
      </div>
      <ImportMessages />
      {upload && (
        <div className="card">
          <h2>Sending {upload.name}</h2>
          <div className="progress" role="progressbar" aria-label={`Upload of ${upload.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={upload.total ? Math.round((upload.sent / upload.total) * 100) : 0}>
            <div className="progress-fill" style={{ width: `${upload.total ? (upload.sent / upload.total) * 100 : 0}%` }} />
          </div>
        </div>
      )}
      {pending && <PreviewCard key={pending.path} pending={pending} />}
      {running.map((p) => (
        <RunningImport key={p.job} p={p} onCancel={() => void cancel(p.job)} />
      ))}
      <h2 className="section-title">History</h2>
      {jobs.length === 0 ? (
        <p className="empty">No imports yet.</p>
      ) : (
        <ul className="import-history" aria-label="Import history">
          {jobs.map((j) => (
            <JobRow key={j.id} job={j} />
          ))}
        </ul>
      )}
    </section>
  );
}
