import { describe, expect, it } from "vitest";
import { IDENTITY_DIRECTION, type Triple, type Volume } from "../image/volume";
import { thrown } from "../test-support/thrown";
import { BOUNDARY_MODES, boundaryIndex } from "./boundary";
import { convolveAxis, dilateKernel, responseVolume, reverseKernel, type Kernel1D } from "./separable-convolution";

/** A reproducible pseudo-random volume (a linear congruential generator seeded with `seed`). */
function randomData(n: number, seed: number): Float64Array {
  let state = seed;
  return Float64Array.from({ length: n }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  });
}

/** The convolution written out voxel by voxel, the definition convolveAxis must meet. */
function bruteForce(
  data: Float64Array,
  dims: Triple,
  axis: 0 | 1 | 2,
  kernel: Kernel1D,
  mode: (typeof BOUNDARY_MODES)[number],
): Float64Array {
  const out = new Float64Array(data.length);
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++) {
        const at = [i, j, k];
        let sum = 0;
        kernel.weights.forEach((w, t) => {
          const q = boundaryIndex(mode, at[axis]! + kernel.origin - t, dims[axis]);
          if (q < 0) return;
          const from = [...at];
          from[axis] = q;
          sum += w * data[from[0]! + dims[0] * (from[1]! + dims[1] * from[2]!)]!;
        });
        out[i + dims[0] * (j + dims[1] * k)] = sum;
      }
  return out;
}

describe("convolveAxis", () => {
  const dims: Triple = [7, 5, 6];
  const data = randomData(7 * 5 * 6, 42);
  const kernels: Kernel1D[] = [
    { weights: [0.25, 0.5, 0.25], origin: 1 },
    { weights: [1, -2, 3, 0.5, -1, 2], origin: 3 }, // even length, PyWavelets' alignment
    { weights: [1, 0, 0, 2, 0, 0, 0, 0, 0, 0, -1, 0.5, 4], origin: 6 }, // longer than two axes
    { weights: [2, 1], origin: 0 },
  ];

  it("is the convolution sum_j w[j] x[n + origin - j] for every axis, mode and kernel", () => {
    for (const axis of [0, 1, 2] as const)
      for (const mode of BOUNDARY_MODES)
        for (const kernel of kernels) {
          const got = convolveAxis(data, dims, axis, kernel, mode);
          const want = bruteForce(data, dims, axis, kernel, mode);
          const worst = got.reduce((m, v, n) => Math.max(m, Math.abs(v - want[n]!)), 0);
          expect(worst, `axis ${axis}, ${mode}, ${kernel.weights.length} taps`).toBeLessThan(1e-14);
        }
  });

  it("differentiates a row: [1, 0, -1] with nearest padding", () => {
    const x = Float64Array.of(1, 2, 3, 4);
    expect([...convolveAxis(x, [4, 1, 1], 0, { weights: [1, 0, -1], origin: 1 }, "nearest")]).toEqual([1, 2, 2, 1]);
    expect([...convolveAxis(x, [1, 4, 1], 1, { weights: [1, 0, -1], origin: 1 }, "zero")]).toEqual([2, 2, 2, -3]);
    expect([...convolveAxis(x, [1, 1, 4], 2, { weights: [1, 0, -1], origin: 1 }, "periodic")]).toEqual([-2, 2, 2, -2]);
    expect([...x]).toEqual([1, 2, 3, 4]);
  });

  it("rejects data that does not fit the dims", () => {
    const error = thrown(() => convolveAxis(new Float64Array(5), [2, 2, 1], 0, { weights: [1], origin: 0 }, "zero"));
    expect(error.code).toBe("input");
    expect(error.message).toBe(
      "The image holds 5 values but its dims [2, 2, 1] need 4\nHow to fix: Build the volume with data of length dims[0] * dims[1] * dims[2].",
    );
  });
});

describe("kernel helpers", () => {
  it("reverses a kernel about its origin and dilates it a trous", () => {
    const k: Kernel1D = { weights: [1, 2, 3, 4], origin: 2 };
    expect(reverseKernel(k)).toEqual({ weights: [4, 3, 2, 1], origin: 1 });
    expect(dilateKernel(k, 2)).toEqual({ weights: [1, 0, 2, 0, 3, 0, 4], origin: 4 });
    expect(dilateKernel(k, 1)).toBe(k);
    // Reversal mirrors the response: filtering a mirrored row with the reversed kernel.
    const x = Float64Array.of(5, -1, 2, 7, 3, 0, 4, 1);
    const mirrored = Float64Array.from(x).reverse();
    const a = convolveAxis(x, [8, 1, 1], 0, k, "periodic");
    const b = convolveAxis(mirrored, [8, 1, 1], 0, reverseKernel(k), "periodic").reverse();
    expect([...b]).toEqual([...a]);
  });

  it("keeps the image's grid and source in a response volume", () => {
    const image: Volume = {
      dims: [1, 1, 1],
      spacing: [1, 2, 3],
      origin: [4, 5, 6],
      direction: IDENTITY_DIRECTION,
      data: Float64Array.of(1),
      source: "x.nrrd",
      pixelType: "int16",
    };
    const response = responseVolume(image, Float64Array.of(2));
    expect(response).toEqual({ ...image, data: Float64Array.of(2), pixelType: "float64" });
  });
});
