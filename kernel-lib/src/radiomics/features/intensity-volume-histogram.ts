import type { Mask, Volume } from "../image/volume";
import { discretise } from "../preprocess/discretise";
import { RadiomicsError } from "../radiomics-error";
import { roiIntensities } from "./roi-intensities";

/**
 * How intensities become the discretised intensities of the intensity-volume histogram (IBSI 1,
 * section 3.5), following IBSI's recommendation per kind of data. `lowerBound` and `upperBound` are
 * the re-segmentation range that was applied to the intensity mask, when there was one (either may
 * be left out for a half-open range: the ROI minimum or maximum takes its place).
 *
 * - `none`: calibrated, discrete intensities (CT in HU; the digital phantom). The intensities are
 *   used as they are, with step w_d = 1; they and the bounds must be integers. The range G is
 *   [lowerBound, upperBound].
 * - `fixed-bin-width`: calibrated, continuous intensities (PET SUV; for example `binWidth` 0.1).
 *   Bins `binWidth` wide start at X_min = lowerBound and reach X_max = upperBound; each voxel takes
 *   the centre of its bin, X_min + (bin - 0.5) w_b, and w_d = w_b. There are
 *   ceil((X_max - X_min) / w_b) bins (at least one), the last one closed on the right so that X_max
 *   falls inside it, and G runs from the first to the last bin centre, which is IBSI's
 *   [X_min + w_b / 2, X_max - w_b / 2] when the range is a whole number of bins.
 * - `fixed-bin-number`: arbitrary units (most MRI). `bins` equal bins between the ROI minimum and
 *   maximum (IBSI recommends 1000); the bin numbers are used, w_d = 1 and G = [1, bins].
 */
export type IvhDiscretisation =
  | { readonly kind: "none"; readonly lowerBound?: number; readonly upperBound?: number }
  | {
      readonly kind: "fixed-bin-width";
      readonly binWidth: number;
      readonly lowerBound?: number;
      readonly upperBound?: number;
    }
  | { readonly kind: "fixed-bin-number"; readonly bins: number };

/** More unit steps than any calibrated integer modality spans (CT: about 4000 HU); a guard on memory. */
const MAX_IVH_LEVELS = 1 << 20;

/** The IVH as counts over the discretised intensities i_k = first + k * step, k = 0..counts.length - 1. */
interface IvhGrid {
  readonly first: number;
  readonly step: number;
  readonly counts: Float64Array;
}

function boundsOf(
  values: Float64Array,
  method: { readonly lowerBound?: number; readonly upperBound?: number },
): { lower: number; upper: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const lower = method.lowerBound ?? min;
  const upper = method.upperBound ?? max;
  if (!Number.isFinite(lower) || !Number.isFinite(upper) || lower > upper) {
    throw new RadiomicsError(
      "settings",
      `The IVH range must be finite with lowerBound <= upperBound, not [${lower}, ${upper}]`,
      {
        path: "discretisation.lowerBound",
        hint: "Pass the re-segmentation range that was applied, for example lowerBound -1000 and upperBound 400 HU; leave a bound out for a half-open range.",
      },
    );
  }
  if (min < lower || max > upper) {
    throw new RadiomicsError(
      "settings",
      `The ROI holds intensities from ${min} to ${max}, outside the re-segmentation range [${lower}, ${upper}]`,
      {
        path: min < lower ? "discretisation.lowerBound" : "discretisation.upperBound",
        hint: "Re-segment the mask with the same range before computing IVH features, or pass the range that was used.",
      },
    );
  }
  return { lower, upper };
}

