// Hybrid logical clocks: hand-computed cases, then properties (fast-check) over any mix of
// local edits, received stamps and wall clocks that jump back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc, formatHlc, HlcClock, parseHlc } from './hlc';

function clockAt(device: string, wall: { now: number }): HlcClock & { saved(): string | null } {
  let saved: string | null = null;
  const c = new HlcClock(device, () => wall.now, () => saved, (s) => (saved = s));
  return Object.assign(c, { saved: () => saved });
}

describe('HLC', () => {
  it('formats to fixed-width text that sorts in time order, and parses back', () => {
    const s = formatHlc({ wall: 1_764_500_000_000, counter: 3, device: 'a1b2c3d4e5f60708' });
    // 1,764,500,000,000 = 0x19ad4654d00
    expect(s).toBe('019ad4654d00:000003:a1b2c3d4e5f60708');
    expect(parseHlc(s)).toEqual({ wall: 1_764_500_000_000, counter: 3, device: 'a1b2c3d4e5f60708' });
    expect(parseHlc('nonsense')).toBeNull();
    expect(compareHlc(formatHlc({ wall: 9, counter: 0, device: 'b' }), formatHlc({ wall: 10, counter: 0, device: 'a' }))).toBeLessThan(0);
    expect(compareHlc(formatHlc({ wall: 10, counter: 2, device: 'a' }), formatHlc({ wall: 10, counter: 10, device: 'a' }))).toBeLessThan(0);
  });

  it('counts within a millisecond, and keeps counting when the wall clock goes back', () => {
    const wall = { now: 1000 };
    const c = clockAt('a', wall);
    expect(c.tick()).toBe(formatHlc({ wall: 1000, counter: 0, device: 'a' }));
    expect(c.tick()).toBe(formatHlc({ wall: 1000, counter: 1, device: 'a' }));
    wall.now = 400; // NTP set the clock back
    expect(c.tick()).toBe(formatHlc({ wall: 1000, counter: 2, device: 'a' }));
    wall.now = 2000;
    expect(c.tick()).toBe(formatHlc({ wall: 2000, counter: 0, device: 'a' }));
  });

  it('after receiving a stamp from a computer whose clock runs ahead, the next local edit is later still', () => {
    const c = clockAt('a', { now: 1000 });
    c.tick();
    const remote = formatHlc({ wall: 5000, counter: 7, device: 'b' });
    c.observe(remote);
    const next = c.tick();
    expect(next).toBe(formatHlc({ wall: 5000, counter: 8, device: 'a' }));
    expect(compareHlc(next, remote)).toBeGreaterThan(0);
  });

  it('property: stamps one clock issues only grow, and each is later than every stamp it observed before', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('tick' as const), wall: fc.integer({ min: 0, max: 10_000 }) }),
      fc.record({ kind: fc.constant('observe' as const), wall: fc.integer({ min: 0, max: 10_000 }), counter: fc.integer({ min: 0, max: 50 }), device: fc.constantFrom('b', 'c') }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const wall = { now: 0 };
        const c = clockAt('a', wall);
        let last: string | null = null;
        let seen: string | null = null;
        for (const o of ops) {
          wall.now = o.wall;
          if (o.kind === 'observe') {
            const s = formatHlc({ wall: o.wall, counter: o.counter, device: o.device });
            c.observe(s);
            if (!seen || compareHlc(s, seen) > 0) seen = s;
            continue;
          }
          const s = c.tick();
          if (last) expect(compareHlc(s, last)).toBeGreaterThan(0);
          if (seen) expect(compareHlc(s, seen)).toBeGreaterThan(0);
          expect(parseHlc(s)!.wall).toBeGreaterThanOrEqual(o.wall);
          last = s;
        }
      }),
    );
  });

  it('property: two computers exchanging stamps in any order pick the same last writer', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ who: fc.constantFrom('a', 'b'), wall: fc.integer({ min: 0, max: 100 }), deliver: fc.boolean() }), { minLength: 1, maxLength: 40 }), (events) => {
        const walls = { a: { now: 0 }, b: { now: 0 } };
        const clocks = { a: clockAt('a', walls.a), b: clockAt('b', walls.b) };
        const stamps: string[] = [];
        for (const e of events) {
          walls[e.who].now = e.wall;
          const s = clocks[e.who].tick();
          stamps.push(s);
          if (e.deliver) clocks[e.who === 'a' ? 'b' : 'a'].observe(s);
        }
        // Each side takes the maximum of what it holds once everything arrived: the same one.
        const winnerA = [...stamps].sort(compareHlc).at(-1);
        const winnerB = [...stamps].reverse().sort(compareHlc).at(-1);
        expect(winnerA).toBe(winnerB);
        expect(new Set(stamps).size).toBe(stamps.length);
      }),
    );
  });
});
