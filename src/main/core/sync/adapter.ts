import type { ProviderHttp, Timing } from './http';
import type { SampleRecord, WorkoutRecord } from './writer';
import type { OAuthProviderConfig } from '../oauth/providers';

export interface PageResult<C> {
  samples: SampleRecord[];
  workouts: WorkoutRecord[];
  /** Saved in the same transaction as the page's records. */
  cursor: C;
  /** More pages follow in this run. */
  more: boolean;
}

export interface EndpointContext {
  http: ProviderHttp;
  config: OAuthProviderConfig;
  timing: Timing;
  /** Seconds since epoch when this run started (a consistent "until" for every page). */
  runStartedSec: number;
  /** The person's home zone, for records that carry none. */
  homeZone: string;
}

/** One incremental stream of a provider (Withings measures, activity, ...). */
export interface Endpoint<C = unknown> {
  id: string;
  label: string;
  page(cursor: C | null, ctx: EndpointContext): Promise<PageResult<C>>;
}

export interface ProviderAdapter {
  provider: string;
  endpoints: Endpoint[];
}
