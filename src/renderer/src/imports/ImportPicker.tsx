// "Choose file…" (any export or CSV: VitalSync recognises it by its content) and, in the desktop
// app, "Choose folder…" (an unzipped export: apple_health_export, a Google Takeout folder). Browser
// mode sends one file to the server, so a folder must be zipped there.
import { useRef } from 'react';
import { isBrowserMode } from '../api';
import { useImports } from '../imports';

/** The folder a directory picker's files come from: a file's path less its path inside the folder. */
function folderPath(file: File): string | null {
  const full = window.vitalsyncFiles?.pathForFile(file);
  const inside = file.webkitRelativePath.split('/');
  if (!full || inside.length < 2) return null;
  let folder = full;
  for (let i = 1; i < inside.length; i++) folder = folder.slice(0, Math.max(folder.lastIndexOf('/'), folder.lastIndexOf('\\')));
  return folder || null;
}

export function ImportPicker() {
  const { openFile, openPath, showError } = useImports();
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  return (
    <div className="button-row">
      <input
        ref={fileInput}
        id="import-file"
        type="file"
        className="sr-only"
        tabIndex={-1}
        aria-label="File to import"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void openFile(file, 'picker');
          e.target.value = '';
        }}
      />
      <button type="button" className="primary" onClick={() => fileInput.current?.click()}>
        Choose file…
      </button>
      {!isBrowserMode && (
        <>
          <input
            ref={(el) => {
              folderInput.current = el;
              el?.setAttribute('webkitdirectory', '');
            }}
            type="file"
            className="sr-only"
            tabIndex={-1}
            aria-label="Folder to import"
            onChange={(e) => {
              const first = e.target.files?.[0];
              e.target.value = '';
              if (!first) return showError('That folder is empty: choose the export folder itself (apple_health_export, or the Takeout folder).');
              const folder = folderPath(first);
              if (!folder) return showError('VitalSync cannot read that folder from here. Drop it on the window instead.');
              void openPath(folder, folder.split(/[\\/]/).pop() ?? folder);
            }}
          />
          <button type="button" onClick={() => folderInput.current?.click()}>
            Choose folder…
          </button>
        </>
      )}
    </div>
  );
}
