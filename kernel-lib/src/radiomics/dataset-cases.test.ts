import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Datasets } from "../datasets/datasets";
import type { DatasetVersion } from "../datasets/dataset-version";
import { getRun, lineageGraph } from "../datasets/lineage";
import { openStore, type ResearchStore } from "../store/research-store";
import { extractBatch } from "./batch";
import { datasetCases, datasetLineageInput } from "./dataset-cases";
import { maskVoxelCount } from "./image/volume";
import { PYRADIOMICS_DEFAULTS } from "./settings";
import { rejected } from "./test-support/thrown";

const DICOM = path.resolve(__dirname, "../../../../shared/data/dicom/pydicom/test_files/dicomdirtests/98892001");
const home = mkdtempSync(path.join(tmpdir(), "radlab-radiomics-dataset-"));
let store: ResearchStore;
let datasets: Datasets;
let version: DatasetVersion;
let slices: string[];
let others: string[];

beforeAll(async () => {
  store = await openStore({ home });
  // CT5N: one series of 5 slices of 16 x 16; CT2N: two localizers of the same patient in one series.
  for (const series of ["CT5N", "CT2N"]) {
    await store.ingestDicomFolder(path.join(DICOM, series), {
      admission: { kind: "deidentified-at-source", source: "pydicom test data" },
      showProgress: false,
    });
  }
  const rows = await store.query("SELECT sha256, series_uid FROM instances ORDER BY instance_number");
  const bySeries = new Map<string, string[]>();
  for (const r of rows)
    bySeries.set(String(r["series_uid"]), [...(bySeries.get(String(r["series_uid"])) ?? []), String(r["sha256"])]);
  [slices, others] = [...bySeries.values()].sort((a, b) => b.length - a.length) as [string[], string[]];
  datasets = new Datasets(store);
  await datasets.labels.define({ name: "tumour", kind: "boxes", classes: ["tumour", "cyst"] }, { by: "ana" });
  await datasets.labels.define({ name: "nodules", kind: "boxes", classes: ["nodule"] }, { by: "ana" });
  await datasets.labels.define({ name: "diagnosis", kind: "binary", classes: ["benign", "malignant"] }, { by: "ana" });
  await datasets.labels.set(
    [...slices, ...others].map((sha256) => ({ sha256, labelSet: "diagnosis", values: ["malignant"] })),
    { by: "ana" },
  );
  // A 4 x 3 box on two slices, and a 2 x 2 cyst on one.
  await datasets.labels.annotate(
    [
      ...[1, 2].map((s) => ({
        sha256: slices[s]!,
        labelSet: "tumour",
        label: "tumour",
        frame: 0,
        geometry: { kind: "box" as const, x: 5, y: 6, width: 4, height: 3 },
      })),
      {
        sha256: slices[3]!,
        labelSet: "tumour",
        label: "cyst",
        frame: 0,
        geometry: { kind: "box" as const, x: 1, y: 1, width: 2, height: 2 },
      },
    ],
    { by: "ana" },
  );
  const spec = {
    kind: "dataset",
    name: "ct-tumour",
    selection: { sql: "SELECT sha256 FROM instances", params: [] },
    labelSets: ["tumour", "nodules", "diagnosis"],
    split: { kind: "patient-stratified", fractions: { all: 1 }, stratifyBy: "diagnosis", seed: 1 },
  } as const;
  version = await datasets.commit(await datasets.create(spec), { message: "first", by: "ana" });
  // Drawn after the commit: the version must not see it.
  await datasets.labels.annotate(
    [
      {
        sha256: slices[0]!,
        labelSet: "tumour",
        label: "tumour",
        frame: 0,
        geometry: { kind: "box", x: 0, y: 0, width: 16, height: 16 },
      },
    ],
    { by: "bob" },
  );
}, 60_000);

afterAll(async () => {
  await store.close();
  rmSync(home, { recursive: true, force: true });
});

describe("datasetCases", () => {
  it("gives one case per series, its ROI from the annotations the version froze", async () => {
    const cases = await datasetCases(version, store, { roiLabelSet: "tumour", classLabelSet: "diagnosis" });
    expect(cases.map((c) => [c.roi, c.label]).sort()).toEqual([
      ["tumour", "malignant"],
      ["tumour", "malignant"],
    ]);
    const results = await Promise.allSettled(cases.map(async (c) => c.load()));
    const loaded = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(loaded).toHaveLength(1);
    expect(loaded[0]!.image.dims).toEqual([16, 16, 5]);
    // Two 4 x 3 boxes and one 2 x 2 box; not bob's 16 x 16 box drawn after the commit.
    expect(maskVoxelCount(loaded[0]!.mask)).toBe(2 * 12 + 4);
    // The localizers cannot make a volume: that case fails with the reason.
    const failed = results.flatMap((r) =>
      r.status === "rejected" ? [r.reason as { code: string; message: string }] : [],
    );
    expect(failed.map((e) => e.code)).toEqual(["input"]);
    expect(failed[0]!.message).toContain("differ in orientation");
  });

  it("fails a series without annotations in the label set with empty-roi", async () => {
    const cases = await datasetCases(version, store, { roiLabelSet: "nodules" });
    const results = await Promise.allSettled(cases.map(async (c) => c.load()));
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as { code: string }).code : "loaded")).sort();
    expect(codes).toEqual(["empty-roi", "input"]);
  });

  it("keeps only one class when asked", async () => {
    const cases = await datasetCases(version, store, { roiLabelSet: "tumour", roiLabel: "cyst" });
    const results = await Promise.allSettled(cases.map(async (c) => c.load()));
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    expect(fulfilled).toHaveLength(1);
    expect(
      maskVoxelCount(
        (fulfilled[0] as PromiseFulfilledResult<Awaited<ReturnType<(typeof cases)[0]["load"]>>>).value.mask,
      ),
    ).toBe(4);
  });

  it("runs as a recorded batch: the version in, the table out, the empty series in failures", async () => {
    const cases = await datasetCases(version, store, { roiLabelSet: "tumour", classLabelSet: "diagnosis" });
    const table = await extractBatch(
      cases,
      { ...PYRADIOMICS_DEFAULTS, classes: ["firstorder", "glcm"] },
      {
        sink: null,
        lineage: { db: store.db, inputs: [datasetLineageInput(version)], name: "ct-tumour-features" },
      },
    );
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]!.provenance.maskVoxels).toBe(28);
    expect(table.failures.map((f) => f.code)).toEqual(["input"]);
    const graph = await lineageGraph(store.db, table.hash());
    const run = graph.runs.find((r) => r.job === "radiomics-extract")!;
    const record = await getRun(store.db, run.runId);
    expect(record?.status).toBe("COMPLETE");
    expect(record?.inputs).toEqual([
      { kind: "dataset-version", name: `ct-tumour@${version.id.slice(0, 12)}`, hash: version.id },
    ]);
    expect(record?.outputs).toEqual([{ kind: "features", name: "ct-tumour-features", hash: table.hash() }]);
  });

  it("refuses a label set the version does not carry", async () => {
    const error = await rejected(() => datasetCases(version, store, { roiLabelSet: "lungs" }));
    expect(error.code).toBe("settings");
    expect(error.evidence.path).toBe("roiLabelSet");
    expect(error.message).toContain("it carries tumour, nodules, diagnosis");
  });
});
