import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildModel, type ModelSpec } from "./model-spec";
import { loadModel, saveModel, type ModelCard } from "./saved-model";

const SPEC: ModelSpec = {
  kind: "model",
  architecture: "exercise-cnn",
  inputShape: [64, 64, 1],
  head: { kind: "binary" },
  seed: 7,
};

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const card = (spec: ModelSpec): ModelCard => ({
  format: "radlab-model/1",
  spec,
  classes: ["0_normal", "1_abnormal"],
  pipeline: { kind: "pipeline", name: "cxr-64", steps: [] },
  datasetVersion: null,
  lineageRun: null,
  metrics: { auc: 0.5 },
  epoch: 0,
  savedAt: "2026-12-03T00:00:00.000Z",
});

describe("model specs", () => {
  it("builds the exercise CNN and the small CNN with seeded, reproducible weights", () => {
    const a = buildModel(tf, SPEC);
    const b = buildModel(tf, SPEC);
    // conv 3x3x32 (320) + conv 3x3x64 (18,496) + dense 12,544->128 (1,605,760) + dense 128->1 (129)
    expect(a.countParams()).toBe(320 + 18_496 + 1_605_760 + 129);
    expect(a.outputs[0]?.shape).toEqual([null, 1]);
    const weights = (m: tf.Sequential) => m.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights(b)).toEqual(weights(a));
    expect(weights(buildModel(tf, { ...SPEC, seed: 8 }))[0]).not.toEqual(weights(a)[0]);
    const small = buildModel(tf, { ...SPEC, architecture: "small-cnn", head: { kind: "multilabel", classes: 14 } });
    expect(small.outputs[0]?.shape).toEqual([null, 14]);
    expect(small.layers.filter((l) => l.getClassName() === "Conv2D")).toHaveLength(6);
  });

  it("lists every problem of a bad spec", () => {
    expect(() =>
      buildModel(tf, {
        kind: "model",
        architecture: "resnet" as "small-cnn",
        inputShape: [8, 8, 1],
        head: { kind: "multiclass", classes: 1 },
        seed: 0.5,
      }),
    ).toThrow(
      'The model spec is invalid: unknown architecture "resnet"; inputShape 8x8x1 is smaller than 16 x 16; a multiclass head needs at least 2 classes, not 1; seed 0.5 is not an integer.',
    );
  });
});

describe("saved models", () => {
  it("saves and loads a model whole: the same predictions, card and content hash", async () => {
    const folder = path.join(mkdtempSync(path.join(tmpdir(), "radlab-model-")), "cxr");
    const model = buildModel(tf, SPEC);
    const hash = await saveModel(tf, model, folder, card(SPEC));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const loaded = await loadModel(tf, folder);
    expect(loaded.hash).toBe(hash);
    expect(loaded.card.classes).toEqual(["0_normal", "1_abnormal"]);
    const x = tf.randomUniform([3, 64, 64, 1], 0, 1, "float32", 1);
    const before = Array.from((model.predict(x) as tf.Tensor).dataSync());
    const after = Array.from((loaded.model.predict(x) as tf.Tensor).dataSync());
    expect(after).toEqual(before);
    // Saving again over the folder replaces it whole; the same content gives the same hash.
    expect(await saveModel(tf, model, folder, { ...card(SPEC), savedAt: "2026-12-04T00:00:00.000Z" })).toBe(hash);
  });

  it("says which file is missing or broken", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "radlab-model-bad-"));
    await expect(loadModel(tf, folder)).rejects.toThrow(
      `${folder} holds no model.json: it is not a model saved by radlab.`,
    );
    writeFileSync(path.join(folder, "model.json"), "{}");
    writeFileSync(path.join(folder, "weights.bin"), "");
    writeFileSync(path.join(folder, "radlab-model.json"), "{ not json");
    await expect(loadModel(tf, folder)).rejects.toMatchObject({ code: "model-load" });
  });
});