function ivhGrid(image: Volume, mask: Mask, method: IvhDiscretisation): IvhGrid {
  const values = roiIntensities(image, mask);
  switch (method.kind) {
    case "none": {
      for (let k = 0; k < values.length; k++) {
        if (!Number.isInteger(values[k])) {
          throw new RadiomicsError(
            "settings",
            `IVH without discretisation needs integer intensities, but one is ${values[k]}`,
            {
              path: "discretisation.kind",
              hint: 'Use { kind: "fixed-bin-width", binWidth } (for example 0.1 SUV for PET) or { kind: "fixed-bin-number", bins: 1000 }.',
            },
          );
        }
      }
      const { lower, upper } = boundsOf(values, method);
      if (!Number.isInteger(lower) || !Number.isInteger(upper)) {
        throw new RadiomicsError(
          "settings",
          `IVH without discretisation steps by 1 from an integer range, but the range is [${lower}, ${upper}]`,
          {
            path: "discretisation.lowerBound",
            hint: 'Use integer bounds, or { kind: "fixed-bin-width", binWidth } for continuous intensities.',
          },
        );
      }
      if (upper - lower >= MAX_IVH_LEVELS) {
        throw new RadiomicsError(
          "settings",
          `IVH without discretisation would step through ${upper - lower + 1} intensities from ${lower} to ${upper}`,
          {
            path: "discretisation.kind",
            hint: 'These are not CT numbers; use { kind: "fixed-bin-number", bins: 1000 } or a fixed bin width.',
          },
        );
      }
      const counts = new Float64Array(upper - lower + 1);
      for (let k = 0; k < values.length; k++) counts[values[k]! - lower]!++;
      return { first: lower, step: 1, counts };
    }
    case "fixed-bin-width": {
      const width = method.binWidth;
      if (!(width > 0) || !Number.isFinite(width)) {
        throw new RadiomicsError("settings", `An IVH bin width must be positive, not ${width}`, {
          path: "discretisation.binWidth",
          hint: "Use a width small relative to the intensity range, for example 0.1 SUV for FDG-PET.",
        });
      }
      const { lower, upper } = boundsOf(values, method);
      const binCount = Math.max(1, Math.ceil((upper - lower) / width));
      if (binCount > MAX_IVH_LEVELS) {
        throw new RadiomicsError(
          "settings",
          `A bin width of ${width} gives ${binCount} IVH bins from ${lower} to ${upper}`,
          {
            path: "discretisation.binWidth",
            hint: "Use a wider bin (IBSI suggests 0.1 SUV for FDG-PET) or a fixed bin number.",
          },
        );
      }
      const roi = discretise(image, mask, { kind: "fixed-bin-width", binWidth: width, lowerBound: lower });
      const counts = new Float64Array(binCount);
      const inside = mask.data;
      for (let n = 0; n < inside.length; n++) {
        if (inside[n] === 0) continue;
        counts[Math.min(binCount, roi.levels[n]!) - 1]!++;
      }
      return { first: lower + width / 2, step: width, counts };
    }
    case "fixed-bin-number": {
      const roi = discretise(image, mask, { kind: "fixed-bin-number", bins: method.bins });
      const counts = new Float64Array(roi.levelCount);
      const inside = mask.data;
      for (let n = 0; n < inside.length; n++) if (inside[n] !== 0) counts[roi.levels[n]! - 1]!++;
      return { first: 1, step: 1, counts };
    }
    default: {
      // Reachable only through a cast or untyped caller; fail loudly rather than guess.
      const kind = (method as { readonly kind?: unknown }).kind;
      throw new RadiomicsError("settings", `Unknown IVH discretisation kind ${JSON.stringify(kind)}`, {
        path: "discretisation.kind",
        hint: 'Use "none" (CT, integer intensities), "fixed-bin-width" (PET) or "fixed-bin-number" (MRI).',
      });
    }
  }
}

