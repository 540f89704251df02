import type { Triple } from "../image/volume";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { cropRoiLevels } from "./bounding-box-crop";
import { maxLevel, neighbourOffsets, slicesWithRoi, type ZoneAggregation } from "./neighbourhood";
import { aggregateZoneFeatures, zoneAggregationsOf } from "./zone-aggregations";
import type { ZoneConnectivity } from "./zone-labelling";

/** Options of {@link ngtdmFeatures}. */
export interface NgtdmOptions {
  /** Which of 2D, 2.5D and 3D to compute (default: all three). */
  readonly aggregations?: readonly ZoneAggregation[];
}

/**
 * A neighbourhood grey tone difference matrix (IBSI 3.10): for grey level `g = r + 1`,
 * `count[r]` (nᵢ) voxels that have at least one neighbour in the ROI, and `differenceSum[r]` (sᵢ)
 * the sum over them of |g - Ā|, Ā being the mean grey level of the voxel's neighbours inside the
 * ROI (Chebyshev distance 1, centre excluded). `isolated[r]` counts the voxels of that grey level
 * with no neighbour in the ROI, which IBSI leaves out.
 */
export interface NgtdmMatrix {
  readonly count: Float64Array;
  readonly differenceSum: Float64Array;
  readonly isolated: Float64Array;
}

/** Adds the voxels of slices `k0..k1-1` (as centres) to `into`, with the given neighbours. */
function accumulate(
  levels: Int32Array,
  dims: Triple,
  offsets: Int32Array,
  k0: number,
  k1: number,
  into: NgtdmMatrix,
): void {
  const [nx, ny, nz] = dims;
  for (let k = k0; k < k1; k++) {
    for (let j = 0; j < ny; j++) {
      let n = nx * (j + ny * k);
      for (let i = 0; i < nx; i++, n++) {
        const g = levels[n]!;
        if (g === 0) continue;
        let sum = 0;
        let neighbours = 0;
        for (let o = 0; o < offsets.length; o += 3) {
          const a = i + offsets[o]!;
          const b = j + offsets[o + 1]!;
          const c = k + offsets[o + 2]!;
          if (a < 0 || a >= nx || b < 0 || b >= ny || c < 0 || c >= nz) continue;
          const h = levels[a + nx * (b + ny * c)]!;
          if (h === 0) continue;
          sum += h;
          neighbours++;
        }
        if (neighbours === 0) into.isolated[g - 1]!++;
        else {
          into.count[g - 1]!++;
          into.differenceSum[g - 1]! += Math.abs(g - sum / neighbours);
        }
      }
    }
  }
}

function emptyMatrix(rows: number): NgtdmMatrix {
  return { count: new Float64Array(rows), differenceSum: new Float64Array(rows), isolated: new Float64Array(rows) };
}

/**
 * The NGTDM of a grid, with 8 in-slice neighbours (`2D`, one matrix for all slices together) or
 * 26 neighbours (`3D`). Voxels beyond the grid or with grey level 0 are not neighbours.
 *
 * @param levels - grey levels (0 outside the ROI) on a grid of `dims`.
 *
 * @example
 * ```ts
 * import { ngtdmMatrix } from "./ngtdm";
 * // 1 2 2: the 1 sees a mean of 2 (difference 1); each 2 sees 1.5 and 2 (0.5 and 0).
 * ngtdmMatrix(Int32Array.from([1, 2, 2]), [3, 1, 1], "2D");
 * // { count: [1, 2], differenceSum: [1, 0.5], isolated: [0, 0] } (Float64Arrays)
 * ```
 */
export function ngtdmMatrix(levels: Int32Array, dims: Triple, connectivity: ZoneConnectivity): NgtdmMatrix {
  const out = emptyMatrix(maxLevel(levels));
  accumulate(levels, dims, neighbourOffsets(connectivity), 0, dims[2], out);
  return out;
}

/**
 * One NGTDM per slice that holds ROI voxels, with 8 in-slice neighbours (IBSI's 2D and 2.5D).
 *
 * @example
 * ```ts
 * import { ngtdmSliceMatrices } from "./ngtdm";
 * ngtdmSliceMatrices(Int32Array.from([1, 2, 0, 0, 2, 2]), [3, 1, 2]).length; // 2
 * ```
 */
export function ngtdmSliceMatrices(levels: Int32Array, dims: Triple): NgtdmMatrix[] {
  const rows = maxLevel(levels);
  const offsets = neighbourOffsets("2D");
  const out: NgtdmMatrix[] = [];
  for (const k of slicesWithRoi(levels, dims)) {
    const matrix = emptyMatrix(rows);
    accumulate(levels, dims, offsets, k, k + 1, matrix);
    out.push(matrix);
  }
  return out;
}

/**
 * The element-wise sum of NGTDMs (IBSI's merging of per-slice matrices for 2.5D).
 *
 * @example
 * ```ts
 * import { ngtdmMatrix, sumNgtdmMatrices } from "./ngtdm";
 * const m = ngtdmMatrix(Int32Array.from([1, 2, 2]), [3, 1, 1], "2D");
 * sumNgtdmMatrices([m, m]).count; // Float64Array [2, 4]
 * ```
 */
export function sumNgtdmMatrices(parts: readonly NgtdmMatrix[]): NgtdmMatrix {
  const out = emptyMatrix(Math.max(0, ...parts.map((p) => p.count.length)));
  for (const p of parts) {
    for (let r = 0; r < p.count.length; r++) {
      out.count[r]! += p.count[r]!;
      out.differenceSum[r]! += p.differenceSum[r]!;
      out.isolated[r]! += p.isolated[r]!;
    }
  }
  return out;
}

