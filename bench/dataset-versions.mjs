// Benchmark: dataset versions of the full ChestX-ray14 table (112,120 header-only instances) in a
// research store, against DVC on the same instances in the same run. radlab: create a draft of
// every instance (labels `label` and `nih_finding`, a patient-stratified 80/20 split), commit v1,
// relabel 1,000 instances with `labels.set`, create and commit v2 on v1, diff them, load the
// members, verify, check out v1 as files; on DuckDB and PostgreSQL. DVC: the same instance files
// (v1's checkout) and a labels CSV in one folder of a fresh git + DVC repository, `dvc add` and a
// git commit per version (the 1,000 relabels are a change of the CSV), `dvc diff` between the two
// commits, `dvc status`, `dvc checkout`. Run with `make bench-datasets`; writes
// build/bench/dataset-versions.json. LIMIT=N uses the first N records; ENGINES=duckdb (or
// postgres) runs one engine (DVC runs after DuckDB); PEER=0 skips DVC; KEEP=1 keeps the folders.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chestXray14Items, ingestChestXray14, radlab, repo } from "./chestxray14-store.mjs";

const RELABELLED = 1000;
const PY = path.join(repo, ".venv", "bin");

async function timed(fn) {
  const started = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - started) / 1e9];
}

/** The database's size: PostgreSQL's, DuckDB's used blocks after a checkpoint (the file reuses free blocks). */
async function databaseBytes(store, engine) {
  if (engine === "postgres")
    return Number((await store.query("SELECT pg_database_size(current_database()) AS n"))[0].n);
  await store.query("CHECKPOINT");
  const [size] = await store.query("PRAGMA database_size");
  return Number(size.used_blocks) * Number(size.block_size);
}

/** Every file under a folder, with their total size. */
function census(folder) {
  let files = 0;
  let bytes = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        files += 1;
        bytes += fs.statSync(full).size;
      }
    }
  };
  if (fs.existsSync(folder)) walk(folder);
  return { files, bytes };
}

/** Bookkeeping of a commit: objects written, the manifest's size, what the database grew by. */
async function bookkeeping(store, engine, version, before) {
  const objects = census(path.join(store.home, "objects"));
  const manifest = fs.statSync(store.objects.absolutePath(store.objects.relativePath(version.id, "manifest"))).size;
  return {
    filesWritten: objects.files - before.objects.files,
    bytesWritten: objects.bytes - before.objects.bytes,
    manifestBytes: manifest,
    databaseGrowth: (await databaseBytes(store, engine)) - before.database,
  };
}

async function snapshot(store, engine) {
  return { objects: census(path.join(store.home, "objects")), database: await databaseBytes(store, engine) };
}

