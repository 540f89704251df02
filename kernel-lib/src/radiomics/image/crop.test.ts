import { describe, expect, it } from "vitest";
import { thrown } from "../test-support/thrown";
import { cropToMask, cropVolumeToBox, maskBoundingBox } from "./crop";
import { voxelIndex, voxelPosition, type Mask, type Triple, type Volume, type VoxelGrid } from "./volume";

/** i along +P, j along -L (a 90 degree turn about S), k along +S; row-major, columns are the axes. */
const TURNED: readonly number[] = [0, -1, 0, 1, 0, 0, 0, 0, 1];

const GRID: VoxelGrid = { dims: [5, 4, 3], spacing: [2, 3, 4], origin: [10, 20, 30], direction: TURNED };

/** An image whose every voxel holds its own storage index, and a mask of the given voxels. */
function volumeWithMask(voxels: readonly Triple[]): { image: Volume; mask: Mask } {
  const data = new Uint8Array(60);
  for (const [i, j, k] of voxels) data[voxelIndex(GRID, i, j, k)] = 1;
  return {
    image: { ...GRID, data: Float64Array.from({ length: 60 }, (_, n) => n), source: "ct.nrrd" },
    mask: { ...GRID, data, source: "gtv.nrrd" },
  };
}

describe("maskBoundingBox", () => {
  it("is the inclusive index range of the mask's voxels", () => {
    expect(maskBoundingBox(volumeWithMask([[2, 1, 1]]).mask)).toEqual({ min: [2, 1, 1], max: [2, 1, 1] });
    expect(
      maskBoundingBox(
        volumeWithMask([
          [3, 0, 1],
          [1, 2, 1],
          [2, 1, 2],
        ]).mask,
      ),
    ).toEqual({ min: [1, 0, 1], max: [3, 2, 2] });
    expect(
      maskBoundingBox(
        volumeWithMask([
          [0, 0, 0],
          [4, 3, 2],
        ]).mask,
      ),
    ).toEqual({ min: [0, 0, 0], max: [4, 3, 2] });
  });

  it("refuses an empty mask, naming its file", () => {
    const error = thrown(() => maskBoundingBox(volumeWithMask([]).mask));
    expect([error.code, error.evidence.file, error.message]).toEqual([
      "empty-roi",
      "gtv.nrrd",
      "The mask has no voxel\nHow to fix: Check the mask's label value and that the mask belongs to this image.",
    ]);
  });
});

describe("cropToMask", () => {
  const voxels: readonly Triple[] = [
    [1, 1, 1],
    [3, 2, 1],
  ];

  it("crops to the bounding box, voxels and mask intact", () => {
    const { image, mask } = volumeWithMask(voxels);
    const crop = cropToMask(image, mask);
    expect(crop.box).toEqual({ min: [1, 1, 1], max: [3, 2, 1] });
    expect(crop.image.dims).toEqual([3, 2, 1]);
    expect(crop.mask.dims).toEqual([3, 2, 1]);
    // Storage indices of (1..3, 1..2, 1) in the 5 x 4 x 3 image.
    expect([...crop.image.data]).toEqual([26, 27, 28, 31, 32, 33]);
    expect([...crop.mask.data]).toEqual([1, 0, 0, 0, 0, 1]);
    expect([crop.image.spacing, crop.image.direction, crop.image.source, crop.mask.source]).toEqual([
      [2, 3, 4],
      TURNED,
      "ct.nrrd",
      "gtv.nrrd",
    ]);
    expect(crop.image.data).toBeInstanceOf(Float64Array);
    expect(crop.mask.data).toBeInstanceOf(Uint8Array);
    // The input is not modified.
    expect(image.dims).toEqual([5, 4, 3]);
    expect(mask.data.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it("places the crop's origin at the box corner in patient space, with a turned direction", () => {
    const { image, mask } = volumeWithMask(voxels);
    const crop = cropToMask(image, mask);
    // (1, 1, 1): 10 + 0 * 2 - 1 * 3, 20 + 1 * 2, 30 + 4.
    expect(crop.image.origin).toEqual([7, 22, 34]);
    expect(crop.image.origin).toEqual(voxelPosition(image, 1, 1, 1));
    expect(crop.mask.origin).toEqual(crop.image.origin);
    // Every voxel of the crop lies where the same voxel of the image lies.
    for (let k = 0; k < 1; k++) {
      for (let j = 0; j < 2; j++) {
        for (let i = 0; i < 3; i++) {
          const original = crop.image.data[voxelIndex(crop.image, i, j, k)]!;
          const [oi, oj, ok] = [original % 5, Math.floor(original / 5) % 4, Math.floor(original / 20)];
          expect(voxelPosition(crop.image, i, j, k)).toEqual(voxelPosition(image, oi, oj, ok));
        }
      }
    }
  });

  it("widens the box by the padding, clipped at the image's edges", () => {
    const { image, mask } = volumeWithMask(voxels);
    const crop = cropToMask(image, mask, [1, 2, 5]);
    // i: 1..3 -> 0..4; j: 1..2 -> 0 (clipped from -1)..3 (clipped from 4); k: 1 -> 0..2.
    expect(crop.box).toEqual({ min: [0, 0, 0], max: [4, 3, 2] });
    expect(crop.image.dims).toEqual([5, 4, 3]);
    expect([...crop.image.data]).toEqual([...image.data]);
    expect(crop.image.origin).toEqual([10, 20, 30]);
    const lopsided = cropToMask(image, mask, [0, 1, 0]);
    expect(lopsided.box).toEqual({ min: [1, 0, 1], max: [3, 3, 1] });
    expect(lopsided.image.origin).toEqual(voxelPosition(image, 1, 0, 1));
    expect([...lopsided.image.data]).toEqual([21, 22, 23, 26, 27, 28, 31, 32, 33, 36, 37, 38]);
    expect([...lopsided.mask.data]).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0]);
  });

  it("refuses an empty mask", () => {
    const { image, mask } = volumeWithMask([]);
    const error = thrown(() => cropToMask(image, mask, [1, 1, 1]));
    expect([error.code, error.evidence.file]).toEqual(["empty-roi", "gtv.nrrd"]);
  });
});

describe("cropVolumeToBox", () => {
  it("copies a box of a filtered image exactly as cropToMask crops the original", () => {
    const { image } = volumeWithMask([]);
    const crop = cropVolumeToBox(image, { min: [1, 1, 1], max: [3, 2, 1] });
    expect(crop.dims).toEqual([3, 2, 1]);
    expect([...crop.data]).toEqual([26, 27, 28, 31, 32, 33]);
    expect(crop.origin).toEqual(voxelPosition(GRID, 1, 1, 1));
    expect(crop.source).toBe("ct.nrrd");
  });
});
