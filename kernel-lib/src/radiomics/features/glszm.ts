import type { Triple } from "../image/volume";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { cropRoiLevels } from "./bounding-box-crop";
import { countMatrixOf, countMatrixStatistics, type CountMatrix } from "./count-matrix";
import type { ZoneAggregation } from "./neighbourhood";
import {
  aggregateZoneFeatures,
  mergeZoneMatrices,
  zoneAggregationsOf,
  zoneMatricesBySlice,
  type ZoneMatrix,
} from "./zone-aggregations";
import { labelZones, type ZoneConnectivity } from "./zone-labelling";

/** Options of {@link glszmFeatures}. */
export interface GlszmOptions {
  /** Which of 2D, 2.5D and 3D to compute (default: all three). */
  readonly aggregations?: readonly ZoneAggregation[];
}

/**
 * The grey level size zone matrix of a grid (IBSI 3.8): `P(i, j)` counts the zones of grey level
 * `i` and `j` voxels, zones being connected ({@link labelZones}) with the given connectivity.
 *
 * @param levels - grey levels (0 outside the ROI) on a grid of `dims`.
 *
 * @example
 * ```ts
 * import { glszmMatrix } from "./glszm";
 * // 1 1 2
 * // 2 2 1
 * // 2 2 1   (diagonal neighbours connect: one zone of 3 voxels per grey level)
 * glszmMatrix(Int32Array.from([1, 1, 2, 2, 2, 1]), [3, 2, 1], "2D");
 * // { rows: 2, columns: 3, counts: Float64Array [0, 0, 1, 0, 0, 1] }
 * ```
 */
export function glszmMatrix(levels: Int32Array, dims: Triple, connectivity: ZoneConnectivity): CountMatrix {
  const zones = labelZones(levels, dims, connectivity);
  return countMatrixOf(zones.level, zones.size, 0, zones.count);
}

/**
 * The features of one size zone matrix, keyed by IBSI tag without the aggregation suffix
 * (`szm_sze`, ..., `szm_zs_entr`).
 *
 * @example
 * ```ts
 * import { glszmMatrix, sizeZoneFeatures } from "./glszm";
 * const matrix = glszmMatrix(Int32Array.from([1, 2]), [2, 1, 1], "2D");
 * sizeZoneFeatures({ matrix, voxelCount: 2 }).szm_z_perc; // 1
 * ```
 */
export function sizeZoneFeatures({ matrix, voxelCount }: ZoneMatrix): Record<string, number> {
  const s = countMatrixStatistics(matrix);
  return {
    szm_sze: s.smallEmphasis,
    szm_lze: s.largeEmphasis,
    szm_lgze: s.lowGreyEmphasis,
    szm_hgze: s.highGreyEmphasis,
    szm_szlge: s.smallLowGreyEmphasis,
    szm_szhge: s.smallHighGreyEmphasis,
    szm_lzlge: s.largeLowGreyEmphasis,
    szm_lzhge: s.largeHighGreyEmphasis,
    szm_glnu: s.greyNonUniformity,
    szm_glnu_norm: s.greyNonUniformityNormalised,
    szm_zsnu: s.columnNonUniformity,
    szm_zsnu_norm: s.columnNonUniformityNormalised,
    szm_z_perc: s.total / voxelCount,
    szm_gl_var: s.greyVariance,
    szm_zs_var: s.columnVariance,
    szm_zs_entr: s.entropy,
  };
}

/**
 * Grey level size zone matrix features (IBSI 3.8), for each {@link ZoneAggregation}: `2D`
 * (8-connected zones per slice, features averaged over slices), `2_5D` (the per-slice matrices
 * summed) and `3D` (26-connected zones). Keys are IBSI tags such as `szm_sze_2D`,
 * `szm_zs_entr_3D`.
 *
 * @throws {@link RadiomicsError} `empty-roi` when the ROI has no voxel, `settings` for an
 *   unknown aggregation.
 *
 * @example
 * ```ts
 * import { discretise, glszmFeatures, maskFromLabel, readNifti } from "@radlab/kernel";
 * const image = await readNifti("phantom.nii.gz");
 * const mask = maskFromLabel(await readNifti("mask.nii.gz"), 1);
 * const roi = discretise(image, mask, { kind: "none", levels: 6 });
 * glszmFeatures(roi, { aggregations: ["3D"] }).szm_sze_3D; // 0.255 for the IBSI phantom
 * ```
 */
export function glszmFeatures(roi: DiscretisedRoi, options: GlszmOptions = {}): Record<string, number> {
  const aggregations = zoneAggregationsOf(options.aggregations, "GLSZM");
  const { grid, voxelCount } = cropRoiLevels(roi, "GLSZM");
  return aggregateZoneFeatures<ZoneMatrix>(aggregations, {
    slices: () => {
      const zones = labelZones(grid.data, grid.dims, "2D");
      return zoneMatricesBySlice(zones, zones.size, grid.data, grid.dims);
    },
    volume: () => ({ matrix: glszmMatrix(grid.data, grid.dims, "3D"), voxelCount }),
    merge: mergeZoneMatrices,
    features: sizeZoneFeatures,
  });
}
