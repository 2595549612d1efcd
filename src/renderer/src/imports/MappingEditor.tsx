// A generic CSV's columns mapped to VitalSync's metrics: the first rows as a table, the layout,
// the date (and time) columns with their format, the decimal mark, the zone, the origin's name,
// and per column (wide) or per metric name (long) a metric and the unit its values are in.
import { CATEGORY_LABELS, type CategoryId } from '../../../shared/catalog';
import { DATE_FORMATS, type CsvMapping, type DateFormat } from '../../../shared/contract';
import { unitSpelling } from '../../../shared/units';
import { Field } from './Field';
import { csvMetrics, DATE_FORMAT_LABELS, headerUnit, metricUnits, unitFor, unitLabel } from './words';

interface Props {
  fileName: string;
  header: string[];
  rows: string[][];
  mapping: CsvMapping;
  /** The home zone, shown as what an empty zone means (null: not set yet). */
  homeZone: string | null;
  onChange(mapping: CsvMapping): void;
}

/** A mapping to start from when VitalSync could suggest none (no column read as dates). */
export function blankMapping(header: string[], fileName: string): CsvMapping {
  return {
    layout: 'wide',
    date: { column: header[0] ?? '', format: 'iso' },
    time: null,
    zone: null,
    decimal: '.',
    columns: [],
    metricColumn: null,
    valueColumn: null,
    unitColumn: null,
    metricNames: {},
    origin: fileName.replace(/\.[^.]+$/, '') || 'Spreadsheet',
  };
}

