import { RadiomicsError } from "../radiomics-error";
import type { Triple } from "../image/volume";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { accumulateCooccurrences } from "./glcm";
import { paddedRoi } from "./padded-roi";
import { nanMeanFeatures } from "./pyradiomics-angle-mean";
import { symmetricEigenvalues } from "./symmetric-eigenvalues";

/** pyradiomics' glcm feature names (as in its baseline CSVs, without `original_`), in its order. */
export const PYRADIOMICS_GLCM_FEATURES: readonly string[] = Object.freeze([
  "glcm_Autocorrelation",
  "glcm_JointAverage",
  "glcm_ClusterProminence",
  "glcm_ClusterShade",
  "glcm_ClusterTendency",
  "glcm_Contrast",
  "glcm_Correlation",
  "glcm_DifferenceAverage",
  "glcm_DifferenceEntropy",
  "glcm_DifferenceVariance",
  "glcm_JointEnergy",
  "glcm_JointEntropy",
  "glcm_Imc1",
  "glcm_Imc2",
  "glcm_Idm",
  "glcm_MCC",
  "glcm_Idmn",
  "glcm_Id",
  "glcm_Idn",
  "glcm_InverseVariance",
  "glcm_MaximumProbability",
  "glcm_SumAverage",
  "glcm_SumEntropy",
  "glcm_SumSquares",
]);

/** Options of {@link pyradiomicsGlcmFeatures} (pyradiomics' settings of the same meaning). */
export interface PyradiomicsGlcmOptions {
  /** pyradiomics' `distances` (default `[1]`): every offset whose Chebyshev norm is one of them. */
  readonly distances?: readonly number[];
  /** pyradiomics' `symmetricalGLCM` (default `true`). */
  readonly symmetric?: boolean;
}

/** numpy.spacing(1), pyradiomics' `eps`. */
const EPS = 2.220446049250313e-16;

/**
 * pyradiomics' angles for `distances`: every voxel offset whose Chebyshev norm (largest absolute
 * component) is one of the distances, one of each opposite pair (13 for `[1]`, 49 for `[2]`).
 *
 * @throws {@link RadiomicsError} `settings` when `distances` is empty or holds a value that is not a
 *   positive integer.
 *
 * @example
 * ```ts
 * import { pyradiomicsAngles } from "./pyradiomics-glcm";
 * pyradiomicsAngles([1]).length; // 13
 * pyradiomicsAngles([1, 2]).length; // 62
 * ```
 */
export function pyradiomicsAngles(distances: readonly number[]): Triple[] {
  if (distances.length === 0) {
    throw new RadiomicsError("settings", "pyradiomics' distances must list at least one distance", {
      path: "distances",
      hint: "Use [1], pyradiomics' default.",
    });
  }
  distances.forEach((d, n) => {
    if (!Number.isInteger(d) || d < 1) {
      throw new RadiomicsError("settings", `A co-occurrence distance must be a positive integer, not ${d}`, {
        path: `distances[${n}]`,
        hint: "Use whole numbers of voxels, for example [1] or [1, 2].",
      });
    }
  });
  const wanted = new Set(distances);
  const max = Math.max(...distances);
  const out: Triple[] = [];
  for (let dk = 0; dk <= max; dk++) {
    for (let dj = -max; dj <= max; dj++) {
      for (let di = -max; di <= max; di++) {
        // one of each ± pair: the first non-zero of (dk, dj, di) is positive
        if (dk === 0 && (dj < 0 || (dj === 0 && di <= 0))) continue;
        if (wanted.has(Math.max(Math.abs(di), Math.abs(dj), dk))) out.push([di, dj, dk]);
      }
    }
  }
  return out;
}

/**
 * pyradiomics' maximal correlation coefficient of one normalised matrix: the square root of the
 * second largest eigenvalue of Q(i, j) = Σ_k p(i, k) p(j, k) / (px(i) py(k)). Q is similar to the
 * symmetric B Bᵀ with B(i, k) = p(i, k) / sqrt(px(i) py(k)), so the eigenvalues come from
 * {@link symmetricEigenvalues}; for a symmetric matrix B itself is symmetric and Q's eigenvalues
 * are the squares of B's, which saves the product. Levels present in the ROI but without a pair
 * at this angle give the zero eigenvalues they give in pyradiomics. pyradiomics' `eps` in the
 * denominator is left out (relative effect below 1e-7 for any level with a pair).
 */
