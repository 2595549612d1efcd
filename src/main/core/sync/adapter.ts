import type { ProviderHttp, RateLimitPolicy, Timing } from './http';
import type { SampleRecord, WorkoutRecord } from '../samples';
import type { OAuthProviderConfig } from '../oauth/providers';

export interface PageResult<C> {
  samples: SampleRecord[];
  workouts: WorkoutRecord[];
  /** Saved in the same transaction as the page's records. */
  cursor: C;
  /** More pages follow in this run. */
  more: boolean;
  /**
   * This page ends a read of everything the provider holds for the stream (a read from the
   * start, not an incremental one): the engine then drops the stream's stored samples that no
   * provider record holds any more (see Endpoint.ownsType and SampleWriter.dropUnreferenced).
   */
  complete?: boolean;
}

export interface EndpointContext {
  http: ProviderHttp;
  config: OAuthProviderConfig;
  timing: Timing;
  /** Seconds since epoch when this run started (a consistent "until" for every page). */
  runStartedSec: number;
  /**
   * The person's home zone (settings, else UTC; never this machine's zone), only to compute the
   * local midnights of a day that names no zone of its own. Such records are stored with the
   * home zone (HOME_ZONE), which is resolved when their day is computed.
   */
  homeZone: string;
}

/** One incremental stream of a provider (Withings measures, activity, ...). */
export interface Endpoint<C = unknown> {
  id: string;
  label: string;
  page(cursor: C | null, ctx: EndpointContext): Promise<PageResult<C>>;
  /**
   * For a stream whose every sample carries a provider record `ref`: the raw types it writes.
   * After a complete read, its samples of these types that no record holds are dropped.
   */
  ownsType?(rawType: string): boolean;
}

export interface ProviderAdapter {
  provider: string;
  endpoints: Endpoint[];
  /**
   * The provider's published rate-limit windows and the headers that report them (sync/http
   * RateBudget). Without it, the config's `rateLimit` is one sliding window.
   */
  rateLimits?: RateLimitPolicy;
}
