import type { Triple } from "../image/volume";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { RadiomicsError } from "../radiomics-error";
import { cropRoiLevels } from "./bounding-box-crop";
import { countMatrixStatistics, sumCountMatrices, type CountMatrix } from "./count-matrix";
import { maxLevel, neighbourOffsets, slicesWithRoi, type ZoneAggregation } from "./neighbourhood";
import { aggregateZoneFeatures, zoneAggregationsOf } from "./zone-aggregations";
import type { ZoneConnectivity } from "./zone-labelling";

/** The neighbourhood of a dependence count: how far (`distance`) and how alike (`alpha`). */
export interface DependenceNeighbourhood {
  /** The coarseness parameter α: a neighbour depends on the centre when |difference| ≤ α (IBSI: 0). */
  readonly alpha: number;
  /** The Chebyshev distance δ of the neighbourhood (IBSI: 1). */
  readonly distance: number;
}

/** Options of {@link ngldmFeatures}. */
export interface NgldmOptions {
  /** Which of 2D, 2.5D and 3D to compute (default: all three). */
  readonly aggregations?: readonly ZoneAggregation[];
  /** The coarseness parameter α (default 0). */
  readonly alpha?: number;
  /** The Chebyshev distance δ of the neighbourhood (default 1). */
  readonly distance?: number;
}

/** The IBSI defaults: α = 0, δ = 1. */
export const IBSI_DEPENDENCE_NEIGHBOURHOOD: DependenceNeighbourhood = Object.freeze({ alpha: 0, distance: 1 });

/**
 * Checks α and δ of a dependence neighbourhood.
 *
 * @throws {@link RadiomicsError} `settings` for an α that is negative or not finite, or a δ
 *   that is not a positive integer.
 *
 * @example
 * ```ts
 * import { dependenceNeighbourhoodOf } from "./ngldm";
 * dependenceNeighbourhoodOf({ alpha: 1 }); // { alpha: 1, distance: 1 }
 * ```
 */
export function dependenceNeighbourhoodOf(options: {
  readonly alpha?: number;
  readonly distance?: number;
}): DependenceNeighbourhood {
  const alpha = options.alpha ?? IBSI_DEPENDENCE_NEIGHBOURHOOD.alpha;
  const distance = options.distance ?? IBSI_DEPENDENCE_NEIGHBOURHOOD.distance;
  if (!Number.isFinite(alpha) || alpha < 0) {
    throw new RadiomicsError("settings", `The coarseness parameter alpha must be a number from 0, not ${alpha}`, {
      path: "alpha",
      hint: "IBSI and pyradiomics use alpha = 0 (a neighbour depends on the centre when their grey levels are equal).",
    });
  }
  if (!Number.isInteger(distance) || distance < 1) {
    throw new RadiomicsError("settings", `The neighbourhood distance must be a positive integer, not ${distance}`, {
      path: "distance",
      hint: "IBSI and pyradiomics use distance 1 (the 8 or 26 voxels around the centre).",
    });
  }
  return { alpha, distance };
}

/** Counts the dependence of each centre voxel in slices `k0..k1-1` into `counts` (rows x columns). */
function accumulate(
  levels: Int32Array,
  dims: Triple,
  offsets: Int32Array,
  alpha: number,
  k0: number,
  k1: number,
  counts: Float64Array,
  columns: number,
): void {
  const [nx, ny, nz] = dims;
  for (let k = k0; k < k1; k++) {
    for (let j = 0; j < ny; j++) {
      let n = nx * (j + ny * k);
      for (let i = 0; i < nx; i++, n++) {
        const g = levels[n]!;
        if (g === 0) continue;
        let dependence = 1;
        for (let o = 0; o < offsets.length; o += 3) {
          const a = i + offsets[o]!;
          const b = j + offsets[o + 1]!;
          const c = k + offsets[o + 2]!;
          if (a < 0 || a >= nx || b < 0 || b >= ny || c < 0 || c >= nz) continue;
          const h = levels[a + nx * (b + ny * c)]!;
          if (h !== 0 && Math.abs(h - g) <= alpha) dependence++;
        }
        counts[(g - 1) * columns + dependence - 1]!++;
      }
    }
  }
}

/** Drops the all-zero columns at the right of a count matrix. */
function trimColumns(counts: Float64Array, rows: number, columns: number): CountMatrix {
  let used = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = columns - 1; c >= used; c--) {
      if (counts[r * columns + c] !== 0) {
        used = c + 1;
        break;
      }
    }
  }
  const out = new Float64Array(rows * used);
  for (let r = 0; r < rows; r++) out.set(counts.subarray(r * columns, r * columns + used), r * used);
  return { counts: out, rows, columns: used };
}

/**
 * The neighbouring grey level dependence matrix of a grid (IBSI 3.11): `P(i, j)` counts the
 * voxels of grey level `i` with dependence count `j`, that is 1 (the voxel itself) plus the ROI
 * neighbours within Chebyshev distance δ whose grey level differs by at most α. `2D` looks in
 * the slice only, `3D` across slices. Every ROI voxel is counted once.
 *
 * @param levels - grey levels (0 outside the ROI) on a grid of `dims`.
 *
 * @example
 * ```ts
 * import { ngldmMatrix } from "./ngldm";
 * // 1 1 2: each 1 has one dependent neighbour (j = 2); the 2 has none (j = 1).
 * ngldmMatrix(Int32Array.from([1, 1, 2]), [3, 1, 1], "2D", { alpha: 0, distance: 1 });
 * // { rows: 2, columns: 2, counts: Float64Array [0, 2, 1, 0] }
 * ```
 */
