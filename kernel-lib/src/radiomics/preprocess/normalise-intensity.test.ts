import path from "node:path";
import { describe, expect, it } from "vitest";
import { maskFromLabel } from "../image/mask";
import { readNrrd } from "../image/nrrd";
import { PYRADIOMICS_DATA, pyradiomicsBaseline } from "../test-support/reference-data";
import { lineVolume, roiValueStatistics } from "../test-support/rois";
import { thrown } from "../test-support/thrown";
import { normaliseIntensity } from "./normalise-intensity";

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe("pyradiomics normalisation (baseline columns *_normalization)", () => {
  for (const name of ["brain1", "breast1"]) {
    it(`reproduces ${name}_normalization (normalize, normalizeScale 100, over the whole image)`, () => {
      const image = readNrrd(path.join(PYRADIOMICS_DATA, `${name}_image.nrrd`));
      const mask = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, `${name}_label.nrrd`)));
      const t0 = performance.now();
      const out = normaliseIntensity(image, undefined, { method: "pyradiomics", scale: 100 });
      const ms = performance.now() - t0;
      const base = pyradiomicsBaseline("firstorder", `${name}_normalization`);
      const stats = roiValueStatistics(out, mask);
      const errors = {
        Mean: relative(stats.mean, base.get("firstorder_Mean")!),
        Minimum: relative(stats.min, base.get("firstorder_Minimum")!),
        Maximum: relative(stats.max, base.get("firstorder_Maximum")!),
      };
      console.log(`pyradiomics ${name}_normalization: relative errors ${JSON.stringify(errors)}; ${ms.toFixed(1)} ms`);
      for (const e of Object.values(errors)) expect(e).toBeLessThan(1e-13);
      expect(out.data).not.toBe(image.data);
    });
  }

  it("differs from a population-SD z-score by sqrt(n / (n - 1)), which the baseline tells apart", () => {
    const image = readNrrd(path.join(PYRADIOMICS_DATA, "breast1_image.nrrd"));
    const mask = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, "breast1_label.nrrd")));
    const pyr = normaliseIntensity(image, undefined, { method: "pyradiomics", scale: 100 });
    const z = normaliseIntensity(image, undefined, { method: "z-score", scale: 100 });
    const n = image.data.length;
    const factor = Math.sqrt(n / (n - 1));
    for (let v = 0; v < n; v += 997) expect(z.data[v]!).toBeCloseTo(pyr.data[v]! * factor, 9);
    // The population SD misses the baseline by 4.4e-6: the sample SD is pyradiomics' (SimpleITK's).
    const zMin = roiValueStatistics(z, mask).min;
    expect(
      relative(zMin, pyradiomicsBaseline("firstorder", "breast1_normalization").get("firstorder_Minimum")!),
    ).toBeGreaterThan(4e-6);
  });

  it("clips at ±removeOutliers SDs before scaling, as pyradiomics' removeOutliers", () => {
    // Whole image 0, 0, 0, 10: μ = 2.5, sample σ = 5, z = -0.5, -0.5, -0.5, 1.5.
    const { image } = lineVolume([0, 0, 0, 10]);
    const out = normaliseIntensity(image, undefined, { method: "pyradiomics", scale: 10, removeOutliers: 1 });
    expect([...out.data]).toEqual([-5, -5, -5, 10]);
  });

  it("refuses a mask (it would be ignored) and constant images", () => {
    const { image, mask } = lineVolume([1, 2, 3]);
    const error = thrown(() => normaliseIntensity(image, mask, { method: "pyradiomics" }));
    expect([error.code, error.evidence.path]).toEqual(["settings", "mask"]);
    const flat = lineVolume([7, 7, 7]).image;
    const constant = thrown(() => normaliseIntensity(flat, undefined, { method: "pyradiomics" }));
    expect(constant.code).toBe("input");
    expect(constant.message).toContain("The image's intensities are constant (7), so they cannot be normalised");
  });
});

describe("z-score normalisation", () => {
  it("uses the ROI's mean and population SD, and applies them to the whole image", () => {
    const { image, mask } = lineVolume([0, 2, 4, 100], [1, 1, 1, 0]);
    // ROI 0, 2, 4: μ = 2, σ = sqrt(8 / 3).
    const out = normaliseIntensity(image, mask, { method: "z-score" });
    const sd = Math.sqrt(8 / 3);
    expect([...out.data]).toEqual([-2 / sd, 0, 2 / sd, 98 / sd]);
    const scaled = normaliseIntensity(image, mask, { method: "z-score", scale: 100, removeOutliers: 1.5 });
    expect(scaled.data[0]).toBeCloseTo((-2 / sd) * 100, 12);
    expect(scaled.data[3]).toBe(150);
  });

  it("uses the whole image without a mask", () => {
    const { image } = lineVolume([1, 3]);
    expect([...normaliseIntensity(image, undefined, { method: "z-score" }).data]).toEqual([-1, 1]);
  });

  it("rejects bad settings, an empty ROI, a constant ROI and another grid", () => {
    const { image, mask } = lineVolume([1, 2, 3]);
    for (const scale of [0, -1, Number.NaN, Infinity]) {
      const error = thrown(() => normaliseIntensity(image, mask, { method: "z-score", scale }));
      expect([error.code, error.evidence.path]).toEqual(["settings", "scale"]);
    }
    for (const removeOutliers of [0, -3, Number.NaN]) {
      const error = thrown(() => normaliseIntensity(image, mask, { method: "z-score", removeOutliers }));
      expect([error.code, error.evidence.path]).toEqual(["settings", "removeOutliers"]);
    }
    const empty = { ...mask, data: new Uint8Array(3) };
    expect(thrown(() => normaliseIntensity(image, empty, { method: "z-score" })).code).toBe("empty-roi");
    const one = { ...mask, data: Uint8Array.from([0, 1, 0]) };
    expect(thrown(() => normaliseIntensity(image, one, { method: "z-score" })).message).toContain(
      "The ROI's intensities are constant (2)",
    );
    const other = { ...mask, origin: [5, 0, 0] as const };
    expect(thrown(() => normaliseIntensity(image, other, { method: "z-score" })).code).toBe("geometry");
  });
});
