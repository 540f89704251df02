import { RadiomicsError } from "../radiomics-error";
import type { Triple } from "../image/volume";
import {
  DIRECTIONS_2D,
  DIRECTIONS_3D,
  TEXTURE_AGGREGATIONS,
  averageFeatures,
  type TextureAggregation,
} from "./neighbourhood";

/**
 * Fills `out` with one count matrix per direction: matrix `n`, for `directions[n]`, occupies
 * `out[n * size]` to `out[(n + 1) * size - 1]` (`size` = rows x cols, row-major). `out` arrives
 * zeroed. With `slice` set, only the voxels of that slice (k) count, and the directions are
 * in-slice ones; with `slice` undefined, the whole volume counts.
 */
export type TextureAccumulator = (directions: readonly Triple[], slice: number | undefined, out: Float64Array) => void;

/**
 * The features of one count matrix (a row-major view of rows x cols counts), keyed by tag without
 * the aggregation suffix (for example `cm_joint_max`), or `undefined` when the matrix is empty.
 */
export type MatrixFeatures = (counts: Float64Array) => Record<string, number> | undefined;

/** What {@link aggregateTextureFeatures} needs to know about one texture matrix family. */
export interface TextureFamily {
  /** Matrix rows (grey levels) and columns (grey levels, run lengths, ...). */
  readonly rows: number;
  readonly cols: number;
  /** The slices (k) that hold ROI voxels, for the 2D and 2.5D aggregations. */
  readonly slices: readonly number[];
  readonly accumulate: TextureAccumulator;
  readonly features: MatrixFeatures;
  /** Every tag `features` returns, so that an aggregation with no usable matrix gives `NaN`s. */
  readonly featureTags: readonly string[];
}

/**
 * Checks a list of aggregations read from user settings: each must be a {@link TextureAggregation}
 * and the list must not be empty or repeat one.
 *
 * @throws {@link RadiomicsError} `settings`, naming the unknown or repeated entry.
 *
 * @example
 * ```ts
 * import { assertTextureAggregations } from "./texture-matrix";
 * assertTextureAggregations(["3D_avg", "2D_comb"]); // passes
 * assertTextureAggregations(["3D_average"]); // throws RadiomicsError "settings"
 * ```
 */
export function assertTextureAggregations(aggregations: readonly string[], path = "aggregations"): void {
  if (aggregations.length === 0) {
    throw new RadiomicsError("settings", "No texture aggregation was requested", {
      path,
      hint: `Request one or more of ${TEXTURE_AGGREGATIONS.join(", ")}, or omit the option for all six.`,
    });
  }
  const seen = new Set<string>();
  aggregations.forEach((a, n) => {
    if (!(TEXTURE_AGGREGATIONS as readonly string[]).includes(a)) {
      throw new RadiomicsError("settings", `Unknown texture aggregation "${a}"`, {
        path: `${path}[${n}]`,
        hint: `Use one of ${TEXTURE_AGGREGATIONS.join(", ")} (IBSI's tag suffixes).`,
      });
    }
    if (seen.has(a)) {
      throw new RadiomicsError("settings", `The texture aggregation "${a}" is requested twice`, {
        path: `${path}[${n}]`,
        hint: "List each aggregation once.",
      });
    }
    seen.add(a);
  });
}

function addInto(target: Float64Array, source: Float64Array): void {
  for (let n = 0; n < source.length; n++) target[n]! += source[n]!;
}

