import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  checkRadiomicsSettings,
  IBSI_DIGITAL_PHANTOM,
  PYRADIOMICS_DEFAULTS,
  radiomicsSettingsHash,
  type IbsiSettings,
  type PyradiomicsSettings,
  type RadiomicsSettings,
} from "./settings";
import { thrown } from "./test-support/thrown";

/** The error's code, message and evidence, for one exact comparison. */
function failure(settings: unknown): { code: string; message: string; path: string | undefined } {
  const error = thrown(() => checkRadiomicsSettings(settings as RadiomicsSettings));
  return { code: error.code, message: error.message, path: error.evidence.path };
}

const py = (change: Record<string, unknown>): unknown => ({ ...PYRADIOMICS_DEFAULTS, ...change });
const ibsi = (change: Record<string, unknown>): unknown => ({ ...IBSI_DIGITAL_PHANTOM, ...change });

describe("checkRadiomicsSettings", () => {
  it("accepts both presets and every optional field set to a valid value", () => {
    expect(checkRadiomicsSettings(PYRADIOMICS_DEFAULTS)).toBeUndefined();
    expect(checkRadiomicsSettings(IBSI_DIGITAL_PHANTOM)).toBeUndefined();
    const pyradiomics: PyradiomicsSettings = {
      ...PYRADIOMICS_DEFAULTS,
      resampledPixelSpacing: [0, 0, 2], // 0 keeps an axis' spacing
      interpolator: "linear",
      resegmentRange: [-150],
      resegmentMode: "sigma",
      normalize: { scale: 100, removeOutliers: 3 },
      gldmAlpha: 0,
    };
    expect(checkRadiomicsSettings(pyradiomics)).toBeUndefined();
    const full: IbsiSettings = {
      ...IBSI_DIGITAL_PHANTOM,
      discretisation: { kind: "fixed-bin-width", binWidth: 25, lowerBound: -1000 },
      resample: { spacing: [2, 2, 2], interpolation: "cubic", maskThreshold: 1, roundIntensities: true },
      resegment: { min: -1000 },
      outlierSigmas: 3,
      families: ["glcm"],
      textureAggregations: ["3D_avg"],
      zoneAggregations: ["3D"],
    };
    expect(checkRadiomicsSettings(full)).toBeUndefined();
    for (const discretisation of [
      { kind: "fixed-bin-number", bins: 32 },
      { kind: "pyradiomics-bin-width", binWidth: 0.5 },
      { kind: "none" },
    ]) {
      expect(checkRadiomicsSettings(ibsi({ discretisation }) as IbsiSettings)).toBeUndefined();
    }
  });

  it("refuses a wrong kind or convention", () => {
    expect(failure(py({ kind: "settings" }))).toEqual({
      code: "settings",
      message:
        'settings.kind: must be "radiomics-settings", not "settings"\nHow to fix: Start from PYRADIOMICS_DEFAULTS or IBSI_DIGITAL_PHANTOM and change what you need.',
      path: "settings.kind",
    });
    expect(failure(py({ convention: "pyradiomic" }))).toEqual({
      code: "settings",
      message:
        'settings.convention: must be "ibsi" or "pyradiomics", not "pyradiomic"\nHow to fix: Use "ibsi" for IBSI definitions, "pyradiomics" to reproduce pyradiomics.',
      path: "settings.convention",
    });
  });

  it("refuses each bad pyradiomics field with its path", () => {
    expect(failure(py({ binWidth: 0 }))).toEqual({
      code: "settings",
      message:
        "settings.binWidth: must be positive, not 0\nHow to fix: pyradiomics' default is 25; use a width in the image's units.",
      path: "settings.binWidth",
    });
    expect(failure(py({ binWidth: Number.NaN })).path).toBe("settings.binWidth");
    expect(failure(py({ voxelArrayShift: Number.POSITIVE_INFINITY }))).toEqual({
      code: "settings",
      message:
        "settings.voxelArrayShift: must be a finite number\nHow to fix: Use 0, or for CT in HU a shift such as 2000 that makes intensities positive.",
      path: "settings.voxelArrayShift",
    });
    expect(failure(py({ classes: ["shape", "glcmm", "GLRLM"] }))).toEqual({
      code: "settings",
      message:
        'settings.classes: has unknown value(s) "glcmm", "GLRLM"\nHow to fix: Choose from shape, firstorder, glcm, glrlm, glszm, gldm, ngtdm.',
      path: "settings.classes",
    });
    expect(failure(py({ classes: [] })).message).toBe(
      "settings.classes: is empty\nHow to fix: Choose from shape, firstorder, glcm, glrlm, glszm, gldm, ngtdm.",
    );
    expect(failure(py({ resampledPixelSpacing: [1, 1] }))).toEqual({
      code: "settings",
      message:
        "settings.resampledPixelSpacing: must be three positive voxel sizes in mm, not [1,1]\nHow to fix: Write it as [x, y, z], for example [1, 1, 1].",
      path: "settings.resampledPixelSpacing",
    });
    expect(failure(py({ resampledPixelSpacing: [1, -1, 1] })).path).toBe("settings.resampledPixelSpacing");
    expect(failure(py({ interpolator: "sitkBSpline" }))).toEqual({
      code: "settings",
      message:
        'settings.interpolator: must be one of nearest, linear, cubic, bspline, not "sitkBSpline"\nHow to fix: Choose from nearest, linear, cubic, bspline.',
      path: "settings.interpolator",
    });
    expect(failure(py({ resegmentMode: "absolut" }))).toEqual({
      code: "settings",
      message:
        'settings.resegmentMode: must be one of absolute, relative, sigma, not "absolut"\nHow to fix: Choose from absolute, relative, sigma.',
      path: "settings.resegmentMode",
    });
    expect(failure(py({ resegmentRange: [250, -150] }))).toEqual({
      code: "settings",
      message:
        "settings.resegmentRange: must be [min, max] with min < max, not [250, -150]\nHow to fix: For CT soft tissue, for example [-150, 250].",
      path: "settings.resegmentRange",
    });
    expect(failure(py({ resegmentRange: [5, 5] })).path).toBe("settings.resegmentRange");
  });

  it("refuses each bad IBSI field with its path", () => {
    expect(failure(ibsi({ families: ["glcm", "gclm"] }))).toEqual({
      code: "settings",
      message:
        'settings.families: has unknown value(s) "gclm"\nHow to fix: Choose from morphology, local-intensity, statistics, intensity-histogram, intensity-volume-histogram, glcm, glrlm, glszm, gldzm, ngtdm, ngldm.',
      path: "settings.families",
    });
    expect(failure(ibsi({ families: [] })).path).toBe("settings.families");
    expect(failure(ibsi({ textureAggregations: ["3D"] })).path).toBe("settings.textureAggregations");
    expect(failure(ibsi({ zoneAggregations: ["3D_avg"] })).path).toBe("settings.zoneAggregations");
    expect(failure(ibsi({ resample: { spacing: [2, 0, 2], interpolation: "linear" } }))).toEqual({
      code: "settings",
      message:
        "settings.resample.spacing: must be three positive voxel sizes in mm, not [2,0,2]\nHow to fix: Write it as [x, y, z], for example [1, 1, 1].",
      path: "settings.resample.spacing",
    });
    expect(failure(ibsi({ resample: { spacing: [2, 2, 2], interpolation: "trilinear" } }))).toEqual({
      code: "settings",
      message:
        'settings.resample.interpolation: must be one of nearest, linear, cubic, bspline, not "trilinear"\nHow to fix: Choose from nearest, linear, cubic, bspline.',
      path: "settings.resample.interpolation",
    });
    for (const maskThreshold of [0, 1.5, Number.NaN]) {
      expect(failure(ibsi({ resample: { spacing: [2, 2, 2], interpolation: "linear", maskThreshold } }))).toEqual({
        code: "settings",
        message: `settings.resample.maskThreshold: must be in (0, 1], not ${maskThreshold}\nHow to fix: IBSI uses 0.5.`,
        path: "settings.resample.maskThreshold",
      });
    }
    expect(failure(ibsi({ resegment: { min: 400, max: -1000 } }))).toEqual({
      code: "settings",
      message:
        "settings.resegment: needs min < max, not [400, -1000]\nHow to fix: For CT soft tissue, for example { min: -150, max: 250 }.",
      path: "settings.resegment",
    });
    expect(failure(ibsi({ outlierSigmas: 0 }))).toEqual({
      code: "settings",
      message: "settings.outlierSigmas: must be positive, not 0\nHow to fix: IBSI uses 3.",
      path: "settings.outlierSigmas",
    });
  });

  it("refuses a bad discretisation before any voxel is read", () => {
    expect(failure(ibsi({ discretisation: { kind: "fixed-bin-count", bins: 32 } }))).toEqual({
      code: "settings",
      message:
        'settings.discretisation.kind: must be one of fixed-bin-number, fixed-bin-width, pyradiomics-bin-width, none, not "fixed-bin-count"\nHow to fix: Choose from fixed-bin-number, fixed-bin-width, pyradiomics-bin-width, none.',
      path: "settings.discretisation.kind",
    });
    for (const bins of [0, 2.5, -8]) {
      expect(failure(ibsi({ discretisation: { kind: "fixed-bin-number", bins } }))).toEqual({
        code: "settings",
        message: `settings.discretisation.bins: must be a positive integer, not ${bins}\nHow to fix: Use between 8 and 256 bins; 32 or 64 are common.`,
        path: "settings.discretisation.bins",
      });
    }
    for (const kind of ["fixed-bin-width", "pyradiomics-bin-width"]) {
      expect(failure(ibsi({ discretisation: { kind, binWidth: -25 } }))).toEqual({
        code: "settings",
        message:
          "settings.discretisation.binWidth: must be positive, not -25\nHow to fix: Use a width in the image's units, for example 25 HU for CT.",
        path: "settings.discretisation.binWidth",
      });
    }
    expect(failure(ibsi({ discretisation: { kind: "none", levels: 0 } }))).toEqual({
      code: "settings",
      message:
        "settings.discretisation.levels: must be a positive integer, not 0\nHow to fix: Omit it to use the ROI's maximum grey level.",
      path: "settings.discretisation.levels",
    });
  });
});

