import { codeVersion, recordedVersion } from "../core/environment";
import { cropToMask, cropVolumeToBox, type IndexBox } from "./image/crop";
import { laplacianOfGaussian } from "./filters/laplacian-of-gaussian";
import { meanFilter } from "./filters/mean-filter";
import { pyradiomicsLog, pyradiomicsLogName } from "./filters/pyradiomics-log";
import { pyradiomicsWavelet } from "./filters/pyradiomics-wavelet";
import { waveletTransform } from "./filters/wavelet-decomposition";
import { assertSameGrid, maskVoxelCount, type Mask, type Triple, type Volume } from "./image/volume";
import { discretise, discretisationAdvice, type DiscretisedRoi } from "./preprocess/discretise";
import { normaliseIntensity } from "./preprocess/normalise-intensity";
import { resampleMask, resamplePyradiomics, resampleVolume } from "./preprocess/resample";
import { removeOutliers, resegment, resegmentPyradiomics } from "./preprocess/resegment";
import { glcmFeatures } from "./features/glcm";
import { glrlmFeatures } from "./features/glrlm";
import { glszmFeatures } from "./features/glszm";
import { gldzmFeatures } from "./features/gldzm";
import { ngtdmFeatures } from "./features/ngtdm";
import { ngldmFeatures } from "./features/ngldm";
import { intensityHistogramFeatures } from "./features/intensity-histogram";
import { intensityVolumeHistogramFeatures, type IvhDiscretisation } from "./features/intensity-volume-histogram";
import { LOCAL_INTENSITY_RADIUS_MM, localIntensityFeatures } from "./features/local-intensity";
import { morphologyFeatures } from "./features/morphology";
import { statisticsFeatures } from "./features/statistics";
import { pyradiomicsFirstOrderFeatures } from "./features/pyradiomics-firstorder";
import { pyradiomicsGlcmFeatures } from "./features/pyradiomics-glcm";
import { pyradiomicsGldmFeatures } from "./features/pyradiomics-gldm";
import { pyradiomicsGlrlmFeatures } from "./features/pyradiomics-glrlm";
import { pyradiomicsGlszmFeatures } from "./features/pyradiomics-glszm";
import { pyradiomicsNgtdmFeatures } from "./features/pyradiomics-ngtdm";
import { pyradiomicsShapeFeatures } from "./features/pyradiomics-shape";
import { PYRADIOMICS_DEFAULT_FEATURES } from "./feature-catalogue";
import {
  checkRadiomicsSettings,
  FEATURE_FAMILIES,
  radiomicsSettingsHash,
  type FeatureFamily,
  type IbsiSettings,
  type PyradiomicsClass,
  type PyradiomicsSettings,
  type RadiomicsSettings,
} from "./settings";

/** What was measured, on what, with what: kept beside every feature row. */
export interface RadiomicsProvenance {
  /** SHA-256 of the settings' canonical JSON ({@link radiomicsSettingsHash}). */
  readonly settingsHash: string;
  readonly convention: RadiomicsSettings["convention"];
  /** `@radlab/kernel` version (with `+dirty` for uncommitted changes) and git commit. */
  readonly software: string;
  readonly imageSource: string | null;
  readonly maskSource: string | null;
  /** Voxels of the ROI as segmented (morphological mask), after any resampling. */
  readonly maskVoxels: number;
  /** Voxels left for intensity and texture features after re-segmentation. */
  readonly intensityVoxels: number;
  /** Voxel size in mm as computed (after any resampling). */
  readonly spacing: Triple;
  /** Number of grey levels of the discretisation (Ng). */
  readonly greyLevels: number;
  /** Seconds spent computing, by family or class. */
  readonly seconds: Readonly<Record<string, number>>;
}

/** Features of one image and ROI. */
export interface RadiomicsResult {
  /** Feature name to value: IBSI tags (`cm_joint_max_3D_avg`) or pyradiomics names (`glcm_JointEnergy`). */
  readonly features: Readonly<Record<string, number>>;
  readonly provenance: RadiomicsProvenance;
  /** Advice that did not stop the extraction, for example an unreasonable number of grey levels. */
  readonly warnings: readonly string[];
}

/** Options of {@link extractFeatures}. */
export interface ExtractOptions {
  /** Called before each family with its name, for progress in long batches. */
  readonly onFamily?: (family: string) => void;
}

