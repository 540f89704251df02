import os from "node:os";
import * as path from "node:path";
import { Worker as NodeWorker, type TransferListItem, type WorkerOptions } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs-core";
import type * as TfjsWasm from "@tensorflow/tfjs-backend-wasm";
import { RadlabError } from "../core/radlab-error";
import { DisplayableValue, type MimeBundle } from "../display/mime-bundle";
import { table } from "../display/table";
import { registeredWasmGradientKernels, registerWasmGradientKernels } from "./wasm-gradient-kernels";

/**
 * The TensorFlow.js backends radlab can select, fastest first:
 * - `tensorflow-gpu`: libtensorflow with CUDA, through `@tensorflow/tfjs-node-gpu`;
 * - `tensorflow`: libtensorflow on the CPU, through `@tensorflow/tfjs-node`;
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (XNNPACK compiled to WebAssembly, SIMD, threads), with
 *   radlab's gradient kernels;
 * - `cpu`: `@tensorflow/tfjs-backend-cpu`, plain JavaScript.
 */
export type BackendName = "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";

/** Every {@link BackendName}, in the order {@link selectBackend} tries them by default. */
export const BACKEND_NAMES: readonly BackendName[] = Object.freeze(["tensorflow-gpu", "tensorflow", "wasm", "cpu"]);

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** The backends to try, in order (default {@link BACKEND_NAMES}); the first that starts is used. */
  readonly prefer?: readonly BackendName[];
  /**
   * Threads for the wasm backend, 1 to 8 (default: the machine's logical CPUs, at most 8). The
   * TensorFlow backends size their own thread pools and the cpu backend has one thread, so this
   * only changes wasm.
   */
  readonly threads?: number;
}

/** One backend {@link selectBackend} tried. */
export interface BackendAttempt {
  readonly name: BackendName;
  /** Whether it started. */
  readonly ok: boolean;
  /** What started (threads, SIMD), or exactly why it did not. */
  readonly reason: string;
}

/** The backend TensorFlow.js runs on, as described by {@link describeBackend}. */
export interface BackendDescription {
  /** radlab's name for it, or `null` for a backend radlab does not select (webgl, ...). */
  readonly name: BackendName | null;
  /** `tf.getBackend()`: `tensorflow`, `wasm`, `cpu`, ...; `null` before any backend started. */
  readonly tfjsBackend: string | null;
  /** Threads its kernels use; `null` when libtensorflow sizes its own pools or nothing runs. */
  readonly threads: number | null;
  /** One line for people: what runs the kernels. */
  readonly detail: string;
}

/** The wasm build's pthread pool has 8 workers, and its C++ side caps XNNPACK's pool at 8. */
const MAX_WASM_THREADS = 8;
/** How long the threaded wasm build may take to start its workers before radlab gives up on it. */
const THREAD_START_TIMEOUT_MS = 30_000;

/** What {@link selectBackend} chose, and what it tried; display it for a table of the attempts. */
export class BackendSelection extends DisplayableValue {
  constructor(
    /** The backend now in use. */
    readonly name: BackendName,
    /** `tf.getBackend()` after the selection (`tensorflow` for both TensorFlow backends). */
    readonly tfjsBackend: string,
    /** What runs the kernels, and why the faster backends before it in the list did not start. */
    readonly reason: string,
    /** Threads of the wasm or cpu backend; `null` for libtensorflow, which sizes its own pools. */
    readonly threads: number | null,
    /** Every backend tried, in order, the chosen one last. */
    readonly tried: readonly BackendAttempt[],
  ) {
    super();
  }

  /** One line: the backend and the reason. */
  get summary(): string {
    return `TensorFlow.js backend: ${this.name}. ${this.reason}`;
  }

  toMimeBundle(): MimeBundle {
    return table(
      this.tried.map((t) => ({ backend: t.name, started: t.ok, reason: t.reason })),
      { caption: this.summary, columns: ["backend", "started", "reason"] },
    ).toMimeBundle();
  }
}

