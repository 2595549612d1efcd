import { useEffect } from 'react';
import { useApp } from '../store';
import { CATEGORY_LABELS } from '../../../shared/catalog';
import { subscribeConnections, useConnections } from '../connections';
import { ConnectionPanel } from './ConnectionPanel';

export function SourcesPage() {
  const sources = useApp((s) => s.sources);
  const connections = useConnections((s) => s.list);
  useEffect(() => {
    subscribeConnections();
    void useConnections.getState().load();
  }, []);
  return (
    <section aria-labelledby="sources-title">
      <h1 id="sources-title">Sources</h1>
      <ul className="source-list">
        {sources.map((s) => {
          const conn = s.kind === 'oauth' && s.available ? connections.find((c) => c.provider === s.id) : undefined;
          return (
            <li key={s.id} className="card" data-source={s.id}>
              <div className="card-head">
                <h2>{s.name}</h2>
                <span className={`badge ${s.available ? 'ok' : 'muted'}`}>{s.available ? (s.kind === 'oauth' ? 'Account' : 'Files') : 'Not available yet'}</span>
              </div>
              <p className="muted">{s.categories.map((c) => CATEGORY_LABELS[c]).join(' · ')}</p>
              {!s.available && <p className="reason">{s.unavailableReason}</p>}
              {s.note && <p>{s.note}</p>}
              <p>{s.samples ? `${s.samples.toLocaleString()} samples from ${s.origins.length} device(s) or app(s)` : 'No data from this source yet.'}</p>
              {conn && <ConnectionPanel c={conn} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
