import { describe, expect, it } from "vitest";
import { RadiomicsError } from "../radiomics-error";
import { patientToIndex } from "./patient-to-index";
import { IDENTITY_DIRECTION, voxelPosition, type VoxelGrid } from "./volume";

describe("patientToIndex", () => {
  it("inverts voxelPosition for an oblique, anisotropic grid", () => {
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    // Rotated by 0.3 rad about z, then the k axis tilted: not orthogonal, still invertible.
    const grid: VoxelGrid = {
      dims: [10, 10, 10],
      spacing: [0.7, 1.3, 2.5],
      origin: [-12.5, 40, 3],
      direction: [c, -s, 0.1, s, c, 0, 0, 0, Math.sqrt(1 - 0.01)],
    };
    const toIndex = patientToIndex(grid);
    for (const [i, j, k] of [
      [0, 0, 0],
      [3, 7, 2],
      [9.5, -1, 4.25],
    ] as const) {
      const [x, y, z] = voxelPosition(grid, i, j, k);
      const back = toIndex(x, y, z);
      expect(back.map((v, a) => Math.abs(v - [i, j, k][a]!) < 1e-12)).toEqual([true, true, true]);
    }
  });

  it("gives whole indices at voxel centres of an axis-aligned grid", () => {
    const toIndex = patientToIndex({
      dims: [5, 4, 4],
      spacing: [2, 2, 2],
      origin: [0, 0, 0],
      direction: IDENTITY_DIRECTION,
    });
    expect(toIndex(4, 2, 6)).toEqual([2, 1, 3]);
    expect(toIndex(-1, 0, 0)).toEqual([-0.5, 0, 0]);
  });

  it("refuses a singular grid", () => {
    const singular = { dims: [1, 1, 1], spacing: [1, 0, 1], origin: [0, 0, 0], direction: IDENTITY_DIRECTION } as const;
    expect(() => patientToIndex(singular)).toThrow(RadiomicsError);
    const parallel = {
      dims: [1, 1, 1],
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: [1, 1, 0, 0, 0, 0, 0, 0, 1],
    } as const;
    try {
      patientToIndex(parallel);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RadiomicsError);
      expect([(error as RadiomicsError).code, (error as RadiomicsError).evidence.path]).toEqual([
        "geometry",
        "direction",
      ]);
    }
  });
});
