// The loader hook of traceLoads.mjs (runs on the loader thread).
import fs from 'node:fs';

export async function load(url, context, nextLoad) {
  if (process.env.VITALSYNC_TRACE_LOADS) fs.appendFileSync(process.env.VITALSYNC_TRACE_LOADS, `${url}\n`);
  return nextLoad(url, context);
}
