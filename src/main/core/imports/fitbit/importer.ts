// Fitbit's data from Google Takeout (the Fitbit Web API was turned off in 2026): the Takeout zip
// (takeout-*.zip), its extracted folder, the Fitbit folder inside it, or one of its files.
// Recognised by content: each file's name says which series it claims to be (supporting
// evidence: `steps-2024-03-01.json`, `Daily SpO2 - ….csv`), and its first bytes must have that
// series' JSON shape or CSV header. Layouts and time zones: globalExport.ts (the JSON layout)
// and googleCsv.ts (the CSV layout), each with where it was established.
import { csvHead } from '../csv/read';
import type { Importer, InputEntry, RecordSink, ImportInput } from '../importer';
import { readHeartRate, readRestingHeartRate, readSleep, readSteps, readWeight, type ReadContext } from './globalExport';
import {
  readGoogleBodyFat,
  readGoogleHeartRate,
  readGoogleRestingHeartRate,
  readGoogleSpo2Daily,
  readGoogleSteps,
  readGoogleWeight,
  readHrvDaily,
  readSpo2Daily,
} from './googleCsv';

/** One kind of Fitbit file. */
interface Kind {
  /** What the person sees for it in the recognition ('steps (per minute)'). */
  label: string;
  /** The series it carries; two kinds of one family are the same data in two layouts. */
  family: string;
  /** Within a family, the kind read when several are present (lowest); the others are skipped. */
  rank: number;
  /** The file name (supporting evidence only). */
  name: RegExp;
  /** The content: the file's first bytes, as text. */
  content: (head: string) => boolean;
  read: (ctx: ReadContext) => Promise<void>;
}

const MDY = String.raw`"\d{2}/\d{2}/\d{2}(?:\d{2})? \d{2}:\d{2}:\d{2}"`;
const gedFirst = (value: string) => new RegExp(String.raw`^\s*\[\s*\{\s*"dateTime"\s*:\s*${MDY}\s*,\s*"value"\s*:\s*${value}`);

/** The header line of a CSV head, lower-cased, without a byte-order mark or spaces around cells. */
const headerOf = (head: string) => (head.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0] ?? '').split(',').map((c) => c.trim().toLowerCase());
const headerIs = (head: string, ...cols: string[]) => headerOf(head).join(',') === cols.join(',');
const headerHas = (head: string, ...cols: string[]) => cols.every((c) => headerOf(head).includes(c));
const BODY_FAT_COLUMNS = ['body fat percentage', 'fat percentage'];
const DAILY_SUFFIX = String.raw`(?:_\d{4}-\d{2}-\d{2})?`;

