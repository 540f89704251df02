import path from "node:path";
import { describe, expect, it } from "vitest";
import { readNrrd } from "../image/nrrd";
import { maskFromLabel } from "../image/mask";
import { discretise, type DiscretisedRoi } from "../preprocess/discretise";
import { PYRADIOMICS_DATA } from "../test-support/reference-data";
import { boxDims, cropValues, nonZeroBox, nonZeroIndices } from "../image/crop";
import { cropRoiLevels, roiVoxelsPerSlice } from "./bounding-box-crop";

describe("bounding-box crop", () => {
  it("finds the box of the non-zero voxels and copies it", () => {
    const data = Int32Array.from([0, 0, 3, 0, 2, 0]);
    const box = nonZeroBox(data, [3, 2, 1]);
    expect(box).toEqual({ min: [1, 0, 0], max: [2, 1, 0] });
    expect(boxDims(box!)).toEqual([2, 2, 1]);
    expect(cropValues(data, [3, 2, 1], box!, (n) => new Int32Array(n))).toEqual(Int32Array.from([0, 3, 2, 0]));
    expect(nonZeroBox(new Uint8Array(8), [2, 2, 2])).toBeUndefined();
    expect(roiVoxelsPerSlice(Int32Array.from([1, 2, 0, 4]), [2, 1, 2])).toEqual(Int32Array.from([2, 1]));
  });

  it("finds non-zero values by their bytes: any byte of an Int32, in any block, head or tail", () => {
    const levels = new Int32Array(43);
    for (const [n, v] of [
      [0, 1],
      [7, 256],
      [8, -1],
      [20, 1 << 24],
      [41, 3],
      [42, 65536],
    ] as const)
      levels[n] = v;
    expect([...nonZeroIndices(levels)]).toEqual([0, 7, 8, 20, 41, 42]);
    const bytes = new Uint8Array(80);
    for (const n of [1, 2, 3, 33, 70, 79]) bytes[n] = 9;
    // A view starting off a 4-byte boundary: its first values are read one by one.
    expect([...nonZeroIndices(bytes.subarray(2))]).toEqual([0, 1, 31, 68, 77]);
    expect(nonZeroIndices(new Int32Array(0))).toEqual(new Int32Array(0));
  });

  it("crops brain1 to pyradiomics' bounding box", () => {
    const image = readNrrd(path.join(PYRADIOMICS_DATA, "brain1_image.nrrd"));
    const mask = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, "brain1_label.nrrd")), 1);
    const roi = discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth: 25 });
    const { grid, box, voxelCount } = cropRoiLevels(roi, "GLSZM");
    // pyradiomics: BoundingBox (162, 84, 11, 47, 70, 7), VoxelNum 4137.
    expect(box).toEqual({ min: [162, 84, 11], max: [162 + 46, 84 + 69, 11 + 6] });
    expect(grid.dims).toEqual([47, 70, 7]);
    expect(voxelCount).toBe(4137);
  });

  it("rejects an ROI without voxels", () => {
    const roi: DiscretisedRoi = {
      dims: [2, 1, 1],
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      levels: new Int32Array(2),
      levelCount: 1,
      lowerEdge: 0,
      binWidth: 1,
    };
    expect(() => cropRoiLevels(roi, "NGTDM")).toThrowError(
      expect.objectContaining({ code: "empty-roi", message: expect.stringContaining("NGTDM") }),
    );
  });
});
