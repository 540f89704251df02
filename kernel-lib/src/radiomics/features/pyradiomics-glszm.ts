import type { DiscretisedRoi } from "../preprocess/discretise";
import { cropRoiLevels } from "./bounding-box-crop";
import { countMatrixStatistics } from "./count-matrix";
import { glszmMatrix } from "./glszm";

/** numpy.spacing(1), which pyradiomics adds inside the logarithm of its entropies. */
export const PYRADIOMICS_EPSILON = 2 ** -52;

/**
 * pyradiomics' `glszm` feature class (default settings: 3D, 26-connected zones), keyed by
 * pyradiomics' names without `original_` (`glszm_SmallAreaEmphasis`, ...).
 *
 * Differences from IBSI's GLSZM ({@link glszmFeatures}): only the 3D matrix (pyradiomics'
 * `force2D` is not offered), the names, and the zone entropy, which pyradiomics takes as
 * -Σ p log₂(p + ε) with ε = 2.2e-16 (relative change below 1e-12). The matrix, Ng (only grey
 * levels present count, but empty rows add nothing) and every other formula are IBSI's,
 * with Np the number of ROI voxels.
 *
 * @throws {@link RadiomicsError} `empty-roi` when the ROI has no voxel.
 *
 * @example
 * ```ts
 * import { discretise, maskFromLabel, pyradiomicsGlszmFeatures, readNrrd } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"), 1);
 * const roi = discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth: 25 });
 * pyradiomicsGlszmFeatures(roi).glszm_ZonePercentage; // 0.45202 (pyradiomics: 0.4520183708000967)
 * ```
 */
export function pyradiomicsGlszmFeatures(roi: DiscretisedRoi): Record<string, number> {
  const { grid, voxelCount } = cropRoiLevels(roi, "GLSZM");
  const s = countMatrixStatistics(glszmMatrix(grid.data, grid.dims, "3D"), PYRADIOMICS_EPSILON);
  return {
    glszm_SmallAreaEmphasis: s.smallEmphasis,
    glszm_LargeAreaEmphasis: s.largeEmphasis,
    glszm_GrayLevelNonUniformity: s.greyNonUniformity,
    glszm_GrayLevelNonUniformityNormalized: s.greyNonUniformityNormalised,
    glszm_SizeZoneNonUniformity: s.columnNonUniformity,
    glszm_SizeZoneNonUniformityNormalized: s.columnNonUniformityNormalised,
    glszm_ZonePercentage: s.total / voxelCount,
    glszm_GrayLevelVariance: s.greyVariance,
    glszm_ZoneVariance: s.columnVariance,
    glszm_ZoneEntropy: s.entropy,
    glszm_LowGrayLevelZoneEmphasis: s.lowGreyEmphasis,
    glszm_HighGrayLevelZoneEmphasis: s.highGreyEmphasis,
    glszm_SmallAreaLowGrayLevelEmphasis: s.smallLowGreyEmphasis,
    glszm_SmallAreaHighGrayLevelEmphasis: s.smallHighGreyEmphasis,
    glszm_LargeAreaLowGrayLevelEmphasis: s.largeLowGreyEmphasis,
    glszm_LargeAreaHighGrayLevelEmphasis: s.largeHighGreyEmphasis,
  };
}
