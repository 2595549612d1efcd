// Garmin Connect's activities list as CSV (connect.garmin.com → Activities → Export CSV): one row
// per activity, as the account shows it. What the file looks like, from real exports:
// - Headers in the account's language. English: `Activity Type,Date,Favorite,Title,Distance,
//   Calories,Time,Avg HR,Max HR,Aerobic TE,…` (shared/corpus/providers/garmin, and
//   Garmin-Connect-Activities-export.TRIMMED.csv there). German: `Aktivitätstyp,Datum,Favorit,
//   Titel,Distanz,Kalorien,Zeit,Ø HF,Max. HF,…` (older) or `…,Ø Herzfrequenz,Maximale
//   Herzfrequenz,…` (newer). French: `Type d'activité,Date,Favori,Titre,Distance,Calories,Durée,
//   Fréquence cardiaque moyenne,Fréquence cardiaque maximale,…`. Spanish: `Tipo de actividad,Fecha,
//   Título,Distancia,Calorías,Tiempo,Frecuencia cardiaca media,…` (also `FC media`, `FC máxima`).
//   Columns are found by meaning through HEADERS, never by position.
// - Numbers as the account formats them: `"1,476"` (thousands), and in some locales a decimal
//   comma (`"5,02"` km); `--` for "not measured". The decimal mark is decided per file.
// - Start as local wall-clock time with no zone: `2020-05-07 09:13:45` as Garmin writes it, or
//   `5/7/2020 9:13` once a spreadsheet has re-saved it (the corpus file). Read in the import zone.
// - Units of the account's setting (metric or statute), never named in the file: distance in km
//   or miles, but a swim's in metres or yards; elevation in m or ft; speed km/h or mph; pace per
//   km or per mile; temperatures °C or °F. See decideUnits for how a file's units are decided.
import { convertUnit } from '../../../../shared/units';
import type { WorkoutRecord } from '../../samples';
import { guessDateFormats, parseDateTime } from '../csv/dates';
import { parseDuration } from '../csv/durations';
import { guessDecimal, isMissing, parseNumber } from '../csv/numbers';
import type { ImportChoices } from '../importer';
import { placeLocal } from '../place';
import type { DateFormat } from '../../../../shared/contract';

export const GARMIN_ORIGIN = { name: 'Garmin', deviceKind: 'watch' } as const;
/**
 * The Activities list's own origin. The full-account export holds the same activities with
 * other start instants (milliseconds, not minutes), and the merge never takes two sessions of
 * one origin for copies of each other (a swim inside a hike is two sessions): as two origins,
 * a run in both exports is one workout, counted once (merge/workouts.ts).
 */
export const ACTIVITIES_LIST_ORIGIN = { name: 'Garmin Connect activities list', deviceKind: 'watch' } as const;

/** What a column holds, whatever the language of its header. */
export type Column =
  | 'type' | 'date' | 'favorite' | 'title' | 'distance' | 'calories' | 'time' | 'movingTime' | 'elapsedTime'
  | 'avgHr' | 'maxHr' | 'aerobicTe' | 'avgSpeed' | 'maxSpeed' | 'avgPace' | 'bestPace' | 'ascent' | 'descent'
  | 'minTemp' | 'maxTemp' | 'steps';

/**
 * Header texts per column, lower-cased, in English, German, French and Spanish. Sources: the
 * corpus file (English, 2020), public projects quoting real exports: German (2017 and a newer
 * one), French (2026), Spanish (2026, `Tipo de actividad,Fecha,Título,Distancia,Calorías,Tiempo,
 * Frecuencia cardiaca media,Ritmo medio,Ascenso total`, and `FC media,FC máxima`). Names not seen
 * in a real file are Garmin's wording in its apps for the same figure.
 */