/**
 * Chooses the fastest TensorFlow.js backend that starts here, makes it the current backend, and
 * says what it tried and why each one did or did not start.
 *
 * Tries, in the order of `prefer`: `@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node` (both
 * optional dependencies: npm drops them where their install step cannot download libtensorflow),
 * then wasm, then cpu. For wasm it first registers radlab's gradient kernels
 * ({@link registerWasmGradientKernels}) and loads the `.wasm` binaries from the package's `dist`
 * folder. With more than one thread it starts the threaded SIMD build, which tfjs 4.22 cannot do
 * in Node by itself: tfjs turns threads off in Node, hands emscripten a `blob:` URL for the
 * pthread worker script that Node's `worker_threads` rejects (`ERR_WORKER_PATH`), and caps the
 * pool at half the logical CPUs (one thread on a 2-vCPU machine). radlab supplies a worker class
 * that runs the package's worker script, and reports the CPUs so that the pool has the threads
 * asked for; the comment on `startThreadedWasm` in the source has the details. If that build does
 * not start, the reason says why and wasm runs on one thread. A backend started earlier in the
 * process is reused: wasm's thread count is fixed once it started (restart the kernel to change it).
 *
 * @param options - the backends to try, in order, and the wasm thread count.
 * @returns The selection: the backend's name, the reason, its threads and every attempt. It is
 *   displayable: `display(await selectBackend())` shows the attempts as a table.
 * @throws {@link RadlabError} `backend-options` for an unknown or repeated backend name, an empty
 *   `prefer`, or a thread count that is not an integer from 1 to 8; `backend-unavailable` when
 *   no backend in `prefer` starts.
 * @example
 * ```ts
 * import { display, selectBackend } from "@radlab/kernel";
 * const backend = await selectBackend();
 * backend.name; // "wasm" on a machine without libtensorflow
 * display(backend);
 * ```
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const prefer = checkPrefer(options.prefer);
  const threads = checkThreads(options.threads);
  const tried: BackendAttempt[] = [];
  for (const name of prefer) {
    const outcome = await start(name, threads);
    tried.push(Object.freeze({ name, ok: outcome.ok, reason: outcome.reason }));
    if (outcome.ok) {
      const failed = tried.filter((t) => !t.ok).map((t) => t.name);
      const reason =
        failed.length === 0
          ? outcome.reason
          : `${outcome.reason.replace(/\.$/, "")} (${joinNames(failed)} did not start).`;
      return new BackendSelection(name, tf.getBackend(), reason, outcome.threads, Object.freeze(tried));
    }
  }
  throw new RadlabError(
    "backend-unavailable",
    `No TensorFlow.js backend started: ${tried.map((t) => `${t.name}: ${t.reason}`).join(" ")}`,
    { hint: 'Add "cpu" to prefer: the cpu backend always starts.' },
  );
}

/**
 * Describes the TensorFlow.js backend currently in use, without starting one.
 *
 * @returns Its radlab name, tfjs name, threads and a one-line description; `name` and
 *   `tfjsBackend` are `null` before any backend started.
 * @example
 * ```ts
 * import { describeBackend, selectBackend } from "@radlab/kernel";
 * await selectBackend({ prefer: ["wasm"], threads: 1 });
 * describeBackend().detail;
 * // "WebAssembly (XNNPACK, SIMD, 1 thread) with radlab's Conv2DBackpropFilter, Conv2DBackpropInput"
 * ```
 */
export function describeBackend(): BackendDescription {
  // tf.getBackend() reads the engine's field: it does not start a backend (tf.backend() would).
  const current: unknown = tf.getBackend();
  if (typeof current !== "string") {
    return Object.freeze({ name: null, tfjsBackend: null, threads: null, detail: "No backend has started yet." });
  }
  if (current === "wasm") {
    const threads = wasmThreads() ?? null;
    return Object.freeze({ name: "wasm", tfjsBackend: current, threads, detail: wasmDetail(threads ?? 1) });
  }
  if (current === "tensorflow") {
    const name = tensorflowPackage === "@tensorflow/tfjs-node" ? "tensorflow" : "tensorflow-gpu";
    const detail =
      tensorflowPackage === undefined
        ? "libtensorflow, loaded outside radlab"
        : `libtensorflow through ${tensorflowPackage}${name === "tensorflow-gpu" ? " (CUDA when a GPU is visible)" : ""}`;
    return Object.freeze({
      name: tensorflowPackage === undefined ? null : name,
      tfjsBackend: current,
      threads: null,
      detail,
    });
  }
  if (current === "cpu") {
    return Object.freeze({ name: "cpu", tfjsBackend: current, threads: 1, detail: CPU_DETAIL });
  }
  return Object.freeze({ name: null, tfjsBackend: current, threads: null, detail: `The ${current} backend.` });
}

