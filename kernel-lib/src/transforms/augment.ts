import { createHash } from "node:crypto";
import { RadlabError } from "../core/radlab-error";
import { seededRandom } from "../core/seeded-random";
import type { TransformImage } from "./transform-image";

/**
 * Random augmentation, reproducible: the numbers drawn depend only on `seed`, the epoch and the
 * sample's index (see {@link augmentSeed}), so the same sample gets the same augmentation in the
 * same epoch on every run and machine, and a different one in the next epoch.
 *
 * Each parameter is the largest change; `0` turns that augmentation off. In order of application:
 *
 * - `flipHorizontal`: the probability (0..1) of mirroring left-right;
 * - `rotationDegrees`: a rotation uniform in ±this (0..180; 5 to 15 is usual), anticlockwise as
 *   displayed, about the image centre;
 * - `translation`: a shift uniform in ±this fraction (0..0.5) of the rows and of the columns;
 * - `brightness`: an added offset uniform in ±this, in the image's units (after a minmax
 *   normalise, 0.1 is a tenth of the range);
 * - `contrast`: a factor uniform in 1 ± this (0..1), stretching each channel about its mean.
 *
 * Geometric changes sample bilinearly; pixels that come from outside the image repeat the nearest
 * edge pixel. Everything after the first augment step is recomputed every epoch; everything
 * before it can be cached (see `PipelineCache`).
 *
 * @example
 * ```ts
 * import type { AugmentStep } from "@radlab/kernel";
 * const step: AugmentStep = {
 *   kind: "augment", seed: 7, flipHorizontal: 0.5, rotationDegrees: 10, translation: 0.05, brightness: 0.1, contrast: 0.1,
 * };
 * ```
 */
export interface AugmentStep {
  readonly kind: "augment";
  /** An integer 0..4294967295; give each augment step of a pipeline its own seed. */
  readonly seed: number;
  readonly flipHorizontal: number;
  readonly rotationDegrees: number;
  readonly translation: number;
  readonly brightness: number;
  readonly contrast: number;
}

/** Which sample in which epoch is being augmented: both non-negative integers. */
export interface AugmentContext {
  readonly epoch: number;
  readonly sampleIndex: number;
}

/** The augmentation drawn for one sample: plain data, so it can be logged, compared or replayed. */
export interface AugmentationDraw {
  readonly flip: boolean;
  /** Anticlockwise as displayed. */
  readonly rotationDegrees: number;
  /** `[down, right]` as fractions of rows and columns. */
  readonly translation: readonly [number, number];
  /** Added after the contrast change. */
  readonly brightness: number;
  /** The contrast factor (1 is unchanged). */
  readonly contrast: number;
}

/**
 * The integer seed of one sample's augmentation: the first four bytes (big-endian) of the
 * SHA-256 of `radlab-augment/v1:<seed>:<epoch>:<sampleIndex>`. Hashing keeps nearby seeds,
 * epochs and indices from giving correlated sequences.
 *
 * @throws {@link RadlabError} `transform-input` when the epoch or sample index is not a
 *   non-negative integer.
 * @example
 * ```ts
 * import { augmentSeed } from "@radlab/kernel";
 * augmentSeed(7, { epoch: 0, sampleIndex: 3 }) === augmentSeed(7, { epoch: 0, sampleIndex: 3 }); // true
 * ```
 */
export function augmentSeed(seed: number, context: AugmentContext): number {
  for (const key of ["epoch", "sampleIndex"] as const) {
    const value = context[key];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RadlabError(
        "transform-input",
        `An augment step needs ${key} as a non-negative integer; it was ${String(value)}.`,
        {
          hint: "Pass { epoch, sampleIndex } to runPipeline: the epoch number and the sample's position in the dataset.",
        },
      );
    }
  }
  const digest = createHash("sha256")
    .update(`radlab-augment/v1:${seed}:${context.epoch}:${context.sampleIndex}`, "utf8")
    .digest();
  return digest.readUInt32BE(0);
}

/**
 * Draws one sample's augmentation with `seededRandom(augmentSeed(...))`. Six numbers are drawn in
 * a fixed order (flip, rotation, translation down, translation right, brightness, contrast)
 * whatever the parameters, so turning one augmentation off does not change the others.
 *
 * @throws {@link RadlabError} `transform-input` as {@link augmentSeed} does.
 * @example
 * ```ts
 * import { drawAugmentation } from "@radlab/kernel";
 * const step = { kind: "augment", seed: 7, flipHorizontal: 1, rotationDegrees: 0, translation: 0, brightness: 0, contrast: 0 } as const;
 * drawAugmentation(step, { epoch: 0, sampleIndex: 0 }).flip; // true
 * ```
 */
