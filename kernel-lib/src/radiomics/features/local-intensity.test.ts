import { beforeAll, describe, expect, it } from "vitest";
import { IDENTITY_DIRECTION, type Mask, type Triple, type Volume } from "../image/volume";
import { ibsiReferences } from "../test-support/reference-data";
import { expectIbsiAgreement } from "../test-support/comparisons";
import { readIbsiPhantom, readPyradiomicsCase } from "../test-support/rois";
import { thrown } from "../test-support/thrown";
import { LOCAL_INTENSITY_RADIUS_MM, localIntensityFeatures } from "./local-intensity";

function grid(
  dims: Triple,
  spacing: Triple,
): { dims: Triple; spacing: Triple; origin: Triple; direction: readonly number[] } {
  return { dims, spacing, origin: [0, 0, 0], direction: IDENTITY_DIRECTION };
}

/** The definition, voxel by voxel: every image voxel whose centre is within the radius. */
function bruteForce(image: Volume, mask: Mask): { loc_peak_loc: number; loc_peak_glob: number } {
  const [nx, ny, nz] = image.dims;
  const [sx, sy, sz] = image.spacing;
  const r2 = LOCAL_INTENSITY_RADIUS_MM ** 2;
  let max = -Infinity;
  for (let n = 0; n < mask.data.length; n++) if (mask.data[n] !== 0) max = Math.max(max, image.data[n]!);
  let loc = -Infinity;
  let glob = -Infinity;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const n = i + nx * (j + ny * k);
        if (mask.data[n] === 0) continue;
        let sum = 0;
        let count = 0;
        for (let c = 0; c < nz; c++)
          for (let b = 0; b < ny; b++)
            for (let a = 0; a < nx; a++) {
              if (((a - i) * sx) ** 2 + ((b - j) * sy) ** 2 + ((c - k) * sz) ** 2 > r2) continue;
              sum += image.data[a + nx * (b + ny * c)]!;
              count++;
            }
        glob = Math.max(glob, sum / count);
        if (image.data[n] === max) loc = Math.max(loc, sum / count);
      }
  return { loc_peak_loc: loc, loc_peak_glob: glob };
}

describe("localIntensityFeatures", () => {
  let image: Volume;
  let mask: Mask;
  beforeAll(async () => {
    ({ image, mask } = await readIbsiPhantom());
  });

  it("matches every IBSI-1 digital phantom reference of the Local intensity family", () => {
    const features = localIntensityFeatures(image, mask);
    const references = ibsiReferences().filter((r) => r.family === "Local intensity");
    expect(references.length).toBe(2);
    expectIbsiAgreement("IBSI Local intensity", features, references);
    expect(features).toEqual(bruteForce(image, mask));
  });

  it("uses a 6.2 mm radius and stops at the image border", () => {
    expect(LOCAL_INTENSITY_RADIUS_MM).toBeCloseTo(6.2035, 4);
    // 2 mm voxels along a line: |di| <= 3 is within 6.2 mm.
    const values = Float64Array.from({ length: 12 }, (_, i) => i * i);
    const line = { ...grid([12, 1, 1], [2, 2, 2]), data: values };
    const centre = { ...grid([12, 1, 1], [2, 2, 2]), data: Uint8Array.from(values, (_, i) => (i === 6 ? 1 : 0)) };
    const mean = (from: number, to: number): number => {
      let s = 0;
      for (let i = from; i <= to; i++) s += i * i;
      return s / (to - from + 1);
    };
    expect(localIntensityFeatures(line, centre)).toEqual({ loc_peak_loc: mean(3, 9), loc_peak_glob: mean(3, 9) });
    // At voxel 1 the sphere is cut by the border: voxels 0..4 only.
    const edge = { ...centre, data: Uint8Array.from(values, (_, i) => (i === 1 ? 1 : 0)) };
    expect(localIntensityFeatures(line, edge).loc_peak_glob).toBe(mean(0, 4));
  });

  it("takes the highest mean among voxels sharing the maximum, and the global peak over all", () => {
    // Two maxima (9) in different surroundings, and a brighter neighbourhood elsewhere.
    const data = Float64Array.of(9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 9, 5, 8, 8, 8, 8, 8, 8);
    const img = { ...grid([18, 1, 1], [2, 2, 2]), data };
    const roi = { ...grid([18, 1, 1], [2, 2, 2]), data: Uint8Array.from(data, (_, i) => (i === 0 || i >= 10 ? 1 : 0)) };
    const f = localIntensityFeatures(img, roi);
    // Voxel 10 averages voxels 7..13; voxel 0 only 0..3 (9 / 4).
    expect(f.loc_peak_loc).toBe((0 + 0 + 1 + 9 + 5 + 8 + 8) / 7);
    expect(f.loc_peak_glob).toBe(8);
    expect(f).toEqual(bruteForce(img, roi));
  });

  it("agrees with the voxel-by-voxel definition on an anisotropic grid", () => {
    const dims: Triple = [9, 8, 5];
    const spacing: Triple = [0.9, 1.3, 4.1];
    const count = dims[0] * dims[1] * dims[2];
    // A fixed pseudo-random image and mask (linear congruential, seed 7).
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const img = { ...grid(dims, spacing), data: Float64Array.from({ length: count }, () => Math.round(next() * 100)) };
    const roi = { ...grid(dims, spacing), data: Uint8Array.from({ length: count }, () => (next() < 0.3 ? 1 : 0)) };
    const fast = localIntensityFeatures(img, roi);
    const slow = bruteForce(img, roi);
    expect(fast.loc_peak_loc).toBeCloseTo(slow.loc_peak_loc, 12);
    expect(fast.loc_peak_glob).toBeCloseTo(slow.loc_peak_glob, 12);
  });

  it("times brain1", () => {
    const { image: brain, mask: label } = readPyradiomicsCase("brain1");
    for (let r = 0; r < 5; r++) localIntensityFeatures(brain, label);
    const start = performance.now();
    const runs = 20;
    for (let r = 0; r < runs; r++) localIntensityFeatures(brain, label);
    const ms = (performance.now() - start) / runs;
    console.log(`local intensity brain1: ${ms.toFixed(2)} ms per call`, localIntensityFeatures(brain, label));
    expect(ms).toBeLessThan(1000);
  });

  it("throws empty-roi, geometry and input", () => {
    const img = { ...grid([3, 1, 1], [1, 1, 1]), data: Float64Array.of(1, Number.NaN, 3) };
    const codeOf = (m: Mask): string => thrown(() => localIntensityFeatures(img, m)).code;
    expect(codeOf({ ...grid([3, 1, 1], [1, 1, 1]), data: Uint8Array.of(0, 0, 0) })).toBe("empty-roi");
    expect(codeOf({ ...grid([3, 1, 1], [1, 1, 2]), data: Uint8Array.of(1, 0, 0) })).toBe("geometry");
    // The NaN is outside the ROI but within reach of its neighbourhood.
    expect(codeOf({ ...grid([3, 1, 1], [1, 1, 1]), data: Uint8Array.of(1, 0, 0) })).toBe("input");
  });
});
