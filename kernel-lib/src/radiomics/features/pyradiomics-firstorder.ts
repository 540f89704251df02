import { IDENTITY_DIRECTION, type Mask, type Volume } from "../image/volume";
import { discretise } from "../preprocess/discretise";
import { RadiomicsError } from "../radiomics-error";
import { roiIntensities } from "./roi-intensities";
import { histogramEntropy, shiftedEnergy, summariseValues } from "./value-summary";

/** Options of {@link pyradiomicsFirstOrderFeatures}, named as pyradiomics' settings. */
export interface PyradiomicsFirstOrderOptions {
  /** The bin width of the histogram behind Entropy and Uniformity (pyradiomics' `binWidth`, default 25). */
  readonly binWidth: number;
  /** Added to every intensity in Energy, TotalEnergy and RootMeanSquared (pyradiomics' `voxelArrayShift`). */
  readonly voxelArrayShift: number;
}

/** numpy.spacing(1), which pyradiomics adds inside the entropy's logarithm. */
const EPSILON = 2 ** -52;

/**
 * pyradiomics' first-order features (`RadiomicsFirstOrder`, as in its 1.3 test baselines and today), keyed as
 * in pyradiomics' output without the `original_` prefix: `firstorder_Energy`,
 * `firstorder_TotalEnergy`, `firstorder_Entropy`, `firstorder_Minimum`, `firstorder_10Percentile`,
 * `firstorder_90Percentile`, `firstorder_Maximum`, `firstorder_Mean`, `firstorder_Median`,
 * `firstorder_InterquartileRange`, `firstorder_Range`, `firstorder_MeanAbsoluteDeviation`,
 * `firstorder_RobustMeanAbsoluteDeviation`, `firstorder_RootMeanSquared`, `firstorder_Skewness`,
 * `firstorder_Kurtosis`, `firstorder_Variance` and `firstorder_Uniformity`.
 * (`StandardDeviation` is left out as pyradiomics does by default: it is deprecated there, being
 * the square root of Variance.)
 *
 * Where pyradiomics differs from IBSI's intensity statistics ({@link statisticsFeatures}) and
 * intensity histogram ({@link intensityHistogramFeatures}):
 * - Energy is sum (x + c)^2 and RootMeanSquared sqrt(mean (x + c)^2) with c = `voxelArrayShift`
 *   (IBSI: c = 0; pyradiomics' own default is 0, its test baselines use 2000);
 * - TotalEnergy = Energy x voxel volume (mm^3), which IBSI does not define;
 * - Kurtosis is m4 / m2^2, not excess kurtosis: 3 more than IBSI's `stat_kurt`;
 * - Skewness and Kurtosis are 0 for a flat region (as IBSI, except that IBSI's kurtosis 0 is excess);
 * - Entropy and Uniformity use a histogram of bins `binWidth` wide aligned on multiples of the
 *   width (pyradiomics' binning, {@link discretise} `pyradiomics-bin-width`), not IBSI's
 *   discretisation, and Entropy is -sum q log2 q with q = (n_i + eps) / N over every bin between
 *   the lowest and highest occupied one, eps = 2^-52 (pyradiomics' code; its documentation writes
 *   -sum p log2(p + eps)), so an empty bin adds about 1e-16;
 * - percentiles, median, variance (biased), MAD and robust MAD follow numpy and match IBSI's
 *   definitions.
 *
 * @param image - The image (for example CT in HU).
 * @param mask - The ROI on the image grid.
 * @param options - `binWidth` and `voxelArrayShift` (pyradiomics' baselines: 25 and 2000).
 * @returns The 18 `firstorder_*` features.
 * @throws {@link RadiomicsError} `geometry`, `empty-roi` or `input` as {@link roiIntensities};
 *   `settings` for a bin width that is not positive or a shift that is not finite.
 *
 * @example
 * ```ts
 * import { maskFromLabel, pyradiomicsFirstOrderFeatures, readNrrd } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"), 1);
 * const f = pyradiomicsFirstOrderFeatures(image, mask, { binWidth: 25, voxelArrayShift: 2000 });
 * f.firstorder_Mean; // 825.2354363065023
 * ```
 */
export function pyradiomicsFirstOrderFeatures(
  image: Volume,
  mask: Mask,
  options: PyradiomicsFirstOrderOptions,
): Record<string, number> {
  const { binWidth, voxelArrayShift } = options;
  if (!(binWidth > 0) || !Number.isFinite(binWidth)) {
    throw new RadiomicsError("settings", `binWidth must be a positive number, not ${binWidth}`, {
      path: "settings.binWidth",
      hint: "pyradiomics' default is 25.",
    });
  }
  if (!Number.isFinite(voxelArrayShift)) {
    throw new RadiomicsError("settings", `voxelArrayShift must be a finite number, not ${voxelArrayShift}`, {
      path: "settings.voxelArrayShift",
      hint: "Use 0 (pyradiomics' default, as IBSI) or a shift that makes intensities non-negative, such as 2000 for CT.",
    });
  }
  const values = roiIntensities(image, mask);
  const n = values.length;
  const s = summariseValues(values);

  const energy = shiftedEnergy(values, voxelArrayShift);
  const voxelVolume = image.spacing[0] * image.spacing[1] * image.spacing[2];

  // Bin only the ROI values: a 1 x 1 x n volume of them, all inside, gives discretise's exact
  // pyradiomics binning without another pass over the whole image.
  const roi = discretise(
    { dims: [n, 1, 1], spacing: [1, 1, 1], origin: [0, 0, 0], direction: IDENTITY_DIRECTION, data: values },
    {
      dims: [n, 1, 1],
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: IDENTITY_DIRECTION,
      data: new Uint8Array(n).fill(1),
    },
    { kind: "pyradiomics-bin-width", binWidth },
  );
  const counts = new Float64Array(roi.levelCount + 1);
  for (let k = 0; k < n; k++) counts[roi.levels[k]!]!++;
  // As pyradiomics: eps is added to the count, then divided by N (so that empty bins are finite).
  const { entropy, uniformity } = histogramEntropy(counts, 1, n, EPSILON);

  const flat = s.min === s.max;
  return {
    firstorder_Energy: energy,
    firstorder_TotalEnergy: voxelVolume * energy,
    firstorder_Entropy: entropy,
    firstorder_Minimum: s.min,
    firstorder_10Percentile: s.p10,
    firstorder_90Percentile: s.p90,
    firstorder_Maximum: s.max,
    firstorder_Mean: s.mean,
    firstorder_Median: s.median,
    firstorder_InterquartileRange: s.p75 - s.p25,
    firstorder_Range: s.max - s.min,
    firstorder_MeanAbsoluteDeviation: s.meanAbsoluteDeviation,
    firstorder_RobustMeanAbsoluteDeviation: s.robustMeanAbsoluteDeviation,
    firstorder_RootMeanSquared: Math.sqrt(energy / n),
    firstorder_Skewness: flat ? 0 : s.skewness,
    firstorder_Kurtosis: flat ? 0 : s.kurtosis,
    firstorder_Variance: s.variance,
    firstorder_Uniformity: uniformity,
  };
}
