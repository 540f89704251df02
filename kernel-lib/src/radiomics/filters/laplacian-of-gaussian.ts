import type { Volume } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";
import { checkBoundaryMode, type BoundaryMode } from "./boundary";
import { convolveAxis, responseVolume, type Kernel1D } from "./separable-convolution";

/** Options of {@link laplacianOfGaussian}. */
export interface LaplacianOfGaussianOptions {
  /** The Gaussian's standard deviation in mm (IBSI-2's sigma*). */
  readonly sigmaMm: number;
  /** Where the kernel is cut off, in standard deviations (IBSI-2's d): default 4. */
  readonly truncate?: number;
  readonly boundary: BoundaryMode;
}

/**
 * The sampled 1D Gaussian and its second derivative along one axis, in voxel units:
 * g(t) = exp(-t^2 / (2 s^2)) / (s sqrt(2 pi)) and g''(t) = (t^2 - s^2) / s^4 g(t) for
 * t = -R..R, with s = sigma in voxels and R = floor(truncate s + 0.5) (IBSI-2: M = 1 + 2R).
 */
export function gaussianKernels(sigmaVoxels: number, truncate: number): { gaussian: Kernel1D; second: Kernel1D } {
  const radius = Math.floor(truncate * sigmaVoxels + 0.5);
  const s2 = sigmaVoxels * sigmaVoxels;
  const norm = 1 / (sigmaVoxels * Math.sqrt(2 * Math.PI));
  const gaussian: number[] = [];
  const second: number[] = [];
  for (let t = -radius; t <= radius; t++) {
    const g = norm * Math.exp((-t * t) / (2 * s2));
    gaussian.push(g);
    second.push(((t * t - s2) / (s2 * s2)) * g);
  }
  return { gaussian: { weights: gaussian, origin: radius }, second: { weights: second, origin: radius } };
}

/**
 * IBSI-2's Laplacian-of-Gaussian filter (arXiv 2006.05470): a convolution with the sampled kernel
 *
 *   g(k) = -1 / s^2 * (1 / (s sqrt(2 pi)))^3 * (3 - |k|^2 / s^2) * exp(-|k|^2 / (2 s^2))
 *
 * where k is the offset in voxels, s = sigmaMm / spacing the standard deviation in voxels, and
 * the kernel is cut to M = 1 + 2 floor(d s + 0.5) voxels per axis (d = `truncate`). As in IBSI-2
 * and its reference implementation, the kernel is used as sampled: it is not rescaled to sum to
 * exactly 0 (sampled and cut at 4 s it sums to -2.9e-4 for s = 1.5 voxels, -2.2e-4 for 1, -1.8e-4
 * for 3, so a constant image c gives c times that rather than 0) nor multiplied by s^2 (no scale
 * normalisation; pyradiomics' LoG, {@link pyradiomicsLog}, is normalised). The response is
 * therefore in intensity units per voxel^2: on a grid of 1 mm voxels, per mm^2.
 *
 * The kernel is the sum over axes of g''(k_a) times g(k_b) g(k_c) (exactly the 3D formula above,
 * sampled), so it is computed in eight 1D passes. On an anisotropic grid each axis uses its own
 * s (sigmaMm / spacing along it) and its second derivative in its own voxel units; IBSI-2 filters
 * images resampled to isotropic voxels, where this is its kernel exactly.
 *
 * @param image - The image; not changed.
 * @returns The response map on the image's grid (`pixelType` float64).
 * @throws {@link RadiomicsError} `settings` for a sigma or truncation that is not positive, or an
 *   unknown boundary mode.
 *
 * @example
 * ```ts
 * import { laplacianOfGaussian, readNifti } from "@radlab/kernel";
 * const image = await readNifti("../shared/data/radiomics/ibsi2-digital-phantom/nifti/impulse/image/impulse.nii.gz");
 * const response = laplacianOfGaussian(image, { sigmaMm: 3, boundary: "zero" });
 * ```
 */
export function laplacianOfGaussian(image: Volume, options: LaplacianOfGaussianOptions): Volume {
  const { sigmaMm, truncate = 4, boundary } = options;
  if (!(sigmaMm > 0 && Number.isFinite(sigmaMm))) {
    throw new RadiomicsError("settings", `The LoG filter's sigma must be a positive number of mm, not ${sigmaMm}`, {
      path: "sigmaMm",
      hint: "IBSI-2 uses, for example, 1.5 or 3 mm.",
    });
  }
  if (!(truncate > 0 && Number.isFinite(truncate))) {
    throw new RadiomicsError(
      "settings",
      `The LoG filter's truncation must be a positive number of sigmas, not ${truncate}`,
      {
        path: "truncate",
        hint: "IBSI-2 cuts the kernel at 4 sigma.",
      },
    );
  }
  checkBoundaryMode(boundary);
  const { dims } = image;
  const k = image.spacing.map((s) => gaussianKernels(sigmaMm / s, truncate));
  const [kx, ky, kz] = [k[0]!, k[1]!, k[2]!];
  const pass = (data: Float64Array, axis: 0 | 1 | 2, kernel: Kernel1D) =>
    convolveAxis(data, dims, axis, kernel, boundary);
  const smoothX = pass(image.data, 0, kx.gaussian);
  const smoothXY = pass(smoothX, 1, ky.gaussian);
  const terms = [
    pass(pass(pass(image.data, 0, kx.second), 1, ky.gaussian), 2, kz.gaussian),
    pass(pass(smoothX, 1, ky.second), 2, kz.gaussian),
    pass(smoothXY, 2, kz.second),
  ];
  const out = new Float64Array(image.data.length);
  for (let n = 0; n < out.length; n++) out[n] = terms[0]![n]! + terms[1]![n]! + terms[2]![n]!;
  return responseVolume(image, out);
}
