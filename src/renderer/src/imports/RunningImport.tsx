// A running import: its progress bar, what it has read, the time left, and Cancel.
import type { ImportProgress } from '../../../shared/contract';
import { fmtBytes } from './words';

function fmtEta(s: number | null): string {
  if (s === null) return 'estimating…';
  if (s < 60) return `${s} s left`;
  return `${Math.floor(s / 60)} min ${s % 60} s left`;
}

export function RunningImport({ p, onCancel }: { p: ImportProgress; onCancel(): void }) {
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
