import { useEffect } from 'react';
import { useApp } from './store';
import { useRoute, type Page } from './router';
import { PreferencesPage } from './pages/PreferencesPage';
import { SourcesPage } from './pages/SourcesPage';
import { DashboardPage } from './pages/DashboardPage';
import { ImportsPage } from './pages/ImportsPage';
import { SettingsPage } from './pages/SettingsPage';
import { ExportPage } from './pages/ExportPage';
import { DropOverlay } from './DropOverlay';
import { RebuildNotice } from './RebuildNotice';

const PAGES: { id: Page; label: string }[] = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'sources', label: 'Sources' },
  { id: 'preferences', label: 'Preferences' },
  { id: 'imports', label: 'Imports' },
  { id: 'export', label: 'Export' },
  { id: 'settings', label: 'Settings' },
];

export function App() {
  const { setPage, load, error, notice, dismiss, settings } = useApp();
  const { page } = useRoute();
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    const theme = settings?.theme ?? 'system';
    const dark = theme === 'dark' || (theme === 'system' && window.matchMedia?.('(prefers-color-scheme: dark)').matches);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  }, [settings?.theme]);

  return (
    <div className="app">
      <DropOverlay />
      <nav className="sidebar" aria-label="Main">
        <div className="brand">VitalSync</div>
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              <button type="button" className={page === p.id ? 'active' : ''} aria-current={page === p.id ? 'page' : undefined} onClick={() => page !== p.id && setPage(p.id)}>
                {p.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        {error && (
          <div className="banner error" role="alert">
            <span>{error}</span>
            <button type="button" onClick={dismiss} aria-label="Dismiss message">
              ×
            </button>
          </div>
        )}
        {!error && notice && (
          <div className="banner notice" role="status">
            <span>{notice}</span>
          </div>
        )}
        <RebuildNotice />
        {page === 'dashboard' && <DashboardPage />}
        {page === 'sources' && <SourcesPage />}
        {page === 'preferences' && <PreferencesPage />}
        {page === 'imports' && <ImportsPage />}
        {page === 'export' && <ExportPage />}
        {page === 'settings' && <SettingsPage />}
      </main>
    </div>
  );
}
