// Says on the dashboard when the newest Apple Health import's dates were written in another zone
// than the home zone (a computer's zone accepted on the first run, say): its days are counted in
// the home zone, which may be the wrong one. One click takes the export's zone (the days are
// counted again, as any home-zone change does); "Keep" leaves the home zone and hides the notice
// for that import. Once the home zone is no longer the one the import was checked against (the
// person took the export's zone, or chose another), there is nothing to say. The import job's
// summary carries what it found (writtenZone).
import { useEffect, useState } from 'react';
import { writtenZoneAdvice, writtenZoneSentence } from '../../shared/zoneWords';
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
  /** The import history has been read (until then, no notice is not an answer). */
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    let live = true;
    subscribeImports();
    void useImports
      .getState()
      .load()
      .then(() => live && setChecked(true));
    return () => {
      live = false;
    };
  }, []);

  const newest = jobs.find((j) => j.kind === 'apple_health' && j.status === 'completed');
  const written = newest?.summary.writtenZone;
  const home = settings?.homeTimeZone;
  if (!newest || !written || !home || written.home !== home || kept === newest.id) {
    // For tests: the history was read and there is nothing to say.
    return checked && settings ? <span hidden data-zone-notice="none" /> : null;
  }

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
    await saveSettings({ homeTimeZone: written.zone });
    setSaving(false);
  };
  // A zone known only by its offset has no daylight saving time: the person names their place in Settings.
  const named = written.basis !== 'fixed-offset';
  return (
    <div className="banner warning zone-notice" role="status">
      <span>
        {writtenZoneSentence(newest.fileName, written)} {writtenZoneAdvice(written, false)}
      </span>
      <span className="button-row">
        {named && (
          <button type="button" className="primary" disabled={saving} onClick={() => void take()}>
            {saving ? 'Saving…' : `Use ${written.zone}`}
          </button>
        )}
        <button type="button" onClick={keep}>
          Keep {home}
        </button>
      </span>
    </div>
  );
}
