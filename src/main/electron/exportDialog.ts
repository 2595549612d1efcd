// The desktop app's Save for exports: the save dialog picks the file (the page never names a
// path), then the core writes the export there (core/export). Replaces the core's `export:save`,
// which without a dialog can only say to use the CLI or browser mode's download.
import path from 'node:path';
import { app, dialog, type BrowserWindow, type FileFilter } from 'electron';
import type { Core } from '../core';
import { runExport, suggestedFileName } from '../core/export';

const FILTERS: Record<'csv' | 'json' | 'fhir' | 'sqlite', FileFilter[]> = {
  csv: [{ name: 'CSV', extensions: ['csv'] }],
  json: [{ name: 'JSON', extensions: ['json'] }],
  fhir: [{ name: 'FHIR bundle (JSON)', extensions: ['json'] }],
  sqlite: [{ name: 'SQLite database', extensions: ['sqlite', 'db'] }],
};

export function installExportDialog(core: Core, getWindow: () => BrowserWindow | null): void {
  core.handlers['export:save'] = async (request) => {
    const options = {
      title: 'Export your data',
      defaultPath: path.join(app.getPath('downloads'), suggestedFileName(request)),
      filters: FILTERS[request.format],
      properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
    };
    const win = getWindow();
    const { canceled, filePath } = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    if (canceled || !filePath) return null;
    return runExport(core, request, { kind: 'file', path: filePath });
  };
}
