import { nonZeroIndices } from "../image/crop";
import { assertSameGrid, type Mask, type Volume } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";

/**
 * The intensities of the voxels inside a mask (IBSI's set X_gl, pyradiomics' `targetVoxelArray`),
 * in storage order, as a new array.
 *
 * First-order features need only these values, so they are gathered in one pass over the mask and
 * nothing else of the volume is touched (no copy of the image, no per-voxel objects).
 *
 * @param image - The image (intensities in modality units).
 * @param mask - The ROI intensity mask on the same grid (non-zero is inside).
 * @returns The intensities inside the mask; never empty.
 * @throws {@link RadiomicsError} `geometry` when image and mask are not on one grid, `empty-roi` when
 *   the mask holds no voxel, `input` when a voxel inside the mask holds NaN or an infinite value.
 *
 * @example
 * ```ts
 * import { maskFromLabel, readNrrd } from "@radlab/kernel";
 * import { roiIntensities } from "./roi-intensities";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"), 1);
 * roiIntensities(image, mask).length; // 4137
 * ```
 */
export function roiIntensities(image: Volume, mask: Mask): Float64Array {
  assertSameGrid(image, mask);
  const indices = roiVoxelIndices(mask);
  const values = new Float64Array(indices.length);
  const data = image.data;
  for (let m = 0; m < indices.length; m++) {
    const n = indices[m]!;
    const v = data[n]!;
    if (!Number.isFinite(v)) {
      throw new RadiomicsError("input", `Voxel ${n} inside the mask holds ${v}, which is not a finite intensity`, {
        ...(image.source === undefined ? {} : { file: image.source }),
        path: `data[${n}]`,
        hint: "Replace missing values (NaN) before feature extraction, or exclude those voxels from the mask.",
      });
    }
    values[m] = v;
  }
  return values;
}

/**
 * The storage indices of the voxels inside a mask, ascending ({@link nonZeroIndices} of its data).
 *
 * @throws {@link RadiomicsError} `empty-roi` when the mask holds no voxel.
 *
 * @example
 * ```ts
 * import { IDENTITY_DIRECTION } from "@radlab/kernel";
 * import { roiVoxelIndices } from "./roi-intensities";
 * const mask = { dims: [4, 1, 1] as const, spacing: [1, 1, 1] as const, origin: [0, 0, 0] as const,
 *   direction: IDENTITY_DIRECTION, data: Uint8Array.of(0, 1, 0, 1) };
 * roiVoxelIndices(mask); // Int32Array [1, 3]
 * ```
 */
export function roiVoxelIndices(mask: Mask): Int32Array {
  const indices = nonZeroIndices(mask.data);
  if (indices.length === 0) {
    throw new RadiomicsError("empty-roi", "The intensity mask holds no voxel, so there is no intensity to describe", {
      ...(mask.source === undefined ? {} : { file: mask.source }),
      hint: "Check the mask label and any re-segmentation range: together they left no voxel.",
    });
  }
  return indices;
}
