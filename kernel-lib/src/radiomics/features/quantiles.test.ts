import { describe, expect, it } from "vitest";
import { RadiomicsError } from "../radiomics-error";
import { medianOfSorted, quantileOfSorted, sortedCopy } from "./quantiles";

describe("quantiles", () => {
  it("sorts a copy numerically and leaves the input alone", () => {
    const input = Float64Array.of(10, -2, 3.5, 1);
    expect([...sortedCopy(input)]).toEqual([-2, 1, 3.5, 10]);
    expect([...input]).toEqual([10, -2, 3.5, 1]);
  });

  it("interpolates linearly between ranks, as numpy.percentile", () => {
    const x = Float64Array.of(1, 2, 3, 4);
    // numpy.percentile([1, 2, 3, 4], [0, 10, 25, 50, 75, 90, 100]) = 1, 1.3, 1.75, 2.5, 3.25, 3.7, 4
    expect([0, 0.1, 0.25, 0.5, 0.75, 0.9, 1].map((q) => quantileOfSorted(x, q))).toEqual([
      1, 1.3, 1.75, 2.5, 3.25, 3.7, 4,
    ]);
  });

  it("returns the sample value itself between equal neighbours", () => {
    // Weighting both neighbours, x (1 - w) + x w, can land one unit off x: for x = 0.1 and w = 0.3
    // it gives 0.09999999999999999, which would drop 0.1 out of [P10, P90].
    expect(0.1 * (1 - 0.3) + 0.1 * 0.3).not.toBe(0.1);
    // Eleven values: q = 0.03 puts h at 0.3, between two 0.1s.
    expect(quantileOfSorted(Float64Array.of(0.1, 0.1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 0.03)).toBe(0.1);
  });

  it("takes the median as numpy.median", () => {
    expect(medianOfSorted(Float64Array.of(1, 2, 4, 7))).toBe(3);
    expect(medianOfSorted(Float64Array.of(1, 2, 4))).toBe(2);
  });

  it("rejects quantiles outside [0, 1] and empty sets", () => {
    expect(() => quantileOfSorted(Float64Array.of(1), 90)).toThrow(RadiomicsError);
    expect(() => quantileOfSorted(Float64Array.of(1), 90)).toThrow(/between 0 and 1, not 90/);
    expect(() => quantileOfSorted(new Float64Array(0), 0.5)).toThrow(/no value/);
    expect(() => medianOfSorted(new Float64Array(0))).toThrow(RadiomicsError);
  });
});