describe("radiomicsSettingsHash", () => {
  it("is the SHA-256 of the canonical JSON, pinned for PYRADIOMICS_DEFAULTS", () => {
    const canonical =
      '{"binWidth":25,"classes":["shape","firstorder","glcm","glrlm","glszm","gldm","ngtdm"],"convention":"pyradiomics","kind":"radiomics-settings","name":"pyradiomics-default","voxelArrayShift":0}';
    expect(createHash("sha256").update(canonical).digest("hex")).toBe(
      "f698fda47062a9691012dd85d97ebd7b80c212df33300de2a88df2e0b6a22f8c",
    );
    expect(radiomicsSettingsHash(PYRADIOMICS_DEFAULTS)).toBe(
      "f698fda47062a9691012dd85d97ebd7b80c212df33300de2a88df2e0b6a22f8c",
    );
  });

  it("does not depend on key order, and changes with any parameter", () => {
    const reordered: PyradiomicsSettings = {
      voxelArrayShift: 0,
      classes: ["shape", "firstorder", "glcm", "glrlm", "glszm", "gldm", "ngtdm"],
      binWidth: 25,
      name: "pyradiomics-default",
      convention: "pyradiomics",
      kind: "radiomics-settings",
    };
    const base = radiomicsSettingsHash(PYRADIOMICS_DEFAULTS);
    expect(radiomicsSettingsHash(reordered)).toBe(base);
    const variants: PyradiomicsSettings[] = [
      { ...PYRADIOMICS_DEFAULTS, binWidth: 26 },
      { ...PYRADIOMICS_DEFAULTS, voxelArrayShift: 2000 },
      { ...PYRADIOMICS_DEFAULTS, name: "other" },
      { ...PYRADIOMICS_DEFAULTS, classes: ["firstorder", "shape", "glcm", "glrlm", "glszm", "gldm", "ngtdm"] },
      { ...PYRADIOMICS_DEFAULTS, resampledPixelSpacing: [1, 1, 1] },
    ];
    const hashes = variants.map(radiomicsSettingsHash);
    expect(new Set([base, ...hashes]).size).toBe(variants.length + 1);
    expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
  });
});
