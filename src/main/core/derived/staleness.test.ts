// Staleness: a source that went quiet before the end of the range a person looks at is marked
// down in that range's legend; a range that ends before its last day is not, however old (an
// export imported long after its data was recorded). The machine's zone is Tokyo on purpose.
process.env.TZ = 'Asia/Tokyo';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Series } from '../../../shared/contract';
import { dispatch } from '../dispatch';
import { insertSamples, type TestSample } from '../test/samples';
import { tempCore } from '../test/tempCore';
import { stalenessReason } from './quality';

describe('stalenessReason (day numbers)', () => {
  it('is nothing while the range ends on or before the source’s last day, or within 3 days after it', () => {
    expect(stalenessReason(100, 100, 952)).toBeNull();
    expect(stalenessReason(100, 90, 952)).toBeNull();
    expect(stalenessReason(100, 103, 952)).toBeNull();
    expect(stalenessReason(100, 103, 103)).toBeNull();
  });

  it('counts the quiet days to the range’s end, or to today when the range runs past it: 5, plus 1 a week, at most 20', () => {
    expect(stalenessReason(100, 110, 952)).toEqual({ code: 'staleness', penalty: 6, message: 'No data in the last 10 days of this range.' });
    expect(stalenessReason(100, 104, 104)).toEqual({ code: 'staleness', penalty: 5, message: 'No new data for 4 days.' });
    expect(stalenessReason(100, 2000, 952)).toEqual({ code: 'staleness', penalty: 20, message: 'No new data for 852 days.' });
  });
});

describe('the legend’s quality of a source that went quiet', () => {
  let core: ReturnType<typeof tempCore>;
  // Today is 30 November 2026; the Watch's steps are from July 2024 (an export imported late).
  beforeEach(async () => {
    core = tempCore({ clock: () => Date.parse('2026-11-30T12:00:00Z') });
    core.settings.set({ homeTimeZone: 'UTC' });
    const days: TestSample[] = [];
    for (let d = 1; d <= 31; d++) {
      const day = `2024-07-${String(d).padStart(2, '0')}`;
      days.push({ source: 'apple_health', origin: 'Jane’s Apple Watch', deviceKind: 'watch', metric: 'steps', start: `${day}T08:00:00Z`, end: `${day}T08:30:00Z`, value: 1000 });
    }
    insertSamples(core, days);
  });
  afterEach(() => core.cleanup());

  const legendOf = async (from: string, to: string) => {
    const res = await dispatch(core.handlers, 'metrics:series', { metric: 'steps', from, to });
    if (!res.ok) throw new Error(res.error.message);
    return (res.value as Series).legend[0];
  };

  it('is the days’ own quality in July 2024, two years later: the export’s age lowers nothing', async () => {
    // One hour of 24 with data: coverage 1/14, so each day is 100 − round(30 × 13/14) = 72.
    const july = await legendOf('2024-07-01', '2024-07-31');
    expect(july.quality).toBe(72);
    expect(july.reasons.map((r) => r.code)).toEqual(['coverage']);
  });

  it('is marked down in a range that runs on past the source’s last day, by the quiet days in it', async () => {
    // 15 July to 13 August: nothing after 31 July, 13 quiet days: 72 − (5 + 1) = 66.
    const range = await legendOf('2024-07-15', '2024-08-13');
    expect(range.quality).toBe(66);
    expect(range.reasons.find((r) => r.code === 'staleness')?.message).toBe('No data in the last 13 days of this range.');
  });
});
