// `npm run bench:csv [-- <MB>]`: generates a deterministic generic CSV of that size (default
// 200 MB, cached in bench/.data/): one row a minute with a timestamp and four metric columns,
// a few rows in ten thousand unreadable. Imports it with a column mapping in a fresh process and
// database, and prints wall time, rows/s, samples/s, peak RSS (the whole process: main thread and
// both import threads) and what the job reported. A figure, not a test.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../src/main/core';
import { importManager } from '../src/main/core/imports';
import { CsvMappingSchema } from '../src/shared/contract';

const ROOT = process.env.VITALSYNC_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PATHS = {
  migrationsDir: path.join(ROOT, 'resources/migrations'),
  workersDir: fs.existsSync(path.join(ROOT, 'out/main/importWorker.js')) ? path.join(ROOT, 'out/main') : path.join(ROOT, 'src/main/workers'),
};

const MAPPING = CsvMappingSchema.parse({
  layout: 'wide',
  date: { column: 'Timestamp', format: 'iso' },
  columns: [
    { column: 'Heart rate', metric: 'heart_rate', unit: 'bpm' },
    { column: 'Steps', metric: 'steps', unit: 'count' },
    { column: 'Weight (lb)', metric: 'weight', unit: 'lb' },
    { column: 'SpO2 (%)', metric: 'spo2', unit: '%' },
  ],
  origin: 'Bench spreadsheet',
});

function generate(file: string, bytes: number): number {
  const fd = fs.openSync(`${file}.tmp`, 'w');
  let written = fs.writeSync(fd, 'Timestamp,Heart rate,Steps,Weight (lb),SpO2 (%),Note\n');
  let rows = 0;
  let t = Date.UTC(2015, 0, 1);
  let seed = 42;
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines: string[] = [];
  while (written < bytes) {
    const iso = new Date(t).toISOString().slice(0, 19).replace('T', ' ');
    const bad = rows % 9973 === 0;
    lines.push(`${iso},${bad ? 'n/a?' : Math.round(55 + r() * 60)},${Math.round(r() * 120)},${rows % 1440 === 0 ? (150 + r() * 10).toFixed(1) : ''},${rows % 60 === 0 ? Math.round(94 + r() * 5) : '--'},${rows % 5000 === 0 ? '"a ""quoted"" note"' : ''}`);
    rows++;
    t += 60_000;
    if (lines.length === 10_000) {
      written += fs.writeSync(fd, `${lines.join('\n')}\n`);
      lines.length = 0;
    }
  }
  if (lines.length) fs.writeSync(fd, `${lines.join('\n')}\n`);
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
  return rows;
}

async function child(input: string): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(path.dirname(input), 'run-csv-'));
  const core = createCore({ dataDir, paths: PATHS });
  core.settings.set({ homeTimeZone: 'Europe/Paris' });
  const t0 = performance.now();
  const m = importManager(core);
  const job = await m.wait((await m.start(input, {}, { mapping: MAPPING })).id);
  const wallS = (performance.now() - t0) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  core.db.$client.pragma('wal_checkpoint(TRUNCATE)');
  const dbMb = fs.statSync(core.dbFile).size / 1e6;
  core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const s = job.summary;
  process.stdout.write(`RESULT ${JSON.stringify({ wallS, peakRssMb, dbMb, status: job.error ? `${job.status}: ${job.error}` : job.status, samples: s.samples, rejected: s.rejected.total, rows: s.byType['csv row']?.read ?? 0, timing: s.timing })}\n`);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]);
  const mb = Number(process.argv[2] ?? process.env.VITALSYNC_BENCH_MB ?? 200);
  if (!Number.isFinite(mb) || mb <= 0) throw new Error('Give the CSV size in MB, e.g. npm run bench:csv -- 200');
  const dir = path.join(ROOT, 'bench', '.data', `csv-${mb}MB`);
  const file = path.join(dir, 'readings.csv');
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (f.startsWith('run-')) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
  if (!fs.existsSync(file)) {
    console.log(`Generating a ${mb} MB CSV in ${path.relative(ROOT, dir)} (cached for next time)…`);
    generate(file, mb * 1e6);
  }
  const childEntry = path.join(ROOT, 'bench', '.data', 'csv-child.mjs');
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [fileURLToPath(import.meta.url)], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: childEntry, target: 'node20', logLevel: 'silent' });
  if (!fs.existsSync(path.join(ROOT, 'out/main/importWorker.js'))) console.log('(out/main/importWorker.js is missing: run "npm run build" to measure the built worker.)');
  const run = spawnSync(process.execPath, [childEntry, '--child', file], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, VITALSYNC_ROOT: ROOT } });
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) {
    console.error(run.stderr);
    throw new Error('the import run failed');
  }
  const r = JSON.parse(line.slice(7)) as { wallS: number; peakRssMb: number; dbMb: number; status: string; samples: { inserted: number; duplicates: number }; rejected: number; rows: number; timing: Record<string, number> };
  const inputMb = fs.statSync(file).size / 1e6;
  console.log(`Input: ${path.relative(ROOT, file)}, ${inputMb.toFixed(0)} MB, ${r.rows.toLocaleString('en-US')} rows`);
  console.log(`Import: ${r.status} in ${r.wallS.toFixed(1)} s (${(inputMb / r.wallS).toFixed(1)} MB/s, ${Math.round(r.rows / r.wallS).toLocaleString('en-US')} rows/s, ${Math.round(r.samples.inserted / r.wallS).toLocaleString('en-US')} samples/s)`);
  console.log(`Samples: ${r.samples.inserted.toLocaleString('en-US')} added, ${r.samples.duplicates} already there; ${r.rejected} cells rejected`);
  console.log(`Peak RSS: ${r.peakRssMb.toFixed(0)} MB (target < 300 MB); database ${r.dbMb.toFixed(0)} MB`);
  console.log(`Timing (s): ${Object.entries(r.timing ?? {}).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
