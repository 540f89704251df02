import { describe, expect, it } from "vitest";
import { toyRoi } from "../test-support/rois";
import { thrown } from "../test-support/thrown";
import { linearOffset, paddedRoi, roiSlices } from "./padded-roi";

describe("paddedRoi", () => {
  it("crops to the bounding box and surrounds it with the margin", () => {
    // 4 x 3 x 2 grid; ROI voxels at (1, 1, 0) = 2 and (2, 2, 1) = 5
    const levels = new Array<number>(24).fill(0);
    levels[1 + 4 * 1] = 2;
    levels[2 + 4 * (2 + 3 * 1)] = 5;
    const roi = paddedRoi(toyRoi(levels, [4, 3, 2], 6), 1);
    expect(roi.dims).toEqual([4, 4, 4]);
    expect(roi.margin).toBe(1);
    expect(roi.maxLevel).toBe(5);
    expect(roi.presentLevelCount).toBe(2);
    expect(roi.levelCount).toBe(6);
    // (1, 1, 0) -> padded (1, 1, 1); (2, 2, 1) -> padded (2, 2, 2)
    expect(Array.from(roi.voxels)).toEqual([1 + 4 * (1 + 4 * 1), 2 + 4 * (2 + 4 * 2)]);
    expect(Array.from(roi.levels).filter((v) => v !== 0)).toEqual([2, 5]);
    expect(Array.from(roi.sliceStart)).toEqual([0, 0, 1, 2, 2]);
    expect(roiSlices(roi)).toEqual([1, 2]);
  });

  it("finds ROI voxels in any position of the 8-voxel blocks, including the tail", () => {
    for (let at = 0; at < 21; at++) {
      const levels = new Array<number>(21).fill(0);
      levels[at] = 1;
      const roi = paddedRoi(toyRoi(levels, [21, 1, 1], 1), 0);
      expect(roi.dims).toEqual([1, 1, 1]);
      expect(Array.from(roi.voxels)).toEqual([0]);
    }
  });

  it("rejects empty ROIs, bad margins, level counts and out-of-range levels", () => {
    expect(thrown(() => paddedRoi(toyRoi([0, 0, 0], [3, 1, 1], 1), 1)).code).toBe("empty-roi");
    expect(thrown(() => paddedRoi(toyRoi([1], [1, 1, 1], 1), -1)).evidence.path).toBe("margin");
    expect(thrown(() => paddedRoi(toyRoi([1], [1, 1, 1], 0), 1)).evidence.path).toBe("roi.levelCount");
    const short = thrown(() => paddedRoi(toyRoi([1, 1], [3, 1, 1], 1), 1));
    expect(short.code).toBe("input");
    expect(short.message).toBe(
      "The ROI holds 2 grey levels but its grid of 3 x 1 x 1 needs 3\nHow to fix: Build the ROI with discretise() from an image and a mask on one grid.",
    );
    const negative = thrown(() => paddedRoi(toyRoi([0, 0, -1], [3, 1, 1], 1), 1));
    expect(negative.code).toBe("settings");
    expect(negative.message).toContain("Voxel (2, 0, 0) has grey level -1, outside 1..1");
  });
});

describe("linearOffset", () => {
  it("turns a voxel step into a storage offset", () => {
    expect(linearOffset([5, 4, 4], [1, -1, 1])).toBe(16);
    expect(linearOffset([5, 4, 4], [-1, 0, 0])).toBe(-1);
  });
});
