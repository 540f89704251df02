import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../core/seeded-random";
import { selectBackend } from "./backend";
import {
  registeredWasmGradientKernels,
  registerWasmGradientKernels,
  WASM_GRADIENT_KERNELS,
} from "./wasm-gradient-kernels";

type Shape4 = [number, number, number, number];
type Pad = "same" | "valid" | number;
type Stride = number | [number, number];

/** Numbers in [-1, 1) from a seed, so every run compares the same inputs. */
function randomValues(n: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: n }, () => 2 * random() - 1);
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Runs one kernel on a backend with fresh tensors and returns its values and shape. */
async function runKernel(
  backend: "cpu" | "wasm",
  kernelName: string,
  inputs: Record<string, { values: Float32Array; shape: number[] }>,
  attrs: Record<string, unknown>,
): Promise<{ values: Float32Array; shape: number[] }> {
  expect(await tf.setBackend(backend)).toBe(true);
  return tf.tidy(() => {
    const tensors = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]));
    const out = tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    return { values: Float32Array.from(out.dataSync()), shape: out.shape };
  });
}

/** The largest difference, relative to the largest magnitude of the reference. */
function relativeError(got: Float32Array, want: Float32Array): number {
  const scale = Math.max(...Array.from(want, Math.abs));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? 0)) / scale);
  return worst;
}

/** The output shape of the forward convolution, computed by the cpu backend. */
function outShape(input: Shape4, filter: Shape4, strides: Stride, pad: Pad, dataFormat: "NHWC" | "NCHW"): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(
    input,
    filter,
    strides,
    1,
    pad,
    undefined,
    false,
    dataFormat === "NHWC" ? "channelsLast" : "channelsFirst",
  );
  return info.outShape;
}

interface Case {
  readonly input: Shape4; // NHWC
  readonly filter: Shape4;
  readonly strides: Stride;
  readonly pad: Pad;
  readonly dataFormat: "NHWC" | "NCHW";
}

const SHAPES: readonly { input: Shape4; filter: Shape4 }[] = [
  { input: [2, 9, 9, 3], filter: [3, 3, 3, 4] },
  { input: [1, 8, 7, 1], filter: [3, 3, 1, 2] },
  { input: [3, 12, 10, 5], filter: [5, 5, 5, 6] },
  { input: [2, 7, 9, 2], filter: [2, 2, 2, 3] },
  { input: [4, 16, 16, 8], filter: [3, 3, 8, 16] },
];
const CASES: readonly Case[] = SHAPES.flatMap(({ input, filter }) =>
  ([1, 2, [1, 2]] satisfies Stride[]).flatMap((strides) =>
    (["same", "valid"] as const).map((pad) => ({ input, filter, strides, pad, dataFormat: "NHWC" as const })),
  ),
);
/** NCHW, explicit numeric padding, and a 1 × 1 filter with padding (wider than the filter). */
const EDGE_CASES: readonly Case[] = [
  { input: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: "same", dataFormat: "NCHW" },
  { input: [2, 8, 7, 3], filter: [3, 3, 3, 2], strides: 1, pad: "valid", dataFormat: "NCHW" },
  { input: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: 1, dataFormat: "NHWC" },
  { input: [2, 6, 6, 2], filter: [1, 1, 2, 3], strides: 1, pad: 1, dataFormat: "NHWC" },
  { input: [1, 8, 7, 1], filter: [3, 3, 1, 2], strides: 3, pad: "same", dataFormat: "NHWC" },
];

function label(c: Case): string {
  return `${c.dataFormat} x ${c.input.join("x")} filter ${c.filter.join("x")} strides ${JSON.stringify(c.strides)} pad ${c.pad}`;
}

function layoutShape(c: Case): Shape4 {
  const [b, h, w, ch] = c.input;
  return c.dataFormat === "NHWC" ? c.input : [b, ch, h, w];
}

beforeAll(async () => {
  // Before the backend starts: both of radlab's kernels are new.
  expect(registeredWasmGradientKernels()).toEqual([]);
  expect(registerWasmGradientKernels()).toEqual({
    registered: ["Conv2DBackpropFilter", "Conv2DBackpropInput"],
    alreadyRegistered: [],
    leftAlone: [],
  });
  // One thread: the threaded build is backend.test.ts's business.
  const selection = await selectBackend({ prefer: ["wasm"], threads: 1 });
  expect([selection.name, selection.threads]).toEqual(["wasm", 1]);
  await tf.setBackend("cpu");
});

describe("registerWasmGradientKernels", () => {
  it("is idempotent and lists what it registered", () => {
    expect(registerWasmGradientKernels()).toEqual({
      registered: [],
      alreadyRegistered: ["Conv2DBackpropFilter", "Conv2DBackpropInput"],
      leftAlone: [],
    });
    expect(registeredWasmGradientKernels()).toEqual(WASM_GRADIENT_KERNELS.map((k) => k.kernelName));
    expect(WASM_GRADIENT_KERNELS.map((k) => [k.kernelName, k.why])).toEqual([
      ["Conv2DBackpropFilter", "missing"],
      ["Conv2DBackpropInput", "slow"],
    ]);
  });
});

describe("Conv2DBackpropFilter on wasm", () => {
  it.each([...CASES, ...EDGE_CASES].map((c) => [label(c), c] as const))(
    "matches the cpu backend within 1e-4: %s",
    async (_, c) => {
      const x = { values: randomValues(size(c.input), 1), shape: layoutShape(c) };
      const dyShape = outShape(layoutShape(c), c.filter, c.strides, c.pad, c.dataFormat);
      const dy = { values: randomValues(size(dyShape), 2), shape: dyShape };
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: c.dataFormat, filterShape: c.filter };
      const want = await runKernel("cpu", "Conv2DBackpropFilter", { x, dy }, attrs);
      const got = await runKernel("wasm", "Conv2DBackpropFilter", { x, dy }, attrs);
      expect(got.shape).toEqual(c.filter);
      expect(relativeError(got.values, want.values)).toBeLessThan(1e-4);
    },
  );
});

