// The import flow's messages, where a file is chosen (Imports page, first run): the last error
// (unless an open preview card says it beside its Import button) or what happened, in one place.
import { useImports } from '../imports';

export function ImportMessages() {
  const { pending, notice, error, dismissError } = useImports();
  return (
    <>
      {error && !pending?.preview && (
        <div className="banner error" role="alert">
          <span>{error}</span>
          <button type="button" onClick={dismissError} aria-label="Dismiss message">
            ×
          </button>
        </div>
      )}
      {notice && !error && (
        <p className="banner notice" role="status">
          {notice}
        </p>
      )}
    </>
  );
}
