// `npm run bench:import [-- <MB>]` (or VITALSYNC_BENCH_MB): generates a deterministic
// synthetic Apple Health export of that size (default 1024 MB, cached in bench/.data/), then
// imports it as export.xml and as export.zip, each in a fresh process and database, and prints
// MB/s, records/s, wall time, peak RSS, the database size and the main thread's event-loop lag
// (p99), next to a raw read of the same input as the floor.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { createCore } from '../src/main/core';
import { importManager } from '../src/main/core/imports';
import { writeSyntheticExport } from '../src/main/core/imports/apple-health/synthetic';
import type { ImportSummary } from '../src/shared/contract';

const ROOT = process.env.VITALSYNC_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PATHS = {
  migrationsDir: path.join(ROOT, 'resources/migrations'),
  // The built worker when there is one (what the app runs), else the source bundled on the fly.
  workersDir: fs.existsSync(path.join(ROOT, 'out/main/importWorker.js')) ? path.join(ROOT, 'out/main') : path.join(ROOT, 'src/main/workers'),
};

interface RunResult {
  wallS: number;
  peakRssMb: number;
  lagP99Ms: number;
  lagMaxMs: number;
  dbMb: number;
  samples: number;
  workouts: number;
  routePoints: number;
  status: string;
  timing: ImportSummary['timing'];
}

async function child(kind: 'xml' | 'zip', input: string): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(path.dirname(input), `run-${kind}-`));
  const core = createCore({ dataDir, paths: PATHS });
  core.settings.set({ homeTimeZone: 'Europe/Paris' });
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const t0 = performance.now();
  lag.enable();
  const m = importManager(core);
  const job = await m.wait((await m.start(input)).id);
  lag.disable();
  const wallS = (performance.now() - t0) / 1000;
  core.db.$client.pragma('wal_checkpoint(TRUNCATE)');
  const dbMb = fs.statSync(core.dbFile).size / 1e6;
  const result: RunResult = {
    wallS,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    lagP99Ms: lag.percentile(99) / 1e6,
    lagMaxMs: lag.max / 1e6,
    dbMb,
    samples: job.summary.samples.inserted,
    workouts: job.summary.workouts.inserted,
    routePoints: job.summary.routes.points,
    status: job.error ? `${job.status}: ${job.error}` : job.status,
    timing: job.summary.timing,
  };
  core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}

async function rawRead(file: string): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  for await (const c of fs.createReadStream(file, { highWaterMark: 1 << 20 })) n += (c as Buffer).length;
  if (!n) throw new Error(`${file} is empty`);
  return (performance.now() - t0) / 1000;
}

async function rawInflate(zipFile: string): Promise<number> {
  const t0 = performance.now();
  const zip = await yauzl.openPromise(zipFile, { lazyEntries: true, autoClose: false });
  const entry = await new Promise<yauzl.Entry>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => (e.fileName.endsWith('export.xml') ? resolve(e) : zip.readEntry()));
    zip.on('error', reject);
    zip.readEntry();
  });
  const raw = await zip.openReadStreamPromise(entry, { decompress: false });
  let n = 0;
  for await (const c of raw.pipe(zlib.createInflateRaw({ chunkSize: 256 * 1024 }))) n += (c as Buffer).length;
  zip.close();
  if (!n) throw new Error(`${zipFile} holds an empty export.xml`);
  return (performance.now() - t0) / 1000;
}

