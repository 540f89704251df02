import * as os from "node:os";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { RadlabError } from "../core/radlab-error";
import { seededRandom } from "../core/seeded-random";
import { BACKEND_NAMES, describeBackend, selectBackend, type BackendName } from "./backend";

/** Whether Node can resolve a package from here (tfjs-node cannot be installed on the test machine). */
function resolvable(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
const libtensorflow = resolvable("@tensorflow/tfjs-node-gpu") || resolvable("@tensorflow/tfjs-node");
const THREADS = Math.min(8, os.availableParallelism());
const KERNELS = "with radlab's Conv2DBackpropFilter, Conv2DBackpropInput";

/** A convolution's values on the current backend, on fixed inputs. */
function convolution(): Float32Array {
  const random = seededRandom(11);
  const values = (n: number) => Float32Array.from({ length: n }, () => random() - 0.5);
  return tf.tidy(() => {
    const x = tf.tensor4d(values(4 * 32 * 32 * 8), [4, 32, 32, 8]);
    const w = tf.tensor4d(values(3 * 3 * 8 * 16), [3, 3, 8, 16]);
    return Float32Array.from(tf.conv2d(x, w, 1, "same").dataSync());
  });
}

async function rejection(promise: Promise<unknown>): Promise<RadlabError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RadlabError);
  return error as RadlabError;
}

