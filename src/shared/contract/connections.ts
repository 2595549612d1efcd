import { z } from 'zod';
import { channel } from './define';

/** Sources connected with an account (OAuth). */
export const OAuthProviderSchema = z.enum(['withings', 'oura', 'whoop', 'strava']);
export type OAuthProvider = z.infer<typeof OAuthProviderSchema>;

export const ConnectionStatusSchema = z.enum(['not_connected', 'connected', 'syncing', 'needs_reauth', 'error', 'disconnected']);

const EndpointSummarySchema = z.object({ pages: z.number().int(), inserted: z.number().int(), duplicates: z.number().int(), replaced: z.number().int() });

export const SyncResultSchema = z.object({
  provider: z.string(),
  runId: z.number().int().nullable(),
  status: z.enum(['completed', 'failed', 'skipped']),
  inserted: z.number().int(),
  duplicates: z.number().int(),
  replaced: z.number().int(),
  endpoints: z.record(z.string(), EndpointSummarySchema),
  /** In plain words; never holds a token. */
  error: z.string().nullable(),
  connectionStatus: z.string(),
  /** The run stopped at a rate window's end with work left: the next sync continues then (epoch ms). */
  pausedUntil: z.number().optional(),
  /** What a person should know (a home time zone VitalSync assumed). */
  notes: z.array(z.string()).optional(),
});
export type SyncResult = z.infer<typeof SyncResultSchema>;

export const ConnectionInfoSchema = z.object({
  provider: OAuthProviderSchema,
  name: z.string(),
  available: z.boolean(),
  status: ConnectionStatusSchema,
  accountId: z.string().nullable(),
  lastSyncAt: z.number().nullable(),
  nextSyncAt: z.number().nullable(),
  lastError: z.string().nullable(),
  running: z.boolean(),
  /** A sign-in is waiting for the browser. */
  pending: z.boolean(),
  samples: z.number().int(),
  workouts: z.number().int(),
  /** Whether client credentials are set up, and where they come from (the secret is never sent). */
  credentials: z.object({ configured: z.boolean(), from: z.enum(['keychain', 'env', 'build']).nullable(), clientId: z.string().nullable() }),
  /** The guided setup: where to register, what to paste, which scopes. */
  setup: z.object({
    registerUrl: z.string(),
    help: z.string(),
    /** '' while a provider that needs the https bounce page has none yet. */
    redirectUri: z.string(),
    otherRedirectUris: z.array(z.string()),
    scopes: z.array(z.string()),
    /** The provider accepts only https redirects: the person hosts resources/oauth-bounce. */
    needsBounce: z.boolean(),
    bounceUrl: z.string().nullable(),
    /** Set by VITALSYNC_<PROVIDER>_BOUNCE_URL, so the page does not ask for it. */
    bounceFromEnv: z.boolean(),
  }),
  syncEveryMinutes: z.number(),
  /** The keychain could not be read; connecting will fail until it can. */
  keychainError: z.string().nullable(),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfoSchema>;

const ProviderInput = z.object({ provider: OAuthProviderSchema }).strict();

export const connectionsChannels = {
  'connections:list': channel('Every account-based source with its connection state and setup guide.', z.object({}).strict(), z.array(ConnectionInfoSchema)),
  'connections:setup': channel(
    'Store your own developer-app client id and secret for a provider in the system keychain.',
    z
      .object({
        provider: OAuthProviderSchema,
        clientId: z.string().trim().min(1).max(200),
        clientSecret: z.string().trim().min(1).max(500),
        /** Your https bounce page, for providers that accept only https redirects. */
        bounceUrl: z
          .string()
          .trim()
          .max(500)
          .regex(/^(https:\/\/[^\s]+|http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/[^\s]*)$/, 'must be an https:// address')
          .optional(),
      })
      .strict(),
    ConnectionInfoSchema,
  ),
  'connections:connect': channel(
    'Start signing in to a provider in the system browser; the answer comes back by redirect.',
    z
      .object({
        provider: OAuthProviderSchema,
        redirect: z.enum(['loopback', 'bounce', 'custom']).optional(),
        port: z.number().int().min(0).max(65_535).optional(),
      })
      .strict(),
    z.object({ provider: OAuthProviderSchema, authorizeUrl: z.string(), redirectUri: z.string(), redirect: z.string(), expiresAt: z.number(), opened: z.boolean() }),
  ),
  'connections:cancel': channel('Stop waiting for a sign-in.', ProviderInput, z.object({ cancelled: z.boolean() })),
  'connections:disconnect': channel(
    'Revoke and forget the sign-in, keeping or deleting the data it brought.',
    z.object({ provider: OAuthProviderSchema, deleteData: z.boolean() }).strict(),
    z.object({ revoked: z.boolean(), deletedSamples: z.number().int(), deletedWorkouts: z.number().int() }),
  ),
  'sync:now': channel('Sync one provider (or every connected one) now.', z.object({ provider: OAuthProviderSchema.optional() }).strict(), z.array(SyncResultSchema)),
};

export const connectionsEvents = {
  'sync:status': z.object({
    provider: z.string(),
    status: z.string(),
    lastSyncAt: z.number().nullable(),
    nextSyncAt: z.number().nullable(),
    lastError: z.string().nullable(),
    running: z.boolean(),
  }),
  'sync:progress': z.object({
    provider: z.string(),
    runId: z.number().int(),
    endpoint: z.string(),
    label: z.string(),
    pages: z.number().int(),
    inserted: z.number().int(),
    duplicates: z.number().int(),
  }),
  'oauth:finished': z.object({ provider: z.string(), ok: z.boolean(), message: z.string() }),
};
