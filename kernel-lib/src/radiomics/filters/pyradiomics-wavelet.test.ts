import { describe, expect, it } from "vitest";
import { pyradiomicsFirstOrderFeatures } from "../features/pyradiomics-firstorder";
import { IDENTITY_DIRECTION, type Triple, type Volume } from "../image/volume";
import { thrown } from "../test-support/thrown";
import { pyradiomicsWavelet, pyradiomicsWaveletName } from "./pyradiomics-wavelet";
import { at, brain1, maxDifference, pyradiomicsFiltersReference } from "./test-support/filter-references";
import { WAVELET_SUB_BANDS, waveletTransform } from "./wavelet-decomposition";

function volume(dims: Triple, f: (i: number, j: number, k: number) => number): Volume {
  const data = new Float64Array(dims[0] * dims[1] * dims[2]);
  let n = 0;
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) data[n++] = f(i, j, k);
  return { dims, spacing: [1, 1, 1], origin: [0, 0, 0], direction: IDENTITY_DIRECTION, data };
}

const ramp = (dims: Triple) => volume(dims, (i, j, k) => Math.sin(i * 1.3 + j * j * 0.7) * 50 + k * k - 3 * i * k);
const DETAILS = WAVELET_SUB_BANDS.filter((b) => b !== "LLL");

describe("pyradiomicsWavelet against pyradiomics 3.0.1 on brain1", () => {
  // bench/radiomics_filters_reference.py: pyradiomics' Wavelet image type (coif1, level 1) on the
  // whole 256 x 256 x 25 image, first-order features inside label 1 (4137 voxels).
  it("reproduces the first-order features of all eight sub-bands to 1e-12 (measured: 1.1e-13)", () => {
    const reference = pyradiomicsFiltersReference();
    const { image, mask } = brain1();
    const images = pyradiomicsWavelet(image);
    expect([...images.keys()]).toEqual([...DETAILS.map((b) => `wavelet-${b}`), "wavelet-LLL"]);
    for (const [name, filtered] of images) {
      expect(filtered.dims).toEqual([256, 256, 25]);
      const features = pyradiomicsFirstOrderFeatures(filtered, mask, { binWidth: 25, voxelArrayShift: 0 });
      const want = reference.images[name]!;
      expect(Object.keys(want)).toEqual(["Mean", "Variance", "Minimum", "Maximum", "Skewness", "Kurtosis", "Energy"]);
      for (const [feature, value] of Object.entries(want)) {
        const got = features[`firstorder_${feature}`]!;
        expect(Math.abs(got - value), `${name}_firstorder_${feature}: ${got} vs ${value}`).toBeLessThanOrEqual(
          1e-12 * Math.abs(value),
        );
      }
    }
  });
});

describe("pyradiomicsWavelet's steps", () => {
  it("is IBSI-2's level-1 transform with periodic padding when every axis has even length", () => {
    const image = ramp([8, 6, 4]);
    const ours = pyradiomicsWavelet(image, { wavelet: "db2" });
    const ibsi = waveletTransform(image, { wavelet: "db2", level: 1, boundary: "periodic" });
    for (const band of WAVELET_SUB_BANDS) expect(ours.get(`wavelet-${band}`)!.data).toEqual(ibsi.get(band)!.data);
  });

  it("pads an odd axis with one wrapped voxel, filters periodically and crops back", () => {
    const image = ramp([7, 6, 5]);
    const padded = volume([8, 6, 6], (i, j, k) => at(image, i % 7, j, k % 5));
    const ibsi = waveletTransform(padded, { wavelet: "coif1", level: 1, boundary: "periodic" });
    const ours = pyradiomicsWavelet(image);
    for (const band of WAVELET_SUB_BANDS) {
      const cropped = volume([7, 6, 5], (i, j, k) => at(ibsi.get(band)!, i, j, k));
      expect(ours.get(`wavelet-${band}`)!.data).toEqual(cropped.data);
      expect(ours.get(`wavelet-${band}`)!.dims).toEqual([7, 6, 5]);
    }
  });

  it("repeats the undilated level-1 transform on LLL for level 2 (not IBSI-2's a trous level 2)", () => {
    const image = ramp([8, 8, 8]);
    const two = pyradiomicsWavelet(image, { wavelet: "haar", level: 2 });
    expect([...two.keys()]).toEqual([
      ...DETAILS.map((b) => `wavelet-${b}`),
      ...DETAILS.map((b) => `wavelet2-${b}`),
      "wavelet2-LLL",
    ]);
    const first = waveletTransform(image, { wavelet: "haar", level: 1, boundary: "periodic" });
    const again = waveletTransform(first.get("LLL")!, { wavelet: "haar", level: 1, boundary: "periodic" });
    const aTrous = waveletTransform(image, { wavelet: "haar", level: 2, boundary: "periodic" });
    for (const band of WAVELET_SUB_BANDS) {
      expect(maxDifference(two.get(pyradiomicsWaveletName(2, band))!.data, again.get(band)!.data)).toBeLessThan(1e-12);
    }
    expect(maxDifference(two.get("wavelet2-HLL")!.data, aTrous.get("HLL")!.data)).toBeGreaterThan(1);
    // start_level 1 discards the first decomposition and names the next one as pyradiomics does: wavelet-*.
    const skipped = pyradiomicsWavelet(image, { wavelet: "haar", startLevel: 1 });
    expect([...skipped.keys()]).toEqual([...DETAILS.map((b) => `wavelet-${b}`), "wavelet-LLL"]);
    expect(skipped.get("wavelet-HLH")!.data).toEqual(two.get("wavelet2-HLH")!.data);
  });

  it("leaves the input alone and keeps its grid", () => {
    const image = { ...ramp([5, 4, 3]), source: "ramp.nrrd", pixelType: "int16" as const };
    const before = Float64Array.from(image.data);
    const out = pyradiomicsWavelet(image).get("wavelet-LLH")!;
    expect(image.data).toEqual(before);
    expect(out).toMatchObject({ dims: [5, 4, 3], spacing: [1, 1, 1], source: "ramp.nrrd", pixelType: "float64" });
  });

  it("refuses levels that are not integers and unknown wavelets", () => {
    const image = ramp([4, 4, 4]);
    expect(thrown(() => pyradiomicsWavelet(image, { level: 0 })).evidence.path).toBe("level");
    expect(thrown(() => pyradiomicsWavelet(image, { startLevel: -1 })).evidence.path).toBe("startLevel");
    expect(thrown(() => pyradiomicsWavelet(image, { wavelet: "dmey" as "coif1" })).evidence.path).toBe("wavelet");
  });
});
