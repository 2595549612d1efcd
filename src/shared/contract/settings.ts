import { z } from 'zod';
import { channel } from './define';

/** Non-secret app settings, kept in config.json (electron-store's file) in the data folder. */
export const SettingsSchema = z.object({
  units: z.enum(['metric', 'imperial']).default('metric'),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  /** IANA zone used to place samples whose source gives no zone; null = this machine's zone. */
  homeTimeZone: z.string().max(64).nullable().default(null),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const settingsChannels = {
  'settings:get': channel('The app settings (units, theme, home time zone).', z.object({}).strict(), SettingsSchema),
  'settings:set': channel(
    'Change some settings; returns all of them.',
    z
      .object({
        units: z.enum(['metric', 'imperial']).optional(),
        theme: z.enum(['system', 'light', 'dark']).optional(),
        homeTimeZone: z.string().max(64).nullable().optional(),
      })
      .strict(),
    SettingsSchema,
  ),
};
