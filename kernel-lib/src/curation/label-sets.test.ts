import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type ResearchStore } from "../store/research-store";
import { LabelSets, packBits, unpackBits } from "./label-sets";
import { importLabelStudio } from "./label-studio";
import { maskToBrush } from "./label-studio-rle";

const NIH = path.resolve(__dirname, "../../../../shared/data/cxr/nih1000");

let store: ResearchStore;
let labels: LabelSets;
let hashes: string[];

beforeAll(async () => {
  const home = mkdtempSync(path.join(tmpdir(), "radlab-labels-"));
  // Twelve images of the exercise set are enough to prove the label rules.
  const csv = readFileSync(path.join(NIH, "labels.csv"), "utf8").split("\n");
  const subset = path.join(home, "labels.csv");
  writeFileSync(subset, [...csv.slice(0, 7), ...csv.slice(500, 506)].join("\n"));
  store = await openStore({ home: path.join(home, "store") });
  await store.ingestImageFolder(NIH, { source: "NIH Clinical Center", labelsCsv: subset, showProgress: false });
  hashes = (await store.query("SELECT sha256 FROM instances ORDER BY sha256")).map((r) => String(r["sha256"]));
  labels = new LabelSets(store.db, store.objects);
}, 120_000);

afterAll(async () => {
  await store.close();
});

