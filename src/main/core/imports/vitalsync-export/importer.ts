// VitalSync's own raw CSV export (core/export, `--values raw --format csv`), read back exactly:
// each row keeps its source, origin and device kind, its source type and unit, its instants,
// its zone and where that zone came from (or the home zone), and its day grain; workouts keep
// their activity, duration, distance, energy and heart rate. Importing an export into an empty
// data folder therefore gives the same merged values, and importing it again adds nothing (the
// natural keys). Recognised by its exact header, so it is tried before the generic CSV importer.
import { getMetric, isSourceId } from '../../../../shared/catalog';
import { RAW_CSV_COLUMNS, zoneSourceOf } from '../../export/columns';
import { isKnownZone, parseDay, type ZoneSrc } from '../../time/zones';
import { readCsv } from '../csv/read';
import type { Importer, InputEntry, RecordSink } from '../importer';
import { csvHeaderOf } from '../myfitnesspal/importer';

const HEADER = RAW_CSV_COLUMNS.join(',');
const col = Object.fromEntries(RAW_CSV_COLUMNS.map((c, i) => [c, i])) as Record<(typeof RAW_CSV_COLUMNS)[number], number>;

export const vitalsyncExportImporter: Importer = {
  id: 'vitalsync',
  label: 'VitalSync export',
  // Every row names its own source; this is only the fallback the contract asks for.
  source: 'csv',
  async sniff(input) {
    const entries: { path: string; kind: string }[] = [];
    for (const entry of input.entries) {
      const header = await csvHeaderOf(input, entry);
      if (header && header.map((h) => h.trim()).join(',') === HEADER) entries.push({ path: entry.path, kind: 'raw samples' });
    }
    if (!entries.length) return null;
    return { importer: 'vitalsync', entries, description: 'VitalSync export: raw samples and workouts, with their sources, devices and zones' };
  },
  async run(input, recognition, sink) {
    const wanted = new Set(recognition.entries.map((e) => e.path));
    for (const entry of input.entries) {
      if (sink.cancelled) return;
      if (wanted.has(entry.path)) await readEntry(entry, sink);
    }
  },
};

const optNumber = (text: string): number | null => (text.trim() === '' ? null : Number(text));

async function readEntry(entry: InputEntry, sink: RecordSink): Promise<void> {
  let n = 0;
  for await (const rec of readCsv(entry.stream(), { delimiter: ',' })) {
    if (sink.cancelled) return;
    if (rec.row === 1) continue;
    if (++n % 512 === 0) await sink.pace();
    const c = rec.cells;
    const at = (column: string, detail: string) => ({ entry: entry.path, row: rec.row, column, detail });
    if (c.length === 1 && c[0].trim() === '') continue;
    const metric = c[col.metric];
    const source = c[col.source];
    if (!isSourceId(source)) {
      sink.reject('unknown source', at('source', `"${source.slice(0, 40)}" is not a source VitalSync knows`));
      continue;
    }
    if (metric !== 'workouts' && !getMetric(metric)) {
      sink.reject('unknown metric', at('metric', `"${metric.slice(0, 40)}" is not a metric VitalSync knows`));
      continue;
    }
    const startMs = Date.parse(c[col.start]);
    const endMs = Date.parse(c[col.end]);
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs < startMs) {
      sink.reject('bad time', at('start', 'start and end must be ISO times, the end not before the start'));
      continue;
    }
    const value = Number(c[col.value]);
    if (c[col.value].trim() === '' || !Number.isFinite(value)) {
      sink.reject('bad value', at('value', 'not a number'));
      continue;
    }
    const zoneSrc = zoneSourceOf(c[col.zone_source]);
    const zoneText = c[col.zone];
    // The zone's name as stored (not canonicalised), so it is restored exactly.
    const zoneName = zoneText === '' ? null : zoneText;
    if (zoneSrc === null || (zoneName !== null && !isKnownZone(zoneName))) {
      sink.reject('bad zone', at('zone', `"${zoneText.slice(0, 40)}" / "${c[col.zone_source].slice(0, 20)}" is not a zone and zone source VitalSync knows`));
      continue;
    }
    // An empty zone is the home zone (it moves with the setting), whatever the row claims.
    const zone = zoneName === null ? { name: null, src: 0 as ZoneSrc } : { name: zoneName, src: zoneSrc as ZoneSrc };
    const origin = { name: c[col.origin], deviceKind: c[col.device_kind] || 'unknown' };
    if (metric === 'workouts') {
      const durationS = optNumber(c[col.duration_s]) ?? value * 60;
      sink.workout({
        source,
        origin,
        activityType: c[col.category] || c[col.raw_type],
        startMs,
        endMs,
        zone,
        durationS,
        distanceKm: optNumber(c[col.distance_km]),
        energyKcal: optNumber(c[col.energy_kcal]),
        avgHeartRate: optNumber(c[col.avg_heart_rate]),
        maxHeartRate: optNumber(c[col.max_heart_rate]),
        details: {},
      });
      sink.read('workout');
      continue;
    }
    const dayText = c[col.day];
    const day = dayText === '' ? null : parseDay(dayText);
    if (dayText !== '' && day === null) {
      sink.reject('bad day', at('day', 'use YYYY-MM-DD'));
      continue;
    }
    sink.sample({ source, rawType: c[col.raw_type], metric, unit: c[col.unit], origin, startMs, endMs, zone, day, value, category: c[col.category] });
    sink.read(metric);
  }
}
