import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getMetric } from './catalog';
import type { Explain } from './contract/metrics';
import { differenceSentences, excludedSentence, originLabel, priorityKeyLabel, prioritySentence, qualitySentence } from './explainWords';

const fmt = (v: number) => `${Math.round(v).toLocaleString('en-US')} steps`;

function src(over: Partial<Explain['sources'][number]> & { originId: number; source: string; origin: string }): Explain['sources'][number] {
  return { key: over.source, share: 0, quality: 100, supplied: 0, own: 0, samples: 1, usedSamples: 0, reasons: [], ...over };
}

function sample(id: number, source: string, origin: string, status: Explain['samples'][number]['status']): Explain['samples'][number] {
  return { id, source, origin, start: '2026-03-10T08:00:00.000Z', end: '2026-03-10T09:00:00.000Z', offsetMin: 60, value: 10, category: '', counted: 0, status };
}

const WATCH = 'Jane’s Apple Watch';
const PHONE = 'Jane’s iPhone';

function explain(over: Partial<Explain> = {}): Explain {
  return {
    metric: 'steps',
    unit: 'count',
    category: 'activity',
    bucket: 'day',
    start: '2026-03-10',
    value: 10_000,
    excluded: 0,
    sources: [
      src({ originId: 1, source: 'withings', origin: 'Withings', key: 'withings', share: 1, supplied: 10_000, own: 10_000, usedSamples: 1 }),
      src({ originId: 2, source: 'apple_health', origin: WATCH, key: `apple_health:${WATCH}`, own: 452, samples: 3, quality: 83 }),
    ],
    samples: [],
    samplesTotal: 0,
    priority: { sources: ['withings', 'apple_health'], fillGaps: true, override: false },
    ...over,
  };
}

