import { RadiomicsError } from "../radiomics-error";
import { gridOf, type Mask, type Volume } from "./volume";

/**
 * The voxels of a label image equal to `label`, as a {@link Mask} on the same grid.
 *
 * @throws {@link RadiomicsError} `empty-roi` naming the labels the image does hold.
 *
 * @example
 * ```ts
 * import { maskFromLabel, readNrrd } from "@radlab/kernel";
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"), 1);
 * ```
 */
export function maskFromLabel(labels: Volume, label = 1): Mask {
  const data = new Uint8Array(labels.data.length);
  let count = 0;
  for (let n = 0; n < data.length; n++) {
    if (labels.data[n] === label) {
      data[n] = 1;
      count++;
    }
  }
  if (count === 0) {
    const present = [...new Set(labels.data)].sort((a, b) => a - b).slice(0, 20);
    throw new RadiomicsError("empty-roi", `No voxel has label ${label}; the label image holds ${present.join(", ")}`, {
      ...(labels.source === undefined ? {} : { file: labels.source }),
      hint: `Pick one of the labels present (${present.filter((v) => v !== 0).join(", ") || "none besides 0"}).`,
    });
  }
  return {
    ...gridOf(labels),
    data,
    ...(labels.source === undefined ? {} : { source: labels.source }),
  };
}
