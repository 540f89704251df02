import type { Triple } from "../image/volume";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { countMatrixStatistics } from "./count-matrix";
import { TEXTURE_AGGREGATIONS, type TextureAggregation } from "./neighbourhood";
import { linearOffset, paddedRoi, roiSlices, type PaddedRoi } from "./padded-roi";
import { aggregateTextureFeatures, assertTextureAggregations } from "./texture-matrix";

/** The IBSI 3.7 run length features, as tags without the aggregation suffix, in IBSI's order. */
export const GLRLM_FEATURE_TAGS: readonly string[] = Object.freeze([
  "rlm_sre",
  "rlm_lre",
  "rlm_lgre",
  "rlm_hgre",
  "rlm_srlge",
  "rlm_srhge",
  "rlm_lrlge",
  "rlm_lrhge",
  "rlm_glnu",
  "rlm_glnu_norm",
  "rlm_rlnu",
  "rlm_rlnu_norm",
  "rlm_r_perc",
  "rlm_gl_var",
  "rlm_rl_var",
  "rlm_rl_entr",
]);

/** Options of {@link glrlmFeatures}. */
export interface GlrlmOptions {
  /** Which aggregations to compute (default: all six). */
  readonly aggregations?: readonly TextureAggregation[];
}

/**
 * The longest run a padded ROI can hold along any direction: the longest side of its bounding
 * box. Run length matrices have this many columns.
 *
 * @example
 * ```ts
 * import { longestPossibleRun } from "./glrlm";
 * import { paddedRoi } from "./padded-roi";
 * const roi = paddedRoi(
 *   { dims: [3, 2, 1], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
 *     levels: Int32Array.from([1, 1, 1, 2, 2, 2]), levelCount: 2, lowerEdge: 1, binWidth: 1 },
 *   1,
 * );
 * longestPossibleRun(roi); // 3
 * ```
 */
export function longestPossibleRun(roi: PaddedRoi): number {
  const m = 2 * roi.margin;
  return Math.max(roi.dims[0] - m, roi.dims[1] - m, roi.dims[2] - m);
}

/**
 * Counts grey-level runs into one Ng x `maxRun` matrix per direction (row-major, `(i - 1) *
 * maxRun + (l - 1)` for a run of level i and length l): maximal lines of consecutive ROI voxels of
 * one grey level along the direction, broken by another level or by a voxel outside the ROI. One
 * pass over the ROI voxels per call; each run is found from its first voxel.
 *
 * @param roi - the padded ROI (margin at least 1).
 * @param directions - unit steps (di, dj, dk) with components in -1..1; matrix n is for
 *   `directions[n]` (a direction and its opposite give the same runs).
 * @param slice - only runs in this slice (k) of the padded grid (in-slice directions), or all.
 * @param out - `directions.length * Ng * maxRun` counts, added to (pass zeros).
 *
 * @example
 * ```ts
 * import { accumulateRuns } from "./glrlm";
 * import { paddedRoi } from "./padded-roi";
 * const roi = paddedRoi(
 *   { dims: [3, 1, 1], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
 *     levels: Int32Array.from([1, 1, 2]), levelCount: 2, lowerEdge: 1, binWidth: 1 },
 *   1,
 * );
 * const out = new Float64Array(2 * 3);
 * accumulateRuns(roi, [[1, 0, 0]], undefined, out, 3);
 * // out = [0, 1, 0, 1, 0, 0]: one run of 1s of length 2, one run of 2s of length 1
 * ```
 */
export function accumulateRuns(
  roi: PaddedRoi,
  directions: readonly Triple[],
  slice: number | undefined,
  out: Float64Array,
  maxRun: number,
): void {
  const size = roi.levelCount * maxRun;
  const count = directions.length;
  const steps = Int32Array.from(directions, (o) => linearOffset(roi.dims, o));
  const { levels, voxels } = roi;
  const start = slice === undefined ? 0 : roi.sliceStart[slice]!;
  const end = slice === undefined ? voxels.length : roi.sliceStart[slice + 1]!;
  for (let n = start; n < end; n++) {
    const idx = voxels[n]!;
    const a = levels[idx]!;
    const row = (a - 1) * maxRun - 1;
    for (let d = 0; d < count; d++) {
      const step = steps[d]!;
      if (levels[idx - step] === a) continue; // not the first voxel of its run
      let length = 1;
      for (let j = idx + step; levels[j] === a; j += step) length++;
      out[d * size + row + length]!++;
    }
  }
}

