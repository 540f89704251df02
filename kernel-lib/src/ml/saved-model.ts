import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type * as Tf from "@tensorflow/tfjs";
import { canonicalJson } from "../core/canonical-json";
import { RadlabError } from "../core/radlab-error";
import { sha256Hex } from "../store/object-store";
import type { ModelSpec } from "./model-spec";

/** What radlab keeps beside a model's weights: enough to predict, and to trace where it came from. */
export interface ModelCard {
  readonly format: "radlab-model/1";
  readonly spec: ModelSpec;
  /** Class names in output order (the positive class second for a binary head's two names). */
  readonly classes: readonly string[];
  /** The preprocessing pipeline that turns an image into the model's input (a transforms pipeline). */
  readonly pipeline: unknown;
  /** The dataset version it was trained on, if any. */
  readonly datasetVersion: string | null;
  /** The lineage run that trained it, if any. */
  readonly lineageRun: string | null;
  /** Validation metrics at the saved epoch. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly epoch: number | null;
  readonly savedAt: string;
}

/** Files of a saved model folder. */
const TOPOLOGY = "model.json";
const WEIGHTS = "weights.bin";
const CARD = "radlab-model.json";

/**
 * Saves a model to a folder: `model.json` (tfjs layers topology and weight manifest, loadable by
 * `tf.loadLayersModel` and tfjs-converter's tools), `weights.bin`, and `radlab-model.json` (the card:
 * spec, classes, pipeline, dataset version, lineage run, metrics). Written to a temporary folder and
 * renamed, so a crash never leaves half a model; an existing folder is replaced only whole.
 *
 * @returns The model's content hash: SHA-256 of the topology, weights and card (its lineage id).
 * @example
 * ```ts
 * const hash = await saveModel(model, "models/cxr-v1", { format: "radlab-model/1", spec, classes, pipeline, datasetVersion: v1.id, lineageRun: null, metrics: { auc: 0.81 }, epoch: 7, savedAt: new Date().toISOString() });
 * ```
 */
export async function saveModel(
  tf: typeof Tf,
  model: Tf.LayersModel,
  folder: string,
  card: ModelCard,
): Promise<string> {
  let artifacts: Tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  if (artifacts === undefined || artifacts.weightData === undefined)
    throw new Error("tfjs returned no model artefacts");
  const weights = Buffer.concat(
    (Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]).map((b) =>
      Buffer.from(b as ArrayBuffer),
    ),
  );
  const topology = JSON.stringify(
    {
      format: "layers-model",
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [`./${WEIGHTS}`], weights: artifacts.weightSpecs }],
    },
    null,
    1,
  );
  const cardText = `${JSON.stringify(card, null, 2)}\n`;
  const temporary = `${folder.replace(/[\\/]+$/, "")}.partial-${process.pid}`;
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
  writeFileSync(path.join(temporary, TOPOLOGY), topology);
  writeFileSync(path.join(temporary, WEIGHTS), weights);
  writeFileSync(path.join(temporary, CARD), cardText);
  if (existsSync(folder)) {
    const old = `${folder.replace(/[\\/]+$/, "")}.old-${process.pid}`;
    renameSync(folder, old);
    renameSync(temporary, folder);
    rmSync(old, { recursive: true, force: true });
  } else {
    mkdirSync(path.dirname(path.resolve(folder)), { recursive: true });
    renameSync(temporary, folder);
  }
  return modelHash(topology, weights, card);
}

/** The content hash of a saved model: over its topology, weights and card (minus when it was saved). */
function modelHash(topology: string, weights: Uint8Array, card: ModelCard): string {
  const { savedAt: _when, ...content } = card;
  void _when;
  return sha256Hex(
    Buffer.concat([
      Buffer.from(sha256Hex(Buffer.from(topology))),
      Buffer.from(sha256Hex(weights)),
      Buffer.from(canonicalJson(content)),
    ]),
  );
}

/**
 * Loads a model saved by {@link saveModel}, with its card and content hash.
 *
 * @throws {@link RadlabError} `model-load` naming the folder and the missing or broken file.
 */
export async function loadModel(
  tf: typeof Tf,
  folder: string,
): Promise<{ model: Tf.LayersModel; card: ModelCard; hash: string }> {
  const read = (name: string): Buffer => {
    const file = path.join(folder, name);
    if (!existsSync(file)) {
      throw new RadlabError("model-load", `${folder} holds no ${name}: it is not a model saved by radlab.`, {
        file,
        hint: "Give the folder saveModel() or train() wrote (it has model.json, weights.bin and radlab-model.json).",
      });
    }
    return readFileSync(file);
  };
  const topologyText = read(TOPOLOGY).toString("utf8");
  const weights = read(WEIGHTS);
  let card: ModelCard;
  let topology: { modelTopology: object; weightsManifest: { weights: Tf.io.WeightsManifestEntry[] }[] };
  try {
    card = JSON.parse(read(CARD).toString("utf8")) as ModelCard;
    topology = JSON.parse(topologyText) as typeof topology;
  } catch (cause) {
    throw new RadlabError("model-load", `${folder}: ${CARD} or ${TOPOLOGY} is not valid JSON.`, {
      file: folder,
      cause,
    });
  }
  if (card.format !== "radlab-model/1") {
    throw new RadlabError(
      "model-load",
      `${path.join(folder, CARD)} is of format ${String(card.format)}, not radlab-model/1.`,
      {
        file: path.join(folder, CARD),
      },
    );
  }
  const weightSpecs = topology.weightsManifest.flatMap((m) => m.weights);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: topology.modelTopology,
      weightSpecs,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  return { model, card, hash: modelHash(topologyText, weights, card) };
}
