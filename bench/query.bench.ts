// `npm run bench:query`: 10 million samples over five years from a Watch, an iPhone, a ring and
// a scale; prints how long the core takes to rebuild the derived tables and to answer a
// one-year and a five-year daily chart. The seeded database is cached in bench/.data/ (git-
// ignored); delete bench/.data/query-10m to seed again. BENCH_SAMPLES overrides the count.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeOriginName } from '../src/shared/sourceKey';
import { createCore, type Core } from '../src/main/core/index';
import { dispatch } from '../src/main/core/dispatch';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = Number(process.env.BENCH_SAMPLES ?? 10_000_000);
const DATA_DIR = path.join(ROOT, 'bench', '.data', TARGET === 10_000_000 ? 'query-10m' : `query-${TARGET}`);
const PATHS = { migrationsDir: path.join(ROOT, 'resources/migrations'), workersDir: path.join(ROOT, 'src/main/workers') };
const DAY = 86_400_000;
const FIRST_DAY = Date.UTC(2021, 2, 1) / DAY;
const DAYS = 5 * 365 + 1;

/** Deterministic pseudo-random numbers (mulberry32), so every seeded database is the same. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Stream {
  source: string;
  origin: string;
  kind: string;
  metric: string;
  /** Samples per day. */
  perDay: number;
  /** Sample length in ms (0 = a reading). */
  length: number;
  value: (r: () => number) => number;
}

// About 5,500 samples a day; the Watch's heart rate and energy dominate, as in real exports.
const STREAMS: Stream[] = [
  { source: 'apple_health', origin: 'Jane’s Apple Watch', kind: 'watch', metric: 'heart_rate', perDay: 1900, length: 0, value: (r) => 55 + r() * 60 },
  { source: 'apple_health', origin: 'Jane’s Apple Watch', kind: 'watch', metric: 'active_energy', perDay: 1300, length: 50_000, value: (r) => r() * 2 },
  { source: 'apple_health', origin: 'Jane’s Apple Watch', kind: 'watch', metric: 'basal_energy', perDay: 700, length: 110_000, value: (r) => 1 + r() },
  { source: 'apple_health', origin: 'Jane’s Apple Watch', kind: 'watch', metric: 'steps', perDay: 500, length: 120_000, value: (r) => r() * 40 },
  { source: 'apple_health', origin: 'Jane’s iPhone', kind: 'phone', metric: 'steps', perDay: 300, length: 300_000, value: (r) => r() * 100 },
  { source: 'apple_health', origin: 'Jane’s iPhone', kind: 'phone', metric: 'distance', perDay: 300, length: 300_000, value: (r) => r() * 0.08 },
  { source: 'oura', origin: 'Oura Ring', kind: 'ring', metric: 'heart_rate', perDay: 480, length: 0, value: (r) => 50 + r() * 40 },
  { source: 'oura', origin: 'Oura Ring', kind: 'ring', metric: 'hrv_rmssd', perDay: 1, length: 0, value: (r) => 30 + r() * 40 },
  { source: 'apple_health', origin: 'Jane’s Apple Watch', kind: 'watch', metric: 'hrv_sdnn', perDay: 6, length: 60_000, value: (r) => 30 + r() * 40 },
  { source: 'apple_health', origin: 'Jane’s Apple Watch', kind: 'watch', metric: 'resting_heart_rate', perDay: 1, length: 0, value: (r) => 50 + r() * 15 },
  { source: 'withings', origin: 'Body+', kind: 'scale', metric: 'weight', perDay: 1, length: 0, value: (r) => 68 + r() * 4 },
];

