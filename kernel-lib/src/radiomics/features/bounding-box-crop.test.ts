import path from "node:path";
import { describe, expect, it } from "vitest";
import { readNrrd } from "../image/nrrd";
import { maskFromLabel } from "../image/mask";
import { discretise, type DiscretisedRoi } from "../preprocess/discretise";
import { PYRADIOMICS_DATA } from "../test-support/reference-data";
import { cropRoiLevels, cropToBox, nonZeroBox, roiVoxelsPerSlice } from "./bounding-box-crop";

describe("bounding-box crop", () => {
  it("finds the box of the non-zero voxels and copies it", () => {
    const data = Int32Array.from([0, 0, 3, 0, 2, 0]);
    const box = nonZeroBox(data, [3, 2, 1]);
    expect(box).toEqual({ lo: [1, 0, 0], hi: [2, 1, 0] });
    expect(cropToBox(data, [3, 2, 1], box!)).toEqual({ data: Int32Array.from([0, 3, 2, 0]), dims: [2, 2, 1] });
    expect(nonZeroBox(new Uint8Array(8), [2, 2, 2])).toBeUndefined();
    expect(roiVoxelsPerSlice(Int32Array.from([1, 2, 0, 4]), [2, 1, 2])).toEqual(Int32Array.from([2, 1]));
  });

  it("crops brain1 to pyradiomics' bounding box", () => {
    const image = readNrrd(path.join(PYRADIOMICS_DATA, "brain1_image.nrrd"));
    const mask = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, "brain1_label.nrrd")), 1);
    const roi = discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth: 25 });
    const { grid, box, voxelCount } = cropRoiLevels(roi, "GLSZM");
    // pyradiomics: BoundingBox (162, 84, 11, 47, 70, 7), VoxelNum 4137.
    expect(box).toEqual({ lo: [162, 84, 11], hi: [162 + 46, 84 + 69, 11 + 6] });
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
