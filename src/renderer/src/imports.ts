// Imports in the window, in two steps: a File (a drop or the picker) is previewed first (what
// VitalSync recognises in it, and the questions it needs answered), then started with the
// person's choices. A file chosen with the picker always waits on its preview; a dropped file
// that only one importer reads, with nothing to ask, starts at once (the import routes by content). In the desktop app the preload turns the File into its path; in browser
// mode the file is first staged on the server (uploaded, not imported) and its server path is
// previewed. Progress events, cancel and the job history are here too.
import { create } from 'zustand';
import type { ImportChoices, ImportJob, ImportPreview, ImportProgress } from '../../shared/contract';
import { browserModeToken, call, isBrowserMode, onEvent } from './api';
import { countOf } from './charts/format';
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

/** A file the person gave that is not imported yet: its preview, waiting for their choices. */
export interface PendingImport {
  /** The path the core reads: the file's own (desktop) or its staged copy (browser mode). */
  path: string;
  fileName: string;
  /** Browser mode: a staged copy on the server, removed if the person does not import it. */
  staged: boolean;
  /** Dropped on the window (may start at once) rather than chosen on the Imports page (always previewed). */
  dropped: boolean;
  /** null while VitalSync is looking at the file. */
  preview: ImportPreview | null;
}

interface ImportsState {
  jobs: ImportJob[];
  /** The latest progress event per running job. */
  progress: Record<number, ImportProgress>;
  upload: Upload | null;
  pending: PendingImport | null;
  /** True while a start is on its way (the Import button waits). */
  starting: boolean;
  /** What was recognised in the last file started, and how to stop it ("export.zip: Apple Health export (…)"); once it ends, how it ended. */
  notice: string | null;
  /** The job the notice is about while it runs. */
  noticeJob: number | null;
  error: string | null;
  load(): Promise<void>;
  /** A dropped or chosen file: preview it (a dropped one may start at once, see startsAtOnce). */
  openFile(file: File, how: 'drop' | 'picker'): Promise<void>;
  /** A folder chosen on the Imports page (desktop app): preview it. */
  openPath(path: string, fileName: string): Promise<void>;
  /** Starts the pending import; resolves true when the job started. */
  startPending(choices: ImportChoices): Promise<boolean>;
  discardPending(): Promise<void>;
  cancel(id: number): Promise<void>;
  showError(message: string): void;
  dismissError(): void;
}

/** Imports that take longer than this end with a desktop notification. */
const NOTIFY_AFTER_MS = 10_000;
const startedAt = new Map<number, number>();

type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

function fail(res: { ok: false; error: { code: string; message: string } }): Error {
  return Object.assign(new Error(res.error.message), { code: res.error.code });
}

