// `vitalsync import <path> [--json]`: the same import the app runs (worker threads, dedup,
// resumable), with progress on stderr when it is a terminal and one JSON summary with --json.
import fs from 'node:fs';
import path from 'node:path';
import { CsvMappingSchema, IMPORTER_IDS, type ImportChoices, type ImporterId, type ImportJob, type ImportPreview, type ImportProgress } from '../../shared/contract';
import { dispatch } from '../core/dispatch';
import { importManager } from '../core/imports';
import { UsageError } from './output';
import { parseCommandArgs, type CommandModule } from './run';

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
    /** The first rows that could not be read, with row, column and reason. */
    rowErrors: s.rowErrors ?? [],
    /** The zone local times without an offset were read in (file importers). */
    zone: s.zone ?? null,
    exportDate: s.exportDate,
    exportVersion: s.exportVersion,
    stoppedAt: s.stoppedAt,
    error: job.error,
    /** What a person should know (an assumed home time zone, skipped parts). */
    warnings: s.warnings,
    timing: s.timing,
  };
}

/** `--preset myfitnesspal` (or `apple-health`, with a hyphen) as an importer id. */
function presetId(name: string): ImporterId {
  const id = name.trim().toLowerCase().replace(/-/g, '_');
  if (!(IMPORTER_IDS as readonly string[]).includes(id)) throw new UsageError(`unknown preset "${name}": use one of ${IMPORTER_IDS.join(', ')}.`);
  return id as ImporterId;
}

/** A mapping file (JSON, as `import --preview` prints it), checked against the contract. */
function readMapping(file: string): NonNullable<ImportChoices['mapping']> {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read the mapping file "${file}": ${(err as Error).message}`);
  }
  const parsed = CsvMappingSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new UsageError(`the mapping file "${file}" is not a valid mapping (${issues}). Start from the one \`vitalsync import FILE --preview\` prints.`);
  }
  return parsed.data;
}

/** The preview in words; what the command line already answers (--zone, --weight-unit) is not asked again. */
function printPreview(p: ImportPreview, choices: ImportChoices, io: { out(line: string): void }): void {
  if (!p.recognised.length) io.out(p.message ?? `Nothing recognises ${p.fileName}.`);
  for (const [i, r] of p.recognised.entries()) io.out(`${i === 0 ? 'Recognised' : 'Also'}: ${r.label} (--preset ${r.importer}): ${r.description}`);
  if (p.needs.includes('homeZone') && !choices.zone) io.out('Needs: a home time zone (vitalsync settings set homeTimeZone Europe/Paris), or --zone for this file.');
  if (p.needs.includes('weightUnit') && !choices.weightUnit) io.out('Needs: the weight unit, --weight-unit kg or --weight-unit lb.');
  if (p.csv && p.csv.rows.length === 0) io.out(`Columns: ${p.csv.header.join(' | ')}\nThis file has only its header row: there is nothing in it to import.`);
  else if (p.csv) {
    io.out(`Columns: ${p.csv.header.join(' | ')}`);
    for (const [i, row] of p.csv.rows.slice(0, 5).entries()) io.out(`Row ${i + 2}:  ${row.join(' | ')}`);
    const mapping = p.csv.saved ?? p.csv.suggested;
    if (mapping) {
      io.out(p.csv.saved ? 'The mapping saved for this header (used when no --mapping is given):' : 'A suggested mapping: save it to a file, check it, and pass it with --mapping FILE:');
      io.out(JSON.stringify(mapping, null, 2));
    } else io.out('No column reads as dates: write a mapping by hand (see docs/imports.md) and pass it with --mapping FILE.');
  }
}

export const importCommand: CommandModule = {
  async run({ args, io, openCore }) {
    const { values, positionals } = parseCommandArgs(args, {
      json: { type: 'boolean' },
      preset: { type: 'string' },
      mapping: { type: 'string' },
      zone: { type: 'string' },
      'weight-unit': { type: 'string' },
      preview: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one file or folder to import.');
    const weightUnit = values['weight-unit'];
    if (weightUnit !== undefined && weightUnit !== 'kg' && weightUnit !== 'lb') throw new UsageError('--weight-unit is kg or lb.');
    const choices: ImportChoices = {
      ...(values.preset ? { importer: presetId(values.preset) } : {}),
      ...(values.mapping ? { mapping: readMapping(values.mapping) } : {}),
      ...(values.zone ? { zone: values.zone } : {}),
      ...(weightUnit ? { weightUnit } : {}),
    };
    const core = await openCore();
    const file = path.resolve(positionals[0]);
    if (values.preview) {
      const res = await dispatch(core.handlers, 'imports:preview', { path: file });
      if (!res.ok) {
        io.err(`vitalsync import: ${res.error.message}`);
        return 1;
      }
      if (values.json) io.out(JSON.stringify(res.value, null, 2));
      else printPreview(res.value as ImportPreview, choices, io);
      return 0;
    }
    const res = await dispatch(core.handlers, 'imports:start', { path: file, ...(Object.keys(choices).length ? { choices } : {}) });
    if (!res.ok) {
      // Scripts reading --json get an answer on stdout too: no job was made, and why.
      if (values.json) io.out(JSON.stringify({ job: null, status: 'refused', error: res.error }, null, 2));
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
      const rows = s.rowErrors ?? [];
      for (const e of rows.slice(0, 20)) io.out(`  ${e.entry}${e.row !== null ? ` row ${e.row}` : ''}${e.column ? `, ${e.column}` : ''}: ${e.reason}`);
      if (rows.length > 20) io.out(`  … and ${rows.length - 20} more rows (--json lists up to 200)`);
      if (s.zone) io.out(`  times without a zone were read in ${s.zone}`);
      for (const w of s.warnings) io.out(`  note: ${w}`);
    }
    if (job.status !== 'completed') {
      io.err(`vitalsync import: ${job.error ?? `the import ended as ${job.status}.`}`);
      return 1;
    }
    return 0;
  },
};
