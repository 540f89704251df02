import { beforeAll, describe, expect, it } from "vitest";
import { IDENTITY_DIRECTION, type Mask, type Volume } from "../image/volume";
import { ibsiReferences, pyradiomicsBaseline } from "../test-support/reference-data";
import { expectIbsiAgreement } from "../test-support/comparisons";
import { readIbsiPhantom, readPyradiomicsCase } from "../test-support/rois";
import { thrown } from "../test-support/thrown";
import { statisticsFeatures } from "./statistics";

function volume(values: readonly number[], dims: readonly [number, number, number] = [values.length, 1, 1]): Volume {
  return {
    dims,
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: IDENTITY_DIRECTION,
    data: Float64Array.from(values),
  };
}
function mask(values: readonly number[], dims: readonly [number, number, number] = [values.length, 1, 1]): Mask {
  return { dims, spacing: [1, 1, 1], origin: [0, 0, 0], direction: IDENTITY_DIRECTION, data: Uint8Array.from(values) };
}

describe("statisticsFeatures", () => {
  let image: Volume;
  let roi: Mask;
  beforeAll(async () => {
    ({ image, mask: roi } = await readIbsiPhantom());
  });

  it("matches every IBSI-1 digital phantom reference of the Statistics family", () => {
    const features = statisticsFeatures(image, roi);
    const references = ibsiReferences().filter((r) => r.family === "Statistics");
    expect(references.length).toBe(18);
    expectIbsiAgreement("IBSI Statistics", features, references);
    expect(Object.keys(features).sort()).toEqual(references.map((r) => r.tag).sort());
  });

  for (const testCase of ["brain1", "breast1"]) {
    it(`agrees with pyradiomics' ${testCase} baseline where the definitions are the same`, () => {
      const { image, mask: label } = readPyradiomicsCase(testCase);
      const f = statisticsFeatures(image, label);
      const b = pyradiomicsBaseline("firstorder", testCase);
      const pairs: [number, number][] = [
        [f.stat_mean!, b.get("firstorder_Mean")!],
        [f.stat_var!, b.get("firstorder_Variance")!],
        [f.stat_skew!, b.get("firstorder_Skewness")!],
        [f.stat_kurt! + 3, b.get("firstorder_Kurtosis")!],
        [f.stat_median!, b.get("firstorder_Median")!],
        [f.stat_min!, b.get("firstorder_Minimum")!],
        [f.stat_p10!, b.get("firstorder_10Percentile")!],
        [f.stat_p90!, b.get("firstorder_90Percentile")!],
        [f.stat_max!, b.get("firstorder_Maximum")!],
        [f.stat_iqr!, b.get("firstorder_InterquartileRange")!],
        [f.stat_range!, b.get("firstorder_Range")!],
        [f.stat_mad!, b.get("firstorder_MeanAbsoluteDeviation")!],
        [f.stat_rmad!, b.get("firstorder_RobustMeanAbsoluteDeviation")!],
      ];
      for (const [ours, theirs] of pairs) expect(Math.abs(ours - theirs) / Math.abs(theirs)).toBeLessThan(1e-12);
    });
  }

  it("times brain1", () => {
    const { image, mask: label } = readPyradiomicsCase("brain1");
    for (let r = 0; r < 5; r++) statisticsFeatures(image, label);
    const runs = 20;
    const start = performance.now();
    for (let r = 0; r < runs; r++) statisticsFeatures(image, label);
    const ms = (performance.now() - start) / runs;
    console.log(`IBSI statistics brain1: ${ms.toFixed(2)} ms per call`);
    expect(ms).toBeLessThan(1000);
  });

  it("gives exact values on a small ROI", () => {
    // ROI values 1, 2, 2, 3, 7 (the last voxel, 100, is outside the mask).
    const f = statisticsFeatures(volume([1, 2, 2, 3, 7, 100]), mask([1, 1, 1, 1, 1, 0]));
    expect(f.stat_mean).toBe(3);
    expect(f.stat_var).toBeCloseTo(22 / 5, 14);
    expect(f.stat_median).toBe(2);
    expect(f.stat_min).toBe(1);
    expect(f.stat_max).toBe(7);
    expect(f.stat_range).toBe(6);
    expect(f.stat_p10).toBeCloseTo(1.4, 14);
    expect(f.stat_p90).toBeCloseTo(5.4, 14);
    expect(f.stat_iqr).toBe(1);
    expect(f.stat_qcod).toBe(1 / 5);
    expect(f.stat_mad).toBeCloseTo(8 / 5, 14);
    expect(f.stat_medad).toBeCloseTo(7 / 5, 14);
    // Between P10 = 1.4 and P90 = 5.4: 2, 2, 3, mean 7/3.
    expect(f.stat_rmad).toBeCloseTo((1 / 3 + 1 / 3 + 2 / 3) / 3, 14);
    expect(f.stat_energy).toBe(67);
    expect(f.stat_rms).toBeCloseTo(Math.sqrt(67 / 5), 14);
    expect(f.stat_cov).toBeCloseTo(Math.sqrt(22 / 5) / 3, 14);
  });

  it("gives skewness and kurtosis 0 for a flat region, as IBSI specifies", () => {
    const f = statisticsFeatures(volume([0.1, 0.1, 0.1]), mask([1, 1, 1]));
    expect(f.stat_var).toBe(0);
    expect(f.stat_skew).toBe(0);
    expect(f.stat_kurt).toBe(0);
    expect(f.stat_rmad).toBe(0);
  });

  it("throws empty-roi for an empty mask", () => {
    const error = thrown(() => statisticsFeatures(volume([1, 2, 3]), mask([0, 0, 0])));
    expect(error.message).toMatch(/holds no voxel/);
    expect(error.code).toBe("empty-roi");
  });

  it("throws geometry when the mask is on another grid", () => {
    const error = thrown(() => statisticsFeatures(volume([1, 2, 3, 4], [2, 2, 1]), mask([1, 1, 1, 1], [4, 1, 1])));
    expect([error.code, error.evidence.path]).toEqual(["geometry", "dims"]);
  });

  it("throws input for a NaN intensity inside the ROI", () => {
    const error = thrown(() => statisticsFeatures(volume([1, Number.NaN, 3]), mask([1, 1, 0])));
    expect([error.code, error.evidence.path]).toEqual(["input", "data[1]"]);
  });
});
