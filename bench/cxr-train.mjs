// Benchmark: training the chest X-ray exercise's CNN with radlab (tfjs, the backend selectBackend
// picks) against TensorFlow/Keras for Python (bench/cxr_train_keras.py), on the same data, split,
// architecture and schedule, in the same run. Goals from issue #7: validation accuracy within 2
// points of Keras, and training throughput at least 0.8x Keras's on the CPU.
//
// radlab does what notebooks/chest-xray-exercise.ipynb does: ingest ../shared/data/cxr/nih1000 (802
// PNGs, 64 x 64) into a temporary research store, commit a dataset version split 80/20 by patient
// (stratified by label, seed 2024), prepare both splits through the pipeline (decode, window from the
// file, resize 64 x 64 by area, min-max to 0..1), then writes the prepared arrays as .npy files
// (float32, [n, 64, 64, 1] and [n, 1]) with their sha256, so that Keras trains on the same values in
// the same split. For each seed (interleaved: radlab, then Keras in its own process), each side
// builds the exercise CNN (Conv2D 32 3x3 ReLU, MaxPool 2, Conv2D 64 3x3 ReLU, MaxPool 2, Flatten,
// Dense 128 ReLU, Dropout 0.5, Dense 1 sigmoid; Glorot uniform) and trains it with Adam (lr 0.001),
// binary cross-entropy, batch 32, the training images shuffled each epoch, validation after each
// epoch, no early stopping. radlab: buildModel + trainModel (spec seed = the seed). Keras:
// keras.utils.set_random_seed(seed), TensorFlow on THREADS intra-op threads and 1 inter-op thread.
//
// Reported per side: training images/s over all epochs (each epoch's wall time includes its
// validation pass; radlab's is trainModel's imagesPerSecond) and over the epochs after the first
// (which includes XNNPACK's or TensorFlow's graph set-up), CPU seconds per wall second, and the
// validation accuracy (threshold 0.5) and ROC AUC of the last epoch's weights and of the best
// epoch's (lowest validation loss: the weights trainModel restores). Both sides' probabilities are
// scored by radlab's evaluateBinary; the Keras script's own AUC (numpy, or sklearn when installed)
// is checked against it.
//
// Run with `make bench-train` (installs bench/requirements-keras.txt into .venv), or after
// `npx tsc -b kernel-lib/tsconfig.build.json`: `node bench/cxr-train.mjs`. EPOCHS=N (default 15),
// SEEDS=a,b,c (default 42,43,44), THREADS=N (default 2), BACKENDS=wasm,... (selectBackend's prefer;
// default its own order), CXR_FOLDER=path (another image folder, as the notebook's: labels.csv or
// one sub-folder per class), ONLY=radlab or ONLY=keras, PYTHON=path (default .venv/bin/python), KEEP=1
// keeps the temporary folder. Writes build/bench/cxr-train.json.
//
// DATA=pneumoniamnist trains on a set the network can learn instead: PneumoniaMNIST at 28 x 28
// (../shared/data/cxr/pneumoniamnist28/pneumoniamnist.npz, or PNEUMONIAMNIST=path; 0 normal,
// 1 pneumonia). cxr_train_keras.py --convert writes its train split and the npz's val split
// (VALIDATION_SPLIT=test for its test split) as the same .npy files (x / 255 as float32 [n, 28, 28, 1],
// labels float32 [n, 1]); radlab reads them back (readNpy, sha256 checked) and trains the exercise-cnn
// spec with inputShape [28, 28, 1], no store or pipeline involved. EPOCHS defaults to 10 here.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const radlab = require(path.join(repo, "kernel-lib", "dist", "index.js"));
const tf = require("@tensorflow/tfjs");

const DATA = process.env.DATA ?? "nih1000";
if (DATA !== "nih1000" && DATA !== "pneumoniamnist") throw new Error(`DATA=${DATA}: nih1000 or pneumoniamnist`);
const EPOCHS = Number(process.env.EPOCHS ?? (DATA === "pneumoniamnist" ? 10 : 15));
const SEEDS = (process.env.SEEDS ?? "42,43,44").split(",").map(Number);
const THREADS = Number(process.env.THREADS ?? 2);
const BACKENDS = process.env.BACKENDS?.split(",");
const ONLY = process.env.ONLY;
const PYTHON = process.env.PYTHON ?? path.join(repo, ".venv", "bin", "python");
const BATCH = 32;
const LEARNING_RATE = 0.001;
const FOLDER = process.env.CXR_FOLDER ?? path.resolve(repo, "..", "shared", "data", "cxr", "nih1000");
const NPZ =
  process.env.PNEUMONIAMNIST ??
  path.resolve(repo, "..", "shared", "data", "cxr", "pneumoniamnist28", "pneumoniamnist.npz");
