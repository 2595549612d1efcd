// Garmin's full-account export ("Export Your Data" in Garmin's account management): a zip whose
// DI_CONNECT/ folder holds JSON files. What they are and their units, with where each fact comes
// from (no Garmin documentation exists; public projects that read real exports, cross-checked):
// - DI-Connect-Aggregator/UDSFile_<from>_<to>.json: a list of daily summaries, one per
//   `calendarDate` (YYYY-MM-DD): totalSteps, activeKilocalories, totalKilocalories,
//   totalDistanceMeters (m), floorsAscendedInMeters (m; some have floorsAscended as a count),
//   restingHeartRate and currentDayRestingHeartRate (bpm), minHeartRate, maxHeartRate,
//   allDayStress.aggregatorList[{type: TOTAL|AWAKE|ASLEEP, averageStressLevel, maxStressLevel}]
//   (-1 means "not enough data"), bodyBattery{chargedValue, drainedValue, bodyBatteryStatList
//   [{bodyBatteryStatType: HIGHEST|LOWEST|…, statsValue}]}. Two files can both hold the date where
//   their ranges meet, the later one fuller; a day the watch was not worn has only the goal and
//   the estimated resting calories. One project checked against a real export that
//   restingHeartRate there is a 7-day average and currentDayRestingHeartRate the day's own.
// - DI-Connect-Wellness/<from>_<to>_<user>_sleepData.json: a list of nights: calendarDate (the
//   date the sleep ends, checked against real data by one project), sleepStartTimestampGMT and
//   sleepEndTimestampGMT (GMT text `2024-06-14T22:09:00.0`, no zone letter), deepSleepSeconds,
//   lightSleepSeconds, remSleepSeconds, awakeSleepSeconds (seconds), averageRespiration
//   (breaths/min), sleepScores.overallScore.
// - DI-Connect-Wellness/<user>_userBioMetrics.json: a list of {metaData: {calendarDate: local
//   date-time text}, weight: {weight (grams), timestampGMT?}} (grams: several projects; 72450 is
//   72.45 kg), mixed with height and VO2max records without a weight.
// - DI-Connect-Fitness/<user>_summarizedActivities.json: [{summarizedActivitiesExport: [...]}]:
//   activityType (a key such as `treadmill_running`), name, beginTimestamp and startTimeGmt (epoch
//   ms), startTimeLocal (the local wall clock written as if it were epoch ms), duration,
//   elapsedDuration, movingDuration (ms), distance, elevationGain, elevationLoss (cm: a project
//   found real runs of 502000 → 5.02 km and a ride's gain matching Strava's only in cm),
//   avgSpeed, maxSpeed (cm/ms), avgHr, maxHr (bpm), calories. `calories` is not kcal: two
//   projects compared it with Garmin Connect's own figures for the same activities and found it
//   ~4.19 times larger, i.e. kilojoules (4.184 kJ per kcal); read as kJ.
import { convertUnit } from '../../../../shared/units';
import type { SampleRecord, WorkoutRecord, ZoneRef } from '../../samples';
import { fixedOffsetZone, MINUTE, parseDay, ZONE_SRC } from '../../time/zones';
import { parseDateTime, toInstant } from '../csv/dates';
import type { ImportChoices } from '../importer';
import { importZone, placeLocal } from '../place';
import { GARMIN_ORIGIN } from './activitiesCsv';

export type DiKind = 'daily summaries' | 'sleep' | 'weigh-ins' | 'activities';

/**
 * What a DI_CONNECT JSON file is, from the start of its content (a list, and the keys of its
 * records); null for the export's many other JSON files (badges, gear, settings…).
 */
