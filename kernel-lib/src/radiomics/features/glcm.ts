import { RadiomicsError } from "../radiomics-error";
import type { Triple } from "../image/volume";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { TEXTURE_AGGREGATIONS, type TextureAggregation } from "./neighbourhood";
import { linearOffset, paddedRoi, roiSlices, type PaddedRoi } from "./padded-roi";
import { aggregateTextureFeatures, assertTextureAggregations } from "./texture-matrix";

/** The IBSI 3.6 co-occurrence features, as tags without the aggregation suffix, in IBSI's order. */
export const GLCM_FEATURE_TAGS: readonly string[] = Object.freeze([
  "cm_joint_max",
  "cm_joint_avg",
  "cm_joint_var",
  "cm_joint_entr",
  "cm_diff_avg",
  "cm_diff_var",
  "cm_diff_entr",
  "cm_sum_avg",
  "cm_sum_var",
  "cm_sum_entr",
  "cm_energy",
  "cm_contrast",
  "cm_dissimilarity",
  "cm_inv_diff",
  "cm_inv_diff_norm",
  "cm_inv_diff_mom",
  "cm_inv_diff_mom_norm",
  "cm_inv_var",
  "cm_corr",
  "cm_auto_corr",
  "cm_clust_tend",
  "cm_clust_shade",
  "cm_clust_prom",
  "cm_info_corr1",
  "cm_info_corr2",
]);

/** Options of {@link glcmFeatures}. */
export interface GlcmOptions {
  /** Which aggregations to compute (default: all six). */
  readonly aggregations?: readonly TextureAggregation[];
  /** The Chebyshev distance δ between paired voxels: voxel k pairs with k + δ·m (default 1). */
  readonly distance?: number;
}

/**
 * Counts grey-level co-occurrences into one Ng x Ng matrix per offset (row-major, `(i - 1) * Ng +
 * (j - 1)` for a voxel of level i whose neighbour at the offset has level j), in a single pass over
 * the ROI voxels. With `symmetric`, each pair also counts as (j, i), which is the same as counting
 * the offset and its opposite (IBSI's and pyradiomics' default).
 *
 * @param roi - the padded ROI; its margin must be at least the largest offset component.
 * @param offsets - voxel steps (di, dj, dk); matrix n of `out` is for `offsets[n]`.
 * @param slice - only the ROI voxels of this slice (k) of the padded grid, or all when undefined.
 * @param out - `offsets.length * Ng * Ng` counts, added to (pass zeros).
 *
 * @example
 * ```ts
 * import { accumulateCooccurrences } from "./glcm";
 * import { paddedRoi } from "./padded-roi";
 * const roi = paddedRoi(
 *   { dims: [3, 1, 1], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
 *     levels: Int32Array.from([1, 1, 2]), levelCount: 2, lowerEdge: 1, binWidth: 1 },
 *   1,
 * );
 * const out = new Float64Array(4);
 * accumulateCooccurrences(roi, [[1, 0, 0]], undefined, out, true);
 * // out = [2, 1, 1, 0]: (1,1) twice, (1,2) and (2,1) once
 * ```
 */
export function accumulateCooccurrences(
  roi: PaddedRoi,
  offsets: readonly Triple[],
  slice: number | undefined,
  out: Float64Array,
  symmetric: boolean,
): void {
  const ng = roi.levelCount;
  const size = ng * ng;
  const count = offsets.length;
  const steps = Int32Array.from(offsets, (o) => linearOffset(roi.dims, o));
  const bases = Int32Array.from(offsets, (_, n) => n * size);
  const { levels, voxels } = roi;
  const start = slice === undefined ? 0 : roi.sliceStart[slice]!;
  const end = slice === undefined ? voxels.length : roi.sliceStart[slice + 1]!;
  for (let n = start; n < end; n++) {
    const idx = voxels[n]!;
    const a = levels[idx]! - 1;
    const row = a * ng;
    for (let d = 0; d < count; d++) {
      const b = levels[idx + steps[d]!]!;
      if (b === 0) continue;
      const base = bases[d]!;
      out[base + row + b - 1]!++;
      if (symmetric) out[base + (b - 1) * ng + a]!++;
    }
  }
}

