import { readFileSync } from "node:fs";
import path from "node:path";
import { maskFromLabel } from "../../image/mask";
import { readNifti } from "../../image/nifti";
import { readNrrd } from "../../image/nrrd";
import type { Mask, Volume } from "../../image/volume";
import { PYRADIOMICS_DATA, RADIOMICS_DATA } from "../../test-support/reference-data";

/** The IBSI-2 digital phantoms (64 x 64 x 64 voxels of 2 mm, orientation 32 x 48 x 64). */
export type Ibsi2Phantom = "checkerboard" | "impulse" | "orientation" | "sphere" | "noise" | "empty";

/** An IBSI-2 phantom's image, from ../shared/data/radiomics/ibsi2-digital-phantom/nifti. */
export function ibsi2Phantom(name: Ibsi2Phantom): Promise<Volume> {
  return readNifti(path.join(RADIOMICS_DATA, `ibsi2-digital-phantom/nifti/${name}/image/${name}.nii.gz`));
}

/** pyradiomics' brain1 test case (256 x 256 x 25, 0.78 x 0.78 x 6.5 mm) and its label 1. */
export function brain1(): { image: Volume; mask: Mask } {
  return {
    image: readNrrd(path.join(PYRADIOMICS_DATA, "brain1_image.nrrd")),
    mask: maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, "brain1_label.nrrd")), 1),
  };
}

/** The document bench/radiomics_filters_reference.py writes. */
export interface PyradiomicsFiltersReference {
  readonly versions: Readonly<Record<string, string>>;
  readonly roiVoxels: number;
  /** pyradiomics image type name to first-order feature name (without `firstorder_`) to value. */
  readonly images: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly pywtSwt: {
    readonly signal: readonly number[];
    readonly wavelets: Readonly<
      Record<
        string,
        Readonly<Record<"level1" | "level2", { readonly a: readonly number[]; readonly d: readonly number[] }>>
      >
    >;
  };
}

function isReference(value: unknown): value is PyradiomicsFiltersReference {
  const v = value as Partial<PyradiomicsFiltersReference> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.roiVoxels === "number" &&
    typeof v.images === "object" &&
    typeof v.pywtSwt === "object" &&
    Array.isArray(v.pywtSwt?.signal)
  );
}

/** test-support/pyradiomics-filters-brain1.json (pyradiomics 3.0.1, SimpleITK 2.5.7, PyWavelets 1.9.0). */
export function pyradiomicsFiltersReference(): PyradiomicsFiltersReference {
  const value: unknown = JSON.parse(readFileSync(path.join(__dirname, "pyradiomics-filters-brain1.json"), "utf8"));
  if (!isReference(value)) throw new Error("pyradiomics-filters-brain1.json is not the bench script's document");
  return value;
}

/** The value at voxel (i, j, k). */
export function at(volume: Volume, i: number, j: number, k: number): number {
  return volume.data[i + volume.dims[0] * (j + volume.dims[1] * k)]!;
}

/** The largest |a - b| over two equally long arrays. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let worst = 0;
  for (let n = 0; n < a.length; n++) worst = Math.max(worst, Math.abs(a[n]! - b[n]!));
  return worst;
}

/** The sum of squares. */
export function energy(values: ArrayLike<number>): number {
  let sum = 0;
  for (let n = 0; n < values.length; n++) sum += values[n]! * values[n]!;
  return sum;
}
