import { RadlabError } from "../core/radlab-error";

/**
 * How an image's values read: `MONOCHROME1` (bright is low values, as some radiographs are
 * stored), `MONOCHROME2` (bright is high values) or `RGB` (three channels).
 */
export type TransformPhotometric = "MONOCHROME1" | "MONOCHROME2" | "RGB";

/**
 * The value every step takes and returns: a row-major image with interleaved channels.
 *
 * Steps never mutate an image; each returns a new one. `data.length` is always
 * `rows * columns * channels`.
 *
 * @example
 * ```ts
 * import type { TransformImage } from "@radlab/kernel";
 * const image: TransformImage = {
 *   data: new Float32Array([0, 1, 2, 3, 4, 5]),
 *   shape: [2, 3, 1],
 *   photometricInterpretation: "MONOCHROME2",
 * };
 * ```
 */
export interface TransformImage {
  /** Row-major values, channels interleaved (R,G,B,R,G,B for colour). */
  readonly data: Float32Array;
  /** `[rows, columns, channels]`; channels is 1 (greyscale) or 3 (RGB). */
  readonly shape: readonly [number, number, number];
  /** How the values read; a window or grayscale step turns MONOCHROME1 and RGB into MONOCHROME2. */
  readonly photometricInterpretation: TransformPhotometric;
}

/**
 * Checks that a value is a well-formed {@link TransformImage} (positive integer shape, 1 or 3
 * channels, `data.length` matching the shape), so that a hand-made input fails with a clear
 * message instead of reading past its end.
 *
 * @param where - what is being checked, for the message (for example `runPipeline input`).
 * @returns The same image.
 * @throws {@link RadlabError} `transform-input` when the image is malformed.
 * @example
 * ```ts
 * import { checkTransformImage } from "@radlab/kernel";
 * checkTransformImage({ data: new Float32Array(4), shape: [2, 2, 1], photometricInterpretation: "MONOCHROME2" }, "input");
 * ```
 */
export function checkTransformImage(image: TransformImage, where: string): TransformImage {
  const [rows, columns, channels] = image.shape;
  const positive = (n: number) => Number.isInteger(n) && n > 0;
  if (!(image.data instanceof Float32Array) || image.shape.length !== 3 || !positive(rows) || !positive(columns)) {
    throw new RadlabError(
      "transform-input",
      `${where} is not an image: it needs a Float32Array and a shape [rows, columns, channels].`,
      {
        hint: "Pass { data: Float32Array, shape: [rows, columns, channels], photometricInterpretation }.",
      },
    );
  }
  if (channels !== 1 && channels !== 3) {
    throw new RadlabError(
      "transform-input",
      `${where} has ${channels} channel(s); transforms handle 1 (greyscale) or 3 (RGB).`,
    );
  }
  if (image.data.length !== rows * columns * channels) {
    throw new RadlabError(
      "transform-input",
      `${where} holds ${image.data.length} values, but its shape [${rows}, ${columns}, ${channels}] needs ${rows * columns * channels}.`,
    );
  }
  const photometric = image.photometricInterpretation;
  if ((channels === 3) !== (photometric === "RGB") || !["MONOCHROME1", "MONOCHROME2", "RGB"].includes(photometric)) {
    throw new RadlabError(
      "transform-input",
      `${where} is ${String(photometric)} with ${channels} channel(s): RGB has 3 channels, MONOCHROME1 and MONOCHROME2 have 1.`,
    );
  }
  return image;
}