/**
 * The 25 IBSI co-occurrence features (IBSI 3.6.1 to 3.6.25) of one Ng x Ng count matrix, or
 * `undefined` when it holds no pair. Grey levels are 1..Ng (all of them, present or not), entropies
 * use log2 with 0 log 0 = 0, and features whose denominator is 0 (correlation of a single-level
 * matrix, information correlation 1 when HX = 0) are `NaN`.
 *
 * @example
 * ```ts
 * import { glcmMatrixFeatures } from "./glcm";
 * const f = glcmMatrixFeatures(Float64Array.from([2, 1, 1, 0]), 2)!;
 * f.cm_joint_max; // 0.5
 * f.cm_contrast; // 0.5
 * ```
 */
export function glcmMatrixFeatures(counts: Float64Array, ng: number): Record<string, number> | undefined {
  let total = 0;
  for (let n = 0; n < ng * ng; n++) total += counts[n]!;
  if (total === 0) return undefined;
  const inv = 1 / total;
  const px = new Float64Array(ng);
  const py = new Float64Array(ng);
  const pSum = new Float64Array(2 * ng + 1); // index k = i + j, 2..2Ng
  const pDiff = new Float64Array(ng); // index k = |i - j|, 0..Ng-1
  let jointMax = 0;
  let energy = 0;
  let jointEntropy = 0;
  let autoCorr = 0;
  // The only pass over the Ng² cells; everything else comes from the marginals.
  for (let i = 1; i <= ng; i++) {
    const row = (i - 1) * ng;
    for (let j = 1; j <= ng; j++) {
      const c = counts[row + j - 1]!;
      if (c === 0) continue;
      const p = c * inv;
      px[i - 1]! += p;
      py[j - 1]! += p;
      pSum[i + j]! += p;
      pDiff[i > j ? i - j : j - i]! += p;
      if (p > jointMax) jointMax = p;
      energy += p * p;
      jointEntropy -= p * Math.log2(p);
      autoCorr += i * j * p;
    }
  }
  let muX = 0;
  let muY = 0;
  let hx = 0;
  let hy = 0;
  for (let i = 1; i <= ng; i++) {
    const a = px[i - 1]!;
    const b = py[i - 1]!;
    muX += i * a;
    muY += i * b;
    if (a > 0) hx -= a * Math.log2(a);
    if (b > 0) hy -= b * Math.log2(b);
  }
  let varX = 0;
  let varY = 0;
  for (let i = 1; i <= ng; i++) {
    varX += (i - muX) ** 2 * px[i - 1]!;
    varY += (i - muY) ** 2 * py[i - 1]!;
  }
  // HXY1 = -Σ p(i,j) log2(px(i) py(j)) and HXY2 = -Σ px(i) py(j) log2(px(i) py(j)) both reduce to
  // HX + HY, since the marginals sum to 1.
  const hxy12 = hx + hy;
  let diffAvg = 0;
  let diffEntropy = 0;
  let invDiff = 0;
  let invDiffNorm = 0;
  let invDiffMom = 0;
  let invDiffMomNorm = 0;
  let invVar = 0;
  let contrast = 0;
  for (let k = 0; k < ng; k++) {
    const p = pDiff[k]!;
    if (p === 0) continue;
    diffAvg += k * p;
    contrast += k * k * p;
    diffEntropy -= p * Math.log2(p);
    invDiff += p / (1 + k);
    invDiffNorm += p / (1 + k / ng);
    invDiffMom += p / (1 + k * k);
    invDiffMomNorm += p / (1 + (k * k) / (ng * ng));
    if (k > 0) invVar += p / (k * k);
  }
  let diffVar = 0;
  for (let k = 0; k < ng; k++) diffVar += (k - diffAvg) ** 2 * pDiff[k]!;
  let sumAvg = 0;
  let sumEntropy = 0;
  for (let k = 2; k <= 2 * ng; k++) {
    const p = pSum[k]!;
    if (p === 0) continue;
    sumAvg += k * p;
    sumEntropy -= p * Math.log2(p);
  }
  let sumVar = 0;
  let clustTend = 0;
  let clustShade = 0;
  let clustProm = 0;
  for (let k = 2; k <= 2 * ng; k++) {
    const p = pSum[k]!;
    if (p === 0) continue;
    sumVar += (k - sumAvg) ** 2 * p;
    const e = k - muX - muY;
    const e2 = e * e;
    clustTend += e2 * p;
    clustShade += e2 * e * p;
    clustProm += e2 * e2 * p;
  }
  return {
    cm_joint_max: jointMax,
    cm_joint_avg: muX,
    cm_joint_var: varX,
    cm_joint_entr: jointEntropy,
    cm_diff_avg: diffAvg,
    cm_diff_var: diffVar,
    cm_diff_entr: diffEntropy,
    cm_sum_avg: sumAvg,
    cm_sum_var: sumVar,
    cm_sum_entr: sumEntropy,
    cm_energy: energy,
    cm_contrast: contrast,
    cm_dissimilarity: diffAvg,
    cm_inv_diff: invDiff,
    cm_inv_diff_norm: invDiffNorm,
    cm_inv_diff_mom: invDiffMom,
    cm_inv_diff_mom_norm: invDiffMomNorm,
    cm_inv_var: invVar,
    // Σ (i - μx)(j - μy) p(i,j) = Σ i j p(i,j) - μx μy
    cm_corr: (autoCorr - muX * muY) / Math.sqrt(varX * varY),
    cm_auto_corr: autoCorr,
    cm_clust_tend: clustTend,
    cm_clust_shade: clustShade,
    cm_clust_prom: clustProm,
    cm_info_corr1: (jointEntropy - hxy12) / hx,
    cm_info_corr2: Math.sqrt(Math.max(0, 1 - Math.exp(-2 * (hxy12 - jointEntropy)))),
  };
}

