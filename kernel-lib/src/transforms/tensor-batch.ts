import * as tf from "@tensorflow/tfjs-core";
import { RadlabError } from "../core/radlab-error";
import type { NormaliseStep } from "./normalise";
import { parsePipeline } from "./parse-pipeline";
import type { ResizeStep } from "./resize";
import type { TransformImage } from "./transform-image";

/**
 * Stacks images of one shape into a float32 tfjs tensor of shape
 * `[images, rows, columns, channels]`, on the active tfjs backend.
 *
 * The caller owns the tensor and must dispose it (`tensor.dispose()`, or create it inside
 * `tf.tidy`); radlab keeps no reference to it. The images are copied, not kept.
 *
 * @throws {@link RadlabError} `transform-input` for an empty list or images of different shapes.
 * @example
 * ```ts
 * import { runPipeline, toTensorBatch } from "@radlab/kernel";
 * const xs = toTensorBatch(await Promise.all(datasets.map((ds) => runPipeline(pipeline, ds))));
 * xs.shape; // [datasets.length, 128, 128, 1]
 * xs.dispose();
 * ```
 */
export function toTensorBatch(images: readonly TransformImage[]): tf.Tensor4D {
  const first = images[0];
  if (first === undefined) {
    throw new RadlabError("transform-input", "toTensorBatch needs at least one image.");
  }
  const [rows, columns, channels] = first.shape;
  const size = rows * columns * channels;
  const data = new Float32Array(images.length * size);
  for (const [i, image] of images.entries()) {
    if (image.shape.join() !== first.shape.join() || image.data.length !== size) {
      throw new RadlabError(
        "transform-input",
        `Image ${i} has shape [${image.shape.join(", ")}], image 0 [${first.shape.join(", ")}]: a batch needs one shape.`,
        { hint: "End the pipeline with a resize step so that every image has the same shape." },
      );
    }
    data.set(image.data, i * size);
  }
  return tf.tensor4d(data, [images.length, rows, columns, channels], "float32");
}

/**
 * A whole batch resized and normalised on the active tfjs backend (a GPU with tfjs-backend-webgl):
 * `tf.image.resizeBilinear` with half-pixel centres, then the normalisation of each image. It
 * agrees with `resizeImage` then `normaliseImage` on each image to float32 rounding (statistics are
 * float32 here, double in the typed-array steps).
 *
 * Only `method: "bilinear"` with `fit: "stretch"` is available: tfjs has no area resampling.
 * The input is not disposed; the caller owns the result and must dispose it.
 *
 * @param batch - `[images, rows, columns, channels]`, for example from {@link toTensorBatch}.
 * @throws {@link TransformSpecError} `transform-spec` for invalid steps;
 *   {@link RadlabError} `transform-backend` for area resampling or padding.
 * @example
 * ```ts
 * import { resizeNormaliseBatch, toTensorBatch } from "@radlab/kernel";
 * const xs = toTensorBatch(images);
 * const ys = resizeNormaliseBatch(xs, { kind: "resize", size: [64, 64], method: "bilinear", fit: "stretch" }, { kind: "normalise", method: "minmax" });
 * xs.dispose();
 * ys.dispose();
 * ```
 */
export function resizeNormaliseBatch(batch: tf.Tensor4D, resize: ResizeStep, normalise: NormaliseStep): tf.Tensor4D {
  parsePipeline({ kind: "pipeline", name: "batch", steps: [resize, normalise] });
  if (resize.method !== "bilinear" || resize.fit !== "stretch") {
    throw new RadlabError(
      "transform-backend",
      `resizeNormaliseBatch resizes with method "bilinear" and fit "stretch" only; this step has method "${resize.method}" and fit "${resize.fit}".`,
      { hint: "Use resizeImage on each image (plain typed arrays) for area resampling or padding." },
    );
  }
  return tf.tidy(() => {
    const resized = tf.image.resizeBilinear(batch, [resize.size[0], resize.size[1]], false, true);
    const axes = [1, 2, 3];
    switch (normalise.method) {
      case "minmax": {
        const min = tf.min(resized, axes, true);
        return tf.divNoNan(tf.sub(resized, min), tf.sub(tf.max(resized, axes, true), min));
      }
      case "zscore": {
        const { mean, variance } = tf.moments(resized, axes, true);
        return tf.divNoNan(tf.sub(resized, mean), tf.sqrt(variance));
      }
      case "fixed":
        return tf.div(tf.sub(resized, normalise.mean), normalise.std);
    }
  });
}
