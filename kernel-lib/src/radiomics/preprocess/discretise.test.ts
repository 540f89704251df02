import { describe, expect, it } from "vitest";
import { IDENTITY_DIRECTION, type Mask, type Volume } from "../image/volume";
import { thrown } from "../test-support/thrown";
import { discretisationAdvice, discretise, REASONABLE_BIN_COUNT, type Discretisation } from "./discretise";

/**
 * A 1 x 1 x n line of voxels; `null` marks a voxel outside the mask (its intensity is 1000, far
 * outside every range, so that reading it would show in the levels or the bin edges).
 */
function line(values: readonly (number | null)[], source?: string): { image: Volume; mask: Mask } {
  const grid = {
    dims: [values.length, 1, 1] as const,
    spacing: [1, 1, 2] as const,
    origin: [-4, 5, 6] as const,
    direction: IDENTITY_DIRECTION,
  };
  return {
    image: { ...grid, data: Float64Array.from(values, (v) => v ?? 1000) },
    mask: {
      ...grid,
      data: Uint8Array.from(values, (v) => (v === null ? 0 : 1)),
      ...(source === undefined ? {} : { source }),
    },
  };
}

function levelsOf(values: readonly (number | null)[], method: Discretisation) {
  const { image, mask } = line(values);
  const roi = discretise(image, mask, method);
  return { levels: [...roi.levels], levelCount: roi.levelCount, lowerEdge: roi.lowerEdge, binWidth: roi.binWidth };
}

