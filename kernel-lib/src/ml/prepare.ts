import type * as Tf from "@tensorflow/tfjs";
import { RadlabError } from "../core/radlab-error";
import type { DatasetVersion } from "../datasets/dataset-version";
import { progress } from "../display/progress";
import type { ResearchStore } from "../store/research-store";
import type { Pipeline } from "../transforms/pipeline";
import type { PipelineCache } from "../transforms/pipeline-cache";
import { runPipeline } from "../transforms/run-pipeline";
import type { Head } from "./model-spec";
import type { TrainingData } from "./train";

/** Options of {@link prepareSplit}. */
export interface PrepareOptions {
  readonly split: string;
  /** The classification label set that gives the targets. */
  readonly labelSet: string;
  /**
   * The classes in output order. A binary head's target is 1 for `classes[1]` (the positive
   * class), 0 for `classes[0]`.
   */
  readonly classes: readonly string[];
  readonly head: Head;
  readonly pipeline: Pipeline;
  /** Reuse preprocessed images (steps before the first augmentation) across runs. */
  readonly cache?: PipelineCache;
  readonly showProgress?: boolean;
}

/** A split as tensors, with who each row is (for per-patient evaluation). */
export interface PreparedSplit extends TrainingData {
  readonly sha256: readonly string[];
  readonly patientIds: readonly string[];
  /** The label values of each row, as the version froze them. */
  readonly labels: readonly (readonly string[])[];
}

/**
 * Loads one split of a dataset version as tensors: each member's stored DICOM through the
 * preprocessing pipeline (cached when a cache is given), its frozen labels as targets. The caller
 * owns `xs` and `ys` and must dispose them.
 *
 * @throws {@link RadlabError} `prepare` when a member's label is not among the classes, a binary or
 *   multiclass member has not exactly one value, or the pipeline's images differ in shape.
 * @example
 * ```ts
 * const train = await prepareSplit(tf, store, v1, { split: "train", labelSet: "label", classes: ["0_normal", "1_abnormal"], head: { kind: "binary" }, pipeline });
 * ```
 */
export async function prepareSplit(
  tf: typeof Tf,
  store: ResearchStore,
  version: DatasetVersion,
  options: PrepareOptions,
): Promise<PreparedSplit> {
  const members = await version.members(options.split);
  if (members.length === 0) {
    throw new RadlabError("prepare", `Version ${version.shortId} has no members in split "${options.split}".`, {
      hint: "Use a split the version names (see version.counts()).",
    });
  }
  const classIndex = new Map(options.classes.map((c, i) => [c, i]));
  const outputs = options.head.kind === "binary" ? 1 : options.classes.length;
  const ys = new Float32Array(members.length * outputs);
  const problems: string[] = [];
  members.forEach((m, row) => {
    const values = m.labels[options.labelSet] ?? [];
    if (options.head.kind !== "multilabel" && values.length !== 1) {
      problems.push(
        `${m.sha256.slice(0, 12)}… has ${values.length} ${options.labelSet} values, a ${options.head.kind} target needs 1`,
      );
    }
    for (const value of values) {
      const index = classIndex.get(value);
      if (index === undefined)
        problems.push(
          `${m.sha256.slice(0, 12)}… has ${options.labelSet} "${value}", not one of ${options.classes.join(", ")}`,
        );
      else if (options.head.kind === "binary") ys[row] = index === 1 ? 1 : 0;
      else ys[row * outputs + index] = 1;
    }
  });
  if (problems.length > 0) {
    throw new RadlabError(
      "prepare",
      `${problems.length} member(s) of version ${version.shortId} cannot be targets:\n${problems.slice(0, 20).join("\n")}`,
      {
        hint: "Give every class of the label set, or a multilabel head for several values per image.",
      },
    );
  }
  const bar = progress({
    label: `Preparing ${options.split} of ${version.record.dataset}@${version.shortId}`,
    total: members.length,
    unit: "images",
    ...(options.showProgress === false ? { sink: null } : {}),
  });
  let xs: Float32Array | null = null;
  let shape: readonly number[] = [];
  for (const [row, m] of members.entries()) {
    const load = () => store.dataset(m.sha256);
    const image =
      options.cache === undefined
        ? await runPipeline(options.pipeline, await load(), {})
        : await options.cache.run(options.pipeline, { sha256: m.sha256, load }, {});
    if (xs === null) {
      shape = image.shape;
      xs = new Float32Array(members.length * image.data.length);
    } else if (image.shape.join("x") !== shape.join("x")) {
      bar.fail(`${m.sha256.slice(0, 12)}… is ${image.shape.join("x")}`);
      throw new RadlabError(
        "prepare",
        `The pipeline gives ${image.shape.join("x")} for ${m.sha256.slice(0, 12)}…, but ${shape.join("x")} for the first image.`,
        {
          hint: "End the pipeline with a resize step so every image has the same size.",
        },
      );
    }
    xs.set(image.data, row * image.data.length);
    bar.advance();
  }
  bar.succeed(`${members.length} images of ${shape.join(" x ")}`);
  const [rows = 0, columns = 0, channels = 1] = shape;
  return {
    xs: tf.tensor4d(xs ?? new Float32Array(0), [members.length, rows, columns, channels]),
    ys: tf.tensor2d(ys, [members.length, outputs]),
    sha256: members.map((m) => m.sha256),
    patientIds: members.map((m) => m.patientId),
    labels: members.map((m) => m.labels[options.labelSet] ?? []),
  };
}