export function ngldmMatrix(
  levels: Int32Array,
  dims: Triple,
  connectivity: ZoneConnectivity,
  neighbourhood: DependenceNeighbourhood,
): CountMatrix {
  const offsets = neighbourOffsets(connectivity, neighbourhood.distance);
  const rows = maxLevel(levels);
  const columns = offsets.length / 3 + 1;
  const counts = new Float64Array(rows * columns);
  accumulate(levels, dims, offsets, neighbourhood.alpha, 0, dims[2], counts, columns);
  return trimColumns(counts, rows, columns);
}

/**
 * One NGLDM per slice that holds ROI voxels, with in-slice neighbourhoods (IBSI's 2D and 2.5D).
 *
 * @example
 * ```ts
 * import { ngldmSliceMatrices } from "./ngldm";
 * ngldmSliceMatrices(Int32Array.from([1, 1, 0, 0]), [2, 1, 2], { alpha: 0, distance: 1 }).length; // 1
 * ```
 */
export function ngldmSliceMatrices(
  levels: Int32Array,
  dims: Triple,
  neighbourhood: DependenceNeighbourhood,
): CountMatrix[] {
  const offsets = neighbourOffsets("2D", neighbourhood.distance);
  const rows = maxLevel(levels);
  const columns = offsets.length / 3 + 1;
  const out: CountMatrix[] = [];
  for (const k of slicesWithRoi(levels, dims)) {
    const counts = new Float64Array(rows * columns);
    accumulate(levels, dims, offsets, neighbourhood.alpha, k, k + 1, counts, columns);
    out.push(trimColumns(counts, rows, columns));
  }
  return out;
}

/**
 * The features of one dependence matrix, keyed by IBSI tag without the aggregation suffix
 * (`ngl_lde`, ..., `ngl_dc_energy`). Every ROI voxel has a dependence count, so
 * `ngl_dc_perc` (Ns / Nv) is 1.
 *
 * @example
 * ```ts
 * import { dependenceCountFeatures, ngldmMatrix } from "./ngldm";
 * const m = ngldmMatrix(Int32Array.from([1, 1, 2]), [3, 1, 1], "2D", { alpha: 0, distance: 1 });
 * dependenceCountFeatures(m).ngl_hde; // (2 * 4 + 1 * 1) / 3 = 3
 * ```
 */
export function dependenceCountFeatures(matrix: CountMatrix): Record<string, number> {
  const s = countMatrixStatistics(matrix);
  return {
    ngl_lde: s.smallEmphasis,
    ngl_hde: s.largeEmphasis,
    ngl_lgce: s.lowGreyEmphasis,
    ngl_hgce: s.highGreyEmphasis,
    ngl_ldlge: s.smallLowGreyEmphasis,
    ngl_ldhge: s.smallHighGreyEmphasis,
    ngl_hdlge: s.largeLowGreyEmphasis,
    ngl_hdhge: s.largeHighGreyEmphasis,
    ngl_glnu: s.greyNonUniformity,
    ngl_glnu_norm: s.greyNonUniformityNormalised,
    ngl_dcnu: s.columnNonUniformity,
    ngl_dcnu_norm: s.columnNonUniformityNormalised,
    ngl_dc_perc: s.total === 0 ? Number.NaN : 1,
    ngl_gl_var: s.greyVariance,
    ngl_dc_var: s.columnVariance,
    ngl_dc_entr: s.entropy,
    ngl_dc_energy: s.energy,
  };
}

/**
 * Neighbouring grey level dependence matrix features (IBSI 3.11) for each
 * {@link ZoneAggregation}: `2D` (in-slice neighbourhoods, features averaged over slices), `2_5D`
 * (per-slice matrices summed) and `3D`. Keys are IBSI tags such as `ngl_lde_2_5D`.
 *
 * @throws {@link RadiomicsError} `empty-roi` when the ROI has no voxel, `settings` for an
 *   unknown aggregation, a negative α or a δ that is not a positive integer.
 *
 * @example
 * ```ts
 * import { discretise, maskFromLabel, ngldmFeatures, readNifti } from "@radlab/kernel";
 * const image = await readNifti("phantom.nii.gz");
 * const mask = maskFromLabel(await readNifti("mask.nii.gz"), 1);
 * const roi = discretise(image, mask, { kind: "none", levels: 6 });
 * ngldmFeatures(roi, { aggregations: ["3D"] }).ngl_hde_3D; // 109 for the IBSI phantom
 * ```
 */
export function ngldmFeatures(roi: DiscretisedRoi, options: NgldmOptions = {}): Record<string, number> {
  const aggregations = zoneAggregationsOf(options.aggregations, "NGLDM");
  const neighbourhood = dependenceNeighbourhoodOf(options);
  const { grid } = cropRoiLevels(roi, "NGLDM");
  return aggregateZoneFeatures<CountMatrix>(aggregations, {
    slices: () => ngldmSliceMatrices(grid.data, grid.dims, neighbourhood),
    volume: () => ngldmMatrix(grid.data, grid.dims, "3D", neighbourhood),
    merge: sumCountMatrices,
    features: dependenceCountFeatures,
  });
}
