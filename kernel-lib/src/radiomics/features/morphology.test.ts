import { beforeAll, describe, expect, it } from "vitest";
import type { Mask, Volume } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";
import { ibsiReferences, pyradiomicsBaseline } from "../test-support/reference-data";
import { expectIbsiAgreement } from "../test-support/comparisons";
import { readIbsiPhantom, readPyradiomicsCase } from "../test-support/rois";
import { MORPHOLOGY_TAGS, morphologyFeatures } from "./morphology";
import { spatialAutocorrelation } from "./morphology-autocorrelation";
import { ellipsoidSurfaceArea } from "./morphology-ellipsoid";
import { minimumVolumeEnclosingEllipsoid } from "./morphology-mvee";
import { principalComponents } from "./morphology-pca";

let image: Volume;
let mask: Mask;
beforeAll(async () => {
  ({ image, mask } = await readIbsiPhantom());
});

describe("morphologyFeatures on the IBSI-1 digital phantom", () => {
  it("matches every IBSI morphology reference value", () => {
    const features = morphologyFeatures(image, mask, mask);
    const references = ibsiReferences().filter((r) => r.family === "Morphology");
    expect(references.length).toBe(25);
    expectIbsiAgreement("IBSI morphology", features, references);
  });

  it("returns exactly the documented tags, with exact values where the geometry is exact", () => {
    const f = morphologyFeatures(image, mask, mask);
    expect(Object.keys(f)).toEqual([...MORPHOLOGY_TAGS]);
    expect(f.morph_vol_approx).toBe(592); // 74 voxels of 8 mm3
    expect(f.morph_volume).toBeCloseTo(1669 / 3, 10);
    expect(f.morph_vol_dens_aabb).toBeCloseTo(1669 / 3 / 640, 12); // box 10 x 8 x 8 mm
    expect(f.morph_asphericity).toBeCloseTo(f.morph_sph_dispr! - 1, 14);
    expect(f.morph_comp_2).toBeCloseTo(f.morph_sphericity! ** 3, 14);
    // MVEE (not standardised): encloses the hull, so its density is below the hull's.
    expect(f.morph_vol_dens_mvee).toBeGreaterThan(0.4);
    expect(f.morph_vol_dens_mvee).toBeLessThan(f.morph_vol_dens_conv_hull!);
  });

  it("takes intensities from the intensity mask and shape from the morphological mask", () => {
    const intensity: Mask = { ...mask, data: mask.data.map((v, n) => (v !== 0 && image.data[n]! >= 2 ? 1 : 0)) };
    const both = morphologyFeatures(image, mask, mask);
    const split = morphologyFeatures(image, mask, intensity);
    expect(split.morph_volume).toBe(both.morph_volume);
    expect(split.morph_diam).toBe(both.morph_diam);
    expect(split.morph_integ_int).toBeGreaterThan(both.morph_integ_int!);
    expect(split.morph_com).not.toBe(both.morph_com);
  });

  it("fails with typed errors for empty masks, other grids and invalid subsampling", () => {
    const empty: Mask = { ...mask, data: new Uint8Array(mask.data.length) };
    expect(() => morphologyFeatures(image, empty, mask)).toThrow(
      expect.objectContaining({ code: "empty-roi", evidence: expect.objectContaining({ path: "morphologicalMask" }) }),
    );
    expect(() => morphologyFeatures(image, mask, empty)).toThrow(
      expect.objectContaining({ code: "empty-roi", evidence: expect.objectContaining({ path: "intensityMask" }) }),
    );
    const shifted: Mask = { ...mask, spacing: [2, 2, 3] };
    expect(() => morphologyFeatures(image, shifted, mask)).toThrow(
      expect.objectContaining({ code: "geometry", evidence: expect.objectContaining({ path: "spacing" }) }),
    );
    for (const [bad, field] of [
      [{ kind: "subsample", voxels: 1, repeats: 3, seed: 1 }, "voxels"],
      [{ kind: "subsample", voxels: 10, repeats: 0, seed: 1 }, "repeats"],
      [{ kind: "subsample", voxels: 10, repeats: 3, seed: 0.5 }, "seed"],
    ] as const) {
      expect(() => morphologyFeatures(image, mask, mask, { autocorrelation: bad })).toThrow(RadiomicsError);
      expect(() => morphologyFeatures(image, mask, mask, { autocorrelation: bad })).toThrow(
        expect.objectContaining({
          code: "settings",
          evidence: expect.objectContaining({ path: `autocorrelation.${field}` }),
        }),
      );
    }
  });
});

