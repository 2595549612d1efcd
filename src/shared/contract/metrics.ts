import { z } from 'zod';
import { CategoryIdSchema, MetricIdSchema } from './app';
import { channel } from './define';

/** A calendar day, YYYY-MM-DD, in the zone each sample was recorded in. */
export const DayStringSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');
export const BucketSchema = z.enum(['hour', 'day', 'week', 'month']);
export type BucketUnitName = z.infer<typeof BucketSchema>;

export const QualityReasonSchema = z.object({
  code: z.enum(['coverage', 'agreement', 'impossible', 'duplicates', 'staleness']),
  message: z.string(),
  penalty: z.number(),
});
export type QualityReason = z.infer<typeof QualityReasonSchema>;

/** Minutes per sleep stage; `inBed` is every minute some counted record covers (asleep, awake or only "in bed"). */
export const StagesSchema = z.object({ awake: z.number(), light: z.number(), deep: z.number(), rem: z.number(), unspecified: z.number(), inBed: z.number() });

/** One sleep session: a night, or a nap (any session of the day but its longest). */
export const SleepSessionSchema = z.object({
  start: z.string(),
  end: z.string(),
  asleep: z.number(),
  inBed: z.number(),
  nap: z.boolean(),
});

export const BucketSourceSchema = z.object({
  originId: z.number().int(),
  source: z.string(),
  origin: z.string(),
  /** Part of the bucket's value this origin supplied; the shares of a bucket sum to 1. */
  share: z.number(),
  /** 0–100, this origin's data quality in the bucket (average over its days). */
  quality: z.number().nullable(),
});

export const SeriesBucketSchema = z.object({
  /** YYYY-MM-DD (day, week's Monday, month's 1st) or YYYY-MM-DDTHH:00 (hour), local to the samples. */
  start: z.string(),
  value: z.number(),
  sources: z.array(BucketSourceSchema),
  /** Samples that touched the bucket but supplied nothing (overlaps, ignored sources). */
  excluded: z.number().int(),
  /** Sleep only: minutes per stage (per night on average for weeks and months). */
  stages: StagesSchema.optional(),
  /** Sleep, day buckets only: the day's sessions (each counted on the day it ends). */
  sessions: z.array(SleepSessionSchema).optional(),
  /** Readings (heart rate, weight…): the lowest and highest reading behind the value. */
  min: z.number().optional(),
  max: z.number().optional(),
});

export const LegendEntrySchema = z.object({
  originId: z.number().int(),
  source: z.string(),
  origin: z.string(),
  /** The preference key naming exactly this origin (`source:origin`). */
  key: z.string(),
  deviceKind: z.string(),
  /** Average quality over the range (with staleness), or null when it supplied nothing. */
  quality: z.number().nullable(),
  reasons: z.array(QualityReasonSchema),
  /** Part of the whole range's value it supplied. */
  share: z.number(),
  /** Days in the range on which it has data. */
  days: z.number().int(),
  /** Its last day with data for this metric (any range). */
  lastDay: z.string().nullable(),
});

export const SeriesSchema = z.object({
  metric: MetricIdSchema,
  unit: z.string(),
  bucket: BucketSchema,
  from: z.string(),
  to: z.string(),
  buckets: z.array(SeriesBucketSchema),
  legend: z.array(LegendEntrySchema),
});
export type Series = z.infer<typeof SeriesSchema>;
export type SeriesBucket = z.infer<typeof SeriesBucketSchema>;
export type LegendEntry = z.infer<typeof LegendEntrySchema>;

export const ExplainSampleSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  origin: z.string(),
  /** UTC instants, ISO. */
  start: z.string(),
  end: z.string(),
  offsetMin: z.number().int(),
  value: z.number(),
  category: z.string(),
  /** How much of its value (minutes for sleep) counted in this bucket. */
  counted: z.number(),
  /**
   * used/partial: counted (wholly or in part). overlap: a higher-priority source covered that
   * time. not-listed / fill-gaps-off: the preferences leave it out that day. impossible: outside
   * what a body can do. daily-total: a source's total for the whole day supplied it. zero-total:
   * a daily total of 0 (a device that recorded nothing). unpaired: half of a reading without its
   * other half. duplicate: the same device said it twice. duplicate-workout: another source's copy.
   */
  status: z.enum(['used', 'partial', 'overlap', 'not-listed', 'fill-gaps-off', 'impossible', 'daily-total', 'zero-total', 'unpaired', 'duplicate', 'duplicate-workout']),
});

export const ExplainSchema = z.object({
  metric: MetricIdSchema,
  unit: z.string(),
  category: CategoryIdSchema,
  bucket: BucketSchema,
  start: z.string(),
  value: z.number().nullable(),
  stages: StagesSchema.optional(),
  excluded: z.number().int(),
  sources: z.array(
    BucketSourceSchema.extend({
      key: z.string(),
      /** What it supplied to the value, and what it says on its own. */
      supplied: z.number(),
      own: z.number(),
      samples: z.number().int(),
      usedSamples: z.number().int(),
      reasons: z.array(QualityReasonSchema),
    }),
  ),
  samples: z.array(ExplainSampleSchema),
  /** All samples behind the bucket; `samples` lists at most the first 500. */
  samplesTotal: z.number().int(),
  priority: z.object({ sources: z.array(z.string()), fillGaps: z.boolean(), override: z.boolean() }),
});
export type Explain = z.infer<typeof ExplainSchema>;

