// One import in the history: its outcome ("N added, M already there"), and in its details the
// counts per stored type, the rows the importer read, what it could not use (reasons, and row,
// column and reason per row), its notes, warnings and the zone.
import type { ImportJob } from '../../../shared/contract';
import { countOf, sourceName } from '../charts/format';
import { RowErrors } from './RowErrors';

const STATUS_LABEL: Record<ImportJob['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

/**
 * "HKQuantityTypeIdentifierStepCount" -> "StepCount"; "csv:Weight (lb)" -> "Weight (lb)";
 * "nutrition:Fat (g)" -> "Fat (g)": the importer's prefix, up to its ':', is dropped.
 */
function typeName(raw: string): string {
  return raw.replace(/^HK(Quantity|Category|Correlation)TypeIdentifier/, '').replace(/^[^:]*:/, '');
}

type Count = ImportJob['summary']['byType'][string];

/**
 * byType holds two kinds of names: stored types (samples added or already there; Apple Health's
 * identifiers even when every record was refused) and the importer's own counters of what it
 * read ("csv row", "Nutrition-Summary meal"), which store nothing themselves.
 */
function isCounter(name: string, c: Count): boolean {
  return c.inserted === 0 && c.duplicates === 0 && !name.startsWith('HK');
}

/** Samples offered of a type: what it counted as read, and never less than added + already there (jobs recorded before `read` counted them say 0). */
function readOf(c: Count): number {
  return Math.max(c.read, c.inserted + c.duplicates);
}

export function JobRow({ job }: { job: ImportJob }) {
  const s = job.summary;
  const entries = Object.entries(s.byType);
  const types = entries.filter(([name, c]) => !isCounter(name, c)).sort((a, b) => readOf(b[1]) - readOf(a[1]) || typeName(a[0]).localeCompare(typeName(b[0])));
  const counters = entries.filter(([name, c]) => isCounter(name, c) && c.read > 0);
  const rowErrors = s.rowErrors ?? [];
  const reasons = Object.entries(s.rejected.reasons);
  const notes = Object.entries(s.notes);
  const notImported = s.rejected.total > 0 || rowErrors.length > 0;
  const hasDetails = types.length > 0 || counters.length > 0 || notImported || notes.length > 0 || !!s.zone;
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
        {s.workouts.inserted || s.workouts.duplicates ? ` · ${countOf(s.workouts.inserted, 'workout', 'workouts')} added, ${s.workouts.duplicates.toLocaleString()} already there` : ''}
        {s.routes.points ? ` · ${s.routes.inserted} routes (${s.routes.points.toLocaleString()} points)` : ''}
        {s.rejected.total ? ` · ${s.rejected.total.toLocaleString()} not imported` : ''}
      </p>
      {s.warnings.length > 0 && (
        <ul className="import-warnings">
          {s.warnings.map((w) => (
            <li key={w}>
              {/* The core writes commands between backticks (the CLI prints them as they are): here they are code. */}
              {w.split('`').map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part))}
            </li>
          ))}
        </ul>
      )}
      {hasDetails && (
        <details>
          <summary>Details</summary>
          {counters.length > 0 && (
            <p className="import-rows-read">
              Rows read: {counters.map(([name, c]) => `${c.read.toLocaleString()} × ${name}`).join(', ')}
            </p>
          )}
          {types.length > 0 && (
            <table className="import-types" aria-label="Samples by type">
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
                    <td title={name}>{typeName(name)}</td>
                    <td>{readOf(c).toLocaleString()}</td>
                    <td>{c.inserted.toLocaleString()}</td>
                    <td>{c.duplicates.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {notImported && (
            <>
              <h3 className="import-details-title" id={`import-${job.id}-rejected`}>
                Not imported
              </h3>
              {reasons.length > 0 && (
                <ul className="import-rejected" aria-labelledby={`import-${job.id}-rejected`}>
                  {reasons.map(([reason, n]) => (
                    <li key={reason}>
                      {n.toLocaleString()} × {reason}
                    </li>
                  ))}
                </ul>
              )}
              {rowErrors.length > 0 && <RowErrors errors={rowErrors} total={s.rejected.total} caption="Rows not imported" />}
            </>
          )}
          {notes.length > 0 && (
            <>
              <h3 className="import-details-title" id={`import-${job.id}-notes`}>
                Notes
              </h3>
              <ul className="import-notes" aria-labelledby={`import-${job.id}-notes`}>
                {notes.map(([note, n]) => (
                  <li key={note}>
                    {n.toLocaleString()} × {note}
                  </li>
                ))}
              </ul>
            </>
          )}
          {s.zone && <p className="hint">Dates without a time zone were read in {s.zone}.</p>}
          {s.routes.missing > 0 && <p className="hint">{s.routes.missing} route file(s) referenced by workouts were not in the export.</p>}
        </details>
      )}
    </li>
  );
}