describe("spatialAutocorrelation", () => {
  it("subsamples only when asked, reproducibly from the seed", () => {
    const exact = spatialAutocorrelation(image, mask, { kind: "exact" });
    expect(exact.moranI).toBeCloseTo(0.0397035082, 9);
    expect(exact.gearyC).toBeCloseTo(0.9740467527, 9);
    // A sample as large as the ROI is the ROI.
    expect(spatialAutocorrelation(image, mask, { kind: "subsample", voxels: 74, repeats: 2, seed: 3 })).toEqual(exact);
    const a = spatialAutocorrelation(image, mask, { kind: "subsample", voxels: 40, repeats: 5, seed: 3 });
    const b = spatialAutocorrelation(image, mask, { kind: "subsample", voxels: 40, repeats: 5, seed: 3 });
    const c = spatialAutocorrelation(image, mask, { kind: "subsample", voxels: 40, repeats: 5, seed: 4 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(Math.abs(a.gearyC - exact.gearyC)).toBeLessThan(0.2);
  });

  it("is NaN when the intensities do not vary", () => {
    const flat: Volume = { ...image, data: new Float64Array(image.data.length).fill(3) };
    const r = spatialAutocorrelation(flat, mask);
    expect(r.moranI).toBeNaN();
    expect(r.gearyC).toBeNaN();
  });
});

describe("morphology helpers", () => {
  it("principalComponents normalises by N - 1 (IBSI) or N (pyradiomics)", () => {
    const sample = principalComponents(mask, "sample");
    const population = principalComponents(mask, "population");
    expect(sample.count).toBe(74);
    expect(sample.major / population.major).toBeCloseTo(74 / 73, 14);
  });

  it("ellipsoidSurfaceArea evaluates IBSI's Legendre series (to ν = 20) as published", () => {
    expect(ellipsoidSurfaceArea(2, 2, 2)).toBeCloseTo(16 * Math.PI, 12);
    // Peer values: the same series with scipy.special.eval_legendre.
    expect(ellipsoidSurfaceArea(3, 2, 1)).toBeCloseTo(52.81348101202416, 10);
    expect(ellipsoidSurfaceArea(2, 1, 1)).toBeCloseTo(17.343874354675414, 10); // exact area: 21.478
    // Spheroids with α = 0 (x infinite) stay finite.
    expect(Number.isFinite(ellipsoidSurfaceArea(2, 2, 1))).toBe(true);
    expect(ellipsoidSurfaceArea(1, 2, 3)).toBeNaN();
  });

  it("minimumVolumeEnclosingEllipsoid of a box's corners has semi-axes √3 times the half-sides", () => {
    const corners: number[] = [];
    for (const x of [-3, 3]) for (const y of [-2, 2]) for (const z of [-1, 1]) corners.push(x + 10, y, z);
    const mvee = minimumVolumeEnclosingEllipsoid(Float64Array.from(corners), [0, 1, 2, 3, 4, 5, 6, 7]);
    expect(mvee.a).toBeCloseTo(3 * Math.sqrt(3), 10);
    expect(mvee.b).toBeCloseTo(2 * Math.sqrt(3), 10);
    expect(mvee.c).toBeCloseTo(Math.sqrt(3), 10);
  });
});

describe("morphologyFeatures on pyradiomics' brain1", () => {
  it("agrees with pyradiomics where the definitions coincide, and is fast", () => {
    const { image: brain, mask: label } = readPyradiomicsCase("brain1");
    const first = performance.now();
    const f = morphologyFeatures(brain, label, label);
    const firstMs = performance.now() - first;
    const times: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      const t0 = performance.now();
      morphologyFeatures(brain, label, label);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `morphology brain1 (4137 voxels, exact Moran/Geary): first ${firstMs.toFixed(1)} ms, median ${times[2]!.toFixed(1)} ms`,
    );
    const base = pyradiomicsBaseline("shape", "brain1");
    expect(f.morph_diam! / base.get("shape_Maximum3DDiameter")! - 1).toBeLessThan(1e-10);
    expect(f.morph_vol_approx! / base.get("shape_VoxelVolume")! - 1).toBeLessThan(1e-12);
    for (const v of Object.values(f)) expect(Number.isFinite(v)).toBe(true);
  });
});