export const WorkoutItemSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  origin: z.string(),
  activityType: z.string(),
  start: z.string(),
  end: z.string(),
  /** Local day it started on, YYYY-MM-DD. */
  day: z.string(),
  durationMin: z.number(),
  distanceKm: z.number().nullable(),
  energyKcal: z.number().nullable(),
  avgHeartRate: z.number().nullable(),
  /** The same session seen by other sources, counted once (this one). */
  duplicates: z.array(z.object({ id: z.number().int(), source: z.string(), origin: z.string() })),
  /**
   * Whether its minutes count in the workouts chart; when not, why: impossible (over 24 hours or
   * negative), not-listed, or fill-gaps-off (another source supplies that day).
   */
  counted: z.boolean(),
  excludedBecause: z.enum(['impossible', 'not-listed', 'fill-gaps-off']).nullable(),
});
export type WorkoutItem = z.infer<typeof WorkoutItemSchema>;

/** One workout in full: `metrics:workout`. */
export const WorkoutDetailSchema = z.object({
  /** As in the workout list (counted or why not, with its copies); for a copy, `copyOf` names the counted one. */
  workout: WorkoutItemSchema.extend({
    maxHeartRate: z.number().nullable(),
    /** The zone it was recorded in (IANA name or fixed offset) and its UTC offset in minutes at the start. */
    zone: z.string(),
    offsetMin: z.number().int(),
    copyOf: z.object({ id: z.number().int(), source: z.string(), origin: z.string() }).nullable(),
  }),
  /** Heart-rate samples inside the workout (bpm, `t` a UTC ISO instant), from one origin (`heartRateFrom`), oldest first. */
  heartRate: z.array(z.object({ t: z.string(), bpm: z.number() })),
  heartRateFrom: z.object({ source: z.string(), origin: z.string() }).nullable(),
  /** The imported route (degrees, elevation in metres, `t` a UTC ISO instant), in order; null when it has none. */
  route: z.array(z.object({ lat: z.number(), lon: z.number(), ele: z.number().nullable(), t: z.string() })).nullable(),
});
export type WorkoutDetail = z.infer<typeof WorkoutDetailSchema>;

export const MetricOverviewSchema = z.object({
  metric: MetricIdSchema,
  days: z.number().int(),
  firstDay: z.string().nullable(),
  lastDay: z.string().nullable(),
});

export const RebuildStateSchema = z.object({
  failure: z.object({ message: z.string(), metric: z.string().nullable(), at: z.number(), retryAt: z.number().nullable() }).nullable(),
  /** Samples are waiting to be merged (the charts fill as 'metrics:updated' arrives). */
  building: z.boolean(),
});

export type RebuildState = z.infer<typeof RebuildStateSchema>;

export const RebuildResultSchema = z.object({ metrics: z.number().int(), days: z.number().int(), samples: z.number().int(), ms: z.number() });

const range = { from: DayStringSchema, to: DayStringSchema };

export const metricsChannels = {
  'metrics:series': channel(
    'A metric merged across sources per hour, day, week or month, with each bucket’s source shares and excluded overlaps.',
    z.object({ metric: MetricIdSchema, ...range, bucket: BucketSchema.default('day') }).strict(),
    SeriesSchema,
  ),
  'metrics:explain': channel(
    '“Why this number?”: one bucket’s source shares, quality, excluded overlaps and the raw samples behind it.',
    z.object({ metric: MetricIdSchema, bucketStart: z.string().min(10).max(16), bucket: BucketSchema.default('day') }).strict(),
    ExplainSchema,
  ),
  'metrics:workouts': channel(
    'Workouts in a range, each counted once, with the copies other sources recorded.',
    z.object({ ...range }).strict(),
    z.array(WorkoutItemSchema),
  ),
  'metrics:workout': channel(
    'One workout: its statistics, whether it counted and why not, its heart rate and its route.',
    z.object({ id: z.number().int().positive() }).strict(),
    WorkoutDetailSchema,
  ),
  'metrics:overview': channel('For every metric with data: how many days and the first and last day.', z.object({}).strict(), z.array(MetricOverviewSchema)),
  'metrics:rebuild': channel('Rebuild every derived table from the samples.', z.object({}).strict(), RebuildResultSchema),
  'metrics:state': channel('Whether keeping the merged values up to date is failing, and why; and whether samples are waiting to be merged.', z.object({}).strict(), RebuildStateSchema),
};

/** Sent after derived tables changed for some days (the dashboard reloads). */
export const metricsEvents = {
  'metrics:updated': z.object({ metrics: z.array(z.string()), fromDay: z.string().nullable(), toDay: z.string().nullable() }),
  /** A rebuild of the merged values failed (ok false; it is retried) or works again (ok true). */
  'metrics:rebuild': z.object({ ok: z.boolean(), message: z.string().nullable(), metric: z.string().nullable() }),
};
