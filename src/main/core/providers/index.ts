// Provider adapters the sync engine can run, one folder each.
import type { ProviderAdapter } from '../sync/adapter';
import { ouraAdapter } from './oura';
import { stravaAdapter } from './strava';
import { whoopAdapter } from './whoop';
import { withingsAdapter } from './withings';

export const ADAPTERS: Record<string, ProviderAdapter> = {
  withings: withingsAdapter,
  whoop: whoopAdapter,
  oura: ouraAdapter,
  strava: stravaAdapter,
};
