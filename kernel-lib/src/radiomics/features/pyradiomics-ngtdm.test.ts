import { describe, expect, it } from "vitest";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { coldAndWarmMs, expectBaselineAgreement } from "../test-support/comparisons";
import { pyradiomicsBaseline } from "../test-support/reference-data";
import { pyradiomicsRoi, toyRoi } from "../test-support/rois";
import { ngtdmFeatures } from "./ngtdm";
import { pyradiomicsNgtdmFeatures } from "./pyradiomics-ngtdm";

describe("pyradiomicsNgtdmFeatures against pyradiomics' baseline", () => {
  for (const testCase of ["brain1", "breast1"]) {
    it(`agrees feature by feature on ${testCase} (relative 1e-6)`, () => {
      const features = pyradiomicsNgtdmFeatures(pyradiomicsRoi(testCase));
      expectBaselineAgreement(`pyradiomics ngtdm ${testCase}`, features, pyradiomicsBaseline("ngtdm", testCase));
    });
  }
  it("is fast on brain1", () => {
    const roi = pyradiomicsRoi("brain1");
    const { cold, warm } = coldAndWarmMs(() => pyradiomicsNgtdmFeatures(roi));
    console.log(`pyradiomics ngtdm brain1: ${cold.toFixed(1)} ms cold, ${warm.toFixed(1)} ms warm (median of 5)`);
    expect(warm).toBeLessThan(250);
  });
});

describe("pyradiomicsNgtdmFeatures failures", () => {
  it("rejects an empty ROI", () => {
    const roi = pyradiomicsRoi("breast1");
    const empty: DiscretisedRoi = { ...roi, levels: new Int32Array(roi.levels.length) };
    expect(() => pyradiomicsNgtdmFeatures(empty)).toThrowError(expect.objectContaining({ code: "empty-roi" }));
  });
});

describe("pyradiomicsNgtdmFeatures' convention for voxels without neighbours", () => {
  it("counts them in n_i with a difference of 0, where IBSI leaves them out", () => {
    // 1 2 0 0 3: the 3 has no ROI neighbour.
    const roi = toyRoi([1, 2, 0, 0, 3], [5, 1, 1], 3);
    // pyradiomics: p = [1/3, 1/3, 1/3], s = [1, 1, 0]; IBSI: p = [1/2, 1/2], s = [1, 1].
    expect(pyradiomicsNgtdmFeatures(roi).ngtdm_Coarseness).toBeCloseTo(1.5, 14);
    expect(ngtdmFeatures(roi, { aggregations: ["3D"] }).ngt_coarseness_3D).toBeCloseTo(1, 14);
  });
});
