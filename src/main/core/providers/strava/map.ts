// Strava activities → canonical workouts, and heart-rate streams → readings.
// - type: `sport_type` (MountainBikeRide, TrailRun…), else the older `type`; kept as Strava names
//   them (core/merge/workouts activityFamily groups them with other sources' names);
// - start: `start_date` (UTC); end: start + elapsed time; duration: moving time (elapsed kept in
//   details);
// - zone: the IANA name inside `timezone` ("(GMT-08:00) America/Los_Angeles", ZONE_SRC provider)
//   when this system knows it and its offset at the start agrees with `start_date_local`; else the
//   offset `start_date_local` − `start_date` as a fixed zone (ZONE_SRC offset); else the home zone;
// - distance m → km; energy: `calories` (the details endpoint) else `kilojoules`, the mechanical
//   work of a ride with power: at the usual ~24 % gross efficiency of cycling, 1 kJ of work costs
//   about 1 kcal (1 / (4.184 × 0.24) ≈ 1.0), Strava's own estimate too; so kJ count as kcal one to
//   one (which of the two was used is kept in details);
// - heart rate: average and maximum; the stream (when the rate budget allows) as readings.
import { HOME_ZONE, type OriginRef, type SampleRecord, type WorkoutRecord, type ZoneRef } from '../../samples';
import { fixedOffsetZone, isKnownZone, MINUTE, ZONE_SRC, zoneOffsetMin } from '../../time/zones';

/** The fields of a Strava SummaryActivity / DetailedActivity that VitalSync reads. */
export interface StravaActivity {
  id?: number;
  name?: string;
  type?: string;
  sport_type?: string;
  start_date?: string;
  start_date_local?: string;
  timezone?: string;
  moving_time?: number;
  elapsed_time?: number;
  distance?: number;
  total_elevation_gain?: number;
  kilojoules?: number;
  /** DetailedActivity only. */
  calories?: number;
  has_heartrate?: boolean;
  average_heartrate?: number;
  max_heartrate?: number;
  device_name?: string;
  manual?: boolean;
  trainer?: boolean;
  commute?: boolean;
}

/** The heart rate of the stream holds at most this long past its point (a pause is a gap, not a reading). */
export const STREAM_GAP_MS = 60_000;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);

