import type * as Tf from "@tensorflow/tfjs";
import { seededRandom } from "../core/seeded-random";
import { RadlabError } from "../core/radlab-error";
import { liveDisplay, type LiveDisplay } from "../display/display";
import { currentDisplaySink } from "../display/display-sink";
import { progress, type Progress } from "../display/progress";
import { augmentImage, type AugmentStep } from "../transforms/augment";
import { parsePipeline } from "../transforms/parse-pipeline";
import { headOutput, type ModelSpec } from "./model-spec";
import { TrainingCurves, type EpochRecord } from "./training-curves";

/** In-memory training data: images `[n, rows, columns, channels]` and targets `[n, outputs]`. */
export interface TrainingData {
  readonly xs: Tf.Tensor4D;
  readonly ys: Tf.Tensor2D;
}

/** Options of {@link trainModel}. */
export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize?: number;
  /** Adam's learning rate (default 0.001). */
  readonly learningRate?: number;
  /** Seeds the order of the training images in each epoch (default the model spec's seed). */
  readonly seed?: number;
  /**
   * Stop when the monitored measure has not improved for `patience` epochs; the best epoch's
   * weights are restored either way. Default: monitor `val_loss` (lower is better), patience
   * `Infinity` (never stop early).
   */
  readonly earlyStopping?: { readonly monitor?: string; readonly patience?: number };
  /** Called with the best weights each time the monitored measure improves (save a checkpoint there). */
  readonly onBest?: (epoch: number, logs: Readonly<Record<string, number>>) => Promise<void> | void;
  /**
   * Seeded augmentation of the training images, drawn anew each epoch for each image (the same
   * seed, epoch and image give the same draw on any machine); validation images are never
   * augmented. The step is recorded with the model's parameters.
   */
  readonly augment?: AugmentStep;
  /** Aborting stops training after the current batch; the best weights so far are kept. */
  readonly signal?: AbortSignal;
  /** Show the progress bar and live curves in the notebook (default: when a notebook is there). */
  readonly showProgress?: boolean;
}

/** What {@link trainModel} did. */
export interface TrainResult {
  readonly history: readonly EpochRecord[];
  /** The epoch whose weights the model holds now (counted from 1), or `null` if none finished. */
  readonly bestEpoch: number | null;
  readonly best: Readonly<Record<string, number>> | null;
  readonly stopped: "completed" | "early-stopping" | "interrupted";
  /** Training images per second, over every epoch. */
  readonly imagesPerSecond: number;
  readonly curves: TrainingCurves;
}

/**
 * Trains a compiled-by-radlab model: Adam, the head's loss, accuracy; images shuffled in a seeded
 * order each epoch (so a run is reproducible on one backend); validation after every epoch; early
 * stopping on a monitored measure; the best epoch's weights restored at the end, also after an
 * interruption (abort `signal`, or the kernel's interrupt). In a notebook it shows an epoch and
 * batch progress bar and loss and accuracy curves that update in place.
 *
 * @throws {@link RadlabError} `train` when the data's shapes do not fit the model.
 * @example
 * ```ts
 * const result = await trainModel(tf, model, spec, train, validation, { epochs: 10, batchSize: 32, earlyStopping: { patience: 3 } });
 * result.bestEpoch; // e.g. 7, whose weights the model now holds
 * ```
 */
