import type { StoredPixelType, Triple, Volume } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";
import { boundaryIndex, type BoundaryMode } from "./boundary";

/**
 * A one-dimensional convolution kernel: the filtered value at n is
 * `sum_j weights[j] * x[n + origin - j]` (a convolution, not a correlation), so `weights[origin]`
 * multiplies x[n]. A symmetric kernel of length 2R + 1 has origin R; PyWavelets' and IBSI-2's
 * even-length wavelet filters of length F have origin F / 2.
 */
export interface Kernel1D {
  readonly weights: readonly number[];
  readonly origin: number;
}

/** The kernel reversed about its origin: k'(t) = k(-t), the kernel of the mirrored axis. */
export function reverseKernel(kernel: Kernel1D): Kernel1D {
  return { weights: [...kernel.weights].reverse(), origin: kernel.weights.length - 1 - kernel.origin };
}

/**
 * The kernel with `factor - 1` zeros between its taps (the "à trous" dilation of the stationary
 * wavelet transform's higher levels), its origin scaled with it.
 */
export function dilateKernel(kernel: Kernel1D, factor: number): Kernel1D {
  if (factor === 1) return kernel;
  const weights = new Array<number>((kernel.weights.length - 1) * factor + 1).fill(0);
  kernel.weights.forEach((w, j) => (weights[j * factor] = w));
  return { weights, origin: kernel.origin * factor };
}

function checkShape(data: Float64Array, dims: Triple): void {
  if (data.length !== dims[0] * dims[1] * dims[2]) {
    throw new RadiomicsError(
      "input",
      `The image holds ${data.length} values but its dims [${dims.join(", ")}] need ${dims[0] * dims[1] * dims[2]}`,
      { path: "dims", hint: "Build the volume with data of length dims[0] * dims[1] * dims[2]." },
    );
  }
}

/**
 * Convolves a volume's voxels with a 1D kernel along one axis (0 = i, fastest in memory; 1 = j;
 * 2 = k), reading beyond the edge as `boundary` says. Taps are summed in increasing j, as
 * PyWavelets does, so that a kernel applied here and there rounds alike. Zero taps are skipped.
 *
 * @param data - Voxels stored as {@link Volume} stores them; not changed.
 * @param dims - The volume's dims.
 * @returns New voxels on the same grid.
 * @throws {@link RadiomicsError} `input` when `data` does not fit `dims`.
 *
 * @example
 * ```ts
 * import { convolveAxis } from "./separable-convolution";
 * const x = Float64Array.of(1, 2, 3, 4);
 * convolveAxis(x, [4, 1, 1], 0, { weights: [1, 0, -1], origin: 1 }, "nearest"); // [1, 2, 2, 1]
 * ```
 */
