import { describe, expect, it } from "vitest";
import { countMatrixOf, countMatrixStatistics, sumCountMatrices } from "./count-matrix";

describe("count matrices", () => {
  // Zones: (level 1, size 1) x 2, (level 1, size 3), (level 2, size 2).
  const m = countMatrixOf(Int32Array.from([1, 1, 1, 2]), Int32Array.from([1, 1, 3, 2]), 0, 4);

  it("counts (grey level, value) pairs", () => {
    expect(m).toEqual({ rows: 2, columns: 3, counts: Float64Array.from([2, 0, 1, 0, 1, 0]) });
    expect(countMatrixOf(Int32Array.from([1, 2, 2]), Int32Array.from([1, 1, 2]), 1, 3)).toEqual({
      rows: 2,
      columns: 2,
      counts: Float64Array.from([0, 0, 1, 1]),
    });
    expect(sumCountMatrices([m, countMatrixOf(Int32Array.from([3]), Int32Array.from([1]), 0, 1)])).toEqual({
      rows: 3,
      columns: 3,
      counts: Float64Array.from([2, 0, 1, 0, 1, 0, 1, 0, 0]),
    });
  });

  it("computes every statistic exactly", () => {
    const s = countMatrixStatistics(m);
    const meanI = (1 + 1 + 1 + 2) / 4;
    const meanJ = (1 + 1 + 3 + 2) / 4;
    expect(s).toEqual({
      total: 4,
      columnTotal: 1 + 1 + 3 + 2,
      smallEmphasis: (2 + 1 / 9 + 1 / 4) / 4,
      largeEmphasis: (2 + 9 + 4) / 4,
      lowGreyEmphasis: (3 + 1 / 4) / 4,
      highGreyEmphasis: (3 + 4) / 4,
      smallLowGreyEmphasis: (2 + 1 / 9 + 1 / 16) / 4,
      smallHighGreyEmphasis: (2 + 1 / 9 + 1) / 4,
      largeLowGreyEmphasis: (2 + 9 + 1) / 4,
      largeHighGreyEmphasis: (2 + 9 + 16) / 4,
      greyNonUniformity: (9 + 1) / 4,
      greyNonUniformityNormalised: (9 + 1) / 16,
      columnNonUniformity: (4 + 1 + 1) / 4,
      columnNonUniformityNormalised: (4 + 1 + 1) / 16,
      greyVariance: (3 * (1 - meanI) ** 2 + (2 - meanI) ** 2) / 4,
      columnVariance: (2 * (1 - meanJ) ** 2 + (3 - meanJ) ** 2 + (2 - meanJ) ** 2) / 4,
      entropy: -(0.5 * Math.log2(0.5) + 2 * 0.25 * Math.log2(0.25)),
      energy: 0.25 + 0.0625 + 0.0625,
    });
    expect(countMatrixStatistics(m, 2 ** -52).entropy).toBeCloseTo(1.5, 14);
  });

  it("gives NaN for an empty matrix", () => {
    const s = countMatrixStatistics(countMatrixOf(new Int32Array(0), new Int32Array(0), 0, 0));
    expect(s.total).toBe(0);
    expect(Object.entries(s).filter(([k, v]) => k !== "total" && !Number.isNaN(v))).toEqual([]);
  });
});
