// `npm run bench:ui`: the dashboard on the 10 M-sample database (bench/.data/query-10m, made by
// `npm run bench:query`), through browser mode (`vitalsync serve`, the built app) in Chromium.
// Prints figures; it is a benchmark, not a test, and asserts nothing.
//
// What is measured, all with the page's own clock (performance.now()):
// - first chart: from navigation start to the first chart card with data-state="ready" whose
//   chart is drawn (an <svg> inside .chart) — the first chart a person sees with data;
// - dashboard settled: from navigation start to every chart card out of "loading", measured
//   like a range switch;
// - range switch, charts in view: from the click (Week, Month, Year, previous, next) until every
//   chart card in the viewport shows and has drawn the new range, plus the frame after it (what a
//   person sees);
// - range switch, every chart: from the click to the last answer of the contract calls the click
//   started (charts below the fold ask after those in view, and are drawn only once scrolled
//   to), plus the frame after it; "done" means no call in flight and none started for 50 ms;
// - per call: each /api/invoke/<channel> call's time as the page sees it (request to JSON), and
//   the server's own work for it (its Server-Timing header: reading the request to the JSON sent).
// BENCH_UI_LOADS (default 5) page loads, BENCH_UI_SWITCHES (default 30) switches.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { ROOT, startServe } from '../e2e/serve';

const DATA_DIR = process.env.BENCH_UI_DATA_DIR ?? path.join(ROOT, 'bench', '.data', 'query-10m');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LOADS = Number(process.env.BENCH_UI_LOADS ?? 5);
const SWITCHES = Number(process.env.BENCH_UI_SWITCHES ?? 30);

interface Call {
  channel: string;
  input: string;
  start: number;
  end: number | null;
  /** After the answer: the next frame and the task after it (React and the chart have drawn it). */
  drawn: number | null;
  /** The server's own time for the call (its Server-Timing header), in ms. */
  server: number | null;
}

// The page side runs in Chromium, as plain JavaScript (this file is type-checked for Node).

/** Before the page's scripts: records every contract call and the first drawn chart. */
const INSTRUMENT = `(() => {
  const bench = { calls: [], inflight: 0, firstChart: null };
  window.__bench = bench;
  const orig = window.fetch.bind(window);
  window.fetch = async (resource, init) => {
    const url = typeof resource === 'string' ? resource : resource instanceof URL ? resource.href : resource.url;
    const m = /\\/api\\/invoke\\/([\\w:-]+)/.exec(url);
    if (!m) return orig(resource, init);
    const call = { channel: m[1], input: typeof init?.body === 'string' ? init.body : '', start: performance.now(), end: null, drawn: null, server: null };
    bench.calls.push(call);
    bench.inflight++;
    try {
      const res = await orig(resource, init);
      // The caller reads the JSON next: the call is answered once its body is here.
      const text = await res.text();
      const timing = /dur=([\\d.]+)/.exec(res.headers.get('server-timing') ?? '');
      if (timing) call.server = Number(timing[1]);
      return new Response(text, { status: res.status, headers: res.headers });
    } finally {
      call.end = performance.now();
      bench.inflight--;
      requestAnimationFrame(() => setTimeout(() => (call.drawn = performance.now())));
    }
  };
  const check = () => {
    if (bench.firstChart === null && document.querySelector('[data-chart][data-state="ready"] .chart svg')) bench.firstChart = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
})();`;

/**
 * In the page: resolves once the calls from index `since` on have all been answered and drawn,
 * no chart is loading and no call started for `quietMs`; with the last call's drawn time.
 */
function settled(page: Page, since: number, quietMs = 50): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const b = window.__bench;
    let quietSince = performance.now();
    const tick = () => {
      const mine = b.calls.slice(${since});
      const busy = b.inflight > 0 || mine.length === 0 || mine.some((c) => c.drawn === null) || document.querySelector('[data-chart][data-state="loading"]');
      if (busy) quietSince = performance.now();
      if (performance.now() - quietSince >= ${quietMs}) return resolve(Math.max(0, ...mine.map((c) => c.drawn)));
      requestAnimationFrame(tick);
    };
    tick();
  })`);
}

/**
 * In the page: resolves once every chart card in the viewport shows the range it is asked for
 * (data-shown = data-range, set by MetricChart), is not loading and has drawn it (data-drawn),
 * after the next frame: what a person looking at the page sees finish. Charts further down are
 * drawn when scrolled to.
 */
function inViewUpdated(page: Page): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const tick = () => {
      const cards = [...document.querySelectorAll('[data-chart][data-range]')].filter((c) => {
        const r = c.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight;
      });
      // A card with data must have drawn it too (data-drawn, set once echarts has the option).
      const done = cards.length > 0 && cards.every((c) => c.dataset.shown === c.dataset.range && c.dataset.state !== 'loading' && (c.dataset.state !== 'ready' || c.dataset.drawn === c.dataset.range));
      if (done) return requestAnimationFrame(() => setTimeout(() => resolve(performance.now())));
      requestAnimationFrame(tick);
    };
    tick();
  })`);
}

/** In the page: clicks a range control and returns the time just before the click. */
function click(page: Page, kind: string): Promise<number> {
  return page.evaluate(`(() => {
    const kind = ${JSON.stringify(kind)};
    const buttons = [...document.querySelector('[aria-label="Time range"]').querySelectorAll('button')];
    const label = (b) => b.getAttribute('aria-label') ?? '';
    const button = kind === 'prev' ? buttons.find((b) => label(b).startsWith('Previous')) : kind === 'next' ? buttons.find((b) => label(b).startsWith('Next')) : buttons.find((b) => b.textContent.trim() === kind);
    const t = performance.now();
    button.click();
    return t;
  })()`);
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, min: s[0], median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}
const ms = (v: number) => `${v.toFixed(0).padStart(5)} ms`;
const line = (label: string, xs: number[]) => {
  const s = stats(xs);
  console.log(`${label.padEnd(44)} n=${String(s.n).padStart(3)}  min ${ms(s.min)}  median ${ms(s.median)}  p95 ${ms(s.p95)}  max ${ms(s.max)}`);
};