async function makeZip(dir: string, routes: string[]): Promise<void> {
  const out = path.join(dir, 'export.zip');
  const z = new yazl.ZipFile();
  z.addFile(path.join(dir, 'export.xml'), 'apple_health_export/export.xml');
  for (const r of routes) z.addFile(path.join(dir, r), `apple_health_export/${r}`);
  z.end();
  await new Promise<void>((resolve, reject) => {
    z.outputStream.pipe(fs.createWriteStream(`${out}.tmp`)).on('close', resolve).on('error', reject);
  });
  fs.renameSync(`${out}.tmp`, out);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3] as 'xml' | 'zip', process.argv[4]);
  const mb = Number(process.argv[2] ?? process.env.VITALSYNC_BENCH_MB ?? 1024);
  if (!Number.isFinite(mb) || mb <= 0) throw new Error('Give the export size in MB, e.g. npm run bench:import -- 200');
  const dir = path.join(ROOT, 'bench', '.data', `synthetic-${mb}MB`);
  const xml = path.join(dir, 'export.xml');
  const zipFile = path.join(dir, 'export.zip');
  if (!fs.existsSync(path.join(dir, 'done'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`Generating a ${mb} MB synthetic export in ${path.relative(ROOT, dir)} (cached for next time)…`);
    const res = writeSyntheticExport(dir, mb * 1e6, 42);
    await makeZip(dir, res.routes);
    fs.writeFileSync(path.join(dir, 'done'), JSON.stringify({ records: res.records, workouts: res.workouts, routes: res.routes.length }));
  }
  for (const f of fs.readdirSync(dir)) if (f.startsWith('run-')) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'done'), 'utf8')) as { records: number; workouts: number; routes: number };
  const xmlMb = fs.statSync(xml).size / 1e6;
  const zipMb = fs.statSync(zipFile).size / 1e6;
  console.log(`Input: export.xml ${xmlMb.toFixed(0)} MB (${meta.records} top-level records, ${meta.workouts} workouts, ${meta.routes} GPX routes); export.zip ${zipMb.toFixed(0)} MB`);

  // The measured process runs plain JavaScript like the app (no TypeScript loader in its memory).
  const childEntry = path.join(ROOT, 'bench', '.data', 'import-child.mjs');
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [fileURLToPath(import.meta.url)], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: childEntry, target: 'node20', logLevel: 'silent' });
  if (!fs.existsSync(path.join(ROOT, 'out/main/importWorker.js'))) console.log('(out/main/importWorker.js is missing: run "npm run build" to measure the built worker.)');

  const readS = await rawRead(xml);
  const inflateS = await rawInflate(zipFile);
  const timings: [string, RunResult['timing']][] = [];
  const rows: string[][] = [['input', 'wall s', 'MB/s (xml)', 'records/s', 'peak RSS MB', 'DB MB', 'DB MB per GB xml', 'lag p99 ms', 'lag max ms', 'status']];
  rows.push(['raw read xml (floor)', readS.toFixed(2), (xmlMb / readS).toFixed(0), '', '', '', '', '', '', '']);
  rows.push(['raw inflate zip (floor)', inflateS.toFixed(2), (xmlMb / inflateS).toFixed(0), '', '', '', '', '', '', '']);
  for (const kind of ['xml', 'zip'] as const) {
    const input = kind === 'xml' ? xml : zipFile;
    const run = spawnSync(process.execPath, [childEntry, '--child', kind, input], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, VITALSYNC_ROOT: ROOT } });
    const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) {
      console.error(run.stderr);
      throw new Error(`the ${kind} run failed`);
    }
    const r = JSON.parse(line.slice(7)) as RunResult;
    timings.push([`import export.${kind}`, r.timing]);
    const records = r.samples + r.workouts;
    rows.push([
      `import export.${kind}`,
      r.wallS.toFixed(2),
      (xmlMb / r.wallS).toFixed(0),
      Math.round(records / r.wallS).toLocaleString('en-US'),
      r.peakRssMb.toFixed(0),
      r.dbMb.toFixed(0),
      ((r.dbMb / xmlMb) * 1000).toFixed(0),
      r.lagP99Ms.toFixed(1),
      r.lagMaxMs.toFixed(1),
      r.status,
    ]);
  }
  printTable(rows);

  // The fixed cost of an import as a person meets it: `vitalsync import export.xml` from process
  // start to exit, minus the parser thread's life (reading, parsing, waiting for the writer).
  // What is left is start-up (Node, the core, the two import threads, the database) and the end
  // (the last commit, the job's record, exit). Three runs into fresh data folders; the median.
  const cli = path.join(ROOT, 'out/main/cli.js');
  if (fs.existsSync(cli)) {
    const fixed: { wall: number; life: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const dataDir = fs.mkdtempSync(path.join(dir, 'run-cli-'));
      spawnSync(process.execPath, [cli, '--data-dir', dataDir, 'settings', 'set', 'homeTimeZone', 'Europe/Paris'], { encoding: 'utf8' });
      const t0 = performance.now();
      const run = spawnSync(process.execPath, [cli, '--data-dir', dataDir, 'import', xml, '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 });
      const wall = (performance.now() - t0) / 1000;
      fs.rmSync(dataDir, { recursive: true, force: true });
      const t = (JSON.parse(run.stdout) as { timing: NonNullable<ImportSummary['timing']> }).timing;
      fixed.push({ wall, life: t.opening + t.parsing + t.waitingForInput + t.waitingForWriter + t.routes });
    }
    const median = [...fixed].sort((a, b) => a.wall - a.life - (b.wall - b.life))[1];
    console.log(
      `\nvitalsync import export.xml (CLI, median of 3): ${median.wall.toFixed(2)} s from process start to exit, the parser thread's work ${median.life.toFixed(2)} s: fixed cost ${(median.wall - median.life).toFixed(2)} s (target < 0.5 s)`,
    );
  } else console.log('\n(out/main/cli.js is missing: run "npm run build" to measure the CLI\'s fixed cost.)');
  console.log('\nWhere the time went (seconds): the parser thread parses, waits for input (disk, inflate) or for the writer; the writer thread is in SQLite or idle.');
  const keys = ['opening', 'parsing', 'waitingForInput', 'waitingForWriter', 'routes', 'writing', 'writerIdle'] as const;
  printTable([['input', ...keys], ...timings.map(([name, t]) => [name, ...keys.map((k) => (t ? t[k].toFixed(2) : '?'))])]);
  console.log('Targets: 1 GB zip <= 12 s (aim 8 s), peak RSS <= 256 MB whatever the size, DB <= 350 MB per GB of XML, lag p99 < 50 ms.');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
