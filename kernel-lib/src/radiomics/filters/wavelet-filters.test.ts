import { describe, expect, it } from "vitest";
import { IDENTITY_DIRECTION, type Volume } from "../image/volume";
import { thrown } from "../test-support/thrown";
import { maxDifference, pyradiomicsFiltersReference } from "./test-support/filter-references";
import { waveletTransform } from "./wavelet-decomposition";
import { WAVELET_NAMES, waveletFilterBank, waveletKernel, type WaveletName } from "./wavelet-filters";

describe("wavelet filter banks", () => {
  it("are orthonormal quadrature mirror pairs", () => {
    for (const name of WAVELET_NAMES) {
      const { decLo: lo, decHi: hi } = waveletFilterBank(name);
      const F = lo.length;
      expect(hi.length).toBe(F);
      expect(
        lo.reduce((a, b) => a + b, 0),
        name,
      ).toBeCloseTo(Math.SQRT2, 11);
      expect(
        hi.reduce((a, b) => a + b, 0),
        name,
      ).toBeCloseTo(0, 11);
      hi.forEach((h, j) => expect(h, `${name} hi[${j}]`).toBe((j % 2 === 0 ? -1 : 1) * lo[F - 1 - j]!));
      // Orthonormal to their even shifts (symlets are tabulated to about 1e-11 in PyWavelets).
      for (let m = 0; 2 * m < F; m++) {
        const dot = lo.slice(0, F - 2 * m).reduce((s, v, j) => s + v * lo[j + 2 * m]!, 0);
        expect(dot, `${name} shift ${2 * m}`).toBeCloseTo(m === 0 ? 1 : 0, 10);
      }
    }
  });

  it("have PyWavelets' lengths and alignment", () => {
    const lengths = WAVELET_NAMES.map((n) => waveletFilterBank(n).decLo.length);
    expect(Object.fromEntries(WAVELET_NAMES.map((n, i) => [n, lengths[i]]))).toEqual({
      haar: 2,
      db2: 4,
      db3: 6,
      db4: 8,
      sym2: 4,
      sym3: 6,
      sym4: 8,
      coif1: 6,
      coif2: 12,
    });
    expect(waveletKernel(waveletFilterBank("coif1").decLo).origin).toBe(3);
  });

  it("refuses a wavelet radlab does not carry", () => {
    const error = thrown(() => waveletFilterBank("bior1.3" as WaveletName));
    expect(error.code).toBe("settings");
    expect(error.evidence.path).toBe("wavelet");
    expect(error.hint).toBe(
      "Choose from haar, db2, db3, db4, sym2, sym3, sym4, coif1, coif2 (PyWavelets' names; pyradiomics' default is coif1).",
    );
    expect(() => waveletFilterBank("toString" as WaveletName)).toThrow(/Unknown wavelet "toString"/);
  });
});

describe("the stationary transform against PyWavelets' pywt.swt", () => {
  // A signal along i only: each length-1 axis multiplies by sum(lo) = sqrt(2) per level, so the
  // level-l sub-bands LLL and HLL are 2^l times pywt.swt's approximation and detail at level l.
  const reference = pyradiomicsFiltersReference().pywtSwt;
  const signal: Volume = {
    dims: [reference.signal.length, 1, 1],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: IDENTITY_DIRECTION,
    data: Float64Array.from(reference.signal),
  };

  it("matches levels 1 and 2 of every wavelet to 1e-14", () => {
    expect(Object.keys(reference.wavelets)).toEqual([...WAVELET_NAMES]);
    for (const name of WAVELET_NAMES) {
      for (const level of [1, 2] as const) {
        const bands = waveletTransform(signal, {
          wavelet: name,
          level,
          boundary: "periodic",
          subBands: ["LLL", "HLL"],
        });
        const want = reference.wavelets[name]![`level${level}`];
        const scale = 2 ** level;
        expect(
          maxDifference(
            bands.get("LLL")!.data.map((v) => v / scale),
            want.a,
          ),
          `${name} level ${level} a`,
        ).toBeLessThan(1e-14);
        expect(
          maxDifference(
            bands.get("HLL")!.data.map((v) => v / scale),
            want.d,
          ),
          `${name} level ${level} d`,
        ).toBeLessThan(1e-14);
      }
    }
  });
});
