import type { DicomDataset } from "../dicom/dataset";
import { pixelArray } from "../dicom/pixels/pixel-array";
import type { TransformImage } from "./transform-image";

/**
 * Decode one frame of a DICOM dataset into a float image: greyscale as modality values (for CT,
 * Hounsfield units, through (0028,1052)/(0028,1053) Rescale Intercept/Slope or the Modality LUT
 * Sequence, PS3.3 C.11.1), colour as RGB samples. MONOCHROME1 images keep their photometric
 * interpretation: a later `window` or `grayscale` step inverts them so bright is dense.
 *
 * Only allowed as a pipeline's first step.
 *
 * @example
 * ```ts
 * import type { DecodeStep } from "@radlab/kernel";
 * const step: DecodeStep = { kind: "decode", frame: 0 };
 * ```
 */
export interface DecodeStep {
  readonly kind: "decode";
  /** The 0-based frame number (0 for single-frame images). */
  readonly frame: number;
}

/**
 * Implements {@link DecodeStep} with `pixelArray` (every transfer syntax radlab reads).
 *
 * @returns A new image of shape `[rows, columns, 1 | 3]`.
 * @throws {@link DicomError} `pixel-module` when the frame does not exist, and the other errors of
 *   `decodeFrame` (`no-pixel-data`, `unsupported-transfer-syntax`, `pixel-decode`).
 * @example
 * ```ts
 * import { decodeImage, readDicomFile } from "@radlab/kernel";
 * const image = await decodeImage(readDicomFile("CT_small.dcm"), { kind: "decode", frame: 0 });
 * image.shape; // [128, 128, 1], in Hounsfield units
 * ```
 */
export async function decodeImage(ds: DicomDataset, step: DecodeStep): Promise<TransformImage> {
  const pixels = await pixelArray(ds, [step.frame]);
  const [, rows, columns, channels] = pixels.shape;
  return {
    data: pixels.data,
    shape: [rows, columns, channels],
    photometricInterpretation:
      channels === 3 ? "RGB" : pixels.photometricInterpretation === "MONOCHROME1" ? "MONOCHROME1" : "MONOCHROME2",
  };
}
