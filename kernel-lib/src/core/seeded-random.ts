/**
 * A seeded pseudo-random generator (mulberry32): the same integer seed gives the same sequence of
 * numbers in [0, 1) on every machine. For reproducible augmentation, sampling and test data; not
 * for anything secret.
 *
 * @example
 * ```ts
 * import { seededRandom } from "@radlab/kernel";
 * const random = seededRandom(42);
 * random(); // 0.6011037519201636, every time
 * ```
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
