import { beforeAll, describe, expect, it } from "vitest";
import { IDENTITY_DIRECTION, type Mask, type Volume } from "../image/volume";
import { expectBaselineAgreement } from "../test-support/comparisons";
import { pyradiomicsBaseline } from "../test-support/reference-data";
import { readIbsiPhantom, readPyradiomicsCase } from "../test-support/rois";
import { thrown } from "../test-support/thrown";
import { pyradiomicsFirstOrderFeatures } from "./pyradiomics-firstorder";
import { statisticsFeatures } from "./statistics";

const SETTINGS = { binWidth: 25, voxelArrayShift: 2000 } as const;

describe("pyradiomicsFirstOrderFeatures", () => {
  const cases: Record<string, { image: Volume; mask: Mask }> = {};
  beforeAll(() => {
    for (const testCase of ["brain1", "breast1"]) cases[testCase] = readPyradiomicsCase(testCase);
  });

  for (const testCase of ["brain1", "breast1"]) {
    it(`agrees with pyradiomics' ${testCase} baseline feature by feature (relative 1e-6)`, () => {
      const { image, mask } = cases[testCase]!;
      const features = pyradiomicsFirstOrderFeatures(image, mask, SETTINGS);
      const baseline = new Map(
        [...pyradiomicsBaseline("firstorder", testCase)].filter(([k]) => k.startsWith("firstorder_")),
      );
      expectBaselineAgreement(`pyradiomics firstorder ${testCase}`, features, baseline);
    });
  }

  it("times brain1", () => {
    const { image, mask } = cases.brain1!;
    for (let r = 0; r < 5; r++) pyradiomicsFirstOrderFeatures(image, mask, SETTINGS);
    const runs = 20;
    const start = performance.now();
    for (let r = 0; r < runs; r++) pyradiomicsFirstOrderFeatures(image, mask, SETTINGS);
    const ms = (performance.now() - start) / runs;
    console.log(`pyradiomics firstorder brain1: ${ms.toFixed(2)} ms per call`);
    expect(ms).toBeLessThan(1000);
  });

  it("differs from IBSI only by its documented conventions on the digital phantom", async () => {
    const { image, mask } = await readIbsiPhantom();
    const ibsi = statisticsFeatures(image, mask);
    const unshifted = pyradiomicsFirstOrderFeatures(image, mask, { binWidth: 1, voxelArrayShift: 0 });
    expect(unshifted.firstorder_Energy).toBe(ibsi.stat_energy);
    expect(unshifted.firstorder_RootMeanSquared).toBe(ibsi.stat_rms);
    expect(unshifted.firstorder_Kurtosis).toBeCloseTo(ibsi.stat_kurt! + 3, 14);
    // 2 mm voxels: 8 mm^3 each.
    expect(unshifted.firstorder_TotalEnergy).toBe(8 * ibsi.stat_energy!);
    const shifted = pyradiomicsFirstOrderFeatures(image, mask, { binWidth: 1, voxelArrayShift: 10 });
    let energy = 0;
    for (let n = 0; n < mask.data.length; n++) if (mask.data[n] !== 0) energy += (image.data[n]! + 10) ** 2;
    expect(shifted.firstorder_Energy).toBe(energy);
    // With unit bins on integer levels 1..6 the histogram is IBSI's (counts 50, 0, 1, 16, 0, 7).
    expect(unshifted.firstorder_Uniformity).toBeCloseTo((50 ** 2 + 1 + 16 ** 2 + 7 ** 2) / 74 ** 2, 15);
  });

  it("gives Skewness and Kurtosis 0 for a flat region, as pyradiomics does", () => {
    const grid = { dims: [3, 1, 1] as const, spacing: [1, 1, 1] as const, origin: [0, 0, 0] as const };
    const image = { ...grid, direction: IDENTITY_DIRECTION, data: Float64Array.of(5, 5, 5) };
    const mask = { ...grid, direction: IDENTITY_DIRECTION, data: Uint8Array.of(1, 1, 1) };
    const f = pyradiomicsFirstOrderFeatures(image, mask, SETTINGS);
    expect([f.firstorder_Skewness, f.firstorder_Kurtosis, f.firstorder_Variance, f.firstorder_Entropy]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(f.firstorder_Uniformity).toBe(1);
  });

  it("throws settings for bad options and empty-roi for an empty mask", () => {
    const { image, mask } = cases.breast1!;
    const width = thrown(() => pyradiomicsFirstOrderFeatures(image, mask, { binWidth: 0, voxelArrayShift: 0 }));
    expect([width.code, width.evidence.path]).toEqual(["settings", "settings.binWidth"]);
    const shift = thrown(() =>
      pyradiomicsFirstOrderFeatures(image, mask, { binWidth: 25, voxelArrayShift: Number.NaN }),
    );
    expect([shift.code, shift.evidence.path]).toEqual(["settings", "settings.voxelArrayShift"]);
    const empty = { ...mask, data: new Uint8Array(mask.data.length) };
    expect(thrown(() => pyradiomicsFirstOrderFeatures(image, empty, SETTINGS)).code).toBe("empty-roi");
  });
});
