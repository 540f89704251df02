import type { DiscretisedRoi } from "../preprocess/discretise";
import { cropRoiLevels } from "./bounding-box-crop";
import { ngtdmFeatureValues, ngtdmMatrix } from "./ngtdm";

/**
 * pyradiomics' `ngtdm` feature class (default settings: 3D, distance 1), keyed by pyradiomics'
 * names without `original_` (`ngtdm_Coarseness`, ...).
 *
 * The neighbourhood and formulas are IBSI's ({@link ngtdmFeatures}), including the values for a
 * uniform ROI (coarseness 10⁶; contrast, busyness and strength 0). Differences: only the 3D
 * matrix, the names, and voxels without any ROI neighbour: IBSI leaves them out, pyradiomics
 * (its Python and C matrices alike) counts them in nᵢ with a difference of 0, so that
 * pᵢ = nᵢ / Np and Nv,p = Np. The two agree when every voxel has a neighbour (brain1, breast1).
 *
 * @throws {@link RadiomicsError} `empty-roi` when the ROI has no voxel.
 *
 * @example
 * ```ts
 * import { discretise, maskFromLabel, pyradiomicsNgtdmFeatures, readNrrd } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"), 1);
 * const roi = discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth: 25 });
 * pyradiomicsNgtdmFeatures(roi).ngtdm_Coarseness; // 0.00171204 (pyradiomics: 0.001712035271356631)
 * ```
 */
export function pyradiomicsNgtdmFeatures(roi: DiscretisedRoi): Record<string, number> {
  const { grid } = cropRoiLevels(roi, "NGTDM");
  const m = ngtdmMatrix(grid.data, grid.dims, "3D");
  const count = m.count.map((n, r) => n + m.isolated[r]!);
  const v = ngtdmFeatureValues(count, m.differenceSum);
  return {
    ngtdm_Coarseness: v.coarseness,
    ngtdm_Contrast: v.contrast,
    ngtdm_Busyness: v.busyness,
    ngtdm_Complexity: v.complexity,
    ngtdm_Strength: v.strength,
  };
}