function timed(
  seconds: Record<string, number>,
  name: string,
  compute: () => Readonly<Record<string, number>>,
  into: Record<string, number>,
): void {
  const start = performance.now();
  Object.assign(into, compute());
  seconds[name] = (performance.now() - start) / 1000;
}

/** Voxels of padding that keep every neighbourhood a feature reads (the local intensity peak's sphere). */
function neighbourhoodPadding(spacing: Triple): Triple {
  return spacing.map((s) => Math.ceil(LOCAL_INTENSITY_RADIUS_MM / s) + 1) as unknown as Triple;
}

function extractIbsi(
  image: Volume,
  mask: Mask,
  settings: IbsiSettings,
  options: ExtractOptions,
): { features: Record<string, number>; seconds: Record<string, number>; roi: DiscretisedRoi; intensity: Mask } {
  let intensity = settings.resegment === undefined ? mask : resegment(image, mask, settings.resegment);
  if (settings.outlierSigmas !== undefined) intensity = removeOutliers(image, intensity, settings.outlierSigmas);
  const roi = discretise(image, intensity, settings.discretisation);
  const families = new Set<FeatureFamily>(settings.families ?? FEATURE_FAMILIES);
  const texture = settings.textureAggregations === undefined ? {} : { aggregations: settings.textureAggregations };
  const zone = settings.zoneAggregations === undefined ? {} : { aggregations: settings.zoneAggregations };
  const features: Record<string, number> = {};
  const seconds: Record<string, number> = {};
  const run = (family: FeatureFamily, compute: () => Readonly<Record<string, number>>): void => {
    if (!families.has(family)) return;
    options.onFamily?.(family);
    timed(seconds, family, compute, features);
  };
  run("morphology", () => morphologyFeatures(image, mask, intensity));
  run("local-intensity", () => localIntensityFeatures(image, intensity));
  run("statistics", () => statisticsFeatures(image, intensity));
  run("intensity-histogram", () => intensityHistogramFeatures(roi));
  run("intensity-volume-histogram", () => intensityVolumeHistogramFeatures(image, intensity, ivhOptions(settings)));
  run("glcm", () => glcmFeatures(roi, texture));
  run("glrlm", () => glrlmFeatures(roi, texture));
  run("glszm", () => glszmFeatures(roi, zone));
  run("gldzm", () => gldzmFeatures(roi, mask, zone));
  run("ngtdm", () => ngtdmFeatures(roi, zone));
  run("ngldm", () => ngldmFeatures(roi, zone));
  return { features, seconds, roi, intensity };
}

/**
 * The intensity-volume histogram's discretisation: the settings' own, or IBSI's advice: unit
 * steps over the re-segmentation range for calibrated integer intensities (CT in HU, the
 * phantom), 1000 bins for uncalibrated ones (MRI, fixed bin number).
 */
function ivhOptions(settings: IbsiSettings): IvhDiscretisation {
  if (settings.ivh !== undefined) return settings.ivh;
  if (settings.discretisation.kind === "fixed-bin-number") return { kind: "fixed-bin-number", bins: 1000 };
  const range = settings.resegment;
  return {
    kind: "none",
    ...(range?.min === undefined ? {} : { lowerBound: range.min }),
    ...(range?.max === undefined ? {} : { upperBound: range.max }),
  };
}

const PYRADIOMICS_DEFAULT = new Set(PYRADIOMICS_DEFAULT_FEATURES);

/** pyradiomics leaves deprecated features (shape Compactness1 and 2, SphericalDisproportion) out unless asked. */
function defaultOnly(features: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(features).filter(([name]) => PYRADIOMICS_DEFAULT.has(name)));
}

