import type * as Tf from "@tensorflow/tfjs";
import { RadlabError } from "../core/radlab-error";

/** What the model predicts: one probability (binary), one class of several, or several labels. */
export type Head =
  | { readonly kind: "binary" }
  | { readonly kind: "multiclass"; readonly classes: number }
  | { readonly kind: "multilabel"; readonly classes: number };

/**
 * A model as data: its architecture, input, head and seed (hashable, stored with the model and
 * in lineage).
 *
 * - `exercise-cnn`: the teaching exercise's small Keras CNN (conv 32, pool, conv 64, pool, dense
 *   128, dropout 0.5). The exercise's exact layers are not available here; this is the classic
 *   Keras tutorial network it was built from.
 * - `small-cnn`: a stronger small CNN: three blocks of two 3x3 convolutions with batch
 *   normalisation, max pooling and growing width (16, 32, 64), global average pooling, dropout.
 */
export interface ModelSpec {
  readonly kind: "model";
  readonly architecture: "exercise-cnn" | "small-cnn";
  /** `[rows, columns, channels]`. */
  readonly inputShape: readonly [number, number, number];
  readonly head: Head;
  /** Seeds every initialiser and dropout layer: the same seed, the same initial weights. */
  readonly seed: number;
}

/** Units of the output layer and its activation and loss for a head. */
export function headOutput(head: Head): { units: number; activation: "sigmoid" | "softmax"; loss: string } {
  switch (head.kind) {
    case "binary":
      return { units: 1, activation: "sigmoid", loss: "binaryCrossentropy" };
    case "multiclass":
      return { units: head.classes, activation: "softmax", loss: "categoricalCrossentropy" };
    case "multilabel":
      return { units: head.classes, activation: "sigmoid", loss: "binaryCrossentropy" };
  }
}

/**
 * Builds the (untrained) tfjs model of a spec, with every initialiser seeded from `spec.seed`.
 *
 * @param tf - the tfjs namespace (`require("@tensorflow/tfjs")`), on the selected backend.
 * @throws {@link RadlabError} `model-spec` for an unknown architecture, a bad input shape or a
 *   head with fewer than two classes.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * const model = buildModel(tf, { kind: "model", architecture: "exercise-cnn", inputShape: [64, 64, 1], head: { kind: "binary" }, seed: 1 });
 * model.countParams(); // 1624705
 * ```
 */
export function buildModel(tf: typeof Tf, spec: ModelSpec): Tf.Sequential {
  const problems: string[] = [];
  if (!["exercise-cnn", "small-cnn"].includes(spec.architecture))
    problems.push(`unknown architecture "${spec.architecture}"`);
  if (spec.inputShape.length !== 3 || spec.inputShape.some((n) => !Number.isInteger(n) || n < 1)) {
    problems.push(
      `inputShape ${JSON.stringify(spec.inputShape)} is not [rows, columns, channels] of positive integers`,
    );
  } else if (spec.inputShape[0] < 16 || spec.inputShape[1] < 16)
    problems.push(`inputShape ${spec.inputShape.join("x")} is smaller than 16 x 16`);
  if (spec.head.kind !== "binary" && !(Number.isInteger(spec.head.classes) && spec.head.classes >= 2)) {
    problems.push(`a ${spec.head.kind} head needs at least 2 classes, not ${String(spec.head.classes)}`);
  }
  if (!Number.isInteger(spec.seed)) problems.push(`seed ${spec.seed} is not an integer`);
  if (problems.length > 0) {
    throw new RadlabError("model-spec", `The model spec is invalid: ${problems.join("; ")}.`, {
      hint: 'For example { kind: "model", architecture: "exercise-cnn", inputShape: [64, 64, 1], head: { kind: "binary" }, seed: 1 }.',
    });
  }
  let n = 0;
  const init = () => tf.initializers.glorotUniform({ seed: spec.seed * 1000 + n++ });
  const out = headOutput(spec.head);
  const model = tf.sequential({ name: spec.architecture.replace("-", "_") });
  if (spec.architecture === "exercise-cnn") {
    model.add(
      tf.layers.conv2d({
        inputShape: [...spec.inputShape],
        filters: 32,
        kernelSize: 3,
        activation: "relu",
        kernelInitializer: init(),
      }),
    );
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: "relu", kernelInitializer: init() }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 128, activation: "relu", kernelInitializer: init() }));
    model.add(tf.layers.dropout({ rate: 0.5, seed: spec.seed }));
  } else {
    let first = true;
    for (const filters of [16, 32, 64]) {
      for (let k = 0; k < 2; k++) {
        model.add(
          tf.layers.conv2d({
            ...(first ? { inputShape: [...spec.inputShape] } : {}),
            filters,
            kernelSize: 3,
            padding: "same",
            useBias: false,
            kernelInitializer: init(),
          }),
        );
        first = false;
        model.add(tf.layers.batchNormalization());
        model.add(tf.layers.activation({ activation: "relu" }));
      }
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    }
    model.add(tf.layers.globalAveragePooling2d({}));
    model.add(tf.layers.dropout({ rate: 0.3, seed: spec.seed }));
  }
  model.add(tf.layers.dense({ units: out.units, activation: out.activation, kernelInitializer: init() }));
  return model;
}
