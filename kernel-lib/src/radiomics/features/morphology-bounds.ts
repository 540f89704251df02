import { nonZeroBox, type IndexBox } from "../image/crop";
import type { Mask } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";

/**
 * The bounding box of a mask's voxels (inclusive bounds), for the shape features.
 *
 * @throws {@link RadiomicsError} `empty-roi` when the mask holds no voxel.
 *
 * @example
 * ```ts
 * const { min, max } = maskBounds(mask); // for example min [162, 84, 11], max [208, 153, 17]
 * ```
 */
export function maskBounds(mask: Mask): IndexBox {
  const box = nonZeroBox(mask.data, mask.dims);
  if (box === undefined) {
    throw new RadiomicsError("empty-roi", "The mask holds no voxel, so it has no surface or shape", {
      ...(mask.source === undefined ? {} : { file: mask.source }),
      hint: "Check the label value used to build the mask (maskFromLabel) and any re-segmentation range.",
    });
  }
  return box;
}
