import { z } from 'zod';
import { channel } from './define';

const Units = z.enum(['metric', 'imperial']);
const Theme = z.enum(['system', 'light', 'dark']);
const TimeZone = z.string().max(64);

/** Non-secret app settings, kept in config.json (electron-store's file) in the data folder. */
export const SettingsSchema = z.object({
  units: Units.default('metric'),
  theme: Theme.default('system'),
  /** IANA zone that places samples whose source gives no zone of their own; null = not set. */
  homeTimeZone: TimeZone.nullable().default(null),
  /**
   * True when VitalSync inferred homeTimeZone from imported data and the person has not
   * confirmed it. Only the core sets it to true; any settings:set of homeTimeZone clears it.
   */
  homeTimeZoneAssumed: z.boolean().default(false),
  /**
   * Whether the desktop app asks its update feed for a newer version (once a day). Off unless
   * the person turns it on: it is the only network call that does not go to a provider.
   */
  checkForUpdates: z.boolean().default(false),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const settingsChannels = {
  'settings:get': channel('The app settings (units, theme, home time zone, update checks).', z.object({}).strict(), SettingsSchema),
  'settings:set': channel(
    'Change some settings; returns all of them. Setting homeTimeZone (even to its current value) confirms it.',
    // homeTimeZoneAssumed is not here: only the core sets it.
    z
      .object({
        units: Units.optional(),
        theme: Theme.optional(),
        homeTimeZone: TimeZone.nullable().optional(),
        checkForUpdates: z.boolean().optional(),
      })
      .strict(),
    SettingsSchema,
  ),
};
