import { RadiomicsError } from "../radiomics-error";
import type { Mask, Triple } from "../image/volume";

/** The smallest box of voxel indices holding every voxel of a mask (inclusive bounds). */
export interface MaskBounds {
  readonly min: Triple;
  readonly max: Triple;
}

/**
 * The bounding box of a mask's voxels.
 *
 * @throws {@link RadiomicsError} `empty-roi` when the mask holds no voxel.
 *
 * @example
 * ```ts
 * const { min, max } = maskBounds(mask); // for example min [162, 84, 11], max [208, 153, 17]
 * ```
 */
export function maskBounds(mask: Mask): MaskBounds {
  const [nx, ny] = mask.dims;
  const plane = nx * ny;
  const data = mask.data;
  let x0 = Infinity;
  let y0 = Infinity;
  let z0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  let z1 = -1;
  const visit = (n: number): void => {
    const k = Math.floor(n / plane);
    const r = n - k * plane;
    const j = Math.floor(r / nx);
    const i = r - j * nx;
    if (i < x0) x0 = i;
    if (i > x1) x1 = i;
    if (j < y0) y0 = j;
    if (j > y1) y1 = j;
    if (k < z0) z0 = k;
    if (k > z1) z1 = k;
  };
  // Scan 32 bits at a time (ROIs are sparse); bytes before and after the aligned words one by one.
  const head = Math.min(data.length, (4 - (data.byteOffset % 4)) % 4);
  const words = Math.floor((data.length - head) / 4);
  for (let n = 0; n < head; n++) if (data[n] !== 0) visit(n);
  const view = new Uint32Array(data.buffer, data.byteOffset + head, words);
  for (let w = 0; w < words; w++) {
    if (view[w] === 0) continue;
    const base = head + 4 * w;
    for (let n = base; n < base + 4; n++) if (data[n] !== 0) visit(n);
  }
  for (let n = head + 4 * words; n < data.length; n++) if (data[n] !== 0) visit(n);
  if (x1 < 0) {
    throw new RadiomicsError("empty-roi", "The mask holds no voxel, so it has no surface or shape", {
      ...(mask.source === undefined ? {} : { file: mask.source }),
      hint: "Check the label value used to build the mask (maskFromLabel) and any re-segmentation range.",
    });
  }
  return { min: [x0, y0, z0], max: [x1, y1, z1] };
}
