// Benchmark: header de-identification in instances/s, radlab (read + deidentifyHeader with the
// PS3.15 basic profile + write, one process) against Orthanc 1.10's `POST /instances/{id}/anonymize`
// (one client, then two) and dicognito (pydicom; read + anonymize + save, one process,
// bench/dicognito_deid.py), in the same run, on the same files: every instance of
// ../shared/data/dicom and ../shared/data/deid/samples/deid-data that Orthanc accepts (the
// ultrasound cine is unzipped first) and that every tool de-identifies. Then checks what each tool
// leaves behind: radlab's scanForPhi with the original identifying values (the `phiValues` radlab
// collects under the basic profile) over every tool's output, plus the marks a de-identified file
// should carry and whether a study keeps one Study Instance UID.
//
// Orthanc 1.10 listens on every interface: this refuses to run outside a private network
// namespace. Run with `make bench-deid`, or after `npx tsc -b kernel-lib/tsconfig.build.json`:
// `scripts/private-network.sh node bench/deid-header.mjs`. Writes build/bench/deid-header.json.
// Every original and output (PHI of test data) stays in a temporary folder removed at the end.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const radlab = createRequire(import.meta.url)(path.join(repo, "kernel-lib", "dist", "index.js"));
const shared = path.resolve(repo, "..", "shared", "data");
const REPEATS = Number(process.env.REPEATS ?? 3);
const ORTHANC = process.env.ORTHANC ?? "/usr/sbin/Orthanc";
const PYTHON = path.join(repo, ".venv", "bin", "python");

function privateNetwork() {
  const names = fs
    .readFileSync("/proc/net/dev", "utf8")
    .split("\n")
    .slice(2)
    .map((line) => line.split(":")[0]?.trim())
    .filter(Boolean);
  return names.length > 0 && names.every((n) => n === "lo");
}
if (!privateNetwork()) {
  console.error(
    "Orthanc 1.10 listens on every interface: run this inside scripts/private-network.sh (make bench-deid).",
  );
  process.exit(2);
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full);
    return /^(README|LICENSE|MANIFEST|INVENTORY|FileInfo|\.missing)|\.(py|md|txt|zip|json)$/i.test(e.name)
      ? []
      : [full];
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-deid-bench-"));
let orthanc;
const cleanUp = () => {
  orthanc?.kill("SIGKILL");
  fs.rmSync(tmp, { recursive: true, force: true });
};
process.on("exit", cleanUp);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

const deidData = path.join(shared, "deid", "samples", "deid-data");
spawnSync("unzip", ["-q", path.join(deidData, "deid_data/data/ultrasounds/GREYSCALE_CINE.zip"), "-d", tmp]);
const candidates = [
  ...walk(path.join(shared, "dicom")).sort(),
  ...walk(deidData).sort(),
  path.join(tmp, "GREYSCALE_CINE.dcm"),
];
const shortName = (file) =>
  file.startsWith(tmp) ? `deid-data/.../GREYSCALE_CINE.zip!${path.basename(file)}` : path.relative(shared, file);

// --- Orthanc: a minimal configuration in the temporary folder, no authentication (private namespace).
async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
const httpPort = await freePort();
const storage = path.join(tmp, "orthanc");
fs.writeFileSync(
  path.join(tmp, "orthanc.json"),
  JSON.stringify({
    Name: "radlab-bench",
    StorageDirectory: storage,
    IndexDirectory: storage,
    HttpPort: httpPort,
    DicomServerEnabled: false,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    StorageCompression: false,
    SaveJobs: false,
  }),
);
const log = fs.openSync(path.join(tmp, "orthanc.log"), "w");
orthanc = spawn(ORTHANC, [path.join(tmp, "orthanc.json")], { stdio: ["ignore", log, log] });
const base = `http://127.0.0.1:${httpPort}`;

