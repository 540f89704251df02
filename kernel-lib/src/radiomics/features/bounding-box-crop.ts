import type { Triple } from "../image/volume";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { RadiomicsError } from "../radiomics-error";

/** An axis-aligned box of voxels, from `lo` to `hi` inclusive along i, j, k. */
export interface VoxelBox {
  readonly lo: Triple;
  readonly hi: Triple;
}

/** A copy of the voxels of a {@link VoxelBox}, stored like a grid (i fastest). */
export interface CroppedGrid {
  readonly data: Int32Array;
  readonly dims: Triple;
}

/**
 * The smallest box that holds every non-zero voxel of `data`, or `undefined` when all are zero.
 *
 * Texture matrices only look at ROI voxels and their neighbours, so they work on this box rather
 * than on the whole image (brain1: 47 x 70 x 7 voxels instead of 256 x 256 x 25).
 *
 * @example
 * ```ts
 * import { nonZeroBox } from "@radlab/kernel";
 * nonZeroBox(Int32Array.from([0, 0, 3, 0, 2, 0]), [3, 2, 1]);
 * // { lo: [1, 0, 0], hi: [2, 1, 0] }
 * ```
 */
export function nonZeroBox(data: ArrayLike<number>, dims: Triple): VoxelBox | undefined {
  const [nx, ny, nz] = dims;
  let x0 = nx;
  let y0 = ny;
  let z0 = nz;
  let x1 = -1;
  let y1 = -1;
  let z1 = -1;
  let n = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, n++) {
        if (data[n] === 0) continue;
        if (i < x0) x0 = i;
        if (i > x1) x1 = i;
        if (j < y0) y0 = j;
        if (j > y1) y1 = j;
        if (k < z0) z0 = k;
        z1 = k;
      }
    }
  }
  if (x1 < 0) return undefined;
  return { lo: [x0, y0, z0], hi: [x1, y1, z1] };
}

/**
 * Copies the voxels of `box` out of a grid, as 32-bit integers.
 *
 * @example
 * ```ts
 * import { cropToBox } from "@radlab/kernel";
 * cropToBox(Int32Array.from([0, 0, 3, 0, 2, 0]), [3, 2, 1], { lo: [1, 0, 0], hi: [2, 1, 0] });
 * // { data: Int32Array [0, 3, 2, 0], dims: [2, 2, 1] }
 * ```
 */
export function cropToBox(data: ArrayLike<number>, dims: Triple, box: VoxelBox): CroppedGrid {
  const [nx, ny] = dims;
  const cx = box.hi[0] - box.lo[0] + 1;
  const cy = box.hi[1] - box.lo[1] + 1;
  const cz = box.hi[2] - box.lo[2] + 1;
  const out = new Int32Array(cx * cy * cz);
  let m = 0;
  for (let k = box.lo[2]; k <= box.hi[2]; k++) {
    for (let j = box.lo[1]; j <= box.hi[1]; j++) {
      let n = box.lo[0] + nx * (j + ny * k);
      for (let i = 0; i < cx; i++) out[m++] = data[n++]!;
    }
  }
  return { data: out, dims: [cx, cy, cz] };
}

/**
 * The grey levels of a discretised ROI cropped to the ROI's bounding box, with the number of ROI
 * voxels: the input of every texture matrix.
 *
 * @param family - the feature family asking, named in the error (for example `GLSZM`).
 * @throws {@link RadiomicsError} `empty-roi` when no voxel has a grey level.
 *
 * @example
 * ```ts
 * import { cropRoiLevels, discretise, readNrrd, maskFromLabel } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"), 1);
 * const roi = discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth: 25 });
 * const { grid, voxelCount } = cropRoiLevels(roi, "GLSZM");
 * grid.dims; // [47, 70, 7]
 * voxelCount; // 4137
 * ```
 */
export function cropRoiLevels(
  roi: DiscretisedRoi,
  family: string,
): { readonly grid: CroppedGrid; readonly box: VoxelBox; readonly voxelCount: number } {
  const box = nonZeroBox(roi.levels, roi.dims);
  if (box === undefined) {
    throw new RadiomicsError("empty-roi", `The ${family} needs at least one ROI voxel, but every grey level is 0`, {
      path: "roi.levels",
      hint: "Check the mask label and the re-segmentation range: together they left no voxel.",
    });
  }
  const grid = cropToBox(roi.levels, roi.dims, box);
  let voxelCount = 0;
  for (let n = 0; n < grid.data.length; n++) if (grid.data[n] !== 0) voxelCount++;
  return { grid, box, voxelCount };
}

/**
 * The number of ROI voxels (non-zero grey levels) of each slice k.
 *
 * @example
 * ```ts
 * import { roiVoxelsPerSlice } from "@radlab/kernel";
 * roiVoxelsPerSlice(Int32Array.from([1, 2, 0, 4]), [2, 1, 2]); // Int32Array [2, 1]
 * ```
 */
export function roiVoxelsPerSlice(levels: Int32Array, dims: Triple): Int32Array {
  const plane = dims[0] * dims[1];
  const out = new Int32Array(dims[2]);
  for (let n = 0; n < levels.length; n++) if (levels[n] !== 0) out[(n / plane) | 0]!++;
  return out;
}
