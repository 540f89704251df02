import {
  backend_util,
  getKernel,
  KernelBackend,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { RadlabError } from "../core/radlab-error";

/** The tfjs backend these kernels are registered for. */
const WASM = "wasm";

/** A gradient kernel radlab registers for the wasm backend, and how it computes. */
export interface WasmGradientKernel {
  /** The tfjs kernel name, for example `Conv2DBackpropFilter`. */
  readonly kernelName: string;
  /**
   * `missing`: `@tensorflow/tfjs-backend-wasm` 4.22 has no such kernel, so training fails with
   * "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'". `slow`: it has one, written
   * as plain loops, and radlab's is faster (the original still runs the cases radlab's does not
   * cover).
   */
  readonly why: "missing" | "slow";
  /** How radlab's kernel computes, in terms of kernels the wasm backend runs in compiled code. */
  readonly method: string;
}

/**
 * The gradient kernels {@link registerWasmGradientKernels} registers.
 *
 * They are what a small CNN (Conv2D, ReLU, MaxPool, BatchNorm, Dropout, Dense, sigmoid or softmax,
 * Adam) needs on wasm beyond what the backend has, found by training such a model there: only
 * `Conv2DBackpropFilter` is missing, and the backend's `Conv2DBackpropInput` is a naive loop
 * that took 42 % of an epoch (radlab's makes an epoch of bench/tfjs-backends.mjs's CNN take
 * 0.80 s instead of 1.14 s on one thread). Still missing on wasm after registering these (not needed by
 * that CNN): `DepthwiseConv2dNativeBackpropFilter` and `...BackpropInput` (gradients of
 * depthwise and separable convolutions) and `UnsortedSegmentSum` (gradient of `gather`, so of
 * embeddings).
 *
 * @example
 * ```ts
 * import { WASM_GRADIENT_KERNELS } from "@radlab/kernel";
 * WASM_GRADIENT_KERNELS.map((k) => k.kernelName); // ["Conv2DBackpropFilter", "Conv2DBackpropInput"]
 * ```
 */
export const WASM_GRADIENT_KERNELS: readonly WasmGradientKernel[] = Object.freeze([
  Object.freeze({
    kernelName: "Conv2DBackpropFilter",
    why: "missing" as const,
    method:
      "one wasm Conv2D (XNNPACK) of the input, batch and channels transposed, with the output gradient as the filter; the forward stride becomes the dilation",
  }),
  Object.freeze({
    kernelName: "Conv2DBackpropInput",
    why: "slow" as const,
    method:
      "one wasm Conv2D (XNNPACK) of the output gradient, spread out by the stride with zeros, with the filter flipped and its channels swapped; NCHW and paddings wider than the filter use the backend's own kernel",
  }),
]);

/** What {@link registerWasmGradientKernels} did. */
export interface WasmGradientKernelRegistration {
  /** Kernels registered by this call. */
  readonly registered: readonly string[];
  /** Kernels radlab had registered before (the call is idempotent). */
  readonly alreadyRegistered: readonly string[];
  /** Kernels left alone because something other than radlab registered them for wasm. */
  readonly leftAlone: readonly string[];
}

/** The wasm backend's own Conv2DBackpropInput, kept for the cases radlab's kernel hands back. */
let originalConv2DBackpropInput: KernelConfig | undefined;

/**
 * Registers radlab's gradient kernels ({@link WASM_GRADIENT_KERNELS}) for the tfjs `wasm` backend,
 * so that CNNs train there, fast.
 *
 * Each kernel is a few transposes and one `Conv2D` of the wasm backend, so the arithmetic runs in
 * XNNPACK's compiled (SIMD, and threaded when the backend has threads) code, never in JavaScript
 * loops. Call it before or after the backend starts; calling it again does nothing. It loads
 * `@tensorflow/tfjs-backend-wasm`, which registers (but does not start) the backend.
 * `selectBackend()` calls it before starting wasm.
 *
 * @returns Which kernels this call registered, which were registered already, and which were
 *   left alone because another library had registered its own.
 * @throws {@link RadlabError} `wasm-backend-missing` when `@tensorflow/tfjs-backend-wasm` cannot be loaded.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { registerWasmGradientKernels } from "@radlab/kernel";
 * registerWasmGradientKernels().registered; // ["Conv2DBackpropFilter", "Conv2DBackpropInput"]
 * await tf.setBackend("wasm");
 * ```
 */
export function registerWasmGradientKernels(): WasmGradientKernelRegistration {
  loadWasmBackendPackage();
  const registered: string[] = [];
  const alreadyRegistered: string[] = [];
  const leftAlone: string[] = [];

  const filter = getKernel("Conv2DBackpropFilter", WASM);
  if (filter === undefined) {
    registerKernel({ kernelName: "Conv2DBackpropFilter", backendName: WASM, kernelFunc: conv2DBackpropFilter });
    registered.push("Conv2DBackpropFilter");
  } else if (filter.kernelFunc === conv2DBackpropFilter) {
    alreadyRegistered.push("Conv2DBackpropFilter");
  } else {
    leftAlone.push("Conv2DBackpropFilter");
  }

  const input = getKernel("Conv2DBackpropInput", WASM);
  if (input?.kernelFunc === conv2DBackpropInput) {
    alreadyRegistered.push("Conv2DBackpropInput");
  } else if (input !== undefined && isWasmPackageKernel(input)) {
    originalConv2DBackpropInput = input;
    unregisterKernel("Conv2DBackpropInput", WASM);
    registerKernel({
      kernelName: "Conv2DBackpropInput",
      backendName: WASM,
      kernelFunc: conv2DBackpropInput,
      // The original's setup binds its C++ function; it must run when the backend starts.
      ...(input.setupFunc === undefined ? {} : { setupFunc: input.setupFunc }),
    });
    registered.push("Conv2DBackpropInput");
  } else {
    leftAlone.push("Conv2DBackpropInput");
  }
  return Object.freeze({
    registered: Object.freeze(registered),
    alreadyRegistered: Object.freeze(alreadyRegistered),
    leftAlone: Object.freeze(leftAlone),
  });
}

/**
 * The names of radlab's gradient kernels currently registered for wasm.
 *
 * @returns Kernel names from {@link WASM_GRADIENT_KERNELS}, in that order; empty before
 *   {@link registerWasmGradientKernels}.
 * @example
 * ```ts
 * import { registeredWasmGradientKernels } from "@radlab/kernel";
 * registeredWasmGradientKernels(); // [] until registerWasmGradientKernels() or selectBackend()
 * ```
 */
export function registeredWasmGradientKernels(): string[] {
  const ours = new Map<string, unknown>([
    ["Conv2DBackpropFilter", conv2DBackpropFilter],
    ["Conv2DBackpropInput", conv2DBackpropInput],
  ]);
  return WASM_GRADIENT_KERNELS.map((k) => k.kernelName).filter(
    (name) => getKernel(name, WASM)?.kernelFunc === ours.get(name),
  );
}

function loadWasmBackendPackage(): void {
  try {
    // Loaded on first use: importing it registers the wasm backend, which would change the
    // backend tfjs picks by default for every user of radlab.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("@tensorflow/tfjs-backend-wasm");
  } catch (cause) {
    throw new RadlabError("wasm-backend-missing", "@tensorflow/tfjs-backend-wasm cannot be loaded.", {
      hint: "Run npm install in the radlab checkout: @tensorflow/tfjs-backend-wasm is a dependency of @radlab/kernel.",
      cause,
    });
  }
}

/** Whether a kernel is the one `@tensorflow/tfjs-backend-wasm` registered (it binds a C++ function at setup). */
function isWasmPackageKernel(config: KernelConfig): boolean {
  return config.setupFunc !== undefined;
}

/**
 * dW = conv(x, dy) with batch as the reduced dimension:
 * dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·s + kh − top, ow·s + kw − left, ci] · dy[b, oh, ow, co].
 * Read as a convolution of x' = x[ci, h, w, b] (ci as batch, b as channels) with the filter
 * dy' = dy[oh, ow, b, co], stride 1 and dilation s, its output [ci, kh, kw, co] is dW up to a
 * transpose.
 */
const conv2DBackpropFilter: KernelFunc = (args) => {
  const backend = kernelBackend(args.backend, "Conv2DBackpropFilter");
  const x = tensorInput(args.inputs, "x", "Conv2DBackpropFilter");
  const dy = tensorInput(args.inputs, "dy", "Conv2DBackpropFilter");
  const attrs = convAttrs(args.attrs, "Conv2DBackpropFilter");
  const filterShape = shape4(attrAt(args.attrs, "filterShape"), "Conv2DBackpropFilter", "filterShape");
  const info = backend_util.computeConv2DInfo(
    shape4(x.shape, "Conv2DBackpropFilter", "x.shape"),
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  const channelsLast = attrs.dataFormat === "NHWC";
  // Rows (and columns) the convolution must see after padding; it may need fewer than x has
  // (valid padding with a stride that does not divide), then the output is cropped.
  const bottom = (info.outHeight - 1) * info.strideHeight + info.filterHeight - info.inHeight - info.padInfo.top;
  const right = (info.outWidth - 1) * info.strideWidth + info.filterWidth - info.inWidth - info.padInfo.left;
  const scratch: TensorInfo[] = [];
  try {
    const xT = run(backend, "Transpose", { x }, { perm: channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0] });
    scratch.push(xT);
    const dyT = run(backend, "Transpose", { x: dy }, { perm: channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1] });
    scratch.push(dyT);
    const conv = run(
      backend,
      "Conv2D",
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        dilations: [info.strideHeight, info.strideWidth],
        pad: [
          [0, 0],
          [info.padInfo.top, Math.max(0, bottom)],
          [info.padInfo.left, Math.max(0, right)],
          [0, 0],
        ],
        dataFormat: "NHWC",
      },
    );
    scratch.push(conv);
    const dw = run(backend, "Transpose", { x: conv }, { perm: [1, 2, 0, 3] });
    if (bottom >= 0 && right >= 0) return dw;
    scratch.push(dw);
    return run(backend, "Slice", { x: dw }, { begin: [0, 0, 0, 0], size: filterShape });
  } finally {
    for (const t of scratch) backend.disposeData(t.dataId);
  }
};