const VALIDATION_SPLIT = process.env.VALIDATION_SPLIT ?? "val";

/** Writes a float32 array as a NumPy .npy file (format 1.0, little endian, C order). */
function writeNpy(file, data, shape) {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces and a newline to 64 bytes.
  const padded = dict.padEnd(Math.ceil((10 + dict.length + 1) / 64) * 64 - 10 - 1, " ") + "\n";
  const header = Buffer.alloc(10);
  header.write("\x93NUMPY", 0, "latin1");
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(padded.length, 8);
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (os.endianness() !== "LE") throw new Error("writeNpy writes little-endian float32 only");
  fs.writeFileSync(file, Buffer.concat([header, Buffer.from(padded, "latin1"), bytes]));
  return createHash("sha256").update(bytes).digest("hex");
}

/** Reads a NumPy .npy file of little-endian float32 in C order (format 1.0 or 2.0). */
function readNpy(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.toString("latin1", 0, 6) !== "\x93NUMPY") throw new Error(`${file} is not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.toString("latin1", start, start + headerLength);
  if (!/'descr':\s*'<f4'/.test(header) || !/'fortran_order':\s*False/.test(header)) {
    throw new Error(`${file}: only little-endian float32 in C order is read, not ${header.trim()}`);
  }
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? "")
    .split(",")
    .map((d) => d.trim())
    .filter((d) => d !== "")
    .map(Number);
  const payload = bytes.subarray(start + headerLength);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  Buffer.from(data.buffer).set(payload.subarray(0, data.byteLength));
  return { data, shape, sha256: createHash("sha256").update(payload).digest("hex") };
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const stat = (xs) => ({ mean: mean(xs), sd: sd(xs), values: xs });

function score(truth, probabilities, classes) {
  const e = radlab.evaluateBinary(truth, probabilities, { classes, positive: classes[1] });
  return { accuracy: e.metrics.accuracy, auc: e.auc.auc };
}

function afterFirst(history, n) {
  const later = history.slice(1);
  return later.length === 0 ? null : (n * later.length) / later.reduce((a, e) => a + e.seconds, 0);
}

async function trainRadlab(seed, train, validation, truth, classes) {
  const spec = {
    kind: "model",
    architecture: "exercise-cnn",
    inputShape: train.xs.shape.slice(1),
    head: { kind: "binary" },
    seed,
  };
  const model = radlab.buildModel(tf, spec);
  // trainModel restores the best epoch's weights at the end; keep them aside instead, so that the
  // last epoch's weights can be scored too.
  let bestWeights = null;
  model.setWeights = (weights) => {
    bestWeights = weights.map((w) => w.clone());
  };
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  const result = await radlab.trainModel(tf, model, spec, train, validation, {
    epochs: EPOCHS,
    batchSize: BATCH,
    learningRate: LEARNING_RATE,
    earlyStopping: { monitor: "val_loss", patience: Infinity },
    showProgress: false,
  });
  const seconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const used = process.cpuUsage(cpu);
  delete model.setWeights;
  const predict = () => tf.tidy(() => Array.from(model.predict(validation.xs).dataSync()));
  const last = score(truth, predict(), classes);
  if (bestWeights !== null) {
    model.setWeights(bestWeights);
    for (const w of bestWeights) w.dispose();
  }
  const best = score(truth, predict(), classes);
  model.dispose();
  const n = train.xs.shape[0];
  return {
    seed,
    seconds,
    cpuPerWall: (used.user + used.system) / 1e6 / seconds,
    imagesPerSecond: result.imagesPerSecond,
    imagesPerSecondAfterFirst: afterFirst(result.history, n),
    epochs: result.history.map((e) => ({ epoch: e.epoch, seconds: e.seconds, logs: e.logs })),
    last: { epoch: result.history.length, ...last },
    best: { epoch: result.bestEpoch, ...best },
  };
}

function trainKeras(seed, dataDir, truth, classes) {
  const out = path.join(dataDir, `keras-${seed}.json`);
  const run = spawnSync(
    PYTHON,
    [path.join(repo, "bench", "cxr_train_keras.py"), dataDir, String(seed), String(EPOCHS), String(THREADS), out],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    throw new Error(`cxr_train_keras.py exited with ${run.status ?? run.signal}`);
  }
  const k = JSON.parse(fs.readFileSync(out, "utf8"));
  const rescore = (r) => {
    const s = score(truth, r.probabilities, classes);
    if (Math.abs(s.auc - r.auc) > 1e-6) {
      console.warn(`seed ${seed}: Keras's own AUC ${r.auc} (${k.aucMethod}) differs from evaluateBinary's ${s.auc}`);
    }
    return { epoch: r.epoch, ...s, ownAuc: r.auc };
  };
  return {
    seed,
    versions: { tensorflow: k.tensorflow, keras: k.keras, numpy: k.numpy },
    threads: k.threads,
    jitCompile: k.jitCompile,
    aucMethod: k.aucMethod,
    seconds: k.seconds,
    cpuPerWall: k.cpuSeconds / k.seconds,
    imagesPerSecond: k.imagesPerSecond,
    imagesPerSecondAfterFirst: k.imagesPerSecondAfterFirst,
    epochs: k.epochs,
    last: rescore(k.last),
    best: rescore(k.best),
  };
}

const backend = await radlab.selectBackend({ threads: THREADS, ...(BACKENDS ? { prefer: BACKENDS } : {}) });
console.log(backend.summary);
const home = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-bench-train-"));
const dataDir = path.join(home, "arrays");
fs.mkdirSync(dataDir);
let train, validation, truth, classes, data, store;
if (DATA === "pneumoniamnist") {
  const convert = spawnSync(
    PYTHON,
    [path.join(repo, "bench", "cxr_train_keras.py"), "--convert", NPZ, VALIDATION_SPLIT, dataDir],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  if (convert.status !== 0) {
    console.error(convert.stdout, convert.stderr);
    throw new Error(`cxr_train_keras.py --convert exited with ${convert.status ?? convert.signal}`);
  }
  const written = JSON.parse(fs.readFileSync(path.join(dataDir, "data.json"), "utf8"));
  classes = ["normal", "pneumonia"];
  const load = (name) => {
    const x = readNpy(path.join(dataDir, `${name}_x.npy`));
    const y = readNpy(path.join(dataDir, `${name}_y.npy`));
    for (const [key, array] of [
      [`${name}_x`, x],
      [`${name}_y`, y],
    ]) {
      if (array.sha256 !== written.sha256[key])
        throw new Error(`${key}.npy: sha256 ${array.sha256} is not data.json's`);
    }
    return { xs: tf.tensor4d(x.data, x.shape), ys: tf.tensor2d(y.data, y.shape), labels: Array.from(y.data) };
  };
  const prepared = Date.now();
  train = load("train");
  validation = load("validation");
  const prepareSeconds = (Date.now() - prepared) / 1000;
  truth = validation.labels.map((y) => classes[y === 1 ? 1 : 0]);
  const count = (split) => ({
    images: split.xs.shape[0],
    positives: split.labels.filter((y) => y === 1).length,
  });
  data = {
    source: NPZ,
    validationSplit: VALIDATION_SPLIT,
    classes,
    prepareSeconds,
    train: count(train),
    validation: count(validation),
    sha256: written.sha256,
  };
  console.log(
    `PneumoniaMNIST ${train.xs.shape.slice(1).join(" x ")}: train ${data.train.images} images ` +
      `(${data.train.positives} pneumonia), validation (npz ${VALIDATION_SPLIT} split) ${data.validation.images} ` +
      `(${data.validation.positives} pneumonia); read in ${prepareSeconds.toFixed(1)} s; arrays in ${dataDir}`,
  );
} else {
  store = await radlab.openStore({ home: path.join(home, "store") });
  const ingest = await store.ingestImageFolder(FOLDER, {
    source: "NIH Clinical Center",
    ...(fs.existsSync(path.join(FOLDER, "labels.csv")) ? { labelsCsv: path.join(FOLDER, "labels.csv") } : {}),
    showProgress: false,
  });
  classes = (await store.query("SELECT DISTINCT value FROM labels WHERE label_set = 'label' ORDER BY value")).map((r) =>
    String(r.value),
  );
  const datasets = new radlab.Datasets(store);
  const version = await datasets.commit(
    await datasets.create({
      kind: "dataset",
      name: "chest-xray-exercise",
      selection: store.catalog().select("sha256").toSql(),
      labelSets: ["label"],
      split: {
        kind: "patient-stratified",
        fractions: { train: 0.8, validation: 0.2 },
        stratifyBy: "label",
        seed: 2024,
      },
    }),
    { message: "bench/cxr-train.mjs", by: "bench" },
  );
  const pipeline = {
    kind: "pipeline",
    name: "cxr-64",
    steps: [
      { kind: "decode", frame: 0 },
      { kind: "window", source: "file" },
      { kind: "resize", size: [64, 64], method: "area", fit: "stretch" },
      { kind: "normalise", method: "minmax" },
    ],
  };
  const prepare = (split) =>
    radlab.prepareSplit(tf, store, version, {
      split,
      labelSet: "label",
      classes,
      head: { kind: "binary" },
      pipeline,
      showProgress: false,
    });
  const prepared = Date.now();
  train = await prepare("train");
  validation = await prepare("validation");
  const prepareSeconds = (Date.now() - prepared) / 1000;
  truth = validation.labels.map((l) => l[0] ?? "");
  const sha256 = {
    train_x: writeNpy(path.join(dataDir, "train_x.npy"), train.xs.dataSync(), train.xs.shape),
    train_y: writeNpy(path.join(dataDir, "train_y.npy"), train.ys.dataSync(), train.ys.shape),
    validation_x: writeNpy(path.join(dataDir, "validation_x.npy"), validation.xs.dataSync(), validation.xs.shape),
    validation_y: writeNpy(path.join(dataDir, "validation_y.npy"), validation.ys.dataSync(), validation.ys.shape),
  };
  fs.writeFileSync(
    path.join(dataDir, "data.json"),
    JSON.stringify({
      version: version.id,
      classes,
      sha256,
      train: { sha256: train.sha256, patientIds: train.patientIds },
      validation: { sha256: validation.sha256, patientIds: validation.patientIds },
    }),
  );
  const positives = (ys) => Array.from(ys.dataSync()).filter((y) => y === 1).length;
  data = {
    ingested: ingest.added ?? null,
    version: version.id,
    classes,
    prepareSeconds,
    train: {
      images: train.xs.shape[0],
      patients: new Set(train.patientIds).size,
      positives: positives(train.ys),
    },
    validation: {
      images: validation.xs.shape[0],
      patients: new Set(validation.patientIds).size,
      positives: positives(validation.ys),
    },
    sha256,
  };
  console.log(
    `version ${version.shortId}: train ${data.train.images} images of ${data.train.patients} patients ` +
      `(${data.train.positives} ${classes[1]}), validation ${data.validation.images} of ${data.validation.patients} ` +
      `(${data.validation.positives} ${classes[1]}); prepared in ${prepareSeconds.toFixed(1)} s; arrays in ${dataDir}`,
  );
}

