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
 * import { discretise, paddedRoi, readNrrd, maskFromLabel } from "@radlab/kernel";
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
  let x0 = nx;
  let y0 = ny;
  let z0 = nz;
  let x1 = -1;
  let y1 = -1;
  let z1 = -1;
  let maxLevel = 0;
  const seen = new Uint8Array(levelCount + 1);
  const plane = nx * ny;
  const visit = (n: number): void => {
    const v = levels[n]!;
    if (v === 0) return;
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
    if (i < x0) x0 = i;
    if (i > x1) x1 = i;
    if (j < y0) y0 = j;
    if (j > y1) y1 = j;
    if (k < z0) z0 = k;
    z1 = k;
  };
  // One pass over the grid, 8 voxels at a time: a block of background (brain1: all but 4137 of
  // 1.6 million voxels) costs one test, and coordinates are worked out only for ROI voxels.
  const blockEnd = levels.length - (levels.length % 8);
  for (let n = 0; n < blockEnd; n += 8) {
    if (
      (levels[n]! |
        levels[n + 1]! |
        levels[n + 2]! |
        levels[n + 3]! |
        levels[n + 4]! |
        levels[n + 5]! |
        levels[n + 6]! |
        levels[n + 7]!) ===
      0
    )
      continue;
    for (let m = n; m < n + 8; m++) visit(m);
  }
  for (let n = blockEnd; n < levels.length; n++) visit(n);
  if (x1 < 0) {
    throw new RadiomicsError(
      "empty-roi",
      "The ROI has no voxel with a grey level, so there is no texture to describe",
      {
        path: "roi.levels",
        hint: "Check the mask label and the re-segmentation range: together they left no voxel.",
      },
    );
  }
  let presentLevelCount = 0;
  for (const s of seen) presentLevelCount += s;
  const px = x1 - x0 + 1 + 2 * margin;
  const py = y1 - y0 + 1 + 2 * margin;
  const pz = z1 - z0 + 1 + 2 * margin;
  const out = new Int32Array(px * py * pz);
  const sliceStart = new Int32Array(pz + 1);
  let count = 0;
  for (let k = z0; k <= z1; k++) {
    for (let j = y0; j <= y1; j++) {
      let src = x0 + nx * (j + ny * k);
      let dst = margin + px * (j - y0 + margin + py * (k - z0 + margin));
      for (let i = x0; i <= x1; i++, src++, dst++) {
        const v = levels[src]!;
        out[dst] = v;
        if (v !== 0) count++;
      }
    }
  }
  const voxels = new Int32Array(count);
  const paddedPlane = px * py;
  let m = 0;
  for (let k = 0; k < pz; k++) {
    sliceStart[k] = m;
    const end = (k + 1) * paddedPlane;
    for (let idx = k * paddedPlane; idx < end; idx++) if (out[idx] !== 0) voxels[m++] = idx;
  }
  sliceStart[pz] = m;
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
 * import { linearOffset } from "@radlab/kernel";
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
 * import { paddedRoi, roiSlices } from "@radlab/kernel";
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