describe('explain sentences', () => {
  it('names sources and origins from the catalog, never by id', () => {
    expect(originLabel({ source: 'withings', origin: 'Withings' })).toBe('Withings');
    expect(originLabel({ source: 'apple_health', origin: WATCH })).toBe(WATCH);
    expect(priorityKeyLabel('apple_health:Jane’s iPhone')).toBe('Jane’s iPhone (Apple Health)');
    expect(priorityKeyLabel('garmin')).toBe('Garmin Connect');
    expect(prioritySentence(explain())).toBe('Activity order: Withings › Apple Health; fill gaps on.');
  });

  it('says which daily total was used, what the other source counted, and why', () => {
    expect(differenceSentences(explain(), fmt)).toEqual([
      'Withings’ daily total is 10,000 steps; Jane’s Apple Watch counted 452 steps — Withings was used because it is first in your Activity order. Jane’s Apple Watch was set aside.',
    ]);
    // Not listed at all.
    expect(differenceSentences(explain({ priority: { sources: ['withings'], fillGaps: false, override: false } }), fmt)[0]).toMatch(
      /Withings was used because Jane’s Apple Watch is not in your Activity order\. Jane’s Apple Watch was set aside\.$/,
    );
    // Two devices of one source: the watch ranks before the phone.
    const e = explain({
      sources: [
        src({ originId: 2, source: 'apple_health', origin: WATCH, share: 0.8, own: 9000, usedSamples: 5 }),
        src({ originId: 3, source: 'apple_health', origin: 'Jane’s iPhone', share: 0.2, own: 4000, usedSamples: 1 }),
      ],
      priority: { sources: ['apple_health'], fillGaps: true, override: false },
    });
    expect(differenceSentences(e, fmt)).toEqual([
      'Jane’s Apple Watch’s daily total is 9,000 steps; Jane’s iPhone counted 4,000 steps — Jane’s Apple Watch was used because both come from Apple Health and its watch ranks before the phone. Jane’s iPhone filled the rest (20%).',
    ]);
    // Sources that agree within 15% still say which was used and why (500 / 10,000 = 5%).
    expect(differenceSentences(explain({ sources: [explain().sources[0], { ...explain().sources[1], own: 9_500 }] }), fmt)).toEqual([
      'Withings’ daily total is 10,000 steps; Jane’s Apple Watch counted 9,500 steps, within 15% of it — Withings was used because it is first in your Activity order. Jane’s Apple Watch was set aside.',
    ]);
  });

  it('says which source was used and why on a day its two sources agree within 15% (the trial’s 2024-07-03)', () => {
    // Watch 8,199, iPhone 7,032: 1,167 / 8,199 = 14.2%. Before, no sentence at all, while on
    // 2024-07-02 (6,179 and 4,963: 19.7%) the same two sources got one.
    const day = (watch: number, phone: number) =>
      explain({
        start: '2024-07-03',
        value: watch,
        sources: [
          src({ originId: 1, source: 'apple_health', origin: WATCH, key: `apple_health:${WATCH}`, share: 1, supplied: watch, own: watch, samples: 15, usedSamples: 15 }),
          src({ originId: 2, source: 'apple_health', origin: PHONE, key: `apple_health:${PHONE}`, own: phone, samples: 15 }),
        ],
        priority: { sources: ['apple_health', 'garmin', 'fitbit', 'oura', 'withings', 'csv'], fillGaps: true, override: false },
      });
    expect(differenceSentences(day(8199, 7032), fmt)).toEqual([
      'Jane’s Apple Watch’s daily total is 8,199 steps; Jane’s iPhone counted 7,032 steps, within 15% of it — Jane’s Apple Watch was used because both come from Apple Health and its watch ranks before the phone. Jane’s iPhone was set aside.',
    ]);
    expect(differenceSentences(day(6179, 4963), fmt)).toEqual([
      'Jane’s Apple Watch’s daily total is 6,179 steps; Jane’s iPhone counted 4,963 steps — Jane’s Apple Watch was used because both come from Apple Health and its watch ranks before the phone. Jane’s iPhone was set aside.',
    ]);
    // A night: the watch's stages make the 396 minutes asleep; the iPhone's one "in bed" sample
    // counted toward time in bed only (the trial's sleep on 2024-07-03).
    const night = explain({
      metric: 'sleep',
      category: 'sleep',
      value: 396,
      sources: [
        src({ originId: 1, source: 'apple_health', origin: WATCH, share: 1, supplied: 396, own: 396, samples: 6, usedSamples: 6 }),
        src({ originId: 2, source: 'apple_health', origin: PHONE, own: 0, samples: 1, usedSamples: 1 }),
      ],
      priority: { sources: ['apple_health'], fillGaps: true, override: false },
    });
    expect(differenceSentences(night, (v) => `${v} min`)).toEqual([
      'Jane’s Apple Watch’s daily total is 396 min; Jane’s iPhone counted 0 min — Jane’s Apple Watch was used because both come from Apple Health and its watch ranks before the phone. None of it came from Jane’s iPhone.',
    ]);
    // Exactly 15% apart is still "within" (the quality score marks down only above 15%).
    expect(differenceSentences(day(10_000, 8_500), fmt)[0]).toContain('counted 8,500 steps, within 15% of it —');
    expect(differenceSentences(day(10_000, 8_499), fmt)[0]).toContain('counted 8,499 steps — ');
  });

  it('says what lowered a quality score, with counts from the samples', () => {
    const e = explain({
      samples: [sample(1, 'apple_health', WATCH, 'duplicate'), sample(2, 'apple_health', WATCH, 'duplicate'), sample(3, 'apple_health', WATCH, 'impossible')],
      samplesTotal: 3,
    });
    const watch = {
      ...e.sources[1],
      reasons: [
        { code: 'duplicates' as const, penalty: 7, message: '2 samples overlap another from the same device.' },
        { code: 'impossible' as const, penalty: 25, message: '1 value is physiologically impossible (possible: 0–100000 count) and left out.' },
        { code: 'coverage' as const, penalty: 11, message: 'Data in 9 of 24 hours of the day (a full day has at least 14).' },
      ],
    };
    expect(qualitySentence(e, watch)).toBe(
      'Quality 83 of 100. What lowered it: 1 reading outside the plausible range (0–100000 count) left out; data in only 9 of 24 hours; 2 duplicates from the same device removed.',
    );
    expect(qualitySentence(e, e.sources[0])).toBe('Quality 100 of 100: nothing lowered it.');
    expect(qualitySentence(e, { ...e.sources[0], quality: null })).toBeNull();
    const agree = { ...watch, reasons: [{ code: 'agreement' as const, penalty: 25, message: 'Differs by 2114% from the other source.' }] };
    expect(qualitySentence(e, agree)).toBe('Quality 83 of 100. What lowered it: it differs from the other source by 2114%.');
    // Three or more sources: compared with the median of all of them (quality.ts).
    const odd = { ...watch, reasons: [{ code: 'agreement' as const, penalty: 13, message: 'Differs by 33% from the median of 3 sources, its own included.' }] };
    expect(qualitySentence(e, odd)).toBe('Quality 83 of 100. What lowered it: it differs by 33% from the median of the 3 sources.');
  });

  it('says what was left out, whose and why', () => {
    const e = explain({
      samples: [
        sample(1, 'apple_health', 'Jane’s iPhone', 'overlap'),
        sample(2, 'apple_health', 'Jane’s iPhone', 'overlap'),
        sample(3, 'withings', 'Withings', 'impossible'),
        sample(4, 'apple_health', WATCH, 'used'),
      ],
      samplesTotal: 4,
      excluded: 3,
    });
    expect(excludedSentence(e)).toBe(
      '3 samples were excluded: 2 from Jane’s iPhone overlap time a higher-priority source already covers; 1 from Withings is outside the plausible range.',
    );
    expect(excludedSentence(explain())).toBe('No samples were excluded.');
  });
});

