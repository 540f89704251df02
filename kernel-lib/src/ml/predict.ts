import type * as Tf from "@tensorflow/tfjs";
import { csvField } from "../core/csv-field";
import { RadlabError } from "../core/radlab-error";
import type { DatasetVersion } from "../datasets/dataset-version";
import type { DicomDataset } from "../dicom/dataset";
import type { ResearchStore } from "../store/research-store";
import { parsePipeline } from "../transforms/parse-pipeline";
import { runPipeline } from "../transforms/run-pipeline";
import type { ModelCard } from "./saved-model";

/** One image's prediction: the probability of each class and the predicted class. */
export interface Prediction {
  readonly name: string;
  /** Class name to probability, in the card's class order. */
  readonly probabilities: Readonly<Record<string, number>>;
  /** The most probable class (binary: the positive class at probability >= threshold); multi-label: every class at or above it. */
  readonly predicted: string;
}

/**
 * Predicts images with a saved model: each dataset through the model card's preprocessing
 * pipeline, in batches (only one batch of tensors in memory at a time).
 *
 * - binary head: `classes[1]` has the model's output p, `classes[0]` 1 - p; predicted is
 *   `classes[1]` when p >= `threshold` (default 0.5);
 * - multiclass: the softmax outputs; predicted is the largest;
 * - multi-label: each sigmoid output; predicted lists every class at or above the threshold,
 *   joined with `|` (empty when none).
 *
 * @throws {@link RadlabError} `predict` when the card's pipeline or classes do not fit the model.
 * @example
 * ```ts
 * const { model, card } = await loadModel(tf, "models/cxr");
 * const rows = await predictDatasets(tf, model, card, [{ name: "a.dcm", dataset: readDicomFile("a.dcm") }]);
 * rows[0].probabilities["1_abnormal"]; // 0.83
 * ```
 */
export async function predictDatasets(
  tf: typeof Tf,
  model: Tf.LayersModel,
  card: ModelCard,
  inputs:
    | Iterable<{ readonly name: string; readonly dataset: DicomDataset }>
    | AsyncIterable<{ readonly name: string; readonly dataset: DicomDataset }>,
  options: {
    readonly batchSize?: number;
    readonly threshold?: number;
    /** Called for an image the pipeline cannot read (no pixels, wrong size); it is skipped. Without it, the error is thrown. */
    readonly onSkip?: (name: string, error: unknown) => void;
  } = {},
): Promise<Prediction[]> {
  const pipeline = parsePipeline(card.pipeline);
  const head = card.spec.head;
  const outputs = head.kind === "binary" ? 1 : head.classes;
  const expectedClasses = head.kind === "binary" ? 2 : head.classes;
  if (card.classes.length !== expectedClasses) {
    throw new RadlabError(
      "predict",
      `The model card names ${card.classes.length} classes; its ${head.kind} head needs ${expectedClasses}.`,
      {
        hint: "Fix radlab-model.json's classes (in output order; a binary head's positive class second).",
      },
    );
  }
  const threshold = options.threshold ?? 0.5;
  const batchSize = options.batchSize ?? 32;
  const results: Prediction[] = [];
  let names: string[] = [];
  let images: Float32Array[] = [];
  let shape: readonly number[] = [];
  const flush = () => {
    if (images.length === 0) return;
    const [rows = 0, columns = 0, channels = 1] = shape;
    const values = tf.tidy(() => {
      const x = tf.tensor4d(concat(images), [images.length, rows, columns, channels]);
      return Array.from((model.predict(x) as Tf.Tensor).dataSync());
    });
    names.forEach((name, i) => {
      const out = values.slice(i * outputs, (i + 1) * outputs);
      const probabilities: Record<string, number> = {};
      let predicted: string;
      if (head.kind === "binary") {
        const p = out[0] ?? 0;
        probabilities[card.classes[0] ?? "0"] = 1 - p;
        probabilities[card.classes[1] ?? "1"] = p;
        predicted = (p >= threshold ? card.classes[1] : card.classes[0]) ?? "";
      } else {
        card.classes.forEach((c, k) => (probabilities[c] = out[k] ?? 0));
        predicted =
          head.kind === "multiclass"
            ? (card.classes[out.indexOf(Math.max(...out))] ?? "")
            : card.classes.filter((_, k) => (out[k] ?? 0) >= threshold).join("|");
      }
      results.push({ name, probabilities, predicted });
    });
    names = [];
    images = [];
  };
  for await (const input of inputs) {
    let image;
    try {
      image = await runPipeline(pipeline, input.dataset, {});
      const expected = card.spec.inputShape;
      if (image.shape.join("x") !== expected.join("x")) {
        throw new RadlabError(
          "predict",
          `${input.name}: the card's pipeline gives ${image.shape.join("x")}, the model takes ${expected.join("x")}.`,
          {
            file: input.name,
            hint: "The model's card must carry the pipeline it was trained with.",
          },
        );
      }
    } catch (error) {
      if (options.onSkip === undefined) throw error;
      options.onSkip(input.name, error);
      continue;
    }
    shape = image.shape;
    names.push(input.name);
    images.push(image.data);
    if (images.length === batchSize) flush();
  }
  flush();
  return results;
}

/**
 * Predicts the members of a dataset version (or one split) straight from the store: each stored
 * instance is read by its content hash and scored with {@link predictDatasets}; each prediction is
 * named by the member's content hash, with its patient and frozen labels beside it.
 *
 * @example
 * ```ts
 * const rows = await predictStored(tf, model, card, store, v2, { split: "validation" });
 * rows[0]; // { name: "3fa2…", patientId: "231", labels: ["0_normal"], probabilities: {...}, predicted: "0_normal" }
 * ```
 */
export async function predictStored(
  tf: typeof Tf,
  model: Tf.LayersModel,
  card: ModelCard,
  store: ResearchStore,
  version: DatasetVersion,
  options: {
    readonly split?: string;
    readonly labelSet?: string;
    readonly batchSize?: number;
    readonly threshold?: number;
  } = {},
): Promise<(Prediction & { readonly patientId: string; readonly labels: readonly string[] })[]> {
  const members = await version.members(options.split);
  const byHash = new Map(members.map((m) => [m.sha256, m]));
  async function* inputs() {
    for (const m of members) yield { name: m.sha256, dataset: await store.dataset(m.sha256) };
  }
  const rows = await predictDatasets(tf, model, card, inputs(), {
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
  });
  const labelSet = options.labelSet ?? "label";
  return rows.map((r) => ({
    ...r,
    patientId: byHash.get(r.name)?.patientId ?? "",
    labels: byHash.get(r.name)?.labels[labelSet] ?? [],
  }));
}

function concat(arrays: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

/** Predictions as CSV: `file`, one probability column per class (`p_<class>`), `predicted`. */
export function predictionsCsv(rows: readonly Prediction[], classes: readonly string[]): string {
  const lines = [["file", ...classes.map((c) => `p_${c}`), "predicted"].map(csvField).join(",")];
  for (const r of rows) {
    lines.push(
      [csvField(r.name), ...classes.map((c) => (r.probabilities[c] ?? 0).toFixed(6)), csvField(r.predicted)].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
