import { describe, expect, it } from "vitest";
import { IDENTITY_DIRECTION, type Triple, type Volume } from "../image/volume";
import { thrown } from "../test-support/thrown";
import { at, energy, ibsi2Phantom, maxDifference } from "./test-support/filter-references";
import { WAVELET_SUB_BANDS, waveletTransform, type WaveletSubBand } from "./wavelet-decomposition";
import type { WaveletName } from "./wavelet-filters";

function volume(dims: Triple, f: (i: number, j: number, k: number) => number): Volume {
  const data = new Float64Array(dims[0] * dims[1] * dims[2]);
  let n = 0;
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) data[n++] = f(i, j, k);
  return { dims, spacing: [1, 1, 1], origin: [0, 0, 0], direction: IDENTITY_DIRECTION, data };
}

/** A reproducible pseudo-random cube (a linear congruential generator seeded with 7). */
function randomCube(n: number): Volume {
  let state = 7;
  return volume([n, n, n], () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  });
}

/** The cube turned a quarter about k: voxel (i, j, k) takes the value of (j, n - 1 - i, k). */
function quarterTurn(v: Volume): Volume {
  const n = v.dims[0];
  return volume(v.dims, (i, j, k) => at(v, j, n - 1 - i, k));
}

/** The cube turned a half about j: voxel (i, j, k) takes the value of (n - 1 - i, j, n - 1 - k). */
function halfTurn(v: Volume): Volume {
  const n = v.dims[0];
  return volume(v.dims, (i, j, k) => at(v, n - 1 - i, j, n - 1 - k));
}

const WAVELETS: readonly WaveletName[] = ["haar", "db2", "db3", "coif1"];

describe("waveletTransform: filter-bank gain", () => {
  it("makes LLL of a constant image 2^(3/2) times the constant, and every detail sub-band 0", () => {
    const image = volume([12, 10, 8], () => 10);
    for (const wavelet of WAVELETS)
      for (const boundary of ["nearest", "periodic", "mirror"] as const) {
        const level1 = waveletTransform(image, { wavelet, level: 1, boundary });
        const level2 = waveletTransform(image, { wavelet, level: 2, boundary });
        expect([...level1.keys()]).toEqual([...WAVELET_SUB_BANDS]);
        expect(maxDifference(level1.get("LLL")!.data, new Float64Array(960).fill(10 * 2 ** 1.5))).toBeLessThan(1e-12);
        // Level 2 filters the level-1 LLL, so the cascade's gain is (2^(3/2))^2 = 8.
        expect(maxDifference(level2.get("LLL")!.data, new Float64Array(960).fill(80))).toBeLessThan(1e-12);
        for (const band of WAVELET_SUB_BANDS.slice(1)) {
          expect(Math.max(...level1.get(band)!.data.map(Math.abs)), `${wavelet} ${boundary} ${band}`).toBeLessThan(
            1e-12,
          );
          expect(Math.max(...level2.get(band)!.data.map(Math.abs))).toBeLessThan(1e-12);
        }
      }
  });

  it("keeps 8 times the energy in the 8 sub-bands (undecimated Parseval, periodic padding) on IBSI-2's noise phantom", async () => {
    const noise = await ibsi2Phantom("noise");
    const input = energy(noise.data);
    for (const wavelet of WAVELETS) {
      const level1 = waveletTransform(noise, { wavelet, level: 1, boundary: "periodic" });
      const total1 = [...level1.values()].reduce((s, b) => s + energy(b.data), 0);
      expect(total1 / input, wavelet).toBeCloseTo(8, 11);
      // Level 2 splits the level-1 approximation (LLL) the same way.
      const level2 = waveletTransform(noise, { wavelet, level: 2, boundary: "periodic" });
      const total2 = [...level2.values()].reduce((s, b) => s + energy(b.data), 0);
      expect(total2 / energy(level1.get("LLL")!.data), wavelet).toBeCloseTo(8, 11);
    }
  });
});

describe("waveletTransform: which letter is which axis", () => {
  // IBSI-2's orientation phantom holds i + j + k on 32 x 48 x 64 voxels. A Haar high-pass filter
  // along one axis turns the ramp into -sqrt(2)/2 per step, and the two low-pass filters multiply
  // by 2; where the periodic padding wraps the ramp (the last voxel along that axis) the step is
  // back by the axis' length - 1, so that face responds with (length - 1) * sqrt(2).
  it("responds at the wrap of axis i in HLL, of j in LHL and of k in LLH", async () => {
    const image = await ibsi2Phantom("orientation");
    expect(image.dims).toEqual([32, 48, 64]);
    expect(at(image, 31, 47, 63)).toBe(141);
    const bands = waveletTransform(image, { wavelet: "haar", level: 1, boundary: "periodic" });
    const faces: [WaveletSubBand, 0 | 1 | 2][] = [
      ["HLL", 0],
      ["LHL", 1],
      ["LLH", 2],
    ];
    for (const [band, axis] of faces) {
      const response = bands.get(band)!;
      const last = image.dims[axis] - 1;
      let worst = 0;
      for (let k = 0; k < 64; k++)
        for (let j = 0; j < 48; j++)
          for (let i = 0; i < 32; i++) {
            const want = [i, j, k][axis] === last ? last * Math.SQRT2 : -Math.SQRT2;
            worst = Math.max(worst, Math.abs(at(response, i, j, k) - want));
          }
      expect(worst, band).toBeLessThan(1e-12);
    }
    // A high-pass filter along a second axis removes what depends on the first axis alone.
    for (const band of ["LHH", "HLH", "HHL", "HHH"] as const) {
      expect(Math.max(...bands.get(band)!.data.map(Math.abs)), band).toBeLessThan(1e-12);
    }
  });
});

