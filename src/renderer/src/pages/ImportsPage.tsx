export function ImportsPage() {
  return (
    <section aria-labelledby="imports-title">
      <h1 id="imports-title">Imports</h1>
      <p className="empty">Importing files (Apple Health export.zip, CSV exports) is not available in this version yet.</p>
    </section>
  );
}
