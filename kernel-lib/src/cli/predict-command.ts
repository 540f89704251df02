import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import type * as Tf from "@tensorflow/tfjs";
import { listFiles } from "../core/list-files";
import type { DicomDataset } from "../dicom/dataset";
import { readDicom } from "../dicom/read";
import { selectBackend } from "../ml/backend";
import { loadModel } from "../ml/saved-model";
import { predictDatasets, predictionsCsv } from "../ml/predict";
import { wrapPng } from "../store/wrap-image";
import type { CliIo, ExitStatus } from "./cli-io";
import type { CommandSpec } from "./command-spec";
import type { ParsedCommandLine } from "./parse-command-line";
import { UsageError } from "./usage-error";

/** `radlab predict`: its arguments and options. */
export const PREDICT_COMMAND = {
  name: "predict",
  summary:
    "Score images with a model trained and saved by radlab: prints one CSV row per image (file, the probability " +
    "of each class, the predicted class). <paths> are DICOM files, PNG images, or folders of them (searched " +
    "recursively); each image goes through the preprocessing pipeline saved with the model.",
  positionals: [{ name: "paths", description: "DICOM files, PNG images or folders" }],
  variadic: true,
  options: {
    model: {
      type: "string",
      value: "folder",
      description: "the saved model (model.json, weights.bin, radlab-model.json)",
    },
    threshold: {
      type: "string",
      value: "p",
      description: "probability at which a binary or multi-label class is predicted (default 0.5)",
    },
    batch: { type: "string", value: "n", description: "images per batch (default 32)" },
  },
  notes: [
    "The fastest TensorFlow.js backend that starts is used (see the README), named on stderr. " +
      "Files that are neither DICOM nor PNG are listed on stderr and skipped. Exit status: 0 when every file was " +
      "scored, 1 when any was skipped, 2 for a usage error or a model that cannot be loaded.",
  ],
} as const satisfies CommandSpec;

/**
 * `radlab predict --model <folder> <paths>...`: loads the model, scores every DICOM file and PNG
 * image under the paths in batches, and writes CSV to stdout (skipped files to stderr).
 *
 * @returns 0 when every file was scored, 1 when any was skipped.
 * @throws {@link UsageError} without `--model`, for a bad `--threshold` or `--batch`, or a path
 *   that does not exist; `model-load` for a folder that is not a saved model.
 */
export async function predictCommand(
  parsed: ParsedCommandLine<typeof PREDICT_COMMAND>,
  io: CliIo,
): Promise<ExitStatus> {
  const o = parsed.options;
  const usage = (message: string) => new UsageError("predict", `radlab predict: ${message}`);
  if (o.model === undefined) throw usage("--model <folder> is required");
  const threshold = o.threshold === undefined ? 0.5 : Number(o.threshold);
  if (!(threshold >= 0 && threshold <= 1))
    throw usage(`--threshold ${o.threshold ?? ""} is not a probability from 0 to 1`);
  const batchSize = o.batch === undefined ? 32 : Number(o.batch);
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw usage(`--batch ${o.batch ?? ""} is not a positive integer`);
  const files: string[] = [];
  for (const p of parsed.positionals) {
    if (!existsSync(p)) throw usage(`${p} does not exist`);
    if (statSync(p).isDirectory()) files.push(...listFiles(p));
    else files.push(p);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a model is scored
  const tf = require("@tensorflow/tfjs") as typeof Tf;
  const backend = await selectBackend();
  io.stderr.write(`TensorFlow.js backend: ${backend.name} (${backend.reason})\n`);
  const { model, card } = await loadModel(tf, o.model);
  const skipped: { file: string; reason: string }[] = [];
  function* inputs(): Generator<{ name: string; dataset: DicomDataset }> {
    for (const file of files) {
      const bytes = readFileSync(file);
      try {
        const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
        const dataset = png
          ? wrapPng(
              bytes,
              { patientId: "unknown", studyKey: file, imageKey: file, source: "radlab predict", modality: "OT" },
              file,
            )
          : readDicom(bytes, { file });
        yield { name: file, dataset };
      } catch (error) {
        skipped.push({ file, reason: (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "" });
      }
    }
  }
  const rows = await predictDatasets(tf, model, card, inputs(), {
    batchSize,
    threshold,
    onSkip: (file, error) =>
      skipped.push({ file, reason: (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "" }),
  });
  io.stdout.write(predictionsCsv(rows, card.classes));
  if (skipped.length > 0) {
    io.stderr.write(`Skipped (${skipped.length}), neither DICOM nor PNG or unreadable:\n`);
    for (const s of skipped) io.stderr.write(`  ${path.relative(process.cwd(), s.file) || s.file}  ${s.reason}\n`);
  }
  return skipped.length === 0 ? 0 : 1;
}
