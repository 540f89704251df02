import type { Triple } from "../image/volume";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { accumulateRuns, glrlmMatrixFeatures, longestPossibleRun } from "./glrlm";
import { DIRECTIONS_3D } from "./neighbourhood";
import { paddedRoi, type PaddedRoi } from "./padded-roi";
import { nanMeanFeatures } from "./pyradiomics-angle-mean";

/** pyradiomics' glrlm feature names and the IBSI tags that compute them. */
const NAMES: readonly (readonly [string, string])[] = [
  ["glrlm_ShortRunEmphasis", "rlm_sre"],
  ["glrlm_LongRunEmphasis", "rlm_lre"],
  ["glrlm_GrayLevelNonUniformity", "rlm_glnu"],
  ["glrlm_GrayLevelNonUniformityNormalized", "rlm_glnu_norm"],
  ["glrlm_RunLengthNonUniformity", "rlm_rlnu"],
  ["glrlm_RunLengthNonUniformityNormalized", "rlm_rlnu_norm"],
  ["glrlm_RunPercentage", "rlm_r_perc"],
  ["glrlm_GrayLevelVariance", "rlm_gl_var"],
  ["glrlm_RunVariance", "rlm_rl_var"],
  ["glrlm_RunEntropy", "rlm_rl_entr"],
  ["glrlm_LowGrayLevelRunEmphasis", "rlm_lgre"],
  ["glrlm_HighGrayLevelRunEmphasis", "rlm_hgre"],
  ["glrlm_ShortRunLowGrayLevelEmphasis", "rlm_srlge"],
  ["glrlm_ShortRunHighGrayLevelEmphasis", "rlm_srhge"],
  ["glrlm_LongRunLowGrayLevelEmphasis", "rlm_lrlge"],
  ["glrlm_LongRunHighGrayLevelEmphasis", "rlm_lrhge"],
];

/** pyradiomics' glrlm feature names (as in its baseline CSVs, without `original_`), in its order. */
export const PYRADIOMICS_GLRLM_FEATURES: readonly string[] = Object.freeze(NAMES.map(([name]) => name));

/**
 * Whether some line along `step` holds two ROI voxels (pyradiomics keeps an angle only then; for
 * a single-slice ROI, the 9 angles that leave the slice are dropped). Called only when no run is
 * longer than 1, so the walk along every line is rare.
 */
function lineHoldsTwoVoxels(roi: PaddedRoi, step: Triple): boolean {
  const [nx, ny, nz] = roi.dims;
  for (const idx of roi.voxels) {
    let i = idx % nx;
    let j = Math.floor(idx / nx) % ny;
    let k = Math.floor(idx / (nx * ny));
    for (;;) {
      i += step[0];
      j += step[1];
      k += step[2];
      if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) break;
      if (roi.levels[i + nx * (j + ny * k)] !== 0) return true;
    }
  }
  return false;
}

/**
 * pyradiomics' `glrlm` feature class (default settings: no distance weighting, not voxel-based,
 * 3D), keyed by pyradiomics' names without `original_` (for example `glrlm_RunPercentage`).
 *
 * The run length matrices and per-matrix formulas are IBSI's ({@link glrlmMatrixFeatures}: levels
 * absent from the ROI and run lengths that never occur add nothing to any sum, so pyradiomics'
 * removal of them changes nothing). Where pyradiomics differs from IBSI ({@link glrlmFeatures},
 * `3D_avg`):
 * - features are averaged over the 13 angles with `nanmean`, and an angle is dropped when no line
 *   along it holds two ROI voxels (pyradiomics' test for a "2D" segmentation along that angle);
 * - RunEntropy takes log2(p + eps) in pyradiomics; here log2 p (the difference is below 1e-13).
 *
 * @param roi - a discretised ROI; for pyradiomics' defaults, `discretise(image, mask, { kind:
 *   "pyradiomics-bin-width", binWidth: 25 })`.
 * @throws {@link RadiomicsError} `empty-roi` for an ROI without voxels, `settings` for grey levels
 *   outside 1..Ng.
 *
 * @example
 * ```ts
 * import { discretise, maskFromLabel, pyradiomicsGlrlmFeatures, readNrrd } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"), 1);
 * const roi = discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth: 25 });
 * pyradiomicsGlrlmFeatures(roi).glrlm_RunPercentage; // 0.94041 (pyradiomics: 0.9404064632491029)
 * ```
 */
export function pyradiomicsGlrlmFeatures(roi: DiscretisedRoi): Record<string, number> {
  const padded = paddedRoi(roi, 1);
  const ng = padded.levelCount;
  const maxRun = longestPossibleRun(padded);
  const size = ng * maxRun;
  const counts = new Float64Array(DIRECTIONS_3D.length * size);
  accumulateRuns(padded, DIRECTIONS_3D, undefined, counts, maxRun);
  const sets: Record<string, number>[] = [];
  DIRECTIONS_3D.forEach((direction, a) => {
    const matrix = counts.subarray(a * size, (a + 1) * size);
    let longRun = false;
    for (let n = 0; n < size && !longRun; n++) longRun = n % maxRun > 0 && matrix[n]! > 0;
    if (!longRun && !lineHoldsTwoVoxels(padded, direction)) return;
    const ibsi = glrlmMatrixFeatures(matrix, ng, maxRun);
    if (ibsi === undefined) return;
    const named: Record<string, number> = {};
    for (const [name, tag] of NAMES) named[name] = ibsi[tag]!;
    sets.push(named);
  });
  return nanMeanFeatures(sets, PYRADIOMICS_GLRLM_FEATURES);
}
