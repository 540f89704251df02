import { RadiomicsError } from "../radiomics-error";

/**
 * A sorted copy of `values` (ascending), for {@link quantileOfSorted}. The input is not changed.
 *
 * @example
 * ```ts
 * import { sortedCopy } from "./quantiles";
 * sortedCopy(Float64Array.of(3, 1, 2)); // Float64Array [1, 2, 3]
 * ```
 */
export function sortedCopy(values: Float64Array): Float64Array {
  // A typed array's sort compares numerically (no string conversion) and is native.
  return values.slice().sort();
}

/**
 * The `q`-quantile (0 <= q <= 1) of ascending `sorted` values by linear interpolation between the
 * two closest ranks: position h = (n - 1) q, value x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 *
 * This is numpy's default (`numpy.percentile(x, 100 q)`, Hyndman and Fan's type 7), which pyradiomics
 * uses and which reproduces every IBSI-1 digital phantom percentile (P10 = 1, P25 = 1, P75 = 4,
 * P90 = 4; IBSI notes that other definitions give 4.2 for P90). When both neighbours are equal, or h is
 * a rank, the sample value itself is returned, so bounds such as P10 and P90 compare exactly with the
 * values they came from.
 *
 * @param sorted - Values in ascending order (see {@link sortedCopy}); not empty.
 * @param q - The quantile as a fraction, for example 0.9 for the 90th percentile.
 * @throws {@link RadiomicsError} `settings` when `q` is outside [0, 1] or `sorted` is empty.
 *
 * @example
 * ```ts
 * import { quantileOfSorted } from "./quantiles";
 * quantileOfSorted(Float64Array.of(1, 2, 3, 4), 0.5); // 2.5
 * quantileOfSorted(Float64Array.of(1, 2, 3, 4), 0.9); // 3.7
 * ```
 */
export function quantileOfSorted(sorted: Float64Array, q: number): number {
  if (!(q >= 0 && q <= 1)) {
    throw new RadiomicsError("settings", `A quantile must lie between 0 and 1, not ${q}`, {
      path: "quantile",
      hint: "Give the quantile as a fraction: 0.1 for the 10th percentile.",
    });
  }
  if (sorted.length === 0) {
    throw new RadiomicsError("empty-roi", "There is no value to take a quantile of", {
      hint: "Check that the mask holds at least one voxel.",
    });
  }
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  const w = h - lo;
  if (w === 0) return below;
  const above = sorted[lo + 1]!;
  return below === above ? below : below + w * (above - below);
}

/**
 * The median of ascending `sorted` values: the middle value, or the mean of the two middle values
 * (as `numpy.median`).
 *
 * @throws {@link RadiomicsError} `empty-roi` when `sorted` is empty.
 *
 * @example
 * ```ts
 * import { medianOfSorted } from "./quantiles";
 * medianOfSorted(Float64Array.of(1, 2, 4, 7)); // 3
 * ```
 */
export function medianOfSorted(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) {
    throw new RadiomicsError("empty-roi", "There is no value to take a median of", {
      hint: "Check that the mask holds at least one voxel.",
    });
  }
  const half = n >> 1;
  return n % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}