function request(agent, method, url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${url}`, { method, agent }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
const setupAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
for (let started = Date.now(); ;) {
  if (orthanc.exitCode !== null) throw new Error(fs.readFileSync(path.join(tmp, "orthanc.log"), "utf8"));
  try {
    if ((await request(setupAgent, "GET", "/system")).status === 200) break;
  } catch {
    // not listening yet
  }
  if (Date.now() - started > 30_000) throw new Error("Orthanc did not answer in 30 s");
  await new Promise((r) => setTimeout(r, 100));
}
const system = JSON.parse((await request(setupAgent, "GET", "/system")).body);

// Upload (not timed). A file whose SOP Instance UID Orthanc already holds is not a new instance.
const files = [];
const orthancId = new Map();
const refused = [];
for (const file of candidates) {
  const answer = await request(setupAgent, "POST", "/instances", fs.readFileSync(file));
  if (answer.status !== 200) {
    refused.push(shortName(file));
    continue;
  }
  const { ID, Status } = JSON.parse(answer.body);
  if (Status === "AlreadyStored" || [...orthancId.values()].includes(ID)) continue;
  orthancId.set(file, ID);
  files.push(file);
}
console.log(
  `Orthanc ${system.Version}: ${files.length} instances accepted of ${candidates.length} files (${refused.length} refused, ${candidates.length - files.length - refused.length} already stored)`,
);

// --- The three tools. Each returns per-file seconds (undefined on failure) and the errors.
// Pass 0 keeps its outputs (out/<tool>/<index in files>) for the check; timed passes write to scratch/.
const outFile = (folder, tool, i) => {
  const dir = path.join(tmp, folder, tool);
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${String(i).padStart(4, "0")}.dcm`);
};

function runRadlab(list, folder, keep) {
  const key = radlab.ReidentificationKey.create(); // a fresh key each run: no mapping cached from the last
  const seconds = [];
  const errors = [];
  const phases = { read: 0, deidentify: 0, write: 0 };
  list.forEach((file, i) => {
    try {
      const t0 = process.hrtime.bigint();
      const ds = radlab.readDicomFile(file);
      const t1 = process.hrtime.bigint();
      const { dataset, phiValues } = radlab.deidentifyHeader(ds, radlab.BASIC_PROFILE, { key });
      const t2 = process.hrtime.bigint();
      fs.writeFileSync(outFile(folder, "radlab", i), radlab.writeDicom(dataset));
      const t3 = process.hrtime.bigint();
      seconds.push(Number(t3 - t0) / 1e9);
      phases.read += Number(t1 - t0) / 1e9;
      phases.deidentify += Number(t2 - t1) / 1e9;
      phases.write += Number(t3 - t2) / 1e9;
      if (keep) keep.set(file, phiValues);
    } catch (error) {
      seconds.push(undefined);
      errors.push(`${shortName(file)}: ${error.code ?? error.name}: ${String(error.message).split("\n")[0]}`);
    }
  });
  return { seconds, errors, phases };
}

function runDicognito(list, folder) {
  const peer = spawnSync(PYTHON, [path.join(repo, "bench", "dicognito_deid.py"), "radlab-bench"], {
    input: list.map((file, i) => `${file}\t${outFile(folder, "dicognito", i)}`).join("\n"),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (peer.status !== 0) throw new Error(`dicognito side failed: ${peer.stderr}`);
  const out = JSON.parse(peer.stdout);
  return {
    seconds: out.files.map((r) => r.seconds),
    errors: out.files.filter((r) => r.error).map((r) => `${shortName(r.file)}: ${r.error}`),
    versions: { dicognito: out.dicognito, pydicom: out.pydicom },
  };
}

/** `clients` concurrent loops, each with one keep-alive connection; only the calls are timed. */
async function runOrthanc(list, clients, save) {
  const seconds = new Array(list.length);
  const errors = [];
  const bodies = new Map();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = c; i < list.length; i += clients) {
        const t = process.hrtime.bigint();
        const answer = await request(agent, "POST", `/instances/${orthancId.get(list[i])}/anonymize`, "{}");
        seconds[i] = Number(process.hrtime.bigint() - t) / 1e9;
        if (answer.status !== 200) {
          seconds[i] = undefined;
          errors.push(`${shortName(list[i])}: HTTP ${answer.status} ${answer.body.toString().slice(0, 120)}`);
        } else if (save) bodies.set(i, answer.body);
      }
      agent.destroy();
    }),
  );
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  for (const [i, body] of bodies) fs.writeFileSync(outFile("out", "orthanc", i), body);
  return { seconds, errors, wall };
}

