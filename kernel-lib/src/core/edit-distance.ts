/**
 * Levenshtein distance between two strings, giving up (returning `limit + 1`) once it exceeds
 * `limit`: "did you mean" hints for keywords, and OCR words against header values.
 *
 * @example
 * ```ts
 * import { editDistance } from "@radlab/kernel";
 * editDistance("PATIENTFIVE", "PATIENTFlVE"); // 1
 * ```
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}
