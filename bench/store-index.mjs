// Benchmark: index the full ChestX-ray14 table (112,120 instance records, headers only) into a
// research store and time typical queries, on the embedded engine (DuckDB) and on PostgreSQL
// (a throwaway server on loopback), in the same run. Goals from the store issue: >= 1,000
// instances/s ingest, median query < 20 ms. Run with `make bench-store`; writes
// build/bench/store-index.json. LIMIT=N indexes only the first N records; ENGINES=duckdb (or
// postgres) runs one engine; KEEP=1 keeps the stores for inspection.
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const radlab = require(path.join(repo, "kernel-lib", "dist", "index.js"));
const csv = gunzipSync(
  fs.readFileSync(path.resolve(repo, "..", "shared", "data", "cxr", "Data_Entry_2017_v2020.csv.gz")),
).toString("utf8");
const lines = csv.trim().split(/\r?\n/).slice(1);
const limit = Number(process.env.LIMIT ?? lines.length);

// NIH gives no dates; each record gets a synthetic study date (2000-01-01 plus 30 days per follow-up)
// so that date-range queries have something to range over.
function record(line) {
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
  return {
    name: file,
    dataset,
    labels: findings.split("|").map((value) => ({ set: "nih_finding", value })),
    patientId,
  };
}

async function median(fn, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function run(engine, items, postgres) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `radlab-bench-${engine}-`));
  const store = await radlab.openStore(engine === "postgres" ? { home, postgres } : { home });
  const started = process.hrtime.bigint();
  const report = await store.ingestDatasets("ChestX-ray14 table", items, {
    admission: { kind: "deidentified-at-source", source: "NIH Clinical Center" },
    showProgress: false,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const patients = [...new Set(items.map((i) => i.patientId))];
  const queries = {
    "by label (Pneumothorax, PA or AP)": (i) =>
      store
        .catalog()
        .withLabel("nih_finding", "Pneumothorax")
        .where("view_position", "=", i % 2 ? "PA" : "AP")
        .select("sha256")
        .rows(),
    "by patient": (i) =>
      store
        .catalog()
        .where("patient_id", "=", patients[(i * 7919) % patients.length])
        .rows(),
    "by date range": (i) =>
      store
        .catalog()
        .where("study_date", ">=", `2001-0${1 + (i % 9)}-01`)
        .where("study_date", "<", `2001-0${1 + (i % 9)}-15`)
        .select("sha256")
        .rows(),
    "count by finding": () =>
      store.query("SELECT value, count(*) AS n FROM labels WHERE label_set = $1 GROUP BY value ORDER BY n DESC", [
        "nih_finding",
      ]),
  };
  const latencies = {};
  for (const [name, fn] of Object.entries(queries)) latencies[name] = await median(fn, 25);
  await store.close();
  if (process.env.KEEP) console.log(`kept ${engine} store in ${home}`);
  else fs.rmSync(home, { recursive: true, force: true });
  return {
    engine,
    added: report.added,
    rejected: report.rejected.length,
    seconds,
    perSecond: report.added / seconds,
    latencies,
  };
}

const items = lines.slice(0, limit).map(record);
const engines = (process.env.ENGINES ?? "duckdb,postgres").split(",");
const results = [];
if (engines.includes("duckdb")) results.push(await run("duckdb", items));
if (engines.includes("postgres")) {
  const pgServer = await radlab.startLocalPostgres();
  try {
    results.push(await run("postgres", items, await pgServer.createDatabase("bench")));
  } finally {
    await pgServer.stop();
  }
}
console.log(
  `machine: ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, Node ${process.version}; ${items.length} records`,
);
for (const r of results) {
  console.log(
    `${r.engine}: ingest ${r.added} in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(0)} instances/s (${r.rejected} rejected)`,
  );
  for (const [name, ms] of Object.entries(r.latencies)) console.log(`  median ${name}: ${ms.toFixed(1)} ms`);
}
fs.mkdirSync(path.join(repo, "build", "bench"), { recursive: true });
fs.writeFileSync(path.join(repo, "build", "bench", "store-index.json"), JSON.stringify(results, null, 1));