// Pass 0 (not timed: warms caches and JIT, finds what each tool handles, keeps the outputs and the
// original PHI values for the check).
const phiByFile = new Map();
const warm = {
  radlab: runRadlab(files, "out", phiByFile),
  orthanc: await runOrthanc(files, 1, true),
  dicognito: runDicognito(files, "out"),
};
const common = files.filter((_, i) => Object.values(warm).every((r) => r.seconds[i] !== undefined));
const index = new Map(files.map((f, i) => [f, i]));

// Timed passes over the common files, the tools interleaved; the best pass of each counts.
const best = { radlab: Infinity, orthanc1: Infinity, orthanc2: Infinity, dicognito: Infinity };
let radlabPhases;
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
for (let r = 0; r < REPEATS; r++) {
  best.orthanc1 = Math.min(best.orthanc1, (await runOrthanc(common, 1, false)).wall);
  best.orthanc2 = Math.min(best.orthanc2, (await runOrthanc(common, 2, false)).wall);
  const ours = runRadlab(common, "scratch");
  if (sum(ours.seconds) < best.radlab) [best.radlab, radlabPhases] = [sum(ours.seconds), ours.phases];
  best.dicognito = Math.min(best.dicognito, sum(runDicognito(common, "scratch").seconds));
}
const rate = Object.fromEntries(Object.entries(best).map(([k, s]) => [k, common.length / s]));

// --- What each tool leaves behind, on the outputs of pass 0 (the common files).
// radlab keeps what the basic profile keeps; a finding there (a name part that equals a Modality or
// Image Type value, an institution named like the manufacturer) is a coincidence of the check, and
// is counted apart for the peers too when it stands at the same place.
const keptByProfile = new Map();
function leftovers(tool) {
  let coincidental = 0;
  const byTag = new Map();
  const byKind = new Map();
  const perFile = [];
  let findings = 0;
  let filesWithFindings = 0;
  let unreadable = 0;
  let identityRemoved = 0;
  let methodCodes = 0;
  let privateLeft = 0;
  const studies = new Map(); // original Study Instance UID -> output Study Instance UIDs
  for (const file of common) {
    let out;
    try {
      out = radlab.readDicomFile(outFile("out", tool, index.get(file)));
    } catch {
      unreadable++;
      continue;
    }
    const found = radlab.scanForPhi(out, phiByFile.get(file) ?? []);
    if (tool === "radlab") keptByProfile.set(file, new Set(found.map((f) => `${f.path}|${f.source}`)));
    coincidental += found.filter((f) => keptByProfile.get(file)?.has(`${f.path}|${f.source}`)).length;
    findings += found.length;
    if (found.length > 0) filesWithFindings++;
    for (const f of found) {
      byTag.set(f.tag, (byTag.get(f.tag) ?? 0) + 1);
      byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
    }
    if (found.length > 0)
      perFile.push({
        file: shortName(file),
        found: [...new Set(found.map((f) => `${f.tag}${f.path.includes("/") ? ` at ${f.path}` : ""} <- ${f.source}`))],
      });
    if (out.string("PatientIdentityRemoved") === "YES") identityRemoved++;
    if (out.raw("DeidentificationMethodCodeSequence") !== undefined) methodCodes++;
    if (Object.keys(out.dict).some((hex) => parseInt(hex.slice(0, 4), 16) % 2 === 1)) privateLeft++;
    const original = radlab.readDicomFile(file, { headerOnly: true }).string("StudyInstanceUID");
    if (original !== undefined) {
      const set = studies.get(original) ?? new Set();
      set.add(out.string("StudyInstanceUID"));
      studies.set(original, set);
    }
  }
  const multi = [...studies.values()].filter((s) => s.size > 0);
  return {
    files: common.length,
    unreadable,
    findings,
    findings_where_radlab_also_finds: coincidental,
    files_with_findings: filesWithFindings,
    by_kind: Object.fromEntries(byKind),
    by_tag: Object.fromEntries([...byTag].sort((a, b) => b[1] - a[1])),
    patient_identity_removed_yes: identityRemoved,
    deidentification_method_code_sequence: methodCodes,
    files_with_private_attributes: privateLeft,
    studies: multi.length,
    studies_split: multi.filter((s) => s.size > 1).length,
    per_file: perFile,
  };
}
// Which original studies have several instances here (only those can be split).
const studyCount = new Map();
for (const file of common) {
  const uid = radlab.readDicomFile(file, { headerOnly: true }).string("StudyInstanceUID");
  if (uid !== undefined) studyCount.set(uid, (studyCount.get(uid) ?? 0) + 1);
}
const multiStudies = [...studyCount.values()].filter((n) => n > 1).length;
const check = { radlab: leftovers("radlab"), orthanc: leftovers("orthanc"), dicognito: leftovers("dicognito") };

