import type { DiscretisedRoi } from "../preprocess/discretise";
import { RadiomicsError } from "../radiomics-error";
import { histogramEntropy, ibsiSummaryFeatures, summariseValues } from "./value-summary";

/**
 * The grey levels inside the ROI and their histogram n_1..n_Ng (index 0 unused), checking that every
 * level lies in 1..levelCount.
 */
function roiLevels(roi: DiscretisedRoi): { values: Float64Array; counts: Float64Array } {
  const ng = roi.levelCount;
  if (!Number.isInteger(ng) || ng < 1) {
    throw new RadiomicsError("settings", `A discretised ROI needs a positive integer level count, not ${ng}`, {
      path: "levelCount",
      hint: "Build the ROI with discretise(image, mask, method).",
    });
  }
  const levels = roi.levels;
  const counts = new Float64Array(ng + 1);
  let count = 0;
  for (let n = 0; n < levels.length; n++) {
    const g = levels[n]!;
    if (g === 0) continue;
    if (g < 0 || g > ng) {
      throw new RadiomicsError("input", `Voxel ${n} has grey level ${g}, outside 1..${ng}`, {
        path: `levels[${n}]`,
        hint: "Build the ROI with discretise(image, mask, method) and do not change its levels afterwards.",
      });
    }
    counts[g]!++;
    count++;
  }
  if (count === 0) {
    throw new RadiomicsError("empty-roi", "The discretised ROI holds no voxel, so it has no intensity histogram", {
      hint: "Check the mask label and any re-segmentation range: together they left no voxel.",
    });
  }
  // The voxels' levels in ascending order, straight from the histogram.
  const values = new Float64Array(count);
  for (let g = 1, start = 0; g <= ng; g++) {
    const end = start + counts[g]!;
    values.fill(g, start, end);
    start = end;
  }
  return { values, counts };
}

/**
 * IBSI intensity histogram features (IBSI 1, section 3.4, family ZVCW) of a discretised ROI,
 * computed over the 3D volume (DHQ4), keyed by IBSI tag.
 *
 * With X_d the grey levels 1..N_g of the N_v ROI voxels, n_i the count and p_i = n_i / N_v the
 * probability of level i:
 * - the statistics of X_d: `ih_mean`, `ih_var` (biased), `ih_skew`, `ih_kurt` (excess), `ih_median`,
 *   `ih_min`, `ih_p10`, `ih_p90`, `ih_max`, `ih_iqr`, `ih_range`, `ih_mad`, `ih_rmad`, `ih_medad`,
 *   `ih_cov`, `ih_qcod`, with the same definitions as the `stat_*` features (skewness and kurtosis 0
 *   for a single level; linear-interpolation percentiles);
 * - `ih_mode`: the most frequent level; of several, the one closest to the mean, and of two equally
 *   close, the lower (IBSI's rule);
 * - `ih_entropy` = -sum p_i log2 p_i over the levels present, `ih_uniformity` = sum p_i^2;
 * - the histogram gradient H'_1 = n_2 - n_1, H'_i = (n_(i+1) - n_(i-1)) / 2, H'_Ng = n_Ng - n_(Ng-1),
 *   over every level 1..N_g including empty ones (N_g is `roi.levelCount`, not only the levels
 *   present): `ih_max_grad`, `ih_min_grad` and the levels where they occur, `ih_max_grad_g`,
 *   `ih_min_grad_g` (the lowest such level on ties). With a single level (N_g = 1) the gradient is 0.
 *
 * @param roi - Grey levels from {@link discretise} (FBN, FBS, or `none` for already integer data).
 * @returns The 23 `ih_*` features.
 * @throws {@link RadiomicsError} `empty-roi` (no voxel), `settings` (a level count that is not a
 *   positive integer), `input` (a grey level outside 1..levelCount).
 *
 * @example
 * ```ts
 * import { discretise, intensityHistogramFeatures, maskFromLabel, readNifti } from "@radlab/kernel";
 * const image = await readNifti("../shared/data/radiomics/ibsi1-digital-phantom/nifti/image/phantom.nii.gz");
 * const mask = maskFromLabel(await readNifti("../shared/data/radiomics/ibsi1-digital-phantom/nifti/mask/mask.nii.gz"));
 * const roi = discretise(image, mask, { kind: "none", levels: 6 });
 * intensityHistogramFeatures(roi).ih_min_grad; // -50
 * ```
 */
export function intensityHistogramFeatures(roi: DiscretisedRoi): Record<string, number> {
  const { values, counts } = roiLevels(roi);
  const ng = roi.levelCount;
  const nv = values.length;
  const s = summariseValues(values);

  let modeLevel = 0;
  let modeCount = -1;
  for (let i = 1; i <= ng; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    // Ascending levels: a later level wins a tie only when strictly closer to the mean.
    if (c > modeCount || (c === modeCount && Math.abs(i - s.mean) < Math.abs(modeLevel - s.mean))) {
      modeLevel = i;
      modeCount = c;
    }
  }
  const { entropy, uniformity } = histogramEntropy(counts, 1, nv);

  let maxGrad = -Infinity;
  let maxGradLevel = 1;
  let minGrad = Infinity;
  let minGradLevel = 1;
  for (let i = 1; i <= ng; i++) {
    let grad: number;
    if (ng === 1) grad = 0;
    else if (i === 1) grad = counts[2]! - counts[1]!;
    else if (i === ng) grad = counts[ng]! - counts[ng - 1]!;
    else grad = (counts[i + 1]! - counts[i - 1]!) / 2;
    if (grad > maxGrad) {
      maxGrad = grad;
      maxGradLevel = i;
    }
    if (grad < minGrad) {
      minGrad = grad;
      minGradLevel = i;
    }
  }

  return {
    ...ibsiSummaryFeatures("ih", s, modeLevel),
    ih_entropy: entropy,
    ih_uniformity: uniformity,
    ih_max_grad: maxGrad,
    ih_max_grad_g: maxGradLevel,
    ih_min_grad: minGrad,
    ih_min_grad_g: minGradLevel,
  };
}
