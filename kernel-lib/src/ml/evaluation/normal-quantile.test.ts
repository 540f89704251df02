import { describe, expect, it } from "vitest";
import { EvaluationError } from "./evaluation-error";
import { normalQuantile } from "./normal-quantile";

describe("normalQuantile", () => {
  it("is bit-identical to CPython 3.11's AS 241 (statistics.NormalDist().inv_cdf) in each branch", () => {
    // python3.11 -c "from statistics import NormalDist; print(repr(NormalDist().inv_cdf(p)))"
    expect(normalQuantile(0.975)).toBe(1.9599639845400536);
    expect(normalQuantile(0.95)).toBe(1.6448536269514715);
    expect(normalQuantile(0.3)).toBe(-0.5244005127080407);
    expect(normalQuantile(0.995)).toBe(2.5758293035489);
    expect(normalQuantile(0.01)).toBe(-2.3263478740408408);
    expect(normalQuantile(1e-10)).toBe(-6.361340902404056);
    expect(normalQuantile(1e-300)).toBe(-37.0470962993612);
  });

  it("is within 1e-15 (relative) of scipy 1.17.1 norm.ppf", () => {
    const scipy: [number, number][] = [
      [0.975, 1.959963984540054],
      [0.95, 1.6448536269514722],
      [0.995, 2.5758293035489004],
      [0.3, -0.5244005127080409],
      [0.01, -2.3263478740408408],
      [1e-10, -6.361340902404056],
      [1e-300, -37.0470962993612],
    ];
    for (const [p, z] of scipy) expect(Math.abs(normalQuantile(p) - z) / Math.abs(z)).toBeLessThan(1e-15);
  });

  it("refuses probabilities outside (0, 1)", () => {
    for (const p of [0, 1, -0.5, Number.NaN]) {
      expect(() => normalQuantile(p)).toThrow(EvaluationError);
    }
  });
});
