import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RadlabError } from "../core/radlab-error";
import { readDicom } from "../dicom/read";
import { DICOM_DATA } from "../dicom/test-support/corpus";
import { deterministicPrefix, type Pipeline } from "./pipeline";
import { PipelineCache } from "./pipeline-cache";
import { pipelineHash } from "./pipeline-hash";
import { runPipeline } from "./run-pipeline";

const bytes = readFileSync(path.join(DICOM_DATA, "pydicom", "test_files", "CT_small.dcm"));
const sha256 = createHash("sha256").update(bytes).digest("hex");
const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

function freshCache(): PipelineCache {
  const folder = mkdtempSync(path.join(tmpdir(), "radlab-transform-cache-"));
  folders.push(folder);
  return new PipelineCache(path.join(folder, "cache", "transforms"));
}

const ctLung: Pipeline = {
  kind: "pipeline",
  name: "ct-lung-64",
  steps: [
    { kind: "decode", frame: 0 },
    { kind: "window", source: "preset", preset: "lung" },
    { kind: "resize", size: [64, 64], method: "area", fit: "stretch" },
    { kind: "normalise", method: "minmax" },
    {
      kind: "augment",
      seed: 3,
      flipHorizontal: 0.5,
      rotationDegrees: 10,
      translation: 0.05,
      brightness: 0,
      contrast: 0,
    },
  ],
};

/** An instance whose loads are counted. */
function instance() {
  const counter = { loads: 0 };
  return {
    counter,
    instance: {
      sha256,
      load: () => {
        counter.loads++;
        return readDicom(bytes);
      },
    },
  };
}

describe("PipelineCache", () => {
  it("stores the deterministic prefix under <pipeline hash>/<ab>/<sha256>.f32 and hits on the next read", async () => {
    const cache = freshCache();
    const { counter, instance: ct } = instance();
    const file = cache.pathOf(ctLung, sha256);
    expect(file).toBe(
      path.join(cache.folder, pipelineHash(deterministicPrefix(ctLung)), sha256.slice(0, 2), `${sha256}.f32`),
    );
    const context = { epoch: 2, sampleIndex: 9 };
    const first = await cache.run(ctLung, ct, context);
    expect(cache.stats).toEqual({ hits: 0, misses: 1, corrupt: 0 });
    const second = await cache.run(ctLung, ct, context);
    expect(cache.stats).toEqual({ hits: 1, misses: 1, corrupt: 0 });
    expect(counter.loads).toBe(1);
    const direct = await runPipeline(ctLung, readDicom(bytes), context);
    expect(Buffer.from(second.data.buffer).equals(Buffer.from(direct.data.buffer))).toBe(true);
    expect(first).toEqual(direct);
    // The file holds the prefix output: header, then 64 * 64 float32 values.
    const stored = readFileSync(file);
    expect(stored.subarray(0, 8).toString("latin1")).toBe("RLF32v1\n");
    const prefix = await runPipeline(deterministicPrefix(ctLung), readDicom(bytes));
    expect(stored.subarray(stored.length - 64 * 64 * 4).equals(Buffer.from(prefix.data.buffer))).toBe(true);
    expect(readdirSync(path.dirname(file))).toEqual([`${sha256}.f32`]); // no temporary file left
  });

  it("keeps hitting when only the augmentation changes, and augments per epoch", async () => {
    const cache = freshCache();
    const { counter, instance: ct } = instance();
    const a = await cache.run(ctLung, ct, { epoch: 0, sampleIndex: 0 });
    const other = {
      ...ctLung,
      steps: [...ctLung.steps.slice(0, 4), { ...ctLung.steps[4], kind: "augment", seed: 4 }],
    } as Pipeline;
    const b = await cache.run(other, ct, { epoch: 0, sampleIndex: 0 });
    const c = await cache.run(ctLung, ct, { epoch: 1, sampleIndex: 0 });
    expect(cache.stats).toEqual({ hits: 2, misses: 1, corrupt: 0 });
    expect(counter.loads).toBe(1);
    expect(b.data).not.toEqual(a.data);
    expect(c.data).not.toEqual(a.data);
  });

  it("detects a corrupted or truncated file and recomputes it", async () => {
    const cache = freshCache();
    const { counter, instance: ct } = instance();
    const context = { epoch: 0, sampleIndex: 1 };
    const good = await cache.run(ctLung, ct, context);
    const file = cache.pathOf(ctLung, sha256);
    const original = readFileSync(file);

    const flipped = Buffer.from(original);
    flipped[flipped.length - 10] = (flipped[flipped.length - 10] ?? 0) ^ 0xff; // one value changed
    writeFileSync(file, flipped);
    expect((await cache.run(ctLung, ct, context)).data).toEqual(good.data);
    expect(cache.stats).toEqual({ hits: 0, misses: 2, corrupt: 1 });
    expect(readFileSync(file).equals(original)).toBe(true);

    writeFileSync(file, original.subarray(0, original.length - 4)); // truncated
    await cache.run(ctLung, ct, context);
    writeFileSync(
      file,
      Buffer.from(original.toString("latin1").replace('"shape":[64,64,1]', '"shape":[64,32,1]'), "latin1"),
    );
    await cache.run(ctLung, ct, context);
    writeFileSync(file, "not a cache file");
    await cache.run(ctLung, ct, context);
    expect(cache.stats).toEqual({ hits: 0, misses: 5, corrupt: 4 });
    expect(counter.loads).toBe(5);
    expect(readFileSync(file).equals(original)).toBe(true);
    await cache.run(ctLung, ct, context);
    expect(cache.stats).toEqual({ hits: 1, misses: 5, corrupt: 4 });
  });

  it("does not serve a file stored under another instance's name", async () => {
    const cache = freshCache();
    const { instance: ct } = instance();
    await cache.run(ctLung, ct, { epoch: 0, sampleIndex: 0 });
    const otherSha = "ab" + "0".repeat(62);
    const otherFile = cache.pathOf(ctLung, otherSha);
    mkdirSync(path.dirname(otherFile), { recursive: true });
    copyFileSync(cache.pathOf(ctLung, sha256), otherFile);
    let loads = 0;
    await cache.run(
      ctLung,
      {
        sha256: otherSha,
        load: () => {
          loads++;
          return readDicom(bytes);
        },
      },
      { epoch: 0, sampleIndex: 0 },
    );
    expect(loads).toBe(1);
    expect(cache.stats).toEqual({ hits: 0, misses: 2, corrupt: 1 });
  });

  it("rejects a malformed instance hash", () => {
    const cache = freshCache();
    expect(() => cache.pathOf(ctLung, "../../etc/passwd")).toThrow(
      new RadlabError("transform-cache", '"../../etc/passwd" is not an instance\'s SHA-256.', {
        hint: "Pass the instance's content hash as 64 lowercase hex digits (the store's sha256 column).",
      }),
    );
  });
});
