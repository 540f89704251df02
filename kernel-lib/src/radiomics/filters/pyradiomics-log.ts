import type { Volume } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";
import { recursiveGaussianAxis, recursiveGaussianCoefficients } from "./recursive-gaussian";
import { responseVolume } from "./separable-convolution";

/**
 * Python's `str()` of a float (`3.0`, `0.5`, `1e-05`), which pyradiomics writes into image names.
 */
function pythonFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  const abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e16) return String(value);
  // Python writes exponents with a sign and at least two digits (1e-05, 1.5e+16).
  const [mantissa, exponent] = value.toExponential().split("e") as [string, string];
  const sign = exponent.startsWith("-") ? "-" : "+";
  return `${mantissa}e${sign}${exponent.replace(/^[+-]/, "").padStart(2, "0")}`;
}

/**
 * pyradiomics' name of a LoG image, `log-sigma-<sigma>-mm-3D` with the sigma written by Python's
 * `str()` and its point replaced by `-`: `log-sigma-3-0-mm-3D` for sigma 3.0. (A parameter file
 * that gives an integer sigma, `sigma: [3]`, makes pyradiomics write `log-sigma-3-mm-3D`; radlab
 * assumes floats, as pyradiomics' example parameter files write them.)
 *
 * @example
 * ```ts
 * import { pyradiomicsLogName } from "@radlab/kernel";
 * pyradiomicsLogName(1.5); // "log-sigma-1-5-mm-3D"
 * ```
 */
export function pyradiomicsLogName(sigmaMm: number): string {
  return `log-sigma-${pythonFloat(sigmaMm).replace(".", "-")}-mm-3D`;
}

/**
 * pyradiomics' LoG image type (`imageoperations.getLoGImage`): SimpleITK's
 * `LaplacianRecursiveGaussianImageFilter` with `SetNormalizeAcrossScale(True)` and sigma in mm,
 * reproduced operation for operation (ITK 5.4's code, as in SimpleITK 2.5):
 * for each axis a, the recursive second-derivative Gaussian along a, then the recursive Gaussian
 * along the other axes in increasing order, each pass's result rounded to float32; the three
 * terms are added up as ITK does, `sum = float32(sum + term * (1 / spacing_a^2))`. With
 * normalisation across scale the second-derivative filter is multiplied by sigma^2 (mm), so the
 * result is sigma^2 times the Laplacian in mm^-2: a scale-normalised LoG, in the image's units.
 *
 * The recursive filters (Deriche's fourth-order approximation of the Gaussian and its second
 * derivative) are not IBSI-2's sampled, truncated kernel ({@link laplacianOfGaussian}): they
 * are infinite, and at the image's edges they continue the edge voxel's value to infinity (IBSI-2's
 * `nearest` padding); on IBSI-2's sphere phantom the two differ by about 1.5% of the largest
 * response once this one is divided by (sigma in voxels)^2. On pyradiomics' brain1 this reproduces
 * SimpleITK's float32 image bit for bit at sigma 1 and 3 mm, and at 2 mm but for 3 of its 1.6
 * million voxels, one float32 step apart (sines, cosines and exponentials of the coefficients
 * rounded differently by V8 and the C library).
 *
 * pyradiomics filters the whole image as loaded (after `normalize`), or, when it resamples
 * (`resampledPixelSpacing`) or `preCrop` is set, the image cropped to the ROI's bounding box plus
 * `padDistance` voxels (default 5); the recursive filter's edge handling then reads that crop's
 * edge. Features are computed on the LoG image cropped to the ROI's bounding box.
 *
 * @param image - The image, as pyradiomics would filter it; not changed.
 * @param sigmaMm - pyradiomics' `sigma` (mm).
 * @returns The LoG image (`pixelType` float32, the values float32 as SimpleITK's).
 * @throws {@link RadiomicsError} `settings` for a sigma that is not positive; `input` for an image
 *   smaller than 4 voxels along an axis or than sigma / spacing + 1 (pyradiomics skips these
 *   with a warning, yielding no image).
 *
 * @example
 * ```ts
 * import { pyradiomicsLog, pyradiomicsLogName, readNrrd } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const log = pyradiomicsLog(image, 3); // pyradiomics' image "log-sigma-3-0-mm-3D"
 * pyradiomicsLogName(3); // "log-sigma-3-0-mm-3D"
 * ```
 */
export function pyradiomicsLog(image: Volume, sigmaMm: number): Volume {
  if (!(sigmaMm > 0 && Number.isFinite(sigmaMm))) {
    throw new RadiomicsError("settings", `The LoG sigma must be a positive number of mm, not ${sigmaMm}`, {
      path: "sigma",
      hint: "pyradiomics skips a sigma that is not positive; use for example 1, 2 or 3 mm.",
    });
  }
  const { dims, spacing } = image;
  if (Math.min(...dims) < 4) {
    throw new RadiomicsError("input", `The image (${dims.join(" x ")}) is too small for pyradiomics' LoG filter`, {
      path: "dims",
      hint: "pyradiomics needs at least 4 voxels along each axis and yields no LoG image otherwise.",
    });
  }
  const fits = dims.every((n, a) => n >= Math.ceil(sigmaMm / spacing[a]!) + 1);
  if (!fits) {
    throw new RadiomicsError(
      "input",
      `sigma ${sigmaMm} mm is too large for the image: pyradiomics needs size >= ceil(sigma / spacing) + 1 along every axis (size ${dims.join(" x ")}, spacing ${spacing.join(" x ")} mm)`,
      { path: "sigma", hint: "Use a smaller sigma; pyradiomics skips this one with a warning." },
    );
  }
  const sum = new Float64Array(image.data.length);
  for (const axis of [0, 1, 2] as const) {
    let term = recursiveGaussianAxis(
      image.data,
      dims,
      axis,
      recursiveGaussianCoefficients(sigmaMm, spacing[axis]!, 2, true),
    );
    for (const other of [0, 1, 2] as const) {
      if (other === axis) continue;
      term = recursiveGaussianAxis(term, dims, other, recursiveGaussianCoefficients(sigmaMm, spacing[other]!, 0, true));
    }
    const scale = 1.0 / (spacing[axis]! * spacing[axis]!);
    for (let v = 0; v < sum.length; v++) sum[v] = Math.fround(sum[v]! + term[v]! * scale);
  }
  return responseVolume(image, sum, "float32");
}
