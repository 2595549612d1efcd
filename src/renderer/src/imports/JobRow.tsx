// One import in the history: its outcome ("N added, M already there"), and in its details the
// counts per type, the rows it could not use (row, column, reason), warnings and the zone.
import type { ImportJob } from '../../../shared/contract';
import { sourceName } from '../charts/format';
import { RowErrors } from './RowErrors';

const STATUS_LABEL: Record<ImportJob['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

/** "HKQuantityTypeIdentifierStepCount" -> "StepCount"; "csv:Weight (lb)" -> "Weight (lb)". */
function typeName(raw: string): string {
  return raw.replace(/^HK(Quantity|Category|Correlation)TypeIdentifier/, '').replace(/^csv:/, '');
}

export function JobRow({ job }: { job: ImportJob }) {
  const s = job.summary;
  const types = Object.entries(s.byType).sort((a, b) => b[1].read - a[1].read);
  const rowErrors = s.rowErrors ?? [];
  const hasDetails = types.length > 0 || s.rejected.total > 0 || rowErrors.length > 0 || Object.keys(s.notes).length > 0 || !!s.zone;
  return (
    <li className="card import-job" data-status={job.status} data-job={job.id}>
      <div className="card-head">
        <h2>{job.fileName}</h2>
        <span className="badge muted">{sourceName(job.kind)}</span>
        <span className={`badge ${job.status === 'completed' ? 'ok' : 'muted'}`}>{STATUS_LABEL[job.status]}</span>
      </div>
      <p className="muted">
        Started {new Date(job.startedAt).toLocaleString()}
        {job.finishedAt ? ` · took ${Math.max(1, Math.round((job.finishedAt - job.startedAt) / 1000))} s` : ''}
      </p>
      {job.error && <p className="import-error">{job.error}</p>}
      {(job.status === 'interrupted' || job.status === 'cancelled') && <p className="hint">Import the same file again to finish it; nothing is stored twice.</p>}
      <p className="import-counts">
        {s.samples.inserted.toLocaleString()} samples added, {s.samples.duplicates.toLocaleString()} already there
        {s.workouts.inserted || s.workouts.duplicates ? ` · ${s.workouts.inserted} workouts added, ${s.workouts.duplicates} already there` : ''}
        {s.routes.points ? ` · ${s.routes.inserted} routes (${s.routes.points.toLocaleString()} points)` : ''}
        {s.rejected.total ? ` · ${s.rejected.total.toLocaleString()} not imported` : ''}
      </p>
      {s.warnings.length > 0 && (
        <ul className="import-warnings">
          {s.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {hasDetails && (
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
                    <td>{typeName(name)}</td>
                    <td>{c.read.toLocaleString()}</td>
                    <td>{c.inserted.toLocaleString()}</td>
                    <td>{c.duplicates.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {rowErrors.length > 0 && <RowErrors errors={rowErrors} total={s.rejected.total} />}
          {s.rejected.total > 0 && (
            <ul className="import-rejected" aria-label="Not imported, by reason">
              {Object.entries(s.rejected.reasons).map(([reason, n]) => (
                <li key={reason}>
                  {n.toLocaleString()} × {reason}
                </li>
              ))}
            </ul>
          )}
          {Object.keys(s.notes).length > 0 && (
            <ul className="import-rejected" aria-label="Notes">
              {Object.entries(s.notes).map(([note, n]) => (
                <li key={note}>
                  {n.toLocaleString()} × {note}
                </li>
              ))}
            </ul>
          )}
          {s.zone && <p className="hint">Dates without a time zone were read in {s.zone}.</p>}
          {s.routes.missing > 0 && <p className="hint">{s.routes.missing} route file(s) referenced by workouts were not in the export.</p>}
        </details>
      )}
    </li>
  );
}
