import { useEffect, useRef } from 'react';
import type { ImportJob, ImportProgress } from '../../../shared/contract';
import { subscribeImports, useImports } from '../imports';

function fmtBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}

function fmtEta(s: number | null): string {
  if (s === null) return 'estimating…';
  if (s < 60) return `${s} s left`;
  return `${Math.floor(s / 60)} min ${s % 60} s left`;
}

function Running({ p, onCancel }: { p: ImportProgress; onCancel(): void }) {
  const pct = p.bytesTotal ? Math.min(100, Math.round((p.bytesRead / p.bytesTotal) * 100)) : 0;
  return (
    <div className="card import-running" data-job={p.job}>
      <div className="card-head">
        <h2>Importing {p.fileName}</h2>
        <button type="button" className="import-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <div className="progress" role="progressbar" aria-label={`Import of ${p.fileName}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <p className="hint">
        {pct}% · {fmtBytes(p.bytesRead)} of {fmtBytes(p.bytesTotal)} · {p.records.toLocaleString()} records · {p.rate.toLocaleString()} records/s ·{' '}
        {p.phase === 'routes' ? 'reading routes' : fmtEta(p.etaSeconds)}
      </p>
    </div>
  );
}

const STATUS_LABEL: Record<ImportJob['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

function JobRow({ job }: { job: ImportJob }) {
  const s = job.summary;
  const types = Object.entries(s.byType).sort((a, b) => b[1].read - a[1].read);
  return (
    <li className="card import-job" data-status={job.status} data-job={job.id}>
      <div className="card-head">
        <h2>{job.fileName}</h2>
        <span className={`badge ${job.status === 'completed' ? 'ok' : 'muted'}`}>{STATUS_LABEL[job.status]}</span>
      </div>
      <p className="muted">
        Started {new Date(job.startedAt).toLocaleString()}
        {job.finishedAt ? ` · took ${Math.max(1, Math.round((job.finishedAt - job.startedAt) / 1000))} s` : ''}
      </p>
      {job.error && <p className="import-error">{job.error}</p>}
      {(job.status === 'interrupted' || job.status === 'cancelled') && <p className="hint">Import the same file again to finish it; nothing is stored twice.</p>}
      <p>
        {s.samples.inserted.toLocaleString()} samples added, {s.samples.duplicates.toLocaleString()} already there · {s.workouts.inserted} workouts
        {s.routes.points ? ` · ${s.routes.inserted} routes (${s.routes.points.toLocaleString()} points)` : ''}
        {s.rejected.total ? ` · ${s.rejected.total.toLocaleString()} rejected` : ''}
      </p>
      {(types.length > 0 || s.rejected.total > 0) && (
        <details>
          <summary>Details</summary>
          {types.length > 0 && (
            <table className="import-types">
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Read</th>
                  <th scope="col">Added</th>
                  <th scope="col">Already there</th>
                </tr>
              </thead>
              <tbody>
                {types.map(([name, c]) => (
                  <tr key={name}>
                    <td>{name.replace(/^HK(Quantity|Category|Correlation)TypeIdentifier/, '')}</td>
                    <td>{c.read.toLocaleString()}</td>
                    <td>{c.inserted.toLocaleString()}</td>
                    <td>{c.duplicates.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {s.rejected.total > 0 && (
            <ul className="import-rejected">
              {Object.entries(s.rejected.reasons).map(([reason, n]) => (
                <li key={reason}>
                  {n.toLocaleString()} × {reason}
                </li>
              ))}
            </ul>
          )}
          {s.routes.missing > 0 && <p className="hint">{s.routes.missing} route file(s) referenced by workouts were not in the export.</p>}
        </details>
      )}
    </li>
  );
}

export function ImportsPage() {
  const { jobs, progress, upload, error, load, importFile, cancel, dismissError } = useImports();
  const input = useRef<HTMLInputElement>(null);
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
          Export from the Health app on your iPhone (your picture → Export All Health Data), then drop <strong>export.zip</strong> anywhere on this window or
          choose it here. Importing the same export again adds nothing twice.
        </p>
        <input
          ref={input}
          id="import-file"
          type="file"
          className="sr-only"
          accept=".zip,.xml,application/zip,text/xml"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void importFile(file);
            e.target.value = '';
          }}
        />
        <button type="button" className="import-button primary" onClick={() => input.current?.click()}>
          Choose a file…
        </button>
      </div>
      {error && (
        <div className="banner error" role="alert">
          <span>{error}</span>
          <button type="button" onClick={dismissError} aria-label="Dismiss message">
            ×
          </button>
        </div>
      )}
      {upload && (
        <div className="card">
          <h2>Sending {upload.name}</h2>
          <div className="progress" role="progressbar" aria-label={`Upload of ${upload.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={upload.total ? Math.round((upload.sent / upload.total) * 100) : 0}>
            <div className="progress-fill" style={{ width: `${upload.total ? (upload.sent / upload.total) * 100 : 0}%` }} />
          </div>
        </div>
      )}
      {running.map((p) => (
        <Running key={p.job} p={p} onCancel={() => void cancel(p.job)} />
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
