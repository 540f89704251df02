import { sha256OfCanonical } from "../core/canonical-json";
import type { Triple } from "./image/volume";
import type { Discretisation } from "./preprocess/discretise";
import type { IvhDiscretisation } from "./features/intensity-volume-histogram";
import { checkBoundaryMode, type BoundaryMode } from "./filters/boundary";
import type { WaveletSubBand } from "./filters/wavelet-decomposition";
import { WAVELET_NAMES, type WaveletName } from "./filters/wavelet-filters";
import type { TextureAggregation, ZoneAggregation } from "./features/neighbourhood";
import { TEXTURE_AGGREGATIONS, ZONE_AGGREGATIONS } from "./features/neighbourhood";
import { RadiomicsError } from "./radiomics-error";

/** The IBSI-1 feature families radlab computes (IBSI reference manual, chapter 3). */
export type FeatureFamily =
  | "morphology"
  | "local-intensity"
  | "statistics"
  | "intensity-histogram"
  | "intensity-volume-histogram"
  | "glcm"
  | "glrlm"
  | "glszm"
  | "gldzm"
  | "ngtdm"
  | "ngldm";

/** Every {@link FeatureFamily}, in IBSI's order. */
export const FEATURE_FAMILIES: readonly FeatureFamily[] = Object.freeze([
  "morphology",
  "local-intensity",
  "statistics",
  "intensity-histogram",
  "intensity-volume-histogram",
  "glcm",
  "glrlm",
  "glszm",
  "gldzm",
  "ngtdm",
  "ngldm",
]);

/** pyradiomics' feature classes (its default set enables all seven). */
export type PyradiomicsClass = "shape" | "firstorder" | "glcm" | "glrlm" | "glszm" | "gldm" | "ngtdm";

/** Every {@link PyradiomicsClass}, in pyradiomics' order of output. */
export const PYRADIOMICS_CLASSES: readonly PyradiomicsClass[] = Object.freeze([
  "shape",
  "firstorder",
  "glcm",
  "glrlm",
  "glszm",
  "gldm",
  "ngtdm",
]);

/** Interpolation of the image when resampling (IBSI 2.4). */
export type ImageInterpolation = "nearest" | "linear" | "cubic" | "bspline";

/** An IBSI-2 convolutional filter applied to the (resampled) image before feature extraction. */
export type IbsiFilter =
  | { readonly kind: "mean"; readonly size: number; readonly boundary: BoundaryMode }
  | { readonly kind: "log"; readonly sigmaMm: number; readonly truncate?: number; readonly boundary: BoundaryMode }
  | {
      readonly kind: "wavelet";
      readonly wavelet: WaveletName;
      readonly level: number;
      readonly boundary: BoundaryMode;
      readonly rotationInvariance?: "none" | "mean" | "max";
      readonly subBands?: readonly WaveletSubBand[];
    };

/**
 * IBSI-1 settings: what is done to the image and the ROI, then which families are computed.
 * The order is IBSI's: intensity normalisation, resampling (image interpolated, mask
 * interpolated then thresholded), re-segmentation (range, then outliers), discretisation.
 */
