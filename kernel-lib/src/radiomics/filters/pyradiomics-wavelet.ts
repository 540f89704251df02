import type { Triple, Volume } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";
import { convolveAxis, responseVolume } from "./separable-convolution";
import { WAVELET_SUB_BANDS, type WaveletSubBand } from "./wavelet-decomposition";
import { waveletFilterBank, waveletKernel, type WaveletName } from "./wavelet-filters";

/** Options of {@link pyradiomicsWavelet}, named as pyradiomics' `Wavelet` image type settings. */
export interface PyradiomicsWaveletOptions {
  /** pyradiomics' `wavelet` (default `coif1`). */
  readonly wavelet?: WaveletName;
  /** pyradiomics' `start_level` (default 0): approximations computed and discarded first. */
  readonly startLevel?: number;
  /** pyradiomics' `level` (default 1): the number of decompositions returned. */
  readonly level?: number;
}

/**
 * pyradiomics' name of a wavelet image: `wavelet-HLH` for the first decomposition returned,
 * `wavelet2-HLH` for the second and so on (pyradiomics counts the decompositions it returns, not
 * `start_level`).
 */
export function pyradiomicsWaveletName(decomposition: number, subBand: WaveletSubBand): string {
  return decomposition === 1 ? `wavelet-${subBand}` : `wavelet${decomposition}-${subBand}`;
}

/**
 * pyradiomics' wavelet image type (`imageoperations.getWaveletImage` and `_swt3`, pyradiomics
 * 3.0.1, unchanged on its master branch), reproduced step by step:
 * 1. each axis of odd length is padded with one voxel at its end, a copy of its first voxel
 *    (`numpy.pad(..., 'wrap')`): only to even length, whatever `level` is;
 * 2. `start_level` times, then `level` times, `pywt.swtn(data, wavelet, level=1, start_level=0,
 *    axes=(2, 1, 0))` on the padded array: one undecimated level with periodic boundary and the
 *    undilated filters every time (pyradiomics passes `start_level=0`, so its second
 *    decomposition is not the à trous level 2 of {@link waveletTransform}: the filters are not
 *    dilated), each time continuing from the LLL approximation;
 * 3. each returned sub-band is cropped back to the image's size.
 * Sub-band letters are in i, j, k order, as pyradiomics' (which passes numpy's axes (2, 1, 0)).
 * Values are float64, as PyWavelets computes them.
 *
 * Which voxels pyradiomics filters: the whole image as loaded (after `normalize`), unless it was
 * resampled (`resampledPixelSpacing`: then the image cropped to the ROI's bounding box plus
 * `padDistance` voxels, default 5) or `preCrop` is set (cropped likewise). Features are then
 * computed on each sub-band cropped to the ROI's bounding box.
 *
 * @param image - The image, as pyradiomics would filter it; not changed.
 * @returns pyradiomics' images by name, in the order pyradiomics yields them: for each
 *   decomposition the seven detail sub-bands (`wavelet-LLH`, `wavelet-LHL`, `wavelet-LHH`,
 *   `wavelet-HLL`, `wavelet-HLH`, `wavelet-HHL`, `wavelet-HHH`), then the last decomposition's
 *   approximation (`wavelet-LLL`, or `wavelet<level>-LLL`).
 * @throws {@link RadiomicsError} `settings` for an unknown wavelet or levels that are not
 *   non-negative (`startLevel`) or positive (`level`) integers.
 *
 * @example
 * ```ts
 * import { pyradiomicsWavelet, readNrrd } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const images = pyradiomicsWavelet(image);
 * [...images.keys()]; // ["wavelet-LLH", "wavelet-LHL", ..., "wavelet-HHH", "wavelet-LLL"]
 * ```
 */
export function pyradiomicsWavelet(
  image: Volume,
  options: PyradiomicsWaveletOptions = {},
): ReadonlyMap<string, Volume> {
  const { wavelet = "coif1", startLevel = 0, level = 1 } = options;
  const bank = waveletFilterBank(wavelet);
  if (!(Number.isInteger(startLevel) && startLevel >= 0)) {
    throw new RadiomicsError("settings", `start_level must be a non-negative integer, not ${startLevel}`, {
      path: "startLevel",
      hint: "pyradiomics' default is 0.",
    });
  }
  if (!(Number.isInteger(level) && level >= 1)) {
    throw new RadiomicsError("settings", `level must be a positive integer, not ${level}`, {
      path: "level",
      hint: "pyradiomics' default is 1.",
    });
  }
  const dims = image.dims;
  const padded = dims.map((n) => n + (n % 2)) as unknown as Triple;
  const lo = waveletKernel(bank.decLo);
  const hi = waveletKernel(bank.decHi);
  let data = padWrap(image.data, dims, padded);
  const out = new Map<string, Volume>();
  for (let step = 0; step < startLevel + level; step++) {
    // pywt.swtn transforms axes (2, 1, 0) of the [k, j, i] array in that order: i, then j, then k.
    const bands = new Map<string, Float64Array>([["", data]]);
    for (const axis of [0, 1, 2] as const) {
      for (const [name, x] of [...bands]) {
        bands.delete(name);
        bands.set(`${name}L`, convolveAxis(x, padded, axis, lo, "periodic"));
        bands.set(`${name}H`, convolveAxis(x, padded, axis, hi, "periodic"));
      }
    }
    data = bands.get("LLL")!;
    if (step < startLevel) continue;
    const decomposition = step - startLevel + 1;
    for (const band of WAVELET_SUB_BANDS) {
      if (band === "LLL") continue;
      out.set(pyradiomicsWaveletName(decomposition, band), responseVolume(image, crop(bands.get(band)!, padded, dims)));
    }
  }
  out.set(pyradiomicsWaveletName(level, "LLL"), responseVolume(image, crop(data, padded, dims)));
  return out;
}

function padWrap(data: Float64Array, dims: Triple, padded: Triple): Float64Array {
  const out = new Float64Array(padded[0] * padded[1] * padded[2]);
  let n = 0;
  for (let k = 0; k < padded[2]; k++) {
    const kk = k % dims[2];
    for (let j = 0; j < padded[1]; j++) {
      const row = (j % dims[1]) * dims[0] + kk * dims[0] * dims[1];
      for (let i = 0; i < padded[0]; i++) out[n++] = data[row + (i % dims[0])]!;
    }
  }
  return out;
}

function crop(data: Float64Array, padded: Triple, dims: Triple): Float64Array {
  if (padded[0] === dims[0] && padded[1] === dims[1] && padded[2] === dims[2]) return data;
  const out = new Float64Array(dims[0] * dims[1] * dims[2]);
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++) {
      const row = (k * padded[1] + j) * padded[0];
      out.set(data.subarray(row, row + dims[0]), (k * dims[1] + j) * dims[0]);
    }
  return out;
}
