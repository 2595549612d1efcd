// Says on the dashboard when the newest Apple Health import's dates were written in another zone
// than the home zone (a computer's zone accepted on the first run, say): its days are counted in
// the home zone, which may be the wrong one. One click takes the export's zone (the days are
// counted again, as any home-zone change does); "Keep" leaves the home zone and hides the notice
// for that import. The import job's summary carries the zone (writtenZone).
import { useEffect, useState } from 'react';
import { subscribeImports, useImports } from './imports';
import { useApp } from './store';

const KEPT_KEY = 'vitalsync.zoneNotice.kept';

function keptJob(): number | null {
  try {
    const v = Number(localStorage.getItem(KEPT_KEY));
    return Number.isInteger(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

export function ZoneNotice() {
  const jobs = useImports((s) => s.jobs);
  const settings = useApp((s) => s.settings);
  const saveSettings = useApp((s) => s.saveSettings);
  const [kept, setKept] = useState(keptJob);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    subscribeImports();
    void useImports.getState().load();
  }, []);

  const newest = jobs.find((j) => j.kind === 'apple_health' && j.status === 'completed');
  const written = newest?.summary.writtenZone;
  const home = settings?.homeTimeZone;
  if (!newest || !written || !home || written === home || kept === newest.id) return null;

  const keep = () => {
    try {
      localStorage.setItem(KEPT_KEY, String(newest.id));
    } catch {
      // Without storage the notice is hidden until the next launch only.
    }
    setKept(newest.id);
  };
  const take = async () => {
    setSaving(true);
    await saveSettings({ homeTimeZone: written });
    setSaving(false);
  };
  return (
    <div className="banner warning zone-notice" role="status">
      <span>
        The dates in {newest.fileName} were written in <strong>{written}</strong> time, but your home time zone is <strong>{home}</strong>, so its days are
        counted in {home}. If you live in {written}, make it your home time zone and the days are counted again.
      </span>
      <span className="button-row">
        <button type="button" className="primary" disabled={saving} onClick={() => void take()}>
          {saving ? 'Saving…' : `Use ${written}`}
        </button>
        <button type="button" onClick={keep}>
          Keep {home}
        </button>
      </span>
    </div>
  );
}
