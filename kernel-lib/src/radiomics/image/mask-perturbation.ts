import { RadiomicsError } from "../radiomics-error";
import type { Mask, Triple } from "./volume";

/** How to perturb a mask: grow or shrink it, and move it, in whole voxels. */
export interface MaskPerturbation {
  /** Voxels to grow (> 0, dilation) or shrink (< 0, erosion) by, 6-connected (face neighbours). */
  readonly grow?: number;
  /** Voxels to move the mask by along i, j, k (voxels moved outside the grid are lost). */
  readonly shift?: Triple;
}

function step(mask: Uint8Array, dims: Triple, dilate: boolean): Uint8Array {
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const out = new Uint8Array(mask.length);
  // Outside the grid counts as background, so erosion peels the grid's edge too.
  const value = (i: number, j: number, k: number): number =>
    i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz ? 0 : mask[i + nx * j + plane * k]!;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const n = i + nx * j + plane * k;
        const any =
          value(i - 1, j, k) |
          value(i + 1, j, k) |
          value(i, j - 1, k) |
          value(i, j + 1, k) |
          value(i, j, k - 1) |
          value(i, j, k + 1);
        const all =
          value(i - 1, j, k) &
          value(i + 1, j, k) &
          value(i, j - 1, k) &
          value(i, j + 1, k) &
          value(i, j, k - 1) &
          value(i, j, k + 1);
        out[n] = dilate ? mask[n]! | any : mask[n]! & all;
      }
    }
  }
  return out;
}

/**
 * A perturbed copy of a mask, for testing how robust features are to segmentation (IBSI and
 * Zwanenburg et al. 2019 perturb ROIs by growing, shrinking and moving them): features whose
 * values change more between perturbations than between patients are not worth modelling.
 *
 * @throws {@link RadiomicsError} `settings` for non-integer amounts; `empty-roi` when shrinking
 *   or moving leaves nothing.
 *
 * @example
 * ```ts
 * import { perturbMask } from "@radlab/kernel";
 * const larger = perturbMask(mask, { grow: 1 });
 * const moved = perturbMask(mask, { shift: [1, 0, 0] });
 * ```
 */
export function perturbMask(mask: Mask, perturbation: MaskPerturbation): Mask {
  const grow = perturbation.grow ?? 0;
  const shift = perturbation.shift ?? [0, 0, 0];
  if (!Number.isInteger(grow) || shift.some((s) => !Number.isInteger(s))) {
    throw new RadiomicsError(
      "settings",
      `Mask perturbations are whole voxels; got grow ${grow}, shift [${shift.join(", ")}]`,
      {
        path: "perturbation",
        hint: "Use integers, for example { grow: -1 } or { shift: [1, 0, 0] }.",
      },
    );
  }
  let data = Uint8Array.from(mask.data, (v) => (v !== 0 ? 1 : 0));
  for (let n = 0; n < Math.abs(grow); n++) data = step(data, mask.dims, grow > 0);
  if (shift.some((s) => s !== 0)) {
    const [nx, ny, nz] = mask.dims;
    const moved = new Uint8Array(data.length);
    for (let k = 0; k < nz; k++) {
      const c = k + shift[2];
      if (c < 0 || c >= nz) continue;
      for (let j = 0; j < ny; j++) {
        const b = j + shift[1];
        if (b < 0 || b >= ny) continue;
        for (let i = 0; i < nx; i++) {
          const a = i + shift[0];
          if (a < 0 || a >= nx) continue;
          moved[a + nx * (b + ny * c)] = data[i + nx * (j + ny * k)]!;
        }
      }
    }
    data = moved;
  }
  if (!data.some((v) => v !== 0)) {
    throw new RadiomicsError(
      "empty-roi",
      `Perturbing the mask (grow ${grow}, shift [${shift.join(", ")}]) leaves no voxel`,
      {
        ...(mask.source === undefined ? {} : { file: mask.source }),
        hint: "Shrink less: the ROI is too thin for this erosion.",
      },
    );
  }
  return { ...mask, data };
}