export function diKindOf(head: string): DiKind | null {
  const t = head.replace(/^\ufeff/, '').trimStart();
  if (!t.startsWith('[')) return null;
  const has = (key: string) => t.includes(`"${key}"`);
  if (has('summarizedActivitiesExport')) return 'activities';
  if (!has('calendarDate')) return null;
  if (has('sleepStartTimestampGMT') || has('deepSleepSeconds')) return 'sleep';
  if (has('totalSteps') || has('totalKilocalories') || has('allDayStress') || has('bmrKilocalories')) return 'daily summaries';
  if (has('metaData') && (has('weight') || has('height') || has('userSetNullForHeight'))) return 'weigh-ins';
  return null;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const round = (v: number, digits = 6) => Number(v.toFixed(digits));

/** A problem with one record: its field and what is wrong (reported with the record's place in its list). */
export interface RecordError {
  field: string;
  category: string;
  detail: string;
}

/** A GMT instant as the export writes it: text without a zone letter (`2024-06-14T22:09:00.0`), with one, or epoch ms. */
export function gmtInstant(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') return null;
  const t = parseDateTime(v, 'iso');
  if (!t || t.msOfDay === null) return null;
  return toInstant({ ...t, offsetMin: t.offsetMin ?? 0 }, 'UTC');
}

/** The record with the most figures among those of one date (the fuller one where two files meet; the later on a tie). */
export function fullestPerDate(records: readonly Json[]): Json[] {
  const size = (r: Json) => Object.values(r).filter((v) => v !== null && v !== undefined).length;
  const byDate = new Map<string, Json>();
  for (const r of records) {
    if (typeof r.calendarDate !== 'string') continue;
    const prev = byDate.get(r.calendarDate);
    if (!prev || size(r) >= size(prev)) byDate.set(r.calendarDate, r);
  }
  return [...byDate.values()];
}

/**
 * One day's summary as that date's totals (each a sample spanning the local date in the import's
 * zone, with `day`): steps, active energy (kcal), distance (m → km), floors (a count, or metres
 * climbed / 3: Garmin counts a floor per 3 m, 10 ft), resting heart rate (the day's own, else the
 * summary's), and raw (metric null): total kcal, min/max heart rate, stress average/max (0–100,
 * TOTAL aggregate; negative = not enough data, left out), Body Battery highest/lowest/charged/
 * drained. An empty list for a day the watch was not worn (no steps, heart rate, stress or Body
 * Battery: only a goal and estimated calories).
 */
export function mapDailySummary(r: Json, choices: Pick<ImportChoices, 'zone' | 'zoneIsHome'>): SampleRecord[] | RecordError {
  const date = typeof r.calendarDate === 'string' ? r.calendarDate : '';
  const day = parseDay(date);
  if (day === null) return { field: 'calendarDate', category: 'daily summary: no readable date', detail: `"${date}" is not a date` };
  const placed = placeLocal({ day, msOfDay: null, offsetMin: null }, choices);
  if (!placed) return { field: 'calendarDate', category: 'daily summary: unknown time zone', detail: `the time zone "${choices.zone}" is unknown` };
  const out: SampleRecord[] = [];
  const push = (raw: string, metric: string | null, unit: string, v: number | null) => {
    if (v === null || v < 0) return;
    out.push({ rawType: `uds.${raw}`, metric, unit, origin: { ...GARMIN_ORIGIN }, startMs: placed.startMs, endMs: placed.endMs, zone: placed.zone, day: placed.day, value: round(v) });
  };
  const stress = Array.isArray((r.allDayStress as Json | undefined)?.aggregatorList)
    ? ((r.allDayStress as Json).aggregatorList as unknown[]).find((a): a is Json => isObj(a) && a.type === 'TOTAL')
    : undefined;
  const battery = isObj(r.bodyBattery) ? r.bodyBattery : null;
  const stat = (type: string) =>
    Array.isArray(battery?.bodyBatteryStatList) ? num((battery.bodyBatteryStatList as unknown[]).find((s): s is Json => isObj(s) && s.bodyBatteryStatType === type)?.statsValue) : null;
  const rhr = num(r.currentDayRestingHeartRate) ?? num(r.restingHeartRate);
  const worn = num(r.totalSteps) !== null || rhr !== null || num(r.maxHeartRate) !== null || (num(stress?.averageStressLevel) ?? -1) >= 0 || stat('HIGHEST') !== null;
  if (!worn) return out;
  push('totalSteps', 'steps', 'count', num(r.totalSteps));
  push('activeKilocalories', 'active_energy', 'kcal', num(r.activeKilocalories));
  push('totalKilocalories', null, 'kcal', num(r.totalKilocalories));
  const meters = num(r.totalDistanceMeters);
  push('totalDistanceMeters', 'distance', 'km', meters === null ? null : convertUnit(meters, 'm', 'km'));
  const floors = num(r.floorsAscended);
  const climbed = num(r.floorsAscendedInMeters);
  if (floors !== null) push('floorsAscended', 'floors', 'count', floors);
  else push('floorsAscendedInMeters', 'floors', 'count', climbed === null ? null : climbed / 3);
  push('restingHeartRate', 'resting_heart_rate', 'bpm', rhr !== null && rhr > 0 ? rhr : null);
  push('minHeartRate', null, 'bpm', num(r.minHeartRate));
  push('maxHeartRate', null, 'bpm', num(r.maxHeartRate));
  push('stress.average', null, 'score', num(stress?.averageStressLevel));
  push('stress.max', null, 'score', num(stress?.maxStressLevel));
  push('bodyBattery.highest', null, 'score', stat('HIGHEST'));
  push('bodyBattery.lowest', null, 'score', stat('LOWEST'));
  push('bodyBattery.charged', null, 'score', num(battery?.chargedValue));
  push('bodyBattery.drained', null, 'score', num(battery?.drainedValue));
  return out;
}

const STAGES = [
  ['deepSleepSeconds', 'deep'],
  ['lightSleepSeconds', 'light'],
  ['remSleepSeconds', 'rem'],
  ['awakeSleepSeconds', 'awake'],
] as const;

/**
 * One night (`sleep:<calendarDate>`, written again as a whole): the time in bed as an interval
 * from sleepStartTimestampGMT to sleepEndTimestampGMT (value 0, as other stage-total sources),
 * each stage's seconds as minutes, a total of the night's `calendarDate` (the date it ends)
 * spanning the night; the average breathing rate and Garmin's sleep score as readings at its end.
 * The export gives GMT only, so the night takes the import's zone. A night with times and no
 * stages is time in bed alone.
 */
export function mapSleep(r: Json, choices: Pick<ImportChoices, 'zone' | 'zoneIsHome'>): SampleRecord[] | RecordError {
  const date = typeof r.calendarDate === 'string' ? r.calendarDate : '';
  const day = parseDay(date);
  if (day === null) return { field: 'calendarDate', category: 'sleep: no readable date', detail: `"${date}" is not a date` };
  for (const field of ['sleepStartTimestampGMT', 'sleepEndTimestampGMT']) {
    if (gmtInstant(r[field]) === null) return { field, category: 'sleep: no readable start or end', detail: r[field] === undefined ? `no ${field}` : `"${String(r[field]).slice(0, 40)}" is not a GMT date and time` };
  }
  const startMs = gmtInstant(r.sleepStartTimestampGMT)!;
  const endMs = gmtInstant(r.sleepEndTimestampGMT)!;
  if (endMs <= startMs) return { field: 'sleepEndTimestampGMT', category: 'sleep: ends before it starts', detail: 'the night ends before it starts' };
  const zone: ZoneRef = importZone(choices);
  const base = { origin: { ...GARMIN_ORIGIN }, zone, startMs, endMs, ref: `sleep:${date}` };
  const out: SampleRecord[] = [{ ...base, rawType: 'sleep.in_bed', metric: 'sleep', unit: 'min', value: 0, category: 'in_bed' }];
  for (const [field, stage] of STAGES) {
    const s = num(r[field]);
    if (s !== null && s > 0) out.push({ ...base, rawType: `sleep.total.${stage}`, metric: 'sleep', unit: 'min', day, value: round(s / 60), category: stage });
  }
  const breaths = num(r.averageRespiration);
  if (breaths !== null && breaths > 0) out.push({ ...base, startMs: endMs, rawType: 'sleep.averageRespiration', metric: 'respiratory_rate', unit: 'breaths/min', value: breaths });
  const scores = isObj(r.sleepScores) ? r.sleepScores : null;
  const score = num(scores?.overallScore) ?? num(isObj(scores?.overall) ? scores.overall.value : null);
  if (score !== null && score > 0) out.push({ ...base, startMs: endMs, rawType: 'sleep.score', metric: null, unit: 'score', value: score });
  return out;
}

/**
 * One weigh-in (grams → kg) as a reading: at weight.timestampGMT when the export gives it, else
 * at metaData.calendarDate read as local time in the import's zone. null for the file's records
 * without a weight (height, VO2max).
 */
export function mapWeighIn(r: Json, choices: Pick<ImportChoices, 'zone' | 'zoneIsHome'>): SampleRecord | null | RecordError {
  const w = isObj(r.weight) ? r.weight : null;
  const grams = num(w?.weight);
  if (grams === null || grams <= 0) return null;
  const base = { rawType: 'biometrics.weight', metric: 'weight', unit: 'kg', origin: { ...GARMIN_ORIGIN }, value: round(grams / 1000) };
  const at = gmtInstant(w?.timestampGMT);
  if (at !== null) return { ...base, startMs: at, endMs: at, zone: importZone(choices) };
  const text = isObj(r.metaData) && typeof r.metaData.calendarDate === 'string' ? r.metaData.calendarDate : '';
  const local = parseDateTime(text, 'iso');
  const placed = local && placeLocal(local, choices);
  if (!placed) return { field: 'metaData.calendarDate', category: 'weigh-in: no readable date', detail: text ? `"${text.slice(0, 40)}" is not a date` : 'no date' };
  return { ...base, startMs: placed.startMs, endMs: placed.endMs, zone: placed.zone, day: placed.day };
}

/** `treadmill_running` → `Treadmill Running`, as Garmin Connect's activities list names it. */
export function typeLabel(key: string): string {
  return key
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join(' ');
}

/**
 * One activity as a workout: starts at beginTimestamp (or startTimeGmt); its zone is the offset
 * between startTimeLocal and that GMT start (a fixed offset: Garmin gives both, not the zone's
 * name), else the import's zone; ends after its elapsed duration (pauses included) when given,
 * else its duration; distance cm → km, calories kJ → kcal, elevation cm → m, speed cm/ms → km/h.
 */
export function mapActivity(r: Json, choices: Pick<ImportChoices, 'zone' | 'zoneIsHome'>): WorkoutRecord | RecordError {
  const key = typeof r.activityType === 'string' ? r.activityType : isObj(r.activityType) && typeof r.activityType.typeKey === 'string' ? r.activityType.typeKey : '';
  if (!key) return { field: 'activityType', category: 'activity: no activity type', detail: 'no activity type' };
  const startMs = num(r.beginTimestamp) ?? num(r.startTimeGmt);
  if (startMs === null) return { field: 'beginTimestamp', category: 'activity: no start time', detail: 'neither beginTimestamp nor startTimeGmt' };
  const durationMs = num(r.duration);
  if (durationMs === null || durationMs <= 0) return { field: 'duration', category: 'activity: no duration', detail: 'no duration' };
  const elapsedMs = num(r.elapsedDuration);
  const spanMs = elapsedMs !== null && elapsedMs >= durationMs ? elapsedMs : durationMs;
  const local = num(r.startTimeLocal);
  const offsetMin = local === null ? null : Math.round((local - (num(r.startTimeGmt) ?? startMs)) / MINUTE);
  const zone: ZoneRef = offsetMin !== null && Math.abs(offsetMin) <= 14 * 60 && offsetMin % 15 === 0 ? { name: fixedOffsetZone(offsetMin), src: ZONE_SRC.offset } : importZone(choices);
  const cm = (v: unknown, unit: 'km' | 'm') => {
    const n = num(v);
    return n === null ? null : round(convertUnit(n, 'cm', unit)!, unit === 'km' ? 6 : 2);
  };
  const kmh = (v: unknown) => (num(v) === null ? null : round(num(v)! * 36, 4)); // 1 cm/ms = 10 m/s = 36 km/h
  const positive = (v: number | null) => (v !== null && v > 0 ? v : null);
  const kcal = positive(num(r.calories));
  const details: Record<string, unknown> = {
    title: typeof r.name === 'string' ? r.name : null,
    typeKey: key,
    activityId: num(r.activityId),
    elevationGainM: cm(r.elevationGain, 'm'),
    elevationLossM: cm(r.elevationLoss, 'm'),
    avgSpeedKmh: kmh(r.avgSpeed),
    maxSpeedKmh: kmh(r.maxSpeed),
    movingTimeS: num(r.movingDuration) === null ? null : round(num(r.movingDuration)! / 1000, 3),
    elapsedTimeS: elapsedMs === null ? null : round(elapsedMs / 1000, 3),
    steps: num(r.steps),
    aerobicTrainingEffect: num(r.aerobicTrainingEffect),
  };
  for (const k of Object.keys(details)) if (details[k] === null) delete details[k];
  return {
    origin: { ...GARMIN_ORIGIN },
    activityType: typeLabel(key),
    startMs,
    endMs: startMs + spanMs,
    zone,
    durationS: round(durationMs / 1000, 3),
    distanceKm: positive(cm(r.distance, 'km')),
    energyKcal: kcal === null ? null : round(convertUnit(kcal, 'kJ', 'kcal')!, 2),
    avgHeartRate: positive(num(r.avgHr) ?? num(r.averageHR)),
    maxHeartRate: positive(num(r.maxHr) ?? num(r.maxHR)),
    details,
  };
}

/** The activities of a summarizedActivities file: every `summarizedActivitiesExport` list in it, in order. */
export function activitiesOf(json: unknown): unknown[] {
  const parts = Array.isArray(json) ? json : [json];
  return parts.flatMap((p) => (isObj(p) && Array.isArray(p.summarizedActivitiesExport) ? p.summarizedActivitiesExport : []));
}
