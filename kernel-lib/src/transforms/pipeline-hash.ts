import { canonicalJson, sha256OfCanonical, type JsonValue } from "../core/canonical-json";
import { deepFreeze } from "./deep-freeze";
import { parsePipeline } from "./parse-pipeline";
import type { Pipeline } from "./pipeline";

/**
 * The SHA-256 of a pipeline's canonical JSON (keys sorted, `canonicalJson`): equal pipelines have
 * equal hashes whatever order their keys were written in, and any change to the name, a step or
 * a parameter changes it. The name of cached outputs ({@link PipelineCache}) and of the
 * preprocessing in lineage.
 *
 * @returns 64 lowercase hex digits.
 * @throws {@link TransformSpecError} `transform-spec` when the pipeline is invalid (it is checked first).
 * @example
 * ```ts
 * import { pipelineHash } from "@radlab/kernel";
 * pipelineHash({ kind: "pipeline", name: "grey", steps: [{ kind: "grayscale" }] }); // 64 hex digits, the same every time
 * ```
 */
export function pipelineHash(pipeline: Pipeline): string {
  return sha256OfCanonical(parsePipeline(pipeline));
}

/** What a training run records about its preprocessing; see {@link pipelineLineageParameters}. */
export interface PipelineLineageParameters {
  /** The pipeline as canonical plain data (keys sorted, frozen): the run's `parameters`, or a field of them. */
  readonly parameters: JsonValue;
  /** {@link pipelineHash}: equal to `parametersHash(parameters)`. */
  readonly hash: string;
}

/**
 * The pipeline as a training run should record it in lineage (`startRun` / `recordRun` in
 * `datasets/lineage.ts`): its canonical parameters and their hash. Nothing is recorded here.
 *
 * @throws {@link TransformSpecError} `transform-spec` when the pipeline is invalid.
 * @example
 * ```ts
 * import { pipelineLineageParameters, recordRun } from "@radlab/kernel";
 * const preprocessing = pipelineLineageParameters(pipeline);
 * const { run } = await recordRun(
 *   store.db,
 *   { job: "train-classifier", parameters: { preprocessing: preprocessing.parameters, epochs: 10 }, inputs },
 *   train,
 * );
 * ```
 */
export function pipelineLineageParameters(pipeline: Pipeline): PipelineLineageParameters {
  const text = canonicalJson(parsePipeline(pipeline));
  return Object.freeze({
    parameters: deepFreeze(JSON.parse(text) as JsonValue),
    hash: pipelineHash(pipeline),
  });
}