async function runRadlab(engine, items, work, postgres) {
  const home = path.join(work, `store-${engine}`);
  const store = await radlab.openStore(engine === "postgres" ? { home, postgres } : { home });
  try {
    const { report, seconds: ingest } = await ingestChestXray14(store, items);
    if (report.added !== items.length) throw new Error(`${engine}: ingested ${report.added} of ${items.length}`);
    const datasets = new radlab.Datasets(store);
    const spec = {
      kind: "dataset",
      name: "chestxray14",
      selection: store.catalog().select("sha256").toSql(),
      labelSets: ["label", "nih_finding"],
      split: { kind: "patient-stratified", fractions: { train: 0.8, validation: 0.2 }, stratifyBy: "label", seed: 1 },
    };
    const t = { ingest };
    let before = await snapshot(store, engine);
    const [draft1, create1] = await timed(() => datasets.create(spec));
    const [v1, commit1] = await timed(() => datasets.commit(draft1, { message: "all of ChestX-ray14", by: "bench" }));
    Object.assign(t, { create1, commit1 });
    const books1 = await bookkeeping(store, engine, v1, before);
    const members1 = await v1.members();
    const chosen = members1.filter((m) => m.labels.label[0] === "1_abnormal").slice(0, RELABELLED);
    if (chosen.length !== RELABELLED) throw new Error(`only ${chosen.length} instances to relabel`);
    [, t.relabel] = await timed(() =>
      datasets.labels.set(
        chosen.map((m) => ({ sha256: m.sha256, labelSet: "label", values: ["0_normal"] })),
        { by: "bench", reason: "second reader: no finding" },
      ),
    );
    before = await snapshot(store, engine);
    const [draft2, create2] = await timed(() => datasets.create(spec, { parent: v1 }));
    const [v2, commit2] = await timed(() => datasets.commit(draft2, { message: "1,000 relabelled", by: "bench" }));
    Object.assign(t, { create2, commit2 });
    const books2 = await bookkeeping(store, engine, v2, before);
    const [diff, diffSeconds] = await timed(() => datasets.diff(v1, v2));
    t.diff = diffSeconds;
    const counts = {
      added: diff.added.length,
      removed: diff.removed.length,
      relabelled: diff.relabelled.length,
      resplit: diff.resplit.length,
    };
    const expected = new Set(chosen.map((m) => m.sha256));
    if (
      counts.relabelled !== RELABELLED ||
      !diff.relabelled.every((c) => expected.has(c.sha256)) ||
      counts.added + counts.removed + counts.resplit > 0
    )
      throw new Error(`${engine}: unexpected diff ${JSON.stringify(counts)}`);
    const [members2, members] = await timed(() => v2.members());
    const [rows2, rows] = await timed(() => v2.rows());
    if (members2.length !== items.length || rows2.length !== items.length) throw new Error("members or rows missing");
    [, t.verify] = await timed(() => v2.verify());
    Object.assign(t, { members, rows });
    let checkout = null;
    if (engine === "duckdb") {
      const folder = path.join(work, "checkout-v1");
      const [result, seconds] = await timed(() => v1.checkout(folder));
      if (result.files !== items.length) throw new Error(`checkout wrote ${result.files} files`);
      t.checkout = seconds;
      checkout = folder;
    }
    return {
      result: {
        engine,
        instances: items.length,
        patients: v1.record.patients,
        v1: v1.id,
        v2: v2.id,
        seconds: t,
        diff: counts,
        bookkeeping: { v1: books1, v2: books2 },
      },
      checkout,
      members1,
      members2,
    };
  } finally {
    await store.close();
  }
}