describe("Conv2DBackpropInput on wasm", () => {
  it.each([...CASES, ...EDGE_CASES].map((c) => [label(c), c] as const))(
    "matches the cpu backend within 1e-4: %s",
    async (_, c) => {
      const inputShape = layoutShape(c);
      const filter = { values: randomValues(size(c.filter), 3), shape: c.filter };
      const dyShape = outShape(inputShape, c.filter, c.strides, c.pad, c.dataFormat);
      const dy = { values: randomValues(size(dyShape), 4), shape: dyShape };
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: c.dataFormat, inputShape };
      const want = await runKernel("cpu", "Conv2DBackpropInput", { dy, filter }, attrs);
      const got = await runKernel("wasm", "Conv2DBackpropInput", { dy, filter }, attrs);
      expect(got.shape).toEqual(inputShape);
      expect(relativeError(got.values, want.values)).toBeLessThan(1e-4);
    },
  );

  it("frees every intermediate tensor of the backend", async () => {
    await tf.setBackend("wasm");
    const backend = tf.backend();
    const x = tf.tensor(randomValues(2 * 9 * 9 * 3, 5), [2, 9, 9, 3]);
    const w = tf.tensor(randomValues(3 * 3 * 3 * 4, 6), [3, 3, 3, 4]);
    const before = backend.numDataIds();
    for (const strides of [1, 2]) {
      const dy = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, "same");
      const dx = tf.conv2dTranspose(dy, w as tf.Tensor4D, [2, 9, 9, 3], strides, "same");
      const dw = tf.engine().runKernel(
        "Conv2DBackpropFilter",
        { x, dy },
        {
          strides,
          pad: "same",
          dataFormat: "NHWC",
          filterShape: [3, 3, 3, 4],
        },
      ) as tf.Tensor;
      tf.dispose([dy, dx, dw]);
    }
    expect(backend.numDataIds()).toBe(before);
    tf.dispose([x, w]);
  });
});

describe("a small CNN on wasm", () => {
  /** Conv (stride 2) + BatchNorm + ReLU + MaxPool + Conv + Dropout + Dense softmax, fixed weights. */
  function cnn(): tf.Sequential {
    const model = tf.sequential();
    const init = (seed: number) => tf.initializers.glorotUniform({ seed });
    model.add(
      tf.layers.conv2d({
        inputShape: [16, 16, 1],
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: "same",
        // No bias before batch norm: its gradient is zero, and rounding noise relative to zero is not a test.
        useBias: false,
        kernelInitializer: init(1),
      }),
    );
    model.add(tf.layers.batchNormalization());
    model.add(tf.layers.reLU());
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: "relu", kernelInitializer: init(2) }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dropout({ rate: 0.25, seed: 3 }));
    model.add(tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: init(4) }));
    return model;
  }

  const xs = () => tf.tensor4d(randomValues(8 * 16 * 16, 7), [8, 16, 16, 1]);
  const ys = () => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], "int32"), 3).toFloat();

  async function gradients(backend: "cpu" | "wasm", weights: tf.Tensor[]): Promise<Map<string, Float32Array>> {
    expect(await tf.setBackend(backend)).toBe(true);
    const model = cnn();
    model.setWeights(weights);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads, value } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(ys(), model.apply(xs(), { training: true }) as tf.Tensor),
      variables,
    );
    // Keyed by position and shape: variable names differ between the two models.
    const out = new Map(
      variables.map((v, i) => [`${i} ${v.shape.join("x")}`, Float32Array.from(grads[v.name]?.dataSync() ?? [])]),
    );
    out.set("loss", Float32Array.from(value.dataSync()));
    tf.dispose([...Object.values(grads), value]);
    model.dispose();
    return out;
  }

  it("has the cpu backend's gradients for every weight, within 1e-4", async () => {
    await tf.setBackend("cpu");
    const reference = cnn();
    const weights = reference.getWeights().map((w) => w.clone());
    reference.dispose();
    const want = await gradients("cpu", weights);
    const got = await gradients("wasm", weights);
    // The first convolution's kernel, batch norm (gamma, beta), the second convolution and the dense layer.
    expect([...want.keys()]).toEqual(["0 3x3x1x4", "1 4", "2 4", "3 3x3x4x8", "4 8", "5 32x3", "6 3", "loss"]);
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [name, values] of want)
      expect([name, relativeError(got.get(name) ?? new Float32Array(), values) < 1e-4]).toEqual([name, true]);
  });

  it("trains with Adam and a sigmoid head: the loss falls", async () => {
    expect(await tf.setBackend("wasm")).toBe(true);
    const model = tf.sequential();
    model.add(
      tf.layers.conv2d({
        inputShape: [16, 16, 1],
        filters: 4,
        kernelSize: 3,
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
      }),
    );
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.flatten());
    model.add(
      tf.layers.dense({
        units: 1,
        activation: "sigmoid",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }),
      }),
    );
    model.compile({ optimizer: tf.train.adam(0.01), loss: "binaryCrossentropy" });
    const history = await model.fit(xs(), tf.tensor2d([0, 1, 0, 1, 1, 0, 1, 0], [8, 1]), {
      epochs: 5,
      batchSize: 4,
      shuffle: false,
      verbose: 0,
    });
    const losses = history.history["loss"] as number[];
    expect(losses).toHaveLength(5);
    expect(losses[4]).toBeLessThan(losses[0] ?? 0);
  });
});
