import type { Triple } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";
import { roiVoxelsPerSlice } from "./bounding-box-crop";
import { countMatrixOf, sumCountMatrices, type CountMatrix } from "./count-matrix";
import { averageFeatures, ZONE_AGGREGATIONS, type ZoneAggregation } from "./neighbourhood";
import { zonesBySlice, type Zones } from "./zone-labelling";

/**
 * The aggregations a zone or neighbourhood family computes: those asked for, in IBSI's order
 * (2D, 2.5D, 3D), or all three when none are given.
 *
 * @param family - the feature family asking, named in the error (for example `GLSZM`).
 * @throws {@link RadiomicsError} `settings` for an empty list or a name that is not a
 *   {@link ZoneAggregation} (for example a texture aggregation such as `3D_avg`).
 *
 * @example
 * ```ts
 * import { zoneAggregationsOf } from "./zone-aggregations";
 * zoneAggregationsOf(["3D", "2D"], "GLSZM"); // ["2D", "3D"]
 * zoneAggregationsOf(undefined, "GLSZM"); // ["2D", "2_5D", "3D"]
 * ```
 */
export function zoneAggregationsOf(
  requested: readonly ZoneAggregation[] | undefined,
  family: string,
): readonly ZoneAggregation[] {
  if (requested === undefined) return ZONE_AGGREGATIONS;
  const known: readonly string[] = ZONE_AGGREGATIONS;
  requested.forEach((a, n) => {
    if (!known.includes(a)) {
      throw new RadiomicsError("settings", `"${String(a)}" is not an aggregation of the ${family}`, {
        path: `aggregations[${n}]`,
        hint: `Use ${ZONE_AGGREGATIONS.map((z) => `"${z}"`).join(", ")}: zone and neighbourhood matrices have no directions to average or merge.`,
      });
    }
  });
  if (requested.length === 0) {
    throw new RadiomicsError("settings", `No aggregation was asked of the ${family}`, {
      path: "aggregations",
      hint: `Leave aggregations out for all of ${ZONE_AGGREGATIONS.join(", ")}, or name at least one.`,
    });
  }
  return ZONE_AGGREGATIONS.filter((a) => requested.includes(a));
}

/**
 * How a zone or neighbourhood family builds and reads its matrices, for
 * {@link aggregateZoneFeatures}. `M` is the family's matrix (with whatever counts its features
 * need, such as the number of ROI voxels).
 */
export interface ZoneAggregationPlan<M> {
  /** One matrix per slice that holds ROI voxels (2D neighbourhoods). */
  readonly slices: () => readonly M[];
  /** One matrix over the volume (3D neighbourhoods). */
  readonly volume: () => M;
  /** Merges per-slice matrices into one (2.5D). */
  readonly merge: (parts: readonly M[]) => M;
  /** The family's features of one matrix, keyed by tag without the aggregation suffix. */
  readonly features: (matrix: M) => Record<string, number>;
}

/**
 * Computes a family's features for each aggregation (IBSI 3.6, for matrices without
 * directions): `2D` averages the features of the per-slice matrices, `2_5D` computes them from
 * the merged per-slice matrices, `3D` from the volume's matrix. Keys get the suffix `_2D`,
 * `_2_5D` or `_3D`, as in IBSI's tags.
 *
 * @example
 * ```ts
 * import { aggregateZoneFeatures } from "./zone-aggregations";
 * const plan = {
 *   slices: () => [1, 3],
 *   volume: () => 4,
 *   merge: (parts: readonly number[]) => parts.reduce((a, b) => a + b, 0),
 *   features: (m: number) => ({ demo_count: m }),
 * };
 * aggregateZoneFeatures(["2D", "2_5D", "3D"], plan);
 * // { demo_count_2D: 2, demo_count_2_5D: 4, demo_count_3D: 4 }
 * ```
 */
export function aggregateZoneFeatures<M>(
  aggregations: readonly ZoneAggregation[],
  plan: ZoneAggregationPlan<M>,
): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (features: Readonly<Record<string, number>>, suffix: ZoneAggregation): void => {
    for (const [key, value] of Object.entries(features)) out[`${key}_${suffix}`] = value;
  };
  let slices: readonly M[] | undefined;
  for (const aggregation of aggregations) {
    if (aggregation === "3D") {
      put(plan.features(plan.volume()), "3D");
      continue;
    }
    slices ??= plan.slices();
    if (aggregation === "2D") put(averageFeatures(slices.map(plan.features)), "2D");
    else put(plan.features(plan.merge(slices)), "2_5D");
  }
  return out;
}

/**
 * A zone matrix (GLSZM, GLDZM) with the number of ROI voxels it was built from, for the zone
 * percentage.
 */
export interface ZoneMatrix {
  readonly matrix: CountMatrix;
  readonly voxelCount: number;
}

/**
 * One zone matrix per slice that holds zones (IBSI's 2D and 2.5D), from zones labelled with `2D`
 * connectivity: zone `z` counts at row `zones.level[z]` and column `columnOf[z]` (its size, or its
 * distance to the ROI edge).
 *
 * @param levels - the grey levels the zones were labelled on, on a grid of `dims`.
 *
 * @example
 * ```ts
 * import { labelZones } from "./zone-labelling";
 * import { zoneMatricesBySlice } from "./zone-aggregations";
 * const levels = Int32Array.from([1, 1, 0, 2]); // two slices of 2 x 1 voxels
 * const zones = labelZones(levels, [2, 1, 2], "2D");
 * zoneMatricesBySlice(zones, zones.size, levels, [2, 1, 2]).map((m) => m.voxelCount); // [2, 1]
 * ```
 */
export function zoneMatricesBySlice(
  zones: Zones,
  columnOf: Int32Array,
  levels: Int32Array,
  dims: Triple,
): ZoneMatrix[] {
  const perSlice = roiVoxelsPerSlice(levels, dims);
  return zonesBySlice(zones, dims).map(({ slice, from, to }) => ({
    matrix: countMatrixOf(zones.level, columnOf, from, to),
    voxelCount: perSlice[slice]!,
  }));
}

/**
 * Merges zone matrices (IBSI's 2.5D): the matrices summed, and their voxel counts.
 *
 * @example
 * ```ts
 * import { countMatrixOf } from "./count-matrix";
 * import { mergeZoneMatrices } from "./zone-aggregations";
 * const matrix = countMatrixOf(Int32Array.from([1]), Int32Array.from([2]), 0, 1);
 * mergeZoneMatrices([{ matrix, voxelCount: 2 }, { matrix, voxelCount: 2 }]).voxelCount; // 4
 * ```
 */
export function mergeZoneMatrices(parts: readonly ZoneMatrix[]): ZoneMatrix {
  return {
    matrix: sumCountMatrices(parts.map((p) => p.matrix)),
    voxelCount: parts.reduce((n, p) => n + p.voxelCount, 0),
  };
}
