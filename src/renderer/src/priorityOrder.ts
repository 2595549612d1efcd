// A priority list is saved whole, but Preferences shows only some of its keys (the sources with
// data; the others wait behind "Show sources without data"). These turn a change to the shown rows
// into the whole saved order.

/**
 * The whole saved order after the shown row at `from` moved to `to` (indexes into `shown`): the
 * key goes right before the shown key it passes on its way up (right after it on its way down),
 * and every other key keeps its place relative to all the rest. Swapping the two shown rows
 * MyFitnessPal and Apple Health in "Withings, Apple Health, Garmin, Fitbit, MyFitnessPal" gives
 * "Withings, MyFitnessPal, Apple Health, Garmin, Fitbit": Apple Health still ranks above Garmin
 * and Fitbit, which the person did not touch (trading the two keys' places would have put it last).
 */
export function moveShown(all: string[], shown: string[], from: number, to: number): string[] {
  if (from === to || !shown[from] || !shown[to]) return all;
  const key = shown[from];
  const passed = shown[to];
  const rest = all.filter((k) => k !== key);
  const at = rest.indexOf(passed);
  rest.splice(to < from ? at : at + 1, 0, key);
  return rest;
}

/**
 * The whole saved order after shown rows were removed or added (`before` → `after`): removed keys
 * leave, new ones go last, and every other key stays where it was.
 */
export function mergeShown(all: string[], before: string[], after: string[]): string[] {
  const removed = before.filter((k) => !after.includes(k));
  const base = all.filter((k) => !removed.includes(k));
  return [...base, ...after.filter((k) => !all.includes(k))];
}
