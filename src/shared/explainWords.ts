// "Why this number?" in sentences a person understands: what lowered a source's quality, why
// two sources differ and which one was used, and what was left out. Pure functions over the
// metrics:explain payload; the renderer passes its own value formatter (units are display-side).
import { AGREEMENT_TOLERANCE, relativeDifference } from './agreement';
import { CATEGORY_LABELS, getMetric, getSource } from './catalog';
import type { Explain, QualityReason } from './contract/metrics';
import { parseSourceKey } from './sourceKey';

type ExplainSource = Explain['sources'][number];
type Status = Explain['samples'][number]['status'];

/** A source's name from the catalog ("withings" → "Withings"); an unknown id as it is. */
export function sourceLabel(source: string): string {
  return getSource(source)?.name ?? source;
}

/**
 * What a person calls an origin: its own name ("Jane’s Apple Watch"), or the source's name
 * when the origin only repeats it ("Withings" for withings › Withings).
 */
export function originLabel(o: { source: string; origin: string }): string {
  const name = sourceLabel(o.source);
  return !o.origin || o.origin.toLowerCase() === o.source.toLowerCase() || o.origin.toLowerCase() === name.toLowerCase() ? name : o.origin;
}

/** A priority-list key (`withings`, `apple_health:Jane’s Apple Watch`) in words: "Withings", "Jane’s Apple Watch (Apple Health)". */
export function priorityKeyLabel(key: string): string {
  const k = parseSourceKey(key);
  if (!k) return key;
  return k.origin ? `${k.origin} (${sourceLabel(k.source)})` : sourceLabel(k.source);
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Excluded samples of one origin by status, when every sample is in the payload (else null). */
function statusCounts(e: Explain, s: { source: string; origin: string }): Map<Status, number> | null {
  if (e.samplesTotal > e.samples.length) return null;
  const out = new Map<Status, number>();
  for (const x of e.samples) if (x.source === s.source && x.origin === s.origin) out.set(x.status, (out.get(x.status) ?? 0) + 1);
  return out;
}

/** The leading count in a reason's message ("2 samples overlap…"), for when the samples are not all listed. */
const firstNumber = (message: string): number | null => {
  const m = /(\d+(?:\.\d+)?)/.exec(message);
  return m ? Number(m[1]) : null;
};

/** One quality reason as a short phrase ("2 duplicates removed"). */
function reasonPhrase(e: Explain, r: QualityReason, counts: Map<Status, number> | null): string {
  const def = getMetric(e.metric);
  switch (r.code) {
    case 'duplicates': {
      const n = counts?.get('duplicate') || firstNumber(r.message) || 1;
      return `${plural(n, 'duplicate', 'duplicates')} from the same device removed`;
    }
    case 'impossible': {
      const n = counts?.get('impossible') || firstNumber(r.message) || 1;
      const range = def?.plausible ? ` (${def.plausible[0]}–${def.plausible[1]} ${def.unit})` : '';
      return `${plural(n, 'reading', 'readings')} outside the plausible range${range} left out`;
    }
    case 'coverage': {
      const hours = /Data in (\d+) of 24 hours/.exec(r.message);
      if (hours) return `data in only ${hours[1]} of 24 hours`;
      const night = /Covers (\d+)% of the night/.exec(r.message);
      if (night) return `it covers ${night[1]}% of the night`;
      if (r.message.startsWith('Says "asleep"')) return 'it says “asleep” without sleep stages';
      return lowerFirst(r.message);
    }
    case 'agreement': {
      // What it was compared with is in the message (quality.ts): the other source, or the
      // median of all the comparable sources when there are three or more.
      const pct = firstNumber(r.message);
      const median = /median of (\d+) sources/.exec(r.message);
      if (pct === null) return lowerFirst(r.message);
      return median ? `it differs by ${pct}% from the median of the ${median[1]} sources` : `it differs from the other source by ${pct}%`;
    }
    case 'staleness': {
      // quality.ts: "No new data for N days." (to today) or "No data in the last N days of this range."
      const days = firstNumber(r.message);
      return days !== null && r.message.startsWith('No new data') ? `no new data for ${days} days` : lowerFirst(r.message);
    }
  }
  return lowerFirst(r.message);
}

const lowerFirst = (t: string) => t.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase());