function run(command, args, cwd, env = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: {
      ...process.env,
      DVC_NO_ANALYTICS: "1",
      // DVC's state for the repository in the bench's folder, not /var/tmp/dvc.
      DVC_SITE_CACHE_DIR: path.join(work, "dvc-site-cache"),
      GIT_AUTHOR_NAME: "bench",
      GIT_AUTHOR_EMAIL: "bench@localhost",
      GIT_COMMITTER_NAME: "bench",
      GIT_COMMITTER_EMAIL: "bench@localhost",
      ...env,
    },
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

function timedRun(command, args, cwd) {
  const started = process.hrtime.bigint();
  const stdout = run(command, args, cwd);
  return [stdout, Number(process.hrtime.bigint() - started) / 1e9];
}

function labelsCsv(members) {
  const lines = ["sha256,patient_id,split,label,nih_finding"];
  for (const m of members)
    lines.push([m.sha256, m.patientId, m.split, m.labels.label.join("|"), m.labels.nih_finding.join("|")].join(","));
  return `${lines.join("\n")}\n`;
}

/**
 * DVC on the same instances: the files of radlab's v1 checkout moved (untimed) into data/images/
 * of a fresh git + DVC repository, the members' labels and splits in data/labels.csv.
 */
function runDvc(checkout, members1, members2, work) {
  const dvc = path.join(PY, "dvc");
  const root = path.join(work, "dvc-repo");
  const images = path.join(root, "data", "images");
  fs.mkdirSync(images, { recursive: true });
  run("git", ["init", "-q"], root);
  run(dvc, ["init", "-q"], root);
  run(dvc, ["config", "core.analytics", "false"], root);
  run("git", ["add", "-A"], root);
  run("git", ["commit", "-qm", "dvc init"], root);
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".dcm")) fs.renameSync(full, path.join(images, entry.name));
    }
  };
  walk(checkout);
  const cache = path.join(root, ".dvc", "cache");
  const t = {};
  const books = {};
  const commitVersion = (name, message) => {
    const before = census(cache);
    const [, add] = timedRun(dvc, ["add", "-q", "data"], root);
    const [, gitCommit] = timedRun("bash", ["-c", `git add data.dvc .gitignore && git commit -qm "${message}"`], root);
    const after = census(cache);
    t[`add_${name}`] = add;
    t[`git_${name}`] = gitCommit;
    books[name] = { filesWritten: after.files - before.files, bytesWritten: after.bytes - before.bytes };
    return run("git", ["rev-parse", "HEAD"], root).trim();
  };
  fs.writeFileSync(path.join(root, "data", "labels.csv"), labelsCsv(members1));
  const c1 = commitVersion("v1", "v1");
  // The relabel: the labels CSV rewritten with the 1,000 changes (radlab's v2 labels).
  const started = process.hrtime.bigint();
  fs.writeFileSync(path.join(root, "data", "labels.csv"), labelsCsv(members2));
  t.relabel = Number(process.hrtime.bigint() - started) / 1e9;
  const c2 = commitVersion("v2", "v2: 1,000 relabelled");
  const [diffJson, diff] = timedRun(dvc, ["diff", "--json", c1, c2], root);
  t.diff = diff;
  const parsed = JSON.parse(diffJson);
  const diffCounts = Object.fromEntries(
    ["added", "deleted", "modified", "renamed"].map((k) => [k, (parsed[k] ?? []).map((e) => e.path)]),
  );
  [, t.status] = timedRun(dvc, ["status", "-q"], root);
  // Back to v1: git checkout of v1's commit, then `dvc checkout` (only labels.csv differs).
  [, t.switch] = timedRun("bash", ["-c", `git checkout -q ${c1} && ${dvc} checkout -q`], root);
  // A full checkout: v1's files from the cache into an empty workspace (as radlab's checkout).
  fs.rmSync(path.join(root, "data"), { recursive: true, force: true });
  [, t.checkout] = timedRun(dvc, ["checkout", "-q"], root);
  const files = fs.readdirSync(images).length;
  if (files !== members1.length) throw new Error(`dvc checkout gave ${files} files`);
  const version = run(dvc, ["--version"], root).trim();
  return {
    version,
    instances: members1.length,
    seconds: t,
    diff: diffCounts,
    bookkeeping: books,
    cacheFiles: census(cache).files,
  };
}

