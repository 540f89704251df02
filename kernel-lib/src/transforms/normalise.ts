import type { TransformImage } from "./transform-image";

/**
 * Scale an image's values, over all its pixels and channels together:
 *
 * - `minmax`: `(v - min) / (max - min)`, to 0..1 (a constant image gives 0);
 * - `zscore`: `(v - mean) / std` with the image's mean and population standard deviation (a
 *   constant image gives 0);
 * - `fixed`: `(v - mean) / std` with the given values (for example a training set's statistics).
 *
 * @example
 * ```ts
 * import type { NormaliseStep } from "@radlab/kernel";
 * const unit: NormaliseStep = { kind: "normalise", method: "minmax" };
 * const imagenetGrey: NormaliseStep = { kind: "normalise", method: "fixed", mean: 0.449, std: 0.226 };
 * ```
 */
export type NormaliseStep =
  | { readonly kind: "normalise"; readonly method: "minmax" }
  | { readonly kind: "normalise"; readonly method: "zscore" }
  | { readonly kind: "normalise"; readonly method: "fixed"; readonly mean: number; readonly std: number };

/**
 * Implements {@link NormaliseStep}; statistics are accumulated in double precision.
 *
 * @returns A new image of the same shape.
 * @example
 * ```ts
 * import { normaliseImage } from "@radlab/kernel";
 * const image = { data: new Float32Array([10, 20, 30]), shape: [1, 3, 1], photometricInterpretation: "MONOCHROME2" } as const;
 * normaliseImage(image, { kind: "normalise", method: "minmax" }).data; // Float32Array [0, 0.5, 1]
 * ```
 */
export function normaliseImage(image: TransformImage, step: NormaliseStep): TransformImage {
  const source = image.data;
  let offset: number;
  let scale: number;
  if (step.method === "minmax") {
    let min = Infinity;
    let max = -Infinity;
    for (const v of source) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    offset = min;
    scale = max > min ? max - min : Infinity;
  } else if (step.method === "zscore") {
    let sum = 0;
    for (const v of source) sum += v;
    const mean = sum / source.length;
    let squares = 0;
    for (const v of source) squares += (v - mean) * (v - mean);
    const std = Math.sqrt(squares / source.length);
    offset = mean;
    scale = std > 0 ? std : Infinity;
  } else {
    offset = step.mean;
    scale = step.std;
  }
  const data = new Float32Array(source.length);
  // A constant image (no spread) maps to 0 rather than NaN.
  if (scale !== Infinity) for (let i = 0; i < data.length; i++) data[i] = ((source[i] ?? 0) - offset) / scale;
  const [rows, columns, channels] = image.shape;
  return { data, shape: [rows, columns, channels], photometricInterpretation: image.photometricInterpretation };
}
