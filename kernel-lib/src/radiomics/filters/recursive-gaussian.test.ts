import { describe, expect, it } from "vitest";
import { thrown } from "../test-support/thrown";
import { recursiveGaussianAxis, recursiveGaussianCoefficients } from "./recursive-gaussian";

describe("ITK's recursive Gaussian", () => {
  it("has unit gain at order 0: a constant line stays the constant (rounded to float32)", () => {
    for (const sigma of [0.5, 1, 3, 10]) {
      const line = new Float64Array(40).fill(7.3);
      const out = recursiveGaussianAxis(line, [40, 1, 1], 0, recursiveGaussianCoefficients(sigma, 0.8, 0, true));
      expect(Math.max(...out.map((v) => Math.abs(v - Math.fround(7.3))))).toBeLessThanOrEqual(1e-6);
    }
  });

  it("normalised across scale, gives sigma^2 times the second derivative per voxel^2 in the middle of a parabola", () => {
    const parabola = Float64Array.from({ length: 64 }, (_, i) => (i - 32) ** 2);
    const out = recursiveGaussianAxis(parabola, [64, 1, 1], 0, recursiveGaussianCoefficients(3, 1, 2, true));
    expect(out[32]).toBeCloseTo(2 * 9, 3); // Deriche's fourth-order fit: 17.99981
    const raw = recursiveGaussianAxis(parabola, [64, 1, 1], 0, recursiveGaussianCoefficients(3, 1, 2, false));
    expect(raw[32]).toBeCloseTo(2, 4);
    // sigma 6 mm on 2 mm voxels is the same 3 voxels; normalisation multiplies by (6 mm)^2, not (3 voxels)^2.
    const a = recursiveGaussianCoefficients(6, 2, 2, true);
    const b = recursiveGaussianCoefficients(3, 1, 2, true);
    a.n.forEach((v, i) => expect(v / b.n[i]!).toBeCloseTo(4, 12));
    expect(a.d).toEqual(b.d);
  });

  it("filters every axis alike", () => {
    const c = recursiveGaussianCoefficients(2, 1, 2, true);
    const line = Float64Array.from({ length: 9 }, (_, i) => Math.sin(i) * 100);
    const along = (axis: 0 | 1 | 2) => {
      const dims = [1, 1, 1] as [number, number, number];
      dims[axis] = 9;
      return [...recursiveGaussianAxis(line, dims, axis, c)];
    };
    expect(along(1)).toEqual(along(0));
    expect(along(2)).toEqual(along(0));
  });

  it("needs four voxels along the axis, as ITK", () => {
    const error = thrown(() =>
      recursiveGaussianAxis(new Float64Array(3), [3, 1, 1], 0, recursiveGaussianCoefficients(1, 1, 0, true)),
    );
    expect(error.code).toBe("input");
    expect(error.message).toMatch(/^The image has 3 voxels along axis 0; the recursive Gaussian needs at least 4/);
  });
});
