import { RadiomicsError } from "../radiomics-error";
import { medianOfSorted, quantileOfSorted, sortedCopy } from "./quantiles";

/**
 * The descriptive statistics of a set of values shared by IBSI's intensity statistics (3.3), its
 * intensity histogram (3.4, on grey levels) and pyradiomics' first-order class. Each feature family
 * maps these to its own names and conventions (excess or plain kurtosis, flat-region values).
 */
export interface ValueSummary {
  readonly count: number;
  readonly mean: number;
  /** The biased (1 / N) variance, as IBSI and pyradiomics define it. */
  readonly variance: number;
  /** m3 / m2^(3/2) with central moments m_k; `NaN` when every value is the same. */
  readonly skewness: number;
  /** Pearson's (not excess) kurtosis m4 / m2^2; `NaN` when every value is the same. */
  readonly kurtosis: number;
  readonly min: number;
  readonly max: number;
  readonly median: number;
  /** Percentiles by linear interpolation ({@link quantileOfSorted}). */
  readonly p10: number;
  readonly p25: number;
  readonly p75: number;
  readonly p90: number;
  /** The mean absolute deviation from the mean. */
  readonly meanAbsoluteDeviation: number;
  /**
   * The mean absolute deviation from their own mean of the values v with P10 <= v <= P90; `NaN` when
   * no value lies in that interval (which happens only for two distinct values).
   */
  readonly robustMeanAbsoluteDeviation: number;
  /** The mean absolute deviation from the median. */
  readonly medianAbsoluteDeviation: number;
}

/**
 * Summarises values in O(N log N) (one sort, then a few linear passes over typed arrays).
 *
 * Moments are central moments from a two-pass computation (mean first), which stays accurate when
 * the values are large and close together (for example CT intensities shifted by 2000).
 * "Every value the same" is decided on min = max, not on a variance that rounding may leave
 * slightly above 0.
 *
 * @param values - The values (for example {@link roiIntensities}); not changed.
 * @throws {@link RadiomicsError} `empty-roi` when there is no value.
 *
 * @example
 * ```ts
 * import { summariseValues } from "./value-summary";
 * const s = summariseValues(Float64Array.of(1, 1, 4, 6));
 * s.mean; // 3
 * s.variance; // 4.5
 * ```
 */
