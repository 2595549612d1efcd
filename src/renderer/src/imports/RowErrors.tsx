// Cells and rows an import could not use: where (row, column) and why.
import type { RowError } from '../../../shared/contract';

export function RowErrors({ errors, total, caption = 'Not imported' }: { errors: RowError[]; total?: number; caption?: string }) {
  const entries = new Set(errors.map((e) => e.entry));
  return (
    <table className="data-table row-errors">
      <caption>
        {caption}
        {total !== undefined && total > errors.length ? ` (the first ${errors.length} of ${total.toLocaleString()})` : ''}
      </caption>
      <thead>
        <tr>
          {entries.size > 1 && <th scope="col">File</th>}
          <th scope="col">Row</th>
          <th scope="col">Column</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {errors.map((e, i) => (
          <tr key={i}>
            {entries.size > 1 && <td>{e.entry}</td>}
            <td>{e.row ?? '—'}</td>
            <td>{e.column ?? '—'}</td>
            <td>{e.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
