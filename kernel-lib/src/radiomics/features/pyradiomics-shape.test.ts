import path from "node:path";
import { describe, expect, it } from "vitest";
import { maskFromLabel } from "../image/mask";
import { readNrrd } from "../image/nrrd";
import type { Mask } from "../image/volume";
import { compareToBaseline } from "../test-support/comparisons";
import { PYRADIOMICS_DATA, pyradiomicsBaseline, pyradiomicsDiagnostic } from "../test-support/reference-data";
import { pyradiomicsShape2DFeatures, pyradiomicsShapeFeatures } from "./pyradiomics-shape";

function label(testCase: string): Mask {
  return maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, `${testCase}_label.nrrd`)), 1);
}

/**
 * Features whose brain1 baseline is not reproducible to 1e-6 by any pyradiomics mesh we could
 * find. The brain1 column of baseline_shape.csv was written by pyradiomics 2.0.1b1.post11; its
 * SurfaceArea (6433.734) differs by 7.9e-4 from the area of the mesh pyradiomics' current table
 * (and ours) gives, 6438.8216037794018 — which is exactly the value of pyradiomics' own earlier
 * baseline (data/baseline/baseline_shape.csv at version 0.post403, column brain1). breast1 agrees
 * to 1e-12 for every feature, and pyradiomics' test suite accepts 3 % (tests/testUtils.py,
 * `percentDiff < 0.03`), so the baseline was not regenerated. MeshVolume (1.2e-4) and the
 * features derived from area and volume follow.
 */
const BRAIN1_MESH_TOLERANCE: Readonly<Record<string, number>> = {
  shape_SurfaceArea: 1e-3,
  shape_MeshVolume: 2e-4,
  shape_SurfaceVolumeRatio: 1e-3,
  shape_Sphericity: 1e-3,
};

describe("pyradiomicsShapeFeatures", () => {
  for (const testCase of ["brain1", "breast1"]) {
    it(`agrees with pyradiomics' baseline for ${testCase}, feature by feature`, () => {
      const mask = label(testCase);
      const first = performance.now();
      const features = pyradiomicsShapeFeatures(mask);
      const firstMs = performance.now() - first;
      const times: number[] = [];
      for (let rep = 0; rep < 9; rep++) {
        const t0 = performance.now();
        pyradiomicsShapeFeatures(mask);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const baseline = pyradiomicsBaseline("shape", testCase);
      expect(baseline.size).toBe(14);
      const { misses, worst } = compareToBaseline(
        features,
        baseline,
        1e-6,
        testCase === "brain1" ? BRAIN1_MESH_TOLERANCE : {},
      );
      console.log(
        `pyradiomics shape ${testCase}: ${baseline.size - misses.length} of ${baseline.size} within tolerance; ` +
          `max relative error ${worst.error.toExponential(1)} (${worst.name}) outside the mesh area/volume features; ` +
          `first ${firstMs.toFixed(1)} ms, median ${times[4]!.toFixed(2)} ms`,
      );
      expect(misses).toEqual([]);
    });
  }

  it("reproduces pyradiomics' earlier brain1 surface area exactly, and the deprecated features consistently", () => {
    const f = pyradiomicsShapeFeatures(label("brain1"));
    expect(Math.abs(f.shape_SurfaceArea! / 6438.8216037794018 - 1)).toBeLessThan(1e-13);
    expect(f.shape_Compactness2).toBeCloseTo(f.shape_Sphericity! ** 3, 14);
    expect(f.shape_SphericalDisproportion).toBeCloseTo(1 / f.shape_Sphericity!, 14);
    expect(f.shape_Compactness1).toBeCloseTo(Math.sqrt(f.shape_Compactness2!) / (6 * Math.PI), 14);
    expect(Object.keys(f).sort()).toEqual(
      [
        ...pyradiomicsBaseline("shape", "brain1").keys(),
        "shape_Compactness1",
        "shape_Compactness2",
        "shape_SphericalDisproportion",
      ].sort(),
    );
  });

  it("throws empty-roi for an empty mask", () => {
    const mask = label("breast1");
    const empty: Mask = { ...mask, data: new Uint8Array(mask.data.length) };
    expect(() => pyradiomicsShapeFeatures(empty)).toThrow(expect.objectContaining({ code: "empty-roi" }));
  });
});

/** The diagnostics row `name` of baseline_shape2D.csv for column `column`. */
function shape2DDiagnostic(name: string, column: string): string {
  return pyradiomicsDiagnostic("shape2D", name, column);
}

describe("pyradiomicsShape2DFeatures", () => {
  for (const testCase of ["brain1", "breast1"]) {
    it(`agrees with pyradiomics' shape2D baseline for ${testCase}, feature by feature`, () => {
      const column = `${testCase}_shape2D`;
      // The 2D test case is one slice of the label: the one in the corrected mask's bounding box.
      const box = shape2DDiagnostic("diagnostics_Mask-corrected_BoundingBox", column)
        .replace(/[()\s]/g, "")
        .split(",");
      const slice = Number(box[2]);
      const mask = label(testCase);
      const plane = mask.dims[0] * mask.dims[1];
      const data = new Uint8Array(mask.data.length);
      data.set(mask.data.subarray(slice * plane, (slice + 1) * plane), slice * plane);
      const sliceMask: Mask = { ...mask, data };
      expect(data.reduce((a, v) => a + v, 0)).toBe(
        Number(shape2DDiagnostic("diagnostics_Mask-corrected_VoxelNum", column)),
      );

      const features = pyradiomicsShape2DFeatures(sliceMask);
      const baseline = pyradiomicsBaseline("shape2D", column);
      expect(baseline.size).toBe(9);
      const { misses, worst } = compareToBaseline(features, baseline);
      console.log(
        `pyradiomics shape2D ${testCase} (slice ${slice}): ${baseline.size - misses.length} of ${baseline.size} match, ` +
          `max relative error ${worst.error.toExponential(1)}`,
      );
      expect(misses).toEqual([]);
    });
  }

  it("throws input for an ROI in several slices", () => {
    expect(() => pyradiomicsShape2DFeatures(label("breast1"))).toThrow(
      expect.objectContaining({ code: "input", message: expect.stringContaining("one slice") }),
    );
  });
});
