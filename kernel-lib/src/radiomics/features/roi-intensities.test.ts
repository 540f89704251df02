import { describe, expect, it } from "vitest";
import { IDENTITY_DIRECTION, type Mask, type Volume } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";
import { roiIntensities, roiVoxelIndices } from "./roi-intensities";

const grid = { dims: [19, 1, 1] as const, spacing: [1, 1, 1] as const, origin: [0, 0, 0] as const };
const image: Volume = {
  ...grid,
  direction: IDENTITY_DIRECTION,
  data: Float64Array.from({ length: 19 }, (_, n) => n * 10),
};

function mask(inside: readonly number[]): Mask {
  const data = new Uint8Array(19);
  for (const n of inside) data[n] = 1;
  return { ...grid, direction: IDENTITY_DIRECTION, data };
}

describe("roiVoxelIndices and roiIntensities", () => {
  it("finds voxels in the 8-voxel groups and in the tail, in order", () => {
    const m = mask([0, 7, 8, 15, 16, 18]);
    expect([...roiVoxelIndices(m)]).toEqual([0, 7, 8, 15, 16, 18]);
    expect([...roiIntensities(image, m)]).toEqual([0, 70, 80, 150, 160, 180]);
  });

  it("treats any non-zero byte as inside, also on an unaligned view", () => {
    const bytes = new Uint8Array(20);
    bytes[4] = 255;
    bytes[12] = 2;
    const m = { ...grid, direction: IDENTITY_DIRECTION, data: bytes.subarray(1) };
    expect([...roiVoxelIndices(m)]).toEqual([3, 11]);
  });

  it("grows past its first buffer", () => {
    const big = { dims: [5000, 1, 1] as const, spacing: [1, 1, 1] as const, origin: [0, 0, 0] as const };
    const m = { ...big, direction: IDENTITY_DIRECTION, data: new Uint8Array(5000).fill(1) };
    const indices = roiVoxelIndices(m);
    expect(indices.length).toBe(5000);
    expect(indices[4999]).toBe(4999);
  });

  it("throws empty-roi, geometry and input", () => {
    expect(() => roiVoxelIndices(mask([]))).toThrow(RadiomicsError);
    expect(() => roiIntensities(image, { ...mask([1]), spacing: [1, 1, 3] })).toThrow(/not on the same voxel grid/);
    const withNaN = { ...image, data: Float64Array.of(...image.data.slice(0, 18), Number.NaN) };
    expect(() => roiIntensities(withNaN, mask([18]))).toThrow(/Voxel 18 inside the mask holds NaN/);
  });
});