describe("discretise", () => {
  it("fixed-bin-number: equal bins from the ROI minimum to maximum, the maximum in the top bin", () => {
    expect(levelsOf([0, 1, 2, 3, 4, null, 3.99], { kind: "fixed-bin-number", bins: 4 })).toEqual({
      levels: [1, 2, 3, 4, 4, 0, 4],
      levelCount: 4,
      lowerEdge: 0,
      binWidth: undefined,
    });
    // Range 10..20 over 3 bins: edges 13.33 and 16.67.
    expect(levelsOf([10, 13.3, 13.4, 16.6, 16.7, 20], { kind: "fixed-bin-number", bins: 3 }).levels).toEqual([
      1, 1, 2, 2, 3, 3,
    ]);
  });

  it("fixed-bin-number: a flat ROI is grey level 1 of `bins`", () => {
    expect(levelsOf([7, 7, null, 7], { kind: "fixed-bin-number", bins: 16 })).toEqual({
      levels: [1, 1, 0, 1],
      levelCount: 16,
      lowerEdge: 7,
      binWidth: undefined,
    });
  });

  it("fixed-bin-width: bins from the ROI minimum, or from lowerBound when given", () => {
    expect(levelsOf([3, 4, 5, null, 8.9], { kind: "fixed-bin-width", binWidth: 2 })).toEqual({
      levels: [1, 1, 2, 0, 3],
      levelCount: 3,
      lowerEdge: 3,
      binWidth: 2,
    });
    expect(levelsOf([3, 4, 5, null, 8.9], { kind: "fixed-bin-width", binWidth: 2, lowerBound: 0 })).toEqual({
      levels: [2, 3, 3, 0, 5],
      levelCount: 5,
      lowerEdge: 0,
      binWidth: 2,
    });
    // IBSI's CT example: [-1000, 400] HU re-segmented, 25 HU bins; -1000 opens bin 1 and 400 is bin 57.
    expect(
      levelsOf([-1000, -975.5, -975, 0, 400], { kind: "fixed-bin-width", binWidth: 25, lowerBound: -1000 }),
    ).toEqual({ levels: [1, 1, 2, 41, 57], levelCount: 57, lowerEdge: -1000, binWidth: 25 });
  });

  it("pyradiomics-bin-width: edges at multiples of the width, with negative intensities", () => {
    // min -30 -> lowest edge floor(-30 / 25) * 25 = -50; edges -50, -25, 0, 25, 50, 75 (np.arange).
    expect(levelsOf([-30, -25, 0, 24.9, 25, 49, null], { kind: "pyradiomics-bin-width", binWidth: 25 })).toEqual({
      levels: [1, 2, 3, 3, 4, 4, 0],
      levelCount: 4,
      lowerEdge: -50,
      binWidth: 25,
    });
    // min 26 -> lowest edge 25: an intensity on an edge opens the next bin (np.digitize, right=False).
    expect(levelsOf([26, 50, 74.99, 75], { kind: "pyradiomics-bin-width", binWidth: 25 })).toEqual({
      levels: [1, 2, 2, 3],
      levelCount: 3,
      lowerEdge: 25,
      binWidth: 25,
    });
    // A minimum on a multiple of the width is the lowest edge itself.
    expect(levelsOf([-50, -49], { kind: "pyradiomics-bin-width", binWidth: 25 })).toEqual({
      levels: [1, 1],
      levelCount: 1,
      lowerEdge: -50,
      binWidth: 25,
    });
    // Ng counts the bins up to the highest present, not the empty ones below it.
    expect(levelsOf([0.125, 0.875], { kind: "pyradiomics-bin-width", binWidth: 0.25 })).toEqual({
      levels: [1, 4],
      levelCount: 4,
      lowerEdge: 0,
      binWidth: 0.25,
    });
  });

  // The lowest edge is min - (min % w) with Python's float modulo, exactly: computed as
  // min - ((min % w + w) % w) it sits an ulp high for a positive minimum (0.16 % 0.2 + 0.2 rounds)
  // and an intensity on an edge falls into the bin below. numpy gives levels [1, 2, 3] here.
  it("pyradiomics-bin-width: an intensity on an edge opens the next bin for any positive minimum", () => {
    expect(levelsOf([0.16, 0.2, 0.5], { kind: "pyradiomics-bin-width", binWidth: 0.2 })).toEqual({
      levels: [1, 2, 3],
      levelCount: 3,
      lowerEdge: 0,
      binWidth: 0.2,
    });
  });

  it("fixed-bin-width: refuses a lower bound above the ROI's minimum (those voxels would have no level)", () => {
    const { image, mask } = line([-5, 0, 10]);
    const error = thrown(() => discretise(image, mask, { kind: "fixed-bin-width", binWidth: 5, lowerBound: 0 }));
    expect([error.code, error.evidence.path]).toEqual(["settings", "discretisation.lowerBound"]);
    expect(error.message).toContain("down to -5, below the bin width's lower bound 0");
  });

  it("none: integer intensities are the grey levels, Ng the ROI maximum or `levels`", () => {
    expect(levelsOf([1, 2, null, 6, 4], { kind: "none" })).toEqual({
      levels: [1, 2, 0, 6, 4],
      levelCount: 6,
      lowerEdge: 1,
      binWidth: 1,
    });
    expect(levelsOf([1, 2, 6], { kind: "none", levels: 8 }).levelCount).toBe(8);
  });

  it("none: refuses intensities that are not integers from 1", () => {
    for (const [value, at] of [
      [2.5, 1],
      [0, 1],
      [-3, 1],
    ] as const) {
      const { image, mask } = line([1, value, 3]);
      const error = thrown(() => discretise(image, mask, { kind: "none" }));
      expect([error.code, error.evidence.path, error.message]).toEqual([
        "settings",
        "discretisation.kind",
        `Discretisation "none" needs integer grey levels from 1, but voxel ${at} holds ${value}\nHow to fix: Discretise with { kind: "fixed-bin-width", binWidth } or { kind: "fixed-bin-number", bins }.`,
      ]);
    }
    // Outside the mask anything goes.
    expect(levelsOf([1, null, 3], { kind: "none" }).levels).toEqual([1, 0, 3]);
  });

  it("keeps the voxel grid of the image", () => {
    const { image, mask } = line([1, 2]);
    const roi = discretise(image, mask, { kind: "none" });
    expect([roi.dims, roi.spacing, roi.origin, roi.direction]).toEqual([
      [2, 1, 1],
      [1, 1, 2],
      [-4, 5, 6],
      [1, 0, 0, 0, 1, 0, 0, 0, 1],
    ]);
  });

  it("refuses an empty ROI, naming the mask's file", () => {
    const { image, mask } = line([null, null], "lesion.nrrd");
    const error = thrown(() => discretise(image, mask, { kind: "fixed-bin-number", bins: 8 }));
    expect([error.code, error.evidence.file, error.message]).toEqual([
      "empty-roi",
      "lesion.nrrd",
      "The intensity mask has no voxel to discretise\nHow to fix: Check the mask label and the re-segmentation range: together they left no voxel.",
    ]);
  });

  it("refuses a bin count or width that is not positive", () => {
    const { image, mask } = line([1, 2, 3]);
    for (const bins of [0, -4, 2.5, Number.NaN]) {
      const error = thrown(() => discretise(image, mask, { kind: "fixed-bin-number", bins }));
      expect([error.code, error.evidence.path, error.message]).toEqual([
        "settings",
        "discretisation.bins",
        `A fixed bin number must be a positive integer, not ${bins}\nHow to fix: Use between 8 and 256 bins; 32 or 64 are common.`,
      ]);
    }
    for (const binWidth of [0, -25, Number.NaN]) {
      const fbs = thrown(() => discretise(image, mask, { kind: "fixed-bin-width", binWidth }));
      expect([fbs.code, fbs.evidence.path, fbs.message]).toEqual([
        "settings",
        "discretisation.binWidth",
        `A bin width must be positive, not ${binWidth}\nHow to fix: Use a width in the image's units, for example 25 HU for CT.`,
      ]);
      const py = thrown(() => discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth }));
      expect([py.code, py.evidence.path, py.message]).toEqual([
        "settings",
        "discretisation.binWidth",
        `A bin width must be positive, not ${binWidth}\nHow to fix: pyradiomics' default is 25.`,
      ]);
    }
  });
});

