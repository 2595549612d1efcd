// Imports in the window: start one from a File (a drop or the picker), follow its progress
// events, cancel it, and keep the job history. In the desktop app the preload turns the File
// into its path; in browser mode the file is streamed to the server, which imports it.
import { create } from 'zustand';
import type { ImportJob, ImportProgress } from '../../shared/contract';
import { browserModeToken, call, isBrowserMode, onEvent } from './api';
import { useApp } from './store';

declare global {
  interface Window {
    vitalsyncFiles?: { pathForFile(file: File): string };
  }
}

interface Upload {
  name: string;
  sent: number;
  total: number;
}

interface ImportsState {
  jobs: ImportJob[];
  /** The latest progress event per running job. */
  progress: Record<number, ImportProgress>;
  upload: Upload | null;
  error: string | null;
  load(): Promise<void>;
  importFile(file: File): Promise<void>;
  cancel(id: number): Promise<void>;
  dismissError(): void;
}

/** Imports that take longer than this end with a desktop notification. */
const NOTIFY_AFTER_MS = 10_000;
const startedAt = new Map<number, number>();

function uploadFile(file: File, onProgress: (sent: number) => void): Promise<ImportJob> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/imports/upload?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('authorization', `Bearer ${browserModeToken()}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      try {
        const res = JSON.parse(xhr.responseText) as { ok: true; value: ImportJob } | { ok: false; error: { message: string } };
        if (res.ok) resolve(res.value);
        else reject(new Error(res.error.message));
      } catch {
        reject(new Error(`The upload failed (HTTP ${xhr.status}).`));
      }
    };
    xhr.onerror = () => reject(new Error('The upload failed: VitalSync is not answering.'));
    xhr.send(file);
  });
}

function notifyDone(p: ImportProgress): void {
  const began = startedAt.get(p.job);
  startedAt.delete(p.job);
  if (!began || Date.now() - began < NOTIFY_AFTER_MS || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const body = p.status === 'completed' ? `${p.fileName}: ${p.records.toLocaleString()} records imported.` : `${p.fileName}: ${p.error ?? p.status}`;
  new Notification(p.status === 'completed' ? 'Import finished' : 'Import stopped', { body });
}

export const useImports = create<ImportsState>((set, get) => ({
  jobs: [],
  progress: {},
  upload: null,
  error: null,
  async load() {
    try {
      set({ jobs: await call('imports:list', { limit: 50 }) });
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
  async importFile(file) {
    set({ error: null });
    // Asked from the drop or click itself, so the browser lets us ask.
    if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
    try {
      let job: ImportJob;
      const path = !isBrowserMode ? window.vitalsyncFiles?.pathForFile(file) : undefined;
      if (path) job = await call('imports:start', { path });
      else if (isBrowserMode) {
        set({ upload: { name: file.name, sent: 0, total: file.size } });
        job = await uploadFile(file, (sent) => set({ upload: { name: file.name, sent, total: file.size } }));
      } else throw new Error('This file cannot be read from here. Use the file picker on the Imports page.');
      startedAt.set(job.id, Date.now());
      set({ upload: null, jobs: [job, ...get().jobs.filter((j) => j.id !== job.id)] });
    } catch (err) {
      set({ upload: null, error: (err as Error).message });
    }
  },
  async cancel(id) {
    try {
      await call('imports:cancel', { id });
      await get().load();
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
  dismissError: () => set({ error: null }),
}));

let subscribed = false;
/** Listens to import events once for the whole window. */
export function subscribeImports(): void {
  if (subscribed) return;
  subscribed = true;
  onEvent('import:progress', (p) => {
    const { progress } = useImports.getState();
    if (p.status === 'running') {
      useImports.setState({ progress: { ...progress, [p.job]: p } });
      if (!useImports.getState().jobs.some((j) => j.id === p.job)) void useImports.getState().load();
      return;
    }
    const rest = { ...progress };
    delete rest[p.job];
    useImports.setState({ progress: rest });
    notifyDone(p);
    void useImports.getState().load();
    // The Sources page's counts changed.
    if (p.status === 'completed') void useApp.getState().load();
  });
}
