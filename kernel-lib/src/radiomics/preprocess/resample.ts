import { boxDims, cropValues, nonZeroBox, type IndexBox } from "../image/crop";
import type { StoredPixelType } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";
import type { Mask, Triple, Volume, VoxelGrid } from "../image/volume";
import { continuousIndexToPoint, gridCoordinates, pointToContinuousIndex } from "./grid-coordinates";
import { type AxisSampling, type Interpolation, sampleAlongAxes, sampleOnGrid } from "./interpolation";

/**
 * Where the interpolation grid is placed (IBSI 1, section 2.4 "Interpolation grid"):
 * - `centre`: IBSI's recommended "align grid centers": `n_b = ceil(n_a s_a / s_b)` voxels per
 *   axis, centred on the original grid (the first centre at grid coordinate
 *   `(n_a - 1 - (s_b / s_a)(n_b - 1)) / 2`);
 * - `origin`: pyradiomics' (and SimpleITK users') convention: the same `n_b`, but the new grid
 *   starts at the original grid's outer corner, so its first centre is at grid coordinate
 *   `(s_b - s_a) / (2 s_a)`. This is neither IBSI's "align grid origins" (which puts the first
 *   centres together) nor `centre`: the two grids differ by a shift of up to half a new voxel,
 *   and features computed on them differ accordingly.
 */
export type GridAlignment = "centre" | "origin";

/** Options of {@link resampleVolume}. */
export interface ResampleOptions {
  /** The new voxel spacing in mm along i, j, k. Keep an axis' spacing to interpolate in-plane only. */
  readonly spacing: Triple;
  readonly interpolation: Interpolation;
  /** Default `centre`. */
  readonly alignment?: GridAlignment;
  /** Round the interpolated intensities to integers (IBSI 68QD: CT intensities are whole HU). */
  readonly roundIntensities?: boolean;
}

function checkSpacing(spacing: readonly number[], path: string, allowZero: boolean): void {
  const bad = spacing.length !== 3 || spacing.some((s) => !Number.isFinite(s) || s < 0 || (!allowZero && s === 0));
  if (bad) {
    throw new RadiomicsError(
      "settings",
      `A voxel spacing must be three ${allowZero ? "non-negative" : "positive"} numbers of mm, not [${spacing.join(", ")}]`,
      {
        path,
        hint: allowZero
          ? "Give the spacing in mm, for example [2, 2, 2]; 0 keeps the mask's spacing along that axis."
          : "Give the spacing in mm, for example [2, 2, 2] for 2 mm isotropic voxels.",
      },
    );
  }
}

/**
 * The grid an image is interpolated onto: same direction, the new spacing, the number of voxels
 * and the placement that `alignment` defines (see {@link GridAlignment}).
 *
 * With `centre`, `n_a s_a / s_b` is rounded up after allowing for floating-point noise of 1e-9
 * voxel (so that 10 voxels of 0.7 mm resampled to 0.7 mm stay 10). With `origin` the count is
 * computed as pyradiomics does, without that allowance.
 *
 * @throws {@link RadiomicsError} `settings` when a spacing is not a positive number.
 *
 * @example
 * ```ts
 * import { IDENTITY_DIRECTION, resampledGrid } from "@radlab/kernel";
 * const grid = { dims: [4, 4, 1], spacing: [3, 3, 1], origin: [0, 0, 0], direction: IDENTITY_DIRECTION } as const;
 * resampledGrid(grid, [2, 2, 1]); // dims [6, 6, 1], origin [-0.5, -0.5, 0]
 * ```
 */
export function resampledGrid(grid: VoxelGrid, spacing: Triple, alignment: GridAlignment = "centre"): VoxelGrid {
  const { dims } = placement(grid, spacing, alignment);
  // The shift in mm along each axis (IBSI QCY4's world-coordinate form, exact for round spacings).
  const shift = [0, 1, 2].map((d) =>
    alignment === "centre"
      ? (grid.spacing[d]! * (grid.dims[d]! - 1) - spacing[d]! * (dims[d]! - 1)) / 2
      : (spacing[d]! - grid.spacing[d]!) / 2,
  );
  const origin = [0, 1, 2].map(
    (r) =>
      grid.origin[r]! +
      (grid.direction[r * 3]! * shift[0]! +
        grid.direction[r * 3 + 1]! * shift[1]! +
        grid.direction[r * 3 + 2]! * shift[2]!),
  );
  return { dims, spacing, origin: origin as unknown as Triple, direction: grid.direction };
}