export interface IbsiSettings {
  readonly kind: "radiomics-settings";
  readonly convention: "ibsi";
  /** A name for tables and lineage, for example `ct-lung-2mm`. */
  readonly name?: string;
  readonly resample?: {
    /** The new voxel size in mm (i, j, k). */
    readonly spacing: Triple;
    readonly interpolation: ImageInterpolation;
    /** The partial-volume threshold of the linearly interpolated mask (default 0.5). */
    readonly maskThreshold?: number;
    /** Round resampled intensities to integers (IBSI's advice for CT in HU). */
    readonly roundIntensities?: boolean;
  };
  /** Keep only ROI voxels whose intensity lies in this range (IBSI 2.5), for example [-1000, 400] HU. */
  readonly resegment?: { readonly min?: number; readonly max?: number };
  /** Remove ROI voxels further than this many standard deviations from the ROI mean. */
  readonly outlierSigmas?: number;
  /** MRI intensity normalisation (z-score over the ROI) before everything else. */
  readonly normalise?: { readonly method: "z-score" };
  /** How texture and histogram families see the intensities. */
  readonly discretisation: Discretisation;
  /**
   * The intensity-volume histogram's discretisation (default: unit steps over the
   * re-segmentation range, or 1000 bins with a fixed-bin-number discretisation, as IBSI advises).
   */
  readonly ivh?: IvhDiscretisation;
  /**
   * IBSI-2 filters: each response map's intensity statistics (IBSI-2 phase 2 computes the
   * statistics family of a filtered image) are added under the filter's name, for example
   * `log-1.5mm_stat_mean`, `wavelet-coif1-LLH-1_stat_var`, `mean-5_stat_mean`.
   */
  readonly filters?: readonly IbsiFilter[];
  /** The families to compute (default: all of {@link FEATURE_FAMILIES}). */
  readonly families?: readonly FeatureFamily[];
  /** Texture aggregations for GLCM and GLRLM (default all six). */
  readonly textureAggregations?: readonly TextureAggregation[];
  /** Aggregations for GLSZM, GLDZM, NGTDM and NGLDM (default 2D, 2.5D and 3D). */
  readonly zoneAggregations?: readonly ZoneAggregation[];
}

/**
 * pyradiomics-compatible settings: its parameter names, its defaults, its conventions (bins
 * aligned on multiples of `binWidth`, absent grey levels dropped, voxelArrayShift in energy).
 * {@link PYRADIOMICS_DEFAULTS} is pyradiomics' default extraction (107 features).
 */
export interface PyradiomicsSettings {
  readonly kind: "radiomics-settings";
  readonly convention: "pyradiomics";
  readonly name?: string;
  readonly binWidth: number;
  /** Added to intensities in first-order Energy, TotalEnergy and RootMeanSquared (pyradiomics: 0 unless set; its default parameter file uses 0). */
  readonly voxelArrayShift: number;
  readonly classes: readonly PyradiomicsClass[];
  /** pyradiomics' `resampledPixelSpacing` (mm; 0 keeps an axis' spacing); absent: no resampling. */
  readonly resampledPixelSpacing?: Triple;
  /** pyradiomics' `interpolator` (default `bspline`, SimpleITK's sitkBSpline). */
  readonly interpolator?: ImageInterpolation;
  /** pyradiomics' `resegmentRange`: [min] or [min, max], read as `resegmentMode` says. */
  readonly resegmentRange?: readonly [number] | readonly [number, number];
  /** pyradiomics' `resegmentMode` (default `absolute`; `sigma`: ranges in standard deviations from the ROI mean). */
  readonly resegmentMode?: "absolute" | "relative" | "sigma";
  /** pyradiomics' `normalize`, `normalizeScale` and `removeOutliers`. */
  readonly normalize?: { readonly scale?: number; readonly removeOutliers?: number };
  /** pyradiomics' `gldm_a` (default 0). */
  readonly gldmAlpha?: number;
  /**
   * pyradiomics' filtered image types besides `Original`: LoG images (`sigma` in mm) and wavelet
   * decompositions, each with an optional `binWidth` of its own (LoG responses span small
   * ranges). Their features are named as pyradiomics names them, for example
   * `log-sigma-1-0-mm-3D_firstorder_Mean` and `wavelet-LLH_glcm_JointEnergy`; shape is computed
   * on the original image only.
   */
  readonly imageTypes?: {
    readonly log?: { readonly sigma: readonly number[]; readonly binWidth?: number };
    readonly wavelet?: {
      readonly wavelet?: WaveletName;
      readonly startLevel?: number;
      readonly level?: number;
      readonly binWidth?: number;
    };
  };
}

