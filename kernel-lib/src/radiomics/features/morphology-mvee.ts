import { symmetricEigenvalues } from "./symmetric-eigenvalues";

/** An ellipsoid's semi-axis lengths, largest first (mm). */
export interface EllipsoidAxes {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** Iterations Khachiyan's method took. */
  readonly iterations: number;
}

/** Inverts a symmetric 4 x 4 matrix (row-major) by Gauss-Jordan elimination with partial pivoting. */
function invert4(m: Float64Array, out: Float64Array): boolean {
  const w = new Float64Array(32);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) w[8 * r + c] = m[4 * r + c]!;
    w[8 * r + 4 + r] = 1;
  }
  for (let col = 0; col < 4; col++) {
    let pivot = col;
    for (let r = col + 1; r < 4; r++) if (Math.abs(w[8 * r + col]!) > Math.abs(w[8 * pivot + col]!)) pivot = r;
    const pv = w[8 * pivot + col]!;
    if (pv === 0 || !Number.isFinite(pv)) return false;
    if (pivot !== col) {
      for (let c = 0; c < 8; c++) {
        const t = w[8 * col + c]!;
        w[8 * col + c] = w[8 * pivot + c]!;
        w[8 * pivot + c] = t;
      }
    }
    for (let c = 0; c < 8; c++) w[8 * col + c] = w[8 * col + c]! / pv;
    for (let r = 0; r < 4; r++) {
      if (r === col) continue;
      const f = w[8 * r + col]!;
      if (f === 0) continue;
      for (let c = 0; c < 8; c++) w[8 * r + c] = w[8 * r + c]! - f * w[8 * col + c]!;
    }
  }
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) out[4 * r + c] = w[8 * r + 4 + c]!;
  return true;
}

/**
 * The minimum-volume enclosing ellipsoid of a point set, approximated by Khachiyan's barycentric
 * coordinate ascent (Khachiyan 1996; Todd and Yıldırım 2007), as IBSI suggests for
 * `morph_vol_dens_mvee` (not standardised: IBSI-1 publishes no reference value).
 *
 * Iterates until the weights change by less than `tolerance` (Euclidean norm; IBSI's default is
 * 0.001) or `maxIterations` is reached. The ellipsoid found is within that tolerance of the
 * optimum, so it can be marginally smaller than the exact MVEE. Pass the convex hull's vertices:
 * the MVEE of a set is that of its hull, and there are far fewer of them.
 *
 * Cost: O(iterations × points); typically a few hundred to a few thousand iterations.
 *
 * @param points - Coordinates `x, y, z` interleaved (mm).
 * @param indices - The points to enclose.
 * @returns The semi-axes, or `NaN` axes when the points do not span a volume.
 *
 * @example
 * ```ts
 * const hull = convexHull(mesh.lattice);
 * const { a, b, c } = minimumVolumeEnclosingEllipsoid(mesh.vertices, hull.vertexIndices);
 * (4 / 3) * Math.PI * a * b * c; // V_mvee
 * ```
 */
export function minimumVolumeEnclosingEllipsoid(
  points: Float64Array,
  indices: ArrayLike<number>,
  tolerance = 0.001,
  maxIterations = 100_000,
): EllipsoidAxes {
  const n = indices.length;
  const nan = { a: Number.NaN, b: Number.NaN, c: Number.NaN, iterations: 0 };
  if (n < 4) return nan;
  // Centre the points for conditioning (the method is translation invariant).
  let cx = 0;
  let cy = 0;
  let cz = 0;
  for (let q = 0; q < n; q++) {
    const p = 3 * indices[q]!;
    cx += points[p]!;
    cy += points[p + 1]!;
    cz += points[p + 2]!;
  }
  cx /= n;
  cy /= n;
  cz /= n;
  const qx = new Float64Array(n);
  const qy = new Float64Array(n);
  const qz = new Float64Array(n);
  for (let q = 0; q < n; q++) {
    const p = 3 * indices[q]!;
    qx[q] = points[p]! - cx;
    qy[q] = points[p + 1]! - cy;
    qz[q] = points[p + 2]! - cz;
  }
  const u = new Float64Array(n).fill(1 / n);
  const X = new Float64Array(16);
  const Xi = new Float64Array(16);
  // X = Σ u_i q_i q_iᵀ with q_i = (x, y, z, 1).
  for (let q = 0; q < n; q++) {
    const v = [qx[q]!, qy[q]!, qz[q]!, 1];
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) X[4 * r + c] = X[4 * r + c]! + u[q]! * v[r]! * v[c]!;
  }
  const d = 3;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    if (!invert4(X, Xi)) return nan;
    let best = -Infinity;
    let j = 0;
    for (let q = 0; q < n; q++) {
      const v0 = qx[q]!;
      const v1 = qy[q]!;
      const v2 = qz[q]!;
      const m =
        v0 * (Xi[0]! * v0 + Xi[1]! * v1 + Xi[2]! * v2 + Xi[3]!) +
        v1 * (Xi[4]! * v0 + Xi[5]! * v1 + Xi[6]! * v2 + Xi[7]!) +
        v2 * (Xi[8]! * v0 + Xi[9]! * v1 + Xi[10]! * v2 + Xi[11]!) +
        (Xi[12]! * v0 + Xi[13]! * v1 + Xi[14]! * v2 + Xi[15]!);
      if (m > best) {
        best = m;
        j = q;
      }
    }
    const step = (best - d - 1) / ((d + 1) * (best - 1));
    // ‖u_new − u‖ = step · ‖e_j − u‖
    let norm = 0;
    for (let q = 0; q < n; q++) {
      const diff = (q === j ? 1 : 0) - u[q]!;
      norm += diff * diff;
    }
    norm = step * Math.sqrt(norm);
    for (let q = 0; q < n; q++) u[q] = u[q]! * (1 - step);
    u[j] = u[j]! + step;
    const v = [qx[j]!, qy[j]!, qz[j]!, 1];
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) X[4 * r + c] = (1 - step) * X[4 * r + c]! + step * v[r]! * v[c]!;
    }
    if (norm < tolerance) {
      iterations++;
      break;
    }
  }
  // Centre c = Σ u_i p_i; shape S = Σ u_i p_i p_iᵀ − c cᵀ; semi-axes = √(d · eig(S)).
  let mx = 0;
  let my = 0;
  let mz = 0;
  for (let q = 0; q < n; q++) {
    mx += u[q]! * qx[q]!;
    my += u[q]! * qy[q]!;
    mz += u[q]! * qz[q]!;
  }
  let sxx = 0;
  let sxy = 0;
  let sxz = 0;
  let syy = 0;
  let syz = 0;
  let szz = 0;
  for (let q = 0; q < n; q++) {
    const dx = qx[q]! - mx;
    const dy = qy[q]! - my;
    const dz = qz[q]! - mz;
    sxx += u[q]! * dx * dx;
    sxy += u[q]! * dx * dy;
    sxz += u[q]! * dx * dz;
    syy += u[q]! * dy * dy;
    syz += u[q]! * dy * dz;
    szz += u[q]! * dz * dz;
  }
  // Ascending: l1 is the largest.
  const [l3, l2, l1] = symmetricEigenvalues(Float64Array.of(sxx, sxy, sxz, sxy, syy, syz, sxz, syz, szz), 3);
  if (!(l3! > 0)) return nan;
  return { a: Math.sqrt(d * l1!), b: Math.sqrt(d * l2!), c: Math.sqrt(d * l3!), iterations };
}