describe("label sets", () => {
  it("knows the sets ingest fills, and their values with the ingest as first history entry", async () => {
    expect((await labels.list()).map((d) => [d.name, d.kind])).toEqual([
      ["label", "multiclass"],
      ["nih_finding", "multilabel"],
    ]);
    const first = hashes[0] ?? "";
    const current = await labels.current(first);
    expect(Object.keys(current)).toEqual(["label", "nih_finding"]);
    const history = await labels.history(first, "label");
    expect(history.map((h) => [h.value, h.action, h.setBy, h.reason])).toEqual([
      [current["label"]?.[0], "add", "ingest", "ingest"],
    ]);
  });

  it("revises a multiclass label with history: who, when, why, and the old value removed", async () => {
    const sha = hashes[1] ?? "";
    const before = (await labels.current(sha))["label"]?.[0] ?? "";
    const other = before === "0_normal" ? "1_abnormal" : "0_normal";
    expect(
      await labels.set([{ sha256: sha, labelSet: "label", values: [other] }], { by: "ana", reason: "second read" }),
    ).toEqual({
      added: 1,
      removed: 1,
    });
    expect((await labels.current(sha))["label"]).toEqual([other]);
    const history = await labels.history(sha, "label");
    expect(history.map((h) => [h.value, h.action, h.setBy, h.reason])).toEqual([
      [before, "add", "ingest", "ingest"],
      [before, "remove", "ana", "second read"],
      [other, "add", "ana", "second read"],
    ]);
    // Two changes of one instance and set in one call: the later one is what is set.
    expect(
      await labels.set(
        [
          { sha256: sha, labelSet: "label", values: [before] },
          { sha256: sha, labelSet: "label", values: [other] },
        ],
        { by: "ana" },
      ),
    ).toEqual({ added: 0, removed: 0 });
    // Setting the same value again changes nothing and records nothing.
    expect(await labels.set([{ sha256: sha, labelSet: "label", values: [other] }], { by: "ana" })).toEqual({
      added: 0,
      removed: 0,
    });
    expect(await labels.history(sha, "label")).toHaveLength(3);
  });

  it("checks kinds and classes, lists every problem, and changes nothing when any change is bad", async () => {
    await labels.define({ name: "pneumothorax", kind: "binary", classes: ["absent", "present"] }, { by: "ana" });
    const sha = hashes[2] ?? "";
    const attempt = labels.set(
      [
        { sha256: sha, labelSet: "pneumothorax", values: ["present"] },
        { sha256: sha, labelSet: "pneumothorax", values: ["maybe"] },
        { sha256: sha, labelSet: "pneumothorax", values: ["absent", "present"] },
        { sha256: "0".repeat(64), labelSet: "pneumothorax", values: ["absent"] },
        { sha256: sha, labelSet: "no_such_set", values: ["x"] },
      ],
      { by: "ana" },
    );
    await expect(attempt).rejects.toMatchObject({ code: "label-value" });
    const message = await attempt.then(
      () => "",
      (e: Error) => e.message,
    );
    expect(message.split("\n").slice(0, -1)).toEqual([
      "4 of 5 label change(s) are invalid; nothing was changed:",
      `change 1 (${sha.slice(0, 12)}…, pneumothorax): "maybe" is not one of absent, present`,
      `change 2 (${sha.slice(0, 12)}…, pneumothorax): a binary label set takes exactly one value, not 2`,
      "change 3 (000000000000…, pneumothorax): no instance with this content hash is stored",
      `change 4 (${sha.slice(0, 12)}…, no_such_set): no label set is named no_such_set`,
    ]);
    expect((await labels.current(sha))["pneumothorax"]).toBeUndefined();
  });

  it("refuses bad definitions with the reason", async () => {
    await expect(labels.define({ name: "b", kind: "binary", classes: ["only"] }, { by: "ana" })).rejects.toThrow(
      "Binary label set b needs exactly two classes, not 1.",
    );
    await expect(labels.define({ name: "label", kind: "multiclass", classes: null }, { by: "ana" })).rejects.toThrow(
      "Label set label already exists.",
    );
    await expect(
      labels.define({ name: "x y", kind: "multiclass", classes: null }, { by: "ana" }),
    ).rejects.toMatchObject({ code: "label-set" });
    await expect(labels.getOrThrow("nope")).rejects.toThrow("No label set is named nope.");
  });

  it("stores boxes, polygons and masks, exactly, and keeps removed ones in the history", async () => {
    await labels.define({ name: "lesions", kind: "boxes", classes: ["nodule", "mass"] }, { by: "ana" });
    await labels.define({ name: "outline", kind: "polygons", classes: null }, { by: "ana" });
    await labels.define({ name: "lungs", kind: "masks", classes: ["lung"] }, { by: "ana" });
    const sha = hashes[3] ?? "";
    const size = Number((await store.query("SELECT rows FROM instances WHERE sha256 = $1", [sha]))[0]?.["rows"]);
    const mask = new Uint8Array(size * size);
    for (let i = 0; i < mask.length; i += 7) mask[i] = 1;
    const ids = await labels.annotate(
      [
        {
          sha256: sha,
          labelSet: "lesions",
          label: "nodule",
          frame: 0,
          geometry: { kind: "box", x: 10.5, y: 20, width: 30, height: 40 },
        },
        {
          sha256: sha,
          labelSet: "outline",
          label: "heart",
          frame: 0,
          geometry: {
            kind: "polygon",
            points: [
              [1, 1],
              [50, 2],
              [25, 60],
            ],
          },
        },
        {
          sha256: sha,
          labelSet: "lungs",
          label: "lung",
          frame: 0,
          geometry: { kind: "mask", mask: { rows: size, columns: size, data: mask } },
        },
      ],
      { by: "ana" },
    );
    expect(ids).toHaveLength(3);
    const stored = await labels.annotations(sha);
    const byLabel = new Map(stored.map((a) => [a.label, a]));
    expect(byLabel.get("nodule")?.geometry).toEqual({ kind: "box", x: 10.5, y: 20, width: 30, height: 40 });
    expect(byLabel.get("heart")?.geometry).toEqual({
      kind: "polygon",
      points: [
        [1, 1],
        [50, 2],
        [25, 60],
      ],
    });
    const lung = byLabel.get("lung")?.geometry;
    expect(lung?.kind === "mask" && Buffer.from(lung.mask.data).equals(Buffer.from(mask))).toBe(true);
    await labels.removeAnnotations([ids[0] ?? ""], { by: "ben", reason: "not a nodule" });
    expect((await labels.annotations(sha)).map((a) => a.label).sort()).toEqual(["heart", "lung"]);
    const all = await labels.annotations(sha, { labelSet: "lesions", includeRemoved: true });
    expect(all.map((a) => [a.label, a.setBy, a.removedBy])).toEqual([["nodule", "ana", "ben"]]);
    await expect(labels.removeAnnotations([ids[0] ?? ""], { by: "ben" })).rejects.toThrow(
      `Annotation ${ids[0] ?? ""} is already removed; nothing was removed.`,
    );
  });

  it("refuses regions that do not fit their set or image, listing each", async () => {
    const sha = hashes[4] ?? "";
    const attempt = labels.annotate(
      [
        {
          sha256: sha,
          labelSet: "lesions",
          label: "nodule",
          frame: 0,
          geometry: {
            kind: "polygon",
            points: [
              [1, 1],
              [2, 2],
              [3, 1],
            ],
          },
        },
        {
          sha256: sha,
          labelSet: "lesions",
          label: "cyst",
          frame: 0,
          geometry: { kind: "box", x: 0, y: 0, width: 5, height: 5 },
        },
        {
          sha256: sha,
          labelSet: "lesions",
          label: "mass",
          frame: 0,
          geometry: { kind: "box", x: 0, y: 0, width: 5000, height: 5 },
        },
        {
          sha256: sha,
          labelSet: "lesions",
          label: "mass",
          frame: 3,
          geometry: { kind: "box", x: 0, y: 0, width: 5, height: 5 },
        },
        {
          sha256: sha,
          labelSet: "label",
          label: "x",
          frame: 0,
          geometry: { kind: "box", x: 0, y: 0, width: 5, height: 5 },
        },
      ],
      { by: "ana" },
    );
    const message = await attempt.then(
      () => "",
      (e: Error) => e.message,
    );
    const where = `(${sha.slice(0, 12)}…`;
    expect(message.split("\n").slice(0, -1)).toEqual([
      "5 of 5 annotation(s) are invalid; nothing was added:",
      `annotation 0 ${where}, lesions): lesions holds boxes, not a polygon`,
      `annotation 1 ${where}, lesions): "cyst" is not one of nodule, mass`,
      `annotation 2 ${where}, lesions): box 0,0 5000x5 lies outside the 64 x 64 image`,
      `annotation 3 ${where}, lesions): frame 3 is not one of the instance's 1 frame(s)`,
      `annotation 4 ${where}, label): label is a multiclass label set; set its values with set()`,
    ]);
    expect(await labels.annotations(sha)).toEqual([]);
  });

  it("applies a Label Studio export: choices and regions by their annotator, once however often applied", async () => {
    await labels.define({ name: "quality", kind: "multiclass", classes: ["good", "poor"] }, { by: "ana" });
    const sha = hashes[5] ?? "";
    const mask = new Uint8Array(64 * 64).fill(1, 64 * 10, 64 * 20);
    const region = { original_width: 64, original_height: 64, image_rotation: 0, to_name: "image" };
    const exported = [
      {
        id: 1,
        data: { image: "/data/local-files/?d=tasks/images/x.png", radlab_sha256: sha },
        annotations: [
          {
            id: 9,
            completed_by: { id: 2, email: "cara@hospital.example" },
            was_cancelled: false,
            created_at: "2026-12-01T10:00:00Z",
            updated_at: "2026-12-01T10:05:00Z",
            result: [
              { id: "c1", type: "choices", from_name: "quality", to_name: "image", value: { choices: ["poor"] } },
              {
                id: "r1",
                type: "rectanglelabels",
                from_name: "lesions",
                ...region,
                value: { x: 25, y: 50, width: 12.5, height: 25, rotation: 0, rectanglelabels: ["mass"] },
              },
              {
                id: "b1",
                type: "brushlabels",
                from_name: "lungs",
                ...region,
                value: { format: "rle", rle: maskToBrush(mask, 64, 64), brushlabels: ["lung"] },
              },
            ],
          },
        ],
      },
    ];
    const imported = importLabelStudio(exported);
    expect(await labels.applyImported(imported, { reason: "Label Studio project 3" })).toEqual({
      added: 1,
      removed: 0,
      regions: 2,
      regionsPresent: 0,
    });
    expect(await labels.applyImported(imported, { reason: "Label Studio project 3" })).toEqual({
      added: 0,
      removed: 0,
      regions: 0,
      regionsPresent: 2,
    });
    expect((await labels.current(sha))["quality"]).toEqual(["poor"]);
    const stored = await labels.annotations(sha);
    expect(stored.map((a) => [a.labelSet, a.label, a.setBy])).toEqual([
      ["lesions", "mass", "cara@hospital.example"],
      ["lungs", "lung", "cara@hospital.example"],
    ]);
    expect(stored[0]?.geometry).toEqual({ kind: "box", x: 16, y: 32, width: 8, height: 16 });
    const lung = stored[1]?.geometry;
    expect(lung?.kind === "mask" && Buffer.from(lung.mask.data).equals(Buffer.from(mask))).toBe(true);
    expect((await labels.history(sha, "quality")).map((h) => [h.value, h.setBy, h.reason])).toEqual([
      ["poor", "cara@hospital.example", "Label Studio project 3"],
    ]);
  });

  it("packs mask bits least significant first, as DICOM does", () => {
    expect([...packBits([1, 0, 0, 0, 0, 0, 0, 0, 1, 1])]).toEqual([1, 3]);
    expect([...unpackBits(new Uint8Array([1, 3]), 10)]).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  });
});
