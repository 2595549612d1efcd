import { useEffect } from 'react';
import { useApp } from '../store';
import { CATEGORY_LABELS } from '../../../shared/catalog';
import { subscribeConnections, useConnections } from '../connections';
import { ConnectionPanel } from './ConnectionPanel';

export function SourcesPage() {
  const sources = useApp((s) => s.sources);
  const connections = useConnections((s) => s.list);
  // Sources not built yet are named on one line, not given a card each (the catalog says which).
  const built = sources.filter((s) => s.available);
  const coming = sources.filter((s) => !s.available);
  useEffect(() => {
    subscribeConnections();
    void useConnections.getState().load();
  }, []);
  return (
    <section aria-labelledby="sources-title">
      <h1 id="sources-title">Sources</h1>
      <ul className="source-list">
        {built.map((s) => {
          const conn = s.kind === 'oauth' ? connections.find((c) => c.provider === s.id) : undefined;
          return (
            <li key={s.id} className="card" data-source={s.id}>
              <div className="card-head">
                <h2>{s.name}</h2>
                <span className="badge ok">{s.kind === 'oauth' ? 'Account' : 'Files'}</span>
              </div>
              <p className="muted">{s.categories.map((c) => CATEGORY_LABELS[c]).join(' · ')}</p>
              {s.note && <p>{s.note}</p>}
              <p>{s.samples ? `${s.samples.toLocaleString()} samples from ${s.origins.length} device(s) or app(s)` : 'No data from this source yet.'}</p>
              {conn && <ConnectionPanel c={conn} />}
            </li>
          );
        })}
      </ul>
      {coming.length > 0 && (
        <p className="muted coming-sources" data-testid="coming-sources">
          Coming: {coming.map((s) => s.name).join(', ')}.
        </p>
      )}
    </section>
  );
}
