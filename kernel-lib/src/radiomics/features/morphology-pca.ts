import type { Mask } from "../image/volume";
import { maskBounds } from "./morphology-bounds";
import { symmetricEigenvalues } from "./symmetric-eigenvalues";

/**
 * The principal components of a mask's voxel-centre point set (IBSI 3.1.12 to 3.1.16): the
 * eigenvalues of the covariance matrix of the voxel centres in mm, from largest to smallest.
 */
export interface PrincipalComponents {
  /** λ_major ≥ λ_minor ≥ λ_least, in mm². */
  readonly major: number;
  readonly minor: number;
  readonly least: number;
  /** The number of voxels. */
  readonly count: number;
}

/**
 * How the covariance is normalised: `sample` divides by N − 1 (IBSI: its digital-phantom axis
 * lengths are met only this way, for example 11.40 mm, not 11.33 mm, for the major axis);
 * `population` divides by N (pyradiomics' `shape` class).
 */
export type CovarianceNormalisation = "sample" | "population";

/**
 * Principal component analysis of a mask's voxel centres (mm, along the grid axes; the direction
 * matrix is a rotation and does not change eigenvalues).
 *
 * Eigenvalues in [−1e−10, 0) from rounding (flat ROIs) are set to 0, as pyradiomics does.
 *
 * @param mask - The ROI.
 * @param normalisation - See {@link CovarianceNormalisation}.
 * @throws {@link RadiomicsError} `empty-roi` when the mask holds no voxel.
 *
 * @example
 * ```ts
 * const pca = principalComponents(mask, "sample");
 * 4 * Math.sqrt(pca.major); // major axis length, 11.40 mm for the IBSI digital phantom
 * ```
 */
export function principalComponents(mask: Mask, normalisation: CovarianceNormalisation): PrincipalComponents {
  const { min, max } = maskBounds(mask);
  const [nx, ny] = mask.dims;
  const [sx, sy, sz] = mask.spacing;
  let count = 0;
  let mx = 0;
  let my = 0;
  let mz = 0;
  for (let k = min[2]; k <= max[2]; k++) {
    for (let j = min[1]; j <= max[1]; j++) {
      let n = min[0] + nx * (j + ny * k);
      for (let i = min[0]; i <= max[0]; i++, n++) {
        if (mask.data[n] === 0) continue;
        count++;
        mx += i * sx;
        my += j * sy;
        mz += k * sz;
      }
    }
  }
  mx /= count;
  my /= count;
  mz /= count;
  let cxx = 0;
  let cxy = 0;
  let cxz = 0;
  let cyy = 0;
  let cyz = 0;
  let czz = 0;
  for (let k = min[2]; k <= max[2]; k++) {
    const dz = k * sz - mz;
    for (let j = min[1]; j <= max[1]; j++) {
      const dy = j * sy - my;
      let n = min[0] + nx * (j + ny * k);
      for (let i = min[0]; i <= max[0]; i++, n++) {
        if (mask.data[n] === 0) continue;
        const dx = i * sx - mx;
        cxx += dx * dx;
        cxy += dx * dy;
        cxz += dx * dz;
        cyy += dy * dy;
        cyz += dy * dz;
        czz += dz * dz;
      }
    }
  }
  const div = normalisation === "sample" ? Math.max(count - 1, 1) : count;
  const [xx, xy, xz, yy, yz, zz] = [cxx / div, cxy / div, cxz / div, cyy / div, cyz / div, czz / div];
  // Ascending; rounding can leave a flat ROI's zero eigenvalue slightly negative.
  const eigenvalues = symmetricEigenvalues(Float64Array.of(xx, xy, xz, xy, yy, yz, xz, yz, zz), 3);
  const [least, minor, major] = Array.from(eigenvalues, (v) => (v < 0 && v > -1e-10 ? 0 : v));
  return { major: major!, minor: minor!, least: least!, count };
}