/** Measured by bench/tfjs-backends.mjs: 123 s per epoch of its CNN on cpu, 0.80 s on wasm (1 thread). */
const CPU_DETAIL =
  "Plain JavaScript kernels on one thread; Conv2DBackpropFilter is a naive loop, so training a CNN is about 150 times slower than on wasm";

type Outcome =
  | { readonly ok: true; readonly reason: string; readonly threads: number | null }
  | { readonly ok: false; readonly reason: string };

/** Which TensorFlow package radlab loaded, so describeBackend can tell GPU from CPU. */
let tensorflowPackage: "@tensorflow/tfjs-node-gpu" | "@tensorflow/tfjs-node" | undefined;

async function start(name: BackendName, threads: number): Promise<Outcome> {
  switch (name) {
    case "tensorflow-gpu":
      return startTensorflow("@tensorflow/tfjs-node-gpu");
    case "tensorflow":
      return startTensorflow("@tensorflow/tfjs-node");
    case "wasm":
      return startWasm(threads);
    case "cpu":
      return startCpu();
  }
}

async function startTensorflow(pkg: "@tensorflow/tfjs-node-gpu" | "@tensorflow/tfjs-node"): Promise<Outcome> {
  if (tensorflowPackage !== undefined && tensorflowPackage !== pkg) {
    return {
      ok: false,
      reason: `${tensorflowPackage} is already loaded in this process; it owns the tensorflow backend.`,
    };
  }
  try {
    // Optional, and loaded only here: requiring it registers the tensorflow backend.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(pkg);
  } catch (error) {
    if (isModuleNotFound(error, pkg)) {
      return {
        ok: false,
        reason:
          `${pkg} is not installed. It is an optional dependency: npm drops it when its install step cannot ` +
          "download libtensorflow (from storage.googleapis.com) or a prebuilt addon.",
      };
    }
    return { ok: false, reason: `${pkg} is installed but does not load: ${firstLine(error)}` };
  }
  tensorflowPackage = pkg;
  if (!(await tf.setBackend("tensorflow"))) {
    return { ok: false, reason: `${pkg} loaded, but its tensorflow backend did not start.` };
  }
  const gpu = pkg === "@tensorflow/tfjs-node-gpu";
  return {
    ok: true,
    reason: `libtensorflow through ${pkg}${gpu ? ", on a CUDA GPU when one is visible" : ", on the CPU"}.`,
    threads: null,
  };
}

async function startCpu(): Promise<Outcome> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("@tensorflow/tfjs-backend-cpu");
  } catch (error) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-cpu does not load: ${firstLine(error)}` };
  }
  if (!(await tf.setBackend("cpu"))) return { ok: false, reason: "The cpu backend did not start." };
  return { ok: true, reason: `${CPU_DETAIL}.`, threads: 1 };
}

/** Why wasm started with fewer threads than asked for, when it did (its module starts once). */
let wasmStartNote = "";

async function startWasm(threads: number): Promise<Outcome> {
  let wasm: typeof TfjsWasm;
  try {
    wasm = loadWasm();
    registerWasmGradientKernels();
  } catch (error) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-wasm does not load: ${firstLine(error)}` };
  }
  if (tf.engine().registry["wasm"] !== undefined) {
    if (!(await tf.setBackend("wasm"))) return { ok: false, reason: "The wasm backend did not start." };
    const actual = wasmThreads() ?? 1;
    const again =
      actual === threads
        ? "started earlier in this process"
        : `started earlier in this process, so the ${plural(threads, "thread")} asked for do not apply (restart the kernel to change)`;
    const note = wasmStartNote === "" ? "" : ` ${wasmStartNote}.`;
    return { ok: true, reason: `${wasmDetail(actual)}, ${again}.${note}`, threads: actual };
  }
  const pkgDir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
  try {
    wasm.setWasmPaths(path.join(pkgDir, "dist") + path.sep);
  } catch (error) {
    // Thrown only after an earlier failed start; the paths set then still hold.
    void error;
  }
  const simd = (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true;
  let note = "";
  if (threads > 1) {
    if (!simd) {
      note = `The threaded build needs WebAssembly SIMD, which this runtime lacks, so wasm runs on one thread instead of ${threads}`;
    } else {
      const threaded = await startThreadedWasm(wasm, pkgDir, threads);
      if (threaded.ok) {
        // The C++ side may still create fewer threads than asked for (it caps at 8).
        note =
          threaded.threads < threads
            ? `XNNPACK created ${plural(threaded.threads, "thread")} of the ${threads} asked for`
            : "";
        wasmStartNote = note;
        return {
          ok: true,
          reason: `${wasmDetail(threaded.threads)}.${note === "" ? "" : ` ${note}.`}`,
          threads: threaded.threads,
        };
      }
      note = `The threaded SIMD build did not start in Node (${threaded.reason}), so wasm runs on one thread instead of ${threads}`;
    }
  }
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  wasm.setThreadsCount(1);
  const single = await initWasmBackend(THREAD_START_TIMEOUT_MS, undefined);
  if (!single.ok) return { ok: false, reason: `The wasm backend did not start: ${single.reason}` };
  wasmStartNote = note;
  return { ok: true, reason: note === "" ? `${wasmDetail(1)}.` : `${wasmDetail(1)}. ${note}.`, threads: 1 };
}