/** Either convention's settings. */
export type RadiomicsSettings = IbsiSettings | PyradiomicsSettings;

/**
 * pyradiomics' default extraction: every default feature of its seven classes (107 features),
 * bin width 25, no resampling, no normalisation, `voxelArrayShift` 0, distance 1.
 */
export const PYRADIOMICS_DEFAULTS: PyradiomicsSettings = Object.freeze({
  kind: "radiomics-settings",
  convention: "pyradiomics",
  name: "pyradiomics-default",
  binWidth: 25,
  voxelArrayShift: 0,
  classes: PYRADIOMICS_CLASSES,
});

/**
 * IBSI-1 configuration for the digital phantom: no resampling or re-segmentation, intensities
 * used as grey levels (Ng = 6), every family and aggregation.
 */
export const IBSI_DIGITAL_PHANTOM: IbsiSettings = Object.freeze({
  kind: "radiomics-settings",
  convention: "ibsi",
  name: "ibsi1-digital-phantom",
  discretisation: Object.freeze({ kind: "none", levels: 6 }),
});

/**
 * The SHA-256 of the settings' canonical JSON: a column of every feature row and a parameter
 * of the lineage run, so that rows computed with different settings are never compared unawares.
 *
 * @example
 * ```ts
 * import { radiomicsSettingsHash, PYRADIOMICS_DEFAULTS } from "@radlab/kernel";
 * radiomicsSettingsHash(PYRADIOMICS_DEFAULTS).length; // 64
 * ```
 */
export function radiomicsSettingsHash(settings: RadiomicsSettings): string {
  return sha256OfCanonical(settings);
}

function settingsError(path: string, message: string, hint: string): RadiomicsError {
  return new RadiomicsError("settings", `settings.${path}: ${message}`, { path: `settings.${path}`, hint });
}

function checkPositiveTriple(value: unknown, path: string, allowZero = false): void {
  if (
    !Array.isArray(value) ||
    value.length !== 3 ||
    value.some((v) => typeof v !== "number" || !(allowZero ? v >= 0 : v > 0) || !Number.isFinite(v))
  ) {
    throw settingsError(
      path,
      `must be three positive voxel sizes in mm, not ${JSON.stringify(value)}`,
      "Write it as [x, y, z], for example [1, 1, 1].",
    );
  }
}

function checkSubset<T extends string>(value: readonly T[] | undefined, all: readonly T[], path: string): void {
  if (value === undefined) return;
  const unknown = value.filter((v) => !all.includes(v));
  if (unknown.length > 0 || value.length === 0) {
    throw settingsError(
      path,
      value.length === 0 ? "is empty" : `has unknown value(s) ${unknown.map((v) => JSON.stringify(v)).join(", ")}`,
      `Choose from ${all.join(", ")}.`,
    );
  }
}

const INTERPOLATIONS: readonly ImageInterpolation[] = ["nearest", "linear", "cubic", "bspline"];
const DISCRETISATION_KINDS: readonly Discretisation["kind"][] = [
  "fixed-bin-number",
  "fixed-bin-width",
  "pyradiomics-bin-width",
  "none",
];

// A misspelt name would otherwise select another method without a word (an unknown interpolation
// is read as cubic, an unknown resegmentMode as sigma).
function checkOneOf<T extends string>(value: unknown, all: readonly T[], path: string): void {
  if (!all.includes(value as T)) {
    throw settingsError(
      path,
      `must be one of ${all.join(", ")}, not ${JSON.stringify(value)}`,
      `Choose from ${all.join(", ")}.`,
    );
  }
}