const runs = { radlab: [], keras: [] };
const loadAverageAtStart = os.loadavg();
for (const seed of SEEDS) {
  for (const side of ["radlab", "keras"]) {
    if (ONLY !== undefined && ONLY !== side) continue;
    const r =
      side === "radlab"
        ? await trainRadlab(seed, train, validation, truth, classes)
        : trainKeras(seed, dataDir, truth, classes);
    runs[side].push(r);
    console.log(
      `${side.padEnd(6)} seed ${seed}: ${r.seconds.toFixed(1)} s, ${r.imagesPerSecond.toFixed(1)} images/s ` +
        `(${r.imagesPerSecondAfterFirst?.toFixed(1) ?? "-"} after epoch 1; first epoch ${r.epochs[0].seconds.toFixed(1)} s), ` +
        `CPU/wall ${r.cpuPerWall.toFixed(2)}; last epoch ${r.last.epoch}: accuracy ${(r.last.accuracy * 100).toFixed(1)} %, ` +
        `AUC ${r.last.auc.toFixed(3)}; best epoch ${r.best.epoch}: accuracy ${(r.best.accuracy * 100).toFixed(1)} %, ` +
        `AUC ${r.best.auc.toFixed(3)}` +
        (side === "keras" ? `; Keras's own AUC ${r.last.ownAuc.toFixed(4)} (${r.aucMethod})` : ""),
    );
  }
}
const loadAverageAtEnd = os.loadavg();
train.xs.dispose();
train.ys.dispose();
validation.xs.dispose();
validation.ys.dispose();
await store?.close();

