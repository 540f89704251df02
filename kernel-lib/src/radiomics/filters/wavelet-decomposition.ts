import type { Triple, Volume } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";
import { checkBoundaryMode, type BoundaryMode } from "./boundary";
import { convolveAxis, dilateKernel, responseVolume, reverseKernel, type Kernel1D } from "./separable-convolution";
import { waveletFilterBank, waveletKernel, type WaveletName } from "./wavelet-filters";

/**
 * A sub-band of the 3D separable wavelet transform: one letter per axis, in the order i, j, k
 * (x, y, z of the image's index space; i varies fastest in memory), L for the low-pass filter
 * and H for the high-pass one. `LLH` is low-pass along i and j and high-pass along k. IBSI-2 and
 * pyradiomics write their sub-bands in the same x, y, z order.
 */
export type WaveletSubBand = "LLL" | "LLH" | "LHL" | "LHH" | "HLL" | "HLH" | "HHL" | "HHH";

/** Every {@link WaveletSubBand}, LLL first, then in PyWavelets' order (k's letter changing fastest). */
export const WAVELET_SUB_BANDS: readonly WaveletSubBand[] = Object.freeze([
  "LLL",
  "LLH",
  "LHL",
  "LHH",
  "HLL",
  "HLH",
  "HHL",
  "HHH",
]);

/** Pooling of the responses of a filter's 24 right-angle rotations (IBSI-2's rotation invariance). */
export type RotationPooling = "none" | "mean" | "max";

/** Options of {@link waveletTransform}. */
export interface WaveletTransformOptions {
  readonly wavelet: WaveletName;
  /** The decomposition level, 1 or more. */
  readonly level: number;
  readonly boundary: BoundaryMode;
  /**
   * `mean` or `max`: make the response rotation invariant by pooling the responses of the 24
   * right-angle rotations of the 3D filter (IBSI-2's pseudo-rotational invariance); default `none`.
   */
  readonly rotationInvariance?: RotationPooling;
  /** The sub-bands to compute (default all eight). */
  readonly subBands?: readonly WaveletSubBand[];
}

/** One axis' filter: which letter, and whether the kernel is mirrored (a rotation flipped the axis). */
interface AxisFilter {
  readonly letter: "L" | "H";
  readonly reversed: boolean;
}

/** The filters one (rotated) sub-band applies: the low-pass cascade's flips and each axis' filter. */
interface FilterConfiguration {
  readonly subBand: WaveletSubBand;
  readonly preReversed: readonly [boolean, boolean, boolean];
  readonly axes: readonly [AxisFilter, AxisFilter, AxisFilter];
}

const PERMUTATIONS: readonly (readonly [number, number, number])[] = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

function permutationSign(p: readonly [number, number, number]): number {
  let inversions = 0;
  for (let a = 0; a < 3; a++) for (let b = a + 1; b < 3; b++) if (p[a]! > p[b]!) inversions++;
  return inversions % 2 === 0 ? 1 : -1;
}

/**
 * The 24 proper rotations of the cube as signed permutations: output axis e takes the filter of
 * axis `source[e]`, mirrored when `flip[e]`. The rotated kernel K'(u) = K(R^T u) is separable
 * again, so rotating the filter costs no more than filtering.
 */
const ROTATIONS: readonly { source: readonly [number, number, number]; flip: readonly [boolean, boolean, boolean] }[] =
  PERMUTATIONS.flatMap((source) =>
    [0, 1, 2, 3, 4, 5, 6, 7]
      .map((bits) => [(bits & 1) !== 0, (bits & 2) !== 0, (bits & 4) !== 0] as const)
      .filter((flip) => permutationSign(source) * flip.reduce((sign, f) => (f ? -sign : sign), 1) === 1)
      .map((flip) => ({ source, flip })),
  );

