// A file given but not imported yet: what VitalSync recognised in it (the importer, changeable
// when several read it), the questions it needs answered, and for a CSV the mapping editor with
// its check. Import starts the job with those choices.
import { useEffect, useRef, useState } from 'react';
import type { CsvMapping, ImporterId, ImportPreview, MappingCheck } from '../../../shared/contract';
import { call } from '../api';
import { useImports, type PendingImport } from '../imports';
import { useApp } from '../store';
import { MappingCheckResult, mappingProblems } from './MappingCheckResult';
import { blankMapping, MappingEditor } from './MappingEditor';
import { Field } from './Field';
import { HomeZoneQuestion, WeightUnitQuestion } from './Questions';

const MACHINE_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function PreviewCard({ pending }: { pending: PendingImport }) {
  const { preview } = pending;
  return (
    <section className="card import-preview" aria-labelledby="import-preview-title" data-state={preview ? 'ready' : 'loading'}>
      <div className="card-head">
        <h2 id="import-preview-title">{pending.fileName}</h2>
      </div>
      {preview ? <PreviewBody pending={pending} preview={preview} /> : <p className="muted">Looking at {pending.fileName}…</p>}
    </section>
  );
}

/** The importers offered: those that recognise the file, except the CSV one when no mapping can be made here. */
function choicesFor(preview: ImportPreview): ImportPreview['recognised'] {
  return preview.recognised.filter((r) => r.importer !== 'csv' || preview.csv);
}

function PreviewBody({ pending, preview }: { pending: PendingImport; preview: ImportPreview }) {
  const { startPending, discardPending, starting, error, showError } = useImports();
  const saveSettings = useApp((s) => s.saveSettings);
  const homeZone = useApp((s) => s.settings?.homeTimeZone ?? null);
  const options = choicesFor(preview);
  const [importer, setImporter] = useState<ImporterId | null>(options[0]?.importer ?? null);
  const [weightUnit, setWeightUnit] = useState<'kg' | 'lb' | null>(null);
  const [zone, setZone] = useState(MACHINE_ZONE);
  const csv = importer === 'csv' ? preview.csv : null;
  const [mapping, setMapping] = useState<CsvMapping | null>(() => (preview.csv ? (preview.csv.saved ?? preview.csv.suggested ?? blankMapping(preview.csv.header, pending.fileName)) : null));
  const chosen = options.find((o) => o.importer === importer);
  const asksZone = preview.needs.includes('homeZone') && importer !== 'apple_health';
  const asksWeight = preview.needs.includes('weightUnit') && importer !== 'csv';

  // A check belongs to the mapping (and zone) it was made with; any change asks for a new one.
  const forCheck = mapping && !mapping.zone && asksZone && zone.trim() ? { ...mapping, zone: zone.trim() } : mapping;
  const key = JSON.stringify(forCheck);
  const [check, setCheck] = useState<{ key: string; result: MappingCheck } | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  const runCheck = async () => {
    if (!forCheck) return;
    setChecking(true);
    setCheckError(null);
    try {
      setCheck({ key, result: await call('imports:check-mapping', { path: pending.path, mapping: forCheck }) });
    } catch (err) {
      setCheck(null);
      setCheckError((err as Error).message);
    } finally {
      setChecking(false);
    }
  };
  // The mapping VitalSync starts from is checked at once.
  const checkedOnce = useRef(false);
  useEffect(() => {
    if (csv && !checkedOnce.current) {
      checkedOnce.current = true;
      void runCheck();
    }
  });
  const current = check?.key === key ? check.result : null;

  if (!options.length) {
    const couldBeApple = /\.(zip|xml)$/i.test(pending.fileName);
    return (
      <>
        <p className="import-error">{preview.message ?? `VitalSync does not recognise "${pending.fileName}" as an export it can read.`}</p>
        {error && (
          <p className="import-error" role="alert">
            {error}
          </p>
        )}
        <div className="button-row">
          {couldBeApple && (
            <button type="button" disabled={starting} onClick={() => void startPending({})}>
              Import it as an Apple Health export anyway
            </button>
          )}
          <button type="button" onClick={() => void discardPending()}>
            Close
          </button>
        </div>
        {couldBeApple && <p className="hint">An export cut short or damaged on the way is read as far as it goes, and the history says what was wrong with it.</p>}
      </>
    );
  }

  const problems = current ? mappingProblems(current) : [];
  const csvReady = !csv || (current !== null && problems.length === 0 && current.values.length > 0);
  const ready = !!chosen && (!asksWeight || weightUnit !== null) && (!asksZone || zone.trim() !== '') && csvReady && !starting && !checking;
  const start = async () => {
    if (asksZone && !(await saveSettings({ homeTimeZone: zone.trim() }))) {
      // Said here, next to the zone and the Import button, rather than only at the top of the window.
      const app = useApp.getState();
      showError(app.error ?? 'The home time zone could not be saved.');
      app.dismiss();
      return;
    }
    await startPending({ importer: importer!, ...(csv && mapping ? { mapping } : {}), ...(asksWeight && weightUnit ? { weightUnit } : {}) });
  };

  return (
    <>
      {options.length > 1 ? (
        <Field label="Import as">
          {(id) => (
            <select id={id} value={importer ?? ''} aria-describedby="import-recognised" onChange={(e) => setImporter(e.target.value as ImporterId)}>
              {options.map((o) => (
                <option key={o.importer} value={o.importer}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <p id="import-recognised" className="import-recognised">
        {chosen && (
          <>
            <strong>{chosen.label}</strong>: {chosen.description}
          </>
        )}
      </p>
      {asksWeight && <WeightUnitQuestion value={weightUnit} onChange={setWeightUnit} />}
      {asksZone && <HomeZoneQuestion value={zone} onChange={setZone} />}
      {csv && csv.rows.length === 0 && (
        <p className="import-error" role="alert">
          This file has only its header row: there is nothing in it to import. Export it again from the app it came from, with the dates you want in it.
        </p>
      )}
      {csv && csv.rows.length > 0 && mapping && (
        <>
          {csv.saved ? (
            <p className="notice-line">Files with these columns were imported before: the mapping you used then is filled in.</p>
          ) : csv.suggested ? (
            <p className="hint">VitalSync filled in what the column names say. Check each choice, change what is wrong, then check the first rows.</p>
          ) : (
            <p className="hint">No column of this file reads as dates in its first rows: choose the date column and its format, and what the other columns hold.</p>
          )}
          <MappingEditor fileName={pending.fileName} header={csv.header} rows={csv.rows} mapping={mapping} homeZone={homeZone} onChange={setMapping} />
          <div className="button-row">
            <button type="button" className={current ? '' : 'primary'} disabled={checking} onClick={() => void runCheck()}>
              {checking ? 'Checking…' : 'Check the first rows'}
            </button>
          </div>
          {checkError && (
            <p className="import-error" role="alert">
              {checkError}
            </p>
          )}
          {current ? <MappingCheckResult check={current} /> : !checking && !checkError && check && <p className="hint">The mapping changed: check the first rows again before importing.</p>}
        </>
      )}
      {error && (
        <p className="import-error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="primary" disabled={!ready} onClick={() => void start()}>
          {starting ? 'Starting…' : 'Import'}
        </button>
        <button type="button" onClick={() => void discardPending()}>
          Cancel
        </button>
      </div>
      {csv && csv.rows.length > 0 && !csvReady && !checking && <p className="hint">Import is possible once the first rows are checked and give values without problems in the mapping.</p>}
    </>
  );
}