/** The new grid's size and its first voxel centre in the original grid's coordinates. */
function placement(grid: VoxelGrid, spacing: Triple, alignment: GridAlignment): { dims: Triple; first: Triple } {
  checkSpacing(spacing, "spacing", false);
  const dims = [0, 0, 0];
  const first = [0, 0, 0];
  for (let d = 0; d < 3; d++) {
    const na = grid.dims[d]!;
    const sa = grid.spacing[d]!;
    const sb = spacing[d]!;
    if (alignment === "centre") {
      const nb = Math.max(1, Math.ceil((na * sa) / sb - 1e-9));
      dims[d] = nb;
      first[d] = 0.5 * (na - 1 - (sb / sa) * (nb - 1));
    } else {
      dims[d] = Math.ceil(na * (sa / sb));
      first[d] = (0.5 * (sb - sa)) / sa;
    }
  }
  return { dims: dims as unknown as Triple, first: first as unknown as Triple };
}

/** Rounds half away from zero, so that -0.5 HU and 0.5 HU round symmetrically. */
function roundHalfAway(v: number): number {
  const r = v < 0 ? -Math.round(-v) : Math.round(v);
  return r === 0 ? 0 : r; // no -0 HU
}

/**
 * Interpolates an image onto a new voxel spacing (IBSI 1, section 2.4).
 *
 * The grid is {@link resampledGrid}; the interpolation grid's overhang beyond the original
 * voxel centres is filled by padding with the boundary intensities (IBSI 026Q), or by mirroring
 * for `bspline`. To reproduce pyradiomics (which also crops to the mask, casts to the input
 * pixel type and samples outside the image as 0), use {@link resamplePyradiomics}.
 *
 * @returns A new volume; the input is not modified.
 * @throws {@link RadiomicsError} `settings` for a spacing that is not positive.
 *
 * @example
 * ```ts
 * import { readNrrd, resampleVolume } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const iso = resampleVolume(image, { spacing: [2, 2, 2], interpolation: "linear", roundIntensities: true });
 * iso.dims; // [100, 100, 82]
 * ```
 */
export function resampleVolume(image: Volume, options: ResampleOptions): Volume {
  const alignment = options.alignment ?? "centre";
  const grid = resampledGrid(image, options.spacing, alignment);
  const { first } = placement(image, options.spacing, alignment);
  const step = [0, 1, 2].map((d) => options.spacing[d]! / image.spacing[d]!) as unknown as Triple;
  const data = sampleAlongAxes(image, { dims: grid.dims, first, step }, options.interpolation, { kind: "extend" });
  if (options.roundIntensities === true) for (let n = 0; n < data.length; n++) data[n] = roundHalfAway(data[n]!);
  return { ...grid, data, ...(image.source === undefined ? {} : { source: image.source }) };
}

/** Options of {@link resampleMask}. */
export interface ResampleMaskOptions {
  /** Default `linear` (IBSI E8H9: it gives partial volumes, binarised by `threshold`). */
  readonly interpolation?: "nearest" | "linear";
  /** The partial-volume threshold δ: voxels with an interpolated value ≥ δ are in the ROI. Default 0.5. */
  readonly threshold?: number;
}

/** Whether two grids share their axes (same direction), so that sampling is separable. */
function sameAxes(a: VoxelGrid, b: VoxelGrid): boolean {
  return a.direction.length === 9 && a.direction.every((v, n) => v === b.direction[n]);
}

/** Where `target`'s voxel centres lie in `source`'s grid coordinates, axis by axis. */
function axisSampling(source: VoxelGrid, target: VoxelGrid): AxisSampling {
  const first = [0, 0, 0];
  pointToContinuousIndex(gridCoordinates(source), target.origin[0], target.origin[1], target.origin[2], first);
  const step = [0, 1, 2].map((d) => target.spacing[d]! / source.spacing[d]!);
  return { dims: target.dims, first: first as unknown as Triple, step: step as unknown as Triple };
}

