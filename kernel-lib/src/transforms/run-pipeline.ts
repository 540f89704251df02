import { RadlabError } from "../core/radlab-error";
import { DicomDataset } from "../dicom/dataset";
import { augmentImage } from "./augment";
import { decodeImage } from "./decode";
import { grayscaleImage } from "./grayscale";
import { normaliseImage } from "./normalise";
import { parsePipeline } from "./parse-pipeline";
import type { Pipeline, PipelineStep } from "./pipeline";
import { resizeImage } from "./resize";
import { checkTransformImage, type TransformImage } from "./transform-image";
import { windowImage } from "./window";

/** What {@link runPipeline} transforms: a DICOM dataset (the pipeline starts with `decode`) or an image. */
export type PipelineInput = DicomDataset | TransformImage;

/**
 * Where in training a sample is: needed by `augment` steps (both as non-negative integers), not
 * read by the others.
 */
export interface PipelineContext {
  /** The epoch, from 0: a new epoch draws new augmentations. */
  readonly epoch?: number;
  /** The sample's position in its dataset or split, from 0. */
  readonly sampleIndex?: number;
}

/**
 * Runs a pipeline on one image, step by step, with plain typed arrays (the same result on every
 * tfjs backend; see `toTensorBatch` to hand the results to tfjs).
 *
 * @param input - a DICOM dataset when the pipeline starts with `decode`, otherwise an image.
 * @param context - the epoch and sample index, required when the pipeline has an `augment` step.
 * @returns A new image `{ data, shape: [rows, columns, channels], photometricInterpretation }`.
 * @throws {@link TransformSpecError} `transform-spec` when the pipeline is invalid (nothing runs).
 * @throws {@link RadlabError} `transform-input` when the input does not fit the pipeline (a dataset
 *   without `decode`, an image with it, an RGB image into `window`, an augment step without
 *   epoch and sample index), and the {@link DicomError}s of decoding.
 * @example
 * ```ts
 * import { readDicomFile, runPipeline } from "@radlab/kernel";
 * const out = await runPipeline(ctLung, readDicomFile("CT_small.dcm"), { epoch: 0, sampleIndex: 0 });
 * out.shape; // [128, 128, 1]
 * ```
 */
export async function runPipeline(
  pipeline: Pipeline,
  input: PipelineInput,
  context: PipelineContext = {},
): Promise<TransformImage> {
  return runSteps(parsePipeline(pipeline).steps, input, context);
}

/** Runs checked steps; `PipelineCache` uses it to resume after a cached prefix. Internal. */
export async function runSteps(
  steps: readonly PipelineStep[],
  input: PipelineInput,
  context: PipelineContext,
): Promise<TransformImage> {
  const dataset = input instanceof DicomDataset ? input : null;
  const first = steps[0];
  let image: TransformImage;
  if (input instanceof DicomDataset) {
    if (first?.kind !== "decode") {
      throw new RadlabError(
        "transform-input",
        `The input is a DICOM dataset (${input.file}), but the pipeline does not start with decode.`,
        {
          file: input.file,
          hint: 'Add { kind: "decode", frame: 0 } as the first step, or pass an image { data, shape, photometricInterpretation }.',
        },
      );
    }
    image = await decodeImage(input, first);
  } else {
    if (first?.kind === "decode") {
      throw new RadlabError(
        "transform-input",
        "The pipeline starts with decode, but the input is an image, not a DICOM dataset.",
        {
          hint: "Pass the dataset (readDicom or readDicomFile), or remove the decode step.",
        },
      );
    }
    image = checkTransformImage(input, "The pipeline's input");
  }
  for (const step of steps) {
    image = applyStep(image, step, dataset, context);
  }
  return image;
}

function applyStep(
  image: TransformImage,
  step: PipelineStep,
  dataset: DicomDataset | null,
  context: PipelineContext,
): TransformImage {
  switch (step.kind) {
    case "decode":
      return image; // done before the loop
    case "window":
      return windowImage(image, step, dataset);
    case "grayscale":
      return grayscaleImage(image, step);
    case "resize":
      return resizeImage(image, step);
    case "normalise":
      return normaliseImage(image, step);
    case "augment": {
      const { epoch, sampleIndex } = context;
      if (epoch === undefined || sampleIndex === undefined) {
        throw new RadlabError("transform-input", "The pipeline augments, so it needs the epoch and the sample index.", {
          hint: "Pass { epoch, sampleIndex } as runPipeline's context, or run deterministicPrefix(pipeline) for un-augmented images.",
        });
      }
      return augmentImage(image, step, { epoch, sampleIndex });
    }
  }
}
