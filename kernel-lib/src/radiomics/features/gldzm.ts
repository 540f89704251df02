import { boxDims, cropValues, nonZeroBox } from "../image/crop";
import { assertSameGrid, type Mask, type Triple } from "../image/volume";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { RadiomicsError } from "../radiomics-error";
import { countMatrixOf, countMatrixStatistics, type CountMatrix } from "./count-matrix";
import { distanceToRoiEdge } from "./distance-map";
import type { ZoneAggregation } from "./neighbourhood";
import {
  aggregateZoneFeatures,
  mergeZoneMatrices,
  zoneAggregationsOf,
  zoneMatricesBySlice,
  type ZoneMatrix,
} from "./zone-aggregations";
import { labelZones, type ZoneConnectivity, type Zones } from "./zone-labelling";

/** Options of {@link gldzmFeatures}. */
export interface GldzmOptions {
  /** Which of 2D, 2.5D and 3D to compute (default: all three). */
  readonly aggregations?: readonly ZoneAggregation[];
}

/**
 * The distance of each zone to the ROI edge: the smallest {@link distanceToRoiEdge} of its
 * voxels (IBSI 3.9).
 *
 * @param distance - per voxel, on the grid the zones were labelled on.
 *
 * @example
 * ```ts
 * import { distanceToRoiEdge } from "./distance-map";
 * import { labelZones } from "./zone-labelling";
 * import { zoneDistances } from "./gldzm";
 * const levels = new Int32Array(9).fill(1);
 * levels[4] = 2; // the centre of a 3 x 3 square
 * const zones = labelZones(levels, [3, 3, 1], "2D");
 * zoneDistances(zones, distanceToRoiEdge(levels, [3, 3, 1], "2D")); // Int32Array [1, 2]
 * ```
 */
export function zoneDistances(zones: Zones, distance: Int32Array): Int32Array {
  const out = new Int32Array(zones.count).fill(0x7fffffff);
  for (let n = 0; n < zones.zoneOf.length; n++) {
    const z = zones.zoneOf[n]!;
    if (z >= 0 && distance[n]! < out[z]!) out[z] = distance[n]!;
  }
  return out;
}

/**
 * The grey level distance zone matrix of a grid (IBSI 3.9): `P(i, j)` counts the zones of grey
 * level `i` whose distance to the edge of the morphological mask is `j`. Zones use the
 * connectivity given (8 neighbours in 2D, 26 in 3D); distances are city-block, in the slice
 * (2D) or the volume (3D).
 *
 * @param levels - grey levels (0 outside the intensity ROI) on a grid of `dims`.
 * @param morphological - non-zero inside the morphological mask on the same grid; it must hold
 *   every voxel of the intensity ROI.
 *
 * @example
 * ```ts
 * import { gldzmMatrix } from "./gldzm";
 * const levels = new Int32Array(9).fill(1);
 * levels[4] = 2;
 * gldzmMatrix(levels, levels, [3, 3, 1], "2D");
 * // { rows: 2, columns: 2, counts: Float64Array [1, 0, 0, 1] }
 * ```
 */
export function gldzmMatrix(
  levels: Int32Array,
  morphological: ArrayLike<number>,
  dims: Triple,
  connectivity: ZoneConnectivity,
): CountMatrix {
  const zones = labelZones(levels, dims, connectivity);
  const distances = zoneDistances(zones, distanceToRoiEdge(morphological, dims, connectivity));
  return countMatrixOf(zones.level, distances, 0, zones.count);
}

/**
 * The features of one distance zone matrix, keyed by IBSI tag without the aggregation suffix
 * (`dzm_sde`, ..., `dzm_zd_entr`).
 *
 * @example
 * ```ts
 * import { distanceZoneFeatures, gldzmMatrix } from "./gldzm";
 * const levels = new Int32Array(9).fill(1);
 * levels[4] = 2;
 * const matrix = gldzmMatrix(levels, levels, [3, 3, 1], "2D");
 * distanceZoneFeatures({ matrix, voxelCount: 9 }).dzm_lde; // (1 + 4) / 2 = 2.5
 * ```
 */
