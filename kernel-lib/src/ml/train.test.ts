import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../core/seeded-random";
import { selectBackend } from "./backend";
import { buildModel, type ModelSpec } from "./model-spec";
import { seededPermutation, trainModel, type TrainingData } from "./train";

const SPEC: ModelSpec = {
  kind: "model",
  architecture: "exercise-cnn",
  inputShape: [16, 16, 1],
  head: { kind: "binary" },
  seed: 3,
};

beforeAll(async () => {
  // The wasm backend with radlab's gradient kernels: the stock cpu backend's convolution gradients
  // make these tests take minutes.
  await selectBackend({ prefer: ["wasm"] });
}, 60_000);

/** n noisy 16 x 16 images; the positives have a bright 6 x 6 square. */
function squares(n: number, seed: number): TrainingData {
  const random = seededRandom(seed);
  const xs = new Float32Array(n * 256);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const positive = i % 2 === 1;
    ys[i] = positive ? 1 : 0;
    const ox = Math.floor(random() * 10);
    const oy = Math.floor(random() * 10);
    for (let p = 0; p < 256; p++) {
      const [x, y] = [p % 16, Math.floor(p / 16)];
      const inside = positive && x >= ox && x < ox + 6 && y >= oy && y < oy + 6;
      xs[i * 256 + p] = 0.3 * random() + (inside ? 0.7 : 0);
    }
  }
  return { xs: tf.tensor4d(xs, [n, 16, 16, 1]), ys: tf.tensor2d(ys, [n, 1]) };
}

const train = () => squares(64, 1);
const validation = () => squares(32, 2);

describe("trainModel", { timeout: 120_000 }, () => {
  it("learns, restores the best epoch's weights and reports its figures", async () => {
    const model = buildModel(tf, SPEC);
    const val = validation();
    const result = await trainModel(tf, model, SPEC, train(), val, {
      epochs: 6,
      batchSize: 16,
      learningRate: 0.005,
      showProgress: false,
    });
    expect(result.stopped).toBe("completed");
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Object.keys(result.history[0]?.logs ?? {}).sort()).toEqual(["accuracy", "loss", "val_accuracy", "val_loss"]);
    const best = result.history.reduce((a, b) => ((b.logs["val_loss"] ?? 9) < (a.logs["val_loss"] ?? 9) ? b : a));
    expect(result.bestEpoch).toBe(best.epoch);
    expect(result.best?.["val_accuracy"]).toBeGreaterThanOrEqual(0.9);
    // The model holds the best epoch's weights: evaluating gives that epoch's validation loss.
    const [loss] = model.evaluate(val.xs, val.ys) as tf.Scalar[];
    expect(loss?.dataSync()[0]).toBeCloseTo(best.logs["val_loss"] ?? 0, 5);
    expect(result.curves.toMimeBundle().data["image/svg+xml"]).toContain("<polyline");
  });

  it("is reproducible: the same seed gives the same history", async () => {
    const run = async () =>
      (
        await trainModel(tf, buildModel(tf, SPEC), SPEC, train(), validation(), {
          epochs: 2,
          batchSize: 16,
          showProgress: false,
        })
      ).history.map((h) => h.logs);
    expect(await run()).toEqual(await run());
  });

  it("augments the training images with a seeded draw per epoch and image, reproducibly", async () => {
    const augment = {
      kind: "augment",
      seed: 9,
      flipHorizontal: 0.5,
      rotationDegrees: 10,
      translation: 0.1,
      brightness: 0.1,
      contrast: 0.1,
    } as const;
    const run = async (withAugment: boolean) =>
      (
        await trainModel(tf, buildModel(tf, SPEC), SPEC, train(), validation(), {
          epochs: 2,
          batchSize: 16,
          showProgress: false,
          ...(withAugment ? { augment } : {}),
        })
      ).history.map((h) => h.logs);
    const augmented = await run(true);
    expect(await run(true)).toEqual(augmented);
    expect(augmented[0]?.["loss"]).not.toBe((await run(false))[0]?.["loss"]);
    await expect(
      trainModel(tf, buildModel(tf, SPEC), SPEC, train(), null, {
        epochs: 1,
        showProgress: false,
        augment: { ...augment, rotationDegrees: -5 },
      }),
    ).rejects.toMatchObject({ code: "transform-spec" });
  });

  it("stops early when the monitored measure stops improving, and on an abort", async () => {
    const early = await trainModel(tf, buildModel(tf, SPEC), SPEC, train(), validation(), {
      epochs: 30,
      batchSize: 16,
      learningRate: 0.005,
      earlyStopping: { monitor: "val_accuracy", patience: 2 },
      showProgress: false,
    });
    expect(early.stopped).toBe("early-stopping");
    expect(early.history.length).toBe((early.bestEpoch ?? 0) + 2);
    const controller = new AbortController();
    const aborted = await trainModel(tf, buildModel(tf, SPEC), SPEC, train(), validation(), {
      epochs: 5,
      batchSize: 16,
      onBest: () => controller.abort(),
      signal: controller.signal,
      showProgress: false,
    });
    expect([aborted.stopped, aborted.bestEpoch, aborted.history.length]).toEqual(["interrupted", 1, 1]);
  });

  it("refuses data that does not fit the model, naming each mismatch", async () => {
    const data = { xs: tf.zeros([4, 8, 8, 1]) as tf.Tensor4D, ys: tf.zeros([4, 2]) as tf.Tensor2D };
    await expect(trainModel(tf, buildModel(tf, SPEC), SPEC, data, null, { epochs: 0 })).rejects.toThrow(
      "The training data does not fit the model: images are 8x8x1, the model takes 16x16x1; targets are [4, 2], the model needs [4, 1]; epochs 0 is not a positive integer.",
    );
  });

  it("permutes with a seed", () => {
    expect(seededPermutation(6, seededRandom(1))).toEqual(seededPermutation(6, seededRandom(1)));
    expect([...seededPermutation(6, seededRandom(1))].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
