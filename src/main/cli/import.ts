// `vitalsync import <path> [--json]`: the same import the app runs (worker threads, dedup,
// resumable), with progress on stderr when it is a terminal and one JSON summary with --json.
import path from 'node:path';
import type { ImportJob, ImportProgress } from '../../shared/contract';
import { dispatch } from '../core/dispatch';
import { importManager } from '../core/imports';
import { UsageError } from './output';
import { parseCommandArgs, type Command } from './run';

function human(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${Math.round(n / 1e3)}k` : String(n);
}

function progressLine(p: ImportProgress): string {
  const pct = p.bytesTotal ? Math.min(100, Math.floor((p.bytesRead / p.bytesTotal) * 100)) : 0;
  const width = 24;
  const bar = '#'.repeat(Math.round((pct / 100) * width)).padEnd(width, '.');
  const eta = p.etaSeconds === null ? '' : `  ETA ${p.etaSeconds}s`;
  return `${p.fileName} [${bar}] ${String(pct).padStart(3)}%  ${human(p.records)} records  ${human(p.rate)}/s${eta}`;
}

/** The summary printed by --json (names may grow; these stay). */
export function jobSummary(job: ImportJob) {
  const s = job.summary;
  return {
    job: job.id,
    status: job.status,
    file: job.fileName,
    samples: s.samples,
    workouts: s.workouts,
    routes: s.routes,
    rejected: s.rejected,
    byType: s.byType,
    notes: s.notes,
    exportDate: s.exportDate,
    exportVersion: s.exportVersion,
    stoppedAt: s.stoppedAt,
    error: job.error,
    /** What a person should know (an assumed home time zone, skipped parts). */
    warnings: s.warnings,
    timing: s.timing,
  };
}

export const importCommand: Command = {
  name: 'import',
  usage: 'import <path> [--json]',
  summary: 'Import an Apple Health export (export.zip, export.xml or its folder).',
  async run({ args, io, openCore }) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('give exactly one file or folder to import.');
    const core = openCore();
    const res = await dispatch(core.handlers, 'imports:start', { path: path.resolve(positionals[0]) });
    if (!res.ok) {
      io.err(`vitalsync import: ${res.error.message}`);
      return 1;
    }
    const started = res.value as ImportJob;
    const manager = importManager(core);
    let last = '';
    const off = io.isTty
      ? core.events.on('import:progress', (p) => {
          if (p.job !== started.id || p.status !== 'running') return;
          const line = progressLine(p);
          if (line !== last) process.stderr.write(`\r\x1b[2K${line}`);
          last = line;
        })
      : () => undefined;
    // Ctrl+C stops cleanly: what is stored stays and the next run resumes.
    const onSigint = () => void manager.cancel(started.id);
    process.once('SIGINT', onSigint);
    let job: ImportJob;
    try {
      job = await manager.wait(started.id);
    } finally {
      off();
      process.off('SIGINT', onSigint);
      if (io.isTty && last) process.stderr.write('\n');
    }
    const summary = jobSummary(job);
    if (values.json) io.out(JSON.stringify(summary, null, 2));
    else {
      const s = job.summary;
      io.out(`Import ${job.id} of ${job.fileName}: ${job.status}`);
      io.out(`  samples  ${s.samples.inserted} added, ${s.samples.duplicates} already there`);
      io.out(`  workouts ${s.workouts.inserted} added, ${s.workouts.duplicates} already there`);
      io.out(`  routes   ${s.routes.inserted} added (${s.routes.points} points), ${s.routes.duplicates} already there, ${s.routes.missing} missing`);
      if (s.rejected.total) {
        io.out(`  rejected ${s.rejected.total}:`);
        for (const [reason, n] of Object.entries(s.rejected.reasons)) io.out(`    ${String(n).padStart(8)}  ${reason}`);
      }
      for (const w of s.warnings) io.out(`  note: ${w}`);
    }
    if (job.status !== 'completed') {
      io.err(`vitalsync import: ${job.error ?? `the import ended as ${job.status}.`}`);
      return 1;
    }
    return 0;
  },
};
