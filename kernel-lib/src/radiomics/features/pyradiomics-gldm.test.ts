import { describe, expect, it } from "vitest";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { coldAndWarmMs, expectBaselineAgreement } from "../test-support/comparisons";
import { pyradiomicsBaseline } from "../test-support/reference-data";
import { pyradiomicsRoi } from "../test-support/rois";
import { pyradiomicsGldmFeatures } from "./pyradiomics-gldm";

describe("pyradiomicsGldmFeatures against pyradiomics' baseline", () => {
  for (const testCase of ["brain1", "breast1"]) {
    it(`agrees feature by feature on ${testCase} (relative 1e-6)`, () => {
      const features = pyradiomicsGldmFeatures(pyradiomicsRoi(testCase));
      expectBaselineAgreement(`pyradiomics gldm ${testCase}`, features, pyradiomicsBaseline("gldm", testCase));
    });
  }
  it("is fast on brain1", () => {
    const roi = pyradiomicsRoi("brain1");
    const { cold, warm } = coldAndWarmMs(() => pyradiomicsGldmFeatures(roi));
    console.log(`pyradiomics gldm brain1: ${cold.toFixed(1)} ms cold, ${warm.toFixed(1)} ms warm (median of 5)`);
    expect(warm).toBeLessThan(250);
  });
});

describe("pyradiomicsGldmFeatures failures", () => {
  it("rejects an empty ROI", () => {
    const roi = pyradiomicsRoi("breast1");
    const empty: DiscretisedRoi = { ...roi, levels: new Int32Array(roi.levels.length) };
    expect(() => pyradiomicsGldmFeatures(empty)).toThrowError(expect.objectContaining({ code: "empty-roi" }));
  });
});