const HEADERS: Record<Column, string[]> = {
  type: ['activity type', 'aktivitätstyp', "type d'activité", 'tipo de actividad'],
  date: ['date', 'datum', 'fecha'],
  favorite: ['favorite', 'favorit', 'favori', 'favorito'],
  title: ['title', 'titel', 'titre', 'título'],
  distance: ['distance', 'distanz', 'distancia'],
  calories: ['calories', 'kalorien', 'calorías'],
  time: ['time', 'zeit', 'durée', 'tiempo', 'total time'],
  movingTime: ['moving time', 'zeit in bewegung', 'temps de déplacement', 'tiempo en movimiento'],
  elapsedTime: ['elapsed time', 'verstrichene zeit', 'temps écoulé', 'tiempo transcurrido'],
  avgHr: ['avg hr', 'ø hf', 'ø herzfrequenz', 'fréquence cardiaque moyenne', 'frecuencia cardiaca media', 'fc media'],
  maxHr: ['max hr', 'max. hf', 'maximale herzfrequenz', 'fréquence cardiaque maximale', 'frecuencia cardiaca máxima', 'fc máxima'],
  aerobicTe: ['aerobic te', 'aerober te', 'te aérobie', 'te aeróbico'],
  avgSpeed: ['avg speed', 'ø geschwindigkeit', 'vitesse moyenne', 'velocidad media'],
  maxSpeed: ['max speed', 'maximale geschwindigkeit', 'vitesse maximale', 'velocidad máxima'],
  avgPace: ['avg pace', 'ø pace', 'allure moyenne', 'ritmo medio'],
  bestPace: ['best pace', 'beste pace', 'meilleure allure', 'mejor ritmo'],
  ascent: ['total ascent', 'elev gain', 'positiver höhenunterschied', 'anstieg gesamt', 'ascension totale', 'ascenso total'],
  descent: ['total descent', 'elev loss', 'negativer höhenunterschied', 'abstieg gesamt', 'descente totale', 'descenso total'],
  minTemp: ['min temp', 'min. temp.', 'température minimale', 'temperatura mínima'],
  maxTemp: ['max temp', 'max. temp.', 'température maximale', 'temperatura máxima'],
  steps: ['steps', 'schritte', 'pas', 'pasos'],
};

const LANGUAGE_OF_TYPE_HEADER: Record<string, string> = {
  'activity type': 'English',
  aktivitätstyp: 'German',
  "type d'activité": 'French',
  'tipo de actividad': 'Spanish',
};

const norm = (h: string) => h.trim().toLowerCase().replace(/\s+/g, ' ');

/** The columns of a header by meaning (the first column of each meaning), and the header's language. */
export function readHeader(header: readonly string[]): { at: Partial<Record<Column, number>>; language: string | null } {
  const at: Partial<Record<Column, number>> = {};
  header.forEach((h, i) => {
    const n = norm(h);
    for (const [col, names] of Object.entries(HEADERS) as [Column, string[]][]) if (at[col] === undefined && names.includes(n)) at[col] = i;
  });
  const language = at.type === undefined ? null : (LANGUAGE_OF_TYPE_HEADER[norm(header[at.type])] ?? null);
  return { at, language };
}

/**
 * Whether a header is a Garmin Connect activities list: an activity type, a date and a time
 * column, and at least two of its figures (distance, calories, heart rates…). A spreadsheet of
 * one's own with "Date" and "Time" has no activity type column; one with "Activity Type, Date,
 * Time" alone is not enough either.
 */
export function isActivitiesHeader(header: readonly string[]): boolean {
  const { at } = readHeader(header);
  if (at.type === undefined || at.date === undefined || at.time === undefined) return false;
  const figures: Column[] = ['distance', 'calories', 'avgHr', 'maxHr', 'title', 'avgSpeed', 'avgPace', 'ascent', 'elapsedTime', 'movingTime'];
  return figures.filter((c) => at[c] !== undefined).length >= 2;
}

export type UnitSystem = 'metric' | 'statute';

/**
 * A file's units, from what it says: a unit in a header (`Distance (km)`, `Distance (mi)`), else
 * its temperatures: a watch on a wrist reads 25–35 °C; a minimum above 50 or a maximum above 60
 * can only be °F, so the account is statute (the corpus file: 55.4–77). Nothing in a metric file
 * says so (a °C temperature is also a plausible cold °F one), so null means "ask" (needs
 * 'weightUnit': the account's units, lb for statute, kg for metric).
 */
export function unitsFromFile(header: readonly string[], rows: readonly string[][], decimal: '.' | ','): UnitSystem | null {
  for (const h of header) {
    const u = /\((km|mi|m|ft|km\/h|mph|min\/km|min\/mi|°c|°f)\)\s*$/i.exec(h.trim())?.[1].toLowerCase();
    if (u) return ['mi', 'ft', 'mph', 'min/mi', '°f'].includes(u) ? 'statute' : 'metric';
  }
  const { at } = readHeader(header);
  const temps = (col: Column) => (at[col] === undefined ? [] : rows.map((r) => parseNumber(r[at[col]!] ?? '', decimal)).filter((v): v is number => v !== null && !Number.isNaN(v)));
  if (temps('minTemp').some((t) => t > 50) || temps('maxTemp').some((t) => t > 60)) return 'statute';
  return null;
}

/** The decimal mark of a file, from its distances, speeds, training effects and temperatures. */
export function decimalOf(header: readonly string[], rows: readonly string[][]): '.' | ',' {
  const { at } = readHeader(header);
  const cols: Column[] = ['distance', 'avgSpeed', 'maxSpeed', 'aerobicTe', 'minTemp', 'maxTemp'];
  const values = cols.flatMap((c) => (at[c] === undefined ? [] : rows.map((r) => r[at[c]!] ?? ''))).filter((v) => !isMissing(v));
  return guessDecimal(values);
}