function seed(core: Core): void {
  const sql = core.db.$client;
  sql.pragma('synchronous = OFF');
  const originIds = new Map<string, number>();
  const typeIds = new Map<string, number>();
  for (const s of STREAMS) {
    const ok = `${s.source}|${s.origin}`;
    if (!originIds.has(ok)) {
      const info = sql.prepare('INSERT INTO origins (source, origin_key, name, device_kind) VALUES (?, ?, ?, ?)').run(s.source, normalizeOriginName(s.origin), s.origin, s.kind);
      originIds.set(ok, Number(info.lastInsertRowid));
    }
    const tk = `${s.source}|${s.metric}`;
    if (!typeIds.has(tk)) {
      const info = sql.prepare("INSERT INTO sample_types (source, raw_type, metric, unit) VALUES (?, ?, ?, '')").run(s.source, `bench:${s.metric}`, s.metric);
      typeIds.set(tk, Number(info.lastInsertRowid));
    }
  }
  const zoneId = (name: string) => Number(sql.prepare('INSERT INTO zones (name) VALUES (?)').run(name).lastInsertRowid);
  const zones: Record<number, number> = { 60: zoneId('Europe/Paris'), 540: zoneId('Asia/Tokyo') };
  const insert = sql.prepare('INSERT INTO samples (type_id, origin_id, device_id, start_ms, end_ms, zone_id, zone_src, value, category, batch) VALUES (?, ?, 0, ?, ?, ?, 1, ?, ?, ?)');
  // The samples' zone: Paris, or Tokyo while travelling (by the offset the generator uses).
  const ins = { run: (t: number, o: number, a: number, b: number, off: number, v: number, c: string, batch: string) => insert.run(t, o, a, b, zones[off], v, c, batch) };
  const perDay = STREAMS.reduce((a, s) => a + s.perDay, 0) + 8;
  const scale = TARGET / (perDay * DAYS);
  const r = rng(42);
  let total = 0;
  const started = performance.now();
  for (let d = 0; d < DAYS && total < TARGET; d++) {
    const day = FIRST_DAY + d;
    // Two weeks in Tokyo every year; the rest in Paris.
    const off = d % 365 >= 200 && d % 365 < 214 ? 540 : 60;
    const midnight = day * DAY - off * 60_000;
    sql.transaction(() => {
      for (const s of STREAMS) {
        const n = Math.max(1, Math.round(s.perDay * scale));
        const typeId = typeIds.get(`${s.source}|${s.metric}`)!;
        const originId = originIds.get(`${s.source}|${s.origin}`)!;
        const step = DAY / n;
        for (let i = 0; i < n; i++) {
          const start = Math.floor(midnight + i * step + r() * step * 0.5);
          ins.run(typeId, originId, start, start + s.length, off, Math.round(s.value(r) * 100) / 100, '', 'bench');
          total++;
        }
      }
      // A night: the Watch's stages and the phone's "asleep" around them.
      const bed = midnight - 60 * 60_000;
      const watch = originIds.get('apple_health|Jane’s Apple Watch')!;
      const phone = originIds.get('apple_health|Jane’s iPhone')!;
      let sleepType = typeIds.get('apple_health|sleep');
      if (!sleepType) {
        sleepType = Number(sql.prepare("INSERT INTO sample_types (source, raw_type, metric, unit) VALUES ('apple_health', 'bench:sleep', 'sleep', '')").run().lastInsertRowid);
        typeIds.set('apple_health|sleep', sleepType);
      }
      ins.run(sleepType, phone, bed - 20 * 60_000, bed + 8 * 3600_000, off, 0, 'asleep_unspecified', 'bench');
      let t = bed;
      for (const [stage, min] of [['light', 90], ['deep', 60], ['rem', 40], ['awake', 10], ['light', 100], ['rem', 50], ['light', 80]] as const) {
        ins.run(sleepType, watch, t, t + min * 60_000, off, 0, stage, 'bench');
        t += min * 60_000;
      }
      total += 8;
    })();
    if (d % 200 === 0) process.stderr.write(`\rseeding: ${(total / 1e6).toFixed(1)} M samples, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  sql.prepare("INSERT INTO meta (key, value) VALUES ('bench.seeded', ?)").run(String(total));
  sql.pragma('synchronous = NORMAL');
  process.stderr.write(`\rseeded ${total.toLocaleString()} samples in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

async function time(label: string, fn: () => Promise<unknown> | unknown, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${label.padEnd(58)} median ${median.toFixed(1).padStart(8)} ms   (first ${times[0].toFixed(1)} … worst ${times[times.length - 1].toFixed(1)})`);
  return median;
}

async function main() {
  const seeded = fs.existsSync(path.join(DATA_DIR, 'vitalsync.db'));
  const core = createCore({ dataDir: DATA_DIR, paths: PATHS, clock: () => Date.UTC(2026, 2, 1) });
  const have = core.db.$client.prepare("SELECT value FROM meta WHERE key = 'bench.seeded'").get() as { value: string } | undefined;
  if (!seeded || !have) seed(core);
  const samples = (core.db.$client.prepare('SELECT max(id) AS n FROM samples').get() as { n: number }).n;
  console.log(`Database: ${DATA_DIR} — ${samples.toLocaleString()} samples, ${DAYS} days`);

  const rebuild = core.derived.rebuildAll();
  console.log(`Full rebuild of derived tables (${rebuild.metrics} metrics, ${rebuild.days} metric-days): ${(rebuild.ms / 1000).toFixed(2)} s  (${(samples / 1e6 / (rebuild.ms / 1000)).toFixed(2)} M samples/s)`);

  const q = (metric: string, from: string, to: string) => async () => {
    const res = await dispatch(core.handlers, 'metrics:series', { metric, from, to, bucket: 'day' });
    if (!res.ok) throw new Error(res.error.message);
  };
  const oneYear = await time('one-year daily chart, steps (metrics:series)', q('steps', '2025-03-01', '2026-02-28'));
  const fiveYears = await time('five-year daily chart, steps (metrics:series)', q('steps', '2021-03-01', '2026-02-28'));
  await time('one-year daily chart, heart rate', q('heart_rate', '2025-03-01', '2026-02-28'));
  await time('five-year daily chart, sleep', q('sleep', '2021-03-01', '2026-02-28'));
  await time('five-year weekly chart, steps', async () => dispatch(core.handlers, 'metrics:series', { metric: 'steps', from: '2021-03-01', to: '2026-02-28', bucket: 'week' }));
  await time('"Why this number?" for one day of steps', async () => dispatch(core.handlers, 'metrics:explain', { metric: 'steps', bucketStart: '2025-06-01', bucket: 'day' }));

  // An import adds a day: only that day's rows are rebuilt before the next chart answers.
  const sql = core.db.$client;
  const t = performance.now();
  const last = sql.prepare("SELECT type_id AS t, origin_id AS o FROM samples WHERE id = (SELECT max(id) FROM samples WHERE category = '')").get() as { t: number; o: number };
  const start = Date.UTC(2026, 1, 28, 12);
  const paris = (sql.prepare("SELECT id FROM zones WHERE name = 'Europe/Paris'").get() as { id: number }).id;
  const ins = sql.prepare(`INSERT OR IGNORE INTO samples (type_id, origin_id, device_id, start_ms, end_ms, zone_id, zone_src, value, category, batch) VALUES (?, ?, 0, ?, ?, ${paris}, 1, ?, '', 'bench:incr')`);
  sql.transaction(() => {
    for (let i = 0; i < 5000; i++) ins.run(last.t, last.o, start + i * 1000, start + i * 1000 + 500, 1 + (i % 7));
  })();
  core.events.emit('data:changed', { reason: 'bench', fromMs: start, toMs: start + 5_000_000 });
  await core.derived.whenIdle();
  console.log(`Incremental rebuild after importing 5,000 samples on one day: ${(performance.now() - t).toFixed(1)} ms`);
  sql.prepare("DELETE FROM samples WHERE batch = 'bench:incr'").run();
  core.events.emit('data:changed', { reason: 'bench', fromMs: start, toMs: start + 5_000_000 });
  await core.derived.whenIdle();

  console.log('');
  // A 1 GB export.xml holds about 2.3 M samples (bench:import's synthetic export) to 3.5 M
  // (real exports with less metadata per record); the upper figure is used.
  const perGb = (rebuild.ms * 3.5e6) / samples;
  console.log(`Targets: one-year < 100 ms ${oneYear < 100 ? 'MET' : 'MISSED'}; five-year < 300 ms ${fiveYears < 300 ? 'MET' : 'MISSED'}; rebuild after a 1 GB export (~3.5 M samples, ${(perGb / 1000).toFixed(1)} s extrapolated from the full rebuild) < 10 s ${perGb < 10_000 ? 'MET' : 'MISSED'}`);
  core.close();
}

void main();
