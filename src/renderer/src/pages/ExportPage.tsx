// Export: a range, the metrics, a format, merged or raw values, and Save. The desktop app asks
// where to save (its save dialog, through export:save); browser mode downloads the file.
import { useEffect, useState } from 'react';
import { getMetric } from '../../../shared/catalog';
import type { ChannelOutput, ExportFormat, ExportResult, ExportValues } from '../../../shared/contract';
import { api, browserModeToken, call, isBrowserMode } from '../api';

const FORMATS: { id: ExportFormat; label: string; hint: string }[] = [
  { id: 'csv', label: 'CSV', hint: 'A spreadsheet-friendly table. Raw samples as CSV can be imported into VitalSync again.' },
  { id: 'json', label: 'JSON', hint: 'The same values for programs, with the sources behind each one.' },
  { id: 'fhir', label: 'FHIR R4 bundle', hint: 'Observations with LOINC codes and units, for a clinician or a personal health record. Metrics without a LOINC code VitalSync can vouch for are left out.' },
  { id: 'sqlite', label: 'SQLite database', hint: 'A copy of the whole database, made safely while VitalSync runs. Range and metrics do not apply.' },
];

const pad = (n: number) => String(n).padStart(2, '0');
/** The calendar month holding `day` (YYYY-MM-DD): its first and last day. */
function monthOf(day: string): { from: string; to: string } {
  const [y, m] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(last)}` };
}

export function ExportPage() {
  const [overview, setOverview] = useState<ChannelOutput<'metrics:overview'>>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [all, setAll] = useState(true);
  const [chosen, setChosen] = useState<string[]>([]);
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [values, setValues] = useState<ExportValues>('merged');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void call('metrics:overview', {}).then((o) => {
      setOverview(o);
      // Start with the month of the latest data.
      const last = o.map((m) => m.lastDay).filter((d): d is string => !!d).sort().at(-1);
      if (last) {
        const m = monthOf(last);
        setFrom(m.from);
        setTo(m.to);
      }
    });
    return api.on('export:progress', (p) => setProgress(p.total ? `${Math.round((p.done / p.total) * 100)} %` : `${p.done.toLocaleString()} ${p.unit}`));
  }, []);

  const whole = format === 'sqlite';
  const request = {
    format,
    values,
    ...(whole ? {} : { from, to }),
    ...(!whole && !all && chosen.length ? { metrics: chosen } : {}),
  };
  const ready = whole || (from !== '' && to !== '' && from <= to && (all || chosen.length > 0));

  const save = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    setProgress(null);
    try {
      if (isBrowserMode) {
        const res = await fetch('/api/export', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${browserModeToken()}` }, body: JSON.stringify(request) });
        if (!res.ok) {
          const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
          throw new Error(body?.error?.message ?? `The export failed (HTTP ${res.status}). Try again.`);
        }
        const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'vitalsync-export';
        const url = URL.createObjectURL(await res.blob());
        const a = document.createElement('a');
        a.href = url;
        a.download = name;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        setDone(`Downloaded ${name}.`);
      } else {
        const r: ExportResult | null = await call('export:save', request);
        if (r) setDone(`Saved ${r.format === 'sqlite' ? 'a copy of the database' : `${r.rows.toLocaleString()} ${r.format === 'fhir' ? 'observations' : 'rows'}`} to ${r.path}.${r.omitted.length ? ` Left out (no LOINC code): ${r.omitted.map((m) => getMetric(m)?.label ?? m).join(', ')}.` : ''}`);
      }
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const withData = overview.filter((m) => m.days > 0);
  return (
    <section aria-labelledby="export-title">
      <h1 id="export-title">Export</h1>
      <p className="hint">Your data is yours: take it out as a file, for a spreadsheet, another program, or your doctor.</p>
      <div className="form">
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} aria-describedby="export-format-hint">
            {FORMATS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <p className="hint" id="export-format-hint">
          {FORMATS.find((f) => f.id === format)!.hint}
        </p>
        {!whole && (
          <>
            <fieldset>
              <legend>Values</legend>
              <label className="checkbox">
                <input type="radio" name="export-values" checked={values === 'merged'} onChange={() => setValues('merged')} />
                Merged daily values, with the sources behind each
              </label>
              <label className="checkbox">
                <input type="radio" name="export-values" checked={values === 'raw'} onChange={() => setValues('raw')} />
                Raw samples, as each source recorded them
              </label>
            </fieldset>
            <label>
              From
              <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
            </label>
            <label>
              To
              <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
            </label>
            {from && to && from > to && <p className="hint">The range starts after it ends; swap the dates.</p>}
            <fieldset>
              <legend>Metrics</legend>
              <label className="checkbox">
                <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
                All metrics
              </label>
              {!all &&
                withData.map((m) => (
                  <label className="checkbox" key={m.metric}>
                    <input
                      type="checkbox"
                      checked={chosen.includes(m.metric)}
                      onChange={(e) => setChosen(e.target.checked ? [...chosen, m.metric] : chosen.filter((x) => x !== m.metric))}
                    />
                    {getMetric(m.metric)?.label ?? m.metric}
                  </label>
                ))}
              {!all && !withData.length && <p className="hint">No metric has data yet.</p>}
            </fieldset>
          </>
        )}
        <div>
          <button type="button" className="primary" disabled={!ready || busy} onClick={() => void save()}>
            {busy ? 'Exporting…' : isBrowserMode ? 'Download' : 'Save…'}
          </button>
          {busy && progress && <span className="hint"> {progress}</span>}
        </div>
        {done && (
          <p role="status" className="hint">
            {done}
          </p>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
