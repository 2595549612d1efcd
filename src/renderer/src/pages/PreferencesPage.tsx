import { useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { CATEGORY_LABELS, getMetric, metricsInCategory, type CategoryId } from '../../../shared/catalog';
import type { CategoryPreference, SourceState } from '../../../shared/contract';
import { parseSourceKey } from '../../../shared/sourceKey';
import { mergeShown, moveShown } from '../priorityOrder';
import { navigate, useRoute } from '../router';
import { useApp } from '../store';

/** A readable name for a source key: "Apple Health", or "Apple Health › Jane’s Apple Watch". */
function keyLabel(key: string, sources: SourceState[]): string {
  const parsed = parseSourceKey(key);
  const name = sources.find((s) => s.id === parsed?.source)?.name ?? key;
  return parsed?.origin ? `${name} › ${parsed.origin}` : name;
}

interface PriorityListProps {
  /** What the list is for, in words ("Activity", "Steps"). */
  title: string;
  keys: string[];
  /** Source keys that may be added (they can supply what this list is for). */
  addable: string[];
  /** Saves a new order; resolves false when the core refused it (the store shows why). */
  onSave(next: string[]): Promise<boolean>;
  /** Which keys get a row (the others keep their places in the saved order, unseen). */
  shown(key: string): boolean;
}

/**
 * An ordered list of sources, highest priority first. Reorder by dragging, by the ↑/↓ buttons,
 * or from the keyboard alone: focus a row, Alt+↑/Alt+↓ moves it, ↑/↓ moves focus.
 */
function PriorityList({ title, keys: allKeys, addable, onSave: saveAll, shown }: PriorityListProps) {
  // Rows are the shown keys; a change is saved into the whole list, hidden keys keeping their places.
  const keys = allKeys.filter(shown);
  const hidden = allKeys.filter((k) => !shown(k));
  const onSave = (next: string[]) => saveAll(mergeShown(allKeys, keys, next));
  const onMove = (from: number, to: number) => saveAll(moveShown(allKeys, keys, from, to));
  const sources = useApp((s) => s.sources);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [announce, setAnnounce] = useState('');
  const rowRefs = useRef<(HTMLLIElement | null)[]>([]);
  const helpId = `help-${title.replace(/\W+/g, '-')}`;

  /** Runs one change (it saves the whole order), then announces it and puts the focus back on a row. */
  const save = async (change: () => Promise<boolean>, focusIndex: number | null, message: string) => {
    const ok = await change();
    if (ok) setAnnounce(message);
    if (focusIndex !== null) requestAnimationFrame(() => rowRefs.current[focusIndex]?.focus());
    return ok;
  };
  const moveTo = (from: number, to: number) => {
    if (to < 0 || to >= keys.length || from === to) return;
    void save(() => onMove(from, to), to, `${keyLabel(keys[from], sources)} moved to position ${to + 1} of ${keys.length} in ${title}.`);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>, index: number) => {
    const moveKey = e.altKey || e.ctrlKey;
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const to = e.key === 'ArrowUp' ? index - 1 : index + 1;
      if (moveKey) moveTo(index, to);
      else rowRefs.current[to]?.focus();
    }
  };
  const onDrop = (e: DragEvent, index: number) => {
    e.preventDefault();
    if (dragFrom !== null) moveTo(dragFrom, index);
    setDragFrom(null);
  };

  return (
    <>
      <p className="hint" id={helpId}>
        Highest priority first. Drag a row, or focus it and press Alt+↑ / Alt+↓ to move it.
      </p>
      <ol className="priority-list" aria-describedby={helpId} aria-label={`${title} sources in priority order`}>
        {keys.map((key, i) => {
          const label = keyLabel(key, sources);
          return (
            <li
              key={key}
              ref={(el) => {
                rowRefs.current[i] = el;
              }}
              tabIndex={0}
              draggable
              data-source-key={key}
              className={`priority-row${dragFrom === i ? ' dragging' : ''}`}
              aria-label={`${i + 1}. ${label}`}
              onKeyDown={(e) => onKeyDown(e, i)}
              onDragStart={(e) => {
                setDragFrom(i);
                e.dataTransfer.effectAllowed = 'move';
              }}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => onDrop(e, i)}
              onDragEnd={() => setDragFrom(null)}
            >
              <span className="grip" aria-hidden="true">
                ⋮⋮
              </span>
              <span className="rank">{i + 1}</span>
              <span className="name">{label}</span>
              <span className="row-actions">
                <button type="button" aria-label={`Move ${label} up`} disabled={i === 0} onClick={() => moveTo(i, i - 1)}>
                  ↑
                </button>
                <button type="button" aria-label={`Move ${label} down`} disabled={i === keys.length - 1} onClick={() => moveTo(i, i + 1)}>
                  ↓
                </button>
                <button
                  type="button"
                  aria-label={`Remove ${label} from ${title}`}
                  onClick={() => void save(() => onSave(keys.filter((k) => k !== key)), Math.max(0, i - 1), `${label} removed from ${title}.`)}
                >
                  ✕
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      {keys.length === 0 && <p className="muted">No source with data for {title} yet.</p>}
      {hidden.length > 0 && (
        <p className="hint hidden-sources">
          Also in this order, without data yet: {hidden.map((k) => keyLabel(k, sources)).join(', ')}.
        </p>
      )}
      {addable.length > 0 && (
        <label className="add-source">
          Add a source
          <select
            value=""
            onChange={(e) => {
              const key = e.target.value;
              if (key) void save(() => onSave([...keys, key]), keys.length, `${keyLabel(key, sources)} added to ${title}.`);
            }}
          >
            <option value="">Choose…</option>
            {addable.map((k) => (
              <option key={k} value={k}>
                {keyLabel(k, sources)}
              </option>
            ))}
          </select>
        </label>
      )}
      <form
        className="add-key"
        onSubmit={(e) => {
          e.preventDefault();
          const input = e.currentTarget.elements.namedItem('key') as HTMLInputElement;
          const key = input.value.trim();
          if (key) void save(() => onSave([...keys, key]), keys.length, `${keyLabel(key, sources)} added to ${title}.`).then((ok) => ok && (input.value = ''));
        }}
      >
        <label>
          Or type a source key (a source id, or source:device such as apple_health:Jane’s Apple Watch)
          <span className="add-key-row">
            <input name="key" aria-label={`Source key to add to ${title}`} placeholder="apple_health:Jane’s Apple Watch" />
            <button type="submit">Add</button>
          </span>
        </label>
      </form>
      <div className="sr-only" aria-live="polite">
        {announce}
      </div>
    </>
  );
}

/** Source keys that could supply `metricOrCategory` and are not in `keys`: sources, and their origins seen in the data. */
function addableKeys(sources: SourceState[], keys: string[], category: CategoryId, metric?: string): string[] {
  const out: string[] = [];
  for (const s of sources) {
    if (metric ? !s.metrics.includes(metric) : !s.categories.includes(category)) continue;
    if (!keys.includes(s.id)) out.push(s.id);
    for (const o of s.origins) if (!keys.includes(o.key)) out.push(o.key);
  }
  return out;
}

/** A source the person has: it holds data, or its account is connected. Origins are seen in data. */
function hasSource(sources: SourceState[], key: string): boolean {
  const parsed = parseSourceKey(key);
  const s = sources.find((x) => x.id === parsed?.source);
  if (!s || !s.available) return false;
  if (parsed?.origin) return s.origins.some((o) => o.key === key && o.samples > 0);
  return s.samples > 0 || (s.connection !== null && !['not_connected', 'disconnected'].includes(s.connection.status));
}

/** "Reset …" with a confirmation in place (nothing changes until the person confirms). */
function ResetButton({ label, question, onReset }: { label: string; question: string; onReset(): Promise<boolean> }) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span className="confirm-reset" role="group" aria-label={label}>
      <span>{question}</span>
      <button
        type="button"
        className="danger"
        onClick={() => {
          setAsking(false);
          void onReset();
        }}
      >
        Yes, reset
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

function CategoryCard({ pref, showAll }: { pref: CategoryPreference; showAll: boolean }) {
  const { sources, savePreference, resetPreferences } = useApp();
  const shown = (key: string) => showAll || hasSource(sources, key);
  const [newOverride, setNewOverride] = useState('');
  const title = CATEGORY_LABELS[pref.category];
  const metrics = metricsInCategory(pref.category);
  const saveOverrides = (overrides: CategoryPreference['overrides']) => savePreference({ category: pref.category, overrides });

  return (
    <section className="card pref-card" aria-labelledby={`pref-${pref.category}`} data-category={pref.category}>
      <div className="card-head">
        <h2 id={`pref-${pref.category}`}>{title}</h2>
        <label className="toggle">
          <input type="checkbox" checked={pref.fillGaps} onChange={(e) => void savePreference({ category: pref.category, fillGaps: e.target.checked })} />
          Fill gaps from lower sources
        </label>
        <ResetButton
          label={`Reset ${title} to defaults`}
          question={`Put ${title}’s order, gap filling and exceptions back to the defaults?`}
          onReset={() => resetPreferences(pref.category)}
        />
      </div>
      <PriorityList
        title={title}
        keys={pref.sources}
        addable={addableKeys(sources, pref.sources, pref.category)}
        onSave={(next) => savePreference({ category: pref.category, sources: next })}
        shown={shown}
      />
      {metrics.length > 1 && (
        <details className="overrides" open={Object.keys(pref.overrides).length > 0}>
          <summary>Per-metric exceptions{Object.keys(pref.overrides).length ? ` (${Object.keys(pref.overrides).length})` : ''}</summary>
          {Object.entries(pref.overrides).map(([metric, list]) => {
            const label = getMetric(metric)?.label ?? metric;
            return (
              <div key={metric} className="override" data-metric={metric}>
                <div className="card-head">
                  <h3>{label}</h3>
                  <label className="toggle">
                    <input
                      type="checkbox"
                      checked={list.fillGaps}
                      onChange={(e) => void saveOverrides({ ...pref.overrides, [metric]: { ...list, fillGaps: e.target.checked } })}
                    />
                    Fill gaps
                  </label>
                  <button
                    type="button"
                    onClick={() => {
                      const rest = { ...pref.overrides };
                      delete rest[metric];
                      void saveOverrides(rest);
                    }}
                  >
                    Use the {title} order
                  </button>
                </div>
                <PriorityList
                  title={label}
                  keys={list.sources}
                  addable={addableKeys(sources, list.sources, pref.category, metric)}
                  onSave={(next) => saveOverrides({ ...pref.overrides, [metric]: { ...list, sources: next } })}
                  shown={shown}
                />
              </div>
            );
          })}
          <label className="add-source">
            Give a metric its own order
            <select
              value={newOverride}
              onChange={(e) => {
                const metric = e.target.value;
                setNewOverride('');
                if (!metric) return;
                // Start from the category's list, keeping only sources that record this metric.
                const start = pref.sources.filter((k) => sources.find((s) => s.id === parseSourceKey(k)?.source)?.metrics.includes(metric));
                void saveOverrides({ ...pref.overrides, [metric]: { sources: start, fillGaps: pref.fillGaps } });
              }}
            >
              <option value="">Choose a metric…</option>
              {metrics
                .filter((m) => !pref.overrides[m.id])
                .map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.label}
                  </option>
                ))}
            </select>
          </label>
        </details>
      )}
    </section>
  );
}

export function PreferencesPage() {
  const prefs = useApp((s) => s.prefs);
  const resetPreferences = useApp((s) => s.resetPreferences);
  const { params } = useRoute();
  // Kept in the URL (#/preferences?all=1), so a reload or Back keeps the choice.
  const showAll = params.all === '1';
  return (
    <section aria-labelledby="prefs-title">
      <h1 id="prefs-title">Preferences</h1>
      <p>For each kind of data, choose which source wins when several recorded the same thing, and whether the others fill the gaps.</p>
      <div className="prefs-toolbar">
        <label className="toggle">
          <input type="checkbox" checked={showAll} onChange={(e) => navigate('preferences', e.target.checked ? { all: '1' } : {}, { replace: true })} />
          Show sources without data
        </label>
        <ResetButton label="Reset all to defaults" question="Put every category’s order, gap filling and exceptions back to the defaults?" onReset={() => resetPreferences()} />
      </div>
      <div className="pref-grid">
        {prefs.map((p) => (
          <CategoryCard key={p.category} pref={p} showAll={showAll} />
        ))}
      </div>
    </section>
  );
}
