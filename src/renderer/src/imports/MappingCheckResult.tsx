// What a mapping gives on the file's first rows (imports:check-mapping): the values, in the
// metric's own unit, and the rows or cells it cannot read. Problems with the mapping itself
// (no row) stop the import; a bad row only loses that row.
import { getMetric } from '../../../shared/catalog';
import type { MappingCheck } from '../../../shared/contract';
import { RowErrors } from './RowErrors';
import { unitLabel } from './words';

export function mappingProblems(check: MappingCheck): string[] {
  return check.errors.filter((e) => e.row === null).map((e) => e.reason);
}

export function MappingCheckResult({ check }: { check: MappingCheck }) {
  const problems = mappingProblems(check);
  if (problems.length) {
    return (
      <div className="mapping-check" role="alert" aria-label="Problems with the mapping">
        <p className="import-error">The mapping cannot be used yet:</p>
        <ul className="import-error">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </div>
    );
  }
  const rowErrors = check.errors.filter((e) => e.row !== null);
  return (
    <div className="mapping-check" aria-label="Check of the first rows" role="region">
      {check.values.length === 0 ? (
        <p className="import-error">The first rows give no values: map at least one column that holds numbers.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table check-values">
            <caption>What the first rows become</caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Metric</th>
                <th scope="col">Date and time</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {check.values.map((v, i) => (
                <tr key={i}>
                  <td>{v.row}</td>
                  <td>{getMetric(v.metric)?.label ?? v.metric}</td>
                  <td>{v.time}</td>
                  <td>
                    {Math.round(v.value * 100) / 100} {unitLabel(v.unit)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rowErrors.length > 0 && (
        <>
          <p className="hint">These cells of the first rows cannot be read. The import leaves them out (and lists them in its details) and keeps everything else.</p>
          <RowErrors errors={rowErrors} />
        </>
      )}
    </div>
  );
}
