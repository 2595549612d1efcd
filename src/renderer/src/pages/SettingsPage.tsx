import { useApp } from '../store';

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
        <label>
          Home time zone (for samples that carry none)
          <input
            defaultValue={settings.homeTimeZone ?? ''}
            placeholder={Intl.DateTimeFormat().resolvedOptions().timeZone}
            onBlur={(e) => void saveSettings({ homeTimeZone: e.target.value.trim() || null })}
          />
        </label>
      </div>
    </section>
  );
}
