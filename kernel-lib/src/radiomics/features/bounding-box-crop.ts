import { boxDims, boxOfIndices, cropValues, nonZeroIndices, type IndexBox } from "../image/crop";
import type { Triple } from "../image/volume";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { RadiomicsError } from "../radiomics-error";

/** A copy of the voxels of an {@link IndexBox}, stored like a grid (i fastest). */
export interface CroppedGrid {
  readonly data: Int32Array;
  readonly dims: Triple;
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
 * import { discretise, readNrrd, maskFromLabel } from "@radlab/kernel";
 * import { cropRoiLevels } from "./bounding-box-crop";
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
): { readonly grid: CroppedGrid; readonly box: IndexBox; readonly voxelCount: number } {
  const indices = nonZeroIndices(roi.levels);
  const box = boxOfIndices(indices, roi.dims);
  if (box === undefined) {
    throw new RadiomicsError("empty-roi", `The ${family} needs at least one ROI voxel, but every grey level is 0`, {
      path: "roi.levels",
      hint: "Check the mask label and the re-segmentation range: together they left no voxel.",
    });
  }
  const grid = { data: cropValues(roi.levels, roi.dims, box, (n) => new Int32Array(n)), dims: boxDims(box) };
  return { grid, box, voxelCount: indices.length };
}

/**
 * The number of ROI voxels (non-zero grey levels) of each slice k.
 *
 * @example
 * ```ts
 * import { roiVoxelsPerSlice } from "./bounding-box-crop";
 * roiVoxelsPerSlice(Int32Array.from([1, 2, 0, 4]), [2, 1, 2]); // Int32Array [2, 1]
 * ```
 */
export function roiVoxelsPerSlice(levels: Int32Array, dims: Triple): Int32Array {
  const plane = dims[0] * dims[1];
  const out = new Int32Array(dims[2]);
  for (let n = 0; n < levels.length; n++) if (levels[n] !== 0) out[(n / plane) | 0]!++;
  return out;
}