/**
 * The 16 IBSI run length features (IBSI 3.7.1 to 3.7.16) of one Ng x `maxRun` count matrix, or
 * `undefined` when it holds no run: the {@link countMatrixStatistics} of the matrix, with run
 * lengths as its columns. The number of voxels in the run percentage is Σ l·r(i, l), so that
 * merged matrices count each voxel once per merged direction, as IBSI prescribes.
 *
 * @example
 * ```ts
 * import { glrlmMatrixFeatures } from "./glrlm";
 * const f = glrlmMatrixFeatures(Float64Array.from([0, 1, 0, 1, 0, 0]), 2, 3)!;
 * f.rlm_sre; // 0.625 = (1/4 + 1) / 2
 * f.rlm_r_perc; // 0.6667 = 2 runs / 3 voxels
 * ```
 */
export function glrlmMatrixFeatures(
  counts: Float64Array,
  ng: number,
  maxRun: number,
): Record<string, number> | undefined {
  const s = countMatrixStatistics({ counts, rows: ng, columns: maxRun });
  if (s.total === 0) return undefined;
  return {
    rlm_sre: s.smallEmphasis,
    rlm_lre: s.largeEmphasis,
    rlm_lgre: s.lowGreyEmphasis,
    rlm_hgre: s.highGreyEmphasis,
    rlm_srlge: s.smallLowGreyEmphasis,
    rlm_srhge: s.smallHighGreyEmphasis,
    rlm_lrlge: s.largeLowGreyEmphasis,
    rlm_lrhge: s.largeHighGreyEmphasis,
    rlm_glnu: s.greyNonUniformity,
    rlm_glnu_norm: s.greyNonUniformityNormalised,
    rlm_rlnu: s.columnNonUniformity,
    rlm_rlnu_norm: s.columnNonUniformityNormalised,
    rlm_r_perc: s.total / s.columnTotal,
    rlm_gl_var: s.greyVariance,
    rlm_rl_var: s.columnVariance,
    rlm_rl_entr: s.entropy,
  };
}

/**
 * IBSI grey level run length matrix features (IBSI 3.7) under each requested aggregation, keyed by
 * IBSI tag (for example `rlm_sre_3D_avg`, `rlm_r_perc_2D_comb`).
 *
 * Runs follow the 4 in-slice directions (2D, 2.5D) or the 13 volume directions (3D) and only
 * through ROI voxels; the matrix has Ng = `roi.levelCount` rows. See
 * {@link aggregateTextureFeatures} for how slices and directions are combined.
 *
 * @param roi - a discretised ROI ({@link discretise}).
 * @param options - `aggregations` (default all six).
 * @returns 16 features for each requested aggregation.
 * @throws {@link RadiomicsError} `empty-roi` when the ROI has no voxel, `settings` for an unknown
 *   aggregation or grey levels outside 1..Ng.
 *
 * @example
 * ```ts
 * import { discretise, glrlmFeatures, maskFromLabel, readNifti } from "@radlab/kernel";
 * const image = await readNifti("../shared/data/radiomics/ibsi1-digital-phantom/nifti/image/phantom.nii.gz");
 * const labels = await readNifti("../shared/data/radiomics/ibsi1-digital-phantom/nifti/mask/mask.nii.gz");
 * const roi = discretise(image, maskFromLabel(labels, 1), { kind: "none", levels: 6 });
 * glrlmFeatures(roi, { aggregations: ["3D_avg"] }).rlm_sre_3D_avg; // 0.705 (IBSI: 0.705)
 * ```
 */
export function glrlmFeatures(roi: DiscretisedRoi, options: GlrlmOptions = {}): Record<string, number> {
  const aggregations = options.aggregations ?? TEXTURE_AGGREGATIONS;
  assertTextureAggregations(aggregations);
  const padded = paddedRoi(roi, 1);
  const ng = padded.levelCount;
  const maxRun = longestPossibleRun(padded);
  return aggregateTextureFeatures(
    {
      rows: ng,
      cols: maxRun,
      slices: roiSlices(padded),
      accumulate: (directions, slice, out) => accumulateRuns(padded, directions, slice, out, maxRun),
      features: (counts) => glrlmMatrixFeatures(counts, ng, maxRun),
      featureTags: GLRLM_FEATURE_TAGS,
    },
    aggregations,
  );
}
