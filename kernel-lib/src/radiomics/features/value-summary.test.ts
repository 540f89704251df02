import { describe, expect, it } from "vitest";
import { RadiomicsError } from "../radiomics-error";
import { summariseValues } from "./value-summary";

describe("summariseValues", () => {
  it("gives biased moments, percentiles and deviations", () => {
    const s = summariseValues(Float64Array.of(6, 1, 4, 1));
    expect(s.count).toBe(4);
    expect(s.mean).toBe(3);
    expect(s.variance).toBe(4.5);
    // Central moments: m2 = 4.5, m3 = (27 - 8 + 1 - 8) / 4 = 3, m4 = (81 + 16 + 1 + 16) / 4 = 28.5.
    expect(s.skewness).toBeCloseTo(3 / 4.5 ** 1.5, 15);
    expect(s.kurtosis).toBeCloseTo(28.5 / 20.25, 15);
    expect([s.min, s.max, s.median, s.p25, s.p75]).toEqual([1, 6, 2.5, 1, 4.5]);
    expect(s.p10).toBeCloseTo(1, 15);
    expect(s.p90).toBeCloseTo(5.4, 15);
    expect(s.meanAbsoluteDeviation).toBe(2);
    expect(s.medianAbsoluteDeviation).toBe((3.5 + 1.5 + 1.5 + 1.5) / 4);
    // Values in [1, 5.4]: 1, 1, 4, mean 2.
    expect(s.robustMeanAbsoluteDeviation).toBe((1 + 1 + 2) / 3);
  });

  it("marks a flat set with NaN shape moments and exact zeros elsewhere", () => {
    const s = summariseValues(Float64Array.of(0.1, 0.1, 0.1));
    expect(s.mean).toBe(0.1);
    expect([s.variance, s.meanAbsoluteDeviation, s.robustMeanAbsoluteDeviation]).toEqual([0, 0, 0]);
    expect(s.skewness).toBeNaN();
    expect(s.kurtosis).toBeNaN();
  });

  it("gives NaN robust MAD when no value lies between P10 and P90", () => {
    expect(summariseValues(Float64Array.of(1, 2)).robustMeanAbsoluteDeviation).toBeNaN();
  });

  it("throws empty-roi for no value", () => {
    expect(() => summariseValues(new Float64Array(0))).toThrow(RadiomicsError);
  });
});
