import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DICOM_DATA } from "../dicom/test-support/corpus";
import { openDuckDb } from "./duckdb-database";
import { ENGINES, engineStores } from "./test-support/engine-stores";

const NIH = path.resolve(DICOM_DATA, "..", "cxr", "nih1000");
const { temp, freshStore } = engineStores("store");

describe.each(ENGINES)("the research store on the NIH chest X-rays (%s)", (engine) => {
  it("ingests nih1000 with its labels, idempotently, queryable by label, view and patient", async () => {
    const store = await freshStore(engine, "nih");
    const first = await store.ingestImageFolder(NIH, {
      source: "NIH Clinical Center",
      labelsCsv: path.join(NIH, "labels.csv"),
      showProgress: false,
    });
    expect([first.added, first.duplicates, first.rejected.length]).toEqual([802, 0, 0]);
    const byLabel = await store.query(
      "SELECT l.value AS label, count(*) AS images FROM labels l WHERE l.label_set = $1 GROUP BY 1 ORDER BY 1",
      ["label"],
    );
    expect(byLabel).toEqual([
      { label: "0_normal", images: 402 },
      { label: "1_abnormal", images: 400 },
    ]);
    const byView = await store.query("SELECT view_position, count(*) AS n FROM instances GROUP BY 1 ORDER BY 1");
    expect(byView).toEqual([
      { view_position: "AP", n: 290 },
      { view_position: "PA", n: 512 },
    ]);
    const csvPatients = new Set(
      fs
        .readFileSync(path.join(NIH, "labels.csv"), "utf8")
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((l) => l.split(",")[3]),
    );
    expect((await store.query("SELECT count(*) AS n FROM patients"))[0]?.["n"]).toBe(csvPatients.size);
    // Every study belongs to a stored patient, every series to a study, every instance to a series.
    expect(
      await store.query(
        "SELECT count(*) AS n FROM instances i LEFT JOIN series s USING (series_uid) WHERE s.series_uid IS NULL",
      ),
    ).toEqual([{ n: 0 }]);
    const again = await store.ingestImageFolder(NIH, {
      source: "NIH Clinical Center",
      labelsCsv: path.join(NIH, "labels.csv"),
      showProgress: false,
    });
    expect([again.added, again.duplicates, again.rejected.length]).toEqual([0, 802, 0]);
    expect((await store.query("SELECT count(*) AS n FROM instances"))[0]?.["n"]).toBe(802);

    // The typed catalog query: the same counts as the CSV gives (getting-started.ipynb).
    const abnormalPa = store.catalog().where("view_position", "=", "PA").where("label", "=", "1_abnormal");
    expect(abnormalPa.select("sha256").limit(5).toSql()).toEqual({
      sql: "SELECT sha256 FROM catalog WHERE view_position = $1 AND label = $2 LIMIT 5",
      params: ["PA", "1_abnormal"],
    });
    expect((await abnormalPa.rows()).length).toBe(225);
    const counts = await store.catalog().countBy("label", "view_position");
    expect(counts.payload.rows).toEqual([
      ["0_normal", "PA", 287],
      ["1_abnormal", "PA", 225],
      ["1_abnormal", "AP", 175],
      ["0_normal", "AP", 115],
    ]);
    const effusion = await store.catalog().where("findings", "like", "%Effusion%").select("sha256").rows();
    const labelled = store.catalog().withLabel("nih_finding", "Effusion").select("sha256");
    expect(labelled.toSql()).toEqual({
      sql: "SELECT sha256 FROM catalog_core WHERE sha256 IN (SELECT sha256 FROM labels WHERE label_set = $1 AND value = $2)",
      params: ["nih_finding", "Effusion"],
    });
    expect((await labelled.rows()).length).toBe(effusion.length);
    expect(effusion.length).toBe(117); // as the NIH labels count it (store.ipynb)

    // Into a dataframe and out to Parquet, with the query's columns.
    const pa = store
      .catalog()
      .where("view_position", "=", "PA")
      .select("patient_id", "label", "rows")
      .orderBy("patient_id");
    const df = await pa.dataFrame();
    expect(df.shape).toEqual([512, 3]);
    expect(df.columns).toEqual(["patient_id", "label", "rows"]);
    const parquet = path.join(temp, `${engine}-pa.parquet`);
    const written = await pa.export(parquet);
    expect(written.columns).toEqual([
      { name: "patient_id", type: "VARCHAR" },
      { name: "label", type: "VARCHAR" },
      { name: "rows", type: "BIGINT" },
    ]);
    const reader = await openDuckDb(":memory:");
    const readBack = await reader.all(`SELECT count(*) AS n, sum(rows) AS pixel_rows FROM '${parquet}'`);
    await reader.close();
    expect(readBack).toEqual([{ n: 512, pixel_rows: 512 * 64 }]);
    // @ts-expect-error: a misspelt column does not compile either.
    expect(() => store.catalog().where("view", "=", "PA")).toThrow('"view" is not a column of the catalog.');
    expect(() => store.catalog().where("label", "in", "0_normal")).toThrow('"in" on label needs a list of values.');
  }, 120_000);

  it("stores immutable content-addressed objects whose paths name no patient, and reads them back", async () => {
    const store = await freshStore(engine, "objects");
    const folder = path.join(temp, `original-layout-${engine}`);
    // The original exercise's layout: one folder per label, NIH file names, no CSV.
    for (const [label, files] of [
      ["No-Finding", ["00000231_013.png", "00000234_000.png"]],
      ["Pneumothorax", ["00000013_026.png"]],
    ] as const) {
      fs.mkdirSync(path.join(folder, label), { recursive: true });
      for (const f of files) {
        const source = path.join(NIH, "images", label === "No-Finding" ? "0_normal" : "1_abnormal", f);
        if (fs.existsSync(source)) fs.copyFileSync(source, path.join(folder, label, f));
      }
    }
    const copied =
      fs.readdirSync(path.join(folder, "No-Finding")).length + fs.readdirSync(path.join(folder, "Pneumothorax")).length;
    const report = await store.ingestImageFolder(folder, { source: "NIH Clinical Center", showProgress: false });
    expect(report.added).toBe(copied);
    const rows = await store.query(
      "SELECT i.sha256, i.object_path, l.value, st.patient_id FROM instances i JOIN labels l ON l.sha256 = i.sha256 JOIN series s ON s.series_uid = i.series_uid JOIN studies st ON st.study_uid = s.study_uid WHERE st.patient_id = i.patient_id ORDER BY l.value, st.patient_id",
    );
    for (const row of rows) {
      expect(row["object_path"]).toMatch(/^objects\/[0-9a-f]{2}\/[0-9a-f]{64}\.dcm$/);
      const bytes = fs.readFileSync(path.join(store.home, String(row["object_path"])));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(row["sha256"]);
      const ds = await store.dataset(String(row["sha256"]));
      expect([
        ds.string("PatientIdentityRemoved"),
        ds.string("Modality"),
        ds.number("Rows"),
        ds.number("Columns"),
      ]).toEqual(["YES", "DX", 64, 64]);
    }
    expect(rows.map((r) => [r["value"], r["patient_id"]])).toContainEqual(["No-Finding", "231"]);
    // Datasets given in memory are keyed by position: two that share a name are two instances.
    const [a, b] = await Promise.all(rows.slice(0, 2).map((r) => store.dataset(String(r["sha256"]))));
    const again = await store.ingestDatasets(
      "renamed copies",
      [a, b].map((dataset) => ({ name: "same-name.dcm", dataset: dataset as NonNullable<typeof a> })),
      { admission: { kind: "deidentified-at-source", source: "NIH Clinical Center" }, showProgress: false },
    );
    expect([again.files, again.duplicates, again.added]).toEqual([2, 2, 0]);
    await expect(store.dataset("0".repeat(64))).rejects.toMatchObject({ code: "not-stored" });
  });
});