/**
 * Checks the GLCM distance option.
 *
 * @throws {@link RadiomicsError} `settings` when it is not a positive integer.
 */
function checkedDistance(distance: number): number {
  if (!Number.isInteger(distance) || distance < 1) {
    throw new RadiomicsError("settings", `A co-occurrence distance must be a positive integer, not ${distance}`, {
      path: "distance",
      hint: "Use 1 (IBSI's and pyradiomics' default) or another whole number of voxels.",
    });
  }
  return distance;
}

/**
 * IBSI grey level co-occurrence matrix features (IBSI 3.6) under each requested aggregation, keyed
 * by IBSI tag (for example `cm_joint_max_3D_avg`, `cm_info_corr2_2_5D_comb`).
 *
 * Matrices are symmetric (each pair counted in both directions), pair voxel k with k + δ·m for the
 * 4 in-slice directions m (2D, 2.5D) or the 13 volume directions (3D), only when both voxels are in
 * the ROI, and have Ng = `roi.levelCount` rows whether or not every level occurs (so `Ng` in the
 * normalised inverse differences is the discretisation's). See {@link aggregateTextureFeatures} for
 * how slices and directions are combined.
 *
 * @param roi - a discretised ROI ({@link discretise}).
 * @param options - `aggregations` (default all six) and `distance` δ (default 1).
 * @returns 25 features for each requested aggregation.
 * @throws {@link RadiomicsError} `empty-roi` when the ROI has no voxel, `settings` for an unknown
 *   aggregation, a distance that is not a positive integer, or grey levels outside 1..Ng.
 *
 * @example
 * ```ts
 * import { discretise, glcmFeatures, maskFromLabel, readNifti } from "@radlab/kernel";
 * const image = await readNifti("../shared/data/radiomics/ibsi1-digital-phantom/nifti/image/phantom.nii.gz");
 * const labels = await readNifti("../shared/data/radiomics/ibsi1-digital-phantom/nifti/mask/mask.nii.gz");
 * const roi = discretise(image, maskFromLabel(labels, 1), { kind: "none", levels: 6 });
 * glcmFeatures(roi, { aggregations: ["3D_avg"] }).cm_joint_max_3D_avg; // 0.503 (IBSI: 0.503)
 * ```
 */
export function glcmFeatures(roi: DiscretisedRoi, options: GlcmOptions = {}): Record<string, number> {
  const aggregations = options.aggregations ?? TEXTURE_AGGREGATIONS;
  assertTextureAggregations(aggregations);
  const distance = checkedDistance(options.distance ?? 1);
  const padded = paddedRoi(roi, distance);
  const ng = padded.levelCount;
  const scale = (m: Triple): Triple => [m[0] * distance, m[1] * distance, m[2] * distance];
  return aggregateTextureFeatures(
    {
      rows: ng,
      cols: ng,
      slices: roiSlices(padded),
      accumulate: (directions, slice, out) => accumulateCooccurrences(padded, directions.map(scale), slice, out, true),
      features: (counts) => glcmMatrixFeatures(counts, ng),
      featureTags: GLCM_FEATURE_TAGS,
    },
    aggregations,
  );
}
