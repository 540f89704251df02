import path from "node:path";
import { describe, expect, it } from "vitest";
import { RadiomicsError } from "../radiomics-error";
import { maskFromLabel } from "../image/mask";
import { readNrrd } from "../image/nrrd";
import type { Mask } from "../image/volume";
import { PYRADIOMICS_DATA, pyradiomicsBaseline } from "../test-support/reference-data";
import { lineVolume, roiValueStatistics } from "../test-support/rois";
import { thrown } from "../test-support/thrown";
import { removeOutliers, resegment, resegmentPyradiomics } from "./resegment";

const kept = (mask: Mask): number[] => [...mask.data].flatMap((v, n) => (v === 1 ? [n] : []));

describe("range re-segmentation (IBSI USB3)", () => {
  const { image, mask } = lineVolume([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);

  it("keeps the closed range [min, max] of the morphological mask's voxels", () => {
    expect(kept(resegment(image, mask, { min: 3, max: 7 }))).toEqual([2, 3, 4, 5, 6]);
    expect(kept(resegment(image, mask, { min: 8 }))).toEqual([7, 8]); // voxel 9 (value 10) is outside the ROI
    expect(kept(resegment(image, mask, { max: 2 }))).toEqual([0, 1]);
    expect(kept(resegment(image, mask, { min: 4, max: 4 }))).toEqual([3]);
  });

  it("leaves the morphological mask as it was", () => {
    const before = [...mask.data];
    const intensity = resegment(image, mask, { min: 3, max: 7 });
    expect([...mask.data]).toEqual(before);
    expect(intensity.data).not.toBe(mask.data);
    expect(intensity.dims).toEqual(mask.dims);
  });

  it("names the range and the ROI's intensities when nothing is left", () => {
    const error = thrown(() => resegment(image, mask, { min: 20, max: 30 }));
    expect(error.code).toBe("empty-roi");
    expect(error.message).toBe(
      "Re-segmentation to [20, 30] kept 0 of the ROI's 9 voxels, whose intensities span [1, 9]\n" +
        "How to fix: Choose a range that overlaps the ROI's intensities [1, 9], or check the image's units (for example HU for CT, where soft tissue is about -100 to 200).",
    );
    expect(thrown(() => resegment(image, mask, { max: 0 })).message).toContain("Re-segmentation to [-∞, 0] kept 0");
  });

  it("rejects a missing, non-numeric or inverted range and an empty mask", () => {
    const none = thrown(() => resegment(image, mask, {}));
    expect([none.code, none.evidence.path]).toEqual(["settings", "range"]);
    const nan = thrown(() => resegment(image, mask, { min: Number.NaN }));
    expect([nan.code, nan.evidence.path]).toEqual(["settings", "range.min"]);
    const inverted = thrown(() => resegment(image, mask, { min: 7, max: 3 }));
    expect(inverted.code).toBe("settings");
    expect(inverted.message).toContain("The re-segmentation range [7, 3] is empty: min > max");
    const empty = { ...mask, data: new Uint8Array(10) };
    expect(thrown(() => resegment(image, empty, { min: 0 })).message).toContain("The mask has no voxel to re-segment");
  });

  it("refuses an image and a mask on different grids", () => {
    const other = { ...mask, spacing: [2, 1, 1] as const };
    const error = thrown(() => resegment(image, other, { min: 0 }));
    expect(error.code).toBe("geometry");
    expect(error.evidence.path).toBe("spacing");
  });
});

describe("intensity outlier filtering (IBSI 7ACA)", () => {
  it("removes voxels outside mean ± 3 SD (population SD)", () => {
    // Twenty voxels of 10 and one of 1000: μ = 1200 / 21, σ = 211.05..., so μ + 3σ ≈ 690.3.
    const { image, mask } = lineVolume([...Array.from({ length: 20 }, () => 10), 1000]);
    const out = removeOutliers(image, mask);
    expect(kept(out)).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it("uses the population SD: a voxel at exactly μ + kσ stays", () => {
    // Values 0 and 2: μ = 1, population σ = 1 (the sample SD would be 1.414...).
    const { image, mask } = lineVolume([0, 2, 0, 2]);
    expect(kept(removeOutliers(image, mask, 1))).toEqual([0, 1, 2, 3]);
    expect(() => removeOutliers(image, mask, 0.999)).toThrow(RadiomicsError);
  });

  it("says what it computed when no voxel is left, and rejects a non-positive width", () => {
    const { image, mask } = lineVolume([0, 10]);
    const error = thrown(() => removeOutliers(image, mask, 0.5));
    expect(error.code).toBe("empty-roi");
    expect(error.message).toContain(
      "Outlier filtering (μ ± 0.5σ, μ = 5, σ = 5) to [2.5, 7.5] kept 0 of the ROI's 2 voxels",
    );
    for (const sigmas of [0, -3, Number.NaN, Infinity]) {
      const bad = thrown(() => removeOutliers(image, mask, sigmas));
      expect([bad.code, bad.evidence.path]).toEqual(["settings", "sigmas"]);
    }
  });
});

describe("pyradiomics re-segmentation (resegmentRange, resegmentMode)", () => {
  const { image, mask } = lineVolume([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

  it("takes one threshold as a lower bound and sorts two", () => {
    expect(kept(resegmentPyradiomics(image, mask, { range: [8] }))).toEqual([7, 8, 9]);
    expect(kept(resegmentPyradiomics(image, mask, { range: [7, 3] }))).toEqual([2, 3, 4, 5, 6]);
  });

  it("scales relative thresholds by the ROI maximum and sigma thresholds by the population SD", () => {
    expect(kept(resegmentPyradiomics(image, mask, { range: [0.5, 0.8], mode: "relative" }))).toEqual([4, 5, 6, 7]);
    // μ = 5.5, σ = sqrt(8.25) = 2.872...: [-1, 1] keeps 2.63 .. 8.37, that is 3..8.
    expect(kept(resegmentPyradiomics(image, mask, { range: [-1, 1], mode: "sigma" }))).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it("refuses a result of one voxel, as pyradiomics does, and a malformed range", () => {
    const one = thrown(() => resegmentPyradiomics(image, mask, { range: [10] }));
    expect(one.code).toBe("empty-roi");
    expect(one.message).toContain(
      "pyradiomics re-segmentation (absolute mode) to [10, ∞] kept 1 of the ROI's 10 voxels",
    );
    const bad = thrown(() => resegmentPyradiomics(image, mask, { range: [] as unknown as [number] }));
    expect([bad.code, bad.evidence.path]).toEqual(["settings", "resegmentRange"]);
    expect(thrown(() => resegmentPyradiomics(image, mask, { range: [Number.NaN] })).code).toBe("settings");
  });

  for (const name of ["brain1", "breast1"]) {
    it(`reproduces ${name}_resegmentation (sigma mode, [-3, 3]) and equals IBSI's outlier filter`, () => {
      const imageFile = readNrrd(path.join(PYRADIOMICS_DATA, `${name}_image.nrrd`));
      const roi = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, `${name}_label.nrrd`)));
      const t0 = performance.now();
      const out = resegmentPyradiomics(imageFile, roi, { range: [-3, 3], mode: "sigma" });
      const ms = performance.now() - t0;
      const ibsi = removeOutliers(imageFile, roi, 3);
      expect([...ibsi.data]).toEqual([...out.data]);
      const { count, sum, squares, min, max } = roiValueStatistics(imageFile, out);
      const base = pyradiomicsBaseline("firstorder", `${name}_resegmentation`);
      const rms = base.get("firstorder_RootMeanSquared")!;
      const energy = base.get("firstorder_Energy")!;
      console.log(
        `pyradiomics ${name}_resegmentation: ${count} voxels kept (baseline ${Math.round(energy / (rms * rms))}), ` +
          `energy ${squares} (${energy}), mean ${sum / count} (${base.get("firstorder_Mean")}); ${ms.toFixed(1)} ms`,
      );
      expect(count).toBe(Math.round(energy / (rms * rms)));
      expect(squares).toBe(energy); // integer intensities: the sum of squares is exact
      expect(sum / count).toBe(base.get("firstorder_Mean"));
      expect(min).toBe(base.get("firstorder_Minimum"));
      expect(max).toBe(base.get("firstorder_Maximum"));
    });
  }
});
