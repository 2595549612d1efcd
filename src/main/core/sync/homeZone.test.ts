// A person who only connects cloud sources never imports an Apple Health export: with no home
// zone set, the zones a provider's records name say where they live, and the sync says so.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startEmulator, type ProviderEmulator } from '../../../../e2e/emulator/server';
import { connectWithings, emulatedCore } from './test-helpers';

let emu: ProviderEmulator;
let env: ReturnType<typeof emulatedCore>;
beforeEach(async () => {
  emu = await startEmulator();
  env = emulatedCore(emu);
});
afterEach(async () => {
  await env.cleanup();
  await emu.close();
});

it('with no home zone set, the first sync assumes the zone its records name and says so', async () => {
  expect(env.core.settings.get().homeTimeZone).toBeNull();
  await connectWithings(env.core);
  const [run] = await env.core.connections.syncNow('withings');
  expect(run.status).toBe('completed');
  expect(env.core.settings.get()).toMatchObject({ homeTimeZone: 'Europe/Paris', homeTimeZoneAssumed: true });
  expect(run.notes).toEqual([expect.stringContaining('No home time zone was set: VitalSync assumed Europe/Paris (from the time zones recorded with the samples in your Withings data)')]);
  // A zone the person set is never replaced.
  env.core.settings.set({ homeTimeZone: 'Asia/Tokyo' });
  const [again] = await env.core.connections.syncNow('withings');
  expect(again.notes).toBeUndefined();
  expect(env.core.settings.get().homeTimeZone).toBe('Asia/Tokyo');
});
