import { RadiomicsError } from "../radiomics-error";
import { assertSameGrid, gridOf, type Mask, type Volume } from "../image/volume";
import { populationSd } from "./normalise-intensity";

/** A closed intensity range `[min, max]`; a missing bound is open (`[min, ∞)` or `(-∞, max]`). */
export interface IntensityRange {
  readonly min?: number;
  readonly max?: number;
}

interface RoiStatistics {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Population standard deviation (divided by n), as numpy.std. */
  readonly sd: number;
}

function roiStatistics(image: Volume, mask: Mask): RoiStatistics {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let n = 0; n < mask.data.length; n++) {
    if (mask.data[n] === 0) continue;
    const v = image.data[n]!;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / count;
  return { count, min, max, mean, sd: populationSd(image, mask, mean, count) };
}

function fileOf(mask: Mask): { file?: string } {
  return mask.source === undefined ? {} : { file: mask.source };
}

function requireVoxels(image: Volume, mask: Mask, what: string): RoiStatistics {
  assertSameGrid(image, mask);
  const stats = roiStatistics(image, mask);
  if (stats.count === 0) {
    throw new RadiomicsError("empty-roi", `The mask has no voxel to ${what}`, {
      ...fileOf(mask),
      hint: "Check the mask label, and the steps before this one (resampling, earlier re-segmentation).",
    });
  }
  return stats;
}

function formatRange(min: number, max: number): string {
  return `[${Number.isFinite(min) ? min : "-∞"}, ${Number.isFinite(max) ? max : "∞"}]`;
}

/** The intensity mask of the voxels of `mask` inside the closed range [min, max]. */
function keepRange(
  image: Volume,
  mask: Mask,
  stats: RoiStatistics,
  min: number,
  max: number,
  minimumKept: number,
  why: string,
): Mask {
  const data = new Uint8Array(mask.data.length);
  let kept = 0;
  for (let n = 0; n < data.length; n++) {
    if (mask.data[n] === 0) continue;
    const v = image.data[n]!;
    if (v >= min && v <= max) {
      data[n] = 1;
      kept++;
    }
  }
  if (kept < minimumKept) {
    throw new RadiomicsError(
      "empty-roi",
      `${why} ${formatRange(min, max)} kept ${kept} of the ROI's ${stats.count} voxels, whose intensities span [${stats.min}, ${stats.max}]`,
      {
        ...fileOf(mask),
        path: "range",
        hint: `Choose a range that overlaps the ROI's intensities [${stats.min}, ${stats.max}], or check the image's units (for example HU for CT, where soft tissue is about -100 to 200).`,
      },
    );
  }
  return {
    ...gridOf(mask),
    data,
    ...(mask.source === undefined ? {} : { source: mask.source }),
  };
}

/**
 * Range re-segmentation (IBSI 1, section 2.5, USB3): the intensity mask keeps the voxels of
 * `mask` whose intensity lies in the closed range `[min, max]`. The input mask stays the
 * morphological mask (IBSI ECJF); pass the result as the intensity mask.
 *
 * @param image - Intensities on the mask's grid.
 * @param mask - The morphological mask (not modified).
 * @param range - At least one bound; both bounds are included.
 * @returns A new mask, the intensity mask.
 * @throws {@link RadiomicsError} `settings` for a missing, non-numeric or inverted range;
 *   `geometry` when image and mask grids differ; `empty-roi` when the mask is empty or no voxel
 *   is left, naming the range and the ROI's actual minimum and maximum.
 *
 * @example
 * ```ts
 * import { maskFromLabel, readNrrd, resegment } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"));
 * const intensityMask = resegment(image, mask, { min: 500, max: 1200 });
 * ```
 */
export function resegment(image: Volume, mask: Mask, range: IntensityRange): Mask {
  const { min, max } = range;
  if (min === undefined && max === undefined) {
    throw new RadiomicsError("settings", "A re-segmentation range needs a lower bound, an upper bound or both", {
      path: "range",
      hint: "Give { min, max } in the image's units, for example { min: -500, max: 400 } HU.",
    });
  }
  for (const [name, value] of [
    ["min", min],
    ["max", max],
  ] as const) {
    if (value !== undefined && Number.isNaN(value)) {
      throw new RadiomicsError("settings", `The re-segmentation range's ${name} is not a number`, {
        path: `range.${name}`,
        hint: "Give the bounds as numbers in the image's units.",
      });
    }
  }
  const lower = min ?? -Infinity;
  const upper = max ?? Infinity;
  if (lower > upper) {
    throw new RadiomicsError("settings", `The re-segmentation range ${formatRange(lower, upper)} is empty: min > max`, {
      path: "range",
      hint: "Swap the bounds: min is the lowest intensity kept, max the highest.",
    });
  }
  const stats = requireVoxels(image, mask, "re-segment");
  return keepRange(image, mask, stats, lower, upper, 1, "Re-segmentation to");
}

