import path from "node:path";
import { maskFromLabel } from "../image/mask";
import { readNifti } from "../image/nifti";
import { readNrrd } from "../image/nrrd";
import { IDENTITY_DIRECTION, type Mask, type Triple, type Volume } from "../image/volume";
import { discretise, type DiscretisedRoi } from "../preprocess/discretise";
import { roiIntensities } from "../features/roi-intensities";
import { IBSI_PHANTOM, PYRADIOMICS_DATA } from "./reference-data";

/** A discretised ROI on a small grid of 1 mm voxels at the origin, 0 meaning outside. */
export function toyRoi(levels: readonly number[], dims: Triple, levelCount: number): DiscretisedRoi {
  return {
    dims,
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    levels: Int32Array.from(levels),
    levelCount,
    lowerEdge: 1,
    binWidth: 1,
  };
}

/** The IBSI-1 digital phantom's image and its ROI (label 1). */
export async function readIbsiPhantom(): Promise<{ image: Volume; mask: Mask }> {
  const image = await readNifti(IBSI_PHANTOM.image);
  const mask = maskFromLabel(await readNifti(IBSI_PHANTOM.mask), 1);
  return { image, mask };
}

/** The digital phantom's ROI as IBSI's texture references take it: its 6 integer grey levels as they are. */
export async function ibsiPhantomRoi(): Promise<DiscretisedRoi> {
  const { image, mask } = await readIbsiPhantom();
  return discretise(image, mask, { kind: "none", levels: 6 });
}

/** A pyradiomics test case (`brain1`, `breast1`): its image and its ROI (label 1). */
export function readPyradiomicsCase(testCase: string): { image: Volume; mask: Mask } {
  return {
    image: readNrrd(path.join(PYRADIOMICS_DATA, `${testCase}_image.nrrd`)),
    mask: maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, `${testCase}_label.nrrd`)), 1),
  };
}

/** A pyradiomics test case's ROI discretised as its baselines were: bin width 25. */
export function pyradiomicsRoi(testCase: string): DiscretisedRoi {
  const { image, mask } = readPyradiomicsCase(testCase);
  return discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth: 25 });
}

/** A line of 1 mm voxels (dims [n, 1, 1]) holding `values`, and a mask of `inside` (default: every voxel). */
export function lineVolume(values: readonly number[], inside?: readonly number[]): { image: Volume; mask: Mask } {
  const grid = {
    dims: [values.length, 1, 1] as const,
    spacing: [1, 1, 1] as const,
    origin: [0, 0, 0] as const,
    direction: IDENTITY_DIRECTION,
  };
  return {
    image: { ...grid, data: Float64Array.from(values) },
    mask: { ...grid, data: Uint8Array.from(inside ?? values.map(() => 1)) },
  };
}

/** The count, sum, mean, sum of squares, minimum and maximum of the intensities inside a mask. */
export function roiValueStatistics(
  image: Volume,
  mask: Mask,
): { count: number; sum: number; mean: number; squares: number; min: number; max: number } {
  const values = roiIntensities(image, mask);
  const sum = values.reduce((a, v) => a + v, 0);
  const squares = values.reduce((a, v) => a + v * v, 0);
  return {
    count: values.length,
    sum,
    mean: sum / values.length,
    squares,
    min: values.reduce((a, v) => Math.min(a, v), Infinity),
    max: values.reduce((a, v) => Math.max(a, v), -Infinity),
  };
}
