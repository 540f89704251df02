import path from "node:path";
import { describe, expect, it } from "vitest";
import { maskFromLabel } from "../image/mask";
import { readNrrd } from "../image/nrrd";
import { IDENTITY_DIRECTION, type Mask, type Triple, type Volume, voxelPosition } from "../image/volume";
import { PYRADIOMICS_DATA, pyradiomicsBaseline, pyradiomicsDiagnostic } from "../test-support/reference-data";
import { roiValueStatistics } from "../test-support/rois";
import { thrown } from "../test-support/thrown";
import { resampledGrid, resampleMask, resamplePyradiomics, resampleVolume } from "./resample";

function volume(dims: Triple, spacing: Triple, f: (i: number, j: number, k: number) => number): Volume {
  const data = new Float64Array(dims[0] * dims[1] * dims[2]);
  let n = 0;
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) data[n++] = f(i, j, k);
  return { dims, spacing, origin: [0, 0, 0], direction: IDENTITY_DIRECTION, data };
}

function gridCentre(
  g: Volume | Mask | { dims: Triple; spacing: Triple; origin: Triple; direction: readonly number[] },
) {
  return voxelPosition(g, (g.dims[0] - 1) / 2, (g.dims[1] - 1) / 2, (g.dims[2] - 1) / 2);
}

/** The continuous index in the original grid of new voxel n along one axis (IBSI QCY4). */
const centreIndex = (na: number, sa: number, sb: number, n: number): number => {
  const nb = Math.ceil((na * sa) / sb);
  return 0.5 * (na - 1 - (sb / sa) * (nb - 1)) + (sb / sa) * n;
};

describe("IBSI interpolation grid (align grid centers)", () => {
  it("follows IBSI's 4 x 4 example: 3 mm to 2 mm gives 6 x 6 voxels centred on the original grid", () => {
    const grid = { dims: [4, 4, 1], spacing: [3, 3, 1], origin: [0, 0, 0], direction: IDENTITY_DIRECTION } as const;
    const out = resampledGrid(grid, [2, 2, 1]);
    expect(out.dims).toEqual([6, 6, 1]);
    expect(out.spacing).toEqual([2, 2, 1]);
    expect(out.origin).toEqual([-0.5, -0.5, 0]);
    expect(gridCentre(out)).toEqual(gridCentre(grid));
  });

  it("keeps the grid centre in patient space for brain1's flipped, anisotropic grid", () => {
    const image = readNrrd(path.join(PYRADIOMICS_DATA, "brain1_image.nrrd"));
    for (const spacing of [
      [2, 2, 2],
      [1, 1, 1],
      [0.5, 3, 6.5],
      [0.7, 0.7, 5],
    ] as Triple[]) {
      const out = resampledGrid(image, spacing);
      expect(out.direction).toEqual(image.direction);
      const a = gridCentre(out) as readonly number[];
      const b = gridCentre(image) as readonly number[];
      for (let d = 0; d < 3; d++) expect(Math.abs(a[d]! - b[d]!)).toBeLessThan(1e-9);
      for (let d = 0; d < 3; d++)
        expect(out.dims[d]).toBe(Math.ceil((image.dims[d]! * image.spacing[d]!) / spacing[d]! - 1e-9));
    }
    expect(resampledGrid(image, [2, 2, 2]).dims).toEqual([100, 100, 82]);
  });

  it("offers pyradiomics' corner alignment as `origin`, which differs from `centre`", () => {
    const grid = { dims: [5, 5, 5], spacing: [1, 1, 1], origin: [0, 0, 0], direction: IDENTITY_DIRECTION } as const;
    expect(resampledGrid(grid, [2, 2, 2], "centre").origin).toEqual([0, 0, 0]);
    // The new grid's outer corner (-0.5 mm) is the original grid's outer corner.
    expect(resampledGrid(grid, [2, 2, 2], "origin").origin).toEqual([0.5, 0.5, 0.5]);
    expect(resampledGrid(grid, [2, 2, 2], "origin").dims).toEqual([3, 3, 3]);
  });

  it("keeps an axis whose spacing does not change (in-plane, 2D, interpolation)", () => {
    const ramp = volume([6, 6, 4], [1, 1, 3], (i, j, k) => i + 10 * j + 100 * k);
    const out = resampleVolume(ramp, { spacing: [0.5, 0.5, 3], interpolation: "linear" });
    expect(out.dims).toEqual([12, 12, 4]);
    expect(out.origin[2]).toBe(0);
    // Along k every value is an original slice's value: the slice term is an exact multiple of 100.
    for (let n = 0; n < out.data.length; n++) {
      const k = Math.floor(n / 144);
      expect(Math.floor(out.data[n]! / 100)).toBe(k);
    }
  });

  it("rejects a spacing that is not positive", () => {
    const ramp = volume([2, 2, 2], [1, 1, 1], () => 0);
    for (const spacing of [
      [0, 1, 1],
      [-1, 1, 1],
      [Number.NaN, 1, 1],
      [Infinity, 1, 1],
    ] as Triple[]) {
      const error = thrown(() => resampleVolume(ramp, { spacing, interpolation: "linear" }));
      expect(error.code).toBe("settings");
      expect(error.evidence.path).toBe("spacing");
      expect(error.message).toContain(`[${spacing.join(", ")}]`);
    }
  });
});