describe("discretisationAdvice", () => {
  it("warns about too many grey levels", () => {
    expect(discretisationAdvice(1200, { kind: "fixed-bin-width", binWidth: 1 })).toBe(
      "A bin width of 1 gives 1200 grey levels, more than 256: texture matrices will be sparse and their features noisy. Use a wider bin (or fewer bins) so that the ROI spans 16 to 128 levels.",
    );
    expect(discretisationAdvice(512, { kind: "fixed-bin-number", bins: 512 })).toBe(
      "512 bins gives 512 grey levels, more than 256: texture matrices will be sparse and their features noisy. Use a wider bin (or fewer bins) so that the ROI spans 16 to 128 levels.",
    );
  });

  it("warns about too few grey levels", () => {
    expect(discretisationAdvice(3, { kind: "pyradiomics-bin-width", binWidth: 25 })).toBe(
      "A bin width of 25 gives only 3 grey level(s), fewer than 8: most texture is lost. Use a narrower bin (or more bins) so that the ROI spans 16 to 128 levels.",
    );
    expect(discretisationAdvice(4, { kind: "fixed-bin-number", bins: 4 })).toBe(
      "4 bins gives only 4 grey level(s), fewer than 8: most texture is lost. Use a narrower bin (or more bins) so that the ROI spans 16 to 128 levels.",
    );
  });

  it("says nothing inside the range, at its ends, or without discretisation", () => {
    expect(REASONABLE_BIN_COUNT).toEqual({ min: 8, max: 256 });
    for (const count of [8, 32, 256]) {
      expect(discretisationAdvice(count, { kind: "fixed-bin-width", binWidth: 25 })).toBeUndefined();
    }
    expect(discretisationAdvice(7, { kind: "fixed-bin-width", binWidth: 25 })).toBeDefined();
    expect(discretisationAdvice(257, { kind: "fixed-bin-width", binWidth: 25 })).toBeDefined();
    expect(discretisationAdvice(6, { kind: "none" })).toBeUndefined();
    expect(discretisationAdvice(1000, { kind: "none" })).toBeUndefined();
  });
});