/** The five NGTDM features, named as IBSI names them. */
export interface NgtdmFeatureValues {
  readonly coarseness: number;
  readonly contrast: number;
  readonly busyness: number;
  readonly complexity: number;
  readonly strength: number;
}

/**
 * The five NGTDM features of a matrix (IBSI 3.10), from nᵢ (`count`) and sᵢ (`differenceSum`):
 * pᵢ = nᵢ / Nv,c with Nv,c = Σnᵢ, sums running over the Ng,p grey levels with pᵢ > 0.
 * Where a feature divides by zero (a uniform ROI) it takes the value IBSI's reference
 * implementation (MIRP) and pyradiomics give: coarseness 10⁶, contrast, busyness and strength 0.
 * A matrix without any voxel (every voxel isolated) gives `NaN`.
 *
 * @param count - nᵢ; pyradiomics' variant passes nᵢ plus the isolated voxels.
 *
 * @example
 * ```ts
 * import { ngtdmFeatureValues, ngtdmMatrix } from "./ngtdm";
 * const m = ngtdmMatrix(Int32Array.from([1, 2, 2]), [3, 1, 1], "2D");
 * ngtdmFeatureValues(m.count, m.differenceSum).coarseness; // 1 / (1/3 * 1 + 2/3 * 0.5) = 1.5
 * ```
 */
export function ngtdmFeatureValues(count: Float64Array, differenceSum: Float64Array): NgtdmFeatureValues {
  const levels: number[] = [];
  let voxels = 0;
  let sumS = 0;
  for (let r = 0; r < count.length; r++) {
    if (count[r]! > 0) {
      levels.push(r);
      voxels += count[r]!;
    }
    sumS += differenceSum[r]!;
  }
  if (voxels === 0) {
    const nan = Number.NaN;
    return { coarseness: nan, contrast: nan, busyness: nan, complexity: nan, strength: nan };
  }
  const present = levels.length;
  const p = levels.map((r) => count[r]! / voxels);
  const s = levels.map((r) => differenceSum[r]!);
  const g = levels.map((r) => r + 1);
  let ps = 0;
  for (let a = 0; a < present; a++) ps += p[a]! * s[a]!;
  let contrastSum = 0;
  let busyDenominator = 0;
  let complexity = 0;
  let strengthSum = 0;
  for (let a = 0; a < present; a++) {
    for (let b = 0; b < present; b++) {
      const d = g[a]! - g[b]!;
      contrastSum += p[a]! * p[b]! * d * d;
      busyDenominator += Math.abs(g[a]! * p[a]! - g[b]! * p[b]!);
      complexity += (Math.abs(d) * (p[a]! * s[a]! + p[b]! * s[b]!)) / (p[a]! + p[b]!);
      strengthSum += (p[a]! + p[b]!) * d * d;
    }
  }
  return {
    coarseness: ps === 0 ? 1e6 : 1 / ps,
    contrast: present > 1 ? (contrastSum / (present * (present - 1))) * (sumS / voxels) : 0,
    busyness: present > 1 && busyDenominator > 0 ? ps / busyDenominator : 0,
    complexity: complexity / voxels,
    strength: sumS > 0 ? strengthSum / sumS : 0,
  };
}

function ibsiTags(matrix: NgtdmMatrix): Record<string, number> {
  const v = ngtdmFeatureValues(matrix.count, matrix.differenceSum);
  return {
    ngt_coarseness: v.coarseness,
    ngt_contrast: v.contrast,
    ngt_busyness: v.busyness,
    ngt_complexity: v.complexity,
    ngt_strength: v.strength,
  };
}

/**
 * Neighbourhood grey tone difference matrix features (IBSI 3.10) for each
 * {@link ZoneAggregation}: `2D` (8 in-slice neighbours, features averaged over slices), `2_5D`
 * (per-slice matrices summed) and `3D` (26 neighbours). Neighbours are ROI voxels within
 * Chebyshev distance 1; voxels without any are left out (Nv,c). Keys are IBSI tags such as
 * `ngt_coarseness_3D`.
 *
 * @throws {@link RadiomicsError} `empty-roi` when the ROI has no voxel, `settings` for an
 *   unknown aggregation.
 *
 * @example
 * ```ts
 * import { discretise, maskFromLabel, ngtdmFeatures, readNifti } from "@radlab/kernel";
 * const image = await readNifti("phantom.nii.gz");
 * const mask = maskFromLabel(await readNifti("mask.nii.gz"), 1);
 * const roi = discretise(image, mask, { kind: "none", levels: 6 });
 * ngtdmFeatures(roi, { aggregations: ["3D"] }).ngt_coarseness_3D; // 0.0296 for the IBSI phantom
 * ```
 */
export function ngtdmFeatures(roi: DiscretisedRoi, options: NgtdmOptions = {}): Record<string, number> {
  const aggregations = zoneAggregationsOf(options.aggregations, "NGTDM");
  const { grid } = cropRoiLevels(roi, "NGTDM");
  return aggregateZoneFeatures<NgtdmMatrix>(aggregations, {
    slices: () => ngtdmSliceMatrices(grid.data, grid.dims),
    volume: () => ngtdmMatrix(grid.data, grid.dims, "3D"),
    merge: sumNgtdmMatrices,
    features: ibsiTags,
  });
}
