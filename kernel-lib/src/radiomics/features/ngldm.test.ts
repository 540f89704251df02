import { describe, expect, it } from "vitest";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { expectIbsiAgreement } from "../test-support/comparisons";
import { ibsiReferences } from "../test-support/reference-data";
import { ibsiPhantomRoi } from "../test-support/rois";
import { sumCountMatrices } from "./count-matrix";
import type { ZoneAggregation } from "./neighbourhood";
import { dependenceNeighbourhoodOf, ngldmFeatures, ngldmMatrix, ngldmSliceMatrices } from "./ngldm";

describe("ngldmMatrix", () => {
  // Slice 0: 1 1 2 0 3    slice 1: 1 0 0 0 3
  const levels = Int32Array.from([1, 1, 2, 0, 3, 1, 0, 0, 0, 3]);
  const dims = [5, 1, 2] as const;
  it("counts 1 plus the equal ROI neighbours of every voxel", () => {
    expect(ngldmMatrix(levels, dims, "2D", { alpha: 0, distance: 1 })).toEqual({
      rows: 3,
      columns: 2,
      counts: Float64Array.from([1, 2, 1, 0, 2, 0]),
    });
    expect(ngldmMatrix(levels, dims, "3D", { alpha: 0, distance: 1 })).toEqual({
      rows: 3,
      columns: 3,
      counts: Float64Array.from([0, 0, 3, 1, 0, 0, 0, 2, 0]),
    });
    expect(sumCountMatrices(ngldmSliceMatrices(levels, dims, { alpha: 0, distance: 1 }))).toEqual(
      ngldmMatrix(levels, dims, "2D", { alpha: 0, distance: 1 }),
    );
  });
  it("widens the dependence with alpha and the neighbourhood with distance", () => {
    // alpha 1: grey levels 1 and 2 depend on each other.
    expect(ngldmMatrix(levels, dims, "2D", { alpha: 1, distance: 1 }).counts).toEqual(
      Float64Array.from([1, 1, 1, 0, 1, 0, 2, 0, 0]),
    );
    // 1 0 1 2 2: at distance 1 the two 1s are apart, at distance 2 they depend on each other.
    const row = Int32Array.from([1, 0, 1, 2, 2]);
    expect(ngldmMatrix(row, [5, 1, 1], "2D", { alpha: 0, distance: 1 }).counts).toEqual(
      Float64Array.from([2, 0, 0, 2]),
    );
    expect(ngldmMatrix(row, [5, 1, 1], "2D", { alpha: 0, distance: 2 }).counts).toEqual(
      Float64Array.from([0, 2, 0, 2]),
    );
  });
});

describe("ngldmFeatures on the IBSI-1 digital phantom", () => {
  const references = ibsiReferences().filter((r) => r.tag.startsWith("ngl_"));
  for (const aggregation of ["2D", "2_5D", "3D"] as const satisfies readonly ZoneAggregation[]) {
    it(`matches every IBSI reference value (${aggregation})`, async () => {
      const features = ngldmFeatures(await ibsiPhantomRoi(), { aggregations: [aggregation] });
      const mine = references.filter((r) => r.tag.endsWith(`_${aggregation}`));
      expectIbsiAgreement(`IBSI NGLDM ${aggregation}`, features, mine);
      expect(mine.length).toBe(17);
      expect(Object.keys(features).sort()).toEqual(mine.map((r) => r.tag).sort());
    });
  }
});

describe("ngldmFeatures failures", () => {
  it("rejects an empty ROI, a bad alpha, a bad distance and an unknown aggregation", async () => {
    const roi = await ibsiPhantomRoi();
    const empty: DiscretisedRoi = { ...roi, levels: new Int32Array(roi.levels.length) };
    expect(() => ngldmFeatures(empty)).toThrowError(expect.objectContaining({ code: "empty-roi" }));
    for (const alpha of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => ngldmFeatures(roi, { alpha })).toThrowError(
        expect.objectContaining({ code: "settings", evidence: { path: "alpha" } }),
      );
    }
    for (const distance of [0, 1.5, -2]) {
      expect(() => ngldmFeatures(roi, { distance })).toThrowError(
        expect.objectContaining({ code: "settings", evidence: { path: "distance" } }),
      );
    }
    const bad = ["2D_avg"] as unknown as readonly ZoneAggregation[];
    expect(() => ngldmFeatures(roi, { aggregations: bad })).toThrowError(expect.objectContaining({ code: "settings" }));
    expect(dependenceNeighbourhoodOf({})).toEqual({ alpha: 0, distance: 1 });
  });
});