function checkDiscretisation(d: Discretisation): void {
  checkOneOf(d.kind, DISCRETISATION_KINDS, "discretisation.kind");
  if (d.kind === "fixed-bin-number" && !(Number.isInteger(d.bins) && d.bins >= 1)) {
    throw settingsError(
      "discretisation.bins",
      `must be a positive integer, not ${d.bins}`,
      "Use between 8 and 256 bins; 32 or 64 are common.",
    );
  }
  if (
    (d.kind === "fixed-bin-width" || d.kind === "pyradiomics-bin-width") &&
    !(d.binWidth > 0 && Number.isFinite(d.binWidth))
  ) {
    throw settingsError(
      "discretisation.binWidth",
      `must be positive, not ${d.binWidth}`,
      "Use a width in the image's units, for example 25 HU for CT.",
    );
  }
  if (d.kind === "none" && d.levels !== undefined && !(Number.isInteger(d.levels) && d.levels >= 1)) {
    throw settingsError(
      "discretisation.levels",
      `must be a positive integer, not ${d.levels}`,
      "Omit it to use the ROI's maximum grey level.",
    );
  }
}

function checkPositive(value: unknown, path: string, hint: string): void {
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value))
    throw settingsError(path, `must be a positive number, not ${JSON.stringify(value)}`, hint);
}

function checkWaveletName(value: unknown, path: string): void {
  if (!WAVELET_NAMES.includes(value as WaveletName)) {
    throw settingsError(
      path,
      `must be one of ${WAVELET_NAMES.join(", ")}, not ${JSON.stringify(value)}`,
      "pyradiomics' default is coif1.",
    );
  }
}

function checkImageTypes(types: PyradiomicsSettings["imageTypes"]): void {
  if (types?.log !== undefined) {
    if (!Array.isArray(types.log.sigma) || types.log.sigma.length === 0)
      throw settingsError("imageTypes.log.sigma", "must list at least one sigma in mm", "For example [1, 3, 5].");
    types.log.sigma.forEach((s, n) =>
      checkPositive(s, `imageTypes.log.sigma[${n}]`, "Sigmas are in mm, for example 1, 3, 5."),
    );
    if (types.log.binWidth !== undefined)
      checkPositive(types.log.binWidth, "imageTypes.log.binWidth", "LoG responses span small ranges: try 5.");
  }
  if (types?.wavelet !== undefined) {
    if (types.wavelet.wavelet !== undefined) checkWaveletName(types.wavelet.wavelet, "imageTypes.wavelet.wavelet");
    if (types.wavelet.binWidth !== undefined)
      checkPositive(types.wavelet.binWidth, "imageTypes.wavelet.binWidth", "Try the original image's bin width.");
  }
}

function checkFilter(filter: IbsiFilter, path: string): void {
  checkBoundaryMode(filter.boundary, `settings.${path}.boundary`);
  switch (filter.kind) {
    case "mean":
      if (!Number.isInteger(filter.size) || filter.size < 1 || filter.size % 2 === 0)
        throw settingsError(`${path}.size`, `must be an odd number of voxels, not ${filter.size}`, "IBSI-2 uses 5.");
      return;
    case "log":
      checkPositive(filter.sigmaMm, `${path}.sigmaMm`, "IBSI-2 uses 1.5 mm.");
      if (filter.truncate !== undefined) checkPositive(filter.truncate, `${path}.truncate`, "IBSI-2 uses 4.");
      return;
    case "wavelet":
      checkWaveletName(filter.wavelet, `${path}.wavelet`);
      if (!Number.isInteger(filter.level) || filter.level < 1)
        throw settingsError(`${path}.level`, `must be a whole number from 1, not ${filter.level}`, "Use 1 or 2.");
      return;
    default:
      throw settingsError(
        `${path}.kind`,
        `must be "mean", "log" or "wavelet", not ${JSON.stringify((filter as { kind: unknown }).kind)}`,
        "IBSI-2 defines these filters.",
      );
  }
}

/**
 * Checks radiomics settings before any voxel is read, so that a typo fails at once with the
 * field's path rather than after minutes of extraction.
 *
 * @throws {@link RadiomicsError} `settings` naming the field (`evidence.path`, for example
 *   `settings.binWidth`) and the values it accepts.
 *
 * @example
 * ```ts
 * import { checkRadiomicsSettings, PYRADIOMICS_DEFAULTS } from "@radlab/kernel";
 * checkRadiomicsSettings({ ...PYRADIOMICS_DEFAULTS, binWidth: 0 }); // throws: settings.binWidth must be positive
 * ```
 */
