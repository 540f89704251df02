import { RadiomicsError } from "../radiomics-error";
import { gridOf, type Mask, type Volume, type VoxelGrid } from "../image/volume";

/**
 * How intensities become grey levels before texture and histogram features (IBSI 2.7):
 * - `fixed-bin-number`: `bins` equal-width bins between the ROI minimum and maximum (FBN);
 * - `fixed-bin-width`: bins `binWidth` wide starting at `lowerBound` (the re-segmentation
 *   lower bound, or the ROI minimum when absent) (FBS);
 * - `pyradiomics-bin-width`: pyradiomics' `binWidth`, bins aligned on multiples of the width
 *   (edges at `floor(min / binWidth) * binWidth + n * binWidth`);
 * - `none`: the intensities are already integer grey levels 1..N (for example the IBSI
 *   digital phantom); `levels` sets N (default: the ROI maximum).
 */
export type Discretisation =
  | { readonly kind: "fixed-bin-number"; readonly bins: number }
  | { readonly kind: "fixed-bin-width"; readonly binWidth: number; readonly lowerBound?: number }
  | { readonly kind: "pyradiomics-bin-width"; readonly binWidth: number }
  | { readonly kind: "none"; readonly levels?: number };

/**
 * An ROI's voxels as grey levels: `levels[n]` is 1..`levelCount` inside the intensity mask
 * and 0 outside. Texture matrices (GLCM, GLRLM, ...) are built from this.
 */
export interface DiscretisedRoi extends VoxelGrid {
  readonly levels: Int32Array;
  /** Ng: the number of grey levels the discretisation defines (not only those present). */
  readonly levelCount: number;
  /** The intensity at the lower edge of grey level 1 and the bin width (FBS) or `undefined`. */
  readonly lowerEdge: number;
  readonly binWidth: number | undefined;
}

/** Bin counts outside this range are usually a mistake; {@link discretisationAdvice} says why. */
export const REASONABLE_BIN_COUNT = Object.freeze({ min: 8, max: 256 });

function roiRange(image: Volume, mask: Mask): { min: number; max: number; count: number } {
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let n = 0; n < mask.data.length; n++) {
    if (mask.data[n] === 0) continue;
    const v = image.data[n]!;
    if (v < min) min = v;
    if (v > max) max = v;
    count++;
  }
  return { min, max, count };
}

/**
 * Discretises the intensities inside `mask` (IBSI 2.7 and pyradiomics' `binImage`).
 *
 * @throws {@link RadiomicsError} `empty-roi` when the mask is empty, `settings` for a bin count
 *   or width that is not positive, or, with `none`, intensities that are not integers from 1.
 *
 * @example
 * ```ts
 * import { discretise, readNrrd, maskFromLabel } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"), 1);
 * const roi = discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth: 25 });
 * roi.levelCount; // 33
 * ```
 */