/**
 * Starts tfjs-backend-wasm's threaded SIMD build under Node with `threads` XNNPACK threads.
 *
 * tfjs 4.22 cannot do this by itself, for three reasons, each handled here for the duration of
 * the start:
 * 1. Its `WASM_HAS_MULTITHREAD_SUPPORT` flag is hard-wired to false in Node (tfjs issue 3830):
 *    radlab sets it.
 * 2. Its `locateFile` hands emscripten a `blob:` URL for the pthread worker script, which Node's
 *    `worker_threads.Worker` rejects (`ERR_WORKER_PATH`: "must be an absolute path or a relative
 *    path starting with './'"), and it passes the main script to each worker as a `Blob`, which the
 *    worker cannot `importScripts`. radlab installs, as the global `Worker` emscripten uses, a
 *    subclass of `worker_threads.Worker` that runs the package's own worker script
 *    (`wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`) with `eval: true` and sends the path
 *    of `wasm-out/tfjs-backend-wasm-threaded-simd.js` in place of the Blob. A worker error while
 *    starting rejects the start (emscripten's handler would throw it and end the process).
 * 3. Its C++ side caps the thread pool at `emscripten_num_logical_cores() / 2` (it assumes two
 *    hyper-threads per core), which is `os.cpus().length / 2` in Node: one thread on a 2-vCPU
 *    machine whatever `setThreadsCount` says. radlab makes `os.cpus()` report `2 × threads`
 *    entries while the module initialises, then restores it.
 * emscripten also adds process `uncaughtException` / `unhandledRejection` listeners that rethrow;
 * they are removed again so the kernel's own handling stays as it was. And it would keep the
 * process alive for as long as XNNPACK's pool threads run, that is for ever: the workers are never
 * ref'd, so a script ends as it does with one thread.
 */
async function startThreadedWasm(
  wasm: typeof TfjsWasm,
  pkgDir: string,
  threads: number,
): Promise<{ readonly ok: true; readonly threads: number } | { readonly ok: false; readonly reason: string }> {
  let source: unknown;
  try {
    const workerModule = path.join(pkgDir, "wasm-out", "tfjs-backend-wasm-threaded-simd.worker.js");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported: unknown = require(workerModule);
    source =
      typeof exported === "object" && exported !== null ? Reflect.get(exported, "wasmWorkerContents") : undefined;
  } catch (error) {
    return { ok: false, reason: `its worker script does not load: ${firstLine(error)}` };
  }
  if (typeof source !== "string") return { ok: false, reason: "its worker script exports no wasmWorkerContents" };
  const startup = new PthreadStartup(
    // tfjs escapes newlines the same way before making its Blob: the source has "\n" in strings.
    source.replace(/\n/g, "\\n"),
    path.join(pkgDir, "wasm-out", "tfjs-backend-wasm-threaded-simd.js"),
  );
  const restoreCpus = reportLogicalCpus(2 * threads);
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  wasm.setThreadsCount(threads);
  try {
    const started = await initWasmBackend(THREAD_START_TIMEOUT_MS, startup);
    if (!started.ok) {
      startup.abandon();
      return started;
    }
  } finally {
    restoreCpus();
  }
  startup.finish();
  return { ok: true, threads: wasmThreads() ?? 1 };
}

