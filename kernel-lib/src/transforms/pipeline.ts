import type { AugmentStep } from "./augment";
import type { DecodeStep } from "./decode";
import type { GrayscaleStep } from "./grayscale";
import type { NormaliseStep } from "./normalise";
import type { ResizeStep } from "./resize";
import type { WindowStep } from "./window";

/** One step of a {@link Pipeline}: a plain `{ kind, ...params }` object with every parameter spelled out. */
export type PipelineStep = DecodeStep | WindowStep | GrayscaleStep | ResizeStep | NormaliseStep | AugmentStep;

/** The `kind` of a {@link PipelineStep}. */
export type PipelineStepKind = PipelineStep["kind"];

/** Every step kind, in the order a pipeline usually lists them. */
export const PIPELINE_STEP_KINDS: readonly PipelineStepKind[] = Object.freeze([
  "decode",
  "window",
  "grayscale",
  "resize",
  "normalise",
  "augment",
] as const);

/**
 * A preprocessing pipeline as data: a name and the steps applied in order. It is plain JSON, so
 * it can be hashed ({@link pipelineHash}), recorded with a training run
 * ({@link pipelineLineageParameters}), stored and diffed. Every parameter is required (no
 * defaults), so one pipeline has one spelling and one hash. Check one with {@link parsePipeline}.
 *
 * Steps before the first `augment` are deterministic and can be cached ({@link PipelineCache});
 * `augment` and every step after it run again for each epoch.
 *
 * @example
 * ```ts
 * import type { Pipeline } from "@radlab/kernel";
 * const ctLung: Pipeline = {
 *   kind: "pipeline",
 *   name: "ct-lung-128",
 *   steps: [
 *     { kind: "decode", frame: 0 },
 *     { kind: "window", source: "preset", preset: "lung" },
 *     { kind: "resize", size: [128, 128], method: "area", fit: "stretch" },
 *     { kind: "normalise", method: "minmax" },
 *     { kind: "augment", seed: 7, flipHorizontal: 0.5, rotationDegrees: 10, translation: 0.05, brightness: 0.1, contrast: 0.1 },
 *   ],
 * };
 * ```
 */
export interface Pipeline {
  readonly kind: "pipeline";
  /** Letters, digits, `_`, `.` and `-`. */
  readonly name: string;
  readonly steps: readonly PipelineStep[];
}

/**
 * The deterministic part of a pipeline: the same name with the steps before the first `augment`
 * (all of them when there is none). Its output is what {@link PipelineCache} stores; running it
 * alone gives the un-augmented images, for validation and inference.
 *
 * @returns A new frozen pipeline (the input is not changed).
 * @example
 * ```ts
 * import { deterministicPrefix } from "@radlab/kernel";
 * deterministicPrefix(ctLung).steps.map((s) => s.kind); // ["decode", "window", "resize", "normalise"]
 * ```
 */
export function deterministicPrefix(pipeline: Pipeline): Pipeline {
  const first = pipeline.steps.findIndex((step) => step.kind === "augment");
  return Object.freeze({
    kind: "pipeline",
    name: pipeline.name,
    steps: Object.freeze(first < 0 ? [...pipeline.steps] : pipeline.steps.slice(0, first)),
  });
}
