import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Tensor } from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFiles } from "../core/list-files";
import { startLocalPostgres, type LocalPostgres } from "../store/local-postgres";
import { openStore, type ResearchStore } from "../store/research-store";
import type { DatasetSpec } from "./dataset-spec";
import { Datasets } from "./datasets";
import { downstream, upstream } from "./lineage";

const DATA = path.resolve(__dirname, "../../../../shared/data");
const NIH = path.join(DATA, "cxr", "nih1000");

let temp: string;
let store: ResearchStore;
let datasets: Datasets;

const SPEC = (store: ResearchStore, seed = 42): DatasetSpec => ({
  kind: "dataset",
  name: "nih-finding",
  selection: store.catalog().where("modality", "=", "DX").select("sha256").toSql(),
  labelSets: ["label", "nih_finding"],
  split: { kind: "patient-stratified", fractions: { train: 0.8, validation: 0.2 }, stratifyBy: "label", seed },
});

/**
 * The id of the nih1000 version: the SHA-256 of its manifest, which depends only on the images'
 * bytes, their labels, the split and the spec. The same on every machine and run; a change in
 * how radlab wraps images, orders the manifest or splits patients shows here first.
 */
const NIH_V1 = "ca9fafe8ce7d835229fd9e2ed589094e26b726a2c16fcf6bd3271518df51b223";

beforeAll(async () => {
  temp = mkdtempSync(path.join(tmpdir(), "radlab-datasets-"));
  store = await openStore({ home: path.join(temp, "store") });
  await store.ingestImageFolder(NIH, {
    source: "NIH Clinical Center",
    labelsCsv: path.join(NIH, "labels.csv"),
    showProgress: false,
  });
  datasets = new Datasets(store);
}, 300_000);