/** Starts the registered wasm factory, makes it the current backend, and says why it did not. */
async function initWasmBackend(
  timeoutMs: number,
  startup: PthreadStartup | undefined,
): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }> {
  const factory = tf.findBackendFactory("wasm");
  const listenersBefore = {
    uncaughtException: process.listeners("uncaughtException"),
    unhandledRejection: process.listeners("unhandledRejection"),
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    // Called directly rather than through tf.setBackend, which logs a failure and returns false:
    // this way the reason reaches the user.
    const backend = await Promise.race([
      Promise.resolve(factory()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
      ...(startup === undefined ? [] : [startup.failed]),
    ]);
    tf.engine().registry["wasm"] = backend;
    if (!(await tf.setBackend("wasm"))) return { ok: false, reason: "tf.setBackend('wasm') returned false" };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: errorText(error) };
  } finally {
    clearTimeout(timer);
    for (const listener of process.listeners("uncaughtException")) {
      if (!listenersBefore.uncaughtException.includes(listener)) process.removeListener("uncaughtException", listener);
    }
    for (const listener of process.listeners("unhandledRejection")) {
      if (!listenersBefore.unhandledRejection.includes(listener))
        process.removeListener("unhandledRejection", listener);
    }
  }
}

/** What the pthread workers of one start share with {@link PthreadStartup}. */
interface StartupState {
  active: boolean;
  readonly workers: NodeWorker[];
  fail(reason: Error): void;
}

/**
 * The global `Worker` emscripten's pthread code uses while the threaded build starts, and the
 * workers it made (to end them if the start fails).
 */
class PthreadStartup {
  private readonly state: StartupState;
  private readonly previous: PropertyDescriptor | undefined;
  /** Rejects on the first worker error while starting. */
  readonly failed: Promise<never>;

  constructor(workerSource: string, mainScript: string) {
    let fail: (reason: Error) => void = () => undefined;
    this.failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    // A start that fails early leaves this promise rejected with nobody waiting later.
    this.failed.catch(() => undefined);
    this.state = { active: true, workers: [], fail: (reason) => fail(reason) };
    const workerClass = pthreadWorkerClass(this.state, workerSource, mainScript);
    this.previous = Object.getOwnPropertyDescriptor(globalThis, "Worker");
    // emscripten assigns `global.Worker = require("worker_threads").Worker` when it loads: the
    // setter keeps this class in place.
    Object.defineProperty(globalThis, "Worker", {
      configurable: true,
      enumerable: false,
      get: () => workerClass,
      set: () => undefined,
    });
  }

  /** Keeps the worker class for threads started later, as a plain global. */
  finish(): void {
    this.state.active = false;
    const workerClass: unknown = Reflect.get(globalThis, "Worker");
    Object.defineProperty(globalThis, "Worker", {
      configurable: true,
      enumerable: false,
      writable: true,
      value: workerClass,
    });
  }

  /** Ends every worker and restores the global `Worker`. */
  abandon(): void {
    this.state.active = false;
    for (const worker of this.state.workers) void worker.terminate();
    if (this.previous === undefined) Reflect.deleteProperty(globalThis, "Worker");
    else Object.defineProperty(globalThis, "Worker", this.previous);
  }
}

/** A `worker_threads.Worker` that runs emscripten's pthread worker script the way Node can. */
function pthreadWorkerClass(state: StartupState, workerSource: string, mainScript: string): typeof NodeWorker {
  return class EmscriptenPthreadWorker extends NodeWorker {
    private emscriptenOnError: ((error: unknown) => void) | undefined;

    constructor(filename: string | URL, options?: WorkerOptions) {
      const blob = typeof filename === "string" && filename.startsWith("blob:");
      if (blob) URL.revokeObjectURL(filename);
      super(blob ? workerSource : filename, blob ? { ...options, eval: true } : options);
      state.workers.push(this);
      // A worker script that fails at once emits "error" before emscripten listens: unheard, that
      // error would end the process.
      this.on("error", (error: unknown) => {
        if (state.active) state.fail(new Error(`a pthread worker failed: ${errorText(error)}`));
      });
    }

    override postMessage(value: unknown, transferList?: readonly TransferListItem[]): void {
      super.postMessage(withMainScript(value, mainScript), transferList);
    }

    // emscripten refs a worker while it runs a pthread, and XNNPACK's pool threads run for good:
    // a script would never exit. They only ever work during a kernel the main thread waits for,
    // so they need not keep the process alive (emscripten unrefs idle workers itself).
    override ref(): void {}

    // emscripten listens with `worker.on("error", e => worker.onerror(e))`, and its onerror throws.
    get onerror(): (error: unknown) => void {
      return (error) => {
        if (state.active) state.fail(new Error(`a pthread worker failed: ${errorText(error)}`));
        else this.emscriptenOnError?.(error);
      };
    }

    set onerror(handler: (error: unknown) => void) {
      this.emscriptenOnError = handler;
    }
  };
}