export function MappingEditor({ fileName, header, rows, mapping, homeZone, onChange }: Props) {
  const set = (patch: Partial<CsvMapping>) => onChange({ ...mapping, ...patch });
  return (
    <fieldset className="mapping-editor">
      <legend>Columns of {fileName}</legend>
      <FirstRows header={header} rows={rows} />
      <div className="mapping-fields">
        <fieldset className="inline-choice">
          <legend>Layout</legend>
          <label>
            <input type="radio" name="csv-layout" checked={mapping.layout === 'wide'} onChange={() => set({ layout: 'wide' })} />
            One metric per column
          </label>
          <label>
            <input type="radio" name="csv-layout" checked={mapping.layout === 'long'} onChange={() => set({ layout: 'long' })} />
            One reading per row (a metric column and a value column)
          </label>
        </fieldset>
        <Field label="Date column">
          {(id) => (
            <select id={id} value={mapping.date.column} onChange={(e) => set({ date: { ...mapping.date, column: e.target.value } })}>
              {header.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Date format">
          {(id) => (
            <select id={id} value={mapping.date.format} onChange={(e) => set({ date: { ...mapping.date, format: e.target.value as DateFormat } })}>
              {DATE_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {DATE_FORMAT_LABELS[f]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Time column">
          {(id) => (
            <select id={id} value={mapping.time ?? ''} onChange={(e) => set({ time: e.target.value || null })}>
              <option value="">None (the time is in the date column, or there is none)</option>
              {header
                .filter((h) => h !== mapping.date.column)
                .map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field label="Decimal mark">
          {(id) => (
            <select id={id} value={mapping.decimal} onChange={(e) => set({ decimal: e.target.value as '.' | ',' })}>
              <option value=".">Point (1,234.5)</option>
              <option value=",">Comma (1.234,5)</option>
            </select>
          )}
        </Field>
        <Field label="Time zone of the dates">
          {(id) => (
            <input
              id={id}
              value={mapping.zone ?? ''}
              placeholder={homeZone ? `Home zone (${homeZone})` : 'Home zone'}
              aria-describedby="csv-zone-hint"
              onChange={(e) => set({ zone: e.target.value.trim() ? e.target.value : null })}
            />
          )}
        </Field>
        <p className="hint" id="csv-zone-hint">
          Leave it empty to read the dates in your home zone. Dates that carry an offset (+02:00) keep it.
        </p>
        <Field label="Device or app name">
          {(id) => <input id={id} value={mapping.origin} aria-describedby="csv-origin-hint" onChange={(e) => set({ origin: e.target.value })} />}
        </Field>
        <p className="hint" id="csv-origin-hint">
          How these values are named in Sources and Preferences.
        </p>
      </div>
      {mapping.layout === 'wide' ? <WideColumns header={header} rows={rows} mapping={mapping} onChange={onChange} /> : <LongColumns header={header} rows={rows} mapping={mapping} onChange={onChange} />}
    </fieldset>
  );
}

function FirstRows({ header, rows }: { header: string[]; rows: string[][] }) {
  return (
    <div className="table-wrap csv-rows">
      <table className="data-table">
        <caption className="sr-only">The first {rows.length} rows of the file</caption>
        <thead>
          <tr>
            {header.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {header.map((h, j) => (
                <td key={h}>{r[j] ?? ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A metric select: the metrics a CSV can hold, by category, or "Not imported". */
function MetricSelect({ label, value, onChange }: { label: string; value: string; onChange(metric: string): void }) {
  const byCategory = new Map<CategoryId, ReturnType<typeof csvMetrics>>();
  for (const m of csvMetrics()) byCategory.set(m.category, [...(byCategory.get(m.category) ?? []), m]);
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Not imported</option>
      {[...byCategory].map(([cat, defs]) => (
        <optgroup key={cat} label={CATEGORY_LABELS[cat]}>
          {defs.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

function UnitSelect({ label, metric, value, onChange }: { label: string; metric: string; value: string; onChange(unit: string): void }) {
  const units = metricUnits(metric);
  return (
    <select aria-label={label} value={units.includes(unitSpelling(value)) ? unitSpelling(value) : units[0]} onChange={(e) => onChange(e.target.value)}>
      {units.map((u) => (
        <option key={u} value={u}>
          {unitLabel(u)}
        </option>
      ))}
    </select>
  );
}

const examples = (rows: string[][], i: number) =>
  rows
    .map((r) => r[i] ?? '')
    .filter((v) => v.trim() !== '')
    .slice(0, 3)
    .join(', ');

function WideColumns({ header, rows, mapping, onChange }: { header: string[]; rows: string[][]; mapping: CsvMapping; onChange(m: CsvMapping): void }) {
  const valueColumns = header.map((h, i) => ({ h, i })).filter(({ h }) => h !== mapping.date.column && h !== mapping.time);
  const setColumn = (column: string, metric: string, unit?: string) => {
    const rest = mapping.columns.filter((c) => c.column !== column);
    const current = mapping.columns.find((c) => c.column === column);
    const named = headerUnit(column);
    const next = metric
      ? [...rest, { column, metric: metric as CsvMapping['columns'][number]['metric'], unit: unitFor(metric, unit, current?.unit, named && unitSpelling(named)) }]
      : rest;
    // Keep the file's column order.
    onChange({ ...mapping, columns: next.sort((a, b) => header.indexOf(a.column) - header.indexOf(b.column)) });
  };
  return (
    <table className="data-table mapping-columns">
      <caption>What each column holds</caption>
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">First values</th>
          <th scope="col">Metric</th>
          <th scope="col">Unit</th>
        </tr>
      </thead>
      <tbody>
        {valueColumns.map(({ h, i }) => {
          const c = mapping.columns.find((x) => x.column === h);
          return (
            <tr key={h} data-column={h}>
              <th scope="row">{h}</th>
              <td className="muted">{examples(rows, i)}</td>
              <td>
                <MetricSelect label={`Metric of column ${h}`} value={c?.metric ?? ''} onChange={(m) => setColumn(h, m)} />
              </td>
              <td>{c && <UnitSelect label={`Unit of column ${h}`} metric={c.metric} value={c.unit} onChange={(u) => setColumn(h, c.metric, u)} />}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function LongColumns({ header, rows, mapping, onChange }: { header: string[]; rows: string[][]; mapping: CsvMapping; onChange(m: CsvMapping): void }) {
  const set = (patch: Partial<CsvMapping>) => onChange({ ...mapping, ...patch });
  const at = mapping.metricColumn ? header.indexOf(mapping.metricColumn) : -1;
  const seen = at >= 0 ? rows.map((r) => (r[at] ?? '').trim()).filter(Boolean) : [];
  const names = [...new Set([...seen, ...Object.keys(mapping.metricNames)])];
  const setName = (name: string, metric: string, unit?: string) => {
    const rest = { ...mapping.metricNames };
    const current = rest[name];
    delete rest[name];
    const named = headerUnit(name);
    if (metric) rest[name] = { metric: metric as CsvMapping['columns'][number]['metric'], unit: unitFor(metric, unit, current?.unit, named && unitSpelling(named)) };
    set({ metricNames: rest });
  };
  const columnSelect = (label: string, value: string | null, onPick: (v: string | null) => void, optional: boolean) => (
    <Field label={label}>
      {(id) => (
        <select id={id} value={value ?? ''} onChange={(e) => onPick(e.target.value || null)}>
          <option value="">{optional ? 'None (the unit chosen per metric below)' : 'Choose a column'}</option>
          {header.map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <div className="mapping-long">
      <div className="mapping-fields">
        {columnSelect('Metric column', mapping.metricColumn, (v) => set({ metricColumn: v }), false)}
        {columnSelect('Value column', mapping.valueColumn, (v) => set({ valueColumn: v }), false)}
        {columnSelect('Unit column', mapping.unitColumn, (v) => set({ unitColumn: v }), true)}
      </div>
      {names.length > 0 ? (
        <table className="data-table mapping-columns">
          <caption>What each name in the metric column is</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Metric</th>
              <th scope="col">{mapping.unitColumn ? 'Unit (when its unit cell is empty)' : 'Unit'}</th>
            </tr>
          </thead>
          <tbody>
            {names.map((name) => {
              const m = mapping.metricNames[name];
              return (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>
                    <MetricSelect label={`Metric of ${name}`} value={m?.metric ?? ''} onChange={(v) => setName(name, v)} />
                  </td>
                  <td>{m && <UnitSelect label={`Unit of ${name}`} metric={m.metric} value={m.unit} onChange={(u) => setName(name, m.metric, u)} />}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="hint">Choose the metric column to map the names it holds.</p>
      )}
      {names.length > 0 && <p className="hint">Names listed are those in the first {rows.length} rows. Rows of names left unmapped are skipped, and counted in the import’s details.</p>}
    </div>
  );
}