/**
 * dx = conv(spread(dy), flip(W)ᵀ): the output gradient with stride − 1 zeros after every row and
 * column, convolved at stride 1 with the filter rotated by 180° and its in/out channels swapped,
 * padded by filter − 1 − pad at the top and left and so that the output is the input's size.
 */
const conv2DBackpropInput: KernelFunc = (args) => {
  const backend = kernelBackend(args.backend, "Conv2DBackpropInput");
  const dy = tensorInput(args.inputs, "dy", "Conv2DBackpropInput");
  const filter = tensorInput(args.inputs, "filter", "Conv2DBackpropInput");
  const attrs = convAttrs(args.attrs, "Conv2DBackpropInput");
  const inputShape = shape4(attrAt(args.attrs, "inputShape"), "Conv2DBackpropInput", "inputShape");
  const info = backend_util.computeConv2DInfo(
    inputShape,
    shape4(filter.shape, "Conv2DBackpropInput", "filter.shape"),
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const top = info.filterHeight - 1 - info.padInfo.top;
  const left = info.filterWidth - 1 - info.padInfo.left;
  const bottom = info.inHeight - info.outHeight * sh + info.padInfo.top;
  const right = info.inWidth - info.outWidth * sw + info.padInfo.left;
  if (attrs.dataFormat !== "NHWC" || top < 0 || left < 0 || bottom < 0 || right < 0) {
    if (originalConv2DBackpropInput === undefined) {
      throw new RadlabError(
        "wasm-kernel-missing",
        "The wasm backend's own Conv2DBackpropInput is not known, and radlab's does not handle this case.",
        { hint: "Call registerWasmGradientKernels() once, after loading @tensorflow/tfjs-backend-wasm." },
      );
    }
    return single(originalConv2DBackpropInput.kernelFunc(args), "Conv2DBackpropInput");
  }
  const scratch: TensorInfo[] = [];
  try {
    let spread = dy;
    if (sh > 1 || sw > 1) {
      const [b, oh, ow, co] = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
      const r6 = run(backend, "Reshape", { x: dy }, { shape: [b, oh, 1, ow, 1, co] });
      scratch.push(r6);
      const p6 = run(
        backend,
        "PadV2",
        { x: r6 },
        {
          paddings: [
            [0, 0],
            [0, 0],
            [0, sh - 1],
            [0, 0],
            [0, sw - 1],
            [0, 0],
          ],
          constantValue: 0,
        },
      );
      scratch.push(p6);
      spread = run(backend, "Reshape", { x: p6 }, { shape: [b, oh * sh, ow * sw, co] });
      scratch.push(spread);
    }
    const flipped = run(backend, "Reverse", { x: filter }, { dims: [0, 1] });
    scratch.push(flipped);
    const swapped = run(backend, "Transpose", { x: flipped }, { perm: [0, 1, 3, 2] });
    scratch.push(swapped);
    return run(
      backend,
      "Conv2D",
      { x: spread, filter: swapped },
      {
        strides: [1, 1],
        dilations: [1, 1],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: "NHWC",
      },
    );
  } finally {
    for (const t of scratch) backend.disposeData(t.dataId);
  }
};

/** Runs another wasm kernel on tensors of this backend (no engine, so nothing is taped). */
function run(backend: KernelBackend, kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo {
  const kernel = getKernel(kernelName, WASM);
  if (kernel === undefined) {
    throw new RadlabError("wasm-kernel-missing", `The wasm backend has no ${kernelName} kernel.`, {
      hint: "Use @tensorflow/tfjs-backend-wasm 4.22.0, the version radlab's gradient kernels are written for.",
    });
  }
  return single(kernel.kernelFunc({ inputs, backend, attrs }), kernelName);
}

function single(out: TensorInfo | TensorInfo[], kernelName: string): TensorInfo {
  if (!Array.isArray(out)) return out;
  const [first] = out;
  if (out.length !== 1 || first === undefined) {
    throw new RadlabError("wasm-kernel-output", `The wasm ${kernelName} kernel returned ${out.length} tensors, not 1.`);
  }
  return first;
}

function kernelBackend(backend: unknown, kernelName: string): KernelBackend {
  if (backend instanceof KernelBackend) return backend;
  throw new RadlabError("wasm-kernel-input", `${kernelName} was called without a tfjs backend.`, {
    hint: "Run it through tfjs (tf.engine().runKernel or a tf op), which passes the backend.",
  });
}

function tensorInput(inputs: NamedTensorInfoMap, name: string, kernelName: string): TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new RadlabError("wasm-kernel-input", `${kernelName} needs the input ${name}.`);
  return t;
}

function attrAt(attrs: NamedAttrMap | undefined, name: string): unknown {
  return attrs?.[name];
}

type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

interface ConvAttrs {
  readonly strides: [number, number];
  readonly pad: "same" | "valid" | number | ExplicitPadding;
  readonly dataFormat: "NHWC" | "NCHW";
  readonly dimRoundingMode: "floor" | "round" | "ceil" | undefined;
}

function convAttrs(attrs: NamedAttrMap | undefined, kernelName: string): ConvAttrs {
  const bad = (name: string, value: unknown): RadlabError =>
    new RadlabError("wasm-kernel-input", `${kernelName}: unexpected attribute ${name} = ${JSON.stringify(value)}.`, {
      path: name,
    });
  const strides = attrAt(attrs, "strides");
  const pad = attrAt(attrs, "pad");
  const dataFormat = attrAt(attrs, "dataFormat") ?? "NHWC";
  const rounding = attrAt(attrs, "dimRoundingMode");
  const stridePair = typeof strides === "number" ? integers([strides, strides], 2, 1) : integers(strides, 2, 1);
  if (stridePair === undefined) throw bad("strides", strides);
  let padding: ConvAttrs["pad"];
  if (pad === "same" || pad === "valid" || (typeof pad === "number" && Number.isInteger(pad) && pad >= 0)) {
    padding = pad;
  } else {
    const rows = Array.isArray(pad) && pad.length === 4 ? pad.map((p: unknown) => integers(p, 2, 0)) : [];
    const [n, h, w, c] = rows;
    if (n === undefined || h === undefined || w === undefined || c === undefined) throw bad("pad", pad);
    padding = [n, h, w, c];
  }
  if (dataFormat !== "NHWC" && dataFormat !== "NCHW") throw bad("dataFormat", dataFormat);
  if (rounding !== undefined && rounding !== "floor" && rounding !== "round" && rounding !== "ceil") {
    throw bad("dimRoundingMode", rounding);
  }
  return { strides: stridePair, pad: padding, dataFormat, dimRoundingMode: rounding };
}

/** The value as a pair of integers of at least `min`, or undefined. */
function integers(v: unknown, length: 2, min: number): [number, number] | undefined;
/** The value as four integers of at least `min`, or undefined. */
function integers(v: unknown, length: 4, min: number): [number, number, number, number] | undefined;
function integers(v: unknown, length: number, min: number): number[] | undefined {
  if (!Array.isArray(v) || v.length !== length) return undefined;
  const out: number[] = [];
  for (const n of v as unknown[]) {
    if (typeof n !== "number" || !Number.isInteger(n) || n < min) return undefined;
    out.push(n);
  }
  return out;
}

function shape4(v: unknown, kernelName: string, name: string): [number, number, number, number] {
  const shape = integers(v, 4, 1);
  if (shape !== undefined) return shape;
  throw new RadlabError(
    "wasm-kernel-input",
    `${kernelName}: ${name} must be 4 positive integers, got ${JSON.stringify(v)}.`,
    {
      path: name,
    },
  );
}