/** emscripten's "load" message carries the main script as a Blob; the worker needs a path. */
function withMainScript(value: unknown, mainScript: string): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Reflect.get(value, "cmd") !== "load" || typeof Reflect.get(value, "urlOrBlob") === "string") return value;
  return { ...value, urlOrBlob: mainScript };
}

/** Makes `os.cpus()` list `count` CPUs until the returned function is called. */
function reportLogicalCpus(count: number): () => void {
  const descriptor = Object.getOwnPropertyDescriptor(os, "cpus");
  const real = os.cpus.bind(os);
  Object.defineProperty(os, "cpus", {
    configurable: true,
    writable: true,
    value: () => {
      const cpus = real();
      return Array.from({ length: count }, (_, i) => cpus[i % Math.max(1, cpus.length)]);
    },
  });
  return () => {
    if (descriptor !== undefined) Object.defineProperty(os, "cpus", descriptor);
  };
}

function loadWasm(): typeof TfjsWasm {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@tensorflow/tfjs-backend-wasm") as typeof TfjsWasm;
}

/** XNNPACK's thread count, or undefined when the wasm backend has not started. */
function wasmThreads(): number | undefined {
  try {
    return loadWasm().getThreadsCount();
  } catch {
    return undefined;
  }
}

function wasmDetail(threads: number): string {
  const simd = tf.env().getFlags()["WASM_HAS_SIMD_SUPPORT"] === true;
  const kernels = registeredWasmGradientKernels();
  return (
    `WebAssembly (XNNPACK, ${simd ? "SIMD" : "no SIMD"}, ${plural(threads, "thread")})` +
    (kernels.length === 0 ? " without radlab's gradient kernels" : ` with radlab's ${kernels.join(", ")}`)
  );
}

function checkPrefer(prefer: readonly BackendName[] | undefined): readonly BackendName[] {
  if (prefer === undefined) return BACKEND_NAMES;
  const hint = `Choose from ${BACKEND_NAMES.map((n) => JSON.stringify(n)).join(", ")}, each at most once.`;
  if (!Array.isArray(prefer) || prefer.length === 0) {
    throw new RadlabError("backend-options", "prefer must list at least one backend.", { path: "prefer", hint });
  }
  const seen = new Set<string>();
  prefer.forEach((name: unknown, i) => {
    if (typeof name !== "string" || !(BACKEND_NAMES as readonly string[]).includes(name)) {
      throw new RadlabError("backend-options", `Unknown backend ${JSON.stringify(name)}.`, {
        path: `prefer[${i}]`,
        hint,
      });
    }
    if (seen.has(name)) {
      throw new RadlabError("backend-options", `Backend "${name}" is listed twice.`, { path: `prefer[${i}]`, hint });
    }
    seen.add(name);
  });
  return prefer;
}

function checkThreads(threads: number | undefined): number {
  if (threads === undefined) return Math.min(MAX_WASM_THREADS, Math.max(1, os.availableParallelism()));
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new RadlabError(
      "backend-options",
      `threads must be an integer from 1 to ${MAX_WASM_THREADS}, got ${threads}.`,
      {
        path: "threads",
        hint: `Pass threads: ${Math.min(MAX_WASM_THREADS, os.availableParallelism())}, the logical CPUs of this machine.`,
      },
    );
  }
  return threads;
}

function isModuleNotFound(error: unknown, pkg: string): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    Reflect.get(error, "code") === "MODULE_NOT_FOUND" &&
    errorText(error).includes(`'${pkg}'`)
  );
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && typeof Reflect.get(error, "message") === "string") {
    return String(Reflect.get(error, "message"));
  }
  return String(error);
}

function firstLine(error: unknown): string {
  return errorText(error).split("\n")[0] ?? "";
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`;
}