/**
 * The date format of a file's Date column: Garmin's own `2020-05-07 09:13:45`, or what a
 * spreadsheet made of it: `5/7/2020 9:13` (month first, as US Excel writes it), `07.05.2020 09:13`
 * (a dotted date is day first, as German Excel writes it). null when the column reads as no format.
 */
export function dateFormatOf(values: readonly string[]): DateFormat | null {
  const formats = guessDateFormats(values).filter((f) => f === 'iso' || f === 'mdy' || f === 'dmy');
  if (!formats.length) return null;
  if (formats.includes('dmy') && values.some((v) => /^\d{1,2}\.\d{1,2}\.\d{2,4}/.test(v.trim()))) return 'dmy';
  return formats[0];
}

/**
 * Activity type names of the localized lists, as the English list names them, so that the merge
 * (merge/workouts activityFamily) knows a German "Laufen" is the running an English-speaking
 * source recorded. The file's own name is kept in the workout's details (`localizedType`).
 */
const TYPE_NAMES: Record<string, string> = {
  // German
  laufen: 'Running', laufband: 'Treadmill Running', trailrunning: 'Trail Running', radfahren: 'Cycling', rennrad: 'Road Cycling',
  mountainbike: 'Mountain Biking', 'indoor-radfahren': 'Indoor Cycling', gehen: 'Walking', wandern: 'Hiking',
  schwimmen: 'Swimming', schwimmbadschwimmen: 'Pool Swimming', freiwasserschwimmen: 'Open Water Swimming', krafttraining: 'Strength Training',
  rudern: 'Rowing', 'indoor-rudern': 'Indoor Rowing', crosstrainer: 'Elliptical',
  // French
  'course à pied': 'Running', 'course sur tapis roulant': 'Treadmill Running', 'trail': 'Trail Running', cyclisme: 'Cycling', vélo: 'Cycling',
  'vélo d\'intérieur': 'Indoor Cycling', marche: 'Walking', randonnée: 'Hiking', natation: 'Swimming', 'natation en piscine': 'Pool Swimming',
  musculation: 'Strength Training', aviron: 'Rowing', 'aviron en salle': 'Indoor Rowing', elliptique: 'Elliptical',
  // Spanish
  carrera: 'Running', 'carrera en cinta': 'Treadmill Running', 'carrera por montaña': 'Trail Running', ciclismo: 'Cycling',
  'ciclismo en sala': 'Indoor Cycling', caminar: 'Walking', senderismo: 'Hiking', natación: 'Swimming', 'natación en piscina': 'Pool Swimming',
  'entrenamiento de fuerza': 'Strength Training', remo: 'Rowing', 'remo en sala': 'Indoor Rowing', elíptica: 'Elliptical',
};

/** A swim's distance is in metres (or yards), not km (or miles): Garmin lists pools in pool units. */
const isSwim = (type: string) => /swim|schwimm|natation|nataci/i.test(type);

/** Everything a file's rows are read with, decided once from its header and first rows. */
export interface FileFormat {
  header: string[];
  at: Partial<Record<Column, number>>;
  decimal: '.' | ',';
  dateFormat: DateFormat;
  units: UnitSystem;
}