function configurations(subBand: WaveletSubBand, pooling: RotationPooling): FilterConfiguration[] {
  const letters = subBand.split("") as ("L" | "H")[];
  if (pooling === "none") {
    const axes = letters.map((letter) => ({ letter, reversed: false })) as unknown as FilterConfiguration["axes"];
    return [{ subBand, preReversed: [false, false, false], axes }];
  }
  return ROTATIONS.map(({ source, flip }) => ({
    subBand,
    preReversed: flip,
    axes: [0, 1, 2].map((e) => ({
      letter: letters[source[e]!]!,
      reversed: flip[e]!,
    })) as unknown as FilterConfiguration["axes"],
  }));
}

const key = (f: AxisFilter): string => `${f.letter}${f.reversed ? "'" : ""}`;

/**
 * IBSI-2's separable wavelet filter (arXiv 2006.05470), undecimated (stationary, "à trous"): at level
 * 1 each sub-band is the image convolved along i, j and k with the low- (L) or high-pass (H)
 * decomposition filter; level l + 1 filters the level-l LLL response with the filters dilated by
 * 2^l (2^l - 1 zeros between taps). Filters are aligned as PyWavelets' `swt` aligns them
 * ({@link waveletKernel}), so with `periodic` padding the level-l sub-bands equal
 * `pywt.swtn(x, wavelet, level=l, axes=(2, 1, 0))[0]` on a numpy array indexed [k, j, i].
 *
 * The filters are PyWavelets' unnormalised ones (the low-pass taps sum to sqrt(2)), as IBSI-2
 * and pyradiomics use them: the LLL sub-band of a constant image c is 2^(3/2) c at every level
 * (2^(3l/2) c for the cascade as a whole), and for an orthogonal wavelet with periodic padding the
 * eight sub-bands' energies (sums of squares) add up to 8 times the energy of the level's input
 * (the image at level 1, the previous LLL above), the undecimated transform's Parseval identity
 * with gain |L|^2 + |H|^2 = 2 per axis.
 *
 * @param image - The image; not changed.
 * @returns The requested sub-bands' response maps (`pixelType` float64), in
 *   {@link WAVELET_SUB_BANDS} order.
 * @throws {@link RadiomicsError} `settings` for an unknown wavelet, boundary mode, pooling or
 *   sub-band, or a level that is not a positive integer.
 *
 * @example
 * ```ts
 * import { readNifti, waveletTransform } from "@radlab/kernel";
 * const image = await readNifti("../shared/data/radiomics/ibsi2-digital-phantom/nifti/sphere/image/sphere.nii.gz");
 * const bands = waveletTransform(image, { wavelet: "db2", level: 1, boundary: "periodic" });
 * bands.get("LHL")?.dims; // [64, 64, 64]
 * ```
 */