// The CSV kinds come first: where a series is in both layouts, its CSV twin has rank 0.
const KINDS: Kind[] = [
  {
    label: 'daily HRV summary (Heart Rate Variability)',
    family: 'hrv',
    rank: 0,
    name: /^Daily Heart Rate Variability Summary - .*\.csv$/,
    content: (h) => headerIs(h, 'timestamp', 'rmssd', 'nremhr', 'entropy'),
    read: readHrvDaily,
  },
  {
    label: 'daily SpO2 (Oxygen Saturation)',
    family: 'spo2',
    rank: 0,
    name: /^Daily SpO2 - .*\.csv$/,
    content: (h) => headerIs(h, 'timestamp', 'average_value', 'lower_bound', 'upper_bound'),
    read: readSpo2Daily,
  },
  {
    label: 'daily SpO2 (Physical Activity_GoogleData)',
    family: 'spo2',
    rank: 1,
    name: new RegExp(`^daily_oxygen_saturation${DAILY_SUFFIX}\\.csv$`),
    content: (h) => headerHas(h, 'timestamp', 'average percentage'),
    read: readGoogleSpo2Daily,
  },
  {
    label: 'steps (per minute, Physical Activity_GoogleData)',
    family: 'steps',
    rank: 0,
    name: /^steps_\d{4}-\d{2}-\d{2}\.csv$/,
    content: (h) => headerIs(h, 'timestamp', 'steps', 'data source'),
    read: readGoogleSteps,
  },
  {
    label: 'heart rate (every few seconds, Physical Activity_GoogleData)',
    family: 'heart_rate',
    rank: 0,
    name: /^heart_rate_\d{4}-\d{2}-\d{2}\.csv$/,
    content: (h) => headerIs(h, 'timestamp', 'beats per minute', 'data source'),
    read: readGoogleHeartRate,
  },
  {
    label: 'resting heart rate (per day, Physical Activity_GoogleData)',
    family: 'resting_heart_rate',
    rank: 0,
    name: new RegExp(`^daily_resting_heart_rate${DAILY_SUFFIX}\\.csv$`),
    content: (h) => headerHas(h, 'timestamp', 'beats per minute'),
    read: readGoogleRestingHeartRate,
  },
  {
    label: 'weight (Physical Activity_GoogleData)',
    family: 'weight',
    rank: 0,
    name: new RegExp(`^weight${DAILY_SUFFIX}\\.csv$`),
    content: (h) => headerHas(h, 'timestamp', 'weight grams'),
    read: readGoogleWeight,
  },
  {
    label: 'body fat (Physical Activity_GoogleData)',
    family: 'body_fat',
    rank: 0,
    name: new RegExp(`^body_fat${DAILY_SUFFIX}\\.csv$`),
    content: (h) => headerHas(h, 'timestamp') && BODY_FAT_COLUMNS.some((c) => headerHas(h, c)),
    read: async (ctx) => {
      const { header } = await csvHead(ctx.entry.stream(), 0);
      const lower = header.map((c) => c.toLowerCase());
      await readGoogleBodyFat(ctx, BODY_FAT_COLUMNS.find((c) => lower.includes(c)) ?? BODY_FAT_COLUMNS[0]);
    },
  },
  {
    label: 'steps (per minute, Global Export Data)',
    family: 'steps',
    rank: 1,
    name: /^steps-\d{4}-\d{2}-\d{2}\.json$/,
    content: (h) => gedFirst(String.raw`"?\d`).test(h),
    read: readSteps,
  },
  {
    label: 'heart rate (every few seconds, Global Export Data)',
    family: 'heart_rate',
    rank: 1,
    name: /^heart_rate-\d{4}-\d{2}-\d{2}\.json$/,
    content: (h) => gedFirst(String.raw`\{\s*"bpm"\s*:`).test(h),
    read: readHeartRate,
  },
  {
    label: 'resting heart rate (per day, Global Export Data)',
    family: 'resting_heart_rate',
    rank: 1,
    name: /^resting_heart_rate-\d{4}-\d{2}-\d{2}\.json$/,
    content: (h) => gedFirst(String.raw`\{\s*"date"\s*:\s*"\d{2}/\d{2}/\d{2}`).test(h),
    read: readRestingHeartRate,
  },
  {
    label: 'sleep logs with stages (Global Export Data)',
    family: 'sleep',
    rank: 1,
    name: /^sleep-\d{4}-\d{2}-\d{2}\.json$/,
    // A log's keys come in either order: Takeout's (logId, dateOfSleep, startTime, …) or the Web
    // API's alphabetical one, where a night's large `levels` comes before logId and startTime.
    content: (h) => /^\s*\[\s*\{/.test(h) && /"dateOfSleep"\s*:\s*"\d{4}-\d{2}-\d{2}"/.test(h) && (/"logId"\s*:/.test(h) || /"levels"\s*:\s*\{/.test(h)),
    read: readSleep,
  },
  {
    label: 'weight logs (Global Export Data)',
    family: 'weight',
    rank: 1,
    name: /^weight-\d{4}-\d{2}-\d{2}\.json$/,
    content: (h) => /^\s*\[\s*\{/.test(h) && /"logId"\s*:/.test(h) && /"weight"\s*:\s*[\d.]/.test(h) && /"date"\s*:\s*"\d{2}\/\d{2}\/\d{2}"/.test(h),
    read: readWeight,
  },
];

const FAMILY_NAMES: Record<string, string> = {
  hrv: 'HRV',
  spo2: 'SpO2',
  steps: 'steps',
  heart_rate: 'heart rate',
  resting_heart_rate: 'resting heart rate',
  sleep: 'sleep',
  weight: 'weight',
  body_fat: 'body fat',
};

const byLabel = new Map(KINDS.map((k) => [k.label, k]));

/** Your Profile/Profile.csv (Personal & Account/ in older archives): the account's settings, read only for its weight unit. */
const PROFILE_PATH = /(?:^|\/)(?:Your Profile|Personal & Account)\/Profile\.csv$/;
const PROFILE_LABEL = 'account profile (weight unit)';

/** Entries whose content is checked per kind while recognising; the rest of a kind are checked as they are read. */
const CHECKED_PER_KIND = 3;

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/**
 * Profile.csv's `weight_unit`: METRIC → kg, en_US → lb (Fitbit's own spellings; a parser in
 * the code corpus confirmed en_US means the weights are in pounds). Anything else (en_GB, which
 * Fitbit shows as stone) is not guessed: null.
 */
async function profileWeightUnit(entry: InputEntry | undefined): Promise<'kg' | 'lb' | null> {
  if (!entry) return null;
  const { header, rows } = await csvHead(entry.stream(), 1);
  const i = header.indexOf('weight_unit');
  const v = i >= 0 ? rows[0]?.[i]?.trim().toUpperCase() : undefined;
  if (v === 'METRIC') return 'kg';
  if (v === 'EN_US' || v === 'US' || v === 'POUND' || v === 'IMPERIAL') return 'lb';
  return null;
}

function profileEntry(input: ImportInput, recognition: { entries: { path: string; kind: string }[] }): InputEntry | undefined {
  const path = recognition.entries.find((e) => e.kind === PROFILE_LABEL)?.path;
  return path === undefined ? undefined : input.entries.find((e) => e.path === path);
}

export const fitbitImporter: Importer = {
  id: 'fitbit',
  label: 'Fitbit (Google Takeout)',
  source: 'fitbit',
  async sniff(input) {
    const found = new Map<Kind, string[]>();
    const checked = new Map<Kind, number>();
    let profile: string | null = null;
    for (const e of input.entries) {
      if (PROFILE_PATH.test(e.path)) {
        const head = (await e.head(2048)).toString('utf8');
        if (/(^|,)weight_unit(,|\r?\n)/.test(head.split('\n', 1)[0] + '\n')) profile = e.path;
        continue;
      }
      const name = baseName(e.path);
      const kind = KINDS.find((k) => k.name.test(name));
      if (!kind) continue;
      const seen = checked.get(kind) ?? 0;
      if (seen < CHECKED_PER_KIND) {
        checked.set(kind, seen + 1);
        if (!kind.content((await e.head(4096)).toString('utf8').replace(/^\ufeff/, ''))) continue;
      } else if (!found.has(kind)) continue;
      found.set(kind, [...(found.get(kind) ?? []), e.path]);
    }
    if (!found.size) return null;
    // One layout per series: of two kinds carrying the same data, the preferred one is read.
    const best = new Map<string, number>();
    for (const k of found.keys()) best.set(k.family, Math.min(best.get(k.family) ?? Infinity, k.rank));
    const entries: { path: string; kind: string }[] = profile ? [{ path: profile, kind: PROFILE_LABEL }] : [];
    const families = new Set<string>();
    const twins = new Set<string>();
    for (const k of KINDS) {
      const paths = found.get(k);
      if (!paths) continue;
      if (k.rank !== best.get(k.family)) {
        twins.add(FAMILY_NAMES[k.family] ?? k.family);
        continue;
      }
      families.add(FAMILY_NAMES[k.family] ?? k.family);
      for (const path of paths) entries.push({ path, kind: k.label });
    }
    const skipped = twins.size ? ` (${[...twins].join(', ')} read from the CSV files; their JSON copies skipped)` : '';
    return { importer: 'fitbit', entries, description: `Fitbit export (Google Takeout): ${[...families].join(', ')}${skipped}` };
  },
  async needs(input, recognition) {
    const weights = recognition.entries.some((e) => byLabel.get(e.kind)?.read === readWeight);
    return weights && !(await profileWeightUnit(profileEntry(input, recognition))) ? ['weightUnit'] : [];
  },
  async run(input, recognition, sink: RecordSink) {
    const entries = new Map(input.entries.map((e) => [e.path, e]));
    const weightUnit = (await profileWeightUnit(profileEntry(input, recognition))) ?? sink.choices.weightUnit;
    let weightsSkipped = false;
    for (const { path, kind } of recognition.entries) {
      if (sink.cancelled) return;
      const k = byLabel.get(kind);
      const entry = entries.get(path);
      if (!k || !entry) continue;
      if (k.read === readWeight && !weightUnit) weightsSkipped = true;
      await k.read({ entry, sink, weightUnit });
      await sink.pace();
    }
    if (weightsSkipped) {
      sink.warn(
        'The Fitbit weights were not imported: the export does not say whether they are in kilograms or pounds (Your Profile/Profile.csv is missing or names neither). ' +
          'Choose the unit your Fitbit account shows on the Imports page (or add --weight-unit kg or --weight-unit lb) and import again; what was imported now is kept.',
      );
    }
  },
};