describe("waveletTransform: rotation invariance", () => {
  const cube = randomCube(8);

  it("pools the 24 rotations so that turning the image turns the response (mean and max pooling)", () => {
    for (const rotationInvariance of ["mean", "max"] as const)
      for (const level of [1, 2]) {
        const options = { wavelet: "db2", level, boundary: "periodic", rotationInvariance } as const;
        const response = waveletTransform(cube, options);
        for (const turn of [quarterTurn, halfTurn]) {
          const turned = waveletTransform(turn(cube), options);
          for (const band of ["LLL", "HLL", "LHH", "HHH"] as const) {
            const label = `${rotationInvariance} level ${level} ${band} ${turn.name}`;
            expect(maxDifference(turned.get(band)!.data, turn(response.get(band)!).data), label).toBeLessThan(1e-12);
          }
        }
      }
    // Without pooling the even-length filters are not symmetric, so turning the image does not turn the response.
    const plain = (v: Volume) => waveletTransform(v, { wavelet: "db2", level: 1, boundary: "periodic" }).get("LLL")!;
    expect(maxDifference(plain(halfTurn(cube)).data, halfTurn(plain(cube)).data)).toBeGreaterThan(0.01);
  });

  it("makes the sub-bands with one high-pass axis one and the same filter", () => {
    const response = waveletTransform(cube, {
      wavelet: "coif1",
      level: 1,
      boundary: "mirror",
      rotationInvariance: "mean",
    });
    expect(maxDifference(response.get("HLL")!.data, response.get("LHL")!.data)).toBeLessThan(1e-13);
    expect(maxDifference(response.get("HLL")!.data, response.get("LLH")!.data)).toBeLessThan(1e-13);
    expect(maxDifference(response.get("HHL")!.data, response.get("LHH")!.data)).toBeLessThan(1e-13);
    // ...which the plain transform does not.
    const plain = waveletTransform(cube, { wavelet: "coif1", level: 1, boundary: "mirror" });
    expect(maxDifference(plain.get("HLL")!.data, plain.get("LHL")!.data)).toBeGreaterThan(0.01);
  });

  it("computes only the sub-bands asked for, the same as in the full transform", () => {
    const some = waveletTransform(cube, { wavelet: "db3", level: 2, boundary: "nearest", subBands: ["HHL", "LLH"] });
    const all = waveletTransform(cube, { wavelet: "db3", level: 2, boundary: "nearest" });
    expect([...some.keys()]).toEqual(["LLH", "HHL"]);
    expect(some.get("HHL")!.data).toEqual(all.get("HHL")!.data);
  });
});

describe("waveletTransform settings", () => {
  const image = volume([4, 4, 4], () => 1);
  it("refuses a level that is not a positive integer, an unknown pooling or sub-band", () => {
    for (const level of [0, 1.5]) {
      const error = thrown(() => waveletTransform(image, { wavelet: "haar", level, boundary: "zero" }));
      expect(error.code).toBe("settings");
      expect(error.evidence.path).toBe("level");
    }
    const pooling = thrown(() =>
      waveletTransform(image, { wavelet: "haar", level: 1, boundary: "zero", rotationInvariance: "average" as "mean" }),
    );
    expect(pooling.evidence.path).toBe("rotationInvariance");
    const band = thrown(() =>
      waveletTransform(image, { wavelet: "haar", level: 1, boundary: "zero", subBands: ["XLL" as "HLL"] }),
    );
    expect(band.message).toBe(
      "subBands has unknown value(s) XLL\nHow to fix: Choose from LLL, LLH, LHL, LHH, HLL, HLH, HHL, HHH (letters for i, j, k).",
    );
    expect(
      thrown(() => waveletTransform(image, { wavelet: "haar", level: 1, boundary: "zero", subBands: [] })).message,
    ).toMatch(/^subBands is empty/);
    expect(
      thrown(() => waveletTransform(image, { wavelet: "haar", level: 1, boundary: "wrap" as "periodic" })).evidence
        .path,
    ).toBe("boundary");
  });
});
