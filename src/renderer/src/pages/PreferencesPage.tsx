import { useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { CATEGORY_LABELS, type CategoryId } from '../../../shared/catalog';
import type { CategoryPreference, SourceState } from '../../../shared/contract';
import { parseSourceKey } from '../../../shared/sourceKey';
import { useApp } from '../store';

/** A readable name for a source key: "Apple Health", or "Apple Health › Jane’s Apple Watch". */
function keyLabel(key: string, sources: SourceState[]): string {
  const parsed = parseSourceKey(key);
  const name = sources.find((s) => s.id === parsed?.source)?.name ?? key;
  return parsed?.origin ? `${name} › ${parsed.origin}` : name;
}

function move<T>(list: T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

function CategoryCard({ pref }: { pref: CategoryPreference }) {
  const { sources, savePreference } = useApp();
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [announce, setAnnounce] = useState('');
  const rowRefs = useRef<(HTMLLIElement | null)[]>([]);
  const title = CATEGORY_LABELS[pref.category];

  const save = async (next: string[], focusIndex?: number, message?: string) => {
    const ok = await savePreference({ category: pref.category, sources: next });
    if (ok && message) setAnnounce(message);
    if (focusIndex !== undefined) requestAnimationFrame(() => rowRefs.current[focusIndex]?.focus());
  };
  const moveTo = (from: number, to: number) => {
    if (to < 0 || to >= pref.sources.length || from === to) return;
    void save(move(pref.sources, from, to), to, `${keyLabel(pref.sources[from], sources)} moved to position ${to + 1} of ${pref.sources.length} in ${title}.`);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>, index: number) => {
    if (e.key === 'ArrowUp' && (e.altKey || e.ctrlKey)) {
      e.preventDefault();
      moveTo(index, index - 1);
    } else if (e.key === 'ArrowDown' && (e.altKey || e.ctrlKey)) {
      e.preventDefault();
      moveTo(index, index + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      rowRefs.current[index - 1]?.focus();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      rowRefs.current[index + 1]?.focus();
    }
  };
  const onDrop = (e: DragEvent, index: number) => {
    e.preventDefault();
    if (dragFrom !== null) moveTo(dragFrom, index);
    setDragFrom(null);
  };

  // Sources (and their origins with data) that could supply this category but are not listed.
  const addable: string[] = [];
  for (const s of sources) {
    if (!s.categories.includes(pref.category)) continue;
    if (!pref.sources.includes(s.id)) addable.push(s.id);
    for (const o of s.origins) if (!pref.sources.includes(o.key)) addable.push(o.key);
  }

  return (
    <section className="card pref-card" aria-labelledby={`pref-${pref.category}`} data-category={pref.category}>
      <div className="card-head">
        <h2 id={`pref-${pref.category}`}>{title}</h2>
        <label className="toggle">
          <input
            type="checkbox"
            checked={pref.fillGaps}
            onChange={(e) => void savePreference({ category: pref.category, fillGaps: e.target.checked })}
          />
          Fill gaps from lower sources
        </label>
      </div>
      <p className="hint" id={`pref-${pref.category}-help`}>
        Highest priority first. Drag a row, or focus it and press Alt+↑ / Alt+↓ to move it.
      </p>
      <ol className="priority-list" aria-describedby={`pref-${pref.category}-help`}>
        {pref.sources.map((key, i) => {
          const parsed = parseSourceKey(key);
          const state = sources.find((s) => s.id === parsed?.source);
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
              aria-label={`${i + 1}. ${keyLabel(key, sources)}${state && !state.available ? ' (not available yet)' : ''}`}
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
              <span className="name">{keyLabel(key, sources)}</span>
              {state && !state.available && (
                <span className="badge muted" title={state.unavailableReason}>
                  not available yet
                </span>
              )}
              <span className="row-actions">
                <button type="button" aria-label={`Move ${keyLabel(key, sources)} up`} disabled={i === 0} onClick={() => moveTo(i, i - 1)}>
                  ↑
                </button>
                <button
                  type="button"
                  aria-label={`Move ${keyLabel(key, sources)} down`}
                  disabled={i === pref.sources.length - 1}
                  onClick={() => moveTo(i, i + 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  aria-label={`Remove ${keyLabel(key, sources)} from ${title}`}
                  onClick={() => void save(pref.sources.filter((k) => k !== key), Math.max(0, i - 1), `${keyLabel(key, sources)} removed from ${title}.`)}
                >
                  ✕
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      {addable.length > 0 && (
        <label className="add-source">
          Add a source
          <select
            value=""
            onChange={(e) => {
              if (e.target.value) void save([...pref.sources, e.target.value], pref.sources.length, `${keyLabel(e.target.value, sources)} added to ${title}.`);
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
          if (!key) return;
          void save([...pref.sources, key], pref.sources.length, `${keyLabel(key, sources)} added to ${title}.`).then(() => (input.value = ''));
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
    </section>
  );
}

export function PreferencesPage() {
  const prefs = useApp((s) => s.prefs);
  return (
    <section aria-labelledby="prefs-title">
      <h1 id="prefs-title">Preferences</h1>
      <p>For each kind of data, choose which source wins when several recorded the same thing, and whether the others fill the gaps.</p>
      <div className="pref-grid">
        {prefs.map((p) => (
          <CategoryCard key={p.category as CategoryId} pref={p} />
        ))}
      </div>
    </section>
  );
}
