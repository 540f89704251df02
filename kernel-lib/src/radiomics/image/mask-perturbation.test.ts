import { describe, expect, it } from "vitest";
import { perturbMask } from "./mask-perturbation";
import { maskVoxelCount, IDENTITY_DIRECTION, type Mask } from "./volume";
import { RadiomicsError } from "../radiomics-error";

function cube(n: number, from: number, to: number): Mask {
  const data = new Uint8Array(n * n * n);
  for (let k = from; k <= to; k++)
    for (let j = from; j <= to; j++) for (let i = from; i <= to; i++) data[i + n * (j + n * k)] = 1;
  return { dims: [n, n, n], spacing: [1, 1, 1], origin: [0, 0, 0], direction: IDENTITY_DIRECTION, data };
}

describe("perturbMask", () => {
  it("grows a 3x3x3 cube by one voxel into the 6-connected shell", () => {
    // 27 voxels plus 9 on each of 6 faces.
    expect(maskVoxelCount(perturbMask(cube(7, 2, 4), { grow: 1 }))).toBe(27 + 6 * 9);
  });

  it("shrinks a 3x3x3 cube to its centre voxel", () => {
    const shrunk = perturbMask(cube(7, 2, 4), { grow: -1 });
    expect(maskVoxelCount(shrunk)).toBe(1);
    expect(shrunk.data[3 + 7 * (3 + 7 * 3)]).toBe(1);
  });

  it("moves the mask and loses what leaves the grid", () => {
    const moved = perturbMask(cube(7, 2, 4), { shift: [3, 0, 0] });
    expect(maskVoxelCount(moved)).toBe(18);
    expect(moved.data[6 + 7 * (2 + 7 * 2)]).toBe(1);
  });

  it("refuses fractional amounts and an erosion that leaves nothing, and never changes the input", () => {
    const original = cube(7, 2, 4);
    const copy = Uint8Array.from(original.data);
    expect(() => perturbMask(original, { grow: 0.5 })).toThrow(RadiomicsError);
    let error: unknown;
    try {
      perturbMask(original, { grow: -2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RadiomicsError);
    expect((error as RadiomicsError).code).toBe("empty-roi");
    expect(original.data).toEqual(copy);
  });
});
