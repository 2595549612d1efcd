import { describe, expect, it } from 'vitest';
import { parseDuration } from './durations';

describe('parseDuration', () => {
  it('reads h:mm:ss, mm:ss and tenths, in seconds', () => {
    expect(parseDuration('0:30:05')).toBe(1805); // 30 * 60 + 5
    expect(parseDuration('6:47:25')).toBe(24445); // 6 * 3600 + 47 * 60 + 25
    expect(parseDuration('01:06:47')).toBe(4007); // 3600 + 6 * 60 + 47
    expect(parseDuration('35:20')).toBe(2120); // 35 * 60 + 20
    expect(parseDuration('75:20')).toBe(4520); // minutes past 59 without an hour part
    expect(parseDuration('00:07:43.2')).toBeCloseTo(463.2, 9); // 7 * 60 + 43.2
    expect(parseDuration('19:53,7')).toBeCloseTo(1193.7, 9); // decimal comma
    expect(parseDuration(' 12:13 ')).toBe(733); // a pace: 12 min 13 s
    expect(parseDuration('26:03:00')).toBe(93780); // a long (multi-day) time: 26 h 3 min
  });

  it('says "no value" for empty and dash cells, and NaN for text that is not a duration', () => {
    expect(parseDuration('')).toBeNull();
    expect(parseDuration('--')).toBeNull();
    for (const bad of ['abc', '1:75', '1:60:00', '1:02:60', '12', '1:2', '-0:30:00']) expect(parseDuration(bad), bad).toBeNaN();
  });
});
