// GPX route files of an export (workout-routes/*.gpx). Each is small next to export.xml, so it
// is read whole and scanned for <trkpt> elements.
import type { RoutePoints } from '../protocol';

const LAT = /\slat\s*=\s*["']([^"']*)["']/;
const LON = /\slon\s*=\s*["']([^"']*)["']/;

function attr(tag: string, re: RegExp): number {
  const m = re.exec(tag);
  return m ? Number(m[1]) : NaN;
}

function inner(body: string, name: string): string | null {
  const s = body.indexOf(`<${name}>`);
  if (s < 0) return null;
  const e = body.indexOf(`</${name}>`, s);
  return e < 0 ? null : body.slice(s + name.length + 2, e).trim();
}

/** Track points with a time and coordinates; points without them are counted as rejected. */
export function parseGpx(text: string): { points: RoutePoints; rejected: number } {
  const time: number[] = [];
  const lat: number[] = [];
  const lon: number[] = [];
  const ele: number[] = [];
  const speed: number[] = [];
  let rejected = 0;
  let p = 0;
  for (;;) {
    const s = text.indexOf('<trkpt', p);
    if (s < 0) break;
    const tagEnd = text.indexOf('>', s);
    if (tagEnd < 0) break;
    const tag = text.slice(s, tagEnd);
    let body = '';
    if (text[tagEnd - 1] === '/') p = tagEnd + 1;
    else {
      const close = text.indexOf('</trkpt>', tagEnd);
      body = text.slice(tagEnd + 1, close < 0 ? text.length : close);
      p = close < 0 ? text.length : close + 8;
    }
    const la = attr(tag, LAT);
    const lo = attr(tag, LON);
    const t = Date.parse(inner(body, 'time') ?? '');
    if (!Number.isFinite(la) || !Number.isFinite(lo) || !Number.isFinite(t) || Math.abs(la) > 90 || Math.abs(lo) > 180) {
      rejected++;
      continue;
    }
    time.push(t);
    lat.push(la);
    lon.push(lo);
    const e = inner(body, 'ele');
    ele.push(e === null ? NaN : Number(e));
    const sp = inner(body, 'speed');
    speed.push(sp === null ? NaN : Number(sp));
  }
  return {
    points: { time: Float64Array.from(time), lat: Float64Array.from(lat), lon: Float64Array.from(lon), ele: Float64Array.from(ele), speed: Float64Array.from(speed) },
    rejected,
  };
}
