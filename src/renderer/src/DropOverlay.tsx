// Drop an export anywhere on the window: an overlay says it will import, and dropping starts it.
import { useEffect, useRef, useState } from 'react';
import { useApp } from './store';
import { subscribeImports, useImports } from './imports';

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
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
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      useApp.getState().setPage('imports');
      void useImports.getState().importFile(file);
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
        <span>Apple Health export.zip, export.xml or the apple_health_export folder</span>
      </div>
    </div>
  );
}
