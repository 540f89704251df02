// The ChestX-ray14 table (112,120 rows of ../shared/data/cxr/Data_Entry_2017_v2020.csv.gz) as
// header-only DICOM records, and their ingest into a research store: shared by the benchmarks
// that need a store of that size (bench/store-index.mjs, bench/dataset-versions.mjs).
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
export const radlab = require(path.join(repo, "kernel-lib", "dist", "index.js"));

/** The table's data rows (without the header), as text lines. */
export function chestXray14Lines() {
  const csv = gunzipSync(
    fs.readFileSync(path.resolve(repo, "..", "shared", "data", "cxr", "Data_Entry_2017_v2020.csv.gz")),
  ).toString("utf8");
  return csv.trim().split(/\r?\n/).slice(1);
}

// NIH gives no dates; each record gets a synthetic study date (2000-01-01 plus 30 days per follow-up)
// so that date-range queries have something to range over. With `label`, each record also gets a
// value in the `label` set: 0_normal for "No Finding", 1_abnormal otherwise (as the nih1000 sample).
function record(line, { label = false } = {}) {
  const [file, findings, followUp, patientId, age, sex, view, width, height, sx, sy] = line.split(",");
  const date = new Date(Date.UTC(2000, 0, 1) + Number(followUp) * 30 * 86400000)
    .toISOString()
    .slice(0, 10)
    .replace(/-/g, "");
  const uid = (...parts) => radlab.uidFor(...parts);
  const el = (vr, ...values) => ({ vr, Value: values });
  const dict = {
    "00080016": el("UI", "1.2.840.10008.5.1.4.1.1.7"),
    "00080018": el("UI", uid("instance", patientId, followUp, file)),
    "00080020": el("DA", date),
    "00080060": el("CS", "DX"),
    "00100020": el("LO", patientId),
    "00101010": el("AS", `${String(age).padStart(3, "0")}Y`),
    "00100040": el("CS", sex),
    "00120062": el("CS", "YES"),
    "00185101": el("CS", view),
    "0020000D": el("UI", uid("study", patientId, followUp)),
    "0020000E": el("UI", uid("series", patientId, followUp)),
    "00280010": el("US", Number(height)),
    "00280011": el("US", Number(width)),
    "00280030": el("DS", Number(sy), Number(sx)),
  };
  const meta = {
    "00020010": el("UI", "1.2.840.10008.1.2.1"),
    "00020002": el("UI", "1.2.840.10008.5.1.4.1.1.7"),
    "00020003": el("UI", dict["00080018"].Value[0]),
  };
  const dataset = new radlab.DicomDataset({ meta, dict }, { file, repairs: [], headerOnly: true });
  const labels = findings.split("|").map((value) => ({ set: "nih_finding", value }));
  if (label) labels.unshift({ set: "label", value: findings === "No Finding" ? "0_normal" : "1_abnormal" });
  return { name: file, dataset, labels, patientId };
}

/** The first `limit` records (default all) as items for `store.ingestDatasets`. */
export function chestXray14Items({ limit, label = false } = {}) {
  const lines = chestXray14Lines();
  return lines.slice(0, limit ?? lines.length).map((line) => record(line, { label }));
}

/** Ingests the items through the admission door (de-identified at source); returns the report and seconds. */
export async function ingestChestXray14(store, items) {
  const started = process.hrtime.bigint();
  const report = await store.ingestDatasets("ChestX-ray14 table", items, {
    admission: { kind: "deidentified-at-source", source: "NIH Clinical Center" },
    showProgress: false,
  });
  return { report, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