async function main() {
  if (!fs.existsSync(path.join(DATA_DIR, 'vitalsync.db'))) {
    console.error(`No benchmark database at ${DATA_DIR}: run "npm run bench:query" first (it seeds 10 M samples).`);
    process.exit(1);
  }
  if (!fs.existsSync(path.join(ROOT, 'out', 'main', 'cli.js'))) {
    console.error('No build: run "npm run build" first.');
    process.exit(1);
  }
  const { url, child } = await startServe(DATA_DIR, {}, 60_000);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    console.log(`Database: ${DATA_DIR}; browser mode, ${CHROMIUM} at 1440×900`);
    const firstCharts: number[] = [];
    const settles: number[] = [];
    const callTimes = new Map<string, number[]>();
    const serverTimes = new Map<string, number[]>();
    const push = (m: Map<string, number[]>, k: string, v: number) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
    const record = (calls: Call[]) => {
      for (const c of calls) {
        if (c.end !== null) push(callTimes, c.channel, c.end - c.start);
        if (c.server !== null) push(serverTimes, c.channel, c.server);
      }
    };
    let page: Page | null = null;
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addInitScript({ content: INSTRUMENT });
      page = await context.newPage();
      await page.goto(url);
      // Polled from here: a string predicate in waitForFunction would need eval, which the CSP forbids.
      for (let waited = 0; !(await page.evaluate<boolean>('window.__bench.firstChart !== null')); waited += 20) {
        if (waited > 60_000) throw new Error('No chart with data within 60 s.');
        await new Promise((r) => setTimeout(r, 20));
      }
      const settle = await settled(page, 1);
      const b = await page.evaluate<{ firstChart: number; calls: Call[] }>('({ firstChart: window.__bench.firstChart, calls: window.__bench.calls })');
      firstCharts.push(b.firstChart);
      settles.push(settle);
      record(b.calls);
      if (i === 0) console.log(`first load: ${b.calls.length} contract calls, ${await page.locator('[data-chart]').count()} chart cards, range ${await page.locator('.range-label').textContent()}`);
      if (i < LOADS - 1) await context.close();
    }
    line('first chart with data (navigation → drawn)', firstCharts);
    line('dashboard settled (navigation → all charts)', settles);
    console.log(`  (load 1 is the server's first: ${ms(firstCharts[0])} first chart, ${ms(settles[0])} settled)`);

    // Range switches on the last page: a fixed tour of the controls.
    const p = page!;
    const tour = ['Week', 'Month', 'Year', 'prev', 'prev', 'next', 'Month', 'prev', 'next', 'Week', 'prev', 'prev', 'Year', 'next', 'Month'];
    const switches: number[] = [];
    const byKind = new Map<string, number[]>();
    const callsPerSwitch: number[] = [];
    const answered: number[] = [];
    const drawing: number[] = [];
    const visibleDone: number[] = [];
    const slowest: { what: string; ms: number }[] = [];
    for (let i = 0; i < SWITCHES; i++) {
      const kind = tour[i % tour.length];
      const before = await p.evaluate<number>('window.__bench.calls.length');
      const t0 = await click(p, kind);
      const seen = inViewUpdated(p);
      const t1 = await settled(p, before);
      visibleDone.push(Math.max(0, (await seen) - t0));
      const after = await p.evaluate<Call[]>(`window.__bench.calls.slice(${before})`);
      record(after);
      callsPerSwitch.push(after.length);
      const d = Math.max(0, t1 - t0);
      switches.push(d);
      const lastAnswer = Math.max(t0, ...after.map((c) => c.end ?? t0));
      answered.push(lastAnswer - t0);
      drawing.push(Math.max(0, t1 - lastAnswer));
      (byKind.get(kind) ?? byKind.set(kind, []).get(kind)!).push(d);
      slowest.push({ what: `${kind} to ${await p.locator('.range-label').textContent()}`, ms: visibleDone[i] });
    }
    line(`range switch, charts in view (${SWITCHES} switches)`, visibleDone);
    line(`range switch, every chart`, switches);
    for (const [kind, xs] of byKind) line(`  ${kind}`, xs);
    console.log(`  slowest (charts in view): ${slowest.sort((a, b) => b.ms - a.ms).slice(0, 4).map((x) => `${x.what} ${x.ms.toFixed(0)} ms`).join('; ')}`);
    line('  of which click → last answer', answered);
    line('  of which last answer → drawn', drawing);
    console.log(`  contract calls per switch: median ${stats(callsPerSwitch).median}, max ${stats(callsPerSwitch).max}`);
    for (const [channel, xs] of [...callTimes].sort()) {
      line(`call ${channel} (as the page sees it)`, xs);
      if (serverTimes.has(channel)) line(`  of which the server's own work`, serverTimes.get(channel)!);
    }
    const fc = stats(firstCharts).median;
    const sw = stats(visibleDone).p95;
    const all = stats(switches).p95;
    console.log(
      `Targets: first charts < 1 s ${fc < 1000 ? 'MET' : 'MISSED'} (median ${ms(fc)}); range switch p95 < 200 ms, charts in view ${sw < 200 ? 'MET' : 'MISSED'} (${ms(sw)}), every chart ${all < 200 ? 'MET' : 'MISSED'} (${ms(all)})`,
    );
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
}

await main();
