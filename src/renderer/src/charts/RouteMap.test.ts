import { describe, expect, it } from 'vitest';
import { projectRoute } from './RouteMap';

describe('projectRoute', () => {
  it('keeps the aspect: a square of ground near 60° north (twice as many degrees of longitude) stays square, centred', () => {
    // 0.01° of latitude ≈ 1.11 km; at 60° N, 0.02° of longitude ≈ 1.11 km.
    const xy = projectRoute(
      [
        { lat: 60, lon: 10 },
        { lat: 60, lon: 10.02 },
        { lat: 60.01, lon: 10.02 },
        { lat: 60.01, lon: 10 },
      ],
      300,
      200,
      10,
    );
    const w = Math.max(...xy.map((p) => p.x)) - Math.min(...xy.map((p) => p.x));
    const h = Math.max(...xy.map((p) => p.y)) - Math.min(...xy.map((p) => p.y));
    expect(w / h).toBeCloseTo(1, 1);
    expect(h).toBeCloseTo(180, 0);
    expect(Math.min(...xy.map((p) => p.x))).toBeCloseTo(60, 0);
    // North is up: the first point (south) is below the third (north).
    expect(xy[0].y).toBeGreaterThan(xy[2].y);
  });

  it('draws one point in the middle and nothing for no points', () => {
    expect(projectRoute([{ lat: 1, lon: 2 }], 100, 50)).toEqual([{ x: 50, y: 25 }]);
    expect(projectRoute([], 100, 50)).toEqual([]);
  });
});
