import { beforeAll, describe, expect, it } from "vitest";
import { IDENTITY_DIRECTION, type Mask, type Volume } from "../image/volume";
import { discretise, type DiscretisedRoi } from "../preprocess/discretise";
import { ibsiReferences } from "../test-support/reference-data";
import { expectIbsiAgreement } from "../test-support/comparisons";
import { readIbsiPhantom, readPyradiomicsCase } from "../test-support/rois";
import { thrown } from "../test-support/thrown";
import { intensityHistogramFeatures } from "./intensity-histogram";

function levelsRoi(levels: readonly number[], levelCount: number): DiscretisedRoi {
  return {
    dims: [levels.length, 1, 1],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: IDENTITY_DIRECTION,
    levels: Int32Array.from(levels),
    levelCount,
    lowerEdge: 1,
    binWidth: 1,
  };
}

describe("intensityHistogramFeatures", () => {
  let image: Volume;
  let mask: Mask;
  beforeAll(async () => {
    ({ image, mask } = await readIbsiPhantom());
  });

  it("matches every IBSI-1 digital phantom reference of the Intensity histogram family", () => {
    const features = intensityHistogramFeatures(discretise(image, mask, { kind: "none", levels: 6 }));
    const references = ibsiReferences().filter((r) => r.family === "Intensity histogram");
    expect(references.length).toBe(23);
    expectIbsiAgreement("IBSI Intensity histogram", features, references);
    expect(Object.keys(features).sort()).toEqual(references.map((r) => r.tag).sort());
    // The phantom's histogram is 50, 0, 1, 16, 0, 7 over levels 1..6.
    expect(features.ih_max_grad).toBe(8);
    expect(features.ih_min_grad).toBe(-50);
    expect(features.ih_mode).toBe(1);
  });

  it("agrees with pyradiomics' Entropy and Uniformity on brain1 for the same histogram", () => {
    // With pyradiomics' binning, IBSI's entropy and uniformity are pyradiomics' (up to its eps).
    const { image: brain, mask: label } = readPyradiomicsCase("brain1");
    const roi = discretise(brain, label, { kind: "pyradiomics-bin-width", binWidth: 25 });
    const f = intensityHistogramFeatures(roi);
    expect(Math.abs(f.ih_entropy! - 4.601935553903797)).toBeLessThan(1e-12);
    expect(Math.abs(f.ih_uniformity! - 0.045156963555862184)).toBeLessThan(1e-15);
    for (let r = 0; r < 5; r++) intensityHistogramFeatures(roi);
    const runs = 20;
    const start = performance.now();
    for (let r = 0; r < runs; r++) intensityHistogramFeatures(roi);
    console.log(`IBSI intensity histogram brain1: ${((performance.now() - start) / runs).toFixed(2)} ms per call`);
  });

  it("computes the gradient over every level, with one-sided differences at the ends", () => {
    // Counts over levels 1..5: 1, 3, 0, 0, 4.
    const f = intensityHistogramFeatures(levelsRoi([1, 2, 2, 2, 5, 5, 5, 5, 0, 0], 5));
    // H' = [3 - 1, (0 - 1) / 2, (0 - 3) / 2, (4 - 0) / 2, 4 - 0] = [2, -0.5, -1.5, 2, 4].
    expect(f.ih_max_grad).toBe(4);
    expect(f.ih_max_grad_g).toBe(5);
    expect(f.ih_min_grad).toBe(-1.5);
    expect(f.ih_min_grad_g).toBe(3);
    expect(f.ih_mode).toBe(5);
    expect(f.ih_uniformity).toBeCloseTo((1 + 9 + 16) / 64, 15);
    expect(f.ih_entropy).toBeCloseTo(
      -(1 / 8) * Math.log2(1 / 8) - (3 / 8) * Math.log2(3 / 8) - 0.5 * Math.log2(0.5),
      14,
    );
  });

  it("breaks mode ties towards the mean, then towards the lower level", () => {
    // Levels 1 and 4 twice each, mean 2.5: equidistant, so the lower one.
    expect(intensityHistogramFeatures(levelsRoi([1, 1, 4, 4], 4)).ih_mode).toBe(1);
    // Levels 1, 3 twice and 6 once: mean 14 / 5 = 2.8, so 3 is closer than 1.
    expect(intensityHistogramFeatures(levelsRoi([1, 1, 3, 3, 6], 6)).ih_mode).toBe(3);
  });

  it("gives zero gradient, skewness and kurtosis for a single level", () => {
    const f = intensityHistogramFeatures(levelsRoi([1, 1, 1], 1));
    expect([f.ih_max_grad, f.ih_min_grad, f.ih_skew, f.ih_kurt, f.ih_var, f.ih_entropy]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(f.ih_uniformity).toBe(1);
  });

  it("throws empty-roi, input and settings for unusable ROIs", () => {
    expect(thrown(() => intensityHistogramFeatures(levelsRoi([0, 0], 3))).code).toBe("empty-roi");
    expect(thrown(() => intensityHistogramFeatures(levelsRoi([1, 4], 3))).code).toBe("input");
    expect(thrown(() => intensityHistogramFeatures(levelsRoi([1, 2], 0))).code).toBe("settings");
  });
});