const result = {
  machine: `${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  orthanc: system.Version,
  ...warm.dicognito.versions,
  repeats: REPEATS,
  candidates: candidates.length,
  accepted_by_orthanc: files.length,
  refused_by_orthanc: refused,
  common: common.length,
  failed: Object.fromEntries(Object.entries(warm).map(([k, r]) => [k, r.errors])),
  instances_per_s: rate,
  radlab_ms_per_instance: Object.fromEntries(
    Object.entries(radlabPhases).map(([k, s]) => [k, (1000 * s) / common.length]),
  ),
  ratios: {
    radlab_orthanc_1_client: rate.radlab / rate.orthanc1,
    radlab_orthanc_2_clients: rate.radlab / rate.orthanc2,
    radlab_dicognito: rate.radlab / rate.dicognito,
  },
  studies_with_several_instances: multiStudies,
  left_behind: check,
};
fs.mkdirSync(path.join(repo, "build", "bench"), { recursive: true });
fs.writeFileSync(path.join(repo, "build", "bench", "deid-header.json"), JSON.stringify(result, null, 1));

console.log(
  `machine: ${result.machine}; dicognito ${result.dicognito} (pydicom ${result.pydicom}); best of ${REPEATS}`,
);
for (const [tool, errors] of Object.entries(result.failed))
  if (errors.length > 0) console.log(`${tool} failed on ${errors.length}: ${errors.join("; ")}`);
console.log(`${common.length} instances that every tool de-identifies:`);
console.log(`  radlab (read + deidentifyHeader + write)  ${rate.radlab.toFixed(1)} instances/s`);
console.log(
  `    (per instance: read ${result.radlab_ms_per_instance.read.toFixed(2)} ms, deidentifyHeader ${result.radlab_ms_per_instance.deidentify.toFixed(2)} ms, write ${result.radlab_ms_per_instance.write.toFixed(2)} ms)`,
);
console.log(`  Orthanc /anonymize, 1 client              ${rate.orthanc1.toFixed(1)} instances/s`);
console.log(`  Orthanc /anonymize, 2 clients             ${rate.orthanc2.toFixed(1)} instances/s`);
console.log(`  dicognito (read + anonymize + save)       ${rate.dicognito.toFixed(1)} instances/s`);
console.log(
  `  ratios radlab/Orthanc ${result.ratios.radlab_orthanc_1_client.toFixed(2)} (1 client), ${result.ratios.radlab_orthanc_2_clients.toFixed(2)} (2 clients); radlab/dicognito ${result.ratios.radlab_dicognito.toFixed(2)}`,
);
console.log(
  `What each leaves behind (scanForPhi with the original values; ${multiStudies} studies have several instances):`,
);
for (const [tool, c] of Object.entries(check)) {
  const kinds = Object.entries(c.by_kind).map(([k, n]) => `${k} ${n}`);
  console.log(
    `  ${tool}: ${c.findings} findings in ${c.files_with_findings} of ${c.files} files (${kinds.join(", ")}), ${c.findings_where_radlab_also_finds} of them where radlab's output has them too`,
  );
  console.log(
    `    Patient Identity Removed YES in ${c.patient_identity_removed_yes}, De-identification Method Code Sequence in ${c.deidentification_method_code_sequence}, private attributes left in ${c.files_with_private_attributes}; studies given several Study Instance UIDs: ${c.studies_split} of ${multiStudies}${c.unreadable ? `; ${c.unreadable} outputs unreadable` : ""}`,
  );
  for (const [tag, n] of Object.entries(c.by_tag).slice(0, 12)) console.log(`      ${String(n).padStart(4)}  ${tag}`);
  const un = c.per_file.find((f) => f.file.includes("explicit_VR-UN"));
  if (un) console.log(`      explicit_VR-UN.dcm: ${un.found.join(", ")}`);
}

setupAgent.destroy();
process.exit(0); // the exit hook stops Orthanc and removes the temporary folder
