import { describe, expect, it } from "vitest";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { coldAndWarmMs, expectBaselineAgreement } from "../test-support/comparisons";
import { pyradiomicsBaseline } from "../test-support/reference-data";
import { pyradiomicsRoi } from "../test-support/rois";
import { pyradiomicsGlszmFeatures } from "./pyradiomics-glszm";

describe("pyradiomicsGlszmFeatures against pyradiomics' baseline", () => {
  for (const testCase of ["brain1", "breast1"]) {
    it(`agrees feature by feature on ${testCase} (relative 1e-6)`, () => {
      const features = pyradiomicsGlszmFeatures(pyradiomicsRoi(testCase));
      expectBaselineAgreement(`pyradiomics glszm ${testCase}`, features, pyradiomicsBaseline("glszm", testCase));
    });
  }
  it("is fast on brain1", () => {
    const roi = pyradiomicsRoi("brain1");
    const { cold, warm } = coldAndWarmMs(() => pyradiomicsGlszmFeatures(roi));
    console.log(`pyradiomics glszm brain1: ${cold.toFixed(1)} ms cold, ${warm.toFixed(1)} ms warm (median of 5)`);
    expect(warm).toBeLessThan(250);
  });
});

describe("pyradiomicsGlszmFeatures failures", () => {
  it("rejects an empty ROI", () => {
    const roi = pyradiomicsRoi("breast1");
    const empty: DiscretisedRoi = { ...roi, levels: new Int32Array(roi.levels.length) };
    expect(() => pyradiomicsGlszmFeatures(empty)).toThrowError(expect.objectContaining({ code: "empty-roi" }));
  });
});