function countMask(data: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) n += data[i]!;
  return n;
}

/**
 * Interpolates an ROI mask onto a target grid (usually the grid of the resampled image) and
 * binarises it (IBSI E8H9): with `linear`, a voxel is in the ROI when the interpolated mask is
 * at least `threshold`; with `nearest`, it takes the nearest voxel's label. Target voxels more
 * than half a voxel outside the mask's grid are outside the ROI.
 *
 * @returns A new mask on `target`.
 * @throws {@link RadiomicsError} `settings` for a threshold outside (0, 1]; `empty-roi` when no
 *   voxel of the target grid is in the ROI (for example a target that does not overlap it).
 *
 * @example
 * ```ts
 * import { maskFromLabel, readNrrd, resampleMask, resampleVolume } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"));
 * const iso = resampleVolume(image, { spacing: [2, 2, 2], interpolation: "linear" });
 * const roi = resampleMask(mask, iso); // linear, threshold 0.5
 * ```
 */
export function resampleMask(mask: Mask, target: VoxelGrid, options: ResampleMaskOptions = {}): Mask {
  const interpolation = options.interpolation ?? "linear";
  const threshold = options.threshold ?? 0.5;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new RadiomicsError("settings", `The partial-volume threshold must be in (0, 1], not ${threshold}`, {
      path: "threshold",
      hint: "IBSI uses 0.5: a voxel at least half inside the original ROI stays in the ROI.",
    });
  }
  const values = sameAxes(mask, target)
    ? sampleAlongAxes(mask, axisSampling(mask, target), interpolation, { kind: "fill", value: 0 })
    : sampleOnGrid(mask, target, interpolation, { kind: "fill", value: 0 });
  const data = new Uint8Array(values.length);
  for (let n = 0; n < values.length; n++) data[n] = values[n]! >= threshold ? 1 : 0;
  if (countMask(data) === 0) {
    throw new RadiomicsError(
      "empty-roi",
      `No voxel of the ${target.dims.join(" x ")} target grid is in the ROI after ${interpolation} interpolation and threshold ${threshold}`,
      {
        ...(mask.source === undefined ? {} : { file: mask.source }),
        hint: "Check that the target grid overlaps the mask (same patient space), or lower the threshold for a very small ROI.",
      },
    );
  }
  return {
    dims: target.dims,
    spacing: target.spacing,
    origin: target.origin,
    direction: target.direction,
    data,
    ...(mask.source === undefined ? {} : { source: mask.source }),
  };
}

/**
 * The pixel types SimpleITK keeps through resampling: the interpolated value is clamped to the
 * type's range and converted as C++'s `static_cast` does (truncation toward zero for integers).
 */
/** The stored voxel type (see {@link Volume.pixelType}). */
export type PixelType = StoredPixelType;

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

function castInPlace(data: Float64Array, type: PixelType): void {
  if (type === "float64") return;
  if (type === "float32") {
    for (let n = 0; n < data.length; n++) data[n] = Math.fround(data[n]!);
    return;
  }
  const [min, max] = INTEGER_RANGES[type]!;
  for (let n = 0; n < data.length; n++) {
    const v = data[n]!;
    data[n] = v < min ? min : v > max ? max : Math.trunc(v);
  }
}

/** Options of {@link resamplePyradiomics} (pyradiomics' `resampledPixelSpacing`, `interpolator`, `padDistance`). */
export interface PyradiomicsResampleOptions {
  /** The new spacing in mm; 0 keeps the mask's spacing along that axis. */
  readonly spacing: Triple;
  /** `sitkBSpline` (pyradiomics' default), `sitkLinear` or `sitkNearestNeighbor`. Default `bspline`. */
  readonly interpolator?: "bspline" | "linear" | "nearest";
  /** Voxels of the new grid kept around the ROI's bounding box. Default 5. */
  readonly padDistance?: number;
  /**
   * The pixel type the image was stored with (for example `int16` for a NRRD of type `short`):
   * SimpleITK writes the resampled image in the input's type, so B-spline values are truncated
   * to integers for integer images.
   */
  readonly pixelType: PixelType;
}

