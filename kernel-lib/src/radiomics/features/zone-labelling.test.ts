import { describe, expect, it } from "vitest";
import { labelZones, zonesBySlice } from "./zone-labelling";

describe("labelZones", () => {
  // Slice 0:  1 1 2    slice 1:  0 0 1
  //           0 2 1              2 0 0
  const levels = Int32Array.from([1, 1, 2, 0, 2, 1, 0, 0, 1, 2, 0, 0]);
  const dims = [3, 2, 2] as const;

  it("connects diagonal neighbours within a slice in 2D", () => {
    const zones = labelZones(levels, dims, "2D");
    expect(zones.count).toBe(4);
    expect(zones.level).toEqual(Int32Array.from([1, 2, 1, 2]));
    expect(zones.size).toEqual(Int32Array.from([3, 2, 1, 1]));
    expect(zones.first).toEqual(Int32Array.from([0, 2, 8, 9]));
    expect(zones.zoneOf).toEqual(Int32Array.from([0, 0, 1, -1, 1, 0, -1, -1, 2, 3, -1, -1]));
    expect(zonesBySlice(zones, dims)).toEqual([
      { slice: 0, from: 0, to: 2 },
      { slice: 1, from: 2, to: 4 },
    ]);
  });

  it("connects across slices, diagonals included, in 3D", () => {
    const zones = labelZones(levels, dims, "3D");
    // (2,0,1) = 1 touches (1,0,0) and (2,1,0); (0,1,1) = 2 touches (1,1,0) diagonally.
    expect(zones.count).toBe(2);
    expect(zones.level).toEqual(Int32Array.from([1, 2]));
    expect(zones.size).toEqual(Int32Array.from([4, 3]));
  });

  it("does not wrap around the grid's edges", () => {
    // 1 0 / 0 1 stored as [1, 0, 0, 1] with dims [2, 2, 1]: diagonal, one zone. With dims [4, 1, 1]
    // the same storage is 1 0 0 1, two zones (index 3 is not next to index 0).
    expect(labelZones(Int32Array.from([1, 0, 0, 1]), [2, 2, 1], "2D").count).toBe(1);
    expect(labelZones(Int32Array.from([1, 0, 0, 1]), [4, 1, 1], "2D").count).toBe(2);
    expect(labelZones(Int32Array.from([1, 0, 0, 1]), [1, 2, 2], "3D").count).toBe(1);
    expect(labelZones(Int32Array.from([1, 0, 0, 1]), [1, 2, 2], "2D").count).toBe(2);
  });

  it("finds no zone in an empty grid", () => {
    const zones = labelZones(new Int32Array(8), [2, 2, 2], "3D");
    expect(zones.count).toBe(0);
    expect(zonesBySlice(zones, [2, 2, 2])).toEqual([]);
  });
});