export async function trainModel(
  tf: typeof Tf,
  model: Tf.LayersModel,
  spec: ModelSpec,
  train: TrainingData,
  validation: TrainingData | null,
  options: TrainOptions,
): Promise<TrainResult> {
  const outputs = headOutput(spec.head).units;
  const [n, rows, columns, channels] = train.xs.shape;
  const problems: string[] = [];
  if (rows !== spec.inputShape[0] || columns !== spec.inputShape[1] || channels !== spec.inputShape[2]) {
    problems.push(`images are ${rows}x${columns}x${channels}, the model takes ${spec.inputShape.join("x")}`);
  }
  if (train.ys.shape[0] !== n || train.ys.shape[1] !== outputs) {
    problems.push(`targets are [${train.ys.shape.join(", ")}], the model needs [${n}, ${outputs}]`);
  }
  if (!(Number.isInteger(options.epochs) && options.epochs >= 1))
    problems.push(`epochs ${options.epochs} is not a positive integer`);
  if (problems.length > 0) {
    throw new RadlabError("train", `The training data does not fit the model: ${problems.join("; ")}.`, {
      hint: "Prepare images with the model's input size and one target column per output.",
    });
  }
  // The augmentation is checked like any pipeline step (every issue listed, before any work).
  if (options.augment !== undefined)
    parsePipeline({ kind: "pipeline", name: "training-augmentation", steps: [options.augment] });
  const batchSize = options.batchSize ?? 32;
  const monitor = options.earlyStopping?.monitor ?? (validation === null ? "loss" : "val_loss");
  const lowerIsBetter = /loss/.test(monitor);
  const patience = options.earlyStopping?.patience ?? Infinity;
  model.compile({
    optimizer: tf.train.adam(options.learningRate ?? 0.001),
    loss: headOutput(spec.head).loss,
    metrics: ["accuracy"],
  });
  const show = options.showProgress ?? currentDisplaySink() !== undefined;
  const batches = Math.ceil(n / batchSize);
  const bar: Progress = progress({
    label: `Training ${spec.architecture}`,
    total: options.epochs * batches,
    unit: "batches",
    ...(show ? {} : { sink: null }),
  });
  const history: EpochRecord[] = [];
  let curves = new TrainingCurves(history, { epochs: options.epochs });
  const live: LiveDisplay | null = show ? liveDisplay(curves) : null;
  const random = seededRandom(options.seed ?? spec.seed);
  let best: { epoch: number; value: number; logs: Record<string, number>; weights: Tf.Tensor[] } | null = null;
  let stopped: TrainResult["stopped"] = "completed";
  let sinceBest = 0;
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
    model.stopTraining = true;
  };
  options.signal?.addEventListener("abort", interrupt);
  process.once("SIGINT", interrupt);
  const started = Date.now();
  let seen = 0;
  // The training images as values, read from the backend once (only when augmenting).
  let values: Float32Array | undefined;
  const trainValues = () => (values ??= train.xs.dataSync() as Float32Array);
  try {
    for (let epoch = 0; epoch < options.epochs && !interrupted; epoch++) {
      const order = seededPermutation(n, random);
      const epochStart = Date.now();
      const indices = tf.tensor1d(order, "int32");
      const source =
        options.augment === undefined ? train.xs : augmented(tf, trainValues(), train.xs.shape, options.augment, epoch);
      const xs = tf.gather(source, indices);
      if (source !== train.xs) source.dispose();
      const ys = tf.gather(train.ys, indices);
      indices.dispose();
      let fitted: Tf.History;
      try {
        fitted = await model.fit(xs, ys, {
          epochs: epoch + 1,
          initialEpoch: epoch,
          batchSize,
          shuffle: false,
          verbose: 0,
          ...(validation === null ? {} : { validationData: [validation.xs, validation.ys] as [Tf.Tensor, Tf.Tensor] }),
          callbacks: {
            onBatchEnd: async () => {
              bar.advance();
              await tf.nextFrame();
            },
          },
        });
      } finally {
        xs.dispose();
        ys.dispose();
      }
      if (interrupted && fitted.epoch.length === 0) break;
      const logs = Object.fromEntries(
        Object.entries(fitted.history).flatMap(([k, v]) => {
          const value = v.at(-1);
          return typeof value === "number"
            ? [[k.replace(/^acc$/, "accuracy").replace(/^val_acc$/, "val_accuracy"), value]]
            : [];
        }),
      );
      if (interrupted) {
        stopped = "interrupted";
        break; // a partial epoch's figures are not comparable
      }
      seen += n;
      history.push({ epoch: epoch + 1, seconds: (Date.now() - epochStart) / 1000, logs });
      const value = logs[monitor];
      if (value === undefined) {
        throw new RadlabError(
          "train",
          `Early stopping monitors ${monitor}, which training does not log (it logs ${Object.keys(logs).join(", ")}).`,
          {
            hint: "Monitor one of the logged names.",
          },
        );
      }
      if (best === null || (lowerIsBetter ? value < best.value : value > best.value)) {
        for (const w of best?.weights ?? []) w.dispose();
        best = { epoch: epoch + 1, value, logs, weights: model.getWeights().map((w) => w.clone()) };
        sinceBest = 0;
        await options.onBest?.(epoch + 1, logs);
      } else if (++sinceBest >= patience) {
        stopped = "early-stopping";
      }
      curves = new TrainingCurves(history, { epochs: options.epochs, best: best.epoch });
      live?.update(curves);
      if (stopped === "early-stopping") break;
    }
  } finally {
    options.signal?.removeEventListener("abort", interrupt);
    process.removeListener("SIGINT", interrupt);
    model.stopTraining = false;
  }
  if (interrupted) stopped = "interrupted";
  if (best !== null) {
    model.setWeights(best.weights);
    for (const w of best.weights) w.dispose();
  }
  const seconds = (Date.now() - started) / 1000;
  const status =
    stopped === "completed"
      ? "completed"
      : stopped === "early-stopping"
        ? `stopped early: no better ${monitor} for ${patience} epochs`
        : "interrupted";
  curves = new TrainingCurves(history, { epochs: options.epochs, best: best?.epoch ?? null, status });
  live?.update(curves);
  const summary = `${history.length} epoch(s), ${status}; best epoch ${best?.epoch ?? "none"} (${monitor} ${best?.value.toFixed(4) ?? "-"})`;
  if (stopped === "interrupted") bar.fail(summary);
  else bar.succeed(summary);
  return {
    history,
    bestEpoch: best?.epoch ?? null,
    best: best?.logs ?? null,
    stopped,
    imagesPerSecond: seconds > 0 ? seen / seconds : 0,
    curves,
  };
}

/** The training images with one epoch's augmentation: image i drawn from (seed, epoch, i). */
function augmented(
  tf: typeof Tf,
  values: Float32Array,
  shape: Tf.Tensor4D["shape"],
  step: AugmentStep,
  epoch: number,
): Tf.Tensor4D {
  const [n, rows, columns, channels] = shape;
  const out = new Float32Array(values.length);
  const size = rows * columns * channels;
  for (let i = 0; i < n; i++) {
    const image = {
      data: Float32Array.from(values.subarray(i * size, (i + 1) * size)),
      shape: [rows, columns, channels] as const,
      photometricInterpretation: channels === 3 ? ("RGB" as const) : ("MONOCHROME2" as const),
    };
    out.set(augmentImage(image, step, { epoch, sampleIndex: i }).data, i * size);
  }
  return tf.tensor4d(out, [n, rows, columns, channels]);
}

/** A seeded Fisher–Yates permutation of 0..n-1. */
export function seededPermutation(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}
