import { describe, expect, it } from "vitest";
import { RadiomicsError } from "../radiomics-error";
import { expectIbsiAgreement } from "../test-support/comparisons";
import { ibsiReferences } from "../test-support/reference-data";
import { ibsiPhantomRoi, toyRoi } from "../test-support/rois";
import { glszmFeatures, glszmMatrix } from "./glszm";
import type { ZoneAggregation } from "./neighbourhood";

describe("glszmMatrix", () => {
  it("counts 8-connected zones in 2D and 26-connected zones in 3D", () => {
    // Slice 0:  1 1 2   slice 1:  1 0 0
    //           2 2 1             0 0 2
    const levels = Int32Array.from([1, 1, 2, 2, 2, 1, 1, 0, 0, 0, 0, 2]);
    const twoD = glszmMatrix(levels, [3, 2, 2], "2D");
    // 2D: level 1: zones of 3 (slice 0) and 1 (slice 1); level 2: zones of 3 and 1.
    expect(twoD).toEqual({ rows: 2, columns: 3, counts: Float64Array.from([1, 0, 1, 1, 0, 1]) });
    const threeD = glszmMatrix(levels, [3, 2, 2], "3D");
    // 3D: the slice-1 voxels touch the slice-0 zones of their grey level.
    expect(threeD).toEqual({ rows: 2, columns: 4, counts: Float64Array.from([0, 0, 0, 1, 0, 0, 0, 1]) });
  });
});

describe("glszmFeatures on the IBSI-1 digital phantom", () => {
  const references = ibsiReferences().filter((r) => r.tag.startsWith("szm_"));
  for (const aggregation of ["2D", "2_5D", "3D"] as const satisfies readonly ZoneAggregation[]) {
    it(`matches every IBSI reference value (${aggregation})`, async () => {
      const features = glszmFeatures(await ibsiPhantomRoi(), { aggregations: [aggregation] });
      const mine = references.filter((r) => r.tag.endsWith(`_${aggregation}`));
      expectIbsiAgreement(`IBSI GLSZM ${aggregation}`, features, mine);
      expect(mine.length).toBe(16);
      expect(Object.keys(features).sort()).toEqual(mine.map((r) => r.tag).sort());
    });
  }
});

describe("glszmFeatures failures", () => {
  it("rejects an empty ROI", () => {
    expect(() => glszmFeatures(toyRoi([0, 0, 0, 0], [2, 2, 1], 1))).toThrowError(RadiomicsError);
    expect(() => glszmFeatures(toyRoi([0, 0, 0, 0], [2, 2, 1], 1))).toThrowError(
      expect.objectContaining({ code: "empty-roi", evidence: { path: "roi.levels" } }),
    );
  });
  it("rejects an unknown aggregation", async () => {
    const roi = await ibsiPhantomRoi();
    const bad = ["3D_avg"] as unknown as readonly ZoneAggregation[];
    expect(() => glszmFeatures(roi, { aggregations: bad })).toThrowError(
      expect.objectContaining({ code: "settings", evidence: { path: "aggregations[0]" } }),
    );
    expect(() => glszmFeatures(roi, { aggregations: [] })).toThrowError(expect.objectContaining({ code: "settings" }));
  });
});
