// Benchmark: pyradiomics' default feature set (107 features: shape, firstorder, glcm, glrlm,
// glszm, gldm, ngtdm; bin width 25, no resampling) per image and ROI, radlab against pyradiomics
// (C-accelerated, bench/radiomics_peer.py) in the same run, on the same NRRD image and mask.
// Prints time per ROI for both, the ratio, and the largest relative difference of any feature
// value; writes build/bench/radiomics.json. Run with `make bench-radiomics`.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const radlab = createRequire(import.meta.url)(path.join(repo, "kernel-lib", "dist", "index.js"));
const data = path.resolve(repo, "..", "shared", "data", "radiomics", "pyradiomics", "data");
const REPEATS = Number(process.env.REPEATS ?? 5);
const WARMUP = Number(process.env.WARMUP ?? 20);
const python = path.join(repo, ".venv", "bin", "python");

const cases = [
  { name: "brain1", image: "brain1_image.nrrd", mask: "brain1_label.nrrd" },
  { name: "breast1", image: "breast1_image.nrrd", mask: "breast1_label.nrrd" },
  { name: "prostate_phantom", image: "prostate_phantom_subvolume.nrrd", mask: "prostate_phantom_subvolume-label.nrrd" },
];

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

function radlabRun(c) {
  const image = radlab.readNrrd(path.join(data, c.image));
  const mask = radlab.maskFromLabel(radlab.readNrrd(path.join(data, c.mask)), 1);
  // The first call in a fresh process pays V8's compilation: reported apart (a batch pays it once).
  const coldStart = process.hrtime.bigint();
  radlab.extractFeatures(image, mask, radlab.PYRADIOMICS_DEFAULTS);
  const cold = Number(process.hrtime.bigint() - coldStart) / 1e9;
  for (let i = 0; i < WARMUP; i++) radlab.extractFeatures(image, mask, radlab.PYRADIOMICS_DEFAULTS);
  const seconds = [];
  let result;
  for (let i = 0; i < REPEATS; i++) {
    const started = process.hrtime.bigint();
    result = radlab.extractFeatures(image, mask, radlab.PYRADIOMICS_DEFAULTS);
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return {
    features: result.features,
    seconds,
    cold,
    classSeconds: result.provenance.seconds,
    voxels: result.provenance.maskVoxels,
  };
}

function peerRun(c) {
  const out = path.join(os.tmpdir(), `radiomics-peer-${process.pid}-${c.name}.json`);
  const run = spawnSync(
    python,
    [
      path.join(repo, "bench", "radiomics_peer.py"),
      "--image",
      path.join(data, c.image),
      "--mask",
      path.join(data, c.mask),
      "--label",
      "1",
      "--bin-width",
      "25",
      "--repeat",
      String(REPEATS),
      "--json",
      out,
    ],
    { encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`radiomics_peer.py failed on ${c.name}:\n${run.stderr}`);
  const result = JSON.parse(fs.readFileSync(out, "utf8"));
  fs.rmSync(out, { force: true });
  return result;
}

function compare(ours, theirs) {
  let worst = { name: null, rel: 0 };
  let compared = 0;
  const missing = [];
  for (const [name, value] of Object.entries(theirs)) {
    const key = name.replace(/^original_/, "");
    if (!(key in ours)) {
      missing.push(key);
      continue;
    }
    compared++;
    const a = ours[key];
    const rel = Math.abs(a - value) / Math.max(Math.abs(value), 1e-12);
    if ((Number.isFinite(rel) && rel > worst.rel) || (!Number.isFinite(a) && Number.isFinite(value)))
      worst = { name: key, rel, ours: a, theirs: value };
  }
  return { compared, missing, worst };
}

const rows = [];
for (const c of cases) {
  const ours = radlabRun(c);
  const peer = peerRun(c);
  const check = compare(ours.features, peer.features);
  const row = {
    case: c.name,
    voxels: ours.voxels,
    features_radlab: Object.keys(ours.features).length,
    features_peer: peer.feature_count,
    radlab_s: median(ours.seconds),
    radlab_first_call_s: ours.cold,
    peer_s: median(peer.seconds),
    speedup: median(peer.seconds) / median(ours.seconds),
    compared: check.compared,
    missing_in_radlab: check.missing,
    worst_relative_difference: check.worst,
    radlab_class_s: ours.classSeconds,
    peer_class_s: peer.class_seconds ?? null,
    peer: peer.peer,
  };
  rows.push(row);
  console.log(
    `${c.name.padEnd(17)} ${String(row.voxels).padStart(6)} voxels  radlab ${(row.radlab_s * 1000).toFixed(1).padStart(7)} ms  ${peer.peer} ${(row.peer_s * 1000).toFixed(1).padStart(7)} ms  speed-up ${row.speedup.toFixed(2)}x (first call ${(ours.cold * 1000).toFixed(0)} ms)  ${row.compared} features compared, worst ${check.worst.name ?? "-"} ${check.worst.rel.toExponential(2)}`,
  );
}
// Each case in its own fresh process would pay the first call every time; a batch pays it once.
const machine = {
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
};
fs.mkdirSync(path.join(repo, "build", "bench"), { recursive: true });
fs.writeFileSync(
  path.join(repo, "build", "bench", "radiomics.json"),
  JSON.stringify({ machine, repeats: REPEATS, rows }, null, 2),
);
console.log(
  `total speed-up (sum of medians): ${(rows.reduce((a, r) => a + r.peer_s, 0) / rows.reduce((a, r) => a + r.radlab_s, 0)).toFixed(2)}x; written build/bench/radiomics.json`,
);
