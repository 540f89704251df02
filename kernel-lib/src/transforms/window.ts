import { RadlabError } from "../core/radlab-error";
import type { DicomDataset } from "../dicom/dataset";
import {
  applyWindow,
  autoWindow,
  CT_WINDOW_PRESETS,
  fileVoiLut,
  fileWindows,
  type CtWindowPreset,
  type WindowLevel,
} from "../dicom/pixels/lut";
import type { TransformImage } from "./transform-image";

/**
 * Map modality values through a VOI window to 0..255 (PS3.3 C.11.2.1.2, function LINEAR), as a
 * viewer displays them; MONOCHROME1 images are inverted so that the result reads MONOCHROME2.
 * The window comes from `source`:
 *
 * - `values`: an explicit `center` and `width` in modality units (for CT, Hounsfield units);
 * - `preset`: a standard CT window by name (`CT_WINDOW_PRESETS`: `brain`, `lung`, `bone`...);
 * - `file`: the file's (0028,3010) VOI LUT Sequence, else its first (0028,1050) Window Center /
 *   (0028,1051) Window Width, else `auto` (the choice `renderFrame` makes for `file`);
 * - `auto`: the 0.5th to 99.5th percentile of the image's values.
 *
 * Must come before `grayscale`, `normalise`, `augment` and any other `window`: it reads modality
 * values.
 *
 * @example
 * ```ts
 * import type { WindowStep } from "@radlab/kernel";
 * const lung: WindowStep = { kind: "window", source: "preset", preset: "lung" };
 * const custom: WindowStep = { kind: "window", source: "values", center: 40, width: 400 };
 * ```
 */
export type WindowStep =
  | { readonly kind: "window"; readonly source: "values"; readonly center: number; readonly width: number }
  | { readonly kind: "window"; readonly source: "preset"; readonly preset: CtWindowPreset }
  | { readonly kind: "window"; readonly source: "file" }
  | { readonly kind: "window"; readonly source: "auto" };

/**
 * Implements {@link WindowStep} with `applyWindow`, `fileVoiLut`, `fileWindows` and `autoWindow`
 * (the functions the viewer uses, so a model sees what the reader saw).
 *
 * @param dataset - the file the image was decoded from; needed for `source: "file"` only.
 * @returns A new single-channel MONOCHROME2 image with values 0..255 (integers, except through a
 *   VOI LUT Sequence, which gives fractions).
 * @throws {@link RadlabError} `transform-input` for an RGB image (it has no modality values), or for
 *   `source: "file"` without a dataset.
 * @example
 * ```ts
 * import { windowImage } from "@radlab/kernel";
 * const hu = { data: new Float32Array([-1000, 40, 240]), shape: [1, 3, 1], photometricInterpretation: "MONOCHROME2" } as const;
 * windowImage(hu, { kind: "window", source: "values", center: 40, width: 400 }, null).data; // Float32Array [0, 128, 255]
 * ```
 */
export function windowImage(image: TransformImage, step: WindowStep, dataset: DicomDataset | null): TransformImage {
  const [rows, columns, channels] = image.shape;
  if (channels !== 1) {
    throw new RadlabError(
      "transform-input",
      `A window step needs a greyscale image; this one is ${image.photometricInterpretation}.`,
      {
        hint: "RGB images have no modality values: use grayscale and normalise instead of window.",
      },
    );
  }
  const invert = image.photometricInterpretation === "MONOCHROME1";
  const out = (data: Float32Array): TransformImage => ({
    data,
    shape: [rows, columns, 1],
    photometricInterpretation: "MONOCHROME2",
  });
  if (step.source === "file") {
    if (dataset === null) {
      throw new RadlabError(
        "transform-input",
        "A window step with source file needs the DICOM dataset the image came from.",
        {
          hint: "Start the pipeline with a decode step, or choose source values, preset or auto.",
        },
      );
    }
    const voiLut = fileVoiLut(dataset);
    if (voiLut !== null) {
      const data = new Float32Array(image.data.length);
      for (let i = 0; i < data.length; i++) {
        const g = voiLut(image.data[i] ?? 0);
        data[i] = invert ? 255 - g : g;
      }
      return out(data);
    }
  }
  const level: WindowLevel =
    step.source === "values"
      ? { center: step.center, width: step.width, label: "values" }
      : step.source === "preset"
        ? CT_WINDOW_PRESETS[step.preset]
        : step.source === "file" && dataset !== null
          ? (fileWindows(dataset)[0] ?? autoWindow(image.data))
          : autoWindow(image.data);
  return out(Float32Array.from(applyWindow(image.data, level, invert)));
}
