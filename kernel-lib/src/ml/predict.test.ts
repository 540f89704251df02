import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Datasets } from "../datasets/datasets";
import type { DatasetVersion } from "../datasets/dataset-version";
import { openStore, type ResearchStore } from "../store/research-store";
import { buildModel, type ModelSpec } from "./model-spec";
import { predictDatasets, predictionsCsv, predictStored } from "./predict";
import type { ModelCard } from "./saved-model";

const NIH = path.resolve(__dirname, "../../../../shared/data/cxr/nih1000");
const SPEC: ModelSpec = {
  kind: "model",
  architecture: "exercise-cnn",
  inputShape: [16, 16, 1],
  head: { kind: "binary" },
  seed: 5,
};
const CARD: ModelCard = {
  format: "radlab-model/1",
  spec: SPEC,
  classes: ["0_normal", "1_abnormal"],
  pipeline: {
    kind: "pipeline",
    name: "p16",
    steps: [
      { kind: "decode", frame: 0 },
      { kind: "window", source: "auto" },
      { kind: "resize", size: [16, 16], method: "area", fit: "stretch" },
      { kind: "normalise", method: "minmax" },
    ],
  },
  datasetVersion: null,
  lineageRun: null,
  metrics: {},
  epoch: null,
  savedAt: "2026-12-03T00:00:00.000Z",
};

let store: ResearchStore;
let version: DatasetVersion;
beforeAll(async () => {
  await tf.setBackend("cpu");
  const home = mkdtempSync(path.join(tmpdir(), "radlab-predict-store-"));
  const csv = readFileSync(path.join(NIH, "labels.csv"), "utf8").split("\n");
  writeFileSync(path.join(home, "labels.csv"), [...csv.slice(0, 5), ...csv.slice(600, 604)].join("\n"));
  store = await openStore({ home: path.join(home, "store") });
  await store.ingestImageFolder(NIH, {
    source: "NIH Clinical Center",
    labelsCsv: path.join(home, "labels.csv"),
    showProgress: false,
  });
  const datasets = new Datasets(store);
  version = await datasets.commit(
    await datasets.create({
      kind: "dataset",
      name: "p",
      selection: store.catalog().select("sha256").toSql(),
      labelSets: ["label"],
      split: { kind: "patient-stratified", fractions: { train: 0.5, validation: 0.5 }, stratifyBy: "label", seed: 1 },
    }),
    { message: "m", by: "t" },
  );
}, 60_000);
afterAll(async () => {
  await store.close();
});

describe("predicting stored instances", () => {
  it("scores a version's split from the store, named by content hash, with patients and frozen labels", async () => {
    const model = buildModel(tf, SPEC);
    const members = await version.members("validation");
    const rows = await predictStored(tf, model, CARD, store, version, { split: "validation", batchSize: 2 });
    expect(rows.map((r) => [r.name, r.patientId, r.labels])).toEqual(
      members.map((m) => [m.sha256, m.patientId, m.labels["label"]]),
    );
    // The same as predicting the datasets directly.
    const direct = await predictDatasets(
      tf,
      model,
      CARD,
      await Promise.all(members.map(async (m) => ({ name: m.sha256, dataset: await store.dataset(m.sha256) }))),
    );
    expect(rows.map((r) => r.probabilities)).toEqual(direct.map((r) => r.probabilities));
    for (const r of rows)
      expect((r.probabilities["0_normal"] ?? 0) + (r.probabilities["1_abnormal"] ?? 0)).toBeCloseTo(1, 6);
    expect(predictionsCsv(rows, CARD.classes).split("\n")[0]).toBe("file,p_0_normal,p_1_abnormal,predicted");
  });

  it("refuses a card whose classes do not fit the head", async () => {
    await expect(predictDatasets(tf, buildModel(tf, SPEC), { ...CARD, classes: ["a", "b", "c"] }, [])).rejects.toThrow(
      "The model card names 3 classes; its binary head needs 2.",
    );
  });
});
