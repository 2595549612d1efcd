// The database's tables (DESIGN.md "Data model"). Change a table here, then run
// `npm run db:generate` to write a migration into resources/migrations/.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Where a sample came from: a source (apple_health, withings, ...) and an origin inside it
 * (the device or app, e.g. "Jane’s Apple Watch"). `origin_key` is the normalised name
 * (apostrophes unified), so two spellings of one watch are one origin.
 */
export const origins = sqliteTable(
  'origins',
  {
    id: integer('id').primaryKey(),
    source: text('source').notNull(),
    originKey: text('origin_key').notNull(),
    name: text('name').notNull(),
    deviceKind: text('device_kind').notNull().default('unknown'),
  },
  (t) => [uniqueIndex('origins_source_key').on(t.source, t.originKey)],
);

/**
 * Time zones samples were recorded in: an IANA name (`Europe/Paris`) or a fixed offset
 * (`+09:00`) when a source gives only that. Zone id 0 is never stored here: on a sample it
 * means "the person's home zone, whatever it is now" (settings.homeTimeZone), so changing the
 * home zone re-dates those samples without re-import.
 */
export const zones = sqliteTable('zones', { id: integer('id').primaryKey(), name: text('name').notNull() }, (t) => [uniqueIndex('zones_name').on(t.name)]);

/** Device details (Apple's HKDevice string parsed into fields); id 0 means unknown. */
export const devices = sqliteTable(
  'devices',
  {
    id: integer('id').primaryKey(),
    name: text('name').notNull().default(''),
    manufacturer: text('manufacturer').notNull().default(''),
    model: text('model').notNull().default(''),
    hardware: text('hardware').notNull().default(''),
    software: text('software').notNull().default(''),
  },
  (t) => [uniqueIndex('devices_all').on(t.name, t.manufacturer, t.model, t.hardware, t.software)],
);

/**
 * A source's own type of record (HKQuantityTypeIdentifierStepCount, a Withings measure type)
 * and the canonical metric it maps to, or NULL for types VitalSync stores but does not chart.
 * `unit` is the unit samples.value is stored in: the metric's canonical unit when mapped,
 * else the source's own unit.
 */
export const sampleTypes = sqliteTable(
  'sample_types',
  {
    id: integer('id').primaryKey(),
    source: text('source').notNull(),
    rawType: text('raw_type').notNull(),
    metric: text('metric'),
    unit: text('unit').notNull().default(''),
  },
  (t) => [uniqueIndex('sample_types_source_raw').on(t.source, t.rawType, t.unit), index('sample_types_metric').on(t.metric)],
);

/**
 * Raw, immutable facts. Everything else is derived from them. Every column of the natural
 * key is NOT NULL, because SQLite's UNIQUE treats NULLs as distinct and would let duplicates in.
 */
export const samples = sqliteTable(
  'samples',
  {
    id: integer('id').primaryKey(),
    typeId: integer('type_id')
      .notNull()
      .references(() => sampleTypes.id),
    originId: integer('origin_id')
      .notNull()
      .references(() => origins.id),
    /** devices.id, or 0 when the source names no device. */
    deviceId: integer('device_id').notNull().default(0),
    startMs: integer('start_ms').notNull(),
    endMs: integer('end_ms').notNull(),
    /** zones.id of the place it was recorded (decides its local day); 0 = the home zone. */
    zoneId: integer('zone_id').notNull().default(0),
    /** Where the zone came from: core/time/zones ZONE_SRC (0 home, 1 the record's own zone, 2 provider field, 3 offset only). */
    zoneSrc: integer('zone_src').notNull().default(0),
    /**
     * Grain: NULL for an interval measurement; for a total the source keeps per named local
     * date (Withings' day, Apple's ActivitySummary), that date as an epoch day. Such a row is
     * never sliced into hours, and a revision of the same (type, origin, day) replaces it (or,
     * for a provider record, a revision of that record).
     */
    day: integer('day'),
    /** Quantity in sample_types.unit; 0 for category samples. */
    value: real('value').notNull(),
    /** Category value (a sleep stage such as `deep`, or a source's raw category); '' for quantities. */
    category: text('category').notNull().default(''),
    /** The import job or sync run that brought it: `import:<id>` / `sync:<id>`. */
    batch: text('batch').notNull(),
  },
  // One index serves both deduplication (the natural key) and every chart query (type, then
  // time): a second (type, start) index cost a fifth of import time and a sixth of the file.
  (t) => [
    uniqueIndex('samples_type_start_key').on(t.typeId, t.startMs, t.originId, t.endMs, t.value, t.category),
    // Not unique: two provider records (a night and a nap) may each give a total for one date;
    // core/samples replaces a day's row by the day rule, or by its record when it has one.
    index('samples_day').on(t.typeId, t.originId, t.day).where(sql`day IS NOT NULL`),
  ],
);

