import type { DiscretisedRoi } from "../preprocess/discretise";
import { cropRoiLevels } from "./bounding-box-crop";
import { countMatrixStatistics } from "./count-matrix";
import { dependenceNeighbourhoodOf, ngldmMatrix } from "./ngldm";
import { PYRADIOMICS_EPSILON } from "./pyradiomics-glszm";

/** Options of {@link pyradiomicsGldmFeatures}. */
export interface PyradiomicsGldmOptions {
  /** pyradiomics' `gldm_a`, the coarseness parameter α (default 0). */
  readonly alpha?: number;
}

/**
 * pyradiomics' `gldm` feature class (default settings: 3D, distance 1, `gldm_a` = 0), keyed by
 * pyradiomics' names without `original_` (`gldm_SmallDependenceEmphasis`, ...).
 *
 * pyradiomics' GLDM is IBSI's NGLDM ({@link ngldmFeatures}) in 3D: the dependence count of a
 * voxel is 1 plus its ROI neighbours within Chebyshev distance 1 whose grey level differs by at
 * most α. Differences: only the 3D matrix, the names, no dependence count percentage, energy or
 * normalised grey level non-uniformity (pyradiomics dropped them: the first is always 1, the
 * last equals first order uniformity), and the entropy, -Σ p log₂(p + ε) with ε = 2.2e-16.
 *
 * @throws {@link RadiomicsError} `empty-roi` when the ROI has no voxel, `settings` for a
 *   negative or non-finite α.
 *
 * @example
 * ```ts
 * import { discretise, maskFromLabel, pyradiomicsGldmFeatures, readNrrd } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"), 1);
 * const roi = discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth: 25 });
 * pyradiomicsGldmFeatures(roi).gldm_DependenceEntropy; // 6.88502 (pyradiomics: 6.885019899269458)
 * ```
 */
export function pyradiomicsGldmFeatures(
  roi: DiscretisedRoi,
  options: PyradiomicsGldmOptions = {},
): Record<string, number> {
  const neighbourhood = dependenceNeighbourhoodOf({ ...(options.alpha === undefined ? {} : { alpha: options.alpha }) });
  const { grid } = cropRoiLevels(roi, "GLDM");
  const s = countMatrixStatistics(ngldmMatrix(grid.data, grid.dims, "3D", neighbourhood), PYRADIOMICS_EPSILON);
  return {
    gldm_SmallDependenceEmphasis: s.smallEmphasis,
    gldm_LargeDependenceEmphasis: s.largeEmphasis,
    gldm_GrayLevelNonUniformity: s.greyNonUniformity,
    gldm_DependenceNonUniformity: s.columnNonUniformity,
    gldm_DependenceNonUniformityNormalized: s.columnNonUniformityNormalised,
    gldm_GrayLevelVariance: s.greyVariance,
    gldm_DependenceVariance: s.columnVariance,
    gldm_DependenceEntropy: s.entropy,
    gldm_LowGrayLevelEmphasis: s.lowGreyEmphasis,
    gldm_HighGrayLevelEmphasis: s.highGreyEmphasis,
    gldm_SmallDependenceLowGrayLevelEmphasis: s.smallLowGreyEmphasis,
    gldm_SmallDependenceHighGrayLevelEmphasis: s.smallHighGreyEmphasis,
    gldm_LargeDependenceLowGrayLevelEmphasis: s.largeLowGreyEmphasis,
    gldm_LargeDependenceHighGrayLevelEmphasis: s.largeHighGreyEmphasis,
  };
}
