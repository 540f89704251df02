import { describe, expect, it } from "vitest";
import { distanceToRoiEdge } from "./distance-map";

describe("distanceToRoiEdge", () => {
  it("counts city-block steps to the nearest voxel outside, border voxels at 1", () => {
    // A 5 x 5 square with a hole at (1, 1).
    const mask = new Uint8Array(25).fill(1);
    mask[6] = 0;
    expect(distanceToRoiEdge(mask, [5, 5, 1], "2D")).toEqual(
      Int32Array.from([1, 1, 1, 1, 1, 1, 0, 1, 2, 1, 1, 1, 2, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1]),
    );
  });

  it("measures within the slice in 2D and through slices in 3D", () => {
    // Three slices of a 3 x 3 square: the centre voxel of the middle slice.
    const mask = new Uint8Array(27).fill(1);
    expect(distanceToRoiEdge(mask, [3, 3, 3], "2D")[13]).toBe(2);
    expect(distanceToRoiEdge(mask, [3, 3, 3], "3D")[13]).toBe(2);
    expect(distanceToRoiEdge(mask, [3, 3, 3], "3D")[4]).toBe(1);
    // Five slices of a 5 x 5 square: the centre is 3 steps from outside.
    const cube = new Uint8Array(125).fill(1);
    const d = distanceToRoiEdge(cube, [5, 5, 5], "3D");
    expect(d[62]).toBe(3);
    expect(d[2 + 5 * 2 + 25 * 1]).toBe(2);
    expect(Math.max(...distanceToRoiEdge(cube, [5, 5, 5], "2D"))).toBe(3);
  });

  it("treats the grid's edge as outside and gives 0 outside the ROI", () => {
    expect(distanceToRoiEdge(Uint8Array.from([1, 1, 1, 0]), [4, 1, 1], "2D")).toEqual(Int32Array.from([1, 1, 1, 0]));
  });
});
