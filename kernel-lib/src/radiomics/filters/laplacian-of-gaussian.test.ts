import { describe, expect, it } from "vitest";
import { IDENTITY_DIRECTION, type Volume } from "../image/volume";
import { thrown } from "../test-support/thrown";
import { gaussianKernels, laplacianOfGaussian } from "./laplacian-of-gaussian";
import { at, ibsi2Phantom } from "./test-support/filter-references";

/** IBSI-2's 3D LoG kernel at offset (a, b, c) voxels, written as IBSI-2 writes it (D = 3). */
function ibsiKernel(s: number, a: number, b: number, c: number): number {
  const r2 = a * a + b * b + c * c;
  return (-1 / (s * s)) * (1 / (s * Math.sqrt(2 * Math.PI))) ** 3 * (3 - r2 / (s * s)) * Math.exp(-r2 / (2 * s * s));
}

describe("laplacianOfGaussian on IBSI-2's impulse phantom", () => {
  // One voxel of 255 at (31, 31, 31) in 64^3 voxels of 2 mm. sigma 3 mm is 1.5 voxels, so the kernel
  // reaches R = floor(4 * 1.5 + 0.5) = 6 voxels: the response is 255 times the sampled kernel.
  const sigmaVoxels = 1.5;

  it("is the sampled 3D kernel around the impulse, and 0 beyond its support", async () => {
    const image = await ibsi2Phantom("impulse");
    expect(at(image, 31, 31, 31)).toBe(255);
    const response = laplacianOfGaussian(image, { sigmaMm: 3, boundary: "zero" });
    let worst = 0;
    for (let c = -7; c <= 7; c++)
      for (let b = -7; b <= 7; b++)
        for (let a = -7; a <= 7; a++) {
          const inside = Math.max(Math.abs(a), Math.abs(b), Math.abs(c)) <= 6;
          const want = inside ? 255 * ibsiKernel(sigmaVoxels, a, b, c) : 0;
          worst = Math.max(worst, Math.abs(at(response, 31 + a, 31 + b, 31 + c) - want));
        }
    expect(worst).toBeLessThan(1e-15);
    // The centre: 255 * (-3 / s^2) / (s sqrt(2 pi))^3.
    expect(at(response, 31, 31, 31)).toBeCloseTo(255 * -0.025083905554268045, 14);
    expect(at(response, 31, 31, 31)).toBeCloseTo(
      (255 * -3) / (sigmaVoxels ** 2 * (sigmaVoxels * Math.sqrt(2 * Math.PI)) ** 3),
      14,
    );
  });

  it("is symmetric under mirroring and exchanging the axes", async () => {
    const response = laplacianOfGaussian(await ibsi2Phantom("impulse"), { sigmaMm: 3, boundary: "zero" });
    for (const [a, b, c] of [
      [1, 2, 3],
      [0, 4, 1],
      [5, 5, 2],
    ] as const) {
      const v = at(response, 31 + a, 31 + b, 31 + c);
      for (const [x, y, z] of [
        [-a, b, c],
        [a, -b, -c],
        [b, a, c],
        [c, b, a],
        [b, c, -a],
      ] as const) {
        expect(Math.abs(at(response, 31 + x, 31 + y, 31 + z) - v)).toBeLessThan(1e-16);
      }
    }
  });

  it("sums to the kernel's sum: about 0, as the kernel is truncated, not rebalanced", async () => {
    const response = laplacianOfGaussian(await ibsi2Phantom("impulse"), { sigmaMm: 3, boundary: "zero" });
    let sum = 0;
    let absolute = 0;
    for (const v of response.data) {
      sum += v;
      absolute += Math.abs(v);
    }
    // sum over the 13^3 kernel of IBSI-2's formula, and of its absolute values (numpy, float64)
    expect(sum / 255).toBeCloseTo(-0.00028838327569367245, 15);
    expect(absolute / 255).toBeCloseTo(0.829743201181379, 12);
    expect(Math.abs(sum) / absolute).toBeLessThan(4e-4);
  });
});

describe("laplacianOfGaussian of a constant image", () => {
  it("is the constant times the kernel's sum (about -2.9e-4 for 1.5 voxels: 0 up to truncation), except at zero padding's edge", () => {
    const image: Volume = {
      dims: [20, 20, 20],
      spacing: [2, 2, 2],
      origin: [0, 0, 0],
      direction: IDENTITY_DIRECTION,
      data: new Float64Array(8000).fill(100),
    };
    const { gaussian, second } = gaussianKernels(1.5, 4);
    const s = gaussian.weights.reduce((x, y) => x + y, 0);
    const s2 = second.weights.reduce((x, y) => x + y, 0);
    const kernelSum = 3 * s2 * s * s;
    expect(kernelSum).toBeCloseTo(-0.00028838327569367245, 15);
    for (const boundary of ["nearest", "periodic", "mirror"] as const) {
      const response = laplacianOfGaussian(image, { sigmaMm: 3, boundary });
      expect(Math.max(...response.data.map((v) => Math.abs(v - 100 * kernelSum)))).toBeLessThan(1e-12);
    }
    const zero = laplacianOfGaussian(image, { sigmaMm: 3, boundary: "zero" });
    expect(at(zero, 10, 10, 10)).toBeCloseTo(100 * kernelSum, 12);
    expect(at(zero, 0, 10, 10)).toBeLessThan(-1); // the bright side of the step down to the zero padding
  });

  it("uses each axis' own sigma in voxels on an anisotropic grid", () => {
    const { gaussian } = gaussianKernels(3 / 0.5, 4);
    expect(gaussian.weights.length).toBe(1 + 2 * Math.floor(4 * 6 + 0.5));
    const image: Volume = {
      dims: [40, 40, 6],
      spacing: [0.5, 0.5, 3],
      origin: [0, 0, 0],
      direction: IDENTITY_DIRECTION,
      data: new Float64Array(40 * 40 * 6),
    };
    image.data[20 + 40 * (20 + 40 * 3)] = 1;
    const response = laplacianOfGaussian(image, { sigmaMm: 3, boundary: "zero" });
    // At the impulse: g''(0) g(0) g(0) summed over the axes, sigma 6, 6 and 1 voxels.
    const g0 = (s: number) => 1 / (s * Math.sqrt(2 * Math.PI));
    const want = (-1 / 36) * g0(6) * g0(6) * g0(1) * 2 + -1 * g0(1) * g0(6) * g0(6);
    expect(at(response, 20, 20, 3)).toBeCloseTo(want, 15);
  });
});

describe("laplacianOfGaussian settings", () => {
  it("refuses a sigma or truncation that is not positive, and an unknown padding", async () => {
    const image = await ibsi2Phantom("empty");
    const error = thrown(() => laplacianOfGaussian(image, { sigmaMm: 0, boundary: "zero" }));
    expect(error.code).toBe("settings");
    expect(error.evidence.path).toBe("sigmaMm");
    expect(error.message).toBe(
      "The LoG filter's sigma must be a positive number of mm, not 0\nHow to fix: IBSI-2 uses, for example, 1.5 or 3 mm.",
    );
    expect(thrown(() => laplacianOfGaussian(image, { sigmaMm: 3, truncate: -1, boundary: "zero" })).evidence.path).toBe(
      "truncate",
    );
    expect(
      thrown(() => laplacianOfGaussian(image, { sigmaMm: 3, boundary: "reflect" as "mirror" })).evidence.path,
    ).toBe("boundary");
  });
});