describe('explain sentences: properties', () => {
  const WHO = [
    { source: 'apple_health', origin: WATCH },
    { source: 'apple_health', origin: PHONE },
    { source: 'withings', origin: 'Withings' },
    { source: 'oura', origin: 'Oura' },
    { source: 'garmin', origin: 'Garmin Forerunner' },
  ];
  const KEYS = ['apple_health', `apple_health:${WATCH}`, `apple_health:${PHONE}`, 'withings', 'oura', 'garmin'];
  const day = fc
    .record({
      who: fc.shuffledSubarray(WHO, { minLength: 2, maxLength: WHO.length }),
      metric: fc.constantFrom(...(['steps', 'heart_rate', 'weight', 'sleep', 'workouts'] as const)),
      bucket: fc.constantFrom('day' as const, 'week' as const, 'month' as const),
      priority: fc.shuffledSubarray(KEYS),
      fillGaps: fc.boolean(),
      own: fc.array(fc.oneof(fc.integer({ min: 0, max: 30_000 }), fc.double({ min: 0, max: 200, noNaN: true })), { minLength: WHO.length, maxLength: WHO.length }),
      weights: fc.array(fc.nat(10), { minLength: WHO.length, maxLength: WHO.length }),
      samples: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: WHO.length, maxLength: WHO.length }),
      // Samples that counted without adding to the value (a phone's "in bed" in a night).
      countedOnly: fc.array(fc.boolean(), { minLength: WHO.length, maxLength: WHO.length }),
    })
    // Some source supplied the value (with none, there is nothing to say was used).
    .filter((d) => d.weights.slice(0, d.who.length).some((w) => w > 0))
    .map((d) => {
      const total = d.weights.slice(0, d.who.length).reduce((a, b) => a + b, 0);
      return explain({
        metric: d.metric,
        category: getMetric(d.metric)!.category,
        bucket: d.bucket,
        sources: d.who.map((w, i) =>
          src({
            originId: i + 1,
            ...w,
            key: `${w.source}:${w.origin}`,
            share: d.weights[i] / total,
            own: d.own[i],
            supplied: (d.own[i] * d.weights[i]) / total,
            samples: d.samples[i],
            usedSamples: d.weights[i] > 0 ? Math.ceil(d.samples[i] / 2) : d.countedOnly[i] ? 1 : 0,
          }),
        ),
        priority: { sources: d.priority, fillGaps: d.fillGaps, override: false },
      });
    });

  it('whenever two or more sources had data, the words name the source used, and say what became of every other one', () => {
    fc.assert(
      fc.property(day, (e) => {
        const words = differenceSentences(e, fmt);
        const used = e.sources.filter((s) => s.share > 0 || s.usedSamples > 0).map(originLabel);
        // One sentence per other source, each naming the same source as the one used and why.
        expect(words).toHaveLength(e.sources.length - 1);
        const named = used.find((n) => words.every((w) => w.includes(`— ${n} was used because `)));
        expect(named).toBeDefined();
        for (const s of e.sources) {
          const name = originLabel(s);
          if (name === named) continue;
          const mine = words.filter((w) => w.includes(`; ${name} ${getMetric(e.metric)!.kind === 'discrete' ? 'measured' : 'counted'} `));
          expect(mine).toHaveLength(1);
          const end = s.share > 0 ? `${name} filled the rest \\((\\d+%|less than 1%)\\)` : s.usedSamples > 0 ? `None of it came from ${name}` : `${name} was set aside`;
          expect(mine[0]).toMatch(new RegExp(`\\. ${end}\\.$`));
        }
      }),
      { numRuns: 300 },
    );
  });
});
