// Quality of one origin's data for one metric on one day, 0–100, with the reasons a person can
// read: how much of the day it covers, whether it agrees with the other sources, impossible
// values, duplicates, and (when read) how long since it last sent anything.
import type { MetricDef } from '../../../shared/catalog';
import type { QualityReason } from '../../../shared/contract/metrics';
import { AGREEMENT_TOLERANCE, relativeDifference } from '../../../shared/agreement';
import type { Bucket, OriginBucket } from '../merge/resolve';

/**
 * Bumped when the scoring rules below change, so stored scores are rebuilt (it is part of each
 * metric's rules fingerprint in build.ts). 2: the agreement check became symmetric.
 */
export const QUALITY_RULES_VERSION = 2;

/** Metrics a device records all day long, so hours without data mean it was not worn. */
const ALL_DAY = new Set(['steps', 'distance', 'active_energy', 'basal_energy', 'heart_rate']);
/** Hours with data that count as a fully covered day (people sleep; phones sit on desks). */
const EXPECTED_HOURS = 14;

function popcount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

/**
 * What an origin's value is compared with (value units): with one other source, that source's
 * value, so two sources that disagree are both marked down, by the same amount; with two or more,
 * the median of all the comparable values, its own included, so the odd one out is marked down
 * and the sources that agree are not (with 10,000, 10,000 and 15,000 the others' median would be
 * 12,500 for each 10,000, and all three would "differ" because of one outlier).
 */
export function agreementReference(own: number, others: number[]): number {
  return others.length === 1 ? others[0] : median([own, ...others]);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * One origin's quality for one bucket: 100 minus the penalties of its reasons (coverage up to 30,
 * agreement up to 25 for more than AGREEMENT_TOLERANCE apart, impossible values up to 40,
 * duplicates up to 15), never below 0. The rules are the ones docs/merging.md states under Quality.
 */
export function scoreOrigin(def: MetricDef, o: OriginBucket, b: Bucket): { score: number; reasons: QualityReason[] } {
  const reasons: QualityReason[] = [];
  if (ALL_DAY.has(def.id)) {
    const hours = popcount(o.hours);
    const coverage = Math.min(1, hours / EXPECTED_HOURS);
    const penalty = Math.round(30 * (1 - coverage));
    if (penalty > 0) reasons.push({ code: 'coverage', penalty, message: `Data in ${hours} of 24 hours of the day (a full day has at least ${EXPECTED_HOURS}).` });
  } else if (def.kind === 'sleep-stage' && b.stages) {
    const night = b.stages.awake + b.stages.light + b.stages.deep + b.stages.rem + b.stages.unspecified;
    const own = o.stages ? o.stages.awake + o.stages.light + o.stages.deep + o.stages.rem + o.stages.unspecified : 0;
    const coverage = night > 0 ? Math.min(1, own / night) : 1;
    const penalty = coverage < 0.9 ? Math.round(30 * (1 - coverage)) : 0;
    if (penalty > 0) reasons.push({ code: 'coverage', penalty, message: `Covers ${Math.round(coverage * 100)}% of the night.` });
    if (o.stages && own > 0 && o.stages.unspecified >= own * 0.95) {
      reasons.push({ code: 'coverage', penalty: 5, message: 'Says "asleep" without stages.' });
    }
  }
  // Amounts are only comparable over the same hours: a phone that was carried for 4 hours does
  // not "disagree" with a watch worn all day.
  const comparable = (x: OriginBucket) => {
    if (def.kind !== 'cumulative' || !ALL_DAY.has(def.id)) return true;
    const a = popcount(o.hours);
    const c = popcount(x.hours);
    return popcount(o.hours & x.hours) >= 0.75 * Math.max(a, c);
  };
  // The same test for this origin and for the others, so that when A is compared with B, B is
  // compared with A: a source whose every sample was impossible, or that counted 0, takes part
  // on neither side.
  const eligible = (x: OriginBucket) => x.samples > x.impossible && Number.isFinite(x.value) && x.value !== 0;
  const others = [...b.origins.values()].filter((x) => x.originId !== o.originId && eligible(x) && comparable(x)).map((x) => x.value);
  if (others.length && eligible(o)) {
    const ref = agreementReference(o.value, others);
    const diff = relativeDifference(o.value, ref);
    if (diff > AGREEMENT_TOLERANCE) {
      const penalty = Math.min(25, Math.round(diff * 40));
      // Just over the tolerance reads 15.1%, not a rounded "15%" the sentences call agreement.
      const pct = Math.round(diff * 100) > AGREEMENT_TOLERANCE * 100 ? Math.round(diff * 100) : Math.ceil(diff * 1000) / 10;
      reasons.push({
        code: 'agreement',
        penalty,
        message: `Differs by ${pct}% from ${others.length === 1 ? 'the other source' : `the median of ${others.length + 1} sources, its own included`}.`,
      });
    }
  }
  if (o.impossible > 0) {
    const range = def.plausible ? ` (possible: ${def.plausible[0]}–${def.plausible[1]} ${def.unit})` : '';
    reasons.push({
      code: 'impossible',
      penalty: Math.min(40, 20 + 5 * o.impossible),
      message: `${o.impossible} ${o.impossible === 1 ? 'value is' : 'values are'} physiologically impossible${range} and left out.`,
    });
  }
  if (o.duplicates > 0) {
    reasons.push({
      code: 'duplicates',
      penalty: Math.min(15, 5 + o.duplicates),
      message: `${o.duplicates} ${o.duplicates === 1 ? 'sample overlaps' : 'samples overlap'} another from the same device.`,
    });
  }
  const score = Math.max(0, 100 - reasons.reduce((a, r) => a + r.penalty, 0));
  return { score, reasons };
}

/** Days since an origin last sent data before a source counts as stale. */
export const STALE_AFTER_DAYS = 3;

/**
 * Whether a source had gone quiet by the end of a range, and how much that lowers its quality
 * there: `until` is the range's last day (day numbers). A source counts as stale when it sent
 * nothing for more than STALE_AFTER_DAYS days before min(until, today): a watch that
 * stopped syncing a week ago is marked down in this week's view. A range that ends on or before
 * the source's last day is not, however long ago that was: a 2024 month of an export imported
 * in 2026 is as good as it ever was (it used to be marked down by the export's age).
 * Penalty: 5, plus 1 per whole week quiet, at most 20.
 */
export function stalenessReason(lastDay: number, until: number, today: number): QualityReason | null {
  const end = Math.min(until, today);
  const age = end - lastDay;
  if (age <= STALE_AFTER_DAYS) return null;
  const penalty = Math.min(20, 5 + Math.floor(age / 7));
  if (end === today) return { code: 'staleness', penalty, message: `No new data for ${age} days.` };
  return { code: 'staleness', penalty, message: `No data in the last ${age} days of this range.` };
}
