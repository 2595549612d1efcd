import { useApp } from '../store';

export function DashboardPage() {
  const sources = useApp((s) => s.sources);
  const total = sources.reduce((a, s) => a + s.samples, 0);
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      {total === 0 ? (
        <p className="empty">
          No health data yet. Import an Apple Health export on the Imports page, or connect a source on the Sources page, and your charts appear here.
        </p>
      ) : (
        <p>{total.toLocaleString()} samples stored. Charts arrive with the merge engine.</p>
      )}
    </section>
  );
}
