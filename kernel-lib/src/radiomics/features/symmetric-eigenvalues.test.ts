import { describe, expect, it } from "vitest";
import { symmetricEigenvalues } from "./symmetric-eigenvalues";

/** H diag(values) H with H = I - 2 u uᵀ / |u|², an orthogonal matrix: eigenvalues `values`. */
function withSpectrum(values: readonly number[]): Float64Array {
  const n = values.length;
  const u = Array.from({ length: n }, (_, i) => Math.sin(i + 1) + 0.3);
  const norm2 = u.reduce((s, v) => s + v * v, 0);
  const h = (i: number, j: number): number => (i === j ? 1 : 0) - (2 * u[i]! * u[j]!) / norm2;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += h(i, k) * values[k]! * h(k, j);
      out[i * n + j] = s;
    }
  }
  return out;
}

describe("symmetricEigenvalues", () => {
  it("finds the eigenvalues of the second-difference matrix, 2 - 2 cos(kπ / (n + 1))", () => {
    const n = 40;
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      m[i * n + i] = 2;
      if (i > 0) m[i * n + i - 1] = m[(i - 1) * n + i] = -1;
    }
    const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    const found = symmetricEigenvalues(m, n);
    expected.forEach((v, k) => expect(found[k]).toBeCloseTo(v, 13));
  });

  it("finds repeated, zero and negative eigenvalues of a dense matrix", () => {
    const values = [-3, 0, 0, 0.25, 1, 1, 1, 7.5, 1e-9, 2];
    const found = Array.from(symmetricEigenvalues(withSpectrum(values), values.length));
    const sorted = [...values].sort((a, b) => a - b);
    sorted.forEach((v, k) => expect(Math.abs(found[k]! - v)).toBeLessThan(1e-13));
  });

  it("handles 1 x 1 and diagonal matrices and leaves the input alone", () => {
    expect(Array.from(symmetricEigenvalues(Float64Array.from([4]), 1))).toEqual([4]);
    const diagonal = Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 2]);
    expect(Array.from(symmetricEigenvalues(diagonal, 3))).toEqual([-1, 2, 3]);
    expect(Array.from(diagonal)).toEqual([3, 0, 0, 0, -1, 0, 0, 0, 2]);
    const pair = symmetricEigenvalues(Float64Array.from([2, 1, 1, 2]), 2);
    expect(pair[0]).toBeCloseTo(1, 15);
    expect(pair[1]).toBeCloseTo(3, 15);
  });

  it("finds the eigenvalues of a 3 x 3 block-diagonal matrix (the covariances of the shape features)", () => {
    const [c, b, a] = symmetricEigenvalues(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]), 3);
    expect(a).toBeCloseTo(5, 14);
    expect(b).toBeCloseTo(3, 14);
    expect(c).toBeCloseTo(1, 14);
  });

  it("gives NaN eigenvalues for a matrix with a non-finite entry", () => {
    expect(Array.from(symmetricEigenvalues(Float64Array.from([1, 0, Number.NaN, 2]), 2))).toEqual([
      Number.NaN,
      Number.NaN,
    ]);
    expect(Array.from(symmetricEigenvalues(Float64Array.from([1, 0, 0, Infinity]), 2))).toEqual([
      Number.NaN,
      Number.NaN,
    ]);
  });

  it("rejects a matrix with too few entries", () => {
    expect(() => symmetricEigenvalues(new Float64Array(3), 2)).toThrow("A 2 x 2 matrix needs 4 entries, not 3");
  });
});
