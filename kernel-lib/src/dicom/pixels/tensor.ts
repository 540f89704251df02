import * as tf from "@tensorflow/tfjs-core";
import type { PixelArray } from "./pixel-array";

/**
 * The pixels of a {@link PixelArray} as a float32 tfjs tensor of shape
 * `[frames, rows, columns, samplesPerPixel]`, on the active tfjs backend.
 *
 * The caller owns the tensor and must dispose it (`tensor.dispose()`, or create it inside
 * `tf.tidy`); radlab keeps no reference to it.
 *
 * @example
 * ```ts
 * import { pixelArray, readDicomFile, toTensor } from "@radlab/kernel";
 * const t = toTensor(await pixelArray(readDicomFile("CT_small.dcm")));
 * t.shape; // [1, 128, 128, 1]
 * t.dispose();
 * ```
 */
export function toTensor(array: PixelArray): tf.Tensor4D {
  return tf.tensor4d(array.data, [...array.shape], "float32");
}