/**
 * Intensity outlier filtering (IBSI 1, section 2.5, 7ACA): the intensity mask keeps the voxels
 * of `mask` within `[μ - sigmas σ, μ + sigmas σ]`, where μ and σ are the mean and the standard
 * deviation of the ROI's intensities. IBSI does not say which standard deviation; this uses the
 * population one (divided by n), as pyradiomics' `resegmentMode: sigma` (numpy.std) does, so
 * `removeOutliers(image, mask, 3)` equals pyradiomics' `resegmentRange: [-3, 3]` in sigma mode.
 *
 * @param sigmas - The half-width of the kept range in standard deviations (default 3, IBSI's).
 * @returns A new mask, the intensity mask.
 * @throws {@link RadiomicsError} `settings` when `sigmas` is not positive; `geometry` when the
 *   grids differ; `empty-roi` when the mask is empty or no voxel is left.
 *
 * @example
 * ```ts
 * import { maskFromLabel, readNrrd, removeOutliers } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"));
 * const intensityMask = removeOutliers(image, mask); // μ ± 3σ
 * ```
 */
export function removeOutliers(image: Volume, mask: Mask, sigmas = 3): Mask {
  if (!(sigmas > 0) || !Number.isFinite(sigmas)) {
    throw new RadiomicsError(
      "settings",
      `Outlier filtering needs a positive number of standard deviations, not ${sigmas}`,
      {
        path: "sigmas",
        hint: "IBSI uses 3 (μ ± 3σ).",
      },
    );
  }
  const stats = requireVoxels(image, mask, "filter for outliers");
  return keepRange(
    image,
    mask,
    stats,
    stats.mean - sigmas * stats.sd,
    stats.mean + sigmas * stats.sd,
    1,
    `Outlier filtering (μ ± ${sigmas}σ, μ = ${stats.mean}, σ = ${stats.sd}) to`,
  );
}

/** pyradiomics' `resegmentMode`: thresholds in image units, as fractions of the ROI maximum, or in SDs from the mean. */
export type PyradiomicsResegmentMode = "absolute" | "relative" | "sigma";

/** Options of {@link resegmentPyradiomics} (pyradiomics' `resegmentRange` and `resegmentMode`). */
export interface PyradiomicsResegmentOptions {
  /** One threshold (a lower bound) or two (a closed range; pyradiomics sorts them). */
  readonly range: readonly [number] | readonly [number, number];
  /** Default `absolute`, as pyradiomics'. */
  readonly mode?: PyradiomicsResegmentMode;
}

/**
 * Re-segmentation as pyradiomics' `imageoperations.resegmentMask`. It differs from
 * {@link resegment} and {@link removeOutliers} in that:
 * - one threshold is a lower bound only, two are sorted before use;
 * - `relative` thresholds are fractions of the ROI's maximum (`0.5` keeps voxels ≥ half of it);
 * - `sigma` thresholds are `μ + t σ` with the population SD (so `[-3, 3]` is IBSI's outlier
 *   filter);
 * - pyradiomics refuses a result with one voxel or none, so this throws unless at least 2 remain.
 *
 * @returns A new mask, the intensity mask.
 * @throws {@link RadiomicsError} `settings` for a range of other than 1 or 2 finite numbers;
 *   `geometry` when the grids differ; `empty-roi` when fewer than 2 voxels are left.
 *
 * @example
 * ```ts
 * import { maskFromLabel, readNrrd, resegmentPyradiomics } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"));
 * const intensityMask = resegmentPyradiomics(image, mask, { range: [-3, 3], mode: "sigma" });
 * ```
 */
export function resegmentPyradiomics(image: Volume, mask: Mask, options: PyradiomicsResegmentOptions): Mask {
  const range = [...options.range] as number[];
  if (range.length < 1 || range.length > 2 || range.some((t) => !Number.isFinite(t))) {
    throw new RadiomicsError(
      "settings",
      `resegmentRange must hold one or two finite numbers, not [${range.join(", ")}]`,
      {
        path: "resegmentRange",
        hint: "For example [-3, 3] with mode sigma, or [-1000, 400] with mode absolute.",
      },
    );
  }
  const mode = options.mode ?? "absolute";
  const stats = requireVoxels(image, mask, "re-segment");
  const sorted = range.sort((a, b) => a - b);
  const thresholds =
    mode === "absolute"
      ? sorted
      : mode === "relative"
        ? sorted.map((t) => stats.max * t)
        : sorted.map((t) => stats.mean + stats.sd * t);
  const lower = thresholds[0]!;
  const upper = thresholds.length === 2 ? thresholds[1]! : Infinity;
  return keepRange(image, mask, stats, lower, upper, 2, `pyradiomics re-segmentation (${mode} mode) to`);
}