const limit = process.env.LIMIT === undefined ? undefined : Number(process.env.LIMIT);
const items = chestXray14Items({ limit, label: true });
const engines = (process.env.ENGINES ?? "duckdb,postgres").split(",");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-bench-datasets-"));
const results = { radlab: [], dvc: null };
try {
  if (engines.includes("duckdb")) {
    const run1 = await runRadlab("duckdb", items, work);
    results.radlab.push(run1.result);
    if (process.env.PEER !== "0") results.dvc = runDvc(run1.checkout, run1.members1, run1.members2, work);
    fs.rmSync(path.join(work, "store-duckdb"), { recursive: true, force: true });
  }
  if (engines.includes("postgres")) {
    const pgServer = await radlab.startLocalPostgres();
    try {
      results.radlab.push((await runRadlab("postgres", items, work, await pgServer.createDatabase("bench"))).result);
    } finally {
      await pgServer.stop();
    }
  }
} finally {
  if (process.env.KEEP) console.log(`kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}

const s = (x) => (x === undefined ? "-" : `${x.toFixed(2)} s`);
const kib = (b) => (Math.abs(b) >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${(b / 1024).toFixed(0)} KiB`);
console.log(
  `machine: ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, Node ${process.version}; ${items.length} records` +
    (results.dvc ? `; peer ${results.dvc.version}` : ""),
);
for (const r of results.radlab) {
  const t = r.seconds;
  console.log(`radlab ${r.engine}: ${r.instances} instances of ${r.patients} patients (ingest ${s(t.ingest)})`);
  console.log(`  create v1 ${s(t.create1)}, commit v1 ${s(t.commit1)}, relabel ${RELABELLED} ${s(t.relabel)}`);
  console.log(
    `  create v2 (parent v1) ${s(t.create2)}, commit v2 ${s(t.commit2)}, diff ${s(t.diff)} ${JSON.stringify(r.diff)}`,
  );
  console.log(
    `  members() ${s(t.members)}, rows() ${s(t.rows)}, verify() ${s(t.verify)}, checkout v1 ${s(t.checkout)}`,
  );
  for (const v of ["v1", "v2"]) {
    const b = r.bookkeeping[v];
    console.log(
      `  ${v}: ${b.filesWritten} file(s) written (${kib(b.bytesWritten)}; manifest ${kib(b.manifestBytes)}), database ${b.databaseGrowth >= 0 ? "+" : ""}${kib(b.databaseGrowth)}`,
    );
  }
}
const d = results.dvc;
if (d) {
  const t = d.seconds;
  console.log(`DVC: ${d.instances} instance files + labels.csv in one tracked folder`);
  console.log(`  v1: dvc add ${s(t.add_v1)} + git commit ${s(t.git_v1)}; relabel (rewrite labels.csv) ${s(t.relabel)}`);
  console.log(
    `  v2: dvc add ${s(t.add_v2)} + git commit ${s(t.git_v2)}; dvc diff ${s(t.diff)} ${JSON.stringify(d.diff)}`,
  );
  console.log(
    `  dvc status ${s(t.status)}; switch to v1 (git + dvc checkout) ${s(t.switch)}; full dvc checkout ${s(t.checkout)}`,
  );
  for (const v of ["v1", "v2"]) {
    const b = d.bookkeeping[v];
    console.log(`  ${v}: ${b.filesWritten} file(s) written to the cache (${kib(b.bytesWritten)})`);
  }
  // radlab / DVC as speed: DVC's seconds over radlab's (above 1: radlab faster).
  results.ratios = {};
  for (const r of results.radlab) {
    const rt = r.seconds;
    const ratios = {
      "version v1 (create + commit vs dvc add + git commit)": [rt.create1 + rt.commit1, t.add_v1 + t.git_v1],
      "v1 with ingest (ingest + create + commit vs dvc add + git commit)": [
        rt.ingest + rt.create1 + rt.commit1,
        t.add_v1 + t.git_v1,
      ],
      "version v2 (relabel + create + commit vs rewrite CSV + dvc add + git commit)": [
        rt.relabel + rt.create2 + rt.commit2,
        t.relabel + t.add_v2 + t.git_v2,
      ],
      "diff v1 v2": [rt.diff, t.diff],
      "verify vs dvc status": [rt.verify, t.status],
      "checkout v1 into an empty folder": [rt.checkout, t.checkout],
    };
    results.ratios[r.engine] = {};
    console.log(`radlab (${r.engine}) / DVC, as speed (above 1: radlab faster):`);
    for (const [name, [ours, theirs]] of Object.entries(ratios)) {
      if (ours === undefined) continue;
      results.ratios[r.engine][name] = theirs / ours;
      console.log(`  ratio ${name}: ${(theirs / ours).toFixed(2)}`);
    }
  }
}
fs.mkdirSync(path.join(repo, "build", "bench"), { recursive: true });
fs.writeFileSync(path.join(repo, "build", "bench", "dataset-versions.json"), JSON.stringify(results, null, 1));
