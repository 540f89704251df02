import type { Triple } from "../image/volume";
import type { ZoneConnectivity } from "./zone-labelling";

/**
 * How texture matrices are computed and combined (IBSI 3.6): per slice (`2D`), per slice then
 * pooled over slices (`2_5D`) or over the volume (`3D`), and either averaging the features of
 * each matrix (`avg`) or merging the matrices first (`comb`). The suffixes are IBSI's tag
 * suffixes, for example `cm_joint_max_3D_avg`.
 *
 * - `2D_avg`: a matrix per slice and direction; features averaged over all of them.
 * - `2D_comb` (2D, slice-merged): per slice, matrices summed over the 4 directions; features
 *   averaged over slices.
 * - `2_5D_avg` (2.5D, direction-merged): per direction, matrices summed over slices; features
 *   averaged over the 4 directions.
 * - `2_5D_comb`: one matrix summed over every slice and direction.
 * - `3D_avg`: a 3D matrix per direction; features averaged over directions.
 * - `3D_comb`: one 3D matrix summed over directions.
 */
export type TextureAggregation = "2D_avg" | "2D_comb" | "2_5D_avg" | "2_5D_comb" | "3D_avg" | "3D_comb";

/** Every {@link TextureAggregation}, in IBSI's table order. */
export const TEXTURE_AGGREGATIONS: readonly TextureAggregation[] = Object.freeze([
  "2D_avg",
  "2D_comb",
  "2_5D_avg",
  "2_5D_comb",
  "3D_avg",
  "3D_comb",
]);

/**
 * For matrices that have no direction (GLSZM, GLDZM, NGTDM, NGLDM): per slice with features
 * averaged (`2D`), per slice merged over slices (`2_5D`), or over the volume (`3D`).
 */
export type ZoneAggregation = "2D" | "2_5D" | "3D";

/** Every {@link ZoneAggregation}. */
export const ZONE_AGGREGATIONS: readonly ZoneAggregation[] = Object.freeze(["2D", "2_5D", "3D"]);

/**
 * The 4 unique in-slice directions of an 8-connected neighbourhood (each with its opposite
 * implied), as (di, dj, dk) voxel offsets: 0°, 45°, 90°, 135°.
 */
export const DIRECTIONS_2D: readonly Triple[] = Object.freeze([
  [1, 0, 0],
  [1, 1, 0],
  [0, 1, 0],
  [-1, 1, 0],
]);

/** The 13 unique directions of a 26-connected neighbourhood (each with its opposite implied). */
export const DIRECTIONS_3D: readonly Triple[] = Object.freeze([
  [1, 0, 0],
  [1, 1, 0],
  [0, 1, 0],
  [-1, 1, 0],
  [0, 0, 1],
  [1, 0, 1],
  [1, 1, 1],
  [0, 1, 1],
  [-1, 1, 1],
  [-1, 0, 1],
  [-1, -1, 1],
  [0, -1, 1],
  [1, -1, 1],
]);

/** All 8 in-slice neighbour offsets (both senses of {@link DIRECTIONS_2D}). */
export const NEIGHBOURS_2D: readonly Triple[] = Object.freeze(
  DIRECTIONS_2D.flatMap((d) => [d, [-d[0], -d[1], -d[2]] as Triple]),
);

/** All 26 neighbour offsets (both senses of {@link DIRECTIONS_3D}). */
export const NEIGHBOURS_3D: readonly Triple[] = Object.freeze(
  DIRECTIONS_3D.flatMap((d) => [d, [-d[0], -d[1], -d[2]] as Triple]),
);

/**
 * The voxel offsets within Chebyshev distance `distance` of a voxel, centre excluded, as a flat
 * (di, dj, dk) list: in its slice only (`2D`) or across slices too (`3D`). Distance 1 gives
 * {@link NEIGHBOURS_2D} or {@link NEIGHBOURS_3D}, in their order.
 *
 * @example
 * ```ts
 * import { neighbourOffsets } from "./neighbourhood";
 * neighbourOffsets("2D").length; // 24: 8 neighbours of 3 numbers
 * neighbourOffsets("3D", 2).length / 3; // 124
 * ```
 */
export function neighbourOffsets(connectivity: ZoneConnectivity, distance = 1): Int32Array {
  if (distance === 1) return Int32Array.from((connectivity === "2D" ? NEIGHBOURS_2D : NEIGHBOURS_3D).flat());
  const out: number[] = [];
  const reach = connectivity === "2D" ? 0 : distance;
  for (let dk = -reach; dk <= reach; dk++) {
    for (let dj = -distance; dj <= distance; dj++) {
      for (let di = -distance; di <= distance; di++) if (di !== 0 || dj !== 0 || dk !== 0) out.push(di, dj, dk);
    }
  }
  return Int32Array.from(out);
}

/**
 * The highest grey level of a grid (0 when it holds no ROI voxel): the number of rows of its
 * texture matrices.
 *
 * @example
 * ```ts
 * import { maxLevel } from "./neighbourhood";
 * maxLevel(Int32Array.of(0, 3, 1)); // 3
 * ```
 */
export function maxLevel(levels: Int32Array): number {
  let max = 0;
  for (let n = 0; n < levels.length; n++) if (levels[n]! > max) max = levels[n]!;
  return max;
}

/**
 * The mean of each feature over several matrices' feature sets (IBSI's `avg`), keeping the
 * keys of the first. A feature that is `NaN` for some matrices is averaged over the others.
 */
export function averageFeatures(sets: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const out: Record<string, number> = {};
  const first = sets[0];
  if (first === undefined) return out;
  for (const key of Object.keys(first)) {
    let sum = 0;
    let n = 0;
    for (const set of sets) {
      const v = set[key];
      if (v !== undefined && Number.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    out[key] = n === 0 ? Number.NaN : sum / n;
  }
  return out;
}

/** The slice indices (k) that hold at least one ROI voxel, for per-slice (2D, 2.5D) aggregation. */
export function slicesWithRoi(levels: Int32Array, dims: Triple): number[] {
  const plane = dims[0] * dims[1];
  const out: number[] = [];
  for (let k = 0; k < dims[2]; k++) {
    for (let n = k * plane; n < (k + 1) * plane; n++) {
      if (levels[n] !== 0) {
        out.push(k);
        break;
      }
    }
  }
  return out;
}