/** Browser mode: streams the file to the server, which keeps it (staged) and answers its path. */
function stageFile(file: File, onProgress: (sent: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/imports/upload?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('authorization', `Bearer ${browserModeToken()}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      let res: Answer<{ path: string }>;
      try {
        res = JSON.parse(xhr.responseText) as Answer<{ path: string }>;
      } catch {
        return reject(new Error(`VitalSync could not receive "${file.name}" (HTTP ${xhr.status}). Try again.`));
      }
      if (res.ok) resolve(res.value.path);
      else reject(fail(res));
    };
    xhr.onerror = () => reject(new Error('The file could not be sent: VitalSync is not answering. Is "vitalsync serve" still running?'));
    xhr.send(file);
  });
}

/** Browser mode's routes for a staged file (they are not contract channels: only the server holds such files). */
async function stagedRequest<T>(route: 'start' | 'discard', body: unknown): Promise<T> {
  let res: Answer<T>;
  try {
    const http = await fetch(`/api/imports/upload/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${browserModeToken()}` },
      body: JSON.stringify(body),
    });
    res = (await http.json()) as Answer<T>;
  } catch {
    throw new Error('VitalSync is not answering. Is "vitalsync serve" still running?');
  }
  if (!res.ok) throw fail(res);
  return res.value;
}

/**
 * A dropped file with nothing to ask and only one reading (an Apple Health export, say) starts at
 * once. Not a CSV, and not a preset's CSV either: the generic importer recognising it too means it
 * could also be mapped by hand, which is the person's choice to make on the preview.
 */
function startsAtOnce(p: ImportPreview): boolean {
  return p.recognised.length === 1 && p.recognised[0].importer !== 'csv' && p.needs.length === 0;
}

/** The status line once a job started: what was recognised, and how to stop it. */
function startedNotice(fileName: string, found: ImportPreview['recognised'][number], auto: boolean): string {
  const what = `${fileName}: ${found.description}.`;
  const stop = 'Cancel on its progress bar stops it while it runs (what was stored by then stays).';
  return auto ? `${what} Nothing else reads it and there is nothing to ask, so it is being imported as ${found.label}. ${stop}` : `${what} Importing it as ${found.label}. ${stop}`;
}

/**
 * How a job the status line was about ended, from its history entry (the last progress event's
 * count is a snapshot, behind the end). A failure is an error, with the job's own message.
 */
function ended(p: ImportProgress, job: ImportJob | undefined): { notice: string | null; error: string | null } {
  const name = job?.fileName ?? p.fileName;
  if (p.status === 'completed') {
    const s = job?.summary;
    const what = s
      ? `${countOf(s.samples.inserted, 'sample', 'samples')} added, ${s.samples.duplicates.toLocaleString()} already there${s.workouts.inserted ? `, ${countOf(s.workouts.inserted, 'workout', 'workouts')} added` : ''}`
      : `${countOf(p.records, 'record', 'records')} read`;
    const warned = s?.warnings.length ? ` ${s.warnings.length === 1 ? 'A warning' : `${s.warnings.length} warnings`}: see its entry under History on the Imports page.` : '';
    return { notice: `${name} is imported: ${what}.${warned}`, error: null };
  }
  if (p.status === 'cancelled') return { notice: `${name}: the import was cancelled. What was stored by then stays; importing the file again finishes it.`, error: null };
  return { notice: null, error: `${name}: the import failed. ${job?.error ?? p.error ?? 'Its entry under History on the Imports page has the details.'}` };
}

function notifyDone(p: ImportProgress, job: ImportJob | undefined): void {
  const began = startedAt.get(p.job);
  startedAt.delete(p.job);
  if (!began || Date.now() - began < NOTIFY_AFTER_MS || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const { notice, error } = ended(p, job);
  new Notification(p.status === 'completed' ? 'Import finished' : 'Import stopped', { body: notice ?? error ?? '' });
}

export const useImports = create<ImportsState>((set, get) => {
  /** Removes a staged copy the person is not going to import (the server would remove it later anyway). */
  const dropStaged = (p: PendingImport | null) => {
    if (p?.staged) void stagedRequest('discard', { path: p.path }).catch(() => undefined);
  };
  /** Starts the pending import; `auto`: a dropped file started without its preview. */
  const start = async (choices: ImportChoices, auto: boolean): Promise<boolean> => {
    const pending = get().pending;
    if (!pending) return false;
    set({ starting: true, error: null });
    try {
      const job = pending.staged
        ? await stagedRequest<ImportJob>('start', { path: pending.path, choices })
        : await call('imports:start', { path: pending.path, choices });
      startedAt.set(job.id, Date.now());
      const found = pending.preview?.recognised.find((r) => r.importer === (choices.importer ?? job.kind));
      set({
        pending: null,
        starting: false,
        notice: found ? startedNotice(pending.fileName, found, auto) : null,
        // Said when it ends even if nothing recognised it (a file imported "anyway").
        noticeJob: job.id,
        jobs: [job, ...get().jobs.filter((j) => j.id !== job.id)],
      });
      return true;
    } catch (err) {
      // The preview stays, so the person can answer what was missing and start again.
      set({ starting: false, error: (err as Error).message });
      return false;
    }
  };
  const preview = async (pending: PendingImport) => {
    set({ pending });
    let result: ImportPreview;
    try {
      result = await call('imports:preview', { path: pending.path });
    } catch (err) {
      if (get().pending !== pending) return;
      // A zip or XML VitalSync cannot open may still be an Apple Health export cut short: its
      // reader salvages what it can, so the card offers that with the reason it could not be opened.
      if ((err as { code?: string }).code === 'INVALID_INPUT' && /\.(zip|xml)$/i.test(pending.fileName)) {
        set({ pending: { ...pending, preview: { fileName: pending.fileName, recognised: [], message: (err as Error).message, csv: null, needs: [] } } });
        return;
      }
      set({ pending: null, error: (err as Error).message });
      dropStaged(pending);
      return;
    }
    // Another file may have been given meanwhile.
    if (get().pending !== pending) return;
    const next = { ...pending, preview: result };
    set({ pending: next });
    if (pending.dropped && startsAtOnce(result)) await start({ importer: result.recognised[0].importer }, true);
  };
  return {
    jobs: [],
    progress: {},
    upload: null,
    pending: null,
    starting: false,
    notice: null,
    noticeJob: null,
    error: null,
    async load() {
      try {
        set({ jobs: await call('imports:list', { limit: 50 }) });
      } catch (err) {
        set({ error: (err as Error).message });
      }
    },
    async openFile(file, how) {
      set({ error: null, notice: null, noticeJob: null });
      // Asked from the drop or click itself, so the browser lets us ask.
      if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
      dropStaged(get().pending);
      set({ pending: null });
      if (!isBrowserMode) {
        const path = window.vitalsyncFiles?.pathForFile(file);
        if (!path) return set({ error: `VitalSync cannot read "${file.name}" from here. Choose it with "Choose file…" on the Imports page.` });
        return preview({ path, fileName: file.name, staged: false, dropped: how === 'drop', preview: null });
      }
      set({ upload: { name: file.name, sent: 0, total: file.size } });
      let path: string;
      try {
        path = await stageFile(file, (sent) => set({ upload: { name: file.name, sent, total: file.size } }));
      } catch (err) {
        return set({ upload: null, error: (err as Error).message });
      }
      set({ upload: null });
      await preview({ path, fileName: file.name, staged: true, dropped: how === 'drop', preview: null });
    },
    async openPath(path, fileName) {
      set({ error: null, notice: null, noticeJob: null });
      dropStaged(get().pending);
      await preview({ path, fileName, staged: false, dropped: false, preview: null });
    },
    startPending: (choices) => start(choices, false),
    async discardPending() {
      dropStaged(get().pending);
      set({ pending: null, error: null });
    },
    async cancel(id) {
      try {
        await call('imports:cancel', { id });
        await get().load();
      } catch (err) {
        set({ error: (err as Error).message });
      }
    },
    showError: (message) => set({ error: message }),
    dismissError: () => set({ error: null }),
  };
});

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
    void useImports
      .getState()
      .load()
      .then(() => {
        const { jobs, noticeJob } = useImports.getState();
        const job = jobs.find((j) => j.id === p.job);
        notifyDone(p, job);
        if (noticeJob === p.job) useImports.setState({ ...ended(p, job), noticeJob: null });
      });
    // The Sources page's counts changed, and an import may have assumed the home zone.
    if (p.status === 'completed') void useApp.getState().load();
  });
}
