// A deterministic synthetic Apple Health export with the real format's mix: records grouped by
// type (as Apple writes them) with device strings and metadata, HRV records with beat lists,
// sleep stages, blood-pressure correlations (whose parts also appear at top level), workouts
// with statistics, events and GPX routes. Used by the benchmark and by tests that need a file
// big enough to interrupt.
import fs from 'node:fs';
import path from 'node:path';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** Apple's format, with the export-time offset (+0200) on every date. */
function appleDate(ms: number): string {
  const d = new Date(ms + 2 * 3600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0200`;
}

const WATCH = 'Jane’s Apple Watch';
const PHONE = "Jane's iPhone";
const device = (r: () => number, watch: boolean) =>
  watch
    ? `&lt;&lt;HKDevice: 0x${Math.floor(r() * 0xffffffffff).toString(16)}&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.1&gt;`
    : `&lt;&lt;HKDevice: 0x${Math.floor(r() * 0xffffffffff).toString(16)}&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,2, software:17.1&gt;`;

const HEADER = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
]>
<HealthData locale="en_US">
 <ExportDate value="2024-07-01 09:00:00 +0200"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-01-01" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>
`;

export interface SyntheticResult {
  bytes: number;
  records: number;
  workouts: number;
  /** GPX files written (relative paths such as workout-routes/route_1.gpx). */
  routes: string[];
}

/**
 * Writes `<dir>/export.xml` of about `targetBytes` (and its GPX routes under
 * `<dir>/workout-routes/`). Same size, same bytes, every time.
 */
export function writeSyntheticExport(dir: string, targetBytes: number, seed = 42): SyntheticResult {
  fs.mkdirSync(path.join(dir, 'workout-routes'), { recursive: true });
  const fd = fs.openSync(path.join(dir, 'export.xml'), 'w');
  const r = rng(seed);
  let buf = '';
  let bytes = 0;
  let records = 0;
  let workouts = 0;
  const routes: string[] = [];
  let pending = 0;
  const put = (s: string) => {
    buf += s;
    // Every non-ASCII character used here (’) is 3 bytes in UTF-8.
    pending += s.length + (s.includes('’') ? 2 * (s.split('’').length - 1) : 0);
    if (buf.length > 1 << 20) {
      bytes += fs.writeSync(fd, buf);
      buf = '';
      pending = 0;
    }
  };
  const size = () => bytes + pending;
  put(HEADER);
  const T0 = Date.UTC(2019, 0, 1);
  // Share of the file per kind of record (heart rate dominates real exports).
  const plan: [string, number][] = [
    ['hr', 0.48],
    ['steps', 0.14],
    ['energy', 0.14],
    ['distance', 0.1],
    ['sleep', 0.04],
    ['hrv', 0.05],
    ['bp', 0.03],
    ['weight', 0.01],
    ['workout', 0.01],
  ];
  let budgetEnd = 0;
  for (const [kind, share] of plan) {
    budgetEnd += share * targetBytes;
    let t = T0 + Math.floor(r() * 3600_000);
    while (size() < budgetEnd) {
      records++;
      switch (kind) {
        case 'hr': {
          t += 60_000 + Math.floor(r() * 300_000);
          const d = appleDate(t);
          put(
            ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="${WATCH}" sourceVersion="10.1" device="${device(r, true)}" unit="count/min" creationDate="${d}" startDate="${d}" endDate="${d}" value="${55 + Math.floor(r() * 90)}">\n  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="${Math.floor(r() * 3)}"/>\n </Record>\n`,
          );
          break;
        }
        case 'steps':
        case 'energy':
        case 'distance': {
          t += 120_000 + Math.floor(r() * 600_000);
          const watch = r() < 0.5;
          const s = appleDate(t);
          const e = appleDate(t + 60_000 + Math.floor(r() * 240_000));
          const [type, unit, value] =
            kind === 'steps'
              ? ['StepCount', 'count', String(Math.floor(r() * 400))]
              : kind === 'energy'
                ? ['ActiveEnergyBurned', 'Cal', (r() * 20).toFixed(3)]
                : ['DistanceWalkingRunning', r() < 0.3 ? 'mi' : 'km', (r() * 0.4).toFixed(5)];
          put(
            ` <Record type="HKQuantityTypeIdentifier${type}" sourceName="${watch ? WATCH : PHONE}" sourceVersion="17.1" device="${device(r, watch)}" unit="${unit}" creationDate="${e}" startDate="${s}" endDate="${e}" value="${value}"/>\n`,
          );
          break;
        }
        case 'sleep': {
          t += 20 * 60_000 + Math.floor(r() * 60 * 60_000);
          const stages = ['AsleepCore', 'AsleepDeep', 'AsleepREM', 'Awake', 'InBed'];
          const s = appleDate(t);
          const e = appleDate(t + 10 * 60_000 + Math.floor(r() * 40 * 60_000));
          put(
            ` <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="${WATCH}" sourceVersion="10.1" device="${device(r, true)}" creationDate="${e}" startDate="${s}" endDate="${e}" value="HKCategoryValueSleepAnalysis${stages[Math.floor(r() * stages.length)]}">\n  <MetadataEntry key="HKTimeZone" value="Europe/Paris"/>\n </Record>\n`,
          );
          break;
        }
        case 'hrv': {
          t += 2 * 3600_000 + Math.floor(r() * 3600_000);
          const d = appleDate(t);
          let beats = '';
          for (let i = 0; i < 8; i++) beats += `   <InstantaneousBeatsPerMinute bpm="${55 + Math.floor(r() * 20)}" time="7:${pad(10 + i)}:${pad(Math.floor(r() * 60))}.${pad(Math.floor(r() * 100))} AM"/>\n`;
          put(
            ` <Record type="HKQuantityTypeIdentifierHeartRateVariabilitySDNN" sourceName="${WATCH}" sourceVersion="10.1" device="${device(r, true)}" unit="ms" creationDate="${d}" startDate="${d}" endDate="${appleDate(t + 60_000)}" value="${(20 + r() * 60).toFixed(4)}">\n  <HeartRateVariabilityMetadataList>\n${beats}  </HeartRateVariabilityMetadataList>\n </Record>\n`,
          );
          break;
        }
        case 'bp': {
          t += 20 * 3600_000 + Math.floor(r() * 8 * 3600_000);
          const d = appleDate(t);
          const sys = 105 + Math.floor(r() * 30);
          const dia = 65 + Math.floor(r() * 20);
          const rec = (type: string, v: number) =>
            `<Record type="HKQuantityTypeIdentifierBloodPressure${type}" sourceName="Health Mate" sourceVersion="6.2" unit="mmHg" creationDate="${d}" startDate="${d}" endDate="${d}" value="${v}"/>`;
          put(` ${rec('Systolic', sys)}\n ${rec('Diastolic', dia)}\n`);
          put(
            ` <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Health Mate" sourceVersion="6.2" creationDate="${d}" startDate="${d}" endDate="${d}">\n  <MetadataEntry key="HKWasUserEntered" value="0"/>\n  ${rec('Systolic', sys)}\n  ${rec('Diastolic', dia)}\n </Correlation>\n`,
          );
          break;
        }
        case 'weight': {
          t += 24 * 3600_000 + Math.floor(r() * 24 * 3600_000);
          const d = appleDate(t);
          put(` <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Health Mate" sourceVersion="6.2" unit="lb" creationDate="${d}" startDate="${d}" endDate="${d}" value="${(130 + r() * 20).toFixed(1)}"/>\n`);
          break;
        }
        case 'workout': {
          t += 24 * 3600_000 + Math.floor(r() * 24 * 3600_000);
          workouts++;
          const mins = 20 + Math.floor(r() * 60);
          const s = appleDate(t);
          const e = appleDate(t + mins * 60_000);
          const file = `workout-routes/route_${workouts}.gpx`;
          put(
            ` <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="${mins}" durationUnit="min" sourceName="${WATCH}" sourceVersion="10.1" device="${device(r, true)}" creationDate="${e}" startDate="${s}" endDate="${e}">\n` +
              `  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n  <MetadataEntry key="HKTimeZone" value="Europe/Paris"/>\n  <MetadataEntry key="HKWeatherTemperature" value="${60 + Math.floor(r() * 20)} degF"/>\n` +
              `  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="${s}" duration="${mins / 2}" durationUnit="min"/>\n` +
              `  <WorkoutActivity uuid="${Math.floor(r() * 1e12).toString(16)}" startDate="${s}" endDate="${e}" duration="${mins}" durationUnit="min">\n   <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="${s}" endDate="${e}" average="${140 + Math.floor(r() * 20)}" minimum="100" maximum="178" unit="count/min"/>\n  </WorkoutActivity>\n` +
              `  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" startDate="${s}" endDate="${e}" sum="${(mins * 10).toFixed(1)}" unit="Cal"/>\n` +
              `  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" startDate="${s}" endDate="${e}" sum="${(mins / 6).toFixed(3)}" unit="km"/>\n` +
              `  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="${s}" endDate="${e}" average="${140 + Math.floor(r() * 20)}" minimum="100" maximum="178" unit="count/min"/>\n` +
              `  <WorkoutRoute sourceName="${WATCH}" sourceVersion="10.1" creationDate="${e}" startDate="${s}" endDate="${e}">\n   <FileReference path="/${file}"/>\n  </WorkoutRoute>\n </Workout>\n`,
          );
          // A short route per workout keeps the mix honest without dwarfing the XML.
          let gpx = `<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Apple Health Export" xmlns="http://www.topografix.com/GPX/1/1">\n <trk><trkseg>\n`;
          let lat = 48.85 + r() * 0.05;
          let lon = 2.35 + r() * 0.05;
          for (let i = 0; i < 30; i++) {
            lat += (r() - 0.5) * 0.0005;
            lon += (r() - 0.5) * 0.0005;
            gpx += `  <trkpt lon="${lon.toFixed(6)}" lat="${lat.toFixed(6)}"><ele>${(35 + r() * 5).toFixed(2)}</ele><time>${new Date(t + i * 10_000).toISOString().replace('.000', '')}</time><extensions><speed>${(2 + r()).toFixed(2)}</speed></extensions></trkpt>\n`;
          }
          gpx += ' </trkseg></trk>\n</gpx>\n';
          fs.writeFileSync(path.join(dir, file), gpx);
          routes.push(file);
          break;
        }
      }
    }
  }
  put('</HealthData>\n');
  bytes += fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return { bytes, records, workouts, routes };
}
