// When two sources' values for the same bucket agree: one measure of difference and one
// tolerance for the quality score (core's derived/quality.ts) and for the words of "Why this
// number?" (explainWords.ts). With two or three sources they never contradict each other. With
// four or more they can say different true things: the score compares a source with the median
// of all of them, the sentences compare it with the source used ("within 15% of it").

/** Two values agree when they differ by at most this share of the larger one (docs/merging.md, Quality). */
export const AGREEMENT_TOLERANCE = 0.15;

/**
 * How far apart two values are, as a share of the larger magnitude (unitless; 0.137 = 13.7%):
 * |a − b| / max(|a|, |b|); 0 when both are 0.
 *
 * Symmetric on purpose: dividing by one side's value (as the first rule did, by the others'
 * median) made a watch at 9,338 steps "differ by 16%" from a phone at 8,058 while the phone
 * differed by 13.7% from the watch, so one of two disagreeing sources was marked down and the
 * other not. Of the symmetric choices the larger value is used rather than the mean because the
 * result reads the way a person checks it ("the smaller is 14% below the larger") and stays
 * within 0–100% for values of one sign, so a percentage such as "differs by 2114%" cannot occur.
 */
export function relativeDifference(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}