export function checkRadiomicsSettings(settings: RadiomicsSettings): void {
  if (settings.kind !== "radiomics-settings") {
    throw settingsError(
      "kind",
      `must be "radiomics-settings", not ${JSON.stringify(settings.kind)}`,
      "Start from PYRADIOMICS_DEFAULTS or IBSI_DIGITAL_PHANTOM and change what you need.",
    );
  }
  if (settings.convention === "pyradiomics") {
    if (!(settings.binWidth > 0))
      throw settingsError(
        "binWidth",
        `must be positive, not ${settings.binWidth}`,
        "pyradiomics' default is 25; use a width in the image's units.",
      );
    if (!Number.isFinite(settings.voxelArrayShift))
      throw settingsError(
        "voxelArrayShift",
        "must be a finite number",
        "Use 0, or for CT in HU a shift such as 2000 that makes intensities positive.",
      );
    checkSubset(settings.classes, PYRADIOMICS_CLASSES, "classes");
    if (settings.resampledPixelSpacing !== undefined)
      checkPositiveTriple(settings.resampledPixelSpacing, "resampledPixelSpacing", true);
    if (settings.interpolator !== undefined) checkOneOf(settings.interpolator, INTERPOLATIONS, "interpolator");
    if (settings.resegmentMode !== undefined)
      checkOneOf(settings.resegmentMode, ["absolute", "relative", "sigma"], "resegmentMode");
    if (settings.resegmentRange !== undefined) {
      const [lo, hi = Infinity] = settings.resegmentRange;
      if (!(lo < hi))
        throw settingsError(
          "resegmentRange",
          `must be [min, max] with min < max, not [${lo}, ${hi}]`,
          "For CT soft tissue, for example [-150, 250].",
        );
    }
    checkImageTypes(settings.imageTypes);
    return;
  }
  if (settings.convention !== "ibsi") {
    throw settingsError(
      "convention",
      `must be "ibsi" or "pyradiomics", not ${JSON.stringify((settings as { convention: unknown }).convention)}`,
      'Use "ibsi" for IBSI definitions, "pyradiomics" to reproduce pyradiomics.',
    );
  }
  checkDiscretisation(settings.discretisation);
  (settings.filters ?? []).forEach((filter, n) => checkFilter(filter, `filters[${n}]`));
  checkSubset(settings.families, FEATURE_FAMILIES, "families");
  checkSubset(settings.textureAggregations, TEXTURE_AGGREGATIONS, "textureAggregations");
  checkSubset(settings.zoneAggregations, ZONE_AGGREGATIONS, "zoneAggregations");
  if (settings.resample !== undefined) {
    checkPositiveTriple(settings.resample.spacing, "resample.spacing");
    checkOneOf(settings.resample.interpolation, INTERPOLATIONS, "resample.interpolation");
    const threshold = settings.resample.maskThreshold ?? 0.5;
    if (!(threshold > 0 && threshold <= 1))
      throw settingsError("resample.maskThreshold", `must be in (0, 1], not ${threshold}`, "IBSI uses 0.5.");
  }
  if (settings.resegment !== undefined) {
    const { min = -Infinity, max = Infinity } = settings.resegment;
    if (!(min < max))
      throw settingsError(
        "resegment",
        `needs min < max, not [${min}, ${max}]`,
        "For CT soft tissue, for example { min: -150, max: 250 }.",
      );
  }
  if (settings.outlierSigmas !== undefined && !(settings.outlierSigmas > 0)) {
    throw settingsError("outlierSigmas", `must be positive, not ${settings.outlierSigmas}`, "IBSI uses 3.");
  }
}
