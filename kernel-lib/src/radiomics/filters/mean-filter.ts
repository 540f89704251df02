import type { Volume } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";
import { checkBoundaryMode, type BoundaryMode } from "./boundary";
import { convolveAxis, responseVolume, type Kernel1D } from "./separable-convolution";

/** Options of {@link meanFilter}. */
export interface MeanFilterOptions {
  /** The support M in voxels along each axis (IBSI-2's M): an odd integer of at least 1. */
  readonly size: number;
  readonly boundary: BoundaryMode;
}

/**
 * IBSI-2's mean filter (arXiv 2006.05470): the mean of the M x M x M voxels centred on each voxel,
 * a convolution with a kernel whose M^3 elements are all 1 / M^3, computed as three passes of
 * 1 / M. Voxels beyond the image are read as `boundary` says (with `zero`, they count as 0 in the
 * mean, they are not left out).
 *
 * @param image - The image; not changed.
 * @returns The response map on the image's grid (`pixelType` float64).
 * @throws {@link RadiomicsError} `settings` for a support that is not a positive odd integer or an
 *   unknown boundary mode.
 *
 * @example
 * ```ts
 * import { meanFilter, readNifti } from "@radlab/kernel";
 * const image = await readNifti("../shared/data/radiomics/ibsi2-digital-phantom/nifti/checkerboard/image/checkerboard.nii.gz");
 * const response = meanFilter(image, { size: 15, boundary: "mirror" });
 * response.dims; // [64, 64, 64]
 * ```
 */
export function meanFilter(image: Volume, options: MeanFilterOptions): Volume {
  const { size, boundary } = options;
  if (!(Number.isInteger(size) && size >= 1 && size % 2 === 1)) {
    throw new RadiomicsError(
      "settings",
      `The mean filter's support must be a positive odd number of voxels, not ${size}`,
      {
        path: "size",
        hint: "IBSI-2 uses an odd support so that the kernel is centred on the voxel, for example 15.",
      },
    );
  }
  checkBoundaryMode(boundary);
  const kernel: Kernel1D = { weights: new Array<number>(size).fill(1 / size), origin: (size - 1) / 2 };
  let data = image.data;
  for (const axis of [0, 1, 2] as const) data = convolveAxis(data, image.dims, axis, kernel, boundary);
  return responseVolume(image, data);
}
