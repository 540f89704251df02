import { describe, expect, it } from "vitest";
import { thrown } from "../test-support/thrown";
import {
  BOUNDARY_MODES,
  boundaryIndex,
  boundaryModeFromTool,
  checkBoundaryMode,
  TOOL_BOUNDARY_NAMES,
} from "./boundary";

/** The row 1 2 3 4 padded by 5 on each side under a mode (0 where zero padding reads nothing). */
const padded = (mode: (typeof BOUNDARY_MODES)[number]): number[] =>
  Array.from({ length: 14 }, (_, n) => {
    const q = boundaryIndex(mode, n - 5, 4);
    return q < 0 ? 0 : q + 1;
  });

describe("boundaryIndex", () => {
  // Expected rows: numpy.pad([1, 2, 3, 4], 5, mode) for constant, edge, wrap and symmetric
  // (PyWavelets' pywt.pad with zero, constant, periodic and symmetric gives the same rows).
  it("pads as numpy's constant, edge, wrap and symmetric modes", () => {
    expect(padded("zero")).toEqual([0, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0]);
    expect(padded("nearest")).toEqual([1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 4]);
    expect(padded("periodic")).toEqual([4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1]);
    expect(padded("mirror")).toEqual([4, 4, 3, 2, 1, 1, 2, 3, 4, 4, 3, 2, 1, 1]);
  });

  it("mirrors and wraps any distance away, also past a whole period", () => {
    expect([-9, -8, 16, 17].map((i) => boundaryIndex("mirror", i, 4))).toEqual([0, 0, 0, 1]);
    expect([-9, -8, 16, 17].map((i) => boundaryIndex("periodic", i, 4))).toEqual([3, 0, 0, 1]);
    expect([-1, 0, 1].map((i) => boundaryIndex("mirror", i, 1))).toEqual([0, 0, 0]);
  });
});

describe("boundaryModeFromTool", () => {
  it("maps each tool's names to IBSI-2's modes", () => {
    expect(boundaryModeFromTool("scipy", "reflect")).toBe("mirror");
    expect(boundaryModeFromTool("numpy", "symmetric")).toBe("mirror");
    expect(boundaryModeFromTool("pywavelets", "constant")).toBe("nearest");
    expect(boundaryModeFromTool("pywavelets", "periodic")).toBe("periodic");
    expect(boundaryModeFromTool("simpleitk", "ZeroFluxNeumannBoundaryCondition")).toBe("nearest");
    expect(boundaryModeFromTool("matlab", "circular")).toBe("periodic");
    for (const tool of Object.keys(TOOL_BOUNDARY_NAMES) as (keyof typeof TOOL_BOUNDARY_NAMES)[]) {
      for (const mode of BOUNDARY_MODES) {
        for (const name of TOOL_BOUNDARY_NAMES[tool][mode]) expect(boundaryModeFromTool(tool, name)).toBe(mode);
      }
    }
  });

  it("refuses the false friends that leave the edge voxel out", () => {
    const error = thrown(() => boundaryModeFromTool("scipy", "mirror"));
    expect(error.code).toBe("settings");
    expect(error.evidence.path).toBe("boundary");
    expect(error.message).toContain('scipy padding "mirror" is none of IBSI-2\'s boundary modes');
    expect(error.hint).toBe(
      "scipy's names for IBSI-2's modes are constant (zero), nearest (nearest), wrap (periodic), grid-wrap (periodic), reflect (mirror).",
    );
    expect(thrown(() => boundaryModeFromTool("pywavelets", "reflect")).code).toBe("settings");
    expect(thrown(() => boundaryModeFromTool("numpy", "reflect")).code).toBe("settings");
  });
});

describe("checkBoundaryMode", () => {
  it("names the field and the modes accepted", () => {
    const error = thrown(() => checkBoundaryMode("symmetric"));
    expect(error.code).toBe("settings");
    expect(error.evidence.path).toBe("boundary");
    expect(error.message).toMatch(/^boundary must be one of zero, nearest, periodic, mirror, not "symmetric"/);
    expect(() => checkBoundaryMode("mirror")).not.toThrow();
  });
});