/**
 * "Quality 83 of 100. What lowered it: 2 duplicates from the same device removed; 1 reading outside the
 * plausible range (0–100000 count) left out." or "Quality 100: nothing lowered it." Null when the
 * source has no quality score.
 */
export function qualitySentence(e: Explain, s: ExplainSource): string | null {
  if (s.quality === null) return null;
  if (!s.reasons.length) return `Quality ${s.quality} of 100: nothing lowered it.`;
  const counts = statusCounts(e, s);
  const parts = [...s.reasons].sort((a, b) => b.penalty - a.penalty).map((r) => reasonPhrase(e, r, counts));
  const days = e.bucket === 'week' || e.bucket === 'month' ? ` (the average over the ${e.bucket}'s days)` : '';
  return `Quality ${s.quality} of 100${days}. What lowered it: ${parts.join('; ')}.`;
}

/** Where `s` stands in the bucket's priority list: its entry's index, or -1 when not listed. */
function entryIndex(e: Explain, s: { source: string; origin: string }): number {
  return e.priority.sources.findIndex((key) => {
    const k = parseSourceKey(key);
    if (!k || k.source !== s.source) return false;
    return k.origin === null || k.origin.toLowerCase().replace(/[’']/g, "'") === s.origin.toLowerCase().replace(/[’']/g, "'");
  });
}

/** Why `winner` supplied the value rather than `other`, as a clause ("because it is first in your Activity order"). */
function whyUsed(e: Explain, winner: ExplainSource, other: ExplainSource): string {
  const category = CATEGORY_LABELS[e.category];
  const w = entryIndex(e, winner);
  const o = entryIndex(e, other);
  const otherName = originLabel(other);
  if (o < 0) return `because ${otherName} is not in your ${category} order`;
  if (w >= 0 && w < o) return w === 0 ? `because it is first in your ${category} order` : `because it comes before ${otherName} in your ${category} order`;
  if (w >= 0 && w === o) return `because both come from ${sourceLabel(winner.source)} and its ${deviceWord(winner)} ranks before the ${deviceWord(other)}`;
  if (!e.priority.fillGaps) return `because fill gaps is off and it supplied the day`;
  return `because ${otherName} had no data for those hours`;
}

function deviceWord(s: ExplainSource): string {
  const n = s.origin.toLowerCase();
  if (/watch/.test(n)) return 'watch';
  if (/phone/.test(n)) return 'phone';
  if (/ring/.test(n)) return 'ring';
  return 'device';
}

/**
 * Which source supplied the value, why, and what each other source that had data said and did
 * ("Withings’ daily total is 10,000 steps; Jane’s Apple Watch counted 452 — Withings was used
 * because it is first in your Activity order. Jane’s Apple Watch was set aside."), one sentence
 * per other source. `fmt` formats a value in the metric's display unit. Every bucket where two or
 * more sources had data gets them, whether or not the values agree: a person asks "why this
 * one?" just as much when the phone counted 14% less as when it counted 25% less. A source
 * within AGREEMENT_TOLERANCE of the used one (the quality score's rule) is said to agree with it.
 */
export function differenceSentences(e: Explain, fmt: (v: number) => string): string[] {
  const contributed = (s: ExplainSource) => s.usedSamples > 0 || s.share > 0;
  const used = e.sources.filter(contributed);
  if (!used.length || e.sources.length < 2) return [];
  const winner = [...used].sort((a, b) => b.share - a.share)[0];
  const def = getMetric(e.metric);
  const amount = def?.kind === 'cumulative' || def?.kind === 'session' || def?.kind === 'sleep-stage';
  const what = amount ? (e.bucket === 'day' ? 'daily total' : `total for the ${e.bucket}`) : 'value';
  const verb = amount ? 'counted' : 'measured';
  const out: string[] = [];
  const winnerName = originLabel(winner);
  const possessive = (name: string) => (name.endsWith('s') ? `${name}’` : `${name}’s`);
  for (const s of e.sources) {
    if (s === winner || s.samples === 0) continue;
    const name = originLabel(s);
    const agrees = relativeDifference(s.own, winner.own) <= AGREEMENT_TOLERANCE;
    const close = agrees ? `, within ${Math.round(AGREEMENT_TOLERANCE * 100)}% of it` : '';
    const pct = Math.round(s.share * 100);
    // A share of the value, none of it although some samples counted (a phone's "in bed" adds
    // time in bed to a night, not minutes asleep), or nothing at all.
    const role =
      s.share > 0
        ? ` ${name} filled the rest (${pct > 0 ? `${pct}%` : 'less than 1%'}).`
        : s.usedSamples > 0
          ? ` None of it came from ${name}.`
          : ` ${name} was set aside.`;
    out.push(`${possessive(winnerName)} ${what} is ${fmt(winner.own)}; ${name} ${verb} ${fmt(s.own)}${close} — ${winnerName} was used ${whyUsed(e, winner, s)}.${role}`);
  }
  return out;
}

const STATUS_WORDS: Partial<Record<Status, [string, string]>> = {
  overlap: ['overlaps time a higher-priority source already covers', 'overlap time a higher-priority source already covers'],
  'not-listed': ['comes from a source not in your priority order', 'come from sources not in your priority order'],
  'fill-gaps-off': ['was left out because fill gaps is off', 'were left out because fill gaps is off'],
  impossible: ['is outside the plausible range', 'are outside the plausible range'],
  'daily-total': ['is replaced by a daily total from the same source', 'are replaced by a daily total from the same source'],
  'zero-total': ['is a daily total of 0 (the device recorded nothing)', 'are daily totals of 0 (the device recorded nothing)'],
  unpaired: ['is half of a reading without its other half', 'are halves of readings without their other half'],
  duplicate: ['repeats a reading from the same device', 'repeat readings from the same device'],
  'duplicate-workout': ['is the same workout recorded by another source', 'are the same workout recorded by other sources'],
};

/**
 * What was left out and why, one clause per reason with whose samples they were ("3 samples
 * were excluded: 2 from Jane’s iPhone overlap time a higher-priority source already covers;
 * 1 from Withings is outside the plausible range."), or "No samples were excluded."
 */
export function excludedSentence(e: Explain): string {
  const groups = new Map<string, { status: Status; names: Set<string>; n: number }>();
  for (const x of e.samples) {
    if (x.status === 'used' || x.status === 'partial') continue;
    const g = groups.get(x.status) ?? { status: x.status, names: new Set<string>(), n: 0 };
    g.n++;
    g.names.add(originLabel(x));
    groups.set(x.status, g);
  }
  if (!groups.size) return e.excluded > 0 ? `${plural(e.excluded, 'sample was', 'samples were')} excluded.` : 'No samples were excluded.';
  const total = [...groups.values()].reduce((a, g) => a + g.n, 0);
  const clauses = [...groups.values()]
    .sort((a, b) => b.n - a.n)
    .map((g) => {
      const words = STATUS_WORDS[g.status] ?? ['was left out', 'were left out'];
      return `${g.n} from ${[...g.names].join(' and ')} ${g.n === 1 ? words[0] : words[1]}`;
    });
  const partial = e.samplesTotal > e.samples.length ? ` (among the first ${e.samples.length} of ${e.samplesTotal} samples)` : '';
  return `${plural(total, 'sample was', 'samples were')} excluded${partial}: ${clauses.join('; ')}.`;
}

/** "Activity order: Withings › Jane’s Apple Watch (Apple Health); fill gaps on." — names, never ids. */
export function prioritySentence(e: Explain): string {
  const list = e.priority.sources.map(priorityKeyLabel).join(' › ') || 'no sources';
  return `${CATEGORY_LABELS[e.category]} order${e.priority.override ? ` (${getMetric(e.metric)?.label ?? e.metric} override)` : ''}: ${list}; fill gaps ${e.priority.fillGaps ? 'on' : 'off'}.`;
}