export function convolveAxis(
  data: Float64Array,
  dims: Triple,
  axis: 0 | 1 | 2,
  kernel: Kernel1D,
  boundary: BoundaryMode,
): Float64Array {
  checkShape(data, dims);
  const n = dims[axis];
  const inner = axis === 0 ? 1 : axis === 1 ? dims[0] : dims[0] * dims[1];
  const outer = axis === 0 ? dims[1] * dims[2] : axis === 1 ? dims[2] : 1;
  const js: number[] = [];
  kernel.weights.forEach((w, j) => {
    if (w !== 0) js.push(j);
  });
  const T = js.length;
  const weight = Float64Array.from(js, (j) => kernel.weights[j]!);
  const out = new Float64Array(data.length);
  if (n === 0 || T === 0) return out;
  if (inner === 1) {
    // Each line is copied with its padding into `line`, so that the sum reads no index twice.
    const left = Math.max(0, js[T - 1]! - kernel.origin);
    const right = Math.max(0, kernel.origin - js[0]!);
    const line = new Float64Array(n + left + right);
    const offset = Int32Array.from(js, (j) => left + kernel.origin - j);
    const edge = Int32Array.from({ length: left + right }, (_, e) =>
      boundaryIndex(boundary, e < left ? e - left : n + e - left, n),
    );
    for (let o = 0; o < outer; o++) {
      const base = o * n;
      for (let e = 0; e < left; e++) line[e] = edge[e]! < 0 ? 0 : data[base + edge[e]!]!;
      for (let q = 0; q < n; q++) line[left + q] = data[base + q]!;
      for (let e = left; e < left + right; e++) line[n + e] = edge[e]! < 0 ? 0 : data[base + edge[e]!]!;
      sumRows(out, base, line, offset, weight, T, n);
    }
    return out;
  }
  // source[p * T + t]: the index along the axis that tap t reads for output p (-1: zero padding).
  const source = new Int32Array(n * T);
  for (let p = 0; p < n; p++) {
    for (let t = 0; t < T; t++) source[p * T + t] = boundaryIndex(boundary, p + kernel.origin - js[t]!, n);
  }
  // Each output row is written once: its taps are summed four rows at a time, in increasing j.
  const rows = new Int32Array(T);
  const w = new Float64Array(T);
  for (let o = 0; o < outer; o++) {
    for (let p = 0; p < n; p++) {
      const to = (o * n + p) * inner;
      let m = 0;
      for (let t = 0; t < T; t++) {
        const q = source[p * T + t]!;
        if (q < 0) continue;
        rows[m] = (o * n + q) * inner;
        w[m++] = weight[t]!;
      }
      sumRows(out, to, data, rows, w, m, inner);
    }
  }
  return out;
}

/**
 * out[to + i] = sum_t w[t] * src[starts[t] + i] for i < length, summed in increasing t (four rows
 * per sweep, so that each output is read and written once per four taps).
 */
function sumRows(
  out: Float64Array,
  to: number,
  src: Float64Array,
  starts: Int32Array,
  w: Float64Array,
  m: number,
  length: number,
): void {
  for (let t = 0; t < m; t += 4) {
    const first = t === 0;
    const left = m - t;
    const a = starts[t]!;
    const wa = w[t]!;
    if (left >= 4) {
      const b = starts[t + 1]!;
      const c = starts[t + 2]!;
      const d = starts[t + 3]!;
      const wb = w[t + 1]!;
      const wc = w[t + 2]!;
      const wd = w[t + 3]!;
      for (let i = 0; i < length; i++) {
        let sum = first ? wa * src[a + i]! : out[to + i]! + wa * src[a + i]!;
        sum += wb * src[b + i]!;
        sum += wc * src[c + i]!;
        out[to + i] = sum + wd * src[d + i]!;
      }
    } else if (left === 3) {
      const b = starts[t + 1]!;
      const c = starts[t + 2]!;
      const wb = w[t + 1]!;
      const wc = w[t + 2]!;
      for (let i = 0; i < length; i++) {
        let sum = first ? wa * src[a + i]! : out[to + i]! + wa * src[a + i]!;
        sum += wb * src[b + i]!;
        out[to + i] = sum + wc * src[c + i]!;
      }
    } else if (left === 2) {
      const b = starts[t + 1]!;
      const wb = w[t + 1]!;
      for (let i = 0; i < length; i++) {
        const sum = first ? wa * src[a + i]! : out[to + i]! + wa * src[a + i]!;
        out[to + i] = sum + wb * src[b + i]!;
      }
    } else {
      for (let i = 0; i < length; i++) out[to + i] = first ? wa * src[a + i]! : out[to + i]! + wa * src[a + i]!;
    }
  }
}

/**
 * A filter's response map as a {@link Volume} on the image's grid (the source is kept, the stored
 * type is the one the filter computes in).
 */
export function responseVolume(image: Volume, data: Float64Array, pixelType: StoredPixelType = "float64"): Volume {
  return {
    dims: image.dims,
    spacing: image.spacing,
    origin: image.origin,
    direction: image.direction,
    data,
    ...(image.source === undefined ? {} : { source: image.source }),
    pixelType,
  };
}