function maximalCorrelation(
  p: Float64Array,
  ng: number,
  px: Float64Array,
  py: Float64Array,
  present: number,
  symmetric: boolean,
): number {
  if (present < 2) return 1; // pyradiomics' value for a flat region
  const rows: number[] = [];
  const cols: number[] = [];
  for (let i = 0; i < ng; i++) {
    if (px[i]! > 0) rows.push(i);
    if (py[i]! > 0) cols.push(i);
  }
  const nr = rows.length;
  const nc = cols.length;
  const b = new Float64Array(nr * nc);
  for (let r = 0; r < nr; r++) {
    const i = rows[r]!;
    for (let c = 0; c < nc; c++) {
      const k = cols[c]!;
      b[r * nc + c] = p[i * ng + k]! / Math.sqrt(px[i]! * py[k]!);
    }
  }
  let eigenvalues: number[];
  if (symmetric) {
    eigenvalues = Array.from(symmetricEigenvalues(b, nr), (v) => v * v);
  } else {
    const s = new Float64Array(nr * nr);
    for (let r = 0; r < nr; r++) {
      for (let q = 0; q <= r; q++) {
        let sum = 0;
        for (let c = 0; c < nc; c++) sum += b[r * nc + c]! * b[q * nc + c]!;
        s[r * nr + q] = sum;
        s[q * nr + r] = sum;
      }
    }
    eigenvalues = Array.from(symmetricEigenvalues(s, nr));
  }
  while (eigenvalues.length < present) eigenvalues.push(0);
  eigenvalues.sort((x, y) => x - y);
  return Math.sqrt(eigenvalues[eigenvalues.length - 2]!);
}

/**
 * pyradiomics' glcm features of one angle's count matrix (Ng x Ng, all discretisation levels).
 *
 * @param ngNorm - pyradiomics' `Ng` in Idn and Idmn: the highest grey level in the ROI.
 * @param present - the number of grey levels that occur in the ROI (pyradiomics' matrix size).
 * @param symmetric - whether the counts are symmetric (`symmetricalGLCM`).
 */
function angleFeatures(
  counts: Float64Array,
  ng: number,
  ngNorm: number,
  present: number,
  symmetric: boolean,
): Record<string, number> {
  let total = 0;
  for (let n = 0; n < ng * ng; n++) total += counts[n]!;
  const p = new Float64Array(ng * ng);
  for (let n = 0; n < ng * ng; n++) p[n] = counts[n]! / total;
  const px = new Float64Array(ng);
  const py = new Float64Array(ng);
  const pSum = new Float64Array(2 * ng + 1);
  const pDiff = new Float64Array(ng);
  let autocorrelation = 0;
  let energy = 0;
  let hxy = 0;
  let maxProbability = 0;
  for (let i = 1; i <= ng; i++) {
    for (let j = 1; j <= ng; j++) {
      const v = p[(i - 1) * ng + j - 1]!;
      if (v === 0) continue;
      px[i - 1]! += v;
      py[j - 1]! += v;
      pSum[i + j]! += v;
      pDiff[Math.abs(i - j)]! += v;
      autocorrelation += v * i * j;
      energy += v * v;
      hxy -= v * Math.log2(v + EPS);
      if (v > maxProbability) maxProbability = v;
    }
  }
  let ux = 0;
  let uy = 0;
  let hx = 0;
  let hy = 0;
  for (let i = 1; i <= ng; i++) {
    ux += i * px[i - 1]!;
    uy += i * py[i - 1]!;
    hx -= px[i - 1]! * Math.log2(px[i - 1]! + EPS);
    hy -= py[i - 1]! * Math.log2(py[i - 1]! + EPS);
  }
  let sumSquares = 0;
  let varY = 0;
  let covariance = 0;
  let clusterTendency = 0;
  let clusterShade = 0;
  let clusterProminence = 0;
  let contrast = 0;
  let hxy1 = 0;
  let hxy2 = 0;
  for (let i = 1; i <= ng; i++) {
    const a = px[i - 1]!;
    for (let j = 1; j <= ng; j++) {
      const q = a * py[j - 1]!;
      if (q > 0) hxy2 -= q * Math.log2(q + EPS);
      const v = p[(i - 1) * ng + j - 1]!;
      if (v === 0) continue;
      sumSquares += v * (i - ux) ** 2;
      varY += v * (j - uy) ** 2;
      covariance += v * (i - ux) * (j - uy);
      const e = i + j - ux - uy;
      const e2 = e * e;
      clusterTendency += v * e2;
      clusterShade += v * e2 * e;
      clusterProminence += v * e2 * e2;
      contrast += v * (i - j) ** 2;
      hxy1 -= v * Math.log2(q + EPS);
    }
  }
  let differenceAverage = 0;
  let differenceEntropy = 0;
  let idm = 0;
  let idmn = 0;
  let id = 0;
  let idn = 0;
  let inverseVariance = 0;
  for (let k = 0; k < ng; k++) {
    const v = pDiff[k]!;
    differenceAverage += k * v;
    differenceEntropy -= v * Math.log2(v + EPS);
    idm += v / (1 + k * k);
    idmn += v / (1 + (k * k) / (ngNorm * ngNorm));
    id += v / (1 + k);
    idn += v / (1 + k / ngNorm);
    if (k > 0) inverseVariance += v / (k * k);
  }
  let differenceVariance = 0;
  for (let k = 0; k < ng; k++) differenceVariance += pDiff[k]! * (k - differenceAverage) ** 2;
  let sumAverage = 0;
  let sumEntropy = 0;
  for (let k = 2; k <= 2 * ng; k++) {
    const v = pSum[k]!;
    sumAverage += k * v;
    sumEntropy -= v * Math.log2(v + EPS);
  }
  const sigma = Math.sqrt(sumSquares) * Math.sqrt(varY);
  const div = Math.max(hx, hy);
  return {
    glcm_Autocorrelation: autocorrelation,
    glcm_JointAverage: ux,
    glcm_ClusterProminence: clusterProminence,
    glcm_ClusterShade: clusterShade,
    glcm_ClusterTendency: clusterTendency,
    glcm_Contrast: contrast,
    glcm_Correlation: sigma === 0 ? 1 : covariance / (sigma + EPS),
    glcm_DifferenceAverage: differenceAverage,
    glcm_DifferenceEntropy: differenceEntropy,
    glcm_DifferenceVariance: differenceVariance,
    glcm_JointEnergy: energy,
    glcm_JointEntropy: hxy,
    glcm_Imc1: div === 0 ? 0 : (hxy - hxy1) / div,
    // numpy gives NaN for the square root of a negative number (HXY > HXY2 by rounding)
    glcm_Imc2: hxy2 === hxy ? 0 : Math.sqrt(1 - Math.exp(-2 * (hxy2 - hxy))),
    glcm_Idm: idm,
    glcm_MCC: maximalCorrelation(p, ng, px, py, present, symmetric),
    glcm_Idmn: idmn,
    glcm_Id: id,
    glcm_Idn: idn,
    glcm_InverseVariance: inverseVariance,
    glcm_MaximumProbability: maxProbability,
    glcm_SumAverage: sumAverage,
    glcm_SumEntropy: sumEntropy,
    glcm_SumSquares: sumSquares,
  };
}