export function distanceZoneFeatures({ matrix, voxelCount }: ZoneMatrix): Record<string, number> {
  const s = countMatrixStatistics(matrix);
  return {
    dzm_sde: s.smallEmphasis,
    dzm_lde: s.largeEmphasis,
    dzm_lgze: s.lowGreyEmphasis,
    dzm_hgze: s.highGreyEmphasis,
    dzm_sdlge: s.smallLowGreyEmphasis,
    dzm_sdhge: s.smallHighGreyEmphasis,
    dzm_ldlge: s.largeLowGreyEmphasis,
    dzm_ldhge: s.largeHighGreyEmphasis,
    dzm_glnu: s.greyNonUniformity,
    dzm_glnu_norm: s.greyNonUniformityNormalised,
    dzm_zdnu: s.columnNonUniformity,
    dzm_zdnu_norm: s.columnNonUniformityNormalised,
    dzm_z_perc: s.total / voxelCount,
    dzm_gl_var: s.greyVariance,
    dzm_zd_var: s.columnVariance,
    dzm_zd_entr: s.entropy,
  };
}

/**
 * Grey level distance zone matrix features (IBSI 3.9), for each {@link ZoneAggregation}: `2D`
 * (zones and distances per slice, features averaged over slices), `2_5D` (per-slice matrices
 * summed) and `3D`. Zones come from the intensity ROI (`roi`), distances from the morphological
 * mask, as IBSI specifies (the two differ after re-segmentation). Keys are IBSI tags such as
 * `dzm_sde_2D`.
 *
 * @param morphologicalMask - the ROI before re-segmentation, on the grid of `roi`.
 * @throws {@link RadiomicsError} `empty-roi` when the intensity ROI has no voxel, `geometry`
 *   when the mask is on another grid, `input` when an intensity ROI voxel lies outside the
 *   morphological mask, `settings` for an unknown aggregation.
 *
 * @example
 * ```ts
 * import { discretise, gldzmFeatures, maskFromLabel, readNifti } from "@radlab/kernel";
 * const image = await readNifti("phantom.nii.gz");
 * const mask = maskFromLabel(await readNifti("mask.nii.gz"), 1);
 * const roi = discretise(image, mask, { kind: "none", levels: 6 });
 * gldzmFeatures(roi, mask, { aggregations: ["2D"] }).dzm_sde_2D; // 0.946 for the IBSI phantom
 * ```
 */
export function gldzmFeatures(
  roi: DiscretisedRoi,
  morphologicalMask: Mask,
  options: GldzmOptions = {},
): Record<string, number> {
  const aggregations = zoneAggregationsOf(options.aggregations, "GLDZM");
  assertSameGrid(roi, morphologicalMask);
  let voxelCount = 0;
  for (let n = 0; n < roi.levels.length; n++) {
    if (roi.levels[n] === 0) continue;
    voxelCount++;
    if (morphologicalMask.data[n] === 0) {
      throw new RadiomicsError(
        "input",
        `Voxel ${n} is in the intensity ROI but outside the morphological mask, so it has no distance to the ROI edge`,
        {
          ...(morphologicalMask.source === undefined ? {} : { file: morphologicalMask.source }),
          path: "morphologicalMask",
          hint: "Pass the mask the intensity ROI was made from (re-segmentation only removes voxels from it).",
        },
      );
    }
  }
  if (voxelCount === 0) {
    throw new RadiomicsError("empty-roi", "The GLDZM needs at least one ROI voxel, but every grey level is 0", {
      path: "roi.levels",
      hint: "Check the mask label and the re-segmentation range: together they left no voxel.",
    });
  }
  // The morphological mask holds the ROI, so its box holds the ROI's; outside it nothing is in the
  // mask, which is what the distance map assumes beyond the grid.
  const box = nonZeroBox(morphologicalMask.data, morphologicalMask.dims)!;
  const dims = boxDims(box);
  const levels = cropValues(roi.levels, roi.dims, box, (n) => new Int32Array(n));
  const morphological = cropValues(morphologicalMask.data, morphologicalMask.dims, box, (n) => new Int32Array(n));
  return aggregateZoneFeatures<ZoneMatrix>(aggregations, {
    slices: () => {
      const zones = labelZones(levels, dims, "2D");
      const distances = zoneDistances(zones, distanceToRoiEdge(morphological, dims, "2D"));
      return zoneMatricesBySlice(zones, distances, levels, dims);
    },
    volume: () => ({ matrix: gldzmMatrix(levels, morphological, dims, "3D"), voxelCount }),
    merge: mergeZoneMatrices,
    features: distanceZoneFeatures,
  });
}
