import { describe, expect, it } from 'vitest';
import { startUpdateChecks } from './updates';

function fakeTimers() {
  const fns: (() => void)[] = [];
  return { fns, timers: { setInterval: (fn: () => void) => fns.push(fn), clearInterval: () => fns.splice(0) }, fire: () => fns.forEach((f) => f()) };
}

describe('update checks', () => {
  it('with the setting off (the default), no check is ever made, however long the app runs', async () => {
    let checks = 0;
    let t = 0;
    const clock = fakeTimers();
    const updates = startUpdateChecks({ enabled: () => false, feedConfigured: true, check: async () => void checks++, now: () => t, timers: clock.timers });
    for (let hour = 0; hour < 24 * 30; hour++) {
      t += 60 * 60_000;
      clock.fire();
      await updates.poke();
    }
    expect(checks).toBe(0);
    updates.stop();
  });

  it('with the setting on, checks at start and then at most once a day', async () => {
    let checks = 0;
    let t = 0;
    const clock = fakeTimers();
    const updates = startUpdateChecks({ enabled: () => true, feedConfigured: true, check: async () => void checks++, now: () => t, timers: clock.timers });
    await updates.poke();
    expect(checks).toBe(1);
    for (let hour = 1; hour <= 48; hour++) {
      t = hour * 60 * 60_000;
      clock.fire();
      await updates.poke();
    }
    expect(checks).toBe(3);
    updates.stop();
  });

  it('turning the setting on takes effect at the next look; a build without a feed never checks', async () => {
    let on = false;
    let checks = 0;
    const clock = fakeTimers();
    const updates = startUpdateChecks({ enabled: () => on, feedConfigured: true, check: async () => void checks++, timers: clock.timers });
    expect(checks).toBe(0);
    on = true;
    await updates.poke();
    expect(checks).toBe(1);
    const noFeed = startUpdateChecks({ enabled: () => true, feedConfigured: false, check: async () => void checks++, timers: clock.timers });
    await noFeed.poke();
    expect(checks).toBe(1);
  });

  it('a failed check is logged and does not stop later ones', async () => {
    let t = 0;
    let calls = 0;
    const clock = fakeTimers();
    const updates = startUpdateChecks({
      enabled: () => true,
      feedConfigured: true,
      check: async () => {
        calls++;
        throw new Error('offline');
      },
      now: () => t,
      timers: clock.timers,
    });
    await updates.poke();
    t += 25 * 60 * 60_000;
    await updates.poke();
    expect(calls).toBe(2);
  });
});