/**
 * Which provider record a sample is part of (a Withings measure group `meas:401`, a night
 * `sleep:9201`), written by core/samples. A later version of the record replaces the earlier
 * one: its rows that are no longer in it are deleted, new ones inserted (samples are never
 * updated in place). `version` is the record's own (Withings' `modified`), so an older copy
 * arriving late never replaces a newer one. Most samples have no ref.
 */
export const sampleRefs = sqliteTable(
  'sample_refs',
  {
    sampleId: integer('sample_id')
      .primaryKey()
      .references(() => samples.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
    ref: text('ref').notNull(),
    version: integer('version').notNull().default(0),
  },
  (t) => [index('sample_refs_ref').on(t.source, t.ref)],
);

/** Metadata of a sample (Apple's MetadataEntry, HRV beat lists), as JSON; most samples have none. */
export const sampleDetails = sqliteTable('sample_details', {
  sampleId: integer('sample_id')
    .primaryKey()
    .references(() => samples.id, { onDelete: 'cascade' }),
  json: text('json').notNull(),
});

/**
 * Metadata shared by many samples, stored once (a heart-rate motion context, HKWasUserEntered:
 * millions of samples carry one of a handful of sets). Per-sample details stay in sample_details.
 */
export const detailSets = sqliteTable('detail_sets', { id: integer('id').primaryKey(), json: text('json').notNull() }, (t) => [uniqueIndex('detail_sets_json').on(t.json)]);

/** Which shared metadata set a sample carries (most carry none). */
export const sampleDetailSets = sqliteTable('sample_detail_sets', {
  sampleId: integer('sample_id')
    .primaryKey()
    .references(() => samples.id, { onDelete: 'cascade' }),
  setId: integer('set_id').notNull(),
});

export const workouts = sqliteTable(
  'workouts',
  {
    id: integer('id').primaryKey(),
    originId: integer('origin_id')
      .notNull()
      .references(() => origins.id),
    deviceId: integer('device_id').notNull().default(0),
    activityType: text('activity_type').notNull(),
    startMs: integer('start_ms').notNull(),
    endMs: integer('end_ms').notNull(),
    /** As samples.zone_id / zone_src. */
    zoneId: integer('zone_id').notNull().default(0),
    zoneSrc: integer('zone_src').notNull().default(0),
    durationS: real('duration_s').notNull(),
    distanceKm: real('distance_km'),
    energyKcal: real('energy_kcal'),
    avgHeartRate: real('avg_heart_rate'),
    maxHeartRate: real('max_heart_rate'),
    /** Everything else the source said (statistics, events, activities, metadata), as JSON. */
    detailsJson: text('details_json').notNull().default('{}'),
    batch: text('batch').notNull(),
  },
  (t) => [uniqueIndex('workouts_natural_key').on(t.originId, t.activityType, t.startMs, t.endMs), index('workouts_start').on(t.startMs)],
);

/** Route points of a workout (from GPX files or old inline <Location> elements). */
export const routePoints = sqliteTable(
  'route_points',
  {
    workoutId: integer('workout_id')
      .notNull()
      .references(() => workouts.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    timeMs: integer('time_ms').notNull(),
    lat: real('lat').notNull(),
    lon: real('lon').notNull(),
    elevationM: real('elevation_m'),
    speedMps: real('speed_mps'),
  },
  (t) => [primaryKey({ columns: [t.workoutId, t.seq] })],
);

/** One per connected provider account. Tokens never live here: they are in the OS keychain. */
export const connections = sqliteTable(
  'connections',
  {
    id: integer('id').primaryKey(),
    provider: text('provider').notNull(),
    accountId: text('account_id').notNull().default(''),
    status: text('status', { enum: ['connected', 'syncing', 'needs_reauth', 'error', 'disconnected'] }).notNull(),
    scopes: text('scopes').notNull().default(''),
    lastSyncAt: integer('last_sync_at'),
    nextSyncAt: integer('next_sync_at'),
    /** Per-endpoint incremental cursors, JSON object. */
    cursorsJson: text('cursors_json').notNull().default('{}'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('connections_provider_account').on(t.provider, t.accountId)],
);

/** Per category: the ordered source keys, the fill-gaps flag, and per-metric overrides (JSON). */
export const preferences = sqliteTable('preferences', {
  category: text('category').primaryKey(),
  sourcesJson: text('sources_json').notNull(),
  fillGaps: integer('fill_gaps', { mode: 'boolean' }).notNull(),
  overridesJson: text('overrides_json').notNull().default('{}'),
  updatedAt: integer('updated_at').notNull(),
});

export const importJobs = sqliteTable('import_jobs', {
  id: integer('id').primaryKey(),
  kind: text('kind').notNull(),
  path: text('path').notNull(),
  /** A fingerprint of the input (size + head hash) so re-running a job finds it again. */
  fingerprint: text('fingerprint').notNull().default(''),
  status: text('status', { enum: ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'] }).notNull(),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at'),
  bytesTotal: integer('bytes_total').notNull().default(0),
  bytesRead: integer('bytes_read').notNull().default(0),
  /** Counts (inserted, duplicates, rejected, by type) and resumable state, JSON. */
  summaryJson: text('summary_json').notNull().default('{}'),
  error: text('error'),
});

export const syncRuns = sqliteTable(
  'sync_runs',
  {
    id: integer('id').primaryKey(),
    connectionId: integer('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    trigger: text('trigger').notNull(),
    status: text('status', { enum: ['running', 'completed', 'failed', 'cancelled'] }).notNull(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    summaryJson: text('summary_json').notNull().default('{}'),
    error: text('error'),
  },
  (t) => [index('sync_runs_connection').on(t.connectionId, t.startedAt)],
);

/** Small key/value facts about the database itself (schema notes, last rebuild). */
/**
 * Generic CSV column mappings the person confirmed, keyed by the file's header (core/imports/
 * generic-csv): a file with the same header is offered the same mapping again.
 */
export const csvMappings = sqliteTable('csv_mappings', {
  headerKey: text('header_key').primaryKey(),
  header: text('header').notNull(),
  mappingJson: text('mapping_json').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull().default(sql`''`),
});

/**
 * Samples per origin among those with id <= meta `sample_count_max_id`, kept by core/status
 * (a full count is seconds at 10 M samples) and by a delete trigger (migration 0005).
 */
export const sampleCountCache = sqliteTable('sample_count_cache', {
  originId: integer('origin_id').primaryKey(),
  n: integer('n').notNull(),
});

// Derived tables (DESIGN.md "Data model"): rebuilt from samples by core/derived, never the
// only copy of anything. `day` is a local epoch day (days since 1970-01-01 in the zone the
// sample was recorded in), so a trip across time zones never moves old days.

/** Each origin's own daily value of a metric, before merging (what the origin alone says). */
export const derivedSourceDaily = sqliteTable(
  'derived_source_daily',
  {
    metric: text('metric').notNull(),
    day: integer('day').notNull(),
    originId: integer('origin_id').notNull(),
    value: real('value').notNull(),
    samples: integer('samples').notNull(),
    /** Quality 0..100 of this origin's data that day (staleness is added when read). */
    quality: integer('quality').notNull(),
    /** Why the quality is what it is: [{code, message, penalty}] as JSON. */
    reasonsJson: text('reasons_json').notNull().default('[]'),
  },
  (t) => [primaryKey({ columns: [t.metric, t.day, t.originId] })],
);

/** The merged daily value of a metric with its provenance (origin shares, excluded overlaps). */
export const derivedDaily = sqliteTable(
  'derived_daily',
  {
    metric: text('metric').notNull(),
    day: integer('day').notNull(),
    value: real('value').notNull(),
    /** [{o: origin id, v: value supplied, n: samples used}] as JSON. */
    sourcesJson: text('sources_json').notNull(),
    excluded: integer('excluded').notNull(),
    /** Sleep only: minutes per stage {awake, light, deep, rem, unspecified, inBed}. */
    stagesJson: text('stages_json'),
    /** Extra facts of the day as JSON: discrete {min, max}; sleep {sessions: [...]}. */
    extraJson: text('extra_json'),
  },
  (t) => [primaryKey({ columns: [t.metric, t.day] })],
);

/** Per metric: the fingerprint of the preferences the resolved rows were built with. */
export const derivedState = sqliteTable('derived_state', {
  metric: text('metric').primaryKey(),
  prefsHash: text('prefs_hash').notNull(),
  builtAt: integer('built_at').notNull(),
});

// The vault (core/vault): sync between a person's computers through a folder their sync
// engine carries. These tables are this computer's own bookkeeping; none of them syncs.

/**
 * Deletions the vault must carry to the other computers (a source's data deleted on
 * disconnect). Written by core/samples deleteSourceData whether or not a vault is in use;
 * the vault publishes those above its mark as tombstones.
 */
export const vaultTombstones = sqliteTable('vault_tombstones', {
  id: integer('id').primaryKey(),
  kind: text('kind', { enum: ['source'] }).notNull(),
  source: text('source').notNull(),
  at: integer('at').notNull(),
});

/**
 * The latest deletion of each source's data, made here or taken in from another computer
 * (epoch ms). A row of that source written before it (its batch's time, vault/batchTime.ts)
 * and arriving later through the vault is not stored again: a computer that had not heard of
 * the deletion yet must not bring the deleted data back.
 */
export const sourceDeletions = sqliteTable('source_deletions', {
  source: text('source').primaryKey(),
  at: integer('at').notNull(),
});

/**
 * Every vault segment this computer wrote (`device` = this device) or took in, held or
 * refused. A segment is taken in and noted here in one transaction, so a crash mid-ingest
 * leaves it either wholly in or not at all.
 */
export const vaultSegments = sqliteTable(
  'vault_segments',
  {
    device: text('device').notNull(),
    /** The file's content hash (its name in the vault, without the extension). */
    segment: text('segment').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind', { enum: ['data', 'intent'] }).notNull(),
    status: text('status', { enum: ['published', 'ingested', 'held'] }).notNull(),
    /** Samples, workouts and route points it holds. */
    records: integer('records').notNull().default(0),
    /** Size of the encrypted file (this device's segments: its manifest is rebuilt from these rows). */
    bytes: integer('bytes').notNull().default(0),
    /** Epoch ms its device wrote it: a tombstone deletes only rows written before it. */
    createdAt: integer('created_at').notNull().default(0),
    /** Held: rows its tombstones would delete here, and what they are in words. */
    deletes: integer('deletes').notNull().default(0),
    note: text('note').notNull().default(''),
    /** Epoch ms it was written or taken in here. */
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.device, t.segment] }), index('vault_segments_seq').on(t.device, t.seq)],
);

/**
 * The person's intent (preferences, CSV mappings, home zone, units) as last-writer-wins
 * registers: each key's value as applied here and the hybrid logical clock of the write that
 * set it. A local edit is found by comparing the live value with `value`.
 */
export const vaultIntent = sqliteTable('vault_intent', {
  key: text('key').primaryKey(),
  /** JSON of the value; 'null' = unset (the default). */
  value: text('value').notNull(),
  hlc: text('hlc').notNull(),
});
