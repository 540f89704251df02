import type { Mask, Volume } from "../image/volume";
import { roiIntensities } from "./roi-intensities";
import { ibsiSummaryFeatures, shiftedEnergy, summariseValues } from "./value-summary";

/**
 * IBSI intensity-based statistical features (IBSI 1, section 3.3, family UHIW) of the voxels inside
 * the ROI intensity mask, computed over the 3D volume (DHQ4), keyed by IBSI tag:
 *
 * `stat_mean`, `stat_var` (biased, 1 / N), `stat_skew`, `stat_kurt` (excess kurtosis: minus 3),
 * `stat_median`, `stat_min`, `stat_p10`, `stat_p90`, `stat_max`, `stat_iqr` (P75 - P25),
 * `stat_range`, `stat_mad` (mean absolute deviation from the mean), `stat_rmad` (the same for the
 * voxels between P10 and P90, around their own mean), `stat_medad` (mean absolute deviation from the
 * median), `stat_cov` (standard deviation / mean), `stat_qcod` ((P75 - P25) / (P75 + P25)),
 * `stat_energy` (sum of squared intensities, no shift) and `stat_rms`.
 *
 * Percentiles interpolate linearly between ranks (see {@link quantileOfSorted}); IBSI does not fix
 * a percentile definition, and this one reproduces every digital phantom value. As IBSI specifies,
 * skewness and kurtosis are 0 when every voxel has the same intensity. `stat_cov` and `stat_qcod`
 * divide by the mean and by P75 + P25: they are infinite or `NaN` when those are 0, which IBSI
 * leaves undefined.
 *
 * @param image - The image (intensities in modality units), after any re-segmentation.
 * @param intensityMask - The ROI intensity mask on the image grid.
 * @returns The 18 `stat_*` features.
 * @throws {@link RadiomicsError} `geometry` (image and mask grids differ), `empty-roi` (no voxel
 *   in the mask), `input` (a non-finite intensity inside the mask).
 *
 * @example
 * ```ts
 * import { maskFromLabel, readNifti, statisticsFeatures } from "@radlab/kernel";
 * const image = await readNifti("../shared/data/radiomics/ibsi1-digital-phantom/nifti/image/phantom.nii.gz");
 * const mask = maskFromLabel(await readNifti("../shared/data/radiomics/ibsi1-digital-phantom/nifti/mask/mask.nii.gz"));
 * statisticsFeatures(image, mask).stat_energy; // 567
 * ```
 */
export function statisticsFeatures(image: Volume, intensityMask: Mask): Record<string, number> {
  const values = roiIntensities(image, intensityMask);
  const energy = shiftedEnergy(values);
  return {
    ...ibsiSummaryFeatures("stat", summariseValues(values)),
    stat_energy: energy,
    stat_rms: Math.sqrt(energy / values.length),
  };
}