export interface RowError {
  column: string;
  category: string;
  detail: string;
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
const round = (v: number, digits = 6) => Number(v.toFixed(digits));

/**
 * One row as a workout, or what is wrong with it (the column and why: a row with an unreadable
 * date, time or figure is left out whole, so a workout never stands with half its figures).
 * `cells` are the CSV row's; the result is in canonical units (km, kcal, bpm, seconds).
 */
export function rowToWorkout(cells: readonly string[], f: FileFormat, choices: Pick<ImportChoices, 'zone' | 'zoneIsHome'>): { workout: WorkoutRecord } | { error: RowError } {
  const name = (c: Column) => f.header[f.at[c]!];
  const cell = (c: Column) => (f.at[c] === undefined ? '' : (cells[f.at[c]!] ?? ''));
  const fail = (c: Column, category: string, detail: string) => ({ error: { column: name(c), category: `${name(c)}: ${category}`, detail } });

  const typeText = cell('type').trim();
  if (!typeText) return fail('type', 'no activity type', 'no activity type');
  const when = parseDateTime(cell('date'), f.dateFormat);
  if (!when) return fail('date', 'no readable date', isMissing(cell('date')) ? 'no date' : `"${clip(cell('date'))}" is not a date and time like the file's others`);
  if (when.msOfDay === null) return fail('date', 'no start time', `"${clip(cell('date'))}" has no time of day`);

  const num = (c: Column): number | null | { bad: string } => {
    const v = parseNumber(cell(c), f.decimal);
    return v !== null && Number.isNaN(v) ? { bad: cell(c) } : v;
  };
  const dur = (c: Column): number | null | { bad: string } => {
    const v = parseDuration(cell(c));
    if (v !== null && Number.isNaN(v)) return { bad: cell(c) };
    // A spreadsheet re-saving the file reads a pace of 40:50 (min:s) as 40 h 50 min and writes
    // `40:50:00` (the corpus file's hike). No one moves at 3 hours or more per km or mile.
    if ((c === 'avgPace' || c === 'bestPace') && v !== null && v >= 3 * 3600 && /^\d+:\d{2}:00$/.test(cell(c).trim())) return v / 60;
    return v;
  };
  const values: Partial<Record<Column, number | null>> = {};
  // Temperatures only tell the units (unitsFromFile): the list writes 0 where none was recorded
  // (the corpus file's Max Temp), so they are not kept.
  for (const c of ['distance', 'calories', 'avgHr', 'maxHr', 'aerobicTe', 'avgSpeed', 'maxSpeed', 'ascent', 'descent', 'steps'] as Column[]) {
    const v = num(c);
    if (v !== null && typeof v === 'object') return fail(c, 'not a number', `"${clip(v.bad)}" is not a number`);
    values[c] = v;
  }
  for (const c of ['time', 'movingTime', 'elapsedTime', 'avgPace', 'bestPace'] as Column[]) {
    const v = dur(c);
    if (v !== null && typeof v === 'object') return fail(c, 'not a duration', `"${clip(v.bad)}" is not a duration (h:mm:ss or mm:ss)`);
    values[c] = v;
  }
  const durationS = values.time ?? values.elapsedTime ?? values.movingTime ?? null;
  if (durationS === null || durationS <= 0) return fail('time', 'no duration', 'no duration');
  // The workout lasts from its start to its end on the clock: the elapsed time when Garmin gives
  // it (pauses included), else its time.
  const spanS = values.elapsedTime !== null && values.elapsedTime !== undefined && values.elapsedTime >= durationS ? values.elapsedTime : durationS;
  const placed = placeLocal(when, choices, Math.round(spanS * 1000));
  if (!placed) return fail('date', 'unknown time zone', `the time zone "${choices.zone}" is unknown`);

  const statute = f.units === 'statute';
  const swim = isSwim(typeText);
  const distUnit = swim ? (statute ? 'yd' : 'm') : statute ? 'mi' : 'km';
  const distance = values.distance ? convertUnit(values.distance, distUnit, 'km') : null;
  const elev = (v: number | null | undefined) => (v === null || v === undefined ? null : round(statute ? convertUnit(v, 'ft', 'm')! : v, 4));
  const speedKmh = (v: number | null | undefined) => (v === null || v === undefined ? null : round(statute ? convertUnit(v, 'mi', 'km')! : v, 4));
  // Pace is time per mile or per km: seconds per km either way.
  const paceSPerKm = (v: number | null | undefined) => (v === null || v === undefined || v <= 0 ? null : round(statute ? v / convertUnit(1, 'mi', 'km')! : v, 2));
  const hr = (v: number | null | undefined) => (v === null || v === undefined || v <= 0 ? null : v);

  const english = TYPE_NAMES[typeText.toLowerCase()];
  const details: Record<string, unknown> = {
    title: cell('title').trim() || null,
    ...(english ? { localizedType: typeText } : {}),
    units: f.units,
    elevationGainM: elev(values.ascent),
    elevationLossM: elev(values.descent),
    avgSpeedKmh: speedKmh(values.avgSpeed),
    maxSpeedKmh: speedKmh(values.maxSpeed),
    avgPaceSPerKm: paceSPerKm(values.avgPace),
    bestPaceSPerKm: paceSPerKm(values.bestPace),
    movingTimeS: values.movingTime ?? null,
    elapsedTimeS: values.elapsedTime ?? null,
    aerobicTrainingEffect: values.aerobicTe ?? null,
    steps: values.steps ?? null,
  };
  for (const k of Object.keys(details)) if (details[k] === null) delete details[k];

  return {
    workout: {
      origin: { ...ACTIVITIES_LIST_ORIGIN },
      activityType: english ?? typeText,
      startMs: placed.startMs,
      endMs: placed.endMs,
      zone: placed.zone,
      durationS: round(durationS, 3),
      distanceKm: distance ? round(distance) : null,
      energyKcal: values.calories !== null && values.calories !== undefined && values.calories > 0 ? values.calories : null,
      avgHeartRate: hr(values.avgHr),
      maxHeartRate: hr(values.maxHr),
      details,
    },
  };
}
