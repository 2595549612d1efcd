// The person's intent as last-writer-wins registers (DESIGN.md "Between the user's computers"):
// what they chose, not what was measured. Each register is one key:
//   pref:<category>     the category's priority list, fill-gaps flag and per-metric exceptions
//                       (null = the defaults);
//   csv:<header key>    a generic-CSV column mapping saved for files with that header;
//   setting:units       metric or imperial;
//   setting:homeTimeZone the confirmed home zone (an assumed one is this computer's guess and
//                       is not sent).
// Device-local settings (theme, update checks, the data folder, the window) never sync.
import type Database from 'better-sqlite3';
import { CATEGORY_IDS, type CategoryId } from '../../../shared/catalog';
import type { Settings } from '../../../shared/contract';
import type { CoreEvents } from '../events';
import { log } from '../log';
import type { Preferences } from '../preferences';
import type { SettingsStore } from '../settings';
import { compareHlc, HlcClock, parseHlc } from './hlc';

export interface IntentEntry {
  key: string;
  /** JSON text of the value; 'null' = unset. */
  value: string;
  hlc: string;
}

export interface IntentParts {
  sql: Database.Database;
  prefs: Preferences;
  settings: SettingsStore;
  events: CoreEvents;
}

/** The live value of every register on this computer, as JSON text (keys sorted, so equal values compare equal). */
export function readIntent(p: Pick<IntentParts, 'sql' | 'settings'>): Map<string, string> {
  const out = new Map<string, string>();
  const rows = p.sql.prepare('SELECT category, sources_json AS s, fill_gaps AS f, overrides_json AS o FROM preferences').all() as { category: string; s: string; f: number; o: string }[];
  const stored = new Map(rows.map((r) => [r.category, r]));
  for (const c of CATEGORY_IDS) {
    const r = stored.get(c);
    out.set(`pref:${c}`, r ? canonical({ sources: JSON.parse(r.s), fillGaps: !!r.f, overrides: JSON.parse(r.o) }) : 'null');
  }
  for (const m of p.sql.prepare('SELECT header_key AS k, header AS h, mapping_json AS j FROM csv_mappings').all() as { k: string; h: string; j: string }[]) {
    out.set(`csv:${m.k}`, canonical({ header: m.h, mapping: JSON.parse(m.j) }));
  }
  const s = p.settings.get();
  out.set('setting:units', canonical(s.units));
  if (!s.homeTimeZoneAssumed) out.set('setting:homeTimeZone', canonical(s.homeTimeZone));
  return out;
}

/**
 * Registers edited here since they were last stamped: each gets a new stamp and is saved.
 * A register never stamped whose value is still the default (null) is no edit.
 */
export function stampLocalEdits(p: Pick<IntentParts, 'sql' | 'settings'>, clock: HlcClock): IntentEntry[] {
  const saved = savedRegisters(p.sql);
  const edits: IntentEntry[] = [];
  for (const [key, value] of readIntent(p)) {
    const prev = saved.get(key);
    if (prev ? prev.value === value : value === 'null') continue;
    edits.push({ key, value, hlc: clock.tick() });
  }
  const save = p.sql.prepare('INSERT INTO vault_intent (key, value, hlc) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc');
  p.sql.transaction(() => edits.forEach((e) => save.run(e.key, e.value, e.hlc)))();
  return edits;
}

/** Every register with its stamp, as this computer last wrote or took it in (all of them go in a full intent segment). */
export function savedRegisters(sql: Database.Database): Map<string, IntentEntry> {
  const rows = sql.prepare('SELECT key, value, hlc FROM vault_intent').all() as IntentEntry[];
  return new Map(rows.map((r) => [r.key, r]));
}

/**
 * Takes in registers from another device: each one stamped later than what is saved here is
 * applied (last writer wins) and saved with its stamp. Returns how many were applied. A value
 * this version cannot apply (a source it does not know) is skipped and logged, never half-set.
 */
