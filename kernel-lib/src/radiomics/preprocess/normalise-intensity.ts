import { RadiomicsError } from "../radiomics-error";
import { assertSameGrid, gridOf, type Mask, type Volume } from "../image/volume";

/**
 * How intensities are normalised (for images in arbitrary units, typically MRI):
 * - `z-score`: `scale * (x - μ) / σ` with μ and the population σ (divided by n) of the ROI
 *   when a mask is given, else of the whole image;
 * - `pyradiomics`: pyradiomics' `normalize` (`imageoperations.normalizeImage`, which calls
 *   SimpleITK's `Normalize`): μ and σ always of the whole image, never the ROI, and σ the
 *   sample standard deviation (divided by n - 1, as ITK's `StatisticsImageFilter`), applied as
 *   `((x - μ) * (1 / σ)) * scale`.
 */
export type IntensityNormalisation = "z-score" | "pyradiomics";

/** Options of {@link normaliseIntensity}. */
export interface NormaliseOptions {
  readonly method: IntensityNormalisation;
  /** Multiplies the normalised values (pyradiomics' `normalizeScale`). Default 1. */
  readonly scale?: number;
  /**
   * Clips the normalised values to ±`removeOutliers` standard deviations before `scale` is
   * applied (pyradiomics' `removeOutliers`). Default: no clipping.
   */
  readonly removeOutliers?: number;
}

/**
 * Kahan-compensated sums of the values and of their squares over the selected voxels (ITK's
 * `StatisticsImageFilter` sums with `CompensatedSummation`, the same scheme).
 */
function moments(image: Volume, mask: Mask | undefined): { count: number; sum: number; squares: number } {
  const data = image.data;
  const inside = mask?.data;
  let count = 0;
  let sum = 0;
  let sumC = 0;
  let squares = 0;
  let squaresC = 0;
  for (let n = 0; n < data.length; n++) {
    if (inside !== undefined && inside[n] === 0) continue;
    const v = data[n]!;
    count++;
    const y = v - sumC;
    const t = sum + y;
    sumC = t - sum - y;
    sum = t;
    const y2 = v * v - squaresC;
    const t2 = squares + y2;
    squaresC = t2 - squares - y2;
    squares = t2;
  }
  return { count, sum, squares };
}

/**
 * The population standard deviation (divided by n, as numpy.std) of the `count` intensities inside
 * `mask` (or of the whole image) around their `mean`, in a second pass over the voxels.
 */
export function populationSd(image: Volume, mask: Mask | undefined, mean: number, count: number): number {
  let squares = 0;
  for (let n = 0; n < image.data.length; n++) {
    if (mask !== undefined && mask.data[n] === 0) continue;
    const d = image.data[n]! - mean;
    squares += d * d;
  }
  return Math.sqrt(squares / count);
}

/**
 * Normalises an image's intensities (MRI intensity normalisation; pyradiomics' `normalize`,
 * `normalizeScale` and `removeOutliers`). See {@link IntensityNormalisation} for the two
 * methods and how they differ: pyradiomics normalises over the whole image with the sample SD,
 * `z-score` over the ROI (or the image) with the population SD.
 *
 * @param image - The image (not modified).
 * @param mask - The ROI whose statistics `z-score` uses, or `undefined` for the whole image.
 *   `pyradiomics` always uses the whole image, so it refuses a mask rather than ignore it.
 * @returns A new volume on the same grid.
 * @throws {@link RadiomicsError} `settings` for a scale or outlier limit that is not positive,
 *   or a mask given to `pyradiomics`; `geometry` when the mask's grid differs; `empty-roi` for an
 *   empty mask; `input` when the intensities are constant (σ = 0).
 *
 * @example
 * ```ts
 * import { normaliseIntensity, readNrrd } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const normalised = normaliseIntensity(image, undefined, { method: "pyradiomics", scale: 100 });
 * ```
 */
export function normaliseIntensity(image: Volume, mask: Mask | undefined, options: NormaliseOptions): Volume {
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new RadiomicsError("settings", `The normalisation scale must be a positive number, not ${scale}`, {
      path: "scale",
      hint: "pyradiomics' normalizeScale is 1 by default; 100 is common for MRI.",
    });
  }
  const limit = options.removeOutliers;
  if (limit !== undefined && (!(limit > 0) || !Number.isFinite(limit))) {
    throw new RadiomicsError(
      "settings",
      `removeOutliers must be a positive number of standard deviations, not ${limit}`,
      {
        path: "removeOutliers",
        hint: "Leave it out to keep all values, or use for example 3.",
      },
    );
  }
  if (options.method === "pyradiomics" && mask !== undefined) {
    throw new RadiomicsError(
      "settings",
      "pyradiomics normalises over the whole image, not the ROI, so it takes no mask",
      {
        path: "mask",
        hint: 'Pass undefined as the mask for method "pyradiomics", or use method "z-score" to normalise with the ROI\'s statistics.',
      },
    );
  }
  if (mask !== undefined) assertSameGrid(image, mask);
  const { count, sum, squares } = moments(image, mask);
  if (count === 0) {
    throw new RadiomicsError("empty-roi", "The mask has no voxel to take the normalisation statistics from", {
      ...(mask?.source === undefined ? {} : { file: mask.source }),
      hint: "Check the mask label, or pass undefined to normalise with the whole image's statistics.",
    });
  }
  const mean = sum / count;
  const sd =
    options.method === "pyradiomics"
      ? Math.sqrt((squares - (sum * sum) / count) / (count - 1))
      : populationSd(image, mask, mean, count);
  if (!(sd > 0)) {
    throw new RadiomicsError(
      "input",
      `The ${mask === undefined ? "image's" : "ROI's"} intensities are constant (${mean}), so they cannot be normalised`,
      {
        ...(image.source === undefined ? {} : { file: image.source }),
        hint: "Normalisation divides by the standard deviation; check that the right image (and ROI) was loaded.",
      },
    );
  }
  const data = new Float64Array(image.data.length);
  const source = image.data;
  // pyradiomics (SimpleITK's ShiftScale) multiplies by 1 / σ; z-score divides by σ.
  const factor = options.method === "pyradiomics" ? 1.0 / sd : sd;
  const multiply = options.method === "pyradiomics";
  if (limit === undefined) {
    for (let n = 0; n < data.length; n++) {
      const d = source[n]! - mean;
      data[n] = (multiply ? d * factor : d / factor) * scale;
    }
  } else {
    for (let n = 0; n < data.length; n++) {
      const d = source[n]! - mean;
      const z = multiply ? d * factor : d / factor;
      data[n] = (z > limit ? limit : z < -limit ? -limit : z) * scale;
    }
  }
  return {
    ...gridOf(image),
    data,
    ...(image.source === undefined ? {} : { source: image.source }),
  };
}
