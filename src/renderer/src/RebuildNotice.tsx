// Says when keeping the charts up to date fails (the core retries on its own), so a person
// never looks at stale or empty charts without knowing why.
import { useEffect, useState } from 'react';
import { call, onEvent } from './api';

export function RebuildNotice() {
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call('metrics:state', {})
      .then((s) => live && setFailure(s.failure?.message ?? null))
      .catch(() => undefined);
    const off = onEvent('metrics:rebuild', (e) => setFailure(e.ok ? null : e.message));
    return () => {
      live = false;
      off();
    };
  }, []);
  if (!failure) return null;
  return (
    <div className="banner error" role="alert">
      <span>
        Updating the charts failed: {failure}. VitalSync keeps retrying; the charts may be out of date until it succeeds. If this stays, look at
        the log in the data folder, or run <code>vitalsync rebuild</code>.
      </span>
    </div>
  );
}