/**
 * IBSI intensity-volume histogram features (IBSI 1, section 3.5, family P88C), keyed by IBSI tag.
 *
 * Over the discretised intensities i_0 < i_1 < ... < i_K of the range G (every step of w_d, also
 * intensities no voxel has), the volume fraction is nu_k = 1 - (voxels below i_k) / N_v and the
 * intensity fraction gamma_k = k / K (that is (i_k - min G) / (max G - min G)); nu is computed as
 * (voxels at or above i_k) / N_v, which rounds once (0.0946 for 7 / 74 exactly). Then:
 * - `ivh_v10`, `ivh_v90`: the largest nu with gamma >= 10 % (90 %);
 * - `ivh_i10`, `ivh_i90`: the smallest intensity i with nu <= 10 % (90 %);
 * - `ivh_diff_v10_v90` = V10 - V90 and `ivh_diff_i10_i90` = I10 - I90;
 * - `ivh_auc`: the area under nu(gamma) by the trapezoidal rule (0 for a single intensity). IBSI-1
 *   gives no reference value in its table (0.32 for the phantom in the manual's text).
 *
 * Beyond the top of G no voxel remains (nu = 0), which settles the edge cases: V_x is 0 when no
 * intensity has gamma >= x (G is a single intensity), and I_x is max G + w_d when even the top
 * intensity holds more than x of the volume.
 *
 * @param image - The image (intensities in modality units), after any re-segmentation.
 * @param intensityMask - The ROI intensity mask on the image grid.
 * @param discretisation - How to discretise ({@link IvhDiscretisation}): `{ kind: "none" }` for CT
 *   and for the IBSI-1 digital phantom (its intensities are already grey levels with unit step),
 *   `fixed-bin-width` for PET, `fixed-bin-number` for MRI.
 * @returns The 7 `ivh_*` features.
 * @throws {@link RadiomicsError} `geometry`, `empty-roi` or `input` as {@link roiIntensities};
 *   `settings` for non-integer intensities or bounds with `none`, a bin width or count that is not
 *   positive, bounds that are not finite or not ordered, ROI intensities outside the bounds, or an
 *   unknown `kind`.
 *
 * @example
 * ```ts
 * import { intensityVolumeHistogramFeatures, maskFromLabel, readNrrd } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"), 1);
 * const ivh = intensityVolumeHistogramFeatures(image, mask, { kind: "fixed-bin-number", bins: 1000 });
 * ivh.ivh_v10; // the volume fraction above 10 % of the intensity range
 * ```
 */
export function intensityVolumeHistogramFeatures(
  image: Volume,
  intensityMask: Mask,
  discretisation: IvhDiscretisation,
): Record<string, number> {
  const { first, step, counts } = ivhGrid(image, intensityMask, discretisation);
  const levelCount = counts.length;
  const last = levelCount - 1;
  let total = 0;
  for (let k = 0; k < levelCount; k++) total += counts[k]!;

  const intensityAt = (k: number): number => first + k * step;
  const nu = new Float64Array(levelCount);
  let below = 0;
  for (let k = 0; k < levelCount; k++) {
    nu[k] = (total - below) / total;
    below += counts[k]!;
  }
  // gamma_k = k / last from the integer k (bin centres in floating point could put 0.9 at 0.8999...);
  // nu falls with k, so the largest nu with gamma >= x is at the first such k.
  const volumeAt = (x: number): number => {
    for (let k = 0; k <= last; k++) if (last > 0 && k / last >= x) return nu[k]!;
    return 0;
  };
  const intensityAtVolume = (x: number): number => {
    for (let k = 0; k <= last; k++) if (nu[k]! <= x) return intensityAt(k);
    return intensityAt(levelCount);
  };
  let auc = 0;
  for (let k = 1; k <= last; k++) auc += (nu[k - 1]! + nu[k]!) / 2 / last;

  const v10 = volumeAt(0.1);
  const v90 = volumeAt(0.9);
  const i10 = intensityAtVolume(0.1);
  const i90 = intensityAtVolume(0.9);
  return {
    ivh_v10: v10,
    ivh_v90: v90,
    ivh_i10: i10,
    ivh_i90: i90,
    ivh_diff_v10_v90: v10 - v90,
    ivh_diff_i10_i90: i10 - i90,
    ivh_auc: auc,
  };
}
