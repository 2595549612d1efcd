import { useEffect, useState } from 'react';
import type { ChannelInput } from '../../../shared/contract';
import { isBrowserMode } from '../api';
import { useApp } from '../store';
import { SyncSection } from './SyncSection';

const MACHINE_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function SettingsPage() {
  const { settings, saveSettings } = useApp();
  if (!settings) return null;
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <div className="form">
        <label>
          Units
          <select value={settings.units} onChange={(e) => void saveSettings({ units: e.target.value as 'metric' | 'imperial' })}>
            <option value="metric">Metric (kg, km)</option>
            <option value="imperial">Imperial (lb, mi)</option>
          </select>
        </label>
        <label>
          Theme
          <select value={settings.theme} onChange={(e) => void saveSettings({ theme: e.target.value as 'system' | 'light' | 'dark' })}>
            <option value="system">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <HomeZoneField zone={settings.homeTimeZone} assumed={settings.homeTimeZoneAssumed} save={saveSettings} />
        <div>
          <label className="checkbox">
            <input type="checkbox" checked={settings.checkForUpdates} aria-describedby="updates-hint" onChange={(e) => void saveSettings({ checkForUpdates: e.target.checked })} />
            Check for updates
          </label>
          <p className="hint" id="updates-hint">
            Once a day the desktop app asks its update feed whether a newer VitalSync exists. If one does, it asks you before downloading it, and installs it when you quit. This is the only connection VitalSync makes
            that is not to a provider you connected, so it is off unless you turn it on.
            {isBrowserMode && ' Browser mode never checks: update the installed app or your checkout instead.'}
          </p>
        </div>
      </div>
      <SyncSection />
    </section>
  );
}

/** The home zone: saved on leaving the field or Enter; a zone the core refuses stays for fixing (the banner says why). */
function HomeZoneField({ zone, assumed, save }: { zone: string | null; assumed: boolean; save(patch: ChannelInput<'settings:set'>): Promise<boolean> }) {
  const [draft, setDraft] = useState(zone ?? '');
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    setDraft(zone ?? '');
    setRefused(false);
  }, [zone]);

  const commit = async () => {
    const next = draft.trim() || null;
    if (next === zone) {
      setRefused(false);
      return;
    }
    setRefused(!(await save({ homeTimeZone: next })));
  };

  return (
    <div>
      <label>
        Home time zone
        <input
          value={draft}
          placeholder={`e.g. ${MACHINE_ZONE}`}
          aria-describedby={zone === null || assumed ? 'home-zone-purpose home-zone-state' : 'home-zone-purpose'}
          aria-invalid={refused || undefined}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => void commit()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void commit();
          }}
        />
      </label>
      <p className="hint" id="home-zone-purpose">
        Days are counted in this zone for data that carries no zone of its own, such as most Apple Health records.
      </p>
      {zone === null ? (
        <p className="hint" id="home-zone-state">
          Not set: days of such data are counted in UTC until you set it.
        </p>
      ) : (
        assumed && (
          <p className="hint" id="home-zone-state">
            Assumed from your data — change it if it is wrong.{' '}
            <button type="button" className="link-button" onClick={() => void save({ homeTimeZone: zone })}>
              It is right
            </button>
          </p>
        )
      )}
    </div>
  );
}