export function summariseValues(values: Float64Array): ValueSummary {
  const n = values.length;
  if (n === 0) {
    throw new RadiomicsError("empty-roi", "There is no value to summarise", {
      hint: "Check that the mask holds at least one voxel.",
    });
  }
  const sorted = sortedCopy(values);
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  const median = medianOfSorted(sorted);
  const p10 = quantileOfSorted(sorted, 0.1);
  const p25 = quantileOfSorted(sorted, 0.25);
  const p75 = quantileOfSorted(sorted, 0.75);
  const p90 = quantileOfSorted(sorted, 0.9);

  const flat = min === max;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += sorted[k]!;
  // Rounding can put the mean of identical values one unit off the value (3 x 0.1 / 3); pin it.
  const mean = flat ? min : Math.min(max, Math.max(min, sum / n));

  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  let absFromMean = 0;
  let absFromMedian = 0;
  let robustSum = 0;
  let robustCount = 0;
  for (let k = 0; k < n; k++) {
    const v = sorted[k]!;
    const d = v - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
    absFromMean += Math.abs(d);
    absFromMedian += Math.abs(v - median);
    if (v >= p10 && v <= p90) {
      robustSum += v;
      robustCount++;
    }
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;

  // Empty only for tiny sets (two values: P10 and P90 both fall strictly between them); then NaN.
  const robustMean = flat ? min : robustSum / robustCount;
  let robustAbs = 0;
  for (let k = 0; k < n; k++) {
    const v = sorted[k]!;
    if (v >= p10 && v <= p90) robustAbs += Math.abs(v - robustMean);
  }

  return {
    count: n,
    mean,
    variance: flat ? 0 : m2,
    skewness: flat ? Number.NaN : m3 / m2 ** 1.5,
    kurtosis: flat ? Number.NaN : m4 / (m2 * m2),
    min,
    max,
    median,
    p10,
    p25,
    p75,
    p90,
    meanAbsoluteDeviation: absFromMean / n,
    robustMeanAbsoluteDeviation: robustCount === 0 ? Number.NaN : robustAbs / robustCount,
    medianAbsoluteDeviation: absFromMedian / n,
  };
}

/**
 * The statistics IBSI's intensity statistics (3.3, prefix `stat`) and intensity histogram (3.4,
 * prefix `ih`) families share, keyed `${prefix}_mean`, `_var`, `_skew`, `_kurt` (excess), `_median`,
 * `_min`, `_p10`, `_p90`, `_max`, `_iqr`, `_range`, `_mad`, `_rmad`, `_medad`, `_cov` and `_qcod`, in
 * IBSI's order. As IBSI specifies, skewness and kurtosis are 0 when every value is the same. The
 * histogram's `ih_mode`, listed between `max` and `iqr` in IBSI's table, is put there when given.
 *
 * @example
 * ```ts
 * import { ibsiSummaryFeatures, summariseValues } from "./value-summary";
 * ibsiSummaryFeatures("stat", summariseValues(Float64Array.of(1, 1, 4, 6))).stat_var; // 4.5
 * ```
 */
export function ibsiSummaryFeatures(prefix: "stat" | "ih", s: ValueSummary, mode?: number): Record<string, number> {
  const flat = s.min === s.max;
  const out: Record<string, number> = {
    [`${prefix}_mean`]: s.mean,
    [`${prefix}_var`]: s.variance,
    [`${prefix}_skew`]: flat ? 0 : s.skewness,
    [`${prefix}_kurt`]: flat ? 0 : s.kurtosis - 3,
    [`${prefix}_median`]: s.median,
    [`${prefix}_min`]: s.min,
    [`${prefix}_p10`]: s.p10,
    [`${prefix}_p90`]: s.p90,
    [`${prefix}_max`]: s.max,
  };
  if (mode !== undefined) out[`${prefix}_mode`] = mode;
  out[`${prefix}_iqr`] = s.p75 - s.p25;
  out[`${prefix}_range`] = s.max - s.min;
  out[`${prefix}_mad`] = s.meanAbsoluteDeviation;
  out[`${prefix}_rmad`] = s.robustMeanAbsoluteDeviation;
  out[`${prefix}_medad`] = s.medianAbsoluteDeviation;
  out[`${prefix}_cov`] = Math.sqrt(s.variance) / s.mean;
  out[`${prefix}_qcod`] = (s.p75 - s.p25) / (s.p75 + s.p25);
  return out;
}

/**
 * Σ (v + shift)² over the values: IBSI's energy (shift 0) and pyradiomics' (shift `voxelArrayShift`).
 *
 * @example
 * ```ts
 * import { shiftedEnergy } from "./value-summary";
 * shiftedEnergy(Float64Array.of(1, 2), 1); // 13
 * ```
 */
export function shiftedEnergy(values: Float64Array, shift = 0): number {
  let energy = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]! + shift;
    energy += v * v;
  }
  return energy;
}

/**
 * The entropy -Σ q log₂ q and the uniformity Σ p² of a histogram, with p = n / `total` and
 * q = (n + `epsilon`) / `total` over the bins `counts[from..]`. With `epsilon` 0 (IBSI), empty bins
 * add nothing; pyradiomics adds machine epsilon to every bin between the lowest and highest
 * occupied one, so its empty bins add about 1e-16 to the entropy.
 *
 * @example
 * ```ts
 * import { histogramEntropy } from "./value-summary";
 * histogramEntropy(Float64Array.of(0, 2, 2), 1, 4); // { entropy: 1, uniformity: 0.5 }
 * ```
 */
export function histogramEntropy(
  counts: Float64Array,
  from: number,
  total: number,
  epsilon = 0,
): { readonly entropy: number; readonly uniformity: number } {
  let entropy = 0;
  let uniformity = 0;
  for (let g = from; g < counts.length; g++) {
    const c = counts[g]!;
    if (c === 0 && epsilon === 0) continue;
    const q = (c + epsilon) / total;
    entropy -= q * Math.log2(q);
    const p = c / total;
    uniformity += p * p;
  }
  return { entropy, uniformity };
}