describe("IBSI interpolation algorithms on synthetic volumes", () => {
  const f = (i: number, j: number, k: number): number => 3 * i - 5 * j + 2 * k + 7;
  const ramp = volume([8, 6, 5], [1, 1, 2], f);

  it("linear interpolation reproduces a linear ramp exactly, padding with the boundary beyond the outer centres", () => {
    for (const spacing of [
      [0.5, 0.5, 1],
      [2, 2, 4],
      [0.25, 1.5, 0.5],
    ] as Triple[]) {
      const out = resampleVolume(ramp, { spacing, interpolation: "linear" });
      let n = 0;
      let inside = 0;
      for (let k = 0; k < out.dims[2]; k++)
        for (let j = 0; j < out.dims[1]; j++)
          for (let i = 0; i < out.dims[0]; i++, n++) {
            const c = [
              centreIndex(8, 1, spacing[0], i),
              centreIndex(6, 1, spacing[1], j),
              centreIndex(5, 2, spacing[2], k),
            ];
            const clamped = c.map((v, d) => Math.min(Math.max(v, 0), [7, 5, 4][d]!));
            if (clamped.every((v, d) => v === c[d])) inside++;
            expect(out.data[n]).toBe(f(clamped[0]!, clamped[1]!, clamped[2]!));
          }
      expect(inside).toBeGreaterThan(0);
    }
  });

  it("tricubic convolution reproduces the ramp where its 4 x 4 x 4 taps lie inside the grid", () => {
    const out = resampleVolume(ramp, { spacing: [0.5, 0.5, 1], interpolation: "cubic" });
    let checked = 0;
    let n = 0;
    for (let k = 0; k < out.dims[2]; k++)
      for (let j = 0; j < out.dims[1]; j++)
        for (let i = 0; i < out.dims[0]; i++, n++) {
          const c = [centreIndex(8, 1, 0.5, i), centreIndex(6, 1, 0.5, j), centreIndex(5, 2, 1, k)];
          if (c.some((v, d) => Math.floor(v) - 1 < 0 || Math.floor(v) + 2 > [7, 5, 4][d]!)) continue;
          checked++;
          expect(out.data[n]).toBeCloseTo(f(c[0]!, c[1]!, c[2]!), 12);
        }
    expect(checked).toBeGreaterThan(50);
  });

  it("nearest neighbour only takes existing values, the nearest ones", () => {
    const noise = volume([7, 5, 4], [1.3, 0.9, 2.2], (i, j, k) => ((i * 7919 + j * 104729 + k * 1299709) % 1000) - 500);
    const present = new Set(noise.data);
    const out = resampleVolume(noise, { spacing: [0.6, 1.7, 1], interpolation: "nearest" });
    for (const v of out.data) expect(present.has(v)).toBe(true);
    // Upsampling by 2 along i: new voxels 2m and 2m + 1 both take original voxel m.
    const twice = resampleVolume(noise, { spacing: [0.65, 0.9, 2.2], interpolation: "nearest" });
    expect(twice.dims).toEqual([14, 5, 4]);
    for (let i = 0; i < 14; i++) expect(twice.data[i]).toBe(noise.data[Math.floor(i / 2)]);
  });

  it("B-spline interpolation passes through the voxels and keeps a constant image", () => {
    const noise = volume([9, 7, 6], [1, 1, 1], (i, j, k) => ((i * 31 + j * 17 + k * 13) % 23) * 10);
    const same = resampleVolume(noise, { spacing: [1, 1, 1], interpolation: "bspline" });
    for (let n = 0; n < noise.data.length; n++) expect(same.data[n]).toBeCloseTo(noise.data[n]!, 9);
    const flat = resampleVolume(
      volume([9, 7, 6], [1, 1, 1], () => 42),
      { spacing: [0.7, 1.3, 0.4], interpolation: "bspline" },
    );
    for (const v of flat.data) expect(v).toBeCloseTo(42, 12);
  });

  it("rounds to integers (half away from zero) with roundIntensities", () => {
    const steps = volume([2, 1, 1], [1, 1, 1], (i) => (i === 0 ? -1 : 0));
    // 2 voxels of 1 mm to 0.5 mm: the centre-aligned grid samples at -0.25, 0.25, 0.75 and 1.25.
    const raw = resampleVolume(steps, { spacing: [0.5, 1, 1], interpolation: "linear" });
    expect([...raw.data]).toEqual([-1, -0.75, -0.25, 0]);
    // [-2, 0, 2] sampled at -0.25, 0.25, ..., 2.25 gives -2, -1.5, -0.5, 0.5, 1.5, 2: halves round away from 0.
    const halves = resampleVolume(
      volume([3, 1, 1], [1, 1, 1], (i) => [-2, 0, 2][i]!),
      { spacing: [0.5, 1, 1], interpolation: "linear", roundIntensities: true },
    );
    expect([...halves.data]).toEqual([-2, -2, -1, 1, 2, 2]);
    expect(
      Object.is(
        resampleVolume(steps, { spacing: [0.5, 1, 1], interpolation: "linear", roundIntensities: true }).data[3],
        0,
      ),
    ).toBe(true);
  });
});