export function waveletTransform(image: Volume, options: WaveletTransformOptions): ReadonlyMap<WaveletSubBand, Volume> {
  const { wavelet, level, boundary, rotationInvariance = "none", subBands = WAVELET_SUB_BANDS } = options;
  const bank = waveletFilterBank(wavelet);
  if (!(Number.isInteger(level) && level >= 1)) {
    throw new RadiomicsError("settings", `The wavelet decomposition level must be a positive integer, not ${level}`, {
      path: "level",
      hint: "Level 1 filters the image itself; IBSI-2 also uses level 2.",
    });
  }
  checkBoundaryMode(boundary);
  if (!["none", "mean", "max"].includes(rotationInvariance)) {
    throw new RadiomicsError(
      "settings",
      `rotationInvariance must be none, mean or max, not ${JSON.stringify(rotationInvariance)}`,
      {
        path: "rotationInvariance",
        hint: "IBSI-2 pools the 24 rotations' responses with mean or max pooling.",
      },
    );
  }
  const unknown = subBands.filter((b) => !WAVELET_SUB_BANDS.includes(b));
  if (unknown.length > 0 || subBands.length === 0) {
    throw new RadiomicsError(
      "settings",
      `subBands ${unknown.length > 0 ? `has unknown value(s) ${unknown.join(", ")}` : "is empty"}`,
      {
        path: "subBands",
        hint: `Choose from ${WAVELET_SUB_BANDS.join(", ")} (letters for i, j, k).`,
      },
    );
  }
  const dilation = 2 ** (level - 1);
  const lo = waveletKernel(bank.decLo);
  const hi = waveletKernel(bank.decHi);
  const filterOf = (f: AxisFilter): Kernel1D => {
    const base = f.letter === "L" ? lo : hi;
    return dilateKernel(f.reversed ? reverseKernel(base) : base, dilation);
  };
  const requested = WAVELET_SUB_BANDS.filter((b) => subBands.includes(b));
  const all = requested.flatMap((b) => configurations(b, rotationInvariance));
  const pooled = new Map<WaveletSubBand, Float64Array>();
  const count = new Map<WaveletSubBand, number>();
  // Walk the configurations as a tree (cascade flips, then i, j and k filters) so that each
  // partial convolution is computed once and only one branch is held in memory at a time.
  const groupBy = <T>(items: readonly T[], by: (t: T) => string): Map<string, T[]> => {
    const groups = new Map<string, T[]>();
    for (const item of items) {
      const k = by(item);
      groups.set(k, [...(groups.get(k) ?? []), item]);
    }
    return groups;
  };
  const { dims } = image;
  for (const cascade of groupBy(all, (c) => c.preReversed.join()).values()) {
    const approx = lowPassCascade(image.data, dims, lo, cascade[0]!.preReversed, level, boundary);
    for (const xs of groupBy(cascade, (c) => key(c.axes[0])).values()) {
      const x = convolveAxis(approx, dims, 0, filterOf(xs[0]!.axes[0]), boundary);
      for (const ys of groupBy(xs, (c) => key(c.axes[1])).values()) {
        const y = convolveAxis(x, dims, 1, filterOf(ys[0]!.axes[1]), boundary);
        for (const zs of groupBy(ys, (c) => key(c.axes[2])).values()) {
          const z = convolveAxis(y, dims, 2, filterOf(zs[0]!.axes[2]), boundary);
          for (const c of zs) pool(pooled, count, c.subBand, z, rotationInvariance);
        }
      }
    }
  }
  const out = new Map<WaveletSubBand, Volume>();
  for (const band of requested) {
    const data = pooled.get(band)!;
    if (rotationInvariance === "mean") {
      const n = count.get(band)!;
      for (let v = 0; v < data.length; v++) data[v]! /= n;
    }
    out.set(band, responseVolume(image, data));
  }
  return out;
}

function pool(
  pooled: Map<WaveletSubBand, Float64Array>,
  count: Map<WaveletSubBand, number>,
  band: WaveletSubBand,
  response: Float64Array,
  pooling: RotationPooling,
): void {
  count.set(band, (count.get(band) ?? 0) + 1);
  const into = pooled.get(band);
  if (into === undefined) {
    pooled.set(band, Float64Array.from(response));
    return;
  }
  if (pooling === "max") {
    for (let v = 0; v < into.length; v++) if (response[v]! > into[v]!) into[v] = response[v]!;
  } else {
    for (let v = 0; v < into.length; v++) into[v]! += response[v]!;
  }
}

/** The LLL approximation that level `level` decomposes: levels 1..level-1 of low-pass filtering. */
function lowPassCascade(
  data: Float64Array,
  dims: Triple,
  lo: Kernel1D,
  reversed: readonly [boolean, boolean, boolean],
  level: number,
  boundary: BoundaryMode,
): Float64Array {
  let approx = data;
  for (let l = 1; l < level; l++) {
    for (const axis of [0, 1, 2] as const) {
      const kernel = dilateKernel(reversed[axis] ? reverseKernel(lo) : lo, 2 ** (l - 1));
      approx = convolveAxis(approx, dims, axis, kernel, boundary);
    }
  }
  return approx;
}
