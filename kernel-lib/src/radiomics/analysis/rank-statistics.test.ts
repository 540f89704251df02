import { describe, expect, it } from "vitest";
import { averageRanks, benjaminiHochberg, mannWhitney, normalUpperTail, pearson, spearman } from "./rank-statistics";

// Expected values from SciPy 1.x: mannwhitneyu(method="asymptotic", use_continuity=True),
// spearmanr, pearsonr, false_discovery_control, norm.sf.
describe("rank statistics", () => {
  it("ranks ties by their average rank", () => {
    expect(averageRanks([10, 20, 10, 30, 20, 20])).toEqual([1.5, 4, 1.5, 6, 4, 4]);
  });

  it("matches SciPy's Mann-Whitney U with ties and continuity correction", () => {
    const r = mannWhitney([3, 4, 5, 5, 9], [1, 2, 3, 5, 6, 7]);
    expect(r.u).toBe(18.5);
    expect(r.auc).toBeCloseTo(18.5 / 30, 12);
    expect(r.p).toBeCloseTo(0.57954132848667, 6);
    expect([r.positives, r.negatives]).toEqual([5, 6]);
  });

  it("gives NaN for an empty group and drops values that are not finite", () => {
    expect(mannWhitney([], [1, 2]).auc).toBeNaN();
    expect(mannWhitney([3, Number.NaN, 4, 5, 5, 9], [1, 2, 3, 5, 6, 7, Infinity]).u).toBe(18.5);
  });

  it("matches SciPy's Spearman and Pearson correlations", () => {
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(0.7745966692414835, 12);
    expect(pearson([1, 2, 3], [4, 4, 4])).toBeNaN();
  });

  it("matches SciPy's Benjamini-Hochberg q-values and keeps NaN", () => {
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.5, 0.002]).map((q) => Number(q.toFixed(12)))).toEqual([
      0.025, 0.05, 0.05, 0.5, 0.01,
    ]);
    expect(benjaminiHochberg([Number.NaN, 0.01])).toEqual([Number.NaN, 0.01]);
  });

  it("computes normal tails to 1e-7", () => {
    expect(Math.abs(normalUpperTail(1.96) - 0.024997895148220435)).toBeLessThan(1e-8);
    expect(Math.abs(normalUpperTail(-0.5) - 0.6914624612740131)).toBeLessThan(1e-7);
  });
});
