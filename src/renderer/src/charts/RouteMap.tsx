// A workout's route drawn as an SVG path from its own points: no map tiles, nothing fetched.
// Latitude and longitude are projected equirectangularly around the route's middle latitude
// (a degree of longitude shrinks by cos(latitude)), so the shape keeps its true aspect.

export interface RoutePoint {
  /** Degrees. */
  lat: number;
  lon: number;
}

/** Points (degrees) to SVG coordinates inside width × height (pixels), aspect kept, centred, `pad` px margin; y grows southwards. */
export function projectRoute(points: RoutePoint[], width: number, height: number, pad = 12): { x: number; y: number }[] {
  if (!points.length) return [];
  const lat0 = ((Math.min(...points.map((p) => p.lat)) + Math.max(...points.map((p) => p.lat))) / 2) * (Math.PI / 180);
  const k = Math.cos(lat0);
  const xs = points.map((p) => p.lon * k);
  const ys = points.map((p) => -p.lat);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const spanX = Math.max(...xs) - minX;
  const spanY = Math.max(...ys) - minY;
  const scale = Math.min((width - 2 * pad) / (spanX || 1e-9), (height - 2 * pad) / (spanY || 1e-9));
  const offX = (width - spanX * scale) / 2;
  const offY = (height - spanY * scale) / 2;
  return xs.map((x, i) => ({ x: round((x - minX) * scale + offX), y: round((ys[i] - minY) * scale + offY) }));
}

const round = (v: number) => Math.round(v * 10) / 10;

export function RouteMap({ points, width = 360, height = 240 }: { points: RoutePoint[]; width?: number; height?: number }) {
  const xy = projectRoute(points, width, height);
  if (!xy.length) return null;
  const d = xy.map((p, i) => `${i ? 'L' : 'M'}${p.x} ${p.y}`).join(' ');
  const start = xy[0];
  const end = xy[xy.length - 1];
  return (
    <svg className="route-map" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Route of ${points.length} points, drawn from the workout's own GPS points (no map). Start marked with a circle, end with a square.`} data-points={points.length}>
      <path className="route-line" d={d} fill="none" />
      <circle className="route-start" cx={start.x} cy={start.y} r={6}>
        <title>Start</title>
      </circle>
      <rect className="route-end" x={end.x - 5} y={end.y - 5} width={10} height={10}>
        <title>End</title>
      </rect>
    </svg>
  );
}
