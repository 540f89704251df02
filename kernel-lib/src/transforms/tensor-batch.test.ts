import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { RadlabError } from "../core/radlab-error";
import { seededRandom } from "../core/seeded-random";
import { normaliseImage, type NormaliseStep } from "./normalise";
import { resizeImage, type ResizeStep } from "./resize";
import { resizeNormaliseBatch, toTensorBatch } from "./tensor-batch";
import type { TransformImage } from "./transform-image";

function randomImage(seed: number, rows: number, columns: number, channels: 1 | 3): TransformImage {
  const random = seededRandom(seed);
  return {
    data: Float32Array.from({ length: rows * columns * channels }, () => -500 + 2000 * random()),
    shape: [rows, columns, channels],
    photometricInterpretation: channels === 3 ? "RGB" : "MONOCHROME2",
  };
}

describe("toTensorBatch", () => {
  it("stacks images into [images, rows, columns, channels]; the caller disposes", async () => {
    const before = tf.memory().numTensors;
    const a = {
      data: Float32Array.from([1, 2, 3, 4]),
      shape: [2, 2, 1],
      photometricInterpretation: "MONOCHROME2",
    } as const;
    const b = { ...a, data: Float32Array.from([5, 6, 7, 8]) };
    const xs = toTensorBatch([a, b]);
    expect(xs.shape).toEqual([2, 2, 2, 1]);
    expect(xs.dtype).toBe("float32");
    expect(Array.from(await xs.data())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(tf.memory().numTensors).toBe(before + 1);
    xs.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("refuses an empty list and mixed shapes", () => {
    expect(() => toTensorBatch([])).toThrow(
      new RadlabError("transform-input", "toTensorBatch needs at least one image."),
    );
    expect(() => toTensorBatch([randomImage(1, 2, 2, 1), randomImage(2, 2, 3, 1)])).toThrow(
      "Image 1 has shape [2, 3, 1], image 0 [2, 2, 1]: a batch needs one shape.",
    );
  });
});

describe("resizeNormaliseBatch", () => {
  const images = [randomImage(1, 13, 17, 1), randomImage(2, 13, 17, 1), randomImage(3, 13, 17, 1)];
  const resize: ResizeStep = { kind: "resize", size: [8, 24], method: "bilinear", fit: "stretch" };
  const methods: NormaliseStep[] = [
    { kind: "normalise", method: "minmax" },
    { kind: "normalise", method: "zscore" },
    { kind: "normalise", method: "fixed", mean: 500, std: 1000 },
  ];

  for (const normalise of methods) {
    it(`agrees with resizeImage and normaliseImage within 1e-5 (${normalise.method})`, async () => {
      const before = tf.memory().numTensors;
      const xs = toTensorBatch(images);
      const ys = resizeNormaliseBatch(xs, resize, normalise);
      expect(ys.shape).toEqual([3, 8, 24, 1]);
      const got = await ys.data();
      xs.dispose();
      ys.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const want = images.flatMap((image) => Array.from(normaliseImage(resizeImage(image, resize), normalise).data));
      expect(got.length).toBe(want.length);
      const worst = want.reduce((m, v, i) => Math.max(m, Math.abs(v - (got[i] ?? NaN))), 0);
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it("resizes RGB batches the same way", async () => {
    const rgb = [randomImage(4, 5, 7, 3), randomImage(5, 5, 7, 3)];
    const up: ResizeStep = { kind: "resize", size: [11, 9], method: "bilinear", fit: "stretch" };
    const minmax: NormaliseStep = { kind: "normalise", method: "minmax" };
    const xs = toTensorBatch(rgb);
    const ys = resizeNormaliseBatch(xs, up, minmax);
    const got = await ys.data();
    tf.dispose([xs, ys]);
    const want = rgb.flatMap((image) => Array.from(normaliseImage(resizeImage(image, up), minmax).data));
    expect(want.reduce((m, v, i) => Math.max(m, Math.abs(v - (got[i] ?? NaN))), 0)).toBeLessThan(1e-5);
  });

  it("maps a constant image to 0 as the typed-array steps do", async () => {
    const flat = {
      data: new Float32Array(4).fill(3),
      shape: [2, 2, 1],
      photometricInterpretation: "MONOCHROME2",
    } as const;
    const xs = toTensorBatch([flat]);
    const ys = resizeNormaliseBatch(xs, { ...resize, size: [2, 2] }, { kind: "normalise", method: "zscore" });
    expect(Array.from(await ys.data())).toEqual([0, 0, 0, 0]);
    tf.dispose([xs, ys]);
  });

  it("refuses area resampling and padding, which tfjs does not have", () => {
    const xs = toTensorBatch(images);
    expect(() =>
      resizeNormaliseBatch(xs, { ...resize, method: "area" }, { kind: "normalise", method: "minmax" }),
    ).toThrow(
      new RadlabError(
        "transform-backend",
        'resizeNormaliseBatch resizes with method "bilinear" and fit "stretch" only; this step has method "area" and fit "stretch".',
        { hint: "Use resizeImage on each image (plain typed arrays) for area resampling or padding." },
      ),
    );
    expect(() =>
      resizeNormaliseBatch(xs, { ...resize, fit: "pad", padValue: 0 }, { kind: "normalise", method: "minmax" }),
    ).toThrow('this step has method "bilinear" and fit "pad"');
    xs.dispose();
  });
});
