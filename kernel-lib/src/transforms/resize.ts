import { resampleArea } from "../datasets/resample-area";
import type { TransformImage } from "./transform-image";

/** How {@link ResizeStep} computes output pixels. */
export type ResizeMethod = "area" | "bilinear";

/**
 * Resize to `size` = `[rows, columns]`.
 *
 * `method`: `area` averages the input area each output pixel covers (OpenCV's INTER_AREA, with
 * `resampleArea`): the right choice for downsampling, as every input pixel counts; `bilinear`
 * interpolates between the four nearest input pixels with half-pixel centres (OpenCV's
 * INTER_LINEAR, `tf.image.resizeBilinear` with `halfPixelCenters: true`), without antialiasing.
 *
 * `fit`: `stretch` scales rows and columns independently; `pad` keeps the aspect ratio, scales the
 * image to fit inside `size` and centres it on a canvas of `padValue` (in the image's units; an
 * odd leftover pixel goes to the bottom or right).
 *
 * @example
 * ```ts
 * import type { ResizeStep } from "@radlab/kernel";
 * const step: ResizeStep = { kind: "resize", size: [224, 224], method: "area", fit: "pad", padValue: 0 };
 * ```
 */
export type ResizeStep =
  | {
      readonly kind: "resize";
      readonly size: readonly [number, number];
      readonly method: ResizeMethod;
      readonly fit: "stretch";
    }
  | {
      readonly kind: "resize";
      readonly size: readonly [number, number];
      readonly method: ResizeMethod;
      readonly fit: "pad";
      readonly padValue: number;
    };

/**
 * Implements {@link ResizeStep} on each channel, with plain typed arrays (the same result on
 * every tfjs backend).
 *
 * @returns A new image of shape `[size[0], size[1], channels]`.
 * @example
 * ```ts
 * import { resizeImage } from "@radlab/kernel";
 * const image = { data: new Float32Array([1, 3, 5, 7]), shape: [2, 2, 1], photometricInterpretation: "MONOCHROME2" } as const;
 * resizeImage(image, { kind: "resize", size: [1, 1], method: "area", fit: "stretch" }).data; // Float32Array [4]
 * ```
 */
export function resizeImage(image: TransformImage, step: ResizeStep): TransformImage {
  const [rows, columns, channels] = image.shape;
  const [outRows, outColumns] = step.size;
  let innerRows = outRows;
  let innerColumns = outColumns;
  if (step.fit === "pad") {
    const scale = Math.min(outRows / rows, outColumns / columns);
    innerRows = Math.min(outRows, Math.max(1, Math.round(rows * scale)));
    innerColumns = Math.min(outColumns, Math.max(1, Math.round(columns * scale)));
  }
  const top = Math.floor((outRows - innerRows) / 2);
  const left = Math.floor((outColumns - innerColumns) / 2);
  const data = new Float32Array(outRows * outColumns * channels);
  if (step.fit === "pad") data.fill(step.padValue);
  const plane = new Float32Array(rows * columns);
  for (let ch = 0; ch < channels; ch++) {
    for (let p = 0; p < plane.length; p++) plane[p] = image.data[p * channels + ch] ?? 0;
    const resized =
      step.method === "area"
        ? resampleArea(plane, rows, columns, innerRows, innerColumns)
        : resampleBilinear(plane, rows, columns, innerRows, innerColumns);
    for (let r = 0; r < innerRows; r++) {
      for (let c = 0; c < innerColumns; c++) {
        data[((top + r) * outColumns + left + c) * channels + ch] = resized[r * innerColumns + c] ?? 0;
      }
    }
  }
  return { data, shape: [outRows, outColumns, channels], photometricInterpretation: image.photometricInterpretation };
}

/** Bilinear resampling with half-pixel centres, computed as tfjs's ResizeBilinear kernel does. */
function resampleBilinear(
  data: Float32Array,
  rows: number,
  columns: number,
  outRows: number,
  outColumns: number,
): Float32Array {
  const out = new Float32Array(outRows * outColumns);
  const rowRatio = rows / outRows;
  const columnRatio = columns / outColumns;
  for (let r = 0; r < outRows; r++) {
    const y = rowRatio * (r + 0.5) - 0.5;
    const y0 = Math.min(rows - 1, Math.max(0, Math.floor(y)));
    const y1 = Math.min(rows - 1, y0 + 1);
    const fy = Math.min(1, Math.max(0, y - y0));
    for (let c = 0; c < outColumns; c++) {
      const x = columnRatio * (c + 0.5) - 0.5;
      const x0 = Math.min(columns - 1, Math.max(0, Math.floor(x)));
      const x1 = Math.min(columns - 1, x0 + 1);
      const fx = Math.min(1, Math.max(0, x - x0));
      const tl = data[y0 * columns + x0] ?? 0;
      const tr = data[y0 * columns + x1] ?? 0;
      const bl = data[y1 * columns + x0] ?? 0;
      const br = data[y1 * columns + x1] ?? 0;
      const topValue = tl + (tr - tl) * fx;
      const bottomValue = bl + (br - bl) * fx;
      out[r * outColumns + c] = topValue + (bottomValue - topValue) * fy;
    }
  }
  return out;
}