function extractPyradiomics(
  image: Volume,
  mask: Mask,
  settings: PyradiomicsSettings,
  options: ExtractOptions,
  resegmented?: Mask,
): { features: Record<string, number>; seconds: Record<string, number>; roi: DiscretisedRoi; intensity: Mask } {
  // A filtered image is measured in the mask re-segmented on the original image (`resegmented`).
  const intensity =
    resegmented ??
    (settings.resegmentRange === undefined
      ? mask
      : resegmentPyradiomics(image, mask, {
          range: settings.resegmentRange,
          mode: settings.resegmentMode ?? "absolute",
        }));
  const roi = discretise(image, intensity, { kind: "pyradiomics-bin-width", binWidth: settings.binWidth });
  const classes = new Set<PyradiomicsClass>(settings.classes);
  const features: Record<string, number> = {};
  const seconds: Record<string, number> = {};
  const run = (name: PyradiomicsClass, compute: () => Readonly<Record<string, number>>): void => {
    if (!classes.has(name)) return;
    options.onFamily?.(name);
    timed(seconds, name, compute, features);
  };
  run("shape", () => defaultOnly(pyradiomicsShapeFeatures(mask)));
  run("firstorder", () =>
    pyradiomicsFirstOrderFeatures(image, intensity, {
      binWidth: settings.binWidth,
      voxelArrayShift: settings.voxelArrayShift,
    }),
  );
  run("glcm", () => pyradiomicsGlcmFeatures(roi));
  run("glrlm", () => pyradiomicsGlrlmFeatures(roi));
  run("glszm", () => pyradiomicsGlszmFeatures(roi));
  run("gldm", () => pyradiomicsGldmFeatures(roi, { alpha: settings.gldmAlpha ?? 0 }));
  run("ngtdm", () => pyradiomicsNgtdmFeatures(roi));
  return { features, seconds, roi, intensity };
}

/**
 * IBSI's order before features: intensity normalisation (over the ROI), then resampling (the
 * image interpolated on a grid centred on the original one; the mask interpolated linearly and
 * thresholded at the partial-volume fraction).
 */
function prepareIbsi(image: Volume, mask: Mask, settings: IbsiSettings): { image: Volume; mask: Mask } {
  let prepared = image;
  let roi = mask;
  if (settings.normalise !== undefined) prepared = normaliseIntensity(prepared, roi, { method: "z-score" });
  if (settings.resample !== undefined) {
    const { spacing, interpolation, maskThreshold, roundIntensities } = settings.resample;
    prepared = resampleVolume(prepared, {
      spacing,
      interpolation,
      alignment: "centre",
      ...(roundIntensities === undefined ? {} : { roundIntensities }),
    });
    roi = resampleMask(roi, prepared, { interpolation: "linear", threshold: maskThreshold ?? 0.5 });
  }
  return { image: prepared, mask: roi };
}

/**
 * pyradiomics' order: `normalize` over the whole image (the result is floating point), then
 * resampling as pyradiomics does it (cropped to the ROI with padding, grid aligned on the
 * original corner, the image in its stored type, the mask by nearest neighbour).
 */
function preparePyradiomics(image: Volume, mask: Mask, settings: PyradiomicsSettings): { image: Volume; mask: Mask } {
  let prepared = image;
  if (settings.normalize !== undefined) {
    const { scale, removeOutliers: limit } = settings.normalize;
    prepared = {
      ...normaliseIntensity(prepared, undefined, {
        method: "pyradiomics",
        ...(scale === undefined ? {} : { scale }),
        ...(limit === undefined ? {} : { removeOutliers: limit }),
      }),
      pixelType: "float64",
    };
  }
  if (settings.resampledPixelSpacing === undefined) return { image: prepared, mask };
  const interpolator = settings.interpolator ?? "bspline";
  return resamplePyradiomics(prepared, mask, {
    spacing: settings.resampledPixelSpacing,
    interpolator: interpolator === "cubic" ? "bspline" : interpolator,
    pixelType: prepared.pixelType ?? "float64",
  });
}

/**
 * Features of filtered images: each filter runs on the whole prepared image (filters read the
 * image's own edges, so cropping first would change them), then the response is cropped like the
 * original and measured inside the original's intensity mask (pyradiomics re-segments once, on the
 * original image, and so does radlab for IBSI-2 filters).
 */
