// "Why this number?": who supplied a bucket's value, what was left out and why, the raw
// samples behind it, and a way to change the category's priority.
import { useEffect, useState } from 'react';
import { CATEGORY_LABELS, getMetric } from '../../../shared/catalog';
import type { Explain } from '../../../shared/contract';
import { differenceSentences, excludedSentence, originLabel, prioritySentence, qualitySentence } from '../../../shared/explainWords';
import { call } from '../api';
import { useApp } from '../store';
import { sourceColor } from './colors';
import { displayUnit, formatMinutes, formatValue, slotText, sourceName } from './format';
import type { ExplainTarget } from './MetricChart';
import { activityName, openWorkout } from './WorkoutDetail';
import { usePanelClose } from './usePanelClose';

const STATUS_TEXT: Record<Explain['samples'][number]['status'], string> = {
  used: 'counted',
  partial: 'partly counted (overlap)',
  overlap: 'excluded: a higher-priority source covers it',
  'not-listed': 'excluded: source not in your priority list',
  'fill-gaps-off': 'excluded: fill gaps is off',
  impossible: 'excluded: impossible value',
  'daily-total': 'excluded: this day’s total comes from a daily summary',
  'zero-total': 'excluded: a daily total of 0 means the device recorded nothing',
  unpaired: 'excluded: half of a reading without its other half',
  duplicate: 'excluded: the same device recorded this time twice',
  'duplicate-workout': 'excluded: same workout from another source',
};

/** "2026-03-10 07:00–07:50" (UTC), with the end's date only when it differs. */
function timeSpan(start: string, end: string): string {
  const a = start.replace('T', ' ').slice(0, 16);
  const b = end.replace('T', ' ').slice(0, 16);
  if (a === b) return a;
  return `${a}–${b.slice(0, 10) === a.slice(0, 10) ? b.slice(11) : b}`;
}

export function ExplainPanel({ target, onClose }: { target: ExplainTarget; onClose(): void }) {
  const units = useApp((s) => s.settings?.units ?? 'metric');
  const setPage = useApp((s) => s.setPage);
  const [data, setData] = useState<Explain | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closeRef = usePanelClose(onClose, target);
  useEffect(() => {
    let live = true;
    setData(null);
    call('metrics:explain', target)
      .then((d) => live && setData(d))
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [target]);

  const def = getMetric(target.metric);
  const du = displayUnit(target.metric, units);
  const show = (v: number | null) => (def?.kind === 'sleep-stage' || def?.kind === 'session' ? (v === null ? '—' : formatMinutes(v)) : formatValue(v, du));
  const goToPriority = () => {
    const category = data?.category ?? def?.category;
    onClose();
    setPage('preferences');
    // The Preferences page renders on the next frames; bring the category's card into view.
    let tries = 0;
    const focus = () => {
      const card = document.querySelector<HTMLElement>(`[data-category="${category}"]`);
      if (card) {
        card.scrollIntoView({ block: 'center' });
        card.querySelector<HTMLElement>('.priority-row')?.focus();
      } else if (tries++ < 30) requestAnimationFrame(focus);
    };
    requestAnimationFrame(focus);
  };

  return (
    <aside className="explain-panel" role="dialog" aria-modal="false" aria-labelledby="explain-title">
      <div className="card-head">
        <h2 id="explain-title">Why this number?</h2>
        <button ref={closeRef} type="button" className="link-button" onClick={onClose} aria-label="Close “Why this number?”">
          ✕
        </button>
      </div>
      <p className="muted">
        {def?.label ?? target.metric}, {target.bucket === 'hour' ? 'hour' : target.bucket} of {slotText(target.bucketStart)}
      </p>
      {error && <p className="reason">{error}</p>}
      {!data && !error && <p className="muted">Loading…</p>}
      {data && (
        <>
          <p className="explain-value">
            <strong>{show(data.value)}</strong>
            {data.stages && (
              <span className="muted">
                {' '}
                asleep (awake {Math.round(data.stages.awake)} min, in bed {formatMinutes(data.stages.inBed)})
              </span>
            )}
          </p>
          {differenceSentences(data, show).map((t) => (
            <p key={t} className="explain-sentence" data-sentence="difference">
              {t}
            </p>
          ))}
          <h3>Sources</h3>
          <ul className="explain-sources">
            {data.sources.map((s) => {
              const quality = qualitySentence(data, s);
              return (
                <li key={s.originId} data-origin={s.key}>
                  <div className="explain-source-head">
                    <span className="swatch" aria-hidden="true" style={{ background: sourceColor(s.source, s.origin) }} />
                    <strong>{originLabel(s)}</strong>
                    {originLabel(s) !== sourceName(s.source) && <span className="muted"> ({sourceName(s.source)})</span>}
                    <span className="share">{Math.round(s.share * 100)}%</span>
                  </div>
                  <div className="muted">
                    Supplied {show(s.supplied)} · on its own {show(s.own)} · {s.usedSamples} of {s.samples} samples used
                    {s.quality !== null && (
                      <>
                        {' '}
                        · <span className={`badge quality ${s.quality >= 80 ? 'ok' : s.quality >= 50 ? 'warn' : 'bad'}`}>Quality {s.quality}</span>
                      </>
                    )}
                  </div>
                  {quality && (
                    <p className="explain-sentence" data-sentence="quality">
                      {quality}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
          <p className="excluded-line explain-sentence" data-sentence="excluded">
            {excludedSentence(data)}
          </p>
          <p>
            {prioritySentence(data)}{' '}
            <button type="button" className="link-button" onClick={goToPriority}>
              Change the {CATEGORY_LABELS[data.category]} priority
            </button>
          </p>
          <details>
            <summary>
              Raw samples ({data.samplesTotal}
              {data.samplesTotal > data.samples.length ? `, first ${data.samples.length} shown` : ''})
            </summary>
            <div className="table-wrap">
              <table className="data-table raw-samples">
                <thead>
                  <tr>
                    <th scope="col">When (UTC)</th>
                    <th scope="col">Source</th>
                    <th scope="col">Value</th>
                    <th scope="col">Counted</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {data.samples.map((s) => (
                    <tr key={s.id} data-status={s.status}>
                      <td>{timeSpan(s.start, s.end)}</td>
                      <td title={sourceName(s.source)}>{originLabel(s)}</td>
                      <td>
                        {def?.kind === 'session' ? (
                          <button type="button" className="link-button" onClick={() => openWorkout(s.id)}>
                            {`${activityName(s.category)} ${Math.round(s.value)} min`}
                          </button>
                        ) : s.category && def?.kind !== 'discrete' && def?.kind !== 'cumulative' ? (
                          s.category
                        ) : (
                          formatValue(s.value, du)
                        )}
                      </td>
                      <td>{def?.kind === 'sleep-stage' ? `${Math.round(s.counted)} min` : def?.kind === 'session' ? `${Math.round(s.counted)} min` : formatValue(s.counted, du)}</td>
                      <td>{STATUS_TEXT[s.status]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </aside>
  );
}