export function drawAugmentation(step: AugmentStep, context: AugmentContext): AugmentationDraw {
  const random = seededRandom(augmentSeed(step.seed, context));
  const symmetric = (max: number) => (2 * random() - 1) * max;
  const flip = random() < step.flipHorizontal;
  const rotationDegrees = symmetric(step.rotationDegrees);
  const down = symmetric(step.translation);
  const right = symmetric(step.translation);
  const brightness = symmetric(step.brightness);
  const contrast = 1 + symmetric(step.contrast);
  return { flip, rotationDegrees, translation: [down, right], brightness, contrast };
}

/**
 * Applies a drawn augmentation: flip, rotation and translation (one inverse mapping, bilinear
 * sampling, edges repeated), then contrast about each channel's mean, then brightness.
 *
 * @returns A new image of the same shape.
 * @example
 * ```ts
 * import { applyAugmentation } from "@radlab/kernel";
 * const image = { data: new Float32Array([1, 2, 3]), shape: [1, 3, 1], photometricInterpretation: "MONOCHROME2" } as const;
 * applyAugmentation(image, { flip: true, rotationDegrees: 0, translation: [0, 0], brightness: 0, contrast: 1 }).data; // Float32Array [3, 2, 1]
 * ```
 */
export function applyAugmentation(image: TransformImage, draw: AugmentationDraw): TransformImage {
  const [rows, columns, channels] = image.shape;
  const [down, right] = draw.translation;
  let data: Float32Array;
  if (!draw.flip && draw.rotationDegrees === 0 && down === 0 && right === 0) {
    data = Float32Array.from(image.data);
  } else {
    data = new Float32Array(image.data.length);
    const theta = (draw.rotationDegrees * Math.PI) / 180;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const cy = (rows - 1) / 2;
    const cx = (columns - 1) / 2;
    const ty = down * rows;
    const tx = right * columns;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        // Undo, in reverse order, translate(rotate(flip(p))) in display coordinates (y down).
        const u = c - cx - tx;
        const v = r - cy - ty;
        const xr = cos * u - sin * v;
        const y = Math.min(rows - 1, Math.max(0, cy + sin * u + cos * v));
        const x = Math.min(columns - 1, Math.max(0, cx + (draw.flip ? -xr : xr)));
        const y0 = Math.floor(y);
        const x0 = Math.floor(x);
        const y1 = Math.min(rows - 1, y0 + 1);
        const x1 = Math.min(columns - 1, x0 + 1);
        const fy = y - y0;
        const fx = x - x0;
        for (let ch = 0; ch < channels; ch++) {
          const at = (yy: number, xx: number) => image.data[(yy * columns + xx) * channels + ch] ?? 0;
          const topValue = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * fx;
          const bottomValue = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * fx;
          data[(r * columns + c) * channels + ch] = topValue + (bottomValue - topValue) * fy;
        }
      }
    }
  }
  if (draw.contrast !== 1 || draw.brightness !== 0) {
    const pixels = rows * columns;
    for (let ch = 0; ch < channels; ch++) {
      let sum = 0;
      for (let p = 0; p < pixels; p++) sum += data[p * channels + ch] ?? 0;
      const mean = sum / pixels;
      for (let p = 0; p < pixels; p++) {
        const i = p * channels + ch;
        data[i] = ((data[i] ?? 0) - mean) * draw.contrast + mean + draw.brightness;
      }
    }
  }
  return { data, shape: [rows, columns, channels], photometricInterpretation: image.photometricInterpretation };
}

/**
 * Implements {@link AugmentStep}: {@link drawAugmentation}, then {@link applyAugmentation}.
 *
 * @returns A new image of the same shape.
 * @throws {@link RadlabError} `transform-input` when the epoch or sample index is not a
 *   non-negative integer.
 * @example
 * ```ts
 * import { augmentImage } from "@radlab/kernel";
 * const step = { kind: "augment", seed: 7, flipHorizontal: 0.5, rotationDegrees: 10, translation: 0.05, brightness: 0.1, contrast: 0.1 } as const;
 * const out = augmentImage(image, step, { epoch: 3, sampleIndex: 41 }); // the same every run
 * ```
 */
export function augmentImage(image: TransformImage, step: AugmentStep, context: AugmentContext): TransformImage {
  return applyAugmentation(image, drawAugmentation(step, context));
}