describe("resampleMask (IBSI partial-volume threshold)", () => {
  const cube: Mask = {
    dims: [8, 8, 8],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: IDENTITY_DIRECTION,
    data: Uint8Array.from({ length: 512 }, (_, n) => {
      const i = n % 8;
      const j = Math.floor(n / 8) % 8;
      const k = Math.floor(n / 64);
      return i >= 2 && i <= 4 && j >= 2 && j <= 4 && k >= 2 && k <= 4 ? 1 : 0;
    }),
  };
  const target = resampledGrid(cube, [0.5, 0.5, 0.5]);

  // New centres at -0.25 + 0.5 m. Along one axis the linearly interpolated cube is 0.25 at
  // m = 3 and 10, 0.75 at m = 4 and 9, 1 for m = 5..8; in 3D it is the product of the three.
  const along = (m: number): number =>
    m === 3 || m === 10 ? 0.25 : m === 4 || m === 9 ? 0.75 : m >= 5 && m <= 8 ? 1 : 0;
  const expected = (threshold: number): Uint8Array =>
    Uint8Array.from({ length: 4096 }, (_, n) =>
      along(n % 16) * along(Math.floor(n / 16) % 16) * along(Math.floor(n / 256)) >= threshold ? 1 : 0,
    );
  const count = (data: Uint8Array): number => data.reduce((a, b) => a + b, 0);

  it("keeps voxels whose linearly interpolated mask is at least 0.5 (IBSI E8H9)", () => {
    const out = resampleMask(cube, target);
    expect(out.dims).toEqual([16, 16, 16]);
    expect(out.origin).toEqual([-0.25, -0.25, -0.25]);
    expect([...out.data]).toEqual([...expected(0.5)]);
    expect(count(out.data)).toBe(208); // 4^3 + 3 * 2 * 4^2 + 3 * 2^2 * 4: corners (0.75^3) drop out
  });

  it("moves the boundary with the threshold", () => {
    for (const [threshold, voxels] of [
      [0.75, 160],
      [0.2, 312],
      [1, 64],
    ] as const) {
      const out = resampleMask(cube, target, { threshold });
      expect([...out.data]).toEqual([...expected(threshold)]);
      expect(count(out.data)).toBe(voxels);
    }
  });

  it("takes the nearest voxel's label with nearest neighbour", () => {
    const out = resampleMask(cube, target, { interpolation: "nearest" });
    // c = -0.25 + 0.5 m rounds to 2..4 for m = 4..9.
    for (let n = 0; n < 4096; n++) {
      const inside = [n % 16, Math.floor(n / 16) % 16, Math.floor(n / 256)].every((m) => m >= 4 && m <= 9);
      expect(out.data[n]).toBe(inside ? 1 : 0);
    }
    expect(count(out.data)).toBe(216);
  });

  it("rejects a threshold outside (0, 1] and a target that misses the ROI", () => {
    for (const threshold of [0, -0.1, 1.5, Number.NaN]) {
      const error = thrown(() => resampleMask(cube, target, { threshold }));
      expect(error.code).toBe("settings");
      expect(error.evidence.path).toBe("threshold");
    }
    const far = { ...target, origin: [100, 100, 100] as Triple };
    const error = thrown(() => resampleMask(cube, far));
    expect(error.code).toBe("empty-roi");
    expect(error.message).toContain("No voxel of the 16 x 16 x 16 target grid is in the ROI");
  });
});