describe.each(ENGINES)("the research store on the DICOM corpus (%s)", (engine) => {
  it("admits only through the de-identification door, rejects broken files with reasons, and never changes the originals", async () => {
    const store = await freshStore(engine, "corpus");
    const probe = path.join(DICOM_DATA, "pydicom", "test_files", "CT_small.dcm");
    const before = createHash("sha256").update(fs.readFileSync(probe)).digest("hex");
    const closed = await store.ingestDicomFolder(path.join(DICOM_DATA, "dicomparser"), {
      admission: { kind: "deidentified-at-source", source: "dicomParser test data" },
      showProgress: false,
    });
    expect(closed.added).toBe(0);
    expect(new Set(closed.rejected.map((r) => r.code))).toEqual(new Set(["not-deidentified", "not-dicom"]));
    const attested = await store.ingestDicomFolder(DICOM_DATA, {
      admission: { kind: "attested", attestation: "public toolkit test data; every name in it is fictitious" },
      showProgress: false,
    });
    const codes: Record<string, number> = {};
    for (const r of attested.rejected) codes[r.code] = (codes[r.code] ?? 0) + 1;
    // 317 files: 292 DICOM; the same instance in several encodings is one instance (the first
    // stored; the others conflict); files without patient, study or series identifiers cannot be
    // placed; README, inventory and other non-DICOM files are not DICOM.
    expect([attested.files, attested.added, attested.duplicates]).toEqual([317, 152, 2]);
    expect(codes).toEqual({
      "conflicting-instance": 75,
      "not-dicom": 24,
      "missing-identifiers": 63,
      "dicom-truncated": 1,
    });
    expect(attested.rejected.find((r) => r.file === "pydicom/palettes/fall.dcm")).toEqual({
      file: "pydicom/palettes/fall.dcm",
      code: "missing-identifiers",
      reason: "no patient, study, series identifier: the instance cannot be placed in Patient > Study > Series",
    });
    const admittedBy = await store.query("SELECT DISTINCT admitted_by FROM instances");
    expect(admittedBy).toEqual([{ admitted_by: "attested: public toolkit test data; every name in it is fictitious" }]);
    expect(await store.rejects(attested.runId)).toHaveLength(attested.rejected.length);
    const again = await store.ingestDicomFolder(DICOM_DATA, {
      admission: { kind: "attested", attestation: "public toolkit test data; every name in it is fictitious" },
      showProgress: false,
    });
    expect(again.added).toBe(0);
    expect(createHash("sha256").update(fs.readFileSync(probe)).digest("hex")).toBe(before);
  }, 120_000);
});
