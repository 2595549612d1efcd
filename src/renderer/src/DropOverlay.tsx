// Drop a file, zip or folder anywhere on the window: an overlay says what happens, and dropping
// opens it on the Imports page. A file only one importer reads, with nothing to ask (an Apple
// Health export), starts at once; any other shows what was recognised, and any question, first.
import { useEffect, useRef, useState } from 'react';
import { isBrowserMode } from './api';
import { useApp } from './store';
import { subscribeImports, useImports } from './imports';

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

/** True when the dropped item is a folder (browser mode cannot send one). */
function isFolder(e: DragEvent): boolean {
  const item = e.dataTransfer?.items?.[0];
  return Boolean(item && typeof item.webkitGetAsEntry === 'function' && item.webkitGetAsEntry()?.isDirectory);
}

export function DropOverlay() {
  const [visible, setVisible] = useState(false);
  const depth = useRef(0);
  useEffect(() => {
    subscribeImports();
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setVisible(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (!depth.current) setVisible(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      setVisible(false);
      const files = e.dataTransfer?.files;
      const file = files?.[0];
      if (!file) return;
      useApp.getState().setPage('imports');
      const imports = useImports.getState();
      if (isBrowserMode && isFolder(e)) {
        imports.showError(`"${file.name}" is a folder. In the browser VitalSync can receive one file: zip the folder (or drop the export’s zip) and drop that.`);
        return;
      }
      void imports.openFile(file, 'drop').then(() => {
        if (files.length < 2 || useImports.getState().error) return;
        const more = `${files.length} files were dropped: only "${file.name}" was opened. Drop the others one at a time, or their zip.`;
        useImports.setState((s) => ({ notice: s.notice ? `${s.notice} ${more}` : more }));
      });
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  if (!visible) return null;
  return (
    <div className="drop-overlay" role="status" aria-live="polite">
      <div className="drop-box">
        <strong>Drop to import</strong>
        <span>
          {isBrowserMode ? 'An export’s zip, or a single file such as a CSV' : 'An export’s zip or folder, or a single file such as a CSV'}. One that only one importer
          reads and that needs no answer (an Apple Health export) starts importing at once; any other shows what VitalSync recognised first.
        </span>
      </div>
    </div>
  );
}