afterAll(async () => {
  await store.close();
});

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("dataset versions on the NIH chest X-rays", () => {
  it("commits a version named by its content: the same id in every run, and on recreate", async () => {
    const draft = await datasets.create(SPEC(store));
    expect(draft.members).toHaveLength(802);
    expect(draft.id).toBe(NIH_V1);
    const again = await datasets.create(SPEC(store));
    expect(again.id).toBe(draft.id);
    const v1 = await datasets.commit(draft, { message: "first cut: finding vs normal", by: "ana" });
    expect(v1.record).toMatchObject({
      id: NIH_V1,
      dataset: "nih-finding",
      parent: null,
      instances: 802,
      patients: 193,
      createdBy: "ana",
    });
    // Committing the same content again returns the same version and adds no rows.
    const twice = await datasets.commit(again, { message: "again", by: "ben" });
    expect(twice.record.message).toBe("first cut: finding vs normal");
    expect((await store.query("SELECT count(*) AS n FROM dataset_members"))[0]?.["n"]).toBe(802);
    await v1.verify();
    // Another seed is another split, so another version.
    expect((await datasets.create(SPEC(store, 7))).id).not.toBe(NIH_V1);
  });

  it("splits by patient: no patient in two splits, 80/20 of each label's patients", async () => {
    const v1 = await datasets.getOrThrow(NIH_V1.slice(0, 10));
    const members = await v1.members();
    const splitsOf = new Map<string, Set<string>>();
    for (const m of members) splitsOf.set(m.patientId, (splitsOf.get(m.patientId) ?? new Set()).add(m.split));
    expect([...splitsOf.values()].filter((s) => s.size > 1)).toEqual([]);
    const patients = (split: string) => [...splitsOf].filter(([, s]) => s.has(split)).length;
    expect([patients("train"), patients("validation")]).toEqual([PINNED_TRAIN_PATIENTS, 193 - PINNED_TRAIN_PATIENTS]);
    expect(await v1.counts()).toEqual(PINNED_COUNTS);
  });

  it("relabels a few images, commits v2 on v1, and diffs them: exactly those relabelled", async () => {
    const v1 = await datasets.getOrThrow(NIH_V1);
    const members = await v1.members();
    const chosen = members.filter((m) => m.labels["label"]?.[0] === "1_abnormal").slice(0, 3);
    await datasets.labels.set(
      chosen.map((m) => ({ sha256: m.sha256, labelSet: "label", values: ["0_normal"] })),
      { by: "ben", reason: "second reader: no finding" },
    );
    const draft = await datasets.create(SPEC(store), { parent: v1 });
    const v2 = await datasets.commit(draft, { message: "three relabelled after second read", by: "ben" });
    expect(v2.id).not.toBe(v1.id);
    expect(v2.record.parent).toBe(v1.id);
    expect((await datasets.history(v2)).map((v) => v.id)).toEqual([v2.id, v1.id]);
    // Each commit is a lineage run: v2 was made from v1 (and the store), v1 from the store alone.
    const up = await upstream(store.db, v2.id);
    expect(up.nodes.map((n) => n.kind).sort()).toEqual(["dataset-version", "dataset-version", "store"]);
    expect(up.runs.map((r) => [r.job, r.status])).toEqual([
      ["dataset.commit", "COMPLETE"],
      ["dataset.commit", "COMPLETE"],
    ]);
    expect((await downstream(store.db, v1.id)).nodes.map((n) => n.hash)).toEqual([v1.id, v2.id].sort());
    const diff = await datasets.diff(v1, v2);
    expect([diff.added.length, diff.removed.length, diff.resplit.length]).toEqual([0, 0, 0]);
    expect(diff.relabelled.map((c) => [c.sha256, c.before.labels["label"], c.after.labels["label"]])).toEqual(
      chosen.map((m) => [m.sha256, ["1_abnormal"], ["0_normal"]]),
    );
    expect(diff.changes()[0]).toMatchObject({
      change: "relabelled",
      split_before: chosen[0]?.split,
      split_after: chosen[0]?.split,
    });
    expect((await datasets.head("nih-finding"))?.id).toBe(v2.id);
    // Putting the labels back gives back v1's content, hence v1's id.
    await datasets.labels.set(
      chosen.map((m) => ({ sha256: m.sha256, labelSet: "label", values: ["1_abnormal"] })),
      { by: "ben", reason: "undo" },
    );
    expect((await datasets.create(SPEC(store), { parent: v2 })).id).toBe(v1.id);
    await datasets.labels.set(
      chosen.map((m) => ({ sha256: m.sha256, labelSet: "label", values: ["0_normal"] })),
      { by: "ben", reason: "redo" },
    );
  });

  it("freezes region annotations by content: removing a box shows as a relabelled member", async () => {
    await datasets.labels.define({ name: "lesions", kind: "boxes", classes: ["nodule"] }, { by: "ana" });
    const v2 = await datasets.getOrThrow((await datasets.head("nih-finding"))?.id ?? "");
    const target = (await v2.members())[10]?.sha256 ?? "";
    const [id] = await datasets.labels.annotate(
      [
        {
          sha256: target,
          labelSet: "lesions",
          label: "nodule",
          frame: 0,
          geometry: { kind: "box", x: 4, y: 5, width: 6, height: 7 },
        },
      ],
      { by: "ana" },
    );
    const spec = { ...SPEC(store), labelSets: ["label", "lesions"] };
    const withBox = await datasets.commit(await datasets.create(spec, { parent: v2 }), {
      message: "a nodule box",
      by: "ana",
    });
    expect((await withBox.members()).filter((m) => m.annotations.length > 0).map((m) => m.sha256)).toEqual([target]);
    await datasets.labels.removeAnnotations([id ?? ""], { by: "ben", reason: "artefact" });
    const without = await datasets.commit(await datasets.create(spec, { parent: withBox }), {
      message: "box removed",
      by: "ben",
    });
    const diff = await datasets.diff(withBox, without);
    expect(diff.relabelled.map((c) => [c.sha256, c.before.annotations.length, c.after.annotations.length])).toEqual([
      [target, 1, 0],
    ]);
    expect(without.id).not.toBe(withBox.id);
  });

  it("checks out v1 byte for byte with v1's labels after the store changed", async () => {
    // The store changes: more instances arrive (and three labels changed in the test above).
    await store.ingestDicomFolder(path.join(DATA, "dicom", "dicomparser"), {
      admission: { kind: "deidentified-at-source", source: "test corpus" },
      showProgress: false,
    });
    const v1 = await datasets.getOrThrow(NIH_V1);
    await v1.verify();
    const folder = path.join(temp, "v1");
    expect(await v1.checkout(folder)).toEqual({ folder, files: 802 });
    const files = listFiles(folder).filter((f) => f.endsWith(".dcm"));
    expect(files).toHaveLength(802);
    for (const file of files) expect(sha(file)).toBe(path.basename(file, ".dcm"));
    const csv = readFileSync(path.join(folder, "members.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("sha256,patient_id,split,label,path");
    expect(csv.filter((l) => l.includes(",1_abnormal,"))).toHaveLength(400);
    expect(readFileSync(path.join(folder, "manifest.jsonl"), "utf8")).toBe(v1.manifest());
    // The same checkout in another folder gives the same bytes.
    const again = path.join(temp, "v1-again");
    await v1.checkout(again);
    expect(readFileSync(path.join(again, "members.csv"), "utf8")).toBe(
      readFileSync(path.join(folder, "members.csv"), "utf8"),
    );
    await expect(v1.checkout(folder)).rejects.toMatchObject({ code: "checkout-exists" });
  });

  it("loads a version as rows and as streamed samples and tensors", async () => {
    const v1 = await datasets.getOrThrow(NIH_V1);
    const rows = await v1.rows({ split: "validation" });
    expect(rows.length).toBe(
      802 - PINNED_COUNTS.filter((c) => c["split"] === "train").reduce((a, c) => a + Number(c["instances"]), 0),
    );
    expect(Object.keys(rows[0] ?? {}).slice(0, 6)).toEqual([
      "sha256",
      "patient_id",
      "split",
      "label",
      "nih_finding",
      "annotations",
    ]);
    const df = await v1.toDataFrame({ split: "validation" });
    expect(df.shape).toEqual([rows.length, Object.keys(rows[0] ?? {}).length]);
    const classes = ["0_normal", "1_abnormal"];
    let count = 0;
    for await (const s of v1.samples({ split: "validation", labelSet: "label", classes, size: [32, 32] })) {
      expect(s.image).toHaveLength(32 * 32);
      expect(Math.min(...s.image)).toBe(0);
      expect(Math.max(...s.image)).toBe(1);
      expect([...s.target].reduce((a, b) => a + b, 0)).toBe(1);
      if (++count === 5) break;
    }
    const shapes: number[][] = [];
    for await (const { xs, ys, sha256 } of v1.batches({
      split: "validation",
      labelSet: "label",
      classes,
      batchSize: 64,
    })) {
      shapes.push([...xs.shape, ys.shape[1] ?? 0, sha256.length]);
      xs.dispose();
      ys.dispose();
    }
    expect(shapes.reduce((a, s) => a + (s[0] ?? 0), 0)).toBe(rows.length);
    expect(shapes[0]).toEqual([64, 64, 64, 1, 2, 64]);
    // A tfjs Dataset streams the same members, batched by tfjs-data.
    const dataset = (await v1.tfDataset({ split: "validation", labelSet: "label", classes })).batch(100);
    const sizes: number[] = [];
    let positives = 0;
    await dataset.forEachAsync((batch) => {
      const { xs, ys } = batch as { xs: Tensor; ys: Tensor };
      sizes.push(xs.shape[0] ?? 0);
      positives += ys.slice([0, 1], [-1, 1]).sum().dataSync()[0] ?? 0;
      xs.dispose();
      ys.dispose();
    });
    expect(sizes).toEqual([100, rows.length - 100]);
    expect(positives).toBe(
      PINNED_COUNTS.find((c) => c["split"] === "validation" && c["label"] === "1_abnormal")?.["instances"],
    );
  });

  it("refuses bad specs, selections and ids with the reason", async () => {
    const spec = SPEC(store);
    await expect(
      datasets.create({ ...spec, selection: { sql: "SELECT sha256 FROM instances WHERE rows < 0", params: [] } }),
    ).rejects.toThrow("The selection of dataset nih-finding matches no stored instance.");
    await expect(
      datasets.create({ ...spec, selection: { sql: "SELECT nothing FROM instances", params: [] } }),
    ).rejects.toMatchObject({
      code: "dataset-selection",
    });
    await expect(datasets.create({ ...spec, labelSets: ["nih_finding"] })).rejects.toThrow(
      "The split is stratified by label, which is not among the label sets (nih_finding).",
    );
    await expect(datasets.create({ ...spec, labelSets: ["label", "nope"] })).rejects.toThrow(
      "No label set is named nope.",
    );
    await expect(
      datasets.create({ ...spec, split: { ...spec.split, fractions: { train: 0.8, validation: 0.3 } } }),
    ).rejects.toMatchObject({
      code: "dataset-split",
    });
    await expect(datasets.getOrThrow("ffffffffff")).rejects.toThrow("No dataset version is ffffffffff.");
    const draft = await datasets.create(spec);
    await expect(datasets.commit(draft, { message: " ", by: "ana" })).rejects.toMatchObject({ code: "dataset-commit" });
  });

  it("detects a modified object or manifest instead of returning wrong data", async () => {
    const home = path.join(temp, "tampered");
    mkdirSync(home);
    await store.query("CHECKPOINT");
    for (const entry of readdirSync(store.home))
      cpSync(path.join(store.home, entry), path.join(home, entry), { recursive: true });
    const copy = await openStore({ home });
    try {
      const v1 = await new Datasets(copy).getOrThrow(NIH_V1);
      const first = (await v1.members())[0]?.sha256 ?? "";
      const object = copy.objects.absolutePath(copy.objects.relativePath(first));
      const bytes = readFileSync(object);
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
      writeFileSync(object, bytes);
      await expect(v1.checkout(path.join(temp, "tampered-out"))).rejects.toMatchObject({ code: "object-corrupt" });
      await copy.query("UPDATE dataset_members SET split = 'train' WHERE version_id = $1 AND split = 'validation'", [
        NIH_V1,
      ]);
      await expect(v1.verify()).rejects.toThrow(
        `The member rows of version ${NIH_V1.slice(0, 12)} differ from its manifest.`,
      );
    } finally {
      await copy.close();
    }
  });
});

const PINNED_TRAIN_PATIENTS = 138;
describe("dataset versions on PostgreSQL", () => {
  let postgres: LocalPostgres | undefined;
  let pgStore: ResearchStore | undefined;
  beforeAll(async () => {
    postgres = await startLocalPostgres();
    pgStore = await openStore({
      home: path.join(temp, "pg"),
      postgres: await postgres.createDatabase("datasets_store"),
    });
    await pgStore.ingestImageFolder(NIH, {
      source: "NIH Clinical Center",
      labelsCsv: path.join(NIH, "labels.csv"),
      showProgress: false,
    });
  }, 300_000);
  afterAll(async () => {
    await pgStore?.close();
    await postgres?.stop();
  }, 60_000);

  it("gives the same version id as DuckDB, and commits, relabels and diffs the same way", async () => {
    const store = pgStore as ResearchStore;
    const pg = new Datasets(store);
    const v1 = await pg.commit(await pg.create(SPEC(store)), { message: "first cut", by: "ana" });
    expect(v1.id).toBe(NIH_V1);
    expect(await v1.counts()).toEqual(PINNED_COUNTS);
    const [first] = await v1.members("validation");
    await pg.labels.set([{ sha256: first?.sha256 ?? "", labelSet: "nih_finding", values: ["Hernia"] }], { by: "ben" });
    const v2 = await pg.commit(await pg.create(SPEC(store), { parent: v1 }), { message: "hernia", by: "ben" });
    const diff = await pg.diff(v1, v2);
    expect(diff.relabelled.map((c) => [c.sha256, c.after.labels["nih_finding"]])).toEqual([
      [first?.sha256, ["Hernia"]],
    ]);
    expect((await pg.getOrThrow(v2.id.slice(0, 8))).id).toBe(v2.id);
    expect((await upstream(store.db, v2.id)).nodes.map((n) => n.hash)).toContain(v1.id);
    await v2.verify();
  });
});

/** 644 of 802 images (80.3 %) in train: the fractions hold for images within each label. */
const PINNED_COUNTS: Record<string, unknown>[] = [
  { split: "train", label: "0_normal", instances: 321 },
  { split: "train", label: "1_abnormal", instances: 323 },
  { split: "validation", label: "0_normal", instances: 81 },
  { split: "validation", label: "1_abnormal", instances: 77 },
];