const summarise = (rs) =>
  rs.length === 0
    ? null
    : {
        imagesPerSecond: stat(rs.map((r) => r.imagesPerSecond)),
        imagesPerSecondAfterFirst: stat(rs.map((r) => r.imagesPerSecondAfterFirst ?? NaN)),
        cpuPerWall: stat(rs.map((r) => r.cpuPerWall)),
        lastAccuracy: stat(rs.map((r) => r.last.accuracy)),
        lastAuc: stat(rs.map((r) => r.last.auc)),
        bestAccuracy: stat(rs.map((r) => r.best.accuracy)),
        bestAuc: stat(rs.map((r) => r.best.auc)),
      };
const summary = { radlab: summarise(runs.radlab), keras: summarise(runs.keras) };
const fmt = (s, scale = 1, digits = 1) =>
  `${(s.mean * scale).toFixed(digits)} ± ${(s.sd * scale).toFixed(digits)}`.padStart(15);
console.log(
  `\nmachine: ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, Node ${process.version}; ${backend.summary}`,
);
console.log(`${EPOCHS} epochs, batch ${BATCH}, seeds ${SEEDS.join(", ")}, ${THREADS} threads each side`);
console.log(
  `load average at start ${loadAverageAtStart.map((l) => l.toFixed(2)).join(" ")}, at end ${loadAverageAtEnd.map((l) => l.toFixed(2)).join(" ")}`,
);
const rows = [
  ["training images/s, all epochs", "imagesPerSecond", 1, 1],
  ["training images/s, epochs 2-", "imagesPerSecondAfterFirst", 1, 1],
  ["CPU seconds per wall second", "cpuPerWall", 1, 2],
  ["last epoch: validation accuracy %", "lastAccuracy", 100, 1],
  ["last epoch: validation AUC", "lastAuc", 1, 3],
  ["best epoch: validation accuracy %", "bestAccuracy", 100, 1],
  ["best epoch: validation AUC", "bestAuc", 1, 3],
];
console.log(`${"measure (mean ± sd over seeds)".padEnd(36)} ${"radlab".padStart(15)} ${"Keras".padStart(15)}  ratio`);
for (const [label, key, scale, digits] of rows) {
  const r = summary.radlab?.[key];
  const k = summary.keras?.[key];
  const ratio = r && k && key.startsWith("images") ? (r.mean / k.mean).toFixed(2) : "";
  console.log(
    `${label.padEnd(36)} ${r ? fmt(r, scale, digits) : "".padStart(15)} ${k ? fmt(k, scale, digits) : "".padStart(15)}  ${ratio}`,
  );
}
let goals = null;
if (summary.radlab && summary.keras) {
  const throughput = summary.radlab.imagesPerSecond.mean / summary.keras.imagesPerSecond.mean;
  const throughputAfterFirst =
    summary.radlab.imagesPerSecondAfterFirst.mean / summary.keras.imagesPerSecondAfterFirst.mean;
  const accuracyGap = (summary.keras.lastAccuracy.mean - summary.radlab.lastAccuracy.mean) * 100;
  goals = {
    throughputRatio: throughput,
    throughputRatioAfterFirst: throughputAfterFirst,
    throughputMet: throughput >= 0.8,
    lastAccuracyPointsBelowKeras: accuracyGap,
    accuracyMet: accuracyGap <= 2,
  };
  console.log(
    `goals: throughput ratio ${throughput.toFixed(2)} (${throughputAfterFirst.toFixed(2)} after epoch 1), ` +
      `${goals.throughputMet ? "met" : "not met"} (>= 0.8); last-epoch accuracy ${accuracyGap.toFixed(1)} points ` +
      `below Keras, ${goals.accuracyMet ? "met" : "not met"} (<= 2)`,
  );
}
if (process.env.KEEP) console.log(`kept ${home}`);
else fs.rmSync(home, { recursive: true, force: true });
fs.mkdirSync(path.join(repo, "build", "bench"), { recursive: true });
fs.writeFileSync(
  path.join(repo, "build", "bench", "cxr-train.json"),
  JSON.stringify(
    {
      benchmark: "cxr-train",
      dataSet: DATA,
      machine: { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? "", node: process.version },
      backend: { name: backend.name, threads: backend.threads, reason: backend.reason },
      epochs: EPOCHS,
      batchSize: BATCH,
      learningRate: LEARNING_RATE,
      seeds: SEEDS,
      threads: THREADS,
      loadAverageAtStart,
      loadAverageAtEnd,
      data,
      runs,
      summary,
      goals,
    },
    null,
    1,
  ),
);
// The wasm backend's pthread workers keep the event loop alive.
process.exit(0);