/** A crop of `grid` to `box`: the values copied, the origin placed as ITK's `TransformContinuousIndexToPhysicalPoint` places it. */
function crop<T extends Float64Array | Uint8Array>(
  grid: VoxelGrid & { data: T },
  box: IndexBox,
  make: (length: number) => T,
): VoxelGrid & { data: T } {
  return {
    dims: boxDims(box),
    spacing: grid.spacing,
    origin: continuousIndexToPoint(gridCoordinates(grid), box.min),
    direction: grid.direction,
    data: cropValues(grid.data, grid.dims, box, make),
  };
}

/** numpy.allclose(a, b): |a - b| <= 1e-8 + 1e-5 |b| for every element. */
function allClose(a: Triple, b: Triple): boolean {
  return a.every((v, d) => Math.abs(v - b[d]!) <= 1e-8 + 1e-5 * Math.abs(b[d]!));
}

/**
 * Resamples an image and its mask as pyradiomics' `imageoperations.resampleImage` does
 * (settings `resampledPixelSpacing`, `interpolator`, `padDistance`), to reproduce pyradiomics'
 * features on resampled images. It differs from IBSI's {@link resampleVolume} in:
 * - the grid: aligned on the mask grid's outer corner (alignment `origin`), then cropped to the
 *   ROI's bounding box plus `padDistance` new voxels (never beyond the image);
 * - axes where the ROI spans one slice keep their spacing, and a spacing of 0 keeps the mask's;
 * - when the spacing equals the image's already (numpy `allclose`), nothing is interpolated:
 *   image and mask are only cropped to the bounding box plus `padDistance`;
 * - the image is interpolated with SimpleITK's interpolator and written in its input pixel
 *   type (`pixelType`), so integer images are truncated toward zero, not rounded; points more
 *   than half a voxel outside the image are 0;
 * - the mask is always resampled with nearest neighbour.
 *
 * The arithmetic (grid bounds, origin, continuous indices, B-spline prefilter and weights)
 * follows pyradiomics 2.x/3.x and ITK 5 operation by operation, so the result matches
 * SimpleITK exactly for the pyradiomics test cases (brain1, breast1).
 *
 * @returns The resampled, cropped image and mask, on the same grid.
 * @throws {@link RadiomicsError} `settings` for a negative spacing or pad distance;
 *   `empty-roi` for an empty mask; `geometry` when the ROI extends outside the image.
 *
 * @example
 * ```ts
 * import { maskFromLabel, readNrrd, resamplePyradiomics } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"));
 * const out = resamplePyradiomics(image, mask, { spacing: [2, 2, 2], pixelType: "int16" });
 * out.image.dims; // [30, 39, 34]
 * ```
 */
