import { createHash } from "node:crypto";
import * as path from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../core/canonical-json";
import { RadlabError } from "../core/radlab-error";
import { parametersHash } from "../datasets/lineage";
import { resampleArea } from "../datasets/resample-area";
import { decodeFrame } from "../dicom/pixels/decode-frame";
import { renderFrame } from "../dicom/pixels/render";
import { readDicom } from "../dicom/read";
import { DICOM_DATA } from "../dicom/test-support/corpus";
import { decodeImage } from "./decode";
import { parsePipeline, safeParsePipeline } from "./parse-pipeline";
import { deterministicPrefix, type Pipeline } from "./pipeline";
import { pipelineHash, pipelineLineageParameters } from "./pipeline-hash";
import { runPipeline } from "./run-pipeline";
import { TransformSpecError } from "./transform-spec-error";
import type { TransformImage } from "./transform-image";

const read = (name: string) => readDicom(readFileSync(path.join(DICOM_DATA, "pydicom", "test_files", name)));

/** The SHA-256 of an image's float32 values (little-endian bytes). */
const checksum = (image: TransformImage) =>
  createHash("sha256")
    .update(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength))
    .digest("hex");

const ctLung: Pipeline = {
  kind: "pipeline",
  name: "ct-lung-64",
  steps: [
    { kind: "decode", frame: 0 },
    { kind: "window", source: "preset", preset: "lung" },
    { kind: "resize", size: [64, 64], method: "area", fit: "stretch" },
    { kind: "normalise", method: "minmax" },
  ],
};

const augment = {
  kind: "augment",
  seed: 11,
  flipHorizontal: 0.5,
  rotationDegrees: 10,
  translation: 0.05,
  brightness: 0.1,
  contrast: 0.1,
} as const;

describe("pipelineHash", () => {
  it("is the SHA-256 of the canonical JSON, pinned", () => {
    expect(pipelineHash(ctLung)).toBe("0080e4f5a4361f9b75127a92e36cfd039778effaf4d4f42deb286c24b8b317b6");
    expect(pipelineHash(ctLung)).toBe(createHash("sha256").update(canonicalJson(ctLung)).digest("hex"));
  });

  it("does not depend on key order, and changes with any parameter or the name", () => {
    const reordered = JSON.parse(
      '{"steps":[{"frame":0,"kind":"decode"},{"preset":"lung","source":"preset","kind":"window"},' +
        '{"fit":"stretch","method":"area","size":[64,64],"kind":"resize"},{"method":"minmax","kind":"normalise"}],' +
        '"name":"ct-lung-64","kind":"pipeline"}',
    ) as Pipeline;
    expect(pipelineHash(reordered)).toBe(pipelineHash(ctLung));
    const hashes = new Set([
      pipelineHash(ctLung),
      pipelineHash({ ...ctLung, name: "ct-lung-64b" }),
      pipelineHash({
        ...ctLung,
        steps: [
          ...ctLung.steps.slice(0, 2),
          { kind: "resize", size: [64, 65], method: "area", fit: "stretch" },
          ...ctLung.steps.slice(3),
        ],
      }),
      pipelineHash({ ...ctLung, steps: [...ctLung.steps.slice(0, 3), { kind: "normalise", method: "zscore" }] }),
    ]);
    expect(hashes.size).toBe(4);
  });

  it("refuses an invalid pipeline", () => {
    expect(() => pipelineHash({ ...ctLung, name: "" })).toThrow(TransformSpecError);
  });
});