/**
 * pyradiomics' `glcm` feature class (default settings: no distance weighting, not voxel-based, 3D),
 * keyed by pyradiomics' names without `original_` (for example `glcm_JointEnergy`), reproducing
 * pyradiomics 1.3 to 3.x on the same discretised ROI.
 *
 * Where pyradiomics differs from IBSI ({@link glcmFeatures}, `3D_avg`):
 * - one matrix per angle (13 for distance 1; every offset of Chebyshev norm in `distances`, not
 *   only δ times the 13 directions), features averaged over angles with `nanmean`; angles without
 *   any pair in the ROI are dropped;
 * - `symmetric: false` counts each pair once (voxel, neighbour at +angle), as `symmetricalGLCM`;
 * - levels absent from the ROI are removed from the matrix, so `Ng` in Idn and Idmn is the highest
 *   grey level in the ROI, not the discretisation's level count;
 * - entropies and HXY1, HXY2 take log2(p + eps) with eps = 2.2e-16;
 * - Correlation is covariance / (σx σy + eps), and 1 when σx σy = 0 (IBSI: undefined);
 * - Imc1 divides by max(HX, HY) and is 0 when both are 0; Imc2 is 0 when HXY2 = HXY;
 * - MCC (maximal correlation coefficient) has no IBSI counterpart; it is 1 for a single grey level.
 *
 * Names map to IBSI as JointAverage = joint average, SumSquares = joint variance, JointEnergy =
 * angular second moment, MaximumProbability = joint maximum, Id/Idn/Idm/Idmn = inverse difference
 * (normalised) (moment), ClusterTendency = sum variance. Dissimilarity, SumVariance and
 * Homogeneity1/2 are deprecated in pyradiomics (equal to DifferenceAverage, ClusterTendency,
 * Id, Idm) and not returned.
 *
 * @param roi - a discretised ROI; for pyradiomics' defaults, `discretise(image, mask, { kind:
 *   "pyradiomics-bin-width", binWidth: 25 })`.
 * @throws {@link RadiomicsError} `empty-roi` for an ROI without voxels, `settings` for bad
 *   `distances` or grey levels outside 1..Ng.
 *
 * @example
 * ```ts
 * import { discretise, maskFromLabel, pyradiomicsGlcmFeatures, readNrrd } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"), 1);
 * const roi = discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth: 25 });
 * pyradiomicsGlcmFeatures(roi).glcm_JointEnergy; // 0.0028931 (pyradiomics: 0.0028931492429888645)
 * ```
 */
export function pyradiomicsGlcmFeatures(
  roi: DiscretisedRoi,
  options: PyradiomicsGlcmOptions = {},
): Record<string, number> {
  const distances = options.distances ?? [1];
  const angles = pyradiomicsAngles(distances);
  const symmetric = options.symmetric ?? true;
  const padded = paddedRoi(roi, Math.max(...distances));
  const ng = padded.levelCount;
  const size = ng * ng;
  const counts = new Float64Array(angles.length * size);
  accumulateCooccurrences(padded, angles, undefined, counts, symmetric);
  const sets: Record<string, number>[] = [];
  for (let a = 0; a < angles.length; a++) {
    const matrix = counts.subarray(a * size, (a + 1) * size);
    let empty = true;
    for (let n = 0; n < size && empty; n++) empty = matrix[n] === 0;
    if (empty) continue; // pyradiomics deletes angles without a pair
    sets.push(angleFeatures(matrix, ng, padded.maxLevel, padded.presentLevelCount, symmetric));
  }
  return nanMeanFeatures(sets, PYRADIOMICS_GLCM_FEATURES);
}
