import { RadiomicsError } from "../radiomics-error";
import { voxelPosition, type Mask, type Triple, type Volume, type VoxelGrid } from "./volume";

/** The inclusive index ranges [min, max] along i, j, k of a mask's voxels. */
export interface IndexBox {
  readonly min: Triple;
  readonly max: Triple;
}

/**
 * The smallest index box holding every voxel of the mask.
 *
 * @throws {@link RadiomicsError} `empty-roi` when the mask has no voxel.
 */
export function maskBoundingBox(mask: Mask): IndexBox {
  const [nx, ny, nz] = mask.dims;
  const min = [nx, ny, nz];
  const max = [-1, -1, -1];
  let n = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, n++) {
        if (mask.data[n] === 0) continue;
        if (i < min[0]!) min[0] = i;
        if (i > max[0]!) max[0] = i;
        if (j < min[1]!) min[1] = j;
        if (j > max[1]!) max[1] = j;
        if (k < min[2]!) min[2] = k;
        if (k > max[2]!) max[2] = k;
      }
    }
  }
  if (max[0]! < 0) {
    throw new RadiomicsError("empty-roi", "The mask has no voxel", {
      ...(mask.source === undefined ? {} : { file: mask.source }),
      hint: "Check the mask's label value and that the mask belongs to this image.",
    });
  }
  return { min: min as unknown as Triple, max: max as unknown as Triple };
}

function cropGrid(grid: VoxelGrid, box: IndexBox): VoxelGrid {
  return {
    dims: [box.max[0] - box.min[0] + 1, box.max[1] - box.min[1] + 1, box.max[2] - box.min[2] + 1],
    spacing: grid.spacing,
    origin: voxelPosition(grid, box.min[0], box.min[1], box.min[2]),
    direction: grid.direction,
  };
}

function cropData<T extends Float64Array | Uint8Array>(
  data: T,
  dims: Triple,
  box: IndexBox,
  make: (n: number) => T,
): T {
  const [cx, cy, cz] = [box.max[0] - box.min[0] + 1, box.max[1] - box.min[1] + 1, box.max[2] - box.min[2] + 1];
  const out = make(cx * cy * cz);
  let o = 0;
  for (let k = 0; k < cz; k++) {
    for (let j = 0; j < cy; j++) {
      const start = box.min[0] + dims[0] * (box.min[1] + j + dims[1] * (box.min[2] + k));
      out.set(data.subarray(start, start + cx), o);
      o += cx;
    }
  }
  return out;
}

/**
 * Crops an image and its mask to the mask's bounding box widened by `padding` voxels per axis
 * (clipped at the image's edges). Every feature is computed on the crop: it is the same voxels,
 * positions and neighbours (the padding keeps what neighbourhood features such as the local
 * intensity peak read outside the ROI), in a fraction of the memory.
 *
 * @example
 * ```ts
 * import { cropToMask, maskFromLabel, readNrrd } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"));
 * const crop = cropToMask(image, mask, [1, 1, 1]);
 * crop.image.dims; // [49, 72, 9]
 * ```
 */
export function cropToMask(
  image: Volume,
  mask: Mask,
  padding: Triple = [0, 0, 0],
): { image: Volume; mask: Mask; box: IndexBox } {
  const roi = maskBoundingBox(mask);
  const box: IndexBox = {
    min: [0, 1, 2].map((a) => Math.max(0, roi.min[a]! - padding[a]!)) as unknown as Triple,
    max: [0, 1, 2].map((a) => Math.min(image.dims[a]! - 1, roi.max[a]! + padding[a]!)) as unknown as Triple,
  };
  const grid = cropGrid(image, box);
  return {
    image: {
      ...grid,
      data: cropData(image.data, image.dims, box, (n) => new Float64Array(n)),
      ...(image.source === undefined ? {} : { source: image.source }),
    },
    mask: {
      ...grid,
      data: cropData(mask.data, mask.dims, box, (n) => new Uint8Array(n)),
      ...(mask.source === undefined ? {} : { source: mask.source }),
    },
    box,
  };
}
