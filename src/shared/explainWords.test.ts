import { describe, expect, it } from 'vitest';
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
      'Withings’ daily total is 10,000 steps; Jane’s Apple Watch counted 452 steps — Withings was used because it is first in your Activity order.',
    ]);
    // Not listed at all.
    expect(differenceSentences(explain({ priority: { sources: ['withings'], fillGaps: false, override: false } }), fmt)[0]).toMatch(
      /Withings was used because Jane’s Apple Watch is not in your Activity order\.$/,
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
    // Sources that agree within 15% are not called different.
    expect(differenceSentences(explain({ sources: [explain().sources[0], { ...explain().sources[1], own: 9_500 }] }), fmt)).toEqual([]);
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
