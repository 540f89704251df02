import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildModel, type ModelSpec } from "../ml/model-spec";
import { saveModel } from "../ml/saved-model";
import { runCli } from "./main";

const DATA = path.resolve(__dirname, "../../../../shared/data");
const CT = path.join(DATA, "dicom", "pydicom", "test_files", "CT_small.dcm");
const PNG = path.join(DATA, "cxr", "nih1000", "images", "0_normal", "00000231_013.png");
const SPEC: ModelSpec = {
  kind: "model",
  architecture: "exercise-cnn",
  inputShape: [16, 16, 1],
  head: { kind: "binary" },
  seed: 1,
};
const PIPELINE = {
  kind: "pipeline",
  name: "predict-test",
  steps: [
    { kind: "decode", frame: 0 },
    { kind: "window", source: "auto" },
    { kind: "resize", size: [16, 16], method: "area", fit: "stretch" },
    { kind: "normalise", method: "minmax" },
  ],
};

let folder: string;
beforeAll(async () => {
  await tf.setBackend("cpu");
  folder = path.join(mkdtempSync(path.join(tmpdir(), "radlab-predict-")), "model");
  await saveModel(tf, buildModel(tf, SPEC), folder, {
    format: "radlab-model/1",
    spec: SPEC,
    classes: ["0_normal", "1_abnormal"],
    pipeline: PIPELINE,
    datasetVersion: null,
    lineageRun: null,
    metrics: {},
    epoch: null,
    savedAt: "2026-12-03T00:00:00.000Z",
  });
}, 60_000);

function capture() {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
      env: {},
    },
  };
}

describe("radlab predict", () => {
  it("prints one CSV row per DICOM file and PNG image, and lists what it skipped", async () => {
    const junk = path.join(path.dirname(folder), "notes.txt");
    writeFileSync(junk, "not an image");
    const { out, io } = capture();
    const status = await runCli(["predict", "--model", folder, CT, PNG, junk], io);
    const lines = out.stdout.trim().split("\n");
    expect(lines[0]).toBe("file,p_0_normal,p_1_abnormal,predicted");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual([CT, PNG]);
    for (const line of lines.slice(1)) {
      const [, p0, p1, predicted] = line.split(",");
      expect(Number(p0) + Number(p1)).toBeCloseTo(1, 5);
      expect(predicted).toBe(Number(p1) >= 0.5 ? "1_abnormal" : "0_normal");
    }
    expect(status).toBe(1);
    expect(out.stderr).toContain("Skipped (1), neither DICOM nor PNG or unreadable:");
    expect(out.stderr).toContain("notes.txt");
    expect(out.stderr).toMatch(/^TensorFlow\.js backend: (wasm|tensorflow|tensorflow-gpu) \(/);
  });

  it("scores the same image the same way on every run", async () => {
    const a = capture();
    const b = capture();
    expect(await runCli(["predict", "--model", folder, CT], a.io)).toBe(0);
    await runCli(["predict", "--model", folder, "--batch", "1", CT], b.io);
    expect(b.out.stdout).toBe(a.out.stdout);
  });

  it("refuses a missing model, a bad threshold and a path that does not exist", async () => {
    const c = capture();
    expect(await runCli(["predict", CT], c.io)).toBe(2);
    expect(c.out.stderr).toContain("radlab predict: --model <folder> is required");
    const d = capture();
    expect(await runCli(["predict", "--model", folder, "--threshold", "2", CT], d.io)).toBe(2);
    expect(d.out.stderr).toContain("radlab predict: --threshold 2 is not a probability from 0 to 1");
    const e = capture();
    expect(await runCli(["predict", "--model", path.dirname(folder), CT], e.io)).toBe(2);
    expect(e.out.stderr).toContain("holds no model.json: it is not a model saved by radlab.");
  });
});
