// Benchmark: training speed of a small CNN on each TensorFlow.js backend radlab's selectBackend
// can start here, in the same run: Conv2D 3x3x16 ReLU, MaxPool 2, Conv2D 3x3x32 ReLU, MaxPool 2,
// Flatten, Dense 64 ReLU, Dense 1 sigmoid; Adam, binary cross-entropy; 200 random 64x64x1 images
// (seeded), batch 32, no shuffle, so every backend computes the same training. Configurations:
// cpu (@tensorflow/tfjs-backend-cpu), wasm on 1 thread with radlab's gradient kernels, wasm on 1
// thread with radlab's Conv2DBackpropFilter but the backend's own loop Conv2DBackpropInput (what
// replacing it buys), and wasm on every logical CPU (the threaded SIMD build). Each runs in its own
// child process, one after another (a backend's module starts once per process). Reports seconds
// per epoch (wall), CPU seconds per wall second (above 1: more than one core busy) and the loss
// after each epoch (equal across backends up to rounding). Run after
// `npx tsc -b kernel-lib/tsconfig.build.json`: `node bench/tfjs-backends.mjs`. IMAGES=N changes
// the image count, EPOCHS=N the wasm epochs (default 2: the first includes XNNPACK's set-up),
// CPU_EPOCHS=N the cpu ones (default 1: an epoch takes minutes), ONLY=cpu,wasm-1,... a subset,
// REPEATS=N runs the wasm configurations N times, round robin (default 3), and the summary takes
// each one's fastest last epoch: on a shared machine that is the one least slowed by other work.
// Writes build/bench/tfjs-backends.json.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const dist = path.join(repo, "kernel-lib", "dist");
const IMAGES = Number(process.env.IMAGES ?? 200);
const EPOCHS = Number(process.env.EPOCHS ?? 2);
const CPU_EPOCHS = Number(process.env.CPU_EPOCHS ?? 1);
const REPEATS = Number(process.env.REPEATS ?? 3);
const THREADS = Math.min(8, os.availableParallelism());

const CONFIGS = {
  cpu: { prefer: ["cpu"], threads: 1, epochs: CPU_EPOCHS, label: "cpu (JavaScript)" },
  "wasm-1-stock-input": {
    prefer: ["wasm"],
    threads: 1,
    epochs: EPOCHS,
    stockInput: true,
    label: "wasm, 1 thread, backend's own Conv2DBackpropInput",
  },
  "wasm-1": { prefer: ["wasm"], threads: 1, epochs: EPOCHS, label: "wasm, 1 thread" },
  [`wasm-${THREADS}`]: { prefer: ["wasm"], threads: THREADS, epochs: EPOCHS, label: `wasm, ${THREADS} threads` },
};

async function child(name) {
  const config = CONFIGS[name];
  const tf = require("@tensorflow/tfjs");
  const { selectBackend, describeBackend } = require(path.join(dist, "ml", "backend.js"));
  let stock;
  if (config.stockInput) {
    require("@tensorflow/tfjs-backend-wasm");
    stock = tf.getKernel("Conv2DBackpropInput", "wasm");
  }
  const selection = await selectBackend({ prefer: config.prefer, threads: config.threads });
  if (stock !== undefined) {
    // radlab's replacement ran the original's set-up when the backend started; put it back.
    tf.unregisterKernel("Conv2DBackpropInput", "wasm");
    tf.registerKernel(stock);
  }
  const init = (seed) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [64, 64, 1],
      filters: 16,
      kernelSize: 3,
      activation: "relu",
      kernelInitializer: init(1),
    }),
  );
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: "relu", kernelInitializer: init(2) }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 64, activation: "relu", kernelInitializer: init(3) }));
  model.add(tf.layers.dense({ units: 1, activation: "sigmoid", kernelInitializer: init(4) }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "binaryCrossentropy" });
  const xs = tf.randomUniform([IMAGES, 64, 64, 1], 0, 1, "float32", 1);
  const ys = tf.cast(tf.greater(tf.randomUniform([IMAGES, 1], 0, 1, "float32", 2), 0.5), "float32");
  const epochs = [];
  let wall = process.hrtime.bigint();
  let cpu = process.cpuUsage();
  await model.fit(xs, ys, {
    epochs: config.epochs,
    batchSize: 32,
    shuffle: false,
    verbose: 0,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        const seconds = Number(process.hrtime.bigint() - wall) / 1e9;
        const used = process.cpuUsage(cpu);
        epochs.push({
          epoch: epoch + 1,
          seconds,
          cpuPerWall: (used.user + used.system) / 1e6 / seconds,
          loss: logs.loss,
        });
        wall = process.hrtime.bigint();
        cpu = process.cpuUsage();
      },
    },
  });
  return {
    name,
    label: config.label,
    backend: describeBackend(),
    selection: { name: selection.name, threads: selection.threads, reason: selection.reason, tried: selection.tried },
    epochs,
  };
}

if (process.argv[2] === "--child") {
  const result = await child(process.argv[3]);
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
  process.exit(0);
}

const only = process.env.ONLY?.split(",");
const names = Object.keys(CONFIGS).filter((n) => only === undefined || only.includes(n));
const results = {
  benchmark: "tfjs-backends",
  images: IMAGES,
  batchSize: 32,
  machine: { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? "", node: process.version },
  loadAverageAtStart: os.loadavg(),
  runs: [],
};
const order = [];
for (let r = 0; r < REPEATS; r++) order.push(...names.filter((n) => n !== "cpu"));
if (names.includes("cpu")) order.push("cpu");
for (const name of order) {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", name], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    throw new Error(`${name} exited with ${run.status}`);
  }
  const result = JSON.parse(run.stdout.trim().split("\n").at(-1));
  result.loadAverage = os.loadavg()[0];
  results.runs.push(result);
  for (const e of result.epochs) {
    console.log(
      `${result.label.padEnd(52)} epoch ${e.epoch}: ${e.seconds.toFixed(2).padStart(7)} s, ` +
        `CPU/wall ${e.cpuPerWall.toFixed(2)}, loss ${e.loss.toFixed(6)}`,
    );
  }
}
results.summary = {};
console.log("fastest last epoch of each configuration:");
for (const name of names) {
  const last = results.runs.filter((r) => r.name === name).map((r) => r.epochs.at(-1));
  const best = last.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  results.summary[name] = { secondsPerEpoch: best.seconds, cpuPerWall: best.cpuPerWall, runs: last.length };
  console.log(
    `  ${CONFIGS[name].label.padEnd(52)} ${best.seconds.toFixed(2).padStart(7)} s per epoch (of ${last.length})`,
  );
}
results.loadAverageAtEnd = os.loadavg();
console.log(
  `load average at start ${results.loadAverageAtStart.map((l) => l.toFixed(2)).join(" ")}, at end ${results.loadAverageAtEnd.map((l) => l.toFixed(2)).join(" ")}`,
);
fs.mkdirSync(path.join(repo, "build", "bench"), { recursive: true });
fs.writeFileSync(path.join(repo, "build", "bench", "tfjs-backends.json"), JSON.stringify(results, null, 1));