export function discretise(image: Volume, mask: Mask, method: Discretisation): DiscretisedRoi {
  const { min, max, count } = roiRange(image, mask);
  if (count === 0) {
    throw new RadiomicsError("empty-roi", "The intensity mask has no voxel to discretise", {
      ...(mask.source === undefined ? {} : { file: mask.source }),
      hint: "Check the mask label and the re-segmentation range: together they left no voxel.",
    });
  }
  const levels = new Int32Array(mask.data.length);
  let levelCount: number;
  let lowerEdge = min;
  let binWidth: number | undefined;
  const each = (f: (v: number) => number): void => {
    for (let n = 0; n < levels.length; n++) if (mask.data[n] !== 0) levels[n] = f(image.data[n]!);
  };
  switch (method.kind) {
    case "fixed-bin-number": {
      const bins = method.bins;
      if (!Number.isInteger(bins) || bins < 1) {
        throw new RadiomicsError("settings", `A fixed bin number must be a positive integer, not ${bins}`, {
          path: "discretisation.bins",
          hint: "Use between 8 and 256 bins; 32 or 64 are common.",
        });
      }
      const span = max - min;
      each((v) => (span === 0 ? 1 : Math.min(bins, Math.floor((bins * (v - min)) / span) + 1)));
      levelCount = bins;
      break;
    }
    case "fixed-bin-width": {
      binWidth = method.binWidth;
      if (!(binWidth > 0)) {
        throw new RadiomicsError("settings", `A bin width must be positive, not ${binWidth}`, {
          path: "discretisation.binWidth",
          hint: "Use a width in the image's units, for example 25 HU for CT.",
        });
      }
      lowerEdge = method.lowerBound ?? min;
      if (min < lowerEdge) {
        throw new RadiomicsError(
          "settings",
          `The ROI holds intensities down to ${min}, below the bin width's lower bound ${lowerEdge}: they would have no grey level`,
          {
            path: "discretisation.lowerBound",
            hint: `Re-segment the ROI to start at ${lowerEdge} (IBSI: the lower bound is the re-segmentation range's minimum), or lower the bound.`,
          },
        );
      }
      const width = binWidth;
      each((v) => Math.floor((v - lowerEdge) / width) + 1);
      levelCount = Math.floor((max - lowerEdge) / width) + 1;
      break;
    }
    case "pyradiomics-bin-width": {
      binWidth = method.binWidth;
      if (!(binWidth > 0)) {
        throw new RadiomicsError("settings", `A bin width must be positive, not ${binWidth}`, {
          path: "discretisation.binWidth",
          hint: "pyradiomics' default is 25.",
        });
      }
      const width = binWidth;
      // Python's float modulo (the sign of the divisor), as pyradiomics' `minimum % binWidth`.
      const r = min % width;
      lowerEdge = min - (r !== 0 && r < 0 !== width < 0 ? r + width : r);
      // np.arange(low, max + 2 * width, width), then np.digitize: edges computed as pyradiomics does.
      const edgeCount = Math.ceil((max + 2 * width - lowerEdge) / width);
      const edges = Float64Array.from({ length: edgeCount }, (_, n) => lowerEdge + n * width);
      each((v) => {
        let lo = 0;
        let hi = edges.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (edges[mid]! <= v) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      });
      levelCount = 0;
      for (let n = 0; n < levels.length; n++) if (levels[n]! > levelCount) levelCount = levels[n]!;
      break;
    }
    case "none": {
      for (let n = 0; n < levels.length; n++) {
        if (mask.data[n] === 0) continue;
        const v = image.data[n]!;
        if (!Number.isInteger(v) || v < 1) {
          throw new RadiomicsError(
            "settings",
            `Discretisation "none" needs integer grey levels from 1, but voxel ${n} holds ${v}`,
            {
              path: "discretisation.kind",
              hint: 'Discretise with { kind: "fixed-bin-width", binWidth } or { kind: "fixed-bin-number", bins }.',
            },
          );
        }
        levels[n] = v;
      }
      levelCount = method.levels ?? max;
      lowerEdge = 1;
      binWidth = 1;
      break;
    }
  }
  return {
    ...gridOf(image),
    levels,
    levelCount,
    lowerEdge,
    binWidth,
  };
}

/**
 * Says, in a sentence, when a discretisation gives an unreasonable number of grey levels for an
 * ROI (fewer than 8 loses texture; more than 256 makes sparse, noisy matrices), or `undefined`.
 *
 * @example
 * ```ts
 * import { discretisationAdvice } from "@radlab/kernel";
 * discretisationAdvice(1200, { kind: "fixed-bin-width", binWidth: 1 });
 * // "A bin width of 1 gives 1200 grey levels ..."
 * ```
 */
export function discretisationAdvice(levelCount: number, method: Discretisation): string | undefined {
  if (method.kind === "none") return undefined;
  const what = method.kind === "fixed-bin-number" ? `${method.bins} bins` : `A bin width of ${method.binWidth}`;
  if (levelCount > REASONABLE_BIN_COUNT.max) {
    return `${what} gives ${levelCount} grey levels, more than ${REASONABLE_BIN_COUNT.max}: texture matrices will be sparse and their features noisy. Use a wider bin (or fewer bins) so that the ROI spans 16 to 128 levels.`;
  }
  if (levelCount < REASONABLE_BIN_COUNT.min) {
    return `${what} gives only ${levelCount} grey level(s), fewer than ${REASONABLE_BIN_COUNT.min}: most texture is lost. Use a narrower bin (or more bins) so that the ROI spans 16 to 128 levels.`;
  }
  return undefined;
}
