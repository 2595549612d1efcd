// Reordering the shown rows of a priority list saves the whole order without moving the hidden
// keys past one another (a new user's trial: moving MyFitnessPal up put Apple Health last).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeShown, moveShown } from './priorityOrder';

const BODY = ['withings', 'apple_health', 'garmin', 'fitbit', 'cronometer', 'myfitnesspal'];

describe('moveShown', () => {
  it('moving MyFitnessPal up past Apple Health puts it right before Apple Health; the rest keep their order', () => {
    expect(moveShown(BODY, ['apple_health', 'myfitnesspal'], 1, 0)).toEqual(['withings', 'myfitnesspal', 'apple_health', 'garmin', 'fitbit', 'cronometer']);
  });

  it('moving Apple Health down past MyFitnessPal puts it right after MyFitnessPal', () => {
    expect(moveShown(BODY, ['apple_health', 'myfitnesspal'], 0, 1)).toEqual(['withings', 'garmin', 'fitbit', 'cronometer', 'myfitnesspal', 'apple_health']);
  });

  it('a drag across several shown rows lands next to the row dropped on', () => {
    expect(moveShown(BODY, ['withings', 'apple_health', 'fitbit', 'myfitnesspal'], 3, 1)).toEqual(['withings', 'myfitnesspal', 'apple_health', 'garmin', 'fitbit', 'cronometer']);
  });

  it('for any order and any shown subset: the shown rows read as moved, and every other key keeps its relative order', () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    fc.assert(
      fc.property(
        fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }),
        fc.func(fc.boolean()),
        fc.nat(),
        fc.nat(),
        (all, isShown, x, y) => {
          const shown = all.filter((k) => isShown(k));
          fc.pre(shown.length >= 2);
          const from = x % shown.length;
          const to = y % shown.length;
          const next = moveShown(all, shown, from, to);
          const key = shown[from];
          const expectedShown = [...shown];
          expectedShown.splice(to, 0, ...expectedShown.splice(from, 1));
          expect(next.filter((k) => shown.includes(k))).toEqual(expectedShown);
          expect(next.filter((k) => k !== key)).toEqual(all.filter((k) => k !== key));
          expect([...next].sort()).toEqual([...all].sort());
        },
      ),
    );
  });
});

describe('mergeShown', () => {
  it('a removed row leaves, an added one goes last, hidden keys stay put', () => {
    expect(mergeShown(BODY, ['apple_health', 'myfitnesspal'], ['myfitnesspal'])).toEqual(['withings', 'garmin', 'fitbit', 'cronometer', 'myfitnesspal']);
    expect(mergeShown(['withings', 'apple_health'], ['apple_health'], ['apple_health', 'oura'])).toEqual(['withings', 'apple_health', 'oura']);
  });
});
