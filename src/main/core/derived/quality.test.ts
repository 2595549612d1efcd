// The quality score's agreement check, on buckets written by hand: two sources that disagree are
// both marked down by the same amount (or neither), three or more pick out the odd one by the
// median, and nothing depends on the order the sources come in. Expected figures are worked out
// in the comments from docs/merging.md (Quality): difference = |a − b| / max(|a|, |b|), marked
// down above 15% by round(40 × difference), at most 25.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getMetric } from '../../../shared/catalog';
import type { Bucket, OriginBucket } from '../merge/resolve';
import { scoreOrigin } from './quality';

const STEPS = getMetric('steps')!;
const HEART_RATE = getMetric('heart_rate')!;
const RUNS = Number(process.env.QUALITY_PROPERTY_RUNS) || 300;

/** Bit i = local hour i: 07:00–21:59, 15 hours, a full day for coverage (14 or more). */
const DAYTIME = Array.from({ length: 15 }, (_, i) => 1 << (i + 7)).reduce((a, b) => a | b, 0);

function origin(originId: number, value: number, over: Partial<OriginBucket> = {}): OriginBucket {
  return { originId, value, samples: 15, usedSamples: 0, used: 0, hours: DAYTIME, impossible: 0, duplicates: 0, ...over };
}

function bucket(origins: OriginBucket[]): Bucket {
  return { key: 0, value: 0, excluded: 0, origins: new Map(origins.map((o) => [o.originId, o])) };
}

/** Every origin's score, by origin id. */
function scores(def = STEPS, origins: OriginBucket[]) {
  const b = bucket(origins);
  return new Map(origins.map((o) => [o.originId, scoreOrigin(def, o, b)]));
}

const agreement = (q: { reasons: { code: string; penalty: number }[] }) => q.reasons.find((r) => r.code === 'agreement')?.penalty ?? 0;

describe('quality: agreement between sources', () => {
  it('a watch at 9,338 steps and a phone at 8,058 are both left alone: they differ by 1,280 / 9,338 = 13.7%, seen from either side', () => {
    // The trial's 2024-07-31. Before, the watch was compared with the phone's 8,058
    // (1,280 / 8,058 = 15.9%: "Quality 94") and the phone with the watch's 9,338 (13.7%: 100).
    const q = scores(STEPS, [origin(1, 9338), origin(2, 8058)]);
    expect(q.get(1)).toEqual({ score: 100, reasons: [] });
    expect(q.get(2)).toEqual({ score: 100, reasons: [] });
  });

  it('two sources more than 15% apart are both marked down, by the same amount', () => {
    // The trial's 2024-07-02: 6,179 and 4,963 differ by 1,216 / 6,179 = 19.7%; round(40 × 0.197) = 8.
    const q = scores(STEPS, [origin(1, 6179), origin(2, 4963)]);
    for (const id of [1, 2]) {
      expect(q.get(id)!.score).toBe(92);
      expect(q.get(id)!.reasons).toEqual([{ code: 'agreement', penalty: 8, message: 'Differs by 20% from the other source.' }]);
    }
    // Far apart: 10,000 and 452 differ by 9,548 / 10,000 = 95.5%, capped at 25, for both.
    const far = scores(STEPS, [origin(1, 10_000), origin(2, 452)]);
    expect(agreement(far.get(1)!)).toBe(25);
    expect(far.get(2)!.reasons[0].message).toBe('Differs by 95% from the other source.');
  });

  it('just over 15% apart reads 15.1%, never a rounded 15% that the sentences call agreement', () => {
    // 10,000 and 8,496 differ by 1,504 / 10,000 = 15.04%: over the tolerance, round(40 × 0.1504) = 6.
    const q = scores(STEPS, [origin(1, 10_000), origin(2, 8496)]);
    expect(q.get(2)!.reasons).toEqual([{ code: 'agreement', penalty: 6, message: 'Differs by 15.1% from the other source.' }]);
  });

  it('with three sources, only the one that is off is marked down', () => {
    // 10,000, 10,000 and 15,000: the median of the three is 10,000. The 15,000 differs by
    // 5,000 / 15,000 = 33.3%: round(13.3) = 13. (The others' median, 12,500, would have marked
    // down the two that agree by 2,500 / 12,500 = 20%.)
    const q = scores(STEPS, [origin(1, 10_000), origin(2, 10_000), origin(3, 15_000)]);
    expect(q.get(1)).toEqual({ score: 100, reasons: [] });
    expect(q.get(2)).toEqual({ score: 100, reasons: [] });
    expect(q.get(3)).toEqual({
      score: 87,
      reasons: [{ code: 'agreement', penalty: 13, message: 'Differs by 33% from the median of 3 sources, its own included.' }],
    });
    // Readings too: 60, 62 and 80 bpm; the median is 62, the 80 differs by 18 / 80 = 22.5%: 9.
    // 60 is 2 / 62 = 3.2% from it.
    const hr = scores(HEART_RATE, [origin(1, 60), origin(2, 62), origin(3, 80)]);
    expect(agreement(hr.get(1)!)).toBe(0);
    expect(agreement(hr.get(2)!)).toBe(0);
    expect(agreement(hr.get(3)!)).toBe(9);
  });

  it('a source whose every value was impossible, or that counted 0, is compared with nobody, and nobody with it', () => {
    const q = scores(STEPS, [origin(1, 9000), origin(2, 3000, { impossible: 15 }), origin(3, 0)]);
    for (const id of [1, 2, 3]) expect(agreement(q.get(id)!)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const METRICS = [STEPS, HEART_RATE, getMetric('weight')!, getMetric('distance')!];
/** A value a source could report: mostly positive amounts, sometimes 0 or a negative one. */
const value = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: 0.5, max: 50_000, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 100) },
  { weight: 1, arbitrary: fc.double({ min: -50, max: 50, noNaN: true }) },
);
const originArb = (originId: number) =>
  fc.record({
    value,
    hours: fc.oneof(fc.constant(DAYTIME), fc.integer({ min: 0, max: 2 ** 24 - 1 })),
    samples: fc.integer({ min: 1, max: 40 }),
    impossible: fc.integer({ min: 0, max: 3 }),
    duplicates: fc.integer({ min: 0, max: 3 }),
  }).map((r) => origin(originId, r.value, { ...r, impossible: Math.min(r.impossible, r.samples) }));
const originsArb = (min: number, max: number) =>
  fc.integer({ min, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => originArb(i + 1))));

describe('quality: agreement properties', () => {
  it('on any two-source day, the agreement penalty is the same for both sources', () => {
    fc.assert(
      fc.property(fc.constantFrom(...METRICS), originsArb(2, 2), (def, origins) => {
        const q = scores(def, origins);
        expect(agreement(q.get(1)!)).toBe(agreement(q.get(2)!));
      }),
      { numRuns: RUNS },
    );
  });

  it('swapping or shuffling the order the sources come in changes no score', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...METRICS),
        originsArb(2, 6).chain((os) => fc.tuple(fc.constant(os), fc.shuffledSubarray(os, { minLength: os.length, maxLength: os.length }))),
        (def, [origins, shuffled]) => {
          const a = scores(def, origins);
          const b = scores(def, shuffled);
          for (const o of origins) expect(b.get(o.originId)).toEqual(a.get(o.originId));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a source alone never gets an agreement penalty', () => {
    fc.assert(
      fc.property(fc.constantFrom(...METRICS), originArb(1), (def, o) => {
        expect(scoreOrigin(def, o, bucket([o])).reasons.map((r) => r.code)).not.toContain('agreement');
      }),
      { numRuns: RUNS },
    );
  });
});