export function applyRemoteIntent(p: IntentParts, clock: HlcClock, entries: readonly IntentEntry[]): number {
  const saved = savedRegisters(p.sql);
  const winners = new Map<string, IntentEntry>();
  for (const e of entries) {
    clock.observe(e.hlc);
    const best = winners.get(e.key) ?? saved.get(e.key);
    if (!best || compareHlc(e.hlc, best.hlc) > 0) winners.set(e.key, e);
  }
  const save = p.sql.prepare('INSERT INTO vault_intent (key, value, hlc) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc');
  let applied = 0;
  let zoneChanged = false;
  for (const e of winners.values()) {
    try {
      if (applyOne(p, e)) applied++;
      if (e.key === 'setting:homeTimeZone') zoneChanged = true;
    } catch (err) {
      log.warn(`vault: a setting from another computer could not be applied here (${e.key.split(':')[0]}): ${err instanceof Error ? err.message : String(err)}`);
    }
    // Saved with the value as it now reads here, so it is not taken for a local edit.
    save.run(e.key, readIntent(p).get(e.key) ?? e.value, e.hlc);
  }
  if (zoneChanged) p.events.emit('data:changed', { reason: 'vault:home-zone', fromMs: null, toMs: null });
  return applied;
}

function applyOne(p: IntentParts, e: IntentEntry): boolean {
  const value: unknown = JSON.parse(e.value);
  const [kind, ...rest] = e.key.split(':');
  const name = rest.join(':');
  if (kind === 'pref') {
    if (!(CATEGORY_IDS as readonly string[]).includes(name)) return false;
    const category = name as CategoryId;
    if (value === null) p.prefs.reset(category);
    else {
      const v = value as { sources: string[]; fillGaps: boolean; overrides: Record<string, { sources: string[]; fillGaps?: boolean }> };
      p.prefs.set({ category, sources: v.sources, fillGaps: v.fillGaps, overrides: v.overrides as never });
    }
    p.events.emit('prefs:changed', { category });
    return true;
  }
  if (kind === 'csv') {
    const v = value as { header: string; mapping: unknown };
    p.sql
      .prepare('INSERT INTO csv_mappings (header_key, header, mapping_json, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(header_key) DO UPDATE SET header = excluded.header, mapping_json = excluded.mapping_json, updated_at = excluded.updated_at')
      .run(name, v.header, JSON.stringify(v.mapping), Date.now());
    return true;
  }
  if (kind === 'setting') {
    if (name === 'units' && (value === 'metric' || value === 'imperial')) {
      p.settings.set({ units: value });
      return true;
    }
    if (name === 'homeTimeZone' && (value === null || typeof value === 'string')) {
      p.settings.set({ homeTimeZone: value, homeTimeZoneAssumed: false } satisfies Partial<Settings>);
      return true;
    }
  }
  return false;
}

/** meta keys: this computer's device id in the vault, and its clock's last stamp. */
export const DEVICE_KEY = 'vault.device_id';
export const HLC_KEY = 'vault.hlc';

/** This computer's hybrid logical clock, kept in meta (so the app and the CLI share it). */
export function intentClock(sql: Database.Database, device: string, now: () => number): HlcClock {
  const get = sql.prepare('SELECT value FROM meta WHERE key = ?');
  const put = sql.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  return new HlcClock(
    device,
    now,
    () => (get.get(HLC_KEY) as { value: string } | undefined)?.value || null,
    (stamp) => void put.run(HLC_KEY, stamp),
  );
}

/**
 * Stamps what the person just changed (preferences, settings, a saved CSV mapping) when this
 * computer is in a vault: called by every front door right after such a write, so an edit is
 * stamped when it is made, not when a sync pass next runs (a computer offline for a week must
 * not override a newer choice made elsewhere). Without a vault it does nothing.
 */
export function stampIntentEdits(p: Pick<IntentParts, 'sql' | 'settings'>, now: () => number): void {
  const device = (p.sql.prepare('SELECT value FROM meta WHERE key = ?').get(DEVICE_KEY) as { value: string } | undefined)?.value;
  if (device) stampLocalEdits(p, intentClock(p.sql, device, now));
}

/** Registers this device stamped after `sent` (the last stamp it has written to the vault), to be sent. */
export function unsentEdits(sql: Database.Database, device: string, sent: string | null): IntentEntry[] {
  return [...savedRegisters(sql).values()].filter((e) => parseHlc(e.hlc)?.device === device && (sent === null || compareHlc(e.hlc, sent) > 0));
}

/** JSON with object keys sorted: the same value always gives the same text. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