function filteredFeatures(
  image: Volume,
  intensity: Mask,
  box: IndexBox,
  settings: RadiomicsSettings,
  options: ExtractOptions,
): { features: Record<string, number>; seconds: Record<string, number> } {
  const features: Record<string, number> = {};
  const seconds: Record<string, number> = {};
  const measure = (
    name: string,
    response: Volume,
    compute: (cropped: Volume) => Readonly<Record<string, number>>,
  ): void => {
    options.onFamily?.(name);
    const started = performance.now();
    for (const [feature, value] of Object.entries(compute(cropVolumeToBox(response, box)))) {
      features[`${name}_${feature}`] = value;
    }
    seconds[name] = (performance.now() - started) / 1000;
  };
  if (settings.convention === "pyradiomics") {
    const classes = settings.classes.filter((c) => c !== "shape");
    if (classes.length === 0) return { features, seconds };
    const run = (name: string, response: Volume, binWidth: number | undefined): void =>
      measure(
        name,
        response,
        (cropped) =>
          extractPyradiomics(
            cropped,
            intensity,
            { ...settings, classes, binWidth: binWidth ?? settings.binWidth },
            {},
            intensity,
          ).features,
      );
    const log = settings.imageTypes?.log;
    for (const sigma of log?.sigma ?? []) run(pyradiomicsLogName(sigma), pyradiomicsLog(image, sigma), log?.binWidth);
    const wavelet = settings.imageTypes?.wavelet;
    if (wavelet !== undefined) {
      const { binWidth, ...waveletOptions } = wavelet;
      for (const [name, response] of pyradiomicsWavelet(image, waveletOptions)) run(name, response, binWidth);
    }
    return { features, seconds };
  }
  for (const filter of settings.filters ?? []) {
    const statistics = (cropped: Volume): Record<string, number> => statisticsFeatures(cropped, intensity);
    if (filter.kind === "mean") measure(`mean-${filter.size}`, meanFilter(image, filter), statistics);
    else if (filter.kind === "log") measure(`log-${filter.sigmaMm}mm`, laplacianOfGaussian(image, filter), statistics);
    else {
      for (const [band, response] of waveletTransform(image, filter))
        measure(`wavelet-${filter.wavelet}-${band}-${filter.level}`, response, statistics);
    }
  }
  return { features, seconds };
}

/**
 * Computes radiomics features of one image and ROI: the IBSI-1 families under IBSI's
 * definitions (`convention: "ibsi"`), or pyradiomics' classes under its conventions
 * (`convention: "pyradiomics"`, names like `glcm_JointEnergy`). The image and mask must share a
 * voxel grid; neither is modified. The work is done on the ROI's bounding box (padded for
 * neighbourhood features).
 *
 * @throws {@link RadiomicsError} `settings` before reading a voxel when the settings are wrong,
 *   `geometry` when the grids differ, `empty-roi` when the mask (or what re-segmentation leaves
 *   of it) is empty.
 *
 * @example
 * ```ts
 * import { extractFeatures, maskFromLabel, readNrrd, PYRADIOMICS_DEFAULTS } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"));
 * const { features, provenance } = extractFeatures(image, mask, PYRADIOMICS_DEFAULTS);
 * Object.keys(features).length; // 107
 * provenance.maskVoxels; // 4137
 * ```
 */
export function extractFeatures(
  image: Volume,
  mask: Mask,
  settings: RadiomicsSettings,
  options: ExtractOptions = {},
): RadiomicsResult {
  checkRadiomicsSettings(settings);
  assertSameGrid(image, mask);
  const prepared =
    settings.convention === "ibsi" ? prepareIbsi(image, mask, settings) : preparePyradiomics(image, mask, settings);
  // Only the local intensity peak reads voxels outside the ROI (a 6.2 mm sphere); every other
  // feature reads ROI voxels alone, so the crop is the bounding box itself.
  const readsAround =
    settings.convention === "ibsi" && (settings.families ?? FEATURE_FAMILIES).includes("local-intensity");
  const cropped = cropToMask(
    prepared.image,
    prepared.mask,
    readsAround ? neighbourhoodPadding(prepared.image.spacing) : [0, 0, 0],
  );
  const { features, seconds, roi, intensity } =
    settings.convention === "ibsi"
      ? extractIbsi(cropped.image, cropped.mask, settings, options)
      : extractPyradiomics(cropped.image, cropped.mask, settings, options);
  const commit = codeVersion().gitCommit;
  const warnings: string[] = [];
  const advice = discretisationAdvice(
    roi.levelCount,
    settings.convention === "ibsi" ? settings.discretisation : { kind: "fixed-bin-width", binWidth: settings.binWidth },
  );
  if (advice !== undefined) warnings.push(advice);
  const filtered = filteredFeatures(prepared.image, intensity, cropped.box, settings, options);
  Object.assign(features, filtered.features);
  Object.assign(seconds, filtered.seconds);
  return {
    features,
    provenance: {
      settingsHash: radiomicsSettingsHash(settings),
      convention: settings.convention,
      software: `@radlab/kernel ${recordedVersion()}${commit === null ? "" : ` (${commit.slice(0, 12)})`}`,
      imageSource: image.source ?? null,
      maskSource: mask.source ?? null,
      maskVoxels: maskVoxelCount(cropped.mask),
      intensityVoxels: maskVoxelCount(intensity),
      spacing: prepared.image.spacing,
      greyLevels: roi.levelCount,
      seconds,
    },
    warnings,
  };
}
