import { RadiomicsError } from "../radiomics-error";
import type { Kernel1D } from "./separable-convolution";

/** The orthogonal wavelets radlab carries, named as PyWavelets (and so pyradiomics) names them. */
export type WaveletName = "haar" | "db2" | "db3" | "db4" | "sym2" | "sym3" | "sym4" | "coif1" | "coif2";

/** A wavelet's decomposition filters, as PyWavelets' `Wavelet(name).dec_lo` and `.dec_hi`. */
export interface WaveletFilterBank {
  readonly name: WaveletName;
  /** The low-pass (scaling) filter: its taps sum to sqrt(2) and their squares to 1. */
  readonly decLo: readonly number[];
  /** The high-pass (wavelet) filter: hi[j] = (-1)^(j+1) lo[F-1-j]; its taps sum to 0. */
  readonly decHi: readonly number[];
}

// Copied digit for digit from PyWavelets 1.8 (`repr` of each tap), so that the doubles are PyWavelets'
// own: the stationary transform then agrees with pywt.swtn to rounding.
const BANKS: Readonly<Record<WaveletName, Omit<WaveletFilterBank, "name">>> = {
  haar: {
    decLo: [0.7071067811865476, 0.7071067811865476],
    decHi: [-0.7071067811865476, 0.7071067811865476],
  },
  db2: {
    decLo: [-0.12940952255126037, 0.2241438680420134, 0.8365163037378079, 0.48296291314453416],
    decHi: [-0.48296291314453416, 0.8365163037378079, -0.2241438680420134, -0.12940952255126037],
  },
  db3: {
    decLo: [
      0.03522629188570953, -0.08544127388202666, -0.13501102001025458, 0.45987750211849154, 0.8068915093110925,
      0.33267055295008263,
    ],
    decHi: [
      -0.33267055295008263, 0.8068915093110925, -0.45987750211849154, -0.13501102001025458, 0.08544127388202666,
      0.03522629188570953,
    ],
  },
  db4: {
    decLo: [
      -0.010597401785069032, 0.0328830116668852, 0.030841381835560764, -0.18703481171909309, -0.027983769416859854,
      0.6308807679298589, 0.7148465705529157, 0.2303778133088965,
    ],
    decHi: [
      -0.2303778133088965, 0.7148465705529157, -0.6308807679298589, -0.027983769416859854, 0.18703481171909309,
      0.030841381835560764, -0.0328830116668852, -0.010597401785069032,
    ],
  },
  sym2: {
    decLo: [-0.12940952255092145, 0.22414386804185735, 0.836516303737469, 0.48296291314469025],
    decHi: [-0.48296291314469025, 0.836516303737469, -0.22414386804185735, -0.12940952255092145],
  },
  sym3: {
    decLo: [
      0.035226291882100656, -0.08544127388224149, -0.13501102001039084, 0.4598775021193313, 0.8068915093133388,
      0.3326705529509569,
    ],
    decHi: [
      -0.3326705529509569, 0.8068915093133388, -0.4598775021193313, -0.13501102001039084, 0.08544127388224149,
      0.035226291882100656,
    ],
  },
  sym4: {
    decLo: [
      -0.07576571478927333, -0.02963552764599851, 0.49761866763201545, 0.8037387518059161, 0.29785779560527736,
      -0.09921954357684722, -0.012603967262037833, 0.0322231006040427,
    ],
    decHi: [
      -0.0322231006040427, -0.012603967262037833, 0.09921954357684722, 0.29785779560527736, -0.8037387518059161,
      0.49761866763201545, 0.02963552764599851, -0.07576571478927333,
    ],
  },
  coif1: {
    decLo: [
      -0.015655728135791993, -0.07273261951252645, 0.3848648468648578, 0.8525720202116004, 0.3378976624574818,
      -0.07273261951252645,
    ],
    decHi: [
      0.07273261951252645, 0.3378976624574818, -0.8525720202116004, 0.3848648468648578, 0.07273261951252645,
      -0.015655728135791993,
    ],
  },
  coif2: {
    decLo: [
      -0.000720549445520347, -0.0018232088709110323, 0.005611434819368834, 0.02368017194684777, -0.05943441864643109,
      -0.07648859907828076, 0.4170051844232391, 0.8127236354494135, 0.3861100668227629, -0.0673725547237256,
      -0.04146493678687178, 0.01638733646320364,
    ],
    decHi: [
      -0.01638733646320364, -0.04146493678687178, 0.0673725547237256, 0.3861100668227629, -0.8127236354494135,
      0.4170051844232391, 0.07648859907828076, -0.05943441864643109, -0.02368017194684777, 0.005611434819368834,
      0.0018232088709110323, -0.000720549445520347,
    ],
  },
};

/** Every {@link WaveletName}. */
export const WAVELET_NAMES: readonly WaveletName[] = Object.freeze(Object.keys(BANKS) as WaveletName[]);

/**
 * A wavelet's filter bank.
 *
 * @throws {@link RadiomicsError} `settings` for a wavelet radlab does not carry, listing those it does.
 *
 * @example
 * ```ts
 * import { waveletFilterBank } from "@radlab/kernel";
 * waveletFilterBank("coif1").decLo.length; // 6
 * ```
 */
export function waveletFilterBank(name: WaveletName): WaveletFilterBank {
  const bank = Object.hasOwn(BANKS, name) ? BANKS[name] : undefined;
  if (bank === undefined) {
    throw new RadiomicsError("settings", `Unknown wavelet ${JSON.stringify(name)}`, {
      path: "wavelet",
      hint: `Choose from ${WAVELET_NAMES.join(", ")} (PyWavelets' names; pyradiomics' default is coif1).`,
    });
  }
  return { name, ...bank };
}

/**
 * A decomposition filter as a {@link Kernel1D} with PyWavelets' and IBSI-2's alignment: the
 * response at n is `sum_j f[j] * x[n + F/2 - j]` for a filter of even length F (PyWavelets'
 * `swt`; IBSI-2's reference implementation appends a zero to make the filter odd and centres it,
 * which is the same).
 */
export function waveletKernel(taps: readonly number[]): Kernel1D {
  return { weights: taps, origin: Math.floor(taps.length / 2) };
}