// The tests share one process and run in order: the wasm module can start only once.
describe("selectBackend", { timeout: 60_000 }, () => {
  let cpuConvolution: Float32Array = new Float32Array();

  it("describes no backend before one started", () => {
    expect(describeBackend()).toEqual({
      name: null,
      tfjsBackend: null,
      threads: null,
      detail: "No backend has started yet.",
    });
  });

  it("rejects bad options, naming the option and the choices", async () => {
    const hint = 'Choose from "tensorflow-gpu", "tensorflow", "wasm", "cpu", each at most once.';
    const cases: [Parameters<typeof selectBackend>[0], string, string][] = [
      [{ prefer: [] }, "prefer must list at least one backend.", "prefer"],
      [{ prefer: ["cpu", "gpu" as BackendName] }, 'Unknown backend "gpu".', "prefer[1]"],
      [{ prefer: ["wasm", "cpu", "wasm"] }, 'Backend "wasm" is listed twice.', "prefer[2]"],
    ];
    for (const [options, message, path] of cases) {
      const error = await rejection(selectBackend(options));
      expect([error.code, error.message, error.evidence.path]).toEqual([
        "backend-options",
        `${message}\nHow to fix: ${hint}`,
        path,
      ]);
    }
    for (const threads of [0, 1.5, 9]) {
      const error = await rejection(selectBackend({ threads }));
      expect([error.code, error.message.split("\n")[0], error.evidence.path]).toEqual([
        "backend-options",
        `threads must be an integer from 1 to 8, got ${threads}.`,
        "threads",
      ]);
    }
    expect(tf.getBackend()).toBeUndefined();
  });

  it("starts the cpu backend when asked for it alone", async () => {
    const selection = await selectBackend({ prefer: ["cpu"] });
    const reason =
      "Plain JavaScript kernels on one thread; Conv2DBackpropFilter is a naive loop, so training a CNN is about 150 times slower than on wasm.";
    expect([selection.name, selection.tfjsBackend, selection.threads, selection.reason]).toEqual([
      "cpu",
      "cpu",
      1,
      reason,
    ]);
    expect(selection.tried).toEqual([{ name: "cpu", ok: true, reason }]);
    expect(tf.getBackend()).toBe("cpu");
    expect(describeBackend()).toMatchObject({ name: "cpu", tfjsBackend: "cpu", threads: 1 });
    cpuConvolution = convolution();
  });

  it.skipIf(libtensorflow)("says why libtensorflow is absent and fails when nothing else may start", async () => {
    const error = await rejection(selectBackend({ prefer: ["tensorflow"] }));
    expect([error.code, error.message]).toEqual([
      "backend-unavailable",
      "No TensorFlow.js backend started: tensorflow: @tensorflow/tfjs-node is not installed. It is an optional " +
        "dependency: npm drops it when its install step cannot download libtensorflow (from " +
        'storage.googleapis.com) or a prebuilt addon.\nHow to fix: Add "cpu" to prefer: the cpu backend always starts.',
    ]);
    expect(tf.getBackend()).toBe("cpu");
  });

  it.skipIf(libtensorflow)("falls through to wasm with every thread, and computes what cpu computes", async () => {
    const listeners = [process.listenerCount("uncaughtException"), process.listenerCount("unhandledRejection")];
    const selection = await selectBackend();
    const detail = `WebAssembly (XNNPACK, SIMD, ${THREADS} thread${THREADS === 1 ? "" : "s"}) ${KERNELS}`;
    expect(selection.tried.map((t) => [t.name, t.ok])).toEqual([
      ["tensorflow-gpu", false],
      ["tensorflow", false],
      ["wasm", true],
    ]);
    expect(selection.tried[0]?.reason).toBe(
      "@tensorflow/tfjs-node-gpu is not installed. It is an optional dependency: npm drops it when its install " +
        "step cannot download libtensorflow (from storage.googleapis.com) or a prebuilt addon.",
    );
    expect([selection.name, selection.tfjsBackend, selection.threads, selection.reason]).toEqual([
      "wasm",
      "wasm",
      THREADS,
      `${detail} (tensorflow-gpu and tensorflow did not start).`,
    ]);
    expect(describeBackend()).toEqual({ name: "wasm", tfjsBackend: "wasm", threads: THREADS, detail });
    // emscripten's rethrowing process listeners are gone again.
    expect([process.listenerCount("uncaughtException"), process.listenerCount("unhandledRejection")]).toEqual(
      listeners,
    );
    // With 2 threads XNNPACK hands half of the convolution to a pthread worker: it returns only
    // if that worker runs, and must agree with the cpu backend.
    const wasmConvolution = convolution();
    let worst = 0;
    for (let i = 0; i < cpuConvolution.length; i++) {
      worst = Math.max(worst, Math.abs((wasmConvolution[i] ?? NaN) - (cpuConvolution[i] ?? 0)));
    }
    expect([wasmConvolution.length, worst < 1e-5]).toEqual([4 * 32 * 32 * 16, true]);
    // The pthread workers do not keep the process alive (a script would never end).
    expect(process.getActiveResourcesInfo().filter((r) => r === "MessagePort")).toEqual([]);
  });

  it.skipIf(libtensorflow)(
    "keeps the wasm module already started, and says the thread count cannot change",
    async () => {
      const selection = await selectBackend({ prefer: ["wasm"], threads: 1 });
      expect([selection.name, selection.threads]).toEqual(["wasm", THREADS]);
      expect(selection.reason).toBe(
        THREADS === 1
          ? `WebAssembly (XNNPACK, SIMD, 1 thread) ${KERNELS}, started earlier in this process.`
          : `WebAssembly (XNNPACK, SIMD, ${THREADS} threads) ${KERNELS}, started earlier in this process, so the 1 thread asked for do not apply (restart the kernel to change).`,
      );
    },
  );

  it.skipIf(libtensorflow)("shows its attempts as a table", async () => {
    const selection = await selectBackend({ prefer: ["tensorflow", "cpu"] });
    expect(tf.getBackend()).toBe("cpu");
    const bundle = selection.toMimeBundle();
    expect(bundle.data["application/vnd.radlab.table+json"]).toMatchObject({
      columns: [
        { name: "backend", type: "string" },
        { name: "started", type: "boolean" },
        { name: "reason", type: "string" },
      ],
      rows: [
        ["tensorflow", false, expect.stringMatching(/^@tensorflow\/tfjs-node is not installed\./)],
        ["cpu", true, expect.stringMatching(/^Plain JavaScript kernels/)],
      ],
      caption: expect.stringMatching(
        /^TensorFlow\.js backend: cpu\. Plain JavaScript .* \(tensorflow did not start\)\.$/,
      ),
    });
    expect(
      String(bundle.data["text/plain"])
        .split("\n")
        .slice(1, 4)
        .map((l) => l.slice(0, 22)),
    ).toEqual(["backend     started  r", "tensorflow  false    @", "cpu         true     P"]);
    expect(BACKEND_NAMES).toEqual(["tensorflow-gpu", "tensorflow", "wasm", "cpu"]);
  });
});
