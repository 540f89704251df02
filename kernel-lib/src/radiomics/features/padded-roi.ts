import { boxDims, boxOfIndices, cropValues, nonZeroIndices } from "../image/crop";
import { RadiomicsError } from "../radiomics-error";
import type { Triple } from "../image/volume";
import type { DiscretisedRoi } from "../preprocess/discretise";

/**
 * An ROI's grey levels cropped to its bounding box and surrounded by `margin` voxels of 0, so that
 * texture matrices can look `margin` voxels away from any ROI voxel without a bounds check.
 *
 * `voxels` lists the storage indices (i fastest) of the ROI voxels in increasing order, and the ROI
 * voxels of slice `k` are `voxels[sliceStart[k]]` to `voxels[sliceStart[k + 1] - 1]`.
 */
export interface PaddedRoi {
  /** Grey levels 1..levelCount inside the ROI, 0 outside (including the margin). */
  readonly levels: Int32Array;
  /** The padded box: bounding box plus `2 * margin` along each axis. */
  readonly dims: Triple;
  readonly margin: number;
  /** Ng, from the discretisation. */
  readonly levelCount: number;
  /** The highest grey level that occurs in the ROI. */
  readonly maxLevel: number;
  /** The number of distinct grey levels that occur in the ROI. */
  readonly presentLevelCount: number;
  readonly voxels: Int32Array;
  readonly sliceStart: Int32Array;
}

/**
 * Crops a discretised ROI to its bounding box with a margin of zeros (the first step of every
 * texture matrix: brain1's 256 x 256 x 25 grid becomes 47 x 70 x 7 plus the margin).
 *
 * @param margin - voxels of 0 around the box; at least the largest neighbour offset used.
 * @throws {@link RadiomicsError} `empty-roi` when no voxel has a grey level, and `settings` when a
 *   grey level is not an integer in 1..levelCount (for example a `none` discretisation whose
 *   `levels` is lower than the highest intensity in the ROI).
 *
 * @example
 * ```ts
 * import { discretise, readNrrd, maskFromLabel } from "@radlab/kernel";
 * import { paddedRoi } from "./padded-roi";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"), 1);
 * const roi = discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth: 25 });
 * paddedRoi(roi, 1).dims; // [49, 72, 9]
 * ```
 */
export function paddedRoi(roi: DiscretisedRoi, margin: number): PaddedRoi {
  if (!Number.isInteger(margin) || margin < 0) {
    throw new RadiomicsError("settings", `A crop margin must be a non-negative integer, not ${margin}`, {
      path: "margin",
      hint: "Use the largest neighbour distance of the texture matrix (1 by default).",
    });
  }
  const { levels, dims, levelCount } = roi;
  if (!Number.isInteger(levelCount) || levelCount < 1) {
    throw new RadiomicsError("settings", `The number of grey levels must be a positive integer, not ${levelCount}`, {
      path: "roi.levelCount",
      hint: "Build the ROI with discretise(), which sets levelCount.",
    });
  }
  const [nx, ny, nz] = dims;
  if (levels.length !== nx * ny * nz) {
    throw new RadiomicsError(
      "input",
      `The ROI holds ${levels.length} grey levels but its grid of ${nx} x ${ny} x ${nz} needs ${nx * ny * nz}`,
      { path: "roi.levels", hint: "Build the ROI with discretise() from an image and a mask on one grid." },
    );
  }
  const indices = nonZeroIndices(levels);
  const box = boxOfIndices(indices, dims);
  if (box === undefined) {
    throw new RadiomicsError(
      "empty-roi",
      "The ROI has no voxel with a grey level, so there is no texture to describe",
      {
        path: "roi.levels",
        hint: "Check the mask label and the re-segmentation range: together they left no voxel.",
      },
    );
  }
  const out = cropValues(levels, dims, box, (n) => new Int32Array(n), margin);
  const [px, py, pz] = boxDims(box).map((n) => n + 2 * margin) as unknown as Triple;
  // The ROI voxels in storage order (which the crop keeps), checked and placed on the padded grid.
  const voxels = new Int32Array(indices.length);
  const sliceStart = new Int32Array(pz + 1);
  const seen = new Uint8Array(levelCount + 1);
  const plane = nx * ny;
  let maxLevel = 0;
  let slice = -1;
  for (let m = 0; m < indices.length; m++) {
    const n = indices[m]!;
    const v = levels[n]!;
    const k = (n / plane) | 0;
    const rest = n - k * plane;
    const j = (rest / nx) | 0;
    const i = rest - j * nx;
    if (v < 0 || v > levelCount) {
      throw new RadiomicsError(
        "settings",
        `Voxel (${i}, ${j}, ${k}) has grey level ${v}, outside 1..${levelCount} (the ROI's number of grey levels)`,
        {
          path: "roi.levels",
          hint: "Discretise again with a number of levels that covers the ROI (for `none`, omit `levels` or raise it).",
        },
      );
    }
    seen[v] = 1;
    if (v > maxLevel) maxLevel = v;
    const pk = k - box.min[2] + margin;
    while (slice < pk) sliceStart[++slice] = m;
    voxels[m] = i - box.min[0] + margin + px * (j - box.min[1] + margin + py * pk);
  }
  while (slice < pz) sliceStart[++slice] = indices.length;
  let presentLevelCount = 0;
  for (const s of seen) presentLevelCount += s;
  return {
    levels: out,
    dims: [px, py, pz],
    margin,
    levelCount,
    maxLevel,
    presentLevelCount,
    voxels,
    sliceStart,
  };
}

/**
 * The storage offset of a voxel step (di, dj, dk) on a grid of `dims` (i fastest): the neighbour
 * of storage index `n` along the step is `n + linearOffset(dims, step)`.
 *
 * @example
 * ```ts
 * import { linearOffset } from "./padded-roi";
 * linearOffset([5, 4, 4], [1, -1, 1]); // 16 = 1 - 5 + 20
 * ```
 */
export function linearOffset(dims: Triple, step: Triple): number {
  return step[0] + dims[0] * (step[1] + dims[1] * step[2]);
}

/**
 * The slices (k, on the padded grid) that hold at least one ROI voxel, for per-slice (2D, 2.5D)
 * texture matrices.
 *
 * @example
 * ```ts
 * import { paddedRoi, roiSlices } from "./padded-roi";
 * const roi = paddedRoi(
 *   { dims: [1, 1, 3], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
 *     levels: Int32Array.from([1, 0, 2]), levelCount: 2, lowerEdge: 1, binWidth: 1 },
 *   1,
 * );
 * roiSlices(roi); // [1, 3]: the middle slice of the box is empty
 * ```
 */
export function roiSlices(roi: PaddedRoi): number[] {
  const out: number[] = [];
  for (let k = 0; k + 1 < roi.sliceStart.length; k++) if (roi.sliceStart[k + 1]! > roi.sliceStart[k]!) out.push(k);
  return out;
}
