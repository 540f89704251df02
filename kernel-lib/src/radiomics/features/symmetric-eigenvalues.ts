/** sqrt(x² + y²) without overflow or underflow (Math.hypot is much slower in V8). */
function radius(x: number, y: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const big = ax > ay ? ax : ay;
  if (big === 0) return 0;
  if (big > 1e150 || big < 1e-150) {
    const u = ax / big;
    const v = ay / big;
    return big * Math.sqrt(u * u + v * v);
  }
  return Math.sqrt(x * x + y * y);
}

/**
 * The eigenvalues of a real symmetric n x n matrix (row-major; only the lower triangle is read),
 * in increasing order. Householder reduction to tridiagonal form, then the implicit QL algorithm
 * with Wilkinson-style shifts: O(n³), accurate to a few units of machine precision times the
 * matrix norm. The input is not modified.
 *
 * Used for pyradiomics' maximal correlation coefficient, whose matrix is similar to a symmetric
 * one, and for the 3 x 3 covariance matrices of the shape features (principal axes, minimum
 * volume enclosing ellipsoid). A matrix with a NaN or infinite entry has NaN eigenvalues.
 *
 * @throws Error when `matrix` has fewer than n² entries or QL does not converge (which does not
 *   happen for finite symmetric input).
 *
 * @example
 * ```ts
 * import { symmetricEigenvalues } from "./symmetric-eigenvalues";
 * symmetricEigenvalues(Float64Array.from([2, 1, 1, 2]), 2); // Float64Array [1.0000000000000002, 3]
 * ```
 */
export function symmetricEigenvalues(matrix: Float64Array, n: number): Float64Array {
  if (matrix.length < n * n) throw new Error(`A ${n} x ${n} matrix needs ${n * n} entries, not ${matrix.length}`);
  const a = Float64Array.from(matrix.subarray(0, n * n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) if (!Number.isFinite(a[i * n + j]!)) return new Float64Array(n).fill(Number.NaN);
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n); // e[k] couples d[k] and d[k + 1]
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  // Householder: zero column k below the subdiagonal, for k = 0 .. n - 3.
  for (let k = 0; k < n - 2; k++) {
    let norm = 0;
    for (let i = k + 1; i < n; i++) norm += a[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    d[k] = a[k * n + k]!;
    const x0 = a[(k + 1) * n + k]!;
    if (norm === 0) {
      e[k] = 0;
      continue;
    }
    const alpha = x0 > 0 ? -norm : norm;
    // v = (x - alpha e1) / |x - alpha e1|
    let vNorm = 0;
    for (let i = k + 1; i < n; i++) {
      const vi = i === k + 1 ? x0 - alpha : a[i * n + k]!;
      v[i] = vi;
      vNorm += vi * vi;
    }
    vNorm = Math.sqrt(vNorm);
    e[k] = alpha;
    if (vNorm === 0) continue;
    for (let i = k + 1; i < n; i++) v[i]! /= vNorm;
    // p = A v on the trailing block (symmetric: read the lower triangle), K = vᵀ p
    let kk = 0;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j <= i; j++) s += a[i * n + j]! * v[j]!;
      for (let j = i + 1; j < n; j++) s += a[j * n + i]! * v[j]!;
      p[i] = s;
      kk += v[i]! * s;
    }
    // A ← A - 2 v wᵀ - 2 w vᵀ with w = p - K v (lower triangle only)
    for (let i = k + 1; i < n; i++) p[i]! -= kk * v[i]!;
    for (let i = k + 1; i < n; i++) {
      const vi = v[i]!;
      const wi = p[i]!;
      for (let j = k + 1; j <= i; j++) a[i * n + j]! -= 2 * (vi * p[j]! + wi * v[j]!);
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2]!;
    e[n - 2] = a[(n - 1) * n + n - 2]!;
  }
  if (n >= 1) d[n - 1] = a[(n - 1) * n + n - 1]!;
  // Implicit QL on the tridiagonal matrix (d, e).
  for (let l = 0; l < n; l++) {
    for (let iteration = 0; ; iteration++) {
      let m = l;
      for (; m < n - 1; m++) {
        const scale = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * scale) break;
      }
      if (m === l) break;
      if (iteration === 60) throw new Error("symmetricEigenvalues: QL iteration did not converge");
      // Shift from the leading 2 x 2 block.
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = radius(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let shift = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = radius(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1]! -= shift;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - shift;
        r = (d[i]! - g) * s + 2 * c * b;
        shift = s * r;
        d[i + 1] = g + shift;
        g = c * r - b;
      }
      if (deflated) continue;
      d[l]! -= shift;
      e[l] = g;
      e[m] = 0;
    }
  }
  return d.sort();
}
