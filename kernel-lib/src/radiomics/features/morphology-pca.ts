import type { Mask } from "../image/volume";
import { maskBounds } from "./morphology-bounds";

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
 * The eigenvalues of a symmetric 3 x 3 matrix `[a, b, c; b, d, e; c, e, f]`, by cyclic Jacobi
 * rotations (accurate to a few units in the last place), sorted from largest to smallest.
 *
 * @example
 * ```ts
 * symmetricEigenvalues3(2, 0, 0, 3, 0, 1); // [3, 2, 1] for diag(2, 3, 1)
 * ```
 */
export function symmetricEigenvalues3(
  a: number,
  b: number,
  c: number,
  d: number,
  e: number,
  f: number,
): [number, number, number] {
  const m = [
    [a, b, c],
    [b, d, e],
    [c, e, f],
  ] as number[][];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = m[0]![1]! ** 2 + m[0]![2]! ** 2 + m[1]![2]! ** 2;
    const diag = m[0]![0]! ** 2 + m[1]![1]! ** 2 + m[2]![2]! ** 2;
    if (off <= 1e-34 * diag || off === 0) break;
    for (const [p, q] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      const apq = m[p]![q]!;
      if (apq === 0) continue;
      const app = m[p]![p]!;
      const aqq = m[q]![q]!;
      const theta = (aqq - app) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const cs = 1 / Math.sqrt(t * t + 1);
      const sn = t * cs;
      for (let k = 0; k < 3; k++) {
        const mkp = m[k]![p]!;
        const mkq = m[k]![q]!;
        m[k]![p] = cs * mkp - sn * mkq;
        m[k]![q] = sn * mkp + cs * mkq;
      }
      for (let k = 0; k < 3; k++) {
        const mpk = m[p]![k]!;
        const mqk = m[q]![k]!;
        m[p]![k] = cs * mpk - sn * mqk;
        m[q]![k] = sn * mpk + cs * mqk;
      }
    }
  }
  const values = [m[0]![0]!, m[1]![1]!, m[2]![2]!].sort((x, y) => y - x);
  return [values[0]!, values[1]!, values[2]!];
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
  const [major, minor, least] = symmetricEigenvalues3(
    cxx / div,
    cxy / div,
    cxz / div,
    cyy / div,
    cyz / div,
    czz / div,
  ).map((v) => (v < 0 && v > -1e-10 ? 0 : v)) as [number, number, number];
  return { major, minor, least, count };
}
