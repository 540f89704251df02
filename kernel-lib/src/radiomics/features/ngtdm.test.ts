import { describe, expect, it } from "vitest";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { expectIbsiAgreement } from "../test-support/comparisons";
import { ibsiReferences } from "../test-support/reference-data";
import { ibsiPhantomRoi } from "../test-support/rois";
import type { ZoneAggregation } from "./neighbourhood";
import { ngtdmFeatures, ngtdmFeatureValues, ngtdmMatrix, ngtdmSliceMatrices, sumNgtdmMatrices } from "./ngtdm";

describe("ngtdmMatrix", () => {
  it("averages the ROI neighbours of each voxel and sets isolated voxels apart", () => {
    // Slice 0: 1 2 2 0 3   (the 3 has no neighbour in its slice)
    // Slice 1: 0 2 0 0 0
    const levels = Int32Array.from([1, 2, 2, 0, 3, 0, 2, 0, 0, 0]);
    expect(ngtdmMatrix(levels, [5, 1, 2], "2D")).toEqual({
      count: Float64Array.from([1, 2, 0]),
      differenceSum: Float64Array.from([1, 0.5, 0]),
      isolated: Float64Array.from([0, 1, 1]),
    });
    // In 3D the slice-1 voxel sees 1, 2 and 2 (mean 5/3) and lifts the others' means.
    const threeD = ngtdmMatrix(levels, [5, 1, 2], "3D");
    expect(threeD.count).toEqual(Float64Array.from([1, 3, 0]));
    expect(threeD.isolated).toEqual(Float64Array.from([0, 0, 1]));
    expect(threeD.differenceSum[0]).toBeCloseTo(1, 15);
    expect(threeD.differenceSum[1]).toBeCloseTo(Math.abs(2 - 5 / 3) + Math.abs(2 - 5 / 3) + 0, 15);
    const slices = ngtdmSliceMatrices(levels, [5, 1, 2]);
    expect(slices).toHaveLength(2);
    expect(sumNgtdmMatrices(slices)).toEqual(ngtdmMatrix(levels, [5, 1, 2], "2D"));
  });
  it("gives the fallback values on a uniform ROI and NaN without neighbours", () => {
    expect(ngtdmFeatureValues(Float64Array.from([4]), Float64Array.from([0]))).toEqual({
      coarseness: 1e6,
      contrast: 0,
      busyness: 0,
      complexity: 0,
      strength: 0,
    });
    expect(ngtdmFeatureValues(Float64Array.from([0, 0]), Float64Array.from([0, 0])).coarseness).toBeNaN();
  });
});

describe("ngtdmFeatures on the IBSI-1 digital phantom", () => {
  const references = ibsiReferences().filter((r) => r.tag.startsWith("ngt_"));
  for (const aggregation of ["2D", "2_5D", "3D"] as const satisfies readonly ZoneAggregation[]) {
    it(`matches every IBSI reference value (${aggregation})`, async () => {
      const features = ngtdmFeatures(await ibsiPhantomRoi(), { aggregations: [aggregation] });
      const mine = references.filter((r) => r.tag.endsWith(`_${aggregation}`));
      expectIbsiAgreement(`IBSI NGTDM ${aggregation}`, features, mine);
      expect(mine.length).toBe(5);
      expect(Object.keys(features).sort()).toEqual(mine.map((r) => r.tag).sort());
    });
  }
});

describe("ngtdmFeatures failures", () => {
  it("rejects an empty ROI and an unknown aggregation", async () => {
    const roi = await ibsiPhantomRoi();
    const empty: DiscretisedRoi = { ...roi, levels: new Int32Array(roi.levels.length) };
    expect(() => ngtdmFeatures(empty)).toThrowError(expect.objectContaining({ code: "empty-roi" }));
    const bad = ["3D", "4D"] as unknown as readonly ZoneAggregation[];
    expect(() => ngtdmFeatures(roi, { aggregations: bad })).toThrowError(
      expect.objectContaining({ code: "settings", evidence: { path: "aggregations[1]" } }),
    );
  });
});
