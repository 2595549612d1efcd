// A second Withings account for the emulator: the shapes VitalSync once got wrong, as small
// hand-written records (made-up people and numbers), each with the right result in its comment.
import type { MeasureGroup, SleepNight, WithingsData } from './data';

const SCALE = 'aaaa';

function group(grpid: number, attrib: number, date: number, measures: MeasureGroup['measures'], model = 'Body+'): MeasureGroup {
  return {
    grpid,
    attrib,
    date,
    created: date + 30,
    modified: date + 30,
    category: 1,
    deviceid: SCALE,
    hash_deviceid: SCALE,
    measures: measures.map((m) => ({ algo: 3, fm: 3, ...m })),
    modelid: 5,
    model,
    comment: null,
  };
}

/**
 * - 2024-03-07: the person's own weigh-in (grpid 301, attrib 0: 84.2 kg, 22 % fat) and, 90
 *   minutes later on the same scale, someone else's (302, attrib 1: 52.1 kg, 29 %). Right: the
 *   day's weight is 84.2 kg and body fat 0.22; the attrib 1 group is stored apart.
 * - 2024-03-08: grpid 401 says 91.4 kg; the person corrects it in the Withings app to 81.4 kg
 *   (`WithingsModule.editMeasureGroup`, a later `modified`), seen by the next sync. Right: 81.4.
 * - 2024-03-10: VO2max 45.2 mL/kg/min from the watch (meastype 123).
 * - The night ending 2024-03-23 has a summary with durations but `sleep?action=get` has no
 *   segments for it. Right: 420 minutes asleep (light 240, deep 90, REM 90) on 2024-03-23.
 */
export function withingsFieldCases(): WithingsData {
  const night: SleepNight = {
    id: 9201,
    timezone: 'Europe/Paris',
    model: 16,
    model_id: 93,
    hash_deviceid: 'dddd',
    // 2024-03-22 23:00 to 2024-03-23 07:00 in Paris (UTC+1).
    startdate: 1711144800,
    enddate: 1711173600,
    date: '2024-03-23',
    created: 1711174200,
    modified: 1711174200,
    data: {
      total_sleep_time: 25200,
      lightsleepduration: 14400,
      deepsleepduration: 5400,
      remsleepduration: 5400,
      wakeupduration: 2400,
      sleep_score: 81,
      hr_average: 55,
      rr_average: 13,
    },
  };
  return {
    timezone: 'Europe/Paris',
    measuregrps: [
      // 2024-03-07 07:00 and 08:30 in Paris.
      group(301, 0, 1709791200, [
        { value: 84200, type: 1, unit: -3 },
        { value: 2200, type: 6, unit: -2 },
      ]),
      group(302, 1, 1709796600, [
        { value: 52100, type: 1, unit: -3 },
        { value: 2900, type: 6, unit: -2 },
      ]),
      // 2024-03-08 07:00 in Paris.
      group(401, 0, 1709877600, [{ value: 91400, type: 1, unit: -3 }]),
      // 2024-03-10 19:00 in Paris.
      { ...group(501, 0, 1710093600, [{ value: 452, type: 123, unit: -1 }], 'ScanWatch'), deviceid: null, hash_deviceid: null, modelid: 93 },
    ],
    activities: [],
    workouts: [],
    sleep: [night],
    segments: [],
  };
}
