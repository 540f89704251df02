import type { DicomDataset } from "../dataset";
import { decodeFrame } from "./decode-frame";
import { imagePixelInfo } from "./image-pixel-info";
import { modalityValues } from "./lut";

/** Every frame of an image as one array, with its shape and physical spacing. */
export interface PixelArray {
  /**
   * Row-major values, frame after frame: modality values (for CT, Hounsfield units) for greyscale,
   * RGB samples 0..255 (or the stored range) for colour.
   */
  readonly data: Float32Array;
  /** `[frames, rows, columns, samplesPerPixel]`. */
  readonly shape: readonly [number, number, number, number];
  /**
   * Millimetres between pixel centres `[row, column]` from (0028,0030) Pixel Spacing, else
   * (0018,1164) Imager Pixel Spacing; `null` when the file gives neither.
   */
  readonly pixelSpacing: readonly [number, number] | null;
  /** (0018,0050) Slice Thickness in mm, or `null`. */
  readonly sliceThickness: number | null;
  /** `MONOCHROME1`, `MONOCHROME2` or `RGB`. */
  readonly photometricInterpretation: string;
}

/**
 * Decodes every frame (or the given ones) into one float array with shape and spacing: the input
 * of preprocessing, radiomics and training.
 *
 * @param frames - 0-based frame numbers (default: all).
 * @throws {@link DicomError} as {@link decodeFrame} does.
 * @example
 * ```ts
 * import { pixelArray, readDicomFile } from "@radlab/kernel";
 * const ct = await pixelArray(readDicomFile("CT_small.dcm"));
 * ct.shape; // [1, 128, 128, 1]
 * ```
 */
export async function pixelArray(ds: DicomDataset, frames?: readonly number[]): Promise<PixelArray> {
  const info = imagePixelInfo(ds);
  const wanted = frames ?? Array.from({ length: info.numberOfFrames }, (_, i) => i);
  let data = new Float32Array(0);
  let samplesPerPixel = info.samplesPerPixel;
  let photometric = info.photometricInterpretation;
  for (const [n, index] of wanted.entries()) {
    const frame = await decodeFrame(ds, index);
    const values = frame.samplesPerPixel === 1 ? modalityValues(ds, frame) : Float32Array.from(frame.samples);
    if (n === 0) {
      data = new Float32Array(values.length * wanted.length);
      samplesPerPixel = frame.samplesPerPixel;
      photometric = frame.photometricInterpretation;
    }
    data.set(values, n * values.length);
  }
  const spacing = ds.has("PixelSpacing") ? ds.numbers("PixelSpacing") : ds.numbers("ImagerPixelSpacing");
  return {
    data,
    shape: [wanted.length, info.rows, info.columns, samplesPerPixel],
    pixelSpacing: spacing.length >= 2 ? [spacing[0] ?? 0, spacing[1] ?? 0] : null,
    sliceThickness: ds.number("SliceThickness") ?? null,
    photometricInterpretation: photometric,
  };
}