describe("safeParsePipeline", () => {
  it("lists every issue with its path", () => {
    const result = safeParsePipeline({
      kind: "pipeline",
      name: "ct lung",
      steps: [
        { kind: "window", source: "preset", preset: "lungs" },
        { kind: "decode", frame: -1 },
        { kind: "resize", size: [0, 64], method: "nearest", fit: "stretch", padValue: 0 },
        { kind: "blur", sigma: 2 },
        { kind: "normalise", method: "fixed", mean: "0.5", std: 0 },
        {
          kind: "augment",
          seed: 1.5,
          flipHorizontal: 2,
          rotationDegrees: 10,
          translation: 0.1,
          brightness: 0,
          contrst: 0.1,
        },
        { kind: "window", source: "auto" },
        "grayscale",
      ],
      extra: true,
    });
    expect(result).toEqual({
      success: false,
      issues: [
        { code: "format", path: "name", message: 'name must be letters, digits, "_", "." and "-"; it is "ct lung".' },
        { code: "unknown-key", path: "extra", message: "A pipeline has no field extra; its fields are name, steps." },
        {
          code: "enum",
          path: "steps[0].preset",
          message:
            'preset must be one of "brain", "subdural", "stroke", "lung", "mediastinum", "abdomen", "liver", "bone"; it is "lungs" (did you mean "lung"?).',
        },
        { code: "range", path: "steps[1].frame", message: "frame must be an integer of at least 0; it is -1." },
        { code: "order", path: "steps[1]", message: "decode reads a DICOM dataset: it can only be the first step." },
        {
          code: "range",
          path: "steps[2].size",
          message: "size must be [rows, columns], two integers from 1 to 16384; it is [0,64].",
        },
        {
          code: "enum",
          path: "steps[2].method",
          message: 'method must be one of "area", "bilinear"; it is "nearest".',
        },
        {
          code: "unknown-key",
          path: "steps[2].padValue",
          message: 'padValue applies only with fit "pad"; remove it or use fit "pad".',
        },
        {
          code: "unknown-kind",
          path: "steps[3].kind",
          message:
            'kind must be one of "decode", "window", "grayscale", "resize", "normalise", "augment"; it is "blur".',
        },
        { code: "type", path: "steps[4].mean", message: 'mean must be a number; it is "0.5".' },
        { code: "range", path: "steps[4].std", message: "std must be a number above 0; it is 0." },
        { code: "range", path: "steps[5].seed", message: "seed must be an integer from 0 to 4294967295; it is 1.5." },
        {
          code: "range",
          path: "steps[5].flipHorizontal",
          message: "flipHorizontal must be a number from 0 to 1; it is 2.",
        },
        { code: "missing", path: "steps[5].contrast", message: "contrast is required." },
        {
          code: "unknown-key",
          path: "steps[5].contrst",
          message:
            'An augment step has no field contrst (did you mean "contrast"?); its fields are seed, flipHorizontal, rotationDegrees, translation, brightness, contrast.',
        },
        {
          code: "order",
          path: "steps[6]",
          message:
            "window reads modality values, but steps[5] (augment) has already changed them: put window before any grayscale, normalise or augment step, and use one window.",
        },
        {
          code: "not-object",
          path: "steps[7]",
          message: 'A step is an object { kind, ...parameters }; this is "grayscale".',
        },
      ],
    });
  });

  it("checks each variant's own parameters", () => {
    const issues = (steps: unknown[]) => {
      const result = safeParsePipeline({ kind: "pipeline", name: "p", steps });
      return result.success ? [] : result.issues.map((i) => `${i.code} ${i.path}`);
    };
    expect(issues([{ kind: "resize", size: [8, 8], method: "area", fit: "pad" }])).toEqual([
      "missing steps[0].padValue",
    ]);
    expect(issues([{ kind: "window", source: "values", center: 40 }])).toEqual(["missing steps[0].width"]);
    expect(issues([{ kind: "window", source: "auto", center: 40 }])).toEqual(["unknown-key steps[0].center"]);
    expect(issues([{ kind: "window", source: "levels", center: 40, width: 400 }])).toEqual(["enum steps[0].source"]);
    expect(issues([{ kind: "normalise", method: "minmax", mean: 0 }])).toEqual(["unknown-key steps[0].mean"]);
    expect(issues([{ kind: "grayscale", weights: "bt709" }])).toEqual(["unknown-key steps[0].weights"]);
    expect(issues([{ kind: "resize", size: 64, method: "area", fit: "stretch" }])).toEqual(["type steps[0].size"]);
    expect(issues([{ kind: "normalise", method: "zscore" }, { kind: "grayscale" }])).toEqual([]);
    expect(safeParsePipeline({ kind: "pipeline", name: "p", steps: [new Date(0)] })).toMatchObject({
      issues: [{ code: "not-object", message: "A step is an object { kind, ...parameters }; this is a Date." }],
    });
    // Only plain objects: JSON would drop inherited fields.
    expect(issues([Object.create({ kind: "grayscale" }) as object])).toEqual(["not-object steps[0]"]);
    expect(issues([Object.assign(Object.create(null) as object, { kind: "grayscale" })])).toEqual([]);
    expect(issues([{ kind: "decode", frame: undefined }])).toEqual(["missing steps[0].frame"]);
    expect(safeParsePipeline(null)).toEqual({
      success: false,
      issues: [
        {
          code: "not-object",
          path: "",
          message: 'A pipeline is an object { kind: "pipeline", name, steps }; this is null.',
        },
      ],
    });
    expect(safeParsePipeline({ kind: "pipe", name: "p" })).toEqual({
      success: false,
      issues: [
        { code: "unknown-kind", path: "kind", message: 'kind must be "pipeline"; it is "pipe".' },
        { code: "missing", path: "steps", message: "steps is required." },
      ],
    });
  });

  it("returns a frozen copy; parsePipeline throws transform-spec", () => {
    const input = JSON.parse(JSON.stringify(ctLung)) as Pipeline;
    const parsed = parsePipeline(input);
    expect(parsed).toEqual(ctLung);
    expect(parsed).not.toBe(input);
    expect(Object.isFrozen(parsed) && Object.isFrozen(parsed.steps) && Object.isFrozen(parsed.steps[2])).toBe(true);
    let error: unknown;
    try {
      parsePipeline({ kind: "pipeline", name: "x", steps: [{ kind: "blur" }] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransformSpecError);
    expect(error).toMatchObject({
      code: "transform-spec",
      message:
        'Invalid preprocessing pipeline (1 issue(s)):\n  steps[0].kind: kind must be one of "decode", "window", "grayscale", "resize", "normalise", "augment"; it is "blur".\n' +
        'How to fix: Write the pipeline as { kind: "pipeline", name, steps: [...] } with every parameter of every step spelled out (see the step types, for example ResizeStep).',
      evidence: { path: "steps[0].kind" },
      issues: [{ code: "unknown-kind", path: "steps[0].kind" }],
    });
  });
});

describe("deterministicPrefix and pipelineLineageParameters", () => {
  const augmented: Pipeline = { ...ctLung, steps: [...ctLung.steps, augment, { kind: "normalise", method: "zscore" }] };

  it("keeps the steps before the first augment", () => {
    expect(deterministicPrefix(augmented)).toEqual(ctLung);
    expect(deterministicPrefix(ctLung)).toEqual(ctLung);
  });

  it("gives canonical parameters whose parametersHash is the pipeline hash", () => {
    const lineage = pipelineLineageParameters(augmented);
    expect(JSON.stringify(lineage.parameters)).toBe(canonicalJson(augmented));
    expect(lineage.hash).toBe(pipelineHash(augmented));
    expect(parametersHash(lineage.parameters)).toBe(lineage.hash);
    expect(Object.isFrozen(lineage.parameters)).toBe(true);
  });
});

describe("runPipeline", () => {
  it("takes CT_small from Hounsfield units to a 64 x 64 lung-window image in 0..1", async () => {
    const out = await runPipeline(ctLung, read("CT_small.dcm"));
    expect(out.shape).toEqual([64, 64, 1]);
    expect(out.photometricInterpretation).toBe("MONOCHROME2");
    expect(Math.min(...out.data)).toBe(0);
    expect(Math.max(...out.data)).toBe(1);
    expect(checksum(out)).toBe("64d55710e0719e2ae651e2a6ca35cf732976a423d937e665945afc03bc9bf028");
    // Peer check: the viewer's rendering with the lung preset, area-resampled and scaled to 0..1.
    const ds = read("CT_small.dcm");
    const rendered = renderFrame(ds, await decodeFrame(ds), "lung");
    const grey = Float32Array.from({ length: 128 * 128 }, (_, i) => rendered.rgba[4 * i] ?? 0);
    const small = resampleArea(grey, 128, 128, 64, 64);
    const [min, max] = [Math.min(...small), Math.max(...small)];
    expect(out.data).toEqual(small.map((v) => (v - min) / (max - min)));
  });

  it("takes MR_small through its file window, a padded bilinear resize and a z-score", async () => {
    const mrPipeline: Pipeline = {
      kind: "pipeline",
      name: "mr",
      steps: [
        { kind: "decode", frame: 0 },
        { kind: "window", source: "file" },
        { kind: "resize", size: [48, 32], method: "bilinear", fit: "pad", padValue: 0 },
        { kind: "normalise", method: "zscore" },
      ],
    };
    const out = await runPipeline(mrPipeline, read("MR_small.dcm"));
    expect(out.shape).toEqual([48, 32, 1]);
    expect(checksum(out)).toBe("f925eeeac3c12ba028450cf40f65100d7af6d47d8d2db590ce483c408a842f01");
    // 64 x 64 fits 48 x 32 at half size: 8 rows of padding above and below the 32 x 32 image.
    const padded = out.data[0];
    expect(out.data.subarray(0, 8 * 32).every((v) => v === padded)).toBe(true);
    expect(out.data.subarray(40 * 32).every((v) => v === padded)).toBe(true);
    expect(out.data.subarray(8 * 32, 40 * 32).some((v) => v !== padded)).toBe(true);
  });

  it("runs on an image when there is no decode step", async () => {
    const input: TransformImage = {
      data: Float32Array.from([0, 100, 400, 1000]),
      shape: [2, 2, 1],
      photometricInterpretation: "MONOCHROME1",
    };
    const out = await runPipeline(
      { kind: "pipeline", name: "cr", steps: [{ kind: "grayscale" }, { kind: "normalise", method: "minmax" }] },
      input,
    );
    expect(out).toEqual({
      data: Float32Array.from([1, 0.9, 0.6, 0]),
      shape: [2, 2, 1],
      photometricInterpretation: "MONOCHROME2",
    });
  });

  it("augments reproducibly by epoch and sample index", async () => {
    const pipeline: Pipeline = { ...ctLung, steps: [...ctLung.steps, augment] };
    const ds = read("CT_small.dcm");
    const a = await runPipeline(pipeline, ds, { epoch: 0, sampleIndex: 4 });
    expect((await runPipeline(pipeline, ds, { epoch: 0, sampleIndex: 4 })).data).toEqual(a.data);
    expect((await runPipeline(pipeline, ds, { epoch: 1, sampleIndex: 4 })).data).not.toEqual(a.data);
    expect((await runPipeline(pipeline, ds, { epoch: 0, sampleIndex: 5 })).data).not.toEqual(a.data);
    await expect(runPipeline(pipeline, ds)).rejects.toThrow(
      new RadlabError("transform-input", "The pipeline augments, so it needs the epoch and the sample index.", {
        hint: "Pass { epoch, sampleIndex } as runPipeline's context, or run deterministicPrefix(pipeline) for un-augmented images.",
      }),
    );
  });

  it("says when the input does not fit the pipeline", async () => {
    const ds = read("CT_small.dcm");
    const image = await decodeImage(ds, { kind: "decode", frame: 0 });
    await expect(runPipeline(ctLung, image)).rejects.toThrow(
      "The pipeline starts with decode, but the input is an image, not a DICOM dataset.",
    );
    await expect(runPipeline({ ...ctLung, steps: ctLung.steps.slice(1) }, ds)).rejects.toThrow(
      "The input is a DICOM dataset ((memory)), but the pipeline does not start with decode.",
    );
    await expect(
      runPipeline(
        { kind: "pipeline", name: "p", steps: [] },
        { data: new Float32Array(3), shape: [2, 2, 1], photometricInterpretation: "MONOCHROME2" },
      ),
    ).rejects.toThrow("The pipeline's input holds 3 values, but its shape [2, 2, 1] needs 4.");
    await expect(runPipeline({ ...ctLung, name: "" }, ds)).rejects.toThrow(TransformSpecError);
  });
});
