// App settings. The desktop app keeps them with electron-store; the CLI and browser mode read
// and write the same config.json, so every front door sees one set of settings.
import fs from 'node:fs';
import path from 'node:path';
import { SettingsSchema, type Settings } from '../../../shared/contract';
import { invalidInput } from '../errors';
import { canonicalZoneName } from '../time/zones';

/** What the core needs from a settings store; electron-store satisfies it too. */
export interface SettingsStore {
  get(): Settings;
  /**
   * Saves a patch and returns every setting. A patch that sets homeTimeZone without saying
   * homeTimeZoneAssumed confirms the zone (homeTimeZoneAssumed becomes false); code that
   * infers the zone passes `homeTimeZoneAssumed: true` with it.
   */
  set(patch: Partial<Settings>): Settings;
}

export const SETTINGS_FILE = 'config.json';

/** The zone as stored (its canonical IANA name); throws INVALID_INPUT for anything else. */
export function checkTimeZone(zone: string): string;
export function checkTimeZone(zone: string | null | undefined): string | null | undefined;
export function checkTimeZone(zone: string | null | undefined): string | null | undefined {
  if (zone == null) return zone;
  const canonical = canonicalZoneName(zone);
  if (!canonical) {
    throw invalidInput(`"${zone}" is not a time zone VitalSync can use. Use an IANA name such as Europe/Paris or America/Los_Angeles (abbreviations like PST or EST are ambiguous).`);
  }
  return canonical;
}

/** The settings after `patch`, checked: what every SettingsStore saves (see SettingsStore.set). */
export function applySettingsPatch(current: Settings, patch: Partial<Settings>): Settings {
  if (patch.homeTimeZone !== undefined) patch = { ...patch, homeTimeZone: checkTimeZone(patch.homeTimeZone) };
  const confirm = patch.homeTimeZone !== undefined && patch.homeTimeZoneAssumed === undefined ? { homeTimeZoneAssumed: false } : {};
  return SettingsSchema.parse({ ...current, ...patch, ...confirm });
}

/** A plain-Node store over `<dataDir>/config.json`, keeping keys it does not know (window bounds). */
export class JsonSettingsStore implements SettingsStore {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, SETTINGS_FILE);
  }

  private readRaw(): Record<string, unknown> {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      // Missing or unreadable: start from defaults rather than refuse to run.
      return {};
    }
  }

  get(): Settings {
    const raw = this.readRaw();
    const parsed = SettingsSchema.safeParse(raw);
    return parsed.success ? parsed.data : SettingsSchema.parse({});
  }

  set(patch: Partial<Settings>): Settings {
    const raw = this.readRaw();
    const next = applySettingsPatch(this.get(), patch);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    // Write-then-rename so a crash never leaves half a file.
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ ...raw, ...next }, null, '\t'));
    fs.renameSync(tmp, this.file);
    return next;
  }
}
