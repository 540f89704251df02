// Benchmark: index the full ChestX-ray14 table (112,120 instance records, headers only) into a
// research store and time typical queries, on the embedded engine (DuckDB) and on PostgreSQL
// (a throwaway server on loopback), in the same run. Goals from the store issue: >= 1,000
// instances/s ingest, median query < 20 ms. Run with `make bench-store`; writes
// build/bench/store-index.json. LIMIT=N indexes only the first N records; ENGINES=duckdb (or
// postgres) runs one engine; KEEP=1 keeps the stores for inspection.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chestXray14Items, ingestChestXray14, radlab, repo } from "./chestxray14-store.mjs";

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
  const { report, seconds } = await ingestChestXray14(store, items);
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

const items = chestXray14Items({ limit: process.env.LIMIT === undefined ? undefined : Number(process.env.LIMIT) });
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
