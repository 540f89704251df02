import { beforeAll, describe, expect, it } from "vitest";
import type { Mask, Volume } from "../image/volume";
import { ibsiReferences } from "../test-support/reference-data";
import { expectIbsiAgreement } from "../test-support/comparisons";
import { lineVolume, readIbsiPhantom, readPyradiomicsCase } from "../test-support/rois";
import { thrown } from "../test-support/thrown";
import { intensityVolumeHistogramFeatures, type IvhDiscretisation } from "./intensity-volume-histogram";

function ivh(values: readonly number[], discretisation: IvhDiscretisation): Record<string, number> {
  const { image, mask } = lineVolume(values);
  return intensityVolumeHistogramFeatures(image, mask, discretisation);
}

describe("intensityVolumeHistogramFeatures", () => {
  let image: Volume;
  let mask: Mask;
  beforeAll(async () => {
    ({ image, mask } = await readIbsiPhantom());
  });

  it("matches every IBSI-1 digital phantom reference of the Intensity volume histogram family", () => {
    const features = intensityVolumeHistogramFeatures(image, mask, { kind: "none" });
    const references = ibsiReferences().filter((r) => r.family === "Intensity volume histogram");
    // The table gives no value for ivh_auc; the manual's text gives 0.32 for the phantom.
    expect(references.map((r) => r.tag).sort()).toEqual(
      ["ivh_diff_i10_i90", "ivh_diff_v10_v90", "ivh_i10", "ivh_i90", "ivh_v10", "ivh_v90"].sort(),
    );
    expectIbsiAgreement("IBSI Intensity volume histogram", features, references);
    expect(features.ivh_v10).toBe(24 / 74);
    expect(features.ivh_v90).toBe(7 / 74);
    expect(features.ivh_i10).toBe(5);
    expect(features.ivh_i90).toBe(2);
    // Trapezoids over gamma = 0, 0.2, ..., 1 with nu = 74, 24, 24, 23, 7, 7 (/ 74).
    expect(features.ivh_auc).toBeCloseTo((0.2 * (74 / 2 + 24 + 24 + 23 + 7 + 7 / 2)) / 74, 14);
    expect(features.ivh_auc!.toFixed(2)).toBe("0.32");
  });

  it("uses the re-segmentation range as the intensity range for CT", () => {
    // HU -2..2 within [-10, 10]: gamma steps of 1 / 20.
    const f = ivh([-2, -1, 0, 1, 2], { kind: "none", lowerBound: -10, upperBound: 10 });
    // gamma >= 0.1 first at -8, where every voxel is still at or above.
    expect(f.ivh_v10).toBe(1);
    // gamma >= 0.9 first at 8: no voxel.
    expect(f.ivh_v90).toBe(0);
    expect(f.ivh_i90).toBe(-1);
    expect(f.ivh_i10).toBe(3);
    // A half-open range takes the ROI maximum as its upper bound.
    expect(ivh([-2, -1, 0, 1, 2], { kind: "none", lowerBound: -2 }).ivh_v90).toBe(1 / 5);
  });

  it("puts continuous intensities at bin centres with fixed bin width", () => {
    // Range [0, 1] in bins of 0.25: 4 bins, centres 0.125 .. 0.875; 1.0 falls in the last bin.
    const f = ivh([0, 0.1, 0.3, 0.8, 1], { kind: "fixed-bin-width", binWidth: 0.25 });
    // Bins hold 2, 1, 0, 2 voxels; nu = 1, 0.6, 0.4, 0.4.
    expect(f.ivh_v10).toBeCloseTo(0.6, 15);
    expect(f.ivh_v90).toBeCloseTo(0.4, 15);
    expect(f.ivh_i90).toBe(0.375);
    // Even the top bin holds 40 % of the volume: I10 is beyond the range.
    expect(f.ivh_i10).toBe(1.125);
    expect(f.ivh_auc).toBeCloseTo(((1 + 0.6) / 2 + (0.6 + 0.4) / 2 + 0.4) / 3, 15);
  });

  it("takes X_min and X_max from the re-segmentation bounds with fixed bin width", () => {
    // SUV 0..2 in bins of 0.5: 4 bins, centres 0.25 .. 1.75, gamma steps of 1 / 3.
    const f = ivh([0.6, 0.7, 1.2, 1.3], { kind: "fixed-bin-width", binWidth: 0.5, lowerBound: 0, upperBound: 2 });
    // nu = 1, 1, 0.5, 0 over the bins; gamma >= 0.1 first at bin 2, >= 0.9 at bin 4.
    expect(f.ivh_v10).toBe(1);
    expect(f.ivh_v90).toBe(0);
    expect(f.ivh_i10).toBe(1.75);
    expect(f.ivh_i90).toBe(1.25);
  });

  it("uses bin numbers with fixed bin number", () => {
    const f = ivh([0, 10, 20, 30, 40, 50, 60, 70, 80, 100], { kind: "fixed-bin-number", bins: 10 });
    expect(f.ivh_v10).toBeCloseTo(0.9, 15);
    expect(f.ivh_i90).toBe(2);
    expect(f.ivh_i10).toBe(10);
  });

  it("times brain1 (integer MR intensities, unit steps)", () => {
    const { image: brain, mask: label } = readPyradiomicsCase("brain1");
    const f = intensityVolumeHistogramFeatures(brain, label, { kind: "none" });
    // brain1's ROI spans 468..1266 (pyradiomics' Minimum and Maximum).
    expect(f.ivh_i10! > 468 && f.ivh_i10! <= 1267 && f.ivh_i90! >= 468 && f.ivh_i90! < f.ivh_i10!).toBe(true);
    for (let r = 0; r < 5; r++) intensityVolumeHistogramFeatures(brain, label, { kind: "none" });
    const runs = 20;
    const start = performance.now();
    for (let r = 0; r < runs; r++) intensityVolumeHistogramFeatures(brain, label, { kind: "none" });
    console.log(
      `IBSI intensity volume histogram brain1: ${((performance.now() - start) / runs).toFixed(2)} ms per call`,
      f,
    );
  });

  it("gives 0 for AUC and V_x with a single intensity", () => {
    const f = ivh([3, 3], { kind: "none" });
    expect(f.ivh_auc).toBe(0);
    expect(f.ivh_v10).toBe(0);
    expect(f.ivh_i10).toBe(4);
  });

  it("rejects settings that do not fit the data", () => {
    const nonInteger = thrown(() => ivh([0.5, 1], { kind: "none" }));
    expect(nonInteger.code).toBe("settings");
    expect(nonInteger.evidence.path).toBe("discretisation.kind");
    const outside = thrown(() => ivh([-20, 1], { kind: "none", lowerBound: -10, upperBound: 10 }));
    expect(outside.code).toBe("settings");
    expect(outside.message).toMatch(/outside the re-segmentation range \[-10, 10\]/);
    expect(outside.evidence.path).toBe("discretisation.lowerBound");
    expect(thrown(() => ivh([0, 1e9], { kind: "none" })).message).toMatch(/would step through 1000000001/);
    expect(thrown(() => ivh([0, 1], { kind: "fixed-bin-width", binWidth: 1e-9 })).code).toBe("settings");
    expect(thrown(() => ivh([1, 2], { kind: "none", lowerBound: 5, upperBound: 1 })).code).toBe("settings");
    expect(thrown(() => ivh([1, 2], { kind: "fixed-bin-width", binWidth: 0 })).evidence.path).toBe(
      "discretisation.binWidth",
    );
    expect(thrown(() => ivh([1, 2], { kind: "fixed-bin-number", bins: 0 })).code).toBe("settings");
    const unknown = thrown(() => ivh([1, 2], { kind: "discrete" } as unknown as IvhDiscretisation));
    expect(unknown.code).toBe("settings");
    expect(unknown.message).toMatch(/Unknown IVH discretisation kind "discrete"/);
  });

  it("throws empty-roi for an empty mask", () => {
    const { image: img, mask: m } = lineVolume([1, 2]);
    const empty = { ...m, data: new Uint8Array(2) };
    expect(thrown(() => intensityVolumeHistogramFeatures(img, empty, { kind: "none" })).code).toBe("empty-roi");
  });
});
