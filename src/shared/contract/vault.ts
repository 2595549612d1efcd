import { z } from 'zod';
import { channel } from './define';

// Sync between a person's computers through a vault folder their own sync engine carries
// (core/vault). Every file in it is encrypted; the key lives in each computer's keychain.

const FolderSchema = z.string().min(1).max(4096);
/** A passphrase: long enough to resist guessing once Argon2id has slowed each guess down. */
const PassphraseSchema = z.string().min(8, 'A vault passphrase needs at least 8 characters.').max(1024);
const DeviceNameSchema = z.string().min(1).max(80);

export const VaultDeviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Epoch ms of the device's last write to the vault (its manifest), or null when unknown. */
  lastActiveAt: z.number().nullable(),
  /** Segments it has published, and how many of them this computer has taken in. */
  segments: z.number().int(),
  ingested: z.number().int(),
  thisDevice: z.boolean(),
  /** It left the vault: what it wrote stays for the others. */
  left: z.boolean(),
});
export type VaultDevice = z.infer<typeof VaultDeviceSchema>;

/** A segment whose deletions would remove more than a tenth of the data: it waits for the person. */
export const HeldSegmentSchema = z.object({
  device: z.string(),
  deviceName: z.string(),
  segment: z.string(),
  /** Rows the segment would delete here, and the share of this computer's rows that is. */
  deletes: z.number().int(),
  share: z.number(),
  what: z.string(),
});
export type HeldSegment = z.infer<typeof HeldSegmentSchema>;

export const VaultStatusSchema = z.object({
  /**
   * none: this computer uses no vault. active: syncing. paused: the person paused it.
   * locked: set up, but the key is not in the keychain (join again). missing: the folder is gone.
   */
  state: z.enum(['none', 'active', 'paused', 'locked', 'missing']),
  folder: z.string().nullable(),
  deviceId: z.string().nullable(),
  deviceName: z.string().nullable(),
  devices: z.array(VaultDeviceSchema),
  /** Segments of other devices seen but not taken in yet (incomplete copies, newer formats). */
  pending: z.number().int(),
  ingested: z.number().int(),
  held: z.array(HeldSegmentSchema),
  /** Epoch ms of the last sync pass that ended well. */
  lastSyncAt: z.number().nullable(),
  /** What went wrong in the last pass, in words a person can act on; null when it went well. */
  lastError: z.string().nullable(),
});
export type VaultStatus = z.infer<typeof VaultStatusSchema>;

export const VaultSyncResultSchema = z.object({
  /** Segments this computer wrote, and the samples in them. */
  published: z.number().int(),
  publishedSamples: z.number().int(),
  /** Segments of other devices taken in, and the samples they added here. */
  ingested: z.number().int(),
  ingestedSamples: z.number().int(),
  /** Intent entries (preferences, mappings, settings) taken from other devices. */
  intent: z.number().int(),
  held: z.number().int(),
  /** Segments left for later (not complete yet), each with why. */
  waiting: z.array(z.object({ device: z.string(), segment: z.string(), reason: z.string() })),
  ms: z.number(),
});
export type VaultSyncResult = z.infer<typeof VaultSyncResultSchema>;

export const vaultChannels = {
  'vault:status': channel('The vault this computer syncs through: devices seen, segments pending, held and taken in, and the last error.', z.object({}).strict(), VaultStatusSchema),
  'vault:init': channel(
    'Creates a vault in an empty (or new) folder, protected by a passphrase. Returns the recovery phrase: it is shown once and never stored.',
    z.object({ folder: FolderSchema, passphrase: PassphraseSchema, deviceName: DeviceNameSchema.optional() }).strict(),
    z.object({ recoveryPhrase: z.string(), status: VaultStatusSchema }),
  ),
  'vault:join': channel(
    'Joins the vault in a folder with its passphrase or its recovery phrase, then takes in what the other computers wrote.',
    z
      .object({ folder: FolderSchema, passphrase: z.string().min(1).max(1024).optional(), recoveryPhrase: z.string().min(1).max(1024).optional(), deviceName: DeviceNameSchema.optional() })
      .strict()
      .refine((v) => (v.passphrase === undefined) !== (v.recoveryPhrase === undefined), 'Give the vault’s passphrase or its recovery phrase (one of them).'),
    VaultStatusSchema,
  ),
  'vault:sync': channel('Writes what is new here to the vault and takes in what the other computers wrote, now.', z.object({}).strict(), VaultSyncResultSchema),
  'vault:pause': channel('Pauses (true) or resumes (false) syncing through the vault.', z.object({ paused: z.boolean() }).strict(), VaultStatusSchema),
  'vault:confirm': channel(
    'Takes in a held segment (one that deletes more than a tenth of the data) after the person confirmed it.',
    z.object({ device: z.string().min(1).max(64), segment: z.string().min(1).max(128) }).strict(),
    VaultStatusSchema,
  ),
  'vault:leave': channel(
    'Removes this computer from the vault: stops syncing and forgets the key. What it wrote stays in the vault for the other computers, and the data here stays.',
    z.object({}).strict(),
    VaultStatusSchema,
  ),
};

export const vaultEvents = {
  /** A sync pass changed something the Sync page shows. */
  'vault:changed': z.object({}),
  /** While a pass takes in or writes segments. */
  'vault:progress': z.object({ phase: z.enum(['publish', 'ingest']), done: z.number().int(), total: z.number().int() }),
};
