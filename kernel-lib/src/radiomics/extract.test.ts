import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsvLine } from "../core/csv-field";
import { extractFeatures } from "./extract";
import { PYRADIOMICS_DEFAULT_FEATURES } from "./feature-catalogue";
import { ibsiCompliance } from "./ibsi-compliance";
import { maskFromLabel } from "./image/mask";
import { readNifti } from "./image/nifti";
import { readNrrd } from "./image/nrrd";
import { RadiomicsError } from "./radiomics-error";
import {
  IBSI_DIGITAL_PHANTOM,
  PYRADIOMICS_DEFAULTS,
  radiomicsSettingsHash,
  type PyradiomicsSettings,
} from "./settings";
import { IBSI_PHANTOM, PYRADIOMICS_DATA, ibsiReferences } from "./test-support/reference-data";

const CLASSES = ["shape", "firstorder", "glcm", "glrlm", "glszm", "gldm", "ngtdm"] as const;

/** Every baseline CSV column of a test case: feature name (no `original_`) to value, and its settings. */
function baselineCase(testCase: string): { features: Map<string, number>; settings: Record<string, unknown> } {
  const features = new Map<string, number>();
  let settings: Record<string, unknown> | undefined;
  for (const featureClass of CLASSES) {
    const rows = readFileSync(path.join(PYRADIOMICS_DATA, `baseline/baseline_${featureClass}.csv`), "utf8")
      .split(/\r?\n/)
      .filter((l) => l !== "")
      .map(parseCsvLine);
    const column = rows[0]!.indexOf(testCase);
    if (column < 0) continue;
    for (const row of rows.slice(1)) {
      if (row[0]!.startsWith("original_")) features.set(row[0]!.slice("original_".length), Number(row[column]));
      if (row[0] === "diagnostics_Configuration_Settings" && settings === undefined) {
        // A Python dict literal: make it JSON.
        const json = row[column]!.replace(/'/g, '"')
          .replace(/\bNone\b/g, "null")
          .replace(/\bTrue\b/g, "true")
          .replace(/\bFalse\b/g, "false");
        settings = JSON.parse(json) as Record<string, unknown>;
      }
    }
  }
  return { features, settings: settings ?? {} };
}

/** pyradiomics' parameters of a baseline column as radlab settings. */
function settingsOf(p: Record<string, unknown>): PyradiomicsSettings {
  const interpolators: Record<string, "bspline" | "linear" | "nearest"> = {
    sitkBSpline: "bspline",
    sitkLinear: "linear",
    sitkNearestNeighbor: "nearest",
  };
  return {
    ...PYRADIOMICS_DEFAULTS,
    binWidth: (p["binWidth"] as number | undefined) ?? 25,
    voxelArrayShift: (p["voxelArrayShift"] as number | undefined) ?? 0,
    ...(p["resampledPixelSpacing"] == null
      ? {}
      : { resampledPixelSpacing: p["resampledPixelSpacing"] as [number, number, number] }),
    ...(p["interpolator"] == null ? {} : { interpolator: interpolators[p["interpolator"] as string]! }),
    ...(p["normalize"] === true
      ? {
          normalize: {
            scale: p["normalizeScale"] as number,
            ...(p["removeOutliers"] == null ? {} : { removeOutliers: p["removeOutliers"] as number }),
          },
        }
      : {}),
    ...(p["resegmentRange"] == null
      ? {}
      : {
          resegmentRange: p["resegmentRange"] as [number, number],
          resegmentMode: (p["resegmentMode"] as "absolute" | "sigma" | undefined) ?? "absolute",
        }),
  };
}

/**
 * brain1's shape column was written by pyradiomics 2.0.1b1, whose marching cubes triangulated a
 * few cube configurations differently: current pyradiomics (3.0.1, measured with
 * bench/radiomics_peer.py) gives these mesh values, and so does radlab (to 1e-12).
 */
const PYRADIOMICS_301_BRAIN1_MESH: Readonly<Record<string, number>> = {
  shape_MeshVolume: 16147.51180013021,
  shape_SurfaceArea: 6438.821603779402,
  shape_Sphericity: 0.4798234536231475,
  shape_SurfaceVolumeRatio: 0.3987500788652454,
};

function load(name: string): { image: ReturnType<typeof readNrrd>; mask: ReturnType<typeof maskFromLabel> } {
  return {
    image: readNrrd(path.join(PYRADIOMICS_DATA, `${name}_image.nrrd`)),
    mask: maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, `${name}_label.nrrd`))),
  };
}