/** Epoch ms of an ISO date-time; `start_date_local` is written with a "Z" though it is local wall time. */
function isoMs(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

/** The IANA name inside Strava's `timezone` ("(GMT-08:00) America/Los_Angeles"), if any. */
export function ianaOfStravaTimezone(tz: unknown): string | null {
  if (typeof tz !== 'string') return null;
  const m = /^\s*\(GMT[+-]\d{1,2}:\d{2}\)\s*(\S+)\s*$/.exec(tz) ?? /^\s*([A-Za-z_]+\/[A-Za-z0-9_+/-]+)\s*$/.exec(tz);
  return m ? m[1] : null;
}

/** Where an activity was recorded: Strava's IANA zone, else the local-minus-UTC offset, else the home zone. */
export function stravaZone(a: StravaActivity): ZoneRef {
  const start = isoMs(a.start_date);
  const local = isoMs(a.start_date_local);
  const offsetMin = start !== null && local !== null ? Math.round((local - start) / MINUTE) : null;
  const iana = ianaOfStravaTimezone(a.timezone);
  if (iana && isKnownZone(iana) && start !== null) {
    const ianaOffset = zoneOffsetMin(iana, start);
    // The zone must say what the local time says (Strava's `timezone` can be the athlete's, not the activity's).
    if (offsetMin === null || ianaOffset === offsetMin) return { name: iana, src: ZONE_SRC.provider };
  }
  if (offsetMin !== null && Math.abs(offsetMin) <= 18 * 60) return { name: fixedOffsetZone(offsetMin), src: ZONE_SRC.offset };
  return HOME_ZONE;
}

/** The device or app that recorded it: a typed-in activity, a phone, an app (Zwift), a device, else Strava itself. */
export function stravaOrigin(a: StravaActivity): OriginRef {
  if (a.manual === true) return { name: 'Manual entry', deviceKind: 'manual' };
  const device = typeof a.device_name === 'string' ? a.device_name.trim() : '';
  if (!device) return { name: 'Strava', deviceKind: 'app' };
  const d = device.toLowerCase();
  if (/iphone|android|phone/.test(d)) return { name: device, deviceKind: 'phone' };
  if (/zwift|trainerroad|peloton|rouvy|\bapp\b/.test(d)) return { name: device, deviceKind: 'app' };
  // Watches and bike computers alike: a dedicated recorder.
  return { name: device, deviceKind: 'watch' };
}

/** One activity as a workout; null when it names no start or duration. */
export function mapActivity(a: StravaActivity): WorkoutRecord | null {
  const startMs = isoMs(a.start_date);
  const elapsed = num(a.elapsed_time);
  const moving = num(a.moving_time);
  if (startMs === null || (elapsed === null && moving === null)) return null;
  const calories = num(a.calories);
  const kilojoules = num(a.kilojoules);
  const distance = num(a.distance);
  return {
    origin: stravaOrigin(a),
    activityType: (typeof a.sport_type === 'string' && a.sport_type) || (typeof a.type === 'string' && a.type) || 'Workout',
    startMs,
    endMs: startMs + (elapsed ?? moving!) * 1000,
    zone: stravaZone(a),
    durationS: moving ?? elapsed!,
    distanceKm: distance === null ? null : distance / 1000,
    energyKcal: calories ?? kilojoules,
    avgHeartRate: num(a.average_heartrate),
    maxHeartRate: num(a.max_heartrate),
    details: {
      stravaId: typeof a.id === 'number' ? a.id : null,
      name: typeof a.name === 'string' ? a.name : null,
      elapsedS: elapsed,
      movingS: moving,
      elevationGainM: typeof a.total_elevation_gain === 'number' && Number.isFinite(a.total_elevation_gain) ? a.total_elevation_gain : null,
      kilojoules,
      energyFrom: calories !== null ? 'calories' : kilojoules !== null ? 'kilojoules' : null,
      trainer: a.trainer === true,
      commute: a.commute === true,
    },
  };
}

interface StreamObject {
  type?: string;
  data?: unknown[];
}

/** A stream's data by type, from either answer shape (`key_by_type=true`: an object; else an array). */
function streamData(body: unknown, type: string): unknown[] | null {
  if (Array.isArray(body)) {
    const s = (body as StreamObject[]).find((x) => x && x.type === type);
    return Array.isArray(s?.data) ? s.data : null;
  }
  if (body && typeof body === 'object') {
    const s = (body as Record<string, StreamObject | undefined>)[type];
    return Array.isArray(s?.data) ? s.data : null;
  }
  return null;
}

/**
 * An activity's heart-rate stream as readings: each point (start + its `time` offset in seconds)
 * holds until the next point, or is a point reading when the next is more than STREAM_GAP_MS
 * away (a pause). One record per activity (`hr:<id>`): fetched again, it replaces itself.
 * Nothing without both a `time` and a `heartrate` stream of the same length.
 */
export function mapHeartRateStream(body: unknown, activity: { id: number; startMs: number; zone: ZoneRef; origin: OriginRef }): SampleRecord[] {
  const time = streamData(body, 'time');
  const hr = streamData(body, 'heartrate');
  if (!time || !hr || time.length !== hr.length) return [];
  const out: SampleRecord[] = [];
  for (let i = 0; i < time.length; i++) {
    const t = time[i];
    const v = hr[i];
    if (typeof t !== 'number' || !Number.isFinite(t) || typeof v !== 'number' || !(v > 0)) continue;
    const start = activity.startMs + t * 1000;
    const next = time[i + 1];
    const end = typeof next === 'number' && next > t && (next - t) * 1000 <= STREAM_GAP_MS ? activity.startMs + next * 1000 : start;
    out.push({ rawType: 'stream.heartrate', metric: 'heart_rate', unit: 'bpm', origin: activity.origin, startMs: start, endMs: end, zone: activity.zone, value: v, ref: `hr:${activity.id}` });
  }
  return out;
}