/**
 * Computes a texture family's features under each requested {@link TextureAggregation} (IBSI 3.6,
 * "Aggregating features"), keyed `<tag>_<aggregation>` (for example `cm_joint_max_2D_avg`):
 *
 * - `2D_avg` ("2D, averaged"): a matrix per slice and in-slice direction; features averaged over
 *   all of them.
 * - `2D_comb` ("2D, slice-merged"): per slice, the 4 direction matrices summed; features averaged
 *   over slices.
 * - `2_5D_avg` ("2.5D, direction-merged"): per direction, the slice matrices summed; features
 *   averaged over the 4 directions.
 * - `2_5D_comb` ("2.5D, merged"): every slice and direction summed into one matrix.
 * - `3D_avg` ("3D, averaged"): a volume matrix per 3D direction (13); features averaged.
 * - `3D_comb` ("3D, merged"): the 13 volume matrices summed into one.
 *
 * Empty matrices (a slice or direction without a single pair or run) are left out of averages, and
 * a feature that is not finite for one matrix is averaged over the others
 * ({@link averageFeatures}); an aggregation without any usable matrix gives `NaN`. Slices are
 * processed one at a time, so memory stays at a few matrices whatever the number of slices.
 *
 * @example
 * ```ts
 * import { aggregateTextureFeatures } from "./texture-matrix";
 * // A toy family: one 1 x 1 "matrix" that counts ROI voxels per slice, whatever the direction.
 * const features = aggregateTextureFeatures(
 *   {
 *     rows: 1,
 *     cols: 1,
 *     slices: [0],
 *     accumulate: (directions, _slice, out) => directions.forEach((_, n) => (out[n] = 2)),
 *     features: (counts) => ({ toy_count: counts[0]! }),
 *     featureTags: ["toy_count"],
 *   },
 *   ["2D_avg", "3D_comb"],
 * );
 * // { toy_count_2D_avg: 2, toy_count_3D_comb: 26 }
 * ```
 */
export function aggregateTextureFeatures(
  family: TextureFamily,
  aggregations: readonly TextureAggregation[],
): Record<string, number> {
  const size = family.rows * family.cols;
  const wants = new Set(aggregations);
  const sets = new Map<TextureAggregation, Record<string, number>[]>();
  for (const a of aggregations) sets.set(a, []);
  const push = (a: TextureAggregation, counts: Float64Array): void => {
    const f = family.features(counts);
    if (f !== undefined) sets.get(a)!.push(f);
  };
  const needSlices = wants.has("2D_avg") || wants.has("2D_comb") || wants.has("2_5D_avg") || wants.has("2_5D_comb");
  if (needSlices) {
    const planeCount = DIRECTIONS_2D.length;
    const buffer = new Float64Array(planeCount * size);
    const merged = new Float64Array(size);
    const perDirection = new Float64Array(planeCount * size);
    for (const k of family.slices) {
      buffer.fill(0);
      family.accumulate(DIRECTIONS_2D, k, buffer);
      if (wants.has("2D_avg")) {
        for (let d = 0; d < planeCount; d++) push("2D_avg", buffer.subarray(d * size, (d + 1) * size));
      }
      if (wants.has("2D_comb")) {
        merged.fill(0);
        for (let d = 0; d < planeCount; d++) addInto(merged, buffer.subarray(d * size, (d + 1) * size));
        push("2D_comb", merged);
      }
      addInto(perDirection, buffer);
    }
    if (wants.has("2_5D_avg")) {
      for (let d = 0; d < planeCount; d++) push("2_5D_avg", perDirection.subarray(d * size, (d + 1) * size));
    }
    if (wants.has("2_5D_comb")) {
      merged.fill(0);
      for (let d = 0; d < planeCount; d++) addInto(merged, perDirection.subarray(d * size, (d + 1) * size));
      push("2_5D_comb", merged);
    }
  }
  if (wants.has("3D_avg") || wants.has("3D_comb")) {
    const volumeCount = DIRECTIONS_3D.length;
    const buffer = new Float64Array(volumeCount * size);
    family.accumulate(DIRECTIONS_3D, undefined, buffer);
    if (wants.has("3D_avg")) {
      for (let d = 0; d < volumeCount; d++) push("3D_avg", buffer.subarray(d * size, (d + 1) * size));
    }
    if (wants.has("3D_comb")) {
      const merged = new Float64Array(size);
      for (let d = 0; d < volumeCount; d++) addInto(merged, buffer.subarray(d * size, (d + 1) * size));
      push("3D_comb", merged);
    }
  }
  const out: Record<string, number> = {};
  for (const a of aggregations) {
    const averaged = averageFeatures(sets.get(a)!);
    for (const tag of family.featureTags) out[`${tag}_${a}`] = averaged[tag] ?? Number.NaN;
  }
  return out;
}
