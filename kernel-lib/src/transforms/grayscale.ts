import type { TransformImage } from "./transform-image";

/**
 * Make a single-channel MONOCHROME2 image:
 *
 * - RGB becomes luminance with the ITU-R BT.601 weights {@link LUMA_WEIGHTS}
 *   (`0.299 R + 0.587 G + 0.114 B`), the weights of PIL's `convert("L")` and OpenCV's
 *   `COLOR_RGB2GRAY`, so images match models trained through either;
 * - MONOCHROME1 is inverted within its own range (`min + max - value`), so bright is dense and
 *   the values keep their range;
 * - MONOCHROME2 is copied unchanged.
 *
 * @example
 * ```ts
 * import type { GrayscaleStep } from "@radlab/kernel";
 * const step: GrayscaleStep = { kind: "grayscale" };
 * ```
 */
export interface GrayscaleStep {
  readonly kind: "grayscale";
}

/** The ITU-R BT.601 luma weights of R, G and B used by {@link grayscaleImage}; they sum to 1. */
export const LUMA_WEIGHTS: readonly [number, number, number] = Object.freeze([0.299, 0.587, 0.114] as const);

/**
 * Implements {@link GrayscaleStep}.
 *
 * @returns A new single-channel MONOCHROME2 image.
 * @example
 * ```ts
 * import { grayscaleImage } from "@radlab/kernel";
 * const rgb = { data: new Float32Array([255, 0, 0, 0, 0, 255]), shape: [1, 2, 3], photometricInterpretation: "RGB" } as const;
 * grayscaleImage(rgb, { kind: "grayscale" }).data; // Float32Array [76.245, 29.07] (as float32)
 * ```
 */
export function grayscaleImage(image: TransformImage, _step: GrayscaleStep): TransformImage {
  const [rows, columns, channels] = image.shape;
  const source = image.data;
  const data = new Float32Array(rows * columns);
  if (channels === 3) {
    const [wr, wg, wb] = LUMA_WEIGHTS;
    for (let p = 0; p < data.length; p++) {
      data[p] = wr * (source[3 * p] ?? 0) + wg * (source[3 * p + 1] ?? 0) + wb * (source[3 * p + 2] ?? 0);
    }
  } else if (image.photometricInterpretation === "MONOCHROME1") {
    let min = Infinity;
    let max = -Infinity;
    for (const v of source) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    for (let p = 0; p < data.length; p++) data[p] = min + max - (source[p] ?? 0);
  } else {
    data.set(source);
  }
  return { data, shape: [rows, columns, 1], photometricInterpretation: "MONOCHROME2" };
}