describe("extractFeatures", () => {
  it("reproduces every IBSI-1 digital phantom reference value", async () => {
    const image = await readNifti(IBSI_PHANTOM.image);
    const mask = maskFromLabel(await readNifti(IBSI_PHANTOM.mask));
    const result = extractFeatures(image, mask, IBSI_DIGITAL_PHANTOM);
    const report = ibsiCompliance(result.features, ibsiReferences());
    const matched = report.checks.filter((c) => c.matches).length;
    console.log(
      `IBSI-1 digital phantom, all families and aggregations: ${matched} of ${report.checks.length} reference values match`,
    );
    expect(report.mismatches.map((c) => c.tag)).toEqual([]);
    expect(report.checks.filter((c) => c.computed === undefined).map((c) => c.tag)).toEqual([]);
    expect(report.checks.length).toBe(482);
    expect(result.provenance).toMatchObject({
      maskVoxels: 74,
      intensityVoxels: 74,
      greyLevels: 6,
      spacing: [2, 2, 2],
      convention: "ibsi",
    });
    expect(result.provenance.settingsHash).toBe(radiomicsSettingsHash(IBSI_DIGITAL_PHANTOM));
  });

  it.each([
    "brain1",
    "breast1",
    "brain1_resampling",
    "breast1_resampling",
    "brain1_normalization",
    "breast1_normalization",
    "brain1_resegmentation",
    "breast1_resegmentation",
  ])("agrees with pyradiomics' baseline %s on every feature, settings and pre-processing included", (testCase) => {
    const { features: baseline, settings } = baselineCase(testCase);
    const { image, mask } = load(testCase.split("_")[0]!);
    const result = extractFeatures(image, mask, settingsOf(settings));
    const worst = { name: "", rel: 0 };
    const misses: string[] = [];
    for (const [name, expected] of baseline) {
      const reference = testCase === "brain1" ? (PYRADIOMICS_301_BRAIN1_MESH[name] ?? expected) : expected;
      const actual = result.features[name];
      const rel = Math.abs(actual! - reference) / Math.max(Math.abs(reference), 1e-12);
      if (actual === undefined || !(rel <= 1e-6)) misses.push(`${name}: ${actual} vs ${reference}`);
      if (rel > worst.rel) worst.rel = rel;
      if (rel === worst.rel) worst.name = name;
    }
    console.log(
      `pyradiomics ${testCase}: ${baseline.size - misses.length} of ${baseline.size} features within 1e-6 (worst ${worst.name} ${worst.rel.toExponential(1)})`,
    );
    expect(misses).toEqual([]);
  });

  it("adds pyradiomics' LoG and wavelet image types under pyradiomics' names, matching pyradiomics 3.0.1", () => {
    const reference = JSON.parse(
      readFileSync(path.join(__dirname, "filters/test-support/pyradiomics-filters-brain1.json"), "utf8"),
    ) as { images: Record<string, Record<string, number>> };
    const { image, mask } = load("brain1");
    const result = extractFeatures(image, mask, {
      ...PYRADIOMICS_DEFAULTS,
      classes: ["shape", "firstorder", "glcm"],
      imageTypes: { log: { sigma: [1, 2, 3], binWidth: 5 }, wavelet: { wavelet: "coif1" } },
    });
    let compared = 0;
    for (const [imageType, values] of Object.entries(reference.images)) {
      for (const [feature, expected] of Object.entries(values)) {
        const actual = result.features[`${imageType}_firstorder_${feature}`]!;
        expect(
          Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12),
          `${imageType} ${feature}`,
        ).toBeLessThan(1e-9);
        compared++;
      }
    }
    expect(compared).toBe(11 * 7);
    // Shape once, on the original image; the other classes once per image type.
    const names = Object.keys(result.features);
    expect(names.filter((n) => n.includes("shape_"))).toEqual(names.filter((n) => n.startsWith("shape_")));
    expect(names.filter((n) => n.endsWith("_glcm_JointEnergy"))).toHaveLength(11);
    expect(result.provenance.seconds).toHaveProperty("wavelet-HHH");
  });

  it("adds IBSI-2 filter responses' intensity statistics under the filter's name", () => {
    const { image, mask } = load("breast1");
    const result = extractFeatures(image, mask, {
      kind: "radiomics-settings",
      convention: "ibsi",
      discretisation: { kind: "fixed-bin-width", binWidth: 25 },
      families: ["statistics"],
      filters: [
        { kind: "mean", size: 1, boundary: "mirror" },
        { kind: "log", sigmaMm: 1.5, boundary: "mirror" },
        { kind: "wavelet", wavelet: "haar", level: 1, boundary: "periodic", subBands: ["LLL", "HHH"] },
      ],
    });
    // A mean filter of size 1 is the identity: its statistics are the image's.
    expect(result.features["mean-1_stat_mean"]).toBeCloseTo(result.features["stat_mean"]!, 10);
    expect(result.features["mean-1_stat_var"]).toBeCloseTo(result.features["stat_var"]!, 6);
    expect(
      Object.keys(result.features)
        .filter((n) => n.endsWith("_stat_mean"))
        .sort(),
    ).toEqual([
      "log-1.5mm_stat_mean",
      "mean-1_stat_mean",
      "wavelet-haar-HHH-1_stat_mean",
      "wavelet-haar-LLL-1_stat_mean",
    ]);
  });

  it("returns pyradiomics' 107 default features, deprecated ones left out", () => {
    const { image, mask } = load("breast1");
    const result = extractFeatures(image, mask, PYRADIOMICS_DEFAULTS);
    expect(Object.keys(result.features).sort()).toEqual([...PYRADIOMICS_DEFAULT_FEATURES].sort());
    expect(result.provenance.seconds).toHaveProperty("glcm");
  });

  it("never modifies the image or the mask", () => {
    const { image, mask } = load("breast1");
    const before = [Float64Array.from(image.data), Uint8Array.from(mask.data)];
    extractFeatures(image, mask, {
      ...PYRADIOMICS_DEFAULTS,
      resampledPixelSpacing: [2, 2, 2],
      normalize: { scale: 100 },
    });
    expect(image.data).toEqual(before[0]);
    expect(mask.data).toEqual(before[1]);
  });

  it("refuses bad settings before reading a voxel, and grids that differ", () => {
    const { image, mask } = load("breast1");
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (error) {
        return error instanceof RadiomicsError ? `${error.code} ${error.evidence.path ?? ""}`.trim() : "other";
      }
      return undefined;
    };
    expect(code(() => extractFeatures(image, mask, { ...PYRADIOMICS_DEFAULTS, binWidth: 0 }))).toBe(
      "settings settings.binWidth",
    );
    expect(
      code(() => extractFeatures(image, mask, { ...IBSI_DIGITAL_PHANTOM, families: ["glcm", "texture"] as never })),
    ).toBe("settings settings.families");
    expect(code(() => extractFeatures(image, { ...mask, spacing: [1, 1, 1] }, PYRADIOMICS_DEFAULTS))).toBe(
      "geometry spacing",
    );
    expect(
      code(() => extractFeatures(image, { ...mask, data: new Uint8Array(mask.data.length) }, PYRADIOMICS_DEFAULTS)),
    ).toBe("empty-roi");
  });

  it("warns when the discretisation gives an unreasonable number of grey levels", () => {
    const { image, mask } = load("breast1");
    // breast1 spans 102 to 162: one bin, [100, 200).
    const result = extractFeatures(image, mask, { ...PYRADIOMICS_DEFAULTS, classes: ["firstorder"], binWidth: 100 });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^A bin width of 100 gives only 1 grey level\(s\), fewer than 8/);
  });
});