export function resamplePyradiomics(
  image: Volume,
  mask: Mask,
  options: PyradiomicsResampleOptions,
): { image: Volume; mask: Mask } {
  checkSpacing(options.spacing, "resampledPixelSpacing", true);
  const pad = options.padDistance ?? 5;
  if (!Number.isInteger(pad) || pad < 0) {
    throw new RadiomicsError("settings", `padDistance must be a non-negative integer, not ${pad}`, {
      path: "padDistance",
      hint: "pyradiomics' default is 5 voxels.",
    });
  }
  const box = nonZeroBox(mask.data, mask.dims);
  if (box === undefined) {
    throw new RadiomicsError("empty-roi", "The mask has no voxel in the ROI, so there is nothing to resample", {
      ...(mask.source === undefined ? {} : { file: mask.source }),
      hint: "Check the mask label.",
    });
  }
  checkRoiInsideImage(image, mask, box);
  const ms = mask.spacing;
  const spacing = [0, 1, 2].map((d) => {
    const s = options.spacing[d]!;
    // 0 keeps the mask's spacing; so does an axis along which the ROI is one voxel thick.
    return s === 0 || box.min[d] === box.max[d] ? ms[d]! : s;
  }) as unknown as Triple;
  const keepImage = image.source === undefined ? {} : { source: image.source };
  const keepMask = mask.source === undefined ? {} : { source: mask.source };

  if (allClose(image.spacing, spacing)) {
    // pyradiomics only resamples the mask onto the image grid (by nearest neighbour) and crops.
    const onImage = sampleOnGrid(mask, image, "nearest", { kind: "fill", value: 0 });
    const maskData = Uint8Array.from(onImage);
    const imageBox = nonZeroBox(maskData, image.dims);
    if (imageBox === undefined) {
      throw new RadiomicsError("empty-roi", "The mask has no voxel in the ROI once placed on the image grid", {
        ...keepMask,
        hint: "Check that the mask and the image cover the same patient space.",
      });
    }
    const padded: IndexBox = {
      min: [0, 1, 2].map((d) => Math.max(imageBox.min[d]! - pad, 0)) as unknown as Triple,
      max: [0, 1, 2].map((d) => Math.min(imageBox.max[d]! + pad, image.dims[d]! - 1)) as unknown as Triple,
    };
    const croppedImage = crop(image, padded, (n) => new Float64Array(n));
    const croppedMask = crop({ ...image, data: maskData }, padded, (n) => new Uint8Array(n));
    return { image: { ...croppedImage, ...keepImage }, mask: { ...croppedMask, ...keepMask } };
  }

  const dims = [0, 0, 0];
  const firstIndex = [0, 0, 0];
  for (let d = 0; d < 3; d++) {
    const ratio = ms[d]! / spacing[d]!;
    let lower = Math.floor((box.min[d]! - 0.5) * ratio - pad);
    let upper = Math.ceil((box.max[d]! + 1 - 0.5) * ratio + pad);
    const maxUpper = Math.ceil(mask.dims[d]! * ratio) - 1;
    if (lower < 0) lower = 0;
    if (upper > maxUpper) upper = maxUpper;
    dims[d] = upper - lower + 1;
    firstIndex[d] = (0.5 * (spacing[d]! - ms[d]!)) / ms[d]! + lower / ratio;
  }
  const grid: VoxelGrid = {
    dims: dims as unknown as Triple,
    spacing,
    origin: continuousIndexToPoint(gridCoordinates(mask), firstIndex as unknown as Triple),
    direction: mask.direction,
  };
  const imageData = sampleOnGrid(image, grid, options.interpolator ?? "bspline", { kind: "fill", value: 0 });
  castInPlace(imageData, options.pixelType);
  const maskValues = sampleOnGrid(mask, grid, "nearest", { kind: "fill", value: 0 });
  return {
    image: { ...grid, data: imageData, ...keepImage },
    mask: { ...grid, data: Uint8Array.from(maskValues), ...keepMask },
  };
}

/** pyradiomics' `_checkROI`: the ROI's bounding box must lie within the image (1e-3 voxel slack). */
function checkRoiInsideImage(image: Volume, mask: Mask, box: IndexBox): void {
  const m = gridCoordinates(mask);
  const im = gridCoordinates(image);
  const lower = continuousIndexToPoint(m, [box.min[0] - 0.5, box.min[1] - 0.5, box.min[2] - 0.5]);
  const upper = continuousIndexToPoint(m, [box.max[0] + 1 - 0.5, box.max[1] + 1 - 0.5, box.max[2] + 1 - 0.5]);
  const a = [0, 0, 0];
  const b = [0, 0, 0];
  pointToContinuousIndex(im, lower[0], lower[1], lower[2], a);
  pointToContinuousIndex(im, upper[0], upper[1], upper[2], b);
  const tolerance = 1e-3;
  for (let d = 0; d < 3; d++) {
    const min = Math.min(a[d]!, b[d]!);
    const max = Math.max(a[d]!, b[d]!);
    if (min < -0.5 - tolerance || max > image.dims[d]! - 0.5 + tolerance) {
      throw new RadiomicsError(
        "geometry",
        `The ROI's bounding box reaches outside the image along axis ${d}: image index ${min.toFixed(3)} to ${max.toFixed(3)}, the image spans -0.5 to ${image.dims[d]! - 0.5}`,
        {
          ...(mask.source === undefined ? {} : { file: mask.source }),
          path: `dims[${d}]`,
          hint: "Check that the mask belongs to this image; pyradiomics refuses a mask whose ROI lies outside the image.",
        },
      );
    }
  }
}