/** The settings string of a pyradiomics baseline column (diagnostics_Configuration_Settings). */
function baselineSettings(testCase: string): string {
  return pyradiomicsDiagnostic("firstorder", "diagnostics_Configuration_Settings", testCase);
}

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe("pyradiomics resampling (baseline columns *_resampling)", () => {
  for (const [name, dims] of [
    ["brain1", [30, 39, 34]],
    ["breast1", [14, 16, 16]],
  ] as const) {
    it(`reproduces ${name}_resampling: ROI voxel count, energy, mean, minimum and maximum`, () => {
      const settings = baselineSettings(`${name}_resampling`);
      expect(settings).toContain("'interpolator': 'sitkBSpline'");
      expect(settings).toContain("'resampledPixelSpacing': [2, 2, 2]");
      expect(settings).toContain("'padDistance': 5");
      expect(settings).not.toContain("voxelArrayShift"); // so Energy is the plain sum of squares
      const image = readNrrd(path.join(PYRADIOMICS_DATA, `${name}_image.nrrd`));
      const mask = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, `${name}_label.nrrd`)));
      const t0 = performance.now();
      const out = resamplePyradiomics(image, mask, {
        spacing: [2, 2, 2],
        interpolator: "bspline",
        padDistance: 5,
        pixelType: "int16", // both images are NRRD "short"
      });
      const ms = performance.now() - t0;
      expect(out.image.dims).toEqual(dims);
      expect(out.mask.dims).toEqual(dims);
      const base = pyradiomicsBaseline("firstorder", `${name}_resampling`);
      const stats = roiValueStatistics(out.image, out.mask);
      const energy = base.get("firstorder_Energy")!;
      const rms = base.get("firstorder_RootMeanSquared")!;
      const voxels = Math.round(energy / (rms * rms));
      console.log(
        `pyradiomics ${name}_resampling: ${stats.count} ROI voxels (baseline ${voxels}), energy ${stats.squares} (${energy}), ` +
          `mean ${stats.mean} (${base.get("firstorder_Mean")}), min ${stats.min} (${base.get("firstorder_Minimum")}), ` +
          `max ${stats.max} (${base.get("firstorder_Maximum")}); resampled in ${ms.toFixed(1)} ms`,
      );
      expect(stats.count).toBe(voxels);
      expect(stats.squares).toBe(energy);
      expect(relative(stats.mean, base.get("firstorder_Mean")!)).toBeLessThan(1e-12);
      expect(stats.min).toBe(base.get("firstorder_Minimum"));
      expect(stats.max).toBe(base.get("firstorder_Maximum"));
    });
  }

  it("samples a crop of the `origin`-aligned grid of resampleVolume", () => {
    const image = readNrrd(path.join(PYRADIOMICS_DATA, "brain1_image.nrrd"));
    const mask = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, "brain1_label.nrrd")));
    const pyr = resamplePyradiomics(image, mask, { spacing: [2, 2, 2], pixelType: "float64" });
    const full = resampleVolume(image, { spacing: [2, 2, 2], interpolation: "bspline", alignment: "origin" });
    // pyradiomics' grid starts at new voxel (58, 27, 29) of the full grid: floor((162 - 0.5) * 0.390625 - 5), ...
    const lo = [58, 27, 29] as const;
    const start = voxelPosition(full, lo[0], lo[1], lo[2]);
    for (let d = 0; d < 3; d++) expect(Math.abs(start[d]! - pyr.image.origin[d]!)).toBeLessThan(1e-9);
    let maxDifference = 0;
    const [p0, p1, p2] = pyr.image.dims;
    for (let k = 0; k < p2; k++)
      for (let j = 0; j < p1; j++)
        for (let i = 0; i < p0; i++) {
          const a = pyr.image.data[i + p0 * (j + p1 * k)]!;
          const b = full.data[lo[0] + i + full.dims[0] * (lo[1] + j + full.dims[1] * (lo[2] + k))]!;
          maxDifference = Math.max(maxDifference, Math.abs(a - b));
        }
    // The same B-spline at the same points, reached by two roundings of the same positions.
    expect(maxDifference).toBeLessThan(1e-9);
  });

  it("only crops (bounding box plus padDistance) when the spacing already matches", () => {
    const image = readNrrd(path.join(PYRADIOMICS_DATA, "brain1_image.nrrd"));
    const mask = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, "brain1_label.nrrd")));
    // bounding box (162, 84, 11) to (208, 153, 17): padded by 5, clipped to the image.
    const out = resamplePyradiomics(image, mask, { spacing: [0, 0, 0], pixelType: "int16" });
    expect(out.image.dims).toEqual([57, 80, 17]);
    expect(out.image.spacing).toEqual(image.spacing);
    const stats = roiValueStatistics(out.image, out.mask);
    const base = pyradiomicsBaseline("firstorder", "brain1");
    expect(stats.count).toBe(4137);
    expect(stats.mean).toBe(base.get("firstorder_Mean"));
    expect(voxelPosition(out.image, 0, 0, 0)).toEqual(voxelPosition(image, 157, 79, 6));
  });

  it("keeps the spacing along an axis where the ROI is one slice thick, and where the spacing is 0", () => {
    const image = readNrrd(path.join(PYRADIOMICS_DATA, "breast1_image.nrrd"));
    const mask = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, "breast1_label.nrrd")));
    const plane = image.dims[0] * image.dims[1];
    // Keep only the ROI's slice k = 9 (its bounding box spans k = 8..10).
    const slice = { ...mask, data: mask.data.map((v, n) => (Math.floor(n / plane) === 9 ? v : 0)) };
    const out = resamplePyradiomics(image, slice, { spacing: [2, 2, 2], pixelType: "int16" });
    expect(out.image.spacing).toEqual([2, 2, image.spacing[2]]);
    const inPlane = resamplePyradiomics(image, mask, { spacing: [2, 2, 0], pixelType: "int16" });
    expect(inPlane.image.spacing).toEqual([2, 2, image.spacing[2]]);
  });

  it("fails on an empty mask, a negative spacing and an ROI outside the image", () => {
    const image = readNrrd(path.join(PYRADIOMICS_DATA, "breast1_image.nrrd"));
    const mask = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, "breast1_label.nrrd")));
    const empty = { ...mask, data: new Uint8Array(mask.data.length) };
    expect(thrown(() => resamplePyradiomics(image, empty, { spacing: [2, 2, 2], pixelType: "int16" })).code).toBe(
      "empty-roi",
    );
    const negative = thrown(() => resamplePyradiomics(image, mask, { spacing: [-2, 2, 2], pixelType: "int16" }));
    expect(negative.code).toBe("settings");
    expect(negative.evidence.path).toBe("resampledPixelSpacing");
    const moved = { ...mask, origin: [mask.origin[0] + 100, mask.origin[1], mask.origin[2]] as Triple };
    const outside = thrown(() => resamplePyradiomics(image, moved, { spacing: [2, 2, 2], pixelType: "int16" }));
    expect(outside.code).toBe("geometry");
    expect(outside.message).toContain("The ROI's bounding box reaches outside the image along axis 0");
    expect(
      thrown(() => resamplePyradiomics(image, mask, { spacing: [2, 2, 2], padDistance: -1, pixelType: "int16" })).code,
    ).toBe("settings");
  });
});

describe("resampling speed on brain1 (256 x 256 x 25)", () => {
  it("times IBSI and pyradiomics resampling", () => {
    const image = readNrrd(path.join(PYRADIOMICS_DATA, "brain1_image.nrrd"));
    const mask = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, "brain1_label.nrrd")));
    const time = (label: string, f: () => unknown): void => {
      f(); // warm up
      const t0 = performance.now();
      f();
      console.log(`brain1 ${label}: ${(performance.now() - t0).toFixed(1)} ms`);
    };
    time("resamplePyradiomics 2 mm bspline (bounding box + 5)", () =>
      resamplePyradiomics(image, mask, { spacing: [2, 2, 2], pixelType: "int16" }),
    );
    for (const interpolation of ["nearest", "linear", "cubic", "bspline"] as const) {
      time(`resampleVolume whole image 2 mm ${interpolation}`, () =>
        resampleVolume(image, { spacing: [2, 2, 2], interpolation }),
      );
    }
    const iso = resampledGrid(image, [2, 2, 2]);
    time("resampleMask whole image 2 mm linear", () => resampleMask(mask, iso));
  });
});
